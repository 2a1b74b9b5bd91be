"""SHACL validation and the submission workflow.

The corpus in tests/submissions/: each invalid file says in '# expect:' lines which rule it breaks
(severity, shape, focus node, path); the test asserts exactly those results, in the manner of
pySHACL's own manifest tests."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import rdflib

from cybertreaty_kg import load_dataset
from cybertreaty_kg.cli import main
from cybertreaty_kg.namespaces import ID
from cybertreaty_kg.validate import SubmissionRefused, load_rules, load_shapes, read_submission, validate

CORPUS = Path(__file__).parent / "submissions"
PREFIXES = {"uncc:": "https://w3id.org/cybertreaty-kg/id/instrument/uncc/",
            "budapest:": "https://w3id.org/cybertreaty-kg/id/instrument/budapest/",
            "ctkg:": "https://w3id.org/cybertreaty-kg/ontology#", "dcterms:": "http://purl.org/dc/terms/"}


def _expand(text: str) -> str | None:
    if text == "-":
        return None
    for prefix, namespace in PREFIXES.items():
        if text.startswith(prefix):
            return namespace + text[len(prefix):]
    return text


def _expected(path: Path) -> set[tuple]:
    found = set()
    for line in path.read_text().splitlines():
        if line.startswith("# expect:"):
            severity, shape, focus, prop = line.split(":", 1)[1].split()
            found.add((severity, "https://w3id.org/cybertreaty-kg/shapes#" + shape, _expand(focus), _expand(prop)))
    return found


def test_shipped_graph_conforms_with_only_the_justified_warnings(dataset):
    report = validate(dataset)
    assert report.violations() == []
    warned = sorted(((r.shape.rsplit("#", 1)[-1], r.focus.removeprefix(ID + "instrument/"), r.value) for r in report.warnings()),
                    key=lambda t: (t[0], t[1], t[2] or ""))
    # Partial instruments (data/COVERAGE.md) have gaps in their articles' order by design. The
    # expected gaps are computed here a second way, from the instrument files read with rdflib,
    # not from the rule's output; and they must be the ones COVERAGE.md lists.
    gaps = _order_gaps_in_sources()
    assert gaps == {"cis-2001": ["16"]}
    expected = [("ArticleOrderShape", i, v) for i, values in gaps.items() for v in values]
    # The paragraph that sets out the entry-into-force rule was not read for this one.
    expected += [("EntryIntoForceRuleShape", "budapest-p2/entry-into-force-rule", None)]
    assert warned == sorted(expected, key=lambda t: (t[0], t[1], t[2] or ""))


def _order_gaps_in_sources() -> dict[str, list[str]]:
    """For each instrument file, the orders of its articles that have no article just before."""
    ctkg = rdflib.Namespace("https://w3id.org/cybertreaty-kg/ontology#")
    gaps = {}
    for path in sorted((Path(__file__).parents[1] / "data" / "instruments").glob("*.ttl")):
        graph = rdflib.Graph().parse(path)
        orders = {int(graph.value(a, ctkg.order)) for a in graph.subjects(rdflib.RDF.type, ctkg.Article)}
        missing = [str(v) for v in sorted(orders) if v > 1 and v - 1 not in orders]
        if missing:
            gaps[path.stem] = missing
    return gaps


@pytest.mark.parametrize("path", sorted([*(CORPUS / "invalid").glob("*.ttl"), *(CORPUS / "invalid").glob("*.tsv")]), ids=lambda p: p.stem)
def test_invalid_submission_gives_exactly_the_expected_results(dataset, path):
    refused = [line.split("refused: ", 1)[1] for line in path.read_text().splitlines()
               if line.lstrip("# ").startswith("refused: ")]
    if refused:  # refused before validation, with this message
        with pytest.raises(SubmissionRefused) as error:
            validate(dataset, [path])
        assert str(error.value) == refused[0]
        return
    expected = _expected(path)
    assert expected, f"{path.name} has no '# expect:' line"
    report = validate(dataset, [path])
    got = {(r.severity, r.shape, r.focus, r.path) for r in report.results}
    assert got == expected
    submitted = {str(t.subject) for t in read_submission(path)}
    assert all(r.line and (r.file == path.name if r.focus in submitted else r.file.startswith("data/") or r.file == path.name)
               for r in report.results)  # a result on an existing record it extends: at that record, or what points at it


@pytest.mark.parametrize("path", sorted([*(CORPUS / "valid").glob("*.ttl"), *(CORPUS / "valid").glob("*.tsv")]), ids=lambda p: p.stem)
def test_valid_submission_conforms(dataset, path):
    report = validate(dataset, [path])
    assert report.results == []


def test_report_names_record_rule_property_value_and_line(dataset, capsys):
    path = CORPUS / "invalid" / "consent-before-signature.ttl"
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    line = path.read_text().splitlines().index("uncc:participation\\/CAN-ratification") + 1
    assert f"consent-before-signature.ttl:{line}: https://w3id.org/cybertreaty-kg/id/instrument/uncc/participation/CAN-ratification" in out
    assert "[Violation] This ratification, acceptance or approval is dated before the party's signature" in out
    assert "(property ctkg:eventDate, value 2026-06-01) [ctkgsh:ConsentAfterSignatureShape]" in out
    assert "does not conform: 1 violation(s), 0 warning(s)" in out


def test_json_and_turtle_reports(dataset, capsys):
    path = str(CORPUS / "invalid" / "event-duplicate.ttl")
    assert main(["validate", path, "--format", "json"]) == 1
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["conforms"] is False and data["results"][0]["shape"].endswith("EventDuplicateShape")
    assert main(["validate", path, "--format", "turtle"]) == 1
    graph = rdflib.Graph().parse(data=capsys.readouterr().out, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    (report,) = graph.subjects(rdflib.RDF.type, sh.ValidationReport)
    assert graph.value(report, sh.conforms) == rdflib.Literal(False)
    assert len(list(graph.objects(report, sh.result))) == 2  # the duplicate, and the recorded event it duplicates


@pytest.mark.slow
def test_global_rules_give_the_same_results_as_pyshacl_per_focus_node(dataset):
    """Our one-query-per-rule evaluation of shapes/rules.ttl against pySHACL's own SHACL-SPARQL
    engine on the same small data: all the invalid cases together with the records they refer
    to (kept small: pySHACL's cost grows with the square of the records)."""
    import pyoxigraph as ox
    import pyshacl

    from cybertreaty_kg.namespaces import PREFIXES as P
    from cybertreaty_kg.validate import _data_graph

    store = ox.Store()
    for path in sorted([*(CORPUS / "invalid").glob("*.ttl"), *(CORPUS / "invalid").glob("*.tsv")]):
        if "refused: " in path.read_text():  # refused before validation (a blank-node record, a rewrite)
            continue
        store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("urn:" + path.stem)) for t in read_submission(path))
    def referred_to(quad) -> bool:
        subject = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
        return ("ontology/cybertreaty" in quad.graph_name.value
                or any(part in subject for part in ("/participation/FRA-", "/participation/MCO-", "/participation/CAN-",
                                                    "/participation/SRB-", "/participation/IND-", "/state/", "/org/"))
                or subject.endswith(("/uncc/art/7", "/instrument/uncc", "/instrument/budapest", "/instrument/budapest-p2",
                                     "/participation")))

    store.extend(q for q in dataset.store.quads_for_pattern(None, None, None, None) if referred_to(q))
    shapes = load_shapes(dataset.root)
    rule_shapes = {s for s, _ in shapes.subject_objects(rdflib.URIRef("http://www.w3.org/ns/shacl#sparql"))}
    _, graph, text = pyshacl.validate(_data_graph(store), shacl_graph=shapes, inference="none", allow_warnings=True,
                                     use_shapes=sorted(rule_shapes))
    assert isinstance(graph, rdflib.Graph), text
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    theirs = {(str(graph.value(r, sh.sourceShape)), str(graph.value(r, sh.focusNode)))
              for r in graph.subjects(rdflib.RDF.type, sh.ValidationResult)}
    ours = set()
    for rule in load_rules(shapes):
        for row in store.query(rule.query, prefixes=P, use_default_graph_as_union=True):
            ours.add((rule.shape, row["this"].value))
    assert ours == theirs and len(ours) >= 8


# --- bad input ----------------------------------------------------------------------------------

BAD = {
    "malformed.ttl": ("@prefix ctkg: <https://w3id.org/cybertreaty-kg/ontology#> .\n<http://e/a> ctkg:number \"7\" ;;; ]\n", 2, "malformed.ttl:2:"),
    "malformed.jsonld": ('{"@id": "http://e/a", "http://e/p": [1,}\n', 2, "malformed.jsonld:1:"),
    "malformed.rdf": ('<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description rdf:about="http://e/a">\n</rdf:RDF>\n',
                      2, "malformed.rdf:"),
    "external-entity.rdf": ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n'
                            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
                            '<rdf:Description rdf:about="http://e/a"><ex:p>&xxe;</ex:p></rdf:Description></rdf:RDF>\n',
                            2, "external-entity.rdf:2: DOCTYPE and ENTITY declarations are refused in RDF/XML"),
    "entity-bomb.rdf": ('<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY a "aaaaaaaaaa">\n'
                        + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">\n' for p, c in zip("abcdefgh", "bcdefghi"))
                        + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://e/">'
                        '<rdf:Description rdf:about="http://e/a"><ex:p>&i;</ex:p></rdf:Description></rdf:RDF>\n',
                        2, "entity-bomb.rdf:2: DOCTYPE and ENTITY declarations are refused"),
    "remote-context.jsonld": ('{"@context": "http://example.org/context.jsonld", "@id": "http://e/a", "p": "x"}\n', 2,
                              "a remote JSON-LD @context would have to be fetched, and nothing is fetched"),
    "imports.ttl": ("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n\n<http://e/x> owl:imports <http://example.org/other.owl> .\n", 2,
                    "imports.ttl:3: owl:imports <http://example.org/other.owl> would make us fetch from the network"),
    "empty.ttl": ("", 2, "empty.ttl: the file is empty"),
    "redefines-class.ttl": ("@prefix ctkg: <https://w3id.org/cybertreaty-kg/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n"
                            "ctkg:Article rdfs:label \"clause\"@en .\n", 1, "redefines-class.ttl:4: the submission describes the ontology term ctkg:Article"),
    "renumbers-article.ttl": ("@prefix ctkg: <https://w3id.org/cybertreaty-kg/ontology#> .\n\n"
                              "<https://w3id.org/cybertreaty-kg/id/instrument/uncc/art/7> ctkg:number \"8\" .\n", 1,
                              "already has number 7; changing an article's number rewrites history"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_submission_gives_a_clear_error_and_exit_code(tmp_path, capsys, name):
    text, code, message = BAD[name]
    path = tmp_path / name
    path.write_text(text)
    assert main(["validate", str(path)]) == code
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_file_over_the_size_limit_is_refused(tmp_path, capsys):
    path = tmp_path / "big.ttl"
    path.write_text("<http://e/a> <http://e/p> \"" + "x" * 2000 + "\" .\n")
    assert main(["validate", str(path), "--max-bytes", "1000"]) == 2
    assert "big.ttl: the file has 2031 bytes, over the limit of 1000" in capsys.readouterr().err


# --- submit ---------------------------------------------------------------------------------------

def _tree_hashes(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def test_rejected_submission_changes_nothing_on_disk(sources, capsys):
    before = _tree_hashes(sources)
    assert main(["--sources", str(sources), "submit", str(CORPUS / "invalid" / "consent-before-signature.ttl")]) == 1
    assert "rejected: nothing was changed" in capsys.readouterr().out
    assert _tree_hashes(sources) == before


def test_accepted_submission_appears_in_the_next_build_and_queries(sources, capsys, tmp_path):
    from datetime import date

    from cybertreaty_kg.dates import PartialDate
    from cybertreaty_kg.parties import status_of

    assert main(["--sources", str(sources), "submit", str(CORPUS / "valid" / "new-signature.ttl")]) == 0
    assert "accepted: 6 new triple(s) added to" in capsys.readouterr().out
    assert (sources / "data" / "submissions" / "new-signature.ttl").is_file()
    status = status_of("uncc", "ISL", on=date(2025, 11, 19), dataset=load_dataset(sources))
    assert status.signed == PartialDate(2025, 11, 1)
    assert main(["--sources", str(sources), "build", "--out", str(tmp_path / "dist")]) == 0
    assert "participation/ISL-signature" in (tmp_path / "dist" / "cybertreaty-kg.nq").read_text()


def test_duplicates_already_in_the_graph_are_reported_not_re_added(sources, capsys):
    before = _tree_hashes(sources)
    assert main(["--sources", str(sources), "submit", str(CORPUS / "valid" / "duplicate-of-existing.ttl")]) == 0
    assert "accepted: 0 new triple(s) added to nowhere (nothing new); 6 already in the graph, not re-added" in capsys.readouterr().out
    assert _tree_hashes(sources) == before


def test_submit_into_an_on_disk_store(tmp_path, capsys):
    import pyoxigraph as ox

    store = tmp_path / "store"
    assert main(["submit", str(CORPUS / "valid" / "new-signature.ttl"), "--store", str(store)]) == 0
    capsys.readouterr()
    quads = list(ox.Store(str(store)).quads_for_pattern(None, None, None, None))
    assert len(quads) == 6
    assert {q.graph_name.value for q in quads} == {"https://w3id.org/cybertreaty-kg/graph/data/submissions/new-signature"}


def test_turtle_report_follows_the_shacl_spec(dataset, capsys):
    """sh:conforms is true only without results (warnings are results), and a result of a
    property shape names that property shape (with its path) as sh:sourceShape."""
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert main(["validate", "--format", "turtle"]) == 0  # the shipped graph: warnings only
    graph = rdflib.Graph().parse(data=capsys.readouterr().out, format="turtle")
    (report,) = graph.subjects(rdflib.RDF.type, sh.ValidationReport)
    results = list(graph.objects(report, sh.result))
    assert results and graph.value(report, sh.conforms) == rdflib.Literal(False)
    assert {graph.value(r, sh.resultSeverity) for r in results} == {sh.Warning}
    path = CORPUS / "invalid" / "article-without-heading.ttl"
    assert main(["validate", str(path), "--format", "turtle"]) == 1  # (and it makes UNCC hold 69 articles)
    graph = rdflib.Graph().parse(data=capsys.readouterr().out, format="turtle")
    heading = rdflib.URIRef("https://w3id.org/cybertreaty-kg/ontology#heading")
    (result,) = [r for r in graph.subjects(rdflib.RDF.type, sh.ValidationResult) if graph.value(r, sh.resultPath) == heading]
    assert graph.value(result, sh.resultSeverity) == sh.Warning
    source = graph.value(result, sh.sourceShape)
    assert graph.value(source, rdflib.RDF.type) == sh.PropertyShape
    assert graph.value(source, sh.path) == graph.value(result, sh.resultPath) == rdflib.URIRef(
        "https://w3id.org/cybertreaty-kg/ontology#heading")
    assert graph.value(predicate=sh.property, object=source) == rdflib.URIRef("https://w3id.org/cybertreaty-kg/shapes#ArticleShape")


def test_severity_sits_on_the_shapes_as_every_shacl_engine_reads_it(root):
    """pySHACL run on shapes/ and the shipped graph directly (no code of ours in between) gives
    the article-order gaps as warnings, not violations: the severity is the shape's."""
    import pyshacl

    shapes = load_shapes(root)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert not list(shapes.subject_objects(sh.severity)) or all(
        (node, rdflib.RDF.type, sh.SPARQLConstraint) not in shapes for node, _ in shapes.subject_objects(sh.severity))
    data = rdflib.Graph().parse(root / "ontology" / "cybertreaty.ttl")  # Convention, Protocol … are Instruments
    gaps = _order_gaps_in_sources()
    for name in gaps:  # the instruments modelled in part, whose order has gaps
        data.parse(root / "data" / "instruments" / f"{name}.ttl")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    order = [r for r in report.subjects(rdflib.RDF.type, sh.ValidationResult)
             if report.value(r, sh.sourceShape) == rdflib.URIRef("https://w3id.org/cybertreaty-kg/shapes#ArticleOrderShape")]
    assert len(order) == sum(map(len, gaps.values())) and {report.value(r, sh.resultSeverity) for r in order} == {sh.Warning}


def test_the_published_dataset_lets_any_shacl_engine_validate_a_new_state(dataset, root, tmp_path):
    """Every ISO 3166 State is described in the published graph, used or not: pySHACL given only
    the N-Quads export and shapes/ validates signatures by Tuvalu (named nowhere in the data) and
    by "XXA" (no ISO code) against the event and party shapes: only the latter's party is unknown."""
    import pyshacl

    from cybertreaty_kg.build import build

    out = tmp_path / "dist"
    build(dataset, out)
    data = rdflib.Graph()
    for quad in rdflib.Dataset().parse(out / "cybertreaty-kg.nq", format="nquads").quads():
        data.add(quad[:3])  # the union of the named graphs
    states = set(data.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/cybertreaty-kg/ontology#State")))
    assert len(states) == 249
    signature = (CORPUS / "valid" / "new-signature.ttl").read_text()
    for code in ("TUV", "XXA"):
        data.parse(data=signature.replace("ISL", code), format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    _, report, _ = pyshacl.validate(data, shacl_graph=load_shapes(root), inference="none", allow_warnings=True,
                                    use_shapes=["https://w3id.org/cybertreaty-kg/shapes#PartyKnownShape",
                                                "https://w3id.org/cybertreaty-kg/shapes#ParticipationEventShape"])
    violations = {(str(report.value(r, sh.focusNode)), str(report.value(r, sh.resultPath)))
                  for r in report.subjects(rdflib.RDF.type, sh.ValidationResult) if report.value(r, sh.resultSeverity) == sh.Violation}
    assert violations == {("https://w3id.org/cybertreaty-kg/id/instrument/uncc/participation/XXA-signature",
                           "https://w3id.org/cybertreaty-kg/ontology#party")}

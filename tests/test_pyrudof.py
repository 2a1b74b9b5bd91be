"""pyrudof, a second SHACL engine written independently of ours (Rust), gives our results.

The shipped graph and every file of the submission corpus (tests/submissions/valid and invalid,
``.ttl`` and ``.tsv``) are validated by pyrudof against the same shapes graph our validator reads
(``shapes/core.ttl`` and ``shapes/rules.ttl``, as :func:`load_shapes` merges them). pyrudof runs
both the SHACL Core shapes and the SHACL-SPARQL rules (``sh:sparql``/``sh:select``), so both are
compared here, result by result: focus node, result path, node shape, severity, constraint
component and value. The message and the location (file, line) are not compared: pyrudof puts its
own text before our ``sh:message``, and it knows nothing of our files.

How pyrudof is run:
- the data is the union of every named graph of the dataset except the shapes graphs, as
  N-Triples, without materialised superclasses (pyrudof follows ``rdfs:subClassOf`` in the data,
  as SHACL says ``sh:targetClass`` does); for a submission, the same plus the triples that
  :func:`read_submission` makes of the file (a ``.tsv`` table becomes triples);
- a new ``Rudof`` per case, data and shapes read in strict mode (pyrudof's default, lax, would
  skip what it cannot read without saying so).

How its results are compared:
- pyrudof names a property shape's result by the property shape, a blank node whose label changes
  at each reading. We name the node shape that holds it. Each property shape has its own
  ``sh:message`` (asserted below) and pyrudof repeats it in its message, so the message maps the
  blank node to one property shape, and from it to the node shape; the mapping must be
  unambiguous and the property shape's ``sh:path`` must be the result's path, or the test fails.
- terms become plain strings as in our :class:`Result`: IRIs without brackets, literals their
  lexical form (pyrudof writes ``"69"^^xsd:integer``, we write ``69``).
- for a submission, our report holds the results about the submission's records and the results
  the submission caused elsewhere (a rule result on an existing record that the graph alone does
  not give). From pyrudof that is: its results on graph + submission minus its results on the
  graph alone, plus those of its results on graph + submission whose focus node is a record of
  the submission (a result that a submitted record already had in the graph is still about it).
  On this corpus the second part adds nothing beyond the difference.
Any result that one engine gives and the other does not fails the test; nothing is filtered.

Cases pyrudof cannot run are named in ``LEFT_OUT`` with the reason, and a test checks that they
are exactly the corpus files left out, each for the reason given.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pyoxigraph as ox
import pyrudof
import pytest
import rdflib
from rdflib.namespace import RDF, SH

from cybertreaty_kg.validate import SubmissionRefused, load_shapes, read_submission, validate

pytestmark = pytest.mark.slow

CORPUS = Path(__file__).parent / "submissions"
CASES = sorted([*CORPUS.glob("*/*.ttl"), *CORPUS.glob("*/*.tsv")])
SHAPES_GRAPHS = "https://w3id.org/cybertreaty-kg/graph/shapes/"
REFUSED = "refused by our validator before validation (SubmissionRefused): it gives no results to compare"
BLANK_SPARQL = ("pyrudof fails on it: the record is a blank node, and pyrudof, pre-binding $this in a "
                "SHACL-SPARQL query, writes the blank node into the query text, which then does not parse "
                "(ShaclError: 'Parsing query error ... expected UNDEF'); pyrudof's SHACL Core alone runs")
LEFT_OUT = {
    "invalid/blank-node-event.ttl": {REFUSED, BLANK_SPARQL},
    "invalid/table-second-date-for-a-recorded-event.tsv": {REFUSED},
}


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


COMPARED = [path for path in CASES if _name(path) not in LEFT_OUT]


# --- running pyrudof ------------------------------------------------------------------------------

class Shapes:
    """The shapes graph as handed to pyrudof, and what is needed to read its results back."""

    def __init__(self, graph: rdflib.Graph, path: Path):
        self.graph, self.path = graph, path
        self.prefixes = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in graph.namespaces())
        self.node_shapes = {str(s) for s in graph.subjects(RDF.type, SH.NodeShape)}
        self.by_message: dict[str, list[tuple[str, str]]] = {}  # a property shape's message: (node shape, path)
        for node, prop in graph.subject_objects(SH.property):
            for message in graph.objects(prop, SH.message):
                self.by_message.setdefault(str(message), []).append((str(node), str(graph.value(prop, SH.path))))

    def literals(self, text: str) -> list[rdflib.Literal]:
        """pyrudof's terms are written as in Turtle (``"69"^^xsd:integer``, ``"a", "b"@en``): read them so."""
        graph = rdflib.Graph().parse(data=f"{self.prefixes}<urn:s> <urn:p> {text} .", format="turtle")
        return list(graph.objects())

    def term(self, text: str | None) -> str | None:
        if text is None or not text.startswith('"'):
            return text  # an IRI (written without brackets), a blank node (_:…), or no value
        [literal] = self.literals(text)
        return str(literal)

    def node_shape(self, result) -> str:
        shape = result.source_shape
        if not shape.startswith("_:"):
            assert shape in self.node_shapes, f"pyrudof names a source shape that is not a node shape of ours: {shape}"
            return shape
        # A property shape: a blank node, relabelled at each reading. Its sh:message says which.
        found = {held for literal in self.literals(result.message) for held in self.by_message.get(str(literal), ())}
        assert len(found) == 1, f"the message of a pyrudof result does not name exactly one property shape: " \
                                f"{result.message!r} -> {sorted(found)}"
        [(node, path)] = found
        assert path == result.path, f"pyrudof's result path {result.path} is not the path {path} of the property shape " \
                                    f"of {node} whose message it gives"
        return node


def _pyrudof(shapes: Shapes, triples, data: Path) -> set[tuple]:
    data.write_bytes(ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES))
    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(str(data), format=pyrudof.RDFFormat.NTriples, reader_mode=pyrudof.ReaderMode.Strict)
    rudof.read_shacl(str(shapes.path), reader_mode=pyrudof.ReaderMode.Strict)
    found = set()
    for r in rudof.validate_shacl():
        severity = r.severity.rsplit("#", 1)[-1]
        assert severity in {"Violation", "Warning", "Info"}, r.severity
        found.add((r.focus_node, r.path, shapes.node_shape(r), severity, r.constraint_component, shapes.term(r.value)))
    return found


def _ours(results) -> set[tuple]:
    return {(r.focus, r.path, r.shape, r.severity, r.component, r.value) for r in results}


@pytest.fixture(scope="module")
def shapes(dataset, tmp_path_factory) -> Shapes:
    graph = load_shapes(dataset.root)
    path = tmp_path_factory.mktemp("pyrudof") / "shapes.ttl"
    graph.serialize(path, format="turtle")
    return Shapes(graph, path)


@pytest.fixture(scope="module")
def graph_triples(dataset) -> set[ox.Triple]:
    return {ox.Triple(q.subject, q.predicate, q.object) for q in dataset.store.quads_for_pattern(None, None, None, None)
            if not (isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(SHAPES_GRAPHS))}


@pytest.fixture(scope="module")
def rudof(shapes, graph_triples, tmp_path_factory):
    """pyrudof's results on the graph (``None``) or on the graph and one corpus file, each computed once."""
    folder = tmp_path_factory.mktemp("pyrudof-data")

    @functools.cache
    def run(path: Path | None) -> set[tuple]:
        if path is None:
            return _pyrudof(shapes, graph_triples, folder / "graph.nt")
        return _pyrudof(shapes, graph_triples | set(read_submission(path)), folder / f"{path.stem}.nt")
    return run


@pytest.fixture(scope="module")
def ours(dataset):
    """Our results on the graph (``None``) or for one corpus file, each computed once."""
    return functools.cache(lambda path: validate(dataset, [path] if path else None).results)


# --- the tests ------------------------------------------------------------------------------------

def test_every_property_shape_has_its_own_message(shapes):
    """What makes the mapping of pyrudof's blank-node source shapes to our node shapes unambiguous."""
    props = list(shapes.graph.objects(None, SH.property))
    assert props and all(len(list(shapes.graph.objects(p, SH.message))) == 1 for p in props)
    assert {m: held for m, held in shapes.by_message.items() if len(held) > 1} == {}


def test_pyrudof_gives_our_results_on_the_shipped_graph(rudof, ours):
    expected = _ours(ours(None))
    assert rudof(None) == expected
    assert len(expected) == 2  # the two justified warnings (tests/test_validate.py)
    assert {c.rsplit("#", 1)[1] for *_, c, _ in expected} == {"MinCountConstraintComponent", "SPARQLConstraintComponent"}


@pytest.mark.parametrize("path", COMPARED, ids=_name)
def test_pyrudof_gives_our_results_on_a_submission(rudof, ours, path):
    before, after = rudof(None), rudof(path)
    records = {t.subject.value for t in read_submission(path) if isinstance(t.subject, ox.NamedNode)}
    theirs = (after - before) | {r for r in after if r[0] in records}
    expected = _ours(ours(path))
    assert {"only pyrudof": theirs - expected, "only ours": expected - theirs} == {"only pyrudof": set(), "only ours": set()}
    if path.parent.name == "invalid":  # not a vacuous comparison
        assert any(r[3] == "Violation" for r in expected)


def test_the_cases_left_out_are_exactly_those_pyrudof_cannot_run(rudof, ours):
    """Each corpus file is compared above unless it is named in LEFT_OUT, and it is named there
    only for the reasons it gives, checked here: our validator refuses it, or pyrudof fails on it."""
    why: dict[str, set[str]] = {}
    for path in CASES:
        reasons = set()
        try:
            ours(path)
        except SubmissionRefused:
            reasons.add(REFUSED)
        try:
            rudof(path)  # run on every file (the compared ones are cached), so that no failure goes unnamed
        except pyrudof.ShaclError as error:
            assert "Parsing query error" in str(error) and "expected UNDEF" in str(error), error
            blank = [t for t in read_submission(path) if isinstance(t.subject, ox.BlankNode) and t.predicate.value == str(RDF.type)]
            assert blank, "pyrudof failed on a file without a blank-node record"
            reasons.add(BLANK_SPARQL)
        if reasons:
            why[_name(path)] = reasons
    assert why == LEFT_OUT
    assert {_name(p) for p in CASES if "refused: " in p.read_text()} == {n for n, r in LEFT_OUT.items() if REFUSED in r}
    assert len(COMPARED) == len(CASES) - len(LEFT_OUT) and len(COMPARED) >= 20

"""One set of shapes, several SHACL engines, the same results.

The default engine (:mod:`cybertreaty_kg.shacl`, compiled SHACL Core) must give exactly what
pySHACL, the reference implementation, gives: on the shipped graph and on every file of the
submission corpus, result by result (focus, path, node shape, severity, constraint component,
value, message, file and line)."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib

from cybertreaty_kg import load_dataset, shacl
from cybertreaty_kg.errors import CtkgError
from cybertreaty_kg.validate import SubmissionRefused, validate

CORPUS = Path(__file__).parent / "submissions"
CASES = sorted([*CORPUS.glob("*/*.ttl"), *CORPUS.glob("*/*.tsv")])


def _outcome(dataset, files: list[Path], engine: str):
    try:
        return validate(dataset, files or None, engine=engine).results
    except SubmissionRefused as refused:  # refused before any engine runs: the same refusal
        return str(refused)


@pytest.mark.parametrize("path", [None, *CASES], ids=lambda p: "shipped-graph" if p is None else f"{p.parent.name}/{p.name}")
def test_compiled_engine_gives_exactly_the_results_of_pyshacl(dataset, path):
    files = [path] if path else []
    ours, reference = _outcome(dataset, files, "compiled"), _outcome(dataset, files, "pyshacl")
    assert ours == reference
    if path is None:  # the shipped graph: the two justified warnings (tests/test_validate.py)
        assert len(ours) == 2


def test_an_unknown_engine_is_refused(dataset):
    with pytest.raises(CtkgError, match="unknown validation engine 'jena'; use one of compiled, pyshacl"):
        validate(dataset, engine="jena")


SHAPE = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ctkg: <https://w3id.org/cybertreaty-kg/ontology#> .
<urn:s> a sh:NodeShape ; sh:targetClass ctkg:Article ; sh:property [ sh:path {path} ; {constraint} ; sh:message "m" ] .
"""


@pytest.mark.parametrize("path, constraint", [
    ("ctkg:number", "sh:hasValue \"7\""),                      # a component the compiler does not implement
    ("( ctkg:partOf ctkg:number )", "sh:minCount 1"),          # a sequence path
    ("[ sh:inversePath ctkg:partOf ]", "sh:minCount 1"),       # an inverse path
    ("ctkg:number", "sh:in ( \"7\" \"8\" )"),                  # sh:in with literals
    ("ctkg:number", "sh:or ( [ sh:datatype ctkg:x ] [ sh:class ctkg:y ] )"),
], ids=["hasValue", "sequence-path", "inverse-path", "in-literals", "or-mixed"])
def test_a_feature_the_compiler_lacks_is_refused_not_skipped(path, constraint):
    graph = rdflib.Graph().parse(data=SHAPE.replace("{path}", path).replace("{constraint}", constraint), format="turtle")
    with pytest.raises(shacl.Unsupported):
        shacl.compile_shapes(graph)


def test_a_shape_without_a_message_is_refused():
    graph = rdflib.Graph().parse(data=SHAPE.replace("{path}", "ctkg:number").replace("{constraint}", "sh:minCount 1")
                                 .replace('; sh:message "m" ', ""), format="turtle")
    with pytest.raises(shacl.Unsupported, match="no sh:message"):
        shacl.compile_shapes(graph)


def test_validation_falls_back_to_pyshacl_for_a_shape_the_compiler_lacks(sources):
    """A new kind of constraint in shapes/ is run by pySHACL, never skipped: every article must
    here be article 7, which the compiler cannot express (sh:hasValue)."""
    (sources / "shapes" / "zz-has-value.ttl").write_text(
        SHAPE.replace("{path}", "ctkg:number").replace("{constraint}", 'sh:hasValue "7"')
        .replace("<urn:s>", "<https://w3id.org/cybertreaty-kg/shapes#SevenShape>"))
    dataset = load_dataset(sources)
    report = validate(dataset)
    seven = [r for r in report.results if r.shape.endswith("#SevenShape")]
    articles = {row["a"].value for row in dataset.query("SELECT ?a WHERE { ?a a ctkg:Article }")}
    sevens = {row["a"].value for row in dataset.query('SELECT ?a WHERE { ?a a ctkg:Article ; ctkg:number "7" }')}
    assert {r.focus for r in seven} == articles - sevens and len(seven) == len(articles - sevens) > 100
    assert {r.component for r in seven} == {"http://www.w3.org/ns/shacl#HasValueConstraintComponent"}

"""Build: every export parses back to the same graphs as the sources (checked with rdflib, an
independent parser, by graph isomorphism), the bytes are reproducible, and a failed build
leaves dist/ untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from cybertreaty_kg import build, load_dataset
from cybertreaty_kg.cli import main
from cybertreaty_kg.errors import BuildError
from cybertreaty_kg.sources import discover, parse
from cybertreaty_kg.derive import DERIVED_GRAPH
from cybertreaty_kg.namespaces import CTKG
from cybertreaty_kg.states import STATES_GRAPH
from cybertreaty_kg.structure import STRUCTURE_GRAPH

@pytest.fixture(scope="module")
def dist(tmp_path_factory, dataset) -> Path:
    out = tmp_path_factory.mktemp("build") / "dist"
    build(dataset, out)
    return out


@pytest.fixture(scope="module")
def source_graphs(root) -> dict[str, rdflib.Graph]:
    """Each source file, keyed by the graph IRI the build must give it: Turtle files parsed by
    rdflib (an independent parser); SSSOM tables through our reader, turned into rdflib terms."""
    graphs = {}
    for source in discover(root):
        if source.rel.endswith(".ttl"):
            graphs[source.graph] = rdflib.Graph().parse(source.path, format="turtle")
        else:
            graph = rdflib.Graph()
            for quad in parse(source):
                graph.add(tuple(_rdflib(t) for t in (quad.subject, quad.predicate, quad.object)))
            graphs[source.graph] = graph
    return graphs


def _rdflib(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):  # rdflib keeps plain literals untyped
        return rdflib.Literal(term.value)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_build_writes_every_format(dist):
    assert sorted(p.name for p in dist.iterdir()) == [
        "cybertreaty-kg.jsonld", "cybertreaty-kg.nq", "cybertreaty-kg.trig", "cybertreaty-kg.ttl", "void.ttl"]


@pytest.mark.parametrize(("name", "fmt"), [("cybertreaty-kg.trig", "trig"), ("cybertreaty-kg.nq", "nquads"),
                                           ("cybertreaty-kg.jsonld", "json-ld")])
def test_named_graph_exports_round_trip_to_the_sources(dist, source_graphs, name, fmt):
    exported = rdflib.Dataset()
    exported.parse(dist / name, format=fmt)
    graphs = {str(g.identifier): g for g in exported.graphs() if len(g)}
    assert graphs.pop(STATES_GRAPH)  # generated from pycountry, checked in test_parties.py
    assert graphs.pop(DERIVED_GRAPH)  # derived entries into force, checked in test_open_world.py
    assert graphs.pop(STRUCTURE_GRAPH)  # citations generated from the structure, checked in test_uncc.py
    assert sorted(graphs) == sorted(source_graphs)
    for iri, graph in graphs.items():
        assert isomorphic(graph, source_graphs[iri]), iri


def test_turtle_export_is_the_union_of_the_sources(dist, source_graphs):
    union = rdflib.Graph()
    for graph in source_graphs.values():
        union += graph
    exported = rdflib.Graph().parse(dist / "cybertreaty-kg.ttl", format="turtle")
    states = {s for s in exported.subjects() if str(s).startswith("https://w3id.org/cybertreaty-kg/id/state/")}
    derived = set(exported.subjects(rdflib.URIRef(CTKG + "derivedBy"), None))
    for subject in states | derived:
        exported.remove((subject, None, None))
    for generated in ("citation", "orderKey", "inArticle", "within", "citedFor"):
        exported.remove((None, rdflib.URIRef(CTKG + generated), None))
    assert isomorphic(exported, union)


def test_void_counts_triples_per_named_graph(dist, source_graphs):
    void = rdflib.Graph().parse(dist / "void.ttl", format="turtle")
    counts = {str(s): int(o) for s, o in void.subject_objects(rdflib.URIRef("http://rdfs.org/ns/void#triples"))}
    for iri, graph in source_graphs.items():
        assert counts[iri] == len(graph)
    generated = counts[STATES_GRAPH] + counts[DERIVED_GRAPH] + counts[STRUCTURE_GRAPH]
    assert counts["https://w3id.org/cybertreaty-kg/dataset"] == sum(len(g) for g in source_graphs.values()) + generated


def test_two_builds_give_the_same_bytes(tmp_path, root):
    build(load_dataset(root), tmp_path / "a")
    build(load_dataset(root), tmp_path / "b")
    assert _hashes(tmp_path / "a") == _hashes(tmp_path / "b")


def test_rebuild_replaces_a_previous_build(tmp_path, dataset):
    out = tmp_path / "dist"
    build(dataset, out)
    before = _hashes(out)
    build(dataset, out)
    assert _hashes(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["dist"]  # no staging folders left behind


def test_build_refuses_to_replace_a_folder_that_is_not_a_build(tmp_path, dataset):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(BuildError, match="not a previous build"):
        build(dataset, tmp_path)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_cli_build_from_another_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["build"]) == 0
    assert (tmp_path / "dist" / "cybertreaty-kg.trig").is_file()
    assert "triples in" in capsys.readouterr().out


def test_a_remote_query_names_every_graph_a_build_makes(dataset):
    """`--endpoint` queries a store loaded with `load`: its dataset must be every graph of the
    build, generated ones included, or remote answers lose citations and derived dates."""
    from cybertreaty_kg.remote import remote_engine

    assert remote_engine("http://127.0.0.1:1/query", dataset.root).graphs == sorted(dataset.counts)

"""OWL reasoning with HermiT (through owlready2): consistency, unsatisfiable classes and the
individuals that the defined classes classify.

owlready2 does not read Turtle, so the graphs are handed to it as N-Triples in a temporary file
(never kept in the repository). HermiT does not know ``xsd:date`` (it is not in the OWL 2
datatype map), but dates are the right type for treaty events, so we keep them in the data and
tell HermiT to ignore unsupported datatypes.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .dataset import Dataset
from .namespaces import CTKG, GRAPH


@dataclass
class ReasonResult:
    """What the reasoner concluded."""

    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    inferred: dict[str, list[str]] = field(default_factory=dict)  # defined class -> individuals
    explanation: str = ""


def _reasoned_graphs(dataset: Dataset) -> list[str]:
    """The ontology, the concept schemes and the instance data. Shapes are not OWL; the graphs
    the build derives (``…/graph/derived/``: citations, entries into force) only restate the
    sources by rule and would double HermiT's time (measured: 23 s without, 48 s with)."""
    return [g for g in sorted(dataset.counts) if not g.startswith((GRAPH + "shapes/", GRAPH + "derived/"))]


def _run_hermit(dataset: Dataset, graphs: list[str]) -> ReasonResult:
    import owlready2

    quads = [q for g in graphs for q in dataset.store.quads_for_pattern(None, None, None, ox.NamedNode(g))]
    triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in quads}, key=str)
    with tempfile.TemporaryDirectory(prefix="ctkg-reason-") as tmp:
        path = Path(tmp) / "dataset.nt"
        ox.serialize(triples, path, ox.RdfFormat.N_TRIPLES)
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ReasonResult(consistent=False)
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c.iri != "http://www.w3.org/2002/07/owl#Nothing")
        inferred: dict[str, list[str]] = {}
        for cls in world.classes():
            if cls.iri.startswith(CTKG) and cls.equivalent_to:
                inferred[cls.iri] = sorted(i.iri for i in cls.instances(world=world))
        world.close()
    return ReasonResult(consistent=True, unsatisfiable=unsatisfiable, inferred=inferred)


_CLASHES = """
SELECT DISTINCT ?graph ?subject ?detail WHERE {
  { GRAPH ?graph { ?subject a ?c1 } ?subject a ?c2 . { ?c1 owl:disjointWith ?c2 } UNION { ?c2 owl:disjointWith ?c1 }
    BIND (CONCAT("is typed both ", STR(?c1), " and ", STR(?c2), ", which the ontology declares disjoint") AS ?detail) }
  UNION
  { ?p a owl:FunctionalProperty . GRAPH ?graph { ?subject ?p ?v1 } ?subject ?p ?v2 . FILTER (?v1 != ?v2)
    BIND (CONCAT("has two values for functional property ", STR(?p)) AS ?detail) }
}
"""


def _explain(dataset: Dataset, graphs: list[str]) -> str:
    """Point at the cause: which data file makes the graph inconsistent, and the usual suspects
    in it (an individual in two disjoint classes, two values of a functional property)."""
    base = [g for g in graphs if g.startswith(GRAPH + "ontology/")]
    culprits = [g for g in graphs if g not in base and not _run_hermit(dataset, base + [g]).consistent]
    lines = []
    if not _run_hermit(dataset, base).consistent:
        lines.append("the ontology and concept schemes alone are inconsistent")
    elif not culprits:
        lines.append("no single data file is inconsistent with the ontology; the clash is between files")
    for graph in culprits:
        source = dataset.source_for(graph)
        lines.append(f"{source.rel if source else graph} is inconsistent with the ontology")
    for row in dataset.query(_CLASHES):
        source = dataset.source_for(row["graph"].value)
        where = f"{source.rel}:{source.locate(row['subject'].value) or '?'}" if source else row["graph"].value
        lines.append(f"{where}: {row['subject'].value} {row['detail'].value}")
    return "\n".join(lines)


def reason(dataset: Dataset) -> ReasonResult:
    """Run HermiT over ontology, concepts and data; explain an inconsistency when there is one."""
    graphs = _reasoned_graphs(dataset)
    result = _run_hermit(dataset, graphs)
    if not result.consistent:
        result.explanation = _explain(dataset, graphs)
    return result

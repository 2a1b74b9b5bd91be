"""Serialise a dataset: TriG and N-Quads (named graphs kept), Turtle (union), JSON-LD, and a
VoID/DCAT description. Every writer takes sorted input, so the bytes depend only on the sources.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from .dataset import Dataset
from .namespaces import DATASET, GRAPH, ID, PREFIXES

RDF = PREFIXES["rdf"]
DCT = PREFIXES["dcterms"]
VOID = PREFIXES["void"]
DCAT = PREFIXES["dcat"]
XSD = PREFIXES["xsd"]
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

FILES: dict[str, tuple[ox.RdfFormat, str]] = {
    "cybertreaty-kg.trig": (ox.RdfFormat.TRIG, "application/trig"),
    "cybertreaty-kg.nq": (ox.RdfFormat.N_QUADS, "application/n-quads"),
    "cybertreaty-kg.ttl": (ox.RdfFormat.TURTLE, "text/turtle"),
    "cybertreaty-kg.jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
}
"""Export file name -> (format, media type). The Turtle file is the union of all graphs."""

VOID_FILE = "void.ttl"
VOID_GRAPH = GRAPH + "void"
"""The named graph that ``load`` puts the VoID description in, so a store user can query the layout."""


def graph_role(graph: str) -> tuple[str, str | None]:
    """What a named graph holds, for people, and the resource it is about (``void:rootResource``).
    The layout is a contract: one graph per source file, named after its path."""
    path = graph[len(GRAPH):] if graph.startswith(GRAPH) else graph
    folder, _, name = path.rpartition("/")
    if path == "ontology/cybertreaty":
        return "The OWL ontology (classes and properties)", PREFIXES["ctkg"].rstrip("#")
    roles = {
        "ontology/concepts": (f"Concept scheme '{name}'", f"{ID}concept/{name}"),
        "data/instruments": (f"Instrument '{name}': its structure, articles and what each addresses", f"{ID}instrument/{name}"),
        "data/mappings": (f"Crosswalk '{name}': reviewed article-to-article mappings (SSSOM)", f"{ID}mapping/{name}"),
        "data/submissions": (f"Accepted submission '{name}'", None),
        "shapes": (f"SHACL shapes ({name})", None),
    }
    if folder == "data/parties":
        if name == "states":
            return "Every State of ISO 3166-1 (from pycountry), party or not", None
        return f"Participation records (signatures, consents, entries into force) for '{name}'", f"{ID}instrument/{name}"
    if path == "derived/entry-into-force":
        return ("Entries into force for parties that no source records, derived from each instrument's rules "
                "and the recorded consents (each marked ctkg:derivedBy)"), None
    if path == "derived/structure":
        return "How each article, paragraph and item is cited (ctkg:citation), its article and its text order, generated from ctkg:partOf", None
    if path == "data/organisations":
        return "Organisations and depositary offices", None
    return roles.get(folder, (path, None))


def _union(quads: list[ox.Quad]) -> list[ox.Triple]:
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _lit(value: object, datatype: str | None = None) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(str(value))


def describe(dataset: Dataset, version: str) -> list[ox.Triple]:
    """The VoID/DCAT description: what a store user needs to trust and navigate the dump."""
    ds = ox.NamedNode(DATASET)
    a = ox.NamedNode(RDF + "type")

    def t(s, p, o):
        return ox.Triple(s, ox.NamedNode(p), o)

    triples = [
        ox.Triple(ds, a, ox.NamedNode(VOID + "Dataset")),
        ox.Triple(ds, a, ox.NamedNode(DCAT + "Dataset")),
        t(ds, DCT + "title", ox.Literal("cybertreaty-kg: a legal knowledge graph of cybercrime treaties", language="en")),
        t(ds, DCT + "license", ox.NamedNode(LICENSE)),
        t(ds, DCAT + "version", _lit(version)),
        t(ds, VOID + "triples", _lit(dataset.triples, XSD + "integer")),
        t(ds, VOID + "uriSpace", _lit("https://w3id.org/cybertreaty-kg/id/")),
        t(ds, VOID + "vocabulary", ox.NamedNode(PREFIXES["ctkg"])),
    ]
    for graph, count in sorted(dataset.counts.items()):
        node = ox.NamedNode(graph)
        triples += [
            t(ds, VOID + "subset", node),
            ox.Triple(node, a, ox.NamedNode(VOID + "Dataset")),
            t(node, VOID + "triples", _lit(count, XSD + "integer")),
            t(node, DCT + "source", _lit(dataset.describe_graph(graph))),
        ]
        title, root = graph_role(graph)
        triples.append(t(node, DCT + "title", ox.Literal(title, language="en")))
        if root:
            triples.append(t(node, VOID + "rootResource", ox.NamedNode(root)))
    for row in dataset.query("SELECT DISTINCT ?source WHERE { ?s dcterms:source ?source FILTER isIRI(?source) }"):
        triples.append(t(ds, DCT + "source", row["source"]))
    for name, (_, media) in FILES.items():
        dist = ox.NamedNode(f"{DATASET}/{name}")
        triples += [
            t(ds, DCAT + "distribution", dist),
            ox.Triple(dist, a, ox.NamedNode(DCAT + "Distribution")),
            t(dist, DCAT + "mediaType", _lit(media)),
            t(dist, DCT + "title", _lit(name)),
        ]
    return sorted(set(triples), key=lambda x: (str(x.subject), str(x.predicate), str(x.object)))


def write_exports(dataset: Dataset, out: Path, version: str, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write every export into ``out`` (an existing, empty folder) and return the paths."""
    quads = dataset.quads()
    written = []
    for name, (fmt, _) in FILES.items():
        if progress:
            progress(name)
        data = _union(quads) if fmt == ox.RdfFormat.TURTLE else quads
        path = out / name
        ox.serialize(data, path, fmt, prefixes=PREFIXES)
        written.append(path)
    if progress:
        progress(VOID_FILE)
    ox.serialize(describe(dataset, version), out / VOID_FILE, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    written.append(out / VOID_FILE)
    return written

"""IRIs of the project (a contract with users: see DESIGN.md) and the prefixes used in output."""

from __future__ import annotations

BASE = "https://w3id.org/cybertreaty-kg/"
CTKG = BASE + "ontology#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
DATASET = BASE + "dataset"

PREFIXES: dict[str, str] = {
    "ctkg": CTKG,
    "ctkg-id": ID,
    "dcat": "http://www.w3.org/ns/dcat#",
    "dcterms": "http://purl.org/dc/terms/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "void": "http://rdfs.org/ns/void#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}

XSD = PREFIXES["xsd"]


def instrument_iri(instrument_id: str) -> str:
    """IRI of an instrument from its short id (``uncc`` → ``…/id/instrument/uncc``)."""
    return f"{ID}instrument/{instrument_id}"


def short_id(iri: str) -> str:
    """The short id users see in tables: the last path segment of one of our IRIs."""
    for base in (ID, CTKG):
        if iri.startswith(base):
            return iri[len(base):].rsplit("/", 1)[-1]
    return iri

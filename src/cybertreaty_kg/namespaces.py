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

# Prefixes for our own id space, so that a query names a thing without escaping the "/" that
# SPARQL forbids in a prefixed name's local part (``ctkg-id:instrument/uncc`` is a syntax error):
# ``inst:uncc``, ``state:JPN``, ``org:coe``, ``offence:illegal-access``, and, per instrument,
# ``uncc-art:41`` (see :func:`query_prefixes`). Declared for every query; a query may redeclare them.
SCHEMES = ("capacity", "cooperation", "final-clause", "general", "modality", "offence", "procedure", "safeguard",
           "scope", "verification")
ID_PREFIXES: dict[str, str] = {
    "inst": ID + "instrument/",
    "mapping": ID + "mapping/",
    "org": ID + "org/",
    "state": ID + "state/",
    **{scheme: f"{ID}concept/{scheme}/" for scheme in SCHEMES},
}


def query_prefixes(instrument_ids: list[str] | tuple[str, ...] = ()) -> dict[str, str]:
    """Every prefix a query gets predeclared: the vocabularies, our id space, and ``ID-art:`` for
    the articles of each instrument given (``uncc-art:41`` is ``…/instrument/uncc/art/41``)."""
    return {**PREFIXES, **ID_PREFIXES, **{f"{i}-art": f"{ID}instrument/{i}/art/" for i in sorted(instrument_ids)}}


def instrument_iri(instrument_id: str) -> str:
    """IRI of an instrument from its short id (``uncc`` → ``…/id/instrument/uncc``)."""
    return f"{ID}instrument/{instrument_id}"


def short_id(iri: str) -> str:
    """The short id users see in tables: the last path segment of one of our IRIs."""
    for base in (ID, CTKG):
        if iri.startswith(base):
            return iri[len(base):].rsplit("/", 1)[-1]
    return iri

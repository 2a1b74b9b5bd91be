"""Article-to-article crosswalks kept as SSSOM tables (``data/mappings/*.sssom.tsv``), the OBO
community's standard for mappings: a YAML header (``#``-prefixed) with the CURIE map and set
metadata, then one row per mapping with its predicate and justification.

Each row becomes two things in the graph: the mapping triple itself (``uncc:art/25
skos:closeMatch budapest:art/16``), so that queries can follow it like any other link, and a
mapping record carrying the justification, author and comment, so that every crosswalk claim
stays traceable.
"""

from __future__ import annotations

import csv
import io

import pyoxigraph as ox
import yaml

from .errors import SourceError
from .namespaces import CTKG, ID, PREFIXES

SKOS = PREFIXES["skos"]
PREDICATES = {f"skos:{p}": SKOS + p for p in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch")}
REQUIRED = ("subject_id", "predicate_id", "object_id", "mapping_justification", "author_label")
RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")


def _expand(curie: str, curie_map: dict[str, str], file: str, line: int, column: str) -> str:
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in curie_map:
        raise SourceError(file, line, f"{column} '{curie}' uses a prefix that the curie_map does not declare")
    return curie_map[prefix] + local


def parse_sssom(path, rel: str, graph: ox.NamedNode) -> list[ox.Quad]:
    """Read one SSSOM table into quads in ``graph``, or raise :class:`SourceError` naming the line."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    header_lines = [line[1:] for line in lines if line.startswith("#")]
    try:
        meta = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SourceError(rel, mark.line + 1 if mark else None, f"the YAML header does not parse: {error}") from None
    curie_map = {**meta.get("curie_map", {})}
    set_id = meta.get("mapping_set_id", "")
    if not set_id.startswith(ID + "mapping/"):
        raise SourceError(rel, 1, f"mapping_set_id must be an IRI under {ID}mapping/")
    first_row = len(header_lines) + 1
    body = "\n".join(lines[len(header_lines):])
    reader = csv.DictReader(io.StringIO(body), delimiter="\t")
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise SourceError(rel, first_row, f"missing column(s): {', '.join(missing)}")
    mapping_set = ox.NamedNode(set_id)
    quads = [ox.Quad(mapping_set, RDF_TYPE, ox.NamedNode(CTKG + "MappingSet"), graph)]
    for key, predicate in (("mapping_set_description", CTKG + "description"), ("license", PREFIXES["dcterms"] + "license")):
        if key in meta:
            value = ox.NamedNode(meta[key]) if key == "license" else ox.Literal(meta[key], language="en")
            quads.append(ox.Quad(mapping_set, ox.NamedNode(predicate if key == "license" else PREFIXES["dcterms"] + "description"), value, graph))
    for number, row in enumerate(reader, first_row + 1):
        if any(not (row.get(c) or "").strip() for c in REQUIRED):
            raise SourceError(rel, number, "every row needs subject_id, predicate_id, object_id, mapping_justification and author_label")
        if row["predicate_id"] not in PREDICATES:
            raise SourceError(rel, number, f"predicate_id '{row['predicate_id']}' is not one of {', '.join(sorted(PREDICATES))}")
        subject = ox.NamedNode(_expand(row["subject_id"], curie_map, rel, number, "subject_id"))
        obj = ox.NamedNode(_expand(row["object_id"], curie_map, rel, number, "object_id"))
        predicate = ox.NamedNode(PREDICATES[row["predicate_id"]])
        record = ox.NamedNode(f"{set_id}/{row['subject_id'].replace(':', '-')}--{row['object_id'].replace(':', '-')}")
        justification = ox.NamedNode(_expand(row["mapping_justification"], curie_map, rel, number, "mapping_justification"))
        quads += [
            ox.Quad(subject, predicate, obj, graph),
            ox.Quad(record, RDF_TYPE, ox.NamedNode(CTKG + "ArticleMapping"), graph),
            ox.Quad(record, ox.NamedNode(CTKG + "inMappingSet"), mapping_set, graph),
            ox.Quad(record, ox.NamedNode(CTKG + "mappingSubject"), subject, graph),
            ox.Quad(record, ox.NamedNode(CTKG + "mappingPredicate"), predicate, graph),
            ox.Quad(record, ox.NamedNode(CTKG + "mappingObject"), obj, graph),
            ox.Quad(record, ox.NamedNode(CTKG + "mappingJustification"), justification, graph),
            ox.Quad(record, ox.NamedNode(PREFIXES["dcterms"] + "creator"), ox.Literal(row["author_label"]), graph),
        ]
        if (row.get("comment") or "").strip():
            quads.append(ox.Quad(record, ox.NamedNode(PREFIXES["rdfs"] + "comment"), ox.Literal(row["comment"].strip(), language="en"), graph))
    return quads

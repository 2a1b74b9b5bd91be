"""Query answers as people and programs read them: a rich table, CSV, JSON or Markdown.

DESIGN.md's contract: in CSV and table output, identifiers are the short ids (``uncc``,
``illegal-access``, ``VNM``), not IRIs; JSON output carries both, so a script can follow the IRI.
Ad hoc results, whose IRIs may be anyone's, are shown with the predeclared prefixes instead.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from rich.table import Table as RichTable

from .engines import Term
from .namespaces import BASE, query_prefixes, short_id


def short(term: Term | None) -> str:
    """A cell for tables and CSV: the short id of one of our IRIs, or the literal's text."""
    if term is None:
        return ""
    return short_id(term.value) if term.kind == "iri" and term.value.startswith(BASE) else term.value


def compact(term: Term | None) -> str:
    """A cell for ad hoc results: an IRI as a prefixed name where a predeclared prefix fits
    (``safeguard:dual-criminality``, ``inst:uncc``), so it can be pasted back into a query."""
    if term is None:
        return ""
    if term.kind == "iri":
        for prefix, namespace in sorted(query_prefixes().items(), key=lambda kv: -len(kv[1])):
            local = term.value[len(namespace):]
            if term.value.startswith(namespace) and local and all(c.isalnum() or c in "-_." for c in local):
                return f"{prefix}:{local}"
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value


def json_cell(term: Term | None) -> object:
    """A JSON value: ``{"id": …, "iri": …}`` for an IRI, a number, boolean or string for a literal."""
    if term is None:
        return None
    if term.kind == "iri":
        return {"id": short_id(term.value), "iri": term.value}
    return term.python()


def _rdf(triples: Sequence[tuple[Term, Term, Term]], fmt) -> str:
    import pyoxigraph as ox

    def node(term: Term):
        if term.kind == "iri":
            return ox.NamedNode(term.value)
        if term.kind == "bnode":
            return ox.BlankNode(term.value)
        if term.language:
            return ox.Literal(term.value, language=term.language)
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))

    ordered = sorted((ox.Triple(node(s), node(p), node(o)) for s, p, o in triples), key=str)
    return ox.serialize(ordered, format=fmt, prefixes=query_prefixes()).decode()


def to_turtle(triples: Sequence[tuple[Term, Term, Term]]) -> str:
    """Triples of an answer as Turtle, in a stable order, with the predeclared prefixes."""
    import pyoxigraph as ox

    return _rdf(triples, ox.RdfFormat.TURTLE)


def to_jsonld(triples: Sequence[tuple[Term, Term, Term]]) -> str:
    """The same triples as JSON-LD (expanded form: full IRIs, no context to fetch), stable order."""
    import pyoxigraph as ox

    return _rdf(triples, ox.RdfFormat.JSON_LD)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def to_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def to_markdown(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub/Pandoc pipe table; pipes inside cells are escaped."""
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"
    return "\n".join([line(columns), line(["---"] * len(columns)), *(line(r) for r in rows)]) + "\n"


def to_rich(columns: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> RichTable:
    table = RichTable(*columns, title=title)
    for column in table.columns:
        column.overflow = "fold"
    for row in rows:
        table.add_row(*row)
    return table

"""Members of organisations over time, kept as tables (``data/memberships/{org}.tsv``): one row
per member State with the date it joined and, where its membership ended, the date it ended.

They let a query ask who, among an organisation's members on a date, is not bound by an
instrument ("which African Union members are not bound by Malabo", "which Council of Europe
members have not ratified CETS 224"). States come from ISO 3166 (pycountry); only the
membership facts are ours, each with its source. A joining date no source gave stays empty: the
State is then known to be a member on the table's as-of date, and on earlier dates "not recorded".
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from .errors import SourceError
from .namespaces import CTKG, GRAPH, ID, PREFIXES
from .participation import date_literal, parse_date, parse_sources, party_iri, record_set_quads
from .tables import read_table

COLUMNS = ("member", "from", "until", "source", "note")
REQUIRED = ("member", "from", "until", "source")
_DCT, _SKOS = PREFIXES["dcterms"], PREFIXES["skos"]


def records_iri(organisation: str) -> str:
    return f"{ID}org/{organisation}/members"


def _membership_iri(organisation: str, member: str) -> str:
    return f"{ID}org/{organisation}/member/{member}"


def parse_memberships(path: Path, rel: str, graph: ox.NamedNode) -> list[ox.Quad]:
    """One membership table -> quads in ``graph``, or :class:`SourceError` with file and line."""
    table = read_table(path, rel, REQUIRED, COLUMNS)
    meta = table.meta
    organisation = str(meta.get("organisation") or "")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", organisation) or Path(rel).name.removesuffix(".tsv") != organisation:
        raise SourceError(rel, 1, "the header needs 'organisation: CODE', the code of an organisation in data/organisations.ttl, "
                                  "and the file must be named CODE.tsv")
    for key in ("as_of", "complete", "source", "title", "modified"):
        if key not in meta:
            raise SourceError(rel, 1, f"the header needs '{key}' (see data/memberships/README.md)")
    if not isinstance(meta["complete"], bool):
        raise SourceError(rel, 1, "complete must be true (the source lists every member) or false")
    as_of = parse_date(str(meta["as_of"]), rel, 1, "as_of")
    org = ox.NamedNode(f"{ID}org/{organisation}")
    records = ox.NamedNode(records_iri(organisation))
    quads: list[ox.Quad] = []

    def add(subject: ox.NamedNode, predicate: str, value: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(subject, ox.NamedNode(predicate), value, graph))

    quads += record_set_quads(graph, records, "MembershipRecordSet", meta, rel)
    add(org, CTKG + "membershipRecords", records)
    add(records, CTKG + "organisationRecorded", org)
    default_source = str(meta["source"])
    seen: dict[str, int] = {}
    for line, row in table.rows:
        code = row["member"]
        member = party_iri(code, rel, line)
        if code in seen:
            raise SourceError(rel, line, f"{code} is already listed on line {seen[code]}; keep one row per member")
        seen[code] = line
        start = parse_date(row["from"], rel, line, "from") if row["from"] else None
        end = parse_date(row["until"], rel, line, "until") if row["until"] else None
        if start is None and not row.get("note"):
            raise SourceError(rel, line, "'from' is empty: say in 'note' that the joining date is not recorded")
        for day, column in ((start, "from"), (end, "until")):
            if day is not None and day.earliest > as_of.latest:
                raise SourceError(rel, line, f"{column} {day} is after the table's as_of {as_of}")
        if start is not None and end is not None and end.latest < start.earliest:
            raise SourceError(rel, line, f"until {end} is before from {start}")
        node = ox.NamedNode(_membership_iri(organisation, code))
        add(node, PREFIXES["rdf"] + "type", ox.NamedNode(CTKG + "Membership"))
        add(node, CTKG + "memberOf", org)
        add(node, CTKG + "member", ox.NamedNode(member))
        add(node, CTKG + "inMembershipRecords", records)
        if start is not None:
            add(node, CTKG + "memberFrom", date_literal(start))
        if end is not None:
            add(node, CTKG + "memberUntil", date_literal(end))
        for source in parse_sources(row["source"] or default_source, rel, line):
            add(node, _DCT + "source", source)
        if row.get("note"):
            add(node, _SKOS + "scopeNote", ox.Literal(row["note"], language="en"))
    return quads


def record_lines(path: Path, rel: str) -> dict[str, int]:
    """Each membership's IRI -> the line of its row."""
    table = read_table(path, rel, REQUIRED, COLUMNS)
    organisation = str(table.meta.get("organisation") or "")
    found = {records_iri(organisation): 1, GRAPH + rel.removesuffix(".tsv"): 1}
    for line, row in table.rows:
        found.setdefault(_membership_iri(organisation, row["member"]), line)
    return found

"""Participation kept as tables (``data/parties/{instrument}.tsv``): one row per signature,
consent, entry into force, invitation, reservation, declaration or notification, as a depositary
chart prints it; the record set's metadata (as-of date, complete or partial, the totals the
depositary reported) in the ``#`` YAML header. The build turns each table into RDF, as it does
the SSSOM crosswalks, so that a researcher who copies a row from the UN Treaty Collection or the
Council of Europe chart edits a table and never writes Turtle.

The columns and event kinds are documented in ``data/parties/README.md``. Everything that can be
checked on one row is checked here, with the line: the party code (ISO 3166-1 alpha-3, or
``org:`` and an organisation code), the event kind, the dates (a day, a month or a year as
printed; never padded), a date after the as-of date, a row recorded twice. Rules across records
(consent after signature, events after the instrument opened, entry into force after consent)
are the SHACL rules and hygiene checks every source passes; they name the row's line too
(:func:`record_lines`).
"""

from __future__ import annotations

import re
from pathlib import Path

import pycountry
import pyoxigraph as ox

from .dates import PartialDate
from .errors import CtkgError, SourceError
from .namespaces import CTKG, GRAPH, ID, PREFIXES
from .tables import Table, read_table

EVENTS = {
    "signature": "Signature",
    "ratification": "Ratification",
    "acceptance": "Acceptance",
    "approval": "Approval",
    "accession": "Accession",
    "succession": "Succession",
    "entry-into-force": "EntryIntoForceForParty",
    "denunciation": "Denunciation",
    "invitation-to-accede": "InvitationToAccede",
    "reservation": "Reservation",
    "declaration": "Declaration",
    "notification": "Notification",
}
"""Event column value -> ontology class (local name)."""
STATEMENTS = ("reservation", "declaration", "notification")
COLUMNS = ("party", "event", "date", "deposit_date", "place", "under", "concerns", "marks", "source", "note")
REQUIRED = ("party", "event", "date", "source")
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

_RDF_TYPE = ox.NamedNode(PREFIXES["rdf"] + "type")
_DCT, _SKOS, _PROV, _XSD = PREFIXES["dcterms"], PREFIXES["skos"], PREFIXES["prov"], PREFIXES["xsd"]
_ISO3 = re.compile(r"[A-Z]{3}")
_ORG = re.compile(r"org:([a-z0-9]+(?:-[a-z0-9]+)*)")
_ARTICLE = re.compile(r"(?:art(?:icle)?\.?\s*)?(\d+[a-z]*)((?:\([0-9a-z]+\))*)", re.IGNORECASE)
_GROUP = re.compile(r"([a-z]+(?: [a-z]+)*) para\.? ?(\d+)")


def record_set_iri(instrument: str) -> str:
    return f"{ID}instrument/{instrument}/participation"


def party_iri(code: str, rel: str, line: int) -> str:
    """``VNM`` -> the state's IRI; ``org:eu`` -> the organisation's; anything else is refused."""
    if _ISO3.fullmatch(code):
        if pycountry.countries.get(alpha_3=code) is None:
            raise SourceError(rel, line, f"party '{code}' is not an ISO 3166-1 alpha-3 code; write the State's code (e.g. VNM for Viet Nam)")
        return f"{ID}state/{code}"
    match = _ORG.fullmatch(code)
    if match:
        return f"{ID}org/{match.group(1)}"
    raise SourceError(rel, line, f"party '{code}' is neither an ISO 3166-1 alpha-3 code (e.g. VNM) nor an organisation (org:eu)")


def provision_iri(instrument: str, citation: str, rel: str, line: int, column: str) -> str:
    """A provision cited as printed -> its IRI: ``41`` -> art/41, ``24(7)`` -> art/24/para/7,
    ``42(1)(c)`` -> art/42/para/1/item/c, ``final provisions para. 6`` -> final-provisions/para/6."""
    base = f"{ID}instrument/{instrument}"
    text = citation.strip()
    match = _ARTICLE.fullmatch(text)
    if match:
        parts = re.findall(r"\(([0-9a-z]+)\)", match.group(2))
        if len(parts) > 2:
            raise SourceError(rel, line, f"{column} '{citation}' is cited deeper than article(paragraph)(item)")
        iri = f"{base}/art/{match.group(1)}"
        for level, part in zip(("para", "item"), parts):
            iri += f"/{level}/{part}"
        return iri
    match = _GROUP.fullmatch(text)
    if match:
        return f"{base}/{match.group(1).replace(' ', '-')}/para/{match.group(2)}"
    raise SourceError(rel, line, f"{column} '{citation}' is not a citation; write it as printed: 41, 24(7), 42(1)(c) "
                                 "or 'final provisions para. 6'")


def parse_date(text: str, rel: str, line: int, column: str) -> PartialDate:
    try:
        return PartialDate.parse(text)
    except CtkgError as error:
        raise SourceError(rel, line, f"{column}: {error}") from None


def date_literal(day: PartialDate) -> ox.Literal:
    return ox.Literal(str(day), datatype=ox.NamedNode(day.datatype))


def parse_sources(text: str, rel: str, line: int) -> list[ox.NamedNode]:
    sources = text.split()
    for source in sources:
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", source):
            raise SourceError(rel, line, f"source '{source}' is not an http(s) address; give the page the row was read in")
    return [ox.NamedNode(s) for s in sources]


def _slug(citation: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", citation.lower()).strip("-")


def _event_iri(instrument: str, code: str, event: str, under: str) -> str:
    local = code.removeprefix("org:")
    suffix = f"-{_slug(under)}" if event in STATEMENTS else ""
    return f"{record_set_iri(instrument)}/{local}-{event}{suffix}"


def _instrument_of(table: Table, rel: str, submission: bool) -> str:
    instrument = str(table.meta.get("instrument") or "")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", instrument):
        raise SourceError(rel, 1, "the header needs 'instrument: ID' (the instrument's short id, e.g. budapest)")
    stem = Path(rel).name.removesuffix(".tsv")
    if not submission and stem != instrument:
        raise SourceError(rel, 1, f"the header names instrument '{instrument}' but the file is {stem}.tsv; one table per instrument, named by its id")
    return instrument


def _rows(table: Table, rel: str, instrument: str, default_source: str, as_of: PartialDate | None):
    """Each row checked on its own, with its record IRI."""
    seen: dict[str, int] = {}
    for line, row in table.rows:
        event = row["event"]
        if event not in EVENTS:
            raise SourceError(rel, line, f"event '{event}' is not one of: {', '.join(EVENTS)}")
        party = party_iri(row["party"], rel, line)
        if event in STATEMENTS and not row.get("under"):
            raise SourceError(rel, line, f"a {event} needs 'under': the article or paragraph that permits it, e.g. 24(7)")
        if event not in STATEMENTS and (row.get("under") or row.get("concerns")):
            raise SourceError(rel, line, "'under' and 'concerns' are for reservations, declarations and notifications only")
        iri = _event_iri(instrument, row["party"], event, row.get("under", ""))
        if iri in seen:
            raise SourceError(rel, line, f"{row['party']} {event}{' under ' + row['under'] if event in STATEMENTS else ''} "
                                         f"is already recorded on line {seen[iri]}; keep one row")
        seen[iri] = line
        day = parse_date(row["date"], rel, line, "date") if row["date"] else None
        if day is None and not row.get("note"):
            raise SourceError(rel, line, "the date is empty: say in 'note' that the date is not recorded (and what the source shows)")
        if day is not None and as_of is not None and day.earliest > as_of.latest:
            raise SourceError(rel, line, f"date {day} is after the table's as_of {as_of}; correct the date or the as_of")
        deposit = parse_date(row["deposit_date"], rel, line, "deposit_date") if row.get("deposit_date") else None
        if deposit is not None and as_of is not None and deposit.earliest > as_of.latest:
            raise SourceError(rel, line, f"deposit_date {deposit} is after the table's as_of {as_of}")
        if deposit is not None and day is not None and deposit.latest < day.earliest:
            raise SourceError(rel, line, f"deposit_date {deposit} is before the act's date {day}; check the two dates")
        sources = parse_sources(row["source"] or default_source, rel, line)
        if not sources:
            raise SourceError(rel, line, "no source: fill 'source', or give the header a 'source' that the row was read in")
        yield line, row, ox.NamedNode(iri), ox.NamedNode(party), day, deposit, sources


def _meta_date(meta: dict, key: str, rel: str) -> PartialDate | None:
    value = meta.get(key)
    if value is None:
        return None
    return parse_date(str(value), rel, 1, key)


def _reported_totals(meta: dict, rel: str, record_set: ox.NamedNode, graph: ox.NamedNode) -> list[ox.Quad]:
    quads = []
    totals = meta.get("reported_totals") or []
    if not isinstance(totals, list):
        raise SourceError(rel, 1, "reported_totals must be a list of entries (date, parties / signatories / signatories_not_parties, source)")
    for total in totals:
        if not isinstance(total, dict) or "date" not in total or "source" not in total:
            raise SourceError(rel, 1, "each reported total needs 'date' (the day it was reported for) and 'source'")
        on = parse_date(str(total["date"]), rel, 1, "reported_totals date")
        node = ox.NamedNode(f"{record_set.value}/reported/{on}")
        quads += [ox.Quad(record_set, ox.NamedNode(CTKG + "reportedTotal"), node, graph),
                  ox.Quad(node, _RDF_TYPE, ox.NamedNode(CTKG + "ReportedTotal"), graph),
                  ox.Quad(node, ox.NamedNode(CTKG + "reportedOn"), date_literal(on), graph)]
        counted = False
        for key, prop in (("parties", "reportedParties"), ("signatories", "reportedSignatories"),
                          ("signatories_not_parties", "reportedSignatoriesNotParties")):
            if key in total:
                if not isinstance(total[key], int) or isinstance(total[key], bool) or total[key] < 0:
                    raise SourceError(rel, 1, f"reported total of {on}: {key} must be a whole number")
                quads.append(ox.Quad(node, ox.NamedNode(CTKG + prop), ox.Literal(str(total[key]), datatype=ox.NamedNode(_XSD + "integer")), graph))
                counted = True
        if not counted:
            raise SourceError(rel, 1, f"reported total of {on} gives no count (parties, signatories or signatories_not_parties)")
        quads += [ox.Quad(node, ox.NamedNode(_DCT + "source"), s, graph) for s in parse_sources(str(total["source"]), rel, 1)]
        if total.get("note"):
            quads.append(ox.Quad(node, ox.NamedNode(_SKOS + "scopeNote"), ox.Literal(str(total["note"]), language="en"), graph))
    return quads


def record_set_quads(graph: ox.NamedNode, record_set: ox.NamedNode, kind: str, meta: dict, rel: str) -> list[ox.Quad]:
    """The header of a table as RDF: the graph's metadata (title, licence, date) and the record
    set's as-of date, completeness, sources, the copies read and its scope note. Shared by the
    participation and membership tables, whose headers say the same things."""
    as_of = parse_date(str(meta["as_of"]), rel, 1, "as_of")
    quads: list[ox.Quad] = []

    def add(subject: ox.NamedNode, predicate: str, value: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(subject, ox.NamedNode(predicate), value, graph))

    add(graph, CTKG + "maturity", ox.Literal("Provisional"))
    add(graph, _DCT + "creator", ox.Literal("cybertreaty-kg contributors"))
    add(graph, _DCT + "license", ox.NamedNode(LICENSE))
    add(graph, _DCT + "modified", date_literal(parse_date(str(meta["modified"]), rel, 1, "modified")))
    add(graph, _DCT + "title", ox.Literal(str(meta["title"]), language="en"))
    add(record_set, PREFIXES["rdf"] + "type", ox.NamedNode(CTKG + kind))
    add(record_set, CTKG + "asOf", date_literal(as_of))
    add(record_set, CTKG + "complete", ox.Literal("true" if meta["complete"] else "false", datatype=ox.NamedNode(_XSD + "boolean")))
    for source in parse_sources(str(meta["source"]), rel, 1):
        add(record_set, _DCT + "source", source)
    derived = meta.get("derived_from") or []
    for copy in parse_sources(" ".join(derived) if isinstance(derived, list) else str(derived), rel, 1):
        add(record_set, _PROV + "wasDerivedFrom", copy)
    if meta.get("scope_note"):
        add(record_set, _SKOS + "scopeNote", ox.Literal(" ".join(str(meta["scope_note"]).split()), language="en"))
    return quads


def parse_participation(path: Path, rel: str, graph: ox.NamedNode, *, submission: bool = False) -> list[ox.Quad]:
    """One participation table -> quads in ``graph``, or :class:`SourceError` with file and line.

    A source table (``submission`` false) describes its record set in full: as_of, complete,
    source, title and modified are required. A submitted table adds rows to the record set the
    graph holds for its instrument, so its header needs only ``instrument``."""
    table = read_table(path, rel, REQUIRED, COLUMNS)
    meta = table.meta
    instrument = _instrument_of(table, rel, submission)
    if not submission:
        for key in ("as_of", "complete", "source", "title", "modified"):
            if key not in meta:
                raise SourceError(rel, 1, f"the header needs '{key}' (see data/parties/README.md)")
        if not isinstance(meta["complete"], bool):
            raise SourceError(rel, 1, "complete must be true (every event up to as_of is in the table) or false")
    as_of = _meta_date(meta, "as_of", rel)
    default_source = str(meta.get("source") or "")
    inst = ox.NamedNode(f"{ID}instrument/{instrument}")
    record_set = ox.NamedNode(record_set_iri(instrument))
    quads: list[ox.Quad] = []

    def add(subject: ox.NamedNode, predicate: str, value: ox.NamedNode | ox.Literal) -> None:
        quads.append(ox.Quad(subject, ox.NamedNode(predicate), value, graph))

    if not submission:
        quads += record_set_quads(graph, record_set, "ParticipationRecordSet", meta, rel)
        add(inst, CTKG + "recordSet", record_set)
        add(record_set, CTKG + "instrument", inst)
        quads += _reported_totals(meta, rel, record_set, graph)
    for line, row, event, party, day, deposit, sources in _rows(table, rel, instrument, default_source, as_of):
        kind = row["event"]
        add(event, PREFIXES["rdf"] + "type", ox.NamedNode(CTKG + EVENTS[kind]))
        add(event, CTKG + "party", party)
        add(event, CTKG + "instrument", inst)
        add(event, CTKG + "inRecordSet", record_set)
        if day is not None:
            add(event, CTKG + "eventDate", date_literal(day))
        if deposit is not None:
            add(event, CTKG + "depositDate", date_literal(deposit))
        if row.get("place"):
            add(event, CTKG + "eventPlace", ox.Literal(row["place"], language="en"))
        if row.get("marks"):
            add(event, CTKG + "depositaryMarks", ox.Literal(row["marks"]))
        if kind in STATEMENTS:
            add(event, CTKG + "madeUnder", ox.NamedNode(provision_iri(instrument, row["under"], rel, line, "under")))
            for citation in (row.get("concerns") or row["under"]).split(";"):
                add(event, CTKG + "concernsProvision", ox.NamedNode(provision_iri(instrument, citation, rel, line, "concerns")))
        for source in sources:
            add(event, _DCT + "source", source)
        if row.get("note"):
            add(event, _SKOS + "scopeNote", ox.Literal(row["note"], language="en"))
    if not quads:
        raise SourceError(rel, None, "holds no rows; add the records or remove the file")
    return quads


def record_lines(path: Path, rel: str) -> dict[str, int]:
    """Each record's IRI -> the line of its row (and the record set -> line 1): how validation
    results and hygiene problems about records made from a table point at the row to fix."""
    table = read_table(path, rel, REQUIRED, COLUMNS)
    instrument = str(table.meta.get("instrument") or "")
    found = {record_set_iri(instrument): 1, GRAPH + rel.removesuffix(".tsv"): 1}
    for line, row in table.rows:
        found.setdefault(_event_iri(instrument, row["party"], row["event"], row.get("under", "")), line)
    return found

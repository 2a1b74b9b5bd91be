"""One thing of the graph whole: the fact sheet ``cybertreaty-kg show`` prints.

A researcher asking "what does the graph say about UNCC art. 41, or about Japan?" should not need
eleven commands or hand-written SPARQL. The sheet gathers, for the thing a friendly id names
(:mod:`resolve`): its own statements with the properties' labels; and by kind, what other
records say of it — an instrument's status on a date and its articles, a provision's paragraphs,
statements made under it and crosswalks in both directions, a concept's provisions, a State's
participation in every instrument (the same :class:`parties.PartyStatus` the ``parties`` command
uses, so the two cannot disagree) and its memberships. Every value keeps its source URL whole.
"""

from __future__ import annotations

from datetime import date

from . import parties, queries
from .engines import Engine, Term
from .namespaces import ID, PREFIXES
from .output import compact, short
from .resolve import Resolver, Thing

_OWN = """SELECT ?p ?plabel ?o ?olabel WHERE {
  ?s ?p ?o . OPTIONAL { ?p rdfs:label ?plabel FILTER (LANG(?plabel) IN ("", "en")) }
  OPTIONAL { ?o rdfs:label|skos:prefLabel ?olabel FILTER (LANG(?olabel) IN ("", "en")) } }"""
_CONTENTS = """SELECT ?citation ?heading ?chapter WHERE {
  ?a a ctkg:Article ; ctkg:inInstrument ?s ; ctkg:citation ?citation ; ctkg:orderKey ?key .
  OPTIONAL { ?a ctkg:heading ?heading } OPTIONAL { ?a ctkg:inChapter/rdfs:label ?chapter } } ORDER BY ?key"""
_PARAGRAPHS = """SELECT ?citation ?about (GROUP_CONCAT(DISTINCT ?concept; separator=", ") AS ?concepts) WHERE {
  ?p ctkg:partOf+ ?s ; ctkg:citation ?citation ; ctkg:orderKey ?key .
  OPTIONAL { ?p dcterms:description ?about } OPTIONAL { ?p ctkg:addresses/skos:notation ?concept } }
  GROUP BY ?citation ?about ?key ORDER BY ?key"""
_CROSSWALKS = """SELECT ?direction ?provision ?match ?other ?note WHERE {
  { ?m ctkg:mappingSubject ?mine ; ctkg:mappingObject ?o . BIND ("to" AS ?direction) }
  UNION { ?m ctkg:mappingObject ?mine ; ctkg:mappingSubject ?o . BIND ("from" AS ?direction) }
  ?mine ctkg:partOf* ?s .
  ?m ctkg:mappingPredicate ?predicate . ?mine rdfs:label ?provision . ?o rdfs:label ?other .
  BIND (STRAFTER(STR(?predicate), "#") AS ?match) OPTIONAL { ?m rdfs:comment ?note } }
  ORDER BY ?provision ?direction ?other"""
_ADDRESSED_BY = """SELECT ?provision ?instrument ?heading WHERE {
  ?p ctkg:addresses ?s ; rdfs:label ?provision ; ctkg:inInstrument/ctkg:identifier ?instrument ; ctkg:orderKey ?key .
  OPTIONAL { ?p ctkg:inArticle?/ctkg:heading ?heading } } ORDER BY ?instrument ?key"""
_MEMBERSHIPS = """SELECT ?organisation ?from ?until ?source WHERE {
  ?m a ctkg:Membership ; ctkg:member ?s ; ctkg:memberOf/skos:notation ?organisation .
  OPTIONAL { ?m ctkg:memberFrom ?from } OPTIONAL { ?m ctkg:memberUntil ?until }
  OPTIONAL { ?m dcterms:source ?source } } ORDER BY ?organisation"""
_MEMBERS = """SELECT ?member ?from ?until WHERE {
  ?m a ctkg:Membership ; ctkg:memberOf ?s ; ctkg:member ?state . BIND (STRAFTER(STR(?state), "/state/") AS ?member)
  OPTIONAL { ?m ctkg:memberFrom ?from } OPTIONAL { ?m ctkg:memberUntil ?until } } ORDER BY ?member"""
_INSTRUMENT_IDS = "SELECT ?id WHERE { ?i ctkg:identifier ?id } ORDER BY ?id"


def _rows(engine: Engine, sparql: str, subject: str) -> list[dict[str, str]]:
    result = engine.run(sparql, {"s": Term("iri", subject)})
    return [{c: short(v) for c, v in zip(result.columns, row)} for row in result.rows]


def _saved(engine: Engine, name: str, memo: dict | None = None, **params: str) -> list[dict[str, str]]:
    """A saved query's rows, as the sheet shows them (the query itself is the one users run).
    ``memo`` keeps answers across sheets: a site asks the same query for every article."""
    memo = {} if memo is None else memo
    key = (name, tuple(sorted(params.items())))
    if key not in memo:
        table = queries.run(queries.get(name), params, engine)
        memo[key] = [{c.name: short(v) for c, v in zip(table.columns, row)} for row in table.rows]
    return memo[key]


def _instrument_status(engine: Engine, instrument: str, on: date, memo: dict | None) -> parties.InstrumentStatus:
    memo = {} if memo is None else memo
    key = ("status", instrument, on)
    if key not in memo:
        memo[key] = parties.instrument_status(instrument, on, engine=engine)
    return memo[key]


def _bears_on(statement: dict[str, str], citation: str) -> bool:
    """Whether a statement was made under, or bears on, the provision ``citation`` (``7`` takes in
    what is made under or bears on its paragraphs, ``7(2)`` only what names ``7(2)`` or below it)."""
    cited = [statement["made_under"], *statement["concerns"].split(", ")]
    return any(c == citation or c.startswith(citation + "(") for c in cited if c)


def _status(record: parties.PartyStatus) -> dict[str, object]:
    """A party's status as JSON-ready values: dates as printed, three-valued answers as text."""
    def text(value: object) -> str:
        return "" if value is None else str(value)

    return {"signatory": str(record.is_signatory), "party": str(record.is_party), "bound": str(record.is_bound),
            "signed": text(record.signed), "signature_place": text(record.signature_place),
            "consented": text(record.consented), "consent_type": text(record.consent_type),
            "consent_act": text(record.consent_act), "in_force": text(record.in_force),
            "in_force_basis": record.in_force_basis, "denounced": text(record.denounced),
            "undated": ", ".join(sorted(record.undated)), "invited": text(record.invited), "marks": text(record.marks),
            "records": "complete" if record.record_complete else "partial", "as_of": text(record.as_of),
            "sources": ", ".join(record.sources)}


def fact_sheet(thing: Thing, resolver: Resolver, on: date | None = None, memo: dict | None = None) -> dict[str, object]:
    """Everything the graph holds about ``thing``, as a JSON-ready document. ``memo``: a dict kept
    across calls, so that many sheets (a site) share the answers of the queries they have in common."""
    engine = resolver.engine
    on = on or date.today()
    result = engine.run(_OWN, {"s": Term("iri", thing.iri)})
    facts = []
    for p, plabel, o, olabel in result.rows:
        if p.value == PREFIXES["ctkg"] + "orderKey":
            continue
        named = resolver.by_iri(o.value) if o.kind == "iri" else None
        value = olabel.value if olabel is not None else named.label if named else o.value  # IRIs (sources) whole
        facts.append({"property": plabel.value if plabel is not None else compact(p), "value": value,
                      "id": named.id if named else "", "iri": o.value if o.kind == "iri" else ""})
    facts.sort(key=lambda f: (f["property"] not in ("type", "rdf:type"), f["property"], f["value"]))
    sheet: dict[str, object] = {"kind": thing.kind, "id": thing.id, "iri": thing.iri, "label": thing.label,
                                "on": on.isoformat(), "facts": facts}
    if thing.kind == "instrument":
        status = _instrument_status(engine, thing.id, on, memo)
        sheet["status"] = {"in_force": str(status.in_force), "in_force_date": str(status.in_force_date or ""),
                           "reason": status.reason, "signatories": str(status.signatories),
                           "parties": str(status.party_count),
                           "records": ("complete" if status.complete else "partial") if status.has_records else "no record set",
                           "as_of": str(status.as_of or "")}
        sheet["contents"] = _rows(engine, _CONTENTS, thing.iri)
    elif thing.kind == "provision":
        instrument, citation = thing.id.split(" ", 1)
        sheet["paragraphs"] = [{**r, "concepts": ", ".join(sorted(r["concepts"].split(", "))) if r["concepts"] else ""}
                               for r in _rows(engine, _PARAGRAPHS, thing.iri) if r["citation"] != citation]
        article = citation.split("(")[0]
        sheet["statements_made"] = [r for r in _saved(engine, "reservations-made", memo, instrument=instrument)
                                    if _bears_on(r, citation)]
        sheet["reservations_permitted"] = [r for r in _saved(engine, "reservations", memo, instrument=instrument)
                                           if r["provision"].split("(")[0] == article or r["permitted_by"].split("(")[0] == article]
        sheet["crosswalks"] = _rows(engine, _CROSSWALKS, thing.iri)
    elif thing.kind == "concept":
        sheet["provisions"] = _rows(engine, _ADDRESSED_BY, thing.iri)
    elif thing.kind == "state":
        participation = []
        for (ident,) in engine.run(_INSTRUMENT_IDS).rows:
            record = parties.status_of(ident.value, thing.id, on, engine=engine,
                                       status=_instrument_status(engine, ident.value, on, memo))
            participation.append({"instrument": ident.value, **_status(record)})
        sheet["participation"] = participation
        sheet["statements_made"] = _saved(engine, "reservations-made", memo, party=thing.id)
        sheet["memberships"] = _rows(engine, _MEMBERSHIPS, thing.iri)
    elif thing.kind == "organisation":
        sheet["members"] = _rows(engine, _MEMBERS, thing.iri)
        if thing.iri.startswith(ID + "org/"):
            sheet["statements_made"] = _saved(engine, "reservations-made", memo, party=thing.id)
    return sheet


_DESCRIBE = """CONSTRUCT { ?s ?p ?o . ?r ?rp ?ro } WHERE {
  { ?s ?p ?o } UNION {
    ?r ctkg:party|ctkg:member|ctkg:mappingSubject|ctkg:mappingObject|ctkg:partOf ?s . ?r ?rp ?ro } }"""


def describe(thing: Thing, engine: Engine) -> list[tuple[Term, Term, Term]]:
    """The triples of the sheet, for ``--format turtle``: the thing's own, and those of the records
    that point at it (participation and membership records, crosswalk rows, its paragraphs)."""
    return engine.run(_DESCRIBE, {"s": Term("iri", thing.iri)}).triples

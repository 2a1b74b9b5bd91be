"""Entries into force for parties that no source records, derived from the instrument's rules.

A depositary's chart gives each party's entry into force, but many record sets hold only the
consent. The instruments fix that date by rule: Budapest art. 36(3) for the first consents, 36(4)
for later signatories, 37(2) for acceding States; UNCC art. 65(1)-(2); Malabo art. 36 (for the
first fifteen only: its text sets no date for later parties). The build applies the rule the text
gives and writes the result into one generated named graph (``…/graph/derived/entry-into-force``),
each event marked ``ctkg:derivedBy`` (the rule, and so the article) and ``prov:wasDerivedFrom``
(the consent), so that every query, export and store shows the same derived dates, and never
mistakes them for recorded ones. A recorded date always wins: nothing is derived for a party
whose entry into force is recorded.

A consent counts from its deposit: the deposit date where the source gives it apart from the
act (the African Union's lists), otherwise the event's date. Derivation needs a full date for the consent and for the instrument's entry into force; partial
dates, unknown delays and consents the rules do not cover give nothing (not recorded).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyoxigraph as ox

from .dates import PartialDate, after_delay
from .namespaces import CTKG, GRAPH, PREFIXES

DERIVED_GRAPH = GRAPH + "derived/entry-into-force"
CONSENT_KINDS = ("Ratification", "Acceptance", "Approval", "Accession", "Succession")


@dataclass(frozen=True)
class Rule:
    """An entry-into-force rule: its IRI, the delay and, for a party rule, the consents it covers."""

    iri: str
    days: int | None
    months: int | None
    applies_to: frozenset[str] = frozenset()  # consent kinds (class local names); empty: every kind

    def covers(self, kind: str) -> bool:
        return not self.applies_to or kind in self.applies_to


@dataclass(frozen=True)
class Derivation:
    """The entry into force derived for one consent, and the rule that gives it."""

    day: date
    rule: str


def entry_into_force_for_party(consent: date, kind: str, in_force: date, general: Rule | None,
                               later: list[Rule]) -> Derivation | None:
    """When an instrument in force since ``in_force`` entered into force for a party that
    deposited its consent of ``kind`` on ``consent``.

    A consent whose own delay ends on or before the instrument's entry into force was among those
    that brought it into force (or came just in time): the instrument entered into force for it on
    that day, by the general rule. A later consent takes the party rule that covers its kind, and
    enters into force on the later of the instrument's entry into force and its own delay (UNCC art.
    65(2) says so in terms; Budapest arts 36(4) and 37(2) give dates that are always later)."""
    if general is not None and (general.days is not None or general.months is not None):
        own = after_delay(consent, general.days, general.months)
        if own <= in_force:
            return Derivation(in_force, general.iri)
    for rule in later:
        if rule.covers(kind):
            own = after_delay(consent, rule.days, rule.months)
            if own is not None:
                return Derivation(max(own, in_force), rule.iri)
    return None


_RULES = """
SELECT ?instrument ?eif ?rule ?kind ?days ?months ?applies WHERE {
  ?instrument ctkg:entryIntoForceDate ?eif .
  { ?instrument ctkg:entryIntoForceRule ?rule BIND ("general" AS ?kind) }
  UNION
  { ?instrument ctkg:partyEntryIntoForceRule ?rule BIND ("party" AS ?kind) OPTIONAL { ?rule ctkg:appliesToConsent ?applies } }
  OPTIONAL { ?rule ctkg:delayDays ?days }
  OPTIONAL { ?rule ctkg:delayMonths ?months }
}
"""

_SOURCES = """
SELECT ?rule ?source WHERE {
  { ?instrument ctkg:entryIntoForceRule ?rule } UNION { ?instrument ctkg:partyEntryIntoForceRule ?rule }
  ?rule dcterms:source ?source .
}
"""

_CONSENTS = """
SELECT ?instrument ?party ?consent ?class ?date ?set WHERE {
  ?consent a ?class ; ctkg:instrument ?instrument ; ctkg:party ?party ; ctkg:inRecordSet ?set .
  OPTIONAL { ?consent ctkg:eventDate ?act }
  OPTIONAL { ?consent ctkg:depositDate ?deposit }
  BIND (COALESCE(?deposit, ?act) AS ?date)
  FILTER (BOUND(?date))
  FILTER (?class IN (ctkg:Ratification, ctkg:Acceptance, ctkg:Approval, ctkg:Accession, ctkg:Succession))
  FILTER NOT EXISTS { ?recorded a ctkg:EntryIntoForceForParty ; ctkg:instrument ?instrument ; ctkg:party ?party }
}
"""


def _query(store: ox.Store, sparql: str):
    return store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)


def derive_entries_into_force(store: ox.Store) -> int:
    """Add the derived graph to ``store`` and return the triples added."""
    general: dict[str, Rule] = {}
    later: dict[str, dict[str, Rule]] = {}
    in_force: dict[str, date] = {}
    for row in _query(store, _RULES):
        instrument = row["instrument"].value
        eif = PartialDate.parse(row["eif"].value)
        if not eif.is_full:
            continue  # a month or a year: no day to derive from
        in_force[instrument] = eif.as_date()
        days = int(row["days"].value) if row["days"] else None
        months = int(row["months"].value) if row["months"] else None
        if row["kind"].value == "general":
            general[instrument] = Rule(row["rule"].value, days, months)
        else:
            rules = later.setdefault(instrument, {})
            known = rules.get(row["rule"].value, Rule(row["rule"].value, days, months))
            kinds = known.applies_to | ({row["applies"].value.removeprefix(CTKG)} if row["applies"] else set())
            rules[row["rule"].value] = Rule(known.iri, days, months, frozenset(kinds))
    sources: dict[str, list[ox.NamedNode]] = {}
    for row in _query(store, _SOURCES):
        sources.setdefault(row["rule"].value, []).append(row["source"])
    graph = ox.NamedNode(DERIVED_GRAPH)
    rdf_type = ox.NamedNode(PREFIXES["rdf"] + "type")
    quads: list[ox.Quad] = []
    consents = sorted(_query(store, _CONSENTS), key=lambda r: (r["instrument"].value, r["party"].value, r["date"].value))
    done: set[tuple[str, str]] = set()
    for row in consents:
        instrument, party = row["instrument"].value, row["party"].value
        day = PartialDate.parse(row["date"].value)
        if instrument not in in_force or not day.is_full or (instrument, party) in done:
            continue
        kind = row["class"].value.removeprefix(CTKG)
        found = entry_into_force_for_party(day.as_date(), kind, in_force[instrument], general.get(instrument),
                                           sorted(later.get(instrument, {}).values(), key=lambda r: r.iri))
        if found is None:
            continue
        done.add((instrument, party))
        code = party.rsplit("/", 1)[-1]
        event = ox.NamedNode(f"{instrument}/participation/{code}-entry-into-force-derived")

        def add(predicate: str, value: ox.NamedNode | ox.Literal) -> None:
            quads.append(ox.Quad(event, ox.NamedNode(predicate), value, graph))

        quads.append(ox.Quad(event, rdf_type, ox.NamedNode(CTKG + "EntryIntoForceForParty"), graph))
        add(CTKG + "instrument", row["instrument"])
        add(CTKG + "party", row["party"])
        add(CTKG + "eventDate", ox.Literal(found.day.isoformat(), datatype=ox.NamedNode(PREFIXES["xsd"] + "date")))
        add(CTKG + "inRecordSet", row["set"])
        add(CTKG + "derivedBy", ox.NamedNode(found.rule))
        add(PREFIXES["prov"] + "wasDerivedFrom", row["consent"])
        for source in sources.get(found.rule, []):
            add(PREFIXES["dcterms"] + "source", source)
    store.extend(quads)
    return len(quads)

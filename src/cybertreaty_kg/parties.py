"""Who is bound by what: participation events read from the graph, and the facts derived from
them (party or not on a date, consents so far, in force or not).

Derived facts are computed here, never stored, so that the CLI, the saved queries and a
researcher's notebook all give the same answer for the same date.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import pycountry
from pyoxigraph import Literal, NamedNode

from .dataset import Dataset, load_dataset
from .errors import CtkgError
from .namespaces import instrument_iri, short_id

CONSENT_KINDS = ("Ratification", "Acceptance", "Approval", "Accession", "Succession")

_EVENTS = """
SELECT ?party ?name ?kind ?date ?place ?source ?asOf ?complete WHERE {
  ?event ctkg:instrument ?instrument ; ctkg:party ?party ; ctkg:eventDate ?date ; a ?class ;
         ctkg:inRecordSet ?set ; dcterms:source ?source .
  ?set ctkg:asOf ?asOf .
  OPTIONAL { ?set ctkg:complete ?complete }
  OPTIONAL { ?event ctkg:eventPlace ?place }
  OPTIONAL { ?party rdfs:label ?name FILTER (LANG(?name) = "en") }
  FILTER (STRSTARTS(STR(?class), STR(ctkg:)) && ?class NOT IN (ctkg:ParticipationEvent, ctkg:ConsentToBeBound))
  BIND (STRAFTER(STR(?class), "#") AS ?kind)
}
"""

_RULE = """
SELECT ?id ?eif ?n ?days ?months ?separately ?asOf WHERE {
  ?instrument ctkg:identifier ?id .
  OPTIONAL { ?instrument ctkg:entryIntoForceDate ?eif }
  OPTIONAL { ?instrument ctkg:entryIntoForceRule ?rule .
             OPTIONAL { ?rule ctkg:consentsRequired ?n } OPTIONAL { ?rule ctkg:delayDays ?days }
             OPTIONAL { ?rule ctkg:delayMonths ?months } OPTIONAL { ?rule ctkg:regionalOrganisationCountsSeparately ?separately } }
  OPTIONAL { ?instrument ctkg:recordSet/ctkg:asOf ?asOf }
}
"""


class UnknownId(CtkgError):
    """An instrument or party id that the graph does not know; the message lists valid ones."""


@dataclass(frozen=True)
class PartyStatus:
    """One party's participation in one instrument, as recorded up to a date."""

    instrument: str
    party: str  # ISO 3166-1 alpha-3 code, or an organisation code such as 'eu'
    name: str
    signed: date | None = None
    signature_place: str | None = None
    consented: date | None = None
    consent_type: str | None = None  # ratification, accession, acceptance, approval, succession
    in_force: date | None = None  # entry into force for this party, where the depositary records it
    denounced: date | None = None
    sources: tuple[str, ...] = ()
    as_of: date | None = None
    record_complete: bool = False  # False: the record set is partial, so a missing event means "not recorded"

    @property
    def is_party(self) -> bool:
        """Has consented to be bound and has not denounced (as of the date asked)."""
        return self.consented is not None and self.denounced is None

    @property
    def is_bound(self) -> bool:
        """The instrument is in force for this party (as of the date asked)."""
        return self.in_force is not None and self.denounced is None


@dataclass
class InstrumentStatus:
    """Counts and entry into force of one instrument on a date."""

    instrument: str
    on: date
    parties: list[PartyStatus] = field(default_factory=list)
    consents_required: int | None = None
    consents_counted: int = 0  # consents that count toward the rule (REIO excluded where the rule says so)
    in_force_date: date | None = None  # recorded, or derived from the rule
    in_force_derived: bool = False
    rule_date: date | None = None  # what the rule gives from the recorded consents, for checking the recorded date
    as_of: date | None = None
    complete: bool = False  # the record set lists every event its source showed on the as-of date

    @property
    def signatories(self) -> int:
        return sum(1 for p in self.parties if p.signed is not None)

    @property
    def party_count(self) -> int:
        return sum(1 for p in self.parties if p.is_party)

    @property
    def in_force(self) -> bool:
        return self.in_force_date is not None and self.in_force_date <= self.on


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _rule_date(nth_consent: date, days: int | None, months: int | None) -> date | None:
    """Entry into force from the date of the last required consent, by the two rule shapes
    the instruments use: 'the Nth day after' and 'the first day of the month after N months'."""
    if days is not None:
        return nth_consent + timedelta(days=days)
    if months is not None:
        end = _add_months(nth_consent, months)
        return _add_months(date(end.year, end.month, 1), 1)
    return None


def _instrument_ids(dataset: Dataset) -> list[str]:
    return sorted(r["id"].value for r in dataset.query("SELECT ?id WHERE { ?i ctkg:identifier ?id }"))


def instrument_status(instrument: str, on: date | None = None, dataset: Dataset | None = None) -> InstrumentStatus:
    """Every party's status on ``on`` (default: today) and whether the instrument is in force."""
    dataset = dataset or _default()
    on = on or date.today()
    if instrument not in _instrument_ids(dataset):
        raise UnknownId(f"unknown instrument '{instrument}'; known: {', '.join(_instrument_ids(dataset))}")
    iri = NamedNode(instrument_iri(instrument))
    by_party: dict[str, dict] = {}
    as_of, complete = None, False
    for row in dataset.query(_EVENTS, instrument=iri):
        when = date.fromisoformat(row["date"].value)
        as_of = date.fromisoformat(row["asOf"].value)
        complete = bool(row["complete"]) and row["complete"].value == "true"
        party = short_id(row["party"].value)
        record = by_party.setdefault(party, {"name": row["name"].value if row["name"] else party, "sources": set()})
        record["sources"].add(row["source"].value)
        if when > on:
            continue
        kind = row["kind"].value
        if kind == "Signature":
            record["signed"] = when
            record["signature_place"] = row["place"].value if row["place"] else None
        elif kind in CONSENT_KINDS:
            record["consented"], record["consent_type"] = when, kind.lower()
        elif kind == "EntryIntoForceForParty":
            record["in_force"] = when
        elif kind == "Denunciation":
            record["denounced"] = when
    parties = [
        PartyStatus(instrument=instrument, party=party, name=r["name"], signed=r.get("signed"), signature_place=r.get("signature_place"),
                    consented=r.get("consented"), consent_type=r.get("consent_type"), in_force=r.get("in_force"),
                    denounced=r.get("denounced"), sources=tuple(sorted(r["sources"])), as_of=as_of, record_complete=complete)
        for party, r in sorted(by_party.items(), key=lambda kv: kv[1]["name"])
    ]
    status = InstrumentStatus(instrument=instrument, on=on, parties=parties, as_of=as_of, complete=complete)
    (rule,) = list(dataset.query(_RULE, instrument=iri))
    counted = sorted(p.consented for p in parties if p.is_party and (p.party.isupper() or not rule["separately"]
                                                                      or rule["separately"].value == "true"))
    status.consents_counted = len(counted)
    status.consents_required = int(rule["n"].value) if rule["n"] else None
    if status.consents_required and len(counted) >= status.consents_required:
        status.rule_date = _rule_date(counted[status.consents_required - 1],
                                      int(rule["days"].value) if rule["days"] else None,
                                      int(rule["months"].value) if rule["months"] else None)
    if rule["eif"]:
        status.in_force_date = date.fromisoformat(rule["eif"].value)
    elif status.rule_date is not None:
        status.in_force_date, status.in_force_derived = status.rule_date, True
    return status


def status_of(instrument: str, party: str, on: date | None = None, dataset: Dataset | None = None) -> PartyStatus:
    """One party's status in one instrument on ``on`` (default: today). ``party`` is an ISO
    3166-1 alpha-3 code (``VNM``) or an organisation code (``eu``). A party with no recorded
    event gets an empty status (neither signatory nor party)."""
    dataset = dataset or _default()
    status = instrument_status(instrument, on, dataset)
    for record in status.parties:
        if record.party == party:
            return record
    known_org = bool(list(dataset.query("SELECT ?o WHERE { ?o a ctkg:Organisation ; skos:notation ?code }", code=Literal(party))))
    country = pycountry.countries.get(alpha_3=party) if len(party) == 3 and party.isupper() else None
    if country is None and not known_org:
        raise UnknownId(f"unknown party '{party}'; use an ISO 3166-1 alpha-3 code (e.g. VNM) or an organisation code (e.g. eu)")
    name = getattr(country, "common_name", country.name) if country else party
    return PartyStatus(instrument=instrument, party=party, name=name, as_of=status.as_of)


@lru_cache(maxsize=1)
def _default() -> Dataset:
    return load_dataset()

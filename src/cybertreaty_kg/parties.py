"""Who is bound by what, on a date, with three answers: yes, no, or not recorded.

The graph is partial and says so (record sets that are complete or partial, reported totals,
partial dates). A status computed from it is therefore one of three values (:class:`Known`):
``YES`` (the records show it), ``NO`` (the records show it did not hold: only where they are
complete for the date asked, or a recorded date or a reported total rules it out) or ``UNKNOWN``
(not recorded). Absence of a record is never read as "no".

"Party" and "bound" are kept apart and named the same everywhere: a *party* has consented to be
bound (ratification, acceptance, approval, accession, succession) and not denounced; a party is
*bound* once the instrument is in force for it.

Everything here is computed from the rows of three saved queries (``parties``,
``participation-records``, ``entry-into-force``), so the CLI, the API and a user's SPARQL see the
same facts, and the statuses are defined in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import Enum
from functools import lru_cache

import pycountry

from . import queries
from .dataset import Dataset, load_dataset
from .dates import PartialDate, after_delay
from .engines import Engine, OxigraphEngine, Term
from .errors import CtkgError
from .namespaces import ID
from .output import short


class UnknownId(CtkgError):
    """An instrument or party id that the graph does not know; the message lists valid ones."""


class Known(Enum):
    """A three-valued answer. It has no truth value: ``if status.is_bound:`` would read "not
    recorded" as "no", so write ``status.is_bound is Known.YES``."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "not recorded"

    def __bool__(self) -> bool:
        raise TypeError("a three-valued answer: compare with Known.YES, Known.NO or Known.UNKNOWN")

    def __str__(self) -> str:
        return self.value


def _on_or_before(day: PartialDate, on: date) -> Known:
    answer = day.on_or_before(on)
    return Known.UNKNOWN if answer is None else Known.YES if answer else Known.NO


@dataclass(frozen=True)
class ReportedTotal:
    """A count that a depositary or another source published for a date."""

    on: PartialDate
    parties: int | None
    signatories: int | None  # every signatory, whether or not it has since consented
    signatories_not_parties: int | None  # signatures not followed by consent (Council of Europe charts)
    source: str

    def describe(self, what: str) -> str | None:
        """``"75 on 2024-06-20"`` for ``what`` = parties or signatories, if this total gives it."""
        if what == "parties" and self.parties is not None:
            return f"{self.parties} parties on {self.on}"
        if what == "signatories":
            if self.signatories is not None:
                return f"{self.signatories} signatories on {self.on}"
            if self.signatories_not_parties is not None:
                return f"{self.signatories_not_parties} signatories not yet parties on {self.on}"
        return None


@dataclass(frozen=True)
class Count:
    """A count from the records: exact where the record set is complete for the date, otherwise a
    lower bound, printed with the reported total it should be read against."""

    recorded: int
    exact: bool
    what: str  # "parties" or "signatories"
    reported: ReportedTotal | None = None  # the latest total reported on or before the date
    has_records: bool = True  # False: the instrument has no record set at all

    def __str__(self) -> str:
        if not self.has_records:
            text = "not recorded (no participation records)"
        elif self.exact:
            return str(self.recorded)
        elif self.recorded == 0:
            text = "none recorded (partial records)"
        else:
            text = f"at least {self.recorded} recorded"
        said = self.reported.describe(self.what) if self.reported else None
        return text + (f"; reported: {said} ({self.reported.source})" if said else "")


@dataclass(frozen=True)
class PartyStatus:
    """One party's participation in one instrument as the records show it on a date."""

    instrument: str
    party: str  # ISO 3166-1 alpha-3 code, or an organisation code such as 'eu'
    name: str
    on: date
    signed: PartialDate | None = None
    signature_place: str | None = None
    consented: PartialDate | None = None  # the deposit
    consent_type: str | None = None  # ratification, acceptance, approval, accession, succession
    consent_act: PartialDate | None = None  # the act of consent, where a source dates the deposit apart
    in_force: PartialDate | None = None  # recorded, or derived (see in_force_basis)
    in_force_basis: str = ""  # "recorded", "derived: Art. 36(4)", or "" where there is none
    denounced: PartialDate | None = None
    sources: tuple[str, ...] = ()
    as_of: PartialDate | None = None
    record_complete: bool = False  # False: a missing event means "not recorded"
    instrument_in_force: Known = Known.UNKNOWN
    undated: frozenset[str] = frozenset()  # events recorded without a date: signature, consent, entry into force
    invited: str | None = None  # invited to accede: the date, or "date not recorded"
    marks: str | None = None  # the marks the depositary's chart prints beside the consent (R., D., A., T., C.)

    def _event(self, day: PartialDate | None, kind: str) -> Known:
        """Whether an event of this kind had happened by the date: from its date if recorded; if
        it is recorded without a date, "yes" from the record set's as-of date on (it had happened
        by then) and "not recorded" before; if it is not recorded, "no" only where the record set
        is complete up to the date asked."""
        if day is not None:
            return _on_or_before(day, self.on)
        if kind in self.undated:
            return Known.YES if self.as_of is not None and self.as_of.latest <= self.on else Known.UNKNOWN
        if self.record_complete and self.as_of is not None and self.on <= self.as_of.earliest:
            return Known.NO
        return Known.UNKNOWN

    @property
    def is_signatory(self) -> Known:
        return self._event(self.signed, "signature")

    @property
    def is_party(self) -> Known:
        """Has consented to be bound, and not denounced, on the date."""
        if self.denounced is not None and _on_or_before(self.denounced, self.on) is Known.YES:
            return Known.NO
        consented = self._event(self.consented, "consent")
        if consented is Known.UNKNOWN and self._in_force_recorded() is Known.YES:
            return Known.YES  # in force for it: it consented, though the consent is not recorded
        return consented

    def _in_force_recorded(self) -> Known:
        if self.in_force is not None:
            return _on_or_before(self.in_force, self.on)
        if "entry into force" in self.undated:
            return self._event(None, "entry into force")
        return Known.UNKNOWN

    @property
    def is_bound(self) -> Known:
        """The instrument is in force for this party on the date."""
        if self.denounced is not None and _on_or_before(self.denounced, self.on) is Known.YES:
            return Known.NO
        if self.in_force is not None or "entry into force" in self.undated:
            return self._in_force_recorded()
        if self.is_party is Known.NO or self.instrument_in_force is Known.NO:
            return Known.NO
        return Known.UNKNOWN


@dataclass
class InstrumentStatus:
    """Counts and entry into force of one instrument on a date."""

    instrument: str
    on: date
    parties: list[PartyStatus] = field(default_factory=list)
    consents_required: int | None = None
    in_force: Known = Known.UNKNOWN
    in_force_date: PartialDate | None = None  # the date in force from, where known (see in_force_basis)
    in_force_basis: str = ""  # "recorded"; "by" (no later than a party's recorded entry into force); "derived" (rule and consents); ""
    not_before: date | None = None  # where not in force: the first day it could be, from the records
    reason: str = ""  # one line: why the records support this answer
    as_of: PartialDate | None = None
    complete: bool = False
    has_records: bool = False
    reported: list[ReportedTotal] = field(default_factory=list)
    organisations_counted: bool = True

    def _reported(self) -> ReportedTotal | None:
        dated = [r for r in self.reported if r.on.latest <= self.on]
        return max(dated, key=lambda r: r.on.sort_key()) if dated else None

    def _exact(self, answers: list[Known]) -> bool:
        return (self.complete and self.as_of is not None and self.on <= self.as_of.earliest
                and Known.UNKNOWN not in answers)

    @property
    def signatories(self) -> Count:
        answers = [p.is_signatory for p in self.parties]
        return Count(answers.count(Known.YES), self._exact(answers), "signatories", self._reported(), self.has_records)

    @property
    def party_count(self) -> Count:
        answers = [p.is_party for p in self.parties]
        return Count(answers.count(Known.YES), self._exact(answers), "parties", self._reported(), self.has_records)

    @property
    def consents_counted(self) -> Count:
        """Consents that count toward the rule (a regional organisation's not, where the rule says so)."""
        counted = [p for p in self.parties if self.organisations_counted or p.party.isupper()]
        answers = [p.is_party for p in counted]
        return Count(answers.count(Known.YES), self._exact(answers), "parties", self._reported(), self.has_records)


def _date(term: Term | None) -> PartialDate | None:
    return PartialDate.parse(term.value) if term is not None and term.value else None


def _int(term: Term | None) -> int | None:
    return int(term.value) if term is not None and term.value != "" else None


def _rows(engine: Engine, name: str, params: dict[str, str]) -> list[dict[str, Term | None]]:
    table = queries.run(queries.get(name), params, engine)
    names = [c.name for c in table.columns]
    return [dict(zip(names, row)) for row in table.rows]


def _decide(status: InstrumentStatus, rule: dict[str, Term | None]) -> None:
    """Whether the instrument is in force on ``status.on``, and why: from the recorded date; from
    a party's recorded entry into force (the instrument was in force by then); from the recorded
    consents and the rule; or, for "no", from a complete record set or a reported total that
    shows fewer consents than the rule needs."""
    on, days, months = status.on, _int(rule.get("delay_days")), _int(rule.get("delay_months"))
    recorded, basis = _date(rule.get("in_force_date")), short(rule.get("in_force_basis"))
    if recorded is not None and basis == "recorded":
        status.in_force_date, status.in_force_basis = recorded, "recorded"
        status.in_force = _on_or_before(recorded, on)
        status.reason = "recorded" + ("" if recorded.is_full else f"; known only to the {recorded.precision}")
        return
    if recorded is not None and basis == "by" and recorded.latest <= on:
        status.in_force, status.in_force_date, status.in_force_basis = Known.YES, recorded, "by"
        status.reason = f"in force for a party from {recorded}, so in force by then at the latest"
        return
    needed = status.consents_required
    if needed:
        consents = sorted((p.consented for p in status.parties if p.consented is not None
                           and (status.organisations_counted or p.party.isupper())), key=PartialDate.sort_key)
        if len(consents) >= needed and consents[needed - 1].is_full:
            derived = after_delay(consents[needed - 1].as_date(), days, months)
            if derived is not None and derived <= on:
                status.in_force, status.in_force_date, status.in_force_basis = Known.YES, PartialDate.of(derived), "derived"
                status.reason = (f"derived from the rule: the {needed}th recorded consent is dated {consents[needed - 1]}"
                                 + ("" if status.complete else " (partial records: it may have been earlier)"))
                return
        bounds = []
        for total in status.reported:
            if total.parties is not None and total.parties < needed and total.on.is_full:
                bounds.append((total.on.as_date(), f"{total.parties} parties reported on {total.on}"))
        if status.complete and status.as_of is not None and status.as_of.is_full:
            counted = sum(1 for c in consents if c.latest <= status.as_of.as_date())
            if counted < needed:
                bounds.append((status.as_of.as_date(), f"{counted} consents in the complete records as of {status.as_of}"))
        for day, why in sorted(bounds):
            # fewer than the needed consents on `day`: the last one comes later, so does entry into
            # force; the earliest bound that rules out the date asked is the one nearest to it
            first = after_delay(day + timedelta(days=1), days, months) or day + timedelta(days=1)
            if on < first:
                status.in_force, status.not_before = Known.NO, first
                status.reason = f"{why}, fewer than the {needed} needed, so not in force before {first.isoformat()}"
                return
    status.in_force = Known.UNKNOWN
    status.reason = "no entry into force recorded, and the records cannot rule it out"


def instrument_status(instrument: str, on: date | None = None, dataset: Dataset | None = None,
                      engine: Engine | None = None) -> InstrumentStatus:
    """Every party's status on ``on`` (default: today) and whether the instrument is in force."""
    engine = engine or OxigraphEngine((dataset or _default()).store)
    on = on or date.today()
    try:
        queries.resolve_instrument(engine, instrument)
    except queries.QueryParamError as error:
        raise UnknownId(str(error)) from None
    (rule,) = [r for r in _rows(engine, "entry-into-force", {}) if short(r["instrument"]) == instrument]
    records = _rows(engine, "participation-records", {"instrument": instrument})
    status = InstrumentStatus(instrument, on, consents_required=_int(rule["consents_needed"]),
                              has_records=bool(records), organisations_counted=short(rule["organisations_counted"]) != "false")
    if records:
        status.as_of, status.complete = _date(records[0]["as_of"]), short(records[0]["records"]) == "complete"
        status.reported = [ReportedTotal(_date(r["reported_on"]), _int(r["reported_parties"]), _int(r["reported_signatories"]),
                                         _int(r["reported_signatories_not_parties"]), short(r["reported_source"]))
                           for r in records if r["reported_on"] is not None]
    rows = _rows(engine, "parties", {"instrument": instrument})
    parties = [
        PartyStatus(instrument=instrument, party=short(r["party"]), name=short(r["name"]) or short(r["party"]), on=on,
                    signed=_date(r["signed"]), signature_place=short(r["signature_place"]) or None,
                    consented=_date(r["consented"]), consent_type=short(r["consent_type"]) or None,
                    in_force=_date(r["in_force"]), in_force_basis=short(r["in_force_basis"]), denounced=_date(r["denounced"]),
                    sources=tuple(s for s in short(r["sources"]).split(", ") if s), as_of=status.as_of,
                    record_complete=status.complete, consent_act=_date(r["consent_act"]),
                    undated=frozenset(s for s in short(r["undated"]).split(", ") if s), invited=short(r["invited"]) or None,
                    marks=short(r["marks"]) or None)
        for r in rows
    ]
    status.parties = parties
    _decide(status, rule)
    status.parties = sorted((replace(p, instrument_in_force=status.in_force) for p in parties), key=lambda p: p.name)
    return status


def status_of(instrument: str, party: str, on: date | None = None, dataset: Dataset | None = None,
              engine: Engine | None = None, status: InstrumentStatus | None = None) -> PartyStatus:
    """One party's status in one instrument on ``on`` (default: today). ``party`` is an ISO
    3166-1 alpha-3 code (``VNM``) or an organisation code (``eu``). A party with no recorded event
    is a signatory, a party and bound "no" only where the record set is complete for the date;
    otherwise "not recorded". ``status``: the instrument's status on that date, when the caller
    already has it (a page per State asks for every State in turn)."""
    engine = engine or OxigraphEngine((dataset or _default()).store)
    status = status or instrument_status(instrument, on, engine=engine)
    for record in status.parties:
        if record.party == party:
            return record
    try:
        term = queries.resolve_party(engine, party)
    except queries.QueryParamError as error:
        raise UnknownId(str(error)) from None
    country = pycountry.countries.get(alpha_3=party) if term.value.startswith(ID + "state/") else None
    name = getattr(country, "common_name", country.name) if country else party
    return PartyStatus(instrument=instrument, party=party, name=name, on=status.on, as_of=status.as_of,
                       record_complete=status.complete, instrument_in_force=status.in_force)


_MEMBERS = """SELECT ?member ?from ?until ?asOf ?complete WHERE {
  ?m a ctkg:Membership ; ctkg:memberOf ?organisation ; ctkg:member ?state ; ctkg:inMembershipRecords ?list .
  ?list ctkg:asOf ?asOf ; ctkg:complete ?complete . BIND (STRAFTER(STR(?state), "/state/") AS ?member)
  OPTIONAL { ?m ctkg:memberFrom ?from } OPTIONAL { ?m ctkg:memberUntil ?until } } ORDER BY ?member ?from"""


@dataclass(frozen=True)
class MemberStatus:
    """A member of an organisation on a date, and its status in one instrument then."""

    member: str
    is_member: Known  # a member on the date: from the membership dates (partial dates may leave it open)
    member_from: PartialDate | None
    member_until: PartialDate | None
    membership_as_of: PartialDate
    membership_complete: bool
    status: PartyStatus


def members_status(organisation: str, instrument: str, on: date | None = None, dataset: Dataset | None = None,
                   engine: Engine | None = None) -> list[MemberStatus]:
    """Every State that the membership list shows as a member of ``organisation`` on ``on``
    (default: today), or that may have been one (a date known only to the year), with its status
    in ``instrument`` on that date: "which Council of Europe members were not bound by the Budapest
    Convention on 1 January 2020". Membership is read from the list's dates, which hold as of the
    list's own as-of date (``membership_as_of``)."""
    engine = engine or OxigraphEngine((dataset or _default()).store)
    on = on or date.today()
    try:
        organisation_iri = queries.resolve_party(engine, organisation)
    except queries.QueryParamError as error:
        raise UnknownId(str(error)) from None
    status = instrument_status(instrument, on, engine=engine)
    rows = engine.run(_MEMBERS, {"organisation": organisation_iri}).rows
    if not rows:
        raise UnknownId(f"no membership list for '{organisation}' in the graph (data/memberships/)")
    found = []
    for member, start, until, as_of, complete in rows:
        began, ended, listed = _date(start), _date(until), _date(as_of)
        # no start date: it had joined by the list's as-of date, at least
        joined = _on_or_before(began or listed, on) if began or listed.latest <= on else Known.UNKNOWN
        left = _on_or_before(ended, on) if ended else Known.NO  # "until": the day membership ended
        if joined is Known.NO or left is Known.YES:
            continue
        is_member = Known.YES if joined is Known.YES and left is Known.NO else Known.UNKNOWN
        found.append(MemberStatus(member.value, is_member, began, ended, listed, complete.value == "true",
                                  status_of(instrument, member.value, on, engine=engine, status=status)))
    return found


@lru_cache(maxsize=1)
def _default() -> Dataset:
    return load_dataset()

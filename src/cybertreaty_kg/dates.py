"""Dates as the sources print them: a day (``2009-03-09``), a month (``2014-02``) or a year
(``2015``), never padded to a day that no source gave.

A partial date is a span of days. Comparing it with a day has three answers (before, after, or
cannot tell), so every comparison here says which, and the three-valued statuses of
:mod:`cybertreaty_kg.status` are built on them. In SPARQL the saved queries order and compare
partial dates by the same rule, through their lexical form (see :func:`latest_key`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import CtkgError
from .namespaces import XSD

_LEXICAL = re.compile(r"(\d{4})(?:-(0[1-9]|1[0-2])(?:-(\d{2}))?)?")
DATATYPES = {1: XSD + "gYear", 2: XSD + "gYearMonth", 3: XSD + "date"}
"""Number of fields written -> the XSD datatype of a date of that precision."""


@dataclass(frozen=True, order=False)
class PartialDate:
    """A date known to the day, the month or the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> "PartialDate":
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; anything else is refused with the forms allowed."""
        match = _LEXICAL.fullmatch(text.strip())
        if not match:
            raise CtkgError(f"'{text}' is not a date; write YYYY-MM-DD, or YYYY-MM or YYYY where the day or month is not known")
        year, month, day = int(match.group(1)), match.group(2), match.group(3)
        if day is not None:
            try:
                date(year, int(month), int(day))
            except ValueError:
                raise CtkgError(f"'{text}' is not a calendar date (month {month} has no day {day})") from None
        return cls(year, int(month) if month else None, int(day) if day else None)

    @classmethod
    def of(cls, value: "PartialDate | date | str") -> "PartialDate":
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        return cls.parse(value)

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``."""
        return "day" if self.day else "month" if self.month else "year"

    @property
    def is_full(self) -> bool:
        return self.day is not None

    @property
    def datatype(self) -> str:
        """The XSD datatype IRI of this precision: xsd:date, xsd:gYearMonth or xsd:gYear."""
        return DATATYPES[1 + (self.month is not None) + (self.day is not None)]

    @property
    def earliest(self) -> date:
        """The first day the span may stand for."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        """The last day the span may stand for."""
        if self.day:
            return date(self.year, self.month, self.day)
        month = self.month or 12
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    def as_date(self) -> date:
        """The day, for a full date; a partial date has none to give."""
        if not self.is_full:
            raise CtkgError(f"{self} is known only to the {self.precision}; it has no single day")
        return self.earliest

    def on_or_before(self, day: date) -> bool | None:
        """True if the whole span is on or before ``day``, False if all of it is after, None if
        ``day`` falls inside the span (cannot tell)."""
        if self.latest <= day:
            return True
        if self.earliest > day:
            return False
        return None

    def sort_key(self) -> tuple[date, int]:
        """Order by the last day the span may stand for, a full date before a month and a month
        before a year ending the same day: what was surely done by a day comes first."""
        return (self.latest, {"day": 0, "month": 1, "year": 2}[self.precision])

    def __str__(self) -> str:
        """As printed: ``2014-02`` stays ``2014-02``."""
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text


def latest_key(lexical: str) -> str:
    """The string the saved queries compare partial dates by: the lexical form padded with
    ``-99`` fields, so that plain string order is the order of the last possible day
    (``2014-02`` -> ``2014-02-99``, after every day of February and before March). SPARQL:
    ``CONCAT(STR(?d), SUBSTR("-99-99", 1, 10 - STRLEN(STR(?d))))``."""
    return lexical + "-99-99"[: 10 - len(lexical)]


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def after_delay(deposit: date, days: int | None, months: int | None) -> date | None:
    """Entry into force from a deposit, by the two rule shapes the instruments use: "the Nth day
    after" (UNCC art. 65, Malabo art. 36) and "the first day of the month following the expiration
    of a period of N months after" (Budapest arts 36-37)."""
    if days is not None:
        return deposit + timedelta(days=days)
    if months is not None:
        end = add_months(deposit, months)
        return add_months(date(end.year, end.month, 1), 1)
    return None


def shown_on(day: PartialDate | None, on: date) -> str:
    """A date as a table shows it for a status on ``on``: blank if it is surely after ``on``
    (what happened later is not part of the answer)."""
    return "" if day is None or day.earliest > on else str(day)

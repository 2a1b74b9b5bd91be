"""Two instruments side by side: what each covers, article by article, and who is party to both.

Built only from saved queries (the coverage queries, through :mod:`coverage`, and ``parties``
with ``participation-records``), so the comparison says exactly what a user would get by running
those queries, and a fix to a query fixes it here too.

A line says one instrument lacks a concept ("only a") only where the other is recorded
completely for that scheme; otherwise it says the other's answer is not recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import queries
from .coverage import ADDRESSED, NOT_ADDRESSED, NOT_RECORDED, SCHEMES, Cell, coverage
from .engines import Engine, Term, iri
from .namespaces import ID
from .output import short


@dataclass(frozen=True)
class Line:
    """One concept in one section, addressed by at least one of the two instruments."""

    section: str
    concept: Term
    a: Cell
    b: Cell

    @property
    def a_articles(self) -> str:
        return self.a.articles

    @property
    def b_articles(self) -> str:
        return self.b.articles

    @property
    def status(self) -> str:
        """both, only a, only b, a (b not recorded), b (a not recorded)."""
        if self.a.status == ADDRESSED and self.b.status == ADDRESSED:
            return "both"
        if self.a.status == ADDRESSED:
            return "only a" if self.b.status == NOT_ADDRESSED else "a, b not recorded"
        return "only b" if self.a.status == NOT_ADDRESSED else "b, a not recorded"


@dataclass
class Participation:
    """Parties (consent to be bound recorded) of one instrument, with the record set's state."""

    parties: set[str] = field(default_factory=set)
    as_of: str | None = None
    complete: bool = False
    has_records: bool = False


@dataclass
class Comparison:
    a: str
    b: str
    lines: list[Line]
    a_participation: Participation
    b_participation: Participation

    @property
    def common_parties(self) -> list[str]:
        return sorted(self.a_participation.parties & self.b_participation.parties)

    @property
    def common_exact(self) -> bool:
        """The parties in common are all of them only where both record sets are complete."""
        return self.a_participation.complete and self.b_participation.complete


def _participation(engine: Engine, instrument: str) -> Participation:
    result = Participation()
    for row in queries.run(queries.get("participation-records"), {"instrument": instrument}, engine).rows:
        result.has_records, result.as_of, result.complete = True, short(row[1]), short(row[2]) == "complete"
    table = queries.run(queries.get("parties"), {"instrument": instrument}, engine)
    names = [c.name for c in table.columns]
    consented, undated = names.index("consented"), names.index("undated")
    result.parties = {row[0].value for row in table.rows
                      if row[consented] is not None or "consent" in short(row[undated]).split(", ")}
    return result


def compare(a: str, b: str, engine: Engine) -> Comparison:
    """Compare instruments ``a`` and ``b`` (short ids) on every section and on their parties."""
    lines: list[Line] = []
    missing = Cell(NOT_RECORDED)
    for scheme, (_, _, section) in SCHEMES.items():
        found = [{concept: cell for (concept, _), cell in coverage(engine, scheme, x).items()} for x in (a, b)]
        for concept in list(found[0]) + [c for c in found[1] if c not in found[0]]:
            cells = (found[0].get(concept, missing), found[1].get(concept, missing))
            if ADDRESSED in (cells[0].status, cells[1].status):
                lines.append(Line(section, iri(f"{ID}concept/{scheme}/{concept}"), *cells))
    return Comparison(a, b, lines, _participation(engine, a), _participation(engine, b))

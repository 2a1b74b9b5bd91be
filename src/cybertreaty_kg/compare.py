"""Two instruments side by side: what each covers, article by article, and who is party to both.

Built only from saved queries (the coverage queries, through :mod:`coverage`, and ``parties``), so the comparison says
exactly what a user would get by running those queries, and a fix to a query fixes it here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import queries
from .coverage import SCHEMES, coverage
from .engines import Engine, Term, iri
from .namespaces import ID

@dataclass(frozen=True)
class Line:
    """One concept in one section: the articles of each instrument that address it."""

    section: str
    concept: Term
    a_articles: str
    b_articles: str

    @property
    def status(self) -> str:
        if self.a_articles and self.b_articles:
            return "both"
        return "only a" if self.a_articles else "only b"


@dataclass
class Participation:
    """Parties (consent to be bound recorded) of one instrument, with the record set's date."""

    parties: set[str] = field(default_factory=set)
    as_of: str | None = None


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


def _participation(engine: Engine, instrument: str) -> Participation:
    table = queries.run(queries.get("parties"), {"instrument": instrument}, engine)
    result = Participation()
    for party, _signed, consented, _kind, _in_force, as_of in table.rows:
        result.as_of = as_of.value if as_of else None
        if consented is not None:
            result.parties.add(party.value)
    return result


def compare(a: str, b: str, engine: Engine) -> Comparison:
    """Compare instruments ``a`` and ``b`` (short ids) on every section and on their parties."""
    lines: list[Line] = []
    for scheme, (_, _, section) in SCHEMES.items():
        found = [{concept: cell.articles for (concept, _), cell in coverage(engine, scheme, x).items()} for x in (a, b)]
        for concept in list(found[0]) + [c for c in found[1] if c not in found[0]]:
            lines.append(Line(section, iri(f"{ID}concept/{scheme}/{concept}"), found[0].get(concept, ""), found[1].get(concept, "")))
    return Comparison(a, b, lines, _participation(engine, a), _participation(engine, b))

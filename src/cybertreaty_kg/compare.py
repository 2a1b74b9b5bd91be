"""Two instruments side by side: what each covers, article by article, and who is party to both.

Built only from saved queries (the coverage queries and ``parties``), so the comparison says
exactly what a user would get by running those queries, and a fix to a query fixes it here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import queries
from .engines import Engine, Term
from .queries import article_key

SECTIONS = (
    ("offences", "offence-coverage", "offence"),
    ("procedural powers", "procedure-coverage", "procedure"),
    ("cooperation", "cooperation-coverage", "mechanism"),
    ("capacity building", "capacity-building", "obligation"),
    ("safeguards", "safeguards", "safeguard"),
)


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


def _articles(rows: list[tuple[Term | None, ...]], concept_index: int, article_index: int) -> dict[Term, str]:
    """Concept -> its articles, in first-seen order (capacity-building has one row per article)."""
    found: dict[Term, list[str]] = {}
    for row in rows:
        numbers = found.setdefault(row[concept_index], [])
        numbers += [n for n in row[article_index].value.split(", ") if n not in numbers]
    return {concept: ", ".join(sorted(numbers, key=article_key)) for concept, numbers in found.items()}


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
    for section, name, column in SECTIONS:
        query = queries.get(name)
        columns = [c.name for c in query.columns]
        concept_index = columns.index(column)
        article_index = columns.index("articles" if "articles" in columns else "article")
        found = [_articles(queries.run(query, {"instrument": x}, engine).rows, concept_index, article_index) for x in (a, b)]
        for concept in list(found[0]) + [c for c in found[1] if c not in found[0]]:
            lines.append(Line(section, concept, found[0].get(concept, ""), found[1].get(concept, "")))
    return Comparison(a, b, lines, _participation(engine, a), _participation(engine, b))

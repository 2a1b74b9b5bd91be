"""What each instrument covers in one concept scheme, read from the saved coverage queries (the
one place that knows which query and column serve which scheme), for ``compare`` and ``matrix``.

Most coverage queries give one row per concept with its articles; ``capacity-building`` gives one
row per article. Both shapes come out here as one cell per (concept, instrument).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import queries
from .engines import Engine
from .errors import CtkgError
from .output import short

SCHEMES = {  # scheme -> (saved query, concept column, section title for people)
    "offence": ("offence-coverage", "offence", "offences"),
    "procedure": ("procedure-coverage", "procedure", "procedural powers"),
    "cooperation": ("cooperation-coverage", "mechanism", "cooperation"),
    "capacity": ("capacity-building", "obligation", "capacity building"),
    "safeguard": ("safeguards", "safeguard", "safeguards"),
}


@dataclass(frozen=True)
class Cell:
    """The articles of one instrument that address one concept, and how they oblige."""

    articles: str  # ", "-joined, in article order
    modalities: frozenset[str]  # "mandatory", "optional"; empty where not recorded
    reservable: bool  # a party may make a reservation to one of the articles


def coverage(engine: Engine, scheme: str, instrument: str | None = None) -> dict[tuple[str, str], Cell]:
    """(concept code, instrument id) -> cell, in the order the query gives the concepts."""
    if scheme not in SCHEMES:
        raise CtkgError(f"unknown scheme '{scheme}'; use one of: {', '.join(SCHEMES)}")
    name, column, _ = SCHEMES[scheme]
    query = queries.get(name)
    columns = [c.name for c in query.columns]
    found: dict[tuple[str, str], tuple[list[str], set[str], bool]] = {}
    params = {"instrument": instrument} if instrument else {}
    for row in queries.run(query, params, engine).rows:
        values = dict(zip(columns, row))
        key = (short(values[column]), short(values["instrument"]))
        numbers, modalities, reservable = found.get(key, ([], set(), False))
        numbers += [n for n in short(values.get("articles") or values.get("article")).split(", ") if n and n not in numbers]
        modalities |= {m for m in short(values["modality"]).split(", ") if m}
        reservable = reservable or (values.get("reservable") is not None and values["reservable"].value == "true")
        found[key] = (numbers, modalities, reservable)
    return {key: Cell(", ".join(sorted(numbers, key=queries.article_key)), frozenset(modalities), reservable)
            for key, (numbers, modalities, reservable) in found.items()}

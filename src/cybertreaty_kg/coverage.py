"""What each instrument covers in one concept scheme, read from the saved coverage queries (the
one place that knows which query and column serve which scheme), for ``compare`` and ``matrix``.

Every (concept, instrument) cell is one of three answers, as the queries give them: addressed
(with the articles), not addressed (the instrument's provisions are all recorded for the scheme,
and none addresses the concept), or not recorded (the instrument is modelled in part: its text may
still address the concept). Most coverage queries give one row per concept; ``capacity-building``
gives one row per article. Both shapes come out here as one cell per (concept, instrument).
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
ADDRESSED, NOT_ADDRESSED, NOT_RECORDED = "addressed", "not addressed", "not recorded"
STATUSES = (ADDRESSED, NOT_ADDRESSED, NOT_RECORDED)


@dataclass(frozen=True)
class Cell:
    """What one instrument's provisions say of one concept."""

    status: str  # one of STATUSES
    articles: str = ""  # ", "-joined, in article order; empty unless addressed
    modalities: frozenset[str] = frozenset()  # "mandatory", "optional"; empty where not recorded
    reservable: bool = False  # a party may make a reservation to one of the articles
    not_verified: str = ""  # the articles whose heading is only corroborated or unverified, e.g. "17 (unverified)"
    sources: str = ""  # the official texts the articles cite


def coverage(engine: Engine, scheme: str, instrument: str | None = None) -> dict[tuple[str, str], Cell]:
    """(concept code, instrument id) -> cell, in the order the query gives the concepts."""
    if scheme not in SCHEMES:
        raise CtkgError(f"unknown scheme '{scheme}'; use one of: {', '.join(SCHEMES)}")
    name, column, _ = SCHEMES[scheme]
    query = queries.get(name)
    columns = [c.name for c in query.columns]
    found: dict[tuple[str, str], dict] = {}
    params = {"instrument": instrument} if instrument else {}
    for row in queries.run(query, params, engine).rows:
        values = dict(zip(columns, row))
        key = (short(values[column]), short(values["instrument"]))
        cell = found.setdefault(key, {"status": short(values["status"]), "numbers": [], "modalities": set(),
                                      "reservable": False, "flags": [], "sources": []})
        numbers = short(values.get("articles") or values.get("article"))
        cell["numbers"] += [n for n in numbers.split(", ") if n and n not in cell["numbers"]]
        cell["modalities"] |= {m for m in short(values["modality"]).split(", ") if m}
        cell["reservable"] |= values.get("reservable") is not None and values["reservable"].value == "true"
        if "not_verified" in values:
            flags = short(values["not_verified"]).split(", ")
        else:  # one row per article: its own level
            level = short(values.get("verification"))
            flags = [f"{numbers} ({level or 'no verification level'})"] if numbers and level != "verified" else []
        cell["flags"] += [f for f in flags if f and f not in cell["flags"]]
        sources = short(values.get("sources") or values.get("source")).split(", ")
        cell["sources"] += [s for s in sources if s and s not in cell["sources"]]
    return {key: Cell(c["status"], ", ".join(sorted(c["numbers"], key=queries.article_key)), frozenset(c["modalities"]),
                      c["reservable"], ", ".join(sorted(c["flags"], key=queries.article_key)), ", ".join(sorted(c["sources"])))
            for key, c in found.items()}

"""A summary of the dataset for ``cybertreaty-kg info``: what is in it and where it comes from."""

from __future__ import annotations

from dataclasses import dataclass

from .dataset import Dataset
from .namespaces import short_id


@dataclass
class Info:
    version: str
    triples: int
    graphs: dict[str, int]
    classes: dict[str, int]  # class short name -> instances
    instruments: list[tuple[str, str, int, int | None, bool, str]]  # id, short title, articles held, in the text, all, schemes complete
    sources: list[str]


_CLASSES = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class FILTER STRSTARTS(STR(?class), STR(ctkg:)) }
GROUP BY ?class ORDER BY ?class
"""
_INSTRUMENTS = """
SELECT ?id ?title (COUNT(DISTINCT ?article) AS ?articles) (SAMPLE(?count) AS ?inText) (SAMPLE(?all) AS ?complete)
       (GROUP_CONCAT(DISTINCT ?scheme; separator=", ") AS ?schemes) WHERE {
  ?instrument ctkg:identifier ?id .
  OPTIONAL { ?instrument ctkg:shortTitle ?title }
  OPTIONAL { ?article a ctkg:Article ; ctkg:inInstrument ?instrument }
  OPTIONAL { ?instrument ctkg:articleCount ?count }
  OPTIONAL { ?instrument ctkg:allArticlesModelled ?all }
  OPTIONAL { ?instrument ctkg:subjectsCompleteFor ?schemeIri BIND (STRAFTER(STR(?schemeIri), "/concept/") AS ?scheme) }
} GROUP BY ?id ?title ORDER BY ?id
"""
_SOURCES = "SELECT DISTINCT ?source WHERE { ?s dcterms:source ?source FILTER isIRI(?source) } ORDER BY ?source"


def info(dataset: Dataset) -> Info:
    """Counts by class, instruments with their article counts, sources and version."""
    from . import __version__

    return Info(
        version=__version__,
        triples=dataset.triples,
        graphs={dataset.describe_graph(g): n for g, n in sorted(dataset.counts.items())},
        classes={short_id(r["class"].value): int(r["n"].value) for r in dataset.query(_CLASSES)},
        instruments=[
            (r["id"].value, r["title"].value if r["title"] else "", int(r["articles"].value),
             int(r["inText"].value) if r["inText"] else None, bool(r["complete"]) and r["complete"].value == "true",
             ", ".join(sorted(r["schemes"].value.split(", "))) if r["schemes"] and r["schemes"].value else "")
            for r in dataset.query(_INSTRUMENTS)
        ],
        sources=[r["source"].value for r in dataset.query(_SOURCES)],
    )

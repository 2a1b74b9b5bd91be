"""Full-text search over what the graph says in words: headings, labels, aliases, definitions,
paragraph subjects and notes, and the concepts each provision addresses, of instruments, provisions, concepts, organisations and States.

A researcher who types "grooming" or "24/7 network" wants the ids to pass to ``show`` or to a
saved query, not a SPARQL ``REGEX``. Each text is scored against the words with rapidfuzz's
token-set ratio (word order and repeated words do not matter, a near spelling still scores), and a
hit also scores for every query word found whole in it, so an exact word outranks a near miss.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from .resolve import Resolver, key

_TEXTS = """SELECT ?s ?field ?text WHERE {
  { VALUES (?p ?field) { (rdfs:label "label") (skos:prefLabel "label") (skos:altLabel "alias") (ctkg:shortTitle "alias")
                         (dcterms:title "title") (ctkg:heading "heading") (skos:definition "definition")
                         (dcterms:description "subject") (skos:scopeNote "note") (rdfs:comment "note") }
    ?s ?p ?text }
  UNION { ?s ctkg:addresses/skos:prefLabel ?text . BIND ("concept" AS ?field) }
  FILTER (isLiteral(?text) && STRSTARTS(STR(?s), "https://w3id.org/cybertreaty-kg/id/")) }"""


@dataclass(frozen=True)
class Hit:
    """One thing that matched, with the text that matched best."""

    score: float
    kind: str
    id: str
    label: str
    field: str
    text: str


def _words(text: str) -> set[str]:
    return {key(w) for w in re.findall(r"[\w/]+", text) if key(w)}


def search(words: str, resolver: Resolver, limit: int = 20, kinds: tuple[str, ...] | None = None) -> list[Hit]:
    """The things whose texts best match ``words``, best first (ties by id)."""
    asked = _words(words)
    if not asked:
        return []
    best: dict[str, Hit] = {}
    texts: list[tuple[str, str, str]] = [(s.value, f.value, t.value) for s, f, t in resolver.engine.run(_TEXTS).rows]
    texts += [(thing.iri, "name", name) for name, thing in resolver.names() if thing.kind == "state"]
    for iri, field, text in texts:
        thing = resolver.by_iri(iri)
        if thing is None or (kinds and thing.kind not in kinds):
            continue
        found = asked & _words(text)
        if not found and (len(text) < 4 or fuzz.partial_ratio(words.casefold(), text.casefold()) < 85):
            continue
        score = fuzz.token_set_ratio(words, text, processor=str.casefold) + 50 * len(found) / len(asked)
        if field in ("label", "heading", "alias", "name"):
            score += 10
        previous = best.get(iri)
        if previous is None or score > previous.score:
            best[iri] = Hit(round(score, 1), thing.kind, thing.id, thing.label, field, text)
    return sorted(best.values(), key=lambda h: (-h.score, h.id))[:limit]


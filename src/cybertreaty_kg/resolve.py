"""Friendly ids: the names researchers type (``UNCC``, ``ETS 185``, ``Hanoi Convention``,
``uncc art. 41``, ``uncc 40(8)``, ``24/7 network``, ``Japan``, ``coe``) resolved to one thing of
the graph.

Every name is read from the graph itself (identifiers, labels, short titles, aliases, treaty
numbers, concept codes and labels, organisation codes) or, for States, from ISO 3166 through
pycountry, so a new instrument or concept is resolvable as soon as it is built. Matching is exact
after normalisation (case, accents, punctuation, "No."); only the suggestions for a name that
matches nothing are fuzzy (rapidfuzz), so a typo is never silently taken for something else.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

import pycountry
from rapidfuzz import fuzz, process

from .engines import Engine
from .errors import CtkgError
from .namespaces import ID

KINDS = ("instrument", "provision", "concept", "state", "organisation")


class UnknownName(CtkgError):
    """A friendly id that names nothing in the graph; the message suggests the nearest names."""


@dataclass(frozen=True)
class Thing:
    """One thing of the graph as a user names it."""

    kind: str  # one of KINDS
    iri: str
    id: str  # the canonical friendly id: uncc, uncc 40(8), cooperation/network-24-7, JPN, coe
    label: str


def key(text: str) -> str:
    """The form names are compared in: accents, case, spaces, "No." and the punctuation of names
    (. , ; : / ( ) ' - _) dropped, so ``ETS No. 185`` is ``ets185`` and ``24/7 network`` is
    ``247 Network``. Other characters (quotes, braces, ``<>``) stay, so a value carrying SPARQL
    syntax never equals a name."""
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"\bno\.?\s*(?=\d)|\bn°\s*", "", text)
    return re.sub(r"[\s.,;:/()'’_-]+", "", text)


_INSTRUMENTS = """SELECT ?i ?id ?label ?name WHERE {
  ?i ctkg:identifier ?id . OPTIONAL { ?i rdfs:label ?label }
  OPTIONAL { ?i ctkg:shortTitle|skos:altLabel|dcterms:title|ctkg:celexNumber|ctkg:untcReference ?name } } ORDER BY ?id ?name"""
_PROVISIONS = """SELECT ?p ?id ?citation ?label WHERE {
  ?p ctkg:inInstrument ?i ; ctkg:citation ?citation . ?i ctkg:identifier ?id .
  OPTIONAL { ?p rdfs:label ?label } } ORDER BY ?id ?citation"""
_CONCEPTS = """SELECT ?c ?code ?scheme ?label ?name WHERE {
  ?c a skos:Concept ; skos:notation ?code ; skos:inScheme ?s . ?s a skos:ConceptScheme .
  BIND (STRAFTER(STR(?s), "/concept/") AS ?scheme)
  OPTIONAL { ?c skos:prefLabel ?label } OPTIONAL { ?c skos:altLabel ?name } } ORDER BY ?scheme ?code ?name"""
_ORGANISATIONS = """SELECT ?o ?code ?label ?name WHERE {
  ?o a ctkg:Organisation ; skos:notation ?code . OPTIONAL { ?o rdfs:label ?label }
  OPTIONAL { ?o skos:altLabel ?name } } ORDER BY ?code ?name"""

# "uncc 41", "uncc art. 41", "UNCC Article 40(8)", "ETS 185 art 35", "budapest 42(1)(c)"
_PROVISION = re.compile(r"^(?P<instrument>.+?)[\s,]+(?:art(?:icle)?s?\.?\s*)?(?P<citation>\d+\s*[a-z]*(?:\s*\(\s*\w+\s*\))*)$",
                        re.IGNORECASE)


def _citation(text: str) -> str:
    """A citation compared without spaces or case: ``40 (8)`` is ``40(8)``, never ``4(08)``."""
    return re.sub(r"\s+", "", text).casefold()


def _state_name(country) -> str:
    return getattr(country, "common_name", None) or country.name


class Resolver:
    """Resolves friendly ids against one engine's graph (read once, on first use)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @cached_property
    def _index(self) -> dict[str, dict[str, Thing]]:
        """kind → normalised name → thing (provisions: ``instrument|citation`` → thing)."""
        index: dict[str, dict[str, Thing]] = {kind: {} for kind in KINDS}
        self._names: list[tuple[str, Thing]] = []

        def add(kind: str, text: str | None, thing: Thing) -> None:
            if text and key(text) and key(text) not in index[kind]:
                index[kind][key(text)] = thing
                self._names.append((text, thing))

        rows = self.engine.run(_INSTRUMENTS).rows
        for iri, ident, label, name in rows:
            thing = Thing("instrument", iri.value, ident.value, label.value if label is not None else ident.value)
            for text in (ident.value, thing.label, name.value if name is not None else None):
                add("instrument", text, thing)
                # the Council of Europe numbers old treaties ETS and new ones CETS: accept both
                match = re.fullmatch(r"c?ets(\d+)", key(text or ""))
                if match:
                    add("instrument", f"ETS {match.group(1)}", thing)
                    add("instrument", f"CETS {match.group(1)}", thing)
                if re.fullmatch(r"3\d{4}[A-Z]\d{4}", text or ""):  # a CELEX number: also as "CELEX 32013L0040"
                    add("instrument", f"CELEX {text}", thing)
        for iri, ident, citation, label in self.engine.run(_PROVISIONS).rows:
            thing = Thing("provision", iri.value, f"{ident.value} {citation.value}",
                          label.value if label is not None else f"{ident.value} {citation.value}")
            index["provision"].setdefault(f"{ident.value}|{_citation(citation.value)}", thing)
        concept_rows = self.engine.run(_CONCEPTS).rows
        codes: dict[str, set[str]] = {}
        for iri, code, scheme, label, name in concept_rows:
            codes.setdefault(code.value, set()).add(iri.value)
        for iri, code, scheme, label, name in concept_rows:
            thing = Thing("concept", iri.value, f"{scheme.value}/{code.value}", label.value if label is not None else code.value)
            add("concept", thing.id, thing)
            if len(codes[code.value]) == 1:
                add("concept", code.value, thing)
            add("concept", thing.label, thing)
            add("concept", name.value if name is not None else None, thing)
        for iri, code, label, name in self.engine.run(_ORGANISATIONS).rows:
            thing = Thing("organisation", iri.value, code.value, label.value if label is not None else code.value)
            for text in (code.value, thing.label, name.value if name is not None else None):
                add("organisation", text, thing)
        for country in pycountry.countries:
            thing = Thing("state", f"{ID}state/{country.alpha_3}", country.alpha_3, _state_name(country))
            for text in (country.alpha_3, country.alpha_2, country.name, getattr(country, "common_name", None),
                         getattr(country, "official_name", None)):
                add("state", text, thing)
        return index

    def names(self) -> list[tuple[str, Thing]]:
        """Every name a user could type for an instrument, concept, organisation or State, with its
        thing (for suggestions and search)."""
        self._index
        return list(self._names)

    @cached_property
    def _by_iri(self) -> dict[str, Thing]:
        things: dict[str, Thing] = {}
        for kind in KINDS:
            for thing in self._index[kind].values():
                things.setdefault(thing.iri, thing)
        return things

    def by_iri(self, iri: str) -> Thing | None:
        """The thing an IRI of ours names, with its friendly id (``…/uncc/art/40/para/8`` → ``uncc 40(8)``)."""
        return self._by_iri.get(iri)

    def things(self) -> list[Thing]:
        """Every thing with a friendly id (States: every ISO 3166 State, in the graph or not)."""
        return sorted(self._by_iri.values(), key=lambda thing: (thing.kind, thing.id))

    def provision(self, instrument: str, citation: str) -> Thing | None:
        """The provision ``citation`` (``41``, ``40(8)``) of the instrument with id ``instrument``."""
        return self._index["provision"].get(f"{instrument}|{_citation(citation)}")

    def instrument(self, text: str) -> Thing | None:
        return self._index["instrument"].get(key(text))

    def resolve(self, text: str, kinds: tuple[str, ...] = KINDS) -> Thing:
        """The one thing ``text`` names, among ``kinds``; :class:`UnknownName` with suggestions if none."""
        text = text.strip()
        if text.startswith(ID):
            thing = self.by_iri(text)
            if thing is not None and thing.kind in kinds:
                return thing
        normal = key(text)
        for kind in kinds:
            if kind == "provision":
                thing = self._provision(text)
            else:
                thing = self._index[kind].get(normal)
            if thing is not None:
                return thing
        raise UnknownName(self._unknown(text, kinds))

    def _provision(self, text: str) -> Thing | None:
        match = _PROVISION.match(text)
        if match is None:
            return None
        instrument = self.instrument(match.group("instrument"))
        if instrument is None:
            return None
        return self._index["provision"].get(f"{instrument.id}|{_citation(match.group('citation'))}")

    def _unknown(self, text: str, kinds: tuple[str, ...]) -> str:
        what = ("party" if set(kinds) == {"state", "organisation"} else " or ".join(kinds)
                if len(kinds) < len(KINDS) else "thing in the graph")
        if "provision" in kinds:
            match = _PROVISION.match(text)
            instrument = self.instrument(match.group("instrument")) if match else None
            if instrument is not None:
                return (f"'{text}': {instrument.id} has no provision {match.group('citation')} in the graph; "
                        f"`cybertreaty-kg show {instrument.id}` lists its articles")
            bare = re.fullmatch(r"(?:art(?:icle)?s?\.?\s*)?(\d+\s*[a-z]*(?:\(\w+\))*)", text.strip(), re.IGNORECASE)
            if bare:
                holders = sorted({t.id.split(" ")[0] for k, t in self._index["provision"].items()
                                  if k.split("|")[1] == _citation(bare.group(1))})
                if holders:
                    return (f"'{text}' names no instrument; did you mean "
                            + ", ".join(f"'{h} {bare.group(1)}'" for h in holders) + "?")
        choices = {name: thing for name, thing in self.names() if thing.kind in kinds}
        near = process.extract(text, list(choices), scorer=fuzz.WRatio, limit=12, score_cutoff=60)
        suggestions: list[str] = []
        for name, _, _ in near:
            thing = choices[name]
            shown = f"{thing.id} ({thing.label})" if thing.label != thing.id else thing.id
            if shown not in suggestions:
                suggestions.append(shown)
        hint = f"; did you mean: {'; '.join(suggestions[:5])}?" if suggestions else ""
        if kinds == ("instrument",):
            return f"unknown {what} '{text}'{hint}; known: {', '.join(sorted({t.id for t in self._index['instrument'].values()}))}"
        return f"unknown {what} '{text}'{hint} (`cybertreaty-kg search WORDS` finds ids)"

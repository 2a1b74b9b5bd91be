"""States, generated from ISO 3166 (pycountry) rather than kept in a hand-written table.

Participation files name a state only by its IRI (``…/id/state/{ISO 3166-1 alpha-3}``). When the
dataset is loaded, every state IRI used anywhere is looked up in pycountry (an unknown code is
refused with the file and line that used it), and every ISO 3166 State, used or not, is described
in one generated named graph (label, code), so names and codes always come from the standard and
the published dataset is enough for any SHACL engine to validate a submission that names a State
the data does not use yet.
"""

from __future__ import annotations

from collections.abc import Iterable

import pycountry
import pyoxigraph as ox

from .errors import SourceError
from .namespaces import CTKG, GRAPH, ID, PREFIXES
from .sources import SourceFile

STATE = ID + "state/"
STATES_GRAPH = GRAPH + "data/parties/states"
"""The generated graph: not a source file, so it has no line numbers of its own."""


def state_iri(alpha3: str) -> str:
    return STATE + alpha3


def check_states(statements: Iterable[ox.Triple | ox.Quad], source: SourceFile | str) -> None:
    """Refuse a state IRI that is not ISO 3166-1 alpha-3, naming the file (or graph) that used it."""
    used: set[str] = set()
    for statement in statements:
        for term in (statement.subject, statement.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(STATE):
                used.add(term.value)
    for iri in sorted(used):
        code = iri.removeprefix(STATE)
        if not (len(code) == 3 and code.isupper() and pycountry.countries.get(alpha_3=code)):
            raise SourceError(source.rel if isinstance(source, SourceFile) else source,
                              source.locate(iri) if isinstance(source, SourceFile) else None,
                              f"'{code}' is not an ISO 3166-1 alpha-3 code; state IRIs are {STATE}{{alpha-3}}, e.g. {STATE}VNM")


def describe_states(store: ox.Store, sources: list[SourceFile]) -> int:
    """Check every state IRI used, and add the generated states graph (every ISO 3166 State);
    return the triples added."""
    by_graph = {s.graph: s for s in sources}
    for graph in sorted(store.named_graphs(), key=lambda g: g.value):
        check_states(store.quads_for_pattern(None, None, None, graph), by_graph.get(graph.value, graph.value))
    graph = ox.NamedNode(STATES_GRAPH)
    quads = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        node = ox.NamedNode(STATE + country.alpha_3)
        quads += [
            ox.Quad(node, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(CTKG + "State"), graph),
            ox.Quad(node, ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.Literal(getattr(country, "common_name", country.name), language="en"), graph),
            ox.Quad(node, ox.NamedNode(CTKG + "isoAlpha3"), ox.Literal(country.alpha_3), graph),
            ox.Quad(node, ox.NamedNode(PREFIXES["skos"] + "notation"), ox.Literal(country.alpha_3), graph),
            ox.Quad(node, ox.NamedNode(PREFIXES["dcterms"] + "source"), ox.NamedNode("https://www.iso.org/iso-3166-country-codes.html"), graph),
        ]
        if getattr(country, "official_name", None):
            quads.append(ox.Quad(node, ox.NamedNode(PREFIXES["skos"] + "altLabel"), ox.Literal(country.official_name, language="en"), graph))
    store.extend(quads)
    return len(quads)

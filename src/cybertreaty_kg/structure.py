"""How each provision is cited, generated from the structure the sources state.

A paragraph is written in the sources as part of its article (``ctkg:partOf``) with its own
number; an item as part of its paragraph. Every answer that names a provision needs the citation
lawyers use (``40(8)``, ``23(3)(a)``), the article it belongs to, and its place in text order.
Computing them once, at load time, into one generated graph (``…/graph/derived/structure``) keeps
every saved query short and the same on every engine and store (no property paths of unknown
length, no string building in SPARQL): ``ctkg:citation``, ``ctkg:inArticle``, ``ctkg:within`` (every
provision above, up to the article: Virtuoso 7 lost rows of ``ctkg:partOf+``), ``ctkg:orderKey``, and
``ctkg:citedFor``, which says which provision to cite for a concept: the article where the
article as a whole addresses it, otherwise each paragraph (or item) that does, so that an answer
gives "40" for mutual legal assistance but "40(8)" for dual criminality.

A run of provisions printed without an article number (``ctkg:ProvisionGroup``: the Arab
Convention's final provisions) stands in for an article: it has an order but no number, and
is cited by the name its IRI gives (``…/arab/final-provisions`` → "final provisions"), its
paragraphs as "final provisions para. 3".
"""

from __future__ import annotations

import pyoxigraph as ox

from .namespaces import CTKG, GRAPH, PREFIXES

STRUCTURE_GRAPH = GRAPH + "derived/structure"

_PROVISIONS = """
SELECT ?provision ?class ?number ?order ?parent WHERE {
  ?provision ctkg:order ?order ; a ?class .
  FILTER (?class IN (ctkg:Article, ctkg:ProvisionGroup, ctkg:Paragraph, ctkg:Subparagraph, ctkg:InterpretativeNote))
  OPTIONAL { ?provision ctkg:number ?number }
  OPTIONAL { ?provision ctkg:partOf ?parent }
}
"""


def describe_structure(store: ox.Store) -> int:
    """Add the generated structure graph to ``store`` and return the triples added."""
    found: dict[str, tuple[str, str, int, str | None]] = {}
    for row in store.query(_PROVISIONS, prefixes=PREFIXES, use_default_graph_as_union=True):
        kind, iri = row["class"].value.removeprefix(CTKG), row["provision"].value
        if kind == "ProvisionGroup":
            number = iri.rsplit("/", 1)[-1].replace("-", " ")
        elif row["number"] is not None:
            number = row["number"].value
        else:
            continue  # a provision without a number is not cited (the shapes ask for one)
        found[iri] = (kind, number, int(row["order"].value), row["parent"].value if row["parent"] else None)

    def chain(iri: str) -> list[tuple[str, str, int]] | None:
        """From the article down to ``iri``: (iri, number, order) for each level; None outside an article."""
        levels = []
        while iri in found:
            kind, number, order, parent = found[iri]
            levels.append((iri, number, order))
            if kind in ("Article", "ProvisionGroup"):
                return levels[::-1]
            if kind == "InterpretativeNote":
                return None
            iri = parent
        return None

    addresses: dict[str, set[str]] = {}
    for row in store.query("SELECT ?p ?c WHERE { ?p ctkg:addresses ?c }", prefixes=PREFIXES, use_default_graph_as_union=True):
        addresses.setdefault(row["p"].value, set()).add(row["c"].value)
    graph = ox.NamedNode(STRUCTURE_GRAPH)
    quads = []
    for iri, (kind, number, order, _) in sorted(found.items()):
        if kind == "InterpretativeNote":
            citation, key, article = f"note {number}", f"note.{order:04d}", None
        else:
            levels = chain(iri)
            if levels is None:
                continue
            article = levels[0][0]
            if found[article][0] == "ProvisionGroup" and len(levels) > 1:
                citation = f"{levels[0][1]} para. {levels[1][1]}" + "".join(f"({n})" for _, n, _ in levels[2:])
            else:
                citation = levels[0][1] + "".join(f"({n})" for _, n, _ in levels[1:])
            key = ".".join(f"{o:04d}" for _, _, o in levels)
        node = ox.NamedNode(iri)
        quads.append(ox.Quad(node, ox.NamedNode(CTKG + "citation"), ox.Literal(citation), graph))
        quads.append(ox.Quad(node, ox.NamedNode(CTKG + "orderKey"), ox.Literal(key), graph))
        if article:
            quads.append(ox.Quad(node, ox.NamedNode(CTKG + "inArticle"), ox.NamedNode(article), graph))
            quads += [ox.Quad(node, ox.NamedNode(CTKG + "within"), ox.NamedNode(level), graph) for level, _, _ in levels[:-1]]
            above = set().union(*(addresses.get(level, set()) for level, _, _ in levels[:-1]))
            for concept in sorted(addresses.get(iri, set()) - above):
                quads.append(ox.Quad(node, ox.NamedNode(CTKG + "citedFor"), ox.NamedNode(concept), graph))
    store.extend(quads)
    return len(quads)

"""Grow the shipped graph to a chosen size for the query benchmarks: every instrument, its
articles, participation records and crosswalk rows are copied under new ids (``uncc-c1``,
``budapest-c1``, …), sharing the ontology, concepts, states and organisations, so that a bigger
graph has the shape of the real one (more instruments of the same size, more parties' events).
Fictional data only: never shipped.

    python benchmarks/grow.py 1000000 > /tmp/big.nq     # about 1M quads, N-Quads
"""

from __future__ import annotations

import sys

import pyoxigraph as ox

from cybertreaty_kg import load_dataset
from cybertreaty_kg.namespaces import CTKG, GRAPH, ID

COPIED_GRAPHS = (GRAPH + "data/instruments/", GRAPH + "data/parties/", GRAPH + "data/mappings/")
SHARED = (ID + "concept/", ID + "state/", ID + "org/")
IDENTIFIER = ox.NamedNode(CTKG + "identifier")


def _copy_iri(node: ox.NamedNode, suffix: str) -> ox.NamedNode:
    value = node.value
    if value.startswith(ID + "instrument/"):
        head, _, tail = value[len(ID + "instrument/"):].partition("/")
        return ox.NamedNode(f"{ID}instrument/{head}{suffix}" + (f"/{tail}" if tail else ""))
    if value.startswith(ID) and not value.startswith(SHARED):
        return ox.NamedNode(value + suffix)
    return node


def grow(triples: int) -> ox.Store:
    """The shipped graph plus as many renamed copies of its data graphs as reach ``triples``."""
    store = load_dataset().store
    data = [q for q in store.quads_for_pattern(None, None, None, None)
            if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(COPIED_GRAPHS)
            and not q.graph_name.value.endswith(("/states", "/organisations"))]
    copies = max(0, (triples - len(store)) // len(data))
    for k in range(1, copies + 1):
        suffix = f"-c{k}"
        store.extend(
            ox.Quad(_copy_iri(q.subject, suffix), q.predicate,
                    ox.Literal(q.object.value + suffix) if q.predicate == IDENTIFIER else
                    (_copy_iri(q.object, suffix) if isinstance(q.object, ox.NamedNode) else q.object),
                    ox.NamedNode(q.graph_name.value + suffix))
            for q in data)
    return store


if __name__ == "__main__":
    sys.stdout.buffer.write(ox.serialize(grow(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000), format=ox.RdfFormat.N_QUADS))

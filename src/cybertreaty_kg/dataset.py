"""The dataset: every source file loaded into one embedded Oxigraph store, one named graph each.

Oxigraph is the default engine (DESIGN.md): it parses about 13x faster than rdflib and answers
SPARQL in milliseconds, so every command can afford to start from the sources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .bindings import with_values
from .derive import DERIVED_GRAPH, derive_entries_into_force
from .namespaces import PREFIXES
from .paths import default_root
from .sources import SourceFile, discover, parse
from .states import STATES_GRAPH, describe_states


@dataclass
class Dataset:
    """The loaded sources: the store, the files, and triples per named graph."""

    root: Path
    store: ox.Store
    sources: list[SourceFile]
    counts: dict[str, int] = field(default_factory=dict)  # graph IRI -> triples

    def source_for(self, graph: str) -> SourceFile | None:
        """The source file a named graph came from."""
        return next((s for s in self.sources if s.graph == graph), None)

    def describe_graph(self, graph: str) -> str:
        """A named graph's origin for people: its source file, or how it was generated."""
        source = self.source_for(graph)
        if source is not None:
            return source.rel
        if graph == STATES_GRAPH:
            return "generated from ISO 3166 (pycountry)"
        if graph == DERIVED_GRAPH:
            return "derived by the build from the entry-into-force rules and the recorded consents"
        return graph

    def query(self, sparql: str, **bindings: ox.NamedNode | ox.Literal):
        """Run SPARQL with the union of all named graphs as default graph (how users see the
        graph); ``GRAPH ?g`` still reaches each source's own graph. Bindings are passed as
        values, never spliced into the query text."""
        return self.store.query(with_values(sparql, bindings), prefixes=PREFIXES, use_default_graph_as_union=True)

    def quads(self) -> list[ox.Quad]:
        """All quads, sorted, so that every export is byte-for-byte reproducible."""
        return sorted(self.store.quads_for_pattern(None, None, None, None), key=_sort_key)

    @property
    def triples(self) -> int:
        return sum(self.counts.values())


def _sort_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))


def load_dataset(root: Path | str | None = None, progress: Callable[[SourceFile], None] | None = None) -> Dataset:
    """Parse every source file under ``root`` (default: the shipped sources) into a fresh store.

    Raises :class:`~cybertreaty_kg.errors.SourceError` on the first unreadable file, before
    anything is written anywhere.
    """
    root = Path(root) if root is not None else default_root()
    sources = discover(root)
    store = ox.Store()
    counts: dict[str, int] = {}
    for source in sources:
        if progress:
            progress(source)
        quads = parse(source)
        store.extend(quads)
        counts[source.graph] = len(set(quads))
    added = describe_states(store, sources)
    if added:
        counts[STATES_GRAPH] = added
    derived = derive_entries_into_force(store)
    if derived:
        counts[DERIVED_GRAPH] = derived
    return Dataset(root=root, store=store, sources=sources, counts=counts)

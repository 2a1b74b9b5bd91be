"""Push the graph into a user's triple store, one named graph at a time, and prove it arrived.

Each named graph goes in one request of the SPARQL 1.1 Graph Store HTTP Protocol (``PUT`` to
replace it, ``POST`` to add to it) or, for a store that only speaks SPARQL Update, one update
request (``DROP SILENT GRAPH`` then ``INSERT DATA``). One request per graph means each graph is
replaced whole or not at all; a graph that fails is reported and the others still go. Then the
triples of every graph are counted on the server and compared with the local build: the load
succeeds only if every count matches. The VoID description of the build goes along, in its own
graph (``…/graph/void``), so that a store user can query which graph holds what.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from . import __version__
from .dataset import Dataset
from .errors import CtkgError
from .export import VOID_GRAPH, describe
from .remote import CredentialsError, Http, RemoteEngine, RemoteError

# Standard paths: the Graph Store endpoint and the query endpoint of the same dataset.
_QUERY_FROM_STORE = (
    (re.compile(r"/store/?$"), "/query"),                                # Oxigraph: /store, /query
    (re.compile(r"/(data|get)/?$"), "/sparql"),                          # Fuseki: /{ds}/data, /{ds}/sparql
    (re.compile(r"/rdf-graphs/service/?$"), ""),                         # GraphDB / RDF4J: /repositories/{id}/rdf-graphs/service
    (re.compile(r"/statements/?$"), ""),                                 # RDF4J update endpoint: /repositories/{id}/statements
    (re.compile(r"/update/?$"), "/query"),                               # Oxigraph, Fuseki: /update
    (re.compile(r"/sparql-graph-crud(-auth)?/?$"), "/sparql"),           # Virtuoso: /sparql-graph-crud-auth, /sparql
)


@dataclass
class GraphOutcome:
    """One named graph: triples in the build, on the server afterwards, and any upload error."""

    graph: str
    local: int
    remote: int | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.remote == self.local


def query_endpoint_for(url: str) -> str:
    """The query endpoint that goes with a Graph Store (or update) endpoint, by the standard
    paths of Oxigraph, Fuseki, GraphDB and Virtuoso; other stores need ``--query-endpoint``."""
    for pattern, replacement in _QUERY_FROM_STORE:
        if pattern.search(url):
            return pattern.sub(replacement, url)
    raise CtkgError(f"cannot tell the query endpoint that goes with {url}; give it with --query-endpoint")


def _graphs(dataset: Dataset) -> dict[str, list[ox.Triple]]:
    """Every named graph's triples, plus the VoID description in its own graph."""
    graphs = {graph: [ox.Triple(q.subject, q.predicate, q.object)
                      for q in dataset.store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
              for graph in sorted(dataset.counts)}
    graphs[VOID_GRAPH] = describe(dataset, __version__)
    return graphs


def _upload(http: Http, graph: str, body: bytes, *, store: str | None, update: str | None, replace: bool) -> None:
    if store is not None:
        separator = "&" if "?" in store else "?"
        http.request("PUT" if replace else "POST", f"{store}{separator}graph={urllib.parse.quote(graph, safe='')}", body,
                     {"Content-Type": "application/n-triples"})
        return
    drop = f"DROP SILENT GRAPH <{graph}> ;\n" if replace else ""
    http.request("POST", update or "", f"{drop}INSERT DATA {{ GRAPH <{graph}> {{\n".encode() + body + b"} }",
                 {"Content-Type": "application/sparql-update"})


def server_counts(query_endpoint: str, http: Http) -> dict[str, int]:
    """Triples per named graph on the server."""
    result = RemoteEngine(query_endpoint, [], http).run(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {}
    for g, n in result.rows:
        if g is None or n is None or not n.value.isdigit():
            raise RemoteError(f"{query_endpoint}: a graph count is not a number: {n.value if n else 'none'!r} for "
                              f"{g.value if g else 'no graph'}")
        counts[g.value] = int(n.value)
    return counts


def load(dataset: Dataset, *, store: str | None = None, update: str | None = None, query: str | None = None,
         replace: bool = False, http: Http | None = None,
         progress: Callable[[str, int], None] | None = None) -> list[GraphOutcome]:
    """Upload every named graph of ``dataset`` to ``store`` (a Graph Store endpoint) or, failing
    that, ``update`` (a SPARQL Update endpoint), then count each on ``query`` (default: the
    query endpoint of the same dataset). ``progress`` is called with each graph and its size."""
    if (store is None) == (update is None):
        raise CtkgError("give either --endpoint (Graph Store Protocol) or --update-endpoint (SPARQL Update)")
    http = http or Http()
    query = query or query_endpoint_for(store or update or "")
    server_counts(query, http)  # fail early, with one clear message, if the server is down or refuses us
    outcomes = []
    for graph, triples in _graphs(dataset).items():
        outcome = GraphOutcome(graph, len(set(triples)))
        try:
            _upload(http, graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), store=store, update=update, replace=replace)
        except CredentialsError:
            raise
        except RemoteError as error:
            outcome.error = str(error)
        outcomes.append(outcome)
        if progress:
            progress(graph, outcome.local)
    counts = server_counts(query, http)
    for outcome in outcomes:
        outcome.remote = counts.get(outcome.graph, 0)
    return outcomes

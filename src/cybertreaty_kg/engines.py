"""Two SPARQL engines behind one interface, and results in one engine-neutral shape.

pyoxigraph is the default (compiled, milliseconds on the shipped graph); rdflib is the reference
Python implementation, kept to cross-check every saved query (DESIGN.md). Both see the union of
the named graphs as the default graph, get the same predeclared prefixes and the same parameter
bindings, and their answers are converted to the same :class:`Result`, so that "the same query
gives the same rows on both engines" is a plain equality test.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from .bindings import with_values
from .dataset import load_dataset
from .errors import CtkgError
from .lexical import find_keyword
from .namespaces import PREFIXES, XSD, query_prefixes
from .paths import SOURCE_DIRS, default_root

ENGINES = ("oxigraph", "rdflib")


@dataclass(frozen=True, order=True)
class Term:
    """One RDF term, engine-neutral: an IRI, a literal (lexical form, datatype, language) or a
    blank node. Plain literals get ``xsd:string``, as RDF 1.1 says (rdflib leaves them untyped)."""

    kind: str  # "iri", "literal" or "bnode"
    value: str
    datatype: str | None = None
    language: str | None = None

    def to_ox(self) -> ox.NamedNode | ox.Literal:
        """The term as an Oxigraph term, whose ``str`` is its SPARQL syntax (so a ``VALUES`` block
        is written by Oxigraph's serialiser, whatever engine runs the query)."""
        if self.kind == "iri":
            return ox.NamedNode(self.value)
        if self.kind == "literal":
            if self.language:
                return ox.Literal(self.value, language=self.language)
            return ox.Literal(self.value, datatype=ox.NamedNode(self.datatype or XSD + "string"))
        raise ValueError("blank nodes cannot be bound as parameters")

    def python(self) -> str | int | bool:
        """A JSON-friendly value: integers and booleans as such, everything else as text."""
        if self.kind == "literal" and self.datatype in (XSD + "integer", XSD + "int", XSD + "long"):
            return int(self.value)
        if self.kind == "literal" and self.datatype == XSD + "boolean":
            return self.value in ("true", "1")
        return self.value


def iri(value: str) -> Term:
    return Term("iri", value)


def literal(value: str, datatype: str = XSD + "string") -> Term:
    return Term("literal", value, datatype)


@dataclass
class Result:
    """What a query returned: ``ask`` (a boolean), ``select`` (columns and rows, a row holding a
    :class:`Term` or ``None`` per column) or ``graph`` (triples, for CONSTRUCT and DESCRIBE)."""

    form: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[tuple[Term, Term, Term]] = field(default_factory=list)


class Engine(Protocol):
    name: str

    def run(self, sparql: str, bindings: dict[str, Term] | None = None) -> Result:
        """Run a query with ``bindings`` passed as a ``VALUES`` block (never spliced as text)."""


def _from_ox(term) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Term("literal", term.value, None, term.language)
        return Term("literal", term.value, term.datatype.value)
    raise CtkgError(f"unsupported term in a result: {term!r}")


def as_ox(bindings: dict[str, Term] | None) -> dict[str, ox.NamedNode | ox.Literal]:
    """Bindings for :func:`~cybertreaty_kg.bindings.with_values`."""
    return {name: term.to_ox() for name, term in (bindings or {}).items()}


_SLASHED = re.compile(r"(?<![\w<\\/:.-])([A-Za-z][\w-]*):([\w-]+(?:/[\w()-]+)+)")


def slash_hint(sparql: str) -> str:
    """A hint for the commonest first error: a prefixed name with "/" in it (``ctkg-id:instrument/uncc``),
    which SPARQL does not allow; the fix names our prefixes that need no escape."""
    match = _SLASHED.search(sparql)
    if match is None:
        return ""
    prefix, local = match.groups()
    suggestion = ""
    parts = local.split("/")
    if prefix == "ctkg-id" and parts[0] == "instrument" and len(parts) == 2:
        suggestion = f"inst:{parts[1]}"
    elif prefix == "ctkg-id" and parts[0] == "instrument" and len(parts) == 4 and parts[2] == "art":
        suggestion = f"{parts[1]}-art:{parts[3]}"
    elif prefix == "ctkg-id" and parts[0] in ("state", "org") and len(parts) == 2:
        suggestion = f"{parts[0]}:{parts[1]}"
    elif prefix == "ctkg-id" and parts[0] == "concept" and len(parts) == 3:
        suggestion = f"{parts[1]}:{parts[2]}"
    fix = f"write {suggestion}, or " if suggestion else "write "
    escaped = local.replace("/", "\\/")
    return (f" (hint: '{prefix}:{local}' has a '/', which a prefixed name may not hold; {fix}"
            f"{prefix}:{escaped} or the full <IRI>; the prefixes inst:, state:, org:, offence:, ..., uncc-art: need no escape)")


def _instrument_ids(store: ox.Store) -> list[str]:
    """The instruments' short ids, for their ``ID-art:`` prefixes."""
    identifier = ox.NamedNode(PREFIXES["ctkg"] + "identifier")
    return sorted({quad.object.value for quad in store.quads_for_pattern(None, identifier, None)
                   if quad.subject.value.startswith(PREFIXES["ctkg-id"] + "instrument/")})


class OxigraphEngine:
    """The default engine: an Oxigraph store, in memory or on disk."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.prefixes = query_prefixes(_instrument_ids(store))

    def run(self, sparql: str, bindings: dict[str, Term] | None = None) -> Result:
        try:
            # the union of the named graphs is the default graph, unless the query names its own
            # with FROM (Oxigraph's union option would otherwise override the FROM clause)
            union = find_keyword(sparql, ("FROM",)) is None
            answer = self.store.query(with_values(sparql, as_ox(bindings)), prefixes=self.prefixes,
                                      use_default_graph_as_union=union)
            if isinstance(answer, ox.QueryBoolean):
                return Result("ask", boolean=bool(answer))
            if isinstance(answer, ox.QueryTriples):
                return Result("graph", triples=[(_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)) for t in answer])
            columns = [v.value for v in answer.variables]
            return Result("select", columns, [tuple(_from_ox(row[c]) for c in columns) for row in answer])
        except SyntaxError as error:
            raise QueryError(f"SPARQL syntax error: {_one_line(error)}{slash_hint(sparql)}") from None
        except (OSError, RuntimeError) as error:
            raise QueryError(f"the query failed: {_one_line(error)}") from None


class RdflibEngine:
    """The cross-checking engine: an rdflib ``Dataset`` whose default graph is the union of the
    named graphs. Loaded from the Oxigraph store through N-Quads, so both engines hold exactly
    the same quads."""

    name = "rdflib"

    def __init__(self, store: ox.Store) -> None:
        import rdflib

        self.graph = rdflib.Dataset(default_union=True)
        self.graph.parse(data=ox.serialize(store, format=ox.RdfFormat.N_QUADS), format="nquads")
        self.prefixes = query_prefixes(_instrument_ids(store))

    def run(self, sparql: str, bindings: dict[str, Term] | None = None) -> Result:
        import rdflib.plugins.sparql as rdflib_sparql
        from pyparsing import ParseException

        query = with_values(sparql, as_ox(bindings))
        loading, rdflib_sparql.SPARQL_LOAD_GRAPHS = rdflib_sparql.SPARQL_LOAD_GRAPHS, False  # FROM <iri> never fetches
        try:
            prepared = rdflib_sparql.prepareQuery(query, initNs=self.prefixes)
            if has_service(prepared.algebra):  # rdflib would call the endpoint: never, whoever wrote the query
                raise QueryError("SERVICE is refused: a query may not call other endpoints")
            answer = self.graph.query(prepared)
            if answer.type == "ASK":
                return Result("ask", boolean=bool(answer.askAnswer))
            if answer.type in ("CONSTRUCT", "DESCRIBE"):
                return Result("graph", triples=[tuple(_from_rdflib(t) for t in triple) for triple in answer])
            columns = [str(v) for v in answer.vars]
            return Result("select", columns, [tuple(_from_rdflib(row[i]) for i in range(len(columns))) for row in answer])
        except ParseException as error:
            raise QueryError(f"SPARQL syntax error: {_one_line(error)}{slash_hint(sparql)}") from None
        except QueryError:
            raise
        except Exception as error:  # rdflib raises bare Exceptions from its evaluator
            raise QueryError(f"the query failed on rdflib: {_one_line(error)}") from None
        finally:
            rdflib_sparql.SPARQL_LOAD_GRAPHS = loading


def has_service(node) -> bool:
    """Whether a parsed query (rdflib's parse tree or algebra) holds a SERVICE pattern."""
    from rdflib.plugins.sparql.parserutils import CompValue

    stack, seen = [node], set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, CompValue):
            if item.name == "ServiceGraphPattern":
                return True
            stack.extend(item.values())
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, (list, tuple)) or (hasattr(item, "asList") and not isinstance(item, str)):
            stack.extend(item)
    return False


def _from_rdflib(term) -> Term | None:
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.URIRef):
        return Term("iri", str(term))
    if isinstance(term, rdflib.BNode):
        return Term("bnode", str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return Term("literal", str(term), None, term.language)
        return Term("literal", str(term), str(term.datatype) if term.datatype else XSD + "string")
    raise CtkgError(f"unsupported term in a result: {term!r}")


class QueryError(CtkgError):
    """A query that cannot be parsed, is refused, or fails while running."""


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def check_store_path(path: Path, sources: Path | None = None) -> None:
    """Refuse a ``--store`` that would put a database where it does not belong: inside a source
    folder (the build would then read its files' neighbours), or in a folder that holds other
    files. A store is a new path, an empty folder, or a folder Oxigraph made (RocksDB's
    ``CURRENT`` file in it)."""
    path = Path(path)
    root = Path(sources or default_root()).resolve()
    where = path.resolve()
    for folder in (*SOURCE_DIRS, "queries"):
        if where == root / folder or (root / folder) in where.parents:
            raise CtkgError(f"--store {path}: that is inside the source folder {folder}/; put the store elsewhere "
                            "(e.g. ./cybertreaty-kg-store)")
    if path.exists() and not path.is_dir():
        raise CtkgError(f"--store {path}: that is a file, not a store folder; give a new path or an existing store")
    if path.is_dir() and any(path.iterdir()) and not (path / "CURRENT").is_file():
        raise CtkgError(f"--store {path}: that folder holds other files and is not an Oxigraph store; give a new path "
                        "or an existing store")


def open_store(path: Path | None, sources: Path | None = None) -> ox.Store:
    """The Oxigraph store to query: in memory, loaded from the sources (``path`` None), or the
    on-disk store at ``path``, created from the sources on first use so that later calls open it
    in milliseconds instead of parsing every file again. The store is written into a temporary
    folder and renamed into place, so an interrupted first call leaves no half-loaded store."""
    if path is None:
        return load_dataset(sources).store
    path = Path(path)
    check_store_path(path, sources)
    if not path.exists() or not any(path.iterdir()):
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))  # same file system: the rename is atomic
        try:
            disk = ox.Store(str(staging / "store"))
            disk.bulk_extend(load_dataset(sources).store.quads_for_pattern(None, None, None, None))
            disk.flush()
            del disk
            os.replace(staging / "store", path)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    try:
        return ox.Store(str(path))
    except OSError as error:
        raise CtkgError(f"{path}: cannot open the Oxigraph store ({_one_line(error)}); is another command using it?") from None


def engine(name: str, store: ox.Store) -> Engine:
    """The engine called ``name`` (``oxigraph`` or ``rdflib``) over ``store``."""
    if name == "oxigraph":
        return OxigraphEngine(store)
    if name == "rdflib":
        return RdflibEngine(store)
    raise CtkgError(f"unknown engine '{name}'; use one of: {', '.join(ENGINES)}")


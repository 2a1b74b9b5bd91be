"""The saved-query catalogue: ``queries/*.rq``, each documented by its own header, run with
parameters that are checked against the graph and bound as RDF terms.

A parameter value is never pasted into query text. It is first resolved to a term the graph
knows (an instrument id to its IRI, an article number of that instrument, an ISO 3166 code to
its state), and an unknown value is refused with the list of valid ones; only then is the term
written into a ``VALUES`` block by Oxigraph's serialiser. So a value such as ``uncc> } ; DROP``
is refused as an unknown instrument, and could not change the query's structure even if it
were not.

Header format (comment lines at the top of the file)::

    # title: Offences that one instrument has and another lacks
    # description: free text; further lines starting with "#   " continue it
    # param: a | instrument | required | the instrument whose offences are listed
    # param: instrument | instrument | all | restrict to one instrument (left out: every instrument)
    # param: instrument | instrument | uncc | the instrument examined (left out: uncc)
    # param: article | article of from | required | an article number of instrument `from`
    # column: offence | id | the offence concept
    # column: a_articles | articles | articles of `a`, in article order
    # example: cybertreaty-kg query run offence-diff --param a=uncc --param b=budapest
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry

from .engines import Engine, Result, Term, iri, literal
from .errors import CtkgError
from .namespaces import ID
from .paths import default_root

PARAM_KINDS = ("instrument", "article", "party", "concept")
COLUMN_KINDS = ("id", "text", "date", "number", "bool", "articles", "ids", "names")


class QueryParamError(CtkgError):
    """A missing, unknown or invalid query parameter; the message says which values are valid."""


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # one of PARAM_KINDS
    default: str  # "required"; "all" (left unbound, so the query covers every value); or a value
    description: str
    of: str | None = None  # for articles: the parameter naming their instrument

    @property
    def required(self) -> bool:
        return self.default == "required"


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # one of COLUMN_KINDS
    description: str


@dataclass(frozen=True)
class SavedQuery:
    """One ``.rq`` file of the catalogue, with its parsed header."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[Column, ...]
    example: str
    sparql: str
    path: Path

    @property
    def body(self) -> str:
        """The SPARQL without its header comments."""
        lines = self.sparql.splitlines()
        start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
        return "\n".join(lines[start:]).strip() + "\n"

    @property
    def example_params(self) -> dict[str, str]:
        """The ``--param k=v`` pairs of the example call."""
        words = shlex.split(self.example)
        return dict(words[i + 1].split("=", 1) for i, word in enumerate(words) if word == "--param")

    @classmethod
    def read(cls, path: Path) -> "SavedQuery":
        text = path.read_text(encoding="utf-8")
        header: dict[str, list[str]] = {}
        last: list[str] | None = None
        for number, line in enumerate(text.splitlines(), 1):
            if not line.startswith("#"):
                break
            match = re.match(r"#\s(\w+):\s?(.*)$", line)
            if match:
                last = header.setdefault(match.group(1), [])
                last.append(match.group(2).strip())
            elif line.startswith("#   ") and last is not None:
                last[-1] += " " + line[4:].strip()
            elif line.strip() != "#":
                raise CtkgError(f"{path}:{number}: not a header line; write '# key: value' or continue with '#   '")
        missing = [key for key in ("title", "description", "column", "example") if key not in header]
        if missing:
            raise CtkgError(f"{path}: header lacks {', '.join('# ' + k + ':' for k in missing)}")
        return cls(path.stem, header["title"][0], header["description"][0],
                   tuple(_param(path, spec) for spec in header.get("param", [])),
                   tuple(_column(path, spec) for spec in header["column"]), header["example"][0], text, path)


def _fields(path: Path, spec: str, count: int, what: str) -> list[str]:
    fields = [f.strip() for f in spec.split("|", count - 1)]
    if len(fields) != count:
        raise CtkgError(f"{path}: '# {what}: {spec}' needs {count} fields separated by '|'")
    return fields


def _param(path: Path, spec: str) -> Param:
    name, kind, default, description = _fields(path, spec, 4, "param")
    kind, _, of = kind.partition(" of ")
    if kind not in PARAM_KINDS or not default or (kind == "article") != bool(of):
        raise CtkgError(f"{path}: bad '# param: {spec}'; kinds: {', '.join(PARAM_KINDS)} ('article of P'); "
                        "then the default: 'required', 'all' or a value")
    return Param(name, kind, default, description, of or None)


def _column(path: Path, spec: str) -> Column:
    name, kind, description = _fields(path, spec, 3, "column")
    if kind not in COLUMN_KINDS:
        raise CtkgError(f"{path}: column kind '{kind}' is not one of {', '.join(COLUMN_KINDS)}")
    return Column(name, kind, description)


def catalogue(root: Path | None = None) -> dict[str, SavedQuery]:
    """Every saved query under ``root/queries`` (the hygiene rules in ``checks/`` are not part
    of it), by name."""
    folder = Path(root or default_root()) / "queries"
    return {path.stem: _read(path, path.stat().st_mtime_ns, path.stat().st_size) for path in sorted(folder.glob("*.rq"))}


@lru_cache(maxsize=512)
def _read(path: Path, mtime_ns: int, size: int) -> SavedQuery:
    """A query file read once per version of it: a site asks for the same queries thousands of
    times, and an edited file (another mtime or size) is read again."""
    return SavedQuery.read(path)


def get(name: str, root: Path | None = None) -> SavedQuery:
    """The saved query called ``name``; an unknown name is refused with the list of names."""
    queries = catalogue(root)
    if name not in queries:
        raise QueryParamError(f"no saved query '{name}'; saved queries: {', '.join(queries)}")
    return queries[name]


# Parameter resolution: every value is looked up in the graph, so only known terms are bound.

_INSTRUMENTS = "SELECT ?instrument ?id WHERE { ?instrument ctkg:identifier ?id }"
_ARTICLES = "SELECT ?number WHERE { ?article a ctkg:Article ; ctkg:inInstrument ?instrument ; ctkg:number ?number ; ctkg:order ?order } ORDER BY ?order"
_CONCEPTS = """SELECT ?concept ?code ?scheme WHERE {
  ?concept a skos:Concept ; skos:notation ?code ; skos:inScheme ?schemeIri . ?schemeIri a skos:ConceptScheme .
  BIND (STRAFTER(STR(?schemeIri), "/concept/") AS ?scheme) }"""
_ORGANISATIONS = "SELECT ?org ?code WHERE { ?org a ctkg:Organisation ; skos:notation ?code }"


def _values(result: Result, column: str) -> list[Term]:
    index = result.columns.index(column)
    return [row[index] for row in result.rows if row[index] is not None]


def resolve_instrument(engine: Engine, value: str) -> Term:
    """The IRI of instrument ``value``; an unknown id is refused with the list of known ones."""
    known = {row[1].value: row[0] for row in engine.run(_INSTRUMENTS).rows}
    if value not in known:
        return iri(_friendly(engine, value, ("instrument",)).iri)
    return known[value]


def _friendly(engine: Engine, value: str, kinds: tuple[str, ...]):
    """A friendly id (``UNCC``, ``ETS 185``, ``Japan``, ``24/7 network``) resolved by :mod:`resolve`,
    whose refusal suggests the nearest names."""
    from .resolve import Resolver, UnknownName

    try:
        return Resolver(engine).resolve(value, kinds)
    except UnknownName as error:
        raise QueryParamError(str(error)) from None


def _article(engine: Engine, value: str, instrument: Term, instrument_id: str) -> Term:
    numbers = [t.value for t in _values(engine.run(_ARTICLES, {"instrument": instrument}), "number")]
    value = re.sub(r"^art(?:icle)?\.?\s*", "", value.strip(), flags=re.IGNORECASE)  # "Art. 41" is 41
    if value not in numbers:
        raise QueryParamError(f"'{value}' is not an article of {instrument_id} in the graph; articles: {', '.join(numbers)}")
    return literal(value)


def resolve_party(engine: Engine, value: str) -> Term:
    """The IRI of party ``value`` (an ISO 3166-1 alpha-3 code or an organisation code); refused if unknown."""
    organisations = {row[1].value: row[0] for row in engine.run(_ORGANISATIONS).rows}
    if value in organisations:
        return organisations[value]
    if len(value) == 3 and value.isascii() and value.isupper() and pycountry.countries.get(alpha_3=value):
        return iri(f"{ID}state/{value}")
    return iri(_friendly(engine, value, ("state", "organisation")).iri)


def _concept(engine: Engine, value: str) -> Term:
    rows = engine.run(_CONCEPTS).rows
    matches = [concept for concept, code, scheme in rows if value in (code.value, f"{scheme.value}/{code.value}")]
    if len(matches) == 1:
        return matches[0]
    if matches:
        schemes = sorted(f"{scheme.value}/{code.value}" for _, code, scheme in rows if code.value == value)
        raise QueryParamError(f"concept code '{value}' is in several schemes; write one of: {', '.join(schemes)}")
    return iri(_friendly(engine, value, ("concept",)).iri)


def bind(query: SavedQuery, params: dict[str, str], engine: Engine) -> dict[str, Term]:
    """Check ``params`` against the query's header and resolve each value to a term of the
    graph. A parameter left out takes its default; one whose default is ``all`` stays unbound
    (the query then covers every value)."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        valid = ", ".join(declared) or "none"
        raise QueryParamError(f"query {query.name}: unknown parameter {', '.join(unknown)}; its parameters: {valid}")
    missing = [p.name for p in query.params if p.required and p.name not in params]
    if missing:
        raise QueryParamError(f"query {query.name}: missing parameter {', '.join(missing)}; "
                              f"e.g. {query.example}")
    bindings: dict[str, Term] = {}
    for param in query.params:
        if param.name not in params and param.default == "all":
            continue
        value = params.get(param.name, param.default)
        try:
            if param.kind == "instrument":
                bindings[param.name] = resolve_instrument(engine, value)
            elif param.kind == "article":
                owner = param.of or ""
                if owner not in bindings:
                    raise QueryParamError(f"give --param {owner}=INSTRUMENT with --param {param.name}=NUMBER")
                bindings[param.name] = _article(engine, value, bindings[owner], params[owner])
            elif param.kind == "party":
                bindings[param.name] = resolve_party(engine, value)
            else:
                bindings[param.name] = _concept(engine, value)
        except QueryParamError as error:
            raise QueryParamError(f"query {query.name}, parameter {param.name}: {error}") from None
    return bindings


@dataclass
class Table:
    """A saved query's answer: its columns (as documented) and rows of terms."""

    query: SavedQuery
    params: dict[str, str]
    rows: list[tuple[Term | None, ...]] = field(default_factory=list)

    @property
    def columns(self) -> list[Column]:
        return list(self.query.columns)


def article_key(citation: str) -> tuple:
    """Sort key for citations as printed, in text order: ``2`` < ``2bis`` < ``10``, ``40`` <
    ``40(8)`` < ``40(19)``, ``23(3)`` < ``23(3)(a)``; a group printed without article number
    after the articles, by paragraph (``final provisions para. 3`` < ``… para. 10``); anything
    after a space (a note such as "(unverified)") sorts with its citation."""
    group = re.fullmatch(r"([a-z][a-z ]*?)(?: para\. (\d+)((?:\([^()]*\))*))?(?: \(.*\))?", citation)
    if group and not citation.startswith("note "):
        parts = [(int(p), "") if p.isdigit() else (0, p) for p in re.findall(r"\(([^()]*)\)", group.group(3) or "")]
        return ((1 << 29, group.group(1)), (int(group.group(2) or 0), ""), *parts, (-1, citation))
    head = citation.split(" ", 1)[0]
    match = re.fullmatch(r"(\d+)([A-Za-z]*)((?:\([^()]*\))*)", head)
    if not match:
        return ((1 << 30, head), (-1, citation))
    parts = [(int(p), "") if p.isdigit() else (0, p) for p in re.findall(r"\(([^()]*)\)", match.group(3))]
    return ((int(match.group(1)), match.group(2)), *parts, (-1, citation))


def _normalise(term: Term | None, kind: str) -> Term | None:
    """Lists are sorted here, not trusted to the engine: SPARQL leaves the order of
    GROUP_CONCAT undefined, and engines differ."""
    if term is None or kind not in ("articles", "ids", "names") or term.kind != "literal":
        return term
    separator = "; " if kind == "names" else ", "
    items = [item for item in term.value.split(separator) if item]
    items = sorted(set(items), key=article_key if kind == "articles" else str)
    return Term("literal", separator.join(items), term.datatype, term.language)


def run(query: SavedQuery, params: dict[str, str] | None, engine: Engine) -> Table:
    """Run a saved query with checked parameters; the rows follow the header's columns."""
    params = dict(params or {})
    result = engine.run(query.sparql, bind(query, params, engine))
    names = [c.name for c in query.columns]
    if result.form != "select" or result.columns != names:
        raise CtkgError(f"{query.path}: the query returns {result.columns or result.form}, its header documents {names}")
    kinds = [c.kind for c in query.columns]
    rows = [tuple(_normalise(term, kind) for term, kind in zip(row, kinds)) for row in result.rows]
    return Table(query, params, rows)

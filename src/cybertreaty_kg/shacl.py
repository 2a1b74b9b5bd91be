"""SHACL Core, compiled for the constraint components our shapes use, and run record by record.

Why not pySHACL alone: it is the reference implementation and stays one (``engine="pyshacl"``),
but it wants the data as an rdflib graph and pays per node and per constraint in Python objects;
a submission of 100k triples took 13.8 s, one of 1M did not finish in 14 minutes
(benchmarks/bench_validate.py). pyrudof is fast on the shipped graph but needed 15 GB at 1M. Our
core shapes use single predicate paths and a dozen components; compiled once into plain checks
over each record's values, they validate in time and memory that follow the submission.

The compiler refuses (:class:`Unsupported`) any shape that uses a SHACL feature it does not
implement, and the caller then falls back to pySHACL: a new kind of constraint in ``shapes/``
can never be skipped silently. The test suite requires identical results from this engine,
pySHACL and pyrudof on the shipped graph and on every file of the submission corpus.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

XSD = "http://www.w3.org/2001/XMLSchema#"
LANG_STRING = str(RDF.langString)
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "nonNegativeInteger", "positiveInteger",
                             "nonPositiveInteger", "negativeInteger", "long", "int", "short", "byte", "unsignedLong",
                             "unsignedInt", "unsignedShort", "unsignedByte")}
# SHACL vocabulary the compiler understands; anything else under sh: in a core shape is refused.
SUPPORTED = {SH[n] for n in ("targetClass", "property", "path", "message", "severity", "minCount", "maxCount", "datatype",
                             "class", "nodeKind", "or", "pattern", "in", "minInclusive", "minExclusive", "languageIn",
                             "uniqueLang", "name", "description")}
NODE_KINDS = {SH.IRI: (ox.NamedNode,), SH.BlankNode: (ox.BlankNode,), SH.Literal: (ox.Literal,),
              SH.BlankNodeOrIRI: (ox.BlankNode, ox.NamedNode), SH.BlankNodeOrLiteral: (ox.BlankNode, ox.Literal),
              SH.IRIOrLiteral: (ox.NamedNode, ox.Literal)}


class Unsupported(Exception):
    """A shape uses a SHACL feature this compiler does not implement (the caller uses pySHACL)."""


@dataclass(frozen=True)
class Finding:
    """One result, in the terms of :class:`cybertreaty_kg.validate.Result`."""

    focus: str
    message: str
    severity: str
    shape: str  # the node shape
    component: str
    path: str | None
    value: str | None
    property_shape: bool


@dataclass
class Constraints:
    """The constraints of one shape (a property shape, or a node shape's own)."""

    min_count: int | None = None
    max_count: int | None = None
    datatype: str | None = None
    class_: str | None = None
    node_kind: tuple[type, ...] | None = None
    pattern: re.Pattern | None = None
    in_: frozenset | None = None
    min_inclusive: Decimal | None = None
    min_exclusive: Decimal | None = None
    language_in: tuple[str, ...] | None = None
    unique_lang: bool = False
    or_datatypes: tuple[str, ...] | None = None  # sh:or of datatype alternatives (on values)
    or_paths: tuple[tuple[str, int], ...] | None = None  # sh:or of (path, minCount) alternatives (on the focus)


@dataclass
class Shape:
    node: str  # the node shape IRI
    path: str | None  # None: the node shape's own constraints
    message: str
    severity: str
    constraints: Constraints = field(default_factory=Constraints)


@dataclass
class CompiledShapes:
    targets: dict[str, list[Shape]]  # target class -> the shapes it selects focus nodes for


def _one(graph: rdflib.Graph, node, predicate):
    values = list(graph.objects(node, predicate))
    if len(values) > 1:
        raise Unsupported(f"{node} has {len(values)} values of {predicate}")
    return values[0] if values else None


def _check_vocabulary(graph: rdflib.Graph, node) -> None:
    for predicate in graph.predicates(node):
        if str(predicate).startswith(str(SH)) and predicate not in SUPPORTED:
            raise Unsupported(f"{predicate} on {node}")


def _alternatives(graph: rdflib.Graph, members: list) -> tuple:
    """The members of an sh:or: all datatypes, or all (path, minCount) shapes."""
    datatypes, paths = [], []
    for member in members:
        keys = set(graph.predicates(member))
        if keys == {SH.datatype}:
            datatypes.append(str(_one(graph, member, SH.datatype)))
        elif keys == {SH.path, SH.minCount} and isinstance(_one(graph, member, SH.path), rdflib.URIRef):
            paths.append((str(_one(graph, member, SH.path)), int(_one(graph, member, SH.minCount))))
        else:
            raise Unsupported(f"an sh:or member with {sorted(map(str, keys))}")
    if datatypes and paths:
        raise Unsupported("an sh:or that mixes datatypes and property shapes")
    return ("datatypes", tuple(datatypes)) if datatypes else ("paths", tuple(paths))


def _number(literal) -> Decimal:
    if not isinstance(literal, rdflib.Literal) or str(literal.datatype) not in NUMERIC:
        raise Unsupported(f"a bound that is not a number: {literal!r}")
    return Decimal(str(literal))


def _constraints(graph: rdflib.Graph, node) -> Constraints:
    c = Constraints()
    if (v := _one(graph, node, SH.minCount)) is not None:
        c.min_count = int(v)
    if (v := _one(graph, node, SH.maxCount)) is not None:
        c.max_count = int(v)
    if (v := _one(graph, node, SH.datatype)) is not None:
        c.datatype = str(v)
    if (v := _one(graph, node, SH["class"])) is not None:
        c.class_ = str(v)
    if (v := _one(graph, node, SH.nodeKind)) is not None:
        if v not in NODE_KINDS:
            raise Unsupported(f"sh:nodeKind {v}")
        c.node_kind = NODE_KINDS[v]
    if (v := _one(graph, node, SH.pattern)) is not None:
        c.pattern = re.compile(str(v))
    if (v := _one(graph, node, SH["in"])) is not None:
        members = list(rdflib.collection.Collection(graph, v))
        if not all(isinstance(m, rdflib.URIRef) for m in members):
            raise Unsupported("sh:in with literals")
        c.in_ = frozenset(str(m) for m in members)
    if (v := _one(graph, node, SH.minInclusive)) is not None:
        c.min_inclusive = _number(v)
    if (v := _one(graph, node, SH.minExclusive)) is not None:
        c.min_exclusive = _number(v)
    if (v := _one(graph, node, SH.languageIn)) is not None:
        c.language_in = tuple(str(m).lower() for m in rdflib.collection.Collection(graph, v))
    if (v := _one(graph, node, SH.uniqueLang)) is not None:
        c.unique_lang = bool(v.toPython())
    if (v := _one(graph, node, SH["or"])) is not None:
        kind, members = _alternatives(graph, list(rdflib.collection.Collection(graph, v)))
        if kind == "datatypes":
            c.or_datatypes = members
        else:
            c.or_paths = members
    return c


def _severity(graph: rdflib.Graph, node) -> str:
    return str(_one(graph, node, SH.severity) or SH.Violation).rsplit("#", 1)[-1]


def _message(graph: rdflib.Graph, node) -> str:
    message = _one(graph, node, SH.message)
    if message is None:  # pySHACL would write its own default message; ours are all written out
        raise Unsupported(f"{node} has no sh:message")
    return str(message)


def compile_shapes(graph: rdflib.Graph) -> CompiledShapes:
    """Compile the core node shapes of ``graph`` (each selected by sh:targetClass)."""
    targets: dict[str, list[Shape]] = defaultdict(list)
    for node in sorted(set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(SH.targetClass))):
        _check_vocabulary(graph, node)
        classes = [str(c) for c in graph.objects(node, SH.targetClass)]
        if not isinstance(node, rdflib.URIRef) or not classes:
            raise Unsupported(f"{node}: a node shape without an IRI or sh:targetClass")
        shapes = []
        own = _constraints(graph, node)
        if own.min_count is not None or own.max_count is not None or own.unique_lang:
            raise Unsupported(f"{node}: a count on a node shape")
        if own != Constraints():
            shapes.append(Shape(str(node), None, _message(graph, node), _severity(graph, node), own))
        for prop in graph.objects(node, SH.property):
            _check_vocabulary(graph, prop)
            if set(graph.predicates(prop)) & {SH.property, SH.targetClass}:
                raise Unsupported(f"{node}: a nested property shape")
            path = _one(graph, prop, SH.path)
            if not isinstance(path, rdflib.URIRef):
                raise Unsupported(f"{node}: a property path that is not one predicate")
            constraints = _constraints(graph, prop)
            if constraints.or_paths:
                raise Unsupported(f"{node}: an sh:or of property shapes inside a property shape")
            shapes.append(Shape(str(node), str(path), _message(graph, prop), _severity(graph, prop), constraints))
        for cls in classes:
            targets[cls].extend(shapes)
    return CompiledShapes(dict(targets))


# --- checking -------------------------------------------------------------------------------------

def _text(term: ox.Term) -> str:
    return term.value


def _has_datatype(value: ox.Term, datatype: str) -> bool:
    if not isinstance(value, ox.Literal):
        return False
    if value.language:
        return datatype == LANG_STRING
    return value.datatype.value == datatype


def _at_least(value: ox.Term, bound: Decimal, strict: bool) -> bool:
    if not isinstance(value, ox.Literal) or value.language or value.datatype.value not in NUMERIC:
        return False
    try:
        number = Decimal(value.value)
    except InvalidOperation:
        return False
    return number > bound if strict else number >= bound


def _values_failing(c: Constraints, values: list[ox.Term], instance_of) -> Iterable[tuple[str, ox.Term | None]]:
    """(component, value) for each failure of the value-level constraints, as SHACL Core defines them."""
    if c.min_count is not None and len(values) < c.min_count:
        yield "MinCountConstraintComponent", None
    if c.max_count is not None and len(values) > c.max_count:
        yield "MaxCountConstraintComponent", None
    for v in values:
        if c.datatype is not None and not _has_datatype(v, c.datatype):
            yield "DatatypeConstraintComponent", v
        if c.class_ is not None and (isinstance(v, ox.Literal) or not instance_of(v, c.class_)):
            yield "ClassConstraintComponent", v
        if c.node_kind is not None and not isinstance(v, c.node_kind):
            yield "NodeKindConstraintComponent", v
        if c.pattern is not None and (isinstance(v, ox.BlankNode) or not c.pattern.search(v.value)):
            yield "PatternConstraintComponent", v
        if c.in_ is not None and not (isinstance(v, ox.NamedNode) and v.value in c.in_):
            yield "InConstraintComponent", v
        if c.min_inclusive is not None and not _at_least(v, c.min_inclusive, strict=False):
            yield "MinInclusiveConstraintComponent", v
        if c.min_exclusive is not None and not _at_least(v, c.min_exclusive, strict=True):
            yield "MinExclusiveConstraintComponent", v
        if c.language_in is not None:
            lang = (v.language or "").lower() if isinstance(v, ox.Literal) else ""
            if not lang or not (lang in c.language_in or lang.split("-")[0] in c.language_in or "*" in c.language_in):
                yield "LanguageInConstraintComponent", v
        if c.or_datatypes is not None and not any(_has_datatype(v, d) for d in c.or_datatypes):
            yield "OrConstraintComponent", v
    if c.unique_lang:
        languages = [v.language.lower() for v in values if isinstance(v, ox.Literal) and v.language]
        for _ in sorted({lang for lang in languages if languages.count(lang) > 1}):
            yield "UniqueLangConstraintComponent", None


def check(shapes: CompiledShapes, focus: Iterable[ox.Term], values: Callable[[ox.Term], Mapping[str, list[ox.Term]]],
          types: Callable[[ox.Term], set[str]]) -> list[Finding]:
    """Validate each focus node against the shapes its classes select.

    ``values(node)`` gives a record's values by predicate IRI (from the graph and the submission
    alike); ``types(node)`` gives a node's classes, superclasses included (SHACL instances)."""
    findings: list[Finding] = []

    def instance_of(node: ox.Term, cls: str) -> bool:
        return cls in types(node)

    for node in focus:
        selected = {id(s): s for cls in types(node) for s in shapes.targets.get(cls, ())}
        if not selected:
            continue
        record = values(node)
        name = _text(node)
        for shape in selected.values():
            c = shape.constraints
            if shape.path is None:  # the node shape's own constraints: the focus is the value
                failing = list(_values_failing(c, [node], instance_of))
                if c.or_paths is not None and not any(len(set(record.get(p, ()))) >= n for p, n in c.or_paths):
                    failing.append(("OrConstraintComponent", node))
            else:
                failing = _values_failing(c, list(set(record.get(shape.path, ()))), instance_of)
            for component, value in failing:
                findings.append(Finding(name, shape.message, shape.severity, shape.node, str(SH) + component,
                                        shape.path, None if value is None else _text(value), shape.path is not None))
    return findings

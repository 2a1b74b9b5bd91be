"""Validate the graph, or a submission together with the graph, against the SHACL shapes.

Two engines share the work, each where it is strong (DESIGN.md, measured):
- SHACL Core shapes (``shapes/core.ttl``) run in pySHACL, the Python reference implementation;
  for a submission only its own records are focus nodes, so the cost follows the submission.
- SHACL-SPARQL shapes (``shapes/rules.ttl``) are cross-record rules. pySHACL evaluates them once
  per focus node, which grows with the square of the records; we run each rule's query once over
  the whole graph on Oxigraph, with ``$this`` as a free variable. The tests check that both ways
  give the same results.

Submissions are read defensively: size limit, no DTD entities in RDF/XML (external entities and
entity-expansion bombs), no remote JSON-LD contexts, no ``owl:imports`` (nothing is fetched), and
no rewriting of the ontology or of existing articles' numbers unless explicitly allowed.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from .dataset import Dataset
from .engines import Term
from .errors import CtkgError, SourceError
from .namespaces import CTKG, GRAPH, ID, PREFIXES
from .output import compact
from . import shacl
from .participation import parse_participation
from .sources import SourceFile, check_literal
from .states import check_states

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_TRIPLES = 1_000_000  # counted while parsing: a few bytes of Turtle can stand for many triples
MAX_LITERAL = 1 << 20  # characters: the graph describes provisions in its own words, it holds no texts
BOM = b"\xef\xbb\xbf"
FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".jsonld": ox.RdfFormat.JSON_LD, ".json": ox.RdfFormat.JSON_LD,
           ".rdf": ox.RdfFormat.RDF_XML, ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
           ".nt": ox.RdfFormat.N_TRIPLES}
SUBMISSION_GRAPH = GRAPH + "submission/"
OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"
RDF_TYPE = ox.NamedNode(str(RDF.type))
ENGINES = ("compiled", "pyshacl")


class SubmissionRefused(CtkgError):
    """A submission that would change history or reach the network; exit 1 like a violation."""

    exit_code = 1


@dataclass(frozen=True)
class Result:
    """One validation result, located where a person can fix it."""

    focus: str
    message: str
    severity: str  # Violation, Warning, Info
    shape: str
    component: str
    path: str | None = None
    value: str | None = None
    file: str | None = None
    line: int | None = None
    property_shape: bool = False  # the constraint sits on a property shape of ``shape`` (at ``path``)


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Warning"]

    def to_text(self) -> str:
        """Results grouped by record, each record with the line where it is first written."""
        groups: dict[tuple, list[Result]] = defaultdict(list)
        for r in self.results:
            groups[(r.file or "", r.line or 0, r.focus)].append(r)
        lines = []
        for (file, line, focus), results in sorted(groups.items()):
            where = f"{file}:{line}" if line else (file or "graph")
            lines.append(f"{where}: {focus}")
            for r in results:
                detail = ", ".join(x for x in (f"property {_short(r.path)}" if r.path else "",
                                                f"value {r.value}" if r.value else "") if x)
                lines.append(f"  [{r.severity}] {r.message}" + (f" ({detail})" if detail else "") + f" [{_short(r.shape)}]")
        verdict = "conforms" if self.conforms else "does not conform"
        lines.append(f"{verdict}: {len(self.violations())} violation(s), {len(self.warnings())} warning(s)")
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps({"conforms": self.conforms, "results": [asdict(r) for r in self.results]}, indent=2, ensure_ascii=False)

    def to_turtle(self) -> str:
        """The standard sh:ValidationReport."""
        graph = rdflib.Graph()
        graph.bind("sh", SH)
        report = rdflib.BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        # SHACL 3.6: conforms only without any result; warnings are results (the text report's
        # "conforms" allows warnings, and says so)
        graph.add((report, SH.conforms, rdflib.Literal(not self.results)))
        for r in self.results:
            node = rdflib.BNode()
            graph.add((report, SH.result, node))
            graph.add((node, RDF.type, SH.ValidationResult))
            graph.add((node, SH.focusNode, rdflib.URIRef(r.focus) if "://" in r.focus else rdflib.BNode(r.focus)))
            graph.add((node, SH.resultMessage, rdflib.Literal(r.message)))
            graph.add((node, SH.resultSeverity, SH[r.severity]))
            if r.property_shape:  # the property shape that holds the constraint, as in the shapes graph
                shape = rdflib.BNode()
                graph.add((shape, RDF.type, SH.PropertyShape))
                graph.add((shape, SH.path, rdflib.URIRef(r.path)))
                graph.add((rdflib.URIRef(r.shape), SH.property, shape))
                graph.add((node, SH.sourceShape, shape))
            else:
                graph.add((node, SH.sourceShape, rdflib.URIRef(r.shape)))
            graph.add((node, SH.sourceConstraintComponent, rdflib.URIRef(r.component)))
            if r.path:
                graph.add((node, SH.resultPath, rdflib.URIRef(r.path)))
            if r.value:
                graph.add((node, SH.value, rdflib.URIRef(r.value) if r.value.startswith("http") else rdflib.Literal(r.value)))
        return graph.serialize(format="turtle")


def _short(iri: str | None) -> str:
    if not iri:
        return ""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    if iri.startswith("https://w3id.org/cybertreaty-kg/shapes#"):
        return "ctkgsh:" + iri.split("#", 1)[1]
    return iri


# --- reading submissions ------------------------------------------------------------------------

def read_submission(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, max_triples: int = DEFAULT_MAX_TRIPLES) -> list[ox.Triple]:
    """Parse one submitted file safely, or raise :class:`SourceError` (file, line, what to fix).

    A ``.tsv`` file is a participation table (data/parties/README.md): its rows add to the record
    set the graph holds for the instrument its header names."""
    name = path.name
    if not path.is_file():
        raise SourceError(name, None, "no such file")
    size = path.stat().st_size
    if size == 0:
        raise SourceError(name, None, "the file is empty")
    if size > max_bytes:
        raise SourceError(name, None, f"the file has {size} bytes, over the limit of {max_bytes}; split it or raise --max-bytes")
    if path.suffix.lower() == ".tsv":
        quads = parse_participation(path, name, ox.NamedNode(SUBMISSION_GRAPH + quote(name)), submission=True)
        return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SourceError(name, None, f"unknown file type '{path.suffix}'; use one of {', '.join(sorted([*FORMATS, '.tsv']))}")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(name, None, f"cannot read it ({error.strerror})") from None
    if data.startswith(BOM):  # Notepad's byte-order mark: not part of the text
        data = data[len(BOM):]
    if fmt == ox.RdfFormat.RDF_XML and re.search(rb"<!(DOCTYPE|ENTITY)", data):
        line = data[: re.search(rb"<!(DOCTYPE|ENTITY)", data).start()].count(b"\n") + 1
        raise SourceError(name, line, "DOCTYPE and ENTITY declarations are refused in RDF/XML (they can read local files or expand without bound); remove them")
    triples: list[ox.Triple] = []
    try:
        for quad in ox.parse(input=data, format=fmt, base_iri=None, without_named_graphs=True):
            if len(triples) == max_triples:
                raise SourceError(name, None, f"more than {max_triples} triples; split the file or raise --max-triples")
            if isinstance(quad.object, ox.Literal) and len(quad.object.value) > MAX_LITERAL:
                raise SourceError(name, _line(data, quad.object.value[:60]),
                                  f"a literal of {len(quad.object.value)} characters; at most {MAX_LITERAL} are taken (describe "
                                  "the provision in a few words and link the official text)")
            triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
    except MemoryError:  # Oxigraph's parser keeps each term in a bounded buffer (a few MiB)
        raise SourceError(name, None, f"a term (a literal or an IRI) too large for the parser; at most {MAX_LITERAL} characters "
                          "are taken per literal (describe the provision in a few words and link the official text)") from None
    except SyntaxError as error:
        text = str(error)
        if "LoadDocumentCallback" in text:
            text = "a remote JSON-LD @context would have to be fetched, and nothing is fetched; put the context inline"
        elif "Parser error" in text:
            text = text.split(": ", 1)[-1]
        raise SourceError(name, error.lineno, text) from None
    if not triples:
        raise SourceError(name, None, "the file holds no triples")
    source = SourceFile(path, name)
    for triple in triples:
        if isinstance(triple.object, ox.Literal):
            check_literal(source, triple.object)
        if triple.predicate.value == OWL_IMPORTS:
            raise SourceError(name, _line(data, triple.object.value),
                              f"owl:imports <{triple.object.value}> would make us fetch from the network; remove it (the graph already holds our ontology)")
    return triples


def _line(data: bytes, needle: str) -> int | None:
    index = data.find(needle.encode())
    return data[:index].count(b"\n") + 1 if index >= 0 else None


def _named(iri: str) -> str:
    """An IRI as a user would write it in a query (``inst:uncc``, ``uncc-art:7``, ``ctkg:heading``)."""
    article = re.fullmatch(re.escape(ID) + r"instrument/([a-z0-9-]+)/art/([\w.-]+)", iri)
    return f"{article.group(1)}-art:{article.group(2)}" if article else compact(Term("iri", iri))


def _refuse_blank_records(triples: list[ox.Triple], path: Path) -> None:
    """A record must have an IRI: a blank node typed as one of our classes (a signature written
    ``[ a ctkg:Signature ; … ]``) could be neither located, nor corrected, nor cited, and SHACL
    engines differ on blank focus nodes. Blank nodes remain fine for values (a list, a date)."""
    for t in triples:
        if isinstance(t.subject, ox.BlankNode) and t.predicate == RDF_TYPE and isinstance(t.object, ox.NamedNode) \
                and t.object.value.startswith(CTKG):
            kind = t.object.value[len(CTKG):]
            line = SourceFile(path, path.name).locate(t.object.value)
            raise SubmissionRefused(f"{path.name}:{line or '?'}: a ctkg:{kind} without an IRI (a blank node); give each record an "
                                    f"IRI under https://w3id.org/cybertreaty-kg/id/ (README, IRIs and named graphs)")


def _owner(dataset: Dataset, subject: ox.NamedNode) -> str | None:
    """The source file that describes ``subject`` (``data/instruments/uncc.ttl``), if one does:
    the file that types it, or else the first that says anything of it."""
    found = []
    for quad in dataset.store.quads_for_pattern(subject, None, None, None):
        graph = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
        if graph.startswith(GRAPH + "data/") or graph.startswith(GRAPH + "ontology/"):
            found.append((quad.predicate != RDF_TYPE, graph))
    if not found:
        return None
    graph = min(found)[1]
    source = dataset.source_for(graph)
    return source.rel if source else graph[len(GRAPH):]


def check_history(dataset: Dataset, triples: list[ox.Triple], name: str, data: bytes, allow_rewrite: bool,
                  source: SourceFile | None = None) -> None:
    """Submissions add to the graph; they do not rewrite it. A record that a source file
    describes (an instrument, an article, a participation event, a crosswalk row) belongs to that
    file: a submission may point at it, but not give it another fact (a second heading, an entry
    into force, another number), which would rewrite what its sources say. States are described
    by no source file (their names come from ISO 3166), so a country profile may describe them."""
    if allow_rewrite:
        return
    owners: dict[ox.NamedNode, str | None] = {}
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(CTKG):
            raise SubmissionRefused(f"{name}:{_line(data, t.subject.value.split('#')[-1]) or '?'}: the submission describes the ontology term "
                                    f"{_short(t.subject.value)}; submissions may not redefine the ontology (use --allow-rewrite if this is intended)")
        if t.predicate.value == CTKG + "number":
            existing = [q.object for q in dataset.store.quads_for_pattern(t.subject, t.predicate, None, None)]
            if existing and t.object not in existing:
                raise SubmissionRefused(f"{name}:{_line(data, t.object.value) or '?'}: {t.subject.value} already has number "
                                        f"{existing[0].value}; changing an article's number rewrites history (use --allow-rewrite if this is intended)")
        if not isinstance(t.subject, ox.NamedNode) or t.subject.value.startswith(CTKG):
            continue
        if t.subject not in owners:
            owners[t.subject] = _owner(dataset, t.subject)
        owner = owners[t.subject]
        if owner is not None and not any(True for _ in dataset.store.quads_for_pattern(t.subject, t.predicate, t.object, None)):
            raise SubmissionRefused(
                f"{name}:{source.locate(t.subject.value) if source else '?'}: {_named(t.subject.value)} is a record of "
                f"{owner}; a submission adds records, it does not change them (here: {_named(t.predicate.value)} "
                f"{_named(t.object.value) if isinstance(t.object, ox.NamedNode) else t.object.value!r}); edit {owner} "
                "instead, or use --allow-rewrite if this is intended")


# --- validation -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    shape: str
    message: str
    severity: str
    query: str  # the SHACL-SPARQL select, with $this turned into a free variable


def load_rules(shapes: rdflib.Graph) -> list[Rule]:
    rules = []
    for shape, constraint in shapes.subject_objects(SH.sparql):
        select = str(shapes.value(constraint, SH.select))
        severity = shapes.value(shape, SH.severity) or SH.Violation  # SHACL: the shape's severity, as every engine reads it
        rules.append(Rule(str(shape), str(shapes.value(constraint, SH.message)), str(severity).rsplit("#", 1)[-1],
                          select.replace("$this", "?this")))
    return sorted(rules, key=lambda r: r.shape)


def load_shapes(root: Path) -> rdflib.Graph:
    shapes = rdflib.Graph()
    for path in sorted((root / "shapes").glob("*.ttl")):
        shapes.parse(path, format="turtle")
    return shapes


def _core_only(shapes: rdflib.Graph) -> rdflib.Graph:
    core = rdflib.Graph()
    sparql_shapes = set(shapes.subjects(SH.sparql))
    for triple in shapes:
        if triple[0] not in sparql_shapes:
            core.add(triple)
    return core


def _data_graph(store: ox.Store, focus: set[str] | None = None) -> rdflib.Graph:
    """The data pySHACL needs, as one rdflib graph (handed over as N-Triples), without the shapes.

    For the whole graph that is everything. For a submission it is what the core shapes can look
    at from its records: their own triples (old and new) and the types of the values they point
    to. The core shapes only use single-step paths and ``sh:class``, so one hop is enough, and the
    cost follows the submission instead of the graph (benchmarks/bench_validate.py)."""
    def kept(quads) -> list[ox.Triple]:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in quads
                if not q.graph_name.value.startswith(GRAPH + "shapes/")]

    if focus is None:
        triples = set(kept(store.quads_for_pattern(None, None, None, None)))
    else:
        triples = set()
        for iri in focus:
            triples.update(kept(store.quads_for_pattern(ox.NamedNode(iri), None, None, None)))
        values = {t.object for t in triples if isinstance(t.object, ox.NamedNode)} - {ox.NamedNode(f) for f in focus}
        for value in values:
            triples.update(kept(store.quads_for_pattern(value, RDF_TYPE, None, None)))
    # Superclass types, materialised, so that targets by class do not depend on the engine's
    # handling of rdfs:subClassOf.
    supers = _supers(store)
    triples |= {ox.Triple(t.subject, RDF_TYPE, s) for t in list(triples) if t.predicate == RDF_TYPE for s in supers.get(t.object, ())}
    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def _supers(store: ox.Store) -> dict[ox.Term, set[ox.Term]]:
    """Each class's superclasses (IRIs), so that a target class selects the instances of its subclasses."""
    supers: dict[ox.Term, set[ox.Term]] = defaultdict(set)
    for row in store.query("SELECT ?class ?super WHERE { ?class rdfs:subClassOf+ ?super FILTER isIRI(?super) }",
                           prefixes=PREFIXES, use_default_graph_as_union=True):
        supers[row["class"]].add(row["super"])
    return supers


def _core_results(core: rdflib.Graph, store: ox.Store, focus: set[str] | None, engine: str) -> list[Result]:
    """Results of the core shapes for the focus records (all records when ``focus`` is None);
    ``store`` holds the graph and the submissions."""
    if engine == "compiled":
        try:
            compiled = shacl.compile_shapes(core)
        except shacl.Unsupported:  # a shape the compiler does not implement: the reference does it all
            engine = "pyshacl"
    if engine == "pyshacl":
        import pyshacl

        data = _data_graph(store, focus)
        # For a submission the data graph holds its records and the types of what they point to; the
        # records pointed to are validated too (they lack their other triples) and their results
        # dropped. We do not use pySHACL's focus_nodes option: it tests membership in a list, which
        # grows with the square of the submission (and skips sh:or constraints in pySHACL 0.40).
        _, report_graph, _ = pyshacl.validate(data, shacl_graph=core, inference="none", allow_warnings=True, advanced=False)
        results = [_from_pyshacl(report_graph, core, node) for node in report_graph.subjects(RDF.type, SH.ValidationResult)]
        return results if focus is None else [r for r in results if r.focus in focus]
    shapes_graphs = {g for g in store.named_graphs() if g.value.startswith(GRAPH + "shapes/")}
    supers = _supers(store)
    known: dict[ox.Term, set[str]] = {}

    def values(node: ox.Term) -> dict[str, list[ox.Term]]:
        # Read from the store one record at a time: an index of a 1M-triple submission held in
        # Python objects took 370 MB (benchmarks/bench_validate.py).
        found: dict[str, list[ox.Term]] = defaultdict(list)
        for q in store.quads_for_pattern(node, None, None, None):
            if q.graph_name not in shapes_graphs:
                found[q.predicate.value].append(q.object)
        return found

    def types(node: ox.Term) -> set[str]:
        if node not in known:
            direct = {q.object for q in store.quads_for_pattern(node, RDF_TYPE, None, None)
                      if q.graph_name not in shapes_graphs} if not isinstance(node, ox.Literal) else set()
            known[node] = {c.value for d in direct for c in (d, *supers.get(d, ()))}
        return known[node]

    if focus is None:
        nodes = sorted({q.subject for q in store.quads_for_pattern(None, RDF_TYPE, None, None) if q.graph_name not in shapes_graphs},
                       key=str)
    else:
        nodes = [ox.NamedNode(iri) for iri in sorted(focus)]
    return [Result(**asdict(f)) for f in shacl.check(compiled, nodes, values, types)]


def validate(dataset: Dataset, submissions: list[Path] | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
             allow_rewrite: bool = False, max_triples: int = DEFAULT_MAX_TRIPLES, engine: str = "compiled") -> Report:
    """Validate the dataset, or the submitted files together with it (so they can refer to existing
    instruments and concepts). With submissions, only results about their records are reported.

    ``engine`` runs the core shapes: ``compiled`` (:mod:`cybertreaty_kg.shacl`, the default) or
    ``pyshacl``, the reference implementation, which gives the same results more slowly."""
    if engine not in ENGINES:
        raise CtkgError(f"unknown validation engine '{engine}'; use one of {', '.join(ENGINES)}")
    store = ox.Store()
    store.extend(dataset.store.quads_for_pattern(None, None, None, None))
    located: dict[str, tuple[str, int | None]] = {}
    pointed: dict[str, tuple[str, int | None]] = {}
    focus: set[str] | None = None
    if submissions:
        focus = set()
        for path in map(Path, submissions):
            triples = read_submission(path, max_bytes, max_triples)
            _refuse_blank_records(triples, path)
            source = SourceFile(path, path.name)
            check_history(dataset, triples, path.name, path.read_bytes(), allow_rewrite, source)
            graph = ox.NamedNode(SUBMISSION_GRAPH + quote(path.name))
            check_states(triples, source)  # the graph already describes every ISO 3166 State
            store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
            lines = source.subject_lines()
            for t in triples:
                if isinstance(t.subject, ox.NamedNode) and t.subject.value not in located:
                    focus.add(t.subject.value)
                    iri = t.subject.value
                    located[iri] = (source.rel, lines[iri] if iri in lines else source.locate(iri))
            for t in triples:  # an existing record a submitted one points at: a new result on it is the latter's doing
                if isinstance(t.object, ox.NamedNode) and isinstance(t.subject, ox.NamedNode):
                    pointed.setdefault(t.object.value, located[t.subject.value])
    shapes = load_shapes(dataset.root)
    core = _core_only(shapes)
    results = _core_results(core, store, focus, engine)
    rules = load_rules(shapes)
    # A rule that relates records (the gaps in an instrument's articles, a consent before a
    # signature) can fire on an existing record because of a submitted one: an article added at
    # order 80 leaves a gap in the UN Convention. So for a submission, a rule's result is kept if
    # its focus is a submitted record, or if the graph without the submission does not give it.
    before = set() if focus is None else {
        (rule.shape, row["this"].value, _bound(row, "value"))
        for rule in rules for row in dataset.store.query(rule.query, prefixes=PREFIXES, use_default_graph_as_union=True)}
    for rule in rules:
        for row in store.query(rule.query, prefixes=PREFIXES, use_default_graph_as_union=True):
            this = row["this"].value
            if focus is not None and this not in focus and (rule.shape, this, _bound(row, "value")) in before:
                continue
            results.append(Result(focus=this, message=rule.message, severity=rule.severity, shape=rule.shape,
                                  component=str(SH.SPARQLConstraintComponent), path=_bound(row, "path"), value=_bound(row, "value")))
    results = [_locate(dataset, r, {**pointed, **located}) for r in results]
    return Report(sorted(set(results), key=lambda r: (r.file or "", r.line or 0, r.focus, r.severity, r.message, _natural(r.value))))


def _natural(value: str | None) -> tuple:
    """Sort key that puts article 9 before article 41."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", value or ""))


def _bound(row, name: str) -> str | None:
    try:
        term = row[name]
    except (KeyError, IndexError):
        return None
    return term.value if term is not None else None


def _from_pyshacl(graph: rdflib.Graph, shapes: rdflib.Graph, node) -> Result:
    value = graph.value(node, SH.value)
    path = graph.value(node, SH.resultPath)
    shape = graph.value(node, SH.sourceShape)
    held = shapes.value(predicate=SH.property, object=shape)
    if held is not None:  # a property shape: name the node shape that holds it
        shape = held
    return Result(focus=str(graph.value(node, SH.focusNode)), message=str(graph.value(node, SH.resultMessage)),
                  severity=str(graph.value(node, SH.resultSeverity)).rsplit("#", 1)[-1], shape=str(shape),
                  component=str(graph.value(node, SH.sourceConstraintComponent)),
                  path=str(path) if isinstance(path, rdflib.URIRef) else None, value=str(value) if value is not None else None,
                  property_shape=held is not None)


def _locate(dataset: Dataset, result: Result, located: dict[str, tuple[str, int | None]]) -> Result:
    if result.focus in located:
        file, line = located[result.focus]
    else:
        graphs = {q.graph_name.value for q in dataset.store.quads_for_pattern(ox.NamedNode(result.focus), None, None, None)} \
            if "://" in result.focus else set()
        source = next((dataset.source_for(g) for g in sorted(graphs) if dataset.source_for(g)), None)
        file, line = (source.rel, source.locate(result.focus)) if source else (None, None)
    return Result(**{**asdict(result), "file": file, "line": line})

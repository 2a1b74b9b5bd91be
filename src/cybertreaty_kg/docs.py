"""HTML documentation generated from the sources, so it is never out of date: pyLODE pages for the
ontology (OntPub profile) and each concept scheme (VocPub), a page per shapes file, an index
page that links them and lists the concepts of every scheme, the saved-query catalogue and the
dataset's description, and the site of :mod:`pages` (a page for every IRI, under ``id/``). Pages not made by pyLODE are built with dominate (pyLODE's own HTML
library), never with string templates.

Where pyLODE falls short, measured with 3.3.4: VocPub renders a scheme's metadata but not its
concepts, so the index lists every concept (code, label, definition, broader concept); the
Supermodel (shapes) profile stops with errors on ordinary property shapes (it calls
``toPython()`` on an absent ``sh:uniqueLang`` and iterates an absent ``sh:in``), so the shapes
pages are ours. 3.4.1 cannot be used at all: its wheel reads a pyproject.toml that is not
installed (pyLODE issue #260).
"""

from __future__ import annotations

import contextlib
import io
import logging
from datetime import date
from pathlib import Path

import dominate
import dominate.tags as t
import rdflib

from . import __version__, queries
from .dataset import Dataset
from .engines import OxigraphEngine
from .errors import CtkgError
from .export import graph_role
from .output import short
from .pages import CATALOGUE, Site


def _quiet(make):
    """pyLODE prints progress bars and debug lines; a documentation build should not."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        level = logging.getLogger().level
        logging.getLogger().setLevel(logging.WARNING)
        try:
            return make()
        finally:
            logging.getLogger().setLevel(level)


def _pylode_pages(root: Path) -> dict[str, tuple[str, str]]:
    """file name -> (title, HTML) for every pyLODE page."""
    from pylode import OntPub, VocPub

    pages = {"ontology.html": ("Ontology (classes and properties)",
                               _quiet(lambda: OntPub(str(root / "ontology" / "cybertreaty.ttl")).make_html()))}
    for path in sorted((root / "ontology" / "concepts").glob("*.ttl")):
        pages[f"concepts-{path.stem}.html"] = (f"Concept scheme '{path.stem}'", _quiet(lambda p=path: VocPub(str(p)).make_html()))
    for path in sorted((root / "shapes").glob("*.ttl")):
        pages[f"shapes-{path.stem}.html"] = (f"SHACL shapes: {path.stem}", _shapes_page(path))
    return pages


def _name(graph: rdflib.Graph, term) -> str:
    return graph.namespace_manager.normalizeUri(term) if isinstance(term, rdflib.URIRef) else str(term)


def _constraint(graph: rdflib.Graph, node) -> str:
    """A property constraint in a few words: its bounds, class, datatype, allowed values, pattern."""
    sh = rdflib.namespace.SH
    words = []
    for predicate, text in ((sh.minCount, "at least {}"), (sh.maxCount, "at most {}"), (sh["class"], "a {}"),
                            (sh.datatype, "of type {}"), (sh.nodeKind, "a {}"), (sh.pattern, "matching {}"),
                            (sh.minInclusive, "from {}"), (sh.hasValue, "= {}")):
        for value in graph.objects(node, predicate):
            words.append(text.format(_name(graph, value)))
    for values in graph.objects(node, sh["in"]):
        words.append("one of " + ", ".join(_name(graph, v) for v in rdflib.collection.Collection(graph, values)))
    return "; ".join(words)


def _shapes_page(path: Path) -> str:
    """Every node shape of one shapes file: label, target, and each constraint with its path,
    bounds, severity and message (or, for SHACL-SPARQL, the query)."""
    sh = rdflib.namespace.SH
    graph = rdflib.Graph().parse(path)
    page = dominate.document(title=f"cybertreaty-kg SHACL shapes: {path.stem}")
    with page.head:
        t.meta(charset="utf-8")
        t.style(_STYLE)
    with page:
        t.h1(f"SHACL shapes: {path.name}")
        t.p(t.a("index", href="index.html"))
        for shape in sorted(graph.subjects(rdflib.RDF.type, sh.NodeShape), key=str):
            name = _name(graph, shape)
            t.h2(f"{graph.value(shape, rdflib.RDFS.label) or name}", id=name.split(":")[-1])
            t.p(t.code(str(shape)), " — targets ", ", ".join(_name(graph, c) for c in graph.objects(shape, sh.targetClass)) or "—")
            if graph.value(shape, rdflib.RDFS.comment):
                t.p(str(graph.value(shape, rdflib.RDFS.comment)))
            with t.table():
                t.tr(t.th("path"), t.th("constraint"), t.th("severity"), t.th("message"))
                if graph.value(shape, sh.message):
                    t.tr(t.td("(the record itself)"), t.td(_constraint(graph, shape)),
                         t.td(_name(graph, graph.value(shape, sh.severity) or sh.Violation).split(":")[-1]),
                         t.td(str(graph.value(shape, sh.message))))
                for node in graph.objects(shape, sh.property):
                    severity = graph.value(node, sh.severity) or graph.value(shape, sh.severity) or sh.Violation
                    t.tr(t.td(t.code(_name(graph, graph.value(node, sh.path)))), t.td(_constraint(graph, node)),
                         t.td(_name(graph, severity).split(":")[-1]), t.td(str(graph.value(node, sh.message) or "")))
                for node in graph.objects(shape, sh.sparql):
                    severity = graph.value(shape, sh.severity) or sh.Violation
                    t.tr(t.td("(SPARQL)"), t.td(t.pre(str(graph.value(node, sh.select)))),
                         t.td(_name(graph, severity).split(":")[-1]), t.td(str(graph.value(node, sh.message) or "")))
    return page.render()


HOME = ("Documentation: ontology, shapes, saved queries", "index")  # the site's link back to these pages


def build_docs(dataset: Dataset, out: Path, on: date | None = None, site: bool = True) -> list[Path]:
    """Write every page into ``out`` (created if needed) and return their paths, index first:
    the documentation pages, then the site of :mod:`pages` (a page, Turtle and JSON-LD for every
    IRI under ``id/``, participation as on ``on``, default today; ``site=False``: the documentation
    pages alone)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CtkgError(f"--out {out}: that is a file, not a folder; give a folder for the pages")
    out.mkdir(parents=True, exist_ok=True)
    pages = _pylode_pages(dataset.root)
    written = []
    for name, (_, html) in pages.items():
        (out / name).write_text(html, encoding="utf-8")
        written.append(out / name)
    index = out / "index.html"
    titles = {f"{CATALOGUE}.html": "Every instrument, article, concept, State and organisation: a page each, "
                                   "with the coverage matrices and participation timelines"}
    titles.update({name: title for name, (title, _) in pages.items()})
    index.write_text(_index(dataset, titles), encoding="utf-8")
    pages_of_iris = Site(OxigraphEngine(dataset.store), on, home=HOME).write(out) if site else []
    return [index, *written, *pages_of_iris]


_STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
          "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
          "pre{background:#f6f6f6;padding:8px;overflow-x:auto}")


def _index(dataset: Dataset, pages: dict[str, str]) -> str:
    engine = OxigraphEngine(dataset.store)
    page = dominate.document(title="cybertreaty-kg documentation")
    with page.head:
        t.meta(charset="utf-8")
        t.style(_STYLE)
    with page:
        t.h1(f"cybertreaty-kg {__version__}")
        t.p("A legal knowledge graph of the 2024 UN Convention against Cybercrime and the regional instruments it builds on. "
            "These pages are generated from the sources by `cybertreaty-kg docs`.")
        t.h2("Pages")
        with t.ul():
            for name, title in pages.items():
                t.li(t.a(title, href=name))
        t.h2("Concepts")
        rows = queries.run(queries.get("concepts"), {}, engine).rows
        definitions = {r["c"].value: r["d"].value for r in dataset.query(
            "SELECT ?c ?d WHERE { ?c a skos:Concept ; skos:definition ?d FILTER (LANG(?d) = 'en') }")}
        for scheme in sorted({short(r[0]) for r in rows}):
            t.h3(f"Scheme '{scheme}'", id=f"scheme-{scheme}")
            with t.table():
                t.tr(t.th("code"), t.th("label"), t.th("definition"), t.th("broader"))
                for scheme_cell, concept, label, broader in rows:
                    if short(scheme_cell) == scheme:
                        t.tr(t.td(t.code(short(concept)), id=f"concept-{scheme}-{short(concept)}"), t.td(short(label)),
                             t.td(definitions.get(concept.value, "")), t.td(short(broader)))
        t.h2("Saved queries")
        t.p("Run with `cybertreaty-kg query run NAME --param k=v`; the parameters are checked against the graph.")
        for query in queries.catalogue(dataset.root).values():
            t.h3(f"{query.name}: {query.title}", id=f"query-{query.name}")
            t.p(query.description)
            if query.params:
                with t.ul():
                    for param in query.params:
                        t.li(t.code(param.name), f" ({param.kind}{' of ' + param.of if param.of else ''}, "
                             f"default: {param.default}): {param.description}")
            t.p("Columns: ", ", ".join(f"{c.name} ({c.description})" for c in query.columns))
            t.pre(query.example)
            t.pre(query.body)
        t.h2("Dataset")
        t.p(f"Version {__version__}: {dataset.triples} triples in {len(dataset.counts)} named graphs.")
        with t.table():
            t.tr(t.th("named graph"), t.th("holds"), t.th("triples"), t.th("source"))
            for graph, count in sorted(dataset.counts.items()):
                t.tr(t.td(t.code(graph)), t.td(graph_role(graph)[0]), t.td(str(count)), t.td(dataset.describe_graph(graph)))
        t.h3("Sources cited by the data")
        with t.ul():
            for row in dataset.query("SELECT DISTINCT ?s WHERE { ?x dcterms:source ?s FILTER isIRI(?s) } ORDER BY ?s"):
                t.li(t.a(row["s"].value, href=row["s"].value))
    return page.render()

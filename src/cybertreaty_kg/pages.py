"""A page for every IRI of ours: HTML for people, Turtle and JSON-LD for programs.

Linked-data publishers (the UN Treaty Collection, EUR-Lex, Wikidata) give each treaty and State a
page; none crosses organisations. Here every IRI under ``…/id/`` gets three documents at its
path: ``{path}.html`` (the fact sheet of :mod:`factsheet`, with every id linked to its own page
and every source to the official text), ``{path}.ttl`` and ``{path}.jsonld`` (the triples
``show --format turtle`` prints). The same :class:`Site` writes the static site (``docs``) and
answers ``serve``, so the two cannot differ. Links are relative, so the site works from a folder,
from any host, and at the ``w3id.org/cybertreaty-kg`` IRIs once w3id redirects there.

Things with a friendly id (instruments, provisions, concepts, States, organisations) get their
sheet; every other IRI (a participation record, a crosswalk row, a chapter) a page of its own
statements and of the records that point at it. The catalogue (``id/index.html``) lists them
all and embeds the comparisons: the coverage matrix of each concept scheme and the participation
timelines.
"""

from __future__ import annotations

import os
import posixpath
import tempfile
from datetime import date
from functools import cached_property
from pathlib import Path

import dominate
import dominate.tags as t
from dominate.util import raw

from . import __version__, coverage, queries, timeline
from . import matrix as matrices
from .engines import Engine
from .factsheet import describe, fact_sheet
from .namespaces import BASE, ID, SCHEMES
from .output import short, to_jsonld, to_turtle
from .resolve import Resolver, Thing, UnknownName

MEDIA_TYPES = {"html": "text/html; charset=utf-8", "ttl": "text/turtle; charset=utf-8",
               "jsonld": "application/ld+json"}
CATALOGUE = "id/index"  # the path (without suffix) of the page that lists every thing

_IRIS = """SELECT DISTINCT ?s WHERE { { ?s ?p ?o } UNION { ?x ?p ?s }
  FILTER (isIRI(?s) && STRSTARTS(STR(?s), "https://w3id.org/cybertreaty-kg/id/")) } ORDER BY ?s"""
_LABELS = """SELECT ?s ?label WHERE { ?s rdfs:label ?label
  FILTER (STRSTARTS(STR(?s), "https://w3id.org/cybertreaty-kg/id/") && LANG(?label) IN ("", "en")) }"""
_TITLES = {"facts": "Statements", "status": "Status", "contents": "Articles", "paragraphs": "Paragraphs",
           "statements_made": "Reservations, declarations and notifications made",
           "reservations_permitted": "Reservations and options the text permits", "crosswalks": "Crosswalks",
           "provisions": "Provisions that address it", "participation": "Participation in each instrument",
           "memberships": "Memberships", "members": "Members", "coverage": "Coverage in each instrument",
           "pointed_at_by": "Records that point here"}
_PARTY_COLUMNS = ("party", "member", "made_by")
_CITATION_COLUMNS = ("citation", "made_under", "concerns", "permitted_by", "provision")
_STYLE = ("body{font-family:sans-serif;max-width:1200px;margin:1.5em auto;padding:0 1em;line-height:1.35}"
          "table{border-collapse:collapse;margin:.5em 0 1.2em}td,th{border:1px solid #ccc;padding:3px 6px;"
          "text-align:left;vertical-align:top}th{background:#f4f4f4}code{font-size:90%}"
          "nav{font-size:90%;margin-bottom:1em}.iri{color:#555}.kind{color:#777;font-weight:normal}"
          "svg{max-width:100%;height:auto}" + matrices.STYLE)


def path_of(iri: str) -> str:
    """The page's path in the site, without suffix: the IRI's path under the base
    (``…/id/instrument/uncc/art/41`` → ``id/instrument/uncc/art/41``)."""
    return iri[len(BASE):]


def relative(here: str, target: str, suffix: str = "html") -> str:
    """The link from the page at path ``here`` to the document ``target.suffix``."""
    return posixpath.relpath(f"{target}.{suffix}", posixpath.dirname(here) or ".")


class Site:
    """Every page of the graph in one engine, on one date (participation is shown as it stood then)."""

    def __init__(self, engine: Engine, on: date | None = None, home: tuple[str, str] | None = None) -> None:
        """``home``: (words, path) of a page beside the site to link from the catalogue (the
        documentation index that ``docs`` writes, the query page of ``serve``)."""
        self.engine = engine
        self.home = home
        self.resolver = Resolver(engine)
        self.on = on or date.today()
        self._memo: dict = {}

    @cached_property
    def iris(self) -> list[str]:
        """Every IRI of ours the graph uses, as subject or object: one page each."""
        return [row[0].value for row in self.engine.run(_IRIS).rows]

    @cached_property
    def _known(self) -> set[str]:
        return set(self.iris)

    @cached_property
    def _labels(self) -> dict[str, str]:
        return {s.value: label.value for s, label in self.engine.run(_LABELS).rows}

    @cached_property
    def _provisions_by_label(self) -> dict[str, Thing]:
        return {thing.label: thing for thing in self.resolver.things() if thing.kind == "provision"}

    def thing(self, iri: str) -> Thing | None:
        """The thing at ``iri``, or None where the graph does not use that IRI."""
        if iri not in self._known:
            return None
        return self.resolver.by_iri(iri) or Thing("record", iri, path_of(iri)[len("id/"):], self._labels.get(iri, path_of(iri)))

    def things(self) -> list[Thing]:
        return [thing for thing in map(self.thing, self.iris) if thing is not None]

    # documents -------------------------------------------------------------------------------

    def document(self, path: str, suffix: str) -> str | None:
        """The document at ``path.suffix`` (``id/state/JPN``, ``ttl``), or None if there is none."""
        if suffix not in MEDIA_TYPES:
            return None
        if path == CATALOGUE:
            return self.catalogue() if suffix == "html" else None
        thing = self.thing(BASE + path) if path.startswith("id/") else None
        if thing is None:
            return None
        if suffix == "html":
            return self.html(thing)
        triples = describe(thing, self.engine)
        return to_turtle(triples) if suffix == "ttl" else to_jsonld(triples)

    def write(self, out: Path) -> list[Path]:
        """Write every document under ``out`` (the catalogue first) and return their paths. Each
        file is written whole beside its final name and renamed, so a reader never sees half a page."""
        written = []
        for path, suffixes in [(CATALOGUE, ("html",)), *((path_of(iri), tuple(MEDIA_TYPES)) for iri in self.iris)]:
            for suffix in suffixes:
                target = Path(out) / f"{path}.{suffix}"
                target.parent.mkdir(parents=True, exist_ok=True)
                _write_whole(target, self.document(path, suffix) or "")
                written.append(target)
        _write_whole(Path(out) / ".htaccess", HTACCESS)
        return written

    # HTML ------------------------------------------------------------------------------------

    def _href(self, here: str, iri: str) -> str | None:
        return relative(here, path_of(iri)) if iri in self._known or path_of(iri) == CATALOGUE else None

    def _page(self, title: str, here: str, alternates: bool = True) -> dominate.document:
        page = dominate.document(title=f"{title} — cybertreaty-kg")
        with page.head:
            t.meta(charset="utf-8")
            t.meta(name="viewport", content="width=device-width, initial-scale=1")
            t.style(_STYLE)
            if alternates:
                t.link(rel="alternate", type="text/turtle", href=relative(here, here, "ttl"))
                t.link(rel="alternate", type="application/ld+json", href=relative(here, here, "jsonld"))
        with page:
            with t.nav():
                t.a("cybertreaty-kg", href=relative(here, CATALOGUE))
                t.span(f" {__version__} · participation as on {self.on.isoformat()}")
        return page

    def _cell(self, here: str, column: str, value: str, row: dict[str, str], instrument: str | None):
        """A table cell, with the ids it names linked: instruments, parties, provisions, sources."""
        if not value:
            return ""
        parts: list = []
        for piece in value.split(", ") if ", " in value else [value]:
            target: Thing | None = None
            if piece.startswith(("http://", "https://")):
                parts.append(t.a(piece, href=piece))
                continue
            if column == "instrument":
                target = self.resolver.instrument(piece)
            elif column in _PARTY_COLUMNS or column == "organisation":
                target = self.resolver.by_iri(f"{ID}state/{piece}") or self.resolver.by_iri(f"{ID}org/{piece}")
            elif column in _CITATION_COLUMNS and (row.get("instrument") or instrument):
                target = self.resolver.provision(row.get("instrument") or instrument, piece) or (
                    self._provisions_by_label.get(piece) if column == "provision" else None)
            elif column == "other":
                target = self._provisions_by_label.get(piece)
            link = self._href(here, target.iri) if target else None
            parts.append(t.a(piece, href=link) if link else piece)
        cell = t.span()
        for index, part in enumerate(parts):
            if index:
                cell.add(", ")
            cell.add(part)
        return cell

    def _table(self, here: str, rows: list[dict[str, str]], instrument: str | None) -> None:
        columns = list(rows[0])
        with t.table():
            t.tr([t.th(column.replace("_", " ")) for column in columns])
            for row in rows:
                t.tr([t.td(self._cell(here, column, str(row[column]), row, instrument)) for column in columns])

    def html(self, thing: Thing) -> str:
        """The HTML fact sheet of ``thing``."""
        here = path_of(thing.iri)
        sheet = fact_sheet(thing, self.resolver, self.on, self._memo)
        instrument = thing.id if thing.kind == "instrument" else thing.id.split(" ")[0] if thing.kind == "provision" else None
        page = self._page(thing.label, here)
        with page:
            t.h1(thing.label, " ", t.span(f"({thing.kind} {thing.id})", cls="kind"))
            t.p(t.code(thing.iri, cls="iri"), " · ", t.a("Turtle", href=relative(here, here, "ttl")), " · ",
                t.a("JSON-LD", href=relative(here, here, "jsonld")), " · in a terminal: ",
                t.code(f"cybertreaty-kg show '{thing.id}'" if thing.kind != "record" else f"cybertreaty-kg sparql 'DESCRIBE <{thing.iri}>'"))
            t.h2(_TITLES["facts"])
            with t.table():
                t.tr(t.th("property"), t.th("value"))
                for fact in sheet["facts"]:
                    t.tr(t.td(fact["property"]), t.td(self._value(here, fact)))
            if "status" in sheet:
                status = sheet["status"]
                t.h2(f"Status on {sheet['on']}")
                t.p(f"Records {status['records']}" + (f", as of {status['as_of']}" if status["as_of"] else "")
                    + ". Counts from a partial record set are lower bounds.")
                with t.table():
                    for name in ("in_force", "in_force_date", "reason", "signatories", "parties"):
                        if status[name]:
                            t.tr(t.th(name.replace("_", " ")), t.td(status[name]))
                svg = self._timeline(thing.id)
                if svg:
                    t.h2("Participation over time")
                    raw(svg)
            if thing.kind == "concept" and thing.id.split("/")[0] in coverage.SCHEMES:
                sheet["coverage"] = self._coverage(thing)
            if thing.kind == "record":
                sheet["pointed_at_by"] = self._pointers(thing)
            for section, rows in sheet.items():
                if section == "facts" or not isinstance(rows, list):
                    continue
                t.h2(f"{_TITLES.get(section, section.replace('_', ' '))} ({len(rows)})")
                if rows:
                    self._table(here, rows, instrument)
                else:
                    t.p("None recorded in the graph (which is not to say none exist: see the coverage notes).")
        return page.render()

    def _value(self, here: str, fact: dict[str, str]):
        iri = fact["iri"]
        if iri.startswith(ID) and iri in self._known:
            return t.a(fact["value"], href=self._href(here, iri))
        if iri.startswith(("http://", "https://")) and not iri.startswith(BASE):
            return t.a(fact["value"], href=iri)
        return t.span(fact["value"], title=iri) if iri else fact["value"]

    def _pointers(self, thing: Thing) -> list[dict[str, str]]:
        rows = self.engine.run(f"SELECT ?s ?p WHERE {{ ?s ?p <{thing.iri}> }} ORDER BY ?s ?p").rows
        return [{"record": path_of(s.value) if s.value.startswith(BASE) else s.value, "property": p.value.rsplit("#", 1)[-1]}
                for s, p in rows]

    def _timeline(self, instrument: str) -> str | None:
        line = timeline.series(self.engine, instrument)
        if not any(line.points.values()):
            return None
        return _inline_svg(timeline.to_image([line], "svg"))

    def _matrix(self, scheme: str) -> matrices.Matrix:
        key = ("matrix", scheme)
        if key not in self._memo:
            self._memo[key] = matrices.coverage_matrix(self.engine, scheme)
        return self._memo[key]

    def _coverage(self, thing: Thing) -> list[dict[str, str]]:
        scheme, code = thing.id.split("/", 1)
        if scheme not in coverage.SCHEMES:  # a scheme without a coverage query (modality, scope, ...)
            return []
        found = self._matrix(scheme)
        return [{"instrument": instrument,
                 "status": (cell.status if cell else coverage.NOT_RECORDED),
                 "articles": cell.articles if cell else "",
                 "modality": cell.modality if cell else ""}
                for instrument in found.instruments for cell in [found.cells.get((code, instrument))]]

    def catalogue(self) -> str:
        """The page that lists every thing by kind and embeds the comparisons."""
        here = CATALOGUE
        page = self._page("Everything in the graph", here, alternates=False)
        things = self.things()
        with page:
            t.h1("cybertreaty-kg: every instrument, article, concept, State and organisation")
            with t.p(f"Each page gives what the graph records, with its source; participation as it stood on "
                     f"{self.on.isoformat()}."):
                if self.home:
                    t.span(" ")
                    t.a(self.home[0], href=relative(here, self.home[1]))
            with t.ul():
                for kind, title in (("instrument", "Instruments"), ("organisation", "Organisations"),
                                    ("state", "States"), ("concept", "Concepts"), ("comparisons", "Comparisons")):
                    t.li(t.a(title, href=f"#{kind}"))
            t.h2("Instruments", id="instrument")
            held = {short(row[0]): row for row in queries.run(queries.get("instruments"), {}, self.engine).rows}
            columns = queries.get("instruments").columns
            index = {c.name: i for i, c in enumerate(columns)}
            with t.table():
                t.tr(t.th("id"), t.th("title"), t.th("articles in the graph"))
                for instrument in (x for x in things if x.kind == "instrument"):
                    row = held[instrument.id]
                    in_graph, in_text = short(row[index["articles"]]), short(row[index["articles_in_text"]])
                    # a partial instrument's count is of what the graph holds, not of its text
                    shown = f"{in_graph} of {in_text}" if in_text else f"{in_graph} (the text's count not recorded)"
                    t.tr(t.td(t.a(instrument.id, href=self._href(here, instrument.iri))), t.td(instrument.label), t.td(shown))
            for kind, title in (("organisation", "Organisations"), ("state", "States")):
                t.h2(title, id=kind)
                with t.p():
                    for index, x in enumerate(x for x in things if x.kind == kind):
                        if index:
                            t.span(" · ")
                        t.a(x.label, href=self._href(here, x.iri), title=x.id)
            t.h2("Concepts", id="concept")
            for scheme in SCHEMES:
                members = [x for x in things if x.kind == "concept" and x.id.startswith(scheme + "/")]
                if members:
                    t.h3(f"Scheme '{scheme}'")
                    with t.p():
                        for index, x in enumerate(sorted(members, key=lambda x: x.label.lower())):
                            if index:
                                t.span(" · ")
                            t.a(x.label, href=self._href(here, x.iri), title=x.id)
            t.h2("Comparisons", id="comparisons")
            t.h3("Participation over time")
            for instrument in (x for x in things if x.kind == "instrument"):
                svg = self._timeline(instrument.id)
                if svg:
                    t.h4(t.a(instrument.label, href=self._href(here, instrument.iri)))
                    raw(svg)
            for scheme in coverage.SCHEMES:
                found = self._matrix(scheme)
                if any(cell.status == coverage.ADDRESSED for cell in found.cells.values()):
                    t.h3(f"Coverage matrix: {scheme}", id=f"matrix-{scheme}")
                    matrices.html_table(found, href=lambda kind, ident: self._link(here, kind, ident))
        return page.render()

    def _link(self, here: str, kind: str, ident: str) -> str | None:
        try:
            thing = self.resolver.instrument(ident) if kind == "instrument" else self.resolver.resolve(ident, (kind,))
        except UnknownName:
            return None
        return self._href(here, thing.iri) if thing else None


def _inline_svg(svg: bytes) -> str:
    """An SVG file as an element to put in a page (its XML declaration and doctype dropped)."""
    text = svg.decode()
    return text[text.index("<svg"):]


def _write_whole(target: Path, text: str) -> None:
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        stream.write(text)
    os.chmod(name, 0o644)
    os.replace(name, target)


HTACCESS = """# Content negotiation for the static site on an Apache host (w3id.org redirects
# https://w3id.org/cybertreaty-kg/* to the folder this file is in). A GET on an id IRI's path is
# answered with 303 See Other to the page (browsers), the Turtle (Accept: text/turtle) or the
# JSON-LD (Accept: application/ld+json), as linked-data publishers do.
RewriteEngine on
RewriteCond %{HTTP_ACCEPT} text/turtle
RewriteCond %{REQUEST_FILENAME}.ttl -f
RewriteRule ^(id/.+)$ $1.ttl [R=303,L]
RewriteCond %{HTTP_ACCEPT} application/ld\\+json
RewriteCond %{REQUEST_FILENAME}.jsonld -f
RewriteRule ^(id/.+)$ $1.jsonld [R=303,L]
RewriteCond %{REQUEST_FILENAME}.html -f
RewriteRule ^(id/.+)$ $1.html [R=303,L]
AddType text/turtle .ttl
AddType application/ld+json .jsonld
"""

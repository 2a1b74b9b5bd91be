"""A page for every IRI: the static site `docs` writes, the same pages served by `serve` with
content negotiation, and both looked at in a real headless browser (Debian's Chromium, which
`.ci/run` installs; without it these browser tests are skipped outside CI and fail in CI).

Expected values come from the sources: the UN Convention has 68 articles and its art. 41 is
headed "24/7 network" with six paragraphs (A/RES/79/243); UNCC art. 7 (illegal access) is
mapped to Budapest art. 2; Japan accepted the Budapest Convention on 2012-07-03, in force
2012-11-01 (Council of Europe chart of signatures and ratifications, read via the participation
table data/parties/budapest.tsv).
"""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest

from cybertreaty_kg import queries
from cybertreaty_kg.docs import HOME, build_docs
from cybertreaty_kg.engines import OxigraphEngine, Term
from cybertreaty_kg.factsheet import describe, fact_sheet
from cybertreaty_kg.pages import CATALOGUE, Site, path_of
from cybertreaty_kg.serve import examples, negotiate
from test_server import free_port, wait_for

ON = date(2026, 12, 1)
ID = "https://w3id.org/cybertreaty-kg/id/"
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def engine(dataset):
    return OxigraphEngine(dataset.store)


@pytest.fixture(scope="module")
def site(dataset, engine, tmp_path_factory) -> tuple[Site, Path]:
    """What `docs` writes: the documentation pages and the site of every IRI."""
    out = tmp_path_factory.mktemp("site")
    build_docs(dataset, out, ON)
    return Site(engine, ON, home=HOME), out


class Page(HTMLParser):
    """Links, table rows and text of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.links += [v for k, v in attrs if k == "href" and v]
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def read(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_every_iri_has_its_page_turtle_and_json_ld(site, engine):
    made, out = site
    iris = {row[0].value for row in engine.run(
        "SELECT DISTINCT ?s WHERE { { ?s ?p ?o } UNION { ?o ?p ?s } FILTER (isIRI(?s) && STRSTARTS(STR(?s), "
        "'https://w3id.org/cybertreaty-kg/id/')) }").rows}
    assert len(iris) > 2000 and set(made.iris) == iris
    for iri in iris:
        for suffix in ("html", "ttl", "jsonld"):
            assert (out / f"{path_of(iri)}.{suffix}").stat().st_size > 0, (iri, suffix)
    kinds = {thing.kind for thing in made.things()}
    assert kinds == {"instrument", "provision", "concept", "state", "organisation", "record"}
    for iri in (ID + "instrument/uncc", ID + "instrument/uncc/art/41", ID + "instrument/uncc/art/41/para/1",
                ID + "concept/cooperation/network-24-7", ID + "state/JPN", ID + "org/coe"):
        assert (out / f"{path_of(iri)}.html").exists(), iri
    assert {".htaccess", "id", "index.html", "ontology.html"} <= {p.name for p in out.iterdir()}
    assert len(list((out / "id").rglob("*.html"))) == len(iris) + 1  # and the catalogue


def test_every_link_resolves_inside_the_site(site):
    _, out = site
    checked = 0
    for path in [out / "index.html", *(out / "id").rglob("*.html")]:  # ours (pyLODE's pages are pyLODE's)
        for link in read(path).links:
            if link.startswith(("http://", "https://", "#")):
                continue
            target = (path.parent / link.split("#")[0]).resolve()
            assert target.is_file() and out.resolve() in target.parents, f"{path.relative_to(out)} -> {link}"
            checked += 1
    assert checked > 20000


def test_instrument_page_holds_the_sheet_the_timeline_and_the_official_text(site):
    _, out = site
    page = read(out / "id/instrument/uncc.html")
    text = html.unescape("".join(page.text))
    assert "UN Convention against Cybercrime" in text and "(instrument uncc)" in text
    assert "https://docs.un.org/en/A/RES/79/243" in page.links
    articles = [row for row in page.rows if row and row[0].isdigit()]
    assert len(articles) == 68 and articles[40][:2] == ["41", "24/7 network"]
    assert "uncc/art/41.html" in page.links and "<svg" in (out / "id/instrument/uncc.html").read_text()
    assert page.links[0] == "../index.html"  # the catalogue, relative from any depth


def test_article_page_links_paragraphs_crosswalks_and_statements(site):
    _, out = site
    page = read(out / "id/instrument/uncc/art/41.html")
    paragraphs = [row[0] for row in page.rows if row and re.fullmatch(r"41\(\d+\)", row[0])]
    assert paragraphs == [f"41({n})" for n in range(1, 7)]
    assert "41(3)(a)" in {row[0] for row in page.rows if row}  # and the points below them
    assert "41/para/1.html" in page.links
    illegal_access = read(out / "id/instrument/uncc/art/7.html")
    assert "../../budapest/art/2.html" in illegal_access.links  # the crosswalk to Budapest art. 2
    assert any(row[:2] == ["uncc", "AZE"] for row in illegal_access.rows)  # Azerbaijan's declaration under 7(2)
    assert "../../../state/AZE.html" in illegal_access.links


def test_state_page_equals_the_participation_tables(site, engine):
    made, out = site
    page = read(out / "id/state/JPN.html")
    header = next(row for row in page.rows if row[:2] == ["instrument", "signatory"])
    rows = [dict(zip(header, row)) for row in page.rows if len(row) == len(header) and row != header
            and row[0] in {"arab", "budapest", "budapest-p1", "budapest-p2", "uncc", "malabo", "cis-2001",
                           "cis-2018", "sco-2009", "ecowas-2011", "eu-2013-40"}]
    sheet = fact_sheet(made.resolver.resolve("JPN"), made.resolver, ON)
    assert [r["instrument"] for r in rows] == [r["instrument"] for r in sheet["participation"]]
    for shown, expected in zip(rows, sheet["participation"]):
        assert shown["signatory"] == expected["signatory"] and shown["consented"] == expected["consented"]
    budapest = next(r for r in rows if r["instrument"] == "budapest")
    assert (budapest["party"], budapest["consented"], budapest["consent type"], budapest["in force"]) == (
        "yes", "2012-07-03", "acceptance", "2012-11-01")


def test_concept_page_lists_provisions_and_coverage(site, engine):
    made, out = site
    page = read(out / "id/concept/cooperation/network-24-7.html")
    header = next(row for row in page.rows if row[:2] == ["provision", "instrument"])
    provisions = {row[0] for row in page.rows[page.rows.index(header) + 1:] if len(row) == len(header)}
    # the same articles as the saved query concept-articles gives (a second path to the answer);
    # the page also lists each paragraph that addresses it (41(1) … 41(6) of the UNCC)
    answered = queries.run(queries.get("concept-articles"), {"concept": "network-24-7"}, engine).rows
    expected = {made.resolver.provision(row[0].value.rsplit("/", 1)[-1], row[1].value).label for row in answered}
    assert expected <= provisions and {p.split("(")[0] for p in provisions} == {p.split("(")[0] for p in expected}
    assert {"UNCC Art. 41", "UNCC Art. 41(1)", "Budapest Art. 35", "Arab Convention Art. 43"} <= provisions
    coverage = {row[0]: row[1] for row in page.rows if len(row) == 4 and row[1] in ("addressed", "not addressed", "not recorded")}
    assert coverage["uncc"] == coverage["budapest"] == "addressed"
    assert "../../instrument/uncc/art/41.html" in page.links


def test_catalogue_embeds_the_matrices_and_timelines(site):
    _, out = site
    text = (out / f"{CATALOGUE}.html").read_text(encoding="utf-8")
    for scheme in ("offence", "procedure", "cooperation", "capacity", "safeguard"):
        assert f'id="matrix-{scheme}"' in text
    # a timeline for each instrument whose participation table has signatures or consents (read
    # here from data/parties/*.tsv with csv alone): the CIS tables hold entries into force only
    drawn = set()
    for table in sorted((ROOT / "data" / "parties").glob("*.tsv")):
        lines = [line for line in table.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
        if {r["event"] for r in csv.DictReader(lines, delimiter="\t")} & {"signature", "ratification", "acceptance",
                                                                         "approval", "accession", "succession"}:
            drawn.add(table.stem)
    assert drawn == {"arab", "budapest", "budapest-p1", "budapest-p2", "malabo", "sco-2009", "uncc"}
    assert text.count("<svg") == len(drawn)
    catalogue = read(out / f"{CATALOGUE}.html")
    rows = {row[0]: row[2] for row in catalogue.rows if len(row) == 3 and row[0] != "id"}
    assert (rows["uncc"], rows["budapest"]) == ("68 of 68", "48 of 48")
    # modelled in part: never a bare count (CIS 2001: articles 16 and 17 of 17; SCO: the text's count not read)
    assert (rows["cis-2001"], rows["sco-2009"]) == ("2 of 17", "1 (the text's count not recorded)")
    assert 'data-instrument="uncc" data-modality="mandatory" data-status="addressed"' in text
    assert "instrument/uncc.html" in read(out / f"{CATALOGUE}.html").links
    assert "Documentation: ontology, shapes, saved queries" in text and "../index.html" in read(out / f"{CATALOGUE}.html").links


def test_turtle_and_json_ld_are_the_triples_of_the_sheet(site, engine):
    made, out = site
    for ident in ("uncc", "uncc 41", "JPN", "coe", "network-24-7"):
        thing = made.resolver.resolve(ident)
        expected = {tuple(_ox(term) for term in triple) for triple in describe(thing, engine)}
        for suffix, fmt in (("ttl", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD)):
            parsed = ox.parse((out / f"{path_of(thing.iri)}.{suffix}").read_bytes(), format=fmt)
            assert {(t.subject, t.predicate, t.object) for t in parsed} == expected, (ident, suffix)


def _ox(term: Term):
    if term.kind == "iri":
        return ox.NamedNode(term.value)
    if term.language:
        return ox.Literal(term.value, language=term.language)
    return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))


def test_pages_are_the_same_bytes_every_time(site, engine):
    made, out = site
    again = Site(engine, ON, home=HOME)
    for path in ("id/instrument/uncc", "id/state/JPN", "id/instrument/uncc/art/7", CATALOGUE):
        assert again.document(path, "html") == (out / f"{path}.html").read_text(encoding="utf-8"), path
    assert again.document("id/instrument/nothing", "html") is None and again.document("id/state/JPN", "exe") is None


def test_htaccess_negotiates_like_serve(site):
    _, out = site
    rules = (out / ".htaccess").read_text()
    assert "text/turtle" in rules and "application/ld\\+json" in rules and "R=303" in rules


@pytest.mark.parametrize("accept, suffix", [
    ("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("text/html,application/xhtml+xml,*/*;q=0.8", "html"),
    ("*/*", "html"), (None, "html"), ("text/html;q=0.5, text/turtle", "ttl"), ("application/ld+json;q=0.2, text/html", "html"),
    ("text/turtle;q=nan-ish", "html"),
])
def test_negotiate(accept, suffix):
    assert negotiate(accept) == suffix


def test_query_page_examples_run_and_answer(engine):
    shown = examples()
    first = dict(shown[:3])
    kinds = engine.run(first["Instruments and their kinds"]).rows
    assert len(kinds) == 11 and (kinds[-1][0].value, kinds[-1][1].value) == ("uncc", "convention")
    network = {(r[0].value, r[1].value) for r in engine.run(first["Where is the 24/7 network in each instrument?"]).rows}
    assert {("uncc", "41"), ("budapest", "35")} <= network
    paragraphs = [r[0].value for r in engine.run(first["UNCC art. 41, paragraph by paragraph"]).rows]
    assert paragraphs == [f"41({n})" for n in range(1, 7)]
    for title, body in shown[3:]:
        assert engine.run(body).rows, title  # every saved query shown runs as it is, and answers


# --- serve: the same pages, negotiated, beside the SPARQL endpoint -------------------------------

@pytest.fixture(scope="module")
def served(tmp_path_factory):
    port = free_port()
    store = tmp_path_factory.mktemp("serve") / "store"
    process = subprocess.Popen([sys.executable, "-m", "cybertreaty_kg", "serve", "--port", str(port), "--store", str(store)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query", process, 90)
        yield base
    finally:
        process.terminate()
        process.wait(15)


def get(url: str, accept: str | None = None, follow: bool = True):
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    opener = urllib.request.build_opener(*([] if follow else [NoRedirect()]))
    return opener.open(request, timeout=30)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.slow
@pytest.mark.parametrize("accept, suffix, media", [
    ("text/html", "html", "text/html"), ("text/turtle", "ttl", "text/turtle"),
    ("application/ld+json", "jsonld", "application/ld+json")])
def test_serve_negotiates_each_form(served, site, accept, suffix, media):
    with pytest.raises(urllib.error.HTTPError) as seen:
        get(served + "/id/instrument/uncc", accept, follow=False)
    assert seen.value.code == 303 and seen.value.headers["Location"] == f"/id/instrument/uncc.{suffix}"
    answer = get(served + "/id/state/JPN", accept)
    assert answer.headers["Content-Type"].startswith(media) and answer.url.endswith(f"/id/state/JPN.{suffix}")
    body = answer.read().decode()
    made, _ = site
    if suffix == "html":
        assert "<title>Japan — cybertreaty-kg</title>" in body and "2012-07-03" in body
    else:
        fmt = ox.RdfFormat.TURTLE if suffix == "ttl" else ox.RdfFormat.JSON_LD
        parsed = {(t.subject, t.predicate, t.object) for t in ox.parse(body.encode(), format=fmt)}
        expected = {tuple(_ox(x) for x in triple) for triple in describe(made.resolver.resolve("JPN"), made.engine)}
        assert parsed == expected


@pytest.mark.slow
def test_serve_refuses_what_it_should(served):
    for url, code in ((served + "/id/instrument/nothing", 404), (served + "/id/state/JPN.exe", 404),
                      (served + "/nowhere", 404), (served + "/store", 403)):
        with pytest.raises(urllib.error.HTTPError) as seen:
            get(url, "text/turtle")
        assert seen.value.code == code, url
    service = urllib.request.Request(served + "/query", data=urllib.parse.urlencode(
        {"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}).encode())
    with pytest.raises(urllib.error.HTTPError) as seen:
        urllib.request.urlopen(service, timeout=10)
    assert seen.value.code == 403 and "SERVICE is refused" in seen.value.read().decode()


@pytest.mark.slow
def test_serve_declares_our_prefixes_and_keeps_a_users_own(served):
    for query in ("SELECT ?heading WHERE { uncc-art:41 ctkg:heading ?heading }",
                  "PREFIX ctkg: <https://w3id.org/cybertreaty-kg/ontology#>\nSELECT ?heading WHERE { uncc-art:41 ctkg:heading ?heading }"):
        request = urllib.request.Request(served + "/query", data=query.encode(), headers={
            "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
        rows = json.load(urllib.request.urlopen(request, timeout=10))["results"]["bindings"]
        assert [r["heading"]["value"] for r in rows] == ["24/7 network"]
    page = get(served + "/").read().decode()
    assert "PREFIX uncc-art: &lt;https://w3id.org/cybertreaty-kg/id/instrument/uncc/art/&gt;" in page
    assert "Where is the 24/7 network in each instrument?" in page


# --- in a real browser -----------------------------------------------------------------------

def dom(url: str, tmp_path: Path) -> str:
    """The page's DOM after its scripts ran, in headless Chromium (flags as the machine notes
    require: no sandbox as root, no background networking on a closed network)."""
    if CHROMIUM is None:
        if os.environ.get("CTKG_REQUIRE_BROWSER"):
            pytest.fail("Chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI installs it and runs this test")
    done = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                           "--disable-background-networking", "--disable-component-update", "--disable-sync",
                           f"--user-data-dir={tmp_path / 'chromium'}", "--virtual-time-budget=15000", "--dump-dom", url],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    return done.stdout


@pytest.mark.slow
def test_browser_shows_a_static_page_from_the_folder(site, tmp_path):
    _, out = site
    shown = dom((out / "id/state/JPN.html").as_uri(), tmp_path)
    assert "<h1>Japan" in shown and "2012-11-01" in shown and 'href="../instrument/budapest.html"' in shown


@pytest.mark.slow
def test_browser_follows_negotiation_and_runs_the_query_page(served, tmp_path):
    shown = dom(served + "/id/instrument/uncc", tmp_path)
    assert "UN Convention against Cybercrime" in shown and "24/7 network" in shown
    query = "SELECT ?id WHERE { ?i ctkg:identifier ?id } ORDER BY ?id"
    shown = dom(served + "/?" + urllib.parse.urlencode({"query": query}), tmp_path)
    assert 'data-rows="11"' in shown
    assert "<td>arab</td>" in shown and "<td>uncc</td>" in shown

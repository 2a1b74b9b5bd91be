"""Documentation pages, the coverage matrix and the participation timeline: complete, equal to
the saved queries they are drawn from, and reproducible byte for byte."""

from __future__ import annotations

import csv
import html
import io
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import rdflib
from matplotlib.image import imread

from cybertreaty_kg import queries
from cybertreaty_kg.cli import main
from cybertreaty_kg.docs import build_docs
from cybertreaty_kg.engines import OxigraphEngine
from cybertreaty_kg.output import short

REPO = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def engine(dataset):
    return OxigraphEngine(dataset.store)


@pytest.fixture(scope="module")
def site(dataset, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    build_docs(dataset, out, site=False)  # the site of every IRI: tests/test_site.py
    return out


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs += [v for k, v in attrs if k == "href" and v]


def text_of(path: Path) -> str:
    return html.unescape(path.read_text(encoding="utf-8"))


def test_docs_index_links_every_page(site):
    parser = Links()
    parser.feed((site / "index.html").read_text(encoding="utf-8"))
    local = {h for h in parser.hrefs if not h.startswith(("http:", "https:"))}
    pages = {p.name for p in site.glob("*.html")} - {"index.html"}
    assert local == pages | {"id/index.html"}  # and the site: a page for every IRI (tests/test_site.py)
    assert {"ontology.html", "shapes-core.html", "shapes-rules.html", "concepts-offence.html"} <= pages


def test_docs_show_every_class_property_concept_shape_and_query(root, site):
    ontology = rdflib.Graph().parse(root / "ontology" / "cybertreaty.ttl")
    page = text_of(site / "ontology.html")
    terms = [s for kind in (rdflib.OWL.Class, rdflib.OWL.ObjectProperty, rdflib.OWL.DatatypeProperty, rdflib.OWL.AnnotationProperty)
             for s in ontology.subjects(rdflib.RDF.type, kind) if str(s).startswith("https://w3id.org/cybertreaty-kg/ontology#")]
    assert len(terms) > 60
    for term in terms:
        assert str(ontology.value(term, rdflib.RDFS.label)) in page, term
        assert " ".join(str(ontology.value(term, rdflib.SKOS.definition)).split()) in " ".join(page.split()), term
    index = text_of(site / "index.html")
    concepts = rdflib.Graph()
    for path in (root / "ontology" / "concepts").glob("*.ttl"):
        concepts.parse(path)
    for concept in concepts.subjects(rdflib.RDF.type, rdflib.SKOS.Concept):
        assert f"<code>{concepts.value(concept, rdflib.SKOS.notation)}</code>" in index, concept
        assert str(concepts.value(concept, rdflib.SKOS.prefLabel)) in index
        assert str(concepts.value(concept, rdflib.SKOS.definition)) in index
    for name in ("core", "rules"):
        shapes = rdflib.Graph().parse(root / "shapes" / f"{name}.ttl")
        page = text_of(site / f"shapes-{name}.html")
        for shape in shapes.subjects(rdflib.RDF.type, rdflib.SH.NodeShape):
            assert str(shapes.value(shape, rdflib.RDFS.label)) in page
        for message in shapes.objects(None, rdflib.SH.message):
            assert str(message) in page
    for query in queries.catalogue().values():
        assert f"{query.name}: {query.title}" in index and query.example in index


def coverage(engine, name: str, column: str) -> dict[tuple[str, str], str]:
    """(concept, instrument) -> articles of the cells the query says are addressed, straight from a saved query."""
    query = queries.get(name)
    columns = [c.name for c in query.columns]
    found: dict[tuple[str, str], list[str]] = {}
    for row in queries.run(query, {}, engine).rows:
        values = dict(zip(columns, row))
        if short(values["status"]) != "addressed":
            continue
        numbers = found.setdefault((short(values[column]), short(values["instrument"])), [])
        numbers += short(values.get("articles") or values.get("article")).split(", ")
    return {key: ", ".join(sorted(set(v), key=queries.article_key)) for key, v in found.items()}


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


@pytest.mark.parametrize("scheme,name,column", [
    ("offence", "offence-coverage", "offence"), ("procedure", "procedure-coverage", "procedure"),
    ("cooperation", "cooperation-coverage", "mechanism"), ("capacity", "capacity-building", "obligation"),
    ("safeguard", "safeguards", "safeguard")])
def test_matrix_csv_cells_are_the_query_rows(capsys, engine, scheme, name, column):
    code, out = run(capsys, "matrix", "--scheme", scheme, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    instruments = [c for c in rows[0] if c not in ("group", "concept", "label") and not c.endswith(" modality")]
    assert len(instruments) == 11
    cells = {(r["concept"], i): r[i] for r in rows for i in instruments if r[i]}
    assert cells == coverage(engine, name, column)


def test_matrix_svg_cells_and_shading_are_the_query_rows(tmp_path, engine):
    path = tmp_path / "offence.svg"
    assert main(["matrix", "--scheme", "offence", "--format", "svg", "--out", str(path)]) == 0
    cells = {}
    for group in ET.parse(path).iter(f"{SVG}g"):
        match = re.fullmatch(r"cell/(.+)/(.+)", group.get("id", ""))
        if match:
            cells[(match.group(1), match.group(2))] = " ".join("".join(t.itertext()) for t in group.iter(f"{SVG}text"))
    assert {k: v.replace(", ", ",").replace(" ", "").replace(",", ", ") for k, v in cells.items()} == \
        coverage(engine, "offence-coverage", "offence")
    # Budapest art. 6 may be reserved (art. 42): its cell is shaded as such in the HTML rendering
    assert main(["matrix", "--scheme", "offence", "--format", "html", "--out", str(tmp_path / "m.html")]) == 0
    page = (tmp_path / "m.html").read_text()
    assert re.search(r'data-concept="misuse-of-devices" data-instrument="budapest" data-modality="reservation"', page)
    assert re.search(r'data-concept="illegal-access" data-instrument="uncc" data-modality="mandatory"', page)


def test_matrix_for_chosen_instruments_and_bad_ids(capsys):
    code, out = run(capsys, "matrix", "--scheme", "offence", "--instruments", "uncc,budapest", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "group,concept,label,uncc,budapest,uncc modality,budapest modality"
    assert main(["matrix", "--scheme", "offence", "--instruments", "uncc,nope"]) == 2
    error = capsys.readouterr().err
    assert "unknown instrument 'nope'" in error and "known: arab, budapest" in error


@pytest.mark.parametrize("instrument,other", [("uncc", None), ("malabo", "budapest-p2")])
def test_timeline_ends_at_the_parties_counts(tmp_path, engine, instrument, other):
    path = tmp_path / "timeline.svg"
    argv = ["timeline", instrument, "--format", "svg", "--out", str(path)] + (["--vs", other] if other else [])
    assert main(argv) == 0
    finals = {}
    for group in ET.parse(path).iter(f"{SVG}g"):
        match = re.fullmatch(r"final/(.+)/(signature|consent)", group.get("id", ""))
        if match:
            finals[(match.group(1), match.group(2))] = int("".join(group.itertext()).strip())
    for name in filter(None, (instrument, other)):
        parties = queries.run(queries.get("parties"), {"instrument": name}, engine).rows
        assert finals[(name, "signature")] == sum(1 for p in parties if p[1] is not None)
        assert finals[(name, "consent")] == sum(1 for p in parties if p[2] is not None)


def test_timeline_unknown_instrument(capsys):
    assert main(["timeline", "hanoi"]) == 2
    error = capsys.readouterr().err
    assert "unknown instrument 'hanoi'; did you mean: uncc" in error and "known: arab" in error


@pytest.mark.parametrize("image,argv", [
    ("offence-matrix.svg", ["matrix", "--scheme", "offence", "--format", "svg"]),
    ("uncc-timeline.svg", ["timeline", "uncc", "--format", "svg"]),
])
def test_committed_images_are_regenerated_unchanged(tmp_path, image, argv):
    """The README's images are made by the commands it shows; a data change that alters them
    fails here until they are regenerated."""
    out = tmp_path / image
    assert main([*argv, "--out", str(out)]) == 0
    assert out.read_bytes() == (REPO / "docs" / image).read_bytes()


def test_png_is_a_real_picture(tmp_path):
    matrix, timeline = tmp_path / "m.png", tmp_path / "t.png"
    assert main(["matrix", "--scheme", "offence", "--format", "png", "--out", str(matrix)]) == 0
    assert main(["timeline", "uncc", "--format", "png", "--out", str(timeline)]) == 0
    pixels = imread(matrix)
    assert pixels.shape[:2] == (1240, 1753)  # A4 landscape at 150 dpi
    ink = (pixels[:, :, :3].mean(axis=2) < 0.9).mean()
    assert 0.05 < ink < 0.6, ink  # neither blank nor a solid block
    assert main(["matrix", "--scheme", "offence", "--format", "png", "--out", str(tmp_path / "again.png")]) == 0
    assert (tmp_path / "again.png").read_bytes() == matrix.read_bytes()
    assert imread(timeline).shape[:2] == (840, 1500)

"""The coverage matrix: concepts of one scheme (grouped under their broader concept) against
instruments, each cell holding the article numbers that address the concept, shaded by modality;
a cell where the instrument does not address the concept is white only if the instrument is
recorded completely for the scheme, and hatched grey ("not recorded") where it is modelled in part.

It is built from the saved queries' rows (``offence-coverage`` and its siblings, ``concepts``,
``instruments``), never from a table of its own, so the picture and the queries cannot disagree.
"""

from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass, field

import dominate
import dominate.tags as t

from . import coverage, queries
from .engines import Engine
from .errors import CtkgError
from .output import short
from .plotting import drawing, figure_bytes

SHADES = {  # modality -> (fill colour, legend)
    "reservation": ("#b8e0b0", "reservation allowed"),
    "mandatory": ("#9ecae1", "mandatory (\"shall\")"),
    "optional": ("#fdd49e", "optional (\"may\")"),
    "unrecorded": ("#e3e3e3", "addressed, modality not recorded"),
}
NOT_RECORDED = ("#f4f4f4", "not recorded (instrument modelled in part)")
NOT_ADDRESSED = ("white", "not addressed (all provisions recorded)")
HATCH = "////"


@dataclass(frozen=True)
class Cell:
    articles: str
    modality: str  # a key of SHADES where addressed; "" otherwise
    status: str = coverage.ADDRESSED  # addressed, not addressed, or not recorded


@dataclass
class Matrix:
    scheme: str
    instruments: list[str]
    groups: list[tuple[str, list[tuple[str, str]]]]  # (broader label, [(concept code, label)])
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)  # (concept, instrument) -> cell

    @property
    def rows(self) -> list[tuple[str, str, str]]:
        """(group label, concept code, concept label) in display order."""
        return [(group, code, label) for group, concepts in self.groups for code, label in concepts]


def _shade(cell: coverage.Cell) -> str:
    if cell.reservable:
        return "reservation"
    if "mandatory" in cell.modalities:
        return "mandatory"
    if "optional" in cell.modalities:
        return "optional"
    return "unrecorded"


def coverage_matrix(engine: Engine, scheme: str, instruments: list[str] | None = None) -> Matrix:
    """The matrix of ``scheme`` for ``instruments`` (default: all, in order of adoption)."""
    found = coverage.coverage(engine, scheme)
    known = [short(row[0]) for row in queries.run(queries.get("instruments"), {}, engine).rows]
    chosen = instruments or known
    unknown = [i for i in chosen if i not in known]
    if unknown:
        raise CtkgError(f"unknown instrument {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    cells = {(concept, instrument): Cell(cell.articles, _shade(cell) if cell.status == coverage.ADDRESSED else "", cell.status)
             for (concept, instrument), cell in found.items() if instrument in chosen}
    concepts = [tuple(short(v) for v in row) for row in queries.run(queries.get("concepts"), {}, engine).rows
                if short(row[0]) == scheme]
    labels = {code: label for _, code, label, _ in concepts}
    tops = sorted((code for _, code, _, broader in concepts if not broader), key=lambda c: labels[c].lower())
    groups = []
    for top in tops:
        members = sorted((code for _, code, _, broader in concepts if broader == top), key=lambda c: labels[c].lower())
        if any(cells.get((top, i), Cell("", "", "")).status == coverage.ADDRESSED for i in chosen):
            members.insert(0, top)
        groups.append((labels[top], [(code, labels[code]) for code in members]))
    return Matrix(scheme, chosen, [g for g in groups if g[1]], cells)


def to_csv(matrix: Matrix) -> str:
    """One row per concept: its group, code and label, the articles per instrument, then per
    instrument the modality where addressed, or "not addressed" / "not recorded"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["group", "concept", "label", *matrix.instruments, *(f"{i} modality" for i in matrix.instruments)])
    for group, code, label in matrix.rows:
        cells = [matrix.cells.get((code, i)) for i in matrix.instruments]
        writer.writerow([group, code, label, *(c.articles if c else "" for c in cells), *((c.modality if c.status == coverage.ADDRESSED else c.status) if c else coverage.NOT_RECORDED
                                                                    for c in cells)])
    return buffer.getvalue()


STYLE = ("table.matrix{border-collapse:collapse;font-family:sans-serif;font-size:12px}"
         ".matrix td,.matrix th{border:1px solid #999;padding:2px 6px;text-align:center}"
         ".matrix td.concept{text-align:left}.matrix th.group{text-align:left;background:#f4f4f4}"
         ".not-recorded{background:repeating-linear-gradient(45deg,#f4f4f4,#f4f4f4 3px,#c8c8c8 3px,#c8c8c8 4px)}")


def html_table(matrix: Matrix, href=None) -> t.html_tag:
    """The table and its legend as a dominate element, to stand alone (:func:`to_html`) or inside a
    page of the site; ``href(kind, id)`` gives the link of a concept (``offence/illegal-access``)
    or an instrument (``uncc``), or None for none."""
    def named(text: str, kind: str, ident: str):
        link = href(kind, ident) if href else None
        return t.a(text, href=link) if link else text

    block = t.div(cls="matrix")
    with block:
        with t.table(cls="matrix"):
            with t.tr():
                t.th("concept")
                for instrument in matrix.instruments:
                    t.th(named(instrument, "instrument", instrument))
            for group, concepts in matrix.groups:
                with t.tr():
                    t.th(group, colspan=len(matrix.instruments) + 1, cls="group")
                for code, label in concepts:
                    with t.tr():
                        t.td(named(label, "concept", f"{matrix.scheme}/{code}"), cls="concept", title=code)
                        for instrument in matrix.instruments:
                            cell = matrix.cells.get((code, instrument))
                            status = cell.status if cell else coverage.NOT_RECORDED
                            if status == coverage.ADDRESSED:
                                t.td(cell.articles, style=f"background:{SHADES[cell.modality][0]}", data_concept=code,
                                     data_instrument=instrument, data_modality=cell.modality, data_status=status)
                            elif status == coverage.NOT_RECORDED:
                                t.td("", cls="not-recorded", title=NOT_RECORDED[1], data_concept=code, data_instrument=instrument,
                                     data_status=status)
                            else:
                                t.td("", title=NOT_ADDRESSED[1], data_concept=code, data_instrument=instrument, data_status=status)
        with t.p():
            for colour, legend in SHADES.values():
                t.span(legend, style=f"background:{colour};padding:2px 6px;margin-right:8px")
            t.span(NOT_RECORDED[1], cls="not-recorded", style="padding:2px 6px;margin-right:8px")
            t.span(NOT_ADDRESSED[1] + ": white", style="padding:2px 6px;border:1px solid #999")
    return block


def to_html(matrix: Matrix) -> str:
    """A self-contained HTML page (built with dominate): the table and its legend."""
    page = dominate.document(title=f"{matrix.scheme} coverage matrix")
    with page.head:
        t.style(STYLE)
    with page:
        t.h1(f"Which instrument addresses which {matrix.scheme} concept (article numbers)")
        html_table(matrix)
    return page.render()


def to_image(matrix: Matrix, fmt: str) -> bytes:
    """SVG or PNG, laid out for A4 landscape; text stays text in SVG, each filled cell an
    element with id ``cell/{concept}/{instrument}``."""
    from matplotlib.patches import Rectangle

    with drawing((11.69, 8.27)) as figure:
        rows = sum(1 + len(concepts) for _, concepts in matrix.groups)
        axes = figure.add_axes((0.01, 0.07, 0.96, 0.86))
        axes.set_axis_off()
        label_width, columns = 3.6, len(matrix.instruments)
        width = label_width + columns
        axes.set_xlim(0, width)
        axes.set_ylim(rows + 1, 0)
        size = max(4.5, min(8.0, 300 / (rows + 1)))
        axes.set_title(f"Coverage of the {matrix.scheme} concepts: article numbers by instrument", fontsize=11, loc="left")
        for index, instrument in enumerate(matrix.instruments):
            axes.text(label_width + index + 0.5, 0.5, instrument, ha="center", va="center", fontsize=size * 0.9, fontweight="bold")
        y = 1
        for group, concepts in matrix.groups:
            axes.add_patch(Rectangle((0, y), width, 1, facecolor="#f0f0f0", edgecolor="#999999", linewidth=0.4))
            axes.text(0.05, y + 0.5, group, va="center", fontsize=size, fontweight="bold")
            y += 1
            for code, label in concepts:
                axes.add_patch(Rectangle((0, y), label_width, 1, facecolor="white", edgecolor="#999999", linewidth=0.4))
                axes.text(0.15, y + 0.5, textwrap.shorten(label, 58, placeholder="…"), va="center", fontsize=size)
                for index, instrument in enumerate(matrix.instruments):
                    cell = matrix.cells.get((code, instrument))
                    status = cell.status if cell else coverage.NOT_RECORDED
                    addressed = status == coverage.ADDRESSED
                    fill = SHADES[cell.modality][0] if addressed else NOT_RECORDED[0] if status == coverage.NOT_RECORDED else "white"
                    patch = axes.add_patch(Rectangle((label_width + index, y), 1, 1, facecolor=fill, edgecolor="#999999", linewidth=0.4,
                                                     hatch=HATCH if status == coverage.NOT_RECORDED else None))
                    patch.set_gid(f"status/{code}/{instrument}/{status.replace(' ', '-')}")
                    if addressed:
                        long = len(cell.articles) > 9
                        text = axes.text(label_width + index + 0.5, y + 0.5, textwrap.fill(cell.articles, 9) if long else cell.articles,
                                         ha="center", va="center", fontsize=size * (0.75 if long else 1))
                        text.set_gid(f"cell/{code}/{instrument}")
                y += 1
        for index, (colour, legend) in enumerate(list(SHADES.values()) + [NOT_RECORDED, NOT_ADDRESSED]):
            x, y = 0.01 + (index % 3) * 0.32, 0.035 - (index // 3) * 0.025
            figure.patches.append(Rectangle((x, y - 0.008), 0.012, 0.016, facecolor=colour, edgecolor="#999999", linewidth=0.4,
                                            hatch=HATCH if (colour, legend) == NOT_RECORDED else None,
                                            transform=figure.transFigure, figure=figure))
            figure.text(x + 0.016, y, legend, fontsize=7, va="center")
        return figure_bytes(figure, fmt)

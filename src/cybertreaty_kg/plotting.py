"""Figures that come out byte-identical every time, so that the images committed under ``docs/``
can be checked against a fresh rendering.

matplotlib's object API is used (no pyplot, no global figure state, no display needed); SVG
text stays text (searchable, and testable), its ids are salted with a fixed string, and no
creation date or software version is written into the files.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib
from matplotlib.figure import Figure

SETTINGS = {
    "svg.fonttype": "none",
    "svg.hashsalt": "cybertreaty-kg",
    "font.family": "DejaVu Sans",  # shipped with matplotlib: the same glyph metrics everywhere
    "path.simplify": False,
}
FORMATS = ("svg", "png")


@contextmanager
def drawing(size: tuple[float, float]) -> Iterator[Figure]:
    """A new figure, with the settings above in force while it is drawn."""
    with matplotlib.rc_context(SETTINGS):
        yield Figure(figsize=size)


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """The figure as SVG or PNG (150 dpi), with no date or version in the metadata."""
    if fmt not in FORMATS:
        raise ValueError(f"image format must be one of {FORMATS}")
    buffer = io.BytesIO()
    metadata = {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    with matplotlib.rc_context(SETTINGS):
        figure.savefig(buffer, format=fmt, dpi=150, metadata=metadata)
    return buffer.getvalue()

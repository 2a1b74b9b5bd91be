"""Where the sources live.

The wheel carries ``ontology/``, ``data/``, ``shapes/`` and ``queries/`` inside the package (under
``_sources``) so that an installed ``cybertreaty-kg`` works from any directory; a source checkout
(or an editable install) reads them from the repository root instead, so edits show at once.
"""

from __future__ import annotations

from pathlib import Path

SOURCE_DIRS = ("ontology", "data", "shapes")
"""Folders whose Turtle files become named graphs, in this order."""


def default_root() -> Path:
    """The folder that holds ``ontology/``, ``data/``, ``shapes/`` and ``queries/``."""
    here = Path(__file__).resolve().parent
    packaged = here / "_sources"
    if (packaged / "ontology").is_dir():
        return packaged
    return here.parents[1]

"""Tables that people edit by hand: a header of ``#`` lines holding YAML (what the table is, as of
when, from which source; ``##`` lines are comments), then tab-separated rows under a header row.

This is the layout of SSSOM crosswalks, and we use it for participation and membership too:
a researcher who copies a row from a depositary's chart edits a line of a table, not Turtle. The
reader keeps each row's line number, so that every error, and every validation result about a
record made from a row, points at the line to fix.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import SourceError


@dataclass(frozen=True)
class Table:
    """A table's header metadata and its rows, each with its line number in the file."""

    meta: dict
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]


def read_table(path: Path, rel: str, required: tuple[str, ...], known: tuple[str, ...]) -> Table:
    """Read one table, or raise :class:`SourceError` naming the file, the line and what to fix.

    ``required`` columns must be present in the header row; a column outside ``known`` is refused
    (a typo in a column name would otherwise drop its values silently). Cells are stripped."""
    try:
        text = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Notepad) is not content
    except UnicodeDecodeError as error:
        raise SourceError(rel, None, f"is not UTF-8 text (byte {error.start}); save it as UTF-8") from None
    except OSError as error:
        raise SourceError(rel, None, f"cannot be read: {error.strerror or error}") from None
    lines = text.splitlines()
    header_count = 0
    while header_count < len(lines) and lines[header_count].startswith("#"):
        header_count += 1
    try:
        # '##' starts a comment for people; the other '#' lines are the YAML header
        meta = yaml.safe_load("\n".join("" if line.startswith("##") else line[1:] for line in lines[:header_count])) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise SourceError(rel, mark.line + 1 if mark else 1, f"the # header is not valid YAML: {getattr(error, 'problem', error)}") from None
    if not isinstance(meta, dict):
        raise SourceError(rel, 1, "the # header must be YAML 'key: value' lines")
    body = [(number, line) for number, line in enumerate(lines, 1) if number > header_count and line.strip()]
    if not body:
        raise SourceError(rel, header_count + 1, "has no header row (the tab-separated column names)")
    header_line, header_text = body[0]
    columns = tuple(c.strip() for c in header_text.split("\t"))
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise SourceError(rel, header_line, f"unknown column '{unknown[0]}'; the columns are: {', '.join(known)}")
    missing = [c for c in required if c not in columns]
    if missing:
        raise SourceError(rel, header_line, f"missing column(s): {', '.join(missing)}")
    if len(set(columns)) != len(columns):
        raise SourceError(rel, header_line, "a column is named twice")
    rows = []
    for number, line in body[1:]:
        cells = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        if len(cells) > len(columns):
            raise SourceError(rel, number, f"has {len(cells)} cells but the header names {len(columns)} columns; "
                                           "remove the extra tabs")
        cells += [""] * (len(columns) - len(cells))
        rows.append((number, {c: v.strip() for c, v in zip(columns, cells)}))
    return Table(meta, columns, tuple(rows))

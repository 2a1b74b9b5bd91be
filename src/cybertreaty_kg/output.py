"""Query answers as people and programs read them: a rich table, CSV, JSON or Markdown.

DESIGN.md's contract: in CSV and table output, identifiers are the short ids (``uncc``,
``illegal-access``, ``VNM``), not IRIs; JSON output carries both, so a script can follow the IRI.
Ad hoc results, whose IRIs may be anyone's, are shown with the predeclared prefixes instead.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

from rich.table import Table as RichTable

from .engines import Term
from .namespaces import BASE, query_prefixes, short_id


def short(term: Term | None) -> str:
    """A cell for tables and CSV: the short id of one of our IRIs, or the literal's text."""
    if term is None:
        return ""
    return short_id(term.value) if term.kind == "iri" and term.value.startswith(BASE) else term.value


def compact(term: Term | None) -> str:
    """A cell for ad hoc results: an IRI as a prefixed name where a predeclared prefix fits
    (``safeguard:dual-criminality``, ``inst:uncc``), so it can be pasted back into a query."""
    if term is None:
        return ""
    if term.kind == "iri":
        for prefix, namespace in sorted(query_prefixes().items(), key=lambda kv: -len(kv[1])):
            local = term.value[len(namespace):]
            if term.value.startswith(namespace) and local and all(c.isalnum() or c in "-_." for c in local):
                return f"{prefix}:{local}"
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value


def json_cell(term: Term | None) -> object:
    """A JSON value: ``{"id": …, "iri": …}`` for an IRI, a number, boolean or string for a literal."""
    if term is None:
        return None
    if term.kind == "iri":
        return {"id": short_id(term.value), "iri": term.value}
    return term.python()


def _rdf(triples: Sequence[tuple[Term, Term, Term]], fmt) -> str:
    import pyoxigraph as ox

    def node(term: Term):
        if term.kind == "iri":
            return ox.NamedNode(term.value)
        if term.kind == "bnode":
            return ox.BlankNode(term.value)
        if term.language:
            return ox.Literal(term.value, language=term.language)
        return ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))

    ordered = sorted((ox.Triple(node(s), node(p), node(o)) for s, p, o in triples), key=str)
    return ox.serialize(ordered, format=fmt, prefixes=query_prefixes()).decode()


def to_turtle(triples: Sequence[tuple[Term, Term, Term]]) -> str:
    """Triples of an answer as Turtle, in a stable order, with the predeclared prefixes."""
    import pyoxigraph as ox

    return _rdf(triples, ox.RdfFormat.TURTLE)


def to_jsonld(triples: Sequence[tuple[Term, Term, Term]]) -> str:
    """The same triples as JSON-LD (expanded form: full IRIs, no context to fetch), stable order."""
    import pyoxigraph as ox

    return _rdf(triples, ox.RdfFormat.JSON_LD)


def to_csv(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue()


def to_json(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


def to_markdown(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub/Pandoc pipe table; pipes inside cells are escaped."""
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |"
    return "\n".join([line(columns), line(["---"] * len(columns)), *(line(r) for r in rows)]) + "\n"


def printable(text: str) -> str:
    """``text`` safe to show in a terminal: control characters (terminal escapes such as ESC,
    BEL) and the invisible direction overrides written as ``\\x1b``, ``\\u202e`` … so a value
    can neither drive the terminal nor hide itself; tabs and newlines are kept."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in "\n\t" else (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
                   for c in text)


def to_rich(columns: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> RichTable:
    table = RichTable(*map(printable, columns), title=title)
    for column in table.columns:
        column.overflow = "fold"
    for row in rows:
        table.add_row(*(printable(str(cell)) for cell in row))
    return table


def write_output(data: bytes, out: str | None) -> Path | None:
    """Write ``data`` where ``--out`` says, and return the file written (None for a stream).

    - none or ``-``: standard output;
    - a regular file, or a new one: replaced atomically (written beside it, then renamed), so a
      failed render leaves the old file; through a symbolic link, the file it points to;
    - a device, a pipe or ``/dev/stdout``: written to directly (renaming over it would replace
      the device node, or the link, with a file);
    - a folder: refused.
    """
    import os
    import stat
    import sys
    import tempfile

    from .errors import CtkgError

    if out is None or out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return None
    target = Path(out)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as error:
        raise CtkgError(f"--out {out}: {error.strerror}") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise CtkgError(f"--out {out}: that is a folder; give a file name")
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with open(target, "wb") as stream:
                stream.write(data)
        except OSError as error:
            raise CtkgError(f"--out {out}: cannot write to it ({error.strerror})") from None
        return None
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, staging = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as error:
        raise CtkgError(f"--out {out}: cannot write there ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(staging, (stat.S_IMODE(mode) if mode is not None else 0o666 & ~umask))  # an output file is not private
        os.replace(staging, target)
    finally:
        if os.path.exists(staging):
            os.unlink(staging)
    return target

"""Read the source files: each Turtle file under ``ontology/``, ``data/`` and ``shapes/`` becomes one
named graph, whose IRI is derived from the file's path.

Parsing is strict and the errors name file and line, because the sources are hand-written and
a user who adds a ratification needs to be told exactly where the typo is. Blank nodes are
relabelled in order of first appearance so that two builds of the same sources give the same
bytes (parsers otherwise invent random labels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from .errors import SourceError
from .mappings import parse_sssom
from . import memberships, participation
from .namespaces import GRAPH, XSD
from .paths import SOURCE_DIRS


@dataclass(frozen=True)
class SourceFile:
    """One source file and the named graph it becomes."""

    path: Path
    rel: str  # path relative to the source root, with '/' separators: 'data/instruments/uncc.ttl'

    @property
    def graph(self) -> str:
        """The named graph IRI: ``…/graph/`` + the relative path without its extension."""
        return GRAPH + self.rel.removesuffix(".ttl").removesuffix(".sssom.tsv").removesuffix(".tsv")

    @property
    def table(self):
        """The table module that reads this file (participation or memberships), or None for
        Turtle and SSSOM files."""
        if self.rel.endswith(".sssom.tsv") or not self.rel.endswith(".tsv"):
            return None
        return memberships if "memberships/" in self.rel else participation

    def line_of(self, needle: str) -> int | None:
        """The first line that contains ``needle``."""
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), 1):
            if needle in line:
                return number
        return None

    def subject_lines(self) -> dict[str, int]:
        """Every IRI written at the start of a line (as a Turtle subject), with its first line.
        For a table: each record with its row's line."""
        if self.table is not None:
            return dict(_table_lines(self.table, str(self.path), self.rel, *_version(self.path)))
        return {iri: line for iri, (rank, line) in _line_index(str(self.path), *_version(self.path)).items() if rank == 0}

    def locate(self, iri: str) -> int | None:
        """The line where a resource is first written as a subject (at the start of a line, then
        first on an indented line), else where it is first mentioned.

        RDF parsers do not keep positions, so we look for the IRI in full (``<…>``, or a quoted
        string as JSON-LD writes it) or in any prefixed form the file declares: how we point a
        user at a record in a file that parsed. A record made from a table row is found at that
        row. The file is read once for all its records (an index, kept while the file is
        unchanged), so locating every record of a large submission costs one pass."""
        if self.table is not None:
            return _table_lines(self.table, str(self.path), self.rel, *_version(self.path)).get(iri)
        found = _line_index(str(self.path), *_version(self.path)).get(iri)
        return found[1] if found else None


def _version(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


@lru_cache(maxsize=32)
def _table_lines(table, path: str, rel: str, mtime_ns: int, size: int) -> dict[str, int]:
    return table.record_lines(Path(path), rel)


_PREFIX_DECLARATION = re.compile(r"(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*|):\s*<([^>]*)>", re.IGNORECASE)
_TOKEN = re.compile(r"<([^<>\"{}|^`\\\s]*)>"                      # <iri>
                    r"|\"(https?://[^\"\\\s]+)\""                    # "iri" (JSON-LD)
                    r"|(?<![\w:/#@?$<])([A-Za-z][\w.-]*|):((?:[\w.%-]|\\[^\s])*)")  # prefix:local

_ESCAPE = re.compile(r"\\(.)")  # a backslash escape in a prefixed name's local part


@lru_cache(maxsize=32)
def _line_index(path: str, mtime_ns: int, size: int) -> dict[str, tuple[int, int]]:
    """IRI -> (rank, line) of its best place in the file, in one pass: rank 0 written at the
    start of a line, 1 first on an indented line, 2 mentioned anywhere."""
    text = Path(path).read_text(encoding="utf-8", errors="replace")
    prefixes = {prefix: namespace for prefix, namespace in _PREFIX_DECLARATION.findall(text)}
    best: dict[str, tuple[int, int]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#"):  # a comment line names nothing
            continue
        indent = len(line) - len(line.lstrip())
        for position, match in enumerate(_TOKEN.finditer(line)):
            if match.group(1) is not None:
                iri = match.group(1)
            elif match.group(2) is not None:
                iri = match.group(2)
            elif match.group(3) in prefixes:
                local = match.group(4)
                iri = prefixes[match.group(3)] + (_ESCAPE.sub(r"\1", local) if "\\" in local else local)
            else:
                continue
            rank = 0 if match.start() == 0 else 1 if position == 0 and match.start() == indent else 2
            if iri not in best or (rank, number) < best[iri]:
                best[iri] = (rank, number)
    return best


def discover(root: Path) -> list[SourceFile]:
    """Every ``*.ttl`` below the source folders of ``root``, the SSSOM crosswalks, and the
    participation and membership tables (``data/parties/*.tsv``, ``data/memberships/*.tsv``), in
    a stable order."""
    found: list[SourceFile] = []
    for folder in SOURCE_DIRS:
        base = root / folder
        if base.is_dir():
            paths = [*base.rglob("*.ttl"), *base.rglob("*.sssom.tsv")]
            if folder == "data":
                paths += [*base.glob("parties/*.tsv"), *base.glob("memberships/*.tsv")]
            for path in sorted(paths):
                found.append(SourceFile(path, path.relative_to(root).as_posix()))
    return found


def _date(lex: str) -> bool:
    date.fromisoformat(lex)
    return re.fullmatch(r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?", lex) is not None


def _datetime(lex: str) -> bool:
    datetime.fromisoformat(lex.replace("Z", "+00:00"))
    return "T" in lex


def _decimal(lex: str) -> bool:
    Decimal(lex)
    return re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", lex) is not None


def _integer(minimum: int | None) -> "callable[[str], bool]":
    def check(lex: str) -> bool:
        return re.fullmatch(r"[+-]?\d+", lex) is not None and (minimum is None or int(lex) >= minimum)

    return check


_LEXICAL = {
    XSD + "boolean": lambda lex: lex in {"true", "false", "1", "0"},
    XSD + "date": _date,
    XSD + "dateTime": _datetime,
    XSD + "decimal": _decimal,
    XSD + "gYear": lambda lex: re.fullmatch(r"-?\d{4,}", lex) is not None,
    XSD + "gYearMonth": lambda lex: re.fullmatch(r"-?\d{4,}-(0[1-9]|1[0-2])", lex) is not None,
    XSD + "integer": _integer(None),
    XSD + "nonNegativeInteger": _integer(0),
    XSD + "positiveInteger": _integer(1),
}


_FORMS = {
    "xsd:date": " (YYYY-MM-DD)",
    "xsd:gYearMonth": " (YYYY-MM, for a date known only to the month)",
    "xsd:gYear": " (YYYY, for a date known only to the year)",
}


def _canonical_number(literal: ox.Literal) -> str | None:
    """The canonical form of a numeric literal. The store keeps numbers in canonical form, so a
    source that writes ``4.0`` or ``007`` would not round-trip; we ask for the canonical form."""
    kind = literal.datatype.value.removeprefix(XSD)
    if kind == "decimal":
        text = format(Decimal(literal.value), "f")
        return (text.rstrip("0").rstrip(".") if "." in text else text).replace("-0", "0") or "0"
    if kind in {"integer", "nonNegativeInteger", "positiveInteger"}:
        return str(int(literal.value))
    return None


def check_literal(source: SourceFile, literal: ox.Literal) -> None:
    """Refuse a literal outside its datatype's lexical space (e.g. "2025-13"^^xsd:gYearMonth), or a
    number not in canonical form, with the file and line; submissions are checked the same way."""
    check = _LEXICAL.get(literal.datatype.value)
    if check is None:
        return
    try:
        ok = check(literal.value)
    except (ValueError, InvalidOperation):
        ok = False
    if not ok:
        kind = "xsd:" + literal.datatype.value.removeprefix(XSD)
        raise SourceError(
            source.rel,
            source.line_of(f'"{literal.value}"'),
            f'"{literal.value}" is not a valid {kind}; write it in the lexical form of {kind}'
            + _FORMS.get(kind, ""),
        )
    canonical = _canonical_number(literal)
    if canonical is not None and canonical != literal.value:
        raise SourceError(
            source.rel,
            source.line_of(literal.value),
            f'write the number {literal.value} in canonical form, as "{canonical}"^^{literal.datatype.value.replace(XSD, "xsd:")}',
        )


def parse(source: SourceFile) -> list[ox.Quad]:
    """Parse one file into quads in its own named graph, or raise :class:`SourceError`."""
    graph = ox.NamedNode(source.graph)
    if source.rel.endswith(".sssom.tsv"):
        return parse_sssom(source.path, source.rel, graph)
    if source.table is participation:
        return participation.parse_participation(source.path, source.rel, graph)
    if source.table is memberships:
        return memberships.parse_memberships(source.path, source.rel, graph)
    labels: dict[str, ox.BlankNode] = {}
    prefix = re.sub(r"[^A-Za-z0-9]", "_", source.rel.removesuffix(".ttl"))

    def relabel(term):
        if isinstance(term, ox.BlankNode):
            if term.value not in labels:
                labels[term.value] = ox.BlankNode(f"{prefix}_b{len(labels)}")
            return labels[term.value]
        return term

    quads: list[ox.Quad] = []
    try:
        data = source.path.read_bytes()
        for triple in ox.parse(input=data[3:] if data.startswith(b"\xef\xbb\xbf") else data,  # a BOM is not Turtle
                               format=ox.RdfFormat.TURTLE, without_named_graphs=True):
            obj = triple.object
            if isinstance(obj, ox.Literal):
                check_literal(source, obj)
            quads.append(ox.Quad(relabel(triple.subject), triple.predicate, relabel(obj), graph))
    except SyntaxError as error:
        message = str(error).split(": ", 1)[-1] if "Parser error" in str(error) else str(error)
        raise SourceError(source.rel, error.lineno, message) from None
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(source.rel, None, f"cannot be read: {getattr(error, 'strerror', None) or error}") from None
    except MemoryError:
        raise SourceError(source.rel, None, "a term (a literal or an IRI) too large for the parser; shorten it") from None
    if not quads:
        raise SourceError(source.rel, None, "holds no triples; remove the file or add its data")
    return quads

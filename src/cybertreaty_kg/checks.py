"""Hygiene checks: quality rules kept as SPARQL queries (``queries/checks/*.rq``), one row per
problem, as FIBO and the OBO ODK do. Rules as data let a contributor read, run and extend them
without reading Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .dataset import Dataset


@dataclass(frozen=True)
class Check:
    """One hygiene rule read from its ``.rq`` file."""

    name: str
    title: str
    message: str
    sparql: str

    @classmethod
    def read(cls, path: Path) -> "Check":
        text = path.read_text(encoding="utf-8")
        header = {}
        for line in text.splitlines():
            if line.startswith("# ") and ":" in line:
                key, value = line[2:].split(":", 1)
                header[key.strip()] = value.strip()
        return cls(path.stem, header.get("title", path.stem), header.get("message", path.stem), text)


@dataclass(frozen=True)
class Problem:
    """One row of a hygiene check, located in its source file."""

    check: str
    message: str
    file: str | None
    line: int | None
    subject: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else (self.file or "?")
        return f"{where}: [{self.check}] {self.message}"


def load_checks(root: Path) -> list[Check]:
    """Every rule of ``queries/checks``, sorted by name."""
    return [Check.read(p) for p in sorted((root / "queries" / "checks").glob("*.rq"))]


def _text(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> str:
    if term is None:
        return ""
    return term.value


def run_checks(dataset: Dataset) -> list[Problem]:
    """Run every hygiene rule on the dataset; an empty list means the sources are clean."""
    problems: list[Problem] = []
    for check in load_checks(dataset.root):
        for row in dataset.query(check.sparql):
            subject, value, detail = _text(row["subject"]), _text(row["value"] if "value" in check.sparql else None), ""
            if "?detail" in check.sparql:
                detail = _text(row["detail"])
            source = dataset.source_for(_text(row["graph"]))
            line = None
            if source is not None:
                line = source.locate(subject)
            message = check.message.format(subject=subject, value=value, detail=detail)
            problems.append(Problem(check.name, message, source.rel if source else None, line, subject))
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.check, p.message))

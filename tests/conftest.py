"""Shared fixtures: the shipped dataset is loaded once per session (it takes well under a
second, but dozens of tests read it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cybertreaty_kg import load_dataset
from cybertreaty_kg.dataset import Dataset
from cybertreaty_kg.paths import default_root


@pytest.fixture(scope="session")
def root() -> Path:
    return default_root()


@pytest.fixture(scope="session")
def dataset(root: Path) -> Dataset:
    return load_dataset(root)


@pytest.fixture()
def sources(tmp_path: Path, root: Path) -> Path:
    """A private copy of the sources that a test may break without touching the real ones."""
    copy = tmp_path / "sources"
    for folder in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(root / folder, copy / folder)
    return copy


def rows(dataset: Dataset, sparql: str, **bindings) -> list[tuple[str, ...]]:
    """Query results as tuples of plain strings (None for unbound)."""
    result = dataset.query(sparql, **bindings)
    names = [v.value for v in result.variables]
    return [tuple(row[n].value if row[n] is not None else None for n in names) for row in result]

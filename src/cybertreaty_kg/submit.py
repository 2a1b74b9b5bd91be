"""Accept a submission: validate it with the graph, and only if it conforms add it to
``data/submissions/`` (or to an on-disk Oxigraph store), atomically.

A rejected or failed submission leaves every existing file and store byte-identical: the new file
is written beside its final place and moved in one rename, the graph is rebuilt from the sources
with it, and the file is removed again if the rebuild fails; the store is written in one
transaction.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .checks import run_checks
from .dataset import Dataset, load_dataset
from .errors import BuildError, CtkgError
from .namespaces import GRAPH, PREFIXES
from .validate import DEFAULT_MAX_BYTES, Report, read_submission, validate


@dataclass
class Outcome:
    report: Report
    accepted: bool
    added: int = 0
    duplicates: int = 0
    written: Path | None = None


def submit(dataset: Dataset, path: Path, *, store: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
           allow_rewrite: bool = False) -> Outcome:
    """Validate ``path`` with the graph; if it conforms, add its new triples. Returns what happened."""
    path = Path(path)
    report = validate(dataset, [path], max_bytes=max_bytes, allow_rewrite=allow_rewrite)
    if not report.conforms:
        return Outcome(report, accepted=False)
    triples = read_submission(path, max_bytes)
    new = sorted({t for t in triples if not any(True for _ in dataset.store.quads_for_pattern(t.subject, t.predicate, t.object, None))},
                 key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    outcome = Outcome(report, accepted=True, added=len(new), duplicates=len(set(triples)) - len(new))
    if not new:
        return outcome
    name = path.stem.replace(".", "-")
    if store is not None:
        graph = ox.NamedNode(f"{GRAPH}data/submissions/{name}")
        ox.Store(str(store)).extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in new)
        return outcome
    target = dataset.root / "data" / "submissions" / f"{name}.ttl"
    if target.exists():
        raise CtkgError(f"{target} exists already; rename the submission file")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=target.parent)
    os.close(handle)
    try:
        header = f"# Submission '{path.name}', accepted by cybertreaty-kg submit: {len(new)} new triples.\n\n"
        Path(staging).write_bytes(header.encode() + ox.serialize(new, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
        os.replace(staging, target)
    finally:
        if os.path.exists(staging):
            os.remove(staging)
    try:
        problems = run_checks(load_dataset(dataset.root))
        if problems:
            raise BuildError("the graph does not build with the submission:\n" + "\n".join(map(str, problems)))
    except BaseException:
        target.unlink()
        raise
    outcome.written = target
    return outcome

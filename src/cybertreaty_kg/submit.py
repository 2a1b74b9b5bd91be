"""Accept a submission: validate it with the graph, and only if it conforms add it to
``data/submissions/`` (or to an on-disk Oxigraph store), so that nothing is ever lost or half-done.

- One at a time: the whole submit (validation, rebuild, placing) runs under an exclusive lock on
  the ``data/`` folder (or the store's parent folder), and validates against the graph as it is
  once the lock is held, so two submits at once are serialised, never interleaved.
- Never overwritten: an accepted file goes to a free name (``name.ttl``, ``name-2.ttl`` …),
  placed with a hard link, which fails rather than replace a file that appeared meanwhile.
- Placed last: the new triples are written to a temporary file (``.name.*.tmp``, which the build
  does not read), flushed to disk, the graph is rebuilt *with* that file as if it were in place,
  and only when the rebuild passes is the file linked into place. A crash or kill at any point
  leaves either the tree as before or the accepted file whole; a temporary left by a crash is
  removed by the next submit.
- The store is written in one transaction.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from .checks import run_checks
from .dataset import Dataset, load_dataset
from .engines import check_store_path
from .errors import BuildError, CtkgError
from .namespaces import GRAPH, PREFIXES
from .sources import SourceFile
from .validate import DEFAULT_MAX_BYTES, DEFAULT_MAX_TRIPLES, Report, read_submission, validate

try:
    import fcntl
except ImportError:  # not a POSIX system: submits are not serialised there
    fcntl = None


@dataclass
class Outcome:
    report: Report
    accepted: bool
    added: int = 0
    duplicates: int = 0
    written: Path | None = None


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` itself (a lock on the directory: no lock file is left
    in the tree); released when the block ends or the process dies."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError as error:
        raise CtkgError(f"{folder}: cannot open it ({error.strerror}); nothing was changed") from None
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _free_name(folder: Path, stem: str) -> str:
    """``stem``, or ``stem-2``, ``stem-3`` … : the first name no file in ``folder`` has."""
    name, number = stem, 1
    while (folder / f"{name}.ttl").exists():
        number += 1
        name = f"{stem}-{number}"
    return name


def _clean_stale(folder: Path) -> None:
    """Temporaries of submits that were killed (the lock is held: no submit is running)."""
    for stale in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def submit(dataset: Dataset, path: Path, *, store: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
           allow_rewrite: bool = False, pause=None, max_triples: int = DEFAULT_MAX_TRIPLES) -> Outcome:
    """Validate ``path`` with the graph; if it conforms, add its new triples. Returns what happened.

    ``pause(step)``, if given, is called between the steps (``validated``, ``staged``,
    ``rebuilt``, ``placed``): the tests stop a submit there, or kill it, to show that no step
    leaves the tree half-written."""
    path = Path(path)
    step = pause or (lambda _: None)
    if store is not None:
        check_store_path(Path(store), dataset.root)
        with _locked(Path(store).resolve().parent):
            return _into_store(dataset, path, Path(store), (max_bytes, max_triples), allow_rewrite, step)
    folder = dataset.root / "data" / "submissions"
    with _locked(dataset.root / "data"):
        _clean_stale(folder)
        dataset = load_dataset(dataset.root)  # as it is now: with what a submit before ours added
        limits = (max_bytes, max_triples)
        report = validate(dataset, [path], max_bytes=max_bytes, allow_rewrite=allow_rewrite, max_triples=max_triples)
        if not report.conforms:
            return Outcome(report, accepted=False)
        new = _new_triples(dataset, path, limits)
        outcome = Outcome(report, accepted=True, added=len(new), duplicates=len(set(read_submission(path, *limits))) - len(new))
        if not new:
            return outcome
        step("validated")
        name = _free_name(folder, re.sub(r"[^A-Za-z0-9_-]+", "-", path.stem).strip("-") or "submission")
        target = folder / f"{name}.ttl"
        created = not folder.exists()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, staging = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        except OSError as error:
            raise CtkgError(f"{folder}: cannot write there ({error.strerror}); nothing was changed") from None
        try:
            with os.fdopen(handle, "wb") as stream:
                header = f"# Submission '{path.name}', accepted by cybertreaty-kg submit: {len(new)} new triples.\n\n"
                stream.write(header.encode() + ox.serialize(new, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES))
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(staging, 0o644)
            step("staged")
            rebuilt = load_dataset(dataset.root, extra=[SourceFile(Path(staging), f"data/submissions/{name}.ttl")])
            problems = run_checks(rebuilt)
            if problems:
                raise BuildError("the graph does not build with the submission:\n" + "\n".join(map(str, problems)))
            step("rebuilt")
            try:
                os.link(staging, target)  # fails, rather than replace, if the name was taken meanwhile
            except FileExistsError:
                raise CtkgError(f"{target} appeared while the submission was checked; submit again") from None
            _fsync_folder(folder)
            step("placed")
        finally:
            with contextlib.suppress(OSError):
                os.unlink(staging)
            if created and outcome.written is None and not target.exists():
                with contextlib.suppress(OSError):
                    folder.rmdir()
        outcome.written = target
        return outcome


def _new_triples(dataset: Dataset, path: Path, limits: tuple[int, int]) -> list[ox.Triple]:
    triples = read_submission(path, *limits)
    return sorted({t for t in triples if not any(True for _ in dataset.store.quads_for_pattern(t.subject, t.predicate, t.object, None))},
                  key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def _into_store(dataset: Dataset, path: Path, store: Path, limits: tuple[int, int], allow_rewrite: bool, step) -> Outcome:
    report = validate(dataset, [path], max_bytes=limits[0], allow_rewrite=allow_rewrite, max_triples=limits[1])
    if not report.conforms:
        return Outcome(report, accepted=False)
    new = _new_triples(dataset, path, limits)
    outcome = Outcome(report, accepted=True, added=len(new), duplicates=len(set(read_submission(path, *limits))) - len(new))
    if new:
        step("validated")
        graph = ox.NamedNode(f"{GRAPH}data/submissions/{quote(path.stem.replace('.', '-'))}")
        try:
            ox.Store(str(store)).extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in new)
        except OSError as error:
            raise CtkgError(f"{store}: cannot open the Oxigraph store ({' '.join(str(error).split())}); "
                            "is another command using it?") from None
        step("placed")
    return outcome

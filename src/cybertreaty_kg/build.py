"""Build: sources → checked dataset → ``dist/``, atomically.

The new output is written to a temporary sibling folder and swapped in only when everything
succeeded, so a failed build (bad Turtle, a broken hygiene rule, a full disk) leaves the previous
``dist/`` exactly as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .checks import run_checks
from .dataset import Dataset
from .errors import BuildError
from .export import VOID_FILE, write_exports


def _version() -> str:
    from . import __version__

    return __version__


def _replaceable(out: Path) -> bool:
    """Only an empty folder or a previous build may be replaced: never a user's other files."""
    return not out.exists() or (out.is_dir() and (not any(out.iterdir()) or (out / VOID_FILE).is_file()))


def build(dataset: Dataset, out: Path | str = "dist", progress: Callable[[str], None] | None = None) -> list[Path]:
    """Check ``dataset`` and write its exports to ``out``; return the files written.

    Raises :class:`BuildError` when a hygiene rule fails or ``out`` holds files that are not a
    previous build; nothing is written then.
    """
    out = Path(out).resolve()
    problems = run_checks(dataset)
    if problems:
        listing = "\n".join(str(p) for p in problems)
        raise BuildError(f"{len(problems)} hygiene problem(s); dist not written:\n{listing}")
    if not _replaceable(out):
        raise BuildError(f"{out} exists and is not a previous build (no {VOID_FILE}); choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        files = write_exports(dataset, staging, _version(), progress)
        os.chmod(staging, 0o755)
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.replace(out, retired / out.name)
            os.replace(staging, out)
            shutil.rmtree(retired)
        else:
            os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [out / f.name for f in files]

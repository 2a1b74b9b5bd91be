"""cybertreaty-kg: a legal knowledge graph of the UN Convention against Cybercrime and the
regional instruments it builds on.

The CLI is a thin layer over this API, so a researcher can do in a notebook what the command
line does::

    from cybertreaty_kg import load_dataset, build, run_checks, reason
    ds = load_dataset()            # every source file, one named graph each
    problems = run_checks(ds)      # hygiene queries; [] when clean
    build(ds, out="dist")          # TriG, N-Quads, Turtle, JSON-LD, VoID

    from cybertreaty_kg import queries
    from cybertreaty_kg.engines import OxigraphEngine
    table = queries.run(queries.get("offence-diff"), {"a": "uncc", "b": "budapest"}, OxigraphEngine(ds.store))
"""

from importlib.metadata import PackageNotFoundError, version

from .build import build
from .checks import run_checks
from .dataset import Dataset, load_dataset
from .errors import BuildError, SourceError
from .reason import reason

try:
    __version__ = version("cybertreaty-kg")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = [
    "BuildError",
    "Dataset",
    "SourceError",
    "__version__",
    "build",
    "load_dataset",
    "reason",
    "run_checks",
]

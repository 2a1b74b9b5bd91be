"""Command line: a thin layer over the Python API that parses arguments and prints.

Exit codes follow pySHACL's convention, which users' scripts expect: 0 all good, 1 the sources
break a rule (hygiene problem, inconsistency), 2 unreadable input or misuse.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from . import __version__
from .build import build
from .checks import run_checks
from .dataset import Dataset, load_dataset
from .errors import CtkgError
from .info import info
from .reason import reason

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    console=err, transient=True)


def _load(args: argparse.Namespace) -> Dataset:
    from .paths import default_root
    from .sources import discover

    root = Path(args.sources) if args.sources else default_root()
    with _progress() as bar:
        task = bar.add_task("parsing sources", total=len(discover(root)))
        return load_dataset(root, progress=lambda source: bar.advance(task))


def cmd_build(args: argparse.Namespace) -> int:
    dataset = _load(args)
    with _progress() as bar:
        task = bar.add_task("writing exports", total=5)
        files = build(dataset, args.out, progress=lambda name: bar.advance(task))
    for path in files:
        out.print(f"wrote {path}")
    out.print(f"{dataset.triples} triples in {len(dataset.counts)} named graphs")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    problems = run_checks(_load(args))
    for problem in problems:
        out.print(str(problem), markup=False)
    out.print(f"{len(problems)} problem(s)" if problems else "all hygiene checks pass")
    return 1 if problems else 0


def cmd_reason(args: argparse.Namespace) -> int:
    result = reason(_load(args))
    if not result.consistent:
        out.print("INCONSISTENT", style="bold red")
        out.print(result.explanation, markup=False)
        return 1
    out.print("consistent (HermiT)")
    if result.unsatisfiable:
        out.print("unsatisfiable classes: " + ", ".join(result.unsatisfiable), markup=False)
    table = Table("defined class", "inferred members", title="Classification")
    for cls, members in sorted(result.inferred.items()):
        table.add_row(cls.rsplit("#", 1)[-1], str(len(members)))
    out.print(table)
    return 1 if result.unsatisfiable else 0


def cmd_info(args: argparse.Namespace) -> int:
    summary = info(_load(args))
    out.print(f"cybertreaty-kg {summary.version}: {summary.triples} triples in {len(summary.graphs)} named graphs")
    table = Table("instrument", "short title", "articles", title="Instruments")
    for row in summary.instruments:
        table.add_row(row[0], row[1], str(row[2]))
    out.print(table)
    table = Table("class", "instances", title="Instances by class")
    for name, count in summary.classes.items():
        table.add_row(name, str(count))
    out.print(table)
    out.print("Sources:")
    for source in summary.sources:
        out.print(f"  {source}", markup=False)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cybertreaty-kg", description="Legal knowledge graph of cybercrime treaties.")
    p.add_argument("--version", action="version", version=f"cybertreaty-kg {__version__}")
    p.add_argument("--sources", metavar="DIR", help="folder holding ontology/, data/, shapes/, queries/ (default: the shipped sources)")
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="check the sources and write TriG, N-Quads, Turtle, JSON-LD and VoID")
    b.add_argument("--out", default="dist", metavar="DIR", help="output folder (default: ./dist), replaced atomically")
    b.set_defaults(func=cmd_build)
    sub.add_parser("check", help="run the hygiene queries; exit 1 if any reports a problem").set_defaults(func=cmd_check)
    sub.add_parser("reason", help="run HermiT: consistency and classification").set_defaults(func=cmd_reason)
    sub.add_parser("info", help="counts by class, instruments, sources, version").set_defaults(func=cmd_info)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except CtkgError as error:
        err.print(f"error: {error}", markup=False)
        return error.exit_code


if __name__ == "__main__":
    sys.exit(main())

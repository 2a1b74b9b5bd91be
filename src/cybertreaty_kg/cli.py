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
from .validate import DEFAULT_MAX_BYTES

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


def cmd_parties(args: argparse.Namespace) -> int:
    from .parties import instrument_status

    on = _date(args.on) if args.on else None
    status = instrument_status(args.instrument, on, _load(args))
    table = Table(title=f"{args.instrument}: participation on {status.on.isoformat()} (records as of {status.as_of or 'n/a'})")
    for column in ("party", "code", "signed", "consented", "consent type", "in force", "source"):
        table.add_column(column, overflow="fold")
    unknown = "" if status.complete else "-"
    notes: dict[str, int] = {}  # sources as numbered footnotes keep the table readable in 80 columns
    for p in status.parties:
        if p.signed is None and p.consented is None:
            continue
        marks = ",".join(str(notes.setdefault(source, len(notes) + 1)) for source in p.sources)
        table.add_row(p.name, p.party, _iso(p.signed) or unknown, _iso(p.consented) or unknown, p.consent_type or "",
                      _iso(p.in_force) or unknown, f"[{marks}]")
    out.print(table)
    for source, number in notes.items():
        out.print(f"[{number}] {source}", markup=False, overflow="fold")
    if not status.complete:
        out.print("PARTIAL record set: '-' means 'not recorded here', not 'did not happen' (see data/COVERAGE.md).")
    if status.in_force:
        when = f"in force since {status.in_force_date.isoformat()}" + (" (derived from the rule)" if status.in_force_derived else "")
    else:
        when = "not in force"
    needed = f" of {status.consents_required} needed" if status.consents_required else ""
    out.print(f"{status.signatories} signatories, {status.party_count} parties ({status.consents_counted} consents counted{needed}); {when}")
    return 0


def _report(report, fmt: str) -> None:
    text = {"text": report.to_text, "json": report.to_json, "turtle": report.to_turtle}[fmt]()
    out.print(text, markup=False, highlight=False, soft_wrap=True)


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate

    report = validate(_load(args), [Path(f) for f in args.files] or None, max_bytes=args.max_bytes, allow_rewrite=args.allow_rewrite)
    _report(report, args.format)
    return 0 if report.conforms else 1


def cmd_submit(args: argparse.Namespace) -> int:
    from .submit import submit

    outcome = submit(_load(args), Path(args.file), store=Path(args.store) if args.store else None,
                     max_bytes=args.max_bytes, allow_rewrite=args.allow_rewrite)
    if not outcome.accepted:
        _report(outcome.report, "text")
        out.print("rejected: nothing was changed")
        return 1
    where = outcome.written or args.store or "nowhere (nothing new)"
    out.print(f"accepted: {outcome.added} new triple(s) added to {where}; {outcome.duplicates} already in the graph, not re-added")
    return 0


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CtkgError(f"--on {text!r} is not a date; write it as YYYY-MM-DD") from None


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
    for name, helptext in (("validate", "validate the graph, or files together with it, against the SHACL shapes"),
                           ("submit", "validate a file and, only if it conforms, add it to data/submissions/ or --store")):
        sp = sub.add_parser(name, help=helptext)
        if name == "validate":
            sp.add_argument("files", nargs="*", metavar="FILE", help="submitted files (.ttl, .jsonld, .rdf, .nt); none: the whole graph")
            sp.add_argument("--format", choices=("text", "json", "turtle"), default="text")
            sp.set_defaults(func=cmd_validate)
        else:
            sp.add_argument("file", metavar="FILE")
            sp.add_argument("--store", metavar="PATH", help="add to this on-disk Oxigraph store instead of data/submissions/")
            sp.set_defaults(func=cmd_submit)
        sp.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse files larger than this (default 50 MiB)")
        sp.add_argument("--allow-rewrite", action="store_true", help="let a submission redefine ontology terms or renumber articles")
    pa = sub.add_parser("parties", help="who signed and consented to an instrument, and whether it is in force")
    pa.add_argument("instrument", help="instrument id, e.g. uncc or budapest")
    pa.add_argument("--on", metavar="DATE", help="status on this date (YYYY-MM-DD; default today)")
    pa.set_defaults(func=cmd_parties)
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

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
from .validate import DEFAULT_MAX_BYTES, DEFAULT_MAX_TRIPLES, ENGINES

class _Console(Console):
    """A console for text that may hold what users and servers wrote: no markup, no emoji codes
    (``:x:`` stays ``:x:``), and control characters shown, not obeyed."""

    def __init__(self, **options) -> None:
        super().__init__(highlight=False, soft_wrap=True, markup=False, emoji=False, **options)

    def print(self, *objects, **options) -> None:
        from .output import printable

        options.pop("markup", None)
        super().print(*(printable(o) if isinstance(o, str) else o for o in objects), **options)


out = _Console()
err = _Console(stderr=True)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    console=err, transient=True, disable=not err.is_terminal)


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
    if args.format != "text":
        from .output import to_csv, to_json

        columns = ["check", "file", "line", "subject", "message"]
        rows = [[p.check, p.file or "", str(p.line or ""), p.subject, p.message] for p in problems]
        sys.stdout.write(to_csv(columns, rows) if args.format == "csv" else
                         to_json({"problems": [dict(zip(columns, r)) for r in rows], "count": len(rows)}) + "\n")
        return 1 if problems else 0
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
    from .output import to_csv, to_json

    summary = info(_load(args))
    columns = ["instrument", "short_title", "articles_held", "articles_in_text", "all_articles", "subjects_complete_for"]
    if args.format == "json":
        print(to_json({"version": summary.version, "triples": summary.triples, "graphs": summary.graphs,
                       "classes": summary.classes, "instruments": [dict(zip(columns, row)) for row in summary.instruments],
                       "sources": summary.sources}))
        return 0
    if args.format == "csv":
        print(to_csv(columns, [["" if cell is None else str(cell).lower() if isinstance(cell, bool) else cell for cell in row]
                               for row in summary.instruments]), end="")
        return 0
    out.print(f"cybertreaty-kg {summary.version}: {summary.triples} triples in {len(summary.graphs)} named graphs")
    table = Table("instrument", "short title", "articles in the graph", "subjects recorded completely for", title="Instruments")
    for ident, title, held, in_text, complete, schemes in summary.instruments:
        whole = "all" if complete else "partial"
        table.add_row(ident, title, f"{held} of {in_text} ({whole})" if in_text is not None else f"{held} of ? (partial)",
                      schemes or "none: absences are not recorded")
    out.print(table)
    table = Table("class", "instances", title="Instances by class")
    for name, count in summary.classes.items():
        table.add_row(name, str(count))
    out.print(table)
    out.print("Sources:")
    for source in summary.sources:
        out.print(f"  {source}", markup=False)
    return 0


def _party_state(p) -> str:
    """One cell for a party's status on the date, naming "not recorded" where the data is silent."""
    from .parties import Known

    if p.is_bound is Known.YES:
        return "bound"
    if p.is_party is Known.YES:
        return "party, not yet bound" if p.is_bound is Known.NO else "party; bound: not recorded"
    if p.is_signatory is Known.YES:
        return "signatory" if p.is_party is Known.NO else "signatory; consent: not recorded"
    if p.is_signatory is Known.NO and p.is_party is Known.NO:
        return "invited to accede" if p.invited else "not a signatory"
    return "not recorded"


def _members(args: argparse.Namespace, engine, on) -> int:
    """``parties INSTRUMENT --members-of ORG``: the organisation's members on the date, each with
    its status in the instrument then (three-valued: "not recorded" is not "no")."""
    from datetime import date

    from .output import to_csv, to_json
    from .dates import shown_on
    from .parties import Known, members_status
    from .resolve import Resolver

    organisation = Resolver(engine).resolve(args.members_of, ("organisation",)).id
    found = members_status(organisation, args.instrument, on, engine=engine)
    if args.not_bound:
        found = [m for m in found if m.status.is_bound is not Known.YES]
    columns = ["member", "name", "member_on_date", "member_from", "signatory", "party", "bound", "signed", "consented",
               "in_force", "records", "membership_records"]
    day = on or date.today()
    rows = [[m.member, m.status.name, str(m.is_member), str(m.member_from or ""), str(m.status.is_signatory),
             str(m.status.is_party), str(m.status.is_bound), shown_on(m.status.signed, day), shown_on(m.status.consented, day),
             shown_on(m.status.in_force, day),
             f"{'complete' if m.status.record_complete else 'partial'} as of {m.status.as_of}" if m.status.as_of else "no record set",
             f"{'complete' if m.membership_complete else 'partial'} as of {m.membership_as_of}"] for m in found]
    if args.format == "json":
        print(to_json({"instrument": args.instrument, "organisation": organisation, "on": day.isoformat(), "not_bound_only": args.not_bound,
                       "members": [dict(zip(columns, r)) for r in rows]}))
    elif args.format == "csv":
        print(to_csv(columns, rows), end="")
    else:
        what = "members not recorded as bound" if args.not_bound else "members"
        count = str(len(rows)) if all(m.membership_complete for m in found) else f"at least {len(rows)} (membership list partial)"
        _print_rows(columns, rows, title=f"{organisation} {what} by {args.instrument} on {day.isoformat()}: {count}")
    return 0


def cmd_parties(args: argparse.Namespace) -> int:
    from .engines import OxigraphEngine
    from .output import to_csv, to_json
    from .dates import shown_on
    from .parties import Known, instrument_status

    on = _date(args.on) if args.on else None
    dataset = _load(args)
    args.instrument = _instrument_id(OxigraphEngine(dataset.store), args.instrument)
    if args.members_of:
        return _members(args, OxigraphEngine(dataset.store), on)
    if args.not_bound:
        raise CtkgError("--not-bound needs --members-of ORG: the members of which organisation?")
    status = instrument_status(args.instrument, on, dataset)
    records = ("no participation records" if not status.has_records
               else f"records {'complete' if status.complete else 'partial'} as of {status.as_of}")
    columns = ["party", "code", "signed", "consented", "consent type", "in force", "in force basis",
               "signatory", "party?", "bound", "sources", "consent act", "undated", "invited", "marks"]
    rows = [[p.name, p.party, str(p.signed or ""), str(p.consented or ""), p.consent_type or "", str(p.in_force or ""),
             p.in_force_basis, str(p.is_signatory), str(p.is_party), str(p.is_bound), " ".join(p.sources),
             str(p.consent_act or ""), ", ".join(sorted(p.undated)), p.invited or "", p.marks or ""]
            for p in status.parties]
    in_force = {"yes": "in force", "no": "not in force", "not recorded": "in force: not recorded"}[status.in_force.value]
    if args.format == "json":
        def count(c):
            return {"recorded": c.recorded, "exact": c.exact, "text": str(c),
                    "reported": None if c.reported is None else {"on": str(c.reported.on), "parties": c.reported.parties,
                                                                 "signatories": c.reported.signatories,
                                                                 "signatories_not_parties": c.reported.signatories_not_parties,
                                                                 "source": c.reported.source}}
        out.print(to_json({
            "instrument": args.instrument, "on": status.on.isoformat(), "records": {
                "exists": status.has_records, "complete": status.complete, "as_of": str(status.as_of) if status.as_of else None},
            "in_force": status.in_force.value, "in_force_date": str(status.in_force_date) if status.in_force_date else None,
            "in_force_basis": status.in_force_basis, "not_before": status.not_before.isoformat() if status.not_before else None,
            "reason": status.reason, "consents_required": status.consents_required,
            "signatories": count(status.signatories), "parties": count(status.party_count),
            "consents_counted": count(status.consents_counted),
            "rows": [dict(zip(["name", "party", "signed", "consented", "consent_type", "in_force", "in_force_basis",
                               "is_signatory", "is_party", "is_bound", "sources", "consent_act", "undated", "invited", "marks"],
                              [*r[:10], r[10].split(), r[11], r[12].split(", ") if r[12] else [], r[13] or None, r[14] or None]))
                     for r in rows]}),
            markup=False, highlight=False)
        return 0
    if args.format == "csv":
        print(to_csv(columns, rows), end="")
        return 0
    table = Table(title=f"{args.instrument}: participation on {status.on.isoformat()} ({records})")
    for column in ("party", "signed", "consented", "in force", "status", "source"):
        table.add_column(column, overflow="fold")
    notes: dict[str, int] = {}  # sources as numbered footnotes keep the table readable in 80 columns
    plain: list[list[str]] = []  # the same rows with their sources whole, for output that is not a terminal

    for p in status.parties:
        if Known.NO == p.is_signatory == p.is_party and not p.invited:
            continue  # nothing yet on that date
        marks = ",".join(str(notes.setdefault(source, len(notes) + 1)) for source in p.sources)
        consented = shown_on(p.consented, status.on) + (f" {p.consent_type}" if shown_on(p.consented, status.on) else "")
        if p.consented is None and "consent" in p.undated:
            consented = f"{p.consent_type}, date not recorded"
        if p.invited and Known.YES not in (p.is_signatory, p.is_party):
            consented = consented or f"invited to accede ({p.invited})"
        in_force_cell = shown_on(p.in_force, status.on) + (" (derived)" if shown_on(p.in_force, status.on) and p.in_force_basis.startswith("derived") else "")
        cells = [f"{p.name} ({p.party})", shown_on(p.signed, status.on), consented, in_force_cell, _party_state(p)]
        table.add_row(*cells, f"[{marks}]")
        plain.append([*cells, " ".join(p.sources)])
    if out.is_terminal:
        out.print(table)
        for source, number in notes.items():
            out.print(f"[{number}] {source}", markup=False, overflow="fold")
    else:  # piped or redirected: one plain line per party, its sources whole in the row
        _print_rows(["party", "signed", "consented", "in force", "status", "sources"], plain, title=table.title)
    if status.has_records and not status.complete:
        out.print("PARTIAL record set: an empty cell or 'not recorded' means the sources read do not show it, not that it "
                  "did not happen (see data/COVERAGE.md).")
    if any(p.in_force_basis.startswith("derived") for p in status.parties):
        out.print("(derived): not recorded by the depositary; computed from the party's consent and the instrument's rule "
                  "(the article is in the CSV and JSON output).")
    needed = f" of {status.consents_required} needed" if status.consents_required else ""
    out.print(f"signatories: {status.signatories}", markup=False)
    out.print(f"parties: {status.party_count}" + (f" (consents counted{needed}: {status.consents_counted.recorded})" if needed else ""),
              markup=False)
    since = f" since {status.in_force_date}" if status.in_force.value == "yes" and status.in_force_date else ""
    out.print(f"{in_force}{since} ({status.reason})", markup=False)
    return 0


def _report(report, fmt: str) -> None:
    text = {"text": report.to_text, "json": report.to_json, "turtle": report.to_turtle}[fmt]()
    out.print(text, markup=False, highlight=False, soft_wrap=True)


def cmd_validate(args: argparse.Namespace) -> int:
    from .validate import validate

    report = validate(_load(args), [Path(f) for f in args.files] or None, max_bytes=args.max_bytes,
                      allow_rewrite=args.allow_rewrite, max_triples=args.max_triples, engine=args.engine)
    _report(report, args.format)
    return 0 if report.conforms else 1


def _pause_hook():
    """``CTKG_SUBMIT_PAUSE_AT=step`` makes ``submit`` stop at that step (say so on stderr and
    wait), so that a test can kill it there and show that no step leaves the tree half-written."""
    import os
    import time

    wanted = os.environ.get("CTKG_SUBMIT_PAUSE_AT")
    if not wanted:
        return None

    def pause(step: str) -> None:
        if step == wanted:
            sys.stderr.write(f"paused at {step}\n")
            sys.stderr.flush()
            time.sleep(float(os.environ.get("CTKG_SUBMIT_PAUSE_SECONDS", "600")))
    return pause


def cmd_submit(args: argparse.Namespace) -> int:
    from .submit import submit

    outcome = submit(_load(args), Path(args.file), store=Path(args.store) if args.store else None,
                     max_bytes=args.max_bytes, allow_rewrite=args.allow_rewrite, pause=_pause_hook(),
                     max_triples=args.max_triples)
    if not outcome.accepted:
        _report(outcome.report, "text")
        out.print("rejected: nothing was changed")
        return 1
    where = outcome.written or args.store or "nowhere (nothing new)"
    out.print(f"accepted: {outcome.added} new triple(s) added to {where}; {outcome.duplicates} already in the graph, not re-added")
    return 0


def _http(args: argparse.Namespace):
    import os

    from .remote import Http

    password = None
    if args.password_env:
        if args.password_env not in os.environ:
            raise CtkgError(f"--password-env {args.password_env}: that environment variable is not set")
        password = os.environ[args.password_env]
    timeout = getattr(args, "timeout", None)
    return Http(user=args.user, password=password, **({"timeout": timeout} if timeout else {}))


def _engine(args: argparse.Namespace):
    from .engines import engine, open_store

    if getattr(args, "endpoint", None):
        from .remote import remote_engine

        if args.engine != "oxigraph" or args.store:
            raise CtkgError("--endpoint runs the query on the server: it cannot be combined with --engine or --store")
        return remote_engine(args.endpoint, Path(args.sources) if args.sources else None, _http(args))
    store = open_store(Path(args.store) if args.store else None, Path(args.sources) if args.sources else None)
    return engine(args.engine, store)


def _params(pairs: list[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise CtkgError(f"--param {pair!r}: write it as NAME=VALUE, e.g. --param instrument=uncc")
        params[name] = value
    return params


def cmd_query_list(args: argparse.Namespace) -> int:
    from .output import to_csv, to_json
    from .queries import catalogue

    saved = list(catalogue(Path(args.sources) if args.sources else None).values())
    if args.format == "json":
        print(to_json({"queries": [{"name": q.name, "title": q.title, "example": q.example,
                                    "params": [{"name": p.name, "kind": p.kind, "default": p.default} for p in q.params],
                                    "columns": [c.name for c in q.columns]} for q in saved]}))
        return 0
    rows = [[q.name, q.title, ", ".join(f"{p.name}{'*' if p.required else ''} ({p.kind})" for p in q.params) or "-"]
            for q in saved]
    if args.format == "csv":
        print(to_csv(["name", "title", "parameters"], rows), end="")
        return 0
    _print_rows(["name", "title", "parameters (* required)"], rows, title="Saved queries")
    out.print("cybertreaty-kg query show NAME: description, columns, example and SPARQL")
    return 0


def cmd_query_show(args: argparse.Namespace) -> int:
    from .queries import get

    query = get(args.name, Path(args.sources) if args.sources else None)
    out.print(f"{query.name}: {query.title}")
    out.print(query.description, markup=False)
    for param in query.params:
        out.print(f"  param {param.name} ({param.kind}{' of ' + param.of if param.of else ''}, "
                  f"default: {param.default}): {param.description}", markup=False)
    for column in query.columns:
        out.print(f"  column {column.name} ({column.kind}): {column.description}", markup=False)
    out.print(f"example: {query.example}", markup=False)
    out.print(f"file: {query.path}", markup=False)
    from .engines import OxigraphEngine

    out.print("# predeclared for every query (no need to write them):", markup=False)
    out.print("".join(f"PREFIX {p}: <{iri}>\n" for p, iri in OxigraphEngine(_load(args).store).prefixes.items()),
              markup=False, end="")
    out.print(query.body, markup=False)
    return 0


def cmd_query_run(args: argparse.Namespace) -> int:
    from .output import json_cell, short, to_csv, to_json
    from .queries import get, run

    query = get(args.name, Path(args.sources) if args.sources else None)
    table = run(query, _params(args.param), _engine(args))
    columns = [c.name for c in table.columns]
    if args.format == "json":
        rows = [{c: json_cell(t) for c, t in zip(columns, row)} for row in table.rows]
        out.print(to_json({"query": query.name, "title": query.title, "params": table.params, "columns": columns, "rows": rows}),
                  markup=False, highlight=False)
    elif args.format == "csv":
        print(to_csv(columns, [[short(t) for t in row] for row in table.rows]), end="")
    else:
        _print_rows(columns, [[short(t) for t in row] for row in table.rows], title=query.title)
        out.print(f"{len(table.rows)} row(s)")
    return 0


def cmd_sparql(args: argparse.Namespace) -> int:
    from .adhoc import run_adhoc
    from .output import compact, json_cell, to_csv, to_json, to_turtle

    if (args.query is None) == (args.file is None):
        raise CtkgError("give the query as an argument or with -f FILE (one of the two)")
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CtkgError(f"{args.file}: cannot read the query ({error})") from None
    else:
        text = args.query
    result = run_adhoc(_engine(args), text, args.timeout)
    if result.form == "ask":
        print(to_json({"boolean": result.boolean}) if args.format == "json" else str(result.boolean).lower())
    elif result.form == "graph":
        sys.stdout.write(to_turtle(result.triples))
    elif args.format == "json":
        rows = [{c: json_cell(t) for c, t in zip(result.columns, row)} for row in result.rows]
        out.print(to_json({"columns": result.columns, "rows": rows}), markup=False, highlight=False)
    elif args.format == "csv":
        print(to_csv(result.columns, [[compact(t) for t in row] for row in result.rows]), end="")
    else:
        _print_rows(result.columns, [[compact(t) for t in row] for row in result.rows])
        out.print(f"{len(result.rows)} row(s)")
    return 0


def _print_rows(columns: Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None) -> None:
    """A table for a person at a terminal (cells folded, never cut); piped or redirected, plain
    tab-separated lines, so every character of a citation reaches the file (control characters
    shown as escapes: ``--format csv|json`` gives the values exactly)."""
    from .output import printable

    if out.is_terminal:
        from .output import to_rich

        out.print(to_rich(columns, rows, title=title))
        return
    if title:
        print(f"# {title}")
    print("\t".join(columns))
    for row in rows:
        print("\t".join(printable(str(cell).replace("\t", " ").replace("\n", " ")) for cell in row))


def _instrument_id(engine, text: str) -> str:
    """The short id of the instrument a friendly name gives (``Hanoi Convention`` → ``uncc``)."""
    from .resolve import Resolver

    return Resolver(engine).resolve(text, ("instrument",)).id


def _resolver(args: argparse.Namespace):
    from .resolve import Resolver

    return Resolver(_engine(args))


def cmd_show(args: argparse.Namespace) -> int:
    from .factsheet import describe, fact_sheet
    from .output import to_json, to_turtle

    resolver = _resolver(args)
    thing = resolver.resolve(args.id)
    if args.format == "turtle":
        sys.stdout.write(to_turtle(describe(thing, resolver.engine)))
        return 0
    sheet = fact_sheet(thing, resolver, _date(args.on) if args.on else None)
    if args.format == "json":
        print(to_json(sheet))
        return 0
    print(f"{thing.label} — {thing.kind} {thing.id}")
    print(thing.iri)
    _print_rows(["property", "value", "id"], [[f["property"], f["value"], f["id"]] for f in sheet["facts"]], title="facts")
    if "status" in sheet:
        print(f"status on {sheet['on']} (records {sheet['status']['records']} as of {sheet['status']['as_of'] or '-'}):")
        for name in ("in_force", "in_force_date", "reason", "signatories", "parties"):
            if sheet["status"][name]:
                print(f"  {name.replace('_', ' ')}: {sheet['status'][name]}")
    for section, value in sheet.items():
        if isinstance(value, list) and section != "facts":
            columns = list(value[0]) if value else []
            if value:
                _print_rows(columns, [[str(row[c]) for c in columns] for row in value],
                            title=f"{section.replace('_', ' ')} ({len(value)})")
            else:
                print(f"{section.replace('_', ' ')}: none recorded")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from .output import to_csv, to_json
    from .search import search

    hits = search(" ".join(args.words), _resolver(args), limit=args.limit)
    columns = ["score", "kind", "id", "label", "matched", "text"]
    rows = [[f"{h.score:g}", h.kind, h.id, h.label, h.field, h.text] for h in hits]
    if args.format == "json":
        print(to_json({"query": " ".join(args.words), "hits": [dict(zip(columns, r)) for r in rows]}))
    elif args.format == "csv":
        print(to_csv(columns, rows), end="")
    else:
        _print_rows(columns, rows)
        if not hits:
            print("no match; try fewer or other words")
    return 0


def _marked(articles: str, not_verified: str) -> str:
    """Article numbers with a mark on those not verified against the official text:
    * corroborated only, † unverified (the legend is printed under the table)."""
    levels = {flag.split(" (")[0]: flag.split(" (")[1].rstrip(")") for flag in not_verified.split(", ") if flag}
    marks = {"corroborated": "*"}
    return ", ".join(n + (marks.get(levels[n], "†") if n in levels else "") for n in articles.split(", ") if n)


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare
    from .engines import iri
    from .output import json_cell, short, to_csv, to_json, to_markdown

    engine = _engine(args)
    args.a, args.b = _instrument_id(engine, args.a), _instrument_id(engine, args.b)
    result = compare(args.a, args.b, engine)
    concept_labels = {row[0].value: row[1].value for row in engine.run(
        'SELECT ?c ?label WHERE { ?c a skos:Concept ; skos:prefLabel ?label FILTER (LANG(?label) IN ("", "en")) }').rows}

    def concept(term) -> str:
        return f"{short(term)} ({concept_labels[term.value]})" if term.value in concept_labels else short(term)
    labels = {"both": "both", "only a": f"only {args.a}", "only b": f"only {args.b}",
              "a, b not recorded": f"{args.a}; not recorded in {args.b}", "b, a not recorded": f"{args.b}; not recorded in {args.a}"}
    a_p, b_p = result.a_participation, result.b_participation
    common = result.common_parties

    def records(name: str, p) -> str:
        if not p.has_records:
            return f"{name}: no participation records"
        return f"{name}: {len(p.parties)} parties recorded, {'complete' if p.complete else 'partial'} as of {p.as_of}"

    count = str(len(common)) if result.common_exact else f"at least {len(common)} recorded" if common else "none recorded"
    summary = f"Parties to both: {count} ({records(args.a, a_p)}; {records(args.b, b_p)}; see data/COVERAGE.md)"
    names = ", ".join(short(iri(p)) for p in common)
    if args.format == "json":
        def cell(c):
            return {"status": c.status, "articles": c.articles, "not_verified": c.not_verified, "sources": c.sources}
        out.print(to_json({
            "a": args.a, "b": args.b,
            "lines": [{"section": line.section, "concept": json_cell(line.concept),
                       "concept_label": concept_labels.get(line.concept.value), "a_articles": line.a_articles,
                       "b_articles": line.b_articles, "status": line.status, "a": cell(line.a), "b": cell(line.b)}
                      for line in result.lines],
            "parties_in_common": [json_cell(iri(p)) for p in common], "parties_in_common_exact": result.common_exact,
            "a_parties_as_of": a_p.as_of, "b_parties_as_of": b_p.as_of,
            "a_records": "complete" if a_p.complete else "partial" if a_p.has_records else None,
            "b_records": "complete" if b_p.complete else "partial" if b_p.has_records else None}), markup=False, highlight=False)
        return 0
    if args.format == "csv":
        columns = ["section", "concept", f"{args.a} articles", f"{args.b} articles", "in", f"{args.a} status", f"{args.b} status",
                   f"{args.a} not verified", f"{args.b} not verified", "concept label"]
        rows = [[line.section, short(line.concept), line.a_articles, line.b_articles, labels[line.status], line.a.status,
                 line.b.status, line.a.not_verified, line.b.not_verified, concept_labels.get(line.concept.value, "")]
                for line in result.lines]
        print(to_csv(columns, rows), end="")
        return 0
    columns = ["section", "concept", f"{args.a} articles", f"{args.b} articles", "in"]
    rows = [[line.section, concept(line.concept), _marked(line.a_articles, line.a.not_verified) or line.a.status,
             _marked(line.b_articles, line.b.not_verified) or line.b.status, labels[line.status]] for line in result.lines]
    legend = ("Articles marked * are corroborated only, † unverified: check the heading against the official text before "
              "citing. 'not addressed': every provision of the instrument is recorded for the scheme and none addresses the "
              "concept. 'not recorded': the instrument is modelled in part, or only at article level for the scheme, so its "
              "text may still address the concept.")
    if args.format == "markdown":
        print(f"### {args.a} and {args.b} compared\n")
        print(to_markdown(columns, rows))
        print(legend + "\n")
        print(summary + (f": {names}." if names else "."))
    else:
        _print_rows(columns, rows, title=f"{args.a} and {args.b} compared")
        out.print(legend, markup=False)
        out.print(summary + (f": {names}" if names else ""), markup=False)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from .load import load

    dataset = _load(args)
    with _progress() as bar:
        task = bar.add_task("uploading named graphs", total=len(dataset.counts))
        outcomes = load(dataset, store=args.endpoint, update=args.update_endpoint, query=args.query_endpoint,
                        replace=args.replace, http=_http(args), progress=lambda graph, size: bar.advance(task))
    columns = ["named graph", "local", "server", "status"]
    rows = [[o.graph, str(o.local), "" if o.remote is None else str(o.remote), "ok" if o.ok else (o.error or "count differs")]
            for o in outcomes]
    bad = [o for o in outcomes if not o.ok]
    if args.format != "table":
        from .output import to_csv, to_json

        names = [c.replace(" ", "_") for c in columns]
        sys.stdout.write(to_csv(names, rows) if args.format == "csv" else
                         to_json({"graphs": [dict(zip(names, r)) for r in rows], "verified": len(outcomes) - len(bad)}) + "\n")
        return 1 if bad else 0
    _print_rows(columns, [[r[0].rsplit("/graph/", 1)[-1], *r[1:]] for r in rows], title="Loaded")
    out.print(f"{len(outcomes) - len(bad)} of {len(outcomes)} named graphs verified on the server"
              + (f"; {len(bad)} differ or failed" if bad else ""))
    if any(o.error is None for o in bad) and not args.replace:
        out.print("Without --replace each graph is added to what the server holds (POST), so a graph loaded before "
                  "gets its blank-node triples twice: load with --replace to make the server's graphs equal the build.")
    return 1 if bad else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    serve(Path(args.store), args.bind, args.port, Path(args.sources) if args.sources else None,
          announce=lambda text: out.print(text, markup=False), warn=lambda text: err.print(text, markup=False))
    return 0


def _write(data: bytes, out: str | None) -> None:
    """Write output to ``--out`` (see :func:`output.write_output`) or stdout."""
    from .output import write_output

    written = write_output(data, out)
    if written is not None:
        err.print(f"wrote {written}", markup=False)


def cmd_docs(args: argparse.Namespace) -> int:
    from .docs import build_docs

    written = build_docs(_load(args), Path(args.out), _date(args.on) if args.on else None)
    pages = sum(1 for path in written if path.suffix == ".html")
    out.print(f"wrote {len(written)} files to {args.out}: {pages} HTML pages, and Turtle and JSON-LD for every IRI; "
              f"start at {Path(args.out) / 'index.html'} or {Path(args.out) / 'id' / 'index.html'}", markup=False)
    return 0


def cmd_matrix(args: argparse.Namespace) -> int:
    from .matrix import coverage_matrix, to_csv, to_html, to_image

    engine = _engine(args)
    instruments = [_instrument_id(engine, i.strip()) for i in args.instruments.split(",") if i.strip()] if args.instruments else None
    matrix = coverage_matrix(engine, args.scheme, instruments)
    if args.format == "csv":
        data = to_csv(matrix).encode()
    elif args.format == "html":
        data = to_html(matrix).encode()
    else:
        data = to_image(matrix, args.format)
    _write(data, args.out)
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from .timeline import series, to_image

    engine = _engine(args)
    names = [_instrument_id(engine, name) for name in [args.instrument] + ([args.vs] if args.vs else [])]
    _write(to_image([series(engine, name) for name in names], args.format), args.out)
    return 0


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _seconds(text: str) -> float:
    """A time limit: a finite number of seconds from 0 (no limit) to a day."""
    import math

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= 86400:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds from 0 (no limit) to 86400")
    return value


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
    ch = sub.add_parser("check", help="run the hygiene queries; exit 1 if any reports a problem")
    ch.add_argument("--format", choices=("text", "csv", "json"), default="text", help="csv/json: one row per problem")
    ch.set_defaults(func=cmd_check)
    sub.add_parser("reason", help="run HermiT: consistency and classification").set_defaults(func=cmd_reason)
    inf = sub.add_parser("info", help="counts by class, instruments, sources, version")
    inf.add_argument("--format", choices=("table", "csv", "json"), default="table", help="csv: the instruments table")
    inf.set_defaults(func=cmd_info)
    for name, helptext in (("validate", "validate the graph, or files together with it, against the SHACL shapes"),
                           ("submit", "validate a file and, only if it conforms, add it to data/submissions/ or --store")):
        sp = sub.add_parser(name, help=helptext)
        if name == "validate":
            sp.add_argument("files", nargs="*", metavar="FILE", help="submitted files (.ttl, .jsonld, .rdf, .nt); none: the whole graph")
            sp.add_argument("--format", choices=("text", "json", "turtle"), default="text")
            sp.add_argument("--engine", choices=ENGINES, default="compiled",
                            help="SHACL Core engine: compiled (fast, the default) or pyshacl (the reference); same results")
            sp.set_defaults(func=cmd_validate)
        else:
            sp.add_argument("file", metavar="FILE")
            sp.add_argument("--store", metavar="PATH", help="add to this on-disk Oxigraph store instead of data/submissions/")
            sp.set_defaults(func=cmd_submit)
        sp.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse files larger than this (default 50 MiB)")
        sp.add_argument("--max-triples", type=int, default=DEFAULT_MAX_TRIPLES,
                        help="stop reading a file at this many triples (default 1,000,000)")
        sp.add_argument("--allow-rewrite", action="store_true", help="let a submission redefine ontology terms or renumber articles")
    pa = sub.add_parser("parties", help="who signed and consented to an instrument, and whether it is in force")
    pa.add_argument("instrument", help="instrument id, e.g. uncc or budapest")
    pa.add_argument("--on", metavar="DATE", help="status on this date (YYYY-MM-DD; default today)")
    pa.add_argument("--format", choices=("table", "csv", "json"), default="table")
    pa.add_argument("--members-of", metavar="ORG", help="only the members of this organisation on the date (coe, au, eu, ...), "
                    "each with its status, whether recorded or not")
    pa.add_argument("--not-bound", action="store_true", help="with --members-of: leave out the members recorded as bound")
    pa.set_defaults(func=cmd_parties)

    def credentials(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--user", help="user name, sent in the scheme the server asks for (Digest or Basic)")
        sp.add_argument("--password-env", metavar="VAR", help="environment variable that holds the password")

    def engine_options(sp: argparse.ArgumentParser, remote: bool = False) -> None:
        sp.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                        help="oxigraph (default, fast) or rdflib (the reference implementation, for cross-checking)")
        sp.add_argument("--store", metavar="PATH", help="on-disk Oxigraph store: created from the sources on first use, "
                        "then opened without re-parsing")
        if remote:
            sp.add_argument("--endpoint", metavar="URL", help="run on this SPARQL 1.1 query endpoint instead of the embedded store")
            sp.add_argument("--timeout", type=_seconds, default=120.0, metavar="SECONDS",
                            help="with --endpoint: give up after this long in all, retries included (default 120)")
            credentials(sp)

    sh = sub.add_parser("show", help="the fact sheet of one thing: an instrument, article, concept, State or organisation")
    sh.add_argument("id", help="a friendly id: uncc, 'ETS 185', 'Hanoi Convention', 'uncc 41', 'uncc 40(8)', '24/7 network', JPN, Japan, coe")
    sh.add_argument("--on", metavar="DATE", help="participation status on this date (YYYY-MM-DD; default today)")
    sh.add_argument("--format", choices=("text", "json", "turtle"), default="text")
    engine_options(sh)
    sh.set_defaults(func=cmd_show)
    sr = sub.add_parser("search", help="find ids by words in headings, labels, aliases, definitions, paragraph subjects, notes")
    sr.add_argument("words", nargs="+")
    sr.add_argument("--limit", type=int, default=20, help="at most this many matches (default 20)")
    sr.add_argument("--format", choices=("table", "csv", "json"), default="table")
    engine_options(sr)
    sr.set_defaults(func=cmd_search)
    q = sub.add_parser("query", help="the saved comparative queries: list, show, run")
    qsub = q.add_subparsers(dest="action", required=True)
    ql = qsub.add_parser("list", help="every saved query with its parameters")
    ql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    ql.set_defaults(func=cmd_query_list)
    qs = qsub.add_parser("show", help="a saved query's documentation and SPARQL")
    qs.add_argument("name")
    qs.set_defaults(func=cmd_query_show)
    qr = qsub.add_parser("run", help="run a saved query")
    qr.add_argument("name")
    qr.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="a parameter (repeat for several)")
    qr.add_argument("--format", choices=("table", "csv", "json"), default="table")
    engine_options(qr, remote=True)
    qr.set_defaults(func=cmd_query_run)
    sq = sub.add_parser("sparql", help="run your own read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE)")
    sq.add_argument("query", nargs="?", help="the query text")
    sq.add_argument("-f", "--file", help="read the query from this file")
    sq.add_argument("--format", choices=("table", "csv", "json"), default="table", help="for SELECT (CONSTRUCT gives Turtle)")
    sq.add_argument("--timeout", type=_seconds, default=30.0, metavar="SECONDS",
                    help="stop the query after this long (default 30; 0: no limit; at most 86400)")
    engine_options(sq)
    sq.set_defaults(func=cmd_sparql)
    cp = sub.add_parser("compare", help="two instruments side by side: offences, powers, cooperation, capacity, safeguards, parties")
    cp.add_argument("a", help="instrument id, e.g. uncc")
    cp.add_argument("b", help="instrument id, e.g. budapest")
    cp.add_argument("--format", choices=("table", "markdown", "csv", "json"), default="table")
    engine_options(cp, remote=True)
    cp.set_defaults(func=cmd_compare)
    lo = sub.add_parser("load", help="upload every named graph to your triple store and verify the counts")
    lo.add_argument("--endpoint", metavar="URL", help="Graph Store Protocol endpoint, e.g. http://localhost:7878/store")
    lo.add_argument("--update-endpoint", metavar="URL", help="SPARQL 1.1 Update endpoint, for stores without the Graph Store Protocol")
    lo.add_argument("--query-endpoint", metavar="URL", help="where to count the triples (default: derived from the endpoint)")
    lo.add_argument("--replace", action="store_true", help="replace each named graph (PUT) instead of adding to it (POST)")
    lo.add_argument("--format", choices=("table", "csv", "json"), default="table", help="csv/json: one row per named graph")
    credentials(lo)
    lo.set_defaults(func=cmd_load)
    se = sub.add_parser("serve", help="a read-only SPARQL endpoint (Oxigraph server, pip install 'cybertreaty-kg[server]'), "
                        "a query page and a page for every IRI (content negotiation)")
    se.add_argument("--port", type=int, default=7878)
    se.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    se.add_argument("--store", default="cybertreaty-kg-store", metavar="PATH",
                    help="on-disk store, built from the sources if missing (default ./cybertreaty-kg-store)")
    se.set_defaults(func=cmd_serve)
    do = sub.add_parser("docs", help="HTML documentation: ontology, concept schemes, shapes (pyLODE), saved queries, dataset")
    do.add_argument("--out", default="site", metavar="DIR", help="output folder (default ./site)")
    do.add_argument("--on", metavar="YYYY-MM-DD", help="show participation as on this date (default: today)")
    do.set_defaults(func=cmd_docs)
    ma = sub.add_parser("matrix", help="coverage matrix: concepts of a scheme by instrument, with article numbers")
    ma.add_argument("--scheme", required=True, choices=("offence", "procedure", "cooperation", "capacity", "safeguard"))
    ma.add_argument("--instruments", metavar="A,B,...", help="instrument ids in the order wanted (default: all, by adoption date)")
    ma.add_argument("--format", choices=("svg", "png", "html", "csv"), default="svg")
    ma.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    engine_options(ma)
    ma.set_defaults(func=cmd_matrix)
    ti = sub.add_parser("timeline", help="cumulative signatures and consents over time, with the entry-into-force threshold")
    ti.add_argument("instrument")
    ti.add_argument("--vs", metavar="OTHER", help="a second instrument on the same axes")
    ti.add_argument("--format", choices=("svg", "png"), default="svg")
    ti.add_argument("--out", metavar="FILE", help="write here (default: standard output)")
    engine_options(ti)
    ti.set_defaults(func=cmd_timeline)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except CtkgError as error:
        err.print(f"error: {error}", markup=False)
        return error.exit_code
    except BrokenPipeError:  # the reader stopped early (`| head`): not an error of ours
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except OSError as error:  # the machine said no (a full disk, a folder we may not write): one line, no traceback
        where = f"{error.filename}: " if error.filename else ""
        err.print(f"error: {where}{error.strerror or error}")
        return 2
    except MemoryError:
        err.print("error: out of memory; give a smaller input (see --max-bytes, --max-triples)")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())

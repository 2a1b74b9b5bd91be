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


def _http(args: argparse.Namespace):
    import os

    from .remote import Http

    password = None
    if args.password_env:
        if args.password_env not in os.environ:
            raise CtkgError(f"--password-env {args.password_env}: that environment variable is not set")
        password = os.environ[args.password_env]
    return Http(user=args.user, password=password)


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
    from .queries import catalogue

    table = Table("name", "title", "parameters (* required)", title="Saved queries")
    for query in catalogue(Path(args.sources) if args.sources else None).values():
        params = ", ".join(f"{p.name}{'*' if p.required else ''} ({p.kind})" for p in query.params)
        table.add_row(query.name, query.title, params or "-")
    out.print(table)
    out.print("cybertreaty-kg query show NAME: description, columns, example and SPARQL")
    return 0


def cmd_query_show(args: argparse.Namespace) -> int:
    from .queries import get

    query = get(args.name, Path(args.sources) if args.sources else None)
    out.print(f"[bold]{query.name}[/bold]: {query.title}")
    out.print(query.description, markup=False)
    for param in query.params:
        out.print(f"  param {param.name} ({param.kind}{' of ' + param.of if param.of else ''}, "
                  f"default: {param.default}): {param.description}", markup=False)
    for column in query.columns:
        out.print(f"  column {column.name} ({column.kind}): {column.description}", markup=False)
    out.print(f"example: {query.example}", markup=False)
    out.print(f"file: {query.path}", markup=False)
    out.print(query.body, markup=False)
    return 0


def cmd_query_run(args: argparse.Namespace) -> int:
    from .output import json_cell, short, to_csv, to_json, to_rich
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
        out.print(to_rich(columns, [[short(t) for t in row] for row in table.rows], title=query.title))
        out.print(f"{len(table.rows)} row(s)")
    return 0


def cmd_sparql(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from .adhoc import run_adhoc
    from .namespaces import PREFIXES
    from .output import compact, json_cell, to_csv, to_json, to_rich

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
        def node(term):
            if term.kind == "iri":
                return ox.NamedNode(term.value)
            if term.kind == "bnode":
                return ox.BlankNode(term.value)
            return ox.Literal(term.value, language=term.language) if term.language else ox.Literal(term.value, datatype=ox.NamedNode(term.datatype))
        triples = [ox.Triple(node(s), node(p), node(o)) for s, p, o in result.triples]
        sys.stdout.write(ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES).decode())
    elif args.format == "json":
        rows = [{c: json_cell(t) for c, t in zip(result.columns, row)} for row in result.rows]
        out.print(to_json({"columns": result.columns, "rows": rows}), markup=False, highlight=False)
    elif args.format == "csv":
        print(to_csv(result.columns, [[compact(t) for t in row] for row in result.rows]), end="")
    else:
        out.print(to_rich(result.columns, [[compact(t) for t in row] for row in result.rows]))
        out.print(f"{len(result.rows)} row(s)")
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from .compare import compare
    from .engines import iri
    from .output import json_cell, short, to_csv, to_json, to_markdown, to_rich

    result = compare(args.a, args.b, _engine(args))
    columns = ["section", "concept", f"{args.a} articles", f"{args.b} articles", "in"]
    labels = {"both": "both", "only a": f"only {args.a}", "only b": f"only {args.b}"}
    rows = [[line.section, short(line.concept), line.a_articles, line.b_articles, labels[line.status]] for line in result.lines]
    common = result.common_parties
    a_p, b_p = result.a_participation, result.b_participation
    summary = (f"Parties to both: {len(common)} ({args.a}: {len(a_p.parties)} parties recorded as of {a_p.as_of or 'n/a'}; "
               f"{args.b}: {len(b_p.parties)} as of {b_p.as_of or 'n/a'}; partial record sets undercount, see data/COVERAGE.md)")
    names = ", ".join(short(iri(p)) for p in common)
    if args.format == "json":
        out.print(to_json({
            "a": args.a, "b": args.b,
            "lines": [{"section": line.section, "concept": json_cell(line.concept), "a_articles": line.a_articles,
                       "b_articles": line.b_articles, "status": line.status} for line in result.lines],
            "parties_in_common": [json_cell(iri(p)) for p in common],
            "a_parties_as_of": a_p.as_of, "b_parties_as_of": b_p.as_of}), markup=False, highlight=False)
    elif args.format == "csv":
        print(to_csv(columns, rows), end="")
    elif args.format == "markdown":
        print(f"### {args.a} and {args.b} compared\n")
        print(to_markdown(columns, rows))
        print(summary + (f": {names}." if names else "."))
    else:
        out.print(to_rich(columns, rows, title=f"{args.a} and {args.b} compared"))
        out.print(summary + (f": {names}" if names else ""), markup=False)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from .load import load

    dataset = _load(args)
    with _progress() as bar:
        task = bar.add_task("uploading named graphs", total=len(dataset.counts))
        outcomes = load(dataset, store=args.endpoint, update=args.update_endpoint, query=args.query_endpoint,
                        replace=args.replace, http=_http(args), progress=lambda graph, size: bar.advance(task))
    table = Table("named graph", "local", "server", "status", title="Loaded")
    for outcome in outcomes:
        status = "ok" if outcome.ok else (outcome.error or "count differs")
        table.add_row(outcome.graph.rsplit("/graph/", 1)[-1], str(outcome.local), str(outcome.remote), status)
    out.print(table)
    bad = [o for o in outcomes if not o.ok]
    out.print(f"{len(outcomes) - len(bad)} of {len(outcomes)} named graphs verified on the server"
              + (f"; {len(bad)} differ or failed" if bad else ""))
    if any(o.error is None for o in bad) and not args.replace:
        out.print("Without --replace each graph is added to what the server holds (POST), so a graph loaded before "
                  "gets its blank-node triples twice: load with --replace to make the server's graphs equal the build.")
    return 1 if bad else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    serve(Path(args.store), args.bind, args.port, Path(args.sources) if args.sources else None, announce=out.print)
    return 0


def _write(data: bytes, out: str | None) -> None:
    """Write output to a file (atomically: a failed render leaves the old file) or stdout."""
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    import os
    import tempfile

    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(staging, 0o666 & ~umask)  # mkstemp makes the file private; an output file is not
    os.replace(staging, target)
    err.print(f"wrote {target}")


def cmd_docs(args: argparse.Namespace) -> int:
    from .docs import build_docs

    for path in build_docs(_load(args), Path(args.out)):
        out.print(f"wrote {path}", markup=False)
    return 0


def cmd_matrix(args: argparse.Namespace) -> int:
    from .matrix import coverage_matrix, to_csv, to_html, to_image

    instruments = [i.strip() for i in args.instruments.split(",") if i.strip()] if args.instruments else None
    matrix = coverage_matrix(_engine(args), args.scheme, instruments)
    if args.format == "csv":
        data = to_csv(matrix).encode()
    elif args.format == "html":
        data = to_html(matrix).encode()
    else:
        data = to_image(matrix, args.format)
    _write(data, args.out)
    return 0


def cmd_timeline(args: argparse.Namespace) -> int:
    from .queries import resolve_instrument
    from .timeline import series, to_image

    engine = _engine(args)
    names = [args.instrument] + ([args.vs] if args.vs else [])
    for name in names:
        resolve_instrument(engine, name)
    _write(to_image([series(engine, name) for name in names], args.format), args.out)
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

    def credentials(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--user", help="user name for HTTP Basic authentication")
        sp.add_argument("--password-env", metavar="VAR", help="environment variable that holds the password")

    def engine_options(sp: argparse.ArgumentParser, remote: bool = False) -> None:
        sp.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph",
                        help="oxigraph (default, fast) or rdflib (the reference implementation, for cross-checking)")
        sp.add_argument("--store", metavar="PATH", help="on-disk Oxigraph store: created from the sources on first use, "
                        "then opened without re-parsing")
        if remote:
            sp.add_argument("--endpoint", metavar="URL", help="run on this SPARQL 1.1 query endpoint instead of the embedded store")
            credentials(sp)

    q = sub.add_parser("query", help="the saved comparative queries: list, show, run")
    qsub = q.add_subparsers(dest="action", required=True)
    qsub.add_parser("list", help="every saved query with its parameters").set_defaults(func=cmd_query_list)
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
    sq.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="stop the query after this long (default 30; 0: no limit)")
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
    credentials(lo)
    lo.set_defaults(func=cmd_load)
    se = sub.add_parser("serve", help="serve the graph read-only with the Oxigraph server (pip install 'cybertreaty-kg[server]')")
    se.add_argument("--port", type=int, default=7878)
    se.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    se.add_argument("--store", default="cybertreaty-kg-store", metavar="PATH",
                    help="on-disk store, built from the sources if missing (default ./cybertreaty-kg-store)")
    se.set_defaults(func=cmd_serve)
    do = sub.add_parser("docs", help="HTML documentation: ontology, concept schemes, shapes (pyLODE), saved queries, dataset")
    do.add_argument("--out", default="site", metavar="DIR", help="output folder (default ./site)")
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


if __name__ == "__main__":
    sys.exit(main())

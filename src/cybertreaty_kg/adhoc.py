"""Ad hoc SPARQL, made safe to run on anything a user types: read-only, no network, time-limited.

Each query is *parsed* before any engine sees it (rdflib's SPARQL 1.1 parser, which decodes the
codepoint escapes first, as the standard says), and refused from what the parse finds, not from
the words of the text:

- Read-only: a text that parses as an update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD,
  MOVE, COPY) is refused.
- No network: a ``SERVICE`` pattern anywhere in the parsed query is refused, since both engines
  would otherwise call the endpoint it names (pyoxigraph and rdflib alike), however it is spelt
  (``\u0053ERVICE``). rdflib's habit of fetching ``FROM <iri>`` is switched off in the engine.
- A text the parser cannot read is refused only if its decoded words hold SERVICE or an update
  keyword; otherwise it goes to the engine, whose own message says what is wrong.
- Nesting deeper than :data:`MAX_NESTING` brackets is refused before parsing: parsers recurse
  per bracket, and 50,000 of them end the process (a stack overflow) instead of giving a message.
- Time limit: neither engine can cancel a running query, so the check and the query run in a
  forked child process (which shares the loaded store without copying it) and the child is
  killed when the limit passes. Forking needs a POSIX system; elsewhere they run without a limit.
"""

from __future__ import annotations

import multiprocessing

from .engines import Engine, QueryError, Result, has_service
from .errors import CtkgError
from .lexical import find_keyword, nesting

DEFAULT_TIMEOUT = 30.0
MAX_NESTING = 64  # brackets inside brackets: a person's query uses a handful

_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


class QueryRefused(CtkgError):
    """An ad hoc query that would change the graph or reach the network."""


class QueryTimeout(CtkgError):
    """A query that ran past its time limit and was stopped."""


def _service_refused(line: int) -> QueryRefused:
    return QueryRefused(f"line {line}: SERVICE is refused: a query may not call other endpoints "
                        "(load the data you need with `cybertreaty-kg submit` instead)")


def _update_refused(word: str, line: int) -> QueryRefused:
    return QueryRefused(f"line {line}: {word} is refused: ad hoc queries are read-only "
                        "(SELECT, ASK, CONSTRUCT or DESCRIBE); add data with `cybertreaty-kg submit`")


def refuse_unsafe(sparql: str) -> None:
    """Raise :class:`QueryRefused` if ``sparql`` is an update, calls a remote service or nests
    too deeply to be read safely."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import parser

    depth, line = nesting(sparql)
    if depth > MAX_NESTING:
        raise QueryRefused(f"line {line}: brackets nested {depth} deep; at most {MAX_NESTING} are read "
                           "(split the expression, or use VALUES for long lists)")
    try:
        tree = parser.parseQuery(sparql)
    except (ParseException, RecursionError):
        try:
            parser.parseUpdate(sparql)
        except (ParseException, RecursionError):
            pass
        else:
            word, line = find_keyword(sparql, _UPDATES) or ("the update", 1)
            raise _update_refused(word, line) from None
        found = find_keyword(sparql, _UPDATES + ("SERVICE",))  # unreadable: refuse on its words alone
        if found is not None:
            word, line = found
            raise (_service_refused(line) if word == "SERVICE" else _update_refused(word, line)) from None
        return  # the engine's parser will say what is wrong with it
    if has_service(tree):
        raise _service_refused((find_keyword(sparql, ("SERVICE",)) or ("", 1))[1])


def run_adhoc(engine: Engine, sparql: str, timeout: float | None = DEFAULT_TIMEOUT) -> Result:
    """Run a user's query after :func:`refuse_unsafe`, stopping it after ``timeout`` seconds
    (``None`` or 0: no limit)."""
    if not timeout or "fork" not in multiprocessing.get_all_start_methods():
        refuse_unsafe(sparql)
        return engine.run(sparql)
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_answer, args=(engine, sparql, send), daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped; make it more "
                               "specific (a LIMIT, fewer unbound patterns) or raise --timeout")
        outcome = receive.recv()
    except EOFError:
        raise QueryError("the query process ended without an answer (out of memory?)") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    if isinstance(outcome, CtkgError):
        raise outcome
    return outcome


def _answer(engine: Engine, sparql: str, send) -> None:
    try:
        refuse_unsafe(sparql)
        send.send(engine.run(sparql))
    except CtkgError as error:
        send.send(error)
    finally:
        send.close()

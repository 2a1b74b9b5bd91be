"""Ad hoc SPARQL, made safe to run on anything a user types: read-only, no network, time-limited.

- Read-only: an update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY, WITH) is
  refused before any engine sees it.
- No network: a ``SERVICE`` clause is refused, since both engines would otherwise call the
  remote endpoint; rdflib's habit of fetching ``FROM <iri>`` is switched off in the engine.
- Time limit: neither engine can cancel a running query, so the query runs in a forked child
  process (which shares the loaded store without copying it) and the child is killed when the
  limit passes. Forking needs a POSIX system; elsewhere the query runs without a limit.
"""

from __future__ import annotations

import multiprocessing

from .engines import Engine, QueryError, Result
from .errors import CtkgError
from .lexical import find_keyword

DEFAULT_TIMEOUT = 30.0

_UPDATES = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


class QueryRefused(CtkgError):
    """An ad hoc query that would change the graph or reach the network."""


class QueryTimeout(CtkgError):
    """A query that ran past its time limit and was stopped."""


def refuse_unsafe(sparql: str) -> None:
    """Raise :class:`QueryRefused` if ``sparql`` is an update or calls a remote service."""
    found = find_keyword(sparql, _UPDATES + ("SERVICE",))
    if found is None:
        return
    word, line = found
    if word == "SERVICE":
        raise QueryRefused(f"line {line}: SERVICE is refused: a query may not call other endpoints "
                           "(load the data you need with `cybertreaty-kg submit` instead)")
    raise QueryRefused(f"line {line}: {word} is refused: ad hoc queries are read-only "
                       "(SELECT, ASK, CONSTRUCT or DESCRIBE); add data with `cybertreaty-kg submit`")


def run_adhoc(engine: Engine, sparql: str, timeout: float | None = DEFAULT_TIMEOUT) -> Result:
    """Run a user's query after :func:`refuse_unsafe`, stopping it after ``timeout`` seconds
    (``None`` or 0: no limit)."""
    refuse_unsafe(sparql)
    if not timeout or "fork" not in multiprocessing.get_all_start_methods():
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
        send.send(engine.run(sparql))
    except CtkgError as error:
        send.send(error)
    finally:
        send.close()

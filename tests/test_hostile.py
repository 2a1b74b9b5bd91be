"""Hostile and sloppy input: nothing leaks, nothing is lost, nothing hangs.

Every case is run as an attacker or a careless user would, and checked for its exact exit code and
its one-line message; where the danger is a request to the network, a loopback listener stands
where the query points, and it must receive nothing.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from cybertreaty_kg.adhoc import MAX_NESTING, refuse_unsafe
from cybertreaty_kg.cli import main
from cybertreaty_kg.engines import QueryError, RdflibEngine
from cybertreaty_kg.lexical import decode_escapes, find_keyword, visible

ROOT = Path(__file__).resolve().parents[1]


class Listener:
    """A TCP listener on a loopback port that counts the connections it is offered."""

    def __init__(self) -> None:
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(8)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except OSError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> int:
        self._stop.set()
        self._thread.join(2)
        self.socket.close()
        return self.connections


@pytest.fixture()
def listener():
    watching = Listener()
    yield watching
    watching.close()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


SERVICES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ \\U00000053ERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERV\\u0049CE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?x ctkg:identifier 'uncc' OPTIONAL {{ SERVICE <{url}> {{ ?x ?p ?o }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?x WHERE {{ SERVICE <{url}> {{ ?x ?p ?o }} }} }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "SELECT * WHERE {{ ?i ctkg:identifier ?id . # a comment\n  SERVICE <{url}> {{ ?i ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
]


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("template", SERVICES)
def test_service_is_refused_however_it_is_spelt(capsys, listener, engine, template):
    query = template.format(url=f"http://127.0.0.1:{listener.port}/sparql")
    code, out, err = run(capsys, "sparql", query, "--engine", engine)
    line = 2 if "\n" in query else 1
    assert (code, out) == (2, "") and err == (
        f"error: line {line}: SERVICE is refused: a query may not call other endpoints "
        "(load the data you need with `cybertreaty-kg submit` instead)\n")
    assert listener.close() == 0


@pytest.mark.parametrize("template", [
    "LOAD <{url}>", "\\u004COAD <{url}> INTO GRAPH <http://example.org/g>",
    "INSERT DATA {{ <http://example.org/a> <http://example.org/b> 1 }}",
    "\\u0049NSERT DATA {{ <http://example.org/a> <http://example.org/b> 1 }}",
    "DROP ALL", "CLEAR DEFAULT", "COPY DEFAULT TO <http://example.org/g>",
    "DELETE WHERE {{ ?s ?p ?o }}", "WITH <http://example.org/g> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
])
def test_updates_are_refused(capsys, listener, template):
    query = template.format(url=f"http://127.0.0.1:{listener.port}/data.ttl")
    code, out, err = run(capsys, "sparql", query)
    word = decode_escapes(query).split()[0].upper()
    assert (code, out) == (2, "") and err == (
        f"error: line 1: {word} is refused: ad hoc queries are read-only (SELECT, ASK, CONSTRUCT or DESCRIBE); "
        "add data with `cybertreaty-kg submit`\n")
    assert listener.close() == 0


@pytest.mark.parametrize("query, rows", [
    ("SELECT ?id WHERE { ?i ctkg:identifier ?id FILTER (?id != 'SERVICE') } ORDER BY ?id LIMIT 1", "id\narab\n"),
    ("SELECT ?id WHERE { ?i ctkg:identifier ?id . # SERVICE <http://127.0.0.1:9/> { }\n} ORDER BY ?id LIMIT 1", "id\narab\n"),
    ("SELECT ?id WHERE { ?i ctkg:identifier ?id FILTER (?i != <http://example.org/SERVICE/insert>) } ORDER BY ?id LIMIT 1",
     "id\narab\n"),
    ("SELECT (\"\"\"drop\nSERVICE\"\"\" AS ?x) WHERE {}", "x\n\"drop\nSERVICE\"\n"),
])
def test_the_words_in_strings_comments_and_iris_are_not_refused(capsys, query, rows):
    code, out, err = run(capsys, "sparql", query, "--format", "csv")
    assert (code, out, err) == (0, rows, "")


def test_rdflib_engine_never_calls_a_service_whoever_writes_the_query(dataset, listener):
    engine = RdflibEngine(dataset.store)
    with pytest.raises(QueryError, match="^SERVICE is refused: a query may not call other endpoints$"):
        engine.run(f"SELECT * WHERE {{ \\u0053ERVICE <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o }} }}")
    assert listener.close() == 0


def test_from_is_never_fetched_by_rdflib(dataset, listener):
    engine = RdflibEngine(dataset.store)
    result = engine.run(f"SELECT * FROM <http://127.0.0.1:{listener.port}/data.ttl> WHERE {{ ?s ?p ?o }}")
    assert result.rows == [] and listener.close() == 0


def test_deep_nesting_is_refused_before_any_parser_recurses(capsys):
    query = "SELECT * WHERE { FILTER(" + "(" * 50_000 + "1" + ")" * 50_000 + ") }"
    code, out, err = run(capsys, "sparql", query, "--timeout", "0")
    assert (code, out) == (2, "") and err == (
        f"error: line 1: brackets nested 50002 deep; at most {MAX_NESTING} are read "
        "(split the expression, or use VALUES for long lists)\n")
    refuse_unsafe("SELECT * WHERE { FILTER(" + "(" * 40 + "1" + ")" * 40 + ") }")  # a deep but sane query passes


def test_deep_nesting_in_a_separate_process_ends_with_a_message_not_a_crash(tmp_path):
    query = tmp_path / "deep.rq"
    query.write_text("ASK { FILTER(" + "(" * 50_000 + "1" + ")" * 50_000 + ") }")
    done = subprocess.run([sys.executable, "-m", "cybertreaty_kg", "sparql", "-f", str(query), "--timeout", "0"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith("error: line 1: brackets nested 50002 deep")
    assert "Traceback" not in done.stderr and len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("text", [
    '"\\' * 400_000,                                   # an escape that never ends, over and over
    "SELECT * WHERE { ?s ?p " + '"\\a' * 100_000 + " }",
    "<a" * 400_000,
    "'''" + "\\'" * 400_000,
])
def test_reading_a_query_takes_time_in_proportion_to_its_length(text, tmp_path):
    """Each of these took seconds per 40 KB with the old keyword scan (quadratic); in a child
    process with a bound far above linear cost, the whole megabyte is read and answered."""
    query = tmp_path / "hostile.rq"
    query.write_text(text)
    done = subprocess.run([sys.executable, "-m", "cybertreaty_kg", "sparql", "-f", str(query), "--timeout", "60"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2 and done.stderr.startswith("error: ") and len(done.stderr.splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_lexical_reading_is_exact():
    text = ('SELECT ?x WHERE { ?x <http://a#b> "st\\"r # no comment" . # comment SERVICE\n'
            " ?y 'x' . FILTER(?a<?b) } \"\"\"long\nSERVICE\"\"\" SERVICE")
    shown = visible(text)
    assert len(shown) == len(text) and shown.count("\n") == text.count("\n")
    assert "SERVICE" not in shown.splitlines()[0] and shown.split()[-1] == "SERVICE"
    assert "FILTER(?a<?b)" in shown
    assert find_keyword(text, ("SERVICE",)) == ("SERVICE", 3)
    assert decode_escapes("\\u0053ERVICE \\U0001F600 \\uD800") == "SERVICE \U0001F600 \\uD800"


# --- serve --------------------------------------------------------------------------------

@pytest.mark.slow
def test_serve_refuses_service_and_updates_and_the_listener_hears_nothing(tmp_path, listener):
    from test_server import free_port, wait_for

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "cybertreaty_kg", "serve", "--port", str(port), "--store",
                                str(tmp_path / "store")], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query", process, 90)
        url = f"http://127.0.0.1:{listener.port}/sparql"
        for template in SERVICES:
            query = template.format(url=url)
            for request in (urllib.request.Request(base + "/query?" + urllib.parse.urlencode({"query": query})),
                            urllib.request.Request(base + "/query", data=urllib.parse.urlencode({"query": query}).encode()),
                            urllib.request.Request(base + "/query", data=query.encode(),
                                                   headers={"Content-Type": "application/sparql-query"})):
                with pytest.raises(urllib.error.HTTPError) as refused:
                    urllib.request.urlopen(request, timeout=30)
                assert refused.value.code == 403 and "SERVICE is refused" in refused.value.read().decode(), query
        for update in (f"LOAD <{url}>", "\\u0049NSERT DATA { <http://example.org/a> <http://example.org/b> 1 }"):
            for path in ("/update", "/query"):
                request = urllib.request.Request(base + path, data=update.encode(),
                                                 headers={"Content-Type": "application/sparql-update"})
                with pytest.raises(urllib.error.HTTPError) as refused:
                    urllib.request.urlopen(request, timeout=30)
                assert refused.value.code == 403, (path, update)
        deep = "ASK { FILTER(" + "(" * 50_000 + "1" + ")" * 50_000 + ") }"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(base + "/query", data=deep.encode(),
                                                          headers={"Content-Type": "application/sparql-query"}), timeout=30)
        assert refused.value.code == 403 and "brackets nested 50002 deep" in refused.value.read().decode()
        assert process.poll() is None  # still serving
    finally:
        process.terminate()
        process.wait(15)
    assert listener.close() == 0


@pytest.mark.slow
def test_serve_warns_when_bound_beyond_loopback(tmp_path):
    from test_server import free_port, wait_for

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "cybertreaty_kg", "serve", "--port", str(port), "--bind", "0.0.0.0",
                                "--store", str(tmp_path / "store")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(f"http://127.0.0.1:{port}/query", process, 90)
    finally:
        process.terminate()
        process.wait(15)
    warning = process.stderr.read()
    assert "warning: listening on 0.0.0.0, not loopback: anyone who can reach this address can query the graph" in warning

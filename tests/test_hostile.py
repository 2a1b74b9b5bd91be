"""Hostile and sloppy input: nothing leaks, nothing is lost, nothing hangs.

Every case is run as an attacker or a careless user would, and checked for its exact exit code and
its one-line message; where the danger is a request to the network, a loopback listener stands
where the query points, and it must receive nothing.
"""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from cybertreaty_kg.adhoc import MAX_NESTING, refuse_unsafe
from cybertreaty_kg.cli import main
from cybertreaty_kg.engines import QueryError, RdflibEngine
from cybertreaty_kg.lexical import decode_escapes, find_keyword, visible
from cybertreaty_kg.remote import Http, RemoteError

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


# --- the HTTP client: http(s) only, credentials to their origin only, bounded answers ---------

class Stub(http.server.BaseHTTPRequestHandler):
    """Answers as ``server.behave(handler)`` says; records each request's path and headers."""

    def log_message(self, *args) -> None:
        pass

    def _any(self) -> None:
        self.server.seen.append((self.command, self.path, dict(self.headers)))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.server.behave(self)

    do_GET = do_POST = do_PUT = _any


def stub(behave) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    server.behave, server.seen, server.daemon_threads = behave, [], True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def answer(body: bytes, media: str = "application/sparql-results+json", status: int = 200, headers: dict | None = None):
    def behave(handler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", media)
        for name, value in ({"Content-Length": str(len(body))} if headers is None else headers).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(body)
    return behave


@pytest.mark.parametrize("endpoint", ["file:///etc/passwd", "ftp://127.0.0.1/query", "localhost:7878/query", "http:///query"])
def test_only_http_endpoints_are_used(capsys, endpoint):
    code, out, err = run(capsys, "query", "run", "instruments", "--endpoint", endpoint)
    assert (code, out) == (2, "") and err == (f"error: {endpoint!r} is not an http:// or https:// URL; give the server's "
                                              "address, e.g. http://localhost:7878/query\n")
    assert "root:" not in err


def basic_guard(then):
    """A server that answers 401 (asking for Basic) until it gets alice's password, then ``then``."""
    import base64

    good = "Basic " + base64.b64encode(b"alice:s3cret").decode()

    def behave(handler) -> None:
        if handler.headers.get("Authorization") != good:
            handler.send_response(401)
            handler.send_header("WWW-Authenticate", 'Basic realm="store"')
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        then(handler)
    return behave


def test_credentials_never_follow_a_redirect_to_another_origin():
    elsewhere, other = stub(basic_guard(answer(b"{}")))
    redirecting, base = stub(basic_guard(lambda h: (h.send_response(307), h.send_header("Location", other + "/query"),
                                                    h.send_header("Content-Length", "0"), h.end_headers())))
    try:
        with pytest.raises(RemoteError, match="HTTP 401"):
            Http(user="alice", password="s3cret", retries=0).request("GET", base + "/query?query=ASK%7B%7D")
        assert any("Authorization" in headers for _, _, headers in redirecting.seen)  # asked, and given
        assert elsewhere.seen and not any("Authorization" in headers for _, _, headers in elsewhere.seen)
        # the same origin keeps them (a server that moves its endpoint within itself)
        inner, inner_base = stub(None)
        inner.behave = basic_guard(lambda h: answer(b"{}")(h) if h.path.startswith("/moved") else
                                   (h.send_response(302), h.send_header("Location", "/moved"),
                                    h.send_header("Content-Length", "0"), h.end_headers()))
        assert Http(user="alice", password="s3cret", retries=0).request("GET", inner_base + "/query") == b"{}"
        inner.shutdown()
    finally:
        for server in (elsewhere, redirecting):
            server.shutdown()


def test_a_server_that_demands_digest_gets_digest():
    """As Virtuoso's authenticated Graph Store does: the stub checks the RFC 7616 response (MD5,
    qop=auth) computed from the password, which itself never travels."""
    import hashlib
    import re as regex

    def md5(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    def behave(handler) -> None:
        header = handler.headers.get("Authorization") or ""
        fields = dict(regex.findall(r'(\w+)="?([^",]*)"?', header[len("Digest "):])) if header.startswith("Digest ") else {}
        if fields:
            ha1, ha2 = md5("alice:store:s3cret"), md5(f"{handler.command}:{fields.get('uri')}")
            expected = md5(f"{ha1}:{fields.get('nonce')}:{fields.get('nc')}:{fields.get('cnonce')}:{fields.get('qop')}:{ha2}")
            if fields.get("response") == expected and fields.get("username") == "alice":
                answer(b'{"boolean": true}')(handler)
                return
        handler.send_response(401)
        handler.send_header("WWW-Authenticate", 'Digest realm="store", nonce="abc123", qop="auth", algorithm="MD5"')
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    server, base = stub(behave)
    try:
        assert Http(user="alice", password="s3cret", retries=0).request("GET", base + "/sparql?query=ASK%7B%7D") == b'{"boolean": true}'
        assert not any("s3cret" in str(headers) for _, _, headers in server.seen)
        with pytest.raises(RemoteError, match=r"wrong user or password.*Digest authentication tried\)$"):
            Http(user="alice", password="wrong", retries=0).request("GET", base + "/sparql?query=ASK%7B%7D")
        with pytest.raises(RemoteError, match=r"the server wants credentials \(scheme: Digest\); give --user and --password-env$"):
            Http(retries=0).request("GET", base + "/sparql")
    finally:
        server.shutdown()


def test_a_deterministic_error_is_not_retried_and_time_is_bounded_in_all():
    failing, base = stub(answer(b"broken", media="text/plain", status=500))
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts connections, never answers
    try:
        with pytest.raises(RemoteError, match=r"HTTP 500 Internal Server Error: broken$"):
            Http(retries=3, sleep=lambda _: None).request("GET", base + "/query")
        assert len(failing.seen) == 1
        with pytest.raises(RemoteError, match=r"no answer within 2 s \(timed out\)$"):  # one bound for all the tries
            Http(retries=3, timeout=2).request("GET", f"http://127.0.0.1:{silent.getsockname()[1]}/query")
    finally:
        failing.shutdown()
        silent.close()


@pytest.mark.parametrize("target, message", [
    ("ftp://127.0.0.1/x", r"HTTP 302 redirects to 'ftp://127.0.0.1/x', which is not http\(s\); not followed$"),
    ("file:///etc/passwd", r"HTTP 302 Found - Redirection to url 'file:///etc/passwd' is not allowed$")])
def test_a_redirect_to_another_scheme_is_not_followed(target, message):
    server, base = stub(lambda h: (h.send_response(302), h.send_header("Location", target),
                                   h.send_header("Content-Length", "0"), h.end_headers()))
    try:
        with pytest.raises(RemoteError, match=message):
            Http(retries=0).request("GET", base + "/query")
    finally:
        server.shutdown()


def test_an_answer_that_drips_is_cut_off_at_the_time_limit():
    def drip(handler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.end_headers()
        try:
            for _ in range(60):
                handler.wfile.write(b" ")
                handler.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass
    server, base = stub(drip)
    try:
        with pytest.raises(RemoteError, match=r"the answer took longer than 2 s to arrive; stopped$"):
            Http(retries=0, timeout=2).request("GET", base + "/query")
    finally:
        server.shutdown()


def test_an_answer_too_large_is_refused_by_its_length_or_while_read():
    declared, base = stub(answer(b"", headers={"Content-Length": str(5 * 2**30)}))
    streamed, streamed_base = stub(answer(b"x" * (3 * 2**20), headers={}))
    try:
        with pytest.raises(RemoteError, match=rf"the answer is {5 * 2**30} bytes; at most 1048576 are read$"):
            Http(retries=0, max_body=2**20).request("GET", base + "/query")
        with pytest.raises(RemoteError, match=r"the answer is larger than 1048576 bytes; stopped$"):
            Http(retries=0, max_body=2**20).request("GET", streamed_base + "/query")
    finally:
        declared.shutdown()
        streamed.shutdown()


@pytest.mark.parametrize("body, what", [
    (b"[]", "a JSON list, not an object"), (b"{}", "no head.vars list"), (b'{"head": {}}', "no head.vars list"),
    (b'{"head": {"vars": ["x"]}}', "no results.bindings list"),
    (b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": "plain"}]}}', 'a value is not an RDF term: "plain"'),
    (b'{"boolean": "yes"}', "'boolean' is not true or false"),
    (b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": 1}}]}}',
     'a value is not an RDF term: {"type": "uri", "value": 1}'),
])
def test_a_server_answering_otherwise_gets_one_line(capsys, body, what):
    server, base = stub(answer(body))
    try:
        code, out, err = run(capsys, "query", "run", "instruments", "--endpoint", base + "/query")
    finally:
        server.shutdown()
    assert (code, out) == (2, "") and err == f"error: {base}/query: the answer is not SPARQL JSON results ({what})\n"


def test_a_count_that_is_not_a_number_is_one_line(capsys):
    body = json.dumps({"head": {"vars": ["g", "n"]}, "results": {"bindings": [
        {"g": {"type": "uri", "value": "http://example.org/g"}, "n": {"type": "literal", "value": "many"}}]}}).encode()
    server, base = stub(answer(body))
    try:
        code, out, err = run(capsys, "load", "--endpoint", base + "/store")
    finally:
        server.shutdown()
    assert code == 2 and err == f"error: {base}/query: a graph count is not a number: 'many' for http://example.org/g\n"


def test_terminal_escapes_from_a_server_are_not_printed(capsys):
    server, base = stub(answer(b"\x1b[2J\x1b]0;owned\x07 broken", media="text/plain", status=400))
    try:
        code, out, err = run(capsys, "query", "run", "instruments", "--endpoint", base + "/query")
    finally:
        server.shutdown()
    assert code == 2 and "\x1b" not in err and "\x07" not in err and err.endswith("HTTP 400 Bad Request: \\x1b[2J\\x1b]0;owned\\x07 broken\n")


# --- submissions: serialised, never overwritten, placed last, never rewriting a record -------

SIGNATURE = """@prefix ctkg: <https://w3id.org/cybertreaty-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/cybertreaty-kg/id/instrument/uncc/participation/{party}-signature>
    a ctkg:Signature ;
    ctkg:eventDate "2026-07-01"^^xsd:date ;
    ctkg:inRecordSet <https://w3id.org/cybertreaty-kg/id/instrument/uncc/participation> ;
    ctkg:instrument <https://w3id.org/cybertreaty-kg/id/instrument/uncc> ;
    ctkg:party <https://w3id.org/cybertreaty-kg/id/state/{party}> ;
    dcterms:source <https://example.org/treaty-office/{party}> .
"""


def tree(root: Path) -> dict[str, str]:
    """Every file under ``root`` but the temporaries a killed submit may leave (``.*.tmp``,
    never read by the build and removed by the next submit), with its hash."""
    import hashlib

    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*"))
            if p.is_file() and not (p.name.startswith(".") and p.name.endswith(".tmp"))}


def submission(folder: Path, party: str, name: str = "signature.ttl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(SIGNATURE.format(party=party))
    return path


def cli(*argv: str, env: dict | None = None, **kwargs) -> subprocess.Popen:
    import os

    return subprocess.Popen([sys.executable, "-m", "cybertreaty_kg", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **(env or {})}, **kwargs)


def test_two_submits_of_the_same_name_at_once_both_land(sources, tmp_path):
    """Both start together; the second waits for the first's lock, sees its file, and takes the
    next free name: two records, two files, nothing overwritten."""
    first, second = submission(tmp_path / "a", "MNG"), submission(tmp_path / "b", "BTN")
    running = [cli("--sources", str(sources), "submit", str(path)) for path in (first, second)]
    outcomes = [process.communicate(timeout=300) for process in running]
    assert [p.returncode for p in running] == [0, 0], outcomes
    folder = sources / "data" / "submissions"
    assert sorted(p.name for p in folder.glob("*.ttl")) == ["signature-2.ttl", "signature.ttl"]
    texts = "".join(p.read_text() for p in folder.glob("*.ttl"))
    assert "MNG-signature" in texts and "BTN-signature" in texts
    assert main(["--sources", str(sources), "check"]) == 0


@pytest.mark.parametrize("step", ["validated", "staged", "rebuilt"])
def test_a_submit_killed_before_it_places_its_file_changes_nothing(sources, tmp_path, step):
    import signal

    before = tree(sources)
    process = cli("--sources", str(sources), "submit", str(submission(tmp_path, "MNG")), env={"CTKG_SUBMIT_PAUSE_AT": step})
    assert process.stderr.readline() == f"paused at {step}\n"
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    assert tree(sources) == before
    assert main(["--sources", str(sources), "check"]) == 0  # the build reads no temporary
    # the next submit cleans what the killed one left, and lands
    assert main(["--sources", str(sources), "submit", str(submission(tmp_path / "again", "BTN"))]) == 0
    assert not list((sources / "data" / "submissions").glob(".*.tmp"))


def test_a_submit_killed_once_its_file_is_placed_leaves_it_whole(sources, tmp_path):
    import signal

    process = cli("--sources", str(sources), "submit", str(submission(tmp_path, "MNG")), env={"CTKG_SUBMIT_PAUSE_AT": "placed"})
    assert process.stderr.readline() == "paused at placed\n"
    process.send_signal(signal.SIGTERM)
    process.wait(30)
    placed = sources / "data" / "submissions" / "signature.ttl"
    assert "MNG-signature" in placed.read_text() and main(["--sources", str(sources), "check"]) == 0


def test_a_file_the_rebuild_rejects_is_never_placed(sources, tmp_path, capsys):
    """Records the shapes accept but a build rule refuses (a subject outside our namespaces,
    which the hygiene rules find on the rebuilt graph)."""
    before = tree(sources)
    path = tmp_path / "stray.ttl"
    path.write_text(SIGNATURE.format(party="MNG") + '\n<http://example.org/x> <http://www.w3.org/2000/01/rdf-schema#label> "x"@en .\n')
    code = main(["--sources", str(sources), "submit", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and "the graph does not build with the submission" in err and "[iri-outside-namespaces]" in err
    assert tree(sources) == before and not list((sources / "data").rglob(".*.tmp"))


@pytest.mark.parametrize("triple, message", [
    ("inst:uncc ctkg:entryIntoForceDate \"2000-01-01\"^^xsd:date .",
     "inst:uncc is a record of data/instruments/uncc.ttl; a submission adds records, it does not change them "
     "(here: ctkg:entryIntoForceDate '2000-01-01')"),
    ("uncc-art:7 ctkg:heading \"Unlawful access\"@en .",
     "uncc-art:7 is a record of data/instruments/uncc.ttl; a submission adds records, it does not change them "
     "(here: ctkg:heading 'Unlawful access')"),
    ("<https://w3id.org/cybertreaty-kg/id/instrument/uncc/participation/FRA-signature> ctkg:eventDate \"2025-10-20\"^^xsd:date .",
     "is a record of data/parties/uncc.tsv; a submission adds records, it does not change them (here: ctkg:eventDate '2025-10-20')"),
])
def test_a_submission_does_not_rewrite_a_record(sources, tmp_path, capsys, triple, message):
    path = tmp_path / "rewrite.ttl"
    path.write_text("@prefix ctkg: <https://w3id.org/cybertreaty-kg/ontology#> .\n"
                    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
                    "@prefix inst: <https://w3id.org/cybertreaty-kg/id/instrument/> .\n"
                    "@prefix uncc-art: <https://w3id.org/cybertreaty-kg/id/instrument/uncc/art/> .\n\n" + triple + "\n")
    before = tree(sources)
    code = main(["--sources", str(sources), "submit", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and message in err and "edit data/" in err and "--allow-rewrite" in err and len(err.splitlines()) == 1
    assert tree(sources) == before


@pytest.mark.parametrize("argv", [
    ["sparql", "ASK {}", "--store", "{sources}/data/instruments"],
    ["submit", "{file}", "--store", "{sources}/data/parties"],
    ["sparql", "ASK {}", "--store", "{sources}/queries/store"],
])
def test_a_store_inside_a_source_folder_is_refused(sources, tmp_path, capsys, argv):
    path = submission(tmp_path, "MNG")
    before = tree(sources)
    code = main(["--sources", str(sources), *[a.replace("{sources}", str(sources)).replace("{file}", str(path)) for a in argv]])
    err = capsys.readouterr().err
    assert code == 2 and "that is inside the source folder" in err and tree(sources) == before


def test_a_store_in_a_folder_of_other_files_is_refused(tmp_path, capsys):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("x")
    code = main(["sparql", "ASK {}", "--store", str(tmp_path / "notes")])
    assert code == 2 and capsys.readouterr().err == (
        f"error: --store {tmp_path / 'notes'}: that folder holds other files and is not an Oxigraph store; give a new path "
        "or an existing store\n")


# --- output paths: atomic replace for regular files only --------------------------------------

def test_out_to_dev_stdout_streams_and_leaves_the_link(tmp_path):
    import os

    done = subprocess.run([sys.executable, "-m", "cybertreaty_kg", "timeline", "uncc", "--out", "/dev/stdout"],
                          capture_output=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith(b"<?xml") and b"</svg>" in done.stdout
    assert os.path.islink("/dev/stdout")


def test_out_to_a_device_writes_to_it_and_keeps_the_device(tmp_path):
    import os
    import stat

    assert main(["timeline", "uncc", "--out", "/dev/null"]) == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_out_dash_is_stdout(capsysbinary):
    assert main(["matrix", "--scheme", "offence", "--format", "csv", "--out", "-"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"group,concept,label,")


def test_out_through_a_symlink_replaces_the_file_it_points_to(tmp_path, capsys):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert main(["matrix", "--scheme", "offence", "--format", "csv", "--out", str(link)]) == 0
    assert link.is_symlink() and real.read_text().startswith("group,concept,label,")


@pytest.mark.parametrize("argv", [["matrix", "--scheme", "offence", "--format", "csv", "--out", "{tmp}"],
                                  ["docs", "--out", "{tmp}/file"]])
def test_out_of_the_wrong_kind_is_refused(tmp_path, capsys, argv):
    (tmp_path / "file").write_text("keep")
    code = main([a.replace("{tmp}", str(tmp_path)) for a in argv])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"error: --out {tmp_path}") and (tmp_path / "file").read_text() == "keep"


# --- limits that match the cost, and one line for every error -------------------------------

def bounded(*argv: str, memory: int = 3 * 2**30, seconds: int = 300) -> subprocess.CompletedProcess:
    """The CLI in a child process with an address-space limit and a time limit."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "cybertreaty_kg", *argv], capture_output=True, text=True,
                          timeout=seconds, preexec_fn=limit)


def test_a_file_that_amplifies_stops_at_the_triple_limit(tmp_path):
    path = tmp_path / "amplifying.ttl"
    path.write_text("<https://w3id.org/cybertreaty-kg/id/x> <https://w3id.org/cybertreaty-kg/ontology#p> "
                    + ", ".join(str(i) for i in range(1_100_000)) + " .\n")  # 8 MB of Turtle, 1.1M triples
    done = bounded("validate", str(path))
    assert (done.returncode, done.stderr) == (2, "error: amplifying.ttl: more than 1000000 triples; split the file or raise --max-triples\n")
    small = tmp_path / "small.ttl"
    small.write_text("<https://w3id.org/cybertreaty-kg/id/x> <https://w3id.org/cybertreaty-kg/ontology#p> 1, 2, 3 .\n")
    done = bounded("validate", str(small), "--max-triples", "2")
    assert (done.returncode, done.stderr) == (2, "error: small.ttl: more than 2 triples; split the file or raise --max-triples\n")


@pytest.mark.parametrize("size, message", [
    (2 * 2**20, "a literal of 2097152 characters; at most 1048576 are taken"),
    (17 * 2**20, "a term (a literal or an IRI) too large for the parser; at most 1048576 characters are taken per literal"),
])
def test_a_huge_literal_is_refused_in_one_line(tmp_path, size, message):
    path = tmp_path / "huge.ttl"
    path.write_text('<https://w3id.org/cybertreaty-kg/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "' + "x" * size + '" .\n')
    done = bounded("validate", str(path))
    assert done.returncode == 2 and done.stderr.startswith("error: huge.ttl") and message in done.stderr
    assert len(done.stderr.splitlines()) == 1


def _records(count: int) -> list[dict]:
    ctkg = "https://w3id.org/cybertreaty-kg/ontology#"
    return [{"@id": f"https://w3id.org/cybertreaty-kg/id/instrument/uncc/participation/T{i:05d}-signature",
             "@type": ctkg + "Signature", ctkg + "party": {"@id": "https://w3id.org/cybertreaty-kg/id/state/MNG"}}
            for i in range(count)]


def test_locating_records_is_linear_for_indented_turtle_and_json_ld(dataset, tmp_path):
    """1500 indented subjects (over 300 s before) and 2000 JSON-LD records (174 s before): each
    result still carries its line, found by one pass over the file."""
    from cybertreaty_kg.validate import validate

    turtle = tmp_path / "indented.ttl"
    turtle.write_text("@prefix ctkg: <https://w3id.org/cybertreaty-kg/ontology#> .\n\n" + "".join(
        f"    <https://w3id.org/cybertreaty-kg/id/instrument/uncc/participation/T{i:05d}-signature> a ctkg:Signature .\n"
        for i in range(1500)))
    jsonld = tmp_path / "records.jsonld"
    jsonld.write_text(json.dumps(_records(2000), indent=1))
    for path, first_line, step in ((turtle, 3, 1), (jsonld, 3, 7)):
        report = validate(dataset, [path])
        lines = {r.focus.rsplit("/T", 1)[1]: r.line for r in report.results}
        assert len(lines) == (1500 if path is turtle else 2000)
        assert lines["00000-signature"] == first_line and lines["00010-signature"] == first_line + 10 * step


def test_a_byte_order_mark_is_accepted(tmp_path, capsys, sources):
    path = tmp_path / "notepad.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + (ROOT / "tests/submissions/valid/new-signature.ttl").read_bytes())
    assert run(capsys, "validate", str(path))[:2] == (0, "conforms: 0 violation(s), 0 warning(s)\n")
    source = sources / "data" / "instruments" / "uncc.ttl"
    source.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    assert main(["--sources", str(sources), "check"]) == 0


def test_file_names_with_spaces_and_percent_signs(sources, tmp_path, capsys):
    path = submission(tmp_path, "MNG", "new signature %zz :x:.ttl")
    assert run(capsys, "validate", str(path))[0] == 0
    code, out, _ = run(capsys, "--sources", str(sources), "submit", str(path))
    assert code == 0 and "new-signature-zz-x.ttl" in out
    code, _, err = run(capsys, "validate", str(tmp_path / "missing :x: [bold red]x.ttl"))
    assert (code, err) == (2, "error: missing :x: [bold red]x.ttl: no such file\n")  # no emoji, no markup


def test_a_submissions_folder_that_cannot_be_written_is_one_line(sources, tmp_path, capsys):
    (sources / "data" / "submissions").write_text("a file where the folder should be")
    code, _, err = run(capsys, "--sources", str(sources), "submit", str(submission(tmp_path, "MNG")))
    assert code == 2 and err.startswith(f"error: {sources / 'data' / 'submissions'}: cannot write there (") and len(err.splitlines()) == 1


@pytest.mark.parametrize("value", ["nan", "inf", "1e300", "-1", "soon"])
def test_a_time_limit_that_is_not_one_is_refused(capsys, value):
    with pytest.raises(SystemExit) as stopped:
        main(["sparql", "ASK {}", "--timeout", value])
    assert stopped.value.code == 2
    assert f"argument --timeout: '{value}' is not a number of seconds from 0 (no limit) to 86400" in capsys.readouterr().err


def test_terminal_escapes_in_values_are_shown_not_obeyed(capsys):
    query = "SELECT ?x WHERE { BIND (\"a\\u001b[2Jb\\u202ec\" AS ?x) }"
    code, out, _ = run(capsys, "sparql", query)
    assert code == 0 and "\x1b" not in out and "\u202e" not in out and "a\\x1b[2Jb\\u202ec" in out
    code, out, _ = run(capsys, "sparql", query, "--format", "json")
    assert code == 0 and json.loads(out)["rows"][0]["x"] == "a\x1b[2Jb\u202ec"  # machines get the value exactly

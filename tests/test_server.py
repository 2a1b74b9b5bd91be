"""Into a real triple store: the Oxigraph server (PyPI package ``oxigraph``) is started by these
tests on a free loopback port in a temporary folder; nothing is assumed to be running. Failures a
real server will not produce on demand (HTTP 500 on one graph, 401) come from a small proxy in
front of it or a stub."""

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
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from cybertreaty_kg import __version__, queries
from cybertreaty_kg.cli import main
from cybertreaty_kg.engines import OxigraphEngine
from cybertreaty_kg.export import VOID_GRAPH, describe
from cybertreaty_kg.load import server_counts
from cybertreaty_kg.remote import Http, RemoteEngine
from cybertreaty_kg.serve import server_binary

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen | None = None, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {process.stdout.read() if process.stdout else ''}")
        try:
            urllib.request.urlopen(url + "?query=" + urllib.parse.quote("ASK {}"), timeout=2).read()
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty, writable Oxigraph server; its base URL."""
    port = free_port()
    process = subprocess.Popen([server_binary(), "serve", "--location", str(tmp_path / "oxigraph"), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query", process)
        yield base
    finally:
        process.terminate()
        process.wait(10)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def loaded(counts: dict[str, int]) -> dict[str, int]:
    """Server counts without the VoID graph, which `load` adds to the build's graphs."""
    return {g: n for g, n in counts.items() if g != VOID_GRAPH}


def test_load_puts_every_graph_and_the_counts_match(server, dataset, capsys):
    code, out, _ = run(capsys, "load", "--endpoint", server + "/store", "--replace")
    assert code == 0, out
    graphs = len(dataset.counts) + 1
    assert f"{graphs} of {graphs} named graphs verified" in out
    counts = server_counts(server + "/query", Http())
    assert loaded(counts) == dataset.counts and counts[VOID_GRAPH] == len(set(describe(dataset, __version__)))
    code, out, _ = run(capsys, "load", "--endpoint", server + "/store", "--replace", "--format", "json")  # idempotent
    assert code == 0 and server_counts(server + "/query", Http()) == counts
    document = json.loads(out)
    assert document["verified"] == graphs and {g["named_graph"]: int(g["server"]) for g in document["graphs"]} == counts
    code, out, _ = run(capsys, "load", "--endpoint", server + "/store", "--replace", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == "named_graph,local,server,status" and len(out.splitlines()) == graphs + 1


def test_void_graph_tells_a_store_user_the_layout(server, capsys):
    assert run(capsys, "load", "--endpoint", server + "/store", "--replace")[0] == 0
    rows = RemoteEngine(server + "/query", [VOID_GRAPH]).run(
        "SELECT ?title ?root ?n WHERE { ?g dcterms:title ?title ; void:rootResource ?root ; void:triples ?n "
        "FILTER (?g = <https://w3id.org/cybertreaty-kg/graph/data/instruments/uncc>) }").rows
    assert [(t.value, r.value) for t, r, _ in rows] == [
        ("Instrument 'uncc': its structure, articles and what each addresses", "https://w3id.org/cybertreaty-kg/id/instrument/uncc")]


def test_adding_twice_is_reported_where_blank_nodes_double(server, dataset, capsys):
    assert run(capsys, "load", "--endpoint", server + "/store")[0] == 0
    code, out, _ = run(capsys, "load", "--endpoint", server + "/store")
    counts = server_counts(server + "/query", Http())
    differing = {g for g in dataset.counts if counts[g] != dataset.counts[g]}
    # POST adds: exactly the graphs holding blank nodes grow, by their blank-node triples
    with_blank_nodes = {g for g in dataset.counts if any(
        isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
        for q in dataset.store.quads_for_pattern(None, None, None, ox.NamedNode(g)))}
    assert code == 1 and differing == with_blank_nodes and "load with --replace" in out


def test_update_endpoint_fallback(server, dataset, capsys):
    code, out, _ = run(capsys, "load", "--update-endpoint", server + "/update", "--replace")
    assert code == 0, out
    assert loaded(server_counts(server + "/query", Http())) == dataset.counts


def test_saved_queries_give_the_same_rows_remotely(server, dataset, capsys):
    assert run(capsys, "load", "--endpoint", server + "/store", "--replace")[0] == 0
    remote = RemoteEngine(server + "/query", sorted(dataset.counts))
    local = OxigraphEngine(dataset.store)
    for name, query in queries.catalogue().items():
        assert queries.run(query, query.example_params, remote).rows == queries.run(query, query.example_params, local).rows, name
    code, out, _ = run(capsys, "query", "run", "offence-diff", "--param", "a=budapest", "--param", "b=uncc",
                       "--endpoint", server + "/query", "--format", "csv")
    assert code == 0 and out == "offence,a_articles,b_status,a_not_verified\ncopyright-infringement,10,not addressed,\n"


def test_serve_answers_queries_and_refuses_updates(tmp_path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "cybertreaty_kg", "serve", "--port", str(port), "--store", str(tmp_path / "store")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/query", process, 60)
        request = urllib.request.Request(base + "/query", data=urllib.parse.urlencode(
            {"query": "SELECT ?id WHERE { ?i <https://w3id.org/cybertreaty-kg/ontology#identifier> ?id } ORDER BY ?id"}).encode(),
            headers={"Accept": "application/sparql-results+json"})
        ids = [b["id"]["value"] for b in json.load(urllib.request.urlopen(request, timeout=10))["results"]["bindings"]]
        assert ids[:2] == ["arab", "budapest"] and "uncc" in ids
        update = urllib.request.Request(base + "/update", data=b"DROP ALL", headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=10)
        assert refused.value.code in (403, 404, 405)
        assert len(json.load(urllib.request.urlopen(request, timeout=10))["results"]["bindings"]) == len(ids)
    finally:
        process.terminate()
        process.wait(10)
    assert "SPARQL endpoint: http://127.0.0.1:" in process.stdout.read()


class Stub(http.server.BaseHTTPRequestHandler):
    """Answers every request with the status of the server it belongs to."""

    def _answer(self) -> None:
        self.send_response(self.server.status)
        self.send_header("Content-Type", "text/plain")
        if self.server.status == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="store"')
        self.end_headers()
        self.wfile.write(b"stub says no")

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args) -> None:
        pass


class Proxy(http.server.BaseHTTPRequestHandler):
    """Forwards to the real server, except that a PUT for one graph gets HTTP 500."""

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self.command == "PUT" and self.server.failing in urllib.parse.unquote(self.path):
            self.send_response(500)
            self.end_headers()
            self.wfile.write(b"disk full")
            return
        headers = {k: v for k, v in self.headers.items() if k.lower() in ("content-type", "accept")}
        request = urllib.request.Request(self.server.target + self.path, data=body, method=self.command, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload, kind = response.status, response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as error:
            status, payload, kind = error.code, error.read(), "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = _forward

    def log_message(self, *args) -> None:
        pass


def start(handler, **attributes) -> tuple[http.server.ThreadingHTTPServer, str]:
    stub = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    for name, value in attributes.items():
        setattr(stub, name, value)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    return stub, f"http://127.0.0.1:{stub.server_address[1]}"


def test_server_down_is_a_clear_error(capsys):
    code, out, err = run(capsys, "load", "--endpoint", f"http://127.0.0.1:{free_port()}/store", "--replace")
    assert code == 2 and "Connection refused" in err and "tried 4 times" in err and err.count("\n") == 1


def test_http_500_everywhere_is_a_clear_error(capsys):
    stub, base = start(Stub, status=500)
    try:
        code, out, err = run(capsys, "load", "--endpoint", base + "/store", "--replace")
    finally:
        stub.shutdown()
    assert code == 2 and "HTTP 500" in err and "stub says no" in err


def test_wrong_credentials(capsys, monkeypatch):
    stub, base = start(Stub, status=401)
    monkeypatch.setenv("KG_PASSWORD", "wrong")
    try:
        code, out, err = run(capsys, "load", "--endpoint", base + "/store", "--user", "me", "--password-env", "KG_PASSWORD")
        remote = run(capsys, "query", "run", "instruments", "--endpoint", base + "/query", "--user", "me", "--password-env", "KG_PASSWORD")
    finally:
        stub.shutdown()
    assert code == 2 and "HTTP 401" in err and "wrong user or password" in err
    assert remote[0] == 2 and "wrong user or password" in remote[2]
    monkeypatch.delenv("KG_PASSWORD")
    assert run(capsys, "load", "--endpoint", base + "/store", "--user", "me", "--password-env", "KG_PASSWORD")[0] == 2


def test_a_graph_that_fails_is_reported_and_the_others_still_load(server, dataset, capsys):
    failing = "https://w3id.org/cybertreaty-kg/graph/data/instruments/uncc"
    proxy, base = start(Proxy, target=server, failing=failing)
    try:
        code, out, err = run(capsys, "load", "--endpoint", base + "/store", "--replace")
    finally:
        proxy.shutdown()
    assert code == 1
    assert "HTTP 500" in out and f"{len(dataset.counts)} of {len(dataset.counts) + 1} named graphs verified" in out
    counts = server_counts(server + "/query", Http())
    assert failing not in counts and all(counts[g] == n for g, n in dataset.counts.items() if g != failing)


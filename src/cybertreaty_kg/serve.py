"""Serve the graph on this machine: a read-only SPARQL endpoint, a query page, and a page for
every IRI with content negotiation, as a linked-data publisher would at the ``w3id.org`` IRIs.

Two processes, one address. The SPARQL work is the Oxigraph server's (PyPI package ``oxigraph``,
the ``server`` extra): ``serve-read-only`` on an on-disk store built from the sources on first use
(the store that ``--store`` gives the query commands), with the union of the named graphs as
default graph and its query time limit; it listens on a private loopback port. In front of it, a
small HTTP server of ours (the standard library's) answers on the address users are given:

- ``/query`` (GET or POST, SPARQL 1.1 Protocol): the query is checked by
  :func:`adhoc.refuse_unsafe` (no update, no SERVICE: the Oxigraph server would otherwise fetch
  any URL a query names) and passed to Oxigraph, its answer passed back unchanged;
- ``/update`` and ``/store``: refused (403), the endpoint is read-only;
- ``/`` : a query page of ours, predeclared prefixes and example queries filled in, no script
  from elsewhere (``/?query=…`` opens with that query and runs it: a link to share an answer);
- ``/id/…`` : the IRI's path. Without a suffix it is the thing itself, and the answer is
  303 See Other to its page ``.html`` (browsers), ``.ttl`` (``Accept: text/turtle``) or
  ``.jsonld`` (``Accept: application/ld+json``), which :class:`pages.Site` renders from the
  store on each request (the same pages ``docs`` writes).

Stopping the command (Ctrl-C, SIGTERM) stops both; the Oxigraph process is also told to end if
this one dies without cleaning up (Linux's parent-death signal).
"""

from __future__ import annotations

import ctypes
import gc
import html
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from . import queries
from .adhoc import QueryRefused, refuse_unsafe
from .engines import OxigraphEngine, open_store
from .errors import CtkgError
from .namespaces import BASE, query_prefixes
from .pages import MEDIA_TYPES, Site

DEFAULT_PORT = 7878
LOOPBACK = ("127.0.0.1", "::1", "localhost")
_BODY_LIMIT = 1 << 20  # a query larger than 1 MiB is not a query a person wrote


def server_binary() -> str:
    """The ``oxigraph`` executable: beside this Python (a virtual environment) or on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        raise CtkgError("the Oxigraph server is not installed; install it with: pip install 'cybertreaty-kg[server]'")
    return found


def server_command(store: Path, bind: str, port: int, timeout: int = 30) -> list[str]:
    return [server_binary(), "serve-read-only", "--location", str(store), "--bind", f"{bind}:{port}",
            "--union-default-graph", "--timeout-s", str(timeout)]


def negotiate(accept: str | None) -> str:
    """The suffix of the document to send for an ``Accept`` header: Turtle or JSON-LD where the
    client prefers it, the page otherwise (browsers send ``text/html``, curl ``*/*``)."""
    wanted = {"text/turtle": "ttl", "application/x-turtle": "ttl", "application/ld+json": "jsonld",
              "application/json": "jsonld", "text/html": "html", "application/xhtml+xml": "html"}
    best, best_q = "html", 0.0
    for order, item in enumerate((accept or "").split(",")):
        media, *parameters = [part.strip() for part in item.split(";")]
        quality = 1.0
        for parameter in parameters:
            if parameter.startswith("q="):
                try:
                    quality = float(parameter[2:])
                except ValueError:
                    quality = 0.0
        suffix = wanted.get(media.lower())
        if suffix and quality > best_q:
            best, best_q = suffix, quality
    return best


def examples() -> list[tuple[str, str]]:
    """(title, query) for the query page: three first questions, then every saved query that runs
    as it is (no parameter it needs a value for)."""
    first = [
        ("Instruments and their kinds", "SELECT ?instrument ?kind ?title WHERE {\n  ?i ctkg:identifier ?instrument ; a ?class ;"
         " dcterms:title ?title .\n  ?class rdfs:label ?kind .\n} ORDER BY ?instrument"),
        ("Where is the 24/7 network in each instrument?", "SELECT ?instrument ?citation ?heading WHERE {\n"
         "  ?article ctkg:addresses cooperation:network-24-7 ; ctkg:inInstrument/ctkg:identifier ?instrument ;\n"
         "           ctkg:citation ?citation .\n  OPTIONAL { ?article ctkg:heading ?heading }\n} ORDER BY ?instrument ?citation"),
        ("UNCC art. 41, paragraph by paragraph", "SELECT ?paragraph ?about WHERE {\n  ?p ctkg:partOf uncc-art:41 ;"
         " ctkg:citation ?paragraph ; ctkg:orderKey ?key .\n  OPTIONAL { ?p dcterms:description ?about }\n} ORDER BY ?key"),
    ]
    saved = [(f"saved query {q.name}: {q.title}", q.sparql) for q in queries.catalogue().values()
             if all(p.default == "all" for p in q.params)]
    return first + saved


def query_page(instrument_ids: list[str], query: str | None = None) -> str:
    """The query page: a text box with our prefixes and an example, a list of examples, and a
    table of the answer (plain JavaScript, nothing fetched from elsewhere)."""
    prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in query_prefixes(instrument_ids).items())
    shown = examples()
    text = query if query is not None else prologue + "\n" + shown[0][1]
    options = "".join(f'<option value="{i}">{html.escape(title)}</option>' for i, (title, _) in enumerate(shown))
    return _PAGE.format(query=html.escape(text), options=options, run="true" if query is not None else "false",
                        examples=html.escape(json.dumps([prologue + "\n" + body for _, body in shown]), quote=False))


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>cybertreaty-kg SPARQL</title>
<style>body{{font-family:sans-serif;max-width:1200px;margin:1.5em auto;padding:0 1em}}
textarea{{width:100%;height:22em;font-family:monospace;font-size:13px}}table{{border-collapse:collapse;margin-top:1em}}
td,th{{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}}th{{background:#f4f4f4}}
#status{{margin:.5em 0;color:#555}}.error{{color:#a00}}</style></head>
<body><h1>cybertreaty-kg: SPARQL</h1>
<p>Read-only endpoint: <code>/query</code> (SPARQL 1.1 Protocol). Every IRI has a page:
<a href="/id/index.html">everything in the graph</a>. The prefixes below are declared for you;
<code>inst:uncc</code>, <code>state:JPN</code>, <code>uncc-art:41</code> need no escaping.</p>
<p><label>Examples: <select id="examples">{options}</select></label></p>
<form id="form"><textarea id="query" name="query" spellcheck="false">{query}</textarea>
<p><button type="submit" id="run">Run</button></p></form>
<div id="status"></div><div id="answer"></div>
<script id="example-data" type="application/json">{examples}</script>
<script>
const examples = JSON.parse(document.getElementById("example-data").textContent);
const box = document.getElementById("query"), status = document.getElementById("status"), answer = document.getElementById("answer");
document.getElementById("examples").addEventListener("change", e => {{ box.value = examples[e.target.value]; }});
function cell(term) {{
  if (!term) return document.createTextNode("");
  if (term.type === "uri") {{
    const a = document.createElement("a"); a.textContent = term.value;
    a.href = term.value.startsWith("https://w3id.org/cybertreaty-kg/id/") ? term.value.replace("https://w3id.org/cybertreaty-kg", "") : term.value;
    return a;
  }}
  return document.createTextNode(term.value);
}}
async function run() {{
  status.textContent = "running…"; status.className = ""; answer.textContent = "";
  const started = performance.now();
  try {{
    const response = await fetch("/query", {{method: "POST", body: new URLSearchParams({{query: box.value}}),
      headers: {{"Accept": "application/sparql-results+json, text/turtle;q=0.9"}}}});
    const type = response.headers.get("Content-Type") || "";
    const body = await response.text();
    if (!response.ok) {{ status.textContent = "error " + response.status + ": " + body; status.className = "error"; return; }}
    if (!type.includes("json")) {{ const pre = document.createElement("pre"); pre.textContent = body; answer.appendChild(pre);
      status.textContent = "done"; return; }}
    const data = JSON.parse(body);
    if ("boolean" in data) {{ status.textContent = "answer: " + data.boolean; return; }}
    const table = document.createElement("table"), head = table.insertRow();
    for (const name of data.head.vars) {{ const th = document.createElement("th"); th.textContent = name; head.appendChild(th); }}
    for (const binding of data.results.bindings) {{
      const row = table.insertRow();
      for (const name of data.head.vars) row.insertCell().appendChild(cell(binding[name]));
    }}
    answer.appendChild(table);
    status.textContent = data.results.bindings.length + " rows in " + Math.round(performance.now() - started) + " ms";
    status.dataset.rows = data.results.bindings.length;
  }} catch (error) {{ status.textContent = "error: " + error; status.className = "error"; }}
}}
document.getElementById("form").addEventListener("submit", e => {{ e.preventDefault(); run(); }});
if ({run}) run();
</script></body></html>
"""


class Front(ThreadingHTTPServer):
    """The server users talk to; ``upstream`` is the Oxigraph server's base URL."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], upstream: str, store: ox.Store) -> None:
        super().__init__(address, Handler)
        self.upstream = upstream
        self.engine = OxigraphEngine(store)
        self.instrument_ids = sorted(p[: -len("-art")] for p in self.engine.prefixes if p.endswith("-art"))
        self._site: Site | None = None
        self._lock = threading.Lock()

    def site(self) -> Site:
        """The site as of today (a server left running shows participation as it stands)."""
        with self._lock:
            if self._site is None or self._site.on != date.today():
                self._site = Site(self.engine, home=("SPARQL query page", "index"))
            return self._site

    def document(self, path: str, suffix: str) -> str | None:
        site = self.site()
        with self._lock:  # the site's caches are filled on first use: one request at a time
            return site.document(path, suffix)

    def exists(self, path: str) -> bool:
        return path.startswith("id/") and self.site().thing(BASE + path) is not None


class Handler(BaseHTTPRequestHandler):
    server: Front
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # one line per request, on stderr
        sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def _send(self, status: int, body: bytes | str, media_type: str = "text/plain; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path in ("/", "/index.html"):
            asked = urllib.parse.parse_qs(url.query).get("query")
            self._send(200, query_page(self.server.instrument_ids, asked[0] if asked else None), MEDIA_TYPES["html"])
        elif url.path == "/query":
            asked = urllib.parse.parse_qs(url.query).get("query")
            if not asked and negotiate(self.headers.get("Accept")) == "html":
                self._send(303, "", headers={"Location": "/"})
            else:
                self._forward(asked[0] if asked else "", None)
        elif url.path.startswith("/id/"):
            self._page(urllib.parse.unquote(url.path[1:]))
        elif url.path in ("/update", "/store") or url.path.startswith("/store/"):
            self._read_only()
        else:
            self._send(404, f"nothing at {url.path}: try / (the query page) or /id/index.html\n")

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path != "/query":
            self._read_only() if url.path in ("/update", "/store") or url.path.startswith("/store/") else \
                self._send(404, f"nothing to POST to at {url.path}; queries go to /query\n")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > _BODY_LIMIT:
            self._send(413, f"a query of {length} bytes is refused (limit {_BODY_LIMIT})\n")
            return
        body = self.rfile.read(length)
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if media == "application/sparql-update" or (media != "application/sparql-query"
                                                     and "update" in urllib.parse.parse_qs(body.decode("utf-8", "replace"))):
            self._read_only()
            return
        if media == "application/sparql-query":
            text = body.decode("utf-8", "replace")
        else:
            text = (urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("query") or [""])[0]
        self._forward(text, body)

    def do_PUT(self) -> None:
        self._read_only()

    def do_DELETE(self) -> None:
        self._read_only()

    def _read_only(self) -> None:
        self._send(403, "this endpoint is read-only: add data with `cybertreaty-kg submit`\n")

    def _forward(self, text: str, body: bytes | None) -> None:
        """Check the query, declare our prefixes for it, then pass the request to Oxigraph and its
        answer back. The prefixes go on the query's first line, so the line numbers of a syntax
        error stay the user's (a query may redeclare any of them)."""
        try:
            refuse_unsafe(text)
        except QueryRefused as error:
            self._send(403, f"{error}\n")
            return
        prologue = " ".join(f"PREFIX {p}: <{iri}>" for p, iri in self.server.engine.prefixes.items()) + " "
        url = self.server.upstream + "/query"
        media = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if body is not None and media == "application/sparql-query":
            body = (prologue + text).encode()
        else:
            form = urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query if body is None
                                          else body.decode("utf-8", "replace"), keep_blank_values=True)
            encoded = urllib.parse.urlencode([(k, prologue + v if k == "query" else v) for k, v in form])
            if body is None:
                url += "?" + encoded
            else:
                body = encoded.encode()
        headers = {name: self.headers[name] for name in ("Accept", "Content-Type") if self.headers.get(name)}
        request = urllib.request.Request(url, data=body, headers=headers, method="GET" if body is None else "POST")
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                status, media, data = answer.status, answer.headers.get("Content-Type", "text/plain"), answer.read()
        except urllib.error.HTTPError as error:
            status, media, data = error.code, error.headers.get("Content-Type", "text/plain"), error.read()
        except OSError as error:
            status, media, data = 502, "text/plain; charset=utf-8", f"the SPARQL server did not answer: {error}\n".encode()
        self._send(status, data, media)

    def _page(self, path: str) -> None:
        stem, dot, suffix = path.rpartition(".")
        if dot and "/" not in suffix and suffix in MEDIA_TYPES:
            text = self.server.document(stem, suffix)
            if text is None:
                self._send(404, f"no page /{path}: the graph has no such IRI\n")
            else:
                self._send(200, text, MEDIA_TYPES[suffix], {"Vary": "Accept"})
            return
        if path == "id" or path == "id/":
            self._send(303, "", headers={"Location": "/id/index.html"})
            return
        suffix = negotiate(self.headers.get("Accept"))
        if not self.server.exists(path):
            self._send(404, f"no thing /{path} in the graph; /id/index.html lists them all\n")
            return
        self._send(303, "", headers={"Location": f"/{path}.{suffix}", "Vary": "Accept"})


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """In the Oxigraph child: end when the parent ends, however it ends (Linux only)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def serve(store: Path, bind: str = "127.0.0.1", port: int = DEFAULT_PORT, sources: Path | None = None,
          announce=print, warn=print) -> None:
    """Build the store if needed, start Oxigraph behind our front, serve until stopped."""
    command = server_command(store, "127.0.0.1", _free_port())
    opened = open_store(store, sources)
    del opened
    gc.collect()  # close the store: Oxigraph opens it, read-only, beside our own read-only handle
    upstream = "http://" + command[command.index("--bind") + 1]
    log = tempfile.TemporaryFile()  # Oxigraph's messages, read only if it stops at start
    oxigraph = subprocess.Popen(command, stdout=log, stderr=log, preexec_fn=_die_with_parent)
    try:
        _wait_for(upstream, oxigraph, log)
        try:
            front = Front((bind, port), upstream, ox.Store.read_only(str(store)))
        except OSError as error:
            raise CtkgError(f"cannot listen on {bind}:{port}: {error.strerror or error}") from None
        signal.signal(signal.SIGTERM, _stop)
        base = f"http://{bind}:{port}"
        if bind not in LOOPBACK:
            warn(f"warning: listening on {bind}, not loopback: anyone who can reach this address can query the graph")
        announce(f"SPARQL endpoint: {base}/query (read-only; the query page is {base}/; a page for every IRI: {base}/id/index.html)")
        announce(f"try: curl -H 'Accept: text/turtle' -L {base}/id/instrument/uncc")
        sys.stdout.flush()
        try:
            front.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            front.server_close()
    finally:
        oxigraph.terminate()
        try:
            oxigraph.wait(10)
        except subprocess.TimeoutExpired:
            oxigraph.kill()
        log.close()


def _stop(*_) -> None:
    """SIGTERM: stop serving as Ctrl-C does, so that the Oxigraph process is stopped too."""
    raise KeyboardInterrupt


def _wait_for(upstream: str, process: subprocess.Popen, log, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            said = log.read().decode(errors="replace").strip().splitlines()
            raise CtkgError(f"the Oxigraph server stopped at start: {said[-1][:300] if said else 'no message'}")
        try:
            urllib.request.urlopen(upstream + "/query?query=ASK%7B%7D", timeout=2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise CtkgError(f"the Oxigraph server did not answer within {seconds:g} s")

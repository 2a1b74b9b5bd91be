"""Talking to a user's SPARQL server over HTTP: a small client with retries, and an engine that
runs queries over the SPARQL 1.1 Protocol so that saved queries give the same rows remotely as on
the embedded store.

Only the standard library is used (``urllib``): the protocols are plain HTTP requests, and a
client library would add a dependency for no gain.
"""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .bindings import with_values
from .dataset import GENERATED_GRAPHS
from .engines import Result, Term, as_ox
from .errors import CtkgError
from .namespaces import XSD, query_prefixes
from .paths import default_root
from .sources import discover


class RemoteError(CtkgError):
    """The server cannot be reached, refuses us, or answers with an error."""


class CredentialsError(RemoteError):
    """HTTP 401 or 403: wrong user or password, or no permission to write."""


MAX_BODY = 256 * 1024 * 1024  # an answer larger than this is not one of ours: the whole graph is a few MB


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) of a URL: where credentials given for it may go."""
    parts = urllib.parse.urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())


def check_url(url: str) -> str:
    """``url`` if it is an http:// or https:// URL with a host; a one-line error otherwise (a
    ``file://`` "endpoint" would read a local file and print it)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"{url!r} is not an http:// or https:// URL; give the server's address, e.g. http://localhost:7878/query")
    return url


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http(s) only, and sends the Authorization header only to the origin
    it was given for: a server that redirects elsewhere never receives the user's password."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urllib.parse.urljoin(req.full_url, newurl)
        if urllib.parse.urlsplit(target).scheme.lower() not in ("http", "https"):
            raise RemoteError(f"{req.full_url}: HTTP {code} redirects to {target!r}, which is not http(s); not followed")
        new = super().redirect_request(req, fp, code, msg, headers, target)
        if new is None:
            return None
        new.remove_header("Authorization")
        credentials = req.unredirected_hdrs.get("Authorization")
        if credentials and origin(target) == origin(req.full_url):  # the same server: still ours to tell
            new.add_unredirected_header("Authorization", credentials)
        return new


_OPENER = urllib.request.build_opener(_SameOriginRedirects())


@dataclass
class Http:
    """HTTP with Basic authentication and retries: a connection failure, a timeout, HTTP 429 or
    a 5xx answer is retried after 0.5, 1, 2 … seconds; any other error is final. Each attempt is
    bounded: ``timeout`` seconds in all (a server that drips its answer is cut off) and
    ``max_body`` bytes."""

    user: str | None = None
    password: str | None = None
    retries: int = 3
    backoff: float = 0.5
    timeout: float = 120.0
    max_body: int = MAX_BODY
    sleep: Callable[[float], None] = time.sleep

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
        check_url(url)
        request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
        if self.user is not None:  # unredirected: urllib does not copy it onto a redirect
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            request.add_unredirected_header("Authorization", f"Basic {token}")
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                return self._once(request)
            except urllib.error.HTTPError as error:
                detail = _snippet(error.read(4096))
                if error.code in (401, 403):
                    raise CredentialsError(f"{url}: HTTP {error.code} {_clean(str(error.reason))}: wrong user or password, or no "
                                           "permission for this operation (--user, --password-env)") from None
                problem = f"HTTP {error.code} {_clean(str(error.reason))}" + (f": {detail}" if detail else "")
                if error.code != 429 and error.code < 500:
                    raise RemoteError(f"{url}: {problem}") from None
            except (urllib.error.URLError, OSError) as error:
                problem = _clean(str(getattr(error, "reason", error)))
        raise RemoteError(f"{url}: {problem} (tried {self.retries + 1} times)")

    def _once(self, request: urllib.request.Request) -> bytes:
        """One attempt, read in pieces against the deadline and the size bound."""
        deadline = time.monotonic() + self.timeout
        with _OPENER.open(request, timeout=self.timeout) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > self.max_body:
                raise RemoteError(f"{request.full_url}: the answer is {int(length)} bytes; at most {self.max_body} are read")
            pieces, size = [], 0
            while True:
                if time.monotonic() > deadline:
                    raise RemoteError(f"{request.full_url}: the answer took longer than {self.timeout:g} s to arrive; stopped")
                piece = response.read1(65536)
                if not piece:
                    return b"".join(pieces)
                size += len(piece)
                if size > self.max_body:
                    raise RemoteError(f"{request.full_url}: the answer is larger than {self.max_body} bytes; stopped")
                pieces.append(piece)


def _clean(text: str) -> str:
    """Text from a server, safe to print: no control characters (terminal escapes), one line."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _snippet(body: bytes) -> str:
    return _clean(body.decode("utf-8", "replace"))[:200]


def _term(cell: dict | None) -> Term | None:
    if cell is None:
        return None
    kind = cell["type"]
    if kind == "uri":
        return Term("iri", cell["value"])
    if kind == "bnode":
        return Term("bnode", cell["value"])
    if "xml:lang" in cell:
        return Term("literal", cell["value"], None, cell["xml:lang"])
    return Term("literal", cell["value"], cell.get("datatype", XSD + "string"))


class RemoteEngine:
    """Runs queries on a SPARQL 1.1 Protocol endpoint. The dataset is given explicitly: the named
    graphs of the build are sent as ``default-graph-uri`` (so the default graph is their merge, as
    on the embedded store) and as ``named-graph-uri``; this is the protocol's standard way, so the
    same call works on Oxigraph, Fuseki, GraphDB or any other conforming store."""

    name = "remote"

    def __init__(self, endpoint: str, graphs: Sequence[str], http: Http | None = None) -> None:
        self.endpoint = check_url(endpoint)
        self.graphs = list(graphs)
        self.http = http or Http()

    def run(self, sparql: str, bindings: dict[str, Term] | None = None) -> Result:
        prologue = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in query_prefixes().items())
        text = prologue + with_values(sparql, as_ox(bindings))
        fields = [("query", text)] + [("default-graph-uri", g) for g in self.graphs] + [("named-graph-uri", g) for g in self.graphs]
        body = self.http.request("POST", self.endpoint, urllib.parse.urlencode(fields).encode(), {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json"})
        try:
            answer = json.loads(body)
        except ValueError:
            raise RemoteError(f"{self.endpoint}: the answer is not SPARQL JSON results: {_snippet(body)}") from None
        return _results(self.endpoint, answer)


def _results(endpoint: str, answer: object) -> Result:
    """A SPARQL 1.1 JSON results document as a :class:`Result`, its shape checked, so that a
    server (or something that is not one) answering otherwise gets a one-line error."""
    def wrong(what: str) -> RemoteError:
        return RemoteError(f"{endpoint}: the answer is not SPARQL JSON results ({what})")

    if not isinstance(answer, dict):
        raise wrong(f"a JSON {type(answer).__name__}, not an object")
    if "boolean" in answer:
        if not isinstance(answer["boolean"], bool):
            raise wrong("'boolean' is not true or false")
        return Result("ask", boolean=answer["boolean"])
    head, results = answer.get("head"), answer.get("results")
    if not isinstance(head, dict) or not isinstance(head.get("vars"), list) or not all(isinstance(v, str) for v in head["vars"]):
        raise wrong("no head.vars list")
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        raise wrong("no results.bindings list")
    columns = head["vars"]
    rows = []
    for row in results["bindings"]:
        if not isinstance(row, dict):
            raise wrong("a binding is not an object")
        for cell in row.values():
            if not isinstance(cell, dict) or cell.get("type") not in ("uri", "literal", "typed-literal", "bnode") \
                    or not isinstance(cell.get("value"), str):
                raise wrong(f"a value is not an RDF term: {_clean(json.dumps(cell))[:100]}")
        rows.append(tuple(_term(row.get(c)) for c in columns))
    return Result("select", columns, rows)



def remote_engine(endpoint: str, root: Path | None = None, http: Http | None = None) -> RemoteEngine:
    """An engine for ``endpoint`` whose dataset is the named graphs a build of ``root`` (default:
    the shipped sources) makes, found from the file names alone, without parsing anything, and
    the graphs the build generates (ISO states, provision structure, derived entries into force)."""
    graphs = sorted({source.graph for source in discover(Path(root or default_root()))} | set(GENERATED_GRAPHS))
    return RemoteEngine(endpoint, graphs, http)

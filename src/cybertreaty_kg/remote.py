"""Talking to a user's SPARQL server over HTTP: a small client with retries, and an engine that
runs queries over the SPARQL 1.1 Protocol so that saved queries give the same rows remotely as on
the embedded store.

Only the standard library is used (``urllib``): the protocols are plain HTTP requests, and a
client library would add a dependency for no gain.
"""

from __future__ import annotations

import http.client
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
from .output import printable
from .paths import default_root
from .sources import discover


class RemoteError(CtkgError):
    """The server cannot be reached, refuses us, or answers with an error."""


class CredentialsError(RemoteError):
    """HTTP 401 or 403: wrong user or password, or no permission to write."""


# Virtuoso echoes every default-graph-uri and named-graph-uri of a query as a response header
# (X-SPARQL-default-graph): with the build's graphs (49 today, each sent twice) that is more than
# http.client's limit of 100 headers, a guard against a hostile server, kept in proportion here.
# http.client offers no other way.
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 1000)

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


RETRIED = (429, 502, 503, 504)  # answers that say "try again"; any other error is the server's last word


@dataclass
class Http:
    """HTTP with authentication and retries.

    Credentials are given to the server only when it asks (HTTP 401), in the scheme it asks for
    (Digest, as Virtuoso wants, or Basic), and only for the origin of the URL they were given
    with; once Basic has been accepted it is sent at once on the next requests. A connection
    failure or HTTP 429, 502, 503, 504 is retried after 0.5, 1, 2 … seconds; any other error is
    final (a deterministic 500 is not asked four times). ``timeout`` bounds the whole request,
    retries included (a server that drips its answer is cut off), and ``max_body`` its answer."""

    user: str | None = None
    password: str | None = None
    retries: int = 3
    backoff: float = 0.5
    timeout: float = 120.0
    max_body: int = MAX_BODY
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        self._passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
        self._opener_for: dict[tuple, urllib.request.OpenerDirector] = {}

    def _opener(self, url: str) -> urllib.request.OpenerDirector:
        """An opener whose password manager knows this URL's origin (and no other)."""
        key = origin(url)
        if key not in self._opener_for:
            handlers: list = [_SameOriginRedirects()]
            if self.user is not None:
                scheme, host, port = key
                self._passwords.add_password(None, f"{scheme}://{host}:{port}/", self.user, self.password or "")
                handlers += [urllib.request.HTTPDigestAuthHandler(self._passwords),
                             urllib.request.HTTPBasicAuthHandler(self._passwords)]
            self._opener_for[key] = urllib.request.build_opener(*handlers)
        return self._opener_for[key]

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
        check_url(url)
        deadline = time.monotonic() + self.timeout
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                pause = self.backoff * 2 ** (attempt - 1)
                if time.monotonic() + pause >= deadline:
                    break
                self.sleep(pause)
            request = urllib.request.Request(url, data=body, method=method, headers=dict(headers or {}))
            try:
                return self._once(request, deadline)
            except urllib.error.HTTPError as error:
                detail = _snippet(error.read(4096))
                if error.code in (401, 403):
                    raise CredentialsError(self._refused(url, error)) from None
                problem = f"HTTP {error.code} {_clean(str(error.reason))}" + (f": {detail}" if detail else "")
                if error.code not in RETRIED:
                    raise RemoteError(f"{url}: {problem}") from None
            except ValueError as error:  # urllib's auth handlers: a scheme they do not speak
                raise CredentialsError(f"{url}: the server asks for an authentication scheme that is not supported "
                                       f"({_clean(str(error)).rsplit(': ', 1)[-1]}); Basic and Digest are") from None
            except (urllib.error.URLError, OSError) as error:
                problem = _clean(str(getattr(error, "reason", error)))
            if time.monotonic() >= deadline:
                raise RemoteError(f"{url}: no answer within {self.timeout:g} s ({problem})")
        raise RemoteError(f"{url}: {problem} (tried {attempt + 1} times)")

    def _refused(self, url: str, error: urllib.error.HTTPError) -> str:
        """What a 401 or 403 means here: which scheme the server asked for and which was tried."""
        asked = [c.split()[0] for c in (error.headers.get_all("WWW-Authenticate") or []) if c.strip()]
        schemes = ", ".join(dict.fromkeys(asked)) or "none named"
        if self.user is None:
            return (f"{url}: HTTP {error.code} {_clean(str(error.reason))}: the server wants credentials "
                    f"(scheme: {schemes}); give --user and --password-env")
        tried = "Digest" if any(a.lower() == "digest" for a in asked) else "Basic" if asked else "none (the server named no scheme)"
        return (f"{url}: HTTP {error.code} {_clean(str(error.reason))}: wrong user or password, or no permission for this "
                f"operation (--user, --password-env; {tried} authentication tried)")

    def _once(self, request: urllib.request.Request, deadline: float) -> bytes:
        """One attempt, read in pieces against the deadline and the size bound."""
        remaining = max(deadline - time.monotonic(), 0.001)
        with self._opener(request.full_url).open(request, timeout=remaining) as response:
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
    """Text from a server, safe to print: control characters (terminal escapes) shown, not obeyed
    (:func:`output.printable`), on one line."""
    return " ".join(printable(text).split())


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
    datatype = cell.get("datatype", XSD + "string")
    if datatype == XSD + "boolean" and cell["value"] in ("0", "1"):
        # the same value in its canonical form, as other stores write it (Virtuoso writes 0 and 1)
        return Term("literal", "true" if cell["value"] == "1" else "false", datatype)
    return Term("literal", cell["value"], datatype)


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

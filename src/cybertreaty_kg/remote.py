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


@dataclass
class Http:
    """HTTP with Basic authentication and retries: a connection failure, a timeout, HTTP 429 or
    a 5xx answer is retried after 0.5, 1, 2 … seconds; any other error is final."""

    user: str | None = None
    password: str | None = None
    retries: int = 3
    backoff: float = 0.5
    timeout: float = 120.0
    sleep: Callable[[float], None] = time.sleep

    def request(self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
        headers = dict(headers or {})
        if self.user is not None:
            token = base64.b64encode(f"{self.user}:{self.password or ''}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                with urllib.request.urlopen(urllib.request.Request(url, data=body, method=method, headers=headers),
                                            timeout=self.timeout) as response:
                    return response.read()
            except urllib.error.HTTPError as error:
                detail = _snippet(error.read())
                if error.code in (401, 403):
                    raise CredentialsError(f"{url}: HTTP {error.code} {error.reason}: wrong user or password, or no "
                                           "permission for this operation (--user, --password-env)") from None
                problem = f"HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")
                if error.code != 429 and error.code < 500:
                    raise RemoteError(f"{url}: {problem}") from None
            except (urllib.error.URLError, OSError) as error:
                problem = str(getattr(error, "reason", error))
        raise RemoteError(f"{url}: {problem} (tried {self.retries + 1} times)")


def _snippet(body: bytes) -> str:
    return " ".join(body.decode("utf-8", "replace").split())[:200]


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
        self.endpoint = endpoint
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
        if "boolean" in answer:
            return Result("ask", boolean=bool(answer["boolean"]))
        columns = answer["head"]["vars"]
        return Result("select", columns, [tuple(_term(row.get(c)) for c in columns) for row in answer["results"]["bindings"]])



def remote_engine(endpoint: str, root: Path | None = None, http: Http | None = None) -> RemoteEngine:
    """An engine for ``endpoint`` whose dataset is the named graphs a build of ``root`` (default:
    the shipped sources) makes, found from the file names alone, without parsing anything, and
    the graphs the build generates (ISO states, provision structure, derived entries into force)."""
    graphs = sorted({source.graph for source in discover(Path(root or default_root()))} | set(GENERATED_GRAPHS))
    return RemoteEngine(endpoint, graphs, http)

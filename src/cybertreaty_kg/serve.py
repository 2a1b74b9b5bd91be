"""Serve the graph as a read-only SPARQL endpoint with the Oxigraph server (PyPI package
``oxigraph``, installed with the ``server`` extra), on loopback unless told otherwise.

The server runs on an on-disk store built from the sources on first use (the same store that
``--store`` gives the query commands), read-only, with the union of the named graphs as default
graph, as the embedded engine has it. The command replaces itself with the server process, so
stopping it (Ctrl-C, SIGTERM) stops the server and leaves nothing running.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
from pathlib import Path

from .engines import open_store
from .errors import CtkgError

DEFAULT_PORT = 7878
DEFAULT_STORE = Path("cybertreaty-kg-store")


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


def serve(store: Path, bind: str = "127.0.0.1", port: int = DEFAULT_PORT, sources: Path | None = None,
          announce=print) -> None:
    """Build the store if needed, then become the server (this call does not return)."""
    command = server_command(store, bind, port)
    opened = open_store(store, sources)
    del opened
    gc.collect()  # close the store: the server needs its lock
    base = f"http://{bind}:{port}"
    announce(f"SPARQL endpoint: {base}/query (read-only; the query page is {base}/)")
    announce(f"try: curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT ?id WHERE {{ ?i <https://w3id.org/cybertreaty-kg/ontology#identifier> ?id }}' {base}/query")
    sys.stdout.flush()
    os.execv(command[0], command)

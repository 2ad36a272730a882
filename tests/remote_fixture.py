"""A real Oxigraph server (`oxigraph serve`, from the `oxigraph` PyPI package) on 127.0.0.1,
and a tiny corpus whose triple counts are known by hand. Used by the push and remote-store
tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

PIL = "https://w3id.org/pillars/ontology#"
GRAPH = "https://w3id.org/pillars/graph/"
TINY_TEXT = "Sanctions bite. Both fear the “West”.\n"

# Hand counts: ontology/o.ttl 2 triples; instances/demo/a.ttl 3 triples + the 2 the loader adds
# for text.txt (nif:isString, a nif:Context); instances/shared/s.ttl 1 triple. shapes/ empty.
TINY_COUNTS = {GRAPH + "ontology": 2, GRAPH + "demo": 5, GRAPH + "shared": 1}


def oxigraph_binary() -> str:
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if found is None:
        reason = "the oxigraph CLI is not installed (pip install the dev extras)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def oxigraph_server(*extra: str) -> Iterator[str]:
    """Base URL of a fresh in-memory `oxigraph serve` (read-write), stopped afterwards."""
    port = free_port()
    proc = subprocess.Popen(
        [oxigraph_binary(), "serve", "--bind", f"127.0.0.1:{port}", *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(url + "/query", params={"query": "ASK {}"}, timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("oxigraph serve did not start")
            time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def graph_counts(base: str) -> dict[str, int]:
    """Triples per named graph, asked of the server over SPARQL."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    resp = requests.post(
        base + "/query",
        data={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    resp.raise_for_status()
    rows = resp.json()["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def tiny_corpus(root: Path) -> Path:
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "o.ttl").write_text(
        f"<{PIL}Threat> a <http://www.w3.org/2002/07/owl#Class> ;\n"
        '  <http://www.w3.org/2000/01/rdf-schema#label> "Threat"@en .\n',
        encoding="utf-8",
    )
    demo = root / "instances" / "demo"
    demo.mkdir(parents=True)
    (demo / "a.ttl").write_text(
        "@prefix art: <https://w3id.org/pillars/id/demo/> .\n"
        f"@prefix pil: <{PIL}> .\n"
        'art:threat-sanctions a pil:Threat ; pil:label "sanctions" .\n'
        "art:article a pil:Article .\n",
        encoding="utf-8",
    )
    (demo / "text.txt").write_text(TINY_TEXT, encoding="utf-8")
    shared = root / "instances" / "shared"
    shared.mkdir()
    (shared / "s.ttl").write_text(
        f"<https://w3id.org/pillars/id/actor/iran> a <{PIL}State> .\n", encoding="utf-8"
    )
    return root

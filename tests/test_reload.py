"""`pillars serve --reload`: a changed corpus file is served without a restart, and a file
that does not parse keeps the last good corpus served, with file:line:column in the log."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from conftest import ServerProcess, pillars_command, start_server

REPO = Path(__file__).resolve().parent.parent
SLUG = "iranian-russian-security-convergence"
NEW = "https://w3id.org/pillars/id/iranian-russian-security-convergence/claim-reload-probe"
ASK = f"ASK {{ <{NEW}> ?p ?o }}"


def ask(url: str) -> bool:
    r = requests.get(url + "/sparql", params={"query": ASK}, timeout=5,
                     headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert r.status_code == 200, r.text
    return bool(r.json()["boolean"])


def seconds_until(condition: str, url: str, limit: float) -> float:
    """Seconds until ASK answers `condition` ("true"/"false"), polling; fails past `limit`."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if ask(url) == (condition == "true"):
            return time.monotonic() - started
        time.sleep(0.05)
    pytest.fail(f"ASK did not answer {condition} within {limit} s")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reload-corpus")
    for part in ("ontology", "shapes", "instances", "queries"):
        shutil.copytree(REPO / part, root / part)
    return root


@pytest.fixture(scope="module")
def server(corpus: Path) -> Iterator[ServerProcess]:
    with start_server("--reload", "--root", str(corpus), "--workers", "1") as running:
        yield running


def test_an_added_resource_is_served_within_two_seconds(
    corpus: Path, server: ServerProcess
) -> None:
    assert ask(server.url) is False
    time.sleep(1.0)  # a server just started is still starting the evaluators of the next reload
    extra = corpus / "instances" / SLUG / "reload-probe.ttl"
    extra.write_text(
        "@prefix art: <https://w3id.org/pillars/id/iranian-russian-security-convergence/> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'art:claim-reload-probe rdfs:label "A probe of the reload" .\n',
        encoding="utf-8",
    )
    took = seconds_until("true", server.url, 10)
    assert took < 2.0, [line for line in server.log if "reload:" in line]
    extra.unlink()
    assert seconds_until("false", server.url, 10) < 2.0


def test_a_broken_file_keeps_the_last_good_corpus(corpus: Path, server: ServerProcess) -> None:
    good = corpus / "instances" / SLUG / "reload-probe.ttl"
    good.write_text(
        f'<{NEW}> <http://www.w3.org/2000/01/rdf-schema#label> "probe" .\n', encoding="utf-8"
    )
    seconds_until("true", server.url, 10)
    broken = corpus / "instances" / SLUG / "reload-broken.ttl"
    broken.write_text("<urn:a> <urn:b> .\n", encoding="utf-8")  # an object is missing
    deadline = time.monotonic() + 10
    while not any("reload-broken.ttl:1:" in line for line in server.log):
        assert time.monotonic() < deadline, "".join(server.log[-20:])
        time.sleep(0.05)
    assert ask(server.url) is True, "the last good corpus is still served"
    broken.unlink()
    good.unlink()
    seconds_until("false", server.url, 10)


def test_reload_cannot_watch_a_store(tmp_path: Path) -> None:
    done = subprocess.run(
        [*pillars_command(), "serve", "--reload", "--store", str(tmp_path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "--reload serves the corpus from memory; it cannot watch a --store" in done.stderr

"""Dumps are serialised once to a file and sent from it (ETag, Content-Length, 304, Range).

Regression: /dumps/pillars.trig serialised the whole store into memory on every request.
Expected contents come from pyoxigraph reading the corpus directly.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from conftest import pillars_command, start_server
from flask import Flask
from pages_fixture import HTTP_TIMEOUT, close, serve

from pillars.server.app import create_app
from pillars.server.state import app_state
from pillars.settings import Settings
from pillars.store import memory_store

CLIENTS = 8
SLUG = "iranian-russian-security-convergence"


@pytest.fixture(scope="module")
def reference() -> ox.Store:
    return memory_store(entail=True)  # what `pillars serve` and `pillars load` hold by default


@pytest.fixture()
def app(reference: ox.Store) -> Iterator[Flask]:
    """A fresh app per test: no dump written yet."""
    app = create_app(Settings(evaluators=1, query_timeout=20.0), store=reference)
    yield app
    close(app)


def concurrently(url: str, clients: int = CLIENTS) -> list[requests.Response]:
    """`clients` GETs of `url` released at the same instant."""
    start = threading.Barrier(clients)
    answers: list[requests.Response | BaseException] = [RuntimeError("no answer")] * clients

    def fetch(i: int) -> None:
        start.wait()
        try:
            answers[i] = requests.get(url, timeout=HTTP_TIMEOUT)
        except BaseException as err:  # reported below, not lost in the thread
            answers[i] = err

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(HTTP_TIMEOUT)
    for a in answers:
        if isinstance(a, BaseException):
            raise a
    return [a for a in answers if isinstance(a, requests.Response)]


def ground(quads: Iterable[ox.Quad]) -> set[ox.Quad]:
    return {
        q
        for q in quads
        if not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)
    }


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


@pytest.mark.parametrize(
    ("name", "fmt"), [("pillars.trig", ox.RdfFormat.TRIG), ("pillars.nq", ox.RdfFormat.N_QUADS)]
)
def test_concurrent_first_requests_build_one_file_with_identical_bytes(
    app: Flask, reference: ox.Store, name: str, fmt: ox.RdfFormat
) -> None:
    with serve(app) as base:
        answers = concurrently(f"{base}/dumps/{name}")
    assert [a.status_code for a in answers] == [200] * CLIENTS
    bodies = {a.content for a in answers}
    assert len(bodies) == 1
    body = bodies.pop()
    assert {a.headers["Content-Length"] for a in answers} == {str(len(body))}
    assert len({a.headers["ETag"] for a in answers}) == 1
    assert set(ox.parse(body, format=fmt)) == set(reference)
    cache = app_state(app).dumps()
    assert cache.builds == 1
    assert files(cache.folder) == [name]
    # No half-written temporary file left beside it (the lock files are empty markers).
    assert all(p.stat().st_size == 0 for p in cache.folder.glob(".*"))


def test_a_second_request_is_answered_from_the_file(app: Flask) -> None:
    with serve(app) as base:
        url = f"{base}/dumps/{SLUG}.ttl"
        first = requests.get(url, timeout=HTTP_TIMEOUT)
        assert first.status_code == 200 and first.headers["Content-Type"].startswith("text/turtle")
        cache = app_state(app).dumps()
        path = cache.folder / f"{SLUG}.ttl"
        assert path.read_bytes() == first.content
        written = path.stat()
        again = requests.get(url, timeout=HTTP_TIMEOUT)
        assert again.content == first.content and cache.builds == 1
        assert (path.stat().st_ino, path.stat().st_mtime_ns) == (
            written.st_ino,
            written.st_mtime_ns,
        )
        # What the file holds is what is sent: the store is not serialised again.
        path.write_bytes(b"# read from the file\n")
        from_file = requests.get(url, timeout=HTTP_TIMEOUT)
        assert from_file.content == b"# read from the file\n"
        assert from_file.headers["Content-Length"] == str(len(from_file.content))


def test_conditional_and_range_requests(app: Flask) -> None:
    with serve(app) as base:
        url = f"{base}/dumps/pillars.nq"
        first = requests.get(url, timeout=HTTP_TIMEOUT)
        etag = first.headers["ETag"]
        assert first.headers["Content-Disposition"].startswith("attachment")
        not_modified = requests.get(url, headers={"If-None-Match": etag}, timeout=HTTP_TIMEOUT)
        assert not_modified.status_code == 304 and not_modified.content == b""
        other = requests.get(url, headers={"If-None-Match": '"other"'}, timeout=HTTP_TIMEOUT)
        assert other.status_code == 200 and other.content == first.content
        part = requests.get(url, headers={"Range": "bytes=10-19"}, timeout=HTTP_TIMEOUT)
        assert part.status_code == 206 and part.content == first.content[10:20]
        assert requests.get(f"{base}/dumps/no-such-graph.ttl", timeout=30).status_code == 404


def test_workers_of_one_on_disk_store_share_one_file(tmp_path: Path, reference: ox.Store) -> None:
    store_dir = tmp_path / "store"
    subprocess.run(
        [*pillars_command(), "load", "--store", str(store_dir)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    with start_server("--store", str(store_dir), "--workers", "2", "--evaluators", "1") as server:
        answers = concurrently(f"{server.url}/dumps/pillars.nq", clients=12)
    assert [a.status_code for a in answers] == [200] * 12
    assert len({a.content for a in answers}) == 1
    served = list(ox.parse(answers[0].content, format=ox.RdfFormat.N_QUADS))
    # Blank node labels differ between two loads of the corpus: compare the rest, and counts.
    assert len(served) == len(reference) and ground(served) == ground(reference)
    assert files(store_dir / "pillars-dumps") == ["pillars.nq"]


TEMPORARY_FOLDER = """
from pillars.server.app import create_app
from pillars.server.state import app_state
from pillars.settings import Settings
app = create_app(Settings(evaluators=1))
assert app.test_client().get("/dumps/pillars.nq").status_code == 200
cache = app_state(app).dumps()
assert (cache.folder / "pillars.nq").is_file()
print(cache.folder)
app_state(app).pool.close()
"""


def test_the_temporary_folder_of_an_in_memory_store_is_removed_at_exit() -> None:
    done = subprocess.run(
        [sys.executable, "-c", TEMPORARY_FOLDER],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    folder = Path(done.stdout.strip())
    assert folder.name.startswith("pillars-dumps-") and not folder.exists()

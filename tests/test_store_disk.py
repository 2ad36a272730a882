"""`pillars load --store DIR` then `pillars serve --store DIR`: same answers as in memory.

Also: a broken corpus stops `load` and `serve` with file:line:column, and nothing is served.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from conftest import ServerProcess, pillars_command, start_server

from pillars.namespaces import ONTOLOGY_GRAPH, article_graph
from pillars.store import MARKER, StoreSource

ARTICLE = article_graph("iranian-russian-security-convergence")
QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} "
    "FILTER(!isBlank(?s) && !isBlank(?o)) } ORDER BY ?s ?p ?o LIMIT 300",
    f"ASK {{ GRAPH <{ARTICLE}> {{ ?s ?p ?o }} }}",
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ARTICLE}> {{ ?s ?p ?o }} "
    "FILTER(!isBlank(?s) && !isBlank(?o)) } ORDER BY ?s ?p ?o LIMIT 200",
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*pillars_command(), *args], capture_output=True, text=True, timeout=120, check=False
    )


def answers(url: str) -> list[tuple[int, str, bytes]]:
    out = []
    for q in QUERIES:
        r = requests.get(url + "/sparql", params={"query": q}, timeout=30)
        out.append((r.status_code, r.headers["Content-Type"], r.content))
    return out


def test_reopened_disk_store_gives_identical_answers(live_server: str, disk_store: Path) -> None:
    in_memory = answers(live_server)
    assert all(status == 200 for status, _, _ in in_memory)
    with start_server("--store", str(disk_store)) as server:
        assert answers(server.url) == in_memory
        void = requests.get(server.url + "/.well-known/void", timeout=30).text
        assert void == requests.get(live_server + "/.well-known/void", timeout=30).text.replace(
            live_server, server.url
        )


def test_query_command_reads_the_disk_store(disk_store: Path) -> None:
    from_disk = run("query", "--store", str(disk_store), "--format", "csv", QUERIES[1])
    in_memory = run("query", "--format", "csv", QUERIES[1])
    assert from_disk.returncode == 0, from_disk.stderr
    assert from_disk.stdout == in_memory.stdout
    assert ARTICLE in from_disk.stdout


def test_counts_saved_by_load_match_a_fresh_count(disk_store: Path) -> None:
    source = StoreSource(path=str(disk_store))
    store = source.open()
    saved = source.counts(store)
    assert saved[ARTICLE] > 1000
    counted = StoreSource(nquads=store.dump(format=ox.RdfFormat.N_QUADS))
    assert counted.counts(counted.open()) == saved


def broken_corpus(root: Path) -> Path:
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "a.ttl").write_text(
        "@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e \n", encoding="utf-8"
    )
    return root / "ontology" / "a.ttl"


def test_broken_corpus_stops_load_and_serve(tmp_path: Path) -> None:
    bad = broken_corpus(tmp_path / "corpus")
    store = tmp_path / "db"
    done = run("load", "--store", str(store), "--root", str(tmp_path / "corpus"))
    assert done.returncode == 1
    assert f"{bad}:4:" in done.stderr or f"{bad}:3:" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr
    assert not (store / MARKER).exists()
    served = run("serve", "--port", "0", "--root", str(tmp_path / "corpus"))
    assert served.returncode == 1
    assert str(bad) in served.stderr and "Listening" not in served.stderr


def test_serve_refuses_a_folder_that_is_no_store(tmp_path: Path) -> None:
    done = run("serve", "--port", "0", "--store", str(tmp_path))
    assert done.returncode == 1
    assert "no Pillars store here" in done.stderr


def test_load_will_not_overwrite_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    done = run("load", "--store", str(tmp_path))
    assert done.returncode == 1 and "not a Pillars store" in done.stderr
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_rebuild_swaps_in_and_a_failed_rebuild_keeps_the_old_store(tmp_path: Path) -> None:
    store = tmp_path / "db"
    assert run("load", "--store", str(store)).returncode == 0
    before = StoreSource(path=str(store)).counts(StoreSource(path=str(store)).open())
    assert run("load", "--store", str(store)).returncode == 0  # in place, over the old one
    assert StoreSource(path=str(store)).counts(StoreSource(path=str(store)).open()) == before
    broken_corpus(tmp_path / "corpus")
    failed = run("load", "--store", str(store), "--root", str(tmp_path / "corpus"))
    assert failed.returncode == 1
    assert (store / MARKER).is_file()
    assert StoreSource(path=str(store)).counts(StoreSource(path=str(store)).open()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "db"]  # nothing left over


@pytest.mark.parametrize("how", ["SIGTERM to gunicorn's master", "Ctrl-C to the process group"])
def test_a_disk_store_server_stops_cleanly(disk_store: Path, how: str) -> None:
    """No worker may crash on its way out: one that inherited RocksDB's threads from a master
    that had opened the store aborted at exit ("std::system_error: No such process")."""
    server = ServerProcess(["--store", str(disk_store)])
    url = server.wait_ready()
    assert requests.get(url + "/id/actor/", timeout=30).status_code == 200  # pages read the store
    if how.startswith("SIGTERM"):
        server.proc.send_signal(signal.SIGTERM)
    else:
        os.killpg(server.proc.pid, signal.SIGINT)
    try:
        code = server.proc.wait(30)
    finally:
        server.stop()
    server.drainer.join(10)
    log = "".join(server.log)
    assert code == 0, log[-2000:]
    assert not re.search(r"terminate called|was sent SIG(ABRT|SEGV|KILL)|Traceback", log), log


def test_a_killed_load_leaves_nothing_behind_the_next_load(tmp_path: Path) -> None:
    # Ten kill -9 of `pillars load` left ten temporary folders (issue 17).
    store = tmp_path / "store"
    for _ in range(2):
        command = [*pillars_command(), "load", "--store", str(store)]
        loading = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".store.building-*")) and loading.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        loading.send_signal(signal.SIGKILL)
        loading.wait(10)
    assert list(tmp_path.glob(".store.*-*")), "the killed loads left their folders"
    done = run("load", "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]
    assert (store / MARKER).is_file()


def test_two_loads_of_one_store_do_not_run_at_once(tmp_path: Path) -> None:
    store = tmp_path / "store"
    folder = os.open(tmp_path, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)  # as a running `pillars load` holds it
        done = run("load", "--store", str(store))
    finally:
        os.close(folder)
    assert done.returncode == 1
    assert "another `pillars load` is building a store in this folder" in done.stderr
    assert not store.exists()

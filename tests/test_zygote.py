"""Evaluators forked from one zygote that holds the store (issue 17): replaced by a fork in
milliseconds, the zygote itself replaced if it dies, an on-disk store answered from the disk
and then from memory, and the store_mode / memory_budget settings."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from conftest import ServerProcess, start_server

from pillars.server.memory import Footprint, estimate_mib, footprint, place_store
from pillars.settings import SettingError, Settings
from pillars.store import StoreSource
from tests.test_sparql_live import EVALUATOR, ZYGOTE, alive, processes_named
from tests.test_store_disk import QUERIES, answers, run


def parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def wait_until(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.05)


def ask_ok(url: str) -> None:
    r = requests.get(url + "/sparql", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert r.status_code == 200 and r.json()["boolean"] is True, r.text


def test_evaluators_are_forked_by_the_zygote_and_so_is_a_replacement() -> None:
    with start_server("--workers", "1", "--evaluators", "2") as server:
        before = processes_named(server.proc.pid, EVALUATOR)
        (zygote,) = {parent(p) for p in before}
        assert len(before) == 2 and zygote in processes_named(server.proc.pid, ZYGOTE)
        victim = min(before)
        os.kill(victim, signal.SIGKILL)
        # Two queries at once take both evaluators: the dead one is noticed, not handed a
        # query, and replaced by a fork; every query is answered.
        with ThreadPoolExecutor(2) as pool:
            codes = list(pool.map(lambda i: busy_query(server.url, i).status_code, range(4)))
        assert codes == [200] * 4
        wait_until(
            lambda: len(processes_named(server.proc.pid, EVALUATOR)) == 2, 5, "a replacement"
        )
        after = processes_named(server.proc.pid, EVALUATOR)
        assert victim not in after and {parent(p) for p in after} == {zygote}
        assert any(f"evaluator {victim} ended while idle (exit -9); replaced" in line
                   for line in server.log)  # fmt: skip
        ask_ok(server.url)


def busy_query(url: str, serial: int) -> requests.Response:
    """A query that keeps an evaluator busy for a moment (a join of all triples with the
    typed ones); never the same text, so the result cache cannot answer it."""
    q = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a ?b ?c . ?d a ?f FILTER(?d != <urn:x:{serial}>) }}"
    return requests.get(url + "/sparql", params={"query": q}, timeout=30)


def test_a_killed_zygote_is_replaced_and_the_server_answers_throughout() -> None:
    with start_server("--workers", "1", "--evaluators", "2", "--query-timeout", "3") as server:
        first = processes_named(server.proc.pid, EVALUATOR)
        (zygote,) = {parent(p) for p in first}  # not the reloader's spare, waiting for a corpus
        os.kill(zygote, signal.SIGKILL)
        wait_until(lambda: not alive(zygote), 5, "the zygote ends")
        ask_ok(server.url)  # its evaluators answer on (outside the tree now: orphans)
        # A query past the time limit kills its evaluator; the replacement needs a new zygote.
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        r = requests.post(server.url + "/sparql", data={"query": slow}, timeout=30)
        assert r.status_code == 504, r.text
        wait_until(
            lambda: len(processes_named(server.proc.pid, EVALUATOR)) == 1, 10, "a new evaluator"
        )
        (forked,) = processes_named(server.proc.pid, EVALUATOR)
        assert parent(forked) in processes_named(server.proc.pid, ZYGOTE) - {zygote}
        assert forked not in first
        assert sum(alive(p) for p in first) == 1  # the one that ran the slow query was killed
        ask_ok(server.url)


def test_memory_mode_answers_from_the_disk_then_from_memory(disk_store: Path) -> None:
    reference = run("query", "--store", str(disk_store), "--format", "csv", QUERIES[0])
    assert reference.returncode == 0, reference.stderr
    server = ServerProcess(["--store", str(disk_store), "--store-mode", "memory",
                            "--workers", "1", "--evaluators", "2"])  # fmt: skip
    try:
        server.wait_ready()
        log = lambda: "".join(server.log)  # noqa: E731
        assert (
            "evaluators read the store in memory (store_mode=memory); 1 process(es) of 2" in log()
        )
        first = answers(server.url)
        wait_until(lambda: "store copied into memory" in log(), 60, "the copy into memory")
        # The disk evaluator is retired when it comes back; one from the new zygote answers.
        wait_until(
            lambda: len(processes_named(server.proc.pid, EVALUATOR)) == 1, 10, "one evaluator"
        )
        assert len(processes_named(server.proc.pid, ZYGOTE)) == 1
        assert answers(server.url) == first
        assert all(status == 200 for status, _, _ in first)
        r = requests.get(server.url + "/sparql", params={"query": QUERIES[0]},
                         headers={"Accept": "text/csv"}, timeout=30)  # fmt: skip
        assert r.text.replace("\r\n", "\n").strip() == reference.stdout.strip()
    finally:
        server.stop()


def test_disk_mode_keeps_the_evaluators_on_the_files(disk_store: Path) -> None:
    args = ("--store-mode", "disk", "--workers", "1", "--evaluators", "3")
    with start_server("--store", str(disk_store), *args) as s:
        ask_ok(s.url)
        time.sleep(1.0)
        log = "".join(s.log)
        assert "evaluators read the store on disk (store_mode=disk); 3 process(es) of 1" in log
        assert "copied into memory" not in log


def test_auto_mode_keeps_a_store_over_the_budget_on_disk(disk_store: Path) -> None:
    with start_server("--store", str(disk_store), "--memory-budget", "1", "--workers", "1") as s:
        ask_ok(s.url)
        log = "".join(s.log)
        assert "evaluators read the store on disk (store_mode=auto: " in log
        assert "exceeds memory_budget=1 MiB)" in log


def test_the_estimate_is_the_copy_plus_each_evaluators_share() -> None:
    # 1,000,000 quads at 450 bytes: 429.15 MiB for the zygote's copy; each of 3 evaluator
    # processes may come to own all of it: 4 x 429.15 = 1,716.6 MiB; one process: 858.3.
    assert estimate_mib(1_000_000, 3) == 1717
    assert estimate_mib(1_000_000, 1) == 858
    source = StoreSource(path="/nonexistent")
    one = place_store(Settings(memory_budget=900, evaluators=3), source, 1_000_000)
    assert one.in_memory and "estimated 858 MiB in memory, fits memory_budget=900" in one.reason
    apart = Settings(memory_budget=1700, evaluators=3, evaluator_threads=1)
    assert not place_store(apart, source, 1_000_000).in_memory
    assert place_store(Settings(store_mode="disk"), StoreSource(nquads=b""), 0).in_memory
    assert not place_store(
        Settings(store_mode="memory"), StoreSource(endpoint="http://127.0.0.1:1/"), 0
    ).in_memory


def test_a_store_copied_into_memory_gets_one_process_of_threads_by_default() -> None:
    assert Settings(evaluators=3).evaluator_layout(copied_to_memory=True) == (1, 3)
    assert Settings(evaluators=3).evaluator_layout(copied_to_memory=False) == (3, 1)
    assert Settings(evaluators=3, evaluator_threads=2).evaluator_layout(False) == (2, 2)
    assert Settings(evaluators=2, evaluator_threads=5).evaluator_layout(True) == (1, 2)


def test_store_mode_must_be_known() -> None:
    with pytest.raises(SettingError, match="setting store_mode: one of auto, memory, disk"):
        Settings.from_mapping({"store_mode": "ram"})
    with pytest.raises(SettingError, match="setting memory_budget: must be 0"):
        Settings(memory_budget=-1)
    done = run("serve", "--store-mode", "ram", "--port", "0")
    assert done.returncode != 0 and "store_mode" in done.stderr


def test_footprint_reads_pss_and_uss() -> None:
    mine = footprint(os.getpid())
    assert 0 < mine.uss_kib <= mine.pss_kib <= mine.rss_kib
    assert footprint(2**22 + 1) == Footprint(0, 0, 0)  # no such process


RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
JOIN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d a ?f }"  # about 2 s on the bundled corpus


def test_queries_beside_one_stopped_by_the_time_limit_are_run_again() -> None:
    from pillars.store import memory_store

    reference = memory_store(entail=True)  # what `pillars serve` holds by default
    triples = len(list(reference.quads_for_pattern(None, None, None)))
    typed = len(list(reference.quads_for_pattern(None, RDF_TYPE, None)))
    args = ("--workers", "1", "--evaluators", "2", "--evaluator-threads", "2")  # one process
    with start_server(*args) as server:
        (process,) = processes_named(server.proc.pid, EVALUATOR)
        url = server.url + "/sparql"
        slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

        def stopped() -> requests.Response:
            time.sleep(0.3)  # the join is running on the other thread of the same process
            return requests.get(url, params={"query": slow, "timeout": "1"}, timeout=30)

        with ThreadPoolExecutor(2) as pool:
            joined = pool.submit(
                requests.get, url, params={"query": JOIN}, headers={"Accept": "text/csv"},
                timeout=60,
            )  # fmt: skip
            limited = pool.submit(stopped)
            assert limited.result().status_code == 504
            answer = joined.result()
        assert answer.status_code == 200, answer.text
        assert int(answer.text.splitlines()[1]) == triples * typed
        wait_until(
            lambda: len(processes_named(server.proc.pid, EVALUATOR)) == 1, 10, "a replacement"
        )
        assert process not in processes_named(server.proc.pid, EVALUATOR)
        assert not any("died" in line for line in server.log)  # stopped, not crashed


def test_evaluator_threads_must_not_be_negative() -> None:
    with pytest.raises(SettingError, match="setting evaluator_threads: must be 0"):
        Settings(evaluator_threads=-1)


def test_threads_of_one_process_share_its_memory_limit() -> None:
    # Sorting the cross product of all triples with itself needs gigabytes: far past 300 MiB
    # for the whole process, so its two threads do not get 300 MiB each.
    hungry = "SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r } ORDER BY ?a ?b LIMIT 1"
    args = ("--evaluators", "2", "--evaluator-threads", "2", "--evaluator-memory", "300")
    with start_server("--workers", "1", "--query-timeout", "60", *args) as server:
        started = time.monotonic()
        r = requests.get(server.url + "/sparql", params={"query": hungry}, timeout=90)
        assert r.status_code == 503 and "evaluator_memory=300 MiB" in r.text, r.text
        assert time.monotonic() - started < 60  # the memory limit stopped it, twice
        assert sum("ran out of memory" in line for line in server.log) == 2  # run again once
        wait_until(
            lambda: len(processes_named(server.proc.pid, EVALUATOR)) == 1, 15, "a replacement"
        )
        ask_ok(server.url)

"""The real server (`pillars serve` under gunicorn) over HTTP on 127.0.0.1.

Clients: SPARQLWrapper and requests. Expected values come from pyoxigraph queried directly.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError

import pyoxigraph as ox
import pytest
import requests
from conftest import start_server
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

from pillars.namespaces import ONTOLOGY_GRAPH, article_graph
from pillars.server.memory import descendants
from pillars.server.pool import evaluator_environment
from pillars.server.scan import nesting
from pillars.store import memory_store

ARTICLE = article_graph("iranian-russian-security-convergence")
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# Three unconstrained patterns over thousands of triples: COUNT must see ~10^11 rows before it
# can answer, so the query computes for hours before its first (and only) result.
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SLACK = 1.5  # seconds allowed beyond the time limit (process kill, HTTP, a busy CI machine)


@pytest.fixture(scope="module")
def reference() -> ox.Store:
    return memory_store(entail=True)  # what `pillars serve` holds by default


def count(store: ox.Store, where: str) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
    return int(next(iter(result))[0].value)  # type: ignore[index,arg-type]


def wrapper(url: str, query: str, fmt: str = JSON) -> SPARQLWrapper:
    sw = SPARQLWrapper(url + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setTimeout(30)
    return sw


def test_sparqlwrapper_select_ask_construct(live_server: str, reference: ox.Store) -> None:
    expected = count(reference, "GRAPH ?g { ?s ?p ?o }")
    doc = wrapper(live_server, COUNT_ALL).queryAndConvert()
    assert int(doc["results"]["bindings"][0]["n"]["value"]) == expected  # type: ignore[index,call-overload]
    post = wrapper(live_server, COUNT_ALL)
    post.setMethod(POST)
    assert int(post.queryAndConvert()["results"]["bindings"][0]["n"]["value"]) == expected  # type: ignore[index,call-overload]
    xml = wrapper(live_server, COUNT_ALL, XML).queryAndConvert()
    assert xml.getElementsByTagName("literal")[0].firstChild.data == str(expected)  # type: ignore[union-attr]
    csv = wrapper(live_server, COUNT_ALL, CSV).queryAndConvert()
    assert csv.decode().splitlines() == ["n", str(expected)]  # type: ignore[union-attr]
    ask = wrapper(live_server, f"ASK {{ GRAPH <{ARTICLE}> {{ ?s ?p ?o }} }}").queryAndConvert()
    assert ask["boolean"] is True  # type: ignore[index,call-overload]
    construct = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }}"
    turtle = wrapper(live_server, construct, TURTLE).queryAndConvert()
    graph = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))  # type: ignore[arg-type]
    assert len(graph) == count(reference, f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }}")  # type: ignore[arg-type]


def test_requests_get_post_and_post_direct(live_server: str, reference: ox.Store) -> None:
    expected = str(count(reference, "GRAPH ?g { ?s ?p ?o }"))
    url = live_server + "/sparql"
    csv = {"Accept": "text/csv"}
    answers = [
        requests.get(url, params={"query": COUNT_ALL}, headers=csv, timeout=30),
        requests.post(url, data={"query": COUNT_ALL}, headers=csv, timeout=30),
        requests.post(
            url,
            data=COUNT_ALL.encode(),
            headers={**csv, "Content-Type": "application/sparql-query"},
            timeout=30,
        ),
    ]
    for r in answers:
        assert r.status_code == 200
        assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert r.text.splitlines() == ["n", expected]


def test_update_refused_count_unchanged(live_server: str) -> None:
    def total() -> int:
        doc = wrapper(live_server, COUNT_ALL).queryAndConvert()
        return int(doc["results"]["bindings"][0]["n"]["value"])  # type: ignore[index,call-overload]

    before = total()
    sw = SPARQLWrapper(live_server + "/sparql")
    sw.setMethod(POST)
    sw.setQuery(f"INSERT DATA {{ GRAPH <{ARTICLE}> {{ <urn:x:a> <urn:x:b> <urn:x:c> }} }}")
    with pytest.raises(HTTPError) as refused:
        sw.query()
    assert refused.value.code == 403
    r = requests.post(
        live_server + "/sparql",
        data="DROP ALL",
        headers={"Content-Type": "application/sparql-update"},
        timeout=30,
    )
    assert r.status_code == 403 and "read-only" in r.text
    assert total() == before


def test_service_and_file_from_refused(live_server: str) -> None:
    url = live_server + "/sparql"
    r = requests.get(
        url, params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}, timeout=30
    )
    assert r.status_code == 403
    r = requests.get(
        url, params={"query": "SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }"}, timeout=30
    )
    assert r.status_code == 400 and "not in the store" in r.text


def test_oversized_request_gets_413_not_a_dropped_connection(live_server: str) -> None:
    body = b"ASK {} #" + b"x" * (1024 * 1024 + 10)
    r = requests.post(
        live_server + "/sparql",
        data=body,
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert r.status_code == 413
    assert "Traceback" not in r.text


def test_cors_preflight_over_http(live_server: str) -> None:
    r = requests.options(
        live_server + "/sparql",
        headers={"Origin": "https://a.example", "Access-Control-Request-Method": "POST"},
        timeout=30,
    )
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_head_with_the_answers_etag_is_304_as_get_is(live_server: str) -> None:
    # RFC 9110: HEAD gets the status GET would; HEAD with a matching If-None-Match got 200.
    url, params = live_server + "/sparql", {"query": "SELECT ?s WHERE { ?s a ?o } LIMIT 3"}
    got = requests.get(url, params=params, timeout=30)
    assert got.status_code == 200 and got.content
    etag = got.headers["ETag"]
    for method in (requests.get, requests.head):
        held = method(url, params=params, headers={"If-None-Match": etag}, timeout=30)
        assert (held.status_code, held.headers.get("ETag"), held.content) == (304, etag, b"")
    other = requests.head(url, params=params, headers={"If-None-Match": '"other"'}, timeout=30)
    assert (other.status_code, other.headers.get("ETag"), other.content) == (200, etag, b"")
    assert other.headers["Content-Type"] == got.headers["Content-Type"]


def test_many_clients_at_once_every_answer_right(live_server: str, reference: ox.Store) -> None:
    graphs = [
        row[0].value  # type: ignore[index]
        for row in reference.query("SELECT DISTINCT ?g { GRAPH ?g { } } ORDER BY ?g")  # type: ignore[union-attr]
    ]
    expected = {g: count(reference, f"GRAPH <{g}> {{ ?s ?p ?o }}") for g in graphs}
    jobs = [graphs[i % len(graphs)] for i in range(64)]

    def ask(graph: str) -> tuple[str, int]:
        q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        r = requests.get(
            live_server + "/sparql", params={"query": q}, headers={"Accept": "text/csv"}, timeout=30
        )
        assert r.status_code == 200, r.text
        return graph, int(r.text.splitlines()[1])

    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(ask, jobs))
    assert len(answers) == 64
    for graph, n in answers:
        assert n == expected[graph]


EVALUATOR = "pillars-eval"  # the process names (comm) of pillars/server/zygote.py
ZYGOTE = "pillars-zygote"


def processes_named(server_pid: int, name: str) -> set[int]:
    """The living processes under a server whose name (comm) is `name`: EVALUATOR for the
    evaluator processes, ZYGOTE for the zygotes that fork them."""
    found = set()
    for pid in descendants(server_pid):
        try:
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            continue
        if comm == name and alive(pid):
            found.add(pid)
    return found


def evaluator_pids(server_pid: int) -> set[int]:  # for tests/test_front.py
    return processes_named(server_pid, EVALUATOR)


def zygote_pids(server_pid: int) -> set[int]:  # for tests/test_front.py
    return processes_named(server_pid, ZYGOTE)


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_evaluators_run_with_a_deeper_allocator_cache() -> None:
    with start_server("--evaluators", "2", "--workers", "1") as server:
        pids = processes_named(server.proc.pid, EVALUATOR)
        assert len(pids) == 2
        for pid in pids:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert b"GLIBC_TUNABLES=glibc.malloc.tcache_count=1000" in environ


def test_an_operators_allocator_setting_is_kept() -> None:
    assert evaluator_environment({"GLIBC_TUNABLES": "glibc.malloc.tcache_count=50"}) == {
        "GLIBC_TUNABLES": "glibc.malloc.tcache_count=50"
    }
    assert evaluator_environment({"GLIBC_TUNABLES": "glibc.malloc.arena_max=2", "A": "b"}) == {
        "GLIBC_TUNABLES": "glibc.malloc.arena_max=2:glibc.malloc.tcache_count=1000",
        "A": "b",
    }


def test_time_limit_stops_the_query_and_others_are_answered() -> None:
    with start_server("--query-timeout", "2", "--evaluators", "2", "--workers", "1") as server:
        url = server.url + "/sparql"
        before = processes_named(server.proc.pid, EVALUATOR)
        assert len(before) == 2
        result: dict[str, object] = {}

        def expensive() -> None:
            started = time.monotonic()
            r = requests.get(url, params={"query": EXPENSIVE}, timeout=30)
            result["status"], result["text"] = r.status_code, r.text
            result["seconds"] = time.monotonic() - started

        thread = threading.Thread(target=expensive)
        thread.start()
        time.sleep(0.3)
        # Meanwhile another client is answered, quickly and correctly, again and again.
        quick = []
        while thread.is_alive() and len(quick) < 200:
            started = time.monotonic()
            # a different query each time, so the result cache cannot answer for the evaluators
            q = f"ASK {{ <urn:pillars:test:{len(quick)}> ?p ?o }}"
            r = requests.get(url, params={"query": q}, timeout=30)
            quick.append((r.status_code, r.json()["boolean"], time.monotonic() - started))
            time.sleep(0.05)
        thread.join(30)
        assert result["status"] == 504
        assert "time limit of 2 s" in str(result["text"])
        assert 2.0 <= float(result["seconds"]) <= 2.0 + SLACK  # type: ignore[arg-type]
        assert len(quick) >= 5
        # each answered well before the expensive query ends, not after it
        assert all(status == 200 and value is False and s < 1.5 for status, value, s in quick)
        # The evaluator that ran the query was killed, i.e. the work really stopped ...
        after_kill = processes_named(server.proc.pid, EVALUATOR)
        killed = before - after_kill
        assert len(killed) == 1 and not any(alive(pid) for pid in killed)
        # ... and a fresh one replaced it: the server still has two and still answers.
        deadline = time.monotonic() + 10
        while len(processes_named(server.proc.pid, EVALUATOR)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(processes_named(server.proc.pid, EVALUATOR)) == 2
        r = requests.get(url, params={"query": "ASK {}"}, timeout=30)
        assert r.status_code == 200


def test_concurrency_cap_answers_503_with_retry_after() -> None:
    with start_server(
        "--query-timeout", "2", "--max-concurrent-queries", "1", "--workers", "1"
    ) as server:
        url = server.url + "/sparql"
        thread = threading.Thread(
            target=lambda: requests.get(url, params={"query": EXPENSIVE}, timeout=30)
        )
        thread.start()
        refusals = []
        # While the expensive query holds the only slot, other queries are refused at once.
        for i in range(15):
            time.sleep(0.1)
            q = f"ASK {{ <urn:pillars:test:{i}> ?p ?o }}"  # never the same: no cache answers
            r = requests.get(url, params={"query": q}, timeout=30)
            if r.status_code == 503:
                refusals.append(r)
        thread.join(30)
        assert refusals, "no 503 while the only query slot was taken"
        for r in refusals:
            assert r.headers["Retry-After"] == "1"
            assert "max_concurrent_queries=1" in r.text
        assert requests.get(url, params={"query": "ASK {}"}, timeout=30).status_code == 200


def test_a_client_that_gives_up_leaves_no_work_behind() -> None:
    with start_server("--query-timeout", "20", "--evaluators", "2", "--workers", "1") as server:
        url = server.url + "/sparql"
        before = processes_named(server.proc.pid, EVALUATOR)
        with pytest.raises(requests.ReadTimeout):
            requests.get(url, params={"query": EXPENSIVE}, timeout=1)
        # Well before the 20 s time limit, the evaluator running the abandoned query is gone.
        deadline = time.monotonic() + 5
        while (
            not (before - processes_named(server.proc.pid, EVALUATOR))
            and time.monotonic() < deadline
        ):
            time.sleep(0.1)
        killed = before - processes_named(server.proc.pid, EVALUATOR)
        assert len(killed) == 1 and not any(alive(pid) for pid in killed)
        assert requests.get(url, params={"query": "ASK {}"}, timeout=30).status_code == 200


def test_a_query_past_the_memory_limit_is_stopped() -> None:
    # Sorting the cross product of all triples with itself needs gigabytes: far past 300 MiB.
    hungry = "SELECT ?a ?b WHERE { ?a ?p ?o . ?b ?q ?r } ORDER BY ?a ?b LIMIT 1"
    with start_server(
        "--evaluator-memory", "300", "--query-timeout", "60", "--workers", "1"
    ) as server:
        url = server.url + "/sparql"
        started = time.monotonic()
        r = requests.get(url, params={"query": hungry}, timeout=90)
        assert r.status_code == 503, r.text
        assert "evaluator_memory=300 MiB" in r.text
        assert time.monotonic() - started < 60  # stopped by the memory limit, not the clock
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # the replacement evaluator comes up
            ok = requests.get(url, params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
            if ok.status_code == 200:
                break
            time.sleep(0.2)
        assert ok.status_code == 200 and ok.json()["boolean"] is True


def test_service_allowlist_enables_a_chosen_endpoint(live_server: str, reference: ox.Store) -> None:
    allowed = live_server + "/sparql"
    with start_server("--service-allowlist", allowed, "--workers", "1") as server:
        q = (
            f"SELECT (COUNT(*) AS ?n) WHERE {{ SERVICE <{allowed}> "
            f"{{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} }} }}"
        )
        r = requests.get(
            server.url + "/sparql", params={"query": q}, headers={"Accept": "text/csv"}, timeout=60
        )
        assert r.status_code == 200, r.text
        assert int(r.text.splitlines()[1]) == count(
            reference, f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }}"
        )
        # a prefix of the allowed endpoint's host is not enough: another path is refused
        other = q.replace(allowed, live_server + "/other")
        assert (
            requests.get(server.url + "/sparql", params={"query": other}, timeout=30).status_code
            == 403
        )
        sd = requests.get(server.url + "/sparql", timeout=30).text
        assert "BasicFederatedQuery" in sd


DEEP_QUERIES = {
    "braces": "SELECT * WHERE " + "{" * 5000 + " ?s ?p ?o " + "}" * 5000,
    "operators": "ASK { FILTER(1" + "+1" * 8000 + ") }",
    "negations": "ASK { FILTER(" + "!" * 20000 + "true) }",
}


def test_a_too_deep_query_is_a_400_and_no_evaluator_dies() -> None:
    # Each of these killed its evaluator (the parser overflowed its stack) and was answered
    # 503 "the query evaluator failed" (issue 17).
    with start_server("--evaluators", "2", "--workers", "1") as server:
        before = processes_named(server.proc.pid, EVALUATOR)
        for name, query in DEEP_QUERIES.items():
            r = requests.post(server.url + "/sparql", data={"query": query}, timeout=30)
            assert r.status_code == 400, (name, r.text)
            assert "levels deep" in r.text and "(max_query_nesting)" in r.text, name
        assert processes_named(server.proc.pid, EVALUATOR) == before
        ok = requests.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=10)
        assert ok.status_code == 200


def test_nesting_counts_brackets_and_operators_not_names() -> None:
    assert nesting("SELECT * WHERE " + "{" * 300 + " ?s ?p ?o " + "}" * 300) == 301
    assert nesting("ASK { FILTER(1" + "+1" * 100 + ") }") == 102
    names = " ".join(f"art:threat-a-b-{i} <http://x/a-b/{i}>" for i in range(500))
    assert nesting(f"SELECT * {{ VALUES ?x {{ {names} }} }}") == 3  # the * counts, names not
    assert (
        nesting('ASK { FILTER("' + "(((" * 100 + '") }') == 2
    )  # brackets in a string do not count


CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _long_query_in_background(
    url: str, ends: list[str] | None = None, timeout: float = 60
) -> threading.Thread:
    """POST the cross product to `url` from a thread, started. With `ends`, how the request
    ended is appended to it: "status N", "closed" (the connection dropped) or "silence" (no
    answer within `timeout` s), and any other failure raises in the thread."""

    def ask() -> None:
        try:
            r = requests.post(url + "/sparql", data={"query": CROSS_PRODUCT}, timeout=timeout)
            end = f"status {r.status_code}"
        except requests.ConnectionError:
            end = "closed"
        except requests.Timeout:
            end = "silence"
        except requests.RequestException:
            if ends is not None:
                raise
            return  # the server is being killed under it: any end of the request will do
        if ends is not None:
            ends.append(end)

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    return thread


def _gone_within(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.1)
    return {p for p in pids if alive(p)}


def _workers(server_pid: int) -> set[int]:
    out = subprocess.run(["ps", "-e", "-o", "pid=,ppid="], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return {
        int(p) for p, pp in (line.split() for line in out.splitlines()) if int(pp) == server_pid
    }


def test_evaluators_die_with_a_killed_worker() -> None:
    # They ran on for 35-60 s after kill -9 of their worker (issue 17).
    with start_server("--evaluators", "2", "--workers", "1", "--query-timeout", "60") as server:
        tree = server.proc.pid
        evaluators = processes_named(tree, EVALUATOR) | processes_named(tree, ZYGOTE)
        (worker,) = _workers(server.proc.pid)
        _long_query_in_background(server.url)
        time.sleep(1.0)  # the cross product is computing
        os.kill(worker, signal.SIGKILL)
        assert _gone_within(evaluators, 5.0) == set()


def test_evaluators_end_with_the_server_on_sigterm() -> None:
    # One running a cross product went on using CPU for over 3 minutes (issue 17).
    with start_server("--evaluators", "2", "--workers", "1", "--query-timeout", "60") as server:
        tree = server.proc.pid
        evaluators = processes_named(tree, EVALUATOR) | processes_named(tree, ZYGOTE)
        _long_query_in_background(server.url)
        time.sleep(1.0)
        os.kill(server.proc.pid, signal.SIGTERM)  # the master only, as an operator does
        server.proc.wait(20)
        assert _gone_within(evaluators, 5.0) == set()


def test_a_crashed_evaluator_is_logged_with_the_querys_digest() -> None:
    query = DEEP_QUERIES["braces"]
    digest = hashlib.sha256(query.encode("utf-8")).hexdigest()[:16]
    args = ("--evaluators", "2", "--workers", "1", "--max-query-nesting", "100000")
    with start_server(*args) as server:
        r = requests.post(server.url + "/sparql", data={"query": query}, timeout=30)
        assert r.status_code == 503
        deadline = time.monotonic() + 5
        while not any(f"on query sha256:{digest}" in line for line in server.log):
            assert time.monotonic() < deadline, "".join(server.log[-10:])
            time.sleep(0.05)
        line = next(line for line in server.log if digest in line)
        assert "died (exit -11)" in line and f"({len(query)} chars); replaced" in line

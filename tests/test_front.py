"""The HTTP front against slow, broken and vanishing clients, over real sockets on 127.0.0.1.

Slow-loris connections and stalled bodies must not keep a cheap query from an answer; bodies
that are malformed, too big, too short or too slow get a 4xx at once; workers and evaluators
that die, and a server that is stopped, leave clean errors and no process behind. Every
connection is bounded in count and time.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator

import pytest
import requests

from tests.conftest import ServerProcess, start_server
from tests.test_sparql_live import (
    _gone_within,
    _long_query_in_background,
    _workers,
    alive,
    evaluator_pids,
    zygote_pids,
)

ASK = "ASK { ?s ?p ?o }"
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    with start_server("--read-timeout", "2", "--workers", "1") as running:
        yield running


def address(server: ServerProcess) -> tuple[str, int]:
    host, port = server.url.removeprefix("http://").split(":")
    return host, int(port)


def connect(server: ServerProcess, timeout: float = 10.0) -> socket.socket:
    return socket.create_connection(address(server), timeout=timeout)


def exchange(server: ServerProcess, raw: bytes, half_close: bool = False) -> bytes:
    """Send raw bytes, read until the server closes (or 10 s pass); what came back."""
    with connect(server) as sock:
        sock.sendall(raw)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        return read_until_closed(sock)


def read_until_closed(sock: socket.socket) -> bytes:
    out = b""
    try:
        while chunk := sock.recv(65536):
            out += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    return out


def status_of(response: bytes) -> int:
    assert response.startswith(b"HTTP/1.1 "), response[:200]
    return int(response.split(b" ", 2)[1])


def timed_ask(url: str) -> float:
    started = time.monotonic()
    r = requests.get(url + "/sparql", params={"query": ASK}, timeout=10)
    took = time.monotonic() - started
    assert r.status_code == 200 and r.json()["boolean"] is True
    return took


def query_request(query: str, close: bool = True) -> bytes:
    target = "/sparql?" + urllib.parse.urlencode({"query": query})
    connection = "close" if close else "keep-alive"
    return f"GET {target} HTTP/1.1\r\nHost: h\r\nConnection: {connection}\r\n\r\n".encode()


# --- slow clients ---------------------------------------------------------------------------


def test_slow_loris_and_stalled_bodies_do_not_starve_a_cheap_query() -> None:
    # The attack: 100 connections sending headers slowly, 40 bodies that stall.
    with start_server("--workers", "1", "--read-timeout", "30") as server:
        held: list[socket.socket] = []
        stop = threading.Event()
        try:
            for _ in range(100):
                sock = connect(server)
                sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: h\r\n")
                held.append(sock)
            for _ in range(40):
                sock = connect(server)
                sock.sendall(
                    b"POST /sparql HTTP/1.1\r\nHost: h\r\n"
                    b"Content-Type: application/sparql-query\r\nContent-Length: 1000\r\n\r\nASK"
                )
                held.append(sock)

            def drip() -> None:  # a header byte a second on every slow-loris connection
                while not stop.wait(1.0):
                    for sock in held[:100]:
                        try:
                            sock.sendall(b"X")
                        except OSError:
                            pass

            threading.Thread(target=drip, daemon=True).start()
            time.sleep(0.5)
            timings = [timed_ask(server.url) for _ in range(10)]
            assert max(timings) < 0.5, timings
        finally:
            stop.set()
            for sock in held:
                sock.close()


def test_a_stalled_body_gets_408_in_the_read_timeout(server: ServerProcess) -> None:
    raw = b"POST /sparql HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\nquery=ASK"
    started = time.monotonic()
    response = exchange(server, raw)
    took = time.monotonic() - started
    assert status_of(response) == 408
    assert b"read_timeout=2 s" in response
    assert 1.5 < took < 6


def test_slow_headers_are_cut_off_in_the_read_timeout(server: ServerProcess) -> None:
    started = time.monotonic()
    response = exchange(server, b"GET /sparql HTTP/1.1\r\nHost: h\r\n")
    took = time.monotonic() - started
    assert response == b""  # hyper closes the connection without an answer
    assert 1.5 < took < 6


# --- malformed bodies -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "chunks",
    [
        b"zz\r\nabc\r\n0\r\n\r\n",  # not a hexadecimal size
        b"ffffffffffffffffffff\r\nabc\r\n",  # a size past any integer (it hung for 45 s)
        b"3\r\nabcdef\r\n0\r\n\r\n",  # more data than the size says
    ],
)
def test_a_malformed_chunked_body_is_a_400_at_once(server: ServerProcess, chunks: bytes) -> None:
    raw = b"POST /sparql HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks
    started = time.monotonic()
    response = exchange(server, raw)
    assert status_of(response) == 400
    assert time.monotonic() - started < 1.5


def test_a_chunked_query_is_answered(server: ServerProcess) -> None:
    body = b"query=" + urllib.parse.quote(ASK).encode()
    raw = (
        b"POST /sparql HTTP/1.1\r\nHost: h\r\nConnection: close\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Accept: application/sparql-results+json\r\nTransfer-Encoding: chunked\r\n\r\n"
        + f"{len(body[:10]):x}\r\n".encode() + body[:10] + b"\r\n"
        + f"{len(body[10:]):x}\r\n".encode() + body[10:] + b"\r\n0\r\n\r\n"
    )  # fmt: skip
    response = exchange(server, raw)
    assert status_of(response) == 200
    assert b'"boolean":true' in response


def test_a_body_shorter_than_its_length_is_refused(server: ServerProcess) -> None:
    raw = (
        b"POST /validate HTTP/1.1\r\nHost: h\r\nContent-Type: text/turtle\r\n"
        b"Content-Length: 500\r\n\r\n@prefix ex: <http://example.org/> ."
    )
    response = exchange(server, raw, half_close=True)  # the body ends here
    assert status_of(response) == 400
    assert b"conforms" not in response


def test_a_body_over_the_limit_is_refused_before_it_is_sent(server: ServerProcess) -> None:
    raw = b"POST /sparql HTTP/1.1\r\nHost: h\r\nContent-Length: 999999999\r\n\r\n"
    response = exchange(server, raw)
    assert status_of(response) == 413
    assert b"max_request_bytes=1048576" in response


def test_a_chunked_body_over_the_limit_is_refused() -> None:
    with start_server("--workers", "1", "--max-request-bytes", "1000") as server:
        chunk = b"a" * 600
        raw = (
            b"POST /sparql HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + (f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n") * 2
            + b"0\r\n\r\n"
        )
        response = exchange(server, raw)
        assert status_of(response) == 413


def test_the_path_reaches_the_app_decoded_once(server: ServerProcess) -> None:
    # %2520 is a literal "%20" in the name: decoded once it must not become a space.
    r = requests.get(server.url + "/id/no-such%2520thing", timeout=10)
    assert r.status_code == 404
    assert "no-such%20thing" in r.text


# --- clients that go ------------------------------------------------------------------------


def test_a_client_that_leaves_mid_query_stops_it() -> None:
    with start_server("--workers", "1", "--evaluators", "2", "--query-timeout", "30") as server:
        before = evaluator_pids(server.proc.pid)
        with connect(server) as sock:
            sock.sendall(query_request(CROSS_PRODUCT))
            time.sleep(0.5)
        deadline = time.monotonic() + 5  # GONE_GRACE is 1 s
        while not (before - evaluator_pids(server.proc.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(before - evaluator_pids(server.proc.pid)) == 1
        assert timed_ask(server.url) < 5


def test_a_half_closed_client_on_granian_gets_a_closed_connection(server: ServerProcess) -> None:
    # hyper (granian's HTTP layer) treats a FIN after the request as the client gone, and
    # granian has no switch for it: the connection is closed with no answer, never left
    # hanging. On a loaded machine the answer is sometimes written before hyper reads the
    # FIN; either end is fine, silence is not. `--front gunicorn` answers such clients.
    started = time.monotonic()
    response = exchange(server, query_request(ASK), half_close=True)
    assert response == b"" or (status_of(response) == 200 and b'"boolean":true' in response)
    assert time.monotonic() - started < 2


def test_a_half_closed_client_on_gunicorn_gets_its_answer() -> None:
    with start_server("--front", "gunicorn", "--workers", "1") as server:
        response = exchange(server, query_request(ASK), half_close=True)
        assert status_of(response) == 200
        assert b'"boolean":true' in response


# --- processes that die ---------------------------------------------------------------------


def test_requests_in_flight_when_the_worker_dies_get_an_end_and_it_is_replaced() -> None:
    with start_server("--workers", "1", "--evaluators", "2", "--query-timeout", "60") as server:
        (worker,) = _workers(server.proc.pid)
        evaluators = evaluator_pids(server.proc.pid)
        ends: list[str] = []
        threads = [_long_query_in_background(server.url, ends, timeout=20) for _ in range(6)]
        time.sleep(1.0)
        os.kill(worker, signal.SIGKILL)
        for thread in threads:
            thread.join(30)
        assert len(ends) == 6 and "silence" not in ends, ends
        assert _gone_within(evaluators, 5.0) == set()
        deadline = time.monotonic() + 20  # a new worker with new evaluators
        while time.monotonic() < deadline:
            try:
                if requests.get(server.url + "/sparql", params={"query": ASK}, timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        assert timed_ask(server.url) < 5
        assert worker not in _workers(server.proc.pid)


def test_a_killed_evaluator_under_load_gives_503s_and_is_replaced() -> None:
    with start_server("--workers", "1", "--evaluators", "2", "--query-timeout", "60") as server:
        statuses: list[int] = []

        def ask() -> None:
            r = requests.post(server.url + "/sparql", data={"query": CROSS_PRODUCT}, timeout=70)
            statuses.append(r.status_code)

        threads = [threading.Thread(target=ask) for _ in range(2)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        for pid in evaluator_pids(server.proc.pid):
            os.kill(pid, signal.SIGKILL)
        for thread in threads:
            thread.join(30)
        assert statuses == [503, 503], statuses
        deadline = time.monotonic() + 20
        while len(evaluator_pids(server.proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert timed_ask(server.url) < 5


def test_sigterm_during_a_long_query_ends_every_process() -> None:
    with start_server("--workers", "1", "--evaluators", "2", "--query-timeout", "60") as server:
        tree = evaluator_pids(server.proc.pid) | zygote_pids(server.proc.pid)
        tree |= _workers(server.proc.pid)
        ends: list[str] = []
        thread = _long_query_in_background(server.url, ends, timeout=20)
        time.sleep(1.0)
        os.kill(server.proc.pid, signal.SIGTERM)
        assert server.proc.wait(20) == 0
        thread.join(20)
        assert ends and ends[0] != "silence", ends
        assert _gone_within(tree, 5.0) == set()
        assert not any(alive(pid) for pid in tree)

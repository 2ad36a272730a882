"""The gunicorn worker that serves a keep-alive client's next request on the same thread.

Over real HTTP on 127.0.0.1: requests in a loop on one connection, with and without pauses,
pipelined requests, a client that leaves, and idle connections that must not hold threads.
"""

from __future__ import annotations

import socket
import time
import urllib.parse
from collections.abc import Iterator
from typing import BinaryIO

import pytest

from tests.conftest import ServerProcess, start_server

ASK = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    with start_server("--front", "gunicorn", "--workers", "1", "--threads", "4") as running:
        yield running


def request_bytes(query: str, close: bool = False) -> bytes:
    target = "/sparql?" + urllib.parse.urlencode({"query": query})
    connection = "close" if close else "keep-alive"
    return (
        f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Accept: application/sparql-results+json\r\nConnection: {connection}\r\n\r\n"
    ).encode("ascii")


def read_response(f: BinaryIO) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response with a Content-Length, read from a buffered socket file."""
    status = int(f.readline().split()[1])
    headers: dict[str, str] = {}
    while (line := f.readline().decode("latin-1").strip()) != "":
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = f.read(int(headers["content-length"]))
    return status, headers, body


def connect(server: ServerProcess) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def test_the_lingering_worker_is_used(server: ServerProcess) -> None:
    assert any("LingeringThreadWorker" in line for line in server.log), server.log[-5:]


def test_a_loop_of_requests_on_one_connection(server: ServerProcess) -> None:
    with connect(server) as sock:
        f = sock.makefile("rb")
        for i in range(30):
            sock.sendall(request_bytes(f"{ASK} # {i}"))
            status, headers, body = read_response(f)
            assert status == 200 and b'"boolean":true' in body
            assert headers.get("connection", "keep-alive").lower() != "close"
            if i % 10 == 9:
                time.sleep(0.3)  # longer than the thread waits: back through the main loop


def test_pipelined_requests_all_answered_in_order(server: ServerProcess) -> None:
    with connect(server) as sock:
        f = sock.makefile("rb")
        sock.sendall(
            request_bytes(ASK)
            + request_bytes("SELECT (1 AS ?one) {}")
            + request_bytes("ASK { FILTER(false) }", close=True)
        )
        answers = [read_response(f) for _ in range(3)]
    assert [a[0] for a in answers] == [200, 200, 200]
    assert b'"boolean":true' in answers[0][2]
    assert b'"one"' in answers[1][2]
    assert b'"boolean":false' in answers[2][2]


def test_a_client_that_leaves_while_the_thread_waits(server: ServerProcess) -> None:
    for _ in range(5):
        with connect(server) as sock:
            f = sock.makefile("rb")
            sock.sendall(request_bytes(ASK))
            assert read_response(f)[0] == 200
        # closed at once: the waiting thread sees the end of the stream
    with connect(server) as sock:
        sock.sendall(request_bytes(ASK, close=True))
        assert read_response(sock.makefile("rb"))[0] == 200


def test_idle_connections_do_not_hold_threads(server: ServerProcess) -> None:
    # Four threads; twelve clients that asked once and stay connected without asking again.
    idle = [connect(server) for _ in range(12)]
    try:
        for sock in idle:
            sock.sendall(request_bytes(ASK))
            assert read_response(sock.makefile("rb"))[0] == 200
        started = time.monotonic()
        with connect(server) as sock:
            sock.sendall(request_bytes(ASK, close=True))
            assert read_response(sock.makefile("rb"))[0] == 200
        # Were the idle ones holding threads, this would wait for their keep-alive (5 s).
        assert time.monotonic() - started < 2.0
    finally:
        for sock in idle:
            sock.close()

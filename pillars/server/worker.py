"""gunicorn's threaded worker, keeping a busy keep-alive connection on its thread.

gunicorn's `gthread` worker hands every kept-alive connection back to its main thread after
each answer: the main loop polls it, and when the next request arrives, submits it to the
thread pool again. That round trip (a pipe write to wake the main thread, a poller
registration, a future and its callback) costs more CPU than the Flask view of a /sparql
request. A SPARQL client that sends its next query right after reading an answer (most
clients in a loop do) is instead served again on the same thread, if its request arrives
within LINGER seconds; otherwise the connection goes back to the main loop as usual, so an
idle connection never holds a thread for longer than that.
"""

from __future__ import annotations

import select
import socket
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

LINGER = 0.002  # seconds a thread waits for the next request on the connection it served


class LingeringThreadWorker(ThreadWorker):  # type: ignore[misc]
    def handle(self, conn: Any) -> Any:
        keep = super().handle(conn)
        while keep is True and self.alive and not conn.is_http2:
            # Bytes already read past the last request (pipelining) are a request waiting.
            if not conn.parser.unreader.buf.getvalue() and not _readable(conn.sock, LINGER):
                break
            keep = super().handle(conn)
        return keep

    def handle_request(self, req: Any, conn: Any) -> Any:
        # Corked, the status line, headers and a small body leave as one TCP segment instead of
        # two (gunicorn writes the headers first): one wake-up less for the client per answer.
        corked = _cork(conn.sock, True)
        try:
            return super().handle_request(req, conn)
        finally:
            if corked:
                _cork(conn.sock, False)  # sends what is held back at once


def _cork(sock: Any, on: bool) -> bool:
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, int(on))
        return True
    except (OSError, AttributeError):  # not TCP (a Unix socket), or not Linux
        return False


def _readable(sock: Any, seconds: float) -> bool:
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLIN)
    try:
        return bool(poller.poll(seconds * 1000))
    except OSError:
        return False

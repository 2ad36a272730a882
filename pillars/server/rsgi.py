"""The WSGI app behind granian's RSGI interface, so that no slow client holds a thread.

granian parses HTTP in Rust on an event loop: a client that sends its headers slowly costs a
socket, not a thread, and is closed after the header time limit. Its own WSGI interface hands
the body to the app as a blocking stream, though, so a client that stalls mid-body would hold
one of the app's threads for as long as it likes. Here the body is read on the event loop
first, whole, within `read_timeout` seconds (408 otherwise) and within `max_request_bytes`
(413), and only a complete request reaches a thread running Flask.

While the app computes, the connection is watched: when granian reports the client gone, an
eventfd becomes readable, and the evaluator pool (which polls it with the evaluator's answer)
stops the query.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# Hop-by-hop headers are granian's to write, never the app's.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "upgrade"})
HANGUP_KEY = "pillars.hangup"  # the environ key of the request's ClientWatch


class ClientWatch:
    """The client-gone signal of one request, as the evaluator pool polls it (`fileno`,
    `gone`): an eventfd that the event loop sets when granian reports the client gone."""

    __slots__ = ("fd", "_gone")

    def __init__(self) -> None:
        self.fd = os.eventfd(0, os.EFD_NONBLOCK | os.EFD_CLOEXEC)
        self._gone = False

    def fileno(self) -> int:
        return self.fd

    def gone(self) -> bool:
        return self._gone

    def set_gone(self) -> None:
        self._gone = True
        os.eventfd_write(self.fd, 1)

    def close(self) -> None:
        os.close(self.fd)


class FileBody:
    """`wsgi.file_wrapper`: a file answer that granian sends from its path itself."""

    def __init__(self, file: Any, block_size: int = 65536) -> None:
        self.file = file
        self.block_size = block_size

    def __iter__(self) -> Any:  # for middleware that reads it anyway
        return iter(lambda: self.file.read(self.block_size), b"")

    def close(self) -> None:
        self.file.close()

    @property
    def path(self) -> str | None:
        name = getattr(self.file, "name", None)
        return name if isinstance(name, str) and os.path.isfile(name) else None


class Bridge:
    """An RSGI application (granian's `__rsgi__` protocol) serving a WSGI app on threads.

    `build` makes the WSGI app; it runs in granian's worker process (`__rsgi_init__`), after
    the fork, as gunicorn's workers built it."""

    def __init__(
        self,
        build: Callable[[], WsgiApp],
        threads: int,
        read_timeout: float,
        max_body: int,
        on_exit: Callable[[], None] = lambda: None,
    ) -> None:
        self.build = build
        self.threads = threads
        self.read_timeout = read_timeout
        self.max_body = max_body
        self.on_exit = on_exit
        self.app: WsgiApp | None = None
        self.executor: ThreadPoolExecutor | None = None

    def __rsgi_init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.app = self.build()
        self.executor = ThreadPoolExecutor(self.threads, thread_name_prefix="pillars-request")

    def __rsgi_del__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.on_exit()

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        if scope.proto != "http":  # websockets: nothing here speaks them
            return
        try:
            body = await self._read_body(scope, proto)
        except _Refused as refused:
            proto.response_bytes(refused.status, _text_headers(refused.message), refused.body)
            return
        except Exception:  # granian: the client went away mid-body, or the body was malformed
            return
        watch = ClientWatch()
        environ = self._environ(scope, body, watch)
        watcher = asyncio.ensure_future(_watch_client(proto, watch))
        try:
            assert self.executor is not None
            loop = asyncio.get_running_loop()
            status, headers, answer = await loop.run_in_executor(
                self.executor, self._call_app, environ
            )
        finally:
            watcher.cancel()
            watch.close()
        if isinstance(answer, FileBody):
            # every send_file here is given a path, and Werkzeug opens the file by it
            path = answer.path
            answer.close()
            proto.response_file(status, headers, path)
            return
        proto.response_bytes(status, headers, answer)

    __call__ = __rsgi__  # an RSGI app is also a plain callable

    async def _read_body(self, scope: Any, proto: Any) -> bytes:
        length = scope.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            raise _Refused(413, f"request body over max_request_bytes={self.max_body} bytes")
        if length in (None, "0") and "chunked" not in scope.headers.get("transfer-encoding", ""):
            return b""
        try:
            return await asyncio.wait_for(self._collect(proto, length), self.read_timeout)
        except TimeoutError:
            raise _Refused(
                408, f"the request body did not arrive within read_timeout={self.read_timeout:g} s"
            ) from None

    async def _collect(self, proto: Any, length: str | None) -> bytes:
        # Whole, not chunk by chunk: granian's chunk iterator ends quietly on a malformed
        # chunked body, where reading it whole raises (and the client gets 400). So a chunked
        # body's size is checked once it has arrived, within the read timeout.
        try:
            body = bytes(await proto())
        except (TimeoutError, asyncio.CancelledError):
            raise
        except Exception:
            broken = (
                f"the body ended before its {length} bytes (Content-Length)"
                if length is not None
                else "malformed chunked request body"
            )
            raise _Refused(400, broken) from None
        if len(body) > self.max_body:
            raise _Refused(413, f"request body over max_request_bytes={self.max_body} bytes")
        return body

    def _environ(self, scope: Any, body: bytes, watch: ClientWatch) -> dict[str, Any]:
        server_host, _, server_port = scope.server.rpartition(":")
        client_host, _, client_port = scope.client.rpartition(":")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": scope.method,
            "SCRIPT_NAME": "",
            # granian gives the path percent-decoded as UTF-8 (an invalid byte becomes U+FFFD);
            # WSGI's PATH_INFO carries the bytes as latin-1 characters
            "PATH_INFO": scope.path.encode("utf-8").decode("latin-1"),
            "QUERY_STRING": scope.query_string,
            "SERVER_NAME": server_host,
            "SERVER_PORT": server_port,
            "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
            "REMOTE_ADDR": client_host,
            "REMOTE_PORT": client_port,
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": scope.scheme,
            "wsgi.input": io.BytesIO(body),
            "wsgi.input_terminated": True,
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "wsgi.file_wrapper": FileBody,
            HANGUP_KEY: watch,
        }
        for name, value in scope.headers.items():
            if name == "content-length":
                continue  # the body's real length is set above
            if name == "content-type":
                environ["CONTENT_TYPE"] = value
                continue
            key = "HTTP_" + name.upper().replace("-", "_")
            if key in environ:  # a repeated header: one value, as a proxy would join them
                joiner = "; " if key == "HTTP_COOKIE" else ", "
                environ[key] = environ[key] + joiner + value
            else:
                environ[key] = value
        return environ

    def _call_app(self, environ: dict[str, Any]) -> tuple[int, list[tuple[str, str]], Any]:
        """Run the WSGI app on a request thread; its answer whole (or a file to send)."""
        assert self.app is not None
        started: list[Any] = []

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None):
            started[:] = [status, headers]
            return _no_write

        result = self.app(environ, start_response)
        try:
            if isinstance(result, FileBody):
                body: Any = result
            else:
                body = b"".join(result)
        finally:
            if not isinstance(result, FileBody) and hasattr(result, "close"):
                result.close()
        status, headers = started
        kept = [(k, v) for k, v in headers if k.lower() not in HOP_BY_HOP]
        return int(status.split(" ", 1)[0]), kept, body


class _Refused(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.body = (message + "\n").encode("utf-8")


async def _watch_client(proto: Any, watch: ClientWatch) -> None:
    await proto.client_disconnect()
    watch.set_gone()


def _text_headers(message: str) -> list[tuple[str, str]]:
    return [
        ("content-type", "text/plain; charset=utf-8"),
        ("content-length", str(len(message.encode("utf-8")) + 1)),
    ]


def _no_write(data: bytes) -> None:
    raise RuntimeError("this server takes the answer from the iterable, not write()")

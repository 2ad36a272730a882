"""A pool of killable evaluator processes: the per-query time limit that really stops work.

Each evaluator is a child process (`python -m pillars.server.evaluator`) holding its own copy
of the store. A request thread takes an idle evaluator, sends the job and waits for the answer
until the deadline; if the deadline passes, the child is killed (pyoxigraph releases the GIL
but cannot be interrupted, so killing the process is the only way to stop the work) and a
fresh one is started in the background, while the client gets a 504 with a message.
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping
from multiprocessing.connection import Connection
from typing import Protocol

from pillars.server.evaluator import Answer, Job, decode_answer
from pillars.store import StoreSource

log = logging.getLogger(__name__)
START_TIMEOUT = 60.0  # seconds for a new evaluator to open the store
GONE_GRACE = 1.0  # seconds a query may go on after its client left before it is killed
# Oxigraph's joins and sorts allocate and free many small blocks; glibc's per-thread cache
# holds 7 of each size by default, and the rest go through the slower shared free lists. A
# deeper cache cut an evaluator's CPU per query by about a tenth on the benchmark's mix
# (docs/benchmarks.md). Other C libraries ignore the variable.
MALLOC_TUNABLE = "glibc.malloc.tcache_count=1000"


class Busy(Exception):
    """Every query slot is taken (503)."""


class TimedOut(Exception):
    """The time limit passed; the evaluator was killed (504)."""


class ClientGone(Exception):
    """The client closed its connection before the answer; its query was stopped."""


class EvaluatorFailed(Exception):
    """The evaluator died while answering; it was replaced (503)."""


class OutOfMemory(EvaluatorFailed):
    """The evaluator hit its memory limit (the allocator aborted); it was replaced (503)."""


def evaluator_environment(parent: Mapping[str, str]) -> dict[str, str]:
    """The parent's environment plus the allocator setting, unless the operator chose one."""
    env = dict(parent)
    tunables = env.get("GLIBC_TUNABLES", "")
    if "glibc.malloc.tcache_count=" not in tunables:
        env["GLIBC_TUNABLES"] = f"{tunables}:{MALLOC_TUNABLE}" if tunables else MALLOC_TUNABLE
    return env


class Evaluator:
    """One child process and our end of its socket."""

    def __init__(self, source: StoreSource | None, memory_mib: int = 0) -> None:
        """Start the process; it waits for `source` (given later, for a spare) in `load`."""
        ours, theirs = socket.socketpair()
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pillars.server.evaluator",
                str(theirs.fileno()),
                str(memory_mib),
                str(os.getpid()),  # the evaluator ends itself when this process is gone
            ],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env=evaluator_environment(os.environ),
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.source = source

    def load(self) -> None:
        """Send the store source; the child opens it and answers "ready"."""
        assert self.source is not None, "a spare evaluator is given its source first"
        self.conn.send(self.source)

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        if not self.conn.poll(timeout) or self.conn.recv() != "ready":
            self.kill()
            raise EvaluatorFailed("an evaluator process could not open the store")

    def exit_code(self, wait: float = 1.0) -> int | None:
        try:
            return self.proc.wait(wait)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.conn.close()


class EvaluatorPool:
    def __init__(
        self, source: StoreSource, size: int, max_concurrent: int, memory_mib: int = 0
    ) -> None:
        self.source = source
        self.size = size
        self.memory_mib = memory_mib
        # Last in, first out: under light load the same few evaluators answer, and their
        # caches (RocksDB blocks, parsed pages) stay warm.
        self._idle: queue.LifoQueue[Evaluator] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._start_lock = threading.Lock()
        self._started = False
        self._closed = False

    def start(self, spares: list[Evaluator] | None = None) -> None:
        """Start every evaluator at once (they open the store in parallel), wait for all.
        `spares`: processes started earlier that wait for a store (`Evaluator(None)`), used
        first, so a reload does not wait for interpreters to start."""
        if self._started:  # every query calls this: no lock once started
            return
        with self._start_lock:
            if self._started:
                return
            # All children start their interpreters at once; only then does each get the store
            # (sending blocks until the child reads it), so start-up costs one child's time.
            evaluators = (spares or [])[: self.size]
            evaluators += [
                Evaluator(self.source, self.memory_mib) for _ in range(self.size - len(evaluators))
            ]
            for ev in evaluators:
                ev.source = self.source
            for ev in evaluators:
                ev.load()
            for ev in evaluators:
                ev.wait_ready()
                self._idle.put(ev)
            self._started = True

    def run(self, job: Job, timeout: float, client: ClientSignal | None = None) -> Answer:
        """Evaluate `job` within `timeout` seconds (waiting for a free evaluator included).

        `client` tells whether the requester is gone, if the front knows: when it goes before
        the answer is ready the query is stopped, so clients that gave up leave no work behind.
        """
        self.start()
        if not self._slots.acquire(blocking=False):
            raise Busy()
        try:
            deadline = time.monotonic() + timeout
            try:
                ev = self._idle.get(timeout=timeout)
            except queue.Empty:
                raise TimedOut() from None
            healthy = False
            try:
                if client is not None and client.gone():
                    healthy = True  # the evaluator never saw the job
                    raise ClientGone()
                ev.conn.send(job)
                gone = False
                # One poll object per query: cheaper than multiprocessing's wait(), which builds
                # a selector on every call.
                poller = select.poll()
                poller.register(ev.conn.fileno(), select.POLLIN)
                if client is not None:
                    poller.register(client.fileno(), select.POLLIN)
                while True:
                    remaining = deadline - time.monotonic()
                    ready = {fd for fd, _ in poller.poll(max(0.0, remaining) * 1000)}
                    if ev.conn.fileno() in ready:
                        answer = decode_answer(ev.conn.recv_bytes())
                        healthy = True
                        if gone:
                            raise ClientGone()
                        return answer
                    if not ready:
                        raise ClientGone() if gone else TimedOut()
                    if client is not None and client.gone():
                        # Most queries end within moments: let this one finish and keep its
                        # warm evaluator; one still computing after the grace period is killed.
                        gone = True
                        deadline = min(deadline, time.monotonic() + GONE_GRACE)
                    if client is not None:  # gone, pipelined data, or a half-close
                        poller.unregister(client.fileno())
                    client = None  # stop watching it
            except (EOFError, OSError) as err:
                code = ev.exit_code()
                # The query's digest, not its text: it may be long, or private.
                digest = hashlib.sha256(job.query.encode("utf-8")).hexdigest()[:16]
                # Rust aborts (SIGABRT) when an allocation fails under the memory limit.
                if code == -signal.SIGABRT:
                    log.warning("evaluator %d ran out of memory on query sha256:%s (%d chars)",
                                ev.proc.pid, digest, len(job.query))  # fmt: skip
                    raise OutOfMemory() from err
                log.error("evaluator %d died (exit %s) on query sha256:%s (%d chars); replaced",
                          ev.proc.pid, code, digest, len(job.query))  # fmt: skip
                raise EvaluatorFailed() from err
            finally:
                if healthy:
                    self._idle.put(ev)
                else:
                    self._replace(ev)
        finally:
            self._slots.release()

    def _replace(self, ev: Evaluator) -> None:
        ev.kill()  # SIGKILL: the query's work stops now
        threading.Thread(target=self._respawn, name="evaluator-respawn", daemon=True).start()

    def _respawn(self) -> None:
        for attempt in range(5):
            if self._closed:
                return
            try:
                ev = Evaluator(self.source, self.memory_mib)
                ev.load()
                ev.wait_ready()
                self._idle.put(ev)
                return
            except (OSError, EvaluatorFailed) as err:
                log.error("cannot start an evaluator (attempt %d): %s", attempt + 1, err)
                time.sleep(0.5 * (attempt + 1))

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                return


class ClientSignal(Protocol):
    """How the front tells the pool that a request's client is gone: `fileno` becomes readable
    when something may have happened, and `gone` says whether the client left."""

    def fileno(self) -> int: ...

    def gone(self) -> bool: ...


class SocketSignal:
    """The signal of a client's own socket (gunicorn's front).

    A FIN alone does not mean the client is gone: HTTP/1.0-style tools shut their sending side
    after the request and still read the answer. Only a reset (or an error) proves the client
    cannot read; a client that closed both sides looks like a half-close until the answer is
    written, so its query runs to the end."""

    __slots__ = ("sock",)

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def fileno(self) -> int:
        return self.sock.fileno()

    def gone(self) -> bool:
        try:
            self.sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return False
        except OSError:
            return True  # reset by the peer
        poller = select.poll()
        poller.register(self.sock.fileno(), select.POLLIN)
        return any(ev & (select.POLLHUP | select.POLLERR) for _, ev in poller.poll(0))


def run_once(job: Job, source: StoreSource, timeout: float, memory_mib: int) -> Answer:
    """One job in one fresh, killable evaluator, with the server's time and memory limits:
    for a query from outside the server (`pillars query`). Raises TimedOut, OutOfMemory or
    EvaluatorFailed as `EvaluatorPool.run` does."""
    pool = EvaluatorPool(source, 1, 1, memory_mib)
    try:
        return pool.run(job, timeout)
    finally:
        pool.close()

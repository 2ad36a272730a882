"""A pool of killable evaluator processes: the per-query time limit that really stops work.

Each evaluator is a process forked from a zygote (`pillars.server.zygote`) that loaded the
store once. A request thread takes an idle evaluator, sends the job and waits for the answer
until the deadline; if the deadline passes, the evaluator is killed (pyoxigraph releases the
GIL but cannot be interrupted, so killing the process is the only way to stop the work) and
the zygote forks a fresh one in milliseconds, while the client gets a 504 with a message.

An on-disk store is answered from the disk at once; in memory mode a second zygote copies it
into memory meanwhile, and its evaluators replace the disk ones when it is there.
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
from typing import NoReturn, Protocol

from pillars.server.evaluator import Answer, Job, decode_answer
from pillars.store import StoreSource

log = logging.getLogger(__name__)
START_TIMEOUT = 60.0  # seconds for a new evaluator to open the store
KILL_WAIT = 5.0  # seconds a killed evaluator may take to end (it is usually microseconds)
# Runs of one query at most: a query whose process was stopped for a co-runner (or crashed
# beside it: which of its queries did it cannot be told) is run once more elsewhere.
MAX_RUNS = 2
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


class ZygoteFailed(Exception):
    """The zygote could not load the store, or is gone."""


class _Lost(Exception):
    """The evaluator process ended under a query: `error` if it failed (crash, memory),
    None if we stopped it for another query it was running."""

    def __init__(self, error: EvaluatorFailed | None) -> None:
        super().__init__()
        self.error = error


class EvaluatorProcess:
    """One evaluator process, forked by a zygote; it runs one query per thread."""

    def __init__(self, pid: int, pidfd: int, zygote: Zygote) -> None:
        self.pid = pid
        self.pidfd = pidfd  # kills exactly this process, even after its pid is reused
        self.zygote = zygote
        self.killed = False
        self._lock = threading.Lock()
        self._code: int | None = None

    def exit_code(self, wait: float = 1.0) -> int | None:
        """How it ended (negative: the signal), from the zygote; None if unknown."""
        if self._code is None:
            self._code = self.zygote.exit_code(self.pid, wait)
        return self._code

    def ended(self, wait: float = 0.0) -> bool:
        """Has the process ended (waiting up to `wait` seconds)?"""
        if self.killed:
            return True
        return self._wait_pidfd(wait)

    def kill(self) -> bool:
        """SIGKILL, and wait (a moment) until it has ended. True for the first call only."""
        with self._lock:
            if self.killed:
                return False
            self.killed = True
        try:
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            self._wait_pidfd(KILL_WAIT)
        except ProcessLookupError:
            pass
        os.close(self.pidfd)
        return True

    def _wait_pidfd(self, seconds: float) -> bool:
        """Wait up to `seconds` for the process to end; True if it has. A pidfd reads once
        it has; poll, not select: a worker's descriptors may be numbered beyond select's 1,024."""
        poller = select.poll()
        poller.register(self.pidfd, select.POLLIN)
        return bool(poller.poll(seconds * 1000))


class Evaluator:
    """Our end of one query thread of an evaluator process."""

    def __init__(self, process: EvaluatorProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn
        self.generation = 0

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self, timeout: float = START_TIMEOUT) -> None:
        try:
            if self.conn.poll(timeout) and self.conn.recv() == "ready":
                return
        except (EOFError, OSError):
            pass
        self.kill()
        raise EvaluatorFailed("an evaluator process could not open the store")

    def exit_code(self, wait: float = 1.0) -> int | None:
        return self.process.exit_code(wait)

    def ended(self) -> bool:
        return self.process.ended()

    def kill(self) -> bool:
        """Kill the process (every query thread of it); True if this call killed it."""
        first = self.process.kill()
        self.conn.close()
        return first


class Zygote:
    """Our end of a zygote process (`pillars.server.zygote`): it loads the store, forks the
    evaluators, and reports how they ended. Started before it is given a store, so a spare one
    can wait for the next corpus."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "pillars.server.zygote", str(theirs.fileno()), str(os.getpid())],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            env=evaluator_environment(os.environ),
            # A group of its own: Ctrl-C at a terminal does not interrupt it halfway; it and
            # its evaluators end with this process, whatever way it ends.
            process_group=0,
        )
        theirs.close()
        self.sock = ours  # for the descriptors each fork sends
        self.conn = Connection(os.dup(ours.fileno()))
        self.in_memory = False
        self._lock = threading.Lock()  # one request at a time

    def load(self, source: StoreSource, in_memory: bool, timeout: float | None) -> None:
        """Give the store; raises ZygoteFailed with the reason if it cannot be opened."""
        self.in_memory = in_memory
        answer = self._ask(("load", source, in_memory), timeout)
        if answer != "ready":
            self.close()
            reason = answer[1] if isinstance(answer, tuple) else "no answer"
            raise ZygoteFailed(f"the store could not be opened: {reason}")

    def fork(self, memory_mib: int, threads: int = 1) -> list[Evaluator]:
        """One evaluator process running `threads` queries at once: a handle per thread."""
        with self._lock:
            try:
                self.conn.send(("fork", memory_mib, threads))
                if not self.conn.poll(START_TIMEOUT):
                    self._stuck("did not fork an evaluator")
                pid = self.conn.recv()
                _, fds, _, _ = socket.recv_fds(self.sock, 1, threads + 1)
            except (EOFError, OSError) as err:
                raise ZygoteFailed(f"the zygote is gone: {err}") from err
        if len(fds) != threads + 1:
            for fd in fds:
                os.close(fd)
            raise ZygoteFailed("the zygote sent no evaluator")
        process = EvaluatorProcess(pid, fds[-1], self)
        return [Evaluator(process, Connection(fd)) for fd in fds[:-1]]

    def exit_code(self, pid: int, wait: float) -> int | None:
        """How evaluator `pid` ended (negative: the signal), None if unknown or running."""
        try:
            answer = self._ask(("status", pid, wait), wait + START_TIMEOUT)
        except ZygoteFailed:
            return None
        return answer if isinstance(answer, int) else None

    def _ask(self, request: tuple[object, ...], timeout: float | None) -> object:
        with self._lock:
            try:
                self.conn.send(request)
                if not self.conn.poll(timeout):
                    self._stuck(f"did not answer {request[0]!r} in time")
                return self.conn.recv()
            except (EOFError, OSError) as err:
                raise ZygoteFailed(f"the zygote is gone: {err}") from err

    def _stuck(self, what: str) -> NoReturn:
        # A late answer would be read as the answer to the next request: end it instead.
        self.proc.kill()
        raise ZygoteFailed(f"the zygote {what}; ended")

    def close(self) -> None:
        """End the zygote; the evaluators it forked are ended by whoever holds them."""
        self.proc.kill()
        self.proc.wait()
        self.conn.close()
        self.sock.close()


class EvaluatorPool:
    def __init__(
        self,
        source: StoreSource,
        size: int,
        max_concurrent: int,
        memory_mib: int = 0,
        in_memory: bool = False,
        threads: int = 1,
    ) -> None:
        """`size` processes of `threads` query threads each. `in_memory`: an on-disk store is
        copied into memory (answering from the disk until it is there). N-Quads are always in
        memory, a remote endpoint never."""
        self.source = source
        self.size = size
        self.threads = threads
        self.memory_mib = memory_mib
        self.to_memory = in_memory and source.path is not None
        # Last in, first out: under light load the same few evaluators answer, and their
        # caches (RocksDB blocks, parsed pages) stay warm.
        self._idle: queue.LifoQueue[Evaluator] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(max_concurrent)
        self._start_lock = threading.Lock()
        self._zygote_lock = threading.Lock()
        self._zygote: Zygote | None = None
        self._loading: Zygote | None = None  # copying an on-disk store into memory
        self._generation = 0  # evaluators of an older one (on disk) are retired
        self._started = False
        self._closed = False

    def start(self, spare: Zygote | None = None) -> None:
        """Start the zygote and every evaluator, and wait for all. `spare`: a zygote started
        earlier that waits for a store, so a reload does not wait for an interpreter."""
        if self._started:  # every query calls this: no lock once started
            return
        with self._start_lock:
            if self._started:
                return
            self._zygote = self._new_zygote(spare, in_memory=self.source.nquads is not None)
            self._add(self.size)
            if self.to_memory:
                threading.Thread(target=self._move_to_memory, name="store-to-memory",
                                 daemon=True).start()  # fmt: skip
            self._started = True

    def _new_zygote(self, spare: Zygote | None, in_memory: bool) -> Zygote:
        zygote = spare or Zygote()
        try:
            zygote.load(self.source, in_memory, START_TIMEOUT)
        except ZygoteFailed as err:
            raise EvaluatorFailed(str(err)) from err
        return zygote

    def _add(self, count: int) -> None:
        """Fork `count` evaluators (they open the store at once, if they open it), wait."""
        assert self._zygote is not None
        evaluators = self._fork(self._zygote, count)
        for ev in evaluators:
            ev.generation = self._generation
        for ev in evaluators:
            ev.wait_ready()
            self._idle.put(ev)

    def _fork(self, zygote: Zygote, processes: int) -> list[Evaluator]:
        """The query-thread handles of `processes` new evaluator processes."""
        return [h for _ in range(processes) for h in zygote.fork(self.memory_mib, self.threads)]

    def _move_to_memory(self) -> None:
        """Copy the on-disk store into memory in a second zygote, then swap its evaluators in:
        queries are answered from the disk meanwhile."""
        started = time.monotonic()
        try:
            self._loading = zygote = Zygote()
            zygote.load(self.source, True, None)
            fresh = [
                h for _ in range(self.size) for h in zygote.fork(self.memory_mib, self.threads)
            ]
            for ev in fresh:
                ev.wait_ready()
        except (ZygoteFailed, EvaluatorFailed) as err:
            if not self._closed:
                log.error("the store stays on disk: %s", err)
            return
        finally:
            self._loading = None
        with self._zygote_lock:
            if self._closed:
                zygote.close()
                for ev in fresh:
                    ev.kill()
                return
            old, self._zygote = self._zygote, zygote
            self._generation += 1
            for ev in fresh:
                ev.generation = self._generation
                self._idle.put(ev)
        self._retire_idle()
        if old is not None:
            old.close()
        log.warning("store copied into memory in %.1f s; its evaluators answer now",
                    time.monotonic() - started)  # fmt: skip

    def _retire_idle(self) -> None:
        """Kill the idle evaluators of older generations (busy ones go when they are done)."""
        current: list[Evaluator] = []
        while True:
            try:
                ev = self._idle.get_nowait()
            except queue.Empty:
                break
            if ev.generation == self._generation:
                current.append(ev)
            else:
                ev.kill()
        for ev in current:
            self._idle.put(ev)

    def run(self, job: Job, timeout: float, client: ClientSignal | None = None) -> Answer:
        """Evaluate `job` within `timeout` seconds (waiting for a free evaluator included).

        `client` tells whether the requester is gone, if the front knows: when it goes before
        the answer is ready the query is stopped, so clients that gave up leave no work behind.
        A query whose evaluator process was stopped for another query running beside it (an
        evaluator with several threads) is run again on another, within the same deadline.
        """
        self.start()
        if not self._slots.acquire(blocking=False):
            raise Busy()
        try:
            deadline = time.monotonic() + timeout
            for attempt in range(MAX_RUNS):
                try:
                    return self._run_on(self._take(deadline), job, deadline, client)
                except _Lost as lost:
                    if attempt + 1 >= MAX_RUNS or lost.error is not None and self.threads == 1:
                        raise (lost.error or EvaluatorFailed()) from lost
            raise AssertionError("unreachable: the last attempt raises")
        finally:
            self._slots.release()

    def _run_on(
        self, ev: Evaluator, job: Job, deadline: float, client: ClientSignal | None
    ) -> Answer:
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
                    # Most queries end within moments: let this one finish and keep its warm
                    # evaluator; one still computing after the grace period is killed.
                    gone = True
                    deadline = min(deadline, time.monotonic() + GONE_GRACE)
                if client is not None:  # gone, pipelined data, or a half-close
                    poller.unregister(client.fileno())
                client = None  # stop watching it
        except (EOFError, OSError) as err:
            if ev.process.killed:  # stopped by us for a query beside this one: run it again
                raise _Lost(None) from err
            raise _Lost(self._failure(ev, job)) from err
        finally:
            self._give_back(ev, healthy)

    def _failure(self, ev: Evaluator, job: Job) -> EvaluatorFailed:
        """What a process that died under `job` is reported as (logged with the digest)."""
        code = ev.exit_code()
        # The query's digest, not its text: it may be long, or private.
        digest = hashlib.sha256(job.query.encode("utf-8")).hexdigest()[:16]
        # Rust aborts (SIGABRT) when an allocation fails under the memory limit.
        if code == -signal.SIGABRT:
            log.warning("evaluator %d ran out of memory on query sha256:%s (%d chars)",
                        ev.pid, digest, len(job.query))  # fmt: skip
            return OutOfMemory()
        log.error("evaluator %d died (exit %s) on query sha256:%s (%d chars); replaced",
                  ev.pid, code, digest, len(job.query))  # fmt: skip
        return EvaluatorFailed()

    def _take(self, deadline: float) -> Evaluator:
        """An idle evaluator that is alive: one killed while idle (by an operator, say) is
        replaced, not handed the query."""
        while True:
            try:
                ev = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise TimedOut() from None
            if not ev.ended():
                return ev
            if not ev.process.killed:  # else it was stopped for a co-runner, and replaced
                code = ev.exit_code()
                log.error("evaluator %d ended while idle (exit %s); replaced", ev.pid, code)
            self._give_back(ev, healthy=False)

    def _give_back(self, ev: Evaluator, healthy: bool) -> None:
        current = ev.generation == self._generation
        if healthy and current and not self._closed and not ev.process.killed:
            self._idle.put(ev)
            return
        first = ev.kill()  # SIGKILL: the query's work stops now (and its co-runners')
        if first and not healthy and current:
            threading.Thread(target=self._respawn, name="evaluator-respawn", daemon=True).start()

    def _respawn(self) -> None:
        for attempt in range(5):
            if self._closed:
                return
            zygote = self._zygote
            try:
                assert zygote is not None
                handles = self._fork(zygote, 1)
                for ev in handles:
                    ev.generation = self._generation
                    ev.wait_ready()
                for ev in handles:
                    self._give_back(ev, True)
                return
            except (ZygoteFailed, EvaluatorFailed) as err:
                log.error("cannot start an evaluator (attempt %d): %s", attempt + 1, err)
                self._restart_zygote(zygote)
                time.sleep(0.5 * attempt)

    def _restart_zygote(self, failed: Zygote | None) -> None:
        """A zygote that cannot fork (killed, say) is replaced by one of the same kind."""
        with self._zygote_lock:
            if self._closed or failed is None or self._zygote is not failed:
                return  # another thread replaced it already
            try:
                self._zygote = self._new_zygote(None, failed.in_memory)
            except EvaluatorFailed as err:
                log.error("cannot restart the zygote: %s", err)
                return
        failed.close()

    def close(self) -> None:
        self._closed = True
        with self._zygote_lock:
            for zygote in (self._zygote, self._loading):
                if zygote is not None:
                    zygote.close()
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
    pool = EvaluatorPool(source, 1, 1, memory_mib)  # on disk: one query is not worth a copy
    try:
        return pool.run(job, timeout)
    finally:
        pool.close()

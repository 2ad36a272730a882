"""The zygote: one process that opens or loads the store once, and forks the evaluators.

An evaluator forked from a process that already holds the store is ready in milliseconds:
no interpreter to start, nothing to import, no store to load, so a killed one is replaced at
once. An in-memory store's pages are shared with every evaluator until a query writes to them
(copy-on-write; docs/benchmarks.md measures how far they drift apart).

What the zygote holds depends on the source. N-Quads (the in-memory corpus) are loaded once.
An on-disk store in memory mode is read out through a helper process (RocksDB starts threads,
and a process that forks must not have any) and loaded. Otherwise (disk mode, or a remote
endpoint) it holds nothing, and each evaluator opens the store itself after the fork.

Run as `python -m pillars.server.zygote FD OWNER`: FD is one end of a stream socket pair,
OWNER the pid of the web worker, which every process of the tree outlives by moments only.
Requests (multiprocessing framing), one at a time:
- ("load", StoreSource, in_memory) -> "ready", or ("failed", message);
- ("fork", memory_mib, threads) -> the evaluator's pid, then one byte carrying threads + 1
  descriptors: the worker's end of each query thread's socket, and a pidfd to kill the
  evaluator by;
- ("status", pid, seconds) -> the evaluator's exit code (negative: the signal), or None if it
  has not ended within `seconds`.
"""

from __future__ import annotations

import ctypes
import os
import select
import socket
import subprocess
import sys
import threading
import time
from collections import OrderedDict
from multiprocessing.connection import Connection

from pillars.store import StoreError, StoreSource
from pillars.store_interface import ReadStore

EVALUATOR_NAME = b"pillars-eval"  # the process name (comm) that ps, top and tests show
ZYGOTE_NAME = b"pillars-zygote"
KEPT_STATUSES = 1000  # exit codes of evaluators the worker has not asked about yet
REAP_SECONDS = 1.0  # how often an idle zygote collects ended evaluators
PR_SET_NAME = 15

# An on-disk store read out as N-Quads by a short-lived process, so that RocksDB's threads
# never run in the zygote.
_DUMP = """
import sys
from pathlib import Path
import pyoxigraph as ox
from pillars.store import StoreError, open_read_only
try:
    store = open_read_only(Path(sys.argv[1]))
except StoreError as err:
    sys.exit(str(err))
store.dump(output=sys.stdout.buffer, format=ox.RdfFormat.N_QUADS)
"""


def name_process(name: bytes) -> None:
    """Set the process name ps and top show, so evaluators and the zygote can be told apart."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_NAME, ctypes.c_char_p(name), 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the name is only a convenience


def data_kib() -> int:
    """This process's data segment (what RLIMIT_DATA limits), in KiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1])
    return 0


def watch_owner(owner_fd: int) -> None:
    """End this process the moment the owner (a pidfd) ends, whatever way it ended. A query
    may hold the main thread for minutes, so a thread waits; pyoxigraph releases the
    interpreter lock while it computes."""

    def watch() -> None:
        poller = select.poll()
        poller.register(owner_fd, select.POLLIN)
        while not poller.poll():
            pass
        os._exit(1)  # nothing to clean up: the store is read-only, the answer has no reader

    threading.Thread(target=watch, name="owner-watch", daemon=True).start()


class Zygote:
    """The zygote's side of the protocol: the store, and the evaluators forked from it."""

    def __init__(self, control: socket.socket, owner_fd: int) -> None:
        self.control = control
        self.conn = Connection(os.dup(control.fileno()))
        self.owner_fd = owner_fd
        self.source: StoreSource | None = None
        self.store: ReadStore | None = None  # held before the fork, or None: opened after
        self.store_kib = 0  # the loaded store's share of the data segment
        self.ended: OrderedDict[int, int] = OrderedDict()

    def run(self) -> None:
        poller = select.poll()
        poller.register(self.conn.fileno(), select.POLLIN)
        poller.register(self.owner_fd, select.POLLIN)
        while True:
            ready = {fd for fd, _ in poller.poll(REAP_SECONDS * 1000)}
            self.reap()
            if self.owner_fd in ready:
                return
            if self.conn.fileno() not in ready:
                continue
            try:
                request = self.conn.recv()
            except (EOFError, OSError):
                return  # the worker closed us
            kind = request[0]
            if kind == "fork":
                self.send_evaluator(request[1], request[2])
            elif kind == "load":
                self.conn.send(self.load(request[1], request[2]))
            elif kind == "status":
                self.conn.send(self.status(request[1], request[2]))
            else:
                self.conn.send(("failed", f"unknown request {kind!r}"))

    def send_evaluator(self, memory_mib: int, threads: int) -> None:
        pid, ours, pidfd = self.fork(memory_mib, threads)
        self.conn.send(pid)
        socket.send_fds(self.control, [b"F"], [s.fileno() for s in ours] + [pidfd])
        for sock in ours:
            sock.close()
        os.close(pidfd)

    def load(self, source: StoreSource, in_memory: bool) -> str | tuple[str, str]:

        self.source = source
        before = data_kib()
        try:
            if source.nquads is not None:
                self.store = source.open()
            elif source.path is not None and in_memory:
                self.store = _read_out(source.path)
        except (StoreError, OSError, SyntaxError, MemoryError) as err:
            return ("failed", str(err))
        self.store_kib = max(0, data_kib() - before)
        return "ready"

    def fork(self, memory_mib: int, threads: int) -> tuple[int, list[socket.socket], int]:
        pairs = [socket.socketpair() for _ in range(threads)]
        pid = os.fork()
        if pid == 0:  # the evaluator
            code = 0
            try:
                for ours, _ in pairs:
                    ours.close()
                self.conn.close()
                self.control.close()
                code = self.evaluate([theirs for _, theirs in pairs], memory_mib)
            finally:
                os._exit(code)  # never the zygote's own exit path
        for _, theirs in pairs:
            theirs.close()
        return pid, [ours for ours, _ in pairs], os.pidfd_open(pid)

    def evaluate(self, socks: list[socket.socket], memory_mib: int) -> int:
        """The evaluator: one thread per socket, each answering its queries in turn."""
        from pillars.server.evaluator import limit_memory, serve_jobs

        name_process(EVALUATOR_NAME)
        watch_owner(self.owner_fd)
        if memory_mib > 0:  # on top of the store it was born with; its threads share it, so
            limit_memory(memory_mib + self.store_kib // 1024)  # no query ever gets more
        assert self.source is not None, "the zygote is loaded before it forks"
        try:
            store = self.store if self.store is not None else self.source.open()
        except StoreError:
            return 1
        conns = [Connection(sock.detach()) for sock in socks]
        threads = [
            threading.Thread(target=serve_jobs, args=(conn, self.source, store), daemon=True)
            for conn in conns[1:]
        ]
        for thread in threads:
            thread.start()
        serve_jobs(conns[0], self.source, store)
        for thread in threads:
            thread.join()
        return 0

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            self.ended[pid] = os.waitstatus_to_exitcode(status)
            while len(self.ended) > KEPT_STATUSES:
                self.ended.popitem(last=False)

    def status(self, pid: int, seconds: float) -> int | None:
        deadline = time.monotonic() + seconds
        while True:
            self.reap()
            if pid in self.ended:
                return self.ended[pid]  # kept: each of its query threads may ask
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.005)


def _read_out(path: str) -> ReadStore:
    """The on-disk store at `path`, copied into memory."""
    import pyoxigraph as ox

    # -P: the working folder is not put first on sys.path (a pillars/ folder there is not
    # imported in place of this package).
    with subprocess.Popen(
        [sys.executable, "-P", "-c", _DUMP, path],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as dump:
        assert dump.stdout is not None and dump.stderr is not None
        store = ox.Store()
        try:
            store.load(input=dump.stdout, format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError) as err:
            dump.kill()
            raise StoreError(f"{path}: cannot read the store into memory: {err}") from err
        lines = dump.stderr.read().decode("utf-8", "replace").strip().splitlines()
    if dump.returncode != 0:
        raise StoreError(lines[-1] if lines else f"{path}: cannot read the store into memory")
    return store


def main(fd: int, owner: int) -> None:
    name_process(ZYGOTE_NAME)
    try:
        owner_fd = os.pidfd_open(owner)
    except ProcessLookupError:
        return  # the worker is already gone
    if os.getppid() != owner:  # it ended before pidfd_open, and the pid was taken again
        return
    Zygote(socket.socket(fileno=fd), owner_fd).run()


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))

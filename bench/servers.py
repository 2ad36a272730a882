"""The servers under test: start each one on 127.0.0.1, wait for its first answer, measure RSS.

Every server serves the same data: Pillars and Oxigraph's own server open the same on-disk
store (built once by `pillars load`; both use Oxigraph 0.5.13); rdflib-endpoint parses and
Virtuoso bulk-loads an N-Quads dump of it. Every default graph is the union of the named
graphs, as in Pillars.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import requests

from pillars.server.memory import tree_footprint

BENCH = Path(__file__).resolve().parent
PEERS_BIN = BENCH / ".venv" / "bin"  # peers live in their own venv (see docs/benchmarks.md)
PILLARS_BIN = Path(sys.executable).parent
VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
FIRST_ANSWER_SECONDS = 900.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ask(url: str, timeout: float = 10.0) -> bool:
    """True when the endpoint answers `ASK {}` with 200."""
    q = urllib.parse.urlencode({"query": "ASK {}"})
    req = urllib.request.Request(
        f"{url}?{q}", headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def tree_pss(pid: int) -> int:
    """PSS of a process and all its descendants, in bytes: shared pages divided among their
    sharers, so the sum is the tree's real footprint (RSS would count them once per process)."""
    return tree_footprint(pid).pss_kib * 1024


@dataclass
class Server:
    """One running server. `endpoint` is its SPARQL URL."""

    name: str
    endpoint: str
    proc: subprocess.Popen[bytes]
    load_seconds: float  # building its store (0 when it shares another's)
    start_seconds: float = 0.0  # from start to the first answer
    log: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def pss(self) -> int:
        return tree_pss(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)


def _spawn(
    cmd: list[str], log: Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    return subprocess.Popen(
        cmd,
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
        env=env,
        start_new_session=True,  # stop() signals the whole process group
    )


def _wait_first_answer(server: Server, started: float) -> Server:
    deadline = started + FIRST_ANSWER_SECONDS
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"{server.name} exited; see {server.log}")
        if ask(server.endpoint, timeout=5):
            server.start_seconds = time.monotonic() - started
            return server
        time.sleep(0.05)
    server.stop()
    raise RuntimeError(f"{server.name} gave no answer in {FIRST_ANSWER_SECONDS:.0f} s")


def start_pillars(store: Path, out: Path, name: str = "pillars", *options: str) -> Server:
    """`pillars serve --store` exactly as a user runs it (gunicorn, default settings)."""
    port = free_port()
    log = out / f"{name}.log"
    t = time.monotonic()
    cmd = [str(PILLARS_BIN / "pillars"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = _spawn([*cmd, "--store", str(store), *options], log)
    server = Server(name, f"http://127.0.0.1:{port}/sparql", proc, 0.0, log=log)
    server = _wait_first_answer(server, t)
    wait_for_store_placement(log)
    return server


PLACED = ("store copied into memory", "read the store on disk", "the store stays on disk")


def wait_for_store_placement(log: Path, seconds: float = 900.0) -> None:
    """Until the evaluators read the store where they will stay (a copy into memory is made
    after the first answer), so that every round measures the same server."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(mark in log.read_text(encoding="utf-8", errors="replace") for mark in PLACED):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{log}: the store was not placed within {seconds:.0f} s")


def start_oxigraph(store: Path, out: Path) -> Server:
    port = free_port()
    log = out / "oxigraph.log"
    t = time.monotonic()
    cmd = [str(PEERS_BIN / "oxigraph"), "serve-read-only", "--location", str(store)]
    proc = _spawn([*cmd, "--bind", f"127.0.0.1:{port}", "--union-default-graph"], log)
    server = Server("oxigraph", f"http://127.0.0.1:{port}/query", proc, 0.0, log=log)
    return _wait_first_answer(server, t)


def start_oxigraph_memory(nquads: Path, out: Path) -> Server:
    """Oxigraph's server on its in-memory store, filled with the dump over its Graph Store
    endpoint (it has no load command for memory); the load is its start time."""
    port = free_port()
    log = out / "oxigraph-memory.log"
    t = time.monotonic()
    cmd = [str(PEERS_BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}"]
    proc = _spawn([*cmd, "--union-default-graph"], log)
    server = Server("oxigraph-memory", f"http://127.0.0.1:{port}/query", proc, 0.0, log=log)
    _wait_first_answer(server, t)
    with nquads.open("rb") as data:
        r = requests.post(
            f"http://127.0.0.1:{port}/store",
            data=data,
            headers={"Content-Type": "application/n-quads"},
            timeout=600,
        )
    if r.status_code >= 300:
        server.stop()
        raise RuntimeError(f"oxigraph-memory refused the dump: {r.status_code} {r.text[:200]}")
    server.load_seconds = server.start_seconds = time.monotonic() - t
    return server


def start_flask_minimal(store: Path, out: Path) -> Server:
    """bench/minimal_front.py under gunicorn (one worker, 16 threads: the best of the
    layouts tried), on the store Pillars serves."""
    port = free_port()
    log = out / "flask-minimal.log"
    t = time.monotonic()
    cmd = [str(PILLARS_BIN / "gunicorn"), "-w", "1", "--threads", "16"]
    proc = _spawn(
        [*cmd, "-b", f"127.0.0.1:{port}", "bench.minimal_front:app"],
        log,
        cwd=BENCH.parent,
        env={**os.environ, "PILLARS_BENCH_STORE": str(store)},
    )
    server = Server("flask-minimal", f"http://127.0.0.1:{port}/sparql", proc, 0.0, log=log)
    return _wait_first_answer(server, t)


def start_rdflib(nquads: Path, out: Path) -> Server:
    """rdflib-endpoint parses the dump at start; its load time is its start time."""
    port = free_port()
    log = out / "rdflib.log"
    t = time.monotonic()
    cmd = [str(PEERS_BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1"]
    proc = _spawn([*cmd, "--port", str(port), str(nquads)], log)
    server = Server("rdflib-endpoint", f"http://127.0.0.1:{port}/", proc, 0.0, log=log)
    _wait_first_answer(server, t)
    server.load_seconds = server.start_seconds
    return server


def virtuoso_available() -> bool:
    return shutil.which("virtuoso-t") is not None and VIRTUOSO_INI.is_file()


def virtuoso_ini(folder: Path, isql_port: int, http_port: int) -> str:
    """The Debian package's virtuoso.ini with our folder, loopback ports and more buffers."""
    text = VIRTUOSO_INI.read_text()
    text = text.replace("/var/lib/virtuoso-opensource-7/db", str(folder))
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*1111", f"ServerPort\\1= 127.0.0.1:{isql_port}", text)
    text = re.sub(r"(?m)^ServerPort(\s*)=\s*8890", f"ServerPort\\1= 127.0.0.1:{http_port}", text)
    text = re.sub(r"(?m)^DirsAllowed\s*=.*$", f"DirsAllowed = ., {folder}", text)
    # Buffers sized for a few million triples (the file's own guidance: 8 KiB each).
    text = re.sub(r"(?m)^NumberOfBuffers\s*=.*$", "NumberOfBuffers = 170000", text)
    text = re.sub(r"(?m)^MaxDirtyBuffers\s*=.*$", "MaxDirtyBuffers = 130000", text)
    text = re.sub(r"(?m)^MaxClientConnections\s*=.*$", "MaxClientConnections = 32", text)
    text = re.sub(r"(?m)^ServerThreads\s*=.*$", "ServerThreads = 32", text)
    text = re.sub(r"(?m)^ResultSetMaxRows\s*=.*$", "ResultSetMaxRows = 100000", text)
    return text


def isql(port: int, sql: str, timeout: float = 1800.0) -> str:
    r = subprocess.run(
        ["isql-vt", str(port), "dba", "dba", "VERBOSE=OFF", "PROMPT=OFF", "BANNER=OFF"],
        input=sql,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if r.returncode != 0 or "*** Error" in r.stdout:
        raise RuntimeError(f"isql failed: {r.stdout[-2000:]} {r.stderr[-2000:]}")
    return r.stdout


def start_virtuoso(nquads: Path, out: Path) -> Server:
    """A fresh database in out/virtuoso, the dump bulk-loaded with ld_dir, a text index.

    The text index (for bif:contains) covers every literal, as Virtuoso's documentation
    suggests; building it is part of the load time.
    """
    folder = out / "virtuoso"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    isql_port, http_port = free_port(), free_port()
    (folder / "virtuoso.ini").write_text(virtuoso_ini(folder, isql_port, http_port))
    shutil.copy(nquads, folder / "data.nq")
    log = out / "virtuoso.log"
    t = time.monotonic()
    proc = _spawn(["virtuoso-t", "+foreground", "+configfile", "virtuoso.ini"], log, folder)
    server = Server("virtuoso", f"http://127.0.0.1:{http_port}/sparql", proc, 0.0, log=log)
    _wait_first_answer(server, t)
    server.start_seconds = time.monotonic() - t
    t = time.monotonic()
    isql(
        isql_port,
        "DB.DBA.RDF_OBJ_FT_RULE_ADD (null, null, 'pillars');\n"
        f"ld_dir ('{folder}', 'data.nq', 'urn:pillars:unused');\n"
        "rdf_loader_run ();\n"
        "DB.DBA.VT_INC_INDEX_DB_DBA_RDF_OBJ ();\n"
        "checkpoint;\n",
    )
    server.load_seconds = time.monotonic() - t
    server.extra["isql_port"] = str(isql_port)
    return server

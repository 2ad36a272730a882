"""The load client: wrk (C, event-driven, keep-alive), fed the query texts by a Lua script.

A Python client with threads would spend more CPU per request than the faster servers; wrk
spends a few microseconds. Each wrk connection keeps its connection alive and sends the next
request as soon as the answer arrives (a closed loop), so `connections` is the number of
concurrent clients. The Lua script cycles through the request file, each thread starting at
its own offset, and prints a JSON summary (latency percentiles in microseconds).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from bench.mix import Query

# The requests, each thread's offset into them and request(): shared with bench/soak.py, whose
# script appends its own response() and done().
SCRIPT_PREFIX = r"""
local requests = {}
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
  table.insert(threads, thread)
end

function init(args)
  local n = 0
  for line in io.lines(args[1]) do
    local accept, path = line:match("^([^\t]+)\t(.+)$")
    n = n + 1
    requests[n] = wrk.format("GET", path, {["Accept"] = accept})
  end
  nreq = n
  i = (offset - 1) * math.floor(n / 2)
end

function request()
  i = i + 1
  return requests[(i % nreq) + 1]
end
"""
SCRIPT = (
    SCRIPT_PREFIX
    + r"""
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, '
    .. '"status": %d, "timeout": %d, "p50": %d, "p95": %d, "p99": %d, "mean": %f}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end
"""
)


@dataclass(frozen=True)
class Result:
    qps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    requests: int
    errors: int


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def write_requests(path: Path, endpoint: str, queries: list[Query]) -> None:
    base = urllib.parse.urlsplit(endpoint).path or "/"
    with path.open("w", encoding="utf-8") as f:
        for q in queries:
            f.write(f"{q.accept}\t{base}?{urllib.parse.urlencode({'query': q.text})}\n")


def run(endpoint: str, requests_file: Path, script: Path, clients: int, seconds: float) -> Result:
    """One timed round: `clients` keep-alive connections for `seconds`."""
    if not script.exists():
        script.write_text(SCRIPT)
    parts = urllib.parse.urlsplit(endpoint)
    threads = min(clients, 2)  # two cores: more wrk threads would only compete
    cmd = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(clients),
        "-d",
        f"{seconds:g}s",
        "--timeout",
        "30s",
        "-s",
        str(script),
        f"{parts.scheme}://{parts.netloc}/",
        "--",
        str(requests_file),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary: {out.stdout[-1000:]} {out.stderr[-1000:]}")
    d = json.loads(line[len("WRKJSON ") :])
    errors = d["connect"] + d["read"] + d["write"] + d["status"] + d["timeout"]
    return Result(
        qps=d["requests"] / (d["duration_us"] / 1e6),
        p50_ms=d["p50"] / 1000,
        p95_ms=d["p95"] / 1000,
        p99_ms=d["p99"] / 1000,
        requests=d["requests"],
        errors=errors,
    )

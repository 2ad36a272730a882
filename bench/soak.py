"""A soak: minutes of mixed traffic against `pillars serve`, counted by status, with PSS.

python -m bench.soak [--articles 100] [--minutes 3] [--clients 16] [--segment 30]

The traffic cycles through cold SPARQL queries of the benchmark mix (each text numbered, so
the result cache only misses), site pages, searches, 404s and requests that must be refused
(a bad parameter, an update, a SERVICE). wrk keeps `clients` connections busy; every
`segment` seconds the rate, p50/p99 latency, the count of each status and the server tree's
PSS (shared pages divided among the processes that share them, from /proc/PID/smaps_rollup)
are printed. The expected statuses are 200, 400, 403 and 404; anything else is unexpected.
Needs a store from `python -m bench run --articles N`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import urllib.parse
from pathlib import Path

from bench import servers
from bench.load import SCRIPT_PREFIX
from bench.mix import Mix, Samples
from pillars.server.memory import tree_footprint
from pillars.store import open_read_only

REPO = Path(__file__).resolve().parent.parent
EXPECTED = {200, 400, 403, 404}
SERVICE_QUERY = "ASK { SERVICE <http://example.org/> { ?s ?p ?o } }"  # refused: 403
# load.py's requests and request(), and a count of the statuses in each thread (a global set
# when the script loads in the thread, before its init()), summed by done().
SCRIPT = (
    SCRIPT_PREFIX
    + r"""
statuses = {}

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for code, n in pairs(s) do counts[code] = (counts[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(counts) do table.insert(parts, string.format('"%d": %d', code, n)) end
  local e = summary.errors
  io.write(string.format(
    'SOAKJSON {"requests": %d, "duration_us": %d, "socket_errors": %d, "p50": %d, '
    .. '"p99": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), table.concat(parts, ", ")))
end
"""
)


def traffic(mix: Mix, slugs: list[str]) -> list[tuple[str, str]]:
    """(Accept, path) lines: queries, pages, searches, refusals, in a fixed interleaving."""
    json_results = "application/sparql-results+json"
    queries = [
        (q.accept, "/sparql?" + urllib.parse.urlencode({"query": q.text})) for q in mix.cold(20000)
    ]
    others = [
        ("text/html", "/"),
        ("text/html", f"/article/{slugs[0]}" if slugs else "/"),
        ("application/json", "/search.json?q=sanctions"),
        ("text/html", "/search?q=nuclear+cooperation"),
        ("text/html", "/id/no-such-thing"),
        (json_results, "/sparql?query=SELEC+%3Fx"),  # syntax error: 400
        (json_results, "/sparql?" + urllib.parse.urlencode({"query": "ASK {}", "timeout": "x"})),
        (json_results, "/sparql?" + urllib.parse.urlencode({"query": "DELETE WHERE { ?s ?p ?o }"})),
        (json_results, "/sparql?" + urllib.parse.urlencode({"query": SERVICE_QUERY})),
    ]
    lines: list[tuple[str, str]] = []
    for n, q in enumerate(queries):
        lines.append(q)
        if n % 4 == 3:
            lines.append(others[(n // 4) % len(others)])
    return lines


def tree_pss(pid: int) -> int:
    """Bytes of PSS of a process and all its descendants."""
    return tree_footprint(pid).pss_kib * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=3.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--segment", type=float, default=30.0, help="seconds per report line")
    args = parser.parse_args()
    out = REPO / "bench" / "out" / f"n{args.articles}"
    store_dir = out / "pillars-store"
    store = open_read_only(store_dir)
    mix = Mix(Samples.of(store, 7))
    graphs = [str(g.value) for g in store.named_graphs()]
    del store
    slugs = sorted(g.rsplit("/", 1)[1] for g in graphs if "/graph/" in g)[:5]
    lines = traffic(mix, slugs)
    requests_file = out / "soak-requests.txt"
    requests_file.write_text("".join(f"{a}\t{p}\n" for a, p in lines), encoding="utf-8")
    script = out / "soak.lua"
    script.write_text(SCRIPT)
    server = servers.start_pillars(store_dir, out, "pillars-soak")
    segments = []
    try:
        start_pss = tree_pss(server.proc.pid)
        print(f"start: PSS {start_pss / 2**20:.0f} MiB, {len(lines)} distinct requests", flush=True)
        for n in range(max(1, round(args.minutes * 60 / args.segment))):
            seg = run_segment(server.endpoint, requests_file, script, args.clients, args.segment)
            seg["pss_mib"] = round(tree_pss(server.proc.pid) / 2**20, 1)
            segments.append(seg)
            unexpected = {c: k for c, k in seg["statuses"].items() if int(c) not in EXPECTED}
            print(
                f"{(n + 1) * args.segment:5.0f} s  {seg['qps']:6.0f} q/s  p50 {seg['p50_ms']:6.1f}"
                f" ms  p99 {seg['p99_ms']:6.1f} ms  PSS {seg['pss_mib']:6.0f} MiB  statuses "
                f"{dict(sorted(seg['statuses'].items()))}  unexpected {unexpected or 0}  "
                f"socket errors {seg['socket_errors']}",
                flush=True,
            )
    finally:
        server.stop()
    summary = {
        "articles": args.articles,
        "clients": args.clients,
        "start_pss_mib": round(start_pss / 2**20, 1),
        "segments": segments,
    }
    (out / "soak.json").write_text(json.dumps(summary, indent=1))


def run_segment(endpoint: str, requests_file: Path, script: Path, clients: int, seconds: float):
    parts = urllib.parse.urlsplit(endpoint)
    cmd = ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds:g}s", "--timeout", "30s"]
    cmd += ["-s", str(script), f"{parts.scheme}://{parts.netloc}/", "--", str(requests_file)]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("SOAKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary: {done.stdout[-800:]} {done.stderr[-800:]}")
    d = json.loads(line[len("SOAKJSON ") :])
    return {
        "qps": d["requests"] / (d["duration_us"] / 1e6),
        "p50_ms": d["p50"] / 1000,
        "p99_ms": d["p99"] / 1000,
        "statuses": {str(k): v for k, v in d["statuses"].items()},
        "socket_errors": d["socket_errors"],
    }


if __name__ == "__main__":
    main()

"""The engine alone: pyoxigraph in a Python process against Oxigraph's own server, one query
at a time, with no front, no concurrency and no Pillars code on the way.

python -m bench.engine --articles 1000 [--rounds 2] [--seconds 10]

The cold mix, in its order and with never-seen texts, is evaluated one query after another
for about `--seconds`: by pyoxigraph in a child process (started with the allocator setting
Pillars' evaluators use) and by `oxigraph serve-read-only` over one keep-alive connection.
The CPU each spends per query is read from the process itself (getrusage) and from /proc,
and the time of each query by kind as its caller sees it.
Rounds alternate (server, library, server, library ...). Writes bench/out/nN/engine.json,
which `python -m bench report` shows beside that size's tables.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench import servers
from bench.ab import tree_cpu
from bench.mix import TEMPLATES, Mix, Query, Samples
from pillars.server.pool import evaluator_environment
from pillars.store import open_read_only

REPO = Path(__file__).resolve().parent.parent


def library_side(store_dir: str, texts: list[tuple[str, str]], seconds: float) -> dict[str, Any]:
    """pyoxigraph in this process (the child's side): the mix in order for `seconds`."""
    store = ox.Store.read_only(store_dir)
    wall: dict[str, list[float]] = {kind: [] for kind, _ in texts}
    cpu_before, n, started = _own_cpu(), 0, time.monotonic()
    for kind, text in texts:
        t = time.perf_counter()
        result = store.query(text, use_default_graph_as_union=True)
        if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
            result.serialize(format=ox.QueryResultsFormat.JSON)
        else:
            ox.serialize(result, format=ox.RdfFormat.TURTLE)
        wall[kind].append(time.perf_counter() - t)
        n += 1
        if time.monotonic() - started > seconds:
            break
    return {"cpu": (_own_cpu() - cpu_before) / n, "wall": _medians(wall)}


def _own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _medians(wall: dict[str, list[float]]) -> dict[str, float]:
    return {kind: statistics.median(v) for kind, v in wall.items() if v}


def server_side(server: servers.Server, queries: list[Query], seconds: float) -> dict[str, Any]:
    """Oxigraph's server over one keep-alive connection: the mix in order for `seconds`;
    CPU of its whole process from /proc, time per query as the client sees it."""
    url = urllib.parse.urlsplit(server.endpoint)
    conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=60)
    wall: dict[str, list[float]] = {q.name: [] for q in queries}
    cpu_before, n, started = sum(tree_cpu(server.proc.pid).values()), 0, time.monotonic()
    for q in queries:
        t = time.perf_counter()
        conn.request(
            "GET",
            f"{url.path}?{urllib.parse.urlencode({'query': q.text})}",
            headers={"Accept": q.accept},
        )
        reply = conn.getresponse()
        reply.read()
        wall[q.name].append(time.perf_counter() - t)
        if reply.status != 200:
            raise RuntimeError(f"oxigraph answered {reply.status} to {q.name}")
        n += 1
        if time.monotonic() - started > seconds:
            break
    conn.close()
    cpu = (sum(tree_cpu(server.proc.pid).values()) - cpu_before) / n
    return {"cpu": cpu, "wall": _medians(wall)}


def run(articles: int, rounds: int, seconds: float) -> dict[str, Any]:
    out = REPO / "bench" / "out" / f"n{articles}"
    store_dir = out / "pillars-store"
    store = open_read_only(store_dir)
    mix = Mix(Samples.of(store, 1))
    del store
    server = servers.start_oxigraph(out / "oxigraph-store", out)
    sides: dict[str, list[dict[str, Any]]] = {"library": [], "server": []}
    try:
        for r in range(rounds):
            cold = mix.cold(20000)  # each side gets its own numbers: no text is seen twice
            sides["server"].append(server_side(server, [q.numbered(2 * r) for q in cold], seconds))
            texts = [(q.name, q.numbered(2 * r + 1).text) for q in cold]
            child = subprocess.run(
                [sys.executable, "-m", "bench.engine", "--child", str(store_dir), str(seconds)],
                input=json.dumps(texts),
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
                env=evaluator_environment(os.environ),
            )
            sides["library"].append(json.loads(child.stdout))
    finally:
        server.stop()

    def median(side: str, pick: Any) -> float:
        return 1000 * statistics.median(pick(r) for r in sides[side])

    result = {
        "rounds": rounds,
        "utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "cpu_ms": {side: median(side, lambda r: r["cpu"]) for side in sides},
        "rows": [
            {
                "kind": kind,
                "library_ms": median("library", lambda r, k=kind: r["wall"][k]),
                "server_ms": median("server", lambda r, k=kind: r["wall"][k]),
            }
            for kind in TEMPLATES
        ],
    }
    (out / "engine.json").write_text(json.dumps(result, indent=1))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10.0, help="per side and round")
    parser.add_argument("--child", nargs=2, metavar=("STORE", "SECONDS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        texts = json.loads(sys.stdin.read())
        print(json.dumps(library_side(args.child[0], texts, float(args.child[1]))))
        return
    result = run(args.articles, args.rounds, args.seconds)
    cpu = result["cpu_ms"]
    print(
        f"CPU per query over the mix: pyoxigraph {cpu['library']:.2f} ms, "
        f"oxigraph server {cpu['server']:.2f} ms"
    )
    for row in result["rows"]:
        ratio = row["library_ms"] / row["server_ms"] if row["server_ms"] else float("nan")
        print(
            f"{row['kind']:<20} pyoxigraph {row['library_ms']:7.2f} ms   "
            f"oxigraph server {row['server_ms']:7.2f} ms   {ratio:5.2f}×"
        )


if __name__ == "__main__":
    main()

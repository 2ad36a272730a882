"""The HTTP front's own cost per request: granian (RSGI bridge) against gunicorn, side by side.

python -m bench.front [--articles 100] [--rounds 3] [--seconds 5] [--clients 4 16]

Every request is the same small query, answered from the result cache after the first: no
evaluator works, so the web worker's CPU per request is the front plus Flask. Both fronts
serve the same on-disk store (from `python -m bench run --articles N`), one worker each;
rounds are interleaved (granian, gunicorn, granian, ...) so the machine's load falls on both.
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from bench import load, servers
from bench.ab import tree_cpu
from bench.mix import Query

REPO = Path(__file__).resolve().parent.parent
QUERY = Query("ask", "ASK { ?s a ?t }", "application/sparql-results+json")
FRONTS = {"granian": ("--front", "granian"), "gunicorn": ("--front", "gunicorn")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, nargs="+", default=[4, 16])
    args = parser.parse_args()
    out = REPO / "bench" / "out" / f"n{args.articles}"
    store = out / "pillars-store"
    running = [
        servers.start_pillars(store, out, name, "--workers", "1", *options)
        for name, options in FRONTS.items()
    ]
    try:
        script = out / "mix.lua"
        for clients in args.clients:
            qps: dict[str, list[float]] = {s.name: [] for s in running}
            p99: dict[str, list[float]] = {s.name: [] for s in running}
            web: dict[str, float] = {s.name: 0.0 for s in running}
            done: dict[str, int] = {s.name: 0 for s in running}
            for _ in range(args.rounds):
                for s in running:
                    requests_file = out / f"front-requests-{s.name}.txt"
                    load.write_requests(requests_file, s.endpoint, [QUERY])
                    before = tree_cpu(s.proc.pid)
                    res = load.run(s.endpoint, requests_file, script, clients, args.seconds)
                    after = tree_cpu(s.proc.pid)
                    web[s.name] += after.get("web", 0.0) - before.get("web", 0.0)
                    done[s.name] += res.requests
                    qps[s.name].append(res.qps)
                    p99[s.name].append(res.p99_ms)
                    if res.errors:
                        print(f"  {s.name}: {res.errors} errors")
            ref = statistics.median(qps["gunicorn"])
            for s in running:
                q = statistics.median(qps[s.name])
                print(
                    f"c={clients:<3} {s.name:<9} {q:7.0f} q/s  {q / ref:5.2f}x gunicorn  "
                    f"p99 {statistics.median(p99[s.name]):6.2f} ms  "
                    f"web CPU {1e6 * web[s.name] / max(1, done[s.name]):5.0f} us/request  "
                    f"rounds {' '.join(f'{v:.0f}' for v in qps[s.name])}",
                    flush=True,
                )
    finally:
        for s in running:
            s.stop()


if __name__ == "__main__":
    main()

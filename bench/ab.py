"""A/B of Pillars variants against Oxigraph's server on an existing bench store (cold mix).

python -m bench.ab --articles 100 --variant base=/tmp/base: --variant new=:--evaluators 3
python -m bench.ab --articles 1000 --minimal --variant head=:   # beside the minimal Flask front

Each variant is NAME=PYTHONPATH:OPTIONS (PYTHONPATH empty: this checkout; OPTIONS are
`pillars serve` options). Rounds are interleaved (oxigraph, A, B, oxigraph, A, B, ...) so a
shared machine's load falls on every server alike; the ratios to Oxigraph are what to quote.
Needs a store from `python -m bench run --articles N` first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import time
from pathlib import Path

from bench import load, servers
from bench.mix import Mix, Samples
from pillars.server.memory import descendants, footprint, tree_footprint
from pillars.store import open_read_only

REPO = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(pid: int) -> dict[str, float]:
    """CPU seconds (user + system) used so far by a process tree, by kind of process: where
    a request's time goes (web worker, evaluator, or the whole of a peer's server)."""
    out: dict[str, float] = {}
    for p in descendants(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            name = Path(f"/proc/{p}/comm").read_text().strip()
        except OSError:
            continue
        kind = "evaluator" if name in ("pillars-eval", "pillars-zygote") else "web"
        if p == pid:
            kind = "main"
        out[kind] = out.get(kind, 0.0) + (int(fields[11]) + int(fields[12])) / TICK
    return out


def by_process(pid: int) -> str:
    """PSS/USS in MiB of each process of a tree, by name: what the evaluators share with
    their zygote (PSS) and what each owns alone (USS)."""
    parts = []
    for p in descendants(pid):
        try:
            name = Path(f"/proc/{p}/comm").read_text().strip()
        except OSError:
            continue
        f = footprint(p)
        parts.append(f"{name} {f.pss_kib / 1024:.0f}/{f.uss_kib / 1024:.0f}")
    return ", ".join(parts)


def start_variant(
    store: Path, out: Path, name: str, pythonpath: str, options: list[str]
) -> servers.Server:
    port = servers.free_port()
    log = out / f"ab-{name}.log"
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    cmd = [
        str(servers.PILLARS_BIN / "pillars"),
        "serve",
        "--port",
        str(port),
        "--store",
        str(store),
    ]
    t = time.monotonic()
    proc = subprocess.Popen(
        [*cmd, *options],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        env=env,
        # Not the checkout: `python -m` (evaluators) puts the working folder first on sys.path.
        cwd="/tmp",
        start_new_session=True,
    )
    server = servers.Server(name, f"http://127.0.0.1:{port}/sparql", proc, 0.0, log=log)
    server = servers._wait_first_answer(server, t)
    servers.wait_for_store_placement(log)
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--variant", action="append", default=[], help="NAME=PYTHONPATH:OPTIONS")
    parser.add_argument("--clients", type=int, nargs="+", default=[4, 16])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--minimal", action="store_true", help="also run flask-minimal (bench/minimal_front.py)"
    )
    parser.add_argument(
        "--oxigraph-memory",
        action="store_true",
        help="also run Oxigraph's server on an in-memory store of the same data",
    )
    args = parser.parse_args()
    out = REPO / "bench" / "out" / f"n{args.articles}"
    store_dir = out / "pillars-store"
    store = open_read_only(store_dir)
    mix = Mix(Samples.of(store, 1))
    del store
    running = [servers.start_oxigraph(out / "oxigraph-store", out)]
    if args.minimal:
        running.append(servers.start_flask_minimal(store_dir, out))
    if args.oxigraph_memory:
        running.append(servers.start_oxigraph_memory(out / "data.nq", out))
    try:
        for spec in args.variant:
            name, rest = spec.split("=", 1)
            path, _, opts = rest.partition(":")
            running.append(start_variant(store_dir, out, name, path, opts.split()))
        script = out / "mix.lua"
        serial = 0
        for clients in args.clients:
            qps: dict[str, list[float]] = {s.name: [] for s in running}
            p99: dict[str, list[float]] = {s.name: [] for s in running}
            cpu: dict[str, dict[str, float]] = {s.name: {} for s in running}
            done: dict[str, int] = {s.name: 0 for s in running}
            for _ in range(args.rounds):
                for s in running:
                    serial += 1
                    queries = [q.numbered(serial) for q in mix.cold(int(3000 * args.seconds))]
                    requests_file = out / f"ab-requests-{s.name}.txt"
                    load.write_requests(requests_file, s.endpoint, queries)
                    before = tree_cpu(s.proc.pid)
                    res = load.run(s.endpoint, requests_file, script, clients, args.seconds)
                    for kind, used in tree_cpu(s.proc.pid).items():
                        spent = used - before.get(kind, 0.0)
                        cpu[s.name][kind] = cpu[s.name].get(kind, 0.0) + spent
                    done[s.name] += res.requests
                    if res.errors:
                        print(f"  {s.name}: {res.errors} errors")
                    qps[s.name].append(res.qps)
                    p99[s.name].append(res.p99_ms)
            ref = statistics.median(qps["oxigraph"])
            for s in running:
                q = statistics.median(qps[s.name])
                rounds = " ".join(f"{v:.0f}" for v in qps[s.name])
                per = " ".join(
                    f"{k} {1000 * v / max(1, done[s.name]):.2f}"
                    for k, v in sorted(cpu[s.name].items())
                )
                print(
                    f"c={clients:<3} {s.name:<12} {q:7.1f} q/s  {q / ref:5.2f}x  "
                    f"p99 {statistics.median(p99[s.name]):6.1f} ms  rounds {rounds}  "
                    f"cpu ms/request: {per}",
                    flush=True,
                )
        for s in running:
            mem = tree_footprint(s.proc.pid)
            print(f"memory {s.name:<16} PSS {mem.pss_kib / 1024:7.0f} MiB  "
                  f"RSS {mem.rss_kib / 1024:7.0f} MiB  "
                  f"(PSS/USS MiB: {by_process(s.proc.pid)})")  # fmt: skip
    finally:
        for s in running:
            s.stop()


if __name__ == "__main__":
    main()

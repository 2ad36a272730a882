"""Benchmark: the comparison page (/compare) on a synthetic corpus, over HTTP.

    python -m bench.compare [--articles 1000] [--rounds 9] [--store DIR]

Serves an on-disk store with `pillars serve` exactly as a user runs it (default settings)
and asks for /compare and /compare.csv with 2, 10 and 20 articles, a different random choice
(seeded) each round, so no answer is one the page already gave. Prints the median and the
worst time per size (the HTTP round trip included) and the chooser's first and later time.
The store is bench/out/n<articles>/pillars-store, built with `pillars load` from the
synthetic corpus `bench.run` makes if it is not there. The target (issue 15, item 6): up to
20 articles answer in < 1 s at 1,000 articles.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from bench import run, servers

SIZES = (2, 10, 20)
OUT = Path(__file__).parent / "out"


def store_for(articles: int) -> Path:
    """The benchmark's store of that many synthetic articles, built once."""
    folder = OUT / f"n{articles}"
    store = folder / "pillars-store"
    if not (store / "pillars-store.txt").exists():
        run.make_corpus(folder / "corpus", articles, 1)
        pillars = str(servers.PILLARS_BIN / "pillars")
        cmd = [pillars, "load", "--store", str(store), "--root", str(folder / "corpus")]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return store


def timed_get(url: str, params: dict[str, str] | None = None) -> tuple[float, int, int]:
    started = time.perf_counter()
    response = requests.get(url, params=params, timeout=60)
    return time.perf_counter() - started, response.status_code, len(response.content)


@dataclass(frozen=True)
class Result:
    path: str
    articles: int
    median_s: float
    worst_s: float
    kib: float

    def row(self) -> str:
        return (
            f"| `{self.path}` | {self.articles} | {self.median_s * 1000:.0f} ms "
            f"| {self.worst_s * 1000:.0f} ms | {self.kib:.0f} KiB |"
        )


def measure(base: str, articles: int, rounds: int, seed: int) -> list[Result]:
    rng = random.Random(seed)
    slugs = [f"art-{i:04d}" for i in range(1, articles + 1)]
    results: list[Result] = []
    for path in ("/compare", "/compare.csv"):
        for size in SIZES:
            times, sizes = [], []
            for _ in range(rounds):
                chosen = ",".join(rng.sample(slugs, size))
                seconds, status, length = timed_get(base + path, {"articles": chosen})
                if status != 200:
                    raise RuntimeError(f"{path} answered {status} for {chosen}")
                times.append(seconds)
                sizes.append(length)
            median = statistics.median(times)
            results.append(Result(path, size, median, max(times), statistics.median(sizes) / 1024))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--store", type=Path, help="an on-disk store (default: built here)")
    args = parser.parse_args()
    store = args.store or store_for(args.articles)
    out = OUT / f"n{args.articles}"
    out.mkdir(parents=True, exist_ok=True)
    server = servers.start_pillars(store, out, "compare")
    try:
        base = server.endpoint.removesuffix("/sparql")
        first = timed_get(base + "/compare")[0]
        later = statistics.median(timed_get(base + "/compare")[0] for _ in range(5))
        rows = measure(base, args.articles, args.rounds, args.seed)
    finally:
        server.stop()
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    print(f"{args.articles} articles, {args.rounds} choices per size, {when} UTC")
    print(f"chooser /compare: first {first * 1000:.0f} ms, then {later * 1000:.0f} ms (median)")
    print("| path | articles | median | worst | size |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for result in rows:
        print(result.row())


if __name__ == "__main__":
    main()

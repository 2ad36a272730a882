"""Benchmark `pillars check` on synthetic corpora, cold (empty cache) and warm (nothing changed).

    python -m bench.check_bench --sizes 100 1000 [--skip owl] [--jobs 2]

Corpora and caches go to bench/out/ (gitignored). Each run is the real command line in a
subprocess, timed from outside, so the figures include start-up, parsing and the report.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.synth import generate

OUT = Path(__file__).resolve().parent / "out"


def run_check(
    corpus: Path, cache: Path, skip: list[str], jobs: int
) -> tuple[float, float, int, str]:
    """Wall-clock seconds, CPU seconds (all processes), exit code, summary of one run."""
    command = [sys.executable, "-m", "pillars.cli", "check", str(corpus), "--format", "json"]
    command += ["--cache-dir", str(cache), "--jobs", str(jobs)]
    for check in skip:
        command += ["--skip", check]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, timeout=3600, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    summary = done.stderr.strip()[-300:]
    if done.stdout.strip().startswith("{"):
        report = json.loads(done.stdout)
        summary = f"{report['counts']}, {report['graphs']} graphs, {report['cached']} cached"
    return elapsed, cpu, done.returncode, summary


def bench(size: int, skip: list[str], jobs: int, seed: int) -> list[dict[str, object]]:
    corpus = OUT / f"corpus-{size}"
    if not (corpus / "instances").is_dir():
        generate(corpus, size, seed)
    cache = OUT / f"cache-{size}"
    shutil.rmtree(cache, ignore_errors=True)
    rows: list[dict[str, object]] = []
    for kind in ("cold", "warm"):
        load = os.getloadavg()[0]
        elapsed, cpu, code, summary = run_check(corpus, cache, skip, jobs)
        rows.append(
            {"articles": size, "run": kind, "seconds": round(elapsed, 2),
             "cpu_seconds": round(cpu, 2), "load_before": round(load, 1), "exit": code,
             "summary": summary}
        )  # fmt: skip
        print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--skip", action="append", default=[], help="check to leave out")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        rows.extend(bench(size, args.skip, args.jobs, args.seed))
    OUT.mkdir(exist_ok=True)
    (OUT / "check_bench.json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    print("| articles | run | wall s | CPU s | load before | exit |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['articles']} | {r['run']} | {r['seconds']} | {r['cpu_seconds']} "
              f"| {r['load_before']} | {r['exit']} |")  # fmt: skip


if __name__ == "__main__":
    main()

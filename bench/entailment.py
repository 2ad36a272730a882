"""What storing the entailed graphs costs: `pillars load` with `--entailment rdfs` against
`--entailment off`, run in turn (A B A B ...) on one synthetic corpus, so the ratio holds on a
noisy machine. Writes the table into docs/entailment.md (between the `bench:` markers).

    python -m bench.entailment [--articles 1000] [--rounds 3] [--write]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.run import REPO, log, make_corpus
from bench.servers import PILLARS_BIN
from pillars.entailment import is_entailed_graph
from pillars.store import StoreSource

DOC = REPO / "docs" / "entailment.md"
START, END = "<!-- bench:entailment:start -->", "<!-- bench:entailment:end -->"
MODES = ("rdfs", "off")


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    bytes: int = 0
    quads: int = 0
    entailed_quads: int = 0


def folder_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def load_once(root: Path, store_dir: Path, mode: str) -> float:
    shutil.rmtree(store_dir, ignore_errors=True)
    started = time.monotonic()
    subprocess.run(
        [str(PILLARS_BIN / "pillars"), "load", "--store", str(store_dir), "--root", str(root),
         "--entailment", mode],
        check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.monotonic() - started


def measure(articles: int, rounds: int, seed: int) -> dict[str, Runs]:
    out = REPO / "bench" / "out" / f"entailment-n{articles}"
    root = out / "corpus"
    log(f"corpus of {articles} articles in {root}")
    make_corpus(root, articles, seed)
    runs = {mode: Runs() for mode in MODES}
    for n in range(rounds):
        for mode in MODES:
            store_dir = out / f"store-{mode}"
            took = load_once(root, store_dir, mode)
            runs[mode].seconds.append(took)
            log(f"round {n + 1}/{rounds}: --entailment {mode}: {took:.1f} s")
    for mode in MODES:
        store_dir = out / f"store-{mode}"
        source = StoreSource(path=str(store_dir))
        counts = source.counts(source.open())
        runs[mode].bytes = folder_bytes(store_dir)
        runs[mode].quads = sum(counts.values())
        runs[mode].entailed_quads = sum(n for g, n in counts.items() if is_entailed_graph(g))
    return runs


def table(articles: int, runs: dict[str, Runs]) -> str:
    on, off = runs["rdfs"], runs["off"]
    ratios = [a / b for a, b in zip(on.seconds, off.seconds, strict=True)]
    rows = [
        f"Measured {time.strftime('%Y-%m-%d')} by `python -m bench.entailment --articles "
        f"{articles} --rounds {len(on.seconds)}`: `pillars load` of {articles} synthetic articles "
        "(bench/synth.py), the two settings in turn.",
        "",
        "| `--entailment` | load, median s (runs) | quads | of them entailed | store on disk |",
        "| --- | --- | --- | --- | --- |",
    ]
    for mode in MODES:
        r = runs[mode]
        secs = ", ".join(f"{s:.1f}" for s in r.seconds)
        rows.append(
            f"| `{mode}` | {statistics.median(r.seconds):.1f} ({secs}) | {r.quads:,} | "
            f"{r.entailed_quads:,} | {r.bytes / 2**20:,.0f} MiB |"
        )
    rows += [
        "",
        f"Load time with the entailed graphs, run by run: {statistics.median(ratios):.2f}x "
        f"(from {min(ratios):.2f}x to {max(ratios):.2f}x); quads {on.quads / off.quads:.2f}x; "
        f"store on disk {on.bytes / off.bytes:.2f}x.",
    ]
    return "\n".join(rows) + "\n"


def write(text: str) -> None:
    doc = DOC.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r"\n.*?" + re.escape(END), re.S)
    if not pattern.search(doc):
        raise SystemExit(f"{DOC}: no {START} ... {END} block to fill")
    DOC.write_text(pattern.sub(lambda _: f"{START}\n{text}{END}", doc), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", action="store_true", help="fill the table in docs/entailment.md")
    args = parser.parse_args()
    text = table(args.articles, measure(args.articles, args.rounds, args.seed))
    print(text, end="")
    if args.write:
        write(text)


if __name__ == "__main__":
    main()

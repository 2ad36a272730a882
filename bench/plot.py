"""The plot of docs/benchmarks.md, drawn by matplotlib in bench/.venv (not a Pillars dependency).

bench/.venv/bin/python bench/plot.py RESULTS.json OUT.png
"""

from __future__ import annotations

import json
import statistics
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(results: str, png: str) -> None:
    data = json.load(open(results, encoding="utf-8"))
    rows = data["rounds"]
    names = list(dict.fromkeys(r["server"] for r in rows))
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for ax, mode in zip(axes, ("cold", "warm"), strict=True):
        for name in names:
            # A server may sit out a mode (flask-minimal has no cache: cold rounds only).
            points = sorted(
                {r["clients"] for r in rows if r["server"] == name and r["mode"] == mode}
            )
            if not points:
                continue
            qps = [
                statistics.median(
                    r["qps"]
                    for r in rows
                    if r["server"] == name and r["mode"] == mode and r["clients"] == c
                )
                for c in points
            ]
            color = f"C{names.index(name)}"  # the same colour for a server in both panels
            ax.plot(points, qps, marker="o", label=name, color=color)
        ax.set_title(f"{mode}: {'every query text new' if mode == 'cold' else 'repeated mix'}")
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xticks([1, 4, 16], ["1", "4", "16"])
        ax.set_xlabel("concurrent clients (keep-alive)")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("queries per second (median of rounds)")
    axes[0].legend()  # the cold panel shows every server
    fig.suptitle(
        f"Query mix over {data['articles']:,} synthetic articles ({data['quads']:,} quads)"
    )
    fig.tight_layout()
    fig.savefig(png, dpi=110)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

"""Benchmark: one save in `pillars studio`, with its check, on the bundled article.

    python -m bench.studio [--statements N] [--hand N]

On a temporary copy of the corpus it starts the studio on 127.0.0.1 and encodes the second
paragraph of the introduction as an editor would: one pil:Claim per sentence, anchored to
the sentence and supporting the thesis, each a POST over HTTP. Every save writes studio.ttl
and runs the article's SHACL and quote check before it answers, so the time of a request is
the time an editor waits. It then times the hand route for a few of the same statements
(`pillars anchor` for the evidence block, then `pillars check` on the article folder, OWL
left out as the studio leaves it out) and prints both. The target: a save < 1 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from pillars.stats import split_body
from pillars.studio.app import create_app, serve

REPO = Path(__file__).resolve().parent.parent
SLUG = "iranian-russian-security-convergence"
PARAGRAPH = "Economic factors fail to explain"  # the paragraph's first words
TOKEN = "bench"


def paragraph_sentences(text: str) -> list[tuple[int, int, str]]:
    start = text.index(PARAGRAPH)
    end = text.index("\n", start)
    sentences, _ = split_body(text[start:end], set())
    return [(start + s.start, start + s.end, s.text) for s in sentences]


def studio_saves(
    root: Path, sentences: list[tuple[int, int, str]]
) -> tuple[float, list[float], list[float]]:
    app = create_app(root, token=TOKEN)
    with serve(app) as server:
        base = f"http://127.0.0.1:{server.server_port}/api/articles/{SLUG}"
        t0 = time.perf_counter()
        requests.get(base, timeout=120).raise_for_status()
        first = time.perf_counter() - t0
        headers = {"X-Pillars-Token": TOKEN}
        times, reads = [], []
        for n, (start, end, sentence) in enumerate(sentences, 1):
            body = {
                "type": "pil:Claim",
                "label": f"Bench statement {n}: {sentence[:40]}",
                "evidence": [{"start": start, "end": end}],
                "links": {"pil:supports": ["art:thesis"]},
            }
            t0 = time.perf_counter()
            r = requests.post(base + "/resources", json=body, headers=headers, timeout=120)
            times.append(time.perf_counter() - t0)
            r.raise_for_status()
            t0 = time.perf_counter()  # the page then reads the article again to redraw it
            requests.get(base, timeout=120).raise_for_status()
            reads.append(time.perf_counter() - t0)
    return first, times, reads


def hand_route(root: Path, sentences: list[tuple[int, int, str]]) -> list[tuple[float, float]]:
    """(anchor, check) seconds per statement: the commands an editor runs by hand."""
    folder = root / "instances" / SLUG
    cache = root / "check-cache"
    out = []
    for n, (_start, _end, sentence) in enumerate(sentences, 1):
        t0 = time.perf_counter()
        block = subprocess.run(
            [sys.executable, "-m", "pillars.cli", "anchor", "--root", str(root), "--article", SLUG,
             "--subject", f"art:ev-hand-{n}", sentence],
            capture_output=True, text=True, check=True, cwd=REPO,
        ).stdout  # fmt: skip
        anchor = time.perf_counter() - t0
        with (folder / "hand.ttl").open("a", encoding="utf-8") as out_file:
            if n == 1:
                out_file.write(
                    f"@prefix art: <https://w3id.org/pillars/id/{SLUG}/> .\n"
                    "@prefix pil: <https://w3id.org/pillars/ontology#> .\n"
                    "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                )
            out_file.write(
                f'\nart:claim-hand-{n} a pil:Claim ; rdfs:label "Hand statement {n}"@en ;\n'
                f"    pil:supports art:thesis ; pil:hasEvidence art:ev-hand-{n} .\n\n{block}"
            )
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "pillars.cli", "check", str(folder), "--skip", "owl",
             "--cache-dir", str(cache)],
            capture_output=True, text=True, cwd=REPO,
        )  # fmt: skip
        out.append((anchor, time.perf_counter() - t0))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=8, help="saves in the studio")
    parser.add_argument("--hand", type=int, default=2, help="statements by the hand route")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for part in ("ontology", "shapes", "instances"):
            shutil.copytree(REPO / part, root / part)
        text = (root / "instances" / SLUG / "text.txt").read_text(encoding="utf-8")
        sentences = paragraph_sentences(text)
        first, saves, reads = studio_saves(root, (sentences * 3)[: args.statements])
        (root / "instances" / SLUG / "studio.ttl").unlink()
        hand = hand_route(root, sentences[: args.hand])
    print(f"paragraph: {len(sentences)} sentences; studio saves: {len(saves)}")
    print(f"first look at the article (whole check): {first:.2f} s")
    print(
        f"save + check over HTTP: median {statistics.median(saves):.2f} s, "
        f"max {max(saves):.2f} s, min {min(saves):.2f} s"
    )
    print(
        f"the page's reading of the article after a save: median {statistics.median(reads):.2f} s"
    )
    for n, (anchor, check) in enumerate(hand, 1):
        print(f"hand route, statement {n}: pillars anchor {anchor:.2f} s", end="")
        print(f" + pillars check {check:.2f} s")


if __name__ == "__main__":
    main()

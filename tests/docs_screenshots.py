"""The screenshots of docs/pages.md, taken from a real `pillars serve` in Chromium.

    .venv/bin/python tests/docs_screenshots.py [OUT_DIR]   (default: docs/)

Not a test (pytest does not collect it): the page tests check what these pictures show; this
only keeps the pictures true to the pages. The comparison is shot over a small synthetic
corpus (bench/synth), since the bundled corpus holds one article.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))  # conftest, pages_fixture
sys.path.insert(0, str(Path(__file__).parent.parent))  # bench

from conftest import start_server  # noqa: E402
from pages_fixture import launched_chromium, watched_page  # noqa: E402

from bench import synth  # noqa: E402

REPO = Path(__file__).parent.parent
SLUG = "iranian-russian-security-convergence"
TIMEOUT_MS = 30_000
Shot = tuple[str, str, dict[str, int], Callable[[Any], None]]  # file, path, viewport, then


def _nothing(page: Any) -> None:
    return None


def _map_drawn(page: Any) -> None:
    page.wait_for_selector("#argmap.drawn")


def _to_results(page: Any) -> None:
    page.evaluate("document.getElementById('res-h').scrollIntoView()")


BUNDLED: list[Shot] = [
    ("pages-article.png", f"/id/{SLUG}/article.html", {"width": 1280, "height": 800}, _nothing),
    (
        "pages-summary.png",
        f"/id/{SLUG}/threat-sanctions.html",
        {"width": 1280, "height": 800},
        _nothing,
    ),
    ("pages-actor.png", "/id/actor/iran.html", {"width": 1280, "height": 800}, _nothing),
    ("pages-search.png", "/search?q=sanctions", {"width": 1280, "height": 800}, _nothing),
    ("pages-ontology.png", "/ontology.html", {"width": 1280, "height": 800}, _nothing),
    (
        "pages-query.png",
        "/query?example=cq02-common-threats",
        {"width": 1400, "height": 900},
        _to_results,
    ),
    ("pages-map.png", f"/map/{SLUG}.html", {"width": 1280, "height": 900}, _map_drawn),
]


def shoot(base: str, shots: list[Shot], out: Path, browser: Any) -> None:
    for name, path, viewport, then in shots:
        with watched_page(browser, viewport, TIMEOUT_MS) as (page, errors):
            page.goto(base + path, wait_until="networkidle")
            then(page)
            page.screenshot(path=str(out / name))
            print(f"{out / name}: {path}" + (f" (console: {errors})" if errors else ""))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent.parent / "docs")
    with launched_chromium() as browser:
        with start_server() as server:
            shoot(server.url, BUNDLED, out, browser)
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for folder in ("ontology", "shapes"):
                (root / folder).symlink_to(REPO / folder)
            slugs = ",".join(f.name for f in synth.generate(root, 3)[:2])
            with start_server("--root", tmp) as server:
                compare: Shot = (
                    "pages-compare.png",
                    f"/compare?articles={slugs}",
                    {"width": 1280, "height": 800},
                    _nothing,
                )
                shoot(server.url, [compare], out, browser)


if __name__ == "__main__":
    main()

"""Drafted statements are told apart on the pages and in queries (issue 13): a served article
fresh from `new-article` + `draft` shows its drafts as machine drafts."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator

import pytest
import requests
from conftest import pillars_command, start_server

from pillars.corpus import default_root

SLUG = "drafted-probe"
TEXT = (
    "Trade barely exceeds USD 2 billion (Mosavian 2017). Russia and Iran share threats.\n"
    "The first pillar\n"
    "As Trenin (2018) argues, Russia balances the United States in the Middle East.\n"
)


def run(*args: str) -> None:
    done = subprocess.run([*pillars_command(), *args], capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("drafted")
    for part in ("ontology", "shapes", "queries"):
        shutil.copytree(default_root() / part, root / part)
    shutil.copytree(default_root() / "instances" / "shared", root / "instances" / "shared")
    text = root / "text.txt"
    text.write_text(TEXT, encoding="utf-8")
    run("new-article", SLUG, "--root", str(root), "--text", str(text), "--title", "T",
        "--journal", "J", "--year", "2019", "--author", "A Person",
        "--heading", "The first pillar")  # fmt: skip
    run("draft", SLUG, "--root", str(root))
    with start_server("--root", str(root), "--workers", "1") as server:
        yield server.url


def test_a_drafted_claim_says_it_is_a_machine_draft(base: str) -> None:
    page = requests.get(f"{base}/id/{SLUG}/cite-mosavian-2017.html", timeout=30)
    assert page.status_code == 200
    assert "Machine draft: suggested by <code>pillars draft</code>" in page.text
    # A curated resource is not marked, but the drafted mention among its quotes is.
    russia = requests.get(f"{base}/id/actor/russia.html", timeout=30).text
    assert "Machine draft:" not in russia
    assert re.search(
        r'ev-mention-russia-\d+">“Russia”</a> <span class="draft-mark">machine draft', russia
    )
    # The article's own record, written by new-article, is curated.
    article = requests.get(f"{base}/id/{SLUG}/article.html", timeout=30).text
    assert "Machine draft:" not in article


def test_queries_can_leave_drafts_out(base: str) -> None:
    query = (
        "PREFIX pil: <https://w3id.org/pillars/ontology#>\n"
        "SELECT (COUNT(?c) AS ?all) (SUM(IF(EXISTS { ?c pil:draft true }, 0, 1)) AS ?curated)"
        f" WHERE {{ GRAPH <https://w3id.org/pillars/graph/{SLUG}> {{ ?c a pil:Citation }} }}"
    )
    r = requests.get(base + "/sparql", params={"query": query}, timeout=30,
                     headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    row = r.json()["results"]["bindings"][0]
    assert (row["all"]["value"], row["curated"]["value"]) == ("2", "0")

"""/compare and /compare.csv over HTTP from a real `pillars serve`, and in Chromium.

The corpus: three synthetic articles (bench/synth.py) with the bundled threat and limit types,
served from a folder as `pillars serve --root` serves any corpus. Expected values follow from
what bench/synth.py writes for every article (titles "Synthetic article N", two pillars of
three components, twelve threats) and, for the bundled article, from
instances/iranian-russian-security-convergence/introduction.ttl.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from conftest import start_server
from pages_fixture import watched_page
from test_pages_a11y import check_structure

from bench.synth import generate
from pillars.corpus import discover
from pillars.server.app import create_app
from pillars.server.state import app_state
from pillars.settings import Settings
from pillars.store import memory_store

REPO = Path(__file__).resolve().parent.parent
TIMEOUT_MS = 15_000


def synthetic_root(root: Path) -> Path:
    for folder in ("ontology", "shapes"):
        (root / folder).symlink_to(REPO / folder)
    generate(root, 3, seed=3)
    for ttl in (REPO / "instances" / "shared").glob("*.ttl"):
        shutil.copy(ttl, root / "instances" / "shared" / ttl.name)
    return root


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_root(tmp_path_factory.mktemp("compare"))


@pytest.fixture(scope="module")
def base(corpus: Path) -> Iterator[str]:
    with start_server("--root", str(corpus), "--workers", "1", "--evaluators", "1") as server:
        yield server.url


def test_page_sets_two_articles_side_by_side(base: str) -> None:
    response = requests.get(f"{base}/compare", params={"articles": "art-0002,art-0001"}, timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html")
    html = response.text
    heads = html.index('<th scope="col" class="cmp-article">')
    assert html.index("Synthetic article 2", heads) < html.index("Synthetic article 1", heads)
    assert "<caption" in html and 'scope="row"' in html and 'scope="colgroup"' in html
    assert html.count('class="cmp-quote"') >= 2 * (2 + 6 + 12)  # pillars, components, threats
    assert 'href="/compare.csv?articles=art-0002,art-0001"' in html


def test_csv_has_a_header_and_one_row_per_cell_line(base: str) -> None:
    response = requests.get(f"{base}/compare.csv?articles=art-0001,art-0003", timeout=30)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8; header=present"
    assert 'filename="compare-art-0001-art-0003.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    by_article = {
        slug: [r for r in rows if r["article"] == slug] for slug in ("art-0001", "art-0003")
    }
    for slug, lines in by_article.items():
        pillars = [r["line"] for r in lines if r["section"] == "Pillars"]
        assert pillars[0] == "pillar 1" and len(pillars) == 8  # 2 pillars, 6 components
        threats = [r for r in lines if r["section"] == "Threats by type"]
        assert sorted(r["line"] for r in threats) == sorted(f"threat {t}" for t in range(1, 13))
        assert all(r["article_title"] == f"Synthetic article {slug[-1]}" for r in lines)
    # Every evidence link is a full URL to the marked span of the article's text.
    threat = next(r for r in rows if r["section"] == "Threats by type")
    assert threat["evidence_url"] == (
        f"{base}/id/{threat['article']}/text?start={threat['quote_start']}"
        f"&end={threat['quote_end']}#mark"
    )


def test_evidence_link_marks_the_quote_in_the_text(base: str) -> None:
    rows = list(csv.DictReader(io.StringIO(
        requests.get(f"{base}/compare.csv?articles=art-0002", timeout=30).text
    )))  # fmt: skip
    figure = next(r for r in rows if r["section"] == "Figures")
    page = requests.get(figure["evidence_url"], timeout=30)
    assert page.status_code == 200  # after the 303 to the text's HTML page
    marked = re.search(r'<mark id="mark">(.*?)</mark>', page.text, re.S)
    assert marked is not None
    assert re.sub(r"<[^>]+>", "", marked.group(1)) == figure["quote"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("articles=art-001", "parameter articles: no article 'art-001' in this dataset "
         "(did you mean art-0001"),
        ("articles=art-0001,nothing-like-it", "parameter articles: no article "
         "'nothing-like-it' in this dataset"),
        ("articles=" + ",".join(f"a{i}" for i in range(21)),
         "parameter articles: at most 20 articles"),
    ],
)  # fmt: skip
@pytest.mark.parametrize("path", ["/compare", "/compare.csv"])
def test_bad_articles_are_a_400_naming_the_parameter(
    base: str, path: str, query: str, expected: str
) -> None:
    response = requests.get(f"{base}{path}?{query}", timeout=30)
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert response.text.startswith(expected)


def test_no_articles_is_the_chooser_and_the_csv_asks_for_them(base: str) -> None:
    for query in ("", "?articles=", "?articles=,"):
        page = requests.get(f"{base}/compare{query}", timeout=30)
        assert page.status_code == 200
        assert page.text.count('type="checkbox" name="articles"') == 3
        assert "Synthetic article 3" in page.text and "<table" not in page.text
    response = requests.get(f"{base}/compare.csv", timeout=30)
    assert response.status_code == 400
    assert response.text.startswith("parameter articles:")


def test_repeated_parameters_as_the_chooser_sends_them(base: str) -> None:
    response = requests.get(
        f"{base}/compare", params=[("articles", "art-0003"), ("articles", "art-0001")], timeout=30
    )
    assert response.status_code == 200
    assert 'value="art-0003" id="pick-art-0003" checked' in response.text
    assert 'value="art-0002" id="pick-art-0002">' in response.text  # not chosen


def test_article_page_links_the_comparison(base: str) -> None:
    page = requests.get(f"{base}/id/art-0001/article.html", timeout=30).text
    assert 'href="/compare?articles=art-0001#choose"' in page


def test_bundled_article_csv_from_the_default_server(live_server: str) -> None:
    slug = "iranian-russian-security-convergence"
    text = requests.get(f"{live_server}/compare.csv?articles={slug}", timeout=30).text
    rows = list(csv.DictReader(io.StringIO(text)))
    trade = next(r for r in rows if r["line_iri"].endswith(f"/{slug}/quantity-trade"))
    assert (trade["line"], trade["note"], trade["quote"]) == (
        "barely exceeds 2,000,000,000 USD",
        "value of trade between Iran and Russia",
        "barely exceeds USD 2 billion",
    )
    assert (trade["quote_start"], trade["quote_end"]) == ("1116", "1144")


@pytest.mark.parametrize("path", ["/compare", "/compare?articles=art-0001,art-0002"])
def test_page_structure(corpus: Path, path: str) -> None:
    """The site's structure checks (tests/test_pages_a11y.py), and: every box labelled by a
    <label for>; a table with a caption whose headings say what they head (scope)."""
    app = create_app(Settings(evaluators=1), store=memory_store(discover(corpus), entail=True))
    try:
        tags = check_structure(app.test_client(), path)
    finally:
        app_state(app).pool.close()
    names = [t for t, _ in tags]
    labelled = {a.get("for") for t, a in tags if t == "label"}
    for tag, attrs in tags:
        if tag == "input" and attrs.get("type") != "hidden":
            assert attrs.get("id") in labelled, f"unlabelled input {attrs}"
        if tag == "th":
            assert attrs.get("scope") in ("col", "row", "colgroup"), f"th without scope: {attrs}"
    if "table" in names:
        assert names[names.index("table") + 1] == "caption"


# ---------------------------------------------------------------- in Chromium


def test_chromium_shows_columns_headed_by_titles_and_a_cell_opens_its_quote(
    base: str, browser: Any
) -> None:
    with watched_page(browser, {"width": 1280, "height": 900}, TIMEOUT_MS) as (page, errors):
        page.goto(f"{base}/compare")
        page.check("#pick-art-0001")
        page.check("#pick-art-0003")
        page.click("form.cmp-choose button[type=submit]")
        page.wait_for_selector("table.compare")
        heads = page.locator("table.compare thead th.cmp-article a").all_inner_texts()
        assert heads == ["Synthetic article 1", "Synthetic article 3"]
        # Both columns sit side by side on screen, each cell below its own heading.
        first, second = (page.locator("table.compare thead th.cmp-article").nth(i).bounding_box()
                         for i in (0, 1))  # fmt: skip
        assert first is not None and second is not None
        assert first["x"] + first["width"] <= second["x"] + 1 and abs(first["y"] - second["y"]) < 2
        row = page.locator("table.compare tbody.cmp-pillars tr").nth(1)
        assert row.locator("td").count() == 2
        assert "component 2.3" in row.locator("td").nth(1).inner_text()
        quote = row.locator("td").nth(1).locator("a.cmp-quote").first
        expected = quote.get_attribute("aria-label").removeprefix("Evidence: ")
        quote.click()
        page.wait_for_selector("mark#mark, #mark")
        assert "/id/art-0003/text" in page.url and "#mark" in page.url
        assert page.locator("#mark").inner_text().strip() == expected
    assert errors == [], f"JavaScript errors in the console: {errors}"

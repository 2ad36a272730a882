"""The pages in a real browser: Debian's Chromium, headless, driven by Playwright.

Locally a missing Chromium skips these tests with the reason; with CI=true it fails them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pages_fixture import fixture_server, watched_page

TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with fixture_server() as url:
        yield url


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records console errors and uncaught exceptions."""
    with watched_page(browser, {"width": 1200, "height": 900}, TIMEOUT_MS) as (page, errors):
        page.errors = errors
        yield page
    assert errors == [], f"JavaScript errors in the console: {errors}"


def test_home_page_opens_and_links_the_article(page: Any, base: str) -> None:
    page.goto(base + "/")
    assert page.title() == "Home · Pillars"
    page.get_by_role("link", name="A fixture article on convergence").click()
    page.wait_for_url(base + "/id/fixture-article/article.html")
    assert page.locator("h1").inner_text() == "A fixture article on convergence"


def test_competency_question_to_table_to_resource_with_highlighted_quote(
    page: Any, base: str
) -> None:
    page.goto(base + "/query")
    assert page.locator(".editor.enhanced").count() == 1  # the highlighter ran
    assert page.locator("#query-highlight .tok-kw").first.inner_text() == "PREFIX"
    page.get_by_role(
        "link", name="For a threat, who perceives it and what quoted text supports it?"
    ).click()
    page.wait_for_url("**/query?example=cq03-threat-evidence")
    rows = page.locator("#results tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").nth(1).inner_text() == "Alphaland"
    rows.nth(0).locator("td").nth(0).get_by_role("link").click()
    page.wait_for_url(base + "/id/fixture-article/threat-regime-change.html")
    mark = page.locator("figure.quote mark").first
    assert mark.inner_text() == "regime change promoted from abroad"
    assert mark.is_visible()


def test_editing_and_running_a_query_from_the_form(page: Any, base: str) -> None:
    page.goto(base + "/query")
    page.locator("#query").fill(
        "SELECT ?a WHERE { ?a a <https://w3id.org/pillars/ontology#State> } ORDER BY ?a"
    )
    assert page.locator("#query-highlight .tok-iri").count() == 1  # highlight follows typing
    page.locator("#query").press("Control+Enter")
    page.wait_for_selector("#results")
    cells = page.locator("#results tbody td").all_inner_texts()
    assert cells == ["Alphaland", "Betaland", "Gammaland"]
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == "results.csv"


def test_argument_map_click_through(page: Any, base: str) -> None:
    """The fixture states no claims but the thesis: its pillars and actors are the second tab's."""
    page.goto(base + "/id/fixture-article/article.html")
    page.wait_for_selector("#argmap.drawn")
    page.get_by_role("tab", name="Pillars and limits").click()
    node = page.locator(".argmap-node.f-pillar", has_text="Common threat perceptions")
    node.wait_for()
    assert page.locator(".argmap-node.f-actor").count() == 0  # actors only on demand
    node.click()  # a click selects: the detail links the page
    detail = page.locator(".argmap-detail")
    assert "Common threat perceptions" in detail.inner_text()
    detail.get_by_role("link", name="Open its page").click()
    page.wait_for_url(base + "/id/fixture-article/pillar-threats.html")
    assert page.locator("h1").inner_text() == "Common threat perceptions"
    page.go_back()
    page.wait_for_selector("#argmap.drawn")
    page.get_by_role("tab", name="Pillars and limits").click()
    page.get_by_label("Show the actors").check()
    actor = page.locator(".argmap-node.f-actor", has_text="Gammaland").first
    actor.wait_for()
    actor.focus()
    page.keyboard.press("Enter")  # Enter opens the box's page
    page.wait_for_url(base + "/id/actor/gammaland.html")
    assert page.locator("h1").inner_text() == "Gammaland"


def test_keyboard_reaches_the_skip_link_and_map_nodes(page: Any, base: str) -> None:
    page.goto(base + "/id/fixture-article/article.html")
    page.wait_for_selector("#argmap.drawn")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.argmap-node') !== null"):
            break
    else:
        pytest.fail("no node of the argument map took keyboard focus in 40 tabs")
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert label.startswith("thesis: ")  # the full label, for screen readers
    assert page.locator(".argmap-detail").is_visible()  # focus shows its quote, as a click does
    page.keyboard.press("Enter")
    page.wait_for_url("**/id/**.html")


def test_phone_width_has_no_sideways_scroll(browser: Any, base: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        for path in (
            "/",
            "/id/fixture-article/threat-regime-change.html",
            "/id/fixture-article/article.html",
            "/query",
        ):
            page.goto(base + path)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 375px wide"
    finally:
        context.close()


def test_a_type_link_lands_on_its_term_in_the_ontology_docs(page: Any, base: str) -> None:
    page.goto(base + "/id/actor/alphaland.html")
    page.locator(".types").get_by_role("link", name="state", exact=True).click()
    page.wait_for_url(base + "/ontology#State")
    top = page.evaluate("document.getElementById('State').getBoundingClientRect().top")
    assert -5 <= top < 100, f"the State entry is {top}px from the top of the window"


def test_the_doi_link_is_in_the_first_screen_of_the_article_page(
    browser: Any, live_server: str
) -> None:
    """The bundled article (the fixture article has no DOI), on the real `pillars serve`."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(live_server + "/id/iranian-russian-security-convergence/article")
        page.wait_for_url("**/id/iranian-russian-security-convergence/article.html")
        doi = "https://doi.org/10.1080/03932729.2019.1586147"
        link = page.get_by_role("link", name=doi, exact=True)
        assert link.count() == 1
        assert link.get_attribute("href") == doi
        assert link.is_visible()
        assert page.evaluate("window.scrollY") == 0
        box = link.bounding_box()
        assert box is not None
        assert 0 <= box["y"] and box["y"] + box["height"] <= 800, f"DOI link at {box}"
        author = page.get_by_role("link", name="Abdolrasool Divsallar", exact=True).first
        assert author.bounding_box()["y"] < box["y"]  # authors before the DOI
    finally:
        context.close()


def test_the_article_page_has_no_sideways_scroll_on_a_phone(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(live_server + "/id/iranian-russian-security-convergence/article.html")
        page.locator("#cite-h ~ details summary").click()  # the BibTeX entry, opened
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"the article page scrolls sideways by {overflow}px at 375px"
    finally:
        context.close()

"""The argument map of the bundled article in Chromium, on the real `pillars serve`: claims and
their supports links drawn by elkjs, a subtree folded and opened, a box's quote and its path to
the thesis, the filters and the zoom.

Locally a missing Chromium skips these tests with the reason; with CI=true it fails them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from pages_fixture import watched_page

TIMEOUT_MS = 20_000
SLUG = "iranian-russian-security-convergence"


@pytest.fixture()
def page(browser: Any, live_server: str) -> Iterator[Any]:
    with watched_page(browser, {"width": 1280, "height": 900}, TIMEOUT_MS) as (page, errors):
        page.goto(f"{live_server}/id/{SLUG}/article.html")
        page.wait_for_selector("#argmap.drawn")
        yield page
    assert errors == [], f"JavaScript errors in the console: {errors}"


def _shown(page: Any) -> int:
    return int(page.locator(".argmap-canvas .argmap-node").count())


def test_the_map_shows_claims_and_their_supports_links(page: Any) -> None:
    assert page.locator(".argmap-node.k-Thesis").count() == 1
    assert page.locator(".argmap-node.k-Claim").count() > 10
    assert page.locator(".argmap-node.k-Conclusion").count() > 3
    assert page.locator("path.edge.r-supports").count() > 10
    assert page.locator("path.edge.r-attacks").count() > 0
    thesis = page.locator(".argmap-node.k-Thesis")
    assert thesis.is_visible()  # the first view starts at the thesis
    # Wrapped, not cut: the box shows its whole label, and says it on hover.
    label = thesis.locator(".argmap-label").inner_text()
    assert label.startswith("International misrecognition and common threat perceptions")
    assert "…" not in label and thesis.get_attribute("title").startswith(label)
    box = thesis.bounding_box()
    assert box["height"] > 60  # several lines


def test_a_subtree_folds_and_opens(page: Any) -> None:
    before = _shown(page)
    thesis = page.locator(".argmap-node.k-Thesis")
    thesis.click()
    page.locator(".argmap-detail").get_by_role("button", name="Collapse what hangs below").click()
    page.wait_for_function(
        f"document.querySelectorAll('.argmap-canvas .argmap-node').length < {before}"
    )
    folded = _shown(page)
    toggle = page.locator(".argmap-toggle.collapsed").first
    assert toggle.inner_text().startswith("+")
    page.locator(".argmap-detail").get_by_role("button", name="Expand what hangs below").click()
    page.wait_for_function(
        f"document.querySelectorAll('.argmap-canvas .argmap-node').length > {folded}"
    )
    assert _shown(page) == before
    page.get_by_role("button", name="Expand all").click()
    page.wait_for_function(
        f"document.querySelectorAll('.argmap-canvas .argmap-node').length > {before}"
    )


def test_a_box_shows_its_quote_and_its_path_to_the_thesis(page: Any, live_server: str) -> None:
    data = requests.get(f"{live_server}/map/{SLUG}.json", timeout=30).json()
    thesis = data["thesis"][0]
    supporter = next(
        e["source"] for e in data["edges"] if e["relation"] == "supports" and e["target"] == thesis
    )
    node = next(n for n in data["nodes"] if n["iri"] == supporter)
    box = page.locator(f'.argmap-node[data-id="{supporter}"]')
    box.focus()  # brings it into the viewport
    box.click()
    detail = page.locator(".argmap-detail")
    assert node["quote"] in detail.locator("blockquote").inner_text()
    assert detail.get_by_role("link", name="Open its page").get_attribute("href") == node["href"]
    assert "1 link to the thesis" in detail.inner_text()
    on_path = page.locator(".argmap-node.on-path")
    assert on_path.count() == 1 and on_path.get_attribute("data-id") == thesis
    assert page.locator("path.edge.on-path").count() >= 1


def test_filters_by_kind_and_section_and_concerns_on_demand(page: Any) -> None:
    page.get_by_role("button", name="Expand all").click()
    page.wait_for_function("document.querySelectorAll('.argmap-canvas .argmap-node').length > 200")
    everything = _shown(page)
    assert page.locator("path.edge.r-concerns").count() == 0
    page.get_by_label("Show what claims concern").check()
    page.wait_for_selector("path.edge.r-concerns")
    assert _shown(page) > everything  # the boxes only concerned come in with their links
    page.locator(".argmap-kinds").get_by_label("claim", exact=True).uncheck()
    page.wait_for_function(
        "document.querySelectorAll('.argmap-canvas .argmap-node.k-Claim').length === 0"
    )
    page.get_by_label("Section").select_option(label="Limits of convergence")
    page.wait_for_function("document.querySelectorAll('.argmap-canvas .argmap-node').length < 30")
    assert page.locator(".argmap-node.k-Thesis").count() == 0  # the thesis is quoted elsewhere


def test_zoom_buttons_scale_the_picture(page: Any) -> None:
    def scale() -> float:
        return float(
            page.evaluate(
                "new DOMMatrix(getComputedStyle(document.querySelector('.argmap-canvas'))"
                ".transform).a"
            )
        )

    start = scale()
    page.get_by_role("button", name="Zoom in").click()
    assert scale() == pytest.approx(start * 1.25)
    page.get_by_role("button", name="Fit").click()
    assert scale() < start


def test_the_taxonomy_is_the_second_tab(page: Any) -> None:
    tab = page.get_by_role("tab", name="Pillars and limits")
    tab.click()
    assert tab.get_attribute("aria-selected") == "true"
    page.wait_for_selector(".argmap-node.f-pillar")
    assert page.locator(".argmap-node.f-actor").count() == 0
    page.get_by_label("Show the actors").check()
    page.wait_for_selector(".argmap-node.f-actor")
    assert page.locator("path.edge.r-perceiver").count() > 0


def test_a_keyboard_reader_can_skip_the_boxes(page: Any) -> None:
    skip = page.get_by_role("link", name="Skip past the map's boxes")
    skip.focus()
    assert skip.is_visible()  # shown while it has the focus
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#argmap-after"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.argmap-node')") is None

"""The search page in a real browser (Debian's Chromium, headless, driven by Playwright):
choosing a facet narrows the hits. Locally a missing Chromium skips; with CI=true it fails.

Expected values from the bundled files: art:threat-sanctions is `a pil:StabilityThreat`
(pillar-threats.ttl), whose label in ontology/ is "stability threat"; threat-type:sanctions
is a shared concept (instances/shared/).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pages_fixture import watched_page

TIMEOUT_MS = 15_000


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    with watched_page(browser, {"width": 1200, "height": 900}, TIMEOUT_MS) as (page, errors):
        yield page
    assert errors == [], f"JavaScript errors in the console: {errors}"


def kinds(page: Any) -> list[str]:
    return [k.strip() for k in page.locator(".search-hits .hit-kind").all_inner_texts()]


def test_choosing_a_facet_narrows_the_hits(page: Any, live_server: str) -> None:
    page.goto(live_server + "/search")
    page.get_by_label("Words (every word must occur)").fill("sanctions")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search?q=sanctions")
    facets = page.get_by_role("navigation", name="Narrow the hits")
    assert facets.is_visible()
    before = kinds(page)
    assert "stability threat" in before and "evidence" in before, before
    # The kind facet: only evidence is left, and the facet shows itself chosen.
    facets.get_by_role("region", name="Kind").get_by_role("link", name="evidence").click()
    page.wait_for_url("**type=https://w3id.org/pillars/ontology%23Evidence**")
    after = kinds(page)
    assert after and set(after) == {"evidence"}, after
    assert page.locator(".search-facets [aria-current]").all_inner_texts() == ["evidence"]
    quote = page.locator(".search-hits > li").first
    assert quote.locator(".hit-sentence").is_visible()
    assert quote.locator(".hit-evidence-of a").count() >= 1
    # Removing it brings the first list back; the article facet narrows to shared things.
    facets.get_by_role("link", name="Remove kind: evidence").click()
    page.wait_for_url("**/search?q=sanctions")
    assert kinds(page) == before
    facets.get_by_role("region", name="Article").get_by_role("link", name="shared").click()
    page.wait_for_url("**article=shared**")
    shared = page.locator(".search-hits .hit-article").all_inner_texts()
    assert shared and all(a.strip() == "in shared" for a in shared), shared
    assert len(shared) < len(before)

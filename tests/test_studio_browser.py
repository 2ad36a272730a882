"""The studio in a real browser: Debian's Chromium, headless, driven by Playwright, on a
temporary copy of the corpus. Locally a missing Chromium skips these tests; with CI=true it
fails them.

With PILLARS_STUDIO_SCREENSHOTS=DIR the tests also save the walkthrough's screenshots there
(docs/studio.md uses them).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pages_fixture import watched_page
from studio_fixture import REPO, SLUG, Studio, copy_corpus, running_studio, write_draft

TIMEOUT_MS = 30_000
PHRASE = "trade barely exceeds USD 2 billion"  # text[1110:1144]
SHOTS = os.environ.get("PILLARS_STUDIO_SCREENSHOTS")

# Selects text[start:end] (code points) in the page, as a reader's mouse would.
SELECT = """([start, end]) => {
  const spans = [...document.querySelectorAll('#text span[data-start]')];
  const at = (p, isEnd) => {
    const span = spans.find((s) => isEnd
      ? +s.dataset.start < p && p <= +s.dataset.end
      : +s.dataset.start <= p && p < +s.dataset.end);
    const inner = Array.from(span.textContent).slice(0, p - +span.dataset.start).join('').length;
    return [span.firstChild, inner];
  };
  const range = document.createRange();
  range.setStart(...at(start, false));
  range.setEnd(...at(end, true));
  const sel = window.getSelection();
  sel.removeAllRanges();
  sel.addRange(range);
  document.getElementById('text').dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
  return sel.toString();
}"""


@pytest.fixture()
def studio(tmp_path: Path) -> Iterator[Studio]:
    root = copy_corpus(tmp_path / "corpus")
    write_draft(root / "instances" / SLUG)
    with running_studio(root) as running:
        yield running


@pytest.fixture()
def page(browser: Any, studio: Studio) -> Iterator[Any]:
    with watched_page(browser, {"width": 1400, "height": 1000}, TIMEOUT_MS) as (page, errors):
        page.goto(studio.base + "/")
        expect(page.locator("#status")).to_have_text("ready", timeout=90_000)
        yield page
    assert errors == [], f"JavaScript errors in the console: {errors}"


def expect(locator: Any) -> Any:
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / name))


def select(page: Any, start: int, end: int) -> str:
    return str(page.evaluate(SELECT, [start, end]))


def pick(page: Any, path: str, query: str, name: str) -> None:
    """Search in the picker of link field `path` and choose `name`."""
    field = page.locator(f'.field.link[data-path="{path}"]')
    field.locator("input[type=search]").fill(query)
    field.locator(".results button", has_text=f"({name},").click()


def create_claim(
    page: Any, start: int, end: int, label: str, supports: tuple[str, str], name: str
) -> None:
    """Select text[start:end], make a pil:Claim supporting `supports`, wait for its save."""
    assert select(page, start, end)
    page.locator("#new-resource").click()
    page.locator("#form-class").select_option("pil:Claim")
    page.locator("#form-label").fill(label)
    pick(page, "pil:supports", *supports)
    page.locator("#form-save").click()
    expect(page.locator("#status")).to_contain_text(f"saved {name} in")


def test_select_a_phrase_and_make_a_claim_that_supports_the_thesis(
    page: Any, studio: Studio
) -> None:
    assert select(page, 1110, 1144) == PHRASE
    expect(page.locator("#selection-quote")).to_have_text(PHRASE)
    page.locator("#new-resource").click()
    page.locator("#form-class").select_option("pil:Claim")
    expect(page.locator(".field.link[data-path='pil:supports'] .help")).to_contain_text("supports")
    page.locator("#form-label").fill("Iranian-Russian trade is small")
    pick(page, "pil:supports", "thesis", "art:thesis")
    shot(page, "studio-form.png")
    page.locator("#form-save").click()
    expect(page.locator("#status")).to_contain_text("saved claim-iranian-russian-trade-small")
    expect(page.locator("#status")).to_contain_text("no violations")
    text = (studio.folder / "studio.ttl").read_text()
    assert "art:claim-iranian-russian-trade-small a pil:Claim ;" in text
    assert "pil:supports art:thesis ." in text
    assert f'oa:exact "{PHRASE}" ;\n    oa:prefix "nt Iranian-Russian relations as " ;' in text
    expect(page.locator("#turtle")).to_contain_text(
        "art:claim-iranian-russian-trade-small a pil:Claim"
    )
    report = check(studio)
    assert report["exit"] == 0, report
    assert not [
        f for f in report["findings"] if "claim-iranian-russian-trade-small" in json.dumps(f)
    ]


def check(studio: Studio) -> dict[str, Any]:
    """`pillars check` on the temporary article folder, as an editor would run it."""
    run = subprocess.run(
        [sys.executable, "-m", "pillars.cli", "check", str(studio.folder), "--format", "json",
         "--skip", "owl", "--cache-dir", str(studio.root / "check-cache")],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    data = json.loads(run.stdout)
    return {"exit": run.returncode, "findings": data["findings"]}


def test_a_link_of_the_wrong_kind_shows_a_finding_until_fixed(page: Any, studio: Studio) -> None:
    label = "Economic factors fail to explain relations"
    supported = "art:claim-economic-factors-fail-explain"
    create_claim(page, 1026, 1106, label, ("thesis", "art:thesis"), supported[4:])
    create_claim(
        page, 1110, 1144, "Trade is small", ("economic factors", supported), "claim-trade-small"
    )
    # The supported phrase names what is at stake, not a claim: the link to it is now wrong.
    page.locator(f"#text span.hl[data-resources~='{supported}']").first.click()
    page.locator(f".card[data-name='{supported}'] button", has_text="Edit").click()
    page.locator("#form-class").select_option("pil:SecurityReferent")
    page.locator("#form-save").click()
    finding = page.locator("#findings li.violation[data-resource='art:claim-trade-small']")
    expect(finding).to_contain_text("must be a statement of the article")
    expect(page.locator("#status")).to_contain_text("1 violation(s) to fix")
    shot(page, "studio-finding.png")
    # Fixed: the claim now supports the thesis instead.
    finding.get_by_role("link").click()
    page.locator(".card[data-name='art:claim-trade-small'] button", has_text="Edit").click()
    page.locator(".field.link[data-path='pil:supports'] .chips button").click()
    pick(page, "pil:supports", "thesis", "art:thesis")
    page.locator("#form-save").click()
    expect(page.locator("#status")).to_contain_text("no violations")
    expect(page.locator("#findings li.violation")).to_have_count(0)


def test_accept_a_drafted_citation_and_reject_another(page: Any, studio: Studio) -> None:
    group = page.locator("details.draft-group[data-kind='pil:Citation']")
    shot(page, "studio-drafts.png")
    group.locator("li[data-draft='cite-mosavian-2017-2'] button", has_text="Accept").click()
    expect(page.locator("#status")).to_contain_text("accepted 1 draft(s)")
    group.locator(
        "li[data-draft='cite-divsallar-and-arjmand-2019-2'] button", has_text="Reject"
    ).click()
    expect(page.locator("#status")).to_contain_text("rejected 1 draft(s)")
    studio_ttl = (studio.folder / "studio.ttl").read_text()
    draft_ttl = (studio.folder / "draft.ttl").read_text()
    assert "art:cite-mosavian-2017-2 a pil:Citation ;" in studio_ttl
    assert "pil:draft" not in studio_ttl
    assert "cite-mosavian-2017-2" not in draft_ttl and "divsallar" not in draft_ttl
    assert "art:ev-mention-russia-1 a pil:Evidence" in draft_ttl  # the mention is untouched
    expect(page.locator("details.draft-group[data-kind='pil:Citation']")).to_have_count(0)


def test_undo_the_last_save(page: Any, studio: Studio) -> None:
    create_claim(page, 1110, 1144, "Trade is small", ("thesis", "art:thesis"), "claim-trade-small")
    assert (studio.folder / "studio.ttl").exists()
    page.locator("#undo").click()
    expect(page.locator("#status")).to_contain_text("undone")
    assert not (studio.folder / "studio.ttl").exists()
    expect(page.locator("#text span.hl[data-resources~='art:claim-trade-small']")).to_have_count(0)


def test_add_a_selection_as_evidence_of_a_shared_actor(page: Any, studio: Studio) -> None:
    assert select(page, 1081, 1088) == "Iranian"
    page.locator("#evidence-search").fill("iran")
    page.locator("#evidence-results button", has_text="(actor:iran)").click()
    expect(page.locator("#status")).to_contain_text("added evidence to actor:iran")
    assert "actor:iran pil:hasEvidence art:ev-iran" in (studio.folder / "studio.ttl").read_text()


def test_link_two_spans_by_dragging(page: Any, studio: Studio) -> None:
    create_claim(page, 1110, 1144, "Trade is small", ("thesis", "art:thesis"), "claim-trade-small")
    page.locator("#link-mode").click()
    source = page.locator("#text span.hl[data-resources~='art:claim-trade-small']").first
    target = page.locator("#text span.hl[data-resources~='art:claim-economic-factors-fail']").first
    source.drag_to(target)
    page.locator(
        "#link-menu button",
        has_text="art:claim-trade-small pil:supports art:claim-economic-factors-fail",
    ).click()
    expect(page.locator("#status")).to_contain_text("linked")
    text = (studio.folder / "studio.ttl").read_text()
    assert "pil:supports art:claim-economic-factors-fail , art:thesis" in text
    shot(page, "studio-text.png")

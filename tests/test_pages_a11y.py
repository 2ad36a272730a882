"""Accessibility rules the page code must keep: colour contrast (WCAG 2 AA) and structure."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pages_fixture import close, make_app

from pillars.corpus import discover
from pillars.server.app import create_app
from pillars.settings import Settings
from pillars.store import memory_store

STATIC = Path(__file__).parent.parent / "pillars" / "server" / "static"
AA_TEXT = 4.5  # WCAG 2.1 SC 1.4.3, normal-size text


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_contrast_formula_on_known_pairs() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic fail


def _variables() -> dict[str, str]:
    css = (STATIC / "pages.css").read_text(encoding="utf-8")
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))


def _colour_of(css_file: str, selector: str, prop: str) -> str:
    css = (STATIC / css_file).read_text(encoding="utf-8")
    rule = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert rule, f"{selector} not in {css_file}"
    value = re.search(rf"(?<![-\w]){prop}:\s*(#[0-9a-fA-F]{{6}})", rule.group(1))
    assert value, f"{selector} has no {prop} in {css_file}"
    return value.group(1)


def text_pairs() -> Iterator[tuple[str, str, str]]:
    v = _variables()
    for fg in ("ink", "muted", "link"):
        for bg in ("bg", "soft"):
            yield f"{fg} on {bg}", v[fg], v[bg]
    yield "ink on mark", v["ink"], v["mark"]
    yield "nav text on header", "#ffffff", _colour_of("pages.css", "header.site", "background")
    for kind in ("thesis", "pillar", "component", "threat", "limit", "actor"):
        yield f"map text on {kind}", v["ink"], v[kind]
    # The argument map's own colours (argmap.css) are checked in tests/test_argmap.py.
    for token in ("kw", "var", "iri", "pn", "str", "num", "cmt"):
        yield f"editor .tok-{token}", _colour_of("pages.css", f".tok-{token}", "color"), "#ffffff"
    yield "button", "#ffffff", _colour_of("pages.css", "button", "background")
    changed = ("strong.changed", "pages.css")
    yield (
        "changed setting",
        _colour_of(changed[1], changed[0], "color"),
        _colour_of(changed[1], changed[0], "background"),
    )


@pytest.mark.parametrize(("name", "fg", "bg"), list(text_pairs()))
def test_text_colours_meet_aa(name: str, fg: str, bg: str) -> None:
    assert contrast(fg, bg) >= AA_TEXT, f"{name}: {fg} on {bg} is {contrast(fg, bg):.2f}:1"


class _Outline(HTMLParser):
    """Collects what the structure checks need: landmarks, headings, labels, images."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    app = make_app()
    yield app
    close(app)


PAGES = [
    "/",
    "/id/actor/alphaland.html",
    "/id/fixture-article/article.html",
    "/id/fixture-article/threat-regime-change.html",
    "/id/actor/",
    "/graph/fixture-article",
    "/dumps/",
    "/query?example=cq01-pillars",
    "/map/fixture-article.html",
    "/compare",
    "/compare?articles=fixture-article",
]


# The bundled corpus, for what the fixture article lacks (authors, journal, DOI, keywords,
# sections with subsections) and the 404 page of the citation downloads.
BUNDLED_PAGES = [
    "/id/iranian-russian-security-convergence/article.html",
    "/cite/no-such-article.bib",
]


@pytest.fixture(scope="module")
def bundled_app() -> Iterator[Flask]:
    app = create_app(Settings(evaluators=1), store=memory_store(discover()))
    yield app
    close(app)


@pytest.mark.parametrize("path", PAGES)
def test_page_structure(app: Flask, path: str) -> None:
    check_structure(app.test_client(), path)


@pytest.mark.parametrize("path", BUNDLED_PAGES)
def test_bundled_page_structure(bundled_app: Flask, path: str) -> None:
    check_structure(bundled_app.test_client(), path)


def check_structure(client: FlaskClient, path: str) -> list[tuple[str, dict[str, str | None]]]:
    """Assert the page's structure; return its start tags, for checks of one page's own."""
    outline = _Outline()
    outline.feed(client.get(path).get_data(as_text=True))
    tags = [t for t, _ in outline.tags]
    html_attrs = next(a for t, a in outline.tags if t == "html")
    assert html_attrs.get("lang") == "en"
    assert tags.count("main") == 1 and "nav" in tags and "header" in tags and "footer" in tags
    assert tags.count("h1") == 1
    ids = {a.get("id") for _, a in outline.tags}
    labelled = {a.get("for") for t, a in outline.tags if t == "label"}
    for tag, attrs in outline.tags:
        if tag == "textarea" or (tag == "input" and attrs.get("type") not in ("hidden", "submit")):
            assert attrs.get("id") in labelled or attrs.get("aria-label"), f"unlabelled {tag}"
        if tag == "img":
            assert "alt" in attrs
        if tag == "a" and attrs.get("href", "").startswith("#"):
            assert attrs["href"][1:] in ids, f"link to missing #{attrs['href'][1:]}"
    assert "skip" in {a.get("class") for t, a in outline.tags if t == "a"}
    return outline.tags

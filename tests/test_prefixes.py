"""Turtle and TriG documents declare the prefixes they use, and `art:` is their own article's.

Regression: every page document, graph dump and export declared `art:` as the first article's
namespace (and every project prefix, used or not), the ontology's document included.
The corpus here holds two articles: the bundled one and the pages fixture's.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from click.testing import CliRunner
from flask import Flask
from pages_fixture import HTTP_TIMEOUT, close, serve
from pages_fixture import ROOT as FIXTURE_ROOT

from pillars.cli import main
from pillars.corpus import discover
from pillars.server.app import create_app
from pillars.settings import Settings
from pillars.store import memory_store

REPO = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/pillars/id/"
FIRST = "iranian-russian-security-convergence"
OTHER = "fixture-article"
# A link from one article to the other, so that one document uses both namespaces.
CROSS_LINK = (
    f"<{ID}{OTHER}/thesis> <https://w3id.org/pillars/ontology#concerns> <{ID}{FIRST}/thesis> .\n"
)
PREFIX_LINE = re.compile(r"^@prefix ([^:\s]*): <([^>]*)> \.$", re.MULTILINE)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("two-articles")
    for part in ("ontology", "shapes", "instances"):
        shutil.copytree(REPO / part, root / part)
    shutil.copytree(FIXTURE_ROOT / "instances" / OTHER, root / "instances" / OTHER)
    (root / "instances" / OTHER / "cross-link.ttl").write_text(CROSS_LINK, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def base_url(corpus: Path) -> Iterator[str]:
    app: Flask = create_app(
        Settings(evaluators=1, query_timeout=20.0), store=memory_store(discover(corpus))
    )
    try:
        with serve(app) as url:
            yield url
    finally:
        close(app)


def declared(document: str) -> dict[str, str]:
    return dict(PREFIX_LINE.findall(document))


def body_names(document: str) -> set[str]:
    """Prefix names the statements use (outside IRIs, strings and @prefix lines)."""
    body = PREFIX_LINE.sub("", document)
    body = re.sub(r'"(?:[^"\\]|\\.)*"', '""', body)  # literals may hold "x:" text
    body = re.sub(r"<[^>]*>", "<>", body)
    return set(re.findall(r"(?:^|[\s(\[{,;^])([A-Za-z][\w.-]*|):[^\s]", body, re.MULTILINE))


def assert_declares_only_what_it_uses(document: str) -> None:
    names = body_names(document)
    assert set(declared(document)) == names, (sorted(declared(document)), sorted(names))


def get(base_url: str, path: str) -> str:
    r = requests.get(base_url + path, timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, (path, r.status_code)
    return r.text


@pytest.mark.parametrize("path", ["/ontology.ttl", "/graph/shapes.ttl", "/dumps/shared.ttl"])
def test_documents_without_an_article_declare_no_article_namespace(
    base_url: str, path: str
) -> None:
    document = get(base_url, path)
    assert "art" not in declared(document)
    assert not any(ns.startswith(ID + FIRST) for ns in declared(document).values())
    assert_declares_only_what_it_uses(document)


@pytest.mark.parametrize(
    "path",
    ["/id/fixture-article/source-smith-2015.ttl", "/id/fixture-article/threat-regime-change.ttl"],
)
def test_a_second_articles_documents_name_their_own_namespace_art(base_url: str, path: str) -> None:
    document = get(base_url, path)
    assert declared(document)["art"] == f"{ID}{OTHER}/"
    assert_declares_only_what_it_uses(document)


@pytest.mark.parametrize(
    ("path", "as_nt"),
    [
        (f"/id/{OTHER}/thesis.ttl", f"/id/{OTHER}/thesis.nt"),
        (f"/graph/{OTHER}.ttl", f"/graph/{OTHER}.nt"),
        (f"/dumps/{OTHER}.ttl", f"/graph/{OTHER}.nt"),
    ],
)
def test_a_document_using_two_articles_names_each_after_its_slug(
    base_url: str, path: str, as_nt: str
) -> None:
    document = get(base_url, path)
    prefixes = declared(document)
    assert prefixes[OTHER] == f"{ID}{OTHER}/" and prefixes[FIRST] == f"{ID}{FIRST}/"
    assert "art" not in prefixes
    assert f"{FIRST}:thesis" in document
    assert_declares_only_what_it_uses(document)
    # Same statements as the N-Triples document, which has no prefixes to get wrong.
    turtle = set(ox.parse(document.encode(), format=ox.RdfFormat.TURTLE))
    nt = get(base_url, as_nt).encode()
    assert turtle == set(ox.parse(nt, format=ox.RdfFormat.N_TRIPLES))


def test_export_declares_what_it_uses(corpus: Path) -> None:
    runner = CliRunner()
    for graph in ("ontology", OTHER):
        result = runner.invoke(
            main, ["export", "--root", str(corpus), "--format", "turtle", "--graph", graph]
        )
        assert result.exit_code == 0, result.output
        assert_declares_only_what_it_uses(result.stdout)
    whole = runner.invoke(main, ["export", "--root", str(corpus), "--format", "trig"])
    assert whole.exit_code == 0, whole.output
    prefixes = declared(whole.stdout)
    assert prefixes[FIRST] == f"{ID}{FIRST}/" and prefixes[OTHER] == f"{ID}{OTHER}/"
    assert_declares_only_what_it_uses(whole.stdout)

"""The home page of a store with many articles: a page of them at a time, counted fast.

Thirty synthetic articles (bench/synth.py), each built with 2 pillars, 6 pillar components
and 12 threats typed by subclasses of pil:Threat.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bench.synth import generate
from pillars.corpus import discover
from pillars.server.app import create_app
from pillars.server.state import app_state
from pillars.settings import Settings
from pillars.store import memory_store

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    root = tmp_path_factory.mktemp("many")
    for folder in ("ontology", "shapes"):
        (root / folder).symlink_to(REPO / folder)
    generate(root, 30, seed=5)
    app = create_app(Settings(evaluators=1), store=memory_store(discover(root)))
    yield app
    app_state(app).pool.close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def cards(html: str) -> list[str]:
    return re.findall(r'<article class="card">(.*?)</article>', html, re.S)


def test_first_page_lists_25_articles_and_links_the_next(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    shown = cards(html)
    assert len(shown) == 25
    assert "Articles 1–25 of 30" in html
    assert 'rel="next" href="/?page=2"' in html and 'rel="prev"' not in html
    assert 'href="/graph/art-0001"' in shown[0] and 'href="/graph/art-0025"' in shown[24]
    for card in shown:
        assert "<strong>2</strong> pillars" in card
        assert "<strong>6</strong> pillar components" in card
        assert "<strong>12</strong> threats" in card  # typed by subclasses of pil:Threat


def test_an_empty_page_parameter_is_the_first_page(client: FlaskClient) -> None:
    html = client.get("/?page=").get_data(as_text=True)
    assert "Articles 1–25 of 30" in html


def test_last_page_holds_the_rest(client: FlaskClient) -> None:
    html = client.get("/?page=2").get_data(as_text=True)
    shown = cards(html)
    assert len(shown) == 5
    assert "Articles 26–30 of 30" in html
    assert 'rel="prev" href="/?page=1"' in html and 'rel="next"' not in html
    assert 'href="/graph/art-0030"' in shown[-1]


@pytest.mark.parametrize("page", ["0", "3", "two", "-1", "1.5", "²"])
def test_a_page_out_of_range_is_a_400_naming_the_parameter(client: FlaskClient, page: str) -> None:
    response = client.get("/", query_string={"page": page})
    assert response.status_code == 400
    assert response.get_data(as_text=True).startswith(
        "parameter page: expected a whole number from 1 to 2"
    )

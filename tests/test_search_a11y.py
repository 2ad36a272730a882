"""The search page with facets (and with a facet chosen) passes the pages' structure checks
(tests/test_pages_a11y.py: lang, one h1, landmarks, labelled controls, heading order...)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from test_pages_a11y import check_structure

from pillars.corpus import discover
from pillars.server.app import create_app
from pillars.server.state import app_state
from pillars.settings import Settings
from pillars.store import memory_store

PAGES = [
    "/search",
    "/search?q=sanctions",
    "/search?q=sanctions&type=https://w3id.org/pillars/ontology%23Evidence",
    "/search?q=sanctions&article=shared",
    "/search?q=insecurity+NATO&actor=https://w3id.org/pillars/id/actor/russia",
    "/search?q=zzqx",
]


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    app = create_app(Settings(evaluators=1), store=memory_store(discover(), entail=True))
    yield app
    app_state(app).pool.close()


@pytest.mark.parametrize("path", PAGES)
def test_search_page_structure(app: Flask, path: str) -> None:
    assert app.test_client().get(path).status_code == 200
    check_structure(app.test_client(), path)

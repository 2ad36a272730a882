"""Shared set-up for the page tests: the fixture corpus app, a real HTTP server, Chromium."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask
from werkzeug.serving import make_server

from pillars.corpus import discover
from pillars.server.app import create_app
from pillars.server.state import app_state
from pillars.settings import Settings
from pillars.store import memory_store

ROOT = Path(__file__).parent / "fixtures" / "pages"
SLUG = "fixture-article"
HTTP_TIMEOUT = 60  # seconds per request; pages answer in milliseconds
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def make_app() -> Flask:
    """The real app over the fixture corpus, with one evaluator process (a light machine)."""
    app = create_app(Settings(evaluators=1, query_timeout=20.0), store=memory_store(discover(ROOT)))
    app.config["PILLARS_QUERIES_DIR"] = str(ROOT / "queries")
    return app


def close(app: Flask) -> None:
    app_state(app).pool.close()


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve `app` over real HTTP on 127.0.0.1 (a free port) while the block runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="pages-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@contextmanager
def fixture_server() -> Iterator[str]:
    """The fixture corpus app over real HTTP; its evaluators are stopped afterwards."""
    app = make_app()
    try:
        with serve(app) as url:
            yield url
    finally:
        close(app)


def check_status(base: str, path: str, accept: str, status: int, expect: str) -> None:
    """GET without following redirects: a 303's Location, or else the media type, as expected."""
    r = requests.get(
        base + path, headers={"Accept": accept}, allow_redirects=False, timeout=HTTP_TIMEOUT
    )
    assert r.status_code == status, r.text[:300]
    if status == 303:
        assert r.headers["Location"] == expect
        assert "Accept" in r.headers["Vary"]
    else:
        assert r.headers["Content-Type"].split(";")[0] == expect


def chromium_or_skip() -> str:
    """Chromium's path; without it, skip with the reason locally and fail in CI."""
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path:
        return path
    reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@contextmanager
def launched_chromium() -> Iterator[Any]:
    """Chromium under Playwright, closed afterwards (chromium_or_skip: skip, or fail in CI)."""
    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@contextmanager
def watched_page(
    browser: Any, viewport: dict[str, int], timeout_ms: int
) -> Iterator[tuple[Any, list[str]]]:
    """A fresh page in its own context, and the console errors and uncaught exceptions it
    records; the caller asserts on them once the context is closed."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page, errors
    finally:
        context.close()

"""The result cache: unit tests of the LRU, then /sparql in-process and over real HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from conftest import start_server
from flask import Flask
from flask.testing import FlaskClient

from pillars.server.app import create_app
from pillars.server.evaluator import Answer, Job
from pillars.server.result_cache import ResultCache, matches, store_generation
from pillars.server.state import app_state
from pillars.settings import SettingError, Settings
from pillars.store import MARKER, StoreSource, memory_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def job(query: str, fmt: str = "json", max_rows: int = 100) -> Job:
    return Job(query, fmt, "turtle", max_rows)


def ok(body: bytes) -> Answer:
    return Answer(200, body, "json")


# --- the LRU itself --------------------------------------------------------------------


def test_hit_after_put_and_key_has_every_part() -> None:
    cache = ResultCache(10_000, lambda: "g1")
    assert cache.get(job("q1")) is None
    cache.put(job("q1"), ok(b"one"))
    hit = cache.get(job("q1"))
    assert hit is not None and hit.answer.body == b"one"
    # Same text, but another format, row limit or dataset selection: another answer.
    assert cache.get(job("q1", fmt="xml")) is None
    assert cache.get(job("q1", max_rows=5)) is None
    assert cache.get(Job("q1", "json", "turtle", 100, False, ("urn:g",), ())) is None
    assert (cache.hits, cache.misses) == (1, 4)


def test_bounded_in_bytes_least_recently_used_goes_first() -> None:
    cache = ResultCache(1000, lambda: "g")
    for name in ("a", "b", "c"):  # 100-byte bodies, 1-byte queries: 101 bytes each
        cache.put(job(name), ok(name.encode() * 100))
    assert cache.get(job("a")) is not None  # "b" is now the least recently used
    for name in ("d", "e", "f", "g", "h", "i", "j"):
        cache.put(job(name), ok(name.encode() * 100))
    assert cache.size_bytes <= 1000
    assert cache.get(job("b")) is None
    assert cache.get(job("a")) is not None and cache.get(job("j")) is not None


def test_large_answers_and_errors_are_not_kept() -> None:
    cache = ResultCache(800, lambda: "g")
    cache.put(job("big"), ok(b"x" * 200))  # over 1/8 of the budget
    cache.put(job("bad"), Answer(400, b"syntax error"))
    assert len(cache) == 0 and cache.get(job("big")) is None and cache.get(job("bad")) is None


def test_nothing_stale_after_the_store_changes() -> None:
    generation = ["one"]
    cache = ResultCache(10_000, lambda: generation[0])
    cache.put(job("q"), ok(b"old answer"))
    generation[0] = "two"
    assert cache.get(job("q")) is None and len(cache) == 0


def test_zero_bytes_turns_it_off() -> None:
    cache = ResultCache(0, lambda: "g")
    entry = cache.put(job("q"), ok(b"answer"))
    assert entry.etag.startswith('"') and cache.get(job("q")) is None and len(cache) == 0


def test_on_disk_generation_follows_the_marker_file(tmp_path: Path) -> None:
    marker = tmp_path / MARKER
    marker.write_text("built once\n")
    generation = store_generation(StoreSource(path=str(tmp_path)))
    first = generation()
    assert generation() == first
    marker.write_text("built again, by a later pillars load\n")
    assert generation() != first


def test_memory_generation_depends_on_the_data() -> None:
    a = store_generation(StoreSource(nquads=b"<urn:a> <urn:p> <urn:b> .\n"))()
    b = store_generation(StoreSource(nquads=b"<urn:a> <urn:p> <urn:c> .\n"))()
    assert a != b


def test_if_none_match() -> None:
    assert matches('"x", "abc"', '"abc"') and matches('W/"abc"', '"abc"') and matches("*", '"a"')
    assert not matches('"abd"', '"abc"') and not matches(None, '"abc"') and not matches("", '"a"')


def test_negative_settings_are_refused() -> None:
    with pytest.raises(SettingError, match="result_cache_bytes"):
        Settings(result_cache_bytes=-1)
    with pytest.raises(SettingError, match="cache_max_age"):
        Settings.from_mapping({"cache_max_age": "-5"})


# --- /sparql in-process -------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference() -> ox.Store:
    return memory_store()


@pytest.fixture(scope="module")
def app(reference: ox.Store) -> Iterator[Flask]:
    app = create_app(Settings(evaluators=1, cache_max_age=30), reference)
    yield app
    app_state(app).pool.close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def count_of(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_repeated_query_is_served_from_the_cache(
    client: FlaskClient, app: Flask, reference: ox.Store
) -> None:
    cache: ResultCache = app_state(app).cache
    direct = reference.query(COUNT, use_default_graph_as_union=True)
    expected = int(next(iter(direct))[0].value)  # type: ignore[index, arg-type]
    params = {"query": COUNT + " # repeated", "format": "json"}
    first = client.get("/sparql", query_string=params)
    hits = cache.hits
    second = client.get("/sparql", query_string=params)
    assert first.status_code == second.status_code == 200
    assert count_of(first.data) == count_of(second.data) == expected
    assert cache.hits == hits + 1
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=30"
    # Another format is another entry, with another ETag.
    xml = client.get("/sparql", query_string={**params, "format": "xml"})
    assert xml.mimetype == "application/sparql-results+xml"
    assert xml.headers["ETag"] != first.headers["ETag"]


def test_if_none_match_gets_304_without_a_body(client: FlaskClient) -> None:
    params = {"query": "ASK { ?s ?p ?o }", "format": "json"}
    etag = client.get("/sparql", query_string=params).headers["ETag"]
    r = client.get("/sparql", query_string=params, headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.data == b"" and r.headers["ETag"] == etag
    other = client.get("/sparql", query_string=params, headers={"If-None-Match": '"other"'})
    assert other.status_code == 200 and json.loads(other.data)["boolean"] is True


def test_errors_are_not_cached_and_have_no_etag(client: FlaskClient, app: Flask) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT WHERE {"})
    assert r.status_code == 400 and "ETag" not in r.headers
    assert all(entry.answer.status == 200 for entry in app_state(app).cache._entries.values())


# --- over real HTTP -----------------------------------------------------------------------


def test_cache_over_http_and_the_switch() -> None:
    query = {"query": "SELECT ?g WHERE { GRAPH ?g {} } ORDER BY ?g", "format": "json"}
    with start_server() as on, start_server("--result-cache-bytes", "0") as off:
        with requests.Session() as s:
            a = s.get(on.url + "/sparql", params=query, timeout=30)
            b = s.get(
                on.url + "/sparql",
                params=query,
                headers={"If-None-Match": a.headers["ETag"]},
                timeout=30,
            )
            assert a.status_code == 200 and b.status_code == 304 and b.content == b""
            c = s.get(off.url + "/sparql", params=query, timeout=30)
            # Off: the same answer, still validated by ETag, only not kept in memory.
            assert c.status_code == 200 and c.json() == a.json()
            assert c.headers["ETag"] == a.headers["ETag"]
            settings = s.get(off.url + "/-/settings.json", timeout=30).json()
            assert settings["result_cache_bytes"] == 0


def test_off_for_a_remote_endpoint() -> None:
    remote = ResultCache.for_source(10_000, StoreSource(endpoint="http://127.0.0.1:9/sparql"))
    remote.put(job("q"), ok(b"answer"))
    assert not remote.enabled and remote.get(job("q")) is None
    local = ResultCache.for_source(10_000, StoreSource(nquads=b""))
    local.put(job("q"), ok(b"answer"))
    assert local.get(job("q")) is not None

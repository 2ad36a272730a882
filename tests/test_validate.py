"""POST /validate: in-process through the Flask client, and over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import rdflib
import requests
from flask.testing import FlaskClient

from pillars.anchor import turtle_string
from pillars.corpus import default_root
from pillars.server.app import create_app
from pillars.store import memory_store

SLUG = "iranian-russian-security-convergence"
TEXT = (default_root() / "instances" / SLUG / "text.txt").read_text(encoding="utf-8")
QUOTE = "milestone in their bilateral relations."


def draft(shift: int = 0) -> str:
    start = TEXT.index(QUOTE)  # computed here, independently of the code under test
    return f"""@prefix pil: <https://w3id.org/pillars/ontology#> .
@prefix art: <https://w3id.org/pillars/id/{SLUG}/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
art:claim-draft a pil:Claim ; rdfs:label "a draft claim" ; pil:hasEvidence art:ev-draft .
art:ev-draft a pil:Evidence ; oa:exact {turtle_string(QUOTE)} ;
    oa:start {start + shift} ; oa:end {start + shift + len(QUOTE)} ; pil:inText art:text .
"""


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return memory_store()


@pytest.fixture(scope="module")
def client(store: ox.Store) -> Iterator[FlaskClient]:
    app = create_app(store=store)
    yield app.test_client()


def post(client: FlaskClient, body: str | bytes, ctype: str = "text/turtle", **kw: str):  # type: ignore[no-untyped-def]
    accept = kw.pop("accept", "application/json")
    return client.post(
        "/validate", data=body, headers={"Content-Type": ctype, "Accept": accept}, query_string=kw
    )


def test_a_valid_draft_conforms(client: FlaskClient) -> None:
    resp = post(client, draft())
    assert resp.status_code == 200, resp.get_data(as_text=True)
    report = resp.get_json()
    assert report["conforms"] is True and report["findings"] == []


def test_a_shifted_quote_is_reported(client: FlaskClient) -> None:
    report = post(client, draft(shift=4)).get_json()
    assert report["conforms"] is False
    (finding,) = report["findings"]
    assert finding["rule"] == "pilsh:QuoteMatchesTextShape"
    assert finding["resource"].endswith("/ev-draft")
    assert "art:ev-draft" in finding["message"]


def test_json_ld_and_n_triples_in(client: FlaskClient) -> None:
    triples = list(ox.parse(draft(shift=4).encode(), format=ox.RdfFormat.TURTLE))
    for fmt, ctype in ((ox.RdfFormat.JSON_LD, "application/ld+json"),
                       (ox.RdfFormat.N_TRIPLES, "application/n-triples")):  # fmt: skip
        body = ox.serialize(triples, format=fmt)
        assert body is not None
        report = post(client, body, ctype).get_json()
        assert [f["rule"] for f in report["findings"]] == ["pilsh:QuoteMatchesTextShape"], ctype


def test_report_as_turtle_and_html(client: FlaskClient) -> None:
    resp = post(client, draft(shift=4), accept="text/turtle")
    assert resp.mimetype == "text/turtle"
    graph = rdflib.Graph().parse(data=resp.get_data(as_text=True), format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.conforms, rdflib.Literal(False)) in graph
    page = post(client, draft(shift=4), accept="text/html")
    assert page.mimetype == "text/html"
    assert "Does not conform" in page.get_data(as_text=True)
    assert "art:ev-draft" in page.get_data(as_text=True)


def test_malformed_input_gets_400_saying_where(client: FlaskClient) -> None:
    resp = post(client, "@prefix ex: <http://example.org/> .\nex:a ex:b .\n")
    assert resp.status_code == 400
    assert "line 2" in resp.get_data(as_text=True)


def test_unsupported_content_type_gets_415(client: FlaskClient) -> None:
    resp = post(client, "<a> <b> <c> .", "text/plain")
    assert resp.status_code == 415
    assert "text/turtle" in resp.get_data(as_text=True)


def test_time_limit_gives_504(client: FlaskClient) -> None:
    resp = post(client, draft(), timeout="0.001")
    assert resp.status_code == 504
    assert "time limit" in resp.get_data(as_text=True)


def test_the_store_never_changes(client: FlaskClient, store: ox.Store) -> None:
    before = len(store)
    post(client, draft())
    post(client, draft(shift=4))
    assert len(store) == before
    assert not list(store.quads_for_pattern(ox.NamedNode(
        f"https://w3id.org/pillars/id/{SLUG}/claim-draft"), None, None))  # fmt: skip


LIMITS = (default_root() / "instances" / SLUG / "limits.ttl").read_text(encoding="utf-8")


def test_one_file_of_a_served_article_is_checked_with_the_rest_of_it(client: FlaskClient) -> None:
    # limits.ttl links to the thesis and to sections defined in the article's other files:
    # checked alone, those read as "not defined anywhere".
    report = post(client, LIMITS).get_json()
    assert (report["conforms"], report["findings"]) == (True, [])
    # SHACL's own report is about the posted resources only, not the rest of the article
    # (which has a note, about a threat in pillar-threats.ttl).
    graph = rdflib.Graph().parse(
        data=post(client, LIMITS, accept="text/turtle").get_data(as_text=True), format="turtle"
    )
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert (None, sh.conforms, rdflib.Literal(True)) in graph
    assert not list(graph.objects(None, sh.result))


def test_an_edit_of_one_served_file_is_reported_once(client: FlaskClient, store: ox.Store) -> None:
    before = len(store)
    # The draft's offsets replace the served ones (not "two starts"), and the check still
    # sees the quote no longer matches.
    edited = LIMITS.replace(
        "oa:start 30549 ;\n    oa:end 30692 ;", "oa:start 30552 ;\n    oa:end 30695 ;"
    )
    assert edited != LIMITS
    report = post(client, edited).get_json()
    (finding,) = report["findings"]
    assert finding["rule"] == "pilsh:QuoteMatchesTextShape"
    assert (
        finding["resource"]
        == f"https://w3id.org/pillars/id/{SLUG}/ev-claim-limits-restrain-convergence"
    )
    assert len(store) == before


def test_over_real_http(live_server: str) -> None:
    resp = requests.post(
        f"{live_server}/validate", data=draft(shift=4).encode(), timeout=60,
        headers={"Content-Type": "text/turtle", "Accept": "application/json"},
    )  # fmt: skip
    assert resp.status_code == 200
    report = json.loads(resp.text)
    assert [f["rule"] for f in report["findings"]] == ["pilsh:QuoteMatchesTextShape"]
    too_big = requests.post(
        f"{live_server}/validate", data=b"#" * (2 * 1024 * 1024), timeout=60,
        headers={"Content-Type": "text/turtle"},
    )  # fmt: skip
    assert too_big.status_code == 413

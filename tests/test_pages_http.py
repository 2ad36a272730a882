"""Linked Data pages over real HTTP on 127.0.0.1: status codes and negotiation on the wire."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import rdflib
import requests
from pages_fixture import check_status, fixture_server

TIMEOUT = 30  # seconds per request; the fixture corpus answers in milliseconds


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with fixture_server() as url:
        yield url


# (path, Accept, expected status, expected Location or Content-Type)
CASES = [
    ("/", "text/html", 200, "text/html"),
    ("/id/actor/alphaland", "text/html", 303, "/id/actor/alphaland.html"),
    ("/id/actor/alphaland", "text/turtle", 303, "/id/actor/alphaland.ttl"),
    ("/id/fixture-article/thesis", "application/ld+json", 303, "/id/fixture-article/thesis.jsonld"),
    (
        "/id/fixture-article/ev-closer",
        "application/n-triples",
        303,
        "/id/fixture-article/ev-closer.nt",
    ),
    (
        "/id/fixture-article/source-smith-2015",
        "application/rdf+xml",
        303,
        "/id/fixture-article/source-smith-2015.rdf",
    ),
    ("/id/fixture-article/article.html", "text/turtle", 200, "text/html"),  # the URL decides
    ("/id/actor/alphaland.ttl", "text/html", 200, "text/turtle"),
    ("/id/actor/nobody", "text/html", 404, "text/html"),
    ("/id/actor/nobody.ttl", "text/turtle", 404, "text/plain"),
    ("/id/actor/alphaland", "image/png", 406, "text/plain"),
    ("/ontology", "text/html", 200, "text/html"),
    ("/ontology", "text/turtle", 200, "text/turtle"),
    ("/ontology#Threat", "application/rdf+xml", 200, "application/rdf+xml"),
    ("/ontology/0.0.1", "application/n-triples", 200, "application/n-triples"),
    ("/graph/fixture-article", "text/html", 200, "text/html"),
    ("/graph/fixture-article", "application/ld+json", 200, "application/ld+json"),
    ("/graph/nothing", "text/turtle", 404, "text/plain"),
    ("/map/fixture-article.json", "*/*", 200, "application/json"),
    ("/map/fixture-article.html", "text/html", 200, "text/html"),
    ("/dumps/", "text/html", 200, "text/html"),
    ("/dumps/pillars.trig", "*/*", 200, "application/trig"),
    ("/dumps/pillars.nq", "*/*", 200, "application/n-quads"),
    ("/dumps/fixture-article.ttl", "*/*", 200, "text/turtle"),
    ("/query", "text/html", 200, "text/html"),
    ("/query?example=cq01-pillars", "text/html", 200, "text/html"),
]


@pytest.mark.parametrize(("path", "accept", "status", "expect"), CASES)
def test_status_and_type_over_http(
    base: str, path: str, accept: str, status: int, expect: str
) -> None:
    check_status(base, path, accept, status, expect)


def test_following_the_303_gets_turtle_about_the_thing(base: str) -> None:
    r = requests.get(
        base + "/id/actor/betaland", headers={"Accept": "text/turtle"}, timeout=TIMEOUT
    )
    assert r.status_code == 200
    assert r.url == base + "/id/actor/betaland.ttl"
    graph = rdflib.Graph().parse(data=r.text, format="turtle")
    alt = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#altLabel")
    betaland = rdflib.URIRef("https://w3id.org/pillars/id/actor/betaland")
    assert (betaland, alt, rdflib.Literal("Betaland Republic", lang="en")) in graph


def test_conditional_get_over_http(base: str) -> None:
    first = requests.get(base + "/id/fixture-article/article.html", timeout=TIMEOUT)
    etag = first.headers["ETag"]
    second = requests.get(
        base + "/id/fixture-article/article.html",
        headers={"If-None-Match": etag},
        timeout=TIMEOUT,
    )
    assert second.status_code == 304


def test_query_download_over_http(base: str) -> None:
    query = "SELECT ?t WHERE { ?t a <https://w3id.org/pillars/ontology#IdentityThreat> }"
    r = requests.post(base + "/query", data={"query": query, "format": "csv"}, timeout=TIMEOUT)
    assert r.status_code == 200
    assert r.text.splitlines() == [
        "t",
        "https://w3id.org/pillars/id/fixture-article/threat-regime-change",
    ]


def test_void_links_every_dump_and_every_link_answers(base: str) -> None:
    r = requests.get(base + "/.well-known/void", headers={"Accept": "text/turtle"}, timeout=TIMEOUT)
    assert r.status_code == 200
    graph = rdflib.Graph().parse(data=r.text, format="turtle")
    dumps = sorted(
        str(o) for o in graph.objects(None, rdflib.URIRef("http://rdfs.org/ns/void#dataDump"))
    )
    assert base + "/dumps/pillars.trig" in dumps
    assert base + "/dumps/pillars.nq" in dumps
    assert base + "/dumps/fixture-article.ttl" in dumps
    for url in dumps:
        assert requests.head(url, timeout=TIMEOUT).status_code == 200, url


def test_linked_data_is_readable_from_other_origins(base: str) -> None:
    headers = {"Accept": "text/turtle", "Origin": "https://example.org"}
    see_other = requests.get(
        base + "/id/actor/alphaland", headers=headers, allow_redirects=False, timeout=TIMEOUT
    )
    assert see_other.headers["Access-Control-Allow-Origin"] == "*"
    doc = requests.get(base + see_other.headers["Location"], headers=headers, timeout=TIMEOUT)
    assert doc.headers["Access-Control-Allow-Origin"] == "*"
    assert "Link" in doc.headers["Access-Control-Expose-Headers"]

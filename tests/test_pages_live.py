"""The pages on the real server (`pillars serve`, gunicorn) over the bundled corpus.

These check the wiring in production: templates and assets found from the installed package,
the blueprint registered, each kind of resource answering with the right status and type.
The expected values come from the article's encoding, not from the page code.
"""

from __future__ import annotations

import re

import pytest
import rdflib
import requests
from pages_fixture import check_status

TIMEOUT = 60
ART = "/id/iranian-russian-security-convergence"


# (path, Accept, status, Location for a 303 or the media type otherwise)
LIVE_CASES = [
    ("/", "text/html", 200, "text/html"),
    ("/id/actor/iran", "text/html", 303, "/id/actor/iran.html"),
    ("/id/actor/iran", "text/turtle", 303, "/id/actor/iran.ttl"),
    ("/id/actor/iran.jsonld", "*/*", 200, "application/ld+json"),
    (f"{ART}/article", "application/rdf+xml", 303, f"{ART}/article.rdf"),
    (f"{ART}/thesis.html", "*/*", 200, "text/html"),
    (f"{ART}/threat-regime-change.nt", "*/*", 200, "application/n-triples"),
    (f"{ART}/text", "text/html", 303, f"{ART}/text.html"),
    ("/id/threat-type/regime-change", "text/turtle", 303, "/id/threat-type/regime-change.ttl"),
    ("/id/actor/atlantis", "text/html", 404, "text/html"),
    ("/ontology", "text/html", 200, "text/html"),
    ("/ontology", "application/ld+json", 200, "application/ld+json"),
    ("/graph/iranian-russian-security-convergence", "text/html", 200, "text/html"),
    ("/graph/shared", "text/turtle", 200, "text/turtle"),
    ("/dumps/pillars.nq", "*/*", 200, "application/n-quads"),
    ("/dumps/iranian-russian-security-convergence.ttl", "*/*", 200, "text/turtle"),
    ("/map/iranian-russian-security-convergence.json", "*/*", 200, "application/json"),
    ("/query", "text/html", 200, "text/html"),
]


@pytest.mark.parametrize(("path", "accept", "status", "expect"), LIVE_CASES)
def test_live_status_and_type(
    live_server: str, path: str, accept: str, status: int, expect: str
) -> None:
    check_status(live_server, path, accept, status, expect)


def test_live_iran_turtle_has_its_label(live_server: str) -> None:
    r = requests.get(live_server + "/id/actor/iran.ttl", timeout=TIMEOUT)
    graph = rdflib.Graph().parse(data=r.text, format="turtle")
    iran = rdflib.URIRef("https://w3id.org/pillars/id/actor/iran")
    labels = {str(o) for o in graph.objects(iran, rdflib.RDFS.label)}
    assert "Iran" in labels


def test_live_article_page_maps_both_pillars(live_server: str) -> None:
    slug = ART.rsplit("/", 1)[1]
    data = requests.get(f"{live_server}/map/{slug}.json", timeout=TIMEOUT).json()
    pillars = [n["href"] for n in data["taxonomy"]["nodes"] if n["family"] == "pillar"]
    assert sorted(pillars) == [
        f"{ART}/pillar-common-threats",
        f"{ART}/pillar-misrecognition",
    ]  # as article.ttl names them (pil:hasPillar)


def test_live_competency_questions_are_one_click_examples(live_server: str) -> None:
    home = requests.get(live_server + "/", timeout=TIMEOUT).text
    examples = re.findall(r'href="/query\?example=([\w-]+)"', home)
    assert "cq01-pillars-and-components" in examples
    page = requests.get(
        live_server + "/query", params={"example": "cq01-pillars-and-components"}, timeout=TIMEOUT
    )
    assert page.status_code == 200
    assert len(re.findall(r"<tr><td[ >]", page.text)) > 0
    assert f'href="{ART}/pillar-misrecognition"' in page.text


def test_serve_root_brings_its_own_competency_questions() -> None:
    from conftest import start_server
    from pages_fixture import ROOT

    with start_server("--root", str(ROOT), "--evaluators", "1") as server:
        html = requests.get(server.url + "/query", timeout=TIMEOUT).text
    assert 'href="/query?example=cq01-pillars"' in html  # the fixture's, not the bundled ones
    assert "cq01-pillars-and-components" not in html


EVERY_KIND = """
SELECT ?class (SAMPLE(?thing) AS ?example) WHERE {
  ?thing a ?class .
  FILTER(STRSTARTS(STR(?class), "https://w3id.org/pillars/ontology#"))
  FILTER(STRSTARTS(STR(?thing), "https://w3id.org/pillars/id/"))
} GROUP BY ?class ORDER BY ?class
"""


def test_every_kind_of_thing_dereferences(live_server: str) -> None:
    """One instance of each ontology class the corpus uses: 303, Turtle with its type, a page."""
    answer = requests.get(
        live_server + "/sparql",
        params={"query": EVERY_KIND},
        headers={"Accept": "application/sparql-results+json"},
        timeout=TIMEOUT,
    ).json()
    rows = answer["results"]["bindings"]
    assert len(rows) >= 20  # the encoding uses most of the ontology's classes
    for row in rows:
        thing, cls = row["example"]["value"], row["class"]["value"]
        path = thing[len("https://w3id.org/pillars") :]
        see_other = requests.get(
            live_server + path,
            headers={"Accept": "text/turtle"},
            allow_redirects=False,
            timeout=TIMEOUT,
        )
        assert see_other.status_code == 303, path
        doc = requests.get(live_server + see_other.headers["Location"], timeout=TIMEOUT)
        graph = rdflib.Graph().parse(data=doc.text, format="turtle")
        assert (rdflib.URIRef(thing), rdflib.RDF.type, rdflib.URIRef(cls)) in graph, path
        page = requests.get(live_server + path + ".html", timeout=TIMEOUT)
        assert page.status_code == 200, path
        assert page.text.count("<h1>") == 1, path

"""Linked Data pages, in process: content negotiation, status codes, what each page shows."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
import rdflib
from flask import Flask
from flask.testing import FlaskClient
from pages_fixture import close, make_app

from pillars.prefixes import compact
from pillars.server.pages.query import query_form
from pillars.server.pages.rdf import negotiate
from pillars.store_interface import select

FX = "https://w3id.org/pillars/id/fixture-article/"
ALPHALAND = "https://w3id.org/pillars/id/actor/alphaland"
RDFS_LABEL = rdflib.URIRef("http://www.w3.org/2000/01/rdf-schema#label")
PIL = "https://w3id.org/pillars/ontology#"

# (path of a thing, kind) for every kind of resource the pages serve under /id/.
THINGS = [
    ("/id/actor/alphaland", "shared actor"),
    ("/id/fixture-article/article", "article"),
    ("/id/fixture-article/thesis", "claim"),
    ("/id/fixture-article/threat-regime-change", "threat"),
    ("/id/fixture-article/ev-regime-change", "evidence"),
    ("/id/fixture-article/cite-smith-2015", "citation"),
    ("/id/fixture-article/source-smith-2015", "cited work"),
    ("/id/fixture-article/text", "article text"),
]
RDF_ACCEPTS = [
    ("text/turtle", "ttl", "turtle"),
    ("application/ld+json", "jsonld", "json-ld"),
    ("application/n-triples", "nt", "nt"),
    ("application/rdf+xml", "rdf", "xml"),
]


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    app = make_app()
    yield app
    close(app)


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.mark.parametrize(("path", "kind"), THINGS)
def test_a_thing_redirects_303_to_its_page_for_a_browser(
    client: FlaskClient, path: str, kind: str
) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get(path, headers={"Accept": browser})
    assert r.status_code == 303, kind
    assert r.headers["Location"] == path + ".html"
    assert "Accept" in r.headers["Vary"]
    page = client.get(path + ".html")
    assert page.status_code == 200
    assert page.mimetype == "text/html"


@pytest.mark.parametrize(("path", "kind"), THINGS)
@pytest.mark.parametrize(("accept", "ext", "rdflib_format"), RDF_ACCEPTS)
def test_a_thing_redirects_303_to_rdf_that_parses_and_describes_it(
    client: FlaskClient, path: str, kind: str, accept: str, ext: str, rdflib_format: str
) -> None:
    r = client.get(path, headers={"Accept": accept})
    assert r.status_code == 303, kind
    assert r.headers["Location"] == f"{path}.{ext}"
    doc = client.get(r.headers["Location"])
    assert doc.status_code == 200
    assert doc.mimetype == accept
    graph = rdflib.Graph().parse(data=doc.data, format=rdflib_format)
    iri = rdflib.URIRef("https://w3id.org/pillars" + path)
    assert (iri, None, None) in graph or (None, None, iri) in graph


def test_no_accept_header_and_star_star_get_the_page(client: FlaskClient) -> None:
    assert client.get("/id/actor/alphaland").headers["Location"] == "/id/actor/alphaland.html"
    r = client.get("/id/actor/alphaland", headers={"Accept": "*/*"})
    assert r.headers["Location"] == "/id/actor/alphaland.html"


def test_q_values_decide(client: FlaskClient) -> None:
    r = client.get("/id/actor/alphaland", headers={"Accept": "text/html;q=0.5, text/turtle;q=0.9"})
    assert r.headers["Location"] == "/id/actor/alphaland.ttl"


def test_unacceptable_media_type_is_406(client: FlaskClient) -> None:
    r = client.get("/id/actor/alphaland", headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert b"text/turtle" in r.data  # says what is on offer


def test_turtle_document_carries_the_label_and_incoming_links(client: FlaskClient) -> None:
    r = client.get("/id/actor/alphaland.ttl")
    assert r.content_type == "text/turtle; charset=utf-8"
    graph = rdflib.Graph().parse(data=r.data, format="turtle")
    assert (rdflib.URIRef(ALPHALAND), RDFS_LABEL, rdflib.Literal("Alphaland", lang="en")) in graph
    perceiver = rdflib.URIRef(PIL + "perceiver")
    assert (rdflib.URIRef(FX + "perception-alphaland-regime-change"), perceiver, None) in graph
    assert 'rel="alternate"; type="application/ld+json"' in r.headers["Link"]


@pytest.mark.parametrize(
    "path",
    [
        "/id/actor/nobody",
        "/id/fixture-article/nothing.ttl",
        "/id/nothing/",
        "/id/actor/foo%20bar",  # not even a valid IRI: still a 404, not a 500
        "/id/actor/a%3Eb.ttl",
        "/graph/a%20b",
        "/dumps/a%20b.ttl",
        "/ontology/a%20b",
        "/graph/nothing",
        "/dumps/x.ttl",
    ],
)
def test_unknown_iris_are_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_folders_list_what_is_under_them(client: FlaskClient) -> None:
    actors = client.get("/id/actor/")
    assert actors.status_code == 200
    html = actors.get_data(as_text=True)
    for name in ("alphaland", "betaland", "gammaland"):
        assert f'href="/id/actor/{name}"' in html
    article = client.get("/id/fixture-article/").get_data(as_text=True)
    assert re.search(r"ev-… <span class=\"note\">\(7\)</span>", article)  # 7 evidence quotes
    root = client.get("/id/").get_data(as_text=True)
    assert 'href="/id/fixture-article/"' in root
    assert 'href="/id/actor/"' in root
    assert client.get("/id/nothing/").status_code == 404


def test_404_page_is_helpful(client: FlaskClient) -> None:
    r = client.get("/id/actor/alfaland", headers={"Accept": "text/html"})
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert "https://w3id.org/pillars/id/actor/alfaland" in html
    assert 'href="/id/actor/alphaland"' in html  # "did you mean"
    assert "Did you mean" in html


def test_404_for_a_machine_is_plain_text(client: FlaskClient) -> None:
    r = client.get("/id/actor/alfaland", headers={"Accept": "text/turtle"})
    assert r.status_code == 404
    assert r.mimetype == "text/plain"


def test_resource_page_shows_label_types_definition_and_links(client: FlaskClient) -> None:
    html = client.get("/id/actor/alphaland.html").get_data(as_text=True)
    assert "<h1>Alphaland</h1>" in html
    assert 'href="/ontology#State"' in html  # the type, a link to the ontology term
    assert "A made-up state." in html  # skos:definition
    # incoming: the perception whose perceiver Alphaland is, as a clickable label
    assert '<a href="/id/fixture-article/perception-alphaland-regime-change"' in html
    assert "Alphaland fears regime change</a>" in html


def test_resource_page_highlights_the_quote_in_its_context(client: FlaskClient) -> None:
    html = client.get("/id/fixture-article/threat-regime-change.html").get_data(as_text=True)
    assert "<mark>regime change promoted from abroad</mark>" in html
    assert "Both governments fear " in html  # the words before the quote
    assert "/id/fixture-article/text?start=194&amp;end=228" in html


def test_resource_page_lists_its_citations_with_page(client: FlaskClient) -> None:
    html = client.get("/id/fixture-article/threat-regime-change.html").get_data(as_text=True)
    section = html.split('id="cites-h"', 1)[1].split("</section>", 1)[0]
    assert 'href="/id/fixture-article/source-smith-2015"' in section
    assert "Smith 2015</a>, p.&nbsp;12." in section
    assert (
        '<a href="/id/fixture-article/cite-smith-2015" class="citation-words">(Smith 2015, 12)</a>'
        in section
    )


def test_wrong_offsets_are_flagged_not_hidden(client: FlaskClient) -> None:
    html = client.get("/id/fixture-article/limit-asymmetry.html").get_data(as_text=True)
    assert "<mark>Gammaland watches it closely</mark>" in html
    assert "the offsets do not match the quote" in html


def test_article_text_page_marks_the_requested_span(client: FlaskClient) -> None:
    html = client.get("/id/fixture-article/text.html?start=194&end=228").get_data(as_text=True)
    assert (
        '<mark id="mark"><a class="anchored" href="/id/fixture-article/ev-regime-change">'
        "regime change promoted from abroad</a></mark>"
    ) in html


def test_article_text_links_every_quoted_passage(client: FlaskClient) -> None:
    html = client.get("/id/fixture-article/text.html").get_data(as_text=True)
    links = re.findall(r'<a class="anchored" href="/id/fixture-article/(ev-[\w-]+)">', html)
    # Six quotes whose offsets hold; ev-gammaland's offsets are wrong, so it is not linked.
    assert links == [
        "ev-closer",
        "ev-misrecognition",
        "ev-threats",
        "ev-regime-change",
        "ev-cite-smith-2015",
        "ev-asymmetry",
    ]
    assert "6 quotes cover 58% of the characters" in html  # 193 of the text's 332 characters


def test_query_string_survives_the_303(client: FlaskClient) -> None:
    r = client.get("/id/fixture-article/text?start=194&end=228")
    assert r.headers["Location"] == "/id/fixture-article/text.html?start=194&end=228"


def test_article_page_has_an_argument_map_with_every_kind_linked(client: FlaskClient) -> None:
    html = client.get("/id/fixture-article/article.html").get_data(as_text=True)
    section = html.split('id="argmap"', 1)[1].split("</section>", 1)[0]
    assert 'data-src="/map/fixture-article.json"' in html
    assert '<a href="/id/fixture-article/thesis">' in section  # the list for readers without script
    data = client.get("/map/fixture-article.json").get_json()
    assert [n["kind"] for n in data["nodes"]] == ["Thesis"]  # the fixture states no other claim
    for family, path in [
        ("claim", "/id/fixture-article/thesis"),
        ("pillar", "/id/fixture-article/pillar-threats"),
        ("component", "/id/fixture-article/component-identity"),
        ("threat", "/id/fixture-article/threat-regime-change"),
        ("limit", "/id/fixture-article/limit-asymmetry"),
        ("actor", "/id/actor/gammaland"),
    ]:
        assert path in {n["href"] for n in data["taxonomy"]["nodes"] if n["family"] == family}
    assert len(data["taxonomy"]["edges"]) >= 8


def test_argument_map_data_of_an_unknown_article_is_a_404(client: FlaskClient) -> None:
    r = client.get("/map/no-such-article.json")
    assert r.status_code == 404
    assert "no article with the slug 'no-such-article'" in r.get_data(as_text=True)


def test_etag_and_cache_control(client: FlaskClient) -> None:
    r = client.get("/id/actor/alphaland.html")
    assert r.headers["ETag"]
    assert "max-age=" in r.headers["Cache-Control"]
    again = client.get("/id/actor/alphaland.html", headers={"If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    assert again.data == b""


def test_ontology_html_is_the_sites_page_and_rdf_by_negotiation(client: FlaskClient) -> None:
    html = client.get("/ontology", headers={"Accept": "text/html"})
    assert html.status_code == 200
    page = html.get_data(as_text=True)
    assert '<header class="site">' in page  # the site's navigation, not a generator's own page
    assert "<h1>Pillars fixture ontology</h1>" in page
    assert "Accept" in html.headers["Vary"]
    ttl = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert ttl.status_code == 200  # a document (hash IRIs): answered directly, no 303
    assert ttl.headers["Content-Location"] == "/ontology.ttl"
    graph = rdflib.Graph().parse(data=ttl.data, format="turtle")
    assert (rdflib.URIRef(PIL + "Threat"), None, None) in graph


def test_the_bundled_ontology_page_puts_its_own_terms_first_in_one_case() -> None:
    from pillars.server.app import create_app

    client = create_app().test_client()
    page = client.get("/ontology.html").get_data(as_text=True)
    sections = re.findall(r'<h2 id="([^"]+)">', page)
    assert sections == [
        "toc-h",
        "diagram-h",
        "classes",
        "object-properties",
        "datatype-properties",
        "annotation-properties",
        "reused",
    ]
    # pil:IdentityThreat as ontology/pillars.ttl defines it, linked to its parent by anchor.
    term = re.search(r'<article class="term" id="IdentityThreat">.*?</article>', page, re.S)
    assert term, "no anchor for pil:IdentityThreat"
    assert '<h3>Identity threat <code class="curie">pil:IdentityThreat</code></h3>' in term.group(0)
    assert '<a href="#Threat">Threat</a>' in term.group(0)
    # properties are labelled in lower case in the ontology ("perceiver"): one case on the page
    assert '<h3>Perceiver <code class="curie">pil:perceiver</code></h3>' in page
    labels = re.findall(r'<article class="term" id="[^"]+">\s*<h3>(.)', page)
    assert len(labels) > 90 and all(c == c.upper() for c in labels)
    # reused terms come after the project's, in one table: prov:Agent is a parent of pil:Actor
    assert page.index('id="reused"') > page.index('id="IdentityThreat"')
    agent = re.search(r'<tr id="prov-Agent">.*?</tr>', page, re.S)
    assert agent and '<a href="#Actor">Actor</a>' in agent.group(0)
    assert '<img src="/ontology/diagram.svg"' in page
    svg = client.get("/ontology/diagram.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data


def test_compact_names_use_the_longest_prefix() -> None:
    assert compact("https://w3id.org/pillars/id/actor/iran") == "actor:iran"
    # Any article's resource is art:<name> on its page, not only the first article's.
    assert compact("https://w3id.org/pillars/id/fixture-article/x") == "art:x"
    assert compact("https://w3id.org/pillars/id/journal/x") == "journal:x"
    assert compact("http://example.org/x") == "http://example.org/x"


def test_ontology_page_has_an_anchor_for_every_term(client: FlaskClient) -> None:
    html = client.get("/ontology", headers={"Accept": "text/html"}).get_data(as_text=True)
    # Resource pages link types as /ontology#State: each term needs an element with that id.
    for term in ("State", "Threat", "Pillar", "PillarComponent", "hasEvidence", "perceiver"):
        assert f'id="{term}"' in html, term


@pytest.mark.parametrize(
    ("ext", "media"),
    [
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("nt", "application/n-triples"),
        ("rdf", "application/rdf+xml"),
    ],
)
def test_ontology_by_extension(client: FlaskClient, ext: str, media: str) -> None:
    r = client.get(f"/ontology.{ext}")
    assert r.status_code == 200
    assert r.mimetype == media


def test_ontology_version_iri(client: FlaskClient) -> None:
    assert client.get("/ontology/0.0.1", headers={"Accept": "text/turtle"}).status_code == 200
    assert client.get("/ontology/9.9.9").status_code == 404
    assert client.get("/ontology.png").status_code == 404


def test_graph_document_by_negotiation(client: FlaskClient) -> None:
    page = client.get("/graph/fixture-article")
    assert page.status_code == 200
    assert "A fixture article on convergence" in page.get_data(as_text=True)
    nt = client.get("/graph/fixture-article", headers={"Accept": "application/n-triples"})
    assert nt.status_code == 200
    assert nt.headers["Content-Location"] == "/graph/fixture-article.nt"
    triples = list(ox.parse(nt.data, format=ox.RdfFormat.N_TRIPLES))
    assert ox.NamedNode(FX + "thesis") in {t.subject for t in triples}
    assert client.get("/graph/shared.ttl").status_code == 200


def test_dumps_hold_every_graph(client: FlaskClient) -> None:
    trig = client.get("/dumps/pillars.trig")
    assert trig.status_code == 200
    assert trig.mimetype == "application/trig"
    graphs = {q.graph_name for q in ox.parse(trig.data, format=ox.RdfFormat.TRIG)}
    expected = {"ontology", "shapes", "shared", "fixture-article"}
    held = {g.value.rsplit("/", 1)[1] for g in graphs if isinstance(g, ox.NamedNode)}
    assert held >= expected - {"shapes"}  # the fixture has no shapes
    nq = client.get("/dumps/pillars.nq")
    assert len(list(ox.parse(nq.data, format=ox.RdfFormat.N_QUADS))) == len(
        list(ox.parse(trig.data, format=ox.RdfFormat.TRIG))
    )
    article = client.get("/dumps/fixture-article.ttl")
    assert article.status_code == 200
    assert 'filename="fixture-article.ttl"' in article.headers["Content-Disposition"]
    index = client.get("/dumps/").get_data(as_text=True)
    assert 'href="/dumps/fixture-article.ttl"' in index


def test_home_page_lists_articles_counts_and_questions(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'href="/id/fixture-article/article">A fixture article on convergence</a>' in html
    assert "<strong>2</strong> pillars" in html
    assert "<strong>1</strong> threats" in html
    assert 'href="/query?example=cq01-pillars"' in html
    for link in ('href="/ontology"', 'href="/query"', 'href="/dumps/"'):
        assert link in html


def test_query_page_prefills_prefixes(client: FlaskClient) -> None:
    html = client.get("/query").get_data(as_text=True)
    assert "PREFIX pil: &lt;https://w3id.org/pillars/ontology#&gt;" in html
    assert "<table" not in html


def test_competency_question_runs_in_one_click(client: FlaskClient) -> None:
    html = client.get("/query?example=cq01-pillars").get_data(as_text=True)
    rows = re.findall(r"<tr><td[^>]*>(.*?)</tr>", html)
    assert len(rows) == 2
    assert 'href="/id/fixture-article/pillar-misrecognition"' in rows[0]
    assert "Misrecognition by the West</a>" in rows[0]


def test_query_downloads_csv_and_json(client: FlaskClient) -> None:
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/pillars/ontology#Pillar> } ORDER BY ?s"
    r = client.post("/query", data={"query": query, "format": "csv"})
    assert r.status_code == 200
    assert "attachment" in r.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True))))
    assert rows == [["s"], [FX + "pillar-misrecognition"], [FX + "pillar-threats"]]
    r = client.post("/query", data={"query": query, "format": "json"})
    doc = json.loads(r.data)
    assert [b["s"]["value"] for b in doc["results"]["bindings"]] == [
        FX + "pillar-misrecognition",
        FX + "pillar-threats",
    ]


def test_query_ask_and_construct(client: FlaskClient) -> None:
    ask = client.post("/query", data={"query": "ASK { ?s ?p ?o }"}).get_data(as_text=True)
    assert "Answer: <strong>yes</strong>" in ask
    construct = (
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/pillars/ontology#Thesis> ; ?p ?o }"
    )
    html = client.post("/query", data={"query": construct}).get_data(as_text=True)
    assert "?subject" in html
    assert 'href="/id/fixture-article/thesis"' in html


def test_bad_query_is_400_with_a_message_not_a_trace(client: FlaskClient) -> None:
    r = client.post("/query", data={"query": "SELEC ?x"})
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert "syntax error" in html
    assert "Traceback" not in html
    bad_format = client.post("/query", data={"query": "ASK {}", "format": "xlsx"})
    assert bad_format.status_code == 400
    assert b"csv or json" in bad_format.data


def test_service_is_refused_like_the_endpoint_does(client: FlaskClient) -> None:
    query = "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"
    r = client.post("/query", data={"query": query})
    assert r.status_code == 403
    assert "SERVICE" in r.get_data(as_text=True)


def test_static_assets_are_long_cached(client: FlaskClient) -> None:
    html = client.get("/query").get_data(as_text=True)
    js = re.search(r'src="(/assets/editor\.js\?v=[0-9a-f]+)"', html)
    assert js is not None
    r = client.get(js.group(1))
    assert r.status_code == 200
    assert "max-age=86400" in r.headers["Cache-Control"]


@pytest.mark.parametrize(
    ("query", "form"),
    [
        ("PREFIX a: <http://x/#select>\n# ASK in a comment\nCONSTRUCT {} WHERE {}", "CONSTRUCT"),
        ("ask {}", "ASK"),
        ('SELECT ("DESCRIBE" AS ?x) {}', "SELECT"),
    ],
)
def test_query_form_ignores_iris_strings_and_comments(query: str, form: str) -> None:
    assert query_form(query) == form


def test_negotiate_handles_missing_and_unknown_accept() -> None:
    from werkzeug.datastructures import MIMEAccept

    assert negotiate(MIMEAccept()).ext == "html"  # type: ignore[union-attr]
    assert negotiate(MIMEAccept([("application/json", 1)])).ext == "jsonld"  # type: ignore[union-attr]
    assert negotiate(MIMEAccept([("image/png", 1)])) is None


def test_missing_chromium_skips_locally_and_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    import pages_fixture

    monkeypatch.setattr(pages_fixture, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr(pages_fixture.shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        pages_fixture.chromium_or_skip()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        pages_fixture.chromium_or_skip()


def test_long_answers_are_cut_in_the_page_not_in_the_download(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pillars.server.pages import query

    monkeypatch.setattr(query, "TABLE_ROWS", 1)
    html = client.get("/query?example=cq01-pillars").get_data(as_text=True)
    assert len(re.findall(r"<tr><td[ >]", html)) == 1
    assert "2 rows; the first 1 are shown here" in html
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/pillars/ontology#Pillar> }"
    csv_rows = client.post("/query", data={"query": query, "format": "csv"}).data.splitlines()
    assert len(csv_rows) == 3  # header and both rows


def test_a_cited_work_lists_what_it_is_cited_for(client: FlaskClient) -> None:
    html = client.get("/id/fixture-article/source-smith-2015.html").get_data(as_text=True)
    section = html.split('id="cites-h"', 1)[1].split("</section>", 1)[0]
    assert "Cited, p.&nbsp;12, for " in section
    assert 'href="/id/fixture-article/threat-regime-change"' in section


def test_only_web_iris_become_links() -> None:
    from pillars.server.pages.terms import value_of

    store = ox.Store()
    web = value_of(store, ox.NamedNode("https://example.org/a"), lambda iri: iri)
    script = value_of(store, ox.NamedNode("javascript:alert(1)"), lambda iri: iri)
    assert web.href == "https://example.org/a"
    assert script.href is None


def test_a_run_query_has_a_link_that_runs_it_again(client: FlaskClient) -> None:
    query = "ASK { ?s a <https://w3id.org/pillars/ontology#Thesis> }"
    html = client.post("/query", data={"query": query}).get_data(as_text=True)
    link = re.search(r'href="([^"]+)" id="permalink"', html)
    assert link is not None
    again = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Answer: <strong>yes</strong>" in again
    example = client.get("/query?example=cq01-pillars").get_data(as_text=True)
    assert 'href="/query?example=cq01-pillars" id="permalink"' in example


def test_article_text_page_is_named_after_its_article_and_shows_the_text_first(
    client: FlaskClient,
) -> None:
    html = client.get("/id/fixture-article/text.html").get_data(as_text=True)
    assert "<h1>Text of “A fixture article on convergence”</h1>" in html
    assert html.index('id="text-h"') < html.index('id="in-h"')


def test_a_quote_names_its_section(client: FlaskClient) -> None:
    html = client.get("/id/fixture-article/threat-regime-change.html").get_data(as_text=True)
    caption = html.split("<figcaption>", 1)[1].split("</figcaption>", 1)[0]
    assert 'in section <a href="/id/fixture-article/section-1"' in caption


def test_empty_answer_says_how_many_articles_the_store_holds(client: FlaskClient) -> None:
    # CQ10 (threats shared across articles) said only "0 rows." on a one-article store.
    query = "SELECT ?x WHERE { ?x a <https://w3id.org/pillars/ontology#NoSuchClass> }"
    html = client.post("/query", data={"query": query}).get_data(as_text=True)
    assert "0 rows. Nothing in the store matches; it holds 1 article, so a question" in html
    found = client.post("/query", data={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"})
    assert "Nothing in the store matches" not in found.get_data(as_text=True)


def test_a_resource_page_opens_with_what_its_kind_is_asked_and_reads_links_back() -> None:
    from pillars.server.app import create_app

    client = create_app().test_client()
    page = client.get("/id/actor/iran.html").get_data(as_text=True)
    summary = re.search(r'<section class="summary".*?</section>', page, re.S)
    # shapes/actors.ttl asks an actor for its label (the heading), altLabel and sameAs
    assert summary and "Islamic Republic" in summary.group(0)
    assert "has evidence" not in summary.group(0)  # quotes have their own section
    # the ontology's pil:inverseLabel, not "perceiver (of)"
    assert '<span title="pil:perceiver">Perceives, in</span>' in page
    assert "(of)</dt>" not in page.split('id="in-h"', 1)[1].split("</section>", 1)[0]
    # an encoder's rdfs:comment on instances/shared/actors.ttl is folded away as a note
    assert "<summary>Editor's note</summary>" in page
    stated = re.search(r'<p class="note">Stated in (.*?)</p>', page, re.S)
    assert stated and ">The Pillars of Iranian-Russian Security Convergence</a>" in stated.group(1)


def test_the_summary_follows_the_ontologys_property_chains_both_ways() -> None:
    from pillars.server.app import create_app

    client = create_app().test_client()
    threat = client.get("/id/iranian-russian-security-convergence/threat-sanctions.html")
    box = re.search(r'<section class="summary".*?</section>', threat.get_data(as_text=True), re.S)
    assert box, "no summary"
    # pil:perceivedBy: the perceivers of art:perception-*-sanctions (pillar-threats.ttl)
    perceived = box.group(0).split('title="pil:perceivedBy"', 1)[1].split("</dd>", 1)[0]
    for name in ("Iran", "Russia", "Mehdi Sanaei", "Iranian officials"):
        assert f">{name}</a>" in perceived, name
    actor = client.get("/id/actor/iranian-leaders.html").get_data(as_text=True)
    box = re.search(r'<section class="summary".*?</section>', actor, re.S)
    assert box and '<span title="pil:perceivedBy">Perceives</span>' in box.group(0)
    assert ">Vaticanization</a>" in box.group(0)


def test_an_actors_summary_counts_its_roles_perceptions_and_limits() -> None:
    """The links the shapes ask other kinds to make to an actor (sh:class pil:Actor on
    pil:roleHolder, pil:perceiver, pil:involves) are summarised with their counts."""
    from pillars.server.app import create_app
    from pillars.server.state import app_state

    app = create_app()
    page = app.test_client().get("/id/actor/iran.html").get_data(as_text=True)
    box = re.search(r'<section class="summary".*?</section>', page, re.S)
    assert box, "no summary"
    store = app_state(app).store
    for prop, words in (("involves", "Involved in"), ("perceiver", "Perceives, in")):
        query = (
            "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s "
            f"<https://w3id.org/pillars/ontology#{prop}> "
            "<https://w3id.org/pillars/id/actor/iran> }"
        )
        count = int(next(iter(select(store, query, union=True)))["n"].value)
        assert count > 1, prop
        dt = f'<span title="pil:{prop}">{words}</span> <span class="count">({count})</span>'
        assert dt in box.group(0), dt
    assert '<span title="pil:roleHolder">Holds the role</span>' in box.group(0)
    assert ">regional ally of the United States</a>" in box.group(0)
    incoming = page.split('id="in-h"', 1)[1].split("</section>", 1)[0]
    assert 'title="pil:involves"' not in incoming  # summarised, not listed twice

"""Regressions found by trying Pillars as a new user would (one test per defect).

Expected values come from pyoxigraph queried directly or from the protocol's own words, never
from the code under test.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from pillars.cli import main
from pillars.corpus import discover
from pillars.namespaces import SHARED_GRAPH
from pillars.server.app import create_app
from pillars.server.state import app_state
from pillars.settings import Settings
from pillars.store import memory_store

SLUG = "iranian-russian-security-convergence"


@pytest.fixture(scope="module")
def reference() -> ox.Store:
    return memory_store()


@pytest.fixture(scope="module")
def app(reference: ox.Store) -> Iterator[Flask]:
    app = create_app(Settings(query_timeout=20, evaluators=1, result_cache_bytes=0), reference)
    yield app
    app_state(app).pool.close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        "PREFIX ex: <http://example.org/>\nDELETE WHERE { ex:a ?p ?o }",
        "# a comment first\nclear all",
    ],
)
def test_update_sent_as_query_is_refused_as_read_only(client: FlaskClient, update: str) -> None:
    # It used to get 400 "query syntax error: ... expected CONSTRUCT".
    for r in (
        client.get("/sparql", query_string={"query": update}),
        client.post("/sparql", data={"query": update}),
        client.post("/sparql", data=update, content_type="application/sparql-query"),
    ):
        assert r.status_code == 403, r.data
        assert b"read-only" in r.data and b"CONSTRUCT" not in r.data


def test_a_real_syntax_error_is_still_400(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400 and b"syntax error" in r.data


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("n3", ox.RdfFormat.TURTLE), ("rdf+xml", ox.RdfFormat.RDF_XML)],
)
def test_sparqlwrapper_format_names_for_graphs(
    client: FlaskClient, name: str, fmt: ox.RdfFormat
) -> None:
    # SPARQLWrapper's setReturnFormat(N3 | RDFXML) sends format=n3 / format=rdf+xml.
    query = "CONSTRUCT WHERE { ?s a <https://w3id.org/pillars/ontology#State> }"
    r = client.get("/sparql", query_string={"query": query, "format": name, "output": name})
    assert r.status_code == 200, r.data
    assert r.mimetype == fmt.media_type
    assert len(list(ox.parse(r.data, format=fmt))) > 0


def test_unencoded_plus_in_format_media_type(client: FlaskClient) -> None:
    # format=application/sparql-results+json typed into a URL: the "+" arrives as a space.
    r = client.get("/sparql?query=ASK%7B%7D&format=application/sparql-results+json")
    assert r.status_code == 200, r.data
    assert r.mimetype == "application/sparql-results+json"


def test_validate_empty_body_is_not_a_pass(client: FlaskClient) -> None:
    # curl --data-binary @wrong-path sends nothing; it used to answer "conforms": true.
    for body in (b"", b"@prefix ex: <http://example.org/> .\n"):
        r = client.post("/validate", data=body, content_type="text/turtle")
        assert r.status_code == 400, r.data
        assert b"no triples" in r.data


def test_validate_remote_jsonld_context_is_explained(client: FlaskClient) -> None:
    body = b'{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://e/a", "label": "x"}'
    r = client.post("/validate", data=body, content_type="application/ld+json")
    assert r.status_code == 400
    assert b"None" not in r.data and b"LoadDocumentCallback" not in r.data
    assert b"@context" in r.data and b"inline" in r.data


def test_413_names_the_limit(client: FlaskClient, app: Flask) -> None:
    limit = app_state(app).settings.max_request_bytes
    big = b"ASK {} #" + b"x" * limit
    r = client.post("/sparql", data=big, content_type="application/sparql-query")
    assert r.status_code == 413
    assert str(limit).encode() in r.data and b"max_request_bytes" in r.data


def test_ontology_docs_fit_a_phone(client: FlaskClient) -> None:
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert '<meta name="viewport" content="width=device-width' in page
    # pyLODE's fixed 180px contents list covered the text on a phone; the site's page has none
    # (tests/test_qa_browser.py measures the page's width at 390 px)
    assert 'id="toc"' not in page and '<nav aria-labelledby="toc-h" class="toc">' in page


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_query_table_cuts_long_cells() -> None:
    # The article text (~40,000 characters) used to pad every row of the table to its width:
    # SELECT * { ?s ?p ?o } printed 389 MB.
    code, out = run_cli(
        "query",
        "SELECT ?o WHERE { ?s <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core"
        "#isString> ?o }",
    )
    assert code == 0, out
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert lines[2].startswith("milestone in their bilateral relations.")
    assert lines[2].endswith("…")


def test_query_honours_from(reference: ox.Store) -> None:
    # The union default graph used to be switched on, so FROM was silently ignored.
    expected = len(list(reference.quads_for_pattern(None, None, None, ox.NamedNode(SHARED_GRAPH))))
    code, out = run_cli(
        "query",
        f"SELECT (COUNT(*) AS ?n) FROM <{SHARED_GRAPH}> WHERE {{ ?s ?p ?o }}",
        "--format",
        "csv",
    )
    assert code == 0, out
    assert out.split() == ["n", str(expected)]


def test_query_refuses_from_a_graph_not_in_the_store() -> None:
    code, out = run_cli("query", "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
    assert code == 1
    assert "file:///etc/passwd" in out and "not in the store" in out


def test_query_update_says_read_only() -> None:
    result = CliRunner().invoke(main, ["query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"])
    assert result.exit_code == 1
    assert "read-only" in result.output and "CONSTRUCT" not in result.output


def test_unknown_path_gets_a_page_with_the_menu(client: FlaskClient) -> None:
    # It used to be Flask's bare "Not Found" page, with no way back to the site.
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    r = client.get("/no-such-page", headers={"Accept": browser})
    assert r.status_code == 404 and r.mimetype == "text/html"
    page = r.get_data(as_text=True)
    assert "/no-such-page" in page and 'href="/query"' in page and 'href="/sparql"' in page
    r = client.get("/no-such-page", headers={"Accept": "*/*"})
    assert r.status_code == 404 and r.mimetype == "text/plain"


def test_unknown_iri_with_extension_suggests_close_names(client: FlaskClient) -> None:
    art = "/id/iranian-russian-security-convergence/"
    r = client.get(art + "ev-threat-sanctions.html", headers={"Accept": "text/html"})
    assert r.status_code == 404
    page = r.get_data(as_text=True)
    assert "ev-threat-sanctions.html" not in page  # names the IRI, not the file asked for
    did_you_mean = page[page.index("Did you mean") : page.index("Resources under")]
    assert "art:ev-threat-global-sanctions" in did_you_mean


def test_syntax_errors_read_like_sentences(client: FlaskClient) -> None:
    # pyoxigraph lists character classes (['A' ..= 'Z' | '\u{00C0}'..='\u{00D6}' ...]) and
    # buries an undeclared prefix among them ("expected one of Prefix not found, ['%'], ...").
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n  ?s foo:bar ?o }"})
    assert r.status_code == 400
    assert r.get_data(as_text=True).strip() == (
        "query syntax error: error at 2:13: the prefix foo: is not declared: "
        "add PREFIX foo: <IRI> first"
    )
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o"})
    body = r.get_data(as_text=True)
    assert r.status_code == 400 and "error at 1:26" in body and '"}"' in body
    assert "..=" not in body and "\\u{" not in body


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("SELEC * WHERE { ?s ?p ?o }", "not 'SELEC'"),
        ("PREFIX ex: <urn:x:>\n# a comment\nselct ?s WHERE { ?s ?p ?o }", "not 'selct'"),
        ("{ ?s ?p ?o }", "and this text has none"),
    ],
)
def test_a_misspelt_query_form_is_named(client: FlaskClient, query: str, named: str) -> None:
    # pyoxigraph answered "error at 1:10: expected CONSTRUCT" to a misspelt SELECT.
    r = client.get("/sparql", query_string={"query": query})
    assert r.status_code == 400
    assert r.get_data(as_text=True).strip() == (
        "query syntax error: a query begins (after any PREFIX and BASE declarations) with "
        f"SELECT, CONSTRUCT, DESCRIBE or ASK, {named}"
    )


def test_settings_page_has_the_site_frame(client: FlaskClient) -> None:
    # It was a bare table with no styles and no way back to the site.
    page = client.get("/-/settings").get_data(as_text=True)
    assert '<meta name="viewport"' in page and "pages.css" in page
    assert 'href="/"' in page and "<code>max_rows</code>" in page


@pytest.mark.parametrize("graph", ["ontology", "shapes", "shared"])
def test_export_of_a_non_article_graph_declares_no_art_prefix(graph: str) -> None:
    # It declared art: <https://w3id.org/pillars/id/ontology/>, a namespace that holds nothing.
    code, out = run_cli("export", "--format", "turtle", "--graph", graph)
    assert code == 0
    assert "@prefix art:" not in out
    code, out = run_cli("export", "--format", "turtle", "--graph", SLUG)
    assert f"@prefix art: <https://w3id.org/pillars/id/{SLUG}/> ." in out


def test_new_article_without_argument_has_an_honest_map(tmp_path: Path) -> None:
    # A fresh `pillars new-article` folder: the map (then /map/<slug>.svg) was a 200 with an
    # empty body and the article page showed the legend of a map that was not there.
    root = tmp_path / "corpus"
    repo = Path(__file__).resolve().parent.parent
    for part in ("ontology", "shapes", "instances/shared"):
        shutil.copytree(repo / part, root / part)
    text = tmp_path / "text.txt"
    text.write_text("Intro words.\nFirst part\nBody of the article.\n", encoding="utf-8")
    code, out = run_cli(
        "new-article", "fresh-article", "--root", str(root), "--text", str(text),
        "--title", "A Fresh Article", "--journal", "Journal of Tests", "--year", "2021",
        "--author", "Ann Example", "--heading", "First part",
    )  # fmt: skip
    assert code == 0, out
    app = create_app(Settings(evaluators=1), memory_store(discover(root)))
    try:
        c = app.test_client()
        r = c.get("/map/fresh-article.json")
        assert r.status_code == 200 and r.mimetype == "application/json"
        assert r.get_json()["nodes"] == [] and r.get_json()["edges"] == []
        page = c.get("/id/fresh-article/article.html").get_data(as_text=True)
        assert 'id="map-empty"' in page and 'class="argmap-app"' not in page
    finally:
        app_state(app).pool.close()


def test_serve_on_a_busy_port_says_so_at_once() -> None:
    # It printed "serving on ...", loaded the corpus, then gunicorn retried for five seconds.
    import socket
    import time

    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        started = time.monotonic()
        result = CliRunner().invoke(main, ["serve", "--port", str(port)])
        took = time.monotonic() - started
    assert result.exit_code == 1
    assert f"127.0.0.1:{port}" in result.output and "in use" in result.output
    assert "serving on" not in result.output
    assert took < 3


def test_turtle_answers_write_article_iris_without_escaped_slashes(client: FlaskClient) -> None:
    # With the id: prefix, Turtle answers read id:iranian-russian-security-convergence\/ev-...
    query = "DESCRIBE <https://w3id.org/pillars/id/actor/iran>"
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    body = r.get_data(as_text=True)
    assert "\\/" not in body
    assert f"<https://w3id.org/pillars/id/{SLUG}/ev-convergence>" in body
    assert "actor:iran " in body  # the other prefixes still apply


def test_query_page_says_when_an_example_does_not_exist(client: FlaskClient) -> None:
    # /query?example=nope showed an empty editor with no word about the link being wrong.
    r = client.get("/query?example=nope")
    assert r.status_code == 404
    page = r.get_data(as_text=True)
    assert 'id="missing-example"' in page and "<code>nope</code>" in page
    r = client.get("/query?example=cq01-pillars-and-components")
    assert r.status_code == 200 and 'id="missing-example"' not in r.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "to_editor"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),  # a browser
        (None, False),
        ("*/*", False),
        ("text/turtle", False),
        ("application/rdf+xml, text/html;q=0.5", False),
    ],
)
def test_browser_opening_sparql_gets_the_query_editor(
    client: FlaskClient, accept: str | None, to_editor: bool
) -> None:
    # A browser opening /sparql was handed the Service Description as RDF/XML.
    headers = {"Accept": accept} if accept is not None else {}
    r = client.get("/sparql", headers=headers)
    if to_editor:
        assert r.status_code == 303 and r.headers["Location"].endswith("/query")
    else:
        assert r.status_code == 200 and r.mimetype in ("text/turtle", "application/rdf+xml")
        assert "sparql-service-description" in r.get_data(as_text=True)
    assert "Accept" in r.headers["Vary"]
    # format= always gets the description, whoever asks
    r = client.get("/sparql?format=turtle", headers=headers)
    assert r.status_code == 200 and r.mimetype == "text/turtle"


def test_validate_can_be_called_from_another_origin(client: FlaskClient) -> None:
    # /sparql allowed cross-origin calls, /validate (which changes nothing either) did not.
    origin = {"Origin": "http://example.org"}
    pre = client.options(
        "/validate",
        headers={
            **origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert pre.status_code in (200, 204)
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    assert "content-type" in pre.headers["Access-Control-Allow-Headers"].lower()
    r = client.post(
        "/validate",
        data=b"<http://e/a> <http://e/b> <http://e/c> .",
        content_type="text/turtle",
        headers=origin,
    )
    assert r.status_code == 200 and r.headers["Access-Control-Allow-Origin"] == "*"


def test_article_page_lists_sections_in_reading_order(
    client: FlaskClient, reference: ox.Store
) -> None:
    # `has section` was sorted by heading ("Conclusion" first); pil:sectionNumber is the order.
    rows = reference.query(
        "PREFIX pil: <https://w3id.org/pillars/ontology#> "
        "SELECT ?s WHERE { GRAPH ?g { ?a pil:hasSection ?s . ?s pil:sectionNumber ?n } "
        f"FILTER(?a = <https://w3id.org/pillars/id/{SLUG}/article>) }} ORDER BY ?n"
    )
    expected = [row["s"].value.removeprefix("https://w3id.org/pillars") for row in rows]
    assert len(expected) > 2
    page = client.get(f"/id/{SLUG}/article.html").get_data(as_text=True)
    listed = page[page.index('title="pil:hasSection"') :]
    listed = listed[: listed.index("</dd>")]
    found = [h for h in re.findall(r'href="([^"]+)"', listed) if "/section-" in h]
    assert found == expected


def test_settings_page_says_values_in_words_and_marks_the_changed_ones() -> None:
    # It showed Python reprs ("[]", "()") and the help's backticks literally.
    from pillars.server.app import create_app
    from pillars.settings import Settings

    app = create_app(Settings(max_rows=50, service_allowlist=("https://query.wikidata.org/",)))
    page = app.test_client().get("/-/settings").get_data(as_text=True)
    row = re.search(r"<tr[^>]*><th id='max_rows'.*?</tr>", page, re.S)
    assert row and 'class="changed-row"' in row.group(0) and ">changed</strong>" in row.group(0)
    assert "<td>50 <strong" in row.group(0) and "<td>10000</td>" in row.group(0)
    allow = re.search(r"<th id='service_allowlist'.*?</tr>", page, re.S)
    assert allow and "https://query.wikidata.org/ <strong" in allow.group(0)
    assert "<td>(none)</td>" in allow.group(0)
    timeout = re.search(r"<th id='query_timeout'.*?</tr>", page, re.S)
    assert timeout and "changed" not in timeout.group(0)
    assert "<code>timeout</code> parameter" in timeout.group(0)  # was `timeout`
    assert "`" not in page.split("<main", 1)[1] and "[]" not in page and "()" not in page


def test_home_page_gives_each_article_its_authors_journal_year_and_thesis(
    client: FlaskClient,
) -> None:
    # A card showed the title and counts only (issue 15, item 7); values from article.ttl.
    page = client.get("/").get_data(as_text=True)
    card = re.search(r'<article class="card">.*?</article>', page, re.S)
    assert card, page[:500]
    text = card.group(0)
    assert '<a href="/id/actor/abdolrasool-divsallar"' in text and "Abdolrasool Divsallar" in text
    assert (
        "<cite>The International Spectator: Italian Journal of International Affairs</cite> 2019"
        in (text)
    )
    assert (
        "<strong>Thesis:</strong> International misrecognition and common threat perceptions"
        in (text)
    )

"""The SPARQL 1.1 Protocol at /sparql, in-process (Flask test client, real evaluator processes).

Expected values come from pyoxigraph queried directly on a store loaded by the corpus loader,
never from the server code under test.
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from flask import Flask
from flask.testing import FlaskClient

from pillars.namespaces import ONTOLOGY_GRAPH, SHAPES_GRAPH, article_graph
from pillars.server.app import create_app
from pillars.server.state import app_state
from pillars.settings import Settings
from pillars.store import memory_store

SLUG = "iranian-russian-security-convergence"
ARTICLE = article_graph(SLUG)
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SRX = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def reference() -> ox.Store:
    return memory_store()


@pytest.fixture(scope="module")
def app(reference: ox.Store) -> Iterator[Flask]:
    app = create_app(Settings(max_rows=50, query_timeout=20, evaluators=2), reference)
    yield app
    app_state(app).pool.close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def direct_count(store: ox.Store, where: str, **kwargs: object) -> int:
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", **kwargs)  # type: ignore[arg-type]
    return int(next(iter(result))[0].value)  # type: ignore[index, arg-type]


def union_size(store: ox.Store) -> int:
    return direct_count(store, "GRAPH ?g { ?s ?p ?o }")


# --- operations --------------------------------------------------------------------------


def test_get_post_form_and_post_direct_agree(client: FlaskClient, reference: ox.Store) -> None:
    expected = union_size(reference)
    assert expected > 1000  # the bundled corpus is loaded
    answers = [
        client.get("/sparql", query_string={"query": COUNT_ALL}),
        client.post("/sparql", data={"query": COUNT_ALL}),
        client.post("/sparql", data=COUNT_ALL, content_type="application/sparql-query"),
        client.post(
            "/sparql", data=COUNT_ALL, content_type="application/sparql-query; charset=UTF-8"
        ),
    ]
    for r in answers:
        assert r.status_code == 200, r.data
        assert r.mimetype == "application/sparql-results+json"
        value = r.get_json()["results"]["bindings"][0]["n"]
        assert int(value["value"]) == expected
        assert value["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


# --- result formats ----------------------------------------------------------------------

SELECT_LABELS = (
    f"SELECT ?c ?label WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ "
    "?c a <http://www.w3.org/2002/07/owl#Class> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } } ORDER BY ?c ?label"
)


def expected_labels(store: ox.Store) -> list[tuple[str, str, str | None]]:
    return [
        (row[0].value, row[1].value, row[1].language)  # type: ignore[union-attr,index]
        for row in store.query(SELECT_LABELS)  # type: ignore[union-attr]
    ][:50]


def test_select_json(client: FlaskClient, reference: ox.Store) -> None:
    r = client.get(
        "/sparql",
        query_string={"query": SELECT_LABELS},
        headers={"Accept": "application/sparql-results+json"},
    )
    doc = r.get_json()
    assert doc["head"]["vars"] == ["c", "label"]
    got = [
        (b["c"]["value"], b["label"]["value"], b["label"].get("xml:lang"))
        for b in doc["results"]["bindings"]
    ]
    assert got == expected_labels(reference)
    assert all(b["c"]["type"] == "uri" for b in doc["results"]["bindings"])


def test_select_xml(client: FlaskClient, reference: ox.Store) -> None:
    r = client.get(
        "/sparql",
        query_string={"query": SELECT_LABELS},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert r.mimetype == "application/sparql-results+xml"
    root = ET.fromstring(r.data)
    names = [v.get("name") for v in root.iter(SRX + "variable")]
    assert names == ["c", "label"]
    got = []
    for result in root.iter(SRX + "result"):
        b = {x.get("name"): x[0] for x in result}
        lang = b["label"].get("{http://www.w3.org/XML/1998/namespace}lang")
        got.append((b["c"].text, b["label"].text, lang))
    assert got == expected_labels(reference)


def test_select_csv_and_tsv(client: FlaskClient, reference: ox.Store) -> None:
    expected = expected_labels(reference)
    r = client.get("/sparql", query_string={"query": SELECT_LABELS}, headers={"Accept": "text/csv"})
    assert r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8"))))
    assert rows[0] == ["c", "label"]
    assert [tuple(row) for row in rows[1:]] == [(c, label) for c, label, _ in expected]
    r = client.get("/sparql", query_string={"query": SELECT_LABELS, "format": "tsv"})
    assert r.mimetype == "text/tab-separated-values"
    lines = r.data.decode("utf-8").splitlines()
    assert lines[0] == "?c\t?label"
    first_c, first_label, first_lang = expected[0]
    suffix = f"@{first_lang}" if first_lang else ""
    assert lines[1] == f"<{first_c}>\t{json.dumps(first_label)}{suffix}"
    assert len(lines) == 1 + len(expected)


def test_ask_in_every_result_format(client: FlaskClient) -> None:
    q = {"query": f"ASK {{ GRAPH <{ARTICLE}> {{ ?s ?p ?o }} }}"}
    assert client.get("/sparql", query_string=q).get_json() == {"head": {}, "boolean": True}
    no = {"query": "ASK { <urn:nothing> ?p ?o }"}
    assert client.get("/sparql", query_string=no).get_json()["boolean"] is False
    xml = client.get(
        "/sparql", query_string=q, headers={"Accept": "application/sparql-results+xml"}
    )
    assert ET.fromstring(xml.data).find(SRX + "boolean").text == "true"  # type: ignore[union-attr]
    for accept in ("text/csv", "text/tab-separated-values"):
        r = client.get("/sparql", query_string=q, headers={"Accept": accept})
        assert r.status_code == 200 and r.mimetype == accept
        assert "true" in r.data.decode()


CONSTRUCT = (  # no blank nodes, so that graphs compare term for term
    f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o "
    "FILTER(isIRI(?s) && !isBlank(?o)) } } ORDER BY ?s ?p ?o LIMIT 40"
)


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/n-quads", ox.RdfFormat.N_QUADS),
        ("application/trig", ox.RdfFormat.TRIG),
    ],
)
def test_construct_in_every_graph_format(
    client: FlaskClient, reference: ox.Store, accept: str, fmt: ox.RdfFormat
) -> None:
    expected = set(reference.query(CONSTRUCT))  # type: ignore[arg-type]
    assert len(expected) == 40
    r = client.get("/sparql", query_string={"query": CONSTRUCT}, headers={"Accept": accept})
    assert r.status_code == 200, r.data
    assert r.mimetype == accept
    parsed = ox.parse(r.data, format=fmt)
    got = {ox.Triple(t.subject, t.predicate, t.object) for t in parsed}
    assert got == expected


def test_describe(client: FlaskClient) -> None:
    r = client.get(
        "/sparql", query_string={"query": "DESCRIBE <https://w3id.org/pillars/id/actor/iran>"}
    )
    assert r.mimetype == "text/turtle"
    triples = list(ox.parse(r.data, format=ox.RdfFormat.TURTLE))
    assert any(t.subject == ox.NamedNode("https://w3id.org/pillars/id/actor/iran") for t in triples)


# --- content negotiation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        (
            "application/sparql-results+json;q=0.1, text/*;q=0.8, "
            "application/sparql-results+xml;q=0.2",
            "text/csv",
        ),
        ("text/tab-separated-values; charset=utf-8", "text/tab-separated-values"),
        (
            "text/csv; charset=iso-8859-1, application/sparql-results+xml;q=0.2",
            "application/sparql-results+xml",
        ),
        ("application/json", "application/sparql-results+json"),
        (
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            "application/sparql-results+xml",
        ),
        ("application/sparql-results+json;q=0, */*;q=0.1", "application/sparql-results+xml"),
    ],
)
def test_accept_with_q_values(client: FlaskClient, accept: str | None, expected: str) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    r = client.get(
        "/sparql", query_string={"query": "SELECT * { ?s ?p ?o } LIMIT 1"}, headers=headers
    )
    assert r.status_code == 200
    assert r.mimetype == expected
    assert r.headers["Vary"] == "Accept"
    assert "charset=utf-8" in r.headers["Content-Type"]


def test_format_parameter_overrides_accept(client: FlaskClient) -> None:
    q = "SELECT * { ?s ?p ?o } LIMIT 1"
    r = client.get(
        "/sparql",
        query_string={"query": q, "format": "csv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert r.mimetype == "text/csv"
    r = client.get(
        "/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "format": "json"}
    )
    assert r.mimetype == "application/ld+json"
    r = client.get("/sparql", query_string={"query": q, "format": "text/tab-separated-values"})
    assert r.mimetype == "text/tab-separated-values"


def test_406_when_nothing_acceptable(client: FlaskClient) -> None:
    r = client.get(
        "/sparql", query_string={"query": "SELECT * {}"}, headers={"Accept": "image/png"}
    )
    assert r.status_code == 406
    # a CONSTRUCT asked for as CSV: the format exists, but not for graphs
    r = client.get(
        "/sparql",
        query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"Accept": "text/csv"},
    )
    assert r.status_code == 406
    assert r.mimetype == "text/plain"


def test_unknown_format_parameter_is_400(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT * {}", "format": "yaml"})
    assert r.status_code == 400
    assert b"yaml" in r.data


# --- status codes ------------------------------------------------------------------------


def test_syntax_error_names_the_position(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "SELECT * WHERE {\n ?s ?p \n}"})
    assert r.status_code == 400
    body = r.data.decode()
    assert body.startswith("query syntax error")
    assert "error at 3:" in body  # line 3: where the object is missing
    assert len(body) < 500 and "Traceback" not in body and "/work" not in body


def test_two_queries_or_none_is_400(client: FlaskClient) -> None:
    r = client.get("/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert r.status_code == 400 and b"more than one query" in r.data
    r = client.post(
        "/sparql?query=ASK%7B%7D", data="ASK {}", content_type="application/sparql-query"
    )
    assert r.status_code == 400
    r = client.get("/sparql", query_string={"default-graph-uri": ARTICLE})
    assert r.status_code == 400 and b"missing query" in r.data
    r = client.post("/sparql", data={"foo": "bar"})
    assert r.status_code == 400


def test_wrong_media_type_is_415(client: FlaskClient) -> None:
    r = client.post("/sparql", data="ASK {}", content_type="text/plain")
    assert r.status_code == 415
    assert b"application/sparql-query" in r.data
    r = client.post(
        "/sparql", data="ASK {}", content_type="application/sparql-query; charset=latin-1"
    )
    assert r.status_code == 415


def test_wrong_method_is_405(client: FlaskClient) -> None:
    for method in (client.put, client.delete, client.patch):
        r = method("/sparql", data="x")
        assert r.status_code == 405
        assert set(r.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
        assert r.mimetype == "text/plain"


def test_oversized_request_is_413(client: FlaskClient, app: Flask) -> None:
    limit = app_state(app).settings.max_request_bytes
    big = "ASK {} #" + "x" * limit
    assert (
        client.post("/sparql", data=big, content_type="application/sparql-query").status_code == 413
    )
    assert client.post("/sparql", data={"query": big}).status_code == 413
    assert client.get("/sparql", query_string={"query": big}).status_code == 413


def test_updates_are_refused_and_change_nothing(client: FlaskClient) -> None:
    before = client.get("/sparql", query_string={"query": COUNT_ALL}).get_json()
    update = f"INSERT DATA {{ GRAPH <{ARTICLE}> {{ <urn:a> <urn:b> <urn:c> }} }}"
    assert client.post("/sparql", data={"update": update}).status_code == 403
    r = client.post("/sparql", data=update, content_type="application/sparql-update")
    assert r.status_code == 403 and b"read-only" in r.data
    assert client.get("/sparql", query_string={"update": update}).status_code == 403
    # An update sent as `query=` is refused as one (it is no query either).
    assert client.get("/sparql", query_string={"query": update}).status_code == 403
    assert client.get("/sparql", query_string={"query": "CLEAR ALL"}).status_code == 403
    after = client.get("/sparql", query_string={"query": COUNT_ALL}).get_json()
    assert after == before


def test_service_is_refused(client: FlaskClient) -> None:
    for q in (
        "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { SERVICE ex:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { BIND(<http://example.org/s> AS ?e) SERVICE ?e { ?s ?p ?o } }",
    ):
        r = client.get("/sparql", query_string={"query": q})
        assert r.status_code == 403, q
        assert b"SERVICE" in r.data
    # the word inside a string or a comment is not a SERVICE call
    ok = 'SELECT ("SERVICE <http://x>" AS ?x) WHERE { } # SERVICE <http://y>'
    assert client.get("/sparql", query_string={"query": ok}).status_code == 200


def test_from_selects_only_graphs_in_the_store(client: FlaskClient, reference: ox.Store) -> None:
    for q in (
        "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
        "SELECT * FROM NAMED <http://127.0.0.1:1/data.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ):
        r = client.get("/sparql", query_string={"query": q})
        assert r.status_code == 400
        assert b"not in the store" in r.data
    r = client.get(
        "/sparql", query_string={"query": COUNT_ALL, "default-graph-uri": "file:///etc/hosts"}
    )
    assert r.status_code == 400
    q = f"SELECT (COUNT(*) AS ?n) FROM <{SHAPES_GRAPH}> WHERE {{ ?s ?p ?o }}"
    r = client.get("/sparql", query_string={"query": q})
    expected = direct_count(reference, f"GRAPH <{SHAPES_GRAPH}> {{ ?s ?p ?o }}")
    assert int(r.get_json()["results"]["bindings"][0]["n"]["value"]) == expected


def test_default_and_named_graph_uri(client: FlaskClient, reference: ox.Store) -> None:
    r = client.get(
        "/sparql", query_string={"query": COUNT_ALL, "default-graph-uri": ONTOLOGY_GRAPH}
    )
    expected = direct_count(reference, f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }}")
    assert int(r.get_json()["results"]["bindings"][0]["n"]["value"]) == expected
    q = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    r = client.post("/sparql", data={"query": q, "named-graph-uri": [ARTICLE, SHAPES_GRAPH]})
    graphs = {b["g"]["value"] for b in r.get_json()["results"]["bindings"]}
    assert graphs == {ARTICLE, SHAPES_GRAPH}


def test_row_limit_is_never_silent(client: FlaskClient) -> None:
    q = "SELECT ?s WHERE { ?s ?p ?o }"
    r = client.get("/sparql", query_string={"query": q})
    assert r.headers["Pillars-Truncated"] == "true"
    assert r.headers["Pillars-Max-Rows"] == "50"
    doc = r.get_json()
    assert doc["truncated"] is True and len(doc["results"]["bindings"]) == 50
    xml = client.get("/sparql", query_string={"query": q, "format": "xml"})
    assert len(ET.fromstring(xml.data).findall(f"{SRX}results/{SRX}result")) == 50
    assert b"truncated" in xml.data
    r = client.get("/sparql", query_string={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert r.headers["Pillars-Truncated"] == "true"
    assert len(list(ox.parse(r.data, format=ox.RdfFormat.TURTLE))) == 50
    r = client.get("/sparql", query_string={"query": q + " LIMIT 50"})
    assert "Pillars-Truncated" not in r.headers and "truncated" not in r.get_json()


def test_timeout_parameter_lowers_but_never_raises(client: FlaskClient) -> None:
    r = client.get("/sparql", query_string={"query": "ASK {}", "timeout": "abc"})
    assert r.status_code == 400 and b"timeout" in r.data
    assert (
        client.get("/sparql", query_string={"query": "ASK {}", "timeout": "-1"}).status_code == 400
    )
    assert (
        client.get("/sparql", query_string={"query": "ASK {}", "timeout": "9999"}).status_code
        == 200
    )
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    r = client.get("/sparql", query_string={"query": slow, "timeout": "0.5"})
    assert r.status_code == 504
    assert b"0.5 s" in r.data


def test_cors_and_preflight(client: FlaskClient) -> None:
    r = client.get(
        "/sparql", query_string={"query": "ASK {}"}, headers={"Origin": "https://x.example"}
    )
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = client.options(
        "/sparql",
        headers={
            "Origin": "https://x.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert r.status_code == 204
    assert "POST" in r.headers["Access-Control-Allow-Methods"]
    assert "content-type" in r.headers["Access-Control-Allow-Headers"].lower()
    assert r.headers["Access-Control-Allow-Origin"] == "*"


# --- descriptions --------------------------------------------------------------------------

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"


def parse_turtle(data: bytes) -> ox.Store:
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.TURTLE)
    return store


def test_service_description(client: FlaskClient, reference: ox.Store) -> None:
    r = client.get("/sparql")
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    sd = parse_turtle(r.data)
    endpoint = ox.NamedNode("http://localhost/sparql")
    assert ox.Quad(endpoint, ox.NamedNode(SD + "endpoint"), endpoint) in sd
    union = ox.Quad(endpoint, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "UnionDefaultGraph"))
    assert union in sd
    names = {q.object.value for q in sd.quads_for_pattern(None, ox.NamedNode(SD + "name"), None)}
    held = {row[0].value for row in reference.query("SELECT DISTINCT ?g { GRAPH ?g {} }")}  # type: ignore[union-attr,index]
    assert names == held
    r = client.get("/sparql", headers={"Accept": "application/ld+json"})
    assert r.mimetype == "application/ld+json"
    r = client.get("/sparql", query_string={"format": "ntriples"})
    assert r.status_code == 200 and r.mimetype == "application/n-triples"


def test_public_url_setting(reference: ox.Store) -> None:
    app = create_app(Settings(public_url="https://pillars.example.org/"), reference)
    r = app.test_client().get("/sparql")
    assert b"<https://pillars.example.org/sparql>" in r.data
    void = app.test_client().get("/.well-known/void")
    assert b"https://pillars.example.org/sparql" in void.data


def test_void_counts_triples_and_graphs(client: FlaskClient, reference: ox.Store) -> None:
    r = client.get("/.well-known/void")
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    void = parse_turtle(r.data)
    triples = ox.NamedNode(VOID + "triples")
    counts = {
        q.subject.value: int(q.object.value) for q in void.quads_for_pattern(None, triples, None)
    }
    for graph in (ARTICLE, ONTOLOGY_GRAPH, SHAPES_GRAPH):
        assert counts[graph] == direct_count(reference, f"GRAPH <{graph}> {{ ?s ?p ?o }}")
    assert counts["http://localhost/.well-known/void#pillars"] == len(reference)


def test_settings_pages(client: FlaskClient, app: Flask) -> None:
    doc = client.get("/-/settings.json").get_json()
    assert doc["max_rows"] == 50 and doc["query_timeout"] == 20 and doc["service_allowlist"] == []
    page = client.get("/-/settings")
    assert page.mimetype == "text/html"
    for name in doc:
        assert f"id='{name}'".encode() in page.data

"""The argument map's data (/map/<slug>.json, pillars.argmap_data), checked against SPARQL
counts written here, its routes, and the colours of its boxes (WCAG AA)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pages_fixture import close
from test_pages_a11y import AA_TEXT, contrast

from pillars.corpus import discover
from pillars.namespaces import article_graph, sparql_prefixes
from pillars.server.app import create_app
from pillars.server.state import app_state
from pillars.settings import Settings
from pillars.store import memory_store
from pillars.store_interface import select

SLUG = "iranian-russian-security-convergence"
ARGMAP_CSS = Path(__file__).parent.parent / "pillars" / "server" / "static" / "argmap.css"
INK = "#16181d"


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    # As served: with the entailed graphs, which the map must not read.
    app = create_app(Settings(evaluators=1), store=memory_store(discover(), entail=True))
    yield app
    close(app)


@pytest.fixture(scope="module")
def data(app: Flask) -> dict[str, Any]:
    r = app.test_client().get(f"/map/{SLUG}.json")
    assert r.status_code == 200 and r.mimetype == "application/json"
    body: dict[str, Any] = r.get_json()
    return body


def _sparql(app: Flask, body: str) -> list[dict[str, str]]:
    query = sparql_prefixes() + body.replace("$G", f"<{article_graph(SLUG)}>")
    rows = select(app_state(app).store, query)
    names = [v.value for v in rows.variables]
    return [{name: row[name].value for name in names} for row in rows]


# A claim: a resource the article's graph types with pil:Claim or a subclass of it.
CLAIM = (
    "GRAPH $G { ?s a ?c } "
    "GRAPH <https://w3id.org/pillars/graph/ontology> { ?c rdfs:subClassOf* pil:Claim }"
)


def test_every_claim_is_a_node(app: Flask, data: dict[str, Any]) -> None:
    [row] = _sparql(app, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ {CLAIM} }}")
    claims = [n for n in data["nodes"] if n["family"] == "claim"]
    assert len(claims) == int(row["n"]) == 196


def test_every_supports_and_attacks_link_between_nodes_is_an_edge(
    app: Flask, data: dict[str, Any]
) -> None:
    nodes = {n["iri"] for n in data["nodes"]}
    rows = _sparql(
        app,
        "SELECT ?s ?rel ?o WHERE { GRAPH $G { ?s ?rel ?o } "
        "VALUES ?rel { pil:supports pil:attacks } }",
    )
    between = {
        (r["s"], r["rel"].rsplit("#", 1)[1], r["o"]) for r in rows if {r["s"], r["o"]} <= nodes
    }
    edges = {
        (e["source"], e["relation"], e["target"])
        for e in data["edges"]
        if e["relation"] in ("supports", "attacks")
    }
    assert edges == between
    counts = {rel: sum(1 for e in edges if e[1] == rel) for rel in ("supports", "attacks")}
    assert counts == {"supports": 211, "attacks": 16}  # the article's graph, every one of them


def test_claims_links_all_reach_the_map(app: Flask, data: dict[str, Any]) -> None:
    """Every supports/attacks triple stated by a claim lands on the map (nothing dropped)."""
    [row] = _sparql(
        app,
        "SELECT (COUNT(*) AS ?n) WHERE { "
        + CLAIM
        + " GRAPH $G { ?s ?rel ?o VALUES ?rel { pil:supports pil:attacks } } }",
    )
    drawn = [e for e in data["edges"] if e["relation"] != "concerns"]
    assert len(drawn) == int(row["n"])


def test_concerns_edges_only_between_nodes(data: dict[str, Any]) -> None:
    nodes = {n["iri"] for n in data["nodes"]}
    concerns = [e for e in data["edges"] if e["relation"] == "concerns"]
    assert concerns and all({e["source"], e["target"]} <= nodes for e in concerns)


def test_kinds_are_the_most_specific_asserted_class(data: dict[str, Any]) -> None:
    kinds = {n["iri"].rsplit("/", 1)[1]: n["kind"] for n in data["nodes"]}
    assert kinds["thesis"] == "Thesis"
    conclusions = [k for name, k in kinds.items() if name.startswith("conclusion-")]
    assert conclusions and set(conclusions) == {"Conclusion"}  # not their superclass pil:Claim
    assert data["thesis"] == [f"https://w3id.org/pillars/id/{SLUG}/thesis"]
    labels = {k["kind"]: k["label"] for k in data["kinds"]}
    assert labels["RejectedExplanation"] == "rejected explanation"  # the ontology's label


def test_nodes_carry_label_section_quote_and_page(data: dict[str, Any]) -> None:
    sections = {s["iri"] for s in data["sections"]}
    for node in data["nodes"]:
        assert node["label"] and node["quote"], node["iri"]
        assert node["section"] in sections, node["iri"]
        assert node["href"] == node["iri"].replace("https://w3id.org/pillars", "")
    thesis = next(n for n in data["nodes"] if n["kind"] == "Thesis")
    assert thesis["quote"] in (Path("instances") / SLUG / "text.txt").read_text(encoding="utf-8")


def test_taxonomy_view_keeps_actors_apart(data: dict[str, Any]) -> None:
    tax = data["taxonomy"]
    ids = {n["id"] for n in tax["nodes"]}
    assert {e["source"] for e in tax["edges"]} | {e["target"] for e in tax["edges"]} <= ids
    relations = {e["relation"] for e in tax["edges"]}
    assert relations == {"part", "perceiver", "involves"}
    actors = {e["target"] for e in tax["edges"] if e["relation"] in ("perceiver", "involves")}
    # An actor appears once per band (the argument's threats, the limits): its id says which.
    assert actors and all(a.split("|")[0] in ("argument", "limits") for a in actors)
    assert {n["family"] for n in tax["nodes"] if n["id"] in actors} == {"actor"}


def test_unknown_slug_is_a_clear_404(app: Flask) -> None:
    client = app.test_client()
    for path in ("/map/no-such-article.json", "/map/no-such-article.aif.json", "/map/x.html"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "no article with the slug" in r.get_data(as_text=True)


def test_aif_export_is_linked_beside_the_map(app: Flask) -> None:
    client: FlaskClient = app.test_client()
    page = client.get(f"/id/{SLUG}/article.html").get_data(as_text=True)
    assert f'href="/map/{SLUG}.aif.json"' in page and f'data-src="/map/{SLUG}.json"' in page
    aif = client.get(f"/map/{SLUG}.aif.json").get_json()
    assert sum(1 for n in aif["nodes"] if n["type"] == "RA") == 211
    assert sum(1 for n in aif["nodes"] if n["type"] == "CA") == 16


def test_the_map_has_a_page_of_its_own(app: Flask) -> None:
    r = app.test_client().get(f"/map/{SLUG}.html")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'id="argmap"' in html and "vendor/elk.bundled.js" in html
    assert f'href="/id/{SLUG}/article"' in html


def test_the_retired_svg_says_where_the_map_went(app: Flask) -> None:
    r = app.test_client().get(f"/map/{SLUG}.svg")
    assert r.status_code == 410
    assert f"/map/{SLUG}.html" in r.get_data(as_text=True)


def _backgrounds() -> list[tuple[str, str]]:
    css = ARGMAP_CSS.read_text(encoding="utf-8")
    found = re.findall(r"^(\.[fk]-[\w-]+)\s*\{[^}]*background:\s*(#[0-9a-f]{6})", css, re.M)
    return found


def test_every_kind_has_its_colour_rule() -> None:
    selectors = {s for s, _ in _backgrounds()}
    families = {".f-claim", ".f-pillar", ".f-component", ".f-threat", ".f-perception"}
    families |= {".f-limit", ".f-dimension", ".f-convergence", ".f-actor"}
    assert families <= selectors


@pytest.mark.parametrize(("selector", "background"), _backgrounds())
def test_box_text_meets_aa(selector: str, background: str) -> None:
    css = ARGMAP_CSS.read_text(encoding="utf-8")
    kind = re.search(r"\.argmap-node \.argmap-kind \{[^}]*color:\s*(#[0-9a-f]{6})", css)
    assert kind
    for name, colour in (("label", INK), ("kind", kind.group(1))):
        ratio = contrast(colour, background)
        assert ratio >= AA_TEXT, f"{selector} {name}: {colour} on {background} is {ratio:.2f}:1"


def test_map_controls_text_meets_aa() -> None:
    css = ARGMAP_CSS.read_text(encoding="utf-8")
    pairs = []
    for selector in (".argmap-status", ".argmap-path", ".argmap-detail-kind"):
        rule = re.search(re.escape(selector) + r"\s*\{[^}]*color:\s*(#[0-9a-f]{6})", css)
        assert rule, selector
        pairs.append((selector, rule.group(1), "#f4f6f9"))  # the detail's background
    toggle = re.search(r"\.argmap-toggle \{[^}]*color:\s*(#[0-9a-f]{6})", css)
    assert toggle
    pairs.append((".argmap-toggle", toggle.group(1), "#ffffff"))
    for selector, fg, bg in pairs:
        assert contrast(fg, bg) >= AA_TEXT, f"{selector}: {fg} on {bg}"

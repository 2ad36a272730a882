"""The query page's help and readable answers over real HTTP, on the fixture corpus
(tests/fixtures/pages): /query/terms.json, /query/schema.json, the server's warning for an
undefined pil: term, offsets folded away, labels for IRIs, the bar chart.

Expected values are counted by hand from tests/fixtures/pages (ontology/mini.ttl,
instances/fixture-article/article.ttl, instances/shared/actors.ttl).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import requests
from pages_fixture import fixture_server
from test_pages_a11y import AA_TEXT, _colour_of, _variables, contrast

from pillars.namespaces import PIL, QUERY_PREFIXES
from pillars.server.pages.query_help import edit_distance, nearest, undefined_terms

TIMEOUT = 30
FX = "https://w3id.org/pillars/id/fixture-article/"


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with fixture_server() as url:
        yield url


def _run(base: str, query: str) -> str:
    r = requests.post(base + "/query", data={"query": query}, timeout=TIMEOUT)
    assert r.status_code == 200, r.text[:300]
    return r.text


def test_terms_are_the_ontologys_classes_and_properties_with_labels(base: str) -> None:
    r = requests.get(base + "/query/terms.json", timeout=TIMEOUT)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/json")
    doc = r.json()
    assert doc["prefixes"] == QUERY_PREFIXES
    by_name = {t["name"]: t for t in doc["terms"]}
    assert by_name["pil:Threat"] == {
        "name": "pil:Threat",
        "iri": PIL + "Threat",
        "label": "threat",
        "kind": "class",
    }
    assert by_name["pil:perceiver"]["kind"] == "property"
    assert by_name["pil:pageLocator"]["label"] == "page locator"
    # mini.ttl declares 16 classes and 15 properties, all pil:, and nothing else.
    kinds = [t["kind"] for t in doc["terms"]]
    assert (kinds.count("class"), kinds.count("property"), len(kinds)) == (16, 15, 31)
    assert "pil:Threath" not in by_name


def test_schema_counts_the_data_not_the_ontology(base: str) -> None:
    r = requests.get(base + "/query/schema.json", timeout=TIMEOUT)
    assert r.status_code == 200
    doc = r.json()
    classes = {c["name"]: c["count"] for c in doc["classes"]}
    properties = {p["name"]: p["count"] for p in doc["properties"]}
    # Seven evidence blocks, three states, two pillars, one identity threat (no entailment in
    # the fixture app, so no pil:Threat); owl:Class lives in the ontology graph, not counted.
    assert classes["pil:Evidence"] == 7
    assert classes["pil:State"] == 3
    assert classes["pil:Pillar"] == 2
    assert classes["pil:IdentityThreat"] == 1
    assert "pil:Threat" not in classes
    assert "owl:Class" not in classes and "owl:ObjectProperty" not in classes
    # pil:hasEvidence: convergence, thesis, 2 pillars, 2 components, threat, 2 perceptions,
    # the limit twice, the citation. rdfs:label: 15 resources carry one.
    assert properties["pil:hasEvidence"] == 12
    assert properties["rdfs:label"] == 15
    counts = [c["count"] for c in doc["classes"]]
    assert counts == sorted(counts, reverse=True)
    evidence = next(c for c in doc["classes"] if c["name"] == "pil:Evidence")
    assert evidence["label"] == "evidence" and evidence["iri"] == PIL + "Evidence"


def test_the_answer_page_warns_of_an_undefined_term_without_javascript(base: str) -> None:
    html = _run(base, f"PREFIX pil: <{PIL}>\nSELECT ?x WHERE {{ ?x a pil:Threath }}")
    warnings = re.search(r'<div id="term-warnings"[^>]*>(.*?)</div>', html, re.S)
    assert warnings is not None
    assert (
        '<p class="warn">pil:Threath is not defined by the ontology; did you mean pil:Threat?</p>'
        in warnings.group(1)
    )
    clean = _run(base, f"PREFIX pil: <{PIL}>\nSELECT ?x WHERE {{ ?x a pil:Threat }}")
    assert re.search(r'<div id="term-warnings"[^>]*>\s*</div>', clean)


def test_undefined_terms_reads_only_the_query_itself() -> None:
    names = ["Threat", "ThreatPerception", "perceiver", "hasEvidence"]
    query = (
        "PREFIX o: <https://w3id.org/pillars/ontology#>\n"
        "# pil:Nothing in a comment\n"
        'SELECT * { ?t a o:Threat ; o:perceivr ?p . ?p o:hasEvidence "pil:Not" .'
        " ?p pil:Zzzzzzzz <https://w3id.org/pillars/ontology#Hidden> }"
    )
    assert undefined_terms(query, names) == [
        "o:perceivr is not defined by the ontology; did you mean o:perceiver?",
        "pil:Zzzzzzzz is not defined by the ontology.",
    ]
    # pil: rebound to another namespace is not the ontology's.
    assert undefined_terms("PREFIX pil: <http://example.org/>\nASK { ?s pil:x ?o }", names) == []
    assert edit_distance("Threath", "Threat") == 1
    assert nearest("threatperseption", names) == "ThreatPerception"


def test_offsets_are_folded_behind_a_toggle(base: str) -> None:
    html = _run(
        base,
        "PREFIX oa: <http://www.w3.org/ns/oa#>\nSELECT ?quote ?start ?end WHERE "
        "{ ?e oa:exact ?quote ; oa:start ?start ; oa:end ?end } ORDER BY ?start",
    )
    heads = re.findall(r'<th scope="col" class="([\w-]+)" data-column="(\w+)"', html)
    assert heads == [("col-text", "quote"), ("col-offset", "start"), ("col-offset", "end")]
    assert '<details class="offsets" id="offsets-toggle">' in html
    assert "Show the character offsets (?start, ?end)" in html
    assert '<td class="col-offset"><span class="literal">0</span></td>' in html


def test_iri_cells_show_labels_with_the_iri_as_title(base: str) -> None:
    html = _run(
        base,
        f"SELECT ?x WHERE {{ VALUES ?x {{ <{FX}threat-regime-change> <{FX}ev-regime-change> }} }}",
    )
    cells = re.findall(r'<td class="col-iri"><a href="([^"]+)" title="([^"]+)">([^<]+)</a>', html)
    assert cells == [
        ("/id/fixture-article/threat-regime-change", "art:threat-regime-change",
         "Regime change promoted from abroad"),
        ("/id/fixture-article/ev-regime-change", "art:ev-regime-change",
         "“regime change promoted from abroad”"),
    ]  # fmt: skip


def test_a_count_per_class_is_drawn_as_a_bar_chart(base: str) -> None:
    html = _run(
        base,
        "SELECT ?class (COUNT(?x) AS ?n) WHERE { GRAPH <https://w3id.org/pillars/graph/fixture-"
        "article> { ?x a ?class } } GROUP BY ?class ORDER BY DESC(?n) ?class",
    )
    assert '<figure class="chart" id="chart">' in html
    assert 'role="img" aria-labelledby="chart-title chart-desc"' in html
    bars = re.findall(r'<g class="bar"><title>([^<]+)</title>', html)
    # 13 classes in article.ttl, and nif:Context, which the loader gives the text.
    assert bars[0] == "evidence: 7" and len(bars) == 14
    # One row is no chart, nor is a table that is not one label and one number.
    one = _run(
        base,
        "SELECT ?class (COUNT(?x) AS ?n) WHERE { GRAPH <https://w3id.org/pillars/graph/shared>"
        " { ?x a ?class } } GROUP BY ?class",
    )
    assert 'id="chart"' not in one
    plain = _run(base, "SELECT ?x ?l WHERE { ?x <http://www.w3.org/2000/01/rdf-schema#label> ?l }")
    assert 'id="chart"' not in plain


# ---------------------------------------------------------------- colours (WCAG 2.1 AA)

AA_NON_TEXT = 3.0  # SC 1.4.11: shapes a reader must make out, such as a chart's bars
CHOSEN = '.completions li[aria-selected="true"]'


@pytest.mark.parametrize(
    ("name", "fg", "bg"),
    [
        ("warning", "#16181d", _colour_of("pages.css", ".warn", "background")),
        ("chosen completion", _colour_of("pages.css", CHOSEN, "color"),
         _colour_of("pages.css", CHOSEN, "background")),
        ("completion detail", _variables()["muted"],
         _colour_of("pages.css", ".completions", "background")),
        ("chart label", _colour_of("pages.css", "figure.chart text", "fill"), "#ffffff"),
        ("chart value", _colour_of("pages.css", "figure.chart text.value", "fill"), "#ffffff"),
    ],
)  # fmt: skip
def test_query_page_colours_meet_aa(name: str, fg: str, bg: str) -> None:
    assert contrast(fg, bg) >= AA_TEXT, f"{name}: {fg} on {bg} is {contrast(fg, bg):.2f}:1"


def test_chart_bars_stand_out_from_the_page() -> None:
    bar = _colour_of("pages.css", "figure.chart rect", "fill")
    assert contrast(bar, "#ffffff") >= AA_NON_TEXT, f"chart bars {bar} on white"

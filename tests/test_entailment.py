"""Entailed types and super-properties, stored in graphs of their own (pillars/entailment.py).

Expected answers come from rdflib's own SPARQL evaluation of `rdf:type/rdfs:subClassOf*` over
the asserted Turtle files, never from the code under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
import requests
from click.testing import CliRunner
from remote_fixture import graph_counts, oxigraph_server

from pillars.cli import main
from pillars.entailment import Subsumption, entailed_graph, is_entailed_graph
from pillars.namespaces import GRAPH, ONTOLOGY_GRAPH, SHARED_GRAPH
from pillars.store import memory_store, open_read_only

REPO = Path(__file__).resolve().parent.parent
SLUG = "iranian-russian-security-convergence"
ARTICLE_GRAPH = GRAPH + SLUG
PIL = "https://w3id.org/pillars/ontology#"
ACTOR = "https://w3id.org/pillars/id/actor/"
OWL_THING = "http://www.w3.org/2002/07/owl#Thing"

TINY_ONTOLOGY = """
@prefix : <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
:A rdfs:subClassOf :B .
:B rdfs:subClassOf :C , owl:Thing .
:D owl:equivalentClass :B .
:p rdfs:subPropertyOf :q .
:q rdfs:subPropertyOf :r .
"""


def parse(text: str, graph: str) -> list[ox.Quad]:
    g = ox.NamedNode(graph)
    return [ox.Quad(t.subject, t.predicate, t.object, g) for t in ox.parse(text, "text/turtle")]


def ex(name: str) -> ox.NamedNode:
    return ox.NamedNode("http://example.org/" + name)


def triples(quads: list[ox.Quad]) -> set[tuple[str, str, str]]:
    return {(q.subject.value, q.predicate.value, q.object.value) for q in quads}


def test_subsumption_closes_types_and_properties_and_adds_only_what_is_new() -> None:
    subsumption = Subsumption.of(parse(TINY_ONTOLOGY, "http://example.org/ontology"))
    data = parse("@prefix : <http://example.org/> . :x a :A , :B . :y :p :z .", GRAPH + "example")
    found = subsumption.entailed(data, GRAPH + "example")
    e = "http://example.org/"
    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert triples(found) == {
        (e + "x", rdf_type, e + "C"),
        (e + "x", rdf_type, e + "D"),
        (e + "y", e + "q", e + "z"),
        (e + "y", e + "r", e + "z"),
    }  # not `:x a :B` (asserted), not owl:Thing (trivial)
    assert {q.graph_name.value for q in found} == {GRAPH + "entailed/example"}


def test_subclass_links_of_the_ontology_are_closed_too() -> None:
    quads = parse(TINY_ONTOLOGY, ONTOLOGY_GRAPH)
    found = triples(Subsumption.of(quads).entailed(quads, ONTOLOGY_GRAPH))
    sub = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
    subp = "http://www.w3.org/2000/01/rdf-schema#subPropertyOf"
    e = "http://example.org/"
    assert (e + "A", sub, e + "C") in found
    assert (e + "p", subp, e + "r") in found
    assert not any(o == OWL_THING for _, _, o in found)


def test_entailed_graph_names() -> None:
    assert entailed_graph(ARTICLE_GRAPH) == GRAPH + "entailed/" + SLUG
    assert is_entailed_graph(GRAPH + "entailed/shared")
    assert not is_entailed_graph(SHARED_GRAPH)


@pytest.fixture(scope="module")
def entailed() -> ox.Store:
    return memory_store(entail=True)


@pytest.fixture(scope="module")
def asserted() -> ox.Store:
    return memory_store(entail=False)


@pytest.fixture(scope="module")
def by_rdflib() -> dict[str, set[str]]:
    """Every named class of the ontology -> its instances and its subclasses' instances, as
    rdflib's SPARQL engine finds them in the Turtle files."""
    g = rdflib.Graph()
    for path in sorted([*REPO.glob("ontology/*.ttl"), *REPO.glob("instances/**/*.ttl")]):
        g.parse(path, format="turtle")
    rows = g.query(
        """PREFIX owl: <http://www.w3.org/2002/07/owl#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?class ?x WHERE {
          ?class a owl:Class . FILTER (isIRI(?class))
          OPTIONAL { ?x a/rdfs:subClassOf* ?class }
        }"""
    )
    out: dict[str, set[str]] = {}
    for row in rows:
        out.setdefault(str(row[0]), set())
        if row[1] is not None:
            out[str(row[0])].add(str(row[1]))
    out.pop(OWL_THING, None)
    return out


def test_every_class_answers_with_its_subclasses_instances(
    entailed: ox.Store, by_rdflib: dict[str, set[str]]
) -> None:
    assert len(by_rdflib) > 40 and len(by_rdflib[PIL + "Threat"]) > 10
    wrong = []
    for cls, expected in sorted(by_rdflib.items()):
        rows = entailed.query(
            f"SELECT DISTINCT ?x {{ ?x a <{cls}> }}", use_default_graph_as_union=True
        )
        got = {row[0].value for row in rows}  # type: ignore[union-attr]
        # The loader types each article's text nif:Context; the Turtle files do not.
        got.discard(f"https://w3id.org/pillars/id/{SLUG}/text")
        expected = expected - {f"https://w3id.org/pillars/id/{SLUG}/text"}
        if got != expected:
            wrong.append((cls, sorted(expected - got)[:3], sorted(got - expected)[:3]))
    assert not wrong, wrong


def test_the_article_graph_shows_only_what_the_article_asserts(
    entailed: ox.Store, asserted: ox.Store
) -> None:
    article = ox.NamedNode(ARTICLE_GRAPH)
    with_entailment = set(entailed.quads_for_pattern(None, None, None, article))
    assert with_entailment == set(asserted.quads_for_pattern(None, None, None, article))
    extra = list(
        entailed.quads_for_pattern(None, None, None, ox.NamedNode(entailed_graph(ARTICLE_GRAPH)))
    )
    assert extra and not triples(extra) & triples(list(with_entailment))
    assert not any(is_entailed_graph(g.value) for g in asserted.named_graphs())  # type: ignore[union-attr]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_load_stores_the_entailed_graphs_unless_turned_off(tmp_path: Path) -> None:
    on, off = tmp_path / "on", tmp_path / "off"
    assert run("load", "--store", str(on))[0] == 0
    assert run("load", "--store", str(off), "--entailment", "off")[0] == 0
    held_on = {g.value for g in open_read_only(on).named_graphs()}  # type: ignore[union-attr]
    held_off = {g.value for g in open_read_only(off).named_graphs()}  # type: ignore[union-attr]
    assert GRAPH + "entailed/" + SLUG in held_on and GRAPH + "entailed/shared" in held_on
    assert held_off == {g for g in held_on if not is_entailed_graph(g)}


def test_a_bad_entailment_value_names_the_setting_and_builds_nothing(tmp_path: Path) -> None:
    code, output = run("load", "--store", str(tmp_path / "store"), "--entailment", "owl-rl")
    assert code == 2
    assert "setting entailment: one of rdfs, off, got 'owl-rl'" in output
    assert not (tmp_path / "store").exists()


@pytest.fixture(scope="module")
def oxigraph() -> Iterator[str]:
    with oxigraph_server() as url:
        yield url


def test_push_sends_the_entailed_graphs_as_graphs_of_their_own(
    oxigraph: str, entailed: ox.Store
) -> None:
    code, output = run(
        "push", oxigraph + "/store", "--graph", "shared", "--graph", "entailed/shared"
    )
    assert code == 0, output
    counts = graph_counts(oxigraph)
    local = sum(
        1
        for _ in entailed.quads_for_pattern(
            None, None, None, ox.NamedNode(GRAPH + "entailed/shared")
        )
    )
    assert counts[GRAPH + "entailed/shared"] == local > 0
    asked = requests.post(
        oxigraph + "/query",
        data={"query": f"ASK {{ GRAPH ?g {{ <{ACTOR}iran> a <{PIL}Actor> }} }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert asked.json()["boolean"] is True


def sparql(base: str, query: str) -> list[dict[str, dict[str, str]]]:
    resp = requests.get(
        base + "/sparql",
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert resp.status_code == 200, resp.text
    return resp.json()["results"]["bindings"]


def test_the_server_answers_a_superclass_query_in_full(
    live_server: str, by_rdflib: dict[str, set[str]]
) -> None:
    rows = sparql(live_server, f"SELECT DISTINCT ?x {{ ?x a <{PIL}Threat> }}")
    assert {r["x"]["value"] for r in rows} == by_rdflib[PIL + "Threat"]
    rows = sparql(
        live_server, f"SELECT DISTINCT ?x {{ GRAPH <{ARTICLE_GRAPH}> {{ ?x a <{PIL}Threat> }} }}"
    )
    assert rows == []  # the article asserts only the specific kinds of threat


def test_the_service_description_says_how_entailment_is_served(live_server: str) -> None:
    resp = requests.get(live_server + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    assert resp.status_code == 200
    g = rdflib.Graph().parse(data=resp.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    prov = rdflib.Namespace("http://www.w3.org/ns/prov#")
    assert (
        None,
        sd.defaultEntailmentRegime,
        rdflib.URIRef("http://www.w3.org/ns/entailment/Simple"),
    ) in g
    derived = {
        (str(name), str(source))
        for name, source in g.query(
            """PREFIX sd: <http://www.w3.org/ns/sparql-service-description#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            SELECT ?name ?from { ?n sd:name ?name ; sd:graph [ prov:wasDerivedFrom ?from ] }"""
        )
    }
    assert (GRAPH + "entailed/" + SLUG, ARTICLE_GRAPH) in derived
    assert (GRAPH + "entailed/shared", SHARED_GRAPH) in derived
    assert any(
        "entailed ones included" in str(o)
        for o in g.objects(None, rdflib.URIRef("http://purl.org/dc/terms/description"))
    )
    assert prov  # the namespace the description uses


def test_an_entailed_graph_has_its_own_dump(live_server: str, entailed: ox.Store) -> None:
    resp = requests.get(live_server + "/dumps/entailed/shared.ttl", timeout=30)
    assert resp.status_code == 200, resp.text
    assert resp.headers["Content-Disposition"] == 'attachment; filename="entailed-shared.ttl"'
    served = rdflib.Graph().parse(data=resp.text, format="turtle")
    local = sum(
        1
        for _ in entailed.quads_for_pattern(
            None, None, None, ox.NamedNode(GRAPH + "entailed/shared")
        )
    )
    assert len(served) == local


def test_a_page_lists_the_asserted_type_not_every_superclass(live_server: str) -> None:
    resp = requests.get(live_server + "/id/actor/iran", headers={"Accept": "text/html"}, timeout=30)
    assert resp.status_code == 200
    assert "State" in resp.text
    assert "prov:Agent" not in resp.text and "/graph/entailed/" not in resp.text


CHAIN_ONTOLOGY = """
@prefix : <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
:perceivedBy owl:propertyChainAxiom ( [ owl:inverseOf :perceivedThreat ] :perceiver ) .
"""


def test_a_property_chain_with_an_inverse_step_is_stored() -> None:
    subsumption = Subsumption.of(parse(CHAIN_ONTOLOGY, ONTOLOGY_GRAPH))
    data = parse(
        "@prefix : <http://example.org/> . "
        ":p1 :perceivedThreat :sanctions ; :perceiver :iran . "
        ":p2 :perceivedThreat :sanctions ; :perceiver :russia . "
        ":p3 :perceivedThreat :nato .",  # no perceiver: nothing follows
        GRAPH + "example",
    )
    e = "http://example.org/"
    assert triples(subsumption.entailed(data, GRAPH + "example")) == {
        (e + "sanctions", e + "perceivedBy", e + "iran"),
        (e + "sanctions", e + "perceivedBy", e + "russia"),
    }


def test_the_bundled_threats_are_perceived_by_their_perceptions_perceivers(
    entailed: ox.Store,
) -> None:
    rows = entailed.query(
        f"SELECT ?a {{ <https://w3id.org/pillars/id/{SLUG}/threat-vaticanization> "
        f"<{PIL}perceivedBy> ?a }}",
        use_default_graph_as_union=True,
    )
    # pillar-threats.ttl: art:perception-iranian-leaders-vaticanization only
    assert [r[0].value for r in rows] == [ACTOR + "iranian-leaders"]  # type: ignore[union-attr]


def test_an_entailed_graph_names_the_graph_it_comes_from() -> None:
    from pillars.entailment import asserted_graph

    assert asserted_graph(GRAPH + "entailed/" + SLUG) == ARTICLE_GRAPH
    assert asserted_graph(SHARED_GRAPH) == SHARED_GRAPH

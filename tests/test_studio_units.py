"""The studio's pieces without a server: deterministic Turtle, forms from the shapes, names."""

from __future__ import annotations

import random

import pyoxigraph as ox
from studio_fixture import ART, REPO

from pillars.studio import naming, turtle, vocab

PIL = "https://w3id.org/pillars/ontology#"
OA = "http://www.w3.org/ns/oa#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _t(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o)


TRIPLES = [
    _t(
        ART + "claim-b",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        ox.NamedNode(PIL + "Claim"),
    ),
    _t(ART + "claim-b", PIL + "hasEvidence", ox.NamedNode(ART + "ev-claim-b")),
    _t(ART + "claim-b", PIL + "supports", ox.NamedNode(ART + "thesis")),
    _t(ART + "claim-b", PIL + "supports", ox.NamedNode(ART + "claim-a")),
    _t(
        ART + "ev-claim-b",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        ox.NamedNode(PIL + "Evidence"),
    ),
    _t(ART + "ev-claim-b", OA + "start", ox.Literal("3", datatype=ox.NamedNode(XSD + "integer"))),
    _t(ART + "ev-claim-b", OA + "exact", ox.Literal('a "quoted"\nline')),
    _t(
        "https://w3id.org/pillars/id/actor/iran",
        PIL + "hasEvidence",
        ox.NamedNode(ART + "ev-claim-b"),
    ),
    _t(
        ART + "claim-a",
        "http://www.w3.org/2000/01/rdf-schema#label",
        ox.Literal("A", language="en"),
    ),
]

EXPECTED = """# header

@prefix actor: <https://w3id.org/pillars/id/actor/> .
@prefix art: <https://w3id.org/pillars/id/iranian-russian-security-convergence/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix pil: <https://w3id.org/pillars/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

actor:iran pil:hasEvidence art:ev-claim-b .

art:ev-claim-b a pil:Evidence ;
    oa:exact "a \\"quoted\\"\\nline" ;
    oa:start 3 .

art:claim-a rdfs:label "A"@en .

art:claim-b a pil:Claim ;
    pil:hasEvidence art:ev-claim-b ;
    pil:supports art:claim-a , art:thesis .
"""


def test_the_same_triples_in_any_order_give_the_same_bytes() -> None:
    shuffled = TRIPLES[:]
    random.Random(7).shuffle(shuffled)
    assert turtle.document(TRIPLES, ART, "header") == EXPECTED
    assert turtle.document(shuffled, ART, "header") == EXPECTED
    back = {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(EXPECTED.encode(), format=ox.RdfFormat.TURTLE)
    }
    assert back == set(TRIPLES)


def test_forms_follow_the_shapes_and_the_ontology() -> None:
    v = vocab.load(
        sorted((REPO / "ontology").glob("*.ttl")), sorted((REPO / "shapes").glob("*.ttl"))
    )
    threat = {f.path: f for f in v.fields(PIL + "IdentityThreat")}
    assert threat[PIL + "threatType"].classes == ("http://www.w3.org/2004/02/skos/core#Concept",)
    assert threat[PIL + "threatType"].recommended and not threat[PIL + "threatType"].required
    assert threat[PIL + "presentedAsCommon"].datatype == XSD + "boolean"
    assert v.classes[PIL + "IdentityThreat"].label_required
    event = {f.path: f for f in v.fields(PIL + "Event")}
    assert event[PIL + "location"].classes == (PIL + "Place", PIL + "State")
    limit = {f.path: f for f in v.fields(PIL + "RivalryLimit")}
    assert limit[PIL + "involves"].classes == (PIL + "Actor",)  # a domain given as a union
    names = {c.iri for c in v.creatable()}
    assert PIL + "Evidence" not in names and PIL + "Claim" in names


def test_names_follow_notes_md() -> None:
    assert naming.kebab("Iran's trade with Russia is small") == "iran-trade-russia-small"
    assert naming.base_name(PIL + "Claim", "The trade is small", {}, {}, str) == (
        "art",
        "claim-trade-small",
    )
    source = naming.base_name(
        PIL + "Source", "Hill and Gaddy 2015",
        {PIL + "authorString": ["Hill and Gaddy"], PIL + "year": ["2015"]}, {}, str,
    )  # fmt: skip
    assert source == ("art", "source-hill-and-gaddy-2015")
    cite = naming.base_name(
        PIL + "Citation", "", {}, {PIL + "citesWork": [ART + "source-mosavian-2017"]}, str
    )
    assert cite == ("art", "cite-mosavian-2017")
    assert naming.base_name(PIL + "State", "United States", {}, {}, str) == (
        "actor",
        "united-states",
    )
    taken = {ART + "claim-x", ART + "claim-x-2"}
    assert naming.unique(ART, "claim-x", taken.__contains__) == ART + "claim-x-3"
    assert (
        naming.unique(ART, "cite-a-2017", set().__contains__, counted=True) == ART + "cite-a-2017-1"
    )

"""A minimal article that conforms to every shape, and helpers to break it and validate it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pillars.anchor import turtle_string
from pillars.check import Finding
from pillars.check.shacl import Context, load_context, validate_source
from pillars.corpus import GraphSource, default_root
from pillars.namespaces import article_graph

SLUG = "test-article"
ART = f"https://w3id.org/pillars/id/{SLUG}/"

TEXT = (
    "Introduction\n"
    "Iran and Russia converge on security. Both fear sanctions (Smith 2015, 12). "
    "Their rivalry limits the convergence. Trade grew by 2 percent.\n"
)

PREFIXES = f"""@prefix pil: <https://w3id.org/pillars/ontology#> .
@prefix art: <{ART}> .
@prefix actor: <https://w3id.org/pillars/id/actor/> .
@prefix threat-type: <https://w3id.org/pillars/id/threat-type/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix cito: <http://purl.org/spar/cito/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def evidence(name: str, exact: str) -> str:
    start = TEXT.index(exact)  # the test computes offsets itself, independently of the shapes
    end = start + len(exact)
    prefix, suffix = (
        turtle_string(TEXT[max(0, start - 5) : start]),
        turtle_string(TEXT[end : end + 5]),
    )
    return (
        f"art:{name} a pil:Evidence ; oa:exact {turtle_string(exact)} ;\n"
        f"    oa:start {start} ; oa:end {end} ;\n"
        f"    oa:prefix {prefix} ; oa:suffix {suffix} ; pil:inText art:text .\n"
    )


BODY = (
    """
art:article a pil:Article ;
    dcterms:title "A test article"@en ;
    dcterms:creator actor:abdolrasool-divsallar ;
    pil:doi "10.1080/03932729.2019.1586147" ;
    pil:publicationYear "2019"^^xsd:gYear ;
    pil:keyword "security convergence"@en ;
    pil:hasText art:text ;
    pil:hasSection art:section-1 ;
    pil:analyses art:convergence ;
    pil:hasThesis art:thesis ;
    cito:citesAsEvidence art:source-smith-2015 .

art:text a pil:ArticleText ; pil:textOf art:article .

art:section-1 a pil:Section ; rdfs:label "Introduction" ; pil:sectionNumber 1 ;
    pil:hasEvidence art:ev-heading .

art:convergence a pil:SecurityConvergence ;
    pil:convergingActor actor:iran , actor:russia ;
    pil:hasPillar art:pillar-threats ;
    pil:restrainedBy art:limit-rivalry ;
    pil:hasEvidence art:ev-converge .

art:thesis a pil:Thesis ; rdfs:label "Iran and Russia converge" ; pil:hasEvidence art:ev-converge .

art:pillar-threats a pil:Pillar ; rdfs:label "common threats" ;
    pil:hasComponent art:component-stability ; pil:hasEvidence art:ev-fear .

art:component-stability a pil:PillarComponent ; rdfs:label "stability" ;
    pil:hasEvidence art:ev-fear .

art:threat-sanctions a pil:StabilityThreat ; rdfs:label "sanctions" ;
    pil:threatType threat-type:sanctions ;
    pil:groupedUnder art:component-stability ;
    pil:presentedAsCommon true ;
    pil:hasEvidence art:ev-sanctions .

art:perception-iran-sanctions a pil:ThreatPerception ;
    pil:perceiver actor:iran ; pil:perceivedThreat art:threat-sanctions ;
    pil:hasEvidence art:ev-fear .

art:perception-russia-sanctions a pil:ThreatPerception ;
    pil:perceiver actor:russia ; pil:perceivedThreat art:threat-sanctions ;
    pil:hasEvidence art:ev-fear .

art:limit-rivalry a pil:RivalryLimit ; rdfs:label "rivalry" ; pil:hasEvidence art:ev-rivalry .

art:quantity-trade a pil:Quantity ; pil:numericValue 2.0 ; pil:unit "percent" ;
    pil:measures "growth of trade" ; pil:hasEvidence art:ev-trade .

art:source-smith-2015 a pil:Source ; pil:authorString "Smith" ;
    pil:year "2015"^^xsd:gYear ; rdfs:label "Smith 2015" .

art:cite-smith-2015 a pil:Citation ; pil:citesWork art:source-smith-2015 ;
    pil:citedFor art:threat-sanctions ; pil:pageLocator "12" ; pil:hasEvidence art:ev-cite .

"""
    + evidence("ev-heading", "Introduction")
    + evidence("ev-converge", "Iran and Russia converge on security.")
    + evidence("ev-fear", "Both fear sanctions")
    + evidence("ev-sanctions", "sanctions")
    + evidence("ev-cite", "(Smith 2015, 12)")
    + evidence("ev-rivalry", "Their rivalry limits the convergence.")
    + evidence("ev-trade", "Trade grew by 2 percent.")
)

VALID = PREFIXES + BODY


@lru_cache(maxsize=1)
def context() -> Context:
    root = default_root()
    return load_context(
        sorted((root / "shapes").glob("*.ttl")),
        sorted((root / "ontology").glob("*.ttl")),
        sorted((root / "instances" / "shared").glob("*.ttl")),
    )


def write_article(folder: Path, turtle: str, text: str | None = TEXT) -> GraphSource:
    article = folder / SLUG
    article.mkdir(parents=True, exist_ok=True)
    (article / "article.ttl").write_text(turtle, encoding="utf-8")
    if text is not None:
        (article / "text.txt").write_text(text, encoding="utf-8")
    return GraphSource(
        article_graph(SLUG),
        (article / "article.ttl",),
        article / "text.txt" if text is not None else None,
        SLUG,
    )


def validate(folder: Path, turtle: str, text: str | None = TEXT) -> list[Finding]:
    return validate_source(write_article(folder, turtle, text), context()).findings


def validate_shared(folder: Path, turtle: str) -> list[Finding]:
    shared = folder / "shared"
    shared.mkdir(parents=True, exist_ok=True)
    (shared / "extra.ttl").write_text(turtle, encoding="utf-8")
    source = GraphSource(article_graph("shared"), (shared / "extra.ttl",), None, "shared")
    return validate_source(source, context()).findings


def replace(turtle: str, old: str, new: str) -> str:
    assert old in turtle, f"fixture does not contain {old!r}"
    return turtle.replace(old, new, 1)

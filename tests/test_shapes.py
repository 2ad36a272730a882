"""Every shape catches a minimal invalid example and passes the valid one (tests/shapes_fixture)."""
# ruff: noqa: E501  (the tables below are Turtle snippets, easier to read on one line each)

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH
from shapes_fixture import TEXT, VALID, replace, validate, validate_shared

from pillars.corpus import default_root

_EXTRA_SOURCE = """
art:source-jones-2010 a pil:Source ; pil:authorString "Jones" ;
    pil:year "2010"^^xsd:gYear ; rdfs:label "Jones 2010" .
art:article cito:citesAsAuthority art:source-jones-2010 .
"""

# A threat no perception names (not presented as common, which SharedThreatShape covers).
_LONE_THREAT = """
art:threat-lone a pil:RegionalThreat ; rdfs:label "lone" ; pil:threatType threat-type:sanctions ;
    pil:groupedUnder art:component-stability ; pil:presentedAsCommon false ;
    pil:hasEvidence art:ev-sanctions .
"""

# (shape, resource the finding names, old text, new text); applied to the valid article.
BREAKS: list[tuple[str, str, str, str]] = [
    ("pilsh:EvidenceShape", "ev-trade", 'oa:exact "Trade grew by 2 percent." ;', ""),
    ("pilsh:EvidenceShape", "ev-trade", "oa:start 127", 'oa:start "127"'),
    (
        "pilsh:EvidenceShape",
        "ev-trade",
        'oa:end 151 ;\n    oa:prefix "nce. " ; oa:suffix "\\n" ; pil:inText art:text',
        'oa:end 151 ;\n    oa:prefix "nce. " ; oa:suffix "\\n"',
    ),
    (
        "pilsh:QuoteMatchesTextShape",
        "ev-trade",
        "oa:start 127 ; oa:end 151",
        "oa:start 128 ; oa:end 152",
    ),
    ("pilsh:QuoteContextShape", "ev-trade", 'oa:prefix "nce. "', 'oa:prefix "xyz. "'),
    (
        "pilsh:ElementEvidenceShape",
        "quantity-trade",
        "pil:hasEvidence art:ev-trade",
        "pil:hasEvidence art:ev-trade , art:thesis",
    ),
    (
        "pilsh:EvidenceRequiredShape",
        "limit-rivalry",
        'rdfs:label "rivalry" ; pil:hasEvidence art:ev-rivalry',
        'rdfs:label "rivalry"',
    ),
    ("pilsh:ArticleShape", "article", 'pil:doi "10.1080/', 'pil:doi "https://doi.org/10.1080/'),
    (
        "pilsh:ArticleShape",
        "article",
        'pil:publicationYear "2019"^^xsd:gYear',
        "pil:publicationYear 2019",
    ),
    ("pilsh:ArticleShape", "article", '"security convergence"@en', '"security convergence"@fr'),
    (
        "pilsh:JournalShape",
        "journal-x",
        "pil:hasText art:text ;",
        "pil:hasText art:text ; pil:publishedIn art:journal-x .\nart:journal-x a pil:Journal .\nart:article ",
    ),
    ("pilsh:SectionShape", "section-1", "pil:sectionNumber 1", 'pil:sectionNumber "one"'),
    ("pilsh:SourceShape", "source-smith-2015", 'pil:year "2015"^^xsd:gYear', 'pil:year "2015"'),
    (
        "pilsh:SourceShape",
        "source-smith-2015",
        'rdfs:label "Smith 2015" .',
        'rdfs:label "Smith 2015" ; dcterms:title "Invented" .',
    ),
    ("pilsh:CitationShape", "cite-smith-2015", 'pil:pageLocator "12"', 'pil:pageLocator "p. 12"'),
    ("pilsh:CitationShape", "cite-smith-2015", "pil:citesWork art:source-smith-2015 ;", ""),
    (
        "pilsh:SourceIsCitedShape",
        "source-jones-2010",
        "art:text a pil:ArticleText",
        _EXTRA_SOURCE + "art:text a pil:ArticleText",
    ),
    (
        "pilsh:CitedYearShape",
        "source-smith-2015",
        'pil:year "2015"^^xsd:gYear',
        'pil:year "2020"^^xsd:gYear',
    ),
    (
        "pilsh:ClaimShape",
        "thesis",
        'rdfs:label "Iran and Russia converge" ;',
        'rdfs:label "Iran and Russia converge" ; pil:supports actor:iran ;',
    ),
    (
        "pilsh:ClaimLinkInArticleShape",
        "thesis",
        'rdfs:label "Iran and Russia converge" ;',
        'rdfs:label "Iran and Russia converge" ; pil:supports <https://w3id.org/pillars/id/other-article/claim-x> ;',
    ),
    ("pilsh:SecurityConvergenceShape", "convergence", "actor:iran , actor:russia", "actor:iran"),
    (
        "pilsh:CooperationDimensionShape",
        "dimension-x",
        "pil:hasPillar art:pillar-threats ;",
        "pil:hasPillar art:pillar-threats ; pil:hasDimension art:dimension-x .\nart:dimension-x a pil:CooperationDimension ; pil:involves art:thesis ; pil:hasEvidence art:ev-converge .\nart:convergence ",
    ),
    (
        "pilsh:PillarShape",
        "pillar-threats",
        "pil:hasComponent art:component-stability ;",
        "pil:hasComponent art:component-stability , art:thesis ;",
    ),
    (
        "pilsh:PillarHasComponentsShape",
        "pillar-threats",
        "pil:hasComponent art:component-stability ;",
        "",
    ),
    (
        "pilsh:ThreatShape",
        "threat-sanctions",
        "pil:presentedAsCommon true",
        'pil:presentedAsCommon "yes"',
    ),
    (
        "pilsh:ThreatShape",
        "threat-sanctions",
        "pil:threatType threat-type:sanctions",
        "pil:threatType art:thesis",
    ),
    (
        "pilsh:ThreatKindsDisjointShape",
        "threat-sanctions",
        "art:threat-sanctions a pil:StabilityThreat",
        "art:threat-sanctions a pil:StabilityThreat , pil:IdentityThreat",
    ),
    (
        "pilsh:SharedThreatShape",
        "threat-sanctions",
        "art:perception-russia-sanctions a pil:ThreatPerception ;\n    pil:perceiver actor:russia ; pil:perceivedThreat art:threat-sanctions ;\n    pil:hasEvidence art:ev-fear .",
        "",
    ),
    (
        "pilsh:ThreatPerceptionShape",
        "perception-russia-sanctions",
        "pil:perceiver actor:russia ;",
        "",
    ),
    (
        "pilsh:PerceiverIsActorShape",
        "perception-russia-sanctions",
        "pil:perceiver actor:russia ;",
        "pil:perceiver art:threat-sanctions ;",
    ),
    (
        "pilsh:ThreatPerceivedShape",
        "threat-lone",
        "art:text a pil:ArticleText",
        _LONE_THREAT + "art:text a pil:ArticleText",
    ),
    (
        "pilsh:SecurityReferentShape",
        "referent-x",
        "pil:perceiver actor:iran ;",
        "pil:perceiver actor:iran ; pil:endangers art:referent-x .\nart:referent-x a pil:SecurityReferent .\nart:perception-iran-sanctions",
    ),
    (
        "pilsh:LimitShape",
        "limit-rivalry",
        'rdfs:label "rivalry" ;',
        'rdfs:label "rivalry" ; pil:subLimitOf art:thesis ;',
    ),
    ("pilsh:QuantityShape", "quantity-trade", "pil:numericValue 2.0", 'pil:numericValue "2"'),
    (
        "pilsh:RoleShape",
        "role-x",
        "art:text a pil:ArticleText",
        'art:role-x a pil:Role ; rdfs:label "President" ; pil:hasEvidence art:ev-converge .\nart:text a pil:ArticleText',
    ),
    ("pilsh:KnownClassShape", "limit-rivalry", "a pil:RivalryLimit", "a pil:RivalryLimt"),
    ("pilsh:KnownPropertyShape", "quantity-trade", "pil:measures", "pil:measure"),
    (
        "pilsh:ReachableShape",
        "component-loose",
        "art:text a pil:ArticleText",
        'art:component-loose a pil:PillarComponent ; rdfs:label "loose" ; pil:hasEvidence art:ev-fear .\nart:text a pil:ArticleText',
    ),
    (
        "pilsh:MentionUsedShape",
        "turkey",
        "art:text a pil:ArticleText",
        "actor:turkey pil:hasEvidence art:ev-fear .\nart:text a pil:ArticleText",
    ),
    (
        "pilsh:DistinctLabelShape",
        "limit-rivalry",
        "pil:restrainedBy art:limit-rivalry ;",
        'pil:restrainedBy art:limit-rivalry , art:limit-rivalry2 ;\n    pil:hasEvidence art:ev-rivalry .\nart:limit-rivalry2 a pil:RivalryLimit ; rdfs:label "rivalry" ; pil:hasEvidence art:ev-rivalry .\nart:convergence ',
    ),
]

# Shapes of shapes/actors.ttl concern the shared vocabulary: (shape, resource, Turtle).
SHARED_VALID = """@prefix pil: <https://w3id.org/pillars/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/pillars/id/actor/testland> a pil:State ; rdfs:label "Testland"@en .
<https://w3id.org/pillars/id/event/test-war> a pil:Event ; rdfs:label "Test war"@en ;
    pil:dateAsGiven "1804-13" ; pil:startYear "1804"^^xsd:gYear ; pil:endYear "1813"^^xsd:gYear ;
    pil:location <https://w3id.org/pillars/id/actor/testland> .
<https://w3id.org/pillars/id/place/test-city> a pil:Place ; rdfs:label "Test City"@en .
"""
SHARED_BREAKS: list[tuple[str, str, str, str]] = [
    ("pilsh:ActorShape", "actor:testland", 'pil:State ; rdfs:label "Testland"@en', "pil:State"),
    ("pilsh:ActorIriShape", "Test_Land", "actor/testland>", "actor/Test_Land>"),
    (
        "pilsh:EventShape",
        "event:test-war",
        'pil:startYear "1804"^^xsd:gYear',
        'pil:startYear "1804"',
    ),
    ("pilsh:EventYearsShape", "event:test-war", '"1813"^^xsd:gYear', '"1803"^^xsd:gYear'),
    ("pilsh:PlaceShape", "place:test-city", 'pil:Place ; rdfs:label "Test City"@en', "pil:Place"),
    (
        "pilsh:ConceptShape",
        "concept-x",
        "<https://w3id.org/pillars/id/place/test-city>",
        "<https://w3id.org/pillars/id/threat-type/concept-x> a <http://www.w3.org/2004/02/skos/core#Concept> .\n<https://w3id.org/pillars/id/place/test-city>",
    ),
]


def test_the_valid_article_passes_every_shape(tmp_path: Path) -> None:
    assert validate(tmp_path, VALID) == []


def test_the_valid_shared_snippet_passes_every_shape(tmp_path: Path) -> None:
    assert validate_shared(tmp_path, SHARED_VALID) == []


@pytest.mark.parametrize(
    "shape,resource,old,new", BREAKS, ids=[f"{b[0]}-{i}" for i, b in enumerate(BREAKS)]
)
def test_shape_catches_its_break(
    tmp_path: Path, shape: str, resource: str, old: str, new: str
) -> None:
    findings = validate(tmp_path, replace(VALID, old, new))
    hits = [f for f in findings if f.rule and f.rule.split(" ")[0] == shape]
    assert hits, f"{shape} did not fire; got {[(f.rule, f.message) for f in findings]}"
    assert any((f.resource or "").endswith(resource) for f in hits), hits
    # the message names the resource, as an editor writes it
    assert any(resource.split(":")[-1] in f.message for f in hits), hits


@pytest.mark.parametrize("shape,resource,old,new", SHARED_BREAKS, ids=[b[0] for b in SHARED_BREAKS])
def test_shared_shape_catches_its_break(
    tmp_path: Path, shape: str, resource: str, old: str, new: str
) -> None:
    findings = validate_shared(tmp_path, replace(SHARED_VALID, old, new))
    hits = [f for f in findings if f.rule and f.rule.split(" ")[0] == shape]
    assert hits, f"{shape} did not fire; got {[(f.rule, f.message) for f in findings]}"
    assert any(resource in (f.resource or "") or resource in f.message for f in hits), hits


def test_missing_text_is_reported_on_the_text_resource(tmp_path: Path) -> None:
    findings = validate(tmp_path, VALID, text=None)
    assert [f.rule for f in findings] == ["pilsh:ArticleTextShape property nif:isString"]
    assert "text.txt" in findings[0].message


def test_every_shape_has_a_break() -> None:
    shapes = rdflib.Graph()
    for path in sorted((default_root() / "shapes").glob("*.ttl")):
        shapes.parse(path)
    names = {
        str(s).replace("https://w3id.org/pillars/shapes#", "pilsh:")
        for s in shapes.subjects(RDF.type, SH.NodeShape)
    }
    tested = {b[0] for b in BREAKS} | {b[0] for b in SHARED_BREAKS} | {"pilsh:ArticleTextShape"}
    assert names == tested


def test_every_shape_has_a_message_naming_the_resource() -> None:
    shapes = rdflib.Graph()
    for path in sorted((default_root() / "shapes").glob("*.ttl")):
        shapes.parse(path)
    messages = list(shapes.objects(None, SH.message))
    constraints = set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    assert all(shapes.value(c, SH.message) is not None for c in constraints)
    assert all("{$this}" in str(m) for m in messages), [
        m for m in messages if "{$this}" not in str(m)
    ]


# ---------------------------------------------------------------- rules of the argument
# One break, one message: what each new rule leaves alone, and what it reports only once.

_SUB_THREAT = """
art:threat-sub a pil:RegionalThreat ; rdfs:label "sub" ; pil:threatType threat-type:sanctions ;
    pil:subThreatOf art:threat-lone ; pil:groupedUnder art:component-stability ;
    pil:presentedAsCommon false ; pil:hasEvidence art:ev-sanctions .
"""
_TEXT_LINE = "art:text a pil:ArticleText"


def _rules(findings: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return sorted((f.rule or "", (f.resource or "").rsplit("/", 1)[-1]) for f in findings)


def test_a_sub_threat_of_a_perceived_threat_counts_as_perceived(tmp_path: Path) -> None:
    perceived = _SUB_THREAT.replace("art:threat-lone", "art:threat-sanctions")
    assert validate(tmp_path, replace(VALID, _TEXT_LINE, perceived + _TEXT_LINE)) == []


def test_an_unperceived_chain_of_threats_is_reported_once_at_its_broadest(tmp_path: Path) -> None:
    turtle = replace(VALID, _TEXT_LINE, _LONE_THREAT + _SUB_THREAT + _TEXT_LINE)
    assert _rules(validate(tmp_path, turtle)) == [("pilsh:ThreatPerceivedShape", "threat-lone")]
    # a perception of the sub-threat alone leaves the broader threat unperceived
    seen = "art:perception-iran-sub a pil:ThreatPerception ; pil:perceiver actor:iran ;\n"
    seen += "    pil:perceivedThreat art:threat-sub ; pil:hasEvidence art:ev-fear .\n"
    turtle = replace(turtle, _TEXT_LINE, seen + _TEXT_LINE)
    assert _rules(validate(tmp_path, turtle)) == [("pilsh:ThreatPerceivedShape", "threat-lone")]


def test_a_common_threat_without_perceptions_is_one_message(tmp_path: Path) -> None:
    turtle = VALID
    for actor in ("iran", "russia"):
        turtle = replace(
            turtle,
            f"pil:perceiver actor:{actor} ; pil:perceivedThreat art:threat-sanctions",
            f"pil:perceiver actor:{actor}",
        )
    found = [
        f
        for f in validate(tmp_path, turtle)
        if f.resource and f.resource.endswith("threat-sanctions")
    ]
    assert _rules(found) == [("pilsh:SharedThreatShape", "threat-sanctions")]


def test_an_undefined_perceiver_is_one_message(tmp_path: Path) -> None:
    turtle = replace(VALID, "pil:perceiver actor:russia ;", "pil:perceiver actor:russsia ;")
    findings = validate(tmp_path, turtle)
    assert _rules(findings) == [("pilsh:DefinedReference", "russsia")]
    assert "art:perception-russia-sanctions (pil:perceiver)" in findings[0].message


def test_a_perceiver_of_a_subclass_of_actor_passes(tmp_path: Path) -> None:
    # actor:isis is asserted a pil:ArmedGroup only (ArmedGroup ⊑ Organisation ⊑ Actor)
    turtle = replace(VALID, "pil:perceiver actor:russia ;", "pil:perceiver actor:isis ;")
    assert [f for f in validate(tmp_path, turtle) if "Perceiver" in (f.rule or "")] == []


def test_a_link_into_another_article_is_one_message(tmp_path: Path) -> None:
    other = "<https://w3id.org/pillars/id/other-article/claim-x>"
    turtle = replace(VALID, 'rdfs:label "Iran and Russia converge" ;',
                     f'rdfs:label "Iran and Russia converge" ; pil:attacks {other} ;')  # fmt: skip
    findings = validate(tmp_path, turtle)
    assert _rules(findings) == [("pilsh:ClaimLinkInArticleShape", "thesis")]
    assert findings[0].message.startswith(
        "art:thesis attacks art:claim-x, a resource of another article (id/other-article/, "
        "where this one is id/test-article/)."
    )
    assert findings[0].severity == "Violation"


def test_links_to_the_own_article_and_to_shared_things_are_not_cross_article(
    tmp_path: Path,
) -> None:
    turtle = replace(VALID, 'rdfs:label "Iran and Russia converge" ;',
                     'rdfs:label "Iran and Russia converge" ; pil:supports art:limit-rivalry , actor:iran ;')  # fmt: skip
    # actor:iran is no statement (ClaimShape says so), but it is not another article's
    assert _rules(validate(tmp_path, turtle)) == [
        ("pilsh:ClaimShape property pil:supports", "thesis")
    ]


def test_a_used_mention_passes(tmp_path: Path) -> None:
    used = "actor:turkey pil:hasEvidence art:ev-fear .\nart:thesis pil:concerns actor:turkey .\n"
    assert validate(tmp_path, replace(VALID, _TEXT_LINE, used + _TEXT_LINE)) == []


def test_a_drafted_mention_waits_for_the_editor(tmp_path: Path) -> None:
    start = TEXT.index("Both fear sanctions")
    drafted = (
        "actor:turkey pil:hasEvidence art:ev-mention-turkey .\n"
        'art:ev-mention-turkey a pil:Evidence ; pil:draft true ; oa:exact "Both fear sanctions" ;\n'
        f"    oa:start {start} ; oa:end {start + 19} ; pil:inText art:text .\n"
    )
    assert validate(tmp_path, replace(VALID, _TEXT_LINE, drafted + _TEXT_LINE)) == []


def test_an_unused_mention_is_a_warning_naming_it_in_its_file(tmp_path: Path) -> None:
    # the event and the place it happened in are both mentioned; only the event is unused
    mentions = (
        "<https://w3id.org/pillars/id/event/tehran-terror-attack-2017> pil:hasEvidence art:ev-fear .\n"
        "<https://w3id.org/pillars/id/place/tehran> pil:hasEvidence art:ev-fear .\n"
    )
    turtle = replace(VALID, _TEXT_LINE, mentions + _TEXT_LINE)
    (finding,) = validate(tmp_path, turtle)
    assert (finding.rule, finding.severity) == ("pilsh:MentionUsedShape", "Warning")
    assert finding.resource == "https://w3id.org/pillars/id/event/tehran-terror-attack-2017"
    assert finding.message.startswith(
        "event:tehran-terror-attack-2017 (an event) is only evidenced:"
    )
    lines = turtle.splitlines()
    assert finding.file and finding.file.endswith("article.ttl")
    assert finding.line and lines[finding.line - 1].startswith(
        "<https://w3id.org/pillars/id/event/"
    )

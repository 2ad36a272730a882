"""Each hygiene query catches a small broken example, and the real corpus passes them all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from pillars.check import hygiene
from pillars.corpus import default_root, discover
from pillars.store import memory_store

PIL = "https://w3id.org/pillars/ontology#"
PREFIXES = """\
@prefix pil: <https://w3id.org/pillars/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix actor: <https://w3id.org/pillars/id/actor/> .
@prefix threat-type: <https://w3id.org/pillars/id/threat-type/> .
@prefix art: <https://w3id.org/pillars/id/demo/> .
"""
# A term that satisfies every ontology rule, for examples that break only one.
GOOD_TERM = """pil:Gadget a owl:Class ; rdfs:label "gadget"@en ;
    skos:definition "A thing used in tests."@en ;
    rdfs:isDefinedBy <https://w3id.org/pillars/ontology> .
"""

# rule, folder of the broken file (relative to the corpus root), its Turtle, the IRI at fault.
CASES = [
    ("missing-label", "ontology",
     "pil:Gadget a owl:Class ; skos:definition \"x\"@en ; "
     "rdfs:isDefinedBy <https://w3id.org/pillars/ontology> .", PIL + "Gadget"),
    ("missing-label", "instances/shared",
     "threat-type:piracy a skos:Concept ; skos:inScheme <https://w3id.org/pillars/id/threat-type> ;"
     " skos:definition \"Robbery at sea.\"@en .",
     "https://w3id.org/pillars/id/threat-type/piracy"),
    ("duplicate-label", "ontology",
     GOOD_TERM + 'pil:Gizmo a owl:Class ; rdfs:label "Gadget"@en ; skos:definition "y"@en ; '
     "rdfs:isDefinedBy <https://w3id.org/pillars/ontology> .", PIL + "Gizmo"),
    ("duplicate-label", "instances/shared",
     "threat-type:sanctions-again a skos:Concept ; skos:prefLabel \"Sanctions\"@en ; "
     "skos:definition \"x\"@en ; skos:inScheme <https://w3id.org/pillars/id/threat-type> .",
     "https://w3id.org/pillars/id/threat-type/sanctions-again"),
    ("missing-definition", "ontology",
     'pil:Gadget a owl:Class ; rdfs:label "gadget"@en ; '
     "rdfs:isDefinedBy <https://w3id.org/pillars/ontology> .", PIL + "Gadget"),
    ("missing-defined-by", "ontology",
     'pil:Gadget a owl:Class ; rdfs:label "gadget"@en ; skos:definition "x"@en .',
     PIL + "Gadget"),
    ("label-whitespace", "instances/demo",
     'actor:iran rdfs:label "Iran "@en .', "https://w3id.org/pillars/id/actor/iran"),
    ("undeclared-pil-term", "instances/demo",
     "art:threat-x a pil:Thret .", PIL + "Thret"),
    ("undeclared-class", "instances/demo",
     "actor:someone a foaf:person .", "http://xmlns.com/foaf/0.1/person"),
    ("undeclared-class", "shapes",
     "art:shape a sh:NodeShape ; sh:targetClass pil:hasEvidence .", PIL + "hasEvidence"),
    ("undeclared-property", "instances/demo",
     'art:ev-x oa:exacts "quote" .', "http://www.w3.org/ns/oa#exacts"),
    ("undeclared-property", "shapes",
     "art:shape a sh:NodeShape ; sh:property [ sh:path pil:Threat ] .", PIL + "Threat"),
    ("missing-domain-range", "ontology",
     'pil:gadgetOf a owl:ObjectProperty ; rdfs:domain pil:Actor ; rdfs:label "gadget of"@en ; '
     'skos:definition "x"@en ; rdfs:isDefinedBy <https://w3id.org/pillars/ontology> .',
     PIL + "gadgetOf"),
    ("hierarchy-cycle", "ontology",
     GOOD_TERM + "pil:Gadget rdfs:subClassOf pil:Actor . pil:Actor rdfs:subClassOf pil:Gadget .",
     PIL + "Gadget"),
    ("hierarchy-cycle", "instances/shared",
     "threat-type:sanctions skos:broader threat-type:regime-change . "
     "threat-type:regime-change skos:broader threat-type:sanctions .",
     "https://w3id.org/pillars/id/threat-type/sanctions"),
    ("untyped-reference", "instances/demo",
     "art:perception-x a pil:ThreatPerception ; pil:perceiver actor:irna .",
     "https://w3id.org/pillars/id/actor/irna"),
    ("concept-not-in-scheme", "instances/demo",
     "art:threat-x a pil:Threat ; pil:threatType threat-type:sanctoins .",
     "https://w3id.org/pillars/id/threat-type/sanctoins"),
]  # fmt: skip


def _corpus_with(tmp_path: Path, folder: str, turtle: str) -> ox.Store:
    """The real ontology and shared vocabulary plus one broken file."""
    root = default_root()
    shutil.copytree(root / "ontology", tmp_path / "ontology")
    shutil.copytree(root / "instances" / "shared", tmp_path / "instances" / "shared")
    (tmp_path / "shapes").mkdir()
    target = tmp_path / folder
    target.mkdir(parents=True, exist_ok=True)
    (target / "zz-broken.ttl").write_text(PREFIXES + turtle + "\n", encoding="utf-8")
    return memory_store(discover(tmp_path))


@pytest.mark.parametrize(("rule", "folder", "turtle", "culprit"), CASES)
def test_rule_catches_broken_example(
    tmp_path: Path, rule: str, folder: str, turtle: str, culprit: str
) -> None:
    store = _corpus_with(tmp_path, folder, turtle)
    query = hygiene.qc_folder() / f"{rule}.rq"
    found = hygiene.run_rule(store, query)
    assert culprit in {f.resource for f in found}, found
    assert all(f.check == "hygiene" and f.rule == rule and f.message for f in found)


def test_ontology_metadata_rule_catches_a_bare_header(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "o.ttl").write_text(
        PREFIXES + '<https://w3id.org/pillars/ontology> a owl:Ontology ; rdfs:label "x" .\n'
    )
    found = hygiene.run_rule(
        memory_store(discover(tmp_path)), hygiene.qc_folder() / "ontology-metadata.rq"
    )
    missing = {f.message.rsplit(" has no ", 1)[1] for f in found}
    assert missing == {
        "http://purl.org/dc/terms/title.",
        "http://purl.org/dc/terms/description.",
        "http://purl.org/dc/terms/creator.",
        "http://purl.org/dc/terms/license.",
        "http://www.w3.org/2002/07/owl#versionIRI.",
        "http://purl.org/vocab/vann/preferredNamespacePrefix.",
        "http://purl.org/vocab/vann/preferredNamespaceUri.",
    }


def test_ontology_metadata_rule_catches_a_missing_header(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "o.ttl").write_text(PREFIXES + GOOD_TERM)
    found = hygiene.run_rule(
        memory_store(discover(tmp_path)), hygiene.qc_folder() / "ontology-metadata.rq"
    )
    assert [f.resource for f in found] == ["https://w3id.org/pillars/graph/ontology"]


def test_every_rule_has_a_broken_example_and_a_leading_comment() -> None:
    tested = {case[0] for case in CASES} | {"ontology-metadata"}
    names = {path.stem for path in hygiene.rules()}
    assert names == tested
    for path in hygiene.rules():
        assert path.read_text().startswith("# Catches: "), path
        assert hygiene.description(path)


def test_a_broken_query_is_reported_not_raised(tmp_path: Path) -> None:
    (tmp_path / "bad.rq").write_text("# Catches: nothing\nSELECT ?resource WHERE {\n")
    (tmp_path / "ask.rq").write_text("# Catches: nothing\nASK { ?s ?p ?o }\n")
    found = hygiene.run(ox.Store(), tmp_path)
    assert [f.rule for f in found] == ["ask", "bad"]
    assert all(f.file and f.file.endswith(".rq") for f in found)


def test_real_corpus_passes_every_rule() -> None:
    found = hygiene.run(memory_store())
    assert found == [], "\n".join(f"{f.rule}: {f.message}" for f in found)


def test_typo_findings_suggest_the_nearest_declared_term(tmp_path: Path) -> None:
    store = _corpus_with(tmp_path, "instances/demo", "art:threat-x a pil:Thret .")
    found = [f for f in hygiene.run(store) if f.rule == "undeclared-pil-term"]
    assert [f.resource for f in found] == [PIL + "Thret"]
    assert found[0].message.endswith(f"Did you mean {PIL}Threat?")

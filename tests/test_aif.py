"""AIF export: supports -> RA node, attacks -> CA node, edges premise -> S-node -> conclusion."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from pillars.aif import export
from pillars.cli import main
from pillars.corpus import discover
from pillars.store import memory_store

ART = "https://w3id.org/pillars/id/demo/"
DEMO = """\
@prefix pil: <https://w3id.org/pillars/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix art: <https://w3id.org/pillars/id/demo/> .
art:thesis a pil:Thesis ; rdfs:label "T" .
art:claim-a a pil:Claim ; rdfs:label "A" ; pil:supports art:thesis ;
    pil:hasEvidence art:ev-a .
art:ev-a a pil:Evidence ; oa:exact "words of A" .
art:claim-b a pil:RejectedExplanation ; rdfs:label "B" .
art:claim-c a pil:Claim ; rdfs:label "C" ; pil:attacks art:claim-b .
"""


def _store(tmp_path: Path) -> ox.Store:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "instances" / "demo").mkdir(parents=True)
    (tmp_path / "instances" / "demo" / "a.ttl").write_text(DEMO, encoding="utf-8")
    return memory_store(discover(tmp_path))


def test_supports_and_attacks_become_ra_and_ca_nodes(tmp_path: Path) -> None:
    doc = export(_store(tmp_path), "demo")
    by_uri = {n["uri"]: n for n in doc["nodes"] if n["type"] == "I"}
    assert {u.removeprefix(ART) for u in by_uri} == {"thesis", "claim-a", "claim-b", "claim-c"}
    assert by_uri[ART + "claim-a"]["text"] == "A"
    assert by_uri[ART + "claim-a"]["quote"] == "words of A"
    kinds = sorted(n["type"] for n in doc["nodes"] if n["type"] != "I")
    assert kinds == ["CA", "RA"]
    links = {(e["fromID"], e["toID"]) for e in doc["edges"]}
    ids = {n["nodeID"]: n for n in doc["nodes"]}
    paths = {
        (ids[a].get("uri"), ids[b]["type"], ids[c].get("uri"))
        for a, b in links
        for b2, c in links
        if b == b2
    }
    assert (ART + "claim-a", "RA", ART + "thesis") in paths
    assert (ART + "claim-c", "CA", ART + "claim-b") in paths
    assert len(doc["edges"]) == 4


def test_cli_prints_json_for_the_real_article() -> None:
    result = CliRunner().invoke(main, ["aif", "--article", "iranian-russian-security-convergence"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert any(n["type"] == "RA" for n in doc["nodes"])
    # Every S-node has exactly one edge in and one edge out.
    for node in doc["nodes"]:
        if node["type"] in ("RA", "CA"):
            assert sum(e["toID"] == node["nodeID"] for e in doc["edges"]) == 1
            assert sum(e["fromID"] == node["nodeID"] for e in doc["edges"]) == 1


@pytest.mark.parametrize("slug", ["x> } {", "Upper", ""])
def test_cli_rejects_a_bad_slug(slug: str) -> None:
    result = CliRunner().invoke(main, ["aif", "--article", slug])
    assert result.exit_code == 2
    assert "not an article slug" in result.output


def test_cli_says_when_an_article_has_no_argument() -> None:
    result = CliRunner().invoke(main, ["aif", "--article", "no-such-article"])
    assert result.exit_code == 1
    assert "no pil:supports or pil:attacks" in result.output

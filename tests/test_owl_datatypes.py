"""OWL 2 DL honesty (issue 16, item 4): a datatype outside the OWL 2 datatype map (xsd:gYear)
is reported by name, once per property, as a Warning (rule owl2-dl-datatype), never passed
silently: the OWL API's profile checker accepts it, and HermiT is told to ignore it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from test_ontology import need_java

from bench.synth import generate
from pillars.check import owl
from pillars.cli.check import check

EX = "http://example.org/ex#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RULE = "owl2-dl-datatype"

# A toy ontology: a range in the OWL 2 datatype map (xsd:integer), one outside it (xsd:date),
# a property whose range is fine but whose values are gYear, and one nothing is wrong with.
TOY = f"""@prefix ex: <{EX}> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <{XSD}> .
<http://example.org/ex> a owl:Ontology .
ex:born a owl:DatatypeProperty ; rdfs:range xsd:date .
ex:count a owl:DatatypeProperty ; rdfs:range xsd:integer .
ex:label a owl:DatatypeProperty .
ex:x ex:born "2000-01-01"^^xsd:date ; ex:count 3 ; ex:label "1999"^^xsd:gYear .
ex:y ex:label "plain" .
"""


def need_jdk() -> None:
    need_java()
    if shutil.which("javac") is None:  # OwlProfile.java runs in source mode: javac's module
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have a JDK for the OWL 2 DL profile check (make deps)")
        pytest.skip("no JDK: the OWL 2 DL profile check cannot run")


def profile_of(tmp_path: Path, turtle: str, checks: dict[tuple[str, str], str]) -> list:  # type: ignore[type-arg]
    java = owl.java_executable()
    assert java is not None
    nt = tmp_path / "toy.nt"
    ox.serialize(
        ox.parse(turtle, format=ox.RdfFormat.TURTLE), str(nt), format=ox.RdfFormat.N_TRIPLES
    )
    return owl.dl_profile(java, nt, 256, checks)


def test_each_property_with_a_datatype_outside_the_map_is_one_warning(tmp_path: Path) -> None:
    need_jdk()
    checks = {(EX + "born", XSD + "date"): "pilsh:PersonShape"}
    found = profile_of(tmp_path, TOY, checks)
    assert sorted((f.rule, f.severity, f.resource) for f in found) == [
        (RULE, "Warning", EX + "born"),
        (RULE, "Warning", EX + "label"),
    ]
    born, label = sorted(found, key=lambda f: f.resource or "")
    assert born.message == (
        f"{EX}born uses xsd:date (its rdfs:range and its values), which is outside the OWL 2 "
        "datatype map: the ontology is not OWL 2 DL there, and HermiT ignores the axioms that "
        f"use xsd:date (a range of {EX}born, every value given to it), so OWL reasoning checks "
        "none of them. SHACL checks the values instead (pilsh:PersonShape, sh:datatype xsd:date)."
    )
    assert label.message.startswith(f"{EX}label uses xsd:gYear (its values), which is outside")
    assert label.message.endswith(
        f"No shape checks them either: give {EX}label a property shape with sh:datatype xsd:gYear."
    )


def test_datatypes_in_the_map_give_no_warning(tmp_path: Path) -> None:
    need_jdk()
    fine = TOY.replace("xsd:date", "xsd:dateTime").replace('"1999"^^xsd:gYear', "1999")
    fine = fine.replace('"2000-01-01"', '"2000-01-01T00:00:00Z"')
    assert profile_of(tmp_path, fine, {}) == []


def test_the_shapes_that_check_the_years_are_found() -> None:
    from pillars.check.units import shapes_files
    from pillars.corpus import discover

    checks = owl.datatype_checks(shapes_files(discover()))
    pil = "https://w3id.org/pillars/ontology#"
    assert {
        p: checks.get((pil + p, XSD + "gYear"))
        for p in ("publicationYear", "year", "startYear", "endYear")
    } == {
        "publicationYear": "pilsh:ArticleShape",
        "year": "pilsh:SourceShape",
        "startYear": "pilsh:EventShape",
        "endYear": "pilsh:EventShape",
    }


def test_pillars_check_names_the_year_properties_at_their_definition(tmp_path: Path) -> None:
    """Through the command line: four Warnings at the lines of ontology/pillars.ttl that
    define the four year properties, the check still conforms (exit 0)."""
    need_jdk()
    generate(tmp_path, 1, seed=5)
    args = [str(tmp_path / "instances"), "--no-cache", "--format", "json",
            "--skip", "shacl", "--skip", "quotes", "--skip", "hygiene"]  # fmt: skip
    result = CliRunner().invoke(check, args)
    assert result.exit_code == 0, result.output
    found = [f for f in json.loads(result.output)["findings"] if f["rule"] == RULE]
    pil = "https://w3id.org/pillars/ontology#"
    assert sorted(f["resource"] for f in found) == sorted(
        pil + p for p in ("endYear", "publicationYear", "startYear", "year")
    )
    ontology = (Path(owl.__file__).parents[2] / "ontology" / "pillars.ttl").read_text(
        encoding="utf-8"
    )
    lines = ontology.splitlines()
    for f in found:
        assert f["severity"] == "Warning" and f["file"].endswith("ontology/pillars.ttl")
        name = "pil:" + f["resource"].rsplit("#", 1)[1]
        assert lines[f["line"] - 1].startswith(name + " a owl:DatatypeProperty"), f
        assert f["message"].startswith(f"{name} uses xsd:gYear (")
        assert "HermiT ignores the axioms that use xsd:gYear" in f["message"]


def test_an_article_of_its_own_gyear_use_is_named_once(tmp_path: Path) -> None:
    """An article giving a gYear value to a property whose range is not gYear: reported for
    that article (the base does not use it so); the year properties are not repeated."""
    need_jdk()
    generate(tmp_path, 1, seed=5)
    article = tmp_path / "instances" / "art-0001" / "article.ttl"
    with article.open("a", encoding="utf-8") as out:
        out.write(
            '\nart:quantity-1 <https://w3id.org/pillars/ontology#measures> "2001"^^xsd:gYear .\n'
        )
    args = [str(tmp_path / "instances"), "--no-cache", "--format", "json",
            "--skip", "shacl", "--skip", "quotes", "--skip", "hygiene"]  # fmt: skip
    result = CliRunner().invoke(check, args)
    found = [f for f in json.loads(result.output)["findings"] if f["rule"] == RULE]
    mine = [f for f in found if f["resource"].endswith("#measures")]
    assert len(found) == 5 and len(mine) == 1, found
    assert mine[0]["message"].startswith("pil:measures uses xsd:gYear (its values)")
    assert mine[0]["file"] == str(article)

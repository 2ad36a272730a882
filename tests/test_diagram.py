"""The committed ontology diagram is what the generator produces from the ontology now."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pillars.cli import main
from pillars.corpus import default_root
from pillars.diagram import dot_source, load

ROOT = default_root()


def test_committed_dot_is_current() -> None:
    committed = (ROOT / "docs" / "ontology.dot").read_text(encoding="utf-8")
    assert committed == dot_source(load(ROOT / "ontology")), (
        "docs/ontology.dot is out of date: run `python -m pillars.diagram` and commit"
    )


def test_dot_shows_classes_and_relations() -> None:
    dot = (ROOT / "docs" / "ontology.dot").read_text(encoding="utf-8")
    assert '"ThreatPerception" -> "Threat" [label="perceivedThreat"];' in dot
    assert '"ThreatPerception" -> "Actor" [label="perceiver"];' in dot
    assert '"IdentityThreat" -> "Threat" [arrowhead=onormal' in dot
    assert '"Evidence" -> "oa:TextQuoteSelector" [arrowhead=onormal' in dot
    # A union range draws one edge per member.
    assert '"Event" -> "Place" [label="location"];' in dot
    assert '"Event" -> "State" [label="location"];' in dot


def test_cli_renders_svg(tmp_path: Path) -> None:
    if shutil.which("dot") is None:
        reason = "Graphviz `dot` is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; .ci/run installs it")
        print(f"SKIP: {reason}")
        pytest.skip(reason)
    result = CliRunner().invoke(main, ["diagram", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    svg = (tmp_path / "ontology.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert ">ThreatPerception<" in svg
    assert (tmp_path / "ontology.dot").read_text() == dot_source(load(ROOT / "ontology"))


def test_cli_names_a_broken_ontology_file(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "broken.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b .\n")
    result = CliRunner().invoke(main, ["diagram", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert "broken.ttl: not valid Turtle" in result.output
    assert "Traceback" not in result.output

"""`pillars anchor` that helps: the nearest passages for a quote not found exactly, and
pil:inSection from the article's sections."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pillars.anchor import AnchorError, locate, nearest
from pillars.cli import main
from pillars.corpus import default_root

TEXT = (
    "Iran’s longerterm “new Islamic civilization” goes on.\nSecond part\nThe West and Russia agree."
)


@pytest.mark.parametrize(
    ("quote", "start", "end", "differences"),
    [
        ("IRAN’S LONGERTERM", 0, 17, ("case",)),
        ("Iran's longerterm", 0, 17, ("quotation marks",)),
        ('"new Islamic civilization"', 18, 44, ("quotation marks",)),
        ("longer-term", 7, 17, ("hyphens",)),
        ("longer term", 7, 17, ("glued words",)),
        ("civilization”  goes\non", 31, 52, ("spaces",)),
        ("the west and russia", 66, 85, ("case",)),
    ],
)
def test_nearest_passage_and_what_differs(
    quote: str, start: int, end: int, differences: tuple[str, ...]
) -> None:
    with pytest.raises(AnchorError) as raised:
        locate(TEXT, quote)
    [suggestion] = raised.value.suggestions
    assert (suggestion.anchor.start, suggestion.anchor.end) == (start, end)
    assert suggestion.anchor.exact == TEXT[start:end]
    assert suggestion.differences == differences


def test_similar_words_when_nothing_matches_loosely() -> None:
    [suggestion] = nearest(TEXT, "The West and Rusia agree")
    assert (suggestion.anchor.start, suggestion.differences) == (66, ("similar words",))
    assert nearest(TEXT, "nothing of the kind here") == []


def _article(tmp_path: Path) -> Path:
    root = tmp_path / "corpus"
    for name in ("ontology", "shapes"):
        shutil.copytree(default_root() / name, root / name)
    source = tmp_path / "t.txt"
    source.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["new-article", "tiny", "--root", str(root), "--text", str(source), "--title", "T",
         "--journal", "J", "--year", "2019", "--author", "A B", "--heading", "Second part"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return root


def test_cli_fills_in_section(tmp_path: Path) -> None:
    root = _article(tmp_path)
    runner = CliRunner()
    inside = runner.invoke(main, ["anchor", "--root", str(root), "--article", "tiny", "Russia"])
    assert inside.exit_code == 0, inside.output
    assert inside.output.endswith(
        "    pil:inText art:text ;\n    pil:inSection art:section-1 .\n\n"
    )
    before = runner.invoke(main, ["anchor", "--root", str(root), "--article", "tiny", "goes on"])
    assert before.exit_code == 0
    assert "pil:inSection" not in before.output  # the text before the first heading
    assert before.output.endswith("    pil:inText art:text .\n\n")


def test_cli_shows_the_nearest_passage(tmp_path: Path) -> None:
    root = _article(tmp_path)
    result = CliRunner().invoke(
        main, ["anchor", "--root", str(root), "--article", "tiny", "longer-term"]
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "error: the quote is not in the text: 'longer-term'; nearest passages below",
        "  nearest, characters 7-17 (hyphens): 'longerterm'",
    ]

"""`pillars draft` as a command: what it writes, its report, and its refusals (one line each,
nothing written)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pillars.cli import main
from pillars.corpus import default_root
from pillars.draft.seal import is_untouched

TEXT = (
    "Opening claim of the piece (Mosavian 2017). Iran paid USD 705 million in 1967.\n"
    "Main part\n"
    "As Trenin (2018) argues, Russia balances. The Russian 2008 concept lists Articles 72 and 73.\n"
)


def _corpus(tmp_path: Path) -> Path:
    """A corpus of its own: the ontology, the shapes and the shared things, no article."""
    root = tmp_path / "corpus"
    for name in ("ontology", "shapes"):
        shutil.copytree(default_root() / name, root / name)
    shutil.copytree(default_root() / "instances" / "shared", root / "instances" / "shared")
    return root


def _new_article(root: Path, text: str, slug: str = "small", heading: str = "Main part") -> Path:
    source = root.parent / f"{slug}.txt"
    source.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["new-article", slug, "--root", str(root), "--text", str(source), "--title", "T",
         "--journal", "J", "--year", "2019", "--author", "A Person", "--heading", heading],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return root / "instances" / slug


def _draft(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["draft", "--root", str(root), *args])


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return _corpus(tmp_path)


def test_writes_a_sealed_draft_and_reports(corpus: Path) -> None:
    folder = _new_article(corpus, TEXT)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    result = _draft(corpus, "small")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"wrote {folder / 'draft.ttl'} in ")
    assert lines[1:6] == [
        "sentences:  4 candidate claims (pil:Claim)",
        "citations:  2 in-text citations of 2 new works",
        "figures:    1 quantities (pil:Quantity)",
        "dates:      2 candidate events (pil:Event)",
        "mentions:   2 mentions of 2 known things",
    ]
    assert lines[6] == "unsure:     3 passages to look at"
    assert "'Russian 2008'" in lines[7]
    assert "a figure without a unit: '72'" in lines[8]
    assert "a figure without a unit: '73'" in lines[9]
    text = (folder / "draft.ttl").read_text(encoding="utf-8")
    assert is_untouched(text)
    # nothing else changed
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.name != "draft.ttl"} == before


def test_same_text_same_bytes(corpus: Path) -> None:
    folder = _new_article(corpus, TEXT)
    assert _draft(corpus, "small").exit_code == 0
    first = (folder / "draft.ttl").read_bytes()
    result = _draft(corpus, "small")
    assert result.exit_code == 0
    assert result.output.startswith("replaced ")
    assert (folder / "draft.ttl").read_bytes() == first


def test_json_report(corpus: Path) -> None:
    _new_article(corpus, TEXT)
    result = _draft(corpus, "small", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"] == {
        "claims": 4,
        "citations": 2,
        "sources": 2,
        "quantities": 1,
        "events": 2,
        "mentions": 2,
        "known_things": 2,
    }
    assert [(u["kind"], u["text"]) for u in data["unsure"]] == [
        ("citations", "Russian 2008"),
        ("figures", "72"),
        ("figures", "73"),
    ]


def test_only_some_kinds(corpus: Path) -> None:
    folder = _new_article(corpus, TEXT)
    result = _draft(corpus, "small", "--only", "figures", "--only", "dates")
    assert result.exit_code == 0, result.output
    assert "citations:" not in result.output
    text = (folder / "draft.ttl").read_text(encoding="utf-8")
    assert "a pil:Quantity" in text and "a pil:Event" in text
    assert "a pil:Citation" not in text and "a pil:Claim" not in text


def _refused(result: Result, message: str) -> None:
    assert result.exit_code == 1
    assert result.output.count("\n") == 1, result.output  # one line
    assert result.output.startswith("Error: ")
    assert message in result.output


def test_unknown_slug(corpus: Path) -> None:
    _new_article(corpus, TEXT)
    _refused(_draft(corpus, "no-such-article"), "no article folder 'no-such-article'")
    _refused(_draft(corpus, "shared"), "no article folder 'shared'")
    _refused(_draft(corpus, "../ontology"), "'../ontology' is not an article slug")


def test_folder_without_text(corpus: Path) -> None:
    folder = _new_article(corpus, TEXT)
    (folder / "text.txt").unlink()
    _refused(_draft(corpus, "small"), "has no text.txt")
    assert not (folder / "draft.ttl").exists()


def test_text_not_utf8(corpus: Path) -> None:
    folder = _new_article(corpus, TEXT)
    (folder / "text.txt").write_bytes("Caf\xe9 (Mosavian 2017).\n".encode("latin-1"))
    _refused(_draft(corpus, "small"), "text.txt is not UTF-8 text (byte 3 cannot be decoded)")
    assert not (folder / "draft.ttl").exists()


def test_edited_draft_is_kept_unless_forced(corpus: Path) -> None:
    folder = _new_article(corpus, TEXT)
    assert _draft(corpus, "small").exit_code == 0
    path = folder / "draft.ttl"
    edited = path.read_text(encoding="utf-8").replace("Opening claim", "My own words")
    path.write_text(edited, encoding="utf-8")
    _refused(_draft(corpus, "small"), "was edited since it was drafted")
    assert path.read_text(encoding="utf-8") == edited
    path.write_text("# a draft someone wrote by hand\n", encoding="utf-8")
    _refused(_draft(corpus, "small"), "use --force to replace it")
    result = _draft(corpus, "small", "--force")
    assert result.exit_code == 0, result.output
    assert is_untouched(path.read_text(encoding="utf-8"))


def test_broken_article_file_is_named(corpus: Path) -> None:
    folder = _new_article(corpus, TEXT)
    (folder / "mine.ttl").write_text("@prefix x: <http://x/> .\nx:a x:b .\nx:c x:d\n")
    result = _draft(corpus, "small")
    _refused(result, "mine.ttl:")
    assert not (folder / "draft.ttl").exists()

"""Drafts are counted apart by `pillars stats`, never as curated coverage, and `pillars check`
checks drafted anchors like any others."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from click.testing import CliRunner
from conftest import pillars_command
from test_draft_cli import TEXT, _corpus, _new_article

from pillars.cli import main


def test_stats_counts_drafts_apart(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    _new_article(root, TEXT)
    assert CliRunner().invoke(main, ["draft", "small", "--root", str(root)]).exit_code == 0
    result = CliRunner().invoke(
        main, ["stats", "--root", str(root), "--article", "small", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (small,) = json.loads(result.output)["articles"]
    # curated: what new-article wrote (one section, its heading's evidence), nothing drafted
    assert small["classes"] == {
        "nif:Context": 1,
        "pil:Article": 1,
        "pil:ArticleText": 1,
        "pil:Evidence": 1,
        "pil:Journal": 1,
        "pil:Person": 1,
        "pil:Section": 1,
    }
    assert small["covered"] == 0
    assert small["sentence_percent"] == 0.0
    # drafted, apart: 4 claims, 2 citations of 2 works, 1 quantity, 2 events, and 4 + 2 + 1
    # + 2 + 2 (mentions of Iran and Russia) evidence blocks
    assert small["drafts"] == {
        "pil:Citation": 2,
        "pil:Claim": 4,
        "pil:Event": 2,
        "pil:Evidence": 11,
        "pil:Quantity": 1,
        "pil:Source": 2,
    }
    assert (small["sentences"], small["draft_covered"], small["draft_percent"]) == (4, 4, 100.0)
    text = CliRunner().invoke(main, ["stats", "--root", str(root), "--article", "small"])
    assert "  drafted by `pillars draft` (pil:draft true), not counted above:" in text.output
    assert "  sentences covered by drafted evidence: 4 (100.0%)" in text.output


def test_check_reports_a_wrong_drafted_anchor(tmp_path: Path) -> None:
    root = _corpus(tmp_path)
    folder = _new_article(root, TEXT)
    assert CliRunner().invoke(main, ["draft", "small", "--root", str(root)]).exit_code == 0
    path = folder / "draft.ttl"
    good = path.read_text(encoding="utf-8")
    # "(Mosavian 2017)" is at 27-42; move its end one character on
    assert "    oa:start 27 ;\n    oa:end 42 ;" in good
    path.write_text(
        good.replace("    oa:start 27 ;\n    oa:end 42 ;", "    oa:start 27 ;\n    oa:end 43 ;")
    )
    done = subprocess.run(
        [*pillars_command(), "check", "--no-cache", "--skip", "owl", str(folder)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ev-cite-mosavian-2017" in done.stdout

"""`make test` ends with one line naming every check it skipped and why (issue 15, item 9)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def run_pytest(tmp_path: Path, body: str) -> list[str]:
    test = tmp_path / "test_demo.py"
    test.write_text(body, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", str(test)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PYTHONPATH": str(TESTS), "PATH": "/usr/bin:/bin"},
    )
    return done.stdout.strip().splitlines()


def test_the_last_line_counts_the_skips_by_reason(tmp_path: Path) -> None:
    lines = run_pytest(
        tmp_path,
        "import pytest\n"
        "def test_a(): pytest.skip('no Chromium')\n"
        "def test_b(): pytest.skip('no Chromium')\n"
        "def test_c(): pytest.skip('no JDK')\n"
        "def test_d(): pass\n",
    )
    assert lines[-1] == "skipped 3 test(s): 2 x no Chromium; 1 x no JDK", lines[-5:]


def test_a_run_without_skips_says_so(tmp_path: Path) -> None:
    assert run_pytest(tmp_path, "def test_d(): pass\n")[-1] == "skipped: nothing"

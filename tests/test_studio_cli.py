"""`pillars studio` as an editor starts it: a process on 127.0.0.1 that prints its address
and token, and a package the public server never imports (nor the other way round)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import requests
from studio_fixture import REPO, copy_corpus


def test_studio_starts_on_loopback_and_prints_address_and_token(tmp_path: Path) -> None:
    root = copy_corpus(tmp_path / "corpus")
    process = subprocess.Popen(
        [sys.executable, "-m", "pillars.cli", "studio", "--root", str(root), "--port", "0"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        address = process.stdout.readline()
        token_line = process.stdout.readline()
        match = re.match(
            r"Pillars studio at (http://127\.0\.0\.1:(\d+)/) \(corpus (.+)\)$", address
        )
        assert match, address
        token = re.match(r"token for this run: (\S{43})$", token_line)
        assert token, token_line
        base = match.group(1)
        r = requests.get(base + "api/session", timeout=30)
        assert r.json() == {"token": token.group(1)}
        r = requests.get(
            base + "api/session", headers={"Origin": "http://evil.example"}, timeout=30
        )
        assert r.status_code == 403
    finally:
        os.kill(process.pid, signal.SIGINT)
        process.wait(timeout=30)


def test_studio_refuses_a_folder_that_is_not_a_corpus(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pillars.cli", "studio", "--root", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert run.returncode == 2
    assert "has no ontology/ folder" in run.stderr


def test_the_public_server_and_the_studio_never_import_each_other() -> None:
    code = (
        "import sys, pillars.studio.app; "
        "assert not [m for m in sys.modules if m.startswith('pillars.server')], 'studio->server'; "
        "import pillars.server.app; "
        "assert 'pillars.studio.app' in sys.modules; "
    )
    subprocess.run([sys.executable, "-c", code], cwd=REPO, check=True, timeout=120)
    server_only = (
        "import sys, pillars.server.app; "
        "assert not [m for m in sys.modules if m.startswith('pillars.studio')], 'server->studio'"
    )
    subprocess.run([sys.executable, "-c", server_only], cwd=REPO, check=True, timeout=120)

"""`pillars serve` imports only what serving needs: the other commands load on use."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from pillars.cli import main

PROBE = (
    "import sys\n"
    "from pillars.cli import main\n"
    "main.main(['serve', '--help'], standalone_mode=False)\n"
    "heavy = ('rdflib', 'pyshacl', 'owlready2')\n"
    "print('imported:' + ','.join(m for m in heavy if m in sys.modules))\n"
)


def test_serve_does_not_import_rdflib_or_pyshacl() -> None:
    out = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.splitlines()[-1] == "imported:"


def test_every_command_is_listed_and_loads() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    names = ["anchor", "check", "diagram", "export", "load", "new-article", "push", "query"]
    for name in [*names, "serve", "stats"]:
        assert f"  {name} " in result.output
        sub = CliRunner().invoke(main, [name, "--help"])
        assert sub.exit_code == 0, (name, sub.output)
        assert "Usage: " in sub.output


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["nosuch"])
    assert result.exit_code == 2
    assert "No such command 'nosuch'" in result.output

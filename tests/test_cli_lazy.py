"""The command table: every command module is registered and loads; `pillars serve` imports
only what serving needs, since the other commands load on use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
from click.testing import CliRunner

import pillars.cli
from pillars.cli import LAZY_COMMANDS, main

# Modules of pillars/cli/ that hold no command.
NOT_COMMANDS = {"__init__", "__main__", "options"}

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
    names = ["aif", "anchor", "check", "diagram", "export", "load", "new-article", "push", "query"]
    for name in [*names, "serve", "stats"]:
        assert f"  {name} " in result.output
        sub = CliRunner().invoke(main, [name, "--help"])
        assert sub.exit_code == 0, (name, sub.output)
        assert "Usage: " in sub.output


def test_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["nosuch"])
    assert result.exit_code == 2
    assert "No such command 'nosuch'" in result.output


def test_every_command_module_is_registered() -> None:
    folder = Path(pillars.cli.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} - NOT_COMMANDS
    registered = {target.partition(":")[0].rpartition(".")[2] for target in LAZY_COMMANDS.values()}
    assert modules - registered == set(), "command modules missing from LAZY_COMMANDS"


def test_every_registered_name_loads_a_command_of_that_name() -> None:
    group = main
    assert isinstance(group, click.Group)
    for name in LAZY_COMMANDS:
        command = group.get_command(click.Context(group), name)
        assert isinstance(command, click.Command), name
        assert command.name == name

"""The `pillars` command line: one module per command in this package, each a thin Click
wrapper over a library function; `LAZY_COMMANDS` is the one list of them."""

from __future__ import annotations

import importlib

import click

from pillars import __version__

# Each command's module is imported only when that command runs: `pillars serve` would
# otherwise import rdflib and pyshacl (for `check`), ~0.6 s of its cold start.
LAZY_COMMANDS = {
    "aif": "pillars.cli.aif",
    "anchor": "pillars.cli.anchor",
    "draft": "pillars.cli.draft",
    "check": "pillars.cli.check",
    "diagram": "pillars.cli.diagram",
    "export": "pillars.cli.export",
    "load": "pillars.cli.load",
    "new-article": "pillars.cli.new_article:new_article",
    "push": "pillars.cli.push",
    "query": "pillars.cli.query",
    "serve": "pillars.cli.serve",
    "stats": "pillars.cli.stats",
    "studio": "pillars.cli.studio",
}


class LazyGroup(click.Group):
    """A group whose commands in LAZY_COMMANDS ("module" or "module:attribute") load on use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = LAZY_COMMANDS.get(cmd_name)
        if target is None:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute or cmd_name)
        return command if isinstance(command, click.Command) else None


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pillars")
def main() -> None:
    """Pillars: scholarly articles on international security as linked data."""

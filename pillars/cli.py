"""The `pillars` command line. Each command lives next to the code it drives."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import click

from pillars import __version__

# Each command's module is imported only when that command runs: `pillars serve` would
# otherwise import rdflib and pyshacl (for `check`), ~0.6 s of its cold start.
LAZY_COMMANDS = {
    "stats": "pillars.stats",
    "diagram": "pillars.diagram",
    "serve": "pillars.server.serve",
    "load": "pillars.store_cli",
    "query": "pillars.store_cli",
    "check": "pillars.check.command",
    "new-article": "pillars.new_article:new_article",
    "export": "pillars.export",
    "push": "pillars.push",
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


@main.command()
@click.argument("quote", required=False)
@click.option("--article", "slug", required=True, help="Article slug: the folder under instances/.")
@click.option(
    "--occurrence", type=int, default=None, help="Which occurrence (1-based) if repeated."
)
@click.option("--subject", default="art:ev-NAME", show_default=True, help="Evidence IRI to print.")
@click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None, help="Corpus folder."
)
def anchor(
    quote: str | None, slug: str, occurrence: int | None, subject: str, root: Path | None
) -> None:
    """Print a pil:Evidence block for QUOTE (or one quote per line on standard input)."""
    from pillars.anchor import AnchorError, evidence_turtle, locate
    from pillars.corpus import default_root

    text_path = (root or default_root()) / "instances" / slug / "text.txt"
    if not text_path.is_file():
        raise click.UsageError(f"no article text at {text_path}")
    text = text_path.read_text(encoding="utf-8")
    quotes = [quote] if quote is not None else [q for q in sys.stdin.read().splitlines() if q]
    failed = False
    for q in quotes:
        try:
            click.echo(evidence_turtle(subject, locate(text, q, occurrence), "art:text"))
        except AnchorError as err:
            click.echo(f"error: {err}", err=True)
            failed = True
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()

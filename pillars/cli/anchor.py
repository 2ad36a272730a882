"""`pillars anchor`: the evidence block for a quote of an article's text."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pillars.anchor import AnchorError, evidence_turtle, locate
from pillars.corpus import default_root


@click.command()
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

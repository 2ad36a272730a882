"""`pillars draft`: the machine's first encoding of an article, in instances/SLUG/draft.ttl."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pillars.cli.options import ROOT_OPTION
from pillars.corpus import default_root
from pillars.draft.drafter import run
from pillars.draft.inputs import DraftError
from pillars.draft.model import KINDS
from pillars.draft.report import as_data, as_text


@click.command("draft")
@click.argument("slug")
@click.option(
    "--only",
    "only",
    multiple=True,
    type=click.Choice(KINDS),
    help="Draft only this kind (repeatable); default: every kind.",
)
@click.option("--force", is_flag=True, help="Replace a draft.ttl even if a person edited it.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="The report: lines for people, or the same as JSON.",
)
@ROOT_OPTION
def draft(slug: str, only: tuple[str, ...], force: bool, fmt: str, root: Path | None) -> None:
    """Draft instances/SLUG/draft.ttl from its text: citations, figures, dates, mentions of
    known actors, places and events, and a candidate claim per sentence, every one anchored
    exactly and marked pil:draft true."""
    kinds = tuple(k for k in KINDS if k in only) if only else KINDS
    try:
        result = run(root or default_root(), slug, kinds, force)
    except DraftError as err:
        raise click.ClickException(str(err)) from err
    if fmt == "json":
        click.echo(json.dumps(as_data(result), indent=2, ensure_ascii=False))
    else:
        click.echo(as_text(result))

"""`pillars stats`: class counts and sentence coverage (pillars/stats.py)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from pillars.cli.options import ROOT_OPTION
from pillars.corpus import CorpusError, discover
from pillars.stats import UnknownArticle, collect, render_markdown, render_text


@click.command("stats")
@click.option("--article", "slug", default=None, help="Only this article folder (its slug).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
@click.option(
    "--write",
    "write_to",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the report as a Markdown page (e.g. docs/coverage.md).",
)
@ROOT_OPTION
def stats(slug: str | None, fmt: str, write_to: Path | None, root: Path | None) -> None:
    """Counts per class, and which body sentences no evidence anchor covers."""
    try:
        results = collect(discover(root), slug)
    except CorpusError as err:
        raise click.ClickException(str(err)) from err
    except UnknownArticle as err:
        raise click.BadParameter(str(err), param_hint="--article") from err
    if fmt == "json":
        click.echo(json.dumps({"articles": [s.as_dict() for s in results]}, indent=2))
    else:
        click.echo(render_text(results))
    if write_to is not None:
        write_to.parent.mkdir(parents=True, exist_ok=True)
        write_to.write_text(render_markdown(results), encoding="utf-8")
        click.echo(f"wrote {write_to}", err=True)

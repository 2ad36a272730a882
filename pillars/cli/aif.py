"""`pillars aif`: an article's argument as AIF JSON (pillars/aif.py)."""

from __future__ import annotations

import json
import sys

import click

from pillars.aif import export
from pillars.store import memory_store


@click.command("aif")
@click.option("--article", "slug", required=True, help="Article slug: the folder under instances/.")
def aif(slug: str) -> None:
    """Print the article's argument as AIF JSON."""
    try:
        document = export(memory_store(), slug)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--article") from err
    if not document["nodes"]:
        click.echo(f"error: no pil:supports or pil:attacks in article {slug!r}", err=True)
        sys.exit(1)
    click.echo(json.dumps(document, ensure_ascii=False, indent=1))

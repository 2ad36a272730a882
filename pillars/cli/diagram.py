"""`pillars diagram`: docs/ontology.dot and .svg from the ontology (pillars/diagram.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click

from pillars.cli.options import ROOT_OPTION
from pillars.corpus import default_root
from pillars.diagram import DiagramError, write


def _paths(paths: Iterable[Path]) -> str:
    return ", ".join(str(p) for p in paths)


@click.command("diagram")
@ROOT_OPTION
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Output folder (default: docs/ under the corpus folder).",
)  # fmt: skip
def diagram(root: Path | None, out: Path | None) -> None:
    """Write docs/ontology.dot and docs/ontology.svg from the ontology."""
    root = root or default_root()
    try:
        written = write(root, out or root / "docs")
    except FileNotFoundError as err:
        click.echo(f"error: {err}; the .dot file was written, the SVG was not", err=True)
        sys.exit(1)
    except DiagramError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo(f"wrote {_paths(written)}")

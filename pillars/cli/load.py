"""`pillars load`: build an on-disk store from the corpus (pillars/store.py)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from pillars.cli.options import ROOT_OPTION, entailment_option, entails
from pillars.corpus import CorpusError, discover
from pillars.search_index import build_indexed_store
from pillars.store import StoreError


@click.command()
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder of the on-disk store to (re)build.",
)
@ROOT_OPTION
@entailment_option
def load(store_dir: Path, root: Path | None, entailment: str | None) -> None:
    """Build an on-disk store from the corpus, for `pillars serve --store`."""
    started = time.perf_counter()
    try:
        count = build_indexed_store(store_dir, discover(root), entails(entailment))
    except (CorpusError, StoreError) as err:
        raise click.ClickException(str(err)) from err
    took = time.perf_counter() - started
    click.echo(f"loaded {count} quads into {store_dir} in {took:.2f} s")

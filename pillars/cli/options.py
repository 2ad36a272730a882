"""Command-line options shared by the commands that read the corpus or a store built from it."""

from __future__ import annotations

from pathlib import Path

import click
import pyoxigraph as ox

from pillars.corpus import CorpusError, discover
from pillars.store import StoreError, memory_store, open_read_only

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus folder (with ontology/, shapes/, instances/); default: the bundled one.",
)

READ_STORE_OPTION = click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="An on-disk store built by `pillars load`; default: the corpus, read into memory.",
)


def open_corpus_store(store_dir: Path | None, root: Path | None) -> ox.Store:
    """An on-disk store built by `pillars load`, or the corpus read into memory."""
    try:
        return open_read_only(store_dir) if store_dir else memory_store(discover(root))
    except (CorpusError, StoreError) as err:
        raise click.ClickException(str(err)) from err

"""Command-line options shared by the commands that read the corpus or a store built from it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pyoxigraph as ox

from pillars.corpus import CorpusError, discover
from pillars.settings import SETTINGS, Setting, SettingError, Settings, default_text
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


def open_corpus_store(store_dir: Path | None, root: Path | None, entail: bool) -> ox.Store:
    """An on-disk store built by `pillars load` (with what it was built with), or the corpus
    read into memory (with what it entails if `entail`)."""
    try:
        return open_read_only(store_dir) if store_dir else memory_store(discover(root), entail)
    except (CorpusError, StoreError) as err:
        raise click.ClickException(str(err)) from err


def entailment_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--entailment rdfs|off`, the settings table's row, for commands that load the corpus."""
    return settings_options(func, only=("entailment",))


def entails(entailment: str | None) -> bool:
    """The value of `--entailment` (None: the default) as a yes or no; bad values: usage error."""
    return settings_from_options({"entailment": entailment}).entails


def settings_options(func: Callable[..., Any], only: tuple[str, ...] = ()) -> Callable[..., Any]:
    """One command-line option per row of the settings table (`only`: just these rows)."""
    for setting in reversed(SETTINGS):
        if not only or setting.name in only:
            func = click.option(setting.option, setting.name, **_option_kwargs(setting))(func)
    return func


def _option_kwargs(setting: Setting) -> dict[str, Any]:
    help_text = f"{setting.help} [default: {default_text(setting)}]"
    if setting.type is tuple:
        return {"multiple": True, "help": help_text, "metavar": "PREFIX"}
    kind = {float: click.FLOAT, int: click.INT, str: click.STRING}[setting.type]
    return {"type": kind, "default": None, "help": help_text}


def settings_from_options(values: dict[str, Any]) -> Settings:
    chosen = {k: v for k, v in values.items() if v is not None and v != ()}
    try:
        return Settings.from_mapping(chosen)
    except SettingError as err:
        raise click.UsageError(str(err)) from err

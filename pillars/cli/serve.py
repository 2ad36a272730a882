"""`pillars serve`: the app under granian or gunicorn (pillars/server/serve.py), never Flask's
own server."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Any

import click

from pillars.cli.options import ROOT_OPTION, settings_from_options, settings_options
from pillars.corpus import CorpusError, default_root
from pillars.remote import RemoteError, is_endpoint
from pillars.server.serve import AppSpec, open_source, run_server
from pillars.store import StoreError, StoreSource


def check_port_free(host: str, port: int) -> None:
    """Refuse a port another server listens on, before loading anything: the server would
    print "serving on" first, then fail or retry."""
    try:
        with socket.create_server((host, port)):
            pass
    except OSError as err:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {os.strerror(err.errno) if err.errno else err}; "
            "is another server running there? choose another --port"
        ) from None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port (0: any free).")
@click.option(
    "--store",
    "store_dir",
    default=None,
    metavar="DIR|URL",
    help="An on-disk store built by `pillars load`, or the http(s) URL of a SPARQL 1.1 "
    "endpoint to front (filled by `pillars push`; docs/remote.md); default: the corpus, read "
    "into memory.",
)
@click.option(
    "--reload",
    is_flag=True,
    help="Development mode: serve the corpus from memory and read it again whenever one of "
    "its files changes (a file that does not parse keeps the last good corpus served).",
)
@ROOT_OPTION
@settings_options
def serve(
    host: str, port: int, store_dir: str | None, reload: bool, root: Path | None, **values: Any
) -> None:
    """Serve the SPARQL endpoint and the site (granian, or gunicorn with --front gunicorn)."""
    settings = settings_from_options(values)
    if reload and store_dir is not None:
        raise click.BadParameter(
            "--reload serves the corpus from memory; it cannot watch a --store",
            param_hint="--reload",
        )
    if port:
        check_port_free(host, port)
    if store_dir is not None and is_endpoint(store_dir):
        try:  # another kind of store source: every protection applies unchanged
            source = StoreSource.of_endpoint(store_dir, settings.query_timeout)
        except RemoteError as err:
            raise click.ClickException(f"--store {store_dir}: {err}") from err
    else:
        try:
            source = open_source(Path(store_dir) if store_dir else None, root, settings.entails)
        except (CorpusError, StoreError) as err:
            raise click.ClickException(str(err)) from err
    click.echo(f"Pillars: serving on http://{host}:{port}/ (SPARQL at /sparql)", err=True)
    spec = AppSpec(settings, source)
    if root is not None:
        spec.queries_dir = root / "queries"
    if reload:
        spec.reload_root = (root or default_root()).resolve()
    run_server(spec, host, port)
    sys.exit(0)

"""`pillars serve`: the app under gunicorn, never the Flask development server.

The command reads the store before gunicorn starts, so a broken corpus stops it with the
file, line and column and nothing is served half-loaded. Workers are forked afterwards and
each one builds the app (and starts its evaluator processes) from the same `StoreSource`.
"""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from gunicorn.app.base import BaseApplication

from pillars.cli.options import ROOT_OPTION
from pillars.corpus import CorpusError, discover
from pillars.remote import RemoteError, is_endpoint, remote_source
from pillars.settings import SETTINGS, Setting, SettingError, Settings, default_text
from pillars.store import StoreError, StoreSource, check_opens, memory_store

GET_URL_LIMIT = 8190  # gunicorn's largest request line; longer GET queries must be POSTed


class PillarsServer(BaseApplication):  # type: ignore[misc]
    queries_dir: Path | None = None  # the served corpus's queries/, for the query page

    def __init__(self, settings: Settings, source: StoreSource, host: str, port: int) -> None:
        self.settings = settings
        self.source = source
        self.options: dict[str, Any] = {
            "bind": f"{host}:{port}",
            "workers": settings.workers,
            "threads": settings.threads,
            # gunicorn's gthread worker, serving a client's next request on the same thread
            # when it comes at once (pillars/server/worker.py)
            "worker_class": "pillars.server.worker.LingeringThreadWorker",
            "preload_app": False,  # each worker opens the store itself, after the fork
            # The query time limit is enforced by the evaluator pool; this is only a backstop
            # for a worker that stops answering gunicorn's heartbeat.
            "timeout": int(settings.query_timeout) + 30,
            "graceful_timeout": 5,
            "keepalive": 5,
            "limit_request_line": GET_URL_LIMIT,
            "proc_name": "pillars",
            # gunicorn 27's control socket has one fixed path per user, so two servers (tests,
            # benchmarks) would fight over it; nothing here uses it.
            "control_socket_disable": True,
            "errorlog": "-",
            "loglevel": "info",
        }
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from pillars.server.app import create_app

        app = create_app(self.settings, source=self.source)
        if self.queries_dir is not None:
            app.config["PILLARS_QUERIES_DIR"] = str(self.queries_dir)
        app.extensions["pillars.pool"].start()  # evaluators ready before the first request
        return app


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


def open_source(store_dir: Path | None, root: Path | None) -> StoreSource:
    """Read the corpus (or check the on-disk store) now, before anything is served."""
    try:
        if store_dir is not None:
            check_opens(store_dir)  # every worker and evaluator opens its own handle
            return StoreSource(path=str(store_dir.resolve()))
        return StoreSource.of_memory(memory_store(discover(root)))
    except (CorpusError, StoreError) as err:
        raise click.ClickException(str(err)) from err


def check_port_free(host: str, port: int) -> None:
    """Refuse a port another server listens on, before loading anything: gunicorn would
    print "serving on" first, retry for five seconds, then give up."""
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
@ROOT_OPTION
@settings_options
def serve(host: str, port: int, store_dir: str | None, root: Path | None, **values: Any) -> None:
    """Serve the SPARQL endpoint and the site under gunicorn."""
    settings = settings_from_options(values)
    if port:
        check_port_free(host, port)
    if store_dir is not None and is_endpoint(store_dir):
        try:  # another kind of store source: every protection applies unchanged
            source = remote_source(store_dir, settings.query_timeout)
        except RemoteError as err:
            raise click.ClickException(f"--store {store_dir}: {err}") from err
    else:
        source = open_source(Path(store_dir) if store_dir else None, root)
    click.echo(f"Pillars: serving on http://{host}:{port}/ (SPARQL at /sparql)", err=True)
    server = PillarsServer(settings, source, host, port)
    if root is not None:
        server.queries_dir = root / "queries"
    server.run()
    sys.exit(0)

"""`pillars serve`: the app under a production HTTP server, never the Flask development one.

The command reads the store before the server starts, so a broken corpus stops it with the
file, line and column and nothing is served half-loaded. Workers are forked afterwards and
each one builds the app (and starts its evaluator processes) from the same `StoreSource`.

Two fronts (the `front` setting): granian (the default; slow clients cost it sockets, not
threads: pillars/server/rsgi.py) and gunicorn with its threaded worker
(pillars/server/worker.py).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from gunicorn.app.base import BaseApplication

from pillars.corpus import discover
from pillars.settings import Settings
from pillars.store import StoreSource, check_opens, memory_store

if TYPE_CHECKING:
    from flask import Flask

GET_URL_LIMIT = 8190  # gunicorn's largest request line; longer GET queries must be POSTed
HEAD_LIMIT = 65536  # granian: bytes of a request's line and headers together


@dataclass
class AppSpec:
    """What each worker needs to build the app, after the fork."""

    settings: Settings
    source: StoreSource
    queries_dir: Path | None = None  # the served corpus's queries/, for the query page
    reload_root: Path | None = None  # --reload: the corpus folder to watch

    def build(self) -> Any:
        # Here, in the worker: the app imports pyshacl and rdflib (for /validate), which
        # `pillars serve --help` and the server's main process need not pay for.
        from pillars.server.app import create_app
        from pillars.server.state import app_state

        app = create_app(self.settings, source=self.source)
        if self.queries_dir is not None:
            app.config["PILLARS_QUERIES_DIR"] = str(self.queries_dir)
        app_state(app).pool.start()  # evaluators ready before the first request
        if self.reload_root is not None:
            from pillars.server.reload import CorpusWatcher

            CorpusWatcher(app, self.reload_root).start()
        return app


def run_server(spec: AppSpec, host: str, port: int) -> None:
    """Serve until stopped (SIGTERM or SIGINT), with the front the settings choose."""
    if spec.settings.front == "gunicorn":
        GunicornServer(spec, host, port).run()
    else:
        run_granian(spec, host, port)


def run_granian(spec: AppSpec, host: str, port: int) -> None:
    from granian.constants import Interfaces
    from granian.http import HTTP1Settings
    from granian.server import Server

    from pillars.server.rsgi import Bridge

    conf = spec.settings

    def close() -> None:  # the worker is stopping: its evaluators go with it
        from pillars.server.state import app_state

        if bridge.app is not None:  # None if the app was never built
            app_state(cast("Flask", bridge.app)).pool.close()

    allow_open_files(conf.max_connections * conf.workers + 1024)  # + the store's files
    bridge = Bridge(spec.build, conf.threads, conf.read_timeout, conf.max_request_bytes, close)
    server = Server(
        "pillars",  # the target's name: granian loads `bridge` below instead of importing it
        address=host,
        port=port or free_port(host),  # granian's workers each bind: they must share a number
        interface=Interfaces.RSGI,
        workers=conf.workers,
        backpressure=conf.max_connections,
        http1_settings=HTTP1Settings(
            header_read_timeout=int(conf.read_timeout * 1000), max_buffer_size=HEAD_LIMIT
        ),
        respawn_failed_workers=True,  # a worker that dies is replaced, as gunicorn does
        workers_kill_timeout=5,
        log_dictconfig=LOG_CONFIG,
    )
    server.serve(target_loader=lambda _target: bridge)


def allow_open_files(wanted: int) -> None:
    """Raise the soft limit on open files toward `wanted` (each connection is one)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    ceiling = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < ceiling:
        resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))


def free_port(host: str) -> int:
    """A port free now on `host` (for --port 0)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


# granian's own log lines, and ours, on standard error (granian writes to standard output).
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"generic": {"format": "[%(levelname)s] %(message)s"}},
    "handlers": {
        "console": {
            "formatter": "generic",
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
        },
    },
    "loggers": {
        "_granian": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "granian.access": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "pillars": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


class GunicornServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, spec: AppSpec, host: str, port: int) -> None:
        settings = spec.settings
        self.spec = spec
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
        return self.spec.build()


def open_source(store_dir: Path | None, root: Path | None, entail: bool) -> StoreSource:
    """Read the corpus (or check the on-disk store) now, before anything is served; raises
    CorpusError or StoreError, naming the file or the folder."""
    if store_dir is not None:
        check_opens(store_dir)  # every worker and evaluator opens its own handle
        return StoreSource(path=str(store_dir.resolve()))
    return StoreSource.of_memory(memory_store(discover(root), entail))

"""`pillars serve`: the app under gunicorn, never the Flask development server.

The command reads the store before gunicorn starts, so a broken corpus stops it with the
file, line and column and nothing is served half-loaded. Workers are forked afterwards and
each one builds the app (and starts its evaluator processes) from the same `StoreSource`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from pillars.corpus import discover
from pillars.settings import Settings
from pillars.store import StoreSource, check_opens, memory_store

GET_URL_LIMIT = 8190  # gunicorn's largest request line; longer GET queries must be POSTed


class PillarsServer(BaseApplication):  # type: ignore[misc]
    queries_dir: Path | None = None  # the served corpus's queries/, for the query page
    reload_root: Path | None = None  # --reload: the corpus folder to watch

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
        # Here, in the worker: the app imports pyshacl and rdflib (for /validate), which
        # `pillars serve --help` and gunicorn's master need not pay for.
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


def open_source(store_dir: Path | None, root: Path | None) -> StoreSource:
    """Read the corpus (or check the on-disk store) now, before anything is served; raises
    CorpusError or StoreError, naming the file or the folder."""
    if store_dir is not None:
        check_opens(store_dir)  # every worker and evaluator opens its own handle
        return StoreSource(path=str(store_dir.resolve()))
    return StoreSource.of_memory(memory_store(discover(root)))

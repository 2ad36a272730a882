"""The app factory. Each area of the site is a blueprint in a module of its own; what they
share is one typed `AppState` (pillars/server/state.py), and one error type with its handlers
(pillars/server/errors.py). Blueprints never import one another."""

from __future__ import annotations

import logging

import pyoxigraph as ox
from flask import Flask

from pillars.search_index import SearchIndex, lazy
from pillars.server import pages, search, sparql, validate
from pillars.server.description import DatasetInfo
from pillars.server.errors import register_handlers
from pillars.server.memory import place_store
from pillars.server.pool import EvaluatorPool
from pillars.server.result_cache import ResultCache
from pillars.server.state import AppState, install
from pillars.settings import Settings
from pillars.store import StoreSource, memory_store
from pillars.store_interface import ReadStore

log = logging.getLogger(__name__)


def create_app(
    settings: Settings | None = None,
    store: ReadStore | None = None,
    source: StoreSource | None = None,
) -> Flask:
    """The WSGI app. `store` defaults to the bundled corpus in memory; `source` to `store`."""
    settings = settings or Settings()
    if store is None:
        store = source.open() if source else memory_store(entail=settings.entails)
    if source is None:
        if not isinstance(store, ox.Store):
            raise TypeError("a store that is not embedded is served from its StoreSource")
        source = StoreSource.of_memory(store)
    app = Flask(__name__)
    # Flask refuses larger bodies and form fields with 413 before the view runs.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_request_bytes
    install(app, build_state(settings, store, source))
    register_blueprints(app)
    register_handlers(app)
    return app


def _say_entailment(settings: Settings, source: StoreSource, held: bool) -> None:
    """A store built by `pillars load` keeps what it was built with; say when it differs."""
    if source.path is not None and held != settings.entails:
        log.warning(
            "the store %s the entailed graphs (`pillars load --entailment %s`); rebuild it to "
            "change that, --entailment %s here does not",
            "holds" if held else "lacks",
            "rdfs" if held else "off",
            settings.entailment,
        )


def build_state(settings: Settings, store: ReadStore, source: StoreSource) -> AppState:
    """What the blueprints share for one served store (a reload builds another)."""
    per_worker = max(1, settings.max_concurrent_queries)
    counts = source.counts(store)
    dataset = DatasetInfo.of(counts)
    _say_entailment(settings, source, dataset.entailed)
    placement = place_store(settings, source, sum(counts.values()))
    processes, threads = settings.evaluator_layout(placement.in_memory and bool(source.path))
    if source.path is not None:
        where = "in memory" if placement.in_memory else "on disk"
        log.warning("evaluators read the store %s (%s); %d process(es) of %d query thread(s)",
                    where, placement.reason, processes, threads)  # fmt: skip
    pool = EvaluatorPool(
        source,
        processes,
        per_worker,
        settings.evaluator_memory,
        in_memory=placement.in_memory,
        threads=threads,
    )
    return AppState(
        settings=settings,
        store=store,
        source=source,
        dataset=dataset,
        pool=pool,
        cache=ResultCache.for_source(settings.result_cache_bytes, source),
        search=lazy(lambda: SearchIndex.for_source(source, store)),
    )


def register_blueprints(app: Flask) -> None:
    """The one place blueprints are registered: one line per area."""
    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)  # Linked Data pages, ontology docs, query UI, dumps
    app.register_blueprint(search.bp)  # full-text search page and JSON API
    app.register_blueprint(validate.bp)  # POST /validate: check a draft, store unchanged

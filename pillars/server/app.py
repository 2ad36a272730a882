"""The app factory. Each area of the site is a blueprint in a module of its own.

`app.extensions` holds what the blueprints share: "pillars.settings" (Settings),
"pillars.store" (a pyoxigraph Store for quick in-process reads), "pillars.source" (how to open
that store again), "pillars.dataset" (graph sizes), "pillars.pool" (the evaluator processes
every /sparql query runs in, with the time limit) and "pillars.cache" (answers by query).
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from pillars.server.cache import ResultCache
from pillars.server.description import DatasetInfo
from pillars.server.pool import EvaluatorPool
from pillars.settings import Settings
from pillars.store import StoreSource, memory_store


def create_app(
    settings: Settings | None = None,
    store: ox.Store | None = None,
    source: StoreSource | None = None,
) -> Flask:
    """The WSGI app. `store` defaults to the bundled corpus in memory; `source` to `store`."""
    settings = settings or Settings()
    store = store if store is not None else (source.open() if source else memory_store())
    source = source or StoreSource.of_memory(store)
    app = Flask(__name__)
    # Flask refuses larger bodies and form fields with 413 before the view runs.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config["MAX_FORM_MEMORY_SIZE"] = settings.max_request_bytes
    app.extensions["pillars.settings"] = settings
    app.extensions["pillars.store"] = store
    app.extensions["pillars.source"] = source
    app.extensions["pillars.dataset"] = DatasetInfo.of(source.counts(store))
    per_worker = max(1, settings.max_concurrent_queries)
    app.extensions["pillars.pool"] = EvaluatorPool(
        source, settings.evaluator_count, per_worker, settings.evaluator_memory
    )
    app.extensions["pillars.cache"] = ResultCache.for_source(settings.result_cache_bytes, source)
    register_blueprints(app)
    for code in (400, 405, 413, 415):
        app.register_error_handler(code, _plain_http_error)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(Exception, _plain_server_error)
    return app


def register_blueprints(app: Flask) -> None:
    """The one place blueprints are registered: one line per area."""
    from pillars.server import pages, search, sparql, validate

    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)  # Linked Data pages, ontology docs, query UI, dumps
    app.register_blueprint(search.bp)  # full-text search page and JSON API
    app.register_blueprint(validate.bp)  # POST /validate: check a draft, store unchanged


def _plain_http_error(err: HTTPException) -> Response:
    """Short plain-text errors (405 keeps its Allow header); never a stack trace."""
    resp = Response(status=err.code or 500, headers=err.get_headers())
    description = err.description
    if err.code == 413:  # Werkzeug's words do not say what the limit is
        limit = current_app.extensions["pillars.settings"].max_request_bytes
        description = f"the request body is larger than {limit} bytes (max_request_bytes)"
    resp.set_data(f"{err.code} {err.name}: {description}\n")
    resp.content_type = "text/plain; charset=utf-8"
    return resp


def _not_found(err: HTTPException) -> Response:
    """A path no area answers: a page with the site's menu for browsers, else plain text.
    (Unknown /id/ IRIs get their own page, with suggestions, from the pages area.)"""
    wants = request.accept_mimetypes.best_match(["text/plain", "text/html"])
    if wants == "text/html" and "pages" in current_app.blueprints:
        page = render_template("missing.html", path=request.path)
        return Response(page, 404, mimetype="text/html")
    return _plain_http_error(err)


def _plain_server_error(err: Exception) -> Response | HTTPException:
    if isinstance(err, HTTPException):  # e.g. 404: the default answer (or a blueprint's own)
        return err
    # An unexpected failure: logged with its traceback, the client learns only that it failed.
    current_app.logger.exception("unhandled error", exc_info=err)
    return _plain_http_error(InternalServerError())

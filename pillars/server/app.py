"""The app factory. Each area of the site is a blueprint in a module of its own."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Flask

from pillars.server import pages
from pillars.store import memory_store


def create_app(store: ox.Store | None = None) -> Flask:
    app = Flask(__name__)
    app.extensions["pillars.store"] = store if store is not None else memory_store()
    app.register_blueprint(pages.bp)  # Linked Data pages, ontology docs, query UI, dumps
    return app

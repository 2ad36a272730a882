"""The yardstick for Pillars' own overhead: the least a Flask front over pyoxigraph can be.

No time limit, no row cap, no cache, no protections: one read-only store per gunicorn worker,
the query evaluated in the request thread, the answer written by pyoxigraph. The benchmark
runs it as `flask-minimal` beside Pillars (same store, same gunicorn), so what Pillars'
protections cost is the gap between the two, and what the Python layer and pyoxigraph cost
is the gap between this and Oxigraph's own server.

gunicorn -w 1 --threads 16 bench.minimal_front:app   (PILLARS_BENCH_STORE=store folder)
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import pyoxigraph as ox
from flask import Flask, Response, request

app = Flask(__name__)
RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPHS = {"text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES}
_stores: list[ox.Store] = []  # opened on the first request, in the worker process


def store() -> ox.Store:
    if not _stores:
        _stores.append(ox.Store.read_only(os.environ["PILLARS_BENCH_STORE"]))
    return _stores[0]


def chosen(accept: str, formats: Iterable[str]) -> str:
    return next((media for media in formats if media in accept), next(iter(formats)))


@app.get("/sparql")
def sparql() -> Response:
    query = request.args.get("query")
    if not query:
        return Response("no query given", 400, mimetype="text/plain")
    try:
        result = store().query(query, use_default_graph_as_union=True)
    except SyntaxError as err:
        return Response(str(err), 400, mimetype="text/plain")
    accept = request.headers.get("Accept", "")
    if isinstance(result, ox.QuerySolutions | ox.QueryBoolean):
        media = chosen(accept, RESULTS)
        return Response(result.serialize(format=RESULTS[media]), mimetype=media)
    media = chosen(accept, GRAPHS)
    return Response(ox.serialize(result, format=GRAPHS[media]), mimetype=media)

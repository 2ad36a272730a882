"""Full-text search: a page at /search and a JSON API at /search.json (see pillars/search_index.py).

The index is built on first use in this process (in memory for an in-memory store, reopened
from the store folder for an on-disk one), so serving starts as fast without it.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request

from pillars.search_index import FUNCTION_NS, Hit, SearchError
from pillars.server.pages_describe import label_of, local_name
from pillars.server.state import state

bp = Blueprint("search", __name__)
PAGE_SIZE = 20


def _int(name: str, default: int) -> int:
    value = request.args.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SearchError(f"parameter {name}: expected an integer, got {value[:40]!r}") from None


def _error(err: SearchError, as_json: bool) -> Response:
    if as_json:
        resp = jsonify({"error": str(err)})
    else:
        resp = Response(f"{err}\n", content_type="text/plain; charset=utf-8")
    resp.status_code = 400
    return resp


@bp.route("/search.json")
def search_json() -> Response:
    """`q` (words, all required), optional `limit` (1-1000), `offset`, `graph` (a graph IRI)."""
    words = request.args.get("q", "")
    try:
        limit, offset = _int("limit", PAGE_SIZE), _int("offset", 0)
        graph = request.args.get("graph") or None
        hits = state().search().search(words, limit, offset, graph)
        total = state().search().count(words, graph)
    except SearchError as err:
        return _error(err, True)
    resp = jsonify(
        {
            "q": words,
            "limit": limit,
            "offset": offset,
            "total": total,
            "hits": [h.as_dict() for h in hits],
        }
    )
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def labels(hits: list[Hit]) -> dict[str, str]:
    """What each hit's resource is called on its own page (its IRI is no name for a reader)."""
    store = state().store
    return {
        h.resource: label_of(store, ox.NamedNode(h.resource)) or local_name(h.resource)
        for h in hits
    }


@bp.route("/search")
def search_page() -> Response | str:
    words = request.args.get("q", "").strip()
    hits, error, offset, total = [], "", 0, 0
    if words:
        try:
            offset = max(0, _int("offset", 0))
            hits = state().search().search(words, PAGE_SIZE, offset)
            total = state().search().count(words)
        except SearchError as err:
            error = str(err)
    html = render_template(
        "search.html",
        words=words,
        hits=hits,
        labels=labels(hits),
        error=error,
        offset=offset,
        total=total,
        page_size=PAGE_SIZE,
        function_ns=FUNCTION_NS,
    )
    return Response(html, 400 if error else 200, content_type="text/html; charset=utf-8")

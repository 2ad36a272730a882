"""The SPARQL 1.1 Protocol at /sparql (read-only), the Service Description, VoID, settings.

Reading and checking a request happens here (cheap); evaluation and serialization happen in
an evaluator process (`pool.py`), so this layer adds almost nothing per query.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from pillars.server import protocol
from pillars.server.cors import allow_any_origin, preflight
from pillars.server.description import DESCRIPTION_PREFIXES, service_description, void_description
from pillars.server.errors import HttpError
from pillars.server.evaluator import serialize_graph
from pillars.server.negotiation import GRAPH_FORMATS, Format, by_name, choose, parse_accept, quality
from pillars.server.querystring import parse_args
from pillars.server.state import state
from pillars.settings import SETTINGS, default_text, value_text

bp = Blueprint("sparql", __name__)

FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"


def base_url() -> str:
    return state().settings.public_url.rstrip("/") or request.host_url.rstrip("/")


allow_any_origin(bp, "Pillars-Truncated, Pillars-Max-Rows, Retry-After")


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def sparql() -> Response:
    if request.method == "OPTIONS":
        return preflight("GET, POST, OPTIONS")
    query, params = read_request()
    if query is None and not params and _prefers_html():
        # A person who opened /sparql in a browser: the query editor, not RDF/XML.
        return Response(
            status=303, headers={"Location": url_for("pages.query_page"), "Vary": "Accept"}
        )
    if query is None:
        return describe(
            service_description(
                base_url(), state().dataset, bool(state().settings.service_allowlist)
            )
        )
    return protocol.answer(query, params)


def _prefers_html() -> bool:
    """Does the client rank text/html above every RDF format (a browser does; SPARQL clients
    and `*/*` do not)? Only when the query page exists."""
    if "pages.query_page" not in current_app.view_functions:
        return False
    ranges = parse_accept(request.headers.get("Accept"))
    html_q = quality(ranges, Format("html", "text/html"))
    return html_q > max(quality(ranges, f) for f in DESCRIPTION_FORMATS)


def read_request() -> tuple[str | None, MultiDict[str, str]]:
    """The query text (None: a plain GET, asking for the Service Description) and parameters."""
    limit = state().settings.max_request_bytes
    if len(request.query_string) > limit:
        raise HttpError(413, f"query string longer than {limit} bytes (max_request_bytes)")
    # request.args, decoded faster (pillars/server/querystring.py)
    params: MultiDict[str, str] = MultiDict(parse_args(request.environ.get("QUERY_STRING", "")))
    if request.method in ("GET", "HEAD"):  # HEAD: the same answer as GET, without its body
        if not params.keys() - {"format", "output"}:
            return None, params  # the Service Description, in the format asked for
        queries = params.getlist("query")
    else:
        mimetype = request.mimetype
        if mimetype == UPDATE_BODY or (mimetype == FORM and "update" in request.form):
            raise _read_only()
        if mimetype == FORM:
            for key, values in request.form.lists():
                params.setlist(key, params.getlist(key) + values)
            queries = params.getlist("query")
        elif mimetype == QUERY_BODY:
            charset = request.mimetype_params.get("charset", "utf-8").lower()
            if charset not in ("utf-8", "utf8"):
                raise HttpError(415, f"charset {charset} not supported; send UTF-8")
            try:
                body = request.get_data(cache=False).decode("utf-8")
            except UnicodeDecodeError as err:
                raise HttpError(400, f"query body is not UTF-8 (byte {err.start})") from err
            queries = params.getlist("query") + [body]
        else:
            raise HttpError(
                415,
                f"unsupported media type {mimetype or '(none)'!r}; POST a query as {FORM} "
                f"(query=...) or as {QUERY_BODY}",
            )
    if "update" in params:
        raise _read_only()
    if len(queries) > 1:
        raise HttpError(400, "more than one query in the request; send exactly one")
    if not queries or not queries[0].strip():
        raise HttpError(400, "missing query: give the query parameter (or POST a query)")
    return queries[0], params


def _read_only() -> HttpError:
    return HttpError(403, "this endpoint is read-only: SPARQL Update is refused")


DESCRIPTION_FORMATS = tuple(f for f in GRAPH_FORMATS if f.key not in ("nquads", "trig"))


def describe(triples: list[ox.Triple]) -> Response:
    """An RDF description, in the format the client prefers (Turtle when anything goes)."""
    name = request.args.get("format")
    if name:
        chosen = by_name(name, DESCRIPTION_FORMATS)
        if chosen is None:  # a wrong parameter is the client's error (400), not a 406
            known = ", ".join(f.key for f in DESCRIPTION_FORMATS)
            raise HttpError(
                400,
                f"parameter format: unknown format {name[:60]!r} for this RDF description; "
                f"known formats: {known}",
            )
    else:
        chosen = choose(parse_accept(request.headers.get("Accept")), DESCRIPTION_FORMATS)
    if chosen is None:
        raise HttpError(406, "the request accepts no RDF format this endpoint can write")
    body = serialize_graph(triples, chosen.key, DESCRIPTION_PREFIXES)
    resp = Response(body, 200, content_type=chosen.content_type)
    resp.headers["Vary"] = "Accept"
    return resp


@bp.route("/.well-known/void")
def void() -> Response:
    return describe(void_description(base_url(), state().dataset))


@bp.route("/-/settings.json")
def settings_json() -> Response:
    return jsonify(state().settings.as_dict())


@bp.route("/-/settings")
def settings_page() -> Response:
    settings = state().settings
    rows = [
        {
            "name": s.name,
            "option": s.option,
            "value": value_text(s, getattr(settings, s.name)),
            "default": default_text(s),
            "changed": getattr(settings, s.name) != s.default,
            "help": with_code(s.help),
        }
        for s in SETTINGS
    ]
    # The site's page frame (menu, styles), so the page is readable and leads back.
    page = render_template("settings.html", rows=rows)
    return Response(page, content_type="text/html; charset=utf-8")


def with_code(text: str) -> Markup:
    """The settings' help as HTML: `name` spans become <code>, the rest is escaped."""
    parts = str(escape(text)).split("`")
    return Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))

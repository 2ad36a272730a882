"""The SPARQL 1.1 Protocol at /sparql (read-only), the Service Description, VoID, settings.

Reading and checking a request happens here (cheap); evaluation and serialization happen in
an evaluator process (`pool.py`), so this layer adds almost nothing per query.
"""

from __future__ import annotations

import math

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    current_app,
    jsonify,
    render_template,
    request,
    url_for,
)
from werkzeug.datastructures import MultiDict

from pillars.server.cache import ResultCache
from pillars.server.cache import matches as cache_matches
from pillars.server.cors import preflight
from pillars.server.description import (
    DESCRIPTION_PREFIXES,
    DatasetInfo,
    service_description,
    void_description,
)
from pillars.server.evaluator import Answer, Job, serialize_graph
from pillars.server.negotiation import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Format,
    NegotiationError,
    by_name,
    choose,
    negotiate,
    parse_accept,
    quality,
)
from pillars.server.pool import (
    Busy,
    ClientGone,
    EvaluatorFailed,
    EvaluatorPool,
    OutOfMemory,
    TimedOut,
)
from pillars.server.querystring import parse_args
from pillars.server.scan import refused_service, scan
from pillars.settings import SETTINGS, Settings

bp = Blueprint("sparql", __name__)

CONTENT_TYPES = {f.key: f.content_type for f in RESULT_FORMATS + GRAPH_FORMATS}
FORM = "application/x-www-form-urlencoded"
QUERY_BODY = "application/sparql-query"
UPDATE_BODY = "application/sparql-update"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "Pillars-Truncated, Pillars-Max-Rows, Retry-After",
}


class ProtocolError(Exception):
    """A request the protocol refuses; becomes a short plain-text answer."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def settings() -> Settings:
    return current_app.extensions["pillars.settings"]  # type: ignore[no-any-return]


def dataset() -> DatasetInfo:
    return current_app.extensions["pillars.dataset"]  # type: ignore[no-any-return]


def pool() -> EvaluatorPool:
    return current_app.extensions["pillars.pool"]  # type: ignore[no-any-return]


def base_url() -> str:
    return settings().public_url.rstrip("/") or request.host_url.rstrip("/")


def text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    resp = Response(message.rstrip("\n") + "\n", status, content_type="text/plain; charset=utf-8")
    resp.headers.update(headers or {})
    return resp


@bp.errorhandler(ProtocolError)
def _protocol_error(err: ProtocolError) -> Response:
    return text(err.status, str(err), err.headers)


@bp.after_request
def _cors(resp: Response) -> Response:
    resp.headers.update(CORS)
    return resp


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
            service_description(base_url(), dataset(), bool(settings().service_allowlist))
        )
    return answer(query, params)


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
    limit = settings().max_request_bytes
    if len(request.query_string) > limit:
        raise ProtocolError(413, f"query string longer than {limit} bytes (max_request_bytes)")
    # request.args, decoded faster (pillars/server/querystring.py)
    params: MultiDict[str, str] = MultiDict(parse_args(request.environ.get("QUERY_STRING", "")))
    if request.method == "GET":
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
                raise ProtocolError(415, f"charset {charset} not supported; send UTF-8")
            try:
                body = request.get_data(cache=False).decode("utf-8")
            except UnicodeDecodeError as err:
                raise ProtocolError(400, f"query body is not UTF-8 (byte {err.start})") from err
            queries = params.getlist("query") + [body]
        else:
            raise ProtocolError(
                415,
                f"unsupported media type {mimetype or '(none)'!r}; POST a query as {FORM} "
                f"(query=...) or as {QUERY_BODY}",
            )
    if "update" in params:
        raise _read_only()
    if len(queries) > 1:
        raise ProtocolError(400, "more than one query in the request; send exactly one")
    if not queries or not queries[0].strip():
        raise ProtocolError(400, "missing query: give the query parameter (or POST a query)")
    return queries[0], params


def _read_only() -> ProtocolError:
    return ProtocolError(403, "this endpoint is read-only: SPARQL Update is refused")


def answer(query: str, params: MultiDict[str, str]) -> Response:
    conf = settings()
    timeout = client_timeout(params.get("timeout"), conf.query_timeout)
    union, defaults, named = check_dataset(query, params)
    try:
        result_format, graph_format = negotiate(
            request.headers.get("Accept"), params.get("format") or params.get("output")
        )
    except NegotiationError as err:
        raise ProtocolError(400, str(err)) from err
    if result_format is None and graph_format is None:
        raise ProtocolError(406, "the Accept header allows no format this endpoint can write")
    job = Job(
        query,
        result_format.key if result_format else None,
        graph_format.key if graph_format else None,
        conf.max_rows,
        union,
        defaults,
        named,
    )
    cached = result_cache().get(job)
    if cached is not None:
        return with_validators(respond(cached.answer), cached.etag)
    done = evaluate(job, timeout)
    return with_validators(respond(done), result_cache().put(job, done).etag)


def result_cache() -> ResultCache:
    return current_app.extensions["pillars.cache"]  # type: ignore[no-any-return]


def with_validators(resp: Response, etag: str) -> Response:
    """ETag and Cache-Control on a 200 answer; 304 when the client already holds it."""
    if resp.status_code != 200:
        return resp
    resp.headers["ETag"] = etag
    resp.headers["Cache-Control"] = f"public, max-age={settings().cache_max_age}"
    if request.method == "GET" and cache_matches(request.headers.get("If-None-Match"), etag):
        resp.status_code = 304
        resp.set_data(b"")
        del resp.headers["Content-Length"]
    return resp


def evaluate(job: Job, timeout: float) -> Answer:
    conf = settings()
    try:
        # gunicorn exposes the client's socket, so a query whose client has gone is stopped.
        return pool().run(job, timeout, request.environ.get("gunicorn.socket"))
    except Busy:
        raise ProtocolError(
            503,
            f"too many queries at once (max_concurrent_queries={conf.max_concurrent_queries}); "
            "retry in a moment",
            {"Retry-After": "1"},
        ) from None
    except TimedOut:
        raise ProtocolError(
            504, f"query stopped: it ran longer than the time limit of {timeout:g} s"
        ) from None
    except ClientGone:
        raise ProtocolError(499, "client closed the connection; the query was stopped") from None
    except OutOfMemory:
        raise ProtocolError(
            503,
            "query stopped: it needed more memory than an evaluator may use "
            f"(evaluator_memory={conf.evaluator_memory} MiB)",
        ) from None
    except EvaluatorFailed:
        raise ProtocolError(
            503, "the query evaluator failed on this query and was restarted", {"Retry-After": "1"}
        ) from None


def respond(done: Answer) -> Response:
    conf = settings()
    if done.format is None:
        return text(done.status, done.body.decode("utf-8"), {"Vary": "Accept"})
    resp = Response(done.body, done.status, content_type=CONTENT_TYPES[done.format])
    resp.headers["Vary"] = "Accept"
    if done.truncated:
        resp.headers["Pillars-Truncated"] = "true"
        resp.headers["Pillars-Max-Rows"] = str(conf.max_rows)
    return resp


def client_timeout(value: str | None, limit: float) -> float:
    """The `timeout` parameter may lower the time limit, never raise it."""
    if value is None or value == "":
        return limit
    try:
        seconds = float(value)
    except ValueError:
        seconds = math.nan
    if not seconds > 0 or math.isinf(seconds):
        raise ProtocolError(400, f"parameter timeout: expected seconds > 0, got {value!r}")
    return min(seconds, limit)


def check_dataset(
    query: str, params: MultiDict[str, str]
) -> tuple[bool, tuple[str, ...] | None, tuple[str, ...] | None]:
    """Refuse SERVICE outside the allow-list and any graph the store does not hold.

    Returns (union default graph?, default-graph-uri values, named-graph-uri values).
    """
    found = scan(query)
    refused = refused_service(found, settings().service_allowlist)
    if refused is not None:
        raise ProtocolError(
            403,
            f"SERVICE {refused} refused: this endpoint calls only endpoints in its "
            "service_allowlist setting",
        )
    defaults = tuple(params.getlist("default-graph-uri"))
    named = tuple(params.getlist("named-graph-uri"))
    held = dataset().graphs
    for graph in (*found.from_graphs, *found.from_named, *defaults, *named):
        if graph not in held:
            raise ProtocolError(
                400,
                f"graph <{graph}> is not in the store: FROM, FROM NAMED, default-graph-uri and "
                "named-graph-uri select only graphs the store holds (see /.well-known/void); "
                "nothing is fetched",
            )
    if defaults or named:
        return False, defaults, named
    # With a FROM clause the query's own dataset applies; pyoxigraph would ignore it if the
    # union default graph were switched on.
    return not (found.from_graphs or found.from_named), None, None


DESCRIPTION_FORMATS = tuple(f for f in GRAPH_FORMATS if f.key not in ("nquads", "trig"))


def describe(triples: list[ox.Triple]) -> Response:
    """An RDF description, in the format the client prefers (Turtle when anything goes)."""
    name = request.args.get("format")
    if name:
        chosen = by_name(name, DESCRIPTION_FORMATS)
    else:
        chosen = choose(parse_accept(request.headers.get("Accept")), DESCRIPTION_FORMATS)
    if chosen is None:
        raise ProtocolError(406, "the request accepts no RDF format this endpoint can write")
    body = serialize_graph(triples, chosen.key, DESCRIPTION_PREFIXES)
    resp = Response(body, 200, content_type=chosen.content_type)
    resp.headers["Vary"] = "Accept"
    return resp


@bp.route("/.well-known/void")
def void() -> Response:
    return describe(void_description(base_url(), dataset()))


@bp.route("/-/settings.json")
def settings_json() -> Response:
    return jsonify(settings().as_dict())


@bp.route("/-/settings")
def settings_page() -> Response:
    values = settings().as_dict()
    rows = [
        {"name": s.name, "value": values[s.name], "default": s.default, "help": s.help}
        for s in SETTINGS
    ]
    # The site's page frame (menu, styles), so the page is readable and leads back.
    page = render_template("settings.html", rows=rows)
    return Response(page, content_type="text/html; charset=utf-8")

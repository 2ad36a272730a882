"""Answering one SPARQL query request: the dataset checks, content negotiation, the result
cache, an evaluator with the time limit, and the response. Used by /sparql and by the query
page, which answers exactly as the endpoint does."""

from __future__ import annotations

import math
from typing import Any, cast

from flask import Response, request
from werkzeug.datastructures import MultiDict

from pillars.server.errors import HttpError, plain_text
from pillars.server.evaluator import Answer, Job
from pillars.server.negotiation import GRAPH_FORMATS, RESULT_FORMATS, NegotiationError, negotiate
from pillars.server.pool import (
    Busy,
    ClientGone,
    ClientSignal,
    EvaluatorFailed,
    OutOfMemory,
    SocketSignal,
    TimedOut,
)
from pillars.server.result_cache import matches as cache_matches
from pillars.server.rsgi import HANGUP_KEY
from pillars.server.scan import refused_service, scan, too_deep
from pillars.server.state import state

CONTENT_TYPES = {f.key: f.content_type for f in RESULT_FORMATS + GRAPH_FORMATS}


def answer(query: str, params: MultiDict[str, str]) -> Response:
    conf = state().settings
    timeout = client_timeout(params.get("timeout"), conf.query_timeout)
    refused = too_deep(query, conf.max_query_nesting)
    if refused is not None:
        raise HttpError(400, refused)  # before an evaluator's parser overflows its stack
    union, defaults, named = check_dataset(query, params)
    try:
        result_format, graph_format = negotiate(
            request.headers.get("Accept"), params.get("format") or params.get("output")
        )
    except NegotiationError as err:
        raise HttpError(400, str(err)) from err
    if result_format is None and graph_format is None:
        raise HttpError(406, "the Accept header allows no format this endpoint can write")
    job = Job(
        query,
        result_format.key if result_format else None,
        graph_format.key if graph_format else None,
        conf.max_rows,
        union,
        defaults,
        named,
    )
    cached = state().cache.get(job)
    if cached is not None:
        return with_validators(respond(cached.answer), cached.etag)
    done = evaluate(job, timeout)
    return with_validators(respond(done), state().cache.put(job, done).etag)


def with_validators(resp: Response, etag: str) -> Response:
    """ETag and Cache-Control on a 200 answer; 304 when the client already holds it (for HEAD
    as for GET: RFC 9110 gives HEAD the status GET would get)."""
    if resp.status_code != 200:
        return resp
    resp.headers["ETag"] = etag
    resp.headers["Cache-Control"] = f"public, max-age={state().settings.cache_max_age}"
    held = request.headers.get("If-None-Match")
    if request.method in ("GET", "HEAD") and cache_matches(held, etag):
        resp.status_code = 304
        resp.set_data(b"")
        del resp.headers["Content-Length"]
    return resp


def evaluate(job: Job, timeout: float) -> Answer:
    conf = state().settings
    try:
        return state().pool.run(job, timeout, client_signal(request.environ))
    except Busy:
        raise HttpError(
            503,
            f"too many queries at once (max_concurrent_queries={conf.max_concurrent_queries}); "
            "retry in a moment",
            {"Retry-After": "1"},
        ) from None
    except TimedOut:
        raise HttpError(
            504, f"query stopped: it ran longer than the time limit of {timeout:g} s"
        ) from None
    except ClientGone:
        raise HttpError(499, "client closed the connection; the query was stopped") from None
    except OutOfMemory:
        raise HttpError(
            503,
            "query stopped: it needed more memory than an evaluator may use "
            f"(evaluator_memory={conf.evaluator_memory} MiB)",
        ) from None
    except EvaluatorFailed:
        raise HttpError(
            503, "the query evaluator failed on this query and was restarted", {"Retry-After": "1"}
        ) from None


def client_signal(environ: dict[str, Any]) -> ClientSignal | None:
    """How a query stops when its client goes: granian's front sets a signal in the environ;
    gunicorn's exposes the client's socket."""
    signal = environ.get(HANGUP_KEY)
    if signal is not None:
        return cast(ClientSignal, signal)
    sock = environ.get("gunicorn.socket")
    return SocketSignal(sock) if sock is not None else None


def respond(done: Answer) -> Response:
    conf = state().settings
    if done.format is None:
        return plain_text(done.status, done.body.decode("utf-8"), {"Vary": "Accept"})
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
        raise HttpError(400, f"parameter timeout: expected seconds > 0, got {value!r}")
    return min(seconds, limit)


def check_dataset(
    query: str, params: MultiDict[str, str]
) -> tuple[bool, tuple[str, ...] | None, tuple[str, ...] | None]:
    """Refuse SERVICE outside the allow-list and any graph the store does not hold.

    Returns (union default graph?, default-graph-uri values, named-graph-uri values).
    """
    found = scan(query)
    refused = refused_service(found, state().settings.service_allowlist)
    if refused is not None:
        raise HttpError(
            403,
            f"SERVICE {refused} refused: this endpoint calls only endpoints in its "
            "service_allowlist setting",
        )
    defaults = tuple(params.getlist("default-graph-uri"))
    named = tuple(params.getlist("named-graph-uri"))
    held = state().dataset.graphs
    for graph in (*found.from_graphs, *found.from_named, *defaults, *named):
        if graph not in held:
            raise HttpError(
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

"""The CORS preflight answer shared by the endpoints that browser apps on other origins call."""

from __future__ import annotations

from flask import Response


def preflight(methods: str) -> Response:
    """204 to an OPTIONS preflight: these methods, the usual request headers, cached a day."""
    resp = Response(status=204)
    resp.headers["Access-Control-Allow-Methods"] = methods
    resp.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    resp.headers["Access-Control-Max-Age"] = "86400"
    resp.headers["Allow"] = methods
    return resp

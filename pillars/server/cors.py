"""Cross-origin access for the areas that browser apps on other origins call (/sparql,
/validate, /search.json): one hook and one preflight answer."""

from __future__ import annotations

from flask import Blueprint, Response


def allow_any_origin(bp: Blueprint, expose: str) -> None:
    """Every answer of `bp` may be read by any origin; `expose`: the headers it may read."""
    headers = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": expose}

    @bp.after_request
    def _cors(resp: Response) -> Response:
        resp.headers.update(headers)
        return resp


def preflight(methods: str) -> Response:
    """204 to an OPTIONS preflight: these methods, the usual request headers, cached a day."""
    resp = Response(status=204)
    resp.headers["Access-Control-Allow-Methods"] = methods
    resp.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
    resp.headers["Access-Control-Max-Age"] = "86400"
    resp.headers["Allow"] = methods
    return resp

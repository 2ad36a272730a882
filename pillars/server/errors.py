"""One error type for every area of the site, and the handlers that turn errors into short
plain-text answers: never a stack trace, never a path, always what was wrong."""

from __future__ import annotations

from flask import Flask, Response, current_app, render_template, request
from werkzeug.exceptions import BadHost, HTTPException, InternalServerError


class HttpError(Exception):
    """A request refused with `status`; becomes a short plain-text answer."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def plain_text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    resp = Response(message.rstrip("\n") + "\n", status, content_type="text/plain; charset=utf-8")
    resp.headers.update(headers or {})
    return resp


def register_handlers(app: Flask) -> None:
    app.register_error_handler(HttpError, _http_error)
    for code in (400, 405, 413, 415):
        app.register_error_handler(code, _plain_http_error)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(Exception, _plain_server_error)


def _http_error(err: HttpError) -> Response:
    return plain_text(err.status, str(err), err.headers)


def _plain_http_error(err: HTTPException) -> Response:
    """Short plain-text errors (405 keeps its Allow header); never a stack trace."""
    resp = Response(status=err.code or 500, headers=err.get_headers())
    description = err.description
    if isinstance(err, BadHost):  # Werkzeug's words for it say only "could not understand"
        description = (
            "the Host header is not a host name this server can use "
            "(IDNA labels of 1 to 63 characters, an optional :port)"
        )
    elif err.code == 413:  # Werkzeug's words do not say what the limit is
        limit = current_app.config["MAX_CONTENT_LENGTH"]
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
    if isinstance(err, HTTPException):
        if (err.code or 500) >= 400:  # e.g. 416 from a dump's Range: plain text, as the rest
            return _plain_http_error(err)
        return err
    # An unexpected failure: logged with its traceback, the client learns only that it failed.
    current_app.logger.exception("unhandled error", exc_info=err)
    return _plain_http_error(InternalServerError())

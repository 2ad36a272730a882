"""The studio's Flask app: its page and the JSON API the page is a client of.

`create_app(root, host, port)` builds it; `serve` runs it on a real WSGI server bound to
127.0.0.1. Every request passes `security.refusal` first (Host, Origin, token); every write
runs under the workspace lock and answers with the article's findings after the save.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException
from werkzeug.serving import BaseWSGIServer, make_server

from pillars.studio import security, views
from pillars.studio.article import NotFound
from pillars.studio.check import owl_findings
from pillars.studio.edits import Editor, Outcome, Refused
from pillars.studio.workspace import Workspace

_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*\.ttl")


def create_app(
    root: Path, host: str = "127.0.0.1", port: int = 8001, token: str | None = None
) -> Flask:
    app = Flask(__name__)
    workspace = Workspace.open(root)
    app.extensions["pillars.studio"] = workspace
    app.config["STUDIO_TOKEN"] = token or security.new_token()
    set_address(app, host, port)
    editor = Editor(workspace)

    @app.before_request
    def guard() -> Response | None:
        why = security.refusal(request, app.config["STUDIO_HOSTS"], app.config["STUDIO_TOKEN"])
        if why is not None:
            return _error(403, why)
        if request.method in security.WRITE_METHODS and request.content_length:
            if not request.is_json:
                return _error(415, "a write sends JSON (Content-Type: application/json)")
        return None

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'none'"
        )
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException) -> Response:
        return _error(err.code or 500, err.description or str(err))

    @app.get("/")
    def page() -> str:
        return render_template("studio.html", token=app.config["STUDIO_TOKEN"])

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)

    @app.get("/api/session")
    def session() -> Response:
        return jsonify({"token": app.config["STUDIO_TOKEN"]})

    @app.get("/api/vocabulary")
    def vocabulary() -> Response:
        return jsonify(views.vocabulary_json(workspace))

    @app.get("/api/articles")
    def articles() -> Response:
        out = []
        for slug in workspace.slugs():
            out.append({"slug": slug, "title": views.title(workspace.article(slug))})
        return jsonify({"articles": out})

    def read(slug: str) -> Callable[[], tuple[dict[str, Any], int]]:
        def run() -> tuple[dict[str, Any], int]:
            article = workspace.article(slug)
            findings = workspace.check(slug).current(article)
            return views.article_json(workspace, article, findings), 200

        return run

    @app.get("/api/articles/<slug>")
    def article(slug: str) -> Response:
        return _answer(workspace, read(slug))

    @app.get("/api/articles/<slug>/search")
    def search(slug: str) -> Response:
        def run() -> tuple[dict[str, Any], int]:
            art = workspace.article(slug)
            cls_name = request.args.get("class")
            cls = None
            if cls_name:
                from pillars.studio.vocab import VocabularyError, expand

                try:
                    cls = expand(cls_name, art.namespace)
                except VocabularyError as err:
                    raise Refused(400, f"class: {err}") from err
            hits = views.search(workspace, art, request.args.get("q", ""), cls)
            return {"results": hits}, 200

        return _answer(workspace, run)

    @app.post("/api/articles/<slug>/names")
    def names(slug: str) -> Response:
        def run() -> tuple[dict[str, Any], int]:
            art = workspace.article(slug)
            iri = editor.proposed_iri(art, _json())
            return {"iri": iri, "name": editor.name(art, iri)}, 200

        return _answer(workspace, run)

    @app.get("/api/articles/<slug>/files/<name>")
    def file_text(slug: str, name: str) -> Response:
        def run() -> tuple[dict[str, Any], int]:
            art = workspace.article(slug)
            if not _FILE_NAME.fullmatch(name):
                raise Refused(400, f"{name!r} is not a Turtle file name of the article folder")
            text = views.owned_file_text(art, name)
            if text is None:
                raise NotFound(f"instances/{slug}/{name} does not exist")
            return {"file": f"instances/{slug}/{name}", "text": text}, 200

        return _answer(workspace, run)

    def write(slug: str, action: Callable[[Any], Outcome], status: int = 200) -> Response:
        def run() -> tuple[dict[str, Any], int]:
            art = workspace.article(slug)
            workspace.check(slug).before_write(art)
            outcome = action(art)
            art = workspace.article(slug)
            findings = workspace.check(slug).after_write(art, outcome.touched, outcome.retyped)
            names = {f.resource for f in findings if f.resource in outcome.touched}
            return {
                "iri": outcome.iri,
                "file": outcome.file,
                "turtle": outcome.turtle,
                "findings": views.findings_json(workspace, art, findings),
                "touched_with_findings": sorted(n for n in names if n),
            }, status

        return _answer(workspace, run, lock=True)

    @app.post("/api/articles/<slug>/resources")
    def create(slug: str) -> Response:
        return write(slug, lambda art: editor.create(art, _json()), 201)

    @app.put("/api/articles/<slug>/resources/<name>")
    def replace(slug: str, name: str) -> Response:
        return write(slug, lambda art: editor.replace(art, name, _json()))

    @app.delete("/api/articles/<slug>/resources/<name>")
    def delete(slug: str, name: str) -> Response:
        return write(slug, lambda art: editor.delete(art, name))

    @app.post("/api/articles/<slug>/resources/<name>/evidence")
    def evidence(slug: str, name: str) -> Response:
        return write(slug, lambda art: editor.add_evidence(art, name, _json()), 201)

    @app.post("/api/articles/<slug>/resources/<name>/links")
    def link(slug: str, name: str) -> Response:
        return write(slug, lambda art: editor.add_link(art, name, _json()), 201)

    @app.post("/api/articles/<slug>/drafts/<name>/<verb>")
    def draft(slug: str, name: str, verb: str) -> Response:
        if verb not in ("accept", "reject"):
            return _error(404, f"no such action on a draft: {verb} (accept or reject)")
        return write(slug, lambda art: editor.drafts(art, [name], verb == "accept"))

    @app.post("/api/articles/<slug>/drafts/<verb>")
    def drafts(slug: str, verb: str) -> Response:
        if verb not in ("accept", "reject"):
            return _error(404, f"no such action on drafts: {verb} (accept or reject)")

        def act(art: Any) -> Outcome:
            body = _json()
            names = body.get("names") if isinstance(body, dict) else None
            if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                raise Refused(400, 'the body must be {"names": [local names of drafts]}')
            return editor.drafts(art, names, verb == "accept")

        return write(slug, act)

    @app.post("/api/articles/<slug>/undo")
    def undo(slug: str) -> Response:
        return write(slug, editor.undo)

    @app.post("/api/articles/<slug>/check")
    def check(slug: str) -> Response:
        def run() -> tuple[dict[str, Any], int]:
            art = workspace.article(slug)
            found = workspace.check(slug).full(art)
            body = _json() if request.content_length else {}
            if isinstance(body, dict) and body.get("owl"):
                found = found + owl_findings(workspace.root, art)
            return {"findings": views.findings_json(workspace, art, found)}, 200

        return _answer(workspace, run, lock=True)

    return app


def set_address(app: Flask, host: str, port: int) -> None:
    """The address the studio answers to (set again once the server knows its port)."""
    app.config["STUDIO_HOSTS"] = security.allowed_hosts(host, port)
    app.config["STUDIO_URL"] = (
        f"http://{'127.0.0.1' if host in ('localhost', '::1') else host}:{port}/"
    )


def _json() -> Any:
    data = request.get_json(silent=True)
    if data is None:
        raise Refused(400, "the body is not JSON")
    return data


def _answer(
    workspace: Workspace, run: Callable[[], tuple[dict[str, Any], int]], lock: bool = False
) -> Response:
    try:
        if lock:
            with workspace.lock:
                body, status = run()
        else:
            body, status = run()
    except Refused as err:
        return _error(err.status, str(err), **err.extra)
    except NotFound as err:
        return _error(404, str(err))
    response = jsonify(body)
    response.status_code = status
    return response


def _error(status: int, message: str, **extra: object) -> Response:
    response = jsonify({"error": message, **{k: v for k, v in extra.items() if v is not None}})
    response.status_code = status
    return response


@contextmanager
def serve(app: Flask, host: str = "127.0.0.1", port: int = 0) -> Iterator[BaseWSGIServer]:
    """Run `app` on a threaded WSGI server at host:port (0: a free port) while the block runs."""
    server = make_server(host, port, app, threaded=True)
    set_address(app, host, server.server_port)
    thread = threading.Thread(target=server.serve_forever, name="pillars-studio", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        thread.join(timeout=10)

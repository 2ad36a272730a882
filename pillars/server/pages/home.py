"""The home page: the articles (a page of summaries at a time) and the competency questions."""

from __future__ import annotations

from flask import Response, current_app, render_template, request

from pillars.server.pages import query
from pillars.server.pages.base import (
    article_slugs,
    bp,
)
from pillars.server.pages.graphs import HOME_PAGE_SIZE, graph_summary
from pillars.server.pages.query import queries_dir


@bp.get("/")
def home() -> Response | str:
    slugs = article_slugs()
    pages = max(1, -(-len(slugs) // HOME_PAGE_SIZE))
    asked = request.args.get("page") or "1"
    if not (asked.isascii() and asked.isdigit() and 1 <= int(asked) <= pages):
        message = f"parameter page: expected a whole number from 1 to {pages}, got {asked[:40]!r}"
        return Response(message + "\n", 400, content_type="text/plain; charset=utf-8")
    page = int(asked)
    shown = slugs[(page - 1) * HOME_PAGE_SIZE : page * HOME_PAGE_SIZE]
    every = frozenset(slugs)
    articles = [graph_summary(slug, every) for slug in shown]
    examples = query.load_examples(queries_dir())
    return render_template(
        "home.html",
        articles=articles,
        total=len(slugs),
        first=(page - 1) * HOME_PAGE_SIZE + 1,
        page=page,
        pages=pages,
        examples=examples,
        void=_void_url(),
    )


def _void_url() -> str | None:
    # The VoID description belongs to the SPARQL area; link it when that route exists.
    for rule in current_app.url_map.iter_rules():
        if "void" in rule.rule.lower() and "<" not in rule.rule:
            return f"{request.script_root}{rule.rule}"
    return None

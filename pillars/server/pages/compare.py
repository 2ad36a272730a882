"""Comparing articles: /compare?articles=a,b (a table) and /compare.csv?articles=a,b (its lines).

The comparison is `pillars.compare`; this module checks the parameter, links each line to its
evidence and renders. Without articles the page is the chooser; an unknown slug or more than
`compare.MAX_ARTICLES` is a 400 naming the parameter (the CSV has no chooser, so it asks for
the parameter too).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, render_template, request, url_for

from pillars import compare
from pillars.compare import Line
from pillars.server.errors import HttpError
from pillars.server.pages.base import article_slugs, bp, linker, store
from pillars.server.state import state


def _chosen() -> list[str]:
    """The slugs asked for (`articles=a,b` or repeated, as the chooser's boxes send them)."""
    slugs = compare.parse_slugs(request.args.getlist("articles"))
    if len(slugs) > compare.MAX_ARTICLES:
        raise HttpError(
            400,
            f"parameter articles: at most {compare.MAX_ARTICLES} articles can be compared "
            f"at once, got {len(slugs)}",
        )
    try:
        compare.check_slugs(slugs, article_slugs())
    except compare.UnknownArticle as err:
        raise HttpError(400, f"parameter articles: {err}") from None
    return slugs


def _titles() -> dict[str, str]:
    """Every article's title, read once per process (the served store does not change)."""
    titles: dict[str, str] = state().memo.get(
        ("compare", "titles"), lambda: compare.titles(store(), article_slugs())
    )
    return titles


def quote_link() -> Callable[[Line], str | None]:
    """Where a line's evidence is: the span marked in the full text, else the evidence's page."""
    link = linker()

    def href(line: Line) -> str | None:
        quote = line.quote
        if quote is None:
            return None
        if quote.text and quote.start is not None and quote.end is not None:
            return f"{link(quote.text)}?start={quote.start}&end={quote.end}#mark"
        return link(quote.evidence) if quote.evidence else None

    return href


@bp.get("/compare")
def compare_page() -> str:
    slugs = _chosen()
    titles = _titles()
    comparison = compare.compare(store(), slugs) if slugs else None
    choices = sorted(titles.items(), key=lambda item: compare.natural_key(item[1]))
    return render_template(
        "compare.html",
        comparison=comparison,
        chosen=slugs,
        choices=choices,
        limit=compare.MAX_ARTICLES,
        quote_href=quote_link(),
        csv_url=url_for("pages.compare_csv", articles=",".join(slugs)) if slugs else None,
    )


@bp.get("/compare.csv")
def compare_csv() -> Response:
    slugs = _chosen()
    if not slugs:
        raise HttpError(400, "parameter articles: give the slugs of the articles to compare, a,b")
    href = quote_link()
    root = request.host_url.rstrip("/")

    def evidence_url(line: Line) -> str:
        where = href(line)
        return root + where if where and where.startswith("/") else where or ""

    body = compare.csv_text(compare.compare(store(), slugs), evidence_url)
    response = Response(body, content_type="text/csv; charset=utf-8; header=present")
    name = "compare-" + "-".join(slugs) if len(slugs) <= 3 else f"compare-{len(slugs)}-articles"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response

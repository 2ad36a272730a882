"""Articles side by side: what each states about pillars, threats, limits, actors and figures.

`compare(store, slugs)` reads the chosen articles' named graphs (and the shared graph for the
names of actors and concepts) into a `Comparison`: sections of rows, one cell per article,
each cell a list of `Line`s that carry the quote that anchors them. Rows are what the articles
can share: the SKOS concept of `pil:threatType` / `pil:limitType` (graph/shared, narrower
concepts under their `skos:broader` one), an actor's role; pillars and figures have no shared
key, so each is one row.

Every query names its graphs in a VALUES block (`GRAPH ?g`), so the cost grows with the
articles chosen, not with the corpus (docs/pages.md, "Comparing articles"). Only asserted
triples are read: entailed graphs are not among the graphs named.

A sub-threat or sub-limit (`pil:subThreatOf`, `pil:subLimitOf`) with no type of its own is
listed under its broader one, so a row's lines are the article's own points of that type.

Here: `compare`, the parameter's checks and the CSV; `model.py` the dataclasses,
`reader.py` the queries, `sections.py` one function per section.
"""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Callable, Iterable, Sequence

import pyoxigraph as ox

from pillars.compare.model import (
    MAX_ARTICLES,
    PREFIXES,
    Article,
    Comparison,
    Line,
    Quote,
    Row,
    Section,
    UnknownArticle,
    natural_key,
)
from pillars.compare.reader import Reader
from pillars.compare.sections import actors, articles, figures, limits, pillars, threats
from pillars.namespaces import article_graph
from pillars.store_interface import ReadStore, select

__all__ = [
    "CSV_HEADER", "MAX_ARTICLES", "Article", "Comparison", "Line", "Quote", "Row", "Section",
    "UnknownArticle", "check_slugs", "compare", "csv_text", "natural_key", "parse_slugs",
    "titles",
]  # fmt: skip


def compare(store: ReadStore, slugs: Sequence[str]) -> Comparison:
    """The chosen articles (slugs already checked with `check_slugs`) side by side."""
    reader = Reader(store, list(slugs))
    reader.read_names()
    reader.read_quotes()
    sections = (pillars(reader), threats(reader), limits(reader), actors(reader), figures(reader))
    return Comparison(articles(reader), sections)


def parse_slugs(values: Iterable[str]) -> list[str]:
    """`a,b` and repeated parameters alike; blanks dropped, the first of a repeat kept."""
    seen: dict[str, None] = {}
    for value in values:
        for part in value.split(","):
            if part.strip():
                seen[part.strip()] = None
    return list(seen)


def check_slugs(slugs: Sequence[str], known: Sequence[str]) -> None:
    """Raise UnknownArticle for the first slug not among `known`, with the nearest ones."""
    held = set(known)
    for slug in slugs:
        if slug not in held:
            raise UnknownArticle(slug, difflib.get_close_matches(slug, known, n=3, cutoff=0.5))


CSV_HEADER = (
    "section", "row", "row_iri", "article", "article_title", "line", "line_iri", "within",
    "note", "quote", "quote_start", "quote_end", "evidence_url",
)  # fmt: skip


def csv_text(comparison: Comparison, evidence_url: Callable[[Line], str]) -> str:
    """A header, then one row per line of every cell (children name their line in `within`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for section in comparison.sections:
        for row in section.rows:
            for article, cell in zip(comparison.articles, row.cells, strict=True):
                for line, within in _flatten(cell, ""):
                    quote = line.quote
                    writer.writerow([
                        section.title, row.label, row.iri or "", article.slug, article.title,
                        line.label, line.iri, within, line.note,
                        quote.exact if quote else "",
                        "" if quote is None or quote.start is None else quote.start,
                        "" if quote is None or quote.end is None else quote.end,
                        evidence_url(line),
                    ])  # fmt: skip
    return out.getvalue()


def _flatten(lines: Iterable[Line], within: str) -> Iterable[tuple[Line, str]]:
    for line in lines:
        yield line, within
        yield from _flatten(line.children, line.label)


def titles(store: ReadStore, slugs: Iterable[str]) -> dict[str, str]:
    """Each article's title (its slug where it has none), for choosing articles: one query
    by the type index, answered without reading the articles' other statements."""
    wanted = {article_graph(s): s for s in slugs}
    pattern = "?a a pil:Article ; dcterms:title ?title"
    query = f"{PREFIXES}SELECT ?g ?title WHERE {{ GRAPH ?g {{ {pattern} }} }}"
    found: dict[str, str] = {}
    for row in select(store, query):
        slug = wanted.get(row["g"].value)
        if slug is not None and isinstance(row["title"], ox.Literal):
            title = " ".join(row["title"].value.split())
            if title and (slug not in found or title < found[slug]):
                found[slug] = title
    return {slug: found.get(slug, slug) for slug in wanted.values()}

"""Full-text search: a page at /search and a JSON API at /search.json (see pillars/search_index.py).

The index is built on first use in this process (in memory for an in-memory store, reopened
from the store folder for an on-disk one), so serving starts as fast without it.

Search is typed and faceted: every hit says what kind of thing it is (the label of its most
specific asserted class) and which article holds it; a quote (a pil:Evidence) comes with the
sentence of the article text that holds it and the things it is evidence of. Facets (kind,
article, actor) count the best `FACET_BOUND` hits and narrow the search when chosen.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request

from pillars.corpus import RDF_TYPE
from pillars.entailment import is_entailed_graph
from pillars.namespaces import DCTERMS, GRAPH, NIF, OA, PIL, SHARED_SLUG
from pillars.search_index import FACET_BOUND, FUNCTION_NS, Faceted, Hit, SearchError, SearchIndex
from pillars.server.pages.terms import label_of, local_name
from pillars.server.state import Memo, state
from pillars.stats import split_body
from pillars.store_interface import ReadStore

bp = Blueprint("search", __name__)
PAGE_SIZE = 20
FACET_VALUES = 20  # values listed per facet (the most frequent); the rest are counted as `more`
FACETS = ("type", "article", "actor")
_TITLE = ox.NamedNode(DCTERMS + "title")
_ARTICLE = ox.NamedNode(PIL + "Article")
_HAS_EVIDENCE = ox.NamedNode(PIL + "hasEvidence")
_IN_TEXT = ox.NamedNode(PIL + "inText")
_IS_STRING = ox.NamedNode(NIF + "isString")
_START = ox.NamedNode(OA + "start")
_END = ox.NamedNode(OA + "end")
_NOT_ARTICLES = {SHARED_SLUG, "ontology", "shapes"}  # graphs that are not one article's


def _int(name: str, default: int) -> int:
    value = request.args.get(name, "")
    if value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise SearchError(f"parameter {name}: expected an integer, got {value[:40]!r}") from None


def _error(err: SearchError, as_json: bool) -> Response:
    if as_json:
        resp = jsonify({"error": str(err)})
    else:
        resp = Response(f"{err}\n", content_type="text/plain; charset=utf-8")
    resp.status_code = 400
    return resp


@dataclass(frozen=True)
class Filters:
    """The facets chosen: a class IRI, a graph IRI (from `article` or `graph`), an actor IRI."""

    type: str | None = None
    graph: str | None = None
    actor: str | None = None
    article: str | None = None  # the slug given, kept for the page's links

    def params(self, **change: str | None) -> dict[str, str]:
        """The query parameters of these filters, with `change` applied (None drops one)."""
        values = {"type": self.type, "article": self.article, "actor": self.actor}
        if self.graph and not self.article:
            values["graph"] = self.graph
        values.update(change)
        return {k: v for k, v in values.items() if v}


def _filters(index: SearchIndex) -> Filters:
    """The facet parameters, each checked against the values the index holds."""
    args = request.args
    type_ = args.get("type") or None
    actor = args.get("actor") or None
    article = args.get("article") or None
    graph = args.get("graph") or None
    if type_ is not None and not index.has_facet_value("type", type_):
        raise SearchError(f"parameter type: no indexed thing has the class {type_[:200]!r}")
    if actor is not None and not index.has_facet_value("actor", actor):
        raise SearchError(f"parameter actor: no indexed thing concerns the actor {actor[:200]!r}")
    if article is not None:
        if not index.has_facet_value("graph", GRAPH + article):
            raise SearchError(f"parameter article: no article or graph named {article[:200]!r}")
        if graph is not None and graph != GRAPH + article:
            raise SearchError("parameters article and graph: they name different graphs")
        graph = GRAPH + article
    return Filters(type_, graph, actor, article)


@lru_cache(maxsize=32)
def _sentences(text: str) -> tuple[list[int], list[int]]:
    """The article text's sentences (pillars.stats.split_body): their starts and ends, in order."""
    found = split_body(text, set())[0]
    return [s.start for s in found], [s.end for s in found]


def _literal(store: ReadStore, node: ox.NamedNode, predicate: ox.NamedNode) -> str | None:
    for quad in store.quads_for_pattern(node, predicate, None, None):
        if isinstance(quad.object, ox.Literal):
            return quad.object.value
    return None


def _integer(store: ReadStore, node: ox.NamedNode, predicate: ox.NamedNode) -> int | None:
    value = _literal(store, node, predicate)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def sentence_of(store: ReadStore, evidence: str) -> str | None:
    """The sentence(s) of the article text holding the quote: from the one its start falls in
    to the one its end falls in; None without a text or an anchor inside a sentence."""
    node = ox.NamedNode(evidence)
    start, end = _integer(store, node, _START), _integer(store, node, _END)
    if start is None or end is None or end < start:
        return None
    for quad in store.quads_for_pattern(node, _IN_TEXT, None, None):
        if not isinstance(quad.object, ox.NamedNode):
            continue
        text = _literal(store, quad.object, _IS_STRING)
        if text is None:
            continue
        starts, ends = _sentences(text)
        first = bisect_right(ends, start)  # the first sentence ending after the quote starts
        last = bisect_left(starts, max(end, start + 1)) - 1  # the last starting before its end
        if first <= last:
            return text[starts[first] : ends[last]].strip()
    return None


def evidence_of(store: ReadStore, evidence: str) -> list[str]:
    """What points at this evidence with pil:hasEvidence (asserted graphs), in IRI order."""
    owners = {
        q.subject.value
        for q in store.quads_for_pattern(None, _HAS_EVIDENCE, ox.NamedNode(evidence), None)
        if isinstance(q.subject, ox.NamedNode)
        and not is_entailed_graph(getattr(q.graph_name, "value", ""))
    }
    return sorted(owners)


class Names:
    """Labels of resources, classes and articles, and quotes' sentences and owners, read from
    the store once and then kept (`Memo`: the served store does not change)."""

    def __init__(self, store: ReadStore, memo: Memo | None = None) -> None:
        self.store = store
        self.memo = memo if memo is not None else Memo(size=10_000)  # an empty Memo is falsy

    def label(self, iri: str) -> str:
        label: str = self.memo.get(
            ("label", iri), lambda: label_of(self.store, ox.NamedNode(iri)) or local_name(iri)
        )
        return label

    def sentence(self, evidence: str) -> str | None:
        found: str | None = self.memo.get(
            ("sentence", evidence), lambda: sentence_of(self.store, evidence)
        )
        return found

    def owners(self, evidence: str) -> list[str]:
        found: list[str] = self.memo.get(
            ("evidence_of", evidence), lambda: evidence_of(self.store, evidence)
        )
        return found

    def kind(self, iri: str) -> str:
        return self.label(iri) if iri else "untyped"

    def title(self, graph: str) -> str | None:
        """The title of the article a graph holds; None for shared graphs and the like."""
        title: str | None = self.memo.get(("title", graph), lambda: self._title(graph))
        return title

    def _title(self, graph: str) -> str | None:
        slug = graph.removeprefix(GRAPH)
        if not graph.startswith(GRAPH) or slug in _NOT_ARTICLES:
            return None
        for quad in self.store.quads_for_pattern(None, _TITLE, None, ox.NamedNode(graph)):
            typed = self.store.quads_for_pattern(quad.subject, RDF_TYPE, _ARTICLE, None)
            if isinstance(quad.object, ox.Literal) and any(True for _ in typed):
                return quad.object.value
        return slug

    def article(self, graph: str) -> dict[str, str] | None:
        title = self.title(graph)
        return None if title is None else {"slug": graph.removeprefix(GRAPH), "title": title}

    def article_name(self, graph: str) -> str:
        """What the page calls a hit's article: its title, else the graph's name ("shared")."""
        return self.title(graph) or graph.removeprefix(GRAPH)


def hit_view(hit: Hit, names: Names) -> dict[str, Any]:
    """A hit as /search.json gives it: the index's fields, its type, article, actors, and
    for a quote its sentence and what it is evidence of."""
    out: dict[str, Any] = hit.as_dict()
    out["label"] = names.label(hit.resource)
    out["type"] = {"iri": hit.type, "label": names.kind(hit.type)} if hit.type else None
    out["article"] = names.article(hit.graph)
    out["actors"] = [{"iri": a, "label": names.label(a)} for a in hit.actors]
    if hit.kind == "quote":
        out["sentence"] = names.sentence(hit.resource)
        out["evidence_of"] = [
            {"iri": o, "label": names.label(o)} for o in names.owners(hit.resource)
        ]
    return out


def facets_view(found: Faceted, names: Names, chosen: Filters) -> dict[str, Any]:
    """Each facet's most frequent values (label and count), the selected one always among
    them, and how many values are left out."""

    def listing(counts: dict[str, int], selected: str | None, name: Any) -> dict[str, Any]:
        ranked = sorted(((v, n) for v, n in counts.items() if v), key=lambda kv: (-kv[1], kv[0]))
        shown = ranked[:FACET_VALUES]
        if selected and all(v != selected for v, _ in shown) and selected in counts:
            shown.append((selected, counts[selected]))
        return {
            "values": [{**name(v), "count": n, "selected": v == selected} for v, n in shown],
            "more": len(ranked) - len(shown),
        }

    graphs: dict[str, int] = {}
    for graph, n in found.graphs.items():
        key = graph.removeprefix(GRAPH)
        graphs[key] = graphs.get(key, 0) + n
    selected_article = chosen.graph.removeprefix(GRAPH) if chosen.graph else None
    return {
        "counted": found.counted,
        "bound": FACET_BOUND,
        "type": listing(found.types, chosen.type, lambda v: {"value": v, "label": names.kind(v)}),
        "article": listing(
            graphs,
            selected_article,
            lambda v: {"value": v, "label": names.article_name(GRAPH + v)},
        ),
        "actor": listing(
            found.actors, chosen.actor, lambda v: {"value": v, "label": names.label(v)}
        ),
    }


@bp.route("/search.json")
def search_json() -> Response:
    """`q` (words, all required), optional `limit` (1-1000), `offset`, `graph` (a graph IRI),
    and the facets: `type` (a class IRI: hits whose most specific asserted class it is),
    `article` (an article's slug, or `shared`: hits in that graph), `actor` (an actor IRI:
    hits whose resource is that actor or links straight to it, a quote through what it is
    evidence of). An unknown value is a 400 naming the parameter.

    The answer: `q`, `limit`, `offset`, `total`, `hits` and `facets`. Each hit has
    `resource`, `graph`, `kind` (quote, label or title), `text`, `snippet`, and `label`,
    `type` ({iri, label}, or null for an untyped resource), `article` ({slug, title}, or
    null for shared things), `actors` ([{iri, label}]); a quote also `sentence` (the
    sentence of the article text holding it, or null) and `evidence_of` ([{iri, label}]).
    `facets` has `counted` (the hits counted: the best `bound` = 1,000 at most) and, for
    `type`, `article`, `actor`, `values` ([{value, label, count, selected}], the 20 most
    frequent) and `more` (values left out).
    """
    words = request.args.get("q", "")
    try:
        limit, offset = _int("limit", PAGE_SIZE), _int("offset", 0)
        index = state().search()
        chosen = _filters(index)
        found = index.faceted(words, limit, offset, chosen.graph, chosen.type, chosen.actor)
    except SearchError as err:
        return _error(err, True)
    names = Names(state().store, state().memo)
    resp = jsonify(
        {
            "q": words,
            "limit": limit,
            "offset": offset,
            "total": found.total,
            "hits": [hit_view(h, names) for h in found.hits],
            "facets": facets_view(found, names, chosen),
        }
    )
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


def labels(hits: list[Hit]) -> dict[str, str]:
    """What each hit's resource is called on its own page (its IRI is no name for a reader)."""
    store = state().store
    return {
        h.resource: label_of(store, ox.NamedNode(h.resource)) or local_name(h.resource)
        for h in hits
    }


@bp.route("/search")
def search_page() -> Response | str:
    words = request.args.get("q", "").strip()
    error, offset = "", 0
    chosen = Filters()
    found = Faceted([], 0, 0)
    names = Names(state().store, state().memo)
    if words:
        try:
            offset = max(0, _int("offset", 0))
            index = state().search()
            chosen = _filters(index)
            found = index.faceted(words, PAGE_SIZE, offset, chosen.graph, chosen.type, chosen.actor)
        except SearchError as err:
            error = str(err)
    html = render_template(
        "search.html",
        words=words,
        hits=[(h, hit_view(h, names)) for h in found.hits],
        facets=facets_view(found, names, chosen) if found.hits or chosen.params() else None,
        chosen=chosen,
        error=error,
        offset=offset,
        total=found.total,
        page_size=PAGE_SIZE,
        function_ns=FUNCTION_NS,
        facet_names={"type": "Kind", "article": "Article", "actor": "Actor"},
    )
    return Response(html, 400 if error else 200, content_type="text/html; charset=utf-8")

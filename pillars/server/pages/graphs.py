"""Named graphs and dumps: /graph/<name> (a summary page or the graph in an RDF format),
what each graph holds (counted once per app), /dumps/ (whole dataset or one graph, as files).
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Response, render_template, request, send_file

from pillars.corpus import RDF_TYPE
from pillars.export import write_rdf
from pillars.namespaces import GRAPH, PIL
from pillars.server.pages import article
from pillars.server.pages.base import (
    PAGE_MAX_AGE,
    alternates,
    article_slugs,
    bp,
    graph_triples,
    has_graph,
    linker,
    named_graphs,
    not_acceptable,
    not_found,
    rdf_response,
    store,
)
from pillars.server.pages.rdf import FORMATS, HTML, negotiate
from pillars.server.pages.rdf import split_extension as split_ext
from pillars.server.pages.terms import label_of, value_of
from pillars.server.state import state
from pillars.store_interface import select

DUMP_FORMATS = {  # file extension: `pillars export` format, media type
    "trig": ("trig", "application/trig"),
    "nq": ("nquads", "application/n-quads"),
}
HOME_PAGE_SIZE = 25  # articles per home page: each summary reads the article's whole graph


@bp.get("/graph/<path:name>")
def graph(name: str) -> Response:
    stem, fmt = split_ext(name)
    iri = GRAPH + stem
    if not has_graph(iri):
        return not_found(iri)
    explicit = fmt is not None
    if fmt is None:
        fmt = negotiate(request.accept_mimetypes)
        if fmt is None:
            return not_acceptable()
    if fmt is HTML:
        response = Response(
            render_template(
                "graph.html",
                g=graph_summary(stem, frozenset(article_slugs())),
                formats=[f for f in FORMATS if f is not HTML],
            ),
            mimetype="text/html",
        )
        response.headers["Link"] = alternates("graph/" + stem)
    else:
        response = rdf_response(graph_triples(iri), fmt, alternates("graph/" + stem))
    if not explicit:
        response.vary.add("Accept")
        response.headers["Content-Location"] = f"{request.script_root}/graph/{stem}.{fmt.ext}"
    return response


_COUNTED = (
    ("Claims", "Claim"),
    ("Pillars", "Pillar"),
    ("Pillar components", "PillarComponent"),
    ("Threats", "Threat"),
    ("Threat perceptions", "ThreatPerception"),
    ("Limits", "Limit"),
    ("Quantities", "Quantity"),
    ("Citations", "Citation"),
    ("Cited works", "Source"),
    ("Evidence quotes", "Evidence"),
    ("Actors", "Actor"),
    ("Events", "Event"),
)


def _counted_classes() -> dict[str, frozenset[str]]:
    """Each class IRI, mapped to the counted classes it is (a subclass of): read once per app."""
    shared = state()
    if shared.counted_classes is None:
        query = (
            f"PREFIX pil: <{PIL}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT ?t ?cls WHERE { ?t rdfs:subClassOf* ?cls VALUES ?cls { "
            + " ".join(f"pil:{c}" for _, c in _COUNTED)
            + " } }"
        )
        found: dict[str, set[str]] = {}
        for row in select(store(), query, union=True):
            found.setdefault(row["t"].value, set()).add(row["cls"].value[len(PIL) :])
        shared.counted_classes = {t: frozenset(classes) for t, classes in found.items()}
    return shared.counted_classes


def _graph_counts(g: ox.NamedNode) -> tuple[int, dict[str, int]]:
    """The graph's triples, and how many things of each counted class it holds: those typed
    in it, and shared things (actors, events) it mentions, typed wherever they are.

    One pass over the graph and one query for the types of the IRIs it mentions: a SPARQL
    join through rdfs:subClassOf* took 0.7 s per article of a 1,000-article store.
    """
    types: dict[object, set[str]] = {}  # thing -> its class IRIs
    mentioned: set[ox.NamedNode] = set()
    size = 0
    for quad in store().quads_for_pattern(None, None, None, g):
        size += 1
        if quad.predicate == RDF_TYPE and isinstance(quad.object, ox.NamedNode):
            types.setdefault(quad.subject, set()).add(quad.object.value)
        if isinstance(quad.object, ox.NamedNode):
            mentioned.add(quad.object)
    if mentioned:  # one query, not a lookup per IRI: a remote store answers it in one request
        values = " ".join(str(thing) for thing in mentioned)
        query = (
            f"SELECT DISTINCT ?x ?t WHERE {{ VALUES ?x {{ {values} }} ?x a ?t FILTER(isIRI(?t)) }}"
        )
        for row in select(store(), query, union=True):
            types.setdefault(row["x"], set()).add(row["t"].value)
    counted = _counted_classes()
    counts: dict[str, int] = {}
    for found in types.values():
        classes: set[str] = set()
        for t in found:
            classes |= counted.get(t, frozenset())
        for cls in classes:  # a thing counts once per class, whatever types lead there
            counts[cls] = counts.get(cls, 0) + 1
    return size, counts


def graph_summary(slug: str, articles: frozenset[str]) -> dict[str, Any]:
    link = linker()
    iri = GRAPH + slug
    g = ox.NamedNode(iri)
    # Counted once per app and graph: the served store does not change.
    memo = state().graph_counts
    if iri not in memo:
        memo[iri] = _graph_counts(g)
    size, counts = memo[iri]
    node = next(
        (q.subject for q in store().quads_for_pattern(None, RDF_TYPE, article.ARTICLE, g)), None
    )
    byline = article.byline(store(), node, slug, link) if isinstance(node, ox.NamedNode) else {}
    return {
        **byline,
        "slug": slug,
        "iri": iri,
        "triples": size,
        "counts": [(label, counts.get(cls, 0)) for label, cls in _COUNTED if counts.get(cls)],
        "article": value_of(store(), node, link) if isinstance(node, ox.NamedNode) else None,
        "title": (label_of(store(), node) if isinstance(node, ox.NamedNode) else None) or slug,
        "is_article": slug in articles,
    }


@bp.get("/dumps/")
def dumps_index() -> str:
    return render_template(
        "dumps.html", graphs=[g[len(GRAPH) :] for g in named_graphs() if g.startswith(GRAPH)]
    )


@bp.get("/dumps/<path:name>")  # a path: entailed graphs are graph/entailed/<name>
def dump(name: str) -> Response:
    stem, _, ext = name.rpartition(".")
    if stem == "pillars" and ext in DUMP_FORMATS:
        (fmt, media), graphs = DUMP_FORMATS[ext], []
    elif ext == "ttl" and has_graph(GRAPH + stem):
        fmt, media, graphs = "turtle", "text/turtle", [GRAPH + stem]
    else:
        return not_found(f"{request.url_root}dumps/{name}")
    served = store()
    done = state().dumps().file(name, lambda out: write_rdf(served, fmt, graphs, not graphs, out))
    # From the file: Content-Length, an ETag of the content, 304 and Range requests.
    response = send_file(
        done.path, mimetype=media, etag=done.etag, conditional=True, max_age=PAGE_MAX_AGE
    )
    filename = name.replace("/", "-")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

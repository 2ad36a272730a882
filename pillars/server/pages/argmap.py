"""The argument map's page family: `/map/<slug>.json`, the data the article page's map is drawn
from in the browser (static/argmap.js lays it out with elkjs), and `/map/<slug>.aif.json`, the
same argument in the Argument Interchange Format.

The JSON holds two views. The argument (pillars.argmap_data): claims and what they support,
attack or concern. The taxonomy, the map's second tab: thesis -> pillars, limits ->
components, sub-limits -> threats, and the actors who perceive the threats or are involved in
the limits (drawn only on demand).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Response, render_template, request

from pillars import aif, argmap_data
from pillars.namespaces import ID, OA, PIL, article_graph
from pillars.server.errors import HttpError
from pillars.server.pages.article import article_of
from pillars.server.pages.base import article_slugs, bp, linker, store
from pillars.server.pages.terms import label_of, local_name
from pillars.store_interface import ReadStore, select

# The layout library, copied from npm by `make assets` (git-ignored, so it may be missing).
LIBRARY = "vendor/elk.bundled.js"

_PREFIXES = (
    f"PREFIX pil: <{PIL}>\nPREFIX oa: <{OA}>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)

# (kind, SPARQL body binding ?node and optionally ?parent) evaluated inside GRAPH <article>;
# ?cls is matched against the ontology's class tree outside the article graph.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("thesis", "GRAPH ?g { { ?a pil:hasThesis ?node } UNION { ?node a pil:Thesis } }"),
    ("pillar", "GRAPH ?g { { ?c pil:hasPillar ?node } UNION { ?node a pil:Pillar } }"),
    ("component", "GRAPH ?g { ?parent pil:hasComponent ?node }"),
    ("component", "GRAPH ?g { ?node a pil:PillarComponent }"),
    ("threat", "GRAPH ?g { ?node pil:groupedUnder ?parent }"),
    ("threat", "GRAPH ?g { ?p pil:perceivedThreat ?node }"),
    ("threat", "GRAPH ?g { ?node a ?cls } ?cls rdfs:subClassOf* pil:Threat"),
    (
        "limit",
        "GRAPH ?g { ?c pil:restrainedBy ?node FILTER NOT EXISTS { ?node pil:subLimitOf ?x } }",
    ),
    (
        "limit",
        "GRAPH ?g { ?node a ?cls FILTER NOT EXISTS { ?node pil:subLimitOf ?x } } "
        "?cls rdfs:subClassOf* pil:Limit",
    ),
    ("sublimit", "GRAPH ?g { ?node pil:subLimitOf ?parent }"),
)
# Edges to actors: (relation, SPARQL body binding ?from and ?node).
_ACTOR_EDGES = (
    ("perceiver", "GRAPH ?g { ?p pil:perceivedThreat ?from ; pil:perceiver ?node }"),
    ("involves", "GRAPH ?g { ?from pil:involves ?node }"),  # kept when ?from is on the map
)
# A taxonomy kind as the argument view names it: (family, class local name).
_FAMILY = {
    "thesis": ("claim", "Thesis"),
    "pillar": ("pillar", "Pillar"),
    "component": ("component", "PillarComponent"),
    "threat": ("threat", "Threat"),
    "limit": ("limit", "Limit"),
    "sublimit": ("limit", "Limit"),
    "actor": ("actor", "Actor"),
}


@dataclass
class TaxonomyNode:
    id: str  # the IRI, or band|IRI for an actor (an actor appears once per band)
    iri: str
    family: str
    kind: str
    kind_label: str
    label: str
    order: int | None
    section: str | None
    quote: str | None
    band: str = "argument"
    parents: list[str] = field(default_factory=list)


@dataclass
class Taxonomy:
    nodes: dict[str, TaxonomyNode]
    edges: list[tuple[str, str, str]]  # source id, target id, relation


def taxonomy(store: ReadStore, slug: str) -> Taxonomy:
    nodes: dict[str, TaxonomyNode] = {}
    edges: list[tuple[str, str, str]] = []
    quotes = argmap_data.first_quotes(store, article_graph(slug))

    def add(node: ox.NamedNode, kind: str, band: str = "argument") -> TaxonomyNode:
        key = f"{band}|{node.value}" if kind == "actor" else node.value
        found = nodes.get(key)
        if found is None:
            label = label_of(store, node) or local_name(node.value)
            quote = quotes.get(node.value)
            family, cls = _FAMILY[kind]
            kind_label = "sub-limit" if kind == "sublimit" else kind
            found = nodes[key] = TaxonomyNode(
                key,
                node.value,
                family,
                cls,
                kind_label,
                label,
                order=quote.start if quote else None,
                section=quote.section if quote else None,
                quote=quote.exact if quote else None,
            )
            if kind in ("limit", "sublimit", "actor"):
                found.band = band if kind == "actor" else "limits"
        return found

    for kind, pattern in _PATTERNS:
        for row in _rows(store, pattern, slug):
            if "node" not in row:
                continue
            node = add(row["node"], kind)
            parent = row.get("parent")
            if parent is not None and parent.value != node.iri:
                node.parents.append(parent.value)
    for relation, pattern in _ACTOR_EDGES:
        for row in _rows(store, pattern, slug):
            source = nodes.get(row["from"].value) if "from" in row else None
            if "node" in row and source is not None:
                actor = add(row["node"], "actor", source.band)
                edges.append((source.id, actor.id, relation))
    roots = [n for n in nodes.values() if n.kind == "Thesis"]
    for node in nodes.values():
        node.parents = [p for p in node.parents if p in nodes]
        for parent_key in node.parents:
            edges.append((parent_key, node.id, "part"))
        if not node.parents and roots and node.family not in ("claim", "actor"):
            edges.append((roots[0].id, node.id, "part"))
    return Taxonomy(nodes, sorted(set(edges)))


def _rows(store: ReadStore, body: str, slug: str) -> list[dict[str, ox.NamedNode]]:
    # The graph IRI goes in as its N-Triples form, which NamedNode has already validated.
    graph = str(ox.NamedNode(article_graph(slug)))
    bound = re.sub(r"\?g\b", lambda _: graph, body)  # ?g only, not ?group
    query = f"{_PREFIXES}SELECT * WHERE {{ {bound} }}"
    rows = []
    for solution in select(store, query, union=True):
        row = {}
        for name in ("node", "parent", "from"):
            term = solution[name] if f"?{name}" in body else None
            if isinstance(term, ox.NamedNode):
                row[name] = term
        rows.append(row)
    return rows


def map_data(store: ReadStore, slug: str, link: Callable[[str], str]) -> dict[str, Any] | None:
    """What /map/<slug>.json answers: the argument, its taxonomy, and each node's page."""
    argument = argmap_data.build(store, slug)
    if argument is None:
        return None
    data = argument.as_json()
    for node in data["nodes"]:
        node["id"] = node["iri"]
        node["href"] = link(node["iri"])
    tax = taxonomy(store, slug)
    data["taxonomy"] = {
        "nodes": [
            {**asdict(n), "href": link(n.iri)}
            for n in sorted(tax.nodes.values(), key=lambda n: (n.order is None, n.order, n.id))
        ],
        "edges": [{"source": s, "target": t, "relation": r} for s, t, r in tax.edges],
    }
    for node in data["taxonomy"]["nodes"]:
        del node["parents"]  # the edges say it
    return data


@dataclass
class MapView:
    """What the article page needs to place the map: where its data is, and a list for
    readers without scripts (or before the picture is drawn)."""

    slug: str
    data_url: str
    aif_url: str
    library_ready: bool
    nodes: list[argmap_data.Node]


def view(store: ReadStore, slug: str, root: str) -> MapView:
    built = argmap_data.build(store, slug)
    return MapView(
        slug=slug,
        data_url=f"{root}/map/{slug}.json",
        aif_url=f"{root}/map/{slug}.aif.json",
        library_ready=(Path(bp.static_folder or "") / LIBRARY).is_file(),
        nodes=built.nodes if built is not None else [],
    )


def _known_slug(slug: str) -> None:
    if slug not in article_slugs():
        raise HttpError(
            404,
            f"no article with the slug {slug!r}: /map/<slug>.html, .json and .aif.json take "
            "the slug of an article this server holds (its graph is /graph/<slug>)",
        )


def _json(value: object) -> Response:
    # Cache-Control and the ETag come from the blueprint's `caching`, as for every page.
    return Response(json.dumps(value, ensure_ascii=False), mimetype="application/json")


@bp.get("/map/<slug>.json")
def argument_map_data(slug: str) -> Response:
    _known_slug(slug)
    data = map_data(store(), slug, linker())
    if data is None:  # listed a moment ago, gone now (a reload)
        raise HttpError(404, f"no article with the slug {slug!r}")
    return _json(data)


@bp.get("/map/<slug>.aif.json")
def argument_map_aif(slug: str) -> Response:
    _known_slug(slug)
    return _json(aif.export(store(), slug))


@bp.get("/map/<slug>.html")
def argument_map_page(slug: str) -> Response:
    """The map on a page of its own, wider than the article page's column allows."""
    _known_slug(slug)
    article = article_of(store(), slug)
    link = linker()
    title = (label_of(store(), article) if article is not None else None) or slug
    html = render_template(
        "map.html",
        title=title,
        article_href=link(article.value) if article is not None else link(f"{ID}{slug}/"),
        amap=view(store(), slug, request.script_root),
    )
    return Response(html, mimetype="text/html")


@bp.get("/map/<slug>.svg")
def retired_svg_map(slug: str) -> Response:
    """The map was a server-drawn SVG image until the browser drew it: say where it went."""
    _known_slug(slug)
    raise HttpError(
        410,
        f"the argument map is no longer an image: /map/{slug}.html shows it, "
        f"/map/{slug}.json holds its data",
    )

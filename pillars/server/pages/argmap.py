"""The argument map of one article as a server-drawn SVG: no script, no CDN, every node a link.

Columns run from the thesis to the actors: thesis | pillars, limits | components, sub-limits |
threats | actors. Within a column nodes keep the order in which the article first quotes them,
so the picture reads like the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pyoxigraph as ox
from flask import Response, request

from pillars.namespaces import OA, PIL, article_graph
from pillars.server.pages.base import (
    article_slugs,
    bp,
    linker,
    not_found,
    store,
)
from pillars.server.pages.describe import (
    label_of,
    local_name,
)
from pillars.store_interface import ReadStore, select

KINDS = ("thesis", "pillar", "component", "threat", "limit", "actor")
COLUMN = {
    "thesis": 0,
    "pillar": 1,
    "limit": 1,
    "component": 2,
    "sublimit": 2,
    "threat": 3,
    "actor": 4,
}
NODE_W, NODE_H, COL_GAP, ROW_H, PAD = 190, 40, 50, 50, 16
CHARS_PER_LINE = 27

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
# Edges to actors: (from kind, SPARQL body binding ?from and ?node).
_ACTOR_EDGES = (
    "GRAPH ?g { ?p pil:perceivedThreat ?from ; pil:perceiver ?node }",
    "GRAPH ?g { ?from pil:involves ?node }",  # kept only when ?from is a limit on the map
)


@dataclass
class MapNode:
    key: str  # the IRI, or band|IRI for an actor (actors appear once per band)
    iri: str
    kind: str
    label: str
    order: float
    band: str = "argument"
    parents: list[str] = field(default_factory=list)
    x: float = 0
    y: float = 0


@dataclass
class ArgumentMap:
    slug: str
    nodes: dict[str, MapNode]
    edges: list[tuple[str, str]]
    width: float = 0
    height: float = 0
    headings: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, text


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


def _first_offset(store: ReadStore, node: ox.NamedNode) -> float:
    """Where the article first quotes the node: the node's earliest oa:start."""
    best = float("inf")
    for q in store.quads_for_pattern(node, ox.NamedNode(PIL + "hasEvidence"), None, None):
        if not isinstance(q.object, (ox.NamedNode, ox.BlankNode)):
            continue
        for s in store.quads_for_pattern(q.object, ox.NamedNode(OA + "start"), None, None):
            if not isinstance(s.object, ox.Literal):
                continue
            try:
                best = min(best, int(s.object.value))
            except ValueError:
                continue
    return best


def build(store: ReadStore, slug: str) -> ArgumentMap:
    nodes: dict[str, MapNode] = {}
    edges: list[tuple[str, str]] = []

    def add(node: ox.NamedNode, kind: str, band: str = "argument") -> MapNode:
        key = f"{band}|{node.value}" if kind == "actor" else node.value
        found = nodes.get(key)
        if found is None:
            label = label_of(store, node) or local_name(node.value)
            offset = _first_offset(store, node)
            found = nodes[key] = MapNode(key, node.value, kind, label, offset)
            if kind in ("limit", "sublimit", "actor"):
                found.band = band if kind == "actor" else "limits"
        return found

    for kind, body in _PATTERNS:
        for row in _rows(store, body, slug):
            if "node" not in row:
                continue
            node = add(row["node"], kind)
            parent = row.get("parent")
            if parent is not None and parent.value != node.iri:
                node.parents.append(parent.value)
    for body in _ACTOR_EDGES:
        for row in _rows(store, body, slug):
            source = nodes.get(row["from"].value) if "from" in row else None
            if "node" in row and source is not None:
                actor = add(row["node"], "actor", source.band)
                edges.append((source.key, actor.key))
    roots = [n for n in nodes.values() if n.kind == "thesis"]
    for node in nodes.values():
        node.parents = [p for p in node.parents if p in nodes]
        for parent_key in node.parents:
            edges.append((parent_key, node.key))
        if not node.parents and roots and node.kind in ("pillar", "limit", "threat", "component"):
            edges.append((roots[0].key, node.key))
    amap = ArgumentMap(slug, nodes, sorted(set(edges)))
    _layout(amap)
    return amap


# Per band: (kind, column, heading). The thesis stands alone in column 0, between the bands.
BANDS: dict[str, tuple[tuple[str, int, str], ...]] = {
    "argument": (
        ("pillar", 1, "Pillars"),
        ("component", 2, "Components"),
        ("threat", 3, "Threats"),
        ("actor", 4, "Perceived by"),
    ),
    "limits": (
        ("limit", 1, "Limits"),
        ("sublimit", 2, "Sub-limits"),
        ("actor", 3, "Involving"),
    ),
}
HEADING_H, BAND_GAP = 28, 36


def _layout(amap: ArgumentMap) -> None:
    top = PAD
    widest = 0
    for band, columns in BANDS.items():
        placed: list[tuple[int, list[MapNode]]] = []
        for kind, col, _ in columns:
            nodes = [n for n in amap.nodes.values() if n.kind == kind and n.band == band]
            nodes.sort(key=lambda n: _rank(amap, n))
            if kind == "sublimit":
                nodes = _depth_first(nodes)
            _place(nodes, col, top + HEADING_H, len(nodes))  # provisional, for the next sort
            placed.append((col, nodes))
        rows = max((len(nodes) for _, nodes in placed), default=0)
        if rows == 0:
            continue
        for col, nodes in placed:
            _place(nodes, col, top + HEADING_H, rows)
        # Actors last, once their sources sit where they finally stay.
        col, actors = placed[-1]
        actors.sort(key=lambda n: _rank(amap, n))
        _place(actors, col, top + HEADING_H, rows)
        for kind, col, heading in columns:
            if any(n.kind == kind and n.band == band for n in amap.nodes.values()):
                amap.headings.append((PAD + col * (NODE_W + COL_GAP), top + 16, heading))
            widest = max(widest, col)
        top += HEADING_H + rows * ROW_H + BAND_GAP
    amap.height = top - BAND_GAP + PAD
    amap.width = (widest + 1) * (NODE_W + COL_GAP) - COL_GAP + 2 * PAD
    theses = sorted((n for n in amap.nodes.values() if n.kind == "thesis"), key=lambda n: n.order)
    _place(theses, 0, PAD, max(1, round((amap.height - 2 * PAD) / ROW_H)))


def _rank(amap: ArgumentMap, node: MapNode) -> tuple[float, float]:
    """Sort key: actors by the mean row of their sources, children by their parent's row."""
    if node.kind == "actor":
        rows = [amap.nodes[src].y for src, dst in amap.edges if dst == node.key]
        return (sum(rows) / len(rows) if rows else 0.0, node.order)
    if node.parents:
        return (min(amap.nodes[p].y for p in node.parents), node.order)
    return (node.order, 0.0)


def _depth_first(nodes: list[MapNode]) -> list[MapNode]:
    """Sub-limits of sub-limits share a column: put each right after its parent."""
    keys = {n.key for n in nodes}
    children: dict[str, list[MapNode]] = {}
    for node in nodes:
        for parent in node.parents:
            if parent in keys:
                children.setdefault(parent, []).append(node)
    ordered: list[MapNode] = []
    seen: set[str] = set()

    def visit(node: MapNode) -> None:
        if node.key in seen:
            return
        seen.add(node.key)
        ordered.append(node)
        for child in sorted(children.get(node.key, []), key=lambda n: n.order):
            visit(child)

    for node in nodes:  # already ranked by their parent limit's row
        if not any(p in keys for p in node.parents):
            visit(node)
    for node in nodes:  # a cycle of sub-limits has no top; keep its members anyway
        visit(node)
    return ordered


def _place(nodes: list[MapNode], col: int, top: float, rows: int) -> None:
    """Spread a column's nodes evenly over `rows` rows starting at `top`."""
    step = rows * ROW_H / max(len(nodes), 1)
    for i, node in enumerate(nodes):
        node.x = PAD + col * (NODE_W + COL_GAP)
        node.y = top + (i + 0.5) * step


def _lines(label: str) -> list[str]:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > CHARS_PER_LINE:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], (lines[1][: CHARS_PER_LINE - 1]).rstrip() + "…"]
    return [ln if len(ln) <= CHARS_PER_LINE else ln[: CHARS_PER_LINE - 1] + "…" for ln in lines]


def svg(amap: ArgumentMap, href: Callable[[str], str]) -> str:
    """The map as an inline SVG element; styling comes from the site's CSS classes."""
    if not amap.nodes:
        return ""
    parts = [
        f'<svg class="argmap" viewBox="0 0 {amap.width:.0f} {amap.height:.0f}" '
        f'width="{amap.width:.0f}" height="{amap.height:.0f}" role="group" '
        f'aria-labelledby="argmap-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="argmap-title">Argument map of {escape(amap.slug)}</title>',
        '<g class="edges" aria-hidden="true">',
    ]
    for src, dst in amap.edges:
        a, b = amap.nodes[src], amap.nodes[dst]
        x1, y1, x2, y2 = a.x + NODE_W, a.y, b.x, b.y
        mid = (x1 + x2) / 2
        parts.append(
            f'<path class="edge to-{b.kind}" d="M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} '
            f'{mid:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"/>'
        )
    parts.append("</g>")
    for x, y, heading in amap.headings:
        parts.append(f'<text class="heading" x="{x:.1f}" y="{y:.1f}">{escape(heading)}</text>')
    for node in sorted(amap.nodes.values(), key=lambda n: (n.band, COLUMN[n.kind], n.y)):
        lines = _lines(node.label)
        top = node.y - NODE_H / 2
        kind = "limit" if node.kind == "sublimit" else node.kind
        parts.append(
            f'<a class="node {kind}" href="{escape(href(node.iri))}" '
            f'aria-label="{escape(kind)}: {escape(node.label)}">'
            f"<title>{escape(node.label)} ({escape(kind)})</title>"
            f'<rect x="{node.x:.1f}" y="{top:.1f}" width="{NODE_W}" height="{NODE_H}" rx="6"/>'
        )
        first = node.y - (len(lines) - 1) * 7 + 4
        for i, line in enumerate(lines):
            x, y = node.x + NODE_W / 2, first + i * 14
            parts.append(f'<text x="{x:.1f}" y="{y:.1f}">{escape(line)}</text>')
        parts.append("</a>")
    parts.append("</svg>")
    return "".join(parts)


@bp.get("/map/<slug>.svg")
def argument_map(slug: str) -> Response:
    link = linker()
    if slug not in article_slugs():
        return not_found(f"{request.url_root}map/{slug}.svg")
    built = build(store(), slug)
    if not built.nodes:  # a new article: an image that says so, not an empty (invalid) body
        return Response(_EMPTY_MAP, mimetype="image/svg+xml")
    css = (Path(bp.static_folder or "") / "argmap.css").read_text(encoding="utf-8")
    drawn = svg(built, link).replace("</title>", f"</title><style>{css}</style>", 1)
    return Response(drawn, mimetype="image/svg+xml")


_EMPTY_MAP = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="520" height="40" role="img">'
    "<title>No argument map yet</title>"
    '<text x="8" y="25" font-family="sans-serif" font-size="14">'
    "No argument map yet: the article states no thesis, pillars or limits.</text></svg>"
)

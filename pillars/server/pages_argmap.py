"""The argument map of one article as a server-drawn SVG: no script, no CDN, every node a link.

Columns run from the thesis to the actors: thesis | pillars, limits | components, sub-limits |
threats | actors. Within a column nodes keep the order in which the article first quotes them,
so the picture reads like the text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

import pyoxigraph as ox

from pillars.namespaces import OA, PIL, article_graph
from pillars.server.pages_describe import label_of, local_name

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
    iri: str
    kind: str
    label: str
    order: float
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

    def column(self, kind: str) -> list[MapNode]:
        return sorted((n for n in self.nodes.values() if n.kind == kind), key=lambda n: n.order)


def _rows(store: ox.Store, body: str, slug: str) -> list[dict[str, ox.NamedNode]]:
    # The graph IRI goes in as its N-Triples form, which NamedNode has already validated.
    graph = str(ox.NamedNode(article_graph(slug)))
    query = f"{_PREFIXES}SELECT * WHERE {{ {body.replace('?g', graph)} }}"
    result = store.query(query, use_default_graph_as_union=True)
    rows = []
    for solution in result:  # type: ignore[union-attr]
        row = {}
        for name in ("node", "parent", "from"):
            term = solution[name] if f"?{name}" in body else None
            if isinstance(term, ox.NamedNode):
                row[name] = term
        rows.append(row)
    return rows


def _first_offset(store: ox.Store, node: ox.NamedNode) -> float:
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


def build(store: ox.Store, slug: str) -> ArgumentMap:
    nodes: dict[str, MapNode] = {}
    edges: list[tuple[str, str]] = []

    def add(node: ox.NamedNode, kind: str) -> MapNode:
        found = nodes.get(node.value)
        if found is None:
            label = label_of(store, node) or local_name(node.value)
            found = nodes[node.value] = MapNode(node.value, kind, label, _first_offset(store, node))
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
            if "node" in row and "from" in row and row["from"].value in nodes:
                add(row["node"], "actor")
                edges.append((row["from"].value, row["node"].value))
    roots = [n for n in nodes.values() if n.kind == "thesis"]
    for node in nodes.values():
        node.parents = [p for p in node.parents if p in nodes]
        for parent_iri in node.parents:
            edges.append((parent_iri, node.iri))
        if not node.parents and roots and node.kind in ("pillar", "limit", "threat", "component"):
            edges.append((roots[0].iri, node.iri))
    amap = ArgumentMap(slug, nodes, sorted(set(edges)))
    _layout(amap)
    return amap


def _layout(amap: ArgumentMap) -> None:
    columns: dict[int, list[MapNode]] = {}
    by_parent_order = {"component", "sublimit", "threat"}
    for kind in ("thesis", "pillar", "limit", "component", "sublimit", "threat"):
        nodes = amap.column(kind)
        if kind in by_parent_order:
            # Children sit next to their parent: sort by the parent's row, then the text order.
            def key(n: MapNode) -> tuple[float, float]:
                rows = [amap.nodes[p].y for p in n.parents if amap.nodes[p].y]
                return (min(rows) if rows else float("inf"), n.order)

            nodes.sort(key=key)
        columns.setdefault(COLUMN[kind], []).extend(nodes)
        _place(columns[COLUMN[kind]], COLUMN[kind])
    # Actors: barycentre of the rows of everything pointing at them, to keep edges short.
    actors = amap.column("actor")
    incoming: dict[str, list[float]] = {a.iri: [] for a in actors}
    for src, dst in amap.edges:
        if dst in incoming:
            incoming[dst].append(amap.nodes[src].y)
    actors.sort(
        key=lambda a: (
            sum(incoming[a.iri]) / len(incoming[a.iri]) if incoming[a.iri] else 0,
            a.label,
        )
    )
    columns[COLUMN["actor"]] = actors
    rows = max((len(c) for c in columns.values()), default=0)
    amap.height = rows * ROW_H + 2 * PAD
    amap.width = (max(columns, default=0) + 1) * (NODE_W + COL_GAP) - COL_GAP + 2 * PAD
    for col, nodes in columns.items():
        _place(nodes, col, amap.height)


def _place(nodes: list[MapNode], col: int, height: float | None = None) -> None:
    """Spread a column evenly over the height (a provisional height while columns fill up)."""
    total = height if height is not None else max(len(nodes), 1) * ROW_H + 2 * PAD
    step = (total - 2 * PAD) / max(len(nodes), 1)
    for i, node in enumerate(nodes):
        node.x = PAD + col * (NODE_W + COL_GAP)
        node.y = PAD + (i + 0.5) * step


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
    for node in sorted(amap.nodes.values(), key=lambda n: (COLUMN[n.kind], n.y)):
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

"""The data of an article's argument map: its claims and what they support, attack or concern.

Nodes are the article's claims (pil:Claim and its subclasses: thesis, conclusions,
counterpoints, rejected explanations) and the article elements of the families below that a
claim supports, attacks or concerns. Edges are every pil:supports, pil:attacks and
pil:concerns triple between two nodes. Only the triples the article's graph asserts count
(never graph/entailed/...); the ontology graph gives the class tree and the class labels, so a
node's kind is its most specific asserted class.

The browser lays the map out and draws it (static/argmap.js, with elkjs); this module only
reads, so the same answer serves `/map/<slug>.json` and the tests that check it against
SPARQL counts.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph as ox

from pillars.namespaces import ONTOLOGY_GRAPH, PIL, article_graph, sparql_prefixes
from pillars.store_interface import ReadStore, select

RELATIONS = ("supports", "attacks", "concerns")
CLAIM = PIL + "Claim"
THESIS = PIL + "Thesis"
# The families a claim's link may bring onto the map, in the order the legend lists them.
# Beyond the pillars, components, threats and limits, the perceptions, dimensions and the
# convergence are there because claims support them too: without them 21 of the first
# article's 211 supports links would have no edge.
FAMILIES = (
    ("claim", CLAIM),
    ("pillar", PIL + "Pillar"),
    ("component", PIL + "PillarComponent"),
    ("threat", PIL + "Threat"),
    ("perception", PIL + "ThreatPerception"),
    ("limit", PIL + "Limit"),
    ("dimension", PIL + "CooperationDimension"),
    ("convergence", PIL + "SecurityConvergence"),
)

LINKS_QUERY = """
SELECT ?source ?relation ?target WHERE {
  GRAPH <%s> {
    ?source ?relation ?target VALUES ?relation { pil:supports pil:attacks pil:concerns }
  }
}"""
TYPES_QUERY = "SELECT ?node ?class WHERE { GRAPH <%s> { ?node a ?class } }"
ANCESTORS_QUERY = """
SELECT ?class ?ancestor ?label WHERE {
  GRAPH <%s> {
    ?class a owl:Class .
    OPTIONAL { ?class rdfs:subClassOf+ ?ancestor FILTER(isIRI(?ancestor)) }
    OPTIONAL { ?class rdfs:label ?label }
  }
}"""
LABELS_QUERY = """
SELECT ?node ?label WHERE { GRAPH <%s> { ?node rdfs:label|skos:prefLabel ?label } }"""
EVIDENCE_QUERY = """
SELECT ?node ?exact ?start ?section WHERE {
  GRAPH <%s> {
    ?node pil:hasEvidence ?evidence . ?evidence oa:exact ?exact .
    OPTIONAL { ?evidence oa:start ?start }
    OPTIONAL { ?evidence pil:inSection ?section }
  }
}"""
SECTIONS_QUERY = """
SELECT ?section ?label ?number WHERE {
  GRAPH <%s> {
    ?section a pil:Section .
    OPTIONAL { ?section rdfs:label ?label }
    OPTIONAL { ?section pil:sectionNumber ?number }
  }
}"""


@dataclass
class Node:
    iri: str
    kind: str  # the most specific class's local name, "IdentityThreat"
    kind_label: str  # the ontology's label of that class, "identity threat"
    family: str  # one of FAMILIES' names: the colour and the legend
    label: str
    section: str | None = None  # the IRI of the section of its first quote
    quote: str | None = None  # the oa:exact of its first evidence (by position in the text)
    order: int | None = None  # where that quote starts in the text


@dataclass
class Edge:
    source: str
    target: str
    relation: str  # "supports", "attacks" or "concerns"


@dataclass
class Section:
    iri: str
    label: str
    number: int | None


@dataclass
class ArgumentMap:
    slug: str
    thesis: list[str]
    nodes: list[Node]
    edges: list[Edge]
    sections: list[Section]
    kinds: list[dict[str, str]] = field(default_factory=list)  # {kind, label, family}

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _ClassTree:
    ancestors: dict[str, set[str]]
    labels: dict[str, str]

    def is_a(self, cls: str, ancestor: str) -> bool:
        return cls == ancestor or ancestor in self.ancestors.get(cls, set())

    def most_specific(self, classes: set[str]) -> str | None:
        known = [c for c in classes if c in self.ancestors]
        narrowest = [c for c in known if not any(c in self.ancestors[o] for o in known)]
        return min(narrowest) if narrowest else None  # min: the same answer every time

    def family(self, cls: str) -> str | None:
        return next((name for name, root in FAMILIES if self.is_a(cls, root)), None)


def build(store: ReadStore, slug: str) -> ArgumentMap | None:
    """The argument map of one article; None when the store holds no graph for the slug."""
    graph = article_graph(slug)
    if not store.contains_named_graph(ox.NamedNode(graph)):
        return None
    tree = _class_tree(store)
    kinds = _kinds(store, graph, tree)
    links = [
        (row["source"].value, row["relation"].value[len(PIL) :], row["target"].value)
        for row in _rows(store, LINKS_QUERY % graph)
        if isinstance(row["target"], ox.NamedNode) and isinstance(row["source"], ox.NamedNode)
    ]
    claims = {iri for iri, cls in kinds.items() if tree.is_a(cls, CLAIM)}
    on_map = claims | {t for s, _, t in links if s in claims and t in kinds}
    labels = _labels(store, graph)
    quotes = first_quotes(store, graph)
    nodes = [_node(iri, kinds[iri], tree, labels, quotes.get(iri)) for iri in on_map]
    nodes.sort(key=lambda n: (n.order if n.order is not None else 1 << 62, n.iri))
    edges = [Edge(s, t, r) for s, r, t in sorted(links) if s in on_map and t in on_map]
    used = sorted({(n.family, n.kind) for n in nodes}, key=lambda fk: (_family_rank(fk[0]), fk))
    return ArgumentMap(
        slug=slug,
        thesis=sorted(iri for iri in on_map if tree.is_a(kinds[iri], THESIS)),
        nodes=nodes,
        edges=edges,
        sections=_sections(store, graph),
        kinds=[
            {"kind": kind, "label": tree.labels.get(PIL + kind, kind), "family": family}
            for family, kind in used
        ],
    )


def _rows(store: ReadStore, query: str) -> ox.QuerySolutions:
    return select(store, sparql_prefixes() + query)


def _class_tree(store: ReadStore) -> _ClassTree:
    ancestors: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for row in _rows(store, ANCESTORS_QUERY % ONTOLOGY_GRAPH):
        cls = row["class"]
        if not isinstance(cls, ox.NamedNode):
            continue
        found = ancestors.setdefault(cls.value, set())
        if row["ancestor"] is not None:
            found.add(row["ancestor"].value)
        if row["label"] is not None:
            labels[cls.value] = row["label"].value
    return _ClassTree(ancestors, labels)


def _kinds(store: ReadStore, graph: str, tree: _ClassTree) -> dict[str, str]:
    """The most specific class of each resource of the graph that belongs to a map family."""
    classes: dict[str, set[str]] = {}
    for row in _rows(store, TYPES_QUERY % graph):
        if isinstance(row["node"], ox.NamedNode):
            classes.setdefault(row["node"].value, set()).add(row["class"].value)
    kinds = {}
    for iri, found in classes.items():
        cls = tree.most_specific(found)
        if cls is not None and tree.family(cls) is not None:
            kinds[iri] = cls
    return kinds


def _labels(store: ReadStore, graph: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    for row in _rows(store, LABELS_QUERY % graph):
        labels.setdefault(row["node"].value, row["label"].value)
    return labels


@dataclass
class Quote:
    exact: str
    start: int | None
    section: str | None


def first_quotes(store: ReadStore, graph: str) -> dict[str, Quote]:
    """Each resource's earliest quote in the text (one without offsets comes last)."""
    first: dict[str, Quote] = {}
    for row in _rows(store, EVIDENCE_QUERY % graph):
        start = _integer(row["start"])
        section = row["section"].value if isinstance(row["section"], ox.NamedNode) else None
        quote = Quote(row["exact"].value, start, section)
        known = first.get(row["node"].value)
        if known is None or _position(quote) < _position(known):
            first[row["node"].value] = quote
    return first


def _position(quote: Quote) -> tuple[int, str]:
    return (quote.start if quote.start is not None else 1 << 62, quote.exact)


def _integer(term: object) -> int | None:
    if not isinstance(term, ox.Literal):
        return None
    try:
        return int(term.value)
    except ValueError:
        return None


def _node(
    iri: str, cls: str, tree: _ClassTree, labels: dict[str, str], quote: Quote | None
) -> Node:
    kind = cls.rsplit("#", 1)[-1]
    return Node(
        iri=iri,
        kind=kind,
        kind_label=tree.labels.get(cls, kind),
        family=tree.family(cls) or "claim",
        label=labels.get(iri) or (quote.exact if quote else iri.rsplit("/", 1)[-1]),
        section=quote.section if quote else None,
        quote=quote.exact if quote else None,
        order=quote.start if quote else None,
    )


def _sections(store: ReadStore, graph: str) -> list[Section]:
    sections = [
        Section(
            iri=row["section"].value,
            label=row["label"].value if row["label"] is not None else "",
            number=_integer(row["number"]),
        )
        for row in _rows(store, SECTIONS_QUERY % graph)
        if isinstance(row["section"], ox.NamedNode)
    ]
    unique = {s.iri: s for s in sections}  # a second label would repeat a row
    return sorted(unique.values(), key=lambda s: (s.number is None, s.number or 0, s.iri))


def _family_rank(name: str) -> int:
    return [family for family, _ in FAMILIES].index(name)

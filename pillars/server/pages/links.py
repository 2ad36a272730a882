"""The links of a resource, grouped by property, as its page lists them: what it states, what
points at it (read by the ontology's pil:inverseLabel), what the ontology's property chains
give both ways, and which properties the shapes ask of its kind (the "In short" box).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from pillars.entailment import PROPERTY_CHAIN, Chain, Subsumption, is_entailed_graph
from pillars.namespaces import ONTOLOGY_GRAPH, PIL, SHAPES_GRAPH
from pillars.server.pages.terms import (
    Href,
    Value,
    first_literal,
    named_node,
    to_int,
    value_of,
)
from pillars.store_interface import ReadStore, select

SECTION_NUMBER = PIL + "sectionNumber"
MAX_LINKS_PER_PREDICATE = 200  # art:text is the object of every pil:inText


@dataclass
class LinkGroup:
    predicate: Value
    values: list[Value] = field(default_factory=list)
    more: int = 0
    inverse: str = ""  # how the link reads from its object (pil:inverseLabel), if said

    @property
    def total(self) -> int:
        return len(self.values) + self.more


def group_links(
    pairs: Iterable[tuple[ox.NamedNode, Value]], store: ReadStore, href: Href
) -> list[LinkGroup]:
    groups: dict[str, LinkGroup] = {}
    seen: set[tuple[str, Value]] = set()
    for predicate, value in pairs:
        if (predicate.value, value) in seen:
            continue  # the same triple stated in two graphs
        seen.add((predicate.value, value))
        group = groups.get(predicate.value)
        if group is None:
            group = groups[predicate.value] = LinkGroup(value_of(store, predicate, href))
        if len(group.values) < MAX_LINKS_PER_PREDICATE:
            group.values.append(value)
        else:
            group.more += 1
    for group in groups.values():
        group.values.sort(key=lambda v: _reading_order(store, v))
    return sorted(groups.values(), key=lambda g: g.predicate.text.casefold())


def asserted(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """A page shows what the corpus says; the entailed graphs would list every superclass."""
    return [q for q in quads if not is_entailed_graph(getattr(q.graph_name, "value", ""))]


def _reading_order(store: ReadStore, value: Value) -> tuple[int, int, str]:
    """Numbered sections first, by pil:sectionNumber; everything else by its label."""
    # Sorting sections by heading would scramble the article's reading order.
    if value.iri is not None:
        number = to_int(first_literal(store, ox.NamedNode(value.iri), SECTION_NUMBER))
        if number is not None:
            return (0, number, value.text.casefold())
    return (1, 0, value.text.casefold())


def _chains(store: ReadStore) -> tuple[Chain, ...]:
    """The ontology's property chains, read from the few quads that state them."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    heads = list(store.quads_for_pattern(None, PROPERTY_CHAIN, None, graph))
    quads: list[ox.Quad] = list(heads)
    todo = [q.object for q in heads]
    while todo and len(quads) < 1000:
        node = todo.pop()
        if isinstance(node, ox.BlankNode):
            for q in store.quads_for_pattern(node, None, None, graph):
                quads.append(q)
                todo.append(q.object)
    return Subsumption.of(quads).chains


def _step(store: ReadStore, nodes: set[Any], prop: ox.NamedNode, back: bool) -> set[Any]:
    out: set[Any] = set()
    for n in nodes:
        quads = (
            store.quads_for_pattern(None, prop, n, None)  # type: ignore[arg-type]
            if back
            else store.quads_for_pattern(n, prop, None, None)  # type: ignore[arg-type]
        )
        out |= {q.subject if back else q.object for q in asserted(quads)}
    return out


def chained(store: ReadStore, node: ox.NamedNode, href: Href) -> list[LinkGroup]:
    """What the ontology's property chains give this resource, both ways: a threat's
    pil:perceivedBy actors, and on an actor's page the threats it perceives."""
    groups = []
    for chain in _chains(store):
        for forward in (True, False):
            steps = chain.steps if forward else tuple((p, not b) for p, b in reversed(chain.steps))
            reached: set[Any] = {node}
            for prop, back in steps:
                reached = _step(store, reached, prop, back)
            values = sorted((value_of(store, r, href) for r in reached), key=lambda v: v.text)
            if not values:
                continue
            group = LinkGroup(value_of(store, chain.target, href), values[:MAX_LINKS_PER_PREDICATE])
            group.more = max(0, len(values) - MAX_LINKS_PER_PREDICATE)
            if not forward:
                group.inverse = inverse_label(store, chain.target.value)
            groups.append(group)
    return groups


def inverse_label(store: ReadStore, predicate: str | None) -> str:
    """How a link reads from its object ("perceived in"), from the ontology's
    pil:inverseLabel; "" where the ontology gives none."""
    if predicate is None:
        return ""
    node = named_node(predicate)
    found = first_literal(store, node, PIL + "inverseLabel") if node is not None else None
    return found[:1].upper() + found[1:] if found else ""


_SHAPED = """PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?path WHERE {
  <%s> a/rdfs:subClassOf* ?class .
  GRAPH <%s> { ?shape sh:targetClass ?class ; sh:property/sh:path ?path . FILTER(isIRI(?path)) }
}"""


def shaped_paths(store: ReadStore, node: ox.NamedNode) -> frozenset[str]:
    """The properties the shapes ask of the resource's kinds (its classes and theirs): what
    its page shows first, as the summary of what it is."""
    rows = select(store, _SHAPED % (node.value, SHAPES_GRAPH), union=True)
    return frozenset(row["path"].value for row in rows)


_SHAPED_INTO = """PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?path WHERE {
  <%s> a/rdfs:subClassOf* ?class .
  GRAPH <%s> { ?property sh:path ?path ; sh:class ?class . FILTER(isIRI(?path)) }
}"""


def shaped_paths_into(store: ReadStore, node: ox.NamedNode) -> frozenset[str]:
    """The properties whose values the shapes require to be of the resource's kinds (sh:class):
    the links other things are asked to make to it, which its summary counts."""
    rows = select(store, _SHAPED_INTO % (node.value, SHAPES_GRAPH), union=True)
    return frozenset(row["path"].value for row in rows)

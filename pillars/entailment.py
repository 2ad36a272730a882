"""What the ontology entails, materialised beside what the corpus asserts.

Only the most specific classes are asserted (an identity threat is `a pil:IdentityThreat`), so a
query for `?x a pil:Threat` would miss it. At load, every graph gets a companion graph
`graph/entailed/<name>` holding the RDFS subclass and subproperty closure of its triples
(RDFS rules rdfs5, rdfs7, rdfs9 and rdfs11; owl:equivalentClass and owl:equivalentProperty
read as subsumption both ways), and the triples its property chains give (OWL 2 RL
prp-spo2: pil:perceivedBy from a perception's perceiver). `GRAPH <article>` still shows
exactly what the article asserts; the default graph, the union of all graphs, answers
`?x a pil:Threat` in full.

Domain and range typing (rdfs2, rdfs3) is left out on purpose: it would type every object of
`pil:concerns` as whatever the range says, which the data never claims. OWL RL was tried
with the `owlrl` package (7.6.2): 13.5 s for the bundled corpus alone (9,022 triples grown to
21,306, most of them trivial), against milliseconds here; see docs/entailment.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from pillars.corpus import RDF_TYPE
from pillars.namespaces import GRAPH, OWL, RDF, RDFS

SUBCLASS_OF = ox.NamedNode(RDFS + "subClassOf")
SUBPROPERTY_OF = ox.NamedNode(RDFS + "subPropertyOf")
EQUIVALENT_CLASS = ox.NamedNode(OWL + "equivalentClass")
EQUIVALENT_PROPERTY = ox.NamedNode(OWL + "equivalentProperty")
PROPERTY_CHAIN = ox.NamedNode(OWL + "propertyChainAxiom")
INVERSE_OF = ox.NamedNode(OWL + "inverseOf")
RDF_FIRST = ox.NamedNode(RDF + "first")
RDF_REST = ox.NamedNode(RDF + "rest")
# Every individual is an owl:Thing and every class an rdfs:Resource; saying so tells nobody
# anything and would add a triple per resource.
TRIVIAL = frozenset(
    ox.NamedNode(iri)
    for iri in (
        OWL + "Thing",
        RDFS + "Resource",
        OWL + "topObjectProperty",
        OWL + "topDataProperty",
    )
)
ENTAILED_PREFIX = GRAPH + "entailed/"
Triple = tuple[Any, ox.NamedNode, Any]  # subject, predicate, object as pyoxigraph terms


def entailed_graph(graph: str) -> str:
    """`graph/<name>` -> `graph/entailed/<name>`, the graph of what it entails."""
    return ENTAILED_PREFIX + graph.removeprefix(GRAPH)


def asserted_graph(graph: str) -> str:
    """The graph an entailed graph was derived from (`graph/entailed/<name>` -> `graph/<name>`);
    any other graph is its own."""
    return GRAPH + graph.removeprefix(ENTAILED_PREFIX) if is_entailed_graph(graph) else graph


def is_entailed_graph(graph: str) -> bool:
    return graph.startswith(ENTAILED_PREFIX)


Step = tuple[ox.NamedNode, bool]  # a property, and whether the chain walks it backwards


@dataclass(frozen=True)
class Chain:
    """`target owl:propertyChainAxiom (step ...)`: x target z when the steps lead x to z."""

    target: ox.NamedNode
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Subsumption:
    """The ontology's named classes and properties, each with every one above it, and its
    property chains (OWL 2 RL rule prp-spo2), e.g. pil:perceivedBy from a perception."""

    superclasses: Mapping[ox.NamedNode, frozenset[ox.NamedNode]]
    superproperties: Mapping[ox.NamedNode, frozenset[ox.NamedNode]]
    chains: tuple[Chain, ...] = ()

    @classmethod
    def of(cls, ontology: Iterable[ox.Quad | ox.Triple]) -> Subsumption:
        classes: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
        properties: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
        ontology = list(ontology)  # read twice: for subsumption, then for chains
        for t in ontology:
            s, p, o = t.subject, t.predicate, t.object
            if not (isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode)) or s == o:
                continue  # class expressions (blank nodes) are OWL's business, not RDFS's
            if p in (SUBCLASS_OF, EQUIVALENT_CLASS):
                classes[s].add(o)
            if p == EQUIVALENT_CLASS:
                classes[o].add(s)
            if p in (SUBPROPERTY_OF, EQUIVALENT_PROPERTY):
                properties[s].add(o)
            if p == EQUIVALENT_PROPERTY:
                properties[o].add(s)
        return cls(_closure(classes), _closure(properties), _chains(ontology))

    def entailed(self, triples: Iterable[ox.Quad], graph: str) -> list[ox.Quad]:
        """The quads of `entailed_graph(graph)`: what `triples` entail and do not assert."""
        asserted: set[Triple] = set()
        found: set[Triple] = set()
        for q in triples:
            asserted.add((q.subject, q.predicate, q.object))
            for upper in self.superproperties.get(q.predicate, ()):
                found.add((q.subject, upper, q.object))
        for chain in self.chains:
            for s, o in _walk(chain.steps, asserted | found):
                for p in (chain.target, *self.superproperties.get(chain.target, ())):
                    found.add((s, p, o))
        for s, p, o in list(found | asserted):
            if p == RDF_TYPE:
                for upper in self.superclasses.get(o, ()):
                    found.add((s, RDF_TYPE, upper))
            elif p in (SUBCLASS_OF, SUBPROPERTY_OF):
                closure = self.superclasses if p == SUBCLASS_OF else self.superproperties
                for upper in closure.get(o, ()):
                    if upper != s:
                        found.add((s, p, upper))
        target = ox.NamedNode(entailed_graph(graph))
        return [ox.Quad(s, p, o, target) for s, p, o in found - asserted if o not in TRIVIAL]


def _walk(steps: tuple[Step, ...], triples: set[Triple]) -> set[tuple[Any, Any]]:
    """The (start, end) pairs the steps lead through these triples."""

    def pairs(step: Step) -> dict[Any, set[Any]]:
        out: dict[Any, set[Any]] = defaultdict(set)
        for s, p, o in triples:
            if p == step[0]:
                start, end = (o, s) if step[1] else (s, o)
                out[start].add(end)
        return out

    reached = {(x, y) for x, ys in pairs(steps[0]).items() for y in ys}
    for step in steps[1:]:
        after = pairs(step)
        reached = {(x, z) for x, y in reached for z in after.get(y, ())}
    return reached


def _chains(ontology: list[ox.Quad | ox.Triple]) -> tuple[Chain, ...]:
    """The property chains whose every step is a named property or its owl:inverseOf."""
    first: dict[Any, Any] = {t.subject: t.object for t in ontology if t.predicate == RDF_FIRST}
    rest: dict[Any, Any] = {t.subject: t.object for t in ontology if t.predicate == RDF_REST}
    inverse: dict[Any, Any] = {t.subject: t.object for t in ontology if t.predicate == INVERSE_OF}
    found = []
    for t in ontology:
        if t.predicate != PROPERTY_CHAIN or not isinstance(t.subject, ox.NamedNode):
            continue
        steps: list[Step] = []
        node: Any = t.object
        while node in first and len(steps) < 16:
            item = first[node]
            if isinstance(item, ox.NamedNode):
                steps.append((item, False))
            elif isinstance(inverse.get(item), ox.NamedNode):
                steps.append((inverse[item], True))
            else:
                break  # a step this closure does not follow: leave the chain out
            node = rest.get(node)
        else:
            if steps:
                found.append(Chain(t.subject, tuple(steps)))
    return tuple(found)


def _closure(
    direct: Mapping[ox.NamedNode, set[ox.NamedNode]],
) -> dict[ox.NamedNode, frozenset[ox.NamedNode]]:
    """Everything reachable from each node (cycles, i.e. equivalences, included; not itself)."""
    out: dict[ox.NamedNode, frozenset[ox.NamedNode]] = {}
    for start in direct:
        seen: set[ox.NamedNode] = set()
        todo = list(direct[start])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(direct.get(node, ()))
        seen.discard(start)
        out[start] = frozenset(seen - TRIVIAL)
    return out

"""What the ontology entails, materialised beside what the corpus asserts.

Only the most specific classes are asserted (an identity threat is `a pil:IdentityThreat`), so a
query for `?x a pil:Threat` would miss it. At load, every graph gets a companion graph
`graph/entailed/<name>` holding the RDFS subclass and subproperty closure of its triples
(RDFS rules rdfs5, rdfs7, rdfs9 and rdfs11; owl:equivalentClass and owl:equivalentProperty
read as subsumption both ways). `GRAPH <article>` still shows exactly what the article
asserts; the default graph, the union of all graphs, answers `?x a pil:Threat` in full.

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

from pillars.namespaces import GRAPH

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SUBCLASS_OF = ox.NamedNode(RDFS + "subClassOf")
SUBPROPERTY_OF = ox.NamedNode(RDFS + "subPropertyOf")
EQUIVALENT_CLASS = ox.NamedNode(OWL + "equivalentClass")
EQUIVALENT_PROPERTY = ox.NamedNode(OWL + "equivalentProperty")
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


def is_entailed_graph(graph: str) -> bool:
    return graph.startswith(ENTAILED_PREFIX)


@dataclass(frozen=True)
class Subsumption:
    """The ontology's named classes and properties, each with every one above it."""

    superclasses: Mapping[ox.NamedNode, frozenset[ox.NamedNode]]
    superproperties: Mapping[ox.NamedNode, frozenset[ox.NamedNode]]

    @classmethod
    def of(cls, ontology: Iterable[ox.Quad | ox.Triple]) -> Subsumption:
        classes: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
        properties: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
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
        return cls(_closure(classes), _closure(properties))

    def entailed(self, triples: Iterable[ox.Quad], graph: str) -> list[ox.Quad]:
        """The quads of `entailed_graph(graph)`: what `triples` entail and do not assert."""
        asserted: set[Triple] = set()
        found: set[Triple] = set()
        for q in triples:
            asserted.add((q.subject, q.predicate, q.object))
            for upper in self.superproperties.get(q.predicate, ()):
                found.add((q.subject, upper, q.object))
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

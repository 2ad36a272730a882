"""`pillars export`: the corpus (every named graph) or one graph, serialised.

TriG and N-Quads carry the named graphs; Turtle has no graphs, so it is offered for a single
graph only, never as a silent merge of them all.
"""

from __future__ import annotations

from typing import IO

import pyoxigraph as ox

from pillars.namespaces import GRAPH
from pillars.prefixes import used_prefixes
from pillars.store_interface import ReadStore

FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}
WITH_PREFIXES = {"trig", "turtle"}


class GraphNotFound(ValueError):
    """A --graph the store does not hold; the message lists the ones it does."""


def graph_names(store: ReadStore) -> list[str]:
    """The IRIs of the store's named graphs, sorted."""
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def select_graphs(store: ReadStore, names: tuple[str, ...] = ()) -> list[str]:
    """Graph IRIs for --graph values: a slug (an article folder, `shared`, `ontology`,
    `shapes`) or a full graph IRI. No names: every named graph."""
    held = graph_names(store)
    if not names:
        return held
    chosen: list[str] = []
    for name in names:
        iri = name if name.startswith(("http://", "https://")) else GRAPH + name
        if iri not in held:
            known = ", ".join(g.removeprefix(GRAPH) for g in held)
            raise GraphNotFound(f"no graph {name!r} in the store; it holds: {known}")
        if iri not in chosen:
            chosen.append(iri)
    return chosen


def write_rdf(store: ReadStore, fmt: str, graphs: list[str], whole: bool, out: IO[bytes]) -> None:
    """`graphs` in format `fmt`, written to `out`; `whole`: the entire store (default graph
    included). An embedded store streams to `out`, so memory stays bounded by the store, not
    the output; a remote store's quads are read as they come."""
    rdf_format = FORMATS[fmt]
    named = fmt in WITH_PREFIXES
    if not rdf_format.supports_datasets:
        if len(graphs) != 1:
            raise ValueError(f"{fmt} holds one graph only")
        node = ox.NamedNode(graphs[0])
        # Turtle writes no graph name, so only the triples' IRIs count.
        triples = (q.triple for q in store.quads_for_pattern(None, None, None, node))
        prefixes = used_prefixes(triples) if named else None
        if isinstance(store, ox.Store):
            store.dump(out, rdf_format, from_graph=node, prefixes=prefixes)
        else:
            graph = (q.triple for q in store.quads_for_pattern(None, None, None, node))
            ox.serialize(graph, out, rdf_format, prefixes=prefixes)
    elif whole:
        # One pass to find the prefixes, one to write.
        prefixes = used_prefixes(store) if named else None
        if isinstance(store, ox.Store):
            store.dump(out, rdf_format, prefixes=prefixes)
        else:
            ox.serialize(iter(store), out, rdf_format, prefixes=prefixes)
    else:
        quads = [
            q for g in graphs for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))
        ]
        ox.serialize(quads, out, rdf_format, prefixes=used_prefixes(quads) if named else None)

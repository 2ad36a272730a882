"""Export an article's argument (pil:supports, pil:attacks) to the Argument Interchange Format.

AIF is a graph of nodes: I-nodes hold information (here: each claim or other article element
that takes part in an argument), RA-nodes apply a rule of inference (one per pil:supports
triple) and CA-nodes apply a rule of conflict (one per pil:attacks triple). Edges run
premise -> RA/CA -> conclusion. The output is the JSON layout used by AIFdb and the argument
web tools (nodes, edges, locutions); each I-node also carries its Pillars IRI and the exact
words of its first evidence, so nothing is lost on the way out.

    python -m pillars.aif --article iranian-russian-security-convergence > argument.json
"""

from __future__ import annotations

import re
from typing import TypedDict

import pyoxigraph as ox

from pillars.namespaces import article_graph, sparql_prefixes
from pillars.store_interface import ReadStore

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")

RELATIONS_QUERY = """
SELECT ?premise ?relation ?conclusion WHERE {
  GRAPH <%s> {
    ?premise ?relation ?conclusion .
    VALUES ?relation { pil:supports pil:attacks }
  }
} ORDER BY ?premise ?relation ?conclusion
"""

TEXT_QUERY = """
SELECT ?node ?label ?exact WHERE {
  VALUES ?node { %s }
  OPTIONAL { ?node rdfs:label ?label }
  OPTIONAL { ?node pil:hasEvidence/oa:exact ?exact }
}
"""


class AifNode(TypedDict, total=False):
    nodeID: str
    text: str
    type: str
    uri: str
    quote: str


class AifEdge(TypedDict):
    edgeID: str
    fromID: str
    toID: str


class AifDocument(TypedDict):
    nodes: list[AifNode]
    edges: list[AifEdge]
    locutions: list[object]


def export(store: ReadStore, slug: str) -> AifDocument:
    """The AIF document of one article's supports/attacks graph, in a stable order."""
    if not SLUG.fullmatch(slug):
        raise ValueError(f"not an article slug: {slug!r} (lower-case letters, digits, hyphens)")
    rows = list(_select(store, RELATIONS_QUERY % article_graph(slug)))
    iris = sorted({r[v].value for r in rows for v in ("premise", "conclusion")})
    texts = _texts(store, iris)
    ids = {iri: str(n) for n, iri in enumerate(iris, start=1)}
    nodes: list[AifNode] = [
        {"nodeID": ids[iri], "type": "I", "uri": iri, **texts.get(iri, {"text": iri})}
        for iri in iris
    ]
    edges: list[AifEdge] = []
    next_id = len(iris) + 1
    for row in rows:
        premise, relation, conclusion = (
            row[v].value for v in ("premise", "relation", "conclusion")
        )
        kind = "RA" if relation.endswith("#supports") else "CA"
        scheme = "Default Inference" if kind == "RA" else "Default Conflict"
        node_id = str(next_id)
        next_id += 1
        nodes.append({"nodeID": node_id, "type": kind, "text": scheme})
        for source, target in ((ids[premise], node_id), (node_id, ids[conclusion])):
            edges.append({"edgeID": str(len(edges) + 1), "fromID": source, "toID": target})
    return {"nodes": nodes, "edges": edges, "locutions": []}


def _select(store: ReadStore, query: str) -> ox.QuerySolutions:
    result = store.query(sparql_prefixes() + query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)  # both queries are SELECTs
    return result


def _texts(store: ReadStore, iris: list[str]) -> dict[str, AifNode]:
    if not iris:
        return {}
    values = " ".join(f"<{iri}>" for iri in iris)
    found: dict[str, AifNode] = {}
    for row in _select(store, TEXT_QUERY % values):
        iri = row["node"].value
        entry = found.setdefault(iri, {})
        if row["label"] is not None and "text" not in entry:
            entry["text"] = row["label"].value
        if row["exact"] is not None and "quote" not in entry:
            entry["quote"] = row["exact"].value
    for iri, entry in found.items():
        entry.setdefault("text", entry.get("quote", iri))
    return found

"""The SPARQL 1.1 Service Description and the VoID description of the dataset, as RDF."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from pillars.entailment import ENTAILED_PREFIX, asserted_graph, is_entailed_graph
from pillars.namespaces import GRAPH, ID

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
FORMATS = "http://www.w3.org/ns/formats/"
RESULT_FORMAT_IRIS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "RDF_XML",
    "JSON-LD",
    "N-Quads",
    "TriG",
)
PROV = "http://www.w3.org/ns/prov#"
DESCRIPTION_PREFIXES = {
    "sd": SD,
    "void": VOID,
    "dcterms": DCTERMS,
    "formats": FORMATS,
    "prov": PROV,
}
SIMPLE_ENTAILMENT = "http://www.w3.org/ns/entailment/Simple"
UNION_TEXT = "The default graph is the union of all named graphs."
ENTAILED_UNION_TEXT = (
    "The default graph is the union of all named graphs, the entailed ones included, so a "
    f"class matches the instances of its subclasses too (graphs {ENTAILED_PREFIX}<name>)."
)
ENTAILED_GRAPH_TEXT = (
    "What {graph} entails by the subclass and subproperty closure of RDFS (rules rdfs5, "
    "rdfs7, rdfs9, rdfs11) and the property chains (OWL 2 RL prp-spo2) of the Pillars "
    "ontology, materialised when the store was loaded; only triples {graph} does not assert."
)


@dataclass(frozen=True)
class DatasetInfo:
    """What the store holds, counted once when the app starts (the store is read-only)."""

    graphs: dict[str, int]  # named graph IRI -> triples
    default_graph_triples: int  # the store's own default graph (empty for a Pillars corpus)

    @property
    def triples(self) -> int:
        return self.default_graph_triples + sum(self.graphs.values())

    @property
    def entailed(self) -> bool:
        """Whether the store was loaded with what the ontology entails (pillars/entailment.py)."""
        return any(is_entailed_graph(g) for g in self.graphs)

    @classmethod
    def of(cls, counts: dict[str, int]) -> DatasetInfo:
        """From `StoreSource.counts`: graph -> triples, the default graph under ""."""
        graphs = {g: n for g, n in sorted(counts.items()) if g}
        return cls(graphs, counts.get("", 0))


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n("http://www.w3.org/2001/XMLSchema#integer"))


def service_description(base: str, info: DatasetInfo, federated: bool) -> list[ox.Triple]:
    service = _n(base + "/sparql")
    dataset, default = ox.BlankNode("dataset"), ox.BlankNode("default")
    out = [
        ox.Triple(service, RDF_TYPE, _n(SD + "Service")),
        ox.Triple(service, _n(SD + "endpoint"), service),
        ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        # Queries without GRAPH see the union of every named graph.
        ox.Triple(service, _n(SD + "feature"), _n(SD + "UnionDefaultGraph")),
        # Basic graph patterns match the stored triples as they are; what the ontology entails
        # is stored (graphs graph/entailed/...), not inferred while a query runs.
        ox.Triple(service, _n(SD + "defaultEntailmentRegime"), _n(SIMPLE_ENTAILMENT)),
        ox.Triple(service, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _n(SD + "Dataset")),
        ox.Triple(dataset, _n(SD + "defaultGraph"), default),
        ox.Triple(default, RDF_TYPE, _n(SD + "Graph")),
        ox.Triple(default, _n(VOID + "triples"), _int(info.triples)),
        ox.Triple(
            default,
            _n(DCTERMS + "description"),
            ox.Literal(ENTAILED_UNION_TEXT if info.entailed else UNION_TEXT, language="en"),
        ),
    ]
    if federated:
        out.append(ox.Triple(service, _n(SD + "feature"), _n(SD + "BasicFederatedQuery")))
    out.extend(
        ox.Triple(service, _n(SD + "resultFormat"), _n(FORMATS + f)) for f in RESULT_FORMAT_IRIS
    )
    for i, (graph, count) in enumerate(info.graphs.items()):
        named, described = ox.BlankNode(f"named{i}"), ox.BlankNode(f"graph{i}")
        out += [
            ox.Triple(dataset, _n(SD + "namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _n(SD + "NamedGraph")),
            ox.Triple(named, _n(SD + "name"), _n(graph)),
            ox.Triple(named, _n(SD + "graph"), described),
            ox.Triple(described, RDF_TYPE, _n(SD + "Graph")),
            ox.Triple(described, _n(VOID + "triples"), _int(count)),
        ]
        if is_entailed_graph(graph):
            out += _entailed_graph(described, asserted_graph(graph))
    return out


def _entailed_graph(described: ox.BlankNode, asserted: str) -> list[ox.Triple]:
    text = ENTAILED_GRAPH_TEXT.format(graph=f"<{asserted}>")
    return [
        ox.Triple(described, _n(PROV + "wasDerivedFrom"), _n(asserted)),
        ox.Triple(described, _n(DCTERMS + "description"), ox.Literal(text, language="en")),
    ]


def void_description(base: str, info: DatasetInfo) -> list[ox.Triple]:
    """VoID: the dataset, its SPARQL endpoint, and one subset per named graph."""
    dataset = _n(base + "/.well-known/void#pillars")
    out = [
        ox.Triple(dataset, RDF_TYPE, _n(VOID + "Dataset")),
        ox.Triple(dataset, _n(DCTERMS + "title"), ox.Literal("Pillars", language="en")),
        ox.Triple(dataset, _n(VOID + "sparqlEndpoint"), _n(base + "/sparql")),
        ox.Triple(dataset, _n(VOID + "uriSpace"), ox.Literal(ID)),
        ox.Triple(dataset, _n(VOID + "triples"), _int(info.triples)),
        # Dumps are served by the pages blueprint (pillars/server/pages/graphs.py, /dumps/).
        ox.Triple(dataset, _n(VOID + "dataDump"), _n(base + "/dumps/pillars.trig")),
        ox.Triple(dataset, _n(VOID + "dataDump"), _n(base + "/dumps/pillars.nq")),
    ]
    for graph, count in info.graphs.items():
        subset = _n(graph)  # the named graph's IRI names the subset too
        out += [
            ox.Triple(dataset, _n(VOID + "subset"), subset),
            ox.Triple(subset, RDF_TYPE, _n(VOID + "Dataset")),
            ox.Triple(subset, _n(SD + "name"), subset),
            ox.Triple(subset, _n(VOID + "triples"), _int(count)),
        ]
        if graph.startswith(GRAPH):
            dump = _n(f"{base}/dumps/{graph[len(GRAPH) :]}.ttl")
            out.append(ox.Triple(subset, _n(VOID + "dataDump"), dump))
    return out

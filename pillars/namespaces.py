"""IRIs shared by every part of Pillars (see ../shared/DESIGN.md, "Identifiers")."""

BASE = "https://w3id.org/pillars/"
ONTOLOGY = BASE + "ontology"
PIL = ONTOLOGY + "#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"

OA = "http://www.w3.org/ns/oa#"
NIF = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#"
FUNCTION_NS = BASE + "function#"  # SPARQL extension functions (pilfn:), see search_index.py

ONTOLOGY_GRAPH = GRAPH + "ontology"
SHAPES_GRAPH = GRAPH + "shapes"
SHARED_GRAPH = GRAPH + "shared"
SHARED_SLUG = "shared"  # instances/shared/ holds actors, places, events, concept schemes

PREFIXES: dict[str, str] = {
    "pil": PIL,
    "id": ID,
    "actor": ID + "actor/",
    "place": ID + "place/",
    "event": ID + "event/",
    "oa": OA,
    "nif": NIF,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "fabio": "http://purl.org/spar/fabio/",
    "cito": "http://purl.org/spar/cito/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sh": "http://www.w3.org/ns/shacl#",
}


# The W3C namespaces code refers to (as in PREFIXES).
RDF = PREFIXES["rdf"]
RDFS = PREFIXES["rdfs"]
OWL = PREFIXES["owl"]
SKOS = PREFIXES["skos"]
DCTERMS = PREFIXES["dcterms"]

# What the query editor declares for a new query, and `pillars query` lets a query use
# without declaring: the prefixes above, and art: for the first article.
QUERY_PREFIXES: dict[str, str] = {**PREFIXES, "art": ID + "iranian-russian-security-convergence/"}


def article_graph(slug: str) -> str:
    return GRAPH + slug


def article_text_iri(slug: str) -> str:
    """The resource whose nif:isString the loader fills from instances/<slug>/text.txt."""
    return f"{ID}{slug}/text"


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in QUERY_PREFIXES.items())

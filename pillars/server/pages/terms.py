"""One node as a page shows it: its label (or its quoted words), its link, its literal's
note; and the few single-triple lookups every page family makes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from pillars.namespaces import OA, PIL, RDF, RDFS, SKOS
from pillars.prefixes import compact
from pillars.store_interface import ReadStore

DCT = "http://purl.org/dc/terms/"
NIF_STRING = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString"
TYPE = ox.NamedNode(RDF + "type")
LABEL_PREDICATES = [
    ox.NamedNode(SKOS + "prefLabel"),
    ox.NamedNode(RDFS + "label"),
    ox.NamedNode(DCT + "title"),
    ox.NamedNode("http://xmlns.com/foaf/0.1/name"),
]
EXACT = ox.NamedNode(OA + "exact")
DRAFT = ox.NamedNode(PIL + "draft")
QUOTE_LABEL_CHARS = 60

Href = Callable[[str], str]
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True)
class Value:
    """One node as a page shows it: a link with a label, or a literal."""

    text: str
    href: str | None = None
    iri: str | None = None
    curie: str | None = None
    note: str | None = None  # language tag or datatype of a literal


def named_node(iri: str) -> ox.NamedNode | None:
    """The IRI as a node, or None if it is not a valid IRI (a URL path may hold anything)."""
    try:
        return ox.NamedNode(iri)
    except ValueError:
        return None


def exists(store: ReadStore, iri: str) -> bool:
    node = named_node(iri)
    if node is None:
        return False
    for _ in store.quads_for_pattern(node, None, None, None):
        return True
    for _ in store.quads_for_pattern(None, None, node, None):
        return True
    return False


def label_of(store: ReadStore, node: ox.NamedNode | ox.BlankNode) -> str | None:
    """An English or untagged label if there is one, else any label."""
    for predicate in LABEL_PREDICATES:
        fallback = None
        for quad in store.quads_for_pattern(node, predicate, None, None):
            obj = quad.object
            if isinstance(obj, ox.Literal):
                if obj.language in (None, "en") or (obj.language or "").startswith("en-"):
                    return obj.value
                fallback = fallback or obj.value
        if fallback:
            return fallback
    # Evidence has no label of its own: its quoted words name it best.
    for quad in store.quads_for_pattern(node, EXACT, None, None):
        if not isinstance(quad.object, ox.Literal):
            continue
        words = quad.object.value
        short = words if len(words) <= QUOTE_LABEL_CHARS else words[: QUOTE_LABEL_CHARS - 1] + "…"
        return f"“{short}”"
    return None


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri.rstrip(sep):
            tail = iri.rstrip(sep).rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


def value_of(store: ReadStore, term: Term, href: Href) -> Value:
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        # Strings and numbers speak for themselves; other datatypes (gYear, date) are shown.
        plain = ("#string", "#langString", "#integer", "#decimal", "#double", "#boolean")
        note = term.language or (None if dt.endswith(plain) else compact(dt))
        return Value(text=term.value, note=note)
    if isinstance(term, ox.BlankNode):
        return Value(text=label_of(store, term) or "(blank node)")
    if isinstance(term, ox.Triple):
        return Value(text=str(term))  # RDF-star quoted triple: shown as written
    label = label_of(store, term)
    # Only web IRIs become links: an IRI such as javascript:... or urn:... is shown as text.
    linkable = term.value.startswith(("http://", "https://"))
    return Value(
        text=label or local_name(term.value),
        href=href(term.value) if linkable else None,
        iri=term.value,
        curie=compact(term.value),
    )


def first_literal(
    store: ReadStore, node: ox.NamedNode | ox.BlankNode, predicate: str
) -> str | None:
    for quad in store.quads_for_pattern(node, ox.NamedNode(predicate), None, None):
        if isinstance(quad.object, ox.Literal):
            return quad.object.value
    return None


def first_node(
    store: ReadStore, node: ox.NamedNode | ox.BlankNode, predicate: str
) -> ox.NamedNode | None:
    for quad in store.quads_for_pattern(node, ox.NamedNode(predicate), None, None):
        if isinstance(quad.object, ox.NamedNode):
            return quad.object
    return None


def to_int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def is_draft(store: ReadStore, node: ox.NamedNode | ox.BlankNode) -> bool:
    """Whether `pillars draft` made `node` and no editor has accepted it (pil:draft true)."""
    return any(
        isinstance(q.object, ox.Literal) and q.object.value == "true"
        for q in store.quads_for_pattern(node, DRAFT, None)
    )

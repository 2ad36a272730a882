"""The query editor's help: the ontology's terms for autocompletion, the schema with counts,
and a warning for a `pil:` term the ontology does not define.

The editor (static/editor.js) loads the terms and the schema as JSON and checks a query as it
is typed; the answer page repeats the check on the server, so a reader without JavaScript is
told too. Both come from the served store and are kept in `AppState.memo`: the store does not
change while it is served, so each is read once per app (that is, per dataset).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import pyoxigraph as ox

from pillars.namespaces import (
    ONTOLOGY_GRAPH,
    OWL,
    PIL,
    QUERY_PREFIXES,
    RDF,
    RDFS,
    SHAPES_GRAPH,
)
from pillars.prefixes import compact
from pillars.server.pages.query_table import labels_for
from pillars.store_interface import ReadStore

CLASS_TYPES = (OWL + "Class", RDFS + "Class")
PROPERTY_TYPES = (
    OWL + "ObjectProperty",
    OWL + "DatatypeProperty",
    OWL + "AnnotationProperty",
    RDF + "Property",
)
SCHEMA_ROWS = 200  # classes, and properties, in the panel: the most used first
TYPE = ox.NamedNode(RDF + "type")


@dataclass(frozen=True)
class Term:
    """One term the editor can complete: `name` is how a query writes it (pil:Threat)."""

    name: str
    iri: str
    label: str | None
    kind: str  # "class", "property" or "term" (anything else the ontology names)


@dataclass(frozen=True)
class Counted:
    """A class or property of the schema panel, and how often the data uses it."""

    name: str
    iri: str
    label: str | None
    count: int


def ontology_terms(store: ReadStore) -> list[Term]:
    """Every IRI the ontology graph describes, as a class, a property or another term."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    kinds: dict[str, str] = {}
    for kind, types in (("class", CLASS_TYPES), ("property", PROPERTY_TYPES)):
        for iri in types:
            for quad in store.quads_for_pattern(None, TYPE, ox.NamedNode(iri), graph):
                if isinstance(quad.subject, ox.NamedNode):
                    kinds.setdefault(quad.subject.value, kind)
    # Individuals and anything else the ontology defines count as defined (no false warning).
    for quad in store.quads_for_pattern(None, None, None, graph):
        subject = quad.subject
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(PIL):
            kinds.setdefault(subject.value, "term")
    labels = labels_for(store, kinds)  # one query, not a lookup per term (a remote store)
    terms = []
    for iri, kind in kinds.items():
        name = compact(iri)
        if name != iri and name.split(":", 1)[0] in QUERY_PREFIXES:
            terms.append(Term(name, iri, labels.get(iri), kind))
    return sorted(terms, key=lambda t: (t.name.split(":", 1)[0] != "pil", t.name.lower()))


def terms_document(terms: list[Term]) -> dict[str, Any]:
    """What /query/terms.json answers: the prefixes a query may use, and the terms."""
    return {"prefixes": dict(QUERY_PREFIXES), "terms": [asdict(t) for t in terms]}


def schema_queries() -> tuple[str, str]:
    """Count instances per class and uses per property in the data: every graph but the
    ontology and the shapes (their owl:Class and sh:path triples describe, they are no data)."""
    skip = f"FILTER (?g NOT IN (<{ONTOLOGY_GRAPH}>, <{SHAPES_GRAPH}>))"
    classes = (
        "SELECT ?term (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?term } "
        f"{skip} }} GROUP BY ?term ORDER BY DESC(?n) ?term LIMIT {SCHEMA_ROWS}"
    )
    properties = (
        "SELECT ?term (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?term ?o } "
        f"{skip} }} GROUP BY ?term ORDER BY DESC(?n) ?term LIMIT {SCHEMA_ROWS}"
    )
    return classes, properties


def counted(rows: Iterable[list[Any]], labels: dict[str, str | None]) -> list[Counted]:
    """The rows of a schema query (?term ?n) as named, labelled counts."""
    out = []
    for term, n in rows:
        if isinstance(term, ox.NamedNode) and isinstance(n, ox.Literal):
            iri = term.value
            out.append(Counted(compact(iri), iri, labels.get(iri), int(n.value)))
    return out


def schema_document(classes: list[Counted], properties: list[Counted]) -> dict[str, Any]:
    return {
        "classes": [asdict(c) for c in classes],
        "properties": [asdict(p) for p in properties],
        "bound": SCHEMA_ROWS,
        "counted": "every graph but the ontology and the shapes",
    }


# ---------------------------------------------------------------- undefined terms

_DECLARATION = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^<>\s]*)>", re.IGNORECASE)
# IRIs, strings and comments: a "pil:x" inside them is no term of the query.
_SKIP = re.compile(r"<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")
_NAME = re.compile(r"(?<![\w.:?$-])([A-Za-z][\w.-]*)?:([A-Za-z_][\w.-]*)")


def ontology_prefixes(query: str) -> set[str]:
    """The prefixes the query binds to the ontology's namespace (pil: unless it rebinds it)."""
    declared = {(m.group(1) or ""): m.group(2) for m in _DECLARATION.finditer(query)}
    bound = {prefix for prefix, iri in declared.items() if iri == PIL}
    if "pil" not in declared:
        bound.add("pil")  # `pillars query` and the editor declare it for every query
    return bound


def undefined_terms(query: str, defined: Iterable[str]) -> list[str]:
    """A message per ontology term the query uses that the ontology does not define,
    naming the nearest term that it does: 'pil:Threath is not defined ...; did you mean ...'."""
    names = sorted(set(defined))
    known = set(names)
    prefixes = ontology_prefixes(query)
    messages: list[str] = []
    seen: set[str] = set()
    for match in _NAME.finditer(_SKIP.sub(" ", query)):
        prefix, local = match.group(1) or "", match.group(2).rstrip(".")
        written = f"{prefix}:{local}"
        if prefix not in prefixes or local in known or written in seen:
            continue
        seen.add(written)
        near = nearest(local, names)
        hint = f"; did you mean {prefix}:{near}?" if near else "."
        messages.append(f"{written} is not defined by the ontology{hint}")
    return messages


def nearest(word: str, names: list[str]) -> str | None:
    """The defined name fewest edits away (ignoring case), if it is close enough to be a slip."""
    best: tuple[int, str] | None = None
    for name in names:
        distance = edit_distance(word.lower(), name.lower())
        if best is None or distance < best[0]:
            best = (distance, name)
    if best is None or best[0] > max(2, len(word) // 3):
        return None
    return best[1]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions (static/editor.js has
    the same, so the page and the server suggest the same term)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def pil_names(terms: Iterable[Term]) -> list[str]:
    """The local names of the ontology's own terms (Threat, perceiver ...)."""
    return [t.iri[len(PIL) :] for t in terms if t.iri.startswith(PIL)]

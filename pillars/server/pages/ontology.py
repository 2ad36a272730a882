"""The ontology's documentation page, read from the ontology graph and drawn in the site's look.

The project's own terms come first, each with its definition, notes, place in the hierarchy
and the properties that apply to it; the terms reused from other vocabularies follow in one
table. Labels are shown in one case (first letter capital), whatever case the ontology wrote
them in; every term has an anchor named by its IRI's fragment, so `/ontology#State` lands on
pil:State.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import Response, render_template, request, send_file, url_for

from pillars.corpus import default_root
from pillars.namespaces import (
    DCTERMS,
    ONTOLOGY,
    ONTOLOGY_GRAPH,
    OWL,
    PIL,
    RDF,
    RDFS,
    SKOS,
)
from pillars.prefixes import compact
from pillars.server.pages.base import (
    PAGE_MAX_AGE,
    alternates,
    bp,
    graph_triples,
    not_acceptable,
    not_found,
    rdf_response,
    store,
)
from pillars.server.pages.rdf import BY_EXT, HTML, negotiate
from pillars.server.pages.terms import named_node

KINDS = (  # (owl type, heading): the order of the page's sections
    (OWL + "Class", "Classes"),
    (OWL + "ObjectProperty", "Object properties"),
    (OWL + "DatatypeProperty", "Datatype properties"),
    (OWL + "AnnotationProperty", "Annotation properties"),
)


@dataclass
class Term:
    iri: str
    kind: str  # one of KINDS' headings
    label: str
    anchor: str
    definition: str = ""
    notes: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)  # IRIs: superclasses or super-properties
    children: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    inverse: list[str] = field(default_factory=list)
    used_by: list[str] = field(default_factory=list)  # properties whose domain is this class
    characteristics: list[str] = field(default_factory=list)  # e.g. "functional"

    @property
    def curie(self) -> str:
        return compact(self.iri)

    @property
    def kind_singular(self) -> str:
        return {"Classes": "class"}.get(self.kind, self.kind.lower().removesuffix("ies") + "y")


@dataclass
class OntologyPage:
    title: str
    description: str
    version: str
    license: str
    own: dict[str, list[Term]]  # heading -> the project's terms of that kind, by label
    reused: list[Term]
    terms: dict[str, Term]  # every term by IRI, for links


def sentence_case(label: str) -> str:
    return label[:1].upper() + label[1:]


def _lists(triples: list[ox.Triple]) -> dict[object, list[object]]:
    """RDF collections (owl:unionOf ( ... )) by their head node."""
    first: dict[object, object] = {}
    rest: dict[object, object] = {}
    for t in triples:
        if t.predicate.value == RDF + "first":
            first[t.subject] = t.object
        elif t.predicate.value == RDF + "rest":
            rest[t.subject] = t.object
    out: dict[object, list[object]] = {}
    for head in first:
        items: list[object] = []
        node: object = head
        seen: set[object] = set()
        while node in first and node not in seen:
            seen.add(node)
            items.append(first[node])
            node = rest.get(node)
        out[head] = items
    return out


CHARACTERISTICS = {
    OWL + "FunctionalProperty": "functional",
    OWL + "InverseFunctionalProperty": "inverse functional",
    OWL + "TransitiveProperty": "transitive",
    OWL + "SymmetricProperty": "symmetric",
}


class _Graph:
    """The ontology's triples by subject, with its owl:unionOf lists resolved."""

    def __init__(self, triples: list[ox.Triple]) -> None:
        self.triples = triples
        self.by_subject: dict[object, list[ox.Triple]] = {}
        for t in triples:
            self.by_subject.setdefault(t.subject, []).append(t)
        lists = _lists(triples)
        self.union: dict[object, list[str]] = {
            t.subject: [i.value for i in lists.get(t.object, []) if isinstance(i, ox.NamedNode)]
            for t in triples
            if t.predicate.value == OWL + "unionOf"
        }

    def values(self, subject: object, predicate: str) -> list[object]:
        return [
            t.object for t in self.by_subject.get(subject, []) if t.predicate.value == predicate
        ]

    def iris(self, subject: object, predicate: str) -> list[str]:
        return [v.value for v in self.values(subject, predicate) if isinstance(v, ox.NamedNode)]

    def names(self, subject: object, predicate: str) -> list[str]:
        """Named classes, a union's members included (a range of "A or B")."""
        out: list[str] = []
        for v in self.values(subject, predicate):
            out += [v.value] if isinstance(v, ox.NamedNode) else self.union.get(v, [])
        return out

    def text(self, subject: object, *predicates: str) -> list[str]:
        found = []
        for p in predicates:
            literals = [v for v in self.values(subject, p) if isinstance(v, ox.Literal)]
            english = [v for v in literals if v.language in (None, "en")]
            found += [v.value for v in (english or literals)]
        return found

    def term(self, s: ox.NamedNode, heading: str) -> Term:
        labels = self.text(s, RDFS + "label", SKOS + "prefLabel")
        local = s.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        definition = self.text(s, SKOS + "definition") or self.text(s, RDFS + "comment")
        return Term(
            iri=s.value,
            kind=heading,
            label=sentence_case(labels[0] if labels else local),
            anchor=local if s.value.startswith(PIL) else compact(s.value).replace(":", "-"),
            definition=definition[0] if definition else "",
            notes=self.text(s, SKOS + "scopeNote", SKOS + "note", SKOS + "example"),
            domain=self.names(s, RDFS + "domain"),
            range=self.names(s, RDFS + "range"),
            inverse=self.iris(s, OWL + "inverseOf"),
            characteristics=[
                CHARACTERISTICS[c] for c in self.iris(s, RDF + "type") if c in CHARACTERISTICS
            ],
        )


def read(triples: list[ox.Triple]) -> OntologyPage:
    g = _Graph(triples)
    terms: dict[str, Term] = {}
    for kind_iri, heading in KINDS:
        for t in triples:
            s = t.subject
            is_kind = t.predicate.value == RDF + "type" and t.object == ox.NamedNode(kind_iri)
            if is_kind and isinstance(s, ox.NamedNode) and s.value not in terms:
                terms[s.value] = g.term(s, heading)
    for term in terms.values():
        node = ox.NamedNode(term.iri)
        link = RDFS + ("subClassOf" if term.kind == "Classes" else "subPropertyOf")
        term.parents = g.iris(node, link)
        for parent in term.parents:
            if parent in terms:
                terms[parent].children.append(term.iri)
        for cls in term.domain:
            if cls in terms:
                terms[cls].used_by.append(term.iri)
    by_label = {i: t.label.casefold() for i, t in terms.items()}
    for term in terms.values():
        term.children.sort(key=by_label.__getitem__)
        term.used_by.sort(key=by_label.__getitem__)
    own: dict[str, list[Term]] = {heading: [] for _, heading in KINDS}
    reused: list[Term] = []
    for term in sorted(terms.values(), key=lambda t: t.label.casefold()):
        (own[term.kind] if term.iri.startswith(PIL) else reused).append(term)
    ontology = ox.NamedNode(ONTOLOGY)
    return OntologyPage(
        title=next(iter(g.text(ontology, DCTERMS + "title")), "Ontology"),
        description=next(iter(g.text(ontology, DCTERMS + "description")), ""),
        version=next(iter(g.text(ontology, OWL + "versionInfo")), ""),
        license=next(iter(g.iris(ontology, DCTERMS + "license")), ""),
        own={h: ts for h, ts in own.items() if ts},
        reused=sorted(reused, key=lambda t: t.curie),
        terms=terms,
    )


DIAGRAM = default_root() / "docs" / "ontology.svg"


@bp.get("/ontology")
@bp.get("/ontology.<ext>")
@bp.get("/ontology/<version>")
def ontology(ext: str | None = None, version: str | None = None) -> Response:
    if version is not None and not _is_version(version):
        return not_found(f"{ONTOLOGY}/{version}")
    triples = graph_triples(ONTOLOGY_GRAPH)
    if ext is not None:
        fmt = BY_EXT.get(ext)
        if fmt is None:
            return not_found(f"{ONTOLOGY}.{ext}")
    else:
        fmt = negotiate(request.accept_mimetypes)
        if fmt is None:
            return not_acceptable()
    if fmt is HTML:
        response = Response(_ontology_html(triples), mimetype="text/html")
    else:
        response = rdf_response(triples, fmt, alternates("ontology"))
    if ext is None:
        response.vary.add("Accept")
        response.headers["Content-Location"] = f"{request.script_root}/ontology.{fmt.ext}"
    return response


def _is_version(version: str) -> bool:
    version_iri = ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI")
    asked = named_node(f"{ONTOLOGY}/{version}")
    return asked is not None and any(
        q.object == asked
        for q in store().quads_for_pattern(ox.NamedNode(ONTOLOGY), version_iri, None, None)
    )


def _ontology_html(triples: list[ox.Triple]) -> str:
    page = read(triples)
    diagram = url_for("pages.ontology_diagram") if DIAGRAM.is_file() else None
    return render_template("ontology.html", o=page, diagram=diagram, pil=PIL, compact=compact)


@bp.get("/ontology/diagram.svg")
def ontology_diagram() -> Response:
    """docs/ontology.svg, the diagram `pillars diagram` draws (not shipped: 404 without it)."""
    if not DIAGRAM.is_file():
        return not_found(f"{ONTOLOGY}/diagram.svg")
    return send_file(DIAGRAM, mimetype="image/svg+xml", conditional=True, max_age=PAGE_MAX_AGE)

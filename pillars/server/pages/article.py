"""What an article's page opens with: its bibliography, thesis, contents and "Cite this".

The bibliographic record is `pillars.cite.read` (the same one the /cite/ downloads write);
the contents are the article's pil:Section resources in pil:sectionNumber order, subsections
under their section (pil:subsectionOf), each with the number of quotes anchored in it
(evidence with pil:inSection) and of statements those quotes anchor (pil:ArticleElement
resources whose pil:hasEvidence is one of them). Machine drafts are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from flask import Response, request

from pillars import cite
from pillars.corpus import RDF_TYPE
from pillars.entailment import entailed_graph, is_entailed_graph
from pillars.namespaces import GRAPH, ID, PIL
from pillars.prefixes import compact
from pillars.server.pages.base import (
    bp,
    not_found,
    store,
)
from pillars.server.pages.describe import Quote, quotes_for
from pillars.server.pages.terms import Href, Value, label_of, named_node, value_of
from pillars.store_interface import ReadStore, select

ARTICLE = ox.NamedNode(PIL + "Article")
SECTION = ox.NamedNode(PIL + "Section")
HAS_SECTION = ox.NamedNode(PIL + "hasSection")
HAS_THESIS = ox.NamedNode(PIL + "hasThesis")
SECTION_NUMBER = ox.NamedNode(PIL + "sectionNumber")
SUBSECTION_OF = ox.NamedNode(PIL + "subsectionOf")


@dataclass
class SectionEntry:
    section: Value
    number: int | None
    quotes: int = 0
    statements: int = 0
    children: list[SectionEntry] = field(default_factory=list)


@dataclass(frozen=True)
class ThesisView:
    thesis: Value  # a link to the thesis's page; `text` is its label, if it has one
    labelled: bool  # whether the graph gives it a label (else the quotes are the thesis)
    quotes: list[Quote]


@dataclass(frozen=True)
class ArticleView:
    slug: str
    bib: cite.Bibliography
    authors: list[Value]
    journal: Value | None
    theses: list[ThesisView]
    sections: list[SectionEntry]  # the top level; subsections are their children
    bibtex: str
    counted: bool  # whether any quote of the article names its section (else no counts)


def article_of(store: ReadStore, slug: str) -> ox.NamedNode | None:
    """The pil:Article stated in graph/<slug>: `id/<slug>/article` if it is one, else the
    first by IRI; None for a slug that names no article graph (or no valid IRI)."""
    graph = named_node(GRAPH + slug)
    if graph is None or "/" in slug or is_entailed_graph(graph.value):
        return None
    # Typed by a subclass of pil:Article, it is a pil:Article in the entailed graph only.
    graphs = [graph, ox.NamedNode(entailed_graph(graph.value))]
    found = sorted(
        {
            q.subject
            for g in graphs
            for q in store.quads_for_pattern(None, RDF_TYPE, ARTICLE, g)
            if isinstance(q.subject, ox.NamedNode)
        },
        key=lambda n: (n.value != f"{ID}{slug}/article", n.value),
    )
    return found[0] if found else None


def view(store: ReadStore, article: ox.NamedNode, slug: str, href: Href) -> ArticleView:
    bib = cite.read(store, article, slug)
    authors = [_link(a.name, a.iri, href) for a in bib.authors]
    journal = _link(bib.journal, bib.journal_iri, href) if bib.journal else None
    sections, counted = _contents(store, article, slug, href)
    return ArticleView(
        slug=slug,
        bib=bib,
        authors=authors,
        journal=journal,
        theses=_theses(store, article, href),
        sections=sections,
        bibtex=cite.bibtex(bib),
        counted=counted,
    )


def byline(store: ReadStore, article: ox.NamedNode, slug: str, href: Href) -> dict[str, Any]:
    """What a list of articles shows of each: its authors (linked), journal, year, and the
    thesis in the words of its label (the first, if an article states several)."""
    bib = cite.read(store, article, slug)
    theses = [label_of(store, n) for n in _asserted_objects(store, article, HAS_THESIS)]
    return {
        "authors": [_link(a.name, a.iri, href) for a in bib.authors],
        "journal": bib.journal,
        "year": bib.year,
        "thesis": next((t for t in theses if t), None),
    }


def _link(text: str, iri: str | None, href: Href) -> Value:
    """The name the citation uses, linked to the thing's page (web IRIs only)."""
    if iri is None or not iri.startswith(("http://", "https://")):
        return Value(text=text)
    return Value(text=text, href=href(iri), iri=iri, curie=compact(iri))


def _asserted_objects(
    store: ReadStore, node: ox.NamedNode, predicate: ox.NamedNode
) -> list[ox.NamedNode]:
    found: dict[ox.NamedNode, None] = {}
    for q in store.quads_for_pattern(node, predicate, None, None):
        if isinstance(q.object, ox.NamedNode) and not is_entailed_graph(
            getattr(q.graph_name, "value", "")
        ):
            found[q.object] = None
    return sorted(found, key=lambda n: n.value)


def _theses(store: ReadStore, article: ox.NamedNode, href: Href) -> list[ThesisView]:
    theses = []
    for node in _asserted_objects(store, article, HAS_THESIS):
        value = value_of(store, node, href)
        labelled = any(
            isinstance(q.object, ox.Literal)
            for q in store.quads_for_pattern(
                node, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), None, None
            )
        )
        quotes = [q for q in quotes_for(store, node, href) if q.evidence.iri != node.value]
        if labelled or quotes:
            theses.append(ThesisView(thesis=value, labelled=labelled, quotes=quotes))
    return theses


def _first_int(store: ReadStore, node: ox.NamedNode, predicate: ox.NamedNode) -> int | None:
    for q in store.quads_for_pattern(node, predicate, None, None):
        if isinstance(q.object, ox.Literal):
            try:
                return int(q.object.value)
            except ValueError:
                continue
    return None


def _contents(
    store: ReadStore, article: ox.NamedNode, slug: str, href: Href
) -> tuple[list[SectionEntry], bool]:
    """The sections as a tree, and whether any evidence names its section: where none does
    (the synthetic articles of bench/synth.py), the counts are unknown, not zero."""
    graph = ox.NamedNode(GRAPH + slug)
    nodes: dict[ox.NamedNode, None] = dict.fromkeys(_asserted_objects(store, article, HAS_SECTION))
    for q in store.quads_for_pattern(None, RDF_TYPE, SECTION, graph):
        if isinstance(q.subject, ox.NamedNode):
            nodes[q.subject] = None
    if not nodes:
        return [], False
    entries = {
        n: SectionEntry(value_of(store, n, href), _first_int(store, n, SECTION_NUMBER))
        for n in nodes
    }
    counted = False
    for row in select(store, _COUNTS.replace("GRAPH_IRI", graph.value), union=True):
        counted = True
        section = row["section"]
        if isinstance(section, ox.NamedNode) and section in entries:
            entries[section].quotes = int(row["quotes"].value)
            entries[section].statements = int(row["statements"].value)
    parent: dict[ox.NamedNode, ox.NamedNode] = {}
    for n in entries:
        for q in store.quads_for_pattern(n, SUBSECTION_OF, None, None):
            if isinstance(q.object, ox.NamedNode) and q.object in entries and q.object != n:
                parent[n] = q.object
                break
    ordered = sorted(entries, key=lambda n: _order(entries[n]))
    roots: list[SectionEntry] = []
    placed: set[ox.NamedNode] = set()

    def place(n: ox.NamedNode, into: list[SectionEntry]) -> None:
        placed.add(n)
        into.append(entries[n])
        for child in ordered:
            if parent.get(child) == n and child not in placed:
                place(child, entries[n].children)

    for n in ordered:
        if n not in parent and n not in placed:
            place(n, roots)
    for n in ordered:  # sections in a subsectionOf cycle have no root: list them at the top
        if n not in placed:
            place(n, roots)
    roots.sort(key=_order)
    return roots, counted


def _order(entry: SectionEntry) -> tuple[bool, int, str]:
    return (entry.number is None, entry.number or 0, entry.section.text.casefold())


# The classes of statements are read through the ontology's class tree, so that the count does
# not depend on whether the entailed graphs are loaded.
_COUNTS = f"""PREFIX pil: <{PIL}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?section (COUNT(DISTINCT ?ev) AS ?quotes) (COUNT(DISTINCT ?thing) AS ?statements) WHERE {{
  GRAPH <GRAPH_IRI> {{
    ?ev pil:inSection ?section
    FILTER NOT EXISTS {{ ?ev pil:draft true }}
  }}
  OPTIONAL {{
    GRAPH <GRAPH_IRI> {{
      ?thing pil:hasEvidence ?ev
      FILTER NOT EXISTS {{ ?thing pil:draft true }}
    }}
    ?thing a ?cls .
    ?cls rdfs:subClassOf* pil:ArticleElement .
  }}
}} GROUP BY ?section"""


@bp.get("/cite/<slug>.bib", defaults={"ext": "bib"})
@bp.get("/cite/<slug>.ris", defaults={"ext": "ris"})
@bp.get("/cite/<slug>.csl.json", defaults={"ext": "csl.json"})
def citation(slug: str, ext: str) -> Response:
    """The article of graph/<slug> as BibTeX, RIS or CSL-JSON, to download (pillars/cite.py)."""
    article = article_of(store(), slug)
    if article is None:
        return not_found(f"{request.url_root}cite/{slug}.{ext}")
    media = next(m for e, _, m in cite.FORMATS if e == ext)
    body = cite.WRITERS[ext](cite.read(store(), article, slug))
    charset = "" if ext == "csl.json" else "; charset=utf-8"  # JSON is UTF-8 by definition
    response = Response(body, content_type=media + charset)
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.{ext}"'
    return response

"""What a resource page shows: label, types, definition, links both ways, quotes, citations.

Everything is read with `quads_for_pattern` on the Oxigraph store: these are index lookups,
far cheaper than planning a SPARQL query per page, and the page needs nothing a join adds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pyoxigraph as ox

from pillars.namespaces import OA, PIL, RDFS, SKOS
from pillars.prefixes import compact
from pillars.server.pages.links import (
    LinkGroup,
    asserted,
    chained,
    group_links,
    inverse_label,
    shaped_paths,
    shaped_paths_into,
)
from pillars.server.pages.terms import (
    TYPE,
    Href,
    Value,
    first_literal,
    first_node,
    is_draft,
    label_of,
    local_name,
    to_int,
    value_of,
)
from pillars.store_interface import ReadStore

DCT = "http://purl.org/dc/terms/"
NIF_STRING = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString"
DEFINITION_PREDICATES = [ox.NamedNode(SKOS + "definition"), ox.NamedNode(DCT + "description")]
COMMENT = ox.NamedNode(RDFS + "comment")  # a definition only for ontology terms; else a note
CONTEXT_CHARS = 240  # characters of article text shown either side of a quote


@dataclass(frozen=True)
class Quote:
    exact: str
    before: str
    after: str
    start: int | None
    end: int | None
    text_href: str | None
    evidence: Value
    problem: str | None = None  # offsets that do not match the quote
    section: Value | None = None  # pil:inSection, where the encoder gave it
    draft: bool = False  # machine-drafted evidence (pil:draft true), not yet accepted


@dataclass(frozen=True)
class CitationView:
    source: Value
    page: str | None
    words: str | None
    citation: Value
    cited_for: Value | None = None


@dataclass
class Description:
    iri: str
    label: str
    curie: str
    types: list[Value]
    definitions: list[str]
    outgoing: list[LinkGroup]
    incoming: list[LinkGroup]
    quotes: list[Quote]
    citations: list[CitationView]
    graphs: list[Value]
    text: str | None = None  # the article text, on the page of a nif:Context
    draft: bool = False  # a machine draft (pil:draft true) that no editor has accepted yet
    summary: list[LinkGroup] = field(default_factory=list)  # what the shapes ask of its kind
    notes: list[str] = field(default_factory=list)  # encoders' rdfs:comment, for readers apart


def quote_of(store: ReadStore, evidence: ox.NamedNode | ox.BlankNode, href: Href) -> Quote | None:
    """The evidence's quoted words in their context, or None if it quotes nothing."""
    found = _quote_of(store, evidence, href)
    return replace(found, draft=True) if found and is_draft(store, evidence) else found


def _quote_of(store: ReadStore, evidence: ox.NamedNode | ox.BlankNode, href: Href) -> Quote | None:
    exact = first_literal(store, evidence, OA + "exact")
    if exact is None:
        return None
    start = to_int(first_literal(store, evidence, OA + "start"))
    end = to_int(first_literal(store, evidence, OA + "end"))
    text_node = first_node(store, evidence, PIL + "inText")
    text = first_literal(store, text_node, NIF_STRING) if text_node is not None else None
    ev_value = value_of(store, evidence, href)
    text_href = href(text_node.value) if text_node is not None else None
    if text is None:
        return Quote(
            exact, "", "", start, end, text_href, ev_value, "the article text is not loaded"
        )
    problem = None
    if start is None or end is None or text[start:end] != exact:
        found = text.find(exact)
        problem = (
            "the offsets do not match the quote; shown where the words first occur"
            if found >= 0
            else "the quote is not in the article text"
        )
        if found < 0:
            return Quote(exact, "", "", start, end, text_href, ev_value, problem)
        start, end = found, found + len(exact)
    before = text[max(0, start - CONTEXT_CHARS) : start]
    after = text[end : end + CONTEXT_CHARS]
    # Cut the context at word boundaries so it does not begin or end mid-word.
    if start - CONTEXT_CHARS > 0 and " " in before:
        before = "…" + before.split(" ", 1)[1]
    if end + CONTEXT_CHARS < len(text) and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return Quote(exact, before, after, start, end, text_href, ev_value, problem)


def describe(store: ReadStore, iri: str, href: Href) -> Description:
    node = ox.NamedNode(iri)
    out = asserted(store.quads_for_pattern(node, None, None, None))
    into = asserted(store.quads_for_pattern(None, None, node, None))
    types = sorted(
        {
            value_of(store, q.object, href)
            for q in out
            if q.predicate == TYPE and isinstance(q.object, ox.NamedNode)
        },
        key=lambda v: v.text.casefold(),
    )
    definitions = sorted(
        {
            q.object.value
            for q in out
            if q.predicate in DEFINITION_PREDICATES and isinstance(q.object, ox.Literal)
        }
    )
    if not definitions and iri.startswith(PIL):
        definitions = sorted(
            {
                q.object.value
                for q in out
                if q.predicate == COMMENT and isinstance(q.object, ox.Literal)
            }
        )
    text = next(
        (
            q.object.value
            for q in out
            if q.predicate.value == NIF_STRING and isinstance(q.object, ox.Literal)
        ),
        None,
    )
    # An encoder's rdfs:comment on a thing of the corpus is a note, not a statement.
    notes = (
        []
        if iri.startswith(PIL)
        else sorted(
            {
                q.object.value
                for q in out
                if q.predicate == COMMENT and isinstance(q.object, ox.Literal)
            }
        )
    )
    outgoing = group_links(
        (
            (q.predicate, value_of(store, q.object, href))
            for q in out
            if q.predicate != TYPE
            and q.predicate.value != NIF_STRING
            and not (notes and q.predicate == COMMENT)
        ),
        store,
        href,
    )
    incoming = group_links(
        ((q.predicate, value_of(store, q.subject, href)) for q in into), store, href
    )
    for group in incoming:
        group.inverse = inverse_label(store, group.predicate.iri)
    # Its label heads the page and its quotes have a section of their own.
    asked = shaped_paths(store, node) - {RDFS + "label", PIL + "hasEvidence", COMMENT.value}
    # And the links the shapes ask other kinds to make to its kind: an actor's roles, the
    # perceptions it perceives in, the limits it is involved in.
    pointing = shaped_paths_into(store, node)
    summary = (
        [g for g in outgoing if g.predicate.iri in asked]
        + chained(store, node, href)
        + [g for g in incoming if g.predicate.iri in pointing]
    )
    outgoing = [g for g in outgoing if g.predicate.iri not in asked]
    incoming = [g for g in incoming if g.predicate.iri not in pointing]
    graphs = sorted(
        {
            graph_value(store, q.graph_name, href)
            for q in out + into
            if isinstance(q.graph_name, ox.NamedNode)
        },
        key=lambda v: v.text,
    )
    label = label_of(store, node)
    if label is None and text is not None:
        # An article's text has no label of its own; name it after its article.
        article = first_node(store, node, PIL + "textOf")
        title = label_of(store, article) if article is not None else None
        label = f"Text of “{title}”" if title else None
    return Description(
        iri=iri,
        label=label or local_name(iri),
        curie=compact(iri),
        types=types,
        definitions=definitions,
        outgoing=outgoing,
        incoming=incoming,
        quotes=quotes_for(store, node, href),
        citations=citations_for(store, node, href),
        graphs=graphs,
        text=text,
        draft=is_draft(store, node),
        summary=summary,
        notes=notes,
    )


def graph_value(store: ReadStore, graph: ox.NamedNode, href: Href) -> Value:
    """A graph as a reader knows it: an article's graph by the article's title, linked to the
    article's page; other graphs by their name."""
    for quad in store.quads_for_pattern(None, TYPE, ox.NamedNode(PIL + "Article"), graph):
        if isinstance(quad.subject, ox.NamedNode):
            title = label_of(store, quad.subject)
            if title:
                return Value(text=title, href=href(quad.subject.value), iri=quad.subject.value)
    return value_of(store, graph, href)


def quotes_for(store: ReadStore, node: ox.NamedNode, href: Href) -> list[Quote]:
    """The resource's own evidence, or the resource itself when it is a piece of evidence."""
    evidence: list[ox.NamedNode | ox.BlankNode] = [node]
    for quad in store.quads_for_pattern(node, ox.NamedNode(PIL + "hasEvidence"), None, None):
        if isinstance(quad.object, (ox.NamedNode, ox.BlankNode)) and quad.object not in evidence:
            evidence.append(quad.object)
    quotes = []
    for e in evidence:
        quote = quote_of(store, e, href)
        if quote is not None:
            section = first_node(store, e, PIL + "inSection")
            if section is not None:
                quote = replace(quote, section=value_of(store, section, href))
            quotes.append(quote)
    return sorted(quotes, key=lambda q: (q.start if q.start is not None else -1, q.exact))


def citations_for(store: ReadStore, node: ox.NamedNode, href: Href) -> list[CitationView]:
    """In-text citations given for this statement, or of this cited work."""
    found: list[CitationView] = []
    cited_for, cites_work = ox.NamedNode(PIL + "citedFor"), ox.NamedNode(PIL + "citesWork")
    citations = {q.subject for q in store.quads_for_pattern(None, cited_for, node, None)}
    citations |= {q.subject for q in store.quads_for_pattern(None, cites_work, node, None)}
    for citation in citations:
        if not isinstance(citation, ox.NamedNode):
            continue
        work = first_node(store, citation, PIL + "citesWork")
        target = first_node(store, citation, PIL + "citedFor")
        words = None
        ev = first_node(store, citation, PIL + "hasEvidence")
        if ev is not None:
            words = first_literal(store, ev, OA + "exact")
        found.append(
            CitationView(
                source=value_of(store, work, href) if work else Value("(no source given)"),
                page=first_literal(store, citation, PIL + "pageLocator"),
                words=words,
                citation=value_of(store, citation, href),
                cited_for=value_of(store, target, href) if target and target != node else None,
            )
        )
    return sorted(found, key=lambda c: (c.source.text, c.page or "", c.citation.text))


def description_triples(store: ReadStore, iri: str) -> list[ox.Triple]:
    """The resource's document: its outgoing and incoming triples, blank nodes followed."""
    node = ox.NamedNode(iri)
    triples: dict[ox.Triple, None] = {}
    todo: list[ox.NamedNode | ox.BlankNode] = [node]
    done: set[ox.NamedNode | ox.BlankNode] = set()
    while todo:
        subject = todo.pop()
        if subject in done:
            continue
        done.add(subject)
        for q in store.quads_for_pattern(subject, None, None, None):
            triples[ox.Triple(q.subject, q.predicate, q.object)] = None
            if isinstance(q.object, ox.BlankNode):
                todo.append(q.object)
    for q in store.quads_for_pattern(None, None, node, None):
        triples[ox.Triple(q.subject, q.predicate, q.object)] = None
    return list(triples)

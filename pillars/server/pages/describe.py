"""What a resource page shows: label, types, definition, links both ways, quotes, citations.

Everything is read with `quads_for_pattern` on the Oxigraph store: these are index lookups,
far cheaper than planning a SPARQL query per page, and the page needs nothing a join adds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import pyoxigraph as ox

from pillars.entailment import PROPERTY_CHAIN, Chain, Subsumption, is_entailed_graph
from pillars.namespaces import OA, ONTOLOGY_GRAPH, PIL, RDF, RDFS, SHAPES_GRAPH, SKOS
from pillars.prefixes import compact
from pillars.store_interface import ReadStore, select

DCT = "http://purl.org/dc/terms/"
NIF_STRING = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString"
TYPE = ox.NamedNode(RDF + "type")
LABEL_PREDICATES = [
    ox.NamedNode(SKOS + "prefLabel"),
    ox.NamedNode(RDFS + "label"),
    ox.NamedNode(DCT + "title"),
    ox.NamedNode("http://xmlns.com/foaf/0.1/name"),
]
DEFINITION_PREDICATES = [ox.NamedNode(SKOS + "definition"), ox.NamedNode(DCT + "description")]
COMMENT = ox.NamedNode(RDFS + "comment")  # a definition only for ontology terms; else a note
EXACT = ox.NamedNode(OA + "exact")
DRAFT = ox.NamedNode(PIL + "draft")
QUOTE_LABEL_CHARS = 60
CONTEXT_CHARS = 240  # characters of article text shown either side of a quote
SECTION_NUMBER = PIL + "sectionNumber"
MAX_LINKS_PER_PREDICATE = 200  # art:text is the object of every pil:inText

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
class LinkGroup:
    predicate: Value
    values: list[Value] = field(default_factory=list)
    more: int = 0
    inverse: str = ""  # how the link reads from its object (pil:inverseLabel), if said

    @property
    def total(self) -> int:
        return len(self.values) + self.more


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


def _first_literal(
    store: ReadStore, node: ox.NamedNode | ox.BlankNode, predicate: str
) -> str | None:
    for quad in store.quads_for_pattern(node, ox.NamedNode(predicate), None, None):
        if isinstance(quad.object, ox.Literal):
            return quad.object.value
    return None


def _first_node(
    store: ReadStore, node: ox.NamedNode | ox.BlankNode, predicate: str
) -> ox.NamedNode | None:
    for quad in store.quads_for_pattern(node, ox.NamedNode(predicate), None, None):
        if isinstance(quad.object, ox.NamedNode):
            return quad.object
    return None


def _int(value: str | None) -> int | None:
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


def quote_of(store: ReadStore, evidence: ox.NamedNode | ox.BlankNode, href: Href) -> Quote | None:
    """The evidence's quoted words in their context, or None if it quotes nothing."""
    found = _quote_of(store, evidence, href)
    return replace(found, draft=True) if found and is_draft(store, evidence) else found


def _quote_of(store: ReadStore, evidence: ox.NamedNode | ox.BlankNode, href: Href) -> Quote | None:
    exact = _first_literal(store, evidence, OA + "exact")
    if exact is None:
        return None
    start = _int(_first_literal(store, evidence, OA + "start"))
    end = _int(_first_literal(store, evidence, OA + "end"))
    text_node = _first_node(store, evidence, PIL + "inText")
    text = _first_literal(store, text_node, NIF_STRING) if text_node is not None else None
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


def _group(
    pairs: Iterable[tuple[ox.NamedNode, Value]], store: ReadStore, href: Href
) -> list[LinkGroup]:
    groups: dict[str, LinkGroup] = {}
    seen: set[tuple[str, Value]] = set()
    for predicate, value in pairs:
        if (predicate.value, value) in seen:
            continue  # the same triple stated in two graphs
        seen.add((predicate.value, value))
        group = groups.get(predicate.value)
        if group is None:
            group = groups[predicate.value] = LinkGroup(value_of(store, predicate, href))
        if len(group.values) < MAX_LINKS_PER_PREDICATE:
            group.values.append(value)
        else:
            group.more += 1
    for group in groups.values():
        group.values.sort(key=lambda v: _reading_order(store, v))
    return sorted(groups.values(), key=lambda g: g.predicate.text.casefold())


def _asserted(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """A page shows what the corpus says; the entailed graphs would list every superclass."""
    return [q for q in quads if not is_entailed_graph(getattr(q.graph_name, "value", ""))]


def _reading_order(store: ReadStore, value: Value) -> tuple[int, int, str]:
    """Numbered sections first, by pil:sectionNumber; everything else by its label."""
    # Sorting sections by heading would scramble the article's reading order.
    if value.iri is not None:
        number = _int(_first_literal(store, ox.NamedNode(value.iri), SECTION_NUMBER))
        if number is not None:
            return (0, number, value.text.casefold())
    return (1, 0, value.text.casefold())


def describe(store: ReadStore, iri: str, href: Href) -> Description:
    node = ox.NamedNode(iri)
    out = _asserted(store.quads_for_pattern(node, None, None, None))
    into = _asserted(store.quads_for_pattern(None, None, node, None))
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
    outgoing = _group(
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
    incoming = _group(((q.predicate, value_of(store, q.subject, href)) for q in into), store, href)
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
        article = _first_node(store, node, PIL + "textOf")
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


def _chains(store: ReadStore) -> tuple[Chain, ...]:
    """The ontology's property chains, read from the few quads that state them."""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    heads = list(store.quads_for_pattern(None, PROPERTY_CHAIN, None, graph))
    quads: list[ox.Quad] = list(heads)
    todo = [q.object for q in heads]
    while todo and len(quads) < 1000:
        node = todo.pop()
        if isinstance(node, ox.BlankNode):
            for q in store.quads_for_pattern(node, None, None, graph):
                quads.append(q)
                todo.append(q.object)
    return Subsumption.of(quads).chains


def _step(store: ReadStore, nodes: set[Any], prop: ox.NamedNode, back: bool) -> set[Any]:
    out: set[Any] = set()
    for n in nodes:
        quads = (
            store.quads_for_pattern(None, prop, n, None)  # type: ignore[arg-type]
            if back
            else store.quads_for_pattern(n, prop, None, None)  # type: ignore[arg-type]
        )
        out |= {q.subject if back else q.object for q in _asserted(quads)}
    return out


def chained(store: ReadStore, node: ox.NamedNode, href: Href) -> list[LinkGroup]:
    """What the ontology's property chains give this resource, both ways: a threat's
    pil:perceivedBy actors, and on an actor's page the threats it perceives."""
    groups = []
    for chain in _chains(store):
        for forward in (True, False):
            steps = chain.steps if forward else tuple((p, not b) for p, b in reversed(chain.steps))
            reached: set[Any] = {node}
            for prop, back in steps:
                reached = _step(store, reached, prop, back)
            values = sorted((value_of(store, r, href) for r in reached), key=lambda v: v.text)
            if not values:
                continue
            group = LinkGroup(value_of(store, chain.target, href), values[:MAX_LINKS_PER_PREDICATE])
            group.more = max(0, len(values) - MAX_LINKS_PER_PREDICATE)
            if not forward:
                group.inverse = inverse_label(store, chain.target.value)
            groups.append(group)
    return groups


def inverse_label(store: ReadStore, predicate: str | None) -> str:
    """How a link reads from its object ("perceived in"), from the ontology's
    pil:inverseLabel; "" where the ontology gives none."""
    if predicate is None:
        return ""
    node = named_node(predicate)
    found = _first_literal(store, node, PIL + "inverseLabel") if node is not None else None
    return found[:1].upper() + found[1:] if found else ""


_SHAPED = """PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?path WHERE {
  <%s> a/rdfs:subClassOf* ?class .
  GRAPH <%s> { ?shape sh:targetClass ?class ; sh:property/sh:path ?path . FILTER(isIRI(?path)) }
}"""


def shaped_paths(store: ReadStore, node: ox.NamedNode) -> frozenset[str]:
    """The properties the shapes ask of the resource's kinds (its classes and theirs): what
    its page shows first, as the summary of what it is."""
    rows = select(store, _SHAPED % (node.value, SHAPES_GRAPH), union=True)
    return frozenset(row["path"].value for row in rows)


_SHAPED_INTO = """PREFIX sh: <http://www.w3.org/ns/shacl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?path WHERE {
  <%s> a/rdfs:subClassOf* ?class .
  GRAPH <%s> { ?property sh:path ?path ; sh:class ?class . FILTER(isIRI(?path)) }
}"""


def shaped_paths_into(store: ReadStore, node: ox.NamedNode) -> frozenset[str]:
    """The properties whose values the shapes require to be of the resource's kinds (sh:class):
    the links other things are asked to make to it, which its summary counts."""
    rows = select(store, _SHAPED_INTO % (node.value, SHAPES_GRAPH), union=True)
    return frozenset(row["path"].value for row in rows)


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
            section = _first_node(store, e, PIL + "inSection")
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
        work = _first_node(store, citation, PIL + "citesWork")
        target = _first_node(store, citation, PIL + "citedFor")
        words = None
        ev = _first_node(store, citation, PIL + "hasEvidence")
        if ev is not None:
            words = _first_literal(store, ev, OA + "exact")
        found.append(
            CitationView(
                source=value_of(store, work, href) if work else Value("(no source given)"),
                page=_first_literal(store, citation, PIL + "pageLocator"),
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

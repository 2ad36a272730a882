"""Articles side by side: what each states about pillars, threats, limits, actors and figures.

`compare(store, slugs)` reads the chosen articles' named graphs (and the shared graph for the
names of actors and concepts) into a `Comparison`: sections of rows, one cell per article,
each cell a list of `Line`s that carry the quote that anchors them. Rows are what the articles
can share: the SKOS concept of `pil:threatType` / `pil:limitType` (graph/shared, narrower
concepts under their `skos:broader` one), an actor's role; pillars and figures have no shared
key, so each is one row.

Every query names its graphs in a VALUES block (`GRAPH ?g`), so the cost grows with the
articles chosen, not with the corpus (docs/pages.md, "Comparing articles"). Only asserted
triples are read: entailed graphs are not among the graphs named.

A sub-threat or sub-limit (`pil:subThreatOf`, `pil:subLimitOf`) with no type of its own is
listed under its broader one, so a row's lines are the article's own points of that type.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from pillars.namespaces import (
    DCTERMS,
    OA,
    ONTOLOGY_GRAPH,
    PIL,
    RDFS,
    SHARED_GRAPH,
    SKOS,
    article_graph,
)
from pillars.store_interface import ReadStore, select

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Key = tuple[str, str]  # (graph, resource): what one article says of one resource
Facts = dict[str, list[Term]]  # predicate IRI -> values

EXACT, START, END, IN_TEXT = OA + "exact", OA + "start", OA + "end", PIL + "inText"
SHOWN_CLASSES = tuple(
    PIL + name
    for name in (
        "Pillar", "PillarComponent", "Threat", "ThreatPerception", "Limit",
        "SecurityConvergence", "CooperationDimension", "Quantity",
    )
)  # fmt: skip
MAX_ARTICLES = 20  # the page answers within a second at this many (bench/compare.py)
UNTYPED = ""  # the row key of threats or limits with no SKOS type

PREFIXES = (
    f"PREFIX pil: <{PIL}> PREFIX oa: <{OA}> PREFIX rdfs: <{RDFS}> "
    f"PREFIX skos: <{SKOS}> PREFIX dcterms: <{DCTERMS}>\n"
)


@dataclass(frozen=True)
class Quote:
    """The evidence a line is one click from: its words and where they sit in the text."""

    evidence: str  # the evidence's IRI ('' for a blank node: no page of its own)
    exact: str
    start: int | None
    end: int | None
    text: str | None  # the IRI of the article text it quotes (pil:inText)


@dataclass(frozen=True)
class Line:
    """One thing an article states, as a cell shows it."""

    iri: str
    label: str
    note: str = ""  # e.g. "perceived by State 01, State 02; presented as common"
    quote: Quote | None = None
    children: tuple[Line, ...] = ()  # components of a pillar, untyped sub-threats/-limits


@dataclass(frozen=True)
class Row:
    key: str  # the concept IRI, the role, or a section's own name
    label: str
    cells: tuple[tuple[Line, ...], ...]  # one per article, in the order chosen
    iri: str | None = None  # the concept a row is about, if any
    depth: int = 0  # narrower concepts sit one level under their broader one


@dataclass(frozen=True)
class Section:
    key: str  # pillars, threats, limits, actors, figures
    title: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Article:
    slug: str
    iri: str
    title: str


@dataclass(frozen=True)
class Comparison:
    articles: tuple[Article, ...]
    sections: tuple[Section, ...]


class UnknownArticle(ValueError):
    def __init__(self, slug: str, suggestions: Sequence[str]):
        hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"no article {slug!r} in this dataset{hint}")
        self.slug = slug
        self.suggestions = tuple(suggestions)


# ---------------------------------------------------------------- reading the graphs


@dataclass
class Reader:
    """The queries of one comparison; every one restricted to the chosen graphs."""

    store: ReadStore
    slugs: Sequence[str]
    labels: dict[str, str] = field(default_factory=dict)
    quotes: dict[tuple[str, str], Quote] = field(default_factory=dict)  # (graph, iri) -> first

    @property
    def graph_nodes(self) -> list[ox.NamedNode | ox.BlankNode]:
        return [ox.NamedNode(article_graph(s)) for s in self.slugs]

    def rows(self, body: str) -> Iterable[ox.QuerySolution]:
        """Rows of `body` (patterns inside GRAPH ?g) over a dataset of the chosen graphs.

        The dataset, not a VALUES ?g block: with VALUES, Oxigraph evaluated the GRAPH ?g
        patterns over every graph and joined after (20 articles of 1,000: 3-4 s for the
        quotes, 0.1 s with the dataset)."""
        query = f"{PREFIXES}SELECT * WHERE {{ GRAPH ?g {{ {body} }} }}"
        answer = self.store.query(query, default_graph=[], named_graphs=self.graph_nodes)
        if not isinstance(answer, ox.QuerySolutions):
            raise TypeError(f"expected the rows of a SELECT query, got {type(answer).__name__}")
        return answer

    def shared_rows(self, body: str) -> Iterable[ox.QuerySolution]:
        return select(
            self.store, f"{PREFIXES}SELECT * WHERE {{ GRAPH <{SHARED_GRAPH}> {{ {body} }} }}"
        )

    def facts(self, pattern: str, predicates: Sequence[str]) -> dict[Key, Facts]:
        """Each ?x that `pattern` finds in a chosen graph, with its values of `predicates`.

        A UNION rather than OPTIONALs: a thing lacking some is still found, and two values
        of one property are two rows, not a product with every other property's values."""
        values = " ".join(f"<{p}>" for p in predicates)
        body = f"{pattern} {{ }} UNION {{ ?x ?p ?o VALUES ?p {{ {values} }} }}"
        found: dict[Key, Facts] = {}
        for row in self.rows(body):
            if not isinstance(row["x"], ox.NamedNode | ox.BlankNode):
                continue
            key = (row["g"].value, row["x"].value)
            entry = found.setdefault(key, defaultdict(list))
            if row["p"] is not None and row["o"] is not None:
                entry[row["p"].value].append(row["o"])
        for entry in found.values():  # the same first value every time
            for terms in entry.values():
                terms.sort(key=str)
        return found

    def read_names(self) -> None:
        """Labels from the chosen graphs and the shared one (English or plain first)."""
        ranked: dict[str, tuple[int, str]] = {}
        body = "?x rdfs:label|skos:prefLabel ?label"
        for row in [*self.rows(body), *self.shared_rows(body)]:
            label = row["label"]
            if not isinstance(label, ox.Literal) or not isinstance(row["x"], ox.NamedNode):
                continue
            rank = 0 if label.language in (None, "en") else 1
            key = row["x"].value
            candidate = (rank, " ".join(label.value.split()))
            if key not in ranked or candidate < ranked[key]:
                ranked[key] = candidate
        self.labels = {iri: text for iri, (_, text) in ranked.items()}

    def read_quotes(self) -> None:
        """The first quote (by position in the text) of each thing a cell can show: only
        those classes, since citations and claims hold most of an article's quotes."""
        classes = " ".join(f"<{c}>" for c in self.subclasses(*SHOWN_CLASSES))
        body = (
            f"VALUES ?class {{ {classes} }} ?x a ?class ; pil:hasEvidence ?e . "
            "?e oa:exact ?exact OPTIONAL { ?e oa:start ?start } OPTIONAL { ?e oa:end ?end } "
            "OPTIONAL { ?e pil:inText ?text }"
        )
        for row in self.rows(body):
            quote = Quote(
                row["e"].value if isinstance(row["e"], ox.NamedNode) else "",
                " ".join(row["exact"].value.split()),
                _integer(row["start"]),
                _integer(row["end"]),
                row["text"].value if isinstance(row["text"], ox.NamedNode) else None,
            )
            key = (row["g"].value, row["x"].value)
            if key not in self.quotes or _quote_order(quote) < _quote_order(self.quotes[key]):
                self.quotes[key] = quote

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or _local_name(iri)

    def line(self, graph: str, iri: str, note: str = "", children: Iterable[Line] = ()) -> Line:
        ordered = tuple(sorted(children, key=_line_order))
        return Line(iri, self.label(iri), note, self.quotes.get((graph, iri)), ordered)

    def subclasses(self, *classes: str) -> list[str]:
        """The classes and their subclasses in the ontology graph (asserted types are the
        narrow ones; the entailed graphs that would say pil:Threat are not read)."""
        tops = " ".join(f"<{c}>" for c in classes)
        query = (
            f"{PREFIXES}SELECT ?c WHERE {{ VALUES ?top {{ {tops} }} "
            f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?c rdfs:subClassOf* ?top }} }}"
        )
        found = {row["c"].value for row in select(self.store, query)}
        return sorted(found | set(classes))


def _first(facts: Facts, predicate: str) -> Term | None:
    terms = facts.get(predicate)
    return terms[0] if terms else None


def _first_text(facts: Facts, predicate: str) -> str:
    """The first literal value, its whitespace runs as one space ('' if none)."""
    for term in facts.get(predicate, ()):
        if isinstance(term, ox.Literal):
            return " ".join(term.value.split())
    return ""


def _integer(term: Term | None) -> int | None:
    try:
        return int(term.value) if isinstance(term, ox.Literal) else None
    except ValueError:
        return None


def _quote_order(quote: Quote) -> tuple[bool, int, str]:
    return (quote.start is None, quote.start or 0, quote.exact)


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1].replace("-", " ") or iri


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """'threat 2' before 'threat 10': digit runs compare as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def _line_order(line: Line) -> tuple[tuple[tuple[int, int | str], ...], str]:
    return (natural_key(line.label), line.iri)


# ---------------------------------------------------------------- the sections


def articles(reader: Reader) -> tuple[Article, ...]:
    found: dict[str, tuple[str, str]] = {}
    for (graph, iri), facts in reader.facts("?x a pil:Article", (DCTERMS + "title",)).items():
        text = _first_text(facts, DCTERMS + "title")
        if graph not in found or (text and not found[graph][1]):
            found[graph] = (iri, text)
    heads = []
    for slug in reader.slugs:
        iri, title = found.get(article_graph(slug), ("", ""))
        heads.append(Article(slug, iri, title or slug))
    return tuple(heads)


def pillars(reader: Reader) -> Section:
    components = {
        key: [c.value for c in facts.get(PIL + "hasComponent", ()) if isinstance(c, ox.NamedNode)]
        for key, facts in reader.facts("?x a pil:Pillar", (PIL + "hasComponent",)).items()
    }
    cells = []
    for slug in reader.slugs:
        graph = article_graph(slug)
        lines = [
            reader.line(graph, p, children=(reader.line(graph, c) for c in comps))
            for (g, p), comps in components.items()
            if g == graph
        ]
        cells.append(tuple(sorted(lines, key=_line_order)))
    heading = Row("pillars", "Pillars and their components", tuple(cells))
    return Section("pillars", "Pillars", (heading,))


@dataclass
class Typed:
    """Threats or limits of the chosen articles: each one's type, broader one and note."""

    type_of: dict[tuple[str, str], str] = field(default_factory=dict)  # (graph, iri) -> concept
    parent: dict[tuple[str, str], str] = field(default_factory=dict)
    notes: dict[tuple[str, str], list[str]] = field(default_factory=dict)


def typed_section(
    reader: Reader, key: str, title: str, typed: Typed, untyped_label: str
) -> Section:
    """Rows by SKOS concept, narrower concepts after their broader one; the untyped last."""
    broader = {
        row["c"].value: row["b"].value
        for row in reader.shared_rows("?c skos:broader ?b")
        if isinstance(row["b"], ox.NamedNode)
    }
    used = set(typed.type_of.values())
    shown = {c for used_concept in used - {UNTYPED} for c in _chain(used_concept, broader)}
    concepts = sorted(shown, key=lambda c: _path(reader, c, broader))  # broader ones kept
    rows = []
    for concept in concepts:
        cells = tuple(_typed_cell(reader, typed, slug, concept) for slug in reader.slugs)
        depth = len(_path(reader, concept, broader)) - 1
        rows.append(Row(concept, reader.label(concept), cells, concept, depth))
    cells = tuple(_typed_cell(reader, typed, slug, UNTYPED) for slug in reader.slugs)
    if any(cells):  # untyped sub-points all under their broader point need no row
        rows.append(Row("untyped", untyped_label, cells))
    return Section(key, title, tuple(rows))


def _chain(concept: str, broader: dict[str, str]) -> list[str]:
    """`concept`, its broader concept, that one's ... (a cycle stops at the repeat)."""
    chain = [concept]
    while chain[-1] in broader and broader[chain[-1]] not in chain:
        chain.append(broader[chain[-1]])
    return chain


def _path(reader: Reader, concept: str, broader: dict[str, str]) -> tuple[str, ...]:
    """The labels from the top concept down to `concept`: the rows' order."""
    return tuple(reader.label(c).casefold() for c in reversed(_chain(concept, broader)))


def _typed_cell(reader: Reader, typed: Typed, slug: str, concept: str) -> tuple[Line, ...]:
    graph = article_graph(slug)
    lines = [
        _typed_line(reader, typed, graph, iri)
        for (g, iri), kind in typed.type_of.items()
        if g == graph and kind == concept and not _listed_under_parent(typed, g, iri)
    ]
    return tuple(sorted(lines, key=_line_order))


def _listed_under_parent(typed: Typed, graph: str, iri: str) -> bool:
    """An untyped sub-point goes under its broader point when that one is in the graph."""
    parent = typed.parent.get((graph, iri))
    return typed.type_of[(graph, iri)] == UNTYPED and (graph, parent) in typed.type_of


def _typed_line(
    reader: Reader, typed: Typed, graph: str, iri: str, seen: frozenset[str] = frozenset()
) -> Line:
    children = [
        _typed_line(reader, typed, graph, child, seen | {iri})
        for (g, child), parent in typed.parent.items()
        if g == graph
        and parent == iri
        and child not in seen
        and _listed_under_parent(typed, g, child)
    ]
    return reader.line(graph, iri, "; ".join(typed.notes.get((graph, iri), [])), children)


def threats(reader: Reader) -> Section:
    classes = " ".join(f"<{c}>" for c in reader.subclasses(PIL + "Threat"))
    typed = Typed()
    pattern = f"VALUES ?class {{ {classes} }} ?x a ?class ."
    asked = (PIL + "threatType", PIL + "subThreatOf", PIL + "presentedAsCommon")
    common: set[Key] = set()
    for key, facts in reader.facts(pattern, asked).items():
        _record_type(typed, key, facts, PIL + "threatType", PIL + "subThreatOf")
        if _first_text(facts, PIL + "presentedAsCommon") in ("true", "1"):
            common.add(key)
    perceivers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in reader.rows("?p pil:perceivedThreat ?x ; pil:perceiver ?who"):
        perceivers[(row["g"].value, row["x"].value)].add(row["who"].value)
    for key in typed.type_of:
        names = sorted((reader.label(w) for w in perceivers.get(key, ())), key=natural_key)
        notes = [f"perceived by {', '.join(names)}"] if names else []
        typed.notes[key] = notes + (["presented as common"] if key in common else [])
    return typed_section(reader, "threats", "Threats by type", typed, "No threat type")


def limits(reader: Reader) -> Section:
    classes = " ".join(f"<{c}>" for c in reader.subclasses(PIL + "Limit"))
    typed = Typed()
    pattern = f"VALUES ?class {{ {classes} }} ?x a ?class ."
    asked = (PIL + "limitType", PIL + "subLimitOf", PIL + "involves")
    for key, facts in reader.facts(pattern, asked).items():
        _record_type(typed, key, facts, PIL + "limitType", PIL + "subLimitOf")
        involved = {w.value for w in facts.get(PIL + "involves", ()) if isinstance(w, ox.NamedNode)}
        names = sorted((reader.label(w) for w in involved), key=natural_key)
        typed.notes[key] = [f"involves {', '.join(names)}"] if names else []
    return typed_section(reader, "limits", "Limits by type", typed, "No limit type")


def _record_type(typed: Typed, key: Key, facts: Facts, type_property: str, parent: str) -> None:
    """A thing with two types is listed under the first by IRI, the same every time."""
    kinds = [t.value for t in facts.get(type_property, ()) if isinstance(t, ox.NamedNode)]
    typed.type_of[key] = kinds[0] if kinds else UNTYPED
    parents = [t.value for t in facts.get(parent, ()) if isinstance(t, ox.NamedNode)]
    if parents:
        typed.parent[key] = parents[0]


@dataclass(frozen=True)
class Role:
    key: str
    heading: str
    pattern: str  # gives ?who the role through the statement ?via
    counted: tuple[str, str]  # what a line counts, one and several


ROLES = (
    Role("converging", "Converging actors", "?via pil:convergingActor ?who", ("convergence",) * 2),
    Role(
        "perceivers", "Perceivers of threats", "?via pil:perceiver ?who",
        ("perception", "perceptions"),
    ),
    Role(
        "involved", "Involved in limits and dimensions", "?via pil:involves ?who",
        ("statement", "statements"),
    ),
)  # fmt: skip


def actors(reader: Reader) -> Section:
    union = " UNION ".join(f'{{ {r.pattern} BIND("{r.key}" AS ?role) }}' for r in ROLES)
    via: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # (graph, role, actor)
    for row in reader.rows(union):
        if isinstance(row["who"], ox.NamedNode):
            via[(row["g"].value, row["role"].value, row["who"].value)].add(row["via"].value)
    rows = []
    for role in ROLES:
        cells = []
        for slug in reader.slugs:
            graph = article_graph(slug)
            lines = [
                _actor_line(reader, graph, who, statements, role)
                for (g, key, who), statements in via.items()
                if g == graph and key == role.key
            ]
            cells.append(tuple(sorted(lines, key=_line_order)))
        rows.append(Row(role.key, role.heading, tuple(cells)))
    return Section("actors", "Actors", tuple(rows))


def _actor_line(reader: Reader, graph: str, who: str, statements: set[str], role: Role) -> Line:
    """The actor, with the first quote of the statements that give it the role."""
    quotes = [q for s in statements if (q := reader.quotes.get((graph, s))) is not None]
    n = len(statements)
    note = f"in {n} {role.counted[n != 1]}"
    first = min(quotes, key=_quote_order) if quotes else None
    return Line(who, reader.label(who), note, first)


def figures(reader: Reader) -> Section:
    shown = [PIL + p for p in ("qualifier", "numericValue", "unit")]
    found: dict[Key, Line] = {}
    for key, facts in reader.facts("?x a pil:Quantity", (*shown, PIL + "measures")).items():
        qualifier, value, unit = (_first_text(facts, p) for p in shown)
        label = " ".join(t for t in (qualifier, _grouped(value), unit) if t) or "figure"
        note = _first_text(facts, PIL + "measures")  # a second value of one property: not shown
        found[key] = Line(key[1], label, note, reader.quotes.get(key))
    cells = tuple(
        tuple(
            sorted((ln for (g, _), ln in found.items() if g == article_graph(s)), key=_figure_order)
        )
        for s in reader.slugs
    )
    return Section(
        "figures", "Figures", (Row("figures", "Figures (value, unit: what it measures)", cells),)
    )


def _grouped(number: str) -> str:
    """2000000000 as 2,000,000,000 (a reader counts no zeros); other text as it is."""
    try:
        return f"{Decimal(number):,}"
    except InvalidOperation:
        return number


def _figure_order(line: Line) -> tuple[tuple[tuple[int, int | str], ...], str]:
    return (natural_key(line.note), line.iri)


# ---------------------------------------------------------------- the whole and its CSV


def compare(store: ReadStore, slugs: Sequence[str]) -> Comparison:
    """The chosen articles (slugs already checked with `check_slugs`) side by side."""
    reader = Reader(store, list(slugs))
    reader.read_names()
    reader.read_quotes()
    sections = (pillars(reader), threats(reader), limits(reader), actors(reader), figures(reader))
    return Comparison(articles(reader), sections)


def parse_slugs(values: Iterable[str]) -> list[str]:
    """`a,b` and repeated parameters alike; blanks dropped, the first of a repeat kept."""
    seen: dict[str, None] = {}
    for value in values:
        for part in value.split(","):
            if part.strip():
                seen[part.strip()] = None
    return list(seen)


def check_slugs(slugs: Sequence[str], known: Sequence[str]) -> None:
    """Raise UnknownArticle for the first slug not among `known`, with the nearest ones."""
    held = set(known)
    for slug in slugs:
        if slug not in held:
            raise UnknownArticle(slug, difflib.get_close_matches(slug, known, n=3, cutoff=0.5))


CSV_HEADER = (
    "section", "row", "row_iri", "article", "article_title", "line", "line_iri", "within",
    "note", "quote", "quote_start", "quote_end", "evidence_url",
)  # fmt: skip


def csv_text(comparison: Comparison, evidence_url: Callable[[Line], str]) -> str:
    """A header, then one row per line of every cell (children name their line in `within`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for section in comparison.sections:
        for row in section.rows:
            for article, cell in zip(comparison.articles, row.cells, strict=True):
                for line, within in _flatten(cell, ""):
                    quote = line.quote
                    writer.writerow([
                        section.title, row.label, row.iri or "", article.slug, article.title,
                        line.label, line.iri, within, line.note,
                        quote.exact if quote else "",
                        "" if quote is None or quote.start is None else quote.start,
                        "" if quote is None or quote.end is None else quote.end,
                        evidence_url(line),
                    ])  # fmt: skip
    return out.getvalue()


def _flatten(lines: Iterable[Line], within: str) -> Iterable[tuple[Line, str]]:
    for line in lines:
        yield line, within
        yield from _flatten(line.children, line.label)


def titles(store: ReadStore, slugs: Iterable[str]) -> dict[str, str]:
    """Each article's title (its slug where it has none), for choosing articles: one query
    by the type index, answered without reading the articles' other statements."""
    wanted = {article_graph(s): s for s in slugs}
    pattern = "?a a pil:Article ; dcterms:title ?title"
    query = f"{PREFIXES}SELECT ?g ?title WHERE {{ GRAPH ?g {{ {pattern} }} }}"
    found: dict[str, str] = {}
    for row in select(store, query):
        slug = wanted.get(row["g"].value)
        if slug is not None and isinstance(row["title"], ox.Literal):
            title = " ".join(row["title"].value.split())
            if title and (slug not in found or title < found[slug]):
                found[slug] = title
    return {slug: found.get(slug, slug) for slug in wanted.values()}

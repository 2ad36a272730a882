"""The sections of a comparison, each from a few queries of the `Reader`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from pillars.compare.model import (
    UNTYPED,
    Article,
    Facts,
    Key,
    Line,
    Row,
    Section,
    line_order,
    natural_key,
)
from pillars.compare.reader import Reader, first_text, quote_order
from pillars.namespaces import DCTERMS, PIL, article_graph


def articles(reader: Reader) -> tuple[Article, ...]:
    found: dict[str, tuple[str, str]] = {}
    for (graph, iri), facts in reader.facts("?x a pil:Article", (DCTERMS + "title",)).items():
        text = first_text(facts, DCTERMS + "title")
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
        cells.append(tuple(sorted(lines, key=line_order)))
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
    return tuple(sorted(lines, key=line_order))


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
        if first_text(facts, PIL + "presentedAsCommon") in ("true", "1"):
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
            cells.append(tuple(sorted(lines, key=line_order)))
        rows.append(Row(role.key, role.heading, tuple(cells)))
    return Section("actors", "Actors", tuple(rows))


def _actor_line(reader: Reader, graph: str, who: str, statements: set[str], role: Role) -> Line:
    """The actor, with the first quote of the statements that give it the role."""
    quotes = [q for s in statements if (q := reader.quotes.get((graph, s))) is not None]
    n = len(statements)
    note = f"in {n} {role.counted[n != 1]}"
    first = min(quotes, key=quote_order) if quotes else None
    return Line(who, reader.label(who), note, first)


def figures(reader: Reader) -> Section:
    shown = [PIL + p for p in ("qualifier", "numericValue", "unit")]
    found: dict[Key, Line] = {}
    for key, facts in reader.facts("?x a pil:Quantity", (*shown, PIL + "measures")).items():
        qualifier, value, unit = (first_text(facts, p) for p in shown)
        label = " ".join(t for t in (qualifier, _grouped(value), unit) if t) or "figure"
        note = first_text(facts, PIL + "measures")  # a second value of one property: not shown
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

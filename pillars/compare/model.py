"""The comparison's parts: what a cell holds, rows, sections, and the constants the reading
uses (pillars/compare/__init__.py says what the comparison is)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from pillars.namespaces import DCTERMS, OA, PIL, RDFS, SKOS

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


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """'threat 2' before 'threat 10': digit runs compare as numbers."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", text)
        if part
    )


def line_order(line: Line) -> tuple[tuple[tuple[int, int | str], ...], str]:
    return (natural_key(line.label), line.iri)

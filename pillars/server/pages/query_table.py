"""The query page's answer, shaped for reading: what each column holds (so long quotes get
room, offsets fold away and numbers align), the labels of the IRIs shown read in one query,
and a bar chart when the answer is one label per number.

The table is rendered here, on the server, so it works without JavaScript; static/results.js
adds hiding, reordering and grouping on top of it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from pillars.namespaces import OA
from pillars.prefixes import compact
from pillars.server.pages.terms import (
    LABEL_PREDICATES,
    QUOTE_LABEL_CHARS,
    Value,
    local_name,
    value_of,
)
from pillars.store_interface import ReadStore, select

XSD = "http://www.w3.org/2001/XMLSchema#"
INTEGERS = {
    XSD + t
    for t in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger",
              "unsignedInt", "unsignedLong")
}  # fmt: skip
NUMBERS = INTEGERS | {XSD + "decimal", XSD + "double", XSD + "float"}
# Offsets into a text, by the names queries give them (?start, ?end, ?quote_start, ?endOffset).
OFFSET_NAME = re.compile(r"(?:^|_)(?:start|end|offset|begin)$|[a-z](?:Start|End|Offset)$", re.I)
LONG_CHARS = 60  # a literal longer than this is read as prose: its column gets room to wrap
LABELS_PER_QUERY = 400  # IRIs per VALUES block when reading labels
EXACT = ox.NamedNode(OA + "exact")
# Characters an IRI cannot hold in a SPARQL IRIREF: such an IRI keeps its local name.
_UNWRITABLE = re.compile(r"[<>\"{}|^`\\\s]")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "iri", "number", "offset", "long" (prose) or "text"

    @property
    def css(self) -> str:
        return f"col-{self.kind}"


def columns(variables: list[str], rows: list[list[Any]]) -> list[Column]:
    return [Column(name, _kind(name, [row[i] for row in rows])) for i, name in enumerate(variables)]


def _kind(name: str, values: list[Any]) -> str:
    bound = [v for v in values if v is not None]
    if bound and all(isinstance(v, ox.NamedNode) for v in bound):
        return "iri"
    literals = [v for v in bound if isinstance(v, ox.Literal)]
    if bound and len(literals) == len(bound):
        if all(v.datatype.value in INTEGERS for v in literals) and OFFSET_NAME.search(name):
            return "offset"
        if all(v.datatype.value in NUMBERS for v in literals):
            return "number"
    if any(isinstance(v, ox.Literal) and len(v.value) > LONG_CHARS for v in bound):
        return "long"
    return "text"


def labels_for(store: ReadStore, iris: Iterable[str]) -> dict[str, str]:
    """The label of each IRI that has one, in one query per few hundred IRIs (not a lookup
    per IRI: a remote store answers each query in one request). The same preference as the
    resource pages: the label predicates in order, English or untagged first, then a quote."""
    wanted = sorted({iri for iri in iris if not _UNWRITABLE.search(iri)})
    predicates = [*LABEL_PREDICATES, EXACT]
    rank = {p.value: n for n, p in enumerate(predicates)}
    best: dict[str, tuple[int, int, str]] = {}
    for start in range(0, len(wanted), LABELS_PER_QUERY):
        # (IRI, predicate) pairs, not two VALUES lists: Oxigraph joins two lists with `?s ?p ?o`
        # by scanning every quad (6.4 s for 400 IRIs at 1,000 articles; the pairs: 0.07 s).
        pairs = " ".join(
            f"(<{iri}> <{p.value}>)"
            for iri in wanted[start : start + LABELS_PER_QUERY]
            for p in predicates
        )
        query = f"SELECT ?s ?p ?o WHERE {{ VALUES (?s ?p) {{ {pairs} }} ?s ?p ?o }}"
        for row in select(store, query, union=True):
            s, p, o = row["s"], row["p"], row["o"]
            if not (isinstance(s, ox.NamedNode) and isinstance(p, ox.NamedNode)):
                continue
            if not isinstance(o, ox.Literal):
                continue
            english = o.language in (None, "en") or (o.language or "").startswith("en-")
            key = (rank[p.value], 0 if english else 1, o.value)
            if s.value not in best or key < best[s.value]:
                best[s.value] = key
    return {iri: _label_text(predicates[r], text) for iri, (r, _, text) in best.items()}


def _label_text(predicate: ox.NamedNode, text: str) -> str:
    if predicate != EXACT:
        return text
    short = text if len(text) <= QUOTE_LABEL_CHARS else text[: QUOTE_LABEL_CHARS - 1] + "…"
    return f"“{short}”"  # evidence has no label: its quoted words name it best


def cells(
    store: ReadStore, rows: list[list[Any]], link: Callable[[str], str]
) -> list[list[Value | None]]:
    """The rows as the page shows them: IRIs by their label, linked, the IRI in the title."""
    iris = [t.value for row in rows for t in row if isinstance(t, ox.NamedNode)]
    labels = labels_for(store, iris)

    def cell(term: Any) -> Value | None:
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            iri = term.value
            linkable = iri.startswith(("http://", "https://"))  # never javascript: or urn:
            return Value(
                text=labels.get(iri) or local_name(iri),
                href=link(iri) if linkable else None,
                iri=iri,
                curie=compact(iri),
            )
        if isinstance(term, (ox.Literal, ox.BlankNode)):
            return value_of(store, term, link)
        return Value(text=str(term))

    return [[cell(t) for t in row] for row in rows]


# ---------------------------------------------------------------- chart

CHART_BARS = 40  # more bars than this are no longer read one by one; the table has them all
CHART_WIDTH = 720  # SVG user units; the figure scales to its box
CHART_LABELS = 280  # room for the labels, left of the bars
CHART_ROW = 26
CHART_LABEL_CHARS = 36


@dataclass(frozen=True)
class Bar:
    label: str  # as drawn (shortened)
    full: str  # the whole label, in the bar's <title>
    shown: str  # the number as the table writes it
    y: int
    width: float


@dataclass(frozen=True)
class Chart:
    label_column: str
    value_column: str
    bars: list[Bar]
    more: int  # rows past CHART_BARS, not drawn
    width: int = CHART_WIDTH
    left: int = CHART_LABELS

    @property
    def height(self) -> int:
        return len(self.bars) * CHART_ROW + 8


def chart(cols: list[Column], shown: list[list[Value | None]]) -> Chart | None:
    """A bar chart when the answer (offsets aside) is one label column and one numeric column
    of at least two rows, none negative: an aggregate such as 'how many of each class'."""
    visible = [i for i, c in enumerate(cols) if c.kind != "offset"]
    numeric = [i for i in visible if cols[i].kind == "number"]
    if len(visible) != 2 or len(numeric) != 1 or len(shown) < 2:
        return None
    value_at = numeric[0]
    label_at = next(i for i in visible if i != value_at)
    pairs = []
    for row in shown:
        label, value = row[label_at], row[value_at]
        number = _number(value.text) if value is not None else None
        if number is None or number < 0:
            return None
        pairs.append((label.text if label is not None else "(none)", number, value))
    top = max(n for _, n, _ in pairs) or 1.0
    room = CHART_WIDTH - CHART_LABELS - 70  # and the number written after the bar
    bars = [
        Bar(_shorten(text), text, value.text if value else "", i * CHART_ROW + 4, n / top * room)
        for i, (text, n, value) in enumerate(pairs[:CHART_BARS])
    ]
    return Chart(cols[label_at].name, cols[value_at].name, bars, max(0, len(pairs) - CHART_BARS))


def _number(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _shorten(text: str) -> str:
    if len(text) <= CHART_LABEL_CHARS:
        return text
    return text[: CHART_LABEL_CHARS - 1].rstrip() + "…"

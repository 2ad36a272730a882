"""An article's text with every quoted passage linked to its evidence.

The text is cut at every evidence start and end and swept once with a heap of the quotes
covering the current piece (n log n in the number of quotes, where a list of covering quotes
would cost quotes times pieces); each piece knows the shortest quote covering it, and whether
it lies in the span a reader asked to see (?start=&end=).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from pillars.namespaces import OA, PIL
from pillars.store_interface import ReadStore


@dataclass(frozen=True)
class Piece:
    text: str
    link: str | None = None  # the page of the shortest evidence quoting these characters
    marked: bool = False  # inside the span the reader asked for
    first_mark: bool = False  # the first marked piece carries id="mark"


@dataclass(frozen=True)
class AnchoredText:
    pieces: list[Piece]
    quoted_chars: int
    quotes: int

    @property
    def share(self) -> float:
        total = sum(len(p.text) for p in self.pieces)
        return self.quoted_chars / total if total else 0.0


def _int(store: ReadStore, node: ox.NamedNode | ox.BlankNode, predicate: str) -> int | None:
    for quad in store.quads_for_pattern(node, ox.NamedNode(predicate), None, None):
        try:
            return int(quad.object.value) if isinstance(quad.object, ox.Literal) else None
        except ValueError:
            return None
    return None


def spans(store: ReadStore, text_node: ox.NamedNode, text: str) -> list[tuple[int, int, str]]:
    """(start, end, evidence IRI) of every quote of this text whose offsets hold."""
    found = []
    for quad in store.quads_for_pattern(None, ox.NamedNode(PIL + "inText"), text_node, None):
        evidence = quad.subject
        if not isinstance(evidence, ox.NamedNode):
            continue
        start, end = _int(store, evidence, OA + "start"), _int(store, evidence, OA + "end")
        exact = next(
            (
                q.object.value
                for q in store.quads_for_pattern(evidence, ox.NamedNode(OA + "exact"), None, None)
                if isinstance(q.object, ox.Literal)
            ),
            None,
        )
        # Offsets that do not hold are shown on the evidence's own page, not guessed at here.
        if start is not None and end is not None and 0 <= start < end <= len(text):
            if exact is None or text[start:end] == exact:
                found.append((start, end, evidence.value))
    return sorted(set(found))


def anchor(
    text: str,
    quoted: list[tuple[int, int, str]],
    href: Callable[[str], str],
    highlight: tuple[int, int] | None = None,
) -> AnchoredText:
    cuts = {0, len(text)}
    for start, end, _ in quoted:
        cuts.update((start, end))
    if highlight is not None:
        cuts.update(min(max(0, b), len(text)) for b in highlight)
    bounds = sorted(cuts)
    starts: dict[int, list[tuple[int, int, str]]] = {}
    for span in quoted:
        starts.setdefault(span[0], []).append(span)
    # The quotes covering the current piece, shortest on top; ended ones leave lazily.
    active: list[tuple[int, int, int, str]] = []
    pieces: list[Piece] = []
    quoted_chars, marked_yet = 0, False
    for a, b in zip(bounds, bounds[1:], strict=False):
        for start, end, iri in starts.get(a, []):
            heapq.heappush(active, (end - start, start, end, iri))
        while active and active[0][2] <= a:
            heapq.heappop(active)
        shortest = (active[0][1], active[0][2], active[0][3]) if active else None
        marked = highlight is not None and highlight[0] <= a and b <= highlight[1]
        pieces.append(
            Piece(
                text[a:b],
                href(shortest[2]) if shortest else None,
                marked,
                marked and not marked_yet,
            )
        )
        marked_yet = marked_yet or marked
        quoted_chars += (b - a) if shortest else 0
    return AnchoredText(pieces, quoted_chars, len(quoted))

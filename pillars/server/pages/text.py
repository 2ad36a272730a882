"""An article's text with every quoted passage linked to its evidence.

The text is cut at every evidence start and end and swept once with a heap of the quotes
covering the current piece (n log n in the number of quotes, where a list of covering quotes
would cost quotes times pieces); each piece knows the shortest quote covering it, and whether
it lies in the span a reader asked to see (?start=&end=).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from dataclasses import dataclass, replace

import pyoxigraph as ox

from pillars.namespaces import OA, PIL, RDFS
from pillars.store_interface import ReadStore

RDFS_LABEL = RDFS + "label"


@dataclass(frozen=True)
class Piece:
    text: str
    link: str | None = None  # the page of the shortest evidence quoting these characters
    marked: bool = False  # inside the span the reader asked for
    first_mark: bool = False  # the first marked piece carries id="mark"
    heading: int = 0  # inside a section heading's line: its level (1 a section, 2 a sub...)


@dataclass(frozen=True)
class Block:
    """A run of pieces shown as one element: a heading (level > 0) or running text."""

    level: int
    pieces: list[Piece]


@dataclass(frozen=True)
class AnchoredText:
    pieces: list[Piece]
    quoted_chars: int
    quotes: int

    @property
    def blocks(self) -> list[Block]:
        """Headings apart from the text around them; the line break that ends a heading's
        line is the heading's own (a block ends there), so it is left out of the text."""
        out: list[Block] = []
        for piece in self.pieces:
            if out and out[-1].level == piece.heading:
                out[-1].pieces.append(piece)
                continue
            if out and out[-1].level and piece.text.startswith("\n"):
                piece = replace(piece, text=piece.text[1:])
            out.append(Block(piece.heading, [piece]))
        return out

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


def headings(store: ReadStore, text_node: ox.NamedNode, text: str) -> list[tuple[int, int, int]]:
    """(start, end, level) of the heading line of each section of the text's article, where
    its evidence anchors it; a subsection's level is its parent's plus one."""
    found = []
    for article in store.quads_for_pattern(text_node, ox.NamedNode(PIL + "textOf"), None, None):
        has_section = ox.NamedNode(PIL + "hasSection")
        for quad in store.quads_for_pattern(article.object, has_section, None, None):  # type: ignore[arg-type]
            section = quad.object
            if not isinstance(section, ox.NamedNode):
                continue
            level = 1 + _depth(store, section)
            labels = {
                q.object.value.strip()
                for q in store.quads_for_pattern(section, ox.NamedNode(RDFS_LABEL), None, None)
                if isinstance(q.object, ox.Literal)
            }
            for ev in store.quads_for_pattern(
                section, ox.NamedNode(PIL + "hasEvidence"), None, None
            ):
                if not isinstance(ev.object, ox.NamedNode):
                    continue
                start, end = (
                    _int(store, ev.object, OA + "start"),
                    _int(store, ev.object, OA + "end"),
                )
                # Only a printed heading: an untitled section is anchored at its first words.
                if start is not None and end is not None and 0 <= start < end <= len(text):
                    if text[start:end].strip() in labels:
                        found.append((start, end, level))
    return sorted(set(found))


def _depth(store: ReadStore, section: ox.NamedNode, seen: frozenset[str] = frozenset()) -> int:
    """How many pil:subsectionOf steps lead up from a section (a loop counts once)."""
    for quad in store.quads_for_pattern(section, ox.NamedNode(PIL + "subsectionOf"), None, None):
        parent = quad.object
        if isinstance(parent, ox.NamedNode) and parent.value not in seen:
            return 1 + _depth(store, parent, seen | {section.value})
    return 0


def anchor(
    text: str,
    quoted: list[tuple[int, int, str]],
    href: Callable[[str], str],
    highlight: tuple[int, int] | None = None,
    heading_lines: list[tuple[int, int, int]] = (),  # type: ignore[assignment]
) -> AnchoredText:
    cuts = {0, len(text)}
    for start, end, _ in quoted:
        cuts.update((start, end))
    for start, end, _ in heading_lines:
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
        level = next((lv for s, e, lv in heading_lines if s <= a and b <= e), 0)
        pieces.append(
            Piece(
                text[a:b],
                href(shortest[2]) if shortest else None,
                marked,
                marked and not marked_yet,
                level,
            )
        )
        marked_yet = marked_yet or marked
        quoted_chars += (b - a) if shortest else 0
    return AnchoredText(pieces, quoted_chars, len(quoted))

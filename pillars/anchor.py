"""Anchor a quote in an article's text: character offsets, prefix and suffix.

Offsets count Unicode code points from 0; `end` is exclusive (Python slicing, and the
W3C Web Annotation TextPositionSelector), so text[start:end] == exact.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_CHARS = 32


class AnchorError(ValueError):
    pass


@dataclass(frozen=True)
class Anchor:
    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


def occurrences(text: str, exact: str) -> list[int]:
    found, at = [], text.find(exact)
    while at != -1:
        found.append(at)
        at = text.find(exact, at + 1)
    return found


def locate(text: str, exact: str, occurrence: int | None = None) -> Anchor:
    """Find `exact` in `text`. A quote found more than once needs `occurrence` (1-based)."""
    if not exact:
        raise AnchorError("the quote is empty")
    starts = occurrences(text, exact)
    if not starts:
        raise AnchorError(f"the quote is not in the text: {exact[:60]!r}")
    if occurrence is None:
        if len(starts) > 1:
            raise AnchorError(
                f"the quote occurs {len(starts)} times; lengthen it or give an occurrence: "
                f"{exact[:60]!r}"
            )
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise AnchorError(f"occurrence {occurrence} asked, the quote occurs {len(starts)} times")
    start = starts[occurrence - 1]
    return anchor_at(text, start, start + len(exact))


def anchor_at(text: str, start: int, end: int) -> Anchor:
    """The anchor of text[start:end], with the prefix and suffix every anchor carries."""
    if not 0 <= start < end <= len(text):
        raise AnchorError(f"offsets {start}-{end} are outside the text (0-{len(text)})")
    return Anchor(
        exact=text[start:end],
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def turtle_string(value: str) -> str:
    """A Turtle string literal (short form) for any text."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def evidence_turtle(subject: str, anchor: Anchor, text_iri: str) -> str:
    """A pil:Evidence block for an instance file (subject and text_iri as Turtle terms)."""
    return (
        f"{subject} a pil:Evidence ;\n"
        f"    oa:exact {turtle_string(anchor.exact)} ;\n"
        f"    oa:prefix {turtle_string(anchor.prefix)} ;\n"
        f"    oa:suffix {turtle_string(anchor.suffix)} ;\n"
        f"    oa:start {anchor.start} ;\n"
        f"    oa:end {anchor.end} ;\n"
        f"    pil:inText {text_iri} .\n"
    )

"""Anchor a quote in an article's text: character offsets, prefix and suffix.

Offsets count Unicode code points from 0; `end` is exclusive (Python slicing, and the
W3C Web Annotation TextPositionSelector), so text[start:end] == exact.

A quote copied from a PDF rarely matches the text exactly: its case, spaces, quotation marks
or hyphens differ, or the text glues words the PDF shows apart ("longerterm"). When a quote
is not found, `nearest` finds the passages that match once those differences are set aside
(and, failing that, the most similar passages), so the error can show what to copy instead.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

CONTEXT_CHARS = 32
SUGGESTIONS = 3  # nearest passages shown for a quote not found
SIMILAR = 0.75  # the least similarity (difflib ratio) of a passage shown as "similar"
_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"'})
_QUOTE_MARKS = "‘’‚‛“”„'\""
_HYPHENS = "-‐‑‒–—−"
_DROPPED = re.compile(r"[\s\-‐‑‒–—−]")  # spaces and every hyphen or dash


@dataclass(frozen=True)
class Anchor:
    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Suggestion:
    """A passage near a quote that is not in the text, and how the two differ."""

    anchor: Anchor
    differences: tuple[str, ...]  # "case", "spaces", "quotation marks", "hyphens", ...


class AnchorError(ValueError):
    def __init__(self, message: str, suggestions: list[Suggestion] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


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
        suggestions = nearest(text, exact)
        hint = "; nearest passages below" if suggestions else ""
        raise AnchorError(f"the quote is not in the text: {exact[:60]!r}{hint}", suggestions)
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


def evidence_turtle(subject: str, anchor: Anchor, text_iri: str, section: str | None = None) -> str:
    """A pil:Evidence block for an instance file (subject, text_iri and section as Turtle
    terms); `section` is the pil:Section the quote lies in, if the article has one there."""
    lines = [
        f"{subject} a pil:Evidence ;",
        f"    oa:exact {turtle_string(anchor.exact)} ;",
        f"    oa:prefix {turtle_string(anchor.prefix)} ;",
        f"    oa:suffix {turtle_string(anchor.suffix)} ;",
        f"    oa:start {anchor.start} ;",
        f"    oa:end {anchor.end} ;",
        f"    pil:inText {text_iri} .",
    ]
    if section is not None:
        lines[-1] = lines[-1][:-2] + " ;"
        lines.append(f"    pil:inSection {section} .")
    return "\n".join(lines) + "\n"


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` lower-cased, quotation marks straightened, spaces and hyphens dropped; and for
    each character kept, its offset in `text`."""
    kept: list[str] = []
    where: list[int] = []
    for at, char in enumerate(text.translate(_QUOTES)):
        if not _DROPPED.match(char):
            kept.append(char.lower())
            where.append(at)
    return "".join(kept), where


def nearest(text: str, quote: str, limit: int = SUGGESTIONS) -> list[Suggestion]:
    """Passages that equal `quote` but for case, spaces, quotation marks, hyphens and glued
    words; if there are none, the passages most like it. Best first, at most `limit`."""
    folded_text, where = _folded(text)
    folded_quote, _ = _folded(quote)
    found: list[Suggestion] = []
    if folded_quote:
        at = folded_text.find(folded_quote)
        while at != -1 and len(found) < limit:
            start, end = where[at], where[at + len(folded_quote) - 1] + 1
            found.append(_suggestion(text, quote, start, end))
            at = folded_text.find(folded_quote, at + 1)
    return found or _similar(text, quote, limit)


def _suggestion(text: str, quote: str, start: int, end: int) -> Suggestion:
    return Suggestion(anchor_at(text, start, end), _differences(quote, text[start:end]))


def _differences(quote: str, passage: str) -> tuple[str, ...]:
    """What sets `quote` apart from `passage`, in the terms an editor looks for."""
    found: list[str] = []
    if _letters(quote) != _letters(passage):
        found.append("case")
    if _marks(quote, _QUOTE_MARKS) != _marks(passage, _QUOTE_MARKS):
        found.append("quotation marks")
    if _marks(quote, _HYPHENS) != _marks(passage, _HYPHENS):
        found.append("hyphens")
    runs_quote, runs_passage = re.findall(r"\s+", quote), re.findall(r"\s+", passage)
    if len(runs_passage) < len(runs_quote):
        found.append("glued words")
    elif runs_quote != runs_passage:
        found.append("spaces")
    return tuple(found) or ("similar words",)


def _letters(value: str) -> str:
    return re.sub(r"\W", "", value)


def _marks(value: str, marks: str) -> list[str]:
    return [c for c in value if c in marks]


def _similar(text: str, quote: str, limit: int) -> list[Suggestion]:
    """The passages of the quote's length, starting at a word, most like it (difflib)."""
    size = len(quote)
    if size < 4:
        return []
    scored: list[tuple[float, int]] = []
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(quote.lower())
    for word in re.finditer(r"(?<!\w)\w", text):
        start = word.start()
        matcher.set_seq1(text[start : start + size].lower())
        if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
            continue
        ratio = matcher.ratio()
        if ratio >= SIMILAR:
            scored.append((ratio, start))
    best: list[Suggestion] = []
    for _, start in sorted(scored, key=lambda s: (-s[0], s[1])):
        if any(abs(start - b.anchor.start) < size for b in best):
            continue  # the same passage shifted by a word
        end = min(len(text), start + size)
        best.append(Suggestion(anchor_at(text, start, end), ("similar words",)))
        if len(best) == limit:
            break
    return best

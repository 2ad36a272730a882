"""The body's sentences, split exactly as `pillars stats` splits them (one splitter, so a
drafted claim per sentence makes the coverage of drafts 100% by construction), and the lines
that are neither body nor heading (a running footer), which no finder should draft from.
"""

from __future__ import annotations

import re

from pillars.draft.model import SentenceFound, Span
from pillars.stats import split_body


def find(text: str, headings: set[str]) -> list[SentenceFound]:
    sentences, _ = split_body(text, headings)
    return [SentenceFound(Span(s.start, s.end), s.text) for s in sentences]


def outside_body(text: str, headings: set[str], sentences: list[SentenceFound]) -> list[Span]:
    """Lines with no sentence that are not headings: "The International Spectator"."""
    starts = sorted(s.span.start for s in sentences)
    left_out: list[Span] = []
    for line in re.finditer(r"[^\r\n]+", text):
        if not line.group().strip() or line.group().strip() in headings:
            continue
        if not any(line.start() <= at < line.end() for at in starts):
            left_out.append(Span(line.start(), line.end()))
    return left_out

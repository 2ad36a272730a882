"""Mentions of the actors, places and events that instances/shared/ already holds.

A name matches by its rdfs:label or any skos:altLabel, with the first letter of each word in
either case ("the Kremlin" / "The Kremlin", "central Asia" / "Central Asia"), straight or
curly apostrophes, any run of spaces, and never inside a longer word ("Iran" is not found in
"Iranian"; a hyphen is a word's edge, so "NATO-Russia" names both). Possessives come for
free ("Russia’s", "Iranians’"). Demonyms count only where the shared data lists them as a
label ("Iranians", "Russians"). A name inside a longer one gives way to it ("NATO Group of
Experts" over "NATO"); names that only overlap ("Mohammad Khatami" and "Khatami’s moderate
rapprochement toward the West") are both kept; a passage that two things name equally
("Europe": a group and a place) is drafted for both and reported as unsure.
"""

from __future__ import annotations

import re

from pillars.draft.inputs import SharedThing
from pillars.draft.model import MentionFound, Span, Unsure


def name_pattern(name: str) -> str:
    """A regular expression for `name` with the tolerances above."""
    parts: list[str] = []
    for word in name.split():
        first, rest = word[0], word[1:]
        head = f"[{first.upper()}{first.lower()}]" if first.isalpha() else re.escape(first)
        parts.append(head + re.sub(r"['’]", "['’]", re.escape(rest)))
    return r"(?<![\w’'])" + r"\s+".join(parts) + r"(?![\w])"


def find(
    text: str, things: list[SharedThing], taken: list[Span]
) -> tuple[list[MentionFound], list[Unsure]]:
    """Longest-first mentions outside `taken` (the citations: an author there is a source)."""
    candidates: list[tuple[int, int, str, str]] = []
    for thing in things:
        for name in thing.names:
            if len(name.strip()) < 2:
                continue
            for m in re.finditer(name_pattern(name.strip()), text):
                candidates.append((m.start(), m.end(), thing.iri, thing.kind))
    candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0], c[2]))
    chosen: list[tuple[int, int, str, str]] = []
    for start, end, iri, kind in candidates:
        span = Span(start, end)
        same = [c for c in chosen if (c[0], c[1]) == (start, end)]
        if any(c[2] == iri for c in same):
            continue  # one thing, two names over the same words
        if any(span.overlaps(t) for t in taken):
            continue
        if not same and any(c[0] <= start and end <= c[1] for c in chosen):
            continue  # inside a longer name; names that merely overlap are both kept
        chosen.append((start, end, iri, kind))
    found = sorted(
        (MentionFound(Span(s, e), iri, kind) for s, e, iri, kind in chosen),
        key=lambda m: (m.span.start, m.iri),
    )
    unsure = [
        Unsure(m.span, "mentions", "these words name two known things; both are drafted")
        for i, m in enumerate(found)
        if i + 1 < len(found) and found[i + 1].span == m.span
    ]
    return found, unsure

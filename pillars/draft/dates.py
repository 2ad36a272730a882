"""Dates as the text gives them: "1804-13", "November 2017", "December 2017-January 2018",
"the early 1990s", "early 2018", "2007-08", "from 2001 to 2009", "since 1979" (the year
alone).

Each becomes a candidate event with its date verbatim. Start and end years are set only where
the text states them: "1804-13" starts in 1804 and ends in 1813 (the century is the start's),
"November 2017" has the start year 2017, a decade ("the early 1990s") has neither.
"""

from __future__ import annotations

import re

from pillars.draft.model import DateFound, Span

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
_YEAR = r"(?:1[5-9][0-9]{2}|20[0-9]{2})"
_DASH = r"\s?[-–]\s?"
_DATE = re.compile(
    rf"(?<![\w-])(?:"
    rf"(?P<m1>{_MONTH} (?P<y1>{_YEAR})){_DASH}(?P<m2>{_MONTH} (?P<y2>{_YEAR}))"
    rf"|(?P<r1>{_YEAR}){_DASH}(?P<r2>[0-9]{{4}}|[0-9]{{2}})(?![0-9])"
    rf"|(?:from (?P<f1>{_YEAR}) (?:to|until) |between (?P<b1>{_YEAR}) and )(?P<f2>{_YEAR})"
    rf"|(?P<decade>(?:the )?(?:(?:early|mid|late)[- ])?(?:1[5-9][0-9]0|20[0-9]0)s)"
    rf"|(?:{_MONTH} |(?:early|mid|late)[- ])?(?P<year>{_YEAR})"
    rf")(?![\w-])"
)


def find(text: str, taken: list[Span]) -> list[DateFound]:
    """Dates outside `taken` (the citations: their years date works, not events)."""
    found: list[DateFound] = []
    for m in _DATE.finditer(text):
        span = Span(m.start(), m.end())
        if any(span.overlaps(s) for s in taken):
            continue
        start, end = _years(m)
        found.append(DateFound(span, m.group(), start, end))
    return found


def _years(m: re.Match[str]) -> tuple[str | None, str | None]:
    if m.group("y1"):
        return m.group("y1"), m.group("y2")
    if m.group("f1") or m.group("b1"):
        first, last = m.group("f1") or m.group("b1"), m.group("f2")
        return (first, last) if last > first else (None, None)
    if m.group("r1"):
        first, second = m.group("r1"), m.group("r2")
        last = second if len(second) == 4 else first[:2] + second
        return (first, last) if last > first else (None, None)
    if m.group("year"):
        return m.group("year"), None
    return None, None

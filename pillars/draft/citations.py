"""In-text citations in the author-year forms: "(Mosavian 2017)", "(Divsallar and Arjmand
2019)", "(Rivera et al. 2016, 15)", "(Maleki 2017; Dehshiri 2017)", "(Borshchevskaya
2017b)", "(for more on this, see Khomeini 2010)" and narrative ones, "Trenin (2018) argues".

A parenthesis holding one citation is quoted whole, brackets included; one holding several
quotes each citation alone ("Maleki 2017"). A narrative citation quotes the surname and its
parenthesis ("Zevelev (2015, 3)"). A parenthesis with a year that fits none of these forms, and
a capitalised name followed by a year outside any citation, are passages to look at.
"""

from __future__ import annotations

import re

from pillars.draft.model import CitationFound, Span, Unsure

# Name particles, capitalised too at the start of a sentence ("Van der Berg (1999)").
_PARTICLE = (
    r"(?:(?:[vV]an|[vV]on|[dD]e|[dD]er|[dD]u|[aA]l|[eE]l|bin|[dD]a|[dD]i|[lL]e|[lL]a|ten|ter)[ -])"
)
_NAME = rf"{_PARTICLE}*[A-Z][\w’'\-]*\w"
_AUTHORS = rf"{_NAME}(?:(?:, {_NAME})*,? (?:and|&) {_NAME}| et al\.)?"
_YEAR = r"(?P<year>1[5-9][0-9]{2}|20[0-9]{2})(?P<suffix>[a-z])?"
_PAGES = r"(?:[,:]\s*(?:pp?\.\s*)?(?P<page>[0-9ivxlc]+(?:[-–][0-9ivxlc]+)?))?"
_LEAD = r"(?:(?:[a-z][a-z ,]*?\s)?(?:see also|see|cf\.|e\.g\.,?)\s+)?"
_PART = re.compile(rf"{_LEAD}(?P<authors>{_AUTHORS})\s+{_YEAR}{_PAGES}")
_PARENS = re.compile(r"\(([^()\n]{4,400})\)")
_NARRATIVE = re.compile(rf"(?<![\w’'])(?P<authors>{_AUTHORS}) \({_YEAR}{_PAGES}\)")
_NOT_AUTHORS = re.compile(r"(?:the|The|a|an|An|in|In|of)\s+$")
_ANY_YEAR = re.compile(r"(?<![\w-])(?:1[5-9][0-9]{2}|20[0-9]{2})(?![\w])")
_NAME_THEN_YEAR = re.compile(
    r"(?<![\w’'-])(?P<name>[A-Z][\w’'\-]*\w)\s+\(?(?:1[5-9][0-9]{2}|20[0-9]{2})(?![0-9])"
)
# Capitalised words that begin a phrase or name a month rather than an author.
_NOT_NAMES = frozenset(
    "The In By Since During Until After Before From Of And On At For Between As Also When "
    "Until Throughout January February March April May June July August September October "
    "November December Spring Summer Autumn Winter".split()
)
MONTHS = _NOT_NAMES & frozenset(
    "January February March April May June July August September October November December".split()
)


def find(text: str) -> tuple[list[CitationFound], list[Unsure]]:
    """Every citation in text order, and the passages that look like one but are not."""
    found: list[CitationFound] = []
    unsure: list[Unsure] = []
    for match in _NARRATIVE.finditer(text):
        if _NOT_AUTHORS.search(text, max(0, match.start() - 5), match.start()):
            continue
        if match.group("authors") in _NOT_NAMES:
            continue
        found.append(_citation(match, Span(match.start(), match.end()), narrative=True))
    for group in _PARENS.finditer(text):
        span = Span(group.start(), group.end())
        if any(c.span.overlaps(span) for c in found):
            continue
        found_here, unsure_here = _parenthesis(group)
        found += found_here
        unsure += unsure_here
    found.sort(key=lambda c: c.span.start)
    unsure += _names_with_years(text, [c.span for c in found])
    return found, unsure


def _parenthesis(group: re.Match[str]) -> tuple[list[CitationFound], list[Unsure]]:
    inner, base = group.group(1), group.start(1)
    parts = [(m.start(), m.group()) for m in re.finditer(r"[^;]+", inner)]
    matches = [(at, part, _PART.fullmatch(part.strip())) for at, part in parts]
    if not any(m for _, _, m in matches):
        if _ANY_YEAR.search(inner) and re.search(r"[A-Z]", inner):
            why = "a year in brackets that fits no citation form"
            return [], [Unsure(Span(group.start(), group.end()), "citations", why)]
        return [], []
    found: list[CitationFound] = []
    unsure: list[Unsure] = []
    for at, part, match in matches:
        lead = len(part) - len(part.lstrip())
        start = base + at + lead
        span = Span(start, start + len(part.strip()))
        if match is None:
            unsure.append(Unsure(span, "citations", "a part of a citation that fits no form"))
        elif len(parts) == 1:
            found.append(_citation(match, Span(group.start(), group.end()), narrative=False))
        else:
            found.append(_citation(match, span, narrative=False))
    return found, unsure


def _citation(match: re.Match[str], span: Span, narrative: bool) -> CitationFound:
    page = match.group("page")
    return CitationFound(
        span=span,
        authors=match.group("authors"),
        year=match.group("year"),
        suffix=match.group("suffix") or "",
        page=page,
        narrative=narrative,
    )


def _names_with_years(text: str, cited: list[Span]) -> list[Unsure]:
    """ "Russian 2008": a capitalised word right before a year, in no citation."""
    unsure: list[Unsure] = []
    for match in _NAME_THEN_YEAR.finditer(text):
        span = Span(match.start(), match.end())
        if match.group("name") in _NOT_NAMES or any(span.overlaps(c) for c in cited):
            continue
        why = "a capitalised name followed by a year, not read as a citation"
        unsure.append(Unsure(span, "citations", why))
    return unsure

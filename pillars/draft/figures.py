"""Figures: money ("USD 705 million", "$2 billion"), percentages, distances, durations and
counts ("two arms deals", "422 military airports", "dozens of soldiers").

Each becomes a record with the value as a decimal (scales multiplied out), the unit as the
text gives it, the qualifier just before it ("barely exceeds", "approximately", "at least")
and what it measures: the clause around it. A count's unit is the noun phrase after the
number without the evaluative adjectives in front ("two major common regional threats" ->
"threats"); a number with no unit after it, outside dates and citations, is a passage to look
at. Years, note markers glued to words ("policy9") and page numbers are not figures.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pillars.draft.model import FigureFound, Span, Unsure

_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100,
}  # fmt: skip
_SCALES = {"thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_CURRENCIES = {"USD": "USD", "US$": "USD", "$": "USD", "EUR": "EUR", "€": "EUR", "£": "GBP"}
_DIGITS = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
_WORD = "|".join(sorted(_WORDS, key=len, reverse=True))
_NUMBER = rf"(?P<num>{_DIGITS}|(?i:{_WORD}))"
_SCALE = r"(?:\s(?P<scale>thousand|million|billion|trillion))?"
_LEFT = r"(?<![\w$€£.,-])"  # not glued to a word: "policy9", "S-300" are no figures
_RIGHT = r"(?![\w-])"
_MONEY = re.compile(
    rf"(?P<cur>USD|US\$|EUR|\$|€|£)\s?(?P<num>{_DIGITS}){_SCALE}{_RIGHT}"
    rf"|{_LEFT}(?P<num2>{_DIGITS}){_SCALE.replace('scale', 'scale2')}\s"
    rf"(?P<cur2>dollars|euros|USD|EUR){_RIGHT}"
)
_MEASURE = re.compile(
    rf"{_LEFT}{_NUMBER}(?:\s|-)?(?P<unit>percent|per cent|%|km|kilometres|kilometers|miles|"
    r"metres|meters|m|kg|tonnes|tons|years|months|weeks|days|decades|hours)(?![\w-])"
)
_PER_YEAR = re.compile(rf"{_LEFT}{_NUMBER}-(?P<unit>year|month|week|day|decade|hour){_RIGHT}")
_COUNT = re.compile(rf"{_LEFT}(?:{_NUMBER}|(?P<dozens>dozens|hundreds|thousands) of){_RIGHT}")
_YEARLIKE = re.compile(r"1[5-9][0-9]{2}|20[0-9]{2}")
_QUALIFIER = re.compile(
    r"(?:(?<=\s)|^)(?P<q>barely exceeds|exceeds|more than|less than|fewer than|at least|at most|"
    r"up to|about|approximately|around|roughly|nearly|almost|over|under|just|only|some|"
    r"(?:has |have )?grown to|close to)\s+$",
    re.IGNORECASE,
)
_STOP = frozenset(
    "of in on with to that which who whom for from and or but as at by is are was were be been "
    "being have has had the a an their its it they them than between among into over under "
    "about around through during since until after before this these those such per each "
    "both all most more there here now then also still already only even just again yet so "
    "too very".split()
)
_EVALUATIVE = frozenset(
    "main major top common critical different regional key important new other separate "
    "distinct basic central primary principal fundamental large small big great serious "
    "recent further additional".split()
)
# "the two countries", "the two sides": nouns that refer back to actors already named.
_REFERRING = frozenset(
    "countries states sides nations capitals powers governments leaders parties peoples "
    "presidents ministers men women".split()
)
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]]|\.\s|\n")


def find(text: str, taken: list[Span]) -> tuple[list[FigureFound], list[Unsure]]:
    """Figures outside `taken` (citations and dates), in text order, and numbers left unsure."""
    found: list[FigureFound] = []
    for figure in _money(text) + _measures(text) + _counts(text):
        if any(figure.span.overlaps(s) for s in taken + [f.span for f in found]):
            continue
        found.append(figure)
    found.sort(key=lambda f: f.span.start)
    unsure = [
        Unsure(Span(m.start(), m.end()), "figures", "a figure without a unit")
        for m in re.finditer(rf"{_LEFT}(?:{_DIGITS}){_RIGHT}", text)
        if not _YEARLIKE.fullmatch(m.group())
        and not any(Span(m.start(), m.end()).overlaps(s) for s in taken + [f.span for f in found])
    ]
    return found, unsure


def _value(number: str, scale: str | None) -> Decimal:
    word = _WORDS.get(number.lower())
    value = Decimal(word) if word is not None else Decimal(number.replace(",", ""))
    return value * _SCALES[scale] if scale else value


def _money(text: str) -> list[FigureFound]:
    found: list[FigureFound] = []
    for m in _MONEY.finditer(text):
        number = m.group("num") or m.group("num2")
        scale = m.group("scale") or m.group("scale2")
        currency = _CURRENCIES.get(m.group("cur") or "", "") or _currency_word(m.group("cur2"))
        found.append(_figure(text, m.start(), m.end(), _value(number, scale), currency))
    return found


def _currency_word(word: str | None) -> str:
    return {"dollars": "USD", "euros": "EUR"}.get(word or "", word or "")


def _measures(text: str) -> list[FigureFound]:
    found: list[FigureFound] = []
    for pattern in (_MEASURE, _PER_YEAR):
        for m in pattern.finditer(text):
            if _YEARLIKE.fullmatch(m.group("num")) and m.group("unit") != "%":
                continue
            unit = m.group("unit")
            unit = "percent" if unit in ("%", "per cent") else unit
            found.append(_figure(text, m.start(), m.end(), _value(m.group("num"), None), unit))
    return found


def _counts(text: str) -> list[FigureFound]:
    found: list[FigureFound] = []
    for m in _COUNT.finditer(text):
        number = m.group("num")
        if number is not None and _YEARLIKE.fullmatch(number):
            continue
        words = re.match(r"(?:\s+[A-Za-z][a-z’'-]*){1,4}", text[m.end() :])
        phrase = _noun_phrase(words.group().split() if words else [], number is None)
        if not phrase or (
            _after_the(text, m.start()) and any(w.lower() in _REFERRING for w in phrase)
        ):
            continue
        end = m.end() + _phrase_end(text[m.end() :], phrase)
        value = (
            _value(number, None) if number else Decimal({"dozens": 24}.get(m.group("dozens"), 200))
        )
        unit = _unit(phrase)
        found.append(_figure(text, m.start(), end, value, unit, vague=number is None))
    return found


def _after_the(text: str, start: int) -> bool:
    """ "the two countries": with a referring noun (_REFERRING), the things already named."""
    return re.search(r"(?:^|\s)(?:the|The)\s+$", text[max(0, start - 5) : start]) is not None


def _noun_phrase(words: list[str], capitals_allowed: bool) -> list[str]:
    phrase: list[str] = []
    for word in words:
        bare = word.rstrip("’'")
        if bare.lower() in _STOP or (word[0].isupper() and not capitals_allowed):
            break
        if phrase and bare.endswith(("ing", "ed", "ly")):  # "airports collectively possessing"
            break
        if phrase and phrase[-1].endswith("s") and not bare.endswith("s"):
            break  # a plural noun ends the phrase ("reasons explain"), unless one follows
        phrase.append(bare)
        if bare != word:  # a possessive ends the phrase: "the two countries’ understandings"
            break
    return phrase


def _unit(phrase: list[str]) -> str:
    kept = list(phrase)
    while len(kept) > 1 and kept[0].lower() in _EVALUATIVE:
        kept.pop(0)
    if kept and kept[0].lower() in _EVALUATIVE:
        kept = phrase[-1:]
    return " ".join(kept)


def _phrase_end(after: str, phrase: list[str]) -> int:
    at = 0
    for word in phrase:
        at = after.index(word, at) + len(word)
    return at


def _figure(
    text: str, start: int, end: int, value: Decimal, unit: str, vague: bool = False
) -> FigureFound:
    qualifier = _QUALIFIER.search(text, max(0, start - 30), start)
    begin = qualifier.start("q") if qualifier else start
    words = qualifier.group("q") if qualifier else None
    if vague:
        words = text[start:end].split()[0]  # "dozens": the value is its lower bound, 24
    return FigureFound(
        span=Span(begin, end),
        figure=text[start:end],
        value=value,
        unit=unit,
        qualifier=words,
        measures=_clause(text, start, end),
    )


def _clause(text: str, start: int, end: int) -> str:
    """The words around a figure up to the nearest punctuation, at most 20 words."""
    before = [m.end() for m in _CLAUSE_BREAK.finditer(text, max(0, start - 200), start)]
    after = _CLAUSE_BREAK.search(text, end)
    clause = text[
        before[-1] if before else max(0, start - 200) : after.start() if after else len(text)
    ]
    words = clause.split()
    return " ".join(words[:20])

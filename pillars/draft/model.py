"""What each finder hands to the writer: passages of the text and what they say.

Finders never make IRIs or Turtle; they return these records in text order, each with the
offsets of its passage (code points, end exclusive: text[start:end] is the quote).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

KINDS = ("sentences", "citations", "figures", "dates", "mentions")


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class SentenceFound:
    span: Span
    text: str


@dataclass(frozen=True)
class CitationFound:
    span: Span
    authors: str  # as the text writes them: "Divsallar and Arjmand", "Rivera et al."
    year: str
    suffix: str  # "" or one letter: "b" of "2017b"
    page: str | None  # "15", "23-29"
    narrative: bool  # "Trenin (2018) argues" rather than "(Trenin 2018)"

    @property
    def work(self) -> str:
        """The Source's label: "Borshchevskaya 2017b"."""
        return f"{self.authors} {self.year}{self.suffix}"


@dataclass(frozen=True)
class FigureFound:
    span: Span  # the qualifier, the figure and its unit, as one passage
    figure: str  # the figure and its unit as written: "USD 2 billion", "two arms deals"
    value: Decimal
    unit: str
    qualifier: str | None
    measures: str


@dataclass(frozen=True)
class DateFound:
    span: Span
    as_given: str
    start_year: str | None
    end_year: str | None


@dataclass(frozen=True)
class MentionFound:
    span: Span
    iri: str  # the shared thing's IRI
    kind: str  # actor, place, event


@dataclass(frozen=True)
class Unsure:
    span: Span
    kind: str
    why: str


def kebab(words: str) -> str:
    """ "Divsallar and Arjmand" -> "divsallar-and-arjmand" (accents dropped), for IRIs."""
    ascii_words = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_words.lower()).strip("-")

"""Figures: money, percentages, counts, distances and durations, each in a text of its own."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import rdflib
from draft_helpers import ART, PIL, drafted, exact_of
from rdflib.namespace import RDF, RDFS

from pillars.draft import figures
from pillars.draft.drafter import draft_article
from pillars.draft.inputs import Article


def _figures(text: str) -> list[tuple[Decimal, str, str | None, str]]:
    found, _ = figures.find(text, [])
    return [(f.value, f.unit, f.qualifier, text[f.span.start : f.span.end]) for f in found]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Trade barely exceeds USD 2 billion a year.",
            (Decimal(2000000000), "USD", "barely exceeds", "barely exceeds USD 2 billion"),
        ),
        ("They paid $2 billion for it.", (Decimal(2000000000), "USD", None, "$2 billion")),
        (
            "Deals worth USD 705 million were signed.",
            (Decimal(705000000), "USD", None, "USD 705 million"),
        ),
        (
            "Support has grown to 82 percent.",
            (Decimal(82), "percent", "has grown to", "has grown to 82 percent"),
        ),
        ("About 12% agree.", (Decimal(12), "percent", "About", "About 12%")),
        (
            "Iranians signed two arms deals with them.",
            (Decimal(2), "arms deals", None, "two arms deals"),
        ),
        (
            "There are 422 military airports there.",
            (Decimal(422), "military airports", None, "422 military airports"),
        ),
        (
            "These are two major common regional threats.",
            (Decimal(2), "threats", None, "two major common regional threats"),
        ),
        (
            "The deaths of dozens of soldiers, policemen.",
            (Decimal(24), "soldiers", "dozens", "dozens of soldiers"),
        ),
        ("A city just 50 km from the border.", (Decimal(50), "km", "just", "just 50 km")),
        (
            "Runways of approximately 2500 m exist.",
            (Decimal(2500), "m", "approximately", "approximately 2500 m"),
        ),
        (
            "It lasted more than three years.",
            (Decimal(3), "years", "more than", "more than three years"),
        ),
        ("The sixth five-year plan.", (Decimal(5), "year", None, "five-year")),
        ("Three reasons explain it.", (Decimal(3), "reasons", None, "Three reasons")),
        ("And 1,200 soldiers died.", (Decimal(1200), "soldiers", None, "1,200 soldiers")),
        ("It spent $1.5 trillion.", (Decimal("1.5E12"), "USD", None, "$1.5 trillion")),
        ("Growth of 15 per cent.", (Decimal(15), "percent", None, "15 per cent")),
        (
            "It covers over 300 kilometres.",
            (Decimal(300), "kilometres", "over", "over 300 kilometres"),
        ),
        ("It costs 1,250.5 dollars.", (Decimal("1250.5"), "USD", None, "1,250.5 dollars")),
    ],
)
def test_forms(text: str, expected: tuple[Decimal, str, str | None, str]) -> None:
    assert _figures(text) == [expected]


def test_not_figures() -> None:
    # years, note markers glued to words, a count of things already named ("the two
    # countries"), and a number before a capitalised word
    text = "In 1967 the US policy9 said the two countries agreed; the S-300 arrived.10 They left."
    assert _figures(text) == []


def test_a_number_without_a_unit_is_unsure() -> None:
    text = "Articles 72 and 73 of this plan."
    found, unsure = figures.find(text, [])
    assert found == []
    assert [(u.kind, text[u.span.start : u.span.end]) for u in unsure] == [
        ("figures", "72"),
        ("figures", "73"),
    ]


def test_quantity_turtle() -> None:
    text = "Economic ties are weak as trade barely exceeds USD 2 billion (Mosavian 2017)."
    _, g = drafted(text)
    quantity = ART["quantity-usd-2-billion"]
    assert (quantity, RDF.type, PIL.Quantity) in g
    value = g.value(quantity, PIL.numericValue)
    assert isinstance(value, rdflib.Literal)
    assert value.datatype == rdflib.URIRef("http://www.w3.org/2001/XMLSchema#decimal")
    assert value.toPython() == Decimal(2000000000)
    assert g.value(quantity, PIL.unit) == rdflib.Literal("USD")
    assert g.value(quantity, PIL.qualifier) == rdflib.Literal("barely exceeds")
    assert str(g.value(quantity, PIL.measures)) == (
        "Economic ties are weak as trade barely exceeds USD 2 billion"
    )
    assert exact_of(g, quantity) == "barely exceeds USD 2 billion"
    assert g.value(quantity, PIL.draft) == rdflib.Literal(True)
    # the year of the citation is no figure and no date
    assert len(set(g.subjects(RDF.type, PIL.Quantity))) == 1
    assert len(set(g.subjects(RDF.type, PIL.Event))) == 0


def test_a_label_another_file_gives_is_not_reused() -> None:
    # a curated quantity already labelled "two arms deals": the shapes allow one per class
    article = Article("small-text", Path("/nonexistent"), "Iran signed two arms deals.")
    article.used_labels = {"two arms deals"}
    g = rdflib.Graph().parse(data=draft_article(article).text, format="turtle")
    quantity = ART["quantity-two-arms-deals"]
    assert g.value(quantity, RDFS.label) == rdflib.Literal("two arms deals (2)", lang="en")

"""Dates as given: ranges, months, decades; years only where the text states them."""

from __future__ import annotations

import pytest
import rdflib
from draft_helpers import ART, PIL, drafted, exact_of
from rdflib.namespace import RDFS

from pillars.draft import dates

GYEAR = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#gYear")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wars (1804-13 and", ("1804-13", "1804", "1813")),
        ("met in November 2017 in", ("November 2017", "2017", None)),
        ("during the early 1990s when", ("the early 1990s", None, None)),
        ("the December 2017-January 2018 protests", ("December 2017-January 2018", "2017", "2018")),
        ("in 2007-08 when", ("2007-08", "2007", "2008")),
        ("the Plan (2017-21) set", ("2017-21", "2017", "2021")),
        ("unrest in early 2018; as", ("early 2018", "2018", None)),
        ("sanctions since 1979.", ("1979", "1979", None)),
        ("back to the 1980s.", ("the 1980s", None, None)),
        ("The war lasted from 2001 to 2009.", ("from 2001 to 2009", "2001", "2009")),
        ("It grew between 1995 and 1999.", ("between 1995 and 1999", "1995", "1999")),
        ("The mid-1990s saw growth.", ("mid-1990s", None, None)),
    ],
)
def test_forms(text: str, expected: tuple[str, str | None, str | None]) -> None:
    found = dates.find(text, [])
    assert [(d.as_given, d.start_year, d.end_year) for d in found] == [expected]


def test_not_dates() -> None:
    assert dates.find("2500 m of runway, 422 airports, policy9, S-300, page 1804a.", []) == []


def test_event_turtle_numbers_repeated_dates() -> None:
    _, g = drafted("They met in November 2017. They met again in November 2017.")
    first, second = ART["event-november-2017"], ART["event-november-2017-2"]
    assert g.value(first, PIL.dateAsGiven) == rdflib.Literal("November 2017")
    assert g.value(first, PIL.startYear) == rdflib.Literal("2017", datatype=GYEAR)
    assert g.value(first, PIL.endYear) is None
    assert g.value(first, RDFS.label) == rdflib.Literal("Event dated November 2017", lang="en")
    assert g.value(second, RDFS.label) == rdflib.Literal("Event dated November 2017 (2)", lang="en")
    assert exact_of(g, second) == "November 2017"
    assert g.value(first, PIL.draft) == rdflib.Literal(True)

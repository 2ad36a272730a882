"""Citations in every author-year form the issue lists, each in a small text of its own."""

from __future__ import annotations

from pathlib import Path

import pytest
import rdflib
from draft_helpers import ART, OA, PIL, drafted, exact_of
from rdflib.namespace import RDF, RDFS

from pillars.draft import citations
from pillars.draft.drafter import draft_article
from pillars.draft.inputs import Article

GYEAR = rdflib.URIRef("http://www.w3.org/2001/XMLSchema#gYear")


def _one(text: str) -> tuple[str, str, str | None, str]:
    found, _ = citations.find(text)
    assert len(found) == 1, found
    c = found[0]
    return c.authors, c.year + c.suffix, c.page, text[c.span.start : c.span.end]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trade is low (Mosavian 2017).", ("Mosavian", "2017", None, "(Mosavian 2017)")),
        (
            "Deals were signed (Divsallar and Arjmand 2019).",
            ("Divsallar and Arjmand", "2019", None, "(Divsallar and Arjmand 2019)"),
        ),
        (
            "Support grew to 82 percent (Rivera et al. 2016, 15).",
            ("Rivera et al.", "2016", "15", "(Rivera et al. 2016, 15)"),
        ),
        (
            "Think tanks say so (Radin and Reach 2017, 23-29).",
            ("Radin and Reach", "2017", "23-29", "(Radin and Reach 2017, 23-29)"),
        ),
        (
            "Washington cannot decide alone (Borshchevskaya 2017b).",
            ("Borshchevskaya", "2017b", None, "(Borshchevskaya 2017b)"),
        ),
        ("As Trenin (2018) argues, it is so.", ("Trenin", "2018", None, "Trenin (2018)")),
        ("As Zevelev (2015, 3) argues, it is so.", ("Zevelev", "2015", "3", "Zevelev (2015, 3)")),
        (
            "Threats rose (for more on this, see Khomeini 2010).",
            ("Khomeini", "2010", None, "(for more on this, see Khomeini 2010)"),
        ),
        ("It is so (see Levy 2013).", ("Levy", "2013", None, "(see Levy 2013)")),
        ("It is so (e.g. Levy 2013: 4).", ("Levy", "2013", "4", "(e.g. Levy 2013: 4)")),
        ("It is so (cf. Levy 2013, pp. 4–9).", ("Levy", "2013", "4–9", "(cf. Levy 2013, pp. 4–9)")),
        (
            "Van der Berg (1999) disagrees.",
            ("Van der Berg", "1999", None, "Van der Berg (1999)"),
        ),
        ("As does O’Neill (2005).", ("O’Neill", "2005", None, "O’Neill (2005)")),
        (
            "Smith and Jones (2020, 45–47) say so.",
            ("Smith and Jones", "2020", "45–47", "Smith and Jones (2020, 45–47)"),
        ),
        (
            "Growth (Hill, Gaddy and Smith 2015).",
            ("Hill, Gaddy and Smith", "2015", None, "(Hill, Gaddy and Smith 2015)"),
        ),
    ],
)
def test_forms(text: str, expected: tuple[str, str, str | None, str]) -> None:
    assert _one(text) == expected


def test_two_works_in_one_parenthesis_are_two_citations_quoted_apart() -> None:
    text = "It sought recognition (Maleki 2017; Dehshiri 2017)."
    found, unsure = citations.find(text)
    assert [(c.work, text[c.span.start : c.span.end]) for c in found] == [
        ("Maleki 2017", "Maleki 2017"),
        ("Dehshiri 2017", "Dehshiri 2017"),
    ]
    assert unsure == []


def test_not_citations() -> None:
    text = "The sixth Development Plan (2017-21) ran. In the 2008 concept (see above) and (2019)."
    found, unsure = citations.find(text)
    assert found == []
    assert [text[u.span.start : u.span.end] for u in unsure] == ["Plan (2017"]


def test_the_before_a_name_is_a_title_not_an_author() -> None:
    found, _ = citations.find("They signed the Accord (2017) and left.")
    assert found == []


def test_a_capitalised_name_then_a_year_is_unsure() -> None:
    text = "The Russian 2008 foreign policy concept said so."
    found, unsure = citations.find(text)
    assert found == []
    assert [(u.kind, text[u.span.start : u.span.end]) for u in unsure] == [
        ("citations", "Russian 2008")
    ]


def test_citation_turtle_source_and_claim() -> None:
    text = "Support grew to 82 percent (Rivera et al. 2016, 15). Trade is low (Osnos 2017b)."
    _, g = drafted(text)
    cite = ART["cite-rivera-et-al-2016"]
    source = ART["source-rivera-et-al-2016"]
    assert (cite, RDF.type, PIL.Citation) in g
    assert g.value(cite, PIL.citesWork) == source
    assert g.value(cite, PIL.pageLocator) == rdflib.Literal("15")
    assert exact_of(g, cite) == "(Rivera et al. 2016, 15)"
    assert g.value(source, RDFS.label) == rdflib.Literal("Rivera et al. 2016")
    assert g.value(source, PIL.authorString) == rdflib.Literal("Rivera et al.")
    assert g.value(source, PIL.year) == rdflib.Literal("2016", datatype=GYEAR)
    assert g.value(source, PIL.yearSuffix) is None
    claim = g.value(cite, PIL.citedFor)
    assert str(g.value(claim, RDFS.label)) == (
        "Support grew to 82 percent (Rivera et al. 2016, 15)."
    )
    osnos = ART["source-osnos-2017b"]
    assert g.value(osnos, PIL.yearSuffix) == rdflib.Literal("b")
    assert g.value(osnos, RDFS.label) == rdflib.Literal("Osnos 2017b")
    for resource in (cite, source, claim, g.value(cite, PIL.hasEvidence)):
        assert g.value(resource, PIL.draft) == rdflib.Literal(True)


def test_a_work_cited_twice_is_one_source_and_two_numbered_citations() -> None:
    text = "Putin met him (Khamenei 2017). Later he said it again (Khamenei 2017)."
    _, g = drafted(text)
    first, second = ART["cite-khamenei-2017-1"], ART["cite-khamenei-2017-2"]
    source = ART["source-khamenei-2017"]
    assert g.value(first, PIL.citesWork) == source
    assert g.value(second, PIL.citesWork) == source
    assert len(set(g.subjects(RDF.type, PIL.Source))) == 1
    starts = [int(g.value(g.value(c, PIL.hasEvidence), OA.start)) for c in (first, second)]
    assert starts == [14, 54]
    claims = [g.value(c, PIL.citedFor) for c in (first, second)]
    assert claims[0] != claims[1]


def test_a_work_the_folder_already_declares_is_cited_not_drafted() -> None:
    """Names and works of the editor's own files are kept: a drafted IRI never merges with a
    curated one, and a curated work is cited rather than drafted twice."""
    article = Article("small-text", Path("/nonexistent"), "Trade is low (Mosavian 2017).")
    article.used_names = {"cite-mosavian-2017", "claim-trade-is-low-mosavian-2017"}
    article.curated_sources = {"Mosavian 2017": "source-mosavian"}
    g = rdflib.Graph().parse(data=draft_article(article).text, format="turtle")
    cite = ART["cite-mosavian-2017-2"]
    assert g.value(cite, PIL.citesWork) == ART["source-mosavian"]
    assert set(g.subjects(RDF.type, PIL.Source)) == set()
    assert g.value(cite, PIL.citedFor) == ART["claim-trade-is-low-mosavian-2017-2"]

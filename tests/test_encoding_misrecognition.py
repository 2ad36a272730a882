"""The pillar of international misrecognition (sections 2-5) as encoded, against the text.

Expected values are read off the article by hand (the citations, roles and dates as printed),
never computed by the code under test. The corpus is the bundled one, loaded in-process.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from pillars.corpus import default_root
from pillars.namespaces import sparql_prefixes
from pillars.stats import split_body
from pillars.store import memory_store

SLUG = "iranian-russian-security-convergence"
ART = f"https://w3id.org/pillars/id/{SLUG}/"
TEXT = (default_root() / "instances" / SLUG / "text.txt").read_text(encoding="utf-8")
PREFIXES = sparql_prefixes() + f"PREFIX art: <{ART}>\n"
# Evidence of these sections: pil:inSection art:section-2 .. art:section-5.
IN_MY_SECTIONS = "?ev pil:inSection ?sec . ?sec pil:sectionNumber ?n . FILTER(?n >= 2 && ?n <= 5)"

# Every in-text citation of sections 2-5, as printed: author, year, suffix, page.
CITATIONS = sorted(
    [
        ("Levy", "2013", "", ""),
        ("Tazmini", "2018", "", ""),
        ("Ardakani", "2017", "", ""),
        ("Kaplan", "2015", "", ""),
        ("Lotfian", "2011", "", ""),
        ("Saghafi", "1996", "", ""),
        ("Lavrov", "2016", "", ""),
        ("Engstrom", "2014", "", "356"),
        ("Zevelev", "2015", "", "3"),
        ("Rivera et al.", "2016", "", "15"),
        ("Strombom", "2014", "", "171"),
        ("Wendt", "2003", "", ""),
        ("Maleki", "2017", "", ""),
        ("Dehshiri", "2017", "", ""),
        ("Zarif", "2017", "", ""),
        ("Velayati", "2008", "", ""),
        ("Borshchevskaya", "2017", "b", ""),
        ("Osnos", "2017", "", ""),
        ("Obama", "2014", "", ""),
        ("Hill and Gaddy", "2015", "", "36"),
        ("Radin and Reach", "2017", "", "23-29"),
        ("Buonomo", "2018", "", "39"),
        ("Alterman", "2017", "", ""),
        ("Borshchevskaya", "2017", "a", ""),
        ("Khamenei", "2017", "", ""),
    ]
)

# Every person's role in sections 2-5, worded as the text gives it.
ROLES = sorted(
    [
        ("sergei-lavrov", "Russian Foreign Minister"),
        ("vladimir-putin", "President"),
        ("ali-khamenei", "Ayatollah"),
        ("ali-khamenei", "Iranian Supreme Leader"),
        ("ali-khamenei", "Iranian leader"),
        ("mohammad-javad-zarif", "Foreign Minister"),
        ("barack-obama", "US President"),
        ("mikhail-gorbachev", "Former Soviet President"),
        ("mohammad-khatami", "former President"),
        ("george-w-bush", "US President"),
    ]
)


@pytest.fixture(scope="module")
def store() -> Iterator[ox.Store]:
    yield memory_store()


def select(store: ox.Store, body: str) -> list[dict[str, str]]:
    # The corpus sits in named graphs (ontology, shared, article): query their union.
    result = store.query(PREFIXES + body, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else "") for n in names} for row in result]


def test_the_pillar_has_the_three_components_the_text_names(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?label WHERE { art:pillar-misrecognition pil:hasComponent ?c . "
        "?c a pil:PillarComponent ; rdfs:label ?label }",
    )
    assert sorted(r["label"] for r in rows) == [
        "Mutual recognition",
        "Shared self-image",
        "Thick misrecognition",
    ]


def test_every_citation_of_sections_2_to_5_with_its_page(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?author ?year ?suffix ?page ?exact WHERE { ?c a pil:Citation ; "
        f"pil:citesWork ?s ; pil:hasEvidence ?ev . ?ev oa:exact ?exact . {IN_MY_SECTIONS} "
        "?s pil:authorString ?author ; pil:year ?year . "
        "OPTIONAL { ?s pil:yearSuffix ?suffix } OPTIONAL { ?c pil:pageLocator ?page } }",
    )
    found = sorted((r["author"], r["year"], r["suffix"], r["page"]) for r in rows)
    assert found == CITATIONS
    for r in rows:
        # The quoted words of a citation name its year (and page, where one is given).
        assert r["year"] + r["suffix"] in r["exact"], r
        assert r["page"] in r["exact"], r


def test_every_citation_supports_a_statement(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?c WHERE { ?c a pil:Citation ; pil:hasEvidence ?ev . "
        f"{IN_MY_SECTIONS} FILTER NOT EXISTS {{ ?c pil:citedFor ?what . "
        "?what pil:hasEvidence ?any }}",
    )
    assert rows == []


def test_the_82_percent_of_the_russian_elite(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?value ?unit ?about ?exact WHERE { ?q a pil:Quantity ; pil:numericValue ?value ; "
        f"pil:unit ?unit ; pil:about ?about ; pil:hasEvidence ?ev . ?ev oa:exact ?exact . "
        f"{IN_MY_SECTIONS} }}",
    )
    art = "https://w3id.org/pillars/id/iranian-russian-security-convergence/"
    assert sorted((float(r["value"]), r["unit"], r["about"]) for r in rows) == [
        (2.0, "dimensions", art + "component-thick-misrecognition"),  # "two main dimensions"
        (2.0, "ideas", art + "component-self-image"),  # "two critical ideas"
        (3.0, "components", art + "pillar-misrecognition"),  # "the three components"
        (82.0, "percent", "https://w3id.org/pillars/id/actor/russian-elite"),
    ]
    assert any("82 percent" in r["exact"] for r in rows)


def test_every_role_as_the_text_gives_it(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT DISTINCT ?holder ?label WHERE { ?r a pil:Role ; pil:roleHolder ?holder ; "
        f"rdfs:label ?label ; pil:hasEvidence ?ev . {IN_MY_SECTIONS} }}",
    )
    found = sorted((r["holder"].rsplit("/", 1)[1], r["label"]) for r in rows)
    assert found == ROLES


def test_dated_events_are_mentioned_with_their_dates_as_printed(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT DISTINCT ?event ?date WHERE { ?event a pil:Event ; pil:hasEvidence ?ev . "
        f"{IN_MY_SECTIONS} OPTIONAL {{ ?event pil:dateAsGiven ?date }} }}",
    )
    dates = {r["event"].rsplit("/", 1)[1]: r["date"] for r in rows}
    expected = {
        "green-movement-2009": "2009",
        "iran-social-unrest-early-2018": "early 2018",
        "jcpoa-debates-2015-2016": "during 2015 and 2016",
        "putin-khamenei-meeting-2017": "November 2017",
        "russia-pro-western-period": "during the 1990s and early 2000s",
        "axis-of-evil-speech": "",
        "jcpoa": "",
    }
    for event, date in expected.items():
        assert dates.get(event) == date, event
    for event, date in dates.items():
        assert date in TEXT, f"{event}: date {date!r} is not in the text"


def test_every_claim_reaches_the_pillar(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT DISTINCT ?claim WHERE { ?claim a pil:Claim ; pil:hasEvidence ?ev . "
        f"{IN_MY_SECTIONS} FILTER NOT EXISTS {{ ?claim (pil:supports|pil:attacks)+ ?goal . "
        "VALUES ?goal { art:pillar-misrecognition art:component-self-image "
        "art:component-thick-misrecognition art:component-mutual-recognition } } }",
    )
    assert rows == []


def test_every_sentence_of_sections_2_to_5_is_anchored(store: ox.Store) -> None:
    rows = select(
        store,
        "SELECT ?start ?end WHERE { ?ev a pil:Evidence ; oa:start ?start ; oa:end ?end . "
        f"{IN_MY_SECTIONS} }}",
    )
    spans = [(int(r["start"]), int(r["end"])) for r in rows]
    begin = TEXT.index("The pillar of international misrecognition Self-image")
    end = TEXT.index("\nThe pillar of common threat perceptions")
    headings = {"Shared self-image", "Thick recognition", "Mutual recognition"}
    sentences = [s for s in split_body(TEXT, headings)[0] if begin <= s.start < end]
    assert len(sentences) > 60  # the four sections hold about seventy sentences
    for s in sentences:
        covered = sum(1 for i in range(s.start, s.end) if any(a <= i < b for a, b in spans))
        # 70 %, not 100 %: the first sentence begins with the repeated heading (an extraction
        # artefact, 43 characters) that no evidence quotes.
        assert covered >= 0.7 * (s.end - s.start), f"sentence not anchored: {s.text[:80]!r}"

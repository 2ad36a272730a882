"""An article's page opens with its bibliography, thesis, contents and "Cite this"; the
citation downloads (/cite/<slug>.bib|.ris|.csl.json).

Expected values are written by hand: for the bundled article from
instances/iranian-russian-security-convergence/article.ttl, for the fixture article (which
has no author, journal, year, DOI or keywords) from tests/fixtures/pages/, and for a made-up
article with every character the formats must escape, from the Turtle below.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from pages_fixture import ROOT as FIXTURE_ROOT
from pages_fixture import make_app

from bench.synth import generate
from pillars.corpus import discover
from pillars.server.app import create_app
from pillars.server.state import app_state
from pillars.settings import Settings
from pillars.store import memory_store

SLUG = "iranian-russian-security-convergence"
PAGE = f"/id/{SLUG}/article.html"
DOI = "10.1080/03932729.2019.1586147"
TITLE = "The Pillars of Iranian-Russian Security Convergence"
JOURNAL = "The International Spectator: Italian Journal of International Affairs"
KEYWORDS = [  # article.ttl's pil:keyword values, listed by name
    "international misrecognition",
    "Iran security policy",
    "Russian Middle East strategy",
    "security convergence",
    "threat perceptions",
]
THESIS = (
    "International misrecognition and common threat perceptions are the two main pillars of "
    "Iranian-Russian security convergence, and their nexus explains how the two states share "
    "an understanding of the security environment"
)
MEDIA = {
    "bib": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "csl.json": "application/vnd.citationstyles.csl+json",
}
HTTP_TIMEOUT = 60


def _app(root: Path | None, entail: bool = False) -> Flask:
    store = memory_store(discover(root), entail=entail)
    return create_app(Settings(evaluators=1, query_timeout=20.0), store=store)


@pytest.fixture(scope="module")
def bundled() -> Iterator[FlaskClient]:
    app = _app(None)
    yield app.test_client()
    app_state(app).pool.close()


@pytest.fixture(scope="module")
def fixture_client() -> Iterator[FlaskClient]:
    app = make_app()
    yield app.test_client()
    app_state(app).pool.close()


TRICKY_TTL = r'''
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix pil: <https://w3id.org/pillars/ontology#> .
@prefix actor: <https://w3id.org/pillars/id/actor/> .
@prefix t: <https://w3id.org/pillars/id/tricky-article/> .

t:article a pil:Article ;
    dcterms:title """Braces {and} 50% of R&D: $x_1$ ^ ~ #2 back\\slash "quoted"
  second line"""@en , "Titre"@fr ;
    rdfs:label "A label that is not the title"@en ;
    dcterms:creator actor:zed , actor:ann , "Literal Collective" , actor:unnamed ;
    pil:doi "10.1000/a_b(c){d}" ;
    pil:publicationYear "2021"^^xsd:gYear ;
    pil:keyword "alpha, beta"@en , "gamma\nrisk"@en ;
    pil:publishedIn <https://w3id.org/pillars/id/journal/j-and-k> ;
    pil:hasThesis t:thesis ;
    pil:hasSection t:sec-2 , t:sec-1 .
actor:zed a pil:Person ; rdfs:label "Zed Ö'Brien"@en .
actor:ann a pil:Person ; rdfs:label "Ann {Curly}"@en .
actor:unnamed a pil:Person .
<https://w3id.org/pillars/id/journal/j-and-k> a pil:Journal ; rdfs:label "J & K"@en .
t:thesis a pil:Thesis ; pil:hasEvidence t:ev-thesis .
t:claim-1 a pil:Claim ; rdfs:label "A claim"@en ; pil:hasEvidence t:ev-1 .
t:sec-1 a pil:Section ; rdfs:label "First"@en ; pil:sectionNumber 1 .
t:sec-2 a pil:Section ; rdfs:label "Second"@en ; pil:sectionNumber 2 .
t:sec-2-1 a pil:Section ; rdfs:label "Second, part one"@en ; pil:sectionNumber 3 ;
    pil:subsectionOf t:sec-2 .
t:sec-x a pil:Section ; rdfs:label "Loop X"@en ; pil:subsectionOf t:sec-y .
t:sec-y a pil:Section ; rdfs:label "Loop Y"@en ; pil:subsectionOf t:sec-x .
t:ev-1 a pil:Evidence ; pil:inText t:text ; pil:inSection t:sec-1 ;
    oa:exact "First words." ; oa:start 0 ; oa:end 12 .
t:ev-2 a pil:Evidence ; pil:inText t:text ; pil:inSection t:sec-1 ;
    oa:exact "words" ; oa:start 6 ; oa:end 11 .
t:ev-drafted a pil:Evidence ; pil:draft true ; pil:inText t:text ; pil:inSection t:sec-1 ;
    oa:exact "First" ; oa:start 0 ; oa:end 5 .
t:ev-thesis a pil:Evidence ; pil:inText t:text ; pil:inSection t:sec-2 ;
    oa:exact "Other words." ; oa:start 13 ; oa:end 25 .
t:text a pil:ArticleText ; pil:textOf t:article .
'''


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    root = tmp_path_factory.mktemp("tricky")
    shutil.copytree(FIXTURE_ROOT / "ontology", root / "ontology")
    folder = root / "instances" / "tricky-article"
    folder.mkdir(parents=True)
    (folder / "article.ttl").write_text(TRICKY_TTL, encoding="utf-8")
    (folder / "text.txt").write_text("First words. Other words.", encoding="utf-8")
    app = _app(root)
    yield app.test_client()
    app_state(app).pool.close()


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    """One article of bench/synth.py: the shape of the articles the benchmarks serve."""
    root = tmp_path_factory.mktemp("synth")
    shutil.copytree(Path(__file__).parent.parent / "ontology", root / "ontology")
    generate(root, 1)
    app = _app(root)
    yield app.test_client()
    app_state(app).pool.close()


def _bib_fields(entry: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\w+) = \{(.*)\},$", entry, re.M))


# ---------------------------------------------------------------- the bundled article's page


def test_the_page_opens_with_the_bibliography(bundled: FlaskClient) -> None:
    html = bundled.get(PAGE).get_data(as_text=True)
    bib = html[html.index('<dl class="bib"') : html.index("</dl>", html.index('<dl class="bib"'))]
    assert f"<h1>{TITLE}</h1>" in html
    assert '<a href="/id/actor/abdolrasool-divsallar"' in bib and "Abdolrasool Divsallar" in bib
    assert '<a href="/id/journal/the-international-spectator"' in bib and JOURNAL in bib
    assert '<dd class="year">2019</dd>' in bib
    assert f'<a href="https://doi.org/{DOI}" rel="external">https://doi.org/{DOI}</a>' in bib
    assert re.findall(r"<li>([^<]*)</li>", bib) == KEYWORDS
    assert THESIS in html
    assert "These pillars and the nexus between them explain" in html  # its second quote


def test_the_parts_come_in_order_before_the_argument_map(bundled: FlaskClient) -> None:
    html = bundled.get(PAGE).get_data(as_text=True)
    marks = ['<dl class="bib"', 'id="thesis-h"', 'id="toc-h"', 'id="cite-h"', 'id="map-h"']
    places = [html.index(m) for m in marks]
    assert places == sorted(places)


def _toc(html: str) -> list[tuple[int, str, int, int]]:
    """(depth, heading, quotes, statements) for each entry of the contents, in order."""
    toc = html[html.index('id="toc-h"') : html.index('id="cite-h"')]
    entries, depth = [], 0
    for m in re.finditer(
        r'(<ol class="toc">)|(</ol>)|<li><a href="[^"]+"[^>]*>([^<]+)</a> '
        r'<span class="note">(\d+) quotes? · (\d+) statements?</span>',
        toc,
    ):
        if m.group(1):
            depth += 1
        elif m.group(2):
            depth -= 1
        else:
            entries.append((depth, m.group(3), int(m.group(4)), int(m.group(5))))
    return entries


def test_the_contents_list_sections_in_order_with_subsections(bundled: FlaskClient) -> None:
    toc = _toc(bundled.get(PAGE).get_data(as_text=True))
    assert [(depth, heading) for depth, heading, _, _ in toc] == [
        (1, "Introduction (untitled)"),
        (1, "The pillar of international misrecognition"),
        (2, "Shared self-image"),
        (2, "Thick recognition"),
        (2, "Mutual recognition"),
        (1, "The pillar of common threat perceptions"),
        (2, "Growing identity threats"),
        (2, "Long-term threats to stability"),
        (2, "Overlapping regional threats"),
        (1, "Limits of convergence"),
        (1, "Conclusion: toward security convergence"),
    ]
    # article.ttl alone anchors 8 quotes in the introduction (its heading, two of the
    # convergence, two of the pillars, the pillar count, two of the thesis); other files add
    # more, and the encoding grows: at least those.
    assert toc[0][2] >= 8 and all(quotes >= 1 for _, _, quotes, _ in toc)


def test_the_page_links_the_three_citation_formats(bundled: FlaskClient) -> None:
    html = bundled.get(PAGE).get_data(as_text=True)
    for ext, media in MEDIA.items():
        assert f'<a href="/cite/{SLUG}.{ext}" type="{media}" download>' in html
        assert f'<link rel="alternate" type="{media}"' in html
    assert f"@article{{{SLUG}," in html  # the BibTeX entry, on the page to copy


def test_citation_downloads_in_process(bundled: FlaskClient) -> None:
    for ext, media in MEDIA.items():
        r = bundled.get(f"/cite/{SLUG}.{ext}")
        assert r.status_code == 200, ext
        assert r.mimetype == media
        assert r.headers["Content-Disposition"] == f'attachment; filename="{SLUG}.{ext}"'
        assert r.headers["ETag"]


@pytest.mark.parametrize(
    "path",
    [
        "/cite/no-such-article.bib",
        "/cite/no-such-article.ris",
        "/cite/no-such-article.csl.json",
        "/cite/shared.bib",  # a graph, but no article in it
        "/cite/ontology.csl.json",
        "/cite/%00.ris",
        "/cite/a%20b%3Cc%3E.bib",
        "/cite/%E2%80%99.ris",
        "/cite/..%2F..%2Fetc.bib",
        "/cite/" + "x" * 3000 + ".bib",
        f"/cite/{SLUG}.pdf",
        f"/cite/{SLUG}.json",
        f"/cite/{SLUG}",
    ],
)
def test_an_unknown_article_is_the_sites_404_page(bundled: FlaskClient, path: str) -> None:
    r = bundled.get(path, headers={"Accept": "text/html"})
    assert r.status_code == 404
    assert r.mimetype == "text/html"
    # The site's 404 pages: no article by that name, or (a path no route takes) no page.
    body = r.get_data(as_text=True)
    assert "Nothing here by that name" in body or "No page here" in body
    assert "<h1>" in body and '<a class="skip"' in body


# ---------------------------------------------------------------- fields the data lacks


def test_missing_fields_are_left_out_of_page_and_citations(fixture_client: FlaskClient) -> None:
    html = fixture_client.get("/id/fixture-article/article.html").get_data(as_text=True)
    assert "<h1>A fixture article on convergence</h1>" in html
    assert 'class="bib"' not in html and "doi.org" not in html
    assert "Two pillars carry the convergence" in html  # the thesis label
    assert _toc(html) == [(1, "Threats", 1, 3)]  # ev-regime-change: the threat, 2 perceptions
    bib = fixture_client.get("/cite/fixture-article.bib").get_data(as_text=True)
    assert bib == ("@article{fixture-article,\n  title = {A fixture article on convergence},\n}\n")
    ris = fixture_client.get("/cite/fixture-article.ris").get_data(as_text=True)
    assert ris == "TY  - JOUR\r\nTI  - A fixture article on convergence\r\nER  - \r\n"
    csl = json.loads(fixture_client.get("/cite/fixture-article.csl.json").get_data(as_text=True))
    assert csl == [
        {
            "id": "fixture-article",
            "type": "article-journal",
            "title": "A fixture article on convergence",
        }
    ]


# ---------------------------------------------------------------- escaping


def test_bibtex_escapes_latex_and_keeps_braces_balanced(tricky: FlaskClient) -> None:
    r = tricky.get("/cite/tricky-article.bib")
    assert r.status_code == 200
    assert r.get_data(as_text=True) == (
        "@article{tricky-article,\n"
        r"  author = {Ann \textbraceleft{}Curly\textbraceright{} and Literal Collective"
        " and Zed Ö'Brien},\n"
        r"  title = {Braces \textbraceleft{}and\textbraceright{} 50\% of R\&D: \$x\_1\$"
        r' \textasciicircum{} \textasciitilde{} \#2 back\textbackslash{}slash "quoted"'
        " second line},\n"
        r"  journal = {J \& K},"
        "\n  year = {2021},\n"
        "  url = {https://doi.org/10.1000/a_b(c)%7Bd%7D},\n"  # no doi field: it has braces
        "  keywords = {alpha, beta, gamma risk},\n"
        "}\n"
    )


def test_ris_has_one_line_per_tag(tricky: FlaskClient) -> None:
    ris = tricky.get("/cite/tricky-article.ris").get_data(as_text=True)
    assert ris.split("\r\n") == [
        "TY  - JOUR",
        'TI  - Braces {and} 50% of R&D: $x_1$ ^ ~ #2 back\\slash "quoted" second line',
        "AU  - Ann {Curly}",
        "AU  - Literal Collective",
        "AU  - Zed Ö'Brien",
        "T2  - J & K",
        "PY  - 2021",
        "DO  - 10.1000/a_b(c){d}",
        "UR  - https://doi.org/10.1000/a_b(c)%7Bd%7D",
        "KW  - alpha, beta",
        "KW  - gamma risk",
        "ER  - ",
        "",
    ]


def test_csl_json_parses_with_the_values(tricky: FlaskClient) -> None:
    r = tricky.get("/cite/tricky-article.csl.json")
    assert r.mimetype == "application/vnd.citationstyles.csl+json"
    assert json.loads(r.get_data(as_text=True)) == [
        {
            "id": "tricky-article",
            "type": "article-journal",
            "title": 'Braces {and} 50% of R&D: $x_1$ ^ ~ #2 back\\slash "quoted" second line',
            "author": [
                {"literal": "Ann {Curly}"},
                {"literal": "Literal Collective"},
                {"literal": "Zed Ö'Brien"},
            ],
            "container-title": "J & K",
            "issued": {"date-parts": [[2021]]},
            "DOI": "10.1000/a_b(c){d}",
            "URL": "https://doi.org/10.1000/a_b(c)%7Bd%7D",
            "keyword": "alpha, beta, gamma risk",
        }
    ]


def test_page_of_an_odd_article(tricky: FlaskClient) -> None:
    r = tricky.get("/id/tricky-article/article.html")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    bib = html[html.index('<dl class="bib"') : html.index("</dl>", html.index('<dl class="bib"'))]
    assert "<dt>Authors</dt>" in bib
    assert "Ann {Curly}" in bib and "Literal Collective" in bib and "Zed Ö&#39;Brien" in bib
    assert "/id/actor/unnamed" not in bib  # an author without a name is left out
    assert "<h1>Braces {and} 50% of R&amp;D: $x_1$" in html  # the title, not the rdfs:label
    assert "<title>Braces {and}" in html
    assert '<a href="https://doi.org/10.1000/a_b(c)%7Bd%7D"' in bib
    # No label: the thesis is its quote, linked to the thesis's page.
    assert '<a href="/id/tricky-article/thesis">Other words.</a>' in html
    assert _toc(html) == [
        (1, "First", 2, 1),  # the drafted quote is not counted
        (1, "Second", 1, 1),  # the thesis's quote
        (2, "Second, part one", 0, 0),
        (1, "Loop X", 0, 0),  # a subsectionOf cycle: listed, not lost
        (2, "Loop Y", 0, 0),
    ]


def test_a_synthetic_article(synthetic: FlaskClient) -> None:
    """bench/synth.py writes title "Synthetic article 1", a Person "Person NN" as creator,
    DOI 10.5555/synth.1, a year, one keyword, no journal; five sections, no pil:inSection."""
    html = synthetic.get("/id/art-0001/article.html").get_data(as_text=True)
    assert "<h1>Synthetic article 1</h1>" in html
    assert re.search(r'<a href="/id/actor/person-\d\d" [^>]*>Person \d\d</a>', html)
    assert '<a href="https://doi.org/10.5555/synth.1" rel="external">' in html
    assert re.search(r'<dd class="year">20[012]\d</dd>', html)
    assert "<dt>Journal</dt>" not in html
    toc = html[html.index('id="toc-h"') : html.index('id="cite-h"')]
    headings = re.findall(r'<li><a href="/id/art-0001/section-\d"[^>]*>([^<]+)</a>( <span)?', toc)
    assert headings == [(f"Section {i}", "") for i in range(1, 6)]  # no counts: none known
    assert "not counted" in toc
    fields = _bib_fields(synthetic.get("/cite/art-0001.bib").get_data(as_text=True))
    assert sorted(fields) == ["author", "doi", "keywords", "title", "url", "year"]
    assert fields["title"] == "Synthetic article 1" and fields["doi"] == "10.5555/synth.1"


def test_an_article_typed_by_a_subclass_of_article(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """With the entailed graphs loaded, it is a pil:Article in graph/entailed/<slug> only."""
    root = tmp_path_factory.mktemp("review")
    shutil.copytree(FIXTURE_ROOT / "ontology", root / "ontology")
    (root / "ontology" / "review.ttl").write_text(
        "@prefix pil: <https://w3id.org/pillars/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "pil:ReviewArticle rdfs:subClassOf pil:Article .\n",
        encoding="utf-8",
    )
    folder = root / "instances" / "review-article"
    folder.mkdir(parents=True)
    (folder / "article.ttl").write_text(
        "@prefix pil: <https://w3id.org/pillars/ontology#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        "<https://w3id.org/pillars/id/review-article/article> a pil:ReviewArticle ;\n"
        '    dcterms:title "A review"@en ; pil:doi "10.1234/review" .\n',
        encoding="utf-8",
    )
    app = _app(root, entail=True)
    try:
        client = app.test_client()
        html = client.get("/id/review-article/article.html").get_data(as_text=True)
        assert '<a href="https://doi.org/10.1234/review" rel="external">' in html
        assert 'href="/cite/review-article.ris"' in html
        ris = client.get("/cite/review-article.ris").get_data(as_text=True)
        assert ris == (
            "TY  - JOUR\r\nTI  - A review\r\nDO  - 10.1234/review\r\n"
            "UR  - https://doi.org/10.1234/review\r\nER  - \r\n"
        )
        assert client.get("/cite/entailed.bib").status_code == 404
    finally:
        app_state(app).pool.close()


# ---------------------------------------------------------------- over real HTTP


def _download(live_server: str, ext: str) -> requests.Response:
    r = requests.get(f"{live_server}/cite/{SLUG}.{ext}", timeout=HTTP_TIMEOUT)
    assert r.status_code == 200
    assert r.headers["Content-Type"].split(";")[0].strip() == MEDIA[ext]
    assert r.headers["Content-Disposition"] == f'attachment; filename="{SLUG}.{ext}"'
    return r


def test_bibtex_over_http(live_server: str) -> None:
    entry = _download(live_server, "bib").content.decode("utf-8")
    assert entry.startswith(f"@article{{{SLUG},\n") and entry.endswith("}\n")
    assert _bib_fields(entry) == {
        "author": "Abdolrasool Divsallar",
        "title": TITLE,
        "journal": JOURNAL,
        "year": "2019",
        "doi": DOI,
        "url": f"https://doi.org/{DOI}",
        "keywords": ", ".join(KEYWORDS),
    }


def test_ris_over_http(live_server: str) -> None:
    lines = _download(live_server, "ris").content.decode("utf-8").split("\r\n")
    assert lines[0] == "TY  - JOUR" and lines[-2:] == ["ER  - ", ""]
    tags = [(line[:2], line[6:]) for line in lines[1:-2]]
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
    assert tags == [
        ("TI", TITLE),
        ("AU", "Abdolrasool Divsallar"),
        ("T2", JOURNAL),
        ("PY", "2019"),
        ("DO", DOI),
        ("UR", f"https://doi.org/{DOI}"),
        *[("KW", k) for k in KEYWORDS],
    ]


def test_csl_json_over_http(live_server: str) -> None:
    items = json.loads(_download(live_server, "csl.json").content)
    assert items == [
        {
            "id": SLUG,
            "type": "article-journal",
            "title": TITLE,
            "author": [{"literal": "Abdolrasool Divsallar"}],
            "container-title": JOURNAL,
            "issued": {"date-parts": [[2019]]},
            "DOI": DOI,
            "URL": f"https://doi.org/{DOI}",
            "keyword": ", ".join(KEYWORDS),
        }
    ]


def test_unknown_slug_over_http(live_server: str) -> None:
    r = requests.get(f"{live_server}/cite/no-such-article.ris", timeout=HTTP_TIMEOUT)
    assert r.status_code == 404
    assert r.headers["Content-Type"].startswith("text/html")


def test_the_article_page_has_no_summary_box_before_its_bibliography() -> None:
    # The "In short" box listed dozens of cited works above the thesis (issue 15, item 2).
    from pillars.server.app import create_app

    page = (
        create_app()
        .test_client()
        .get("/id/iranian-russian-security-convergence/article.html")
        .get_data(as_text=True)
    )
    assert 'class="summary"' not in page
    statements = page.split('id="out-h"', 1)[1]
    assert ">Iranian-Russian security convergence</a>" in statements  # pil:analyses, kept

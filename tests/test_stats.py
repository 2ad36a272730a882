"""`pillars stats` over a small hand-made article whose right answers are known by reading it."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pillars.cli import main
from pillars.corpus import default_root, discover
from pillars.stats import collect, render_markdown, split_body

TEXT = (
    "words of a cut sentence. It shapes the order.10 They agree.\n"
    "A Heading\n"
    "Why convergence?\n"
    "Sanctions hurt both states. George W. Bush spoke (Smith et al. 2016, 3). Nobody knows why?\n"
    "The Journal\n"
    "Journal of Things 2019\n"
)
SENTENCES = [
    "words of a cut sentence.",
    "It shapes the order.10",  # the note marker stays with its sentence
    "They agree.",
    "Sanctions hurt both states.",
    "George W. Bush spoke (Smith et al. 2016, 3).",  # no split after an initial or "al."
    "Nobody knows why?",
]
EXCLUDED = ["A Heading", "Why convergence?", "The Journal", "Journal of Things 2019"]


def _turtle() -> str:
    def ev(name: str, exact: str) -> str:
        start = TEXT.index(exact)
        return (
            f'd:{name} a pil:Evidence ; oa:exact "{exact}" ; oa:start {start} ; '
            f"oa:end {start + len(exact)} ; pil:inText d:text .\n"
        )

    return (
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        "@prefix pil: <https://w3id.org/pillars/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "@prefix d: <https://w3id.org/pillars/id/demo/> .\n"
        # "Why convergence?" ends like a sentence; it is left out because it is a heading.
        'd:section-2 a pil:Section ; rdfs:label "Why convergence?" .\n'
        "d:c1 a pil:Claim ; pil:hasEvidence d:ev-1 .\n"
        "d:c2 a pil:Claim ; pil:hasEvidence d:ev-2 .\n"
        + ev("ev-1", "agree")
        + ev("ev-2", "hurt both states. George")  # spans two sentences
    )


def _demo(tmp_path: Path) -> Path:
    (tmp_path / "ontology").mkdir()
    folder = tmp_path / "instances" / "demo"
    folder.mkdir(parents=True)
    (folder / "text.txt").write_text(TEXT, encoding="utf-8")
    (folder / "demo.ttl").write_text(_turtle(), encoding="utf-8")
    return tmp_path


def test_split_body_keeps_sentences_and_leaves_out_headings_and_footer() -> None:
    sentences, excluded = split_body(TEXT, {"Why convergence?"})
    assert [s.text for s in sentences] == SENTENCES
    assert excluded == EXCLUDED
    assert all(TEXT[s.start : s.end] == s.text for s in sentences)


def test_counts_and_coverage_of_the_demo_article(tmp_path: Path) -> None:
    (demo,) = collect(discover(_demo(tmp_path)))
    # nif:Context is the article text resource the loader adds to every article graph.
    assert demo.classes == {"nif:Context": 1, "pil:Claim": 2, "pil:Evidence": 2, "pil:Section": 1}
    assert (demo.sentences, demo.covered) == (6, 3)
    assert [s.text for s in demo.uncovered] == [SENTENCES[0], SENTENCES[1], SENTENCES[5]]
    # "agree" (5) + "hurt both states." (17) + "George" (6) of 24+22+11+27+44+17 body chars
    assert (demo.covered_chars, demo.body_chars) == (28, 145)


def test_cli_json(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stats", "--root", str(_demo(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    (demo,) = json.loads(result.output)["articles"]
    assert demo["slug"] == "demo"
    assert demo["sentence_percent"] == 50.0
    assert [u["text"] for u in demo["uncovered"]] == [SENTENCES[0], SENTENCES[1], SENTENCES[5]]
    assert demo["uncovered"][2]["start"] == TEXT.index("Nobody")


def test_cli_text_and_write_page(tmp_path: Path) -> None:
    page = tmp_path / "docs" / "coverage.md"
    root = _demo(tmp_path)
    result = CliRunner().invoke(main, ["stats", "--root", str(root), "--write", str(page)])
    assert result.exit_code == 0, result.output
    assert "uncovered sentences: 3" in result.output
    assert "covered by evidence: 3 (50.0%)" in result.output
    markdown = page.read_text(encoding="utf-8")
    assert markdown.startswith("# Encoding coverage")
    assert "### Uncovered sentences (3)" in markdown
    assert "- [" in markdown and "Nobody knows why?" in markdown
    assert "| `pil:Claim` | 2 |" in markdown


def test_cli_unknown_article_and_broken_turtle_are_clear_errors(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    result = CliRunner().invoke(main, ["stats", "--root", str(root), "--article", "nope"])
    assert result.exit_code == 2
    assert "no article folder 'nope'" in result.output and "demo" in result.output
    (root / "instances" / "demo" / "zz.ttl").write_text("<http://x/a> <http://x/b> .\n")
    result = CliRunner().invoke(main, ["stats", "--root", str(root)])
    assert result.exit_code == 1
    assert "zz.ttl:1" in result.output and "Traceback" not in result.output


def test_bundled_article_leaves_out_exactly_its_headings_and_footer() -> None:
    text = (default_root() / "instances/iranian-russian-security-convergence/text.txt").read_text(
        encoding="utf-8"
    )
    _sentences, excluded = split_body(text, set())
    # The ten printed headings (section 1 is untitled) and the journal's two footer lines.
    assert excluded == [
        "The pillar of international misrecognition",
        "Shared self-image",
        "Thick recognition",
        "Mutual recognition",
        "The pillar of common threat perceptions",
        "Growing identity threats",
        "Long-term threats to stability",
        "Overlapping regional threats",
        "Limits of convergence",
        "Conclusion: toward security convergence",
        "The International Spectator",
        "Italian Journal of International Affairs 2019",
    ]


def test_committed_coverage_page_is_current() -> None:
    page = default_root() / "docs" / "coverage.md"
    current = render_markdown(collect(discover(default_root())))
    assert page.read_text(encoding="utf-8") == current, (
        "docs/coverage.md is out of date: run `pillars stats --write docs/coverage.md`"
    )


def test_abbreviations_and_initials_do_not_end_sentences() -> None:
    text = (
        "Smith et al. Argue so, e.g. Iran in 2015. J. Doe and Dr. Who agree, i.e. Mostly. "
        "Tehran_and.Moscow. Then vs. Now. Next one starts here.\n"
    )
    sentences, _ = split_body(text, set())
    assert [s.text for s in sentences] == [
        "Smith et al. Argue so, e.g. Iran in 2015.",
        "J. Doe and Dr. Who agree, i.e. Mostly.",
        "Tehran_and.Moscow.",
        "Then vs. Now.",
        "Next one starts here.",
    ]


MENTIONS_ONTOLOGY = """@prefix pil: <https://w3id.org/pillars/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
pil:State rdfs:subClassOf pil:Actor .
"""
MENTIONS = """@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix pil: <https://w3id.org/pillars/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix d: <https://w3id.org/pillars/id/demo/> .
@prefix actor: <https://w3id.org/pillars/id/actor/> .
@prefix event: <https://w3id.org/pillars/id/event/> .
actor:iran a pil:State ; pil:hasEvidence d:ev-iran .
actor:russia a pil:State ; pil:hasEvidence d:ev-russia .
event:summit a pil:Event ; pil:hasEvidence d:ev-summit .
d:c1 a pil:Claim ; pil:concerns actor:iran .
d:ev-russia skos:note "named only in a citation's title" .
d:draft a pil:Claim ; pil:draft true ; pil:concerns event:summit .
"""


def test_mentions_are_linked_or_evidence_only_with_the_noted_reason(tmp_path: Path) -> None:
    root = _demo(tmp_path)
    (root / "ontology" / "o.ttl").write_text(MENTIONS_ONTOLOGY, encoding="utf-8")
    (root / "instances" / "demo" / "mentions.ttl").write_text(MENTIONS, encoding="utf-8")
    (demo,) = collect(discover(root))
    actors, events, places = demo.mentions["actor"], demo.mentions["event"], demo.mentions["place"]
    # Iran is a State, an Actor by the ontology; a drafted claim's link does not count.
    assert (actors.linked, actors.evidence_only) == (
        1,
        {"actor:russia": "named only in a citation's title"},
    )
    assert (events.linked, events.evidence_only) == (0, {"event:summit": ""})
    assert places.evidenced == 0
    markdown = render_markdown([demo])
    assert "| actor | 2 | 1 | 1 |" in markdown
    assert "- actor, evidence only: `actor:russia`: named only in a citation's title" in markdown
    assert "- event, evidence only: `event:summit`: no reason noted" in markdown

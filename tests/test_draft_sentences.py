"""Sentences as candidate claims, split as `pillars stats` splits them; sections by offsets."""

from __future__ import annotations

from draft_helpers import ART, OA, PIL, drafted
from rdflib.namespace import RDF, RDFS

from pillars.draft.inputs import Section

TEXT = (
    "Intro words here. George W. Bush spoke.\n"
    "First part\n"
    "It is said (Levy 2013). It is said (Levy 2013).\n"
    "Running footer\n"
)


def _section(n: int, label: str) -> Section:
    start = TEXT.index(label + "\n")
    return Section(f"https://w3id.org/pillars/id/small-text/section-{n}", n, label, start)


def test_one_claim_per_sentence_labelled_with_it() -> None:
    draft, g = drafted(TEXT, sections=[_section(1, "First part")])
    labels = sorted(str(g.value(c, RDFS.label)) for c in g.subjects(RDF.type, PIL.Claim))
    # "W." is an initial, not a sentence end; the heading and the footer are no sentences;
    # a sentence repeated word for word is one claim with two evidence blocks
    assert labels == ["George W. Bush spoke.", "Intro words here.", "It is said (Levy 2013)."]
    claim = ART["claim-it-is-said-levy-2013"]
    evidence = sorted(int(g.value(e, OA.start)) for e in g.objects(claim, PIL.hasEvidence))
    assert evidence == [51, 75]
    assert draft.counts["sentences"] == 3


def test_in_section_by_offsets() -> None:
    _, g = drafted(TEXT, sections=[_section(1, "First part")])
    intro = ART["ev-claim-intro-words-here"]
    assert g.value(intro, PIL.inSection) is None  # before the first heading: no section
    inside = ART["ev-claim-it-is-said-levy-2013"]
    assert g.value(inside, PIL.inSection) == ART["section-1"]
    assert g.value(inside, PIL.inText) == ART["text"]


def test_only_citations_still_drafts_the_claims_they_are_cited_for() -> None:
    draft, g = drafted(TEXT, kinds=("citations",))
    claims = set(g.subjects(RDF.type, PIL.Claim))
    assert claims == {ART["claim-it-is-said-levy-2013"]}
    assert len(set(g.subjects(RDF.type, PIL.Citation))) == 2
    assert set(g.subjects(RDF.type, PIL.Event)) == set()

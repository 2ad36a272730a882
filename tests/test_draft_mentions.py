"""Mentions of shared things: labels and alternative labels, case, possessives, demonyms
listed in the shared data, longest match first, never inside a longer word."""

from __future__ import annotations

import rdflib
from draft_helpers import ACTOR, ART, OA, PIL, drafted

from pillars.draft import mentions
from pillars.draft.inputs import SharedThing

ID = "https://w3id.org/pillars/id/"
THINGS = [
    SharedThing(f"{ID}actor/iran", "actor", ("Iran", "Islamic Republic")),
    SharedThing(f"{ID}actor/iranians", "actor", ("Iranians",)),
    SharedThing(f"{ID}actor/russia", "actor", ("Russia",)),
    SharedThing(f"{ID}actor/kremlin", "actor", ("the Kremlin",)),
    SharedThing(f"{ID}actor/nato", "actor", ("NATO",)),
    SharedThing(f"{ID}actor/nato-group-of-experts", "actor", ("NATO Group of Experts",)),
    SharedThing(f"{ID}actor/united-states", "actor", ("United States", "US")),
    SharedThing(f"{ID}actor/iranian-armed-forces", "actor", ("Iran's military",)),
    SharedThing(f"{ID}actor/europe", "actor", ("Europe",)),
    SharedThing(f"{ID}place/europe", "place", ("Europe",)),
    SharedThing(f"{ID}place/central-asia", "place", ("Central Asia",)),
]


def _found(text: str) -> list[tuple[str, str]]:
    found, _ = mentions.find(text, THINGS, [])
    return [(m.iri[len(ID) :], text[m.span.start : m.span.end]) for m in found]


def test_labels_case_and_possessives() -> None:
    text = "Russia’s aims. The Kremlin spoke; Iranians’ minds; Russia's view; in central Asia."
    assert _found(text) == [
        ("actor/russia", "Russia"),
        ("actor/kremlin", "The Kremlin"),
        ("actor/iranians", "Iranians"),
        ("actor/russia", "Russia"),
        ("place/central-asia", "central Asia"),
    ]


def test_never_inside_a_longer_word_and_acronyms_exact() -> None:
    # "Iranian" is no demonym the data lists; "us" is not "US"
    assert _found("Iranian-Russian ties, IranianRussian, Iranophobia, let us go.") == []


def test_alternative_labels_and_curly_apostrophes() -> None:
    assert _found("The Islamic Republic and Iran’s military and the US.") == [
        ("actor/iran", "Islamic Republic"),
        ("actor/iranian-armed-forces", "Iran’s military"),
        ("actor/united-states", "US"),
    ]


def test_longest_name_wins() -> None:
    assert _found("The NATO Group of Experts met; NATO-Russia tensions.") == [
        ("actor/nato-group-of-experts", "NATO Group of Experts"),
        ("actor/nato", "NATO"),
        ("actor/russia", "Russia"),
    ]


def test_two_things_of_one_name_are_both_drafted_and_unsure() -> None:
    text = "Exports to Europe grew."
    found, unsure = mentions.find(text, THINGS, [])
    assert [m.iri[len(ID) :] for m in found] == ["actor/europe", "place/europe"]
    assert [(u.kind, text[u.span.start : u.span.end]) for u in unsure] == [("mentions", "Europe")]


def test_names_inside_bracketed_citations_are_sources_not_mentions() -> None:
    _, g = drafted("Ties grew (Russia 2017).", THINGS)
    assert list(g.objects(ACTOR.russia, PIL.hasEvidence)) == []


def test_mention_turtle() -> None:
    _, g = drafted("Iran and Russia met. Then Iran left.", THINGS)
    assert set(g.objects(ACTOR.iran, PIL.hasEvidence)) == {
        ART["ev-mention-iran-1"],
        ART["ev-mention-iran-2"],
    }
    second = ART["ev-mention-iran-2"]
    assert g.value(second, OA.exact) == rdflib.Literal("Iran")
    assert g.value(second, OA.start) == rdflib.Literal(26)
    assert g.value(second, PIL.draft) == rdflib.Literal(True)
    # a local name two kinds share is told apart by the kind
    _, g = drafted("Europe.", THINGS)
    assert ART["ev-mention-actor-europe-1"] in set(g.subjects())
    assert ART["ev-mention-place-europe-1"] in set(g.subjects())

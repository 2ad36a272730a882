"""Shared by the tests of `pillars draft`: a small article in memory, drafted and parsed."""

from __future__ import annotations

from pathlib import Path

import rdflib

from pillars.draft.drafter import Draft, draft_article
from pillars.draft.inputs import Article, Section, SharedThing
from pillars.draft.model import KINDS

PIL = rdflib.Namespace("https://w3id.org/pillars/ontology#")
OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
ACTOR = rdflib.Namespace("https://w3id.org/pillars/id/actor/")
SLUG = "small-text"
ART = rdflib.Namespace(f"https://w3id.org/pillars/id/{SLUG}/")


def drafted(
    text: str,
    shared: list[SharedThing] | None = None,
    sections: list[Section] | None = None,
    kinds: tuple[str, ...] = KINDS,
) -> tuple[Draft, rdflib.Graph]:
    article = Article(SLUG, Path("/nonexistent"), text, sections or [], shared or [])
    draft = draft_article(article, kinds)
    return draft, rdflib.Graph().parse(data=draft.text, format="turtle")


def exact_of(graph: rdflib.Graph, resource: rdflib.term.Node) -> str:
    evidence = graph.value(resource, PIL.hasEvidence)
    return str(graph.value(evidence, OA.exact))

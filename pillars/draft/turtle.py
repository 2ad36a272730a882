"""The Turtle of draft.ttl: deterministic (the same text gives the same bytes), readable, and
following the vocabulary contract of NOTES.md and its IRI naming.

Resources come kind by kind (claims, citations and their sources, quantities, events,
mentions), each in text order and followed by its evidence blocks. Every resource and every
evidence block carries `pil:draft true`. Names that the article's other files already use
are never reused: a drafted IRI never merges with a curated one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from pillars.anchor import anchor_at, turtle_string
from pillars.draft.inputs import Article
from pillars.draft.model import (
    CitationFound,
    DateFound,
    FigureFound,
    MentionFound,
    SentenceFound,
    Span,
    kebab,
)
from pillars.namespaces import ID

_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?")
_PREFIXES = {
    "pil": "https://w3id.org/pillars/ontology#",
    "art": None,  # the article's own namespace
    "actor": f"{ID}actor/",
    "place": f"{ID}place/",
    "event": f"{ID}event/",
    "oa": "http://www.w3.org/ns/oa#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
CLAIM_WORDS = 6  # words of a sentence in its claim's IRI


@dataclass
class Found:
    """Everything the finders returned, in text order; empty lists for kinds not drafted."""

    sentences: list[SentenceFound] = field(default_factory=list)
    citations: list[CitationFound] = field(default_factory=list)
    figures: list[FigureFound] = field(default_factory=list)
    dates: list[DateFound] = field(default_factory=list)
    mentions: list[MentionFound] = field(default_factory=list)


@dataclass
class Written:
    """The Turtle body (without its seal) and how many resources of each kind it holds."""

    body: str
    counts: dict[str, int]
    anchors: list[tuple[str, int, int]]  # every evidence's quote and offsets, for checking


class _Names:
    """Fresh local names: never one the article's other files use, never one twice."""

    def __init__(self, used: set[str]) -> None:
        self.used = set(used)

    def fresh(self, base: str, numbered: bool = False) -> str:
        n = 1
        name = f"{base}-1" if numbered else base
        while name in self.used:
            n += 1
            name = f"{base}-{n}"
        self.used.add(name)
        return name


class _Labels:
    """Labels no other resource has: the shapes want one label per thing of a class, and a
    drafted quantity must not take the label of a curated one ("two arms deals" (2))."""

    def __init__(self, used: set[str]) -> None:
        self.used = set(used)

    def fresh(self, label: str) -> str:
        n, fresh = 1, label
        while fresh in self.used:
            n += 1
            fresh = f"{label} ({n})"
        self.used.add(fresh)
        return fresh


class _Writer:
    def __init__(self, article: Article) -> None:
        self.article = article
        self.names = _Names(article.used_names)
        self.labels = _Labels(article.used_labels)
        self.out: list[str] = []
        self.anchors: list[tuple[str, int, int]] = []

    def block(self, subject: str, rdf_type: str, lines: list[str]) -> None:
        body = [f"    {line}" for line in ["pil:draft true", *lines]]
        self.out.append(f"{subject} a {rdf_type} ;\n" + " ;\n".join(body) + " .\n")

    def evidence(self, name: str, span: Span) -> str:
        anchor = anchor_at(self.article.text, span.start, span.end)
        lines = [
            f"oa:exact {turtle_string(anchor.exact)}",
            f"oa:prefix {turtle_string(anchor.prefix)}",
            f"oa:suffix {turtle_string(anchor.suffix)}",
            f"oa:start {anchor.start}",
            f"oa:end {anchor.end}",
            "pil:inText art:text",
        ]
        section = self.article.section_at(span.start)
        if section is not None:
            lines.append(f"pil:inSection {self.term(section.iri)}")
        self.block(f"art:{name}", "pil:Evidence", lines)
        self.anchors.append((anchor.exact, anchor.start, anchor.end))
        return f"art:{name}"

    def term(self, iri: str) -> str:
        for prefix, namespace in _PREFIXES.items():
            namespace = namespace or self.article.namespace
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and _LOCAL.fullmatch(local):
                return f"{prefix}:{local}"
        return f"<{iri}>"

    def heading(self, title: str) -> None:
        self.out.append(f"# {'-' * 64} {title}\n")


def write(article: Article, found: Found, claims_wanted: bool) -> Written:
    """The body of draft.ttl. `claims_wanted`: a claim for every sentence, else only for the
    sentences that a drafted citation is cited for."""
    w = _Writer(article)
    sentence_claim = _claims(w, found, claims_wanted)
    sources = _citations(w, found.citations, found.sentences, sentence_claim)
    quantities = _quantities(w, found.figures)
    events = _events(w, found.dates)
    things = _mentions(w, found.mentions)
    counts = {
        "sentences": len(set(sentence_claim.values())),
        "citations": len(found.citations),
        "works": sources,
        "figures": quantities,
        "dates": events,
        "mentions": len(found.mentions),
        "things": things,
    }
    return Written(_header(article, w) + "\n".join(w.out), counts, w.anchors)


def _header(article: Article, w: _Writer) -> str:
    used = " ".join(w.out)
    lines = [
        f"# Drafted by `pillars draft {article.slug}` from text.txt: suggestions, not the",
        "# curated encoding. Everything here is marked pil:draft true until an editor accepts",
        "# it (the studio moves accepted statements to studio.ttl without that mark).",
        "# Do not edit this file: `pillars draft` replaces it, and refuses to while it is edited",
        "# (the seal above no longer matches) unless given --force.",
        "",
    ]
    for prefix, namespace in _PREFIXES.items():
        if prefix in ("actor", "place", "event") and f"{prefix}:" not in used:
            continue
        lines.append(f"@prefix {prefix}: <{namespace or article.namespace}> .")
    return "\n".join(lines) + "\n\n"


def _claims(w: _Writer, found: Found, every: bool) -> dict[int, str]:
    """A claim per distinct sentence (a sentence repeated word for word is one claim with
    an evidence block per occurrence); the map gives each sentence's claim by index."""
    cited = {_sentence_of(found.sentences, c.span) for c in found.citations}
    wanted = [i for i in range(len(found.sentences)) if every or i in cited]
    if wanted:
        w.heading("Candidate claims: one per sentence of the body")
    by_text: dict[str, str] = {}
    evidences: dict[str, list[tuple[str, Span]]] = {}
    claim_of: dict[int, str] = {}
    for i in wanted:
        sentence = found.sentences[i]
        if sentence.text not in by_text:
            words = " ".join(re.findall(r"[A-Za-z0-9]+", sentence.text)[:CLAIM_WORDS])
            by_text[sentence.text] = w.names.fresh(f"claim-{kebab(words) or 'sentence'}")
        name = claim_of[i] = by_text[sentence.text]
        blocks = evidences.setdefault(name, [])
        ev = f"ev-{name}" if not blocks else f"ev-{name}-{len(blocks) + 1}"
        blocks.append((w.names.fresh(ev), sentence.span))
    for i in wanted:
        name = claim_of[i]
        if name not in evidences:
            continue  # a repeated sentence: written with its first occurrence
        blocks = evidences.pop(name)
        w.block(
            f"art:{name}",
            "pil:Claim",
            [
                f"rdfs:label {turtle_string(w.labels.fresh(found.sentences[i].text))}@en",
                "pil:hasEvidence " + " , ".join(f"art:{ev}" for ev, _ in blocks),
            ],
        )
        for ev, span in blocks:
            w.evidence(ev, span)
    return claim_of


def _sentence_of(sentences: list[SentenceFound], span: Span) -> int | None:
    for i, sentence in enumerate(sentences):
        if sentence.span.start <= span.start < sentence.span.end:
            return i
    return None


def _citations(
    w: _Writer,
    citations: list[CitationFound],
    sentences: list[SentenceFound],
    claim_of: dict[int, str],
) -> int:
    """Citations in text order, then the works they cite; returns how many works drafted."""
    if not citations:
        return 0
    w.heading("Citations and the works they cite")
    times = Counter(c.work for c in citations)
    sources: dict[str, str] = {}  # work label -> term
    drafted: list[CitationFound] = []
    for c in citations:
        key = f"{kebab(c.authors)}-{c.year}{c.suffix}"
        if c.work not in sources:
            curated = w.article.curated_sources.get(c.work)
            if curated is not None:
                sources[c.work] = f"art:{curated}"
            else:
                sources[c.work] = f"art:{w.names.fresh(f'source-{key}')}"
                drafted.append(c)
        name = w.names.fresh(f"cite-{key}", numbered=times[c.work] > 1)
        lines = [
            f"rdfs:label {turtle_string(w.article.text[c.span.start : c.span.end])}@en",
            f"pil:citesWork {sources[c.work]}",
        ]
        if c.page:
            lines.append(f"pil:pageLocator {turtle_string(c.page)}")
        sentence = _sentence_of(sentences, c.span)
        if sentence is not None and sentence in claim_of:
            lines.append(f"pil:citedFor art:{claim_of[sentence]}")
        ev = w.names.fresh(f"ev-{name}")
        w.block(f"art:{name}", "pil:Citation", [*lines, f"pil:hasEvidence art:{ev}"])
        w.evidence(ev, c.span)
    for c in drafted:
        lines = [
            f"rdfs:label {turtle_string(c.work)}",
            f"pil:authorString {turtle_string(c.authors)}",
            f'pil:year "{c.year}"^^xsd:gYear',
        ]
        if c.suffix:
            lines.append(f"pil:yearSuffix {turtle_string(c.suffix)}")
        w.block(sources[c.work], "pil:Source", lines)
    return len(drafted)


def decimal_literal(value: Decimal) -> str:
    """A Turtle decimal: 705000000.0, 2.5 (never an integer token, which is xsd:integer)."""
    text = format(value.normalize(), "f")
    return text if "." in text else f"{text}.0"


def _quantities(w: _Writer, figures: list[FigureFound]) -> int:
    if figures:
        w.heading("Figures")
    for f in figures:
        name = w.names.fresh(f"quantity-{kebab(f.figure) or 'figure'}")
        lines = [
            f"rdfs:label {turtle_string(w.labels.fresh(f.figure))}@en",
            f"pil:numericValue {decimal_literal(f.value)}",
            f"pil:unit {turtle_string(f.unit)}",
        ]
        if f.qualifier:
            lines.append(f"pil:qualifier {turtle_string(f.qualifier)}")
        lines.append(f"pil:measures {turtle_string(f.measures)}")
        ev = w.names.fresh(f"ev-{name}")
        w.block(f"art:{name}", "pil:Quantity", [*lines, f"pil:hasEvidence art:{ev}"])
        w.evidence(ev, f.span)
    return len(figures)


def _events(w: _Writer, dates: list[DateFound]) -> int:
    if dates:
        w.heading("Candidate events: the dates the text gives")
    for d in dates:
        name = w.names.fresh(f"event-{kebab(d.as_given)}")
        label = w.labels.fresh(f"Event dated {d.as_given}")
        lines = [
            f"rdfs:label {turtle_string(label)}@en",
            f"pil:dateAsGiven {turtle_string(d.as_given)}",
        ]
        if d.start_year:
            lines.append(f'pil:startYear "{d.start_year}"^^xsd:gYear')
        if d.end_year:
            lines.append(f'pil:endYear "{d.end_year}"^^xsd:gYear')
        ev = w.names.fresh(f"ev-{name}")
        w.block(f"art:{name}", "pil:Event", [*lines, f"pil:hasEvidence art:{ev}"])
        w.evidence(ev, d.span)
    return len(dates)


def _mentions(w: _Writer, mentions: list[MentionFound]) -> int:
    """`actor:iran pil:hasEvidence art:ev-mention-iran-3 .` and the block, per mention."""
    if mentions:
        w.heading("Mentions of actors, places and events of instances/shared/")
    locals_by_kind: dict[str, set[str]] = {}
    for m in mentions:
        locals_by_kind.setdefault(m.iri.rsplit("/", 1)[-1], set()).add(m.kind)
    seen: Counter[str] = Counter()
    for m in mentions:
        local = m.iri.rsplit("/", 1)[-1]
        key = kebab(local) if len(locals_by_kind[local]) == 1 else f"{m.kind}-{kebab(local)}"
        seen[key] += 1
        ev = w.names.fresh(f"ev-mention-{key}-{seen[key]}")
        w.out.append(f"{w.term(m.iri)} pil:hasEvidence art:{ev} .\n")
        w.evidence(ev, m.span)
    return len({m.iri for m in mentions})

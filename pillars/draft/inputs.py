"""What the drafter reads: the article's text, its sections, the shared things it may
mention, and the names its other files already use.

Everything is read before anything is drafted, and every failure is a `DraftError` with one
line that names the file; nothing is written until all of it has been read.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from pillars.corpus import TEXT_FILE, CorpusError, parse_turtle
from pillars.namespaces import ID, OA, PIL, SHARED_SLUG, article_graph

DRAFT_FILE = "draft.ttl"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SHARED_KINDS = ("actor", "place", "event")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # as `pillars new-article` makes them


class DraftError(Exception):
    """Bad input for the drafter: one line that says what and where; nothing was written."""


@dataclass(frozen=True)
class Section:
    iri: str  # full IRI
    number: int
    label: str
    start: int  # where its heading line (its evidence) starts


@dataclass(frozen=True)
class SharedThing:
    iri: str
    kind: str  # "actor", "place" or "event"
    names: tuple[str, ...]  # rdfs:label first, then skos:altLabel, as written


@dataclass
class Article:
    slug: str
    folder: Path
    text: str
    sections: list[Section] = field(default_factory=list)
    shared: list[SharedThing] = field(default_factory=list)
    used_names: set[str] = field(default_factory=set)  # art: local names other files declare
    used_labels: set[str] = field(default_factory=set)  # rdfs:label values other files give
    curated_sources: dict[str, str] = field(default_factory=dict)  # label -> local name

    @property
    def namespace(self) -> str:
        return f"{ID}{self.slug}/"

    @property
    def draft_path(self) -> Path:
        return self.folder / DRAFT_FILE

    def section_at(self, offset: int) -> Section | None:
        return section_at(self.sections, offset)


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The section a passage starting at `offset` lies in: the last heading at or before it
    (sections in text order; a subsection's heading ends its parent's range)."""
    at = bisect.bisect_right([s.start for s in sections], offset) - 1
    return sections[at] if at >= 0 else None


def article_sections(folder: Path) -> list[Section]:
    """The sections the Turtle files of instances/<slug>/ declare (draft.ttl aside)."""
    return sections_of(_article_triples(folder), f"{ID}{folder.name}/")


def read_article(root: Path, slug: str) -> Article:
    """Read instances/<slug>/ of the corpus at `root` and instances/shared/."""
    instances = root / "instances"
    folder = instances / slug
    if not _SLUG.fullmatch(slug):
        raise DraftError(f"{slug!r} is not an article slug (lower-case letters, digits, hyphens)")
    if slug == SHARED_SLUG or not folder.is_dir():
        known = (
            sorted(p.name for p in instances.iterdir() if p.is_dir() and p.name != SHARED_SLUG)
            if instances.is_dir()
            else []
        )
        raise DraftError(
            f"no article folder {slug!r} in {instances} (known: {', '.join(known) or 'none'})"
        )
    article = Article(slug, folder, read_text(folder / TEXT_FILE))
    triples = _article_triples(folder)
    article.sections = sections_of(triples, article.namespace)
    article.used_names = {
        t.subject[len(article.namespace) :]
        for t in triples
        if t.subject.startswith(article.namespace)
    }
    article.used_labels = {t.object for t in triples if t.predicate == RDFS_LABEL and t.literal}
    article.curated_sources = _curated_sources(triples, article.namespace)
    article.shared = shared_things(instances / SHARED_SLUG)
    return article


def read_text(path: Path) -> str:
    if not path.is_file():
        raise DraftError(
            f"{path.parent} has no {TEXT_FILE}: start the article with `pillars new-article`"
        )
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        raise DraftError(
            f"{path} is not UTF-8 text (byte {err.start} cannot be decoded); "
            "convert it to UTF-8 first"
        ) from err
    except OSError as err:
        raise DraftError(f"cannot read {path}: {err.strerror}") from err


@dataclass(frozen=True)
class _Triple:
    """A statement as plain strings (IRIs, blank node ids, lexical forms)."""

    subject: str
    predicate: str
    object: str
    literal: bool


def _article_triples(folder: Path) -> list[_Triple]:
    """Every file of the folder except the draft itself (which is about to be replaced)."""
    triples: list[_Triple] = []
    for path in sorted(folder.rglob("*.ttl")):
        if path.name == DRAFT_FILE and path.parent == folder:
            continue
        triples.extend(_parse(path))
    return triples


def _parse(path: Path) -> list[_Triple]:
    try:
        quads = parse_turtle(path, article_graph(path.parent.name))
    except CorpusError as err:
        raise DraftError(str(err)) from err
    return [
        _Triple(
            q.subject.value, q.predicate.value, q.object.value, isinstance(q.object, ox.Literal)
        )
        for q in quads
        if not isinstance(q.subject, ox.Triple) and not isinstance(q.object, ox.Triple)
    ]


def sections_of(triples: list[_Triple], namespace: str) -> list[Section]:
    """The article's sections, by the start of their heading evidence, in text order."""
    by_subject: dict[str, dict[str, list[str]]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, {}).setdefault(t.predicate, []).append(t.object)
    found: list[Section] = []
    for iri, props in by_subject.items():
        if PIL + "Section" not in props.get(RDF_TYPE, []):
            continue
        starts = [
            int(start)
            for ev in props.get(PIL + "hasEvidence", [])
            for start in by_subject.get(ev, {}).get(OA + "start", [])
            if start.isdigit()
        ]
        if not starts or not iri.startswith(namespace):
            continue
        labels = props.get(RDFS_LABEL, [])
        numbers = props.get(PIL + "sectionNumber", [])
        number = int(numbers[0]) if numbers and numbers[0].isdigit() else 0
        found.append(Section(iri, number, labels[0] if labels else "", min(starts)))
    return sorted(found, key=lambda s: (s.start, s.number))


def _curated_sources(triples: list[_Triple], namespace: str) -> dict[str, str]:
    """Works the other files declare, by label: a drafted citation cites them."""
    sources = {t.subject for t in triples if t.predicate == RDF_TYPE and t.object == PIL + "Source"}
    return {
        t.object: t.subject[len(namespace) :]
        for t in triples
        if t.subject in sources and t.predicate == RDFS_LABEL and t.subject.startswith(namespace)
    }


def shared_things(folder: Path) -> list[SharedThing]:
    """Actors, places and events of instances/shared/ with their labels, in IRI order."""
    names: dict[str, list[tuple[int, str]]] = {}
    if folder.is_dir():
        for path in sorted(folder.glob("*.ttl")):
            for t in _parse(path):
                rank = {RDFS_LABEL: 0, SKOS_ALT: 1}.get(t.predicate)
                if rank is not None and t.literal and _kind(t.subject) is not None:
                    names.setdefault(t.subject, []).append((rank, t.object))
    return [
        SharedThing(iri, _kind(iri) or "", tuple(dict.fromkeys(n for _, n in sorted(found))))
        for iri, found in sorted(names.items())
    ]


def _kind(iri: str) -> str | None:
    for kind in SHARED_KINDS:
        if iri.startswith(f"{ID}{kind}/"):
            return kind
    return None

"""The corpus as the studio holds it while it runs: vocabulary, shared things, checks, undo.

One lock serialises every write (and the check it runs), so two tabs saving at once write
one after the other, each on the other's result.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from pillars.check import shacl
from pillars.namespaces import SHARED_SLUG
from pillars.studio import vocab
from pillars.studio.article import (
    ALT_LABEL,
    PREF_LABEL,
    Article,
    article_folders,
    load_article,
    read_file,
)
from pillars.studio.check import ArticleCheck, load_context
from pillars.studio.turtle import RDF_TYPE, RDFS_LABEL, val

UNDO_DEPTH = 50  # writes remembered per article while the studio runs


@dataclass(frozen=True)
class FileState:
    path: Path
    before: bytes | None  # None: the file did not exist
    after: bytes | None


@dataclass
class Shared:
    """Types and names of the shared vocabulary (actors, places, events, concepts)."""

    types: dict[str, set[str]]
    labels: dict[str, str]
    alt_labels: dict[str, list[str]]
    files: dict[str, str]  # iri -> file (relative to the root) that types it


@dataclass
class Workspace:
    root: Path
    vocabulary: vocab.Vocabulary
    context: shacl.Context
    lock: threading.RLock = field(default_factory=threading.RLock)
    checks: dict[str, ArticleCheck] = field(default_factory=dict)
    undo: dict[str, list[list[FileState]]] = field(default_factory=dict)
    base_signature: tuple[tuple[str, int, int], ...] = ()

    @classmethod
    def open(cls, root: Path) -> Workspace:
        root = root.resolve()
        ontology = sorted((root / "ontology").glob("*.ttl"))
        shapes = sorted((root / "shapes").glob("*.ttl"))
        workspace = cls(root, vocab.load(ontology, shapes), load_context(root))
        workspace.base_signature = _base_signature(root)
        return workspace

    def slugs(self) -> list[str]:
        return [p.name for p in article_folders(self.root) if p.name != SHARED_SLUG]

    def article(self, slug: str) -> Article:
        return load_article(self.root, slug)

    def check(self, slug: str) -> ArticleCheck:
        """The article's check, against the shared vocabulary and shapes as they are now
        (an edit of instances/shared/ or shapes/ while the studio runs is picked up)."""
        now = _base_signature(self.root)
        if now != self.base_signature:
            ontology = sorted((self.root / "ontology").glob("*.ttl"))
            shapes = sorted((self.root / "shapes").glob("*.ttl"))
            self.vocabulary = vocab.load(ontology, shapes)
            self.context = load_context(self.root)
            self.base_signature = now
            self.checks.clear()
        if slug not in self.checks:
            self.checks[slug] = ArticleCheck(self.context)
        return self.checks[slug]

    def shared(self) -> Shared:
        found = Shared({}, {}, {}, {})
        for path in sorted((self.root / "instances" / SHARED_SLUG).glob("*.ttl")):
            for t in read_file(path).triples:
                _note(found, t, str(path.relative_to(self.root)))
        return found

    def push_undo(self, slug: str, states: list[FileState]) -> None:
        stack = self.undo.setdefault(slug, [])
        stack.append(states)
        del stack[:-UNDO_DEPTH]


def _base_signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Size and time of the ontology, shapes and shared files: what every check rests on."""
    found = []
    for part in ("ontology", "shapes", f"instances/{SHARED_SLUG}"):
        for path in sorted((root / part).glob("*.ttl")):
            stat = path.stat()
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def _note(found: Shared, t: ox.Triple, where: str) -> None:
    s, p, o = val(t.subject), t.predicate.value, t.object
    if p == RDF_TYPE:
        found.types.setdefault(s, set()).add(val(o))
        found.files.setdefault(s, where)
    elif p in (RDFS_LABEL, PREF_LABEL) and isinstance(o, ox.Literal):
        found.labels.setdefault(s, o.value)
    elif p == ALT_LABEL and isinstance(o, ox.Literal):
        found.alt_labels.setdefault(s, []).append(o.value)

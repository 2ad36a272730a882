"""Name resources the way editors write them, and find the file and line that define them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from pillars.namespaces import ID, PREFIXES

# Kinds of shared resources (DESIGN.md, "Identifiers"); any other id/<x>/ is an article slug.
SHARED_KINDS = ("actor", "place", "event", "threat-type", "limit-type", "journal")
SHAPES_NS = "https://w3id.org/pillars/shapes#"
_IRI = re.compile(r"https?://[^\s\"'<>(),]+")
_PREFIX_LINE = re.compile(r"@prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)


def short(iri: str) -> str:
    """actor:iran, art:claim-x, pil:Threat, pilsh:ThreatShape; anything else unchanged."""
    if iri.startswith(SHAPES_NS):
        return "pilsh:" + iri[len(SHAPES_NS) :]
    if iri.startswith(ID):
        kind, _, local = iri[len(ID) :].partition("/")
        if local and "/" not in local:
            return f"{kind}:{local}" if kind in SHARED_KINDS else f"art:{local}"
    for prefix, namespace in PREFIXES.items():
        if prefix != "id" and iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def shorten_all(text: str) -> str:
    return _IRI.sub(lambda m: short(m.group(0)), text)


@dataclass
class SubjectIndex:
    """Which file (and line) defines each subject IRI; built on first use."""

    files: Sequence[Path]
    _where: dict[str, tuple[str, int | None]] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, files: Sequence[Path]) -> SubjectIndex:
        return cls(tuple(files))

    def _table(self) -> dict[str, tuple[str, int | None]]:
        if self._where is None:
            self._where = {}
            for path in self.files:
                self._index_file(path)
        return self._where

    def _index_file(self, path: Path) -> None:
        assert self._where is not None
        try:
            data = path.read_bytes()
            triples = ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
            subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
        except (OSError, SyntaxError):
            return
        lines = data.decode("utf-8", errors="replace").splitlines()
        prefixes = dict(_PREFIX_LINE.findall("\n".join(lines[:200])))
        for subject in subjects:
            if subject not in self._where:
                self._where[subject] = (str(path), _line_of(subject, lines, prefixes))

    def locate(self, iri: str) -> tuple[str, int | None] | None:
        return self._table().get(iri)

    def subjects(self) -> Iterator[str]:
        return iter(self._table())

    def with_subjects(self, subjects: Iterable[str], where: str) -> SubjectIndex:
        """A copy that also knows `subjects`, defined at `where` (no file, no line)."""
        table = dict(self._table())
        table.update((s, (where, None)) for s in subjects if s not in table)
        return SubjectIndex(self.files, table)

    def __contains__(self, iri: object) -> bool:
        return iri in self._table()


def _line_of(iri: str, lines: Sequence[str], prefixes: dict[str, str]) -> int | None:
    """The first line where the subject starts a statement (written in full or prefixed)."""
    forms = [f"<{iri}>"]
    for prefix, namespace in prefixes.items():
        if namespace and iri.startswith(namespace):
            forms.append(f"{prefix}:{iri[len(namespace) :]}")
    for number, line in enumerate(lines, start=1):
        for form in forms:
            if line.startswith(form) and line[len(form) : len(form) + 1] in (" ", "\t", ""):
                return number
    return None

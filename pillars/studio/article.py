"""One article as the studio sees it: its text, the triples of each of its files, and what
they say (types, labels, evidence, drafts, who owns each resource).

Files are re-read only when their size or modification time changes, so an edit made by hand
in another window is seen at the next request, and a request on an unchanged article costs
no parsing.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox

from pillars.corpus import TEXT_FILE, CorpusError, parse_turtle
from pillars.namespaces import ID, OA, PIL, article_text_iri
from pillars.stats import Sentence, split_body
from pillars.studio.turtle import EVIDENCE, HAS_EVIDENCE, RDF_TYPE, RDFS_LABEL, val

STUDIO_FILE = "studio.ttl"
DRAFT_FILE = "draft.ttl"
OWNED_FILES = (STUDIO_FILE, DRAFT_FILE)
DRAFT = PIL + "draft"
SECTION = PIL + "Section"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"


class NotFound(LookupError):
    """No such article, resource or draft; the message names it."""


@dataclass(frozen=True)
class ParsedFile:
    path: Path
    signature: tuple[int, int]  # (mtime_ns, size): re-read when either changes
    triples: tuple[ox.Triple, ...]
    quads: tuple[ox.Quad, ...]  # the same, in the default graph (for a check's store)


_CACHE: dict[Path, ParsedFile] = {}
_CACHE_LOCK = threading.Lock()


def signature(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return (stat.st_mtime_ns, stat.st_size)


def read_file(path: Path) -> ParsedFile:
    """The file's triples (cached by signature); CorpusError with line and column if broken."""
    sig = signature(path)
    with _CACHE_LOCK:
        hit = _CACHE.get(path)
    if hit is not None and hit.signature == sig:
        return hit
    quads = parse_turtle(path, "urn:x-pillars:studio")
    return remember(path, [ox.Triple(q.subject, q.predicate, q.object) for q in quads], sig)


def remember(
    path: Path, triples: list[ox.Triple], sig: tuple[int, int] | None = None
) -> ParsedFile:
    """Cache `triples` as the content of `path` (the studio just wrote and verified them)."""
    default = ox.DefaultGraph()
    parsed = ParsedFile(
        path,
        sig or signature(path),
        tuple(triples),
        tuple(ox.Quad(t.subject, t.predicate, t.object, default) for t in triples),
    )
    with _CACHE_LOCK:
        _CACHE[path] = parsed
    return parsed


@dataclass(frozen=True)
class EvidenceBlock:
    iri: str
    start: int
    end: int
    exact: str
    file: str  # the file's name in the article folder


@dataclass
class Article:
    slug: str
    folder: Path
    text: str
    files: dict[str, ParsedFile]  # file name -> parsed, in name order
    errors: list[CorpusError] = field(default_factory=list)

    @property
    def namespace(self) -> str:
        return f"{ID}{self.slug}/"

    @property
    def text_iri(self) -> str:
        return article_text_iri(self.slug)

    def triples(self, name: str | None = None) -> list[ox.Triple]:
        if name is not None:
            parsed = self.files.get(name)
            return list(parsed.triples) if parsed else []
        return [t for parsed in self.files.values() for t in parsed.triples]

    def types(self) -> dict[str, set[str]]:
        return self._types

    @cached_property
    def _types(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for t in self.triples():
            if t.predicate.value == RDF_TYPE and isinstance(t.subject, ox.NamedNode):
                found.setdefault(val(t.subject), set()).add(val(t.object))
        return found

    @cached_property
    def _defined(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name, parsed in self.files.items():
            for t in parsed.triples:
                if t.predicate.value == RDF_TYPE:
                    files = found.setdefault(val(t.subject), [])
                    if name not in files:
                        files.append(name)
        return found

    def defined_in(self, iri: str) -> list[str]:
        """The files that type `iri` (its definition), in name order."""
        return self._defined.get(iri, [])

    def drafts(self) -> set[str]:
        return self._drafts

    @cached_property
    def _drafts(self) -> set[str]:
        return {
            val(t.subject)
            for t in self.triples(DRAFT_FILE)
            if t.predicate.value == DRAFT and val(t.object) == "true"
        }

    def owner(self, iri: str) -> str | None:
        """'studio', 'draft', 'hand' (a hand-written file types it) or None (not typed here)."""
        files = self.defined_in(iri)
        if not files:
            return None
        if any(f not in OWNED_FILES for f in files):
            return "hand"
        return "draft" if iri in self.drafts() and DRAFT_FILE in files else "studio"

    def locate(self, iri: str, name: str) -> int | None:
        """The line of file `name` where `iri` starts a statement (best effort)."""
        parsed = self.files.get(name)
        if parsed is None:
            return None
        starts, prefixes = _line_table(parsed)
        for prefix, namespace in prefixes.items():
            if iri.startswith(namespace):
                line = starts.get(f"{prefix}:{iri[len(namespace) :]}")
                if line:
                    return line
        return starts.get(f"<{iri}>")

    def evidence(self) -> dict[str, EvidenceBlock]:
        return self._evidence

    @cached_property
    def _evidence(self) -> dict[str, EvidenceBlock]:
        values: dict[str, dict[str, str]] = {}
        origin: dict[str, str] = {}
        for name, parsed in self.files.items():
            for t in parsed.triples:
                if t.predicate.value in (OA + "start", OA + "end", OA + "exact"):
                    values.setdefault(val(t.subject), {})[t.predicate.value] = val(t.object)
                    origin.setdefault(val(t.subject), name)
        blocks: dict[str, EvidenceBlock] = {}
        for iri, v in values.items():
            try:
                start, end = int(v[OA + "start"]), int(v[OA + "end"])
            except (KeyError, ValueError):
                continue  # a broken block: the quote check reports it
            blocks[iri] = EvidenceBlock(iri, start, end, v.get(OA + "exact", ""), origin[iri])
        return blocks

    def sections(self) -> list[dict[str, object]]:
        return self._sections

    @cached_property
    def _sections(self) -> list[dict[str, object]]:
        """Each section with its heading's span and its extent (to the next heading)."""
        types = self.types()
        labels = self.labels()
        evidence = self.evidence()
        parent: dict[str, str] = {}
        heads: dict[str, EvidenceBlock] = {}
        for t in self.triples():
            s = val(t.subject)
            if SECTION not in types.get(s, set()):
                continue
            if t.predicate.value == PIL + "subsectionOf":
                parent[s] = val(t.object)
            if t.predicate.value == HAS_EVIDENCE and val(t.object) in evidence:
                block = evidence[val(t.object)]
                if s not in heads or block.start < heads[s].start:
                    heads[s] = block
        ordered = sorted(heads.items(), key=lambda item: item[1].start)
        out: list[dict[str, object]] = []
        for n, (iri, block) in enumerate(ordered):
            end = ordered[n + 1][1].start if n + 1 < len(ordered) else len(self.text)
            label = labels.get(iri, "")
            level, up = 1, parent.get(iri)
            while up is not None and level < 6:
                level, up = level + 1, parent.get(up)
            out.append({
                "iri": iri, "label": label, "start": block.start, "end": end, "level": level,
                "heading": {"start": block.start, "end": block.end,
                            "in_text": block.exact.strip() == label.strip()},
            })  # fmt: skip
        return out

    def section_at(self, offset: int) -> str | None:
        found = None
        for section in self.sections():
            if int(section["start"]) <= offset:  # type: ignore[call-overload]
                found = str(section["iri"])
        return found

    def labels(self) -> dict[str, str]:
        return self._labels

    @cached_property
    def _labels(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for t in self.triples():
            if t.predicate.value == RDFS_LABEL and isinstance(t.object, ox.Literal):
                found.setdefault(val(t.subject), val(t.object))
        return found

    def coverage(self) -> dict[str, object]:
        """Sentences of the body (pillars stats' split) and which curated evidence covers."""
        headings = {str(s["label"]).strip() for s in self.sections()}
        sentences, _ = split_body(self.text, headings)
        drafts = self.drafts()
        spans = [(b.start, b.end, b.iri in drafts) for b in self.evidence().values()]
        uncovered: list[Sentence] = []
        by_drafts = 0
        for sentence in sentences:
            hits = [d for s, e, d in spans if s < sentence.end and e > sentence.start]
            if not hits or all(hits):
                uncovered.append(sentence)
                by_drafts += 1 if hits else 0
        covered = len(sentences) - len(uncovered)
        return {
            "sentences": len(sentences),
            "covered": covered,
            "percent": round(100.0 * covered / len(sentences), 1) if sentences else 0.0,
            "covered_by_drafts_only": by_drafts,
            "uncovered": [{"start": s.start, "end": s.end} for s in uncovered],
        }


_PREFIX_LINE = re.compile(r"@prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_LINES: dict[Path, tuple[tuple[int, int], dict[str, int], dict[str, str]]] = {}


def _line_table(parsed: ParsedFile) -> tuple[dict[str, int], dict[str, str]]:
    """First line of each statement's subject token, and the file's prefixes (one scan)."""
    hit = _LINES.get(parsed.path)
    if hit is not None and hit[0] == parsed.signature:
        return hit[1], hit[2]
    starts: dict[str, int] = {}
    prefixes: dict[str, str] = {}
    text = parsed.path.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line or line[0] in " \t#":
            continue
        match = _PREFIX_LINE.match(line)
        if match:
            prefixes[match.group(1) or ""] = match.group(2)
            continue
        starts.setdefault(line.split(None, 1)[0], number)
    _LINES[parsed.path] = (parsed.signature, starts, prefixes)
    return starts, prefixes


def article_folders(root: Path) -> list[Path]:
    instances = root / "instances"
    if not instances.is_dir():
        return []
    return sorted(p for p in instances.iterdir() if p.is_dir() and (p / TEXT_FILE).is_file())


def load_article(root: Path, slug: str) -> Article:
    folder = root / "instances" / slug
    if "/" in slug or slug.startswith(".") or not (folder / TEXT_FILE).is_file():
        raise NotFound(f"no article {slug!r}: instances/{slug}/text.txt does not exist")
    text = (folder / TEXT_FILE).read_text(encoding="utf-8")
    files: dict[str, ParsedFile] = {}
    errors: list[CorpusError] = []
    for path in sorted(folder.glob("*.ttl")):
        try:
            files[path.name] = read_file(path)
        except CorpusError as err:
            errors.append(err)
    return Article(slug, folder, text, files, errors)


def is_evidence(types: dict[str, set[str]], iri: str) -> bool:
    return EVIDENCE in types.get(iri, set())

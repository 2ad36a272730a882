"""Remember articles that passed, so an unchanged article is not validated again.

The key of an entry hashes everything the result depends on: the article's files (names and
bytes), its text, the checks that produced it and what they need (the shared vocabulary, the
ontology, the shapes, the Java or queries they run; see pillars.check.registry) and the
versions of the validating code. Change any of them and the key changes; nothing is ever
invalidated by hand. Only results without violations are stored (with their warnings, which
a warm run repeats), so a broken article is always validated afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pillars import __version__
from pillars.check import Finding

# Bump when the way findings are produced changes in a way the hashed files do not show.
CACHE_FORMAT = "1"


def default_cache_dir(root: Path) -> Path:
    """Under the repository's var/ (gitignored), next to the other run-time state."""
    return root / "var" / "check-cache"


def hash_files(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.resolve()).encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"<unreadable>")
        digest.update(b"\0")
    return digest.hexdigest()


def own_hash(files: Sequence[Path], text_file: Path | None) -> str:
    """The hash of one article's own files and text."""
    return hash_files([*files, *([text_file] if text_file is not None else [])])


def unit_key(base: str, own: str) -> str:
    """The key of one article: `base` (the checks, their versions and the files behind what
    they need: ontology, shapes, shared vocabulary) plus `own_hash` of the article."""
    return hashlib.sha256(f"{base}:{own}".encode()).hexdigest()


def versions() -> str:
    """The versions of the validating code, part of every key."""
    from importlib.metadata import version

    return f"{CACHE_FORMAT}:{__version__}:{version('pyshacl')}:{version('pyoxigraph')}"


@dataclass(frozen=True)
class Cache:
    folder: Path

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> list[Finding] | None:
        try:
            rows = json.loads(self._path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        try:
            return [Finding(**row) for row in rows]
        except TypeError:  # written by another version of Finding: treat as a miss
            return None

    def put(self, key: str, findings: Sequence[Finding]) -> None:
        if any(f.severity == "Violation" for f in findings):
            return
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so parallel runs never read half an entry.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump([f.as_dict() for f in findings], out)
        os.replace(tmp, path)

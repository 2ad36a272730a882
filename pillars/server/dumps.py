"""Dump files: each dump serialised once to a file, then sent from it.

Serialising the whole store per request held the whole TriG document in memory (hundreds
of MB for 1,000 articles) for every download. The served data does not change while it is
served, so each dump is written once, streamed by Oxigraph to a file (memory stays bounded),
and every request after that is a file send with ETag, Content-Length and Range.

Where: a `pillars-dumps/` folder inside an on-disk store (`pillars load` replaces the whole
store folder, so a reload never meets old dumps), else a temporary folder of this process,
removed at exit. Two requests for a dump not yet written build it once: a lock per dump in
the process, and a file lock across the processes (gunicorn workers) sharing the folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import tempfile
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pillars.files import write_atomically
from pillars.store import StoreSource

FOLDER = "pillars-dumps"
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class DumpFile:
    path: Path
    etag: str  # a hash of the content, equal in every process that serves it


class DumpCache:
    """Dump files in one folder; `file(name, write)` gives the file, writing it the first time."""

    def __init__(self, folder: Path, temporary: bool = False) -> None:
        self.folder = folder
        self.builds = 0  # dumps this process wrote (tests read it)
        self._done: dict[str, DumpFile] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        if temporary:
            weakref.finalize(self, shutil.rmtree, str(folder), True)

    @classmethod
    def for_source(cls, source: StoreSource) -> DumpCache:
        if source.path is not None:
            folder = Path(source.path) / FOLDER
            try:
                folder.mkdir(exist_ok=True)
                probe, name = tempfile.mkstemp(prefix=".probe-", dir=folder)
                os.close(probe)
                os.unlink(name)
                return cls(folder)
            except OSError:
                pass  # a store folder we may not write to: a temporary folder instead
        return cls(Path(tempfile.mkdtemp(prefix="pillars-dumps-")), temporary=True)

    def file(self, name: str, write: Callable[[IO[bytes]], None]) -> DumpFile:
        """The dump `name`, calling `write(file)` to produce it if no process has yet."""
        done = self._done.get(name)
        if done is not None:
            return done
        with self._guard:
            lock = self._locks.setdefault(name, threading.Lock())
        with lock:
            done = self._done.get(name)
            if done is None:
                done = self._done[name] = self._build(name, write)
            return done

    def _build(self, name: str, write: Callable[[IO[bytes]], None]) -> DumpFile:
        stem = name if _SAFE_NAME.fullmatch(name) else hashlib.sha256(name.encode()).hexdigest()
        path = self.folder / stem
        with open(self.folder / f".{stem}.lock", "wb") as lock_file:
            fcntl.flock(lock_file, fcntl.LOCK_EX)  # another worker may be writing it now
            if not path.is_file():
                write_atomically(path, write)
                self.builds += 1
        return DumpFile(path, _content_hash(path))


def _content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()[:32]

"""The result cache: repeated queries answered from memory, never stale.

The served data does not change while it is served, so a query's answer is a function of
(query text, dataset selection, output formats, row limit) and the store's generation. The
key is exactly that: the evaluator `Job` (which holds the query text, the formats, `max_rows`
and the dataset selection) plus a generation token that changes whenever the store does (see
`store_generation`). Only complete 200 answers are kept.

The cache is per process: each gunicorn worker has its own. Workers share nothing, so with
several workers a repeated query is computed once per worker before it is served from memory;
that costs a few evaluations, never a stale answer.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pillars.server.evaluator import Answer, Job
from pillars.store import MARKER, StoreSource

REMOTE_REUSE_SECONDS = 10  # see store_generation
# An answer larger than this share of the budget would push out many small ones; such
# answers (big dumps, wide CONSTRUCTs) are cheap to recompute relative to their size.
LARGEST_SHARE = 8


@dataclass(frozen=True)
class Entry:
    answer: Answer
    etag: str  # a strong validator: a hash of the body, quoted


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def store_generation(source: StoreSource) -> Callable[[], str]:
    """A cheap function whose value changes whenever the served store changes.

    An in-memory store is fixed for the life of the process, so its generation is a hash of
    its N-Quads. An on-disk store is rebuilt by `pillars load`, which rewrites the marker file
    last; its modification time and size change with every rebuild, and a `stat` costs a few
    microseconds per request.
    """
    if source.endpoint is not None:
        # A remote store changes when anyone pushes to it, and asking it costs a request:
        # answers are reused for REMOTE_REUSE_SECONDS at most.
        return lambda: f"remote:{int(time.time() // REMOTE_REUSE_SECONDS)}"
    if source.path is None:
        fixed = hashlib.blake2b(source.nquads or b"", digest_size=12).hexdigest()
        return lambda: fixed
    marker = Path(source.path) / MARKER

    def on_disk() -> str:
        try:
            st = marker.stat()
        except OSError:
            return "missing"
        return f"{st.st_mtime_ns}:{st.st_size}"

    return on_disk


class ResultCache:
    """A byte-bounded LRU map from (Job, generation) to answers. Thread-safe."""

    @classmethod
    def for_source(cls, max_bytes: int, source: StoreSource) -> ResultCache:
        """Off for a remote endpoint: its data may change without any sign we could see."""
        if getattr(source, "endpoint", None):
            return cls(0, lambda: "remote")
        return cls(max_bytes, store_generation(source))

    def __init__(self, max_bytes: int, generation: Callable[[], str]) -> None:
        self.max_bytes = max_bytes
        self.generation = generation
        self._entries: OrderedDict[tuple[Job, str], Entry] = OrderedDict()
        self._bytes = 0
        self._seen_generation = ""
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def _key(self, job: Job) -> tuple[Job, str]:
        gen = self.generation()
        if gen != self._seen_generation:
            # The store changed: every entry is for data no longer served.
            self._entries.clear()
            self._bytes = 0
            self._seen_generation = gen
        return (job, gen)

    def get(self, job: Job) -> Entry | None:
        if not self.enabled:
            return None
        with self._lock:
            key = self._key(job)
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, job: Job, answer: Answer) -> Entry:
        """Remember a 200 answer (if it fits); returns it with its ETag either way."""
        entry = Entry(answer, etag_of(answer.body))
        size = len(answer.body) + len(job.query)
        if not self.enabled or answer.status != 200 or size > self.max_bytes // LARGEST_SHARE:
            return entry
        with self._lock:
            key = self._key(job)
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.answer.body) + len(job.query)
            self._entries[key] = entry
            self._bytes += size
            while self._bytes > self.max_bytes:
                (old_job, _gen), dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped.answer.body) + len(old_job.query)
        return entry


def matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 If-None-Match: `*` or any listed tag (weak comparison) equals ours."""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    ours = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == ours for tag in if_none_match.split(","))

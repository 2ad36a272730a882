"""`pillars serve --reload`: development mode, the corpus served from memory and read again
whenever one of its files changes, without a restart.

A thread in each worker polls the corpus files (names, sizes and modification times) a few
times a second; no extra dependency, and a few hundred files cost well under a millisecond. A
change is parsed in full first: a file that does not parse leaves the last good corpus served,
and the log names the file, line and column. A good one becomes a new `AppState` (store,
evaluators, caches, word index) swapped in at once; requests already running finish on the
old one, whose evaluators are stopped once no query can still be using them.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from flask import Flask

from pillars.corpus import CorpusError, discover
from pillars.server.app import build_state
from pillars.server.pool import Zygote
from pillars.server.state import AppState, app_state, install
from pillars.store import StoreSource, memory_store

POLL_SECONDS = 0.25
WATCHED = ("ontology", "shapes", "instances")
WATCHED_SUFFIXES = (".ttl", ".txt")


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Every corpus file under `root` with its size and modification time, sorted."""
    found: list[tuple[str, int, int]] = []
    for top in WATCHED:
        for folder, dirs, files in os.walk(root / top):
            dirs[:] = [d for d in dirs if not d.startswith(".")]  # build folders, editors' temp
            for name in files:
                if name.endswith(WATCHED_SUFFIXES) and not name.startswith("."):
                    path = os.path.join(folder, name)
                    try:
                        info = os.stat(path)
                    except FileNotFoundError:
                        continue  # removed while we looked: the next poll sees it gone
                    found.append((path, info.st_size, info.st_mtime_ns))
    return tuple(sorted(found))


class CorpusWatcher:
    """Reloads `app`'s corpus from `root` when its files change (see the module's docstring)."""

    def __init__(self, app: Flask, root: Path, poll: float = POLL_SECONDS) -> None:
        self.app = app
        self.root = root
        self.poll = poll
        self.reloads = 0
        self._seen = fingerprint(root)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="corpus-watcher", daemon=True)
        self._spare: Zygote | None = None  # started ahead, waiting for the next corpus

    def start(self) -> None:
        self._thread.start()

    def _prepare_spare(self) -> None:
        # An interpreter takes 0.3 s to start, more on a busy machine: the next reload's
        # zygote is started now, so a reload costs the parse and the store's load only.
        self._spare = Zygote()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        self._prepare_spare()
        while not self._stop.wait(self.poll):
            now = fingerprint(self.root)
            if now != self._seen:
                self._seen = now
                self.reload()

    def reload(self) -> None:
        log = self.app.logger
        started = time.perf_counter()
        try:
            store = memory_store(discover(self.root), app_state(self.app).settings.entails)
        except CorpusError as err:
            log.error("reload: %s; still serving the last good corpus", err)
            return
        old = app_state(self.app)
        new = build_state(old.settings, store, StoreSource.of_memory(store))
        spare, self._spare = self._spare, None
        new.pool.start(spare)  # evaluators ready before the first request sees the new state
        install(self.app, new)
        self.reloads += 1
        took = time.perf_counter() - started
        log.warning("reload: corpus read again (%d quads) in %.2f s", len(store), took)
        threading.Thread(target=_retire, args=(old,), name="retire-state", daemon=True).start()
        self._prepare_spare()


def _retire(old: AppState) -> None:
    # A request that took the old state before the swap may still be waiting for one of its
    # evaluators; none can wait longer than the time limit.
    time.sleep(old.settings.query_timeout + 1)
    old.pool.close()

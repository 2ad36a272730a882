"""The quad store: Oxigraph embedded, in memory or on disk.

The server evaluates queries in separate processes (see `pillars.server.pool`), so a store is
described by a `StoreSource` that every process can open on its own: either the path of an
on-disk store (opened read-only, so any number of processes can share it) or the N-Quads of an
in-memory store (reloaded by each process from bytes, far faster than re-parsing Turtle).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from pillars.corpus import Corpus, GraphSource, discover, read_all, source_quads
from pillars.entailment import Subsumption
from pillars.namespaces import ONTOLOGY_GRAPH
from pillars.remote import RemoteStore
from pillars.store_interface import ReadStore, select

MARKER = "pillars-store.txt"  # written by `pillars load`, so `serve --store` knows the folder
STATS = "pillars-stats.json"  # triples per graph, counted once by `pillars load`
HTTP_GRACE_SECONDS = 1.0  # a remote store's HTTP timeout beyond the query time limit


class StoreError(Exception):
    """A store that cannot be opened or built; the message names the folder."""


def open_store(path: Path | None = None) -> ox.Store:
    """An in-memory store, or the on-disk store at `path` (created if missing)."""
    if path is None:
        return ox.Store()
    path.mkdir(parents=True, exist_ok=True)
    return ox.Store(str(path))


def load_corpus(store: ox.Store, corpus: Corpus | None = None, entail: bool = False) -> int:
    """Load every graph of the corpus (with what it entails if `entail`, see
    pillars/entailment.py); nothing is stored unless every file parses."""
    corpus = corpus or discover()
    parsed = list(read_all(corpus.sources))
    subsumption = _subsumption(parsed) if entail else None
    quads: list[ox.Quad] = []
    for source, asserted in parsed:
        quads.extend(asserted)
        if subsumption is not None:
            quads.extend(subsumption.entailed(asserted, source.graph))
    store.bulk_extend(quads)
    return len(quads)


def memory_store(corpus: Corpus | None = None, entail: bool = False) -> ox.Store:
    store = open_store()
    load_corpus(store, corpus, entail)
    return store


def _subsumption(parsed: Iterable[tuple[GraphSource, list[ox.Quad]]]) -> Subsumption:
    return Subsumption.of(q for s, quads in parsed if s.graph == ONTOLOGY_GRAPH for q in quads)


def build_disk_store(
    path: Path,
    corpus: Corpus | None = None,
    finish: Callable[[Path], None] | None = None,
    entail: bool = False,
) -> int:
    """Parse the corpus, writing a fresh on-disk store beside `path` (with what it entails if
    `entail`); `finish` may add files to the new store's folder (the word index) before it
    replaces the old one.

    The store is built in a folder beside `path` and swapped in when complete: a failed build
    leaves the previous store as it was, and the new database holds no deletion records
    (clearing an old database leaves range tombstones that every later read must skip;
    measured on 1,000 articles, joins ran 30% slower).
    """
    corpus = corpus or discover()
    if path.exists() and any(path.iterdir()) and not (path / MARKER).is_file():
        raise StoreError(f"{path}: folder is not empty and is not a Pillars store; not touching it")
    path.parent.mkdir(parents=True, exist_ok=True)
    with _build_lock(path):
        return _build(path, corpus, finish, entail)


@contextmanager
def _build_lock(path: Path) -> Iterator[None]:
    """One build at a time in `path`'s folder (a lock on the folder itself, so no lock file is
    left beside the store); holding it, the leftovers of builds that were killed (folders
    beside `path`) are removed, so killed loads do not pile up."""
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"{path.parent}: another `pillars load` is building a store in this folder"
            ) from None
        for kind in ("building", "old", "nquads"):
            for leftover in path.parent.glob(f".{path.name}.{kind}-*"):
                shutil.rmtree(leftover, ignore_errors=True)
        yield
    finally:
        os.close(folder)  # releases the lock


def _build(path: Path, corpus: Corpus, finish: Callable[[Path], None] | None, entail: bool) -> int:
    building = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.building-"))
    try:
        ontology = [s for s in corpus.sources if s.graph == ONTOLOGY_GRAPH]
        subsumption = _subsumption(read_all(ontology)) if entail else None
        total, counts = _write_store(building, corpus.sources, f".{path.name}.nquads-", subsumption)
        (building / STATS).write_text(json.dumps(counts, indent=1, sort_keys=True), "utf-8")
        (building / MARKER).write_text(f"Pillars store of {corpus.root}\n", encoding="utf-8")
        if finish is not None:
            finish(building)
        if path.exists():
            old = path.with_name(f".{path.name}.old-{os.getpid()}")
            path.rename(old)
            building.rename(path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            building.rename(path)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return total


def _write_store(
    folder: Path,
    sources: Iterable[GraphSource],
    temporary_prefix: str,
    subsumption: Subsumption | None,
) -> tuple[int, dict[str, int]]:
    # Through an N-Quads file and the bulk loader, which writes sorted tables directly. Each
    # source is parsed and written out before the next, so memory holds one article's quads,
    # not the corpus's (10,000 articles held as one list peaked at ~11 GiB).
    total = 0
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=temporary_prefix) as tmp:
        dump = Path(tmp) / "corpus.nq"
        with dump.open("wb") as out:
            for source in sources:
                quads = source_quads(source)
                if subsumption is not None:
                    quads += subsumption.entailed(quads, source.graph)
                ox.serialize(quads, output=out, format=ox.RdfFormat.N_QUADS)
                total += len(quads)
        store = ox.Store(str(folder))
        store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    store.optimize()
    store.flush()
    counts = graph_counts(store)
    del store  # closes the database so readers can open it
    return total, counts


def graph_counts(store: ReadStore) -> dict[str, int]:
    """Triples per named graph; the store's own default graph under the key "" ."""
    rows = select(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {row[0].value: int(row[1].value) for row in rows}
    default = select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    counts[""] = int(next(iter(default))[0].value)
    return counts


def open_read_only(path: Path) -> ox.Store:
    _check_marker(path)
    try:
        return ox.Store.read_only(str(path))
    except OSError as err:
        raise StoreError(f"{path}: cannot open the store: {err}") from err


def _check_marker(path: Path) -> None:
    if not (path / MARKER).is_file():
        raise StoreError(f"{path}: no Pillars store here; build one with `pillars load --store`")


_OPEN_IN_CHILD = """
import sys
from pathlib import Path
from pillars.store import StoreError, open_read_only
try:
    open_read_only(Path(sys.argv[1]))
except StoreError as err:
    sys.exit(str(err))
"""


def check_opens(path: Path) -> None:
    """Raise `open_read_only`'s StoreError if the store cannot be opened, opening it in a child
    process: for a process that forks afterwards (gunicorn's master). Opening a database
    starts RocksDB's background threads; a forked child inherits their handles but not the
    threads, and aborts at exit trying to join them ("std::system_error: No such process")."""
    _check_marker(path)
    # -P: the working folder is not put first on sys.path, so a folder named pillars/ there
    # is never imported in place of this package.
    done = subprocess.run(
        [sys.executable, "-P", "-c", _OPEN_IN_CHILD, str(path)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        raise StoreError(lines[-1] if lines else f"{path}: cannot open the store")


@dataclass(frozen=True)
class StoreSource:
    """How any process opens the served store: an on-disk path, N-Quads to reload, or the
    URL of a remote SPARQL 1.1 endpoint (`pillars.remote`), read with an HTTP timeout."""

    path: str | None = None
    nquads: bytes | None = None
    endpoint: str | None = None
    timeout: float = 30.0  # seconds, for a remote endpoint

    @classmethod
    def of_memory(cls, store: ox.Store) -> StoreSource:
        return cls(nquads=store.dump(format=ox.RdfFormat.N_QUADS))

    def counts(self, store: ReadStore) -> dict[str, int]:
        """`graph_counts` of the store: read from `pillars load`'s file, or counted now."""
        if self.path is not None:
            try:
                saved = json.loads((Path(self.path) / STATS).read_text(encoding="utf-8"))
                return {str(k): int(v) for k, v in saved.items()}
            except (OSError, ValueError, AttributeError):
                pass  # a store built before the file existed: count
        return graph_counts(store)

    @classmethod
    def of_endpoint(cls, endpoint: str, query_timeout: float) -> StoreSource:
        """The source `serve --store URL` serves: checked to answer now, before anything
        starts. The pool's time limit kills the evaluator and answers 504 "time limit"; the
        HTTP timeout is only a backstop, so it runs a little longer and never races the pool."""
        timeout = query_timeout + HTTP_GRACE_SECONDS
        RemoteStore(endpoint, timeout).check()
        return cls(endpoint=endpoint, timeout=timeout)

    def open(self) -> ReadStore:
        if self.endpoint is not None:
            return RemoteStore(self.endpoint, self.timeout)
        if self.path is not None:
            return open_read_only(Path(self.path))
        store = ox.Store()
        if self.nquads:
            store.load(self.nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
        return store

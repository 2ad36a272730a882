"""The quad store: Oxigraph embedded, in memory or on disk."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from pillars.corpus import Corpus, discover, read_all


def open_store(path: Path | None = None) -> ox.Store:
    """An in-memory store, or the on-disk store at `path` (created if missing)."""
    if path is None:
        return ox.Store()
    path.mkdir(parents=True, exist_ok=True)
    return ox.Store(str(path))


def load_corpus(store: ox.Store, corpus: Corpus | None = None) -> int:
    """Load every graph of the corpus; nothing is stored unless every file parses."""
    corpus = corpus or discover()
    quads: list[ox.Quad] = []
    for _source, source_quads in read_all(corpus.sources):
        quads.extend(source_quads)
    store.bulk_extend(quads)
    return len(quads)


def memory_store(corpus: Corpus | None = None) -> ox.Store:
    store = open_store()
    load_corpus(store, corpus)
    return store

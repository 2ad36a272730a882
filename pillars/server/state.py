"""What the blueprints share, in one typed object per app: `state()` inside a request.

Built once by `create_app`; the parts that cost time to build (the word index, the dumps
folder, the validation context, the home page's counts) are made on first use and kept here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from pillars.search_index import SearchIndex
from pillars.server.description import DatasetInfo
from pillars.server.dumps import DumpCache
from pillars.server.pool import EvaluatorPool
from pillars.server.result_cache import ResultCache
from pillars.settings import Settings
from pillars.store import StoreSource
from pillars.store_interface import ReadStore

if TYPE_CHECKING:  # pyshacl is imported only when the first draft is validated
    from pillars.check.shacl import Context

KEY = "pillars"


class Memo:
    """What quick reads of the served store gave (labels, a quote's sentence), kept for the
    next request: the store does not change while it is served. The least recently used
    entries go beyond `size`, so a crawl of every resource cannot grow it without end."""

    def __init__(self, size: int = 100_000) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()  # outside the lock: two threads may compute one key, both right
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class AppState:
    settings: Settings
    store: ReadStore  # quick in-process reads only: user queries go through `pool`
    source: StoreSource  # how an evaluator process opens the same store
    dataset: DatasetInfo  # graph sizes, for VoID and the Service Description
    pool: EvaluatorPool  # the evaluator processes, with the time and memory limits
    cache: ResultCache  # answers by query
    search: Callable[[], SearchIndex]  # the word index, built on first use
    validation_context: Context | None = None  # built by the first POST /validate
    # The home page's counts: the counted classes each class is, and each graph's counts.
    counted_classes: dict[str, frozenset[str]] | None = None
    graph_counts: dict[str, tuple[int, dict[str, int]]] = field(default_factory=dict)
    memo: Memo = field(default_factory=Memo)  # quick reads of the store, kept across requests
    _dumps: DumpCache | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def dumps(self) -> DumpCache:
        """This app's dump folder, made on the first dump asked for (docs/pages.md)."""
        with self._lock:
            if self._dumps is None:
                self._dumps = DumpCache.for_source(self.source)
            return self._dumps


def install(app: Flask, state: AppState) -> None:
    app.extensions[KEY] = state


def app_state(app: Flask) -> AppState:
    found = app.extensions[KEY]
    assert isinstance(found, AppState), "the app was not made by create_app"
    return found


def state() -> AppState:
    """The state of the app handling the current request."""
    return app_state(current_app)

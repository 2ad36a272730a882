"""What every store Pillars reads answers: the embedded pyoxigraph Store and `RemoteStore`.

Written down once as a `typing.Protocol` (pyoxigraph's Store cannot be subclassed), so the
type checker holds the server, the checks and the commands to these methods: a call a remote
store cannot answer is a type error, not a failure in production.

`select` and `ask` narrow a query's answer to the kind its form gives, so callers iterate
rows without casts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

import pyoxigraph as ox

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph
Subject = ox.NamedNode | ox.BlankNode | ox.Triple
Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
QueryAnswer = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Iterator[ox.Triple]
CustomFunctions = dict[ox.NamedNode, Callable[..., Object | None]]


class ReadStore(Protocol):
    """The read side of a quad store: queries with a dataset, pattern lookups, graph names."""

    def query(
        self,
        query: str,
        *,
        use_default_graph_as_union: bool = False,
        default_graph: list[GraphName] | None = None,
        named_graphs: list[ox.NamedNode | ox.BlankNode] | None = None,
        custom_functions: CustomFunctions | None = None,
    ) -> QueryAnswer: ...

    def quads_for_pattern(
        self,
        subject: Subject | None,
        predicate: ox.NamedNode | None,
        object: Object | None,
        graph_name: GraphName | None = None,
        /,
    ) -> Iterator[ox.Quad]: ...

    def named_graphs(self) -> Iterator[ox.NamedNode | ox.BlankNode]: ...

    def contains_named_graph(self, graph_name: GraphName, /) -> bool: ...

    def __iter__(self) -> Iterator[ox.Quad]: ...

    def __len__(self) -> int: ...


def select(store: ReadStore, query: str, *, union: bool = False) -> ox.QuerySolutions:
    """The rows of a SELECT query (`union`: the default graph is the union of all graphs)."""
    answer = store.query(query, use_default_graph_as_union=union)
    if not isinstance(answer, ox.QuerySolutions):
        raise TypeError(f"expected the rows of a SELECT query, got {type(answer).__name__}")
    return answer


def ask(store: ReadStore, query: str, *, union: bool = False) -> bool:
    """The answer of an ASK query."""
    answer = store.query(query, use_default_graph_as_union=union)
    if not isinstance(answer, ox.QueryBoolean):
        raise TypeError(f"expected the answer of an ASK query, got {type(answer).__name__}")
    return bool(answer)

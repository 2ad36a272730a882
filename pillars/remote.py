"""A remote SPARQL 1.1 store, read through the Protocol, looking like a read-only pyoxigraph Store.

`pillars serve --store URL` fronts any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB,
Virtuoso, QLever) filled by `pillars push`. The server's design is unchanged: a
`StoreSource(endpoint=URL)` opens a `RemoteStore` in every evaluator process and in the web
process, so the time limit (the evaluator is killed, and the HTTP client has its own timeout),
the row limit, the SERVICE refusal and read-only behaviour apply exactly as for a local store.

What the server reads of a store is small: `query` (with the dataset options of
`Store.query`), `quads_for_pattern`, `named_graphs` and `contains_named_graph`. Each becomes
one SPARQL query. Answers are parsed lazily from the response stream, so the evaluator stops
reading (and closes the connection) once it has `max_rows` rows.

Limits, by nature of the Protocol: only the remote's named graphs are served (what `push`
uploads); a blank node cannot be looked up again by a later query; `pilfn:` extension
functions are not known to the remote store.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, cast

import pyoxigraph as ox

from pillars.namespaces import FUNCTION_NS  # extension functions the remote store lacks
from pillars.store_interface import CustomFunctions, GraphName, Object, Subject, ask, select

if TYPE_CHECKING:
    import requests  # imported when a RemoteStore is made: every evaluator imports this module

CONNECT_SECONDS = 5.0
GRAPHS_TTL = 30.0  # seconds the list of remote graphs is reused for union-default-graph queries
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9, text/turtle;q=0.8"
GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,  # N-Triples' media type before RDF 1.1
    "text/turtle": ox.RdfFormat.TURTLE,
}
MESSAGE_CHARS = 200


class RemoteError(Exception):
    """The remote store failed; `status` is what our client gets (400, 502 or 504).

    Messages never name the remote URL: it is the operator's configuration, not public."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def is_endpoint(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def term(node: Any) -> str:
    """A bound term of a pattern, in SPARQL syntax (pyoxigraph's str() is N-Triples)."""
    if isinstance(node, ox.NamedNode | ox.Literal):
        return str(node)
    raise TypeError(f"cannot look up {type(node).__name__} in a remote store")


class RemoteStore:
    """The read side of `pyoxigraph.Store`, answered by a SPARQL 1.1 endpoint."""

    def __init__(self, endpoint: str, timeout: float = 30.0) -> None:
        import requests

        self.endpoint = endpoint
        self.timeout = timeout
        self._session = requests.Session()
        self._session.trust_env = False  # no proxy from the environment between us and it
        self._graphs: tuple[float, list[str]] | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------ Store.query

    def query(
        self,
        query: str,
        *,
        use_default_graph_as_union: bool = False,
        default_graph: Iterable[Any] | None = None,
        named_graphs: Iterable[Any] | None = None,
        custom_functions: CustomFunctions | None = None,  # the remote knows none of ours
    ) -> ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]:
        """QuerySolutions, QueryBoolean, or an iterator of Triples, as `Store.query` gives."""
        if FUNCTION_NS in query:
            raise RemoteError(
                400,
                "pilfn: functions (full-text search) are evaluated by Pillars' own store only; "
                "this server fronts a remote store: use /search or FILTER CONTAINS instead",
            )
        params: list[tuple[str, str]] = [("query", query)]
        if default_graph is not None or named_graphs is not None:
            params += [("default-graph-uri", _iri(g)) for g in default_graph or ()]
            params += [("named-graph-uri", _iri(g)) for g in named_graphs or ()]
        elif use_default_graph_as_union:
            # The Protocol's own way to say "the union of these graphs is the default graph";
            # works on any store, whatever its union-default-graph configuration.
            graphs = self.graph_iris()
            params += [("default-graph-uri", g) for g in graphs]
            params += [("named-graph-uri", g) for g in graphs]
        return self._answer(self._post(params))

    def _post(self, params: list[tuple[str, str]]) -> requests.Response:
        import requests

        try:
            resp = self._session.post(
                self.endpoint,
                data=params,
                headers={"Accept": ACCEPT},
                timeout=(CONNECT_SECONDS, self.timeout),
                stream=True,
                allow_redirects=False,
            )
        except requests.Timeout:
            raise RemoteError(
                504, f"the remote store did not answer within {self.timeout:g} s"
            ) from None
        except requests.RequestException:
            raise RemoteError(502, "the remote store cannot be reached") from None
        if resp.status_code == 200:
            return resp
        message = _short(resp)
        resp.close()
        if resp.status_code == 400:  # the remote's parser or evaluator refused the query
            raise RemoteError(400, f"the remote store refused the query: {message}")
        raise RemoteError(502, f"the remote store answered HTTP {resp.status_code}: {message}")

    def _answer(
        self, resp: requests.Response
    ) -> ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]:
        media = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
        resp.raw.decode_content = True  # gzip or deflate, if the remote compresses
        body = cast(IO[bytes], resp.raw)
        if media == "application/sparql-results+json":
            return ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
        if media in GRAPH_TYPES:
            return ox.parse(body, GRAPH_TYPES[media])
        resp.close()
        raise RemoteError(502, f"the remote store answered in an unexpected format ({media})")

    # ------------------------------------------------------------ the rest of the read API

    def quads_for_pattern(
        self,
        subject: Subject | None,
        predicate: ox.NamedNode | None,
        object: Object | None,
        graph_name: GraphName | None = None,
        /,
    ) -> Iterator[ox.Quad]:
        """Quads of the named graphs matching the pattern (None: any)."""
        if isinstance(graph_name, ox.DefaultGraph):
            return iter(())  # only named graphs are served from a remote store
        try:
            s, p, o = (
                term(x) if x is not None else v
                for x, v in zip((subject, predicate, object), ("?s", "?p", "?o"), strict=True)
            )
            g = term(graph_name) if graph_name is not None else "?g"
        except TypeError:
            return iter(())  # a blank node: it has no identity outside the answer it came in
        solutions = select(self, f"SELECT * WHERE {{ GRAPH {g} {{ {s} {p} {o} }} }}")
        return (
            ox.Quad(
                subject or row["s"],
                predicate or row["p"],
                object or row["o"],
                graph_name or row["g"],
            )
            for row in solutions
        )

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def __len__(self) -> int:
        rows = select(self, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(next(iter(rows))["n"].value)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        return iter([ox.NamedNode(g) for g in self._fetch_graphs()])

    def contains_named_graph(self, graph: GraphName, /) -> bool:
        if not isinstance(graph, ox.NamedNode):
            return False
        return ask(self, f"ASK {{ GRAPH {term(graph)} {{ ?s ?p ?o }} }}")

    def graph_iris(self) -> list[str]:
        """The remote's graphs, asked again at most every GRAPHS_TTL seconds."""
        with self._lock:
            if self._graphs is not None and time.monotonic() - self._graphs[0] < GRAPHS_TTL:
                return self._graphs[1]
        graphs = self._fetch_graphs()
        with self._lock:
            self._graphs = (time.monotonic(), graphs)
        return graphs

    def _fetch_graphs(self) -> list[str]:
        rows = select(self, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(row["g"].value for row in rows if isinstance(row["g"], ox.NamedNode))

    def check(self) -> None:
        """Raise RemoteError unless the endpoint answers a query (used before serving)."""
        if not ask(self, "ASK {}"):
            raise RemoteError(502, "the remote store answered ASK {} with false")


def _iri(node: Any) -> str:
    return node.value if isinstance(node, ox.NamedNode) else str(node)


def _short(resp: requests.Response) -> str:
    import requests

    try:
        text = resp.raw.read(4096, decode_content=True).decode("utf-8", "replace")
    except (OSError, requests.RequestException):
        return "(no message)"
    first = next((" ".join(x.split()) for x in text.splitlines() if x.strip()), "(no message)")
    return first if len(first) <= MESSAGE_CHARS else first[:MESSAGE_CHARS] + " …"

"""Query evaluation, run inside killable evaluator processes.

pyoxigraph cannot cancel a query, so each query runs in a long-lived process that holds
the store, forked from the zygote (`zygote.py`); the web worker kills it when the time limit
passes (`pool.py`). The evaluator evaluates and serializes in the requested format, and sends
back only bytes, so the web process does no per-row work.

Over its socket the evaluator first says "ready"; then each message is a `Job`, answered by
an `Answer`. It ends when the socket closes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from pillars.namespaces import PREFIXES
from pillars.remote import RemoteError
from pillars.search_index import Extensions, SearchIndex, lazy
from pillars.server.results import WRITERS
from pillars.server.scan import QUERY_FORMS, Modifiers, first_keyword, is_update, modifiers
from pillars.store import StoreSource
from pillars.store_interface import ReadStore

RESULT_MEDIA = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_MEDIA = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
WITH_PREFIXES = {"turtle", "trig", "rdfxml"}
# Without id: an article's IRIs are written in full; with it they read
# id:iranian-russian-security-convergence\/ev-thesis (a slash must be escaped in a local name).
ANSWER_PREFIXES = {name: iri for name, iri in PREFIXES.items() if name != "id"}
READ_ONLY = "this endpoint is read-only: SPARQL Update is refused"


@dataclass(frozen=True)
class Job:
    query: str
    result_format: str | None  # a key of RESULT_MEDIA, None if the client accepts none
    graph_format: str | None  # a key of GRAPH_MEDIA, None if the client accepts none
    max_rows: int
    union_default_graph: bool = True
    default_graphs: tuple[str, ...] | None = None  # from default-graph-uri
    named_graphs: tuple[str, ...] | None = None  # from named-graph-uri
    # prefixes the query may use undeclared (`pillars query`; the protocol has none)
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes
    format: str | None = None  # the format key; None for a plain-text error message
    truncated: bool = False


# An answer crosses the socket as one message: a fixed header (status, truncated flag, length
# of the format key), the format key, then the body: no pickling, nothing to import on receipt.
_HEADER = struct.Struct("!H?B")


def encode_answer(answer: Answer) -> bytes:
    key = (answer.format or "").encode("ascii")
    return _HEADER.pack(answer.status, answer.truncated, len(key)) + key + answer.body


def decode_answer(message: bytes) -> Answer:
    status, truncated, size = _HEADER.unpack_from(message)
    start = _HEADER.size + size
    key = message[_HEADER.size : start].decode("ascii") or None
    return Answer(status, message[start:], key, truncated)


def _error(status: int, message: str) -> Answer:
    return Answer(status, message.encode("utf-8"))


def evaluate(store: ReadStore, job: Job, extensions: Extensions | None = None) -> Answer:
    """Evaluate and serialize; every failure becomes a short message with a status."""
    kwargs: dict[str, Any] = {"use_default_graph_as_union": job.union_default_graph}
    query = job.query
    if extensions is not None:  # pilfn:matches and its index rewrite (pillars/search.py)
        kwargs["custom_functions"] = extensions.functions
        query = extensions.prepare(query)
    if job.prefixes:
        kwargs["prefixes"] = dict(job.prefixes)
    if job.default_graphs is not None or job.named_graphs is not None:
        kwargs["use_default_graph_as_union"] = False
        kwargs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        kwargs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs or ()]
    try:
        found = modifiers(job.query)
        if found.select and job.result_format is not None and _rows_fit(found, job.max_rows):
            written = _select_in_rust(store, query, kwargs, job.result_format, job, found)
            if written is not None:
                return written
        result = store.query(query, **kwargs)
        if isinstance(result, ox.QueryBoolean):
            if job.result_format is None:
                return _not_acceptable("an ASK query")
            body = result.serialize(format=RESULT_MEDIA[job.result_format]) or b""
            return Answer(200, body, job.result_format)
        if isinstance(result, ox.QuerySolutions):
            return _select_in_python(result, job)
        if job.graph_format is None:
            return _not_acceptable("a CONSTRUCT or DESCRIBE query")
        # The first max_rows triples go straight to pyoxigraph's writer; one more asked for
        # afterwards says whether there were more.
        body = serialize_graph(islice(result, job.max_rows), job.graph_format)
        truncated = next(result, None) is not None
        return Answer(200, body, job.graph_format, truncated)
    except RemoteError as err:  # a remote store (serve --store URL): 400, 502 or 504
        return _error(err.status, _short(str(err)))
    except SyntaxError as err:
        if is_update(job.query):
            return _error(403, READ_ONLY)
        return _error(400, f"query syntax error: {_short(syntax_message(str(err.msg), job.query))}")
    except (OSError, ValueError, TypeError, RuntimeError) as err:
        # Errors raised while evaluating (e.g. a failing SERVICE call): pyoxigraph's message,
        # with any file path (a storage error names the database's files) taken out.
        return _error(400, f"query evaluation error: {_short(str(err))}")


# pyoxigraph's parser lists the character classes it could have read next, e.g.
# ['A' ..= 'Z' | 'a' ..= 'z' | '\u{00C0}'..='\u{00D6}' ...]: noise to a person writing a query.
_CHAR_CLASS = re.compile(r"\s*\[(?:'(?:[^'\\]|\\.)*'|[^\]'])*\],?")
_POSITION = re.compile(r"error at (\d+:\d+)")


_PNAME_BEFORE = re.compile(r"([A-Za-z][\w.-]*)?:[\w.%-]*$")


def syntax_message(message: str, query: str = "") -> str:
    """pyoxigraph's syntax error, worded for a person: the position and the tokens it
    expected, without character classes; an undeclared prefix named as such."""
    where = _POSITION.match(message)
    at = f"error at {where.group(1)}: " if where else ""
    keyword = first_keyword(query)
    if query and keyword.upper() not in QUERY_FORMS:  # pyoxigraph: "expected CONSTRUCT"
        instead = f"not {keyword!r}" if keyword else "and this text has none"
        return (
            "a query begins (after any PREFIX and BASE declarations) with SELECT, "
            f"CONSTRUCT, DESCRIBE or ASK, {instead}"
        )
    if "Prefix not found" in message:
        name = ""
        if where:  # the position is just after the prefixed name
            line, column = (int(n) for n in where.group(1).split(":"))
            lines = query.split("\n")
            before = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
            found = _PNAME_BEFORE.search(before)
            name = f" {found.group(1) or ''}:" if found else ""
        return f"{at}the prefix{name} is not declared: add PREFIX{name or ' name:'} <IRI> first"
    cleaned = _CHAR_CLASS.sub("", message).strip().rstrip(",").strip()
    if cleaned.endswith(("expected one of", "expected")):
        return f"{at}unexpected text at this position"
    return cleaned


_PATH = re.compile(r"(?<![\w:/.])/(?:[\w.\-]+/)+[\w.\-]*")


def _short(message: str, limit: int = 300) -> str:
    # pyoxigraph lists every expected token after a syntax error; the position and the
    # first few are what a person needs.
    message = _PATH.sub("<path>", message)
    return message if len(message) <= limit else message[:limit].rstrip() + " …"


def serialize_graph(
    triples: Iterable[Any], key: str, prefixes: dict[str, str] | None = ANSWER_PREFIXES
) -> bytes:
    """Triples in a graph format; dataset formats get them as quads of the default graph."""
    fmt = GRAPH_MEDIA[key]
    items: Iterable[Any] = triples
    if fmt.supports_datasets:
        items = (ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    prefixes = prefixes if key in WITH_PREFIXES else None
    return ox.serialize(items, format=fmt, prefixes=prefixes) or b""


def _rows_fit(found: Modifiers, max_rows: int) -> bool:
    """Can the SELECT be answered whole by pyoxigraph's writer: its own LIMIT keeps it within
    max_rows, or a LIMIT of max_rows + 1 can be added (not after a trailing VALUES block)?"""
    if found.limit is not None:
        return found.limit <= max_rows
    return not found.values


def _select_in_rust(
    store: ReadStore, query: str, kwargs: dict[str, Any], key: str, job: Job, found: Modifiers
) -> Answer | None:
    """A SELECT written by pyoxigraph (no Python work per row). When the query has no LIMIT
    of its own, one of max_rows + 1 is added, and the rows written are counted: max_rows + 1
    of them means the answer must be truncated, which the Python writers do (flag included).
    None: the text is not a SELECT this can take (a syntax error, say); evaluate it as sent."""
    limited = query if found.limit is not None else f"{query}\nLIMIT {job.max_rows + 1}"
    try:
        result = store.query(limited, **kwargs)
    except SyntaxError:
        return None  # reported on the client's own text
    except RemoteError as err:
        if err.status != 400:  # the remote failed or timed out: no second try
            raise
        return None  # the remote store's parser refused it: the same, on the client's text
    if not isinstance(result, ox.QuerySolutions):
        return None
    body = result.serialize(format=RESULT_MEDIA[key]) or b""
    if found.limit is None and _row_count_above(body, key, job.max_rows):
        again = store.query(limited, **kwargs)  # the same SELECT: rows the Python way
        assert isinstance(again, ox.QuerySolutions)
        return _select_in_python(again, job)
    return Answer(200, body, key)


def _select_in_python(result: ox.QuerySolutions, job: Job) -> Answer:
    """The first max_rows solutions, written here so a truncated answer carries its flag."""
    if job.result_format is None:
        return _not_acceptable("a SELECT query")
    variables = [v.value for v in result.variables]
    rows = list(islice(result, job.max_rows + 1))
    truncated = len(rows) > job.max_rows
    body = WRITERS[job.result_format](variables, rows[: job.max_rows], truncated)
    return Answer(200, body, job.result_format, truncated)


def _row_count_above(body: bytes, key: str, max_rows: int) -> bool:
    """Does pyoxigraph's answer hold more than max_rows solutions? Bounds from byte counts
    first (C speed); a full parse only when a bound cannot settle it."""
    if key == "xml":  # "<" is always escaped in text: every <result> tag is a solution
        return body.count(b"<result>") > max_rows
    if key == "tsv":  # line breaks in terms are escaped: one line per solution, plus the head
        return body.count(b"\n") - 1 > max_rows
    if key == "csv":  # a quoted value may hold line breaks: lines are only an upper bound
        if body.count(b"\n") - 1 <= max_rows:
            return False
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8")))) - 1 > max_rows
    # JSON: every bound variable is an object with a "type" key (a quote inside a string is
    # always escaped, so "type" between bare quotes cannot occur inside one), and a solution
    # without bindings is {}; together an upper bound on the solutions.
    if body.count(b'"type"') + body.count(b"{}") <= max_rows:
        return False
    return len(json.loads(body)["results"]["bindings"]) > max_rows


def _not_acceptable(what: str) -> Answer:
    return _error(406, f"none of the formats the request accepts can carry the results of {what}")


def limit_memory(mib: int) -> None:
    """Cap this process's data memory; past it, allocation fails and the process aborts."""
    if mib > 0:
        import resource

        limit = mib * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


def serve_jobs(conn: Connection, source: StoreSource, store: ReadStore) -> None:
    """The evaluator loop: say ready, answer jobs until the socket closes."""
    try:
        conn.send("ready")
        extensions = Extensions(lazy(lambda: SearchIndex.for_source(source, store)))
        while True:
            job = conn.recv()
            conn.send_bytes(encode_answer(evaluate(store, job, extensions)))
    except (EOFError, OSError, KeyboardInterrupt):
        return

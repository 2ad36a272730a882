"""The query page's back end: the competency questions, and running a query for the table.

The page runs queries on the app's own store, so the form works without JavaScript and the
table is rendered on the server; downloads are the same query in CSV or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from pillars.namespaces import sparql_prefixes

MAX_QUERY_CHARS = 20_000
MAX_TABLE_ROWS = 1_000  # rows shown in the page; downloads carry every row
DOWNLOADS = {
    "csv": (ox.QueryResultsFormat.CSV, "text/csv; charset=utf-8"),
    "json": (ox.QueryResultsFormat.JSON, "application/sparql-results+json"),
}


@dataclass(frozen=True)
class Example:
    name: str  # file stem, e.g. "cq01-pillars"
    title: str
    description: str
    query: str


@dataclass
class Outcome:
    variables: list[str]
    rows: list[list[Any]]
    boolean: bool | None = None
    truncated: bool = False


class QueryError(ValueError):
    pass


def default_query() -> str:
    extra = "PREFIX art: <https://w3id.org/pillars/id/iranian-russian-security-convergence/>\n"
    return (
        sparql_prefixes()
        + extra
        + "\nSELECT ?class (COUNT(?thing) AS ?things) WHERE {\n  ?thing a ?class .\n}\n"
        "GROUP BY ?class\nORDER BY DESC(?things)\nLIMIT 25\n"
    )


def load_examples(folder: Path) -> list[Example]:
    """Every queries/*.rq file; its leading comment lines are its title and description."""
    examples = []
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # a broken file is the query author's to fix; the page still works
        comments: list[str] = []
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped:
                if comments:
                    break
                continue
            if not stripped.startswith("#"):
                break
            comments.append(stripped.lstrip("#").strip())
        comments = [c for c in comments if c]
        title = comments[0] if comments else path.stem
        for tag in ("title:", "question:", "cq:"):
            if title.lower().startswith(tag):
                title = title[len(tag) :].strip()
        examples.append(Example(path.stem, title, " ".join(comments[1:]), text))
    return examples


def run(store: ox.Store, query: str) -> Outcome:
    """Run a read query over the union of the graphs; QueryError says what is wrong."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query has {len(query)} characters; the limit is {MAX_QUERY_CHARS}")
    try:
        result = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as err:
        raise QueryError(f"syntax error: {err.msg if hasattr(err, 'msg') else err}") from None
    except (OSError, ValueError, RuntimeError) as err:
        raise QueryError(f"the query failed: {err}") from None
    if isinstance(result, ox.QueryBoolean):
        return Outcome([], [], boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows: list[list[Any]] = []
        for i, solution in enumerate(result):
            if i >= MAX_TABLE_ROWS:
                return Outcome(names, rows, truncated=True)
            rows.append([solution[n] for n in names])
        return Outcome(names, rows)
    triples: list[list[Any]] = []
    for i, t in enumerate(result):
        if i >= MAX_TABLE_ROWS:
            return Outcome(["subject", "predicate", "object"], triples, truncated=True)
        triples.append([t.subject, t.predicate, t.object])
    return Outcome(["subject", "predicate", "object"], triples)


def download(store: ox.Store, query: str, fmt: str) -> tuple[bytes, str, str]:
    """(body, media type, file extension) of the full results; graphs come back as N-Triples."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query has {len(query)} characters; the limit is {MAX_QUERY_CHARS}")
    if fmt not in DOWNLOADS:
        raise QueryError(f"format must be one of {', '.join(DOWNLOADS)}, not {fmt!r}")
    try:
        result = store.query(query, use_default_graph_as_union=True)
    except SyntaxError as err:
        raise QueryError(f"syntax error: {err.msg if hasattr(err, 'msg') else err}") from None
    except (OSError, ValueError, RuntimeError) as err:
        raise QueryError(f"the query failed: {err}") from None
    if isinstance(result, ox.QueryTriples):
        data = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES)
        return data or b"", "application/n-triples", "nt"
    results_format, media = DOWNLOADS[fmt]
    data = result.serialize(format=results_format)
    return data or b"", media, fmt

"""`pillars query`: one SPARQL query against the corpus or a store, from a shell.

The query runs through the evaluator layer's one-shot function (`pool.run_once`), so the
server's protections hold: the SERVICE allow-list, the time and the memory limit.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pillars.cli.options import (
    READ_STORE_OPTION,
    ROOT_OPTION,
    entailment_option,
    open_corpus_store,
    settings_from_options,
    settings_options,
)
from pillars.namespaces import QUERY_PREFIXES
from pillars.server.evaluator import Answer, Job
from pillars.server.pool import EvaluatorFailed, OutOfMemory, TimedOut, run_once
from pillars.server.scan import refused_service, scan, too_deep
from pillars.settings import Settings
from pillars.store import StoreSource

# The server's settings that apply to one query, as `pillars serve` names them.
QUERY_SETTINGS = (
    "query_timeout",
    "max_rows",
    "max_query_nesting",
    "service_allowlist",
    "evaluator_memory",
)


def _query_settings(func: Callable[..., Any]) -> Callable[..., Any]:
    return settings_options(func, only=QUERY_SETTINGS)


@click.command()
@click.argument("sparql", required=False)
@click.option(
    "-f", "--file", "file", type=click.File("r", encoding="utf-8"), help="Read the query here."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="table: aligned text; csv: SPARQL CSV (N-Triples for graphs); json: SPARQL JSON "
    "(JSON-LD for graphs).",
)
@READ_STORE_OPTION
@ROOT_OPTION
@entailment_option
@_query_settings
def query(
    sparql: str | None,
    file: Any,
    fmt: str,
    store_dir: Path | None,
    root: Path | None,
    **values: Any,
) -> None:
    """Run one SPARQL query (argument or -f FILE.rq) against the store and print the answer.

    The server's protections hold here too: SERVICE calls only --service-allowlist endpoints,
    and a query still computing after --query-timeout seconds is stopped. Exit codes: 1 for
    a query the engine rejects, 2 for a refused SERVICE, a time limit passed, or bad options.
    """
    if (sparql is None) == (file is None):
        raise click.UsageError("give the query either as an argument or with -f FILE.rq")
    settings = settings_from_options(values)
    text = sparql if sparql is not None else file.read()
    deep = too_deep(text, settings.max_query_nesting)
    if deep is not None:
        click.echo(f"error: {deep}", err=True)
        sys.exit(1)
    refused = refused_service(scan(text), settings.service_allowlist)
    if refused is not None:
        click.echo(
            f"error: SERVICE {refused} refused: `pillars query` calls only endpoints given "
            "with --service-allowlist PREFIX",
            err=True,
        )
        sys.exit(2)
    store = open_corpus_store(store_dir, root, settings.entails)
    result_format, graph_format = {
        "table": ("json", "turtle"),
        "csv": ("csv", "ntriples"),
        "json": ("json", "jsonld"),
    }[fmt]
    max_rows = settings.max_rows
    job = Job(
        text,
        result_format,
        graph_format,
        max_rows,
        *dataset(text, store),
        prefixes=tuple(QUERY_PREFIXES.items()),
    )
    source = StoreSource(path=str(store_dir.resolve())) if store_dir else None
    answer = run_limited(job, source or StoreSource.of_memory(store), settings)
    if answer.format is None:
        click.echo(f"error: {answer.body.decode('utf-8')}", err=True)
        sys.exit(1)
    if fmt == "table" and answer.format == "json":
        click.echo(table(json.loads(answer.body)))
    else:
        sys.stdout.buffer.write(answer.body)
        if not answer.body.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
    if answer.truncated:
        click.echo(f"note: truncated to the first {max_rows} rows (max_rows)", err=True)


def run_limited(job: Job, source: StoreSource, settings: Settings) -> Answer:
    """Evaluate in one killable evaluator process, as the server does (pool.py): the only
    way to stop pyoxigraph, and a SERVICE call, when the time limit passes."""
    try:
        return run_once(job, source, settings.query_timeout, settings.evaluator_memory)
    except TimedOut:
        message = (
            f"query stopped: it ran longer than the time limit of {settings.query_timeout:g} s "
            "(--query-timeout)"
        )
    except OutOfMemory:
        message = (
            "query stopped: it needed more memory than the evaluator may use "
            f"(--evaluator-memory {settings.evaluator_memory} MiB)"
        )
    except EvaluatorFailed:
        message = "the query evaluator process failed on this query"
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


def dataset(text: str, store: Any) -> tuple[bool, tuple[str, ...] | None, tuple[str, ...] | None]:
    """(union default graph?, default graphs, named graphs) for `Job`, as the server does: a
    query with FROM or FROM NAMED gets exactly those graphs (with the union switched on,
    pyoxigraph would ignore them), and only graphs the store holds can be named."""
    found = scan(text)
    if not (found.from_graphs or found.from_named):
        return True, None, None
    held = {g.value for g in store.named_graphs()}
    for graph in (*found.from_graphs, *found.from_named):
        if graph not in held:
            raise click.ClickException(
                f"graph <{graph}> is not in the store: FROM and FROM NAMED select only its "
                f"named graphs ({', '.join(sorted(held))})"
            )
    return False, None, None  # the query's own FROM clauses make its dataset


CELL_WIDTH = 80  # a table cell longer than this is cut: one article text is 40,000 characters


def compact(term: dict[str, Any]) -> str:
    """A term as a person reads it: prefixed names where a Pillars prefix fits."""
    value = str(term["value"])
    if term["type"] == "uri":
        fits = [(p, ns) for p, ns in QUERY_PREFIXES.items() if value.startswith(ns)]
        fits = [(p, ns) for p, ns in fits if "/" not in value[len(ns) :]]
        if fits:
            prefix, iri = max(fits, key=lambda fit: len(fit[1]))  # art:claim, not id:...
            return f"{prefix}:{value[len(iri) :]}"
        return f"<{value}>"
    if term["type"] == "bnode":
        return "_:" + value
    value = value.replace("\n", " ")
    return value if len(value) <= CELL_WIDTH else value[: CELL_WIDTH - 1] + "…"


def table(doc: dict[str, Any]) -> str:
    if "boolean" in doc:
        return "true" if doc["boolean"] else "false"
    names = list(doc["head"]["vars"])
    rows = [[compact(b[n]) if n in b else "" for n in names] for b in doc["results"]["bindings"]]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    lines = ["  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)

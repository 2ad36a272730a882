"""`pillars export`: the corpus or one graph, serialised (pillars/export.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

import click

from pillars.cli.options import (
    READ_STORE_OPTION,
    ROOT_OPTION,
    entailment_option,
    entails,
    open_corpus_store,
)
from pillars.export import GraphNotFound, select_graphs, write_rdf
from pillars.files import write_atomically


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["trig", "nquads", "turtle"]),
    default="trig",
    show_default=True,
    help="trig, nquads: named graphs kept; turtle: one graph only (with --graph).",
)
@click.option(
    "--graph",
    "graph",
    default=None,
    help="Only this graph: an article slug, shared, ontology, shapes, or a graph IRI.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write here instead of standard output.",
)
@READ_STORE_OPTION
@ROOT_OPTION
@entailment_option
def export(
    fmt: str,
    graph: str | None,
    output: Path | None,
    store_dir: Path | None,
    root: Path | None,
    entailment: str | None,
) -> None:
    """Serialise the corpus (every named graph) or one graph."""
    if fmt == "turtle" and graph is None:
        raise click.BadParameter(
            "Turtle has no named graphs: give --graph SLUG, or use --format trig or nquads for "
            "the whole corpus",
            param_hint="--format",
        )
    if output is not None and not output.parent.is_dir():
        raise click.BadParameter(f"no such folder: {output.parent}", param_hint="--output")
    store = open_corpus_store(store_dir, root, entails(entailment))
    try:
        graphs = select_graphs(store, (graph,) if graph else ())
    except GraphNotFound as err:
        raise click.BadParameter(str(err), param_hint="--graph") from err

    def write(out: IO[bytes]) -> None:
        write_rdf(store, fmt, graphs, graph is None, out)

    if output is None:
        write(sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return
    try:
        write_atomically(output, write)
    except OSError as err:
        raise click.ClickException(f"{output}: cannot write: {err.strerror}") from err
    size = output.stat().st_size
    click.echo(f"wrote {size} bytes ({fmt}, {len(graphs)} graphs) to {output}", err=True)

"""`pillars export`: the corpus (every named graph) or one graph, serialised.

TriG and N-Quads carry the named graphs; Turtle has no graphs, so it is offered for a single
graph only, never as a silent merge of them all.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO

import click
import pyoxigraph as ox

from pillars.cli.options import READ_STORE_OPTION, ROOT_OPTION, open_corpus_store
from pillars.files import write_atomically
from pillars.namespaces import GRAPH
from pillars.prefixes import used_prefixes

FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}
WITH_PREFIXES = {"trig", "turtle"}


class GraphNotFound(ValueError):
    """A --graph the store does not hold; the message lists the ones it does."""


def graph_names(store: ox.Store) -> list[str]:
    """The IRIs of the store's named graphs, sorted."""
    return sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))


def select_graphs(store: ox.Store, names: tuple[str, ...] = ()) -> list[str]:
    """Graph IRIs for --graph values: a slug (an article folder, `shared`, `ontology`,
    `shapes`) or a full graph IRI. No names: every named graph."""
    held = graph_names(store)
    if not names:
        return held
    chosen: list[str] = []
    for name in names:
        iri = name if name.startswith(("http://", "https://")) else GRAPH + name
        if iri not in held:
            known = ", ".join(g.removeprefix(GRAPH) for g in held)
            raise GraphNotFound(f"no graph {name!r} in the store; it holds: {known}")
        if iri not in chosen:
            chosen.append(iri)
    return chosen


def write_rdf(store: ox.Store, fmt: str, graphs: list[str], whole: bool, out: IO[bytes]) -> None:
    """`graphs` in format `fmt`, written to `out`; `whole`: the entire store (default graph
    included). Oxigraph streams to `out`, so memory stays bounded by the store, not the output."""
    rdf_format = FORMATS[fmt]
    named = fmt in WITH_PREFIXES
    if not rdf_format.supports_datasets:
        if len(graphs) != 1:
            raise ValueError(f"{fmt} holds one graph only")
        node = ox.NamedNode(graphs[0])
        # Turtle writes no graph name, so only the triples' IRIs count.
        triples = (q.triple for q in store.quads_for_pattern(None, None, None, node))
        prefixes = used_prefixes(triples) if named else None
        store.dump(out, rdf_format, from_graph=node, prefixes=prefixes)
    elif whole:
        # One pass to find the prefixes, one to write.
        store.dump(out, rdf_format, prefixes=used_prefixes(store) if named else None)
    else:
        quads = [
            q for g in graphs for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))
        ]
        ox.serialize(quads, out, rdf_format, prefixes=used_prefixes(quads) if named else None)


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
def export(
    fmt: str, graph: str | None, output: Path | None, store_dir: Path | None, root: Path | None
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
    store = open_corpus_store(store_dir, root)
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

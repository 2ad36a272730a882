"""`pillars push`: upload the named graphs to a Graph Store Protocol endpoint (pillars/push.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pillars.cli.options import (
    READ_STORE_OPTION,
    ROOT_OPTION,
    entailment_option,
    entails,
    open_corpus_store,
)
from pillars.export import GraphNotFound, select_graphs
from pillars.push import BODY_FORMATS, PushError, check_url, payloads, put_graph, session_for


@click.command()
@click.argument("url")
@click.option(
    "--graph",
    "graphs",
    multiple=True,
    help="Only this graph (repeatable): an article slug, shared, ontology, shapes, or a graph "
    "IRI. Default: every graph.",
)
@click.option("--user", default=None, help="User name for HTTP Basic authentication.")
@click.option(
    "--password",
    default=None,
    envvar="PILLARS_PUSH_PASSWORD",
    help="Password for HTTP Basic authentication (or the PILLARS_PUSH_PASSWORD variable).",
)
@click.option(
    "--token",
    default=None,
    envvar="PILLARS_PUSH_TOKEN",
    help="Bearer token (or the PILLARS_PUSH_TOKEN variable), instead of --user/--password.",
)
@click.option(
    "--body-format",
    type=click.Choice(sorted(BODY_FORMATS)),
    default="ntriples",
    show_default=True,
    help="How each graph is sent.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=120.0,
    show_default=True,
    help="Seconds to wait for the server's answer to each graph.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
@READ_STORE_OPTION
@ROOT_OPTION
@entailment_option
def push(
    url: str,
    graphs: tuple[str, ...],
    user: str | None,
    password: str | None,
    token: str | None,
    body_format: str,
    timeout: float,
    dry_run: bool,
    store_dir: Path | None,
    root: Path | None,
    entailment: str | None,
) -> None:
    """Upload each named graph to the Graph Store Protocol endpoint URL (PUT ?graph=IRI).

    Each graph on the server is replaced by the corpus's; other graphs are left alone.
    Exit code 0: every graph stored; 1: some failed (each failure is reported).
    """
    try:
        check_url(url)
        session = session_for(user, password, token)
    except PushError as err:
        raise click.BadParameter(str(err), param_hint=err.param) from err
    store = open_corpus_store(store_dir, root, entails(entailment))
    try:
        chosen = select_graphs(store, graphs)
    except GraphNotFound as err:
        raise click.BadParameter(str(err), param_hint="--graph") from err
    items = payloads(store, chosen, body_format)
    total = len(items)
    if dry_run:
        for n, item in enumerate(items, 1):
            click.echo(
                f"[{n}/{total}] would PUT {item.graph}: {item.triples} triples, "
                f"{len(item.body)} bytes"
            )
        click.echo(f"dry run: nothing sent to {url}")
        return
    failed = 0
    for n, item in enumerate(items, 1):
        done = put_graph(session, url, item, body_format, timeout)
        if done.ok:
            click.echo(
                f"[{n}/{total}] {item.graph}: {item.triples} triples stored "
                f"({done.message}, {done.seconds:.2f} s)"
            )
        else:
            failed += 1
            click.echo(f"[{n}/{total}] {item.graph}: FAILED: {done.message}", err=True)
            if done.status is None:  # no server answering: the other graphs would fail alike
                failed += total - n
                click.echo(f"stopped: {total - n} graph(s) not sent", err=True)
                break
    if failed:
        stored = f"the other {total - failed} stored" if failed < total else "none stored"
        click.echo(f"{failed} of {total} graph(s) failed; {stored}", err=True)
        sys.exit(1)
    triples = sum(i.triples for i in items)
    click.echo(f"pushed {total} graph(s), {triples} triples, to {url}")

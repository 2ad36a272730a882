"""`pillars studio`: the local authoring app, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import threading
from pathlib import Path

import click

from pillars.cli.options import ROOT_OPTION
from pillars.corpus import default_root


@click.command("studio")
@ROOT_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but 127.0.0.1 lets other machines reach a "
              "program that writes your corpus (they still need the token).")  # fmt: skip
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
def studio(root: Path | None, host: str, port: int) -> None:
    """Encode an article in the browser: select words, fill a form, see the check at once.

    Writes only instances/<slug>/studio.ttl and draft.ttl. Prints the address and this run's
    token (writes need it; the page has it).
    """
    from pillars.studio.app import create_app, serve

    corpus = (root or default_root()).resolve()
    if not (corpus / "ontology").is_dir():
        raise click.BadParameter(f"{corpus} has no ontology/ folder", param_hint="--root")
    app = create_app(corpus, host, port)
    try:
        running = serve(app, host, port)
        running.__enter__()
    except OSError as err:
        raise click.ClickException(f"cannot listen on {host}:{port}: {err.strerror}") from err
    click.echo(f"Pillars studio at {app.config['STUDIO_URL']} (corpus {corpus})", err=False)
    click.echo(f"token for this run: {app.config['STUDIO_TOKEN']}")
    click.echo("Ctrl-C stops it.", err=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
    finally:
        running.__exit__(None, None, None)

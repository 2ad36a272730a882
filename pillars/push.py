"""`pillars push URL`: upload each named graph to a SPARQL 1.1 Graph Store Protocol endpoint.

Each graph is sent with `PUT URL?graph=<iri>` (the Protocol's indirect graph identification),
which replaces that graph on the server and leaves every other graph alone; so pushing again
after an edit is safe, and a failure stops nothing but that graph. Works with any GSP store:
Oxigraph server (`.../store`), Fuseki (`.../<dataset>/data`), GraphDB
(`.../repositories/<id>/rdf-graphs/service`), Virtuoso (`.../sparql-graph-crud-auth`).
"""

from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click
import pyoxigraph as ox
import requests

from pillars.cli.options import READ_STORE_OPTION, ROOT_OPTION, open_corpus_store
from pillars.export import GraphNotFound, select_graphs

BODY_FORMATS = {
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle"),
}
MESSAGE_CHARS = 200


@dataclass(frozen=True)
class Payload:
    graph: str
    triples: int
    body: bytes


@dataclass(frozen=True)
class Outcome:
    graph: str
    ok: bool
    status: int | None  # None: no HTTP answer (connection refused, timeout)
    message: str
    seconds: float


def payloads(store: ox.Store, graphs: list[str], body_format: str) -> list[Payload]:
    """Every graph serialised before anything is sent, so a local error sends nothing."""
    rdf_format, _media = BODY_FORMATS[body_format]
    out = []
    for graph in graphs:
        node = ox.NamedNode(graph)
        triples = sum(1 for _ in store.quads_for_pattern(None, None, None, node))
        body = store.dump(format=rdf_format, from_graph=node) or b""
        out.append(Payload(graph, triples, body))
    return out


def server_message(resp: requests.Response) -> str:
    """The server's own short explanation: the first line of text, tags removed."""
    text = re.sub(r"<[^>]+>", " ", resp.text or "")
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= MESSAGE_CHARS else line[:MESSAGE_CHARS] + " …"
    return "(no message)"


def put_graph(
    session: requests.Session, url: str, payload: Payload, body_format: str, timeout: float
) -> Outcome:
    """One PUT; every failure becomes an Outcome with the status and the server's message."""
    _format, media = BODY_FORMATS[body_format]
    started = time.perf_counter()
    try:
        resp = session.put(
            url,
            params={"graph": payload.graph},
            data=payload.body,
            headers={"Content-Type": f"{media}; charset=utf-8"},
            timeout=timeout,
            # A redirected PUT may lose its body or method; report it instead of following.
            allow_redirects=False,
        )
    except requests.Timeout:
        return Outcome(
            payload.graph, False, None, f"no answer within {timeout:g} s", _since(started)
        )
    except requests.RequestException as err:
        return Outcome(payload.graph, False, None, f"cannot reach {url}: {_reason(err)}", 0.0)
    seconds = _since(started)
    status = f"{resp.status_code} {resp.reason or ''}".strip()
    if 200 <= resp.status_code < 300:
        return Outcome(payload.graph, True, resp.status_code, status, seconds)
    if 300 <= resp.status_code < 400:
        where = resp.headers.get("Location", "(no Location)")
        return Outcome(
            payload.graph,
            False,
            resp.status_code,
            f"HTTP {status}: redirected to {where}; give that URL instead",
            seconds,
        )
    message = f"HTTP {status}: {server_message(resp)}"
    return Outcome(payload.graph, False, resp.status_code, message, seconds)


def _since(started: float) -> float:
    return time.perf_counter() - started


def _reason(err: requests.RequestException) -> str:
    # requests nests the socket error several levels down; its last words are the reason
    # ("Connection refused", "Name or service not known").
    text = str(err)
    found = re.findall(r"\[Errno -?\d+\] ([^'\")\]]+)", text)
    return found[-1].strip() if found else text[:MESSAGE_CHARS]


def check_url(url: str) -> None:
    if not re.match(r"^https?://[^/\s]+", url):
        raise click.BadParameter(
            f"{url!r} is not an http(s) URL of a Graph Store Protocol endpoint, e.g. "
            "http://127.0.0.1:7878/store",
            param_hint="URL",
        )


def session_for(user: str | None, password: str | None, token: str | None) -> requests.Session:
    if token and (user or password):
        raise click.BadParameter("give either --token or --user/--password", param_hint="--token")
    if (user is None) != (password is None):
        raise click.BadParameter("--user and --password go together", param_hint="--password")
    session = requests.Session()
    session.trust_env = False  # no proxy or .netrc from the environment changes where data goes
    if token:
        session.headers["Authorization"] = f"Bearer {token}"
    elif user is not None and password is not None:
        session.auth = (user, password)
    return session


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
) -> None:
    """Upload each named graph to the Graph Store Protocol endpoint URL (PUT ?graph=IRI).

    Each graph on the server is replaced by the corpus's; other graphs are left alone.
    Exit code 0: every graph stored; 1: some failed (each failure is reported).
    """
    check_url(url)
    session = session_for(user, password, token)
    store = open_corpus_store(store_dir, root)
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

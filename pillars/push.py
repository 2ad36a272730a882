"""`pillars push URL`: upload each named graph to a SPARQL 1.1 Graph Store Protocol endpoint.

Each graph is sent with `PUT URL?graph=<iri>` (the Protocol's indirect graph identification),
which replaces that graph on the server and leaves every other graph alone; so pushing again
after an edit is safe, and a failure stops nothing but that graph. Works with any GSP store:
Oxigraph server (`.../store`), Fuseki (`.../<dataset>/data`), GraphDB
(`.../repositories/<id>/rdf-graphs/service`), Virtuoso (`.../sparql-graph-crud-auth`).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import pyoxigraph as ox
import requests

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


class PushError(ValueError):
    """Options that cannot make a push; `param` names the one at fault."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


def check_url(url: str) -> None:
    if not re.match(r"^https?://[^/\s]+", url):
        raise PushError(
            "URL",
            f"{url!r} is not an http(s) URL of a Graph Store Protocol endpoint, e.g. "
            "http://127.0.0.1:7878/store",
        )


def session_for(user: str | None, password: str | None, token: str | None) -> requests.Session:
    if token and (user or password):
        raise PushError("--token", "give either --token or --user/--password")
    if (user is None) != (password is None):
        raise PushError("--password", "--user and --password go together")
    session = requests.Session()
    session.trust_env = False  # no proxy or .netrc from the environment changes where data goes
    if token:
        session.headers["Authorization"] = f"Bearer {token}"
    elif user is not None and password is not None:
        session.auth = (user, password)
    return session

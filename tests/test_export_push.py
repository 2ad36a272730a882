"""`pillars export` (formats, one graph, refusals) and `pillars push` against a real Oxigraph
server on 127.0.0.1, with the counts checked by querying the server back."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import rdflib
import requests
from click.testing import CliRunner, Result
from remote_fixture import GRAPH, TINY_COUNTS, TINY_TEXT, graph_counts, oxigraph_server, tiny_corpus

from pillars.cli import main

REPO = Path(__file__).resolve().parent.parent
NIF_STRING = "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    return tiny_corpus(tmp_path / "corpus")


@pytest.fixture(scope="module")
def oxigraph() -> Iterator[str]:
    with oxigraph_server() as url:
        yield url


def clear(base: str) -> None:
    requests.post(base + "/update", data={"update": "DROP ALL"}, timeout=10).raise_for_status()


# ---------------------------------------------------------------- export


def test_export_trig_keeps_every_graph(tiny: Path) -> None:
    result = run("export", "--root", str(tiny))
    assert result.exit_code == 0, result.output
    ds = rdflib.Dataset()
    ds.parse(data=result.stdout_bytes, format="trig")
    counts = {str(g.identifier): len(g) for g in ds.graphs() if len(g)}
    assert counts == TINY_COUNTS


def test_export_nquads_to_file(tiny: Path, tmp_path: Path) -> None:
    out = tmp_path / "corpus.nq"
    result = run("export", "--root", str(tiny), "--format", "nquads", "-o", str(out))
    assert result.exit_code == 0, result.output
    lines = [line for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) == sum(TINY_COUNTS.values())
    assert sum(1 for line in lines if line.endswith(f"<{GRAPH}demo> .")) == 5


def test_export_one_graph_as_turtle(tiny: Path) -> None:
    result = run("export", "--root", str(tiny), "--format", "turtle", "--graph", "demo")
    assert result.exit_code == 0, result.output
    assert "@prefix art: <https://w3id.org/pillars/id/demo/>" in result.output
    g = rdflib.Graph().parse(data=result.output, format="turtle")
    assert len(g) == 5
    assert [str(o) for o in g.objects(None, rdflib.URIRef(NIF_STRING))] == [TINY_TEXT]


def test_export_one_graph_as_nquads_holds_only_it(tiny: Path) -> None:
    result = run("export", "--root", str(tiny), "--format", "nquads", "--graph", "shared")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].endswith(f"<{GRAPH}shared> .")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--format", "turtle"], "Turtle has no named graphs"),
        (["--graph", "nope"], "no graph 'nope' in the store; it holds: demo, ontology, shared"),
        (["-o", "/no/such/folder/x.trig"], "no such folder"),
        (["--format", "rdfxml"], "'rdfxml' is not one of"),
    ],
)
def test_export_refusals(tiny: Path, args: list[str], words: str) -> None:
    result = run("export", "--root", str(tiny), *args)
    assert result.exit_code == 2
    assert words in result.output
    assert "Traceback" not in result.output


def test_export_broken_corpus_names_file_and_line(tiny: Path) -> None:
    (tiny / "instances" / "demo" / "bad.ttl").write_text("<a> <b> .\n", encoding="utf-8")
    result = run("export", "--root", str(tiny))
    assert result.exit_code == 1
    assert "bad.ttl:1" in result.output


# ---------------------------------------------------------------- push to a real Oxigraph


def test_push_every_graph_and_count_them_back(tiny: Path, oxigraph: str) -> None:
    clear(oxigraph)
    result = run("push", oxigraph + "/store", "--root", str(tiny))
    assert result.exit_code == 0, result.output
    assert "[1/3]" in result.output and "[3/3]" in result.output
    assert "pushed 3 graph(s), 8 triples" in result.output
    assert graph_counts(oxigraph) == TINY_COUNTS
    # The article text arrives intact (non-ASCII quotes, final newline).
    resp = requests.get(
        oxigraph + "/query",
        params={"query": f"SELECT ?t WHERE {{ GRAPH <{GRAPH}demo> {{ ?x <{NIF_STRING}> ?t }} }}"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=10,
    )
    assert resp.json()["results"]["bindings"][0]["t"]["value"] == TINY_TEXT


def test_push_again_replaces_and_leaves_other_graphs(tiny: Path, oxigraph: str) -> None:
    clear(oxigraph)
    other = "http://example.org/not-ours"
    put = requests.put(
        oxigraph + "/store",
        params={"graph": other},
        data=b'<http://example.org/s> <http://example.org/p> "1" .\n',
        headers={"Content-Type": "application/n-triples"},
        timeout=10,
    )
    assert put.ok
    assert run("push", oxigraph + "/store", "--root", str(tiny)).exit_code == 0
    (tiny / "instances" / "demo" / "a.ttl").write_text(
        '<https://w3id.org/pillars/id/demo/x> <http://example.org/p> "only" .\n', encoding="utf-8"
    )
    result = run("push", oxigraph + "/store", "--root", str(tiny), "--graph", "demo")
    assert result.exit_code == 0, result.output
    assert "[1/1]" in result.output and "204" in result.output
    assert graph_counts(oxigraph) == {**TINY_COUNTS, GRAPH + "demo": 3, other: 1}


def test_push_turtle_body(tiny: Path, oxigraph: str) -> None:
    clear(oxigraph)
    result = run(
        "push",
        oxigraph + "/store",
        "--root",
        str(tiny),
        "--body-format",
        "turtle",
        "--graph",
        "ontology",
    )
    assert result.exit_code == 0, result.output
    assert graph_counts(oxigraph) == {GRAPH + "ontology": 2}


def test_push_bundled_corpus_counts_match_rdflib(oxigraph: str) -> None:
    """Counts read back from the server equal rdflib's own parse of each folder (+2 triples
    for an article text), not anything the push code computed."""
    clear(oxigraph)
    result = run("push", oxigraph + "/store", "--entailment", "off")
    assert result.exit_code == 0, result.output
    expected: dict[str, int] = {}
    for name, folder in [("ontology", REPO / "ontology"), ("shapes", REPO / "shapes")] + [
        (p.name, p) for p in sorted((REPO / "instances").iterdir()) if p.is_dir()
    ]:
        g = rdflib.Graph()
        for path in sorted(folder.rglob("*.ttl")):
            g.parse(path, format="turtle")
        expected[GRAPH + name] = len(g) + (2 if (folder / "text.txt").is_file() else 0)
    assert graph_counts(oxigraph) == expected


def test_push_failure_reports_status_and_server_message(tiny: Path, oxigraph: str) -> None:
    result = run("push", oxigraph + "/nowhere", "--root", str(tiny), "--graph", "shared")
    assert result.exit_code == 1
    assert "FAILED: HTTP 404 Not Found: PUT /nowhere is not supported by this server" in (
        result.output
    )
    assert "1 of 1 graph(s) failed; none stored" in result.output


def test_push_to_nothing_listening_stops_early(tiny: Path) -> None:
    from remote_fixture import free_port

    result = run("push", f"http://127.0.0.1:{free_port()}/store", "--root", str(tiny))
    assert result.exit_code == 1
    assert "Connection refused" in result.output
    assert "stopped: 2 graph(s) not sent" in result.output
    assert "Traceback" not in result.output


# ---------------------------------------------------------------- credentials, dry run


class Recorder(BaseHTTPRequestHandler):
    """A Graph Store stand-in that records requests and wants one token or one password."""

    seen: list[tuple[str, str, str | None]] = []

    def do_PUT(self) -> None:  # noqa: N802 (the http.server convention)
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        auth = self.headers.get("Authorization")
        Recorder.seen.append(("PUT", self.path, auth))
        good = {"Bearer s3cret", "Basic " + base64.b64encode(b"ed:pw").decode()}
        if auth in good:
            self.send_response(204)
            self.end_headers()
            return
        body = b"<html><body><h1>Unauthorized</h1>\n<p>bad credentials</p></body></html>"
        self.send_response(401)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/store"
    server.shutdown()
    server.server_close()


def test_push_sends_token_and_password(tiny: Path, recorder: str) -> None:
    result = run("push", recorder, "--root", str(tiny), "--graph", "demo", "--token", "s3cret")
    assert result.exit_code == 0, result.output
    assert Recorder.seen == [
        ("PUT", "/store?graph=https%3A%2F%2Fw3id.org%2Fpillars%2Fgraph%2Fdemo", "Bearer s3cret")
    ]
    result = CliRunner(env={"PILLARS_PUSH_PASSWORD": "pw"}).invoke(
        main, ["push", recorder, "--root", str(tiny), "--graph", "demo", "--user", "ed"]
    )
    assert result.exit_code == 0, result.output
    result = run("push", recorder, "--root", str(tiny), "--token", "wrong")
    assert result.exit_code == 1
    assert "FAILED: HTTP 401 Unauthorized: Unauthorized" in result.output
    assert "3 of 3 graph(s) failed" in result.output  # each graph tried, each reported


def test_dry_run_sends_nothing(tiny: Path, recorder: str) -> None:
    result = run("push", recorder, "--root", str(tiny), "--dry-run")
    assert result.exit_code == 0, result.output
    assert f"would PUT {GRAPH}demo: 5 triples" in result.output
    assert Recorder.seen == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["ftp://example.org/store"], "is not an http(s) URL"),
        (["http://127.0.0.1:1/store", "--user", "ed"], "--user and --password go together"),
        (["http://127.0.0.1:1/store", "--token", "t", "--user", "u", "--password", "p"], "either"),
        (["http://127.0.0.1:1/store", "--graph", "nope"], "no graph 'nope'"),
    ],
)
def test_push_refusals(tiny: Path, args: list[str], words: str) -> None:
    result = run("push", *args, "--root", str(tiny))
    assert result.exit_code == 2
    assert words in result.output

"""`pillars query` keeps the server's protections: SERVICE allow-list and a real time limit.

Regression: the command let SERVICE call any URL and let a query (or a SERVICE call that never
answers) run for ever. The endpoints here are tiny HTTP servers on 127.0.0.1 that count the
requests they get, so a refusal is checked by what reached them, not by the message alone.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import pillars_command

from pillars.settings import BY_NAME, default_text

RUN_TIMEOUT = 120  # seconds for one command; each one below needs a few
HANG = 30.0  # seconds the slow endpoint waits before it answers
ANSWER = {
    "head": {"vars": ["x"]},
    "results": {"bindings": [{"x": {"type": "literal", "value": "from-the-endpoint"}}]},
}


@contextmanager
def endpoint(delay: float = 0.0) -> Iterator[tuple[str, list[str]]]:
    """A SPARQL endpoint on 127.0.0.1 answering one fixed row; yields (URL, request paths)."""
    hits: list[str] = []
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            hits.append(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            stop.wait(delay)  # the slow endpoint: released when the test ends
            body = json.dumps(ANSWER).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = _answer
        do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/sparql", hits
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def run(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(
        [*pillars_command(), "query", "--format", "json", *args],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    return done, time.monotonic() - started


def service_query(url: str) -> str:
    return f"SELECT ?x WHERE {{ SERVICE <{url}> {{ ?s ?p ?x }} }}"


def test_service_is_refused_without_an_allowlist() -> None:
    with endpoint() as (url, hits):
        done, _ = run(service_query(url))
        assert done.returncode == 2, done.stderr
        assert f"SERVICE <{url}> refused" in done.stderr and "--service-allowlist" in done.stderr
        assert done.stdout == ""
        # A prefix of another port is no permission either.
        done, _ = run("--service-allowlist", "http://127.0.0.1:1/", service_query(url))
        assert done.returncode == 2 and "refused" in done.stderr
        # Nor is a SERVICE whose endpoint is a variable.
        done, _ = run("SELECT * WHERE { BIND(<http://x/> AS ?e) SERVICE ?e { ?s ?p ?o } }")
        assert done.returncode == 2 and "a variable or unresolved endpoint" in done.stderr
    assert hits == []


def test_an_allowed_service_is_called() -> None:
    with endpoint() as (url, hits):
        done, _ = run("--service-allowlist", url.rsplit("/", 1)[0] + "/", service_query(url))
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["results"]["bindings"]
    assert [r["x"]["value"] for r in rows] == ["from-the-endpoint"]
    assert len(hits) == 1


def test_a_service_that_does_not_answer_is_stopped_at_the_time_limit() -> None:
    with endpoint(delay=HANG) as (url, hits):
        done, took = run("--query-timeout", "2", "--service-allowlist", url, service_query(url))
        assert hits, "the query never reached the endpoint"
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "time limit of 2 s" in done.stderr and "--query-timeout" in done.stderr
    assert done.stdout == "" and took < HANG


def test_a_query_that_computes_for_long_is_stopped() -> None:
    # A triple cross product of the corpus (~10^12 rows): minutes of work for the engine.
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    done, took = run("--query-timeout", "1", slow)
    assert done.returncode == 2 and "time limit of 1 s" in done.stderr
    assert took < 20  # load, start one evaluator, one second of work, kill


def test_query_options_are_the_servers_settings() -> None:
    done = subprocess.run(
        [*pillars_command(), "query", "--help"],
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    help_text = " ".join(done.stdout.split("Options:", 1)[1].split())
    for name in ("query_timeout", "max_rows", "service_allowlist", "evaluator_memory"):
        setting = BY_NAME[name]
        assert setting.option in help_text
        after = help_text.split(setting.option + " ", 1)[1]
        assert after[after.index("[default: ") :].startswith(f"[default: {default_text(setting)}]")
    done, _ = run("--max-rows", "0", "ASK {}")
    assert done.returncode == 2 and "max_rows" in done.stderr


def test_the_editors_prefixes_need_no_declaration_and_the_table_uses_them() -> None:
    # `pillars query` did not know the prefixes the web editor fills in (issue 15, item 4).
    done = subprocess.run(
        [*pillars_command(), "query", "SELECT ?t { ?t a pil:IdentityThreat } ORDER BY ?t LIMIT 2"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    # instances/.../pillar-threats.ttl: the first two identity threats by IRI
    assert done.stdout.split("\n")[2:4] == ["art:threat-andalusization", "art:threat-balkanization"]
    unknown = subprocess.run(
        [*pillars_command(), "query", "SELECT ?t { ?t a nope:Thing }"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert unknown.returncode == 1 and "the prefix nope: is not declared" in unknown.stderr

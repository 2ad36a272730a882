"""Fast tests of the benchmark harness pieces (the benchmarks themselves are not run here)."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests

from bench import agree, load, report, servers
from bench.mix import Mix, Samples
from pillars.store import memory_store


@pytest.fixture(scope="module")
def samples() -> Samples:
    return Samples.of(memory_store())


def test_cold_texts_are_all_different_and_warm_repeats(samples: Samples) -> None:
    mix = Mix(samples)
    cold = mix.cold(500)
    assert len({q.text for q in cold}) == 500
    assert {q.name for q in cold} >= {"describe-claim", "ask", "construct-argument"}
    warm = mix.warm()
    assert [q.text for q in warm] == [q.text for q in Mix(samples).warm()]


def test_every_query_of_the_mix_parses_and_answers(samples: Samples) -> None:
    store = memory_store()
    for q in Mix(samples).warm() + Mix(samples).text("filter", 2):
        store.query(q.text, use_default_graph_as_union=True)  # raises on a syntax error


def test_answers_compare_numbers_by_value_and_blank_nodes_blanked() -> None:
    a = {
        "head": {"vars": ["n"]},
        "results": {"bindings": [{"n": {"type": "literal", "value": "3", "datatype": XSD_INT}}]},
    }
    b = {
        "head": {"vars": ["n"]},
        "results": {
            "bindings": [{"n": {"type": "typed-literal", "value": "3.0", "datatype": XSD_DEC}}]
        },
    }
    json_type = "application/sparql-results+json"
    assert agree.normal(json.dumps(a).encode(), json_type) == agree.normal(
        json.dumps(b).encode(), json_type
    )
    b["results"]["bindings"][0]["n"]["value"] = "4"
    assert agree.normal(json.dumps(a).encode(), json_type) != agree.normal(
        json.dumps(b).encode(), json_type
    )
    g1 = b"_:x <urn:p> <urn:o> ."
    g2 = b"_:other <urn:p> <urn:o> ."
    assert agree.normal(g1, "text/turtle") == agree.normal(g2, "text/turtle")


XSD_INT = "http://www.w3.org/2001/XMLSchema#int"
XSD_DEC = "http://www.w3.org/2001/XMLSchema#decimal"


def test_request_file_is_accept_tab_path(tmp_path: Path, samples: Samples) -> None:
    queries = Mix(samples).warm()[:3]
    path = tmp_path / "r.txt"
    load.write_requests(path, "http://127.0.0.1:9/sparql", queries)
    lines = path.read_text().splitlines()
    assert len(lines) == 3
    accept, target = lines[0].split("\t")
    assert accept == queries[0].accept and target.startswith("/sparql?query=")
    assert urllib.parse.parse_qs(target.split("?", 1)[1])["query"] == [queries[0].text]


def test_virtuoso_config_binds_loopback_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The shape of the Debian package's file, reduced to the lines the harness rewrites.
    ini = tmp_path / "virtuoso.ini"
    ini.write_text(
        "[Database]\nDatabaseFile = /var/lib/virtuoso-opensource-7/db/virtuoso.db\n"
        "[Parameters]\nServerPort               = 1111\n"
        "DirsAllowed              = ., /usr/share/virtuoso-opensource-7/vad\n"
        "NumberOfBuffers          = 10000\nMaxDirtyBuffers          = 6000\n"
        "[HTTPServer]\nServerPort                  = 8890\nServerThreads = 10\n"
    )
    monkeypatch.setattr(servers, "VIRTUOSO_INI", ini)
    text = servers.virtuoso_ini(tmp_path / "db", 12345, 12346)
    ports = [ln.split("=", 1)[1].strip() for ln in text.splitlines() if ln.startswith("ServerPort")]
    assert ports == ["127.0.0.1:12345", "127.0.0.1:12346"]
    assert f"DatabaseFile = {tmp_path / 'db'}/virtuoso.db" in text
    assert "/var/lib/virtuoso-opensource-7/db" not in text
    assert "NumberOfBuffers = 170000" in text and "ServerThreads = 32" in text


def test_tree_pss_counts_this_process() -> None:
    import os

    assert servers.tree_pss(os.getpid()) > 10 * 1024 * 1024


def test_targets_and_ratios_from_a_hand_made_result() -> None:
    def row(server: str, mode: str, clients: int, qps: float, p99: float) -> dict[str, object]:
        return {
            "server": server, "mode": mode, "clients": clients, "round": 0, "qps": qps,
            "p50_ms": 1.0, "p95_ms": 2.0, "p99_ms": p99, "requests": 100, "errors": 0,
            "pss_bytes": 1,
        }  # fmt: skip

    res = {
        "articles": 1000,
        "servers": {
            "oxigraph": {"load_seconds": 10, "start_seconds": 0.1, "pss_bytes": 100 * 2**20},
            "pillars": {"load_seconds": 20, "start_seconds": 3.0, "pss_bytes": 2048 * 2**20},
        },
        "rounds": [
            row("oxigraph", "cold", 4, 100, 10),
            row("pillars", "cold", 4, 250, 16),
            row("oxigraph", "cold", 16, 100, 10),
            row("pillars", "cold", 16, 80, 12),
        ],
        "text": [],
    }
    lines = report.targets(res)
    assert lines[0].startswith("- **met**") and "2.50×" in lines[0]  # 2x Oxigraph
    assert lines[1].startswith("- **missed**") and "1.60×" in lines[1]  # p99
    assert lines[2].startswith("- **missed**") and "0.80×" in lines[2]
    assert any(ln.startswith("- **met**: cold start") for ln in lines)
    assert any(ln.startswith("- **missed**: server PSS") and "2048 MiB" in ln for ln in lines)
    assert report.ratio(50, 200) == "0.25×" and report.ratio(1, None) == "–"


def test_wrk_lua_summary_is_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class Done:
        stdout = (
            'Running 1s test\nWRKJSON {"requests": 500, "duration_us": 2000000, '
            '"connect": 0, "read": 1, "write": 0, "status": 2, "timeout": 0, '
            '"p50": 1500, "p95": 3000, "p99": 9000, "mean": 1600.0}\n'
        )
        stderr = ""

    monkeypatch.setattr(load.subprocess, "run", lambda *a, **k: Done())
    res = load.run("http://127.0.0.1:9/sparql", tmp_path / "r", tmp_path / "s.lua", 4, 1)
    assert (res.qps, res.p50_ms, res.p99_ms, res.errors) == (250.0, 1.5, 9.0, 3)
    assert "function request()" in (tmp_path / "s.lua").read_text()


def test_servers_option_checks_names_and_needs_oxigraph(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import __main__ as cli

    assert cli.server_list("pillars, oxigraph,pillars") == ("pillars", "oxigraph")
    for bad, message in (
        ("pillars,fuseki", "unknown server(s) fuseki"),
        ("pillars", "oxigraph must be among the servers"),
    ):
        with pytest.raises(SystemExit) as exited:
            cli.main(["run", "--servers", bad])
        assert exited.value.code == 2
        assert message in capsys.readouterr().err


def test_report_of_a_run_without_some_servers() -> None:
    rounds = [
        {"server": s, "mode": "cold", "clients": 4, "round": 0, "qps": q, "p50_ms": 1.0,
         "p95_ms": 2.0, "p99_ms": 3.0, "requests": 10, "errors": 0, "pss_bytes": 1}
        for s, q in (("oxigraph", 50.0), ("pillars", 40.0))
    ]  # fmt: skip
    res = {
        "articles": 10000,
        "servers": {
            "oxigraph": {"load_seconds": 100, "start_seconds": 0.1, "pss_bytes": 2**20},
            "pillars": {"load_seconds": 300, "start_seconds": 1.0, "pss_bytes": 2**21},
        },
        "not_run": ["virtuoso", "rdflib-endpoint"],
        "rounds": rounds,
        "agreement": [
            {"query": "ask", "size": 1, "verdict": {"oxigraph": "reference", "pillars": "same"}}
        ],
    }
    table = report.throughput_table(res, "cold")
    assert len(table) == 4 and "| 4 | pillars | 40.0 | 0.80× |" in table[3]
    assert "virtuoso" not in "".join(table + report.agreement_table(res))
    assert "| pillars | 300.0 | 3.00× |" in report.servers_table(res)[3]
    text = " ".join(report.not_run(res))
    assert "Not run at this size (left out with `--servers`): virtuoso, rdflib-endpoint" in text
    assert "- rdflib-endpoint: it parses the whole dump in Python" in text
    assert report.not_run({**res, "not_run": []}) == []
    assert report.rounds_note(res).startswith("1 interleaved round per setting")


def test_minimal_front_answers_over_http_from_a_store_on_disk(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    writer = ox.Store(str(folder))
    for i, graph in enumerate(("urn:g:a", "urn:g:b")):
        writer.add(
            ox.Quad(
                ox.NamedNode("urn:s"),
                ox.NamedNode("urn:p"),
                ox.Literal(str(i)),
                ox.NamedNode(graph),
            )
        )
    writer.flush()
    del writer
    server = servers.start_flask_minimal(folder, tmp_path)
    try:
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        r = requests.get(
            server.endpoint, params={"query": count}, timeout=10, headers={"Accept": "text/csv"}
        )
        assert (r.status_code, r.headers["Content-Type"]) == (200, "text/csv; charset=utf-8")
        assert r.text.split() == ["n", "2"]  # the union of both graphs
        r = requests.get(
            server.endpoint,
            timeout=10,
            params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"},
        )
        assert r.headers["Content-Type"].startswith("text/turtle")
        triples = list(ox.parse(r.content, format=ox.RdfFormat.TURTLE))
        assert sorted(t.object.value for t in triples) == ["0", "1"]
        assert requests.get(server.endpoint, timeout=10).status_code == 400
    finally:
        server.stop()


def test_engine_side_times_each_kind_of_the_mix(tmp_path: Path) -> None:
    from bench import engine

    folder = tmp_path / "store"
    writer = ox.Store(str(folder))
    writer.add(
        ox.Quad(
            ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("x"), ox.NamedNode("urn:g")
        )
    )
    writer.flush()
    del writer
    texts = [("ask", "ASK { ?s ?p ?o }"), ("construct", "CONSTRUCT WHERE { ?s ?p ?o }")] * 3
    side = engine.library_side(str(folder), texts, seconds=30)
    assert set(side["wall"]) == {"ask", "construct"}
    assert all(0 < t < 5 for t in side["wall"].values())
    assert side["cpu"] > 0

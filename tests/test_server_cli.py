"""Settings table, the serve/load/query commands, the query scanner and Accept parsing."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import pillars_command

from pillars.cli import main
from pillars.server.negotiation import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    NegotiationError,
    choose,
    negotiate,
    parse_accept,
)
from pillars.server.scan import allowed, scan
from pillars.settings import SETTINGS, SettingError, Settings, markdown_table

README = Path(__file__).resolve().parent.parent / "README.md"


# --- the settings table ------------------------------------------------------------------


def test_readme_holds_the_generated_settings_table() -> None:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- settings:start -->\n(.*?)<!-- settings:end -->", text, re.S)
    assert block, "README.md lacks the settings block"
    assert block.group(1) == markdown_table(), "run `python -m pillars.settings` into README.md"
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in block.group(1)


def test_every_setting_is_a_serve_option() -> None:
    help_text = CliRunner().invoke(main, ["serve", "--help"], terminal_width=200).output
    for setting in SETTINGS:
        assert setting.option in help_text, setting.name


def test_settings_dataclass_matches_the_table() -> None:
    defaults = Settings().as_dict()
    assert list(defaults) == [s.name for s in SETTINGS]
    for s in SETTINGS:
        expected = list(s.default) if isinstance(s.default, tuple) else s.default
        assert defaults[s.name] == expected
    assert defaults["query_timeout"] == 30 and defaults["max_request_bytes"] == 1024 * 1024


def test_setting_values_are_checked() -> None:
    s = Settings.from_mapping(
        {"max_rows": "5", "query_timeout": "2.5", "service_allowlist": ["https://a/, https://b/"]}
    )
    assert (s.max_rows, s.query_timeout, s.service_allowlist) == (
        5,
        2.5,
        ("https://a/", "https://b/"),
    )
    with pytest.raises(SettingError, match="max_rows: expected an integer"):
        Settings.from_mapping({"max_rows": "many"})
    with pytest.raises(SettingError, match="query_timeout: must be greater than 0"):
        Settings.from_mapping({"query_timeout": 0})
    with pytest.raises(SettingError, match="unknown setting 'max_rowz'"):
        Settings.from_mapping({"max_rowz": 1})
    with pytest.raises(SettingError, match="public_url"):
        Settings(public_url="ftp://x")


def test_bad_option_values_are_usage_errors() -> None:
    r = CliRunner().invoke(main, ["serve", "--query-timeout", "-1"])
    assert r.exit_code == 2
    assert "setting query_timeout: must be greater than 0" in r.output
    r = CliRunner().invoke(main, ["serve", "--max-rows", "lots"])
    assert r.exit_code == 2 and "--max-rows" in r.output


# --- the console script and `pillars query` ----------------------------------------------


def test_console_script_runs() -> None:
    done = subprocess.run(
        [*pillars_command(), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and done.stdout.startswith("pillars, version ")


def test_query_command_formats(tmp_path: Path) -> None:
    # .stdout, not .output: a log line on stderr (another test may set up logging) must not
    # spoil the document.
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    runner = CliRunner()
    as_csv = runner.invoke(main, ["query", "--format", "csv", q])
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert rows[0] == ["g", "n"] and len(rows) >= 4
    as_json = runner.invoke(main, ["query", "--format", "json", q])
    bindings = json.loads(as_json.stdout)["results"]["bindings"]
    assert [(b["g"]["value"], b["n"]["value"]) for b in bindings] == [tuple(r) for r in rows[1:]]
    path = tmp_path / "q.rq"
    path.write_text(q, encoding="utf-8")
    table = runner.invoke(main, ["query", "-f", str(path)])
    assert table.exit_code == 0
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["g", "n"] and lines[-1] == f"({len(rows) - 1} rows)"
    assert runner.invoke(main, ["query", "ASK { ?s ?p ?o }"]).stdout == "true\n"


def test_query_command_errors() -> None:
    runner = CliRunner()
    bad = runner.invoke(main, ["query", "SELECT * WHERE { ?s ?p }"])
    assert bad.exit_code == 1 and "query syntax error" in bad.output
    neither = runner.invoke(main, ["query"])
    assert neither.exit_code == 2 and "-f FILE.rq" in neither.output


# --- the scanner that finds SERVICE and FROM ---------------------------------------------


@pytest.mark.parametrize(
    ("query", "services"),
    [
        ("SELECT * { SERVICE <http://a/sparql> { ?s ?p ?o } }", ["http://a/sparql"]),
        ("select * { service silent <http://a/> {} }", ["http://a/"]),
        (
            "PREFIX w: <https://w.example/> SELECT * { SERVICE w:sparql {} }",
            ["https://w.example/sparql"],
        ),
        ("SELECT * { SERVICE ?endpoint {} }", [None]),
        ("SELECT * { SERVICE<http://glued/>{} }", ["http://glued/"]),
        ("BASE <http://b.example/> SELECT * { SERVICE <rel> {} }", ["http://b.example/rel"]),
        ('SELECT ("SERVICE <http://x/>" AS ?a) {}', []),
        ("SELECT ('''multi\nSERVICE <http://x/>''' AS ?a) {}", []),
        ("SELECT * {} # SERVICE <http://x/>", []),
        ("SELECT * { <http://x/SERVICE> ?p ?o }", []),
        ("SELECT ?service { ?service ?p ?o }", []),
    ],
)
def test_scan_finds_every_service(query: str, services: list[str | None]) -> None:
    assert scan(query).services == services


def test_scan_finds_dataset_clauses() -> None:
    found = scan(
        "PREFIX g: <https://g.example/> SELECT * FROM <file:///etc/passwd> FROM NAMED g:x "
        "FROM named <http://n/> WHERE { ?s ?p ?o }"
    )
    assert found.from_graphs == ["file:///etc/passwd"]
    assert found.from_named == ["https://g.example/x", "http://n/"]
    assert scan("SELECT ?from WHERE { ?from ?p ?o }").from_graphs == []


def test_allowlist_compares_origins_not_strings() -> None:
    allow = ("https://query.example.org/sparql", "http://127.0.0.1:7000/")
    assert allowed("https://query.example.org/sparql", allow)
    assert allowed("https://query.example.org/sparql?x=1", allow)
    assert allowed("http://127.0.0.1:7000/any/path", allow)
    assert not allowed("https://query.example.org.evil.net/sparql", allow)
    assert not allowed("https://user@query.example.org/sparql", allow)
    assert not allowed("http://query.example.org/sparql", allow)  # another scheme
    assert not allowed("http://127.0.0.1:7001/", allow)  # another port
    assert not allowed("https://query.example.org/other", allow)
    assert not allowed(None, allow)
    assert not allowed("file:///etc/passwd", ("file:///",))


# --- Accept parsing ------------------------------------------------------------------------


def test_accept_q_values_and_specificity() -> None:
    ranges = parse_accept("text/*;q=0.3, text/csv;q=0, text/xml;q=0, application/*;q=0.1")
    assert choose(ranges, RESULT_FORMATS).key == "tsv"  # type: ignore[union-attr]
    assert choose(parse_accept(""), RESULT_FORMATS).key == "json"  # type: ignore[union-attr]
    assert choose(parse_accept("garbage, text/turtle"), GRAPH_FORMATS).key == "turtle"  # type: ignore[union-attr]
    assert choose(parse_accept("text/turtle;q=0"), GRAPH_FORMATS) is None
    assert choose(parse_accept("text/turtle;charset=latin1"), GRAPH_FORMATS) is None
    assert choose(parse_accept("text/turtle; charset=UTF-8"), GRAPH_FORMATS).key == "turtle"  # type: ignore[union-attr]


def test_format_parameter_names() -> None:
    assert [f.key if f else None for f in negotiate(None, "xml")] == ["xml", "rdfxml"]
    assert [f.key if f else None for f in negotiate(None, "text/csv")] == ["csv", None]
    assert [f.key if f else None for f in negotiate(None, "ttl")] == [None, "turtle"]
    with pytest.raises(NegotiationError, match="unknown format 'pdf'"):
        negotiate(None, "pdf")

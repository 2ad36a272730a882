"""SELECT answers written by pyoxigraph's own writers, with the row limit still exact.

The evaluator adds `LIMIT max_rows + 1` to a SELECT that has none and counts the rows of the
written answer; these tests pin the counting at the limit's edges, in every result format,
and the cases where no LIMIT may be added (a trailing VALUES block, a LIMIT above max_rows).
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from pillars.server.evaluator import Job, evaluate
from pillars.server.scan import modifiers

EX = "http://example.org/"
ROWS = 12  # items in the store


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    p = ox.NamedNode(EX + "label")
    for i in range(ROWS):
        # Quotes, braces, "type" and line breaks inside values: what the row counts must
        # not be fooled by.
        text = f'item {i:02d} {{}} "type": x\r\n}},{{'
        s.add(ox.Quad(ox.NamedNode(f"{EX}i{i:02d}"), p, ox.Literal(text), ox.NamedNode(EX + "g")))
    return s


def run(store: ox.Store, query: str, fmt: str, max_rows: int) -> tuple[int, bool, bytes]:
    answer = evaluate(store, Job(query, fmt, "turtle", max_rows))
    assert answer.status == 200, answer.body
    return count_rows(answer.body, fmt), answer.truncated, answer.body


def count_rows(body: bytes, fmt: str) -> int:
    """Rows counted by a parser of the format, not by the code under test."""
    if fmt == "json":
        return len(json.loads(body)["results"]["bindings"])
    if fmt == "xml":
        ns = "{http://www.w3.org/2005/sparql-results#}"
        return len(ET.fromstring(body).findall(f"{ns}results/{ns}result"))
    if fmt == "csv":
        return len(list(csv.reader(io.StringIO(body.decode("utf-8"))))) - 1
    return len(body.decode("utf-8").split("\n")) - 2  # head line, final line break


SELECT = f"SELECT ?s ?label WHERE {{ ?s <{EX}label> ?label }} ORDER BY ?s"


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize(
    ("max_rows", "rows", "truncated"),
    [(ROWS - 1, ROWS - 1, True), (ROWS, ROWS, False), (ROWS + 1, ROWS, False), (1, 1, True)],
)
def test_row_limit_exact_at_its_edges(
    store: ox.Store, fmt: str, max_rows: int, rows: int, truncated: bool
) -> None:
    got_rows, got_truncated, body = run(store, SELECT, fmt, max_rows)
    assert (got_rows, got_truncated) == (rows, truncated)
    if fmt in ("json", "tsv", "csv"):
        assert b"i00" in body and (b"i11" in body) == (rows == ROWS)


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_solutions_without_bindings_are_counted(store: ox.Store, fmt: str) -> None:
    # ?none is never bound: every solution is empty ({} in JSON, an empty line in TSV).
    query = f"SELECT ?none WHERE {{ ?s <{EX}label> ?label }}"
    assert run(store, query, fmt, ROWS - 1)[:2] == (ROWS - 1, True)
    assert run(store, query, fmt, ROWS)[:2] == (ROWS, False)


def test_untruncated_answer_is_pyoxigraphs_own(store: ox.Store) -> None:
    _, truncated, body = run(store, SELECT, "xml", ROWS)
    assert not truncated and b"\n<results>" not in body  # the Python writer puts a line break


def test_own_limit_within_max_rows(store: ox.Store) -> None:
    rows, truncated, _ = run(store, SELECT + " LIMIT 5", "json", 5)
    assert (rows, truncated) == (5, False)


def test_own_limit_above_max_rows_is_truncated(store: ox.Store) -> None:
    rows, truncated, body = run(store, SELECT + " LIMIT 10", "json", 4)
    assert (rows, truncated) == (4, True) and json.loads(body)["truncated"] is True


def test_trailing_values_block(store: ox.Store) -> None:
    query = f"SELECT ?s ?label WHERE {{ ?s <{EX}label> ?label }} VALUES ?x {{ 1 2 }}"
    rows, truncated, _ = run(store, query, "json", 2 * ROWS - 1)
    assert (rows, truncated) == (2 * ROWS - 1, True)
    assert run(store, query, "json", 2 * ROWS)[:2] == (2 * ROWS, False)


def test_order_kept_when_truncated(store: ox.Store) -> None:
    _, _, body = run(store, SELECT.replace("ORDER BY ?s", "ORDER BY DESC(?s)"), "json", 3)
    names = [b["s"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert names == [f"{EX}i11", f"{EX}i10", f"{EX}i09"]


def test_syntax_error_positions_refer_to_the_text_sent(store: ox.Store) -> None:
    text = "SELECT * WHERE { ?s ?p "  # unfinished: an added LIMIT would move the error
    with pytest.raises(SyntaxError) as own:
        store.query(text)
    position = str(own.value.msg).split(":")[0] + ":" + str(own.value.msg).split(":")[1]
    assert position.startswith("error at 1:")
    answer = evaluate(store, Job(text, "json", "turtle", 5))
    assert answer.status == 400 and position.encode() in answer.body


def test_update_still_refused(store: ox.Store) -> None:
    answer = evaluate(store, Job(f"INSERT DATA {{ <{EX}a> <{EX}b> <{EX}c> }}", "json", None, 5))
    assert answer.status == 403


def test_construct_truncation(store: ox.Store) -> None:
    query = f"CONSTRUCT WHERE {{ ?s <{EX}label> ?label }}"
    for key in ("ntriples", "nquads"):
        answer = evaluate(store, Job(query, None, key, 5))
        assert answer.truncated and answer.body.count(b"\n") == 5
        answer = evaluate(store, Job(query, None, key, ROWS))
        assert not answer.truncated and answer.body.count(b" .\n") == ROWS


@pytest.mark.parametrize(
    ("query", "select", "limit", "values"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", True, None, False),
        (
            "# c\nPREFIX ex: <http://e/>\nBASE <http://b/>\n select * { ?s ?p ?o }",
            True,
            None,
            False,
        ),
        (
            "PREFIX : <http://e/> SELECT * { ?s ?p ?o } ORDER BY ?s LIMIT 25 OFFSET 3",
            True,
            25,
            False,
        ),
        ("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 3 } }", True, None, False),
        ("SELECT * { ?s ?p 'LIMIT 3' } # LIMIT 4", True, None, False),
        ("SELECT * { ?s ?p ?o VALUES ?o { 1 } }", True, None, False),
        ("SELECT * { ?s ?p ?o } VALUES ?o { 1 }", True, None, True),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3", False, 3, False),
        ("ASK { ?s ?p ?o }", False, None, False),
        ("# SELECT\nDESCRIBE <http://e/x>", False, None, False),
        ("# a \\u000A comment\nSELECT * {}", False, None, False),  # a backslash: not sure
    ],
)
def test_modifiers(query: str, select: bool, limit: int | None, values: bool) -> None:
    found = modifiers(query)
    assert (found.select, found.limit, found.values) == (select, limit, values)

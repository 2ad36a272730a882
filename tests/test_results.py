"""The SELECT results writers on awkward terms: quotes, newlines, languages, datatypes, unbound."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox

from pillars.server.results import write_csv, write_json, write_tsv, write_xml

XSD_INT = "http://www.w3.org/2001/XMLSchema#integer"
ROWS = [
    [ox.NamedNode("http://example.org/é"), ox.Literal('say "hi"\nthen\tgo\\', language="en")],
    [ox.BlankNode("b1"), ox.Literal("42", datatype=ox.NamedNode(XSD_INT))],
    [ox.NamedNode("http://example.org/a"), None],
    [ox.NamedNode("http://example.org/a"), ox.Literal("plain, with comma")],
]
SRX = "{http://www.w3.org/2005/sparql-results#}"


def test_json() -> None:
    doc = json.loads(write_json(["s", "o"], ROWS, False))
    assert doc["head"] == {"vars": ["s", "o"]} and "truncated" not in doc
    assert doc["results"]["bindings"] == [
        {
            "s": {"type": "uri", "value": "http://example.org/é"},
            "o": {"type": "literal", "value": 'say "hi"\nthen\tgo\\', "xml:lang": "en"},
        },
        {
            "s": {"type": "bnode", "value": "b1"},
            "o": {"type": "literal", "value": "42", "datatype": XSD_INT},
        },
        {"s": {"type": "uri", "value": "http://example.org/a"}},
        {
            "s": {"type": "uri", "value": "http://example.org/a"},
            "o": {"type": "literal", "value": "plain, with comma"},
        },
    ]
    assert json.loads(write_json(["s"], [], True))["truncated"] is True


def test_xml() -> None:
    root = ET.fromstring(write_xml(["s", "o"], ROWS, False))
    results = root.findall(f"{SRX}results/{SRX}result")
    assert len(results) == 4
    first = {b.get("name"): b[0] for b in results[0]}
    assert first["s"].tag == SRX + "uri" and first["s"].text == "http://example.org/é"
    assert first["o"].text == 'say "hi"\nthen\tgo\\'
    assert first["o"].get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    second = {b.get("name"): b[0] for b in results[1]}
    assert second["s"].tag == SRX + "bnode" and second["o"].get("datatype") == XSD_INT
    assert [b.get("name") for b in results[2]] == ["s"]


def test_csv() -> None:
    rows = list(csv.reader(io.StringIO(write_csv(["s", "o"], ROWS, False).decode("utf-8"))))
    assert rows == [
        ["s", "o"],
        ["http://example.org/é", 'say "hi"\nthen\tgo\\'],
        ["_:b1", "42"],
        ["http://example.org/a", ""],
        ["http://example.org/a", "plain, with comma"],
    ]


def test_tsv() -> None:
    lines = write_tsv(["s", "o"], ROWS, False).decode("utf-8").split("\n")
    assert lines[0] == "?s\t?o"
    assert lines[1] == '<http://example.org/é>\t"say \\"hi\\"\\nthen\\tgo\\\\"@en'
    assert lines[2] == f'_:b1\t"42"^^<{XSD_INT}>'
    assert lines[3] == "<http://example.org/a>\t"
    assert lines[5] == ""  # a final newline, and no row holds a raw newline


def test_error_messages_name_no_file_and_stay_short() -> None:
    from pillars.server.evaluator import _short

    msg = _short("IO error: /srv/pillars/db/000123.sst: gone; see <http://example.org/a/b>")
    assert "/srv" not in msg and "<path>" in msg and "<http://example.org/a/b>" in msg
    assert len(_short("x" * 5000)) < 310

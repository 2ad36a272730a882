"""SPARQL results writers for SELECT solutions: JSON, XML, CSV, TSV.

pyoxigraph writes these formats itself, but only for a whole result. The evaluator lets it
whenever a LIMIT keeps the answer within `max_rows` (see `_select_in_rust` in evaluator.py);
these writers take the rest: answers truncated at `max_rows`, which carry a flag, and queries
no LIMIT can be added to. Booleans and graphs are written by pyoxigraph. Imports stay light:
evaluator processes load this module.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from json.encoder import encode_basestring as _quote  # type: ignore[attr-defined]
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Row = Sequence[Any]  # a pyoxigraph QuerySolution: terms (or None) in variable order


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {  # an RDF 1.2 triple term
        "type": "triple",
        "value": {
            "subject": _json_term(term.subject),
            "predicate": _json_term(term.predicate),
            "object": _json_term(term.object),
        },
    }


def _json_text(term: Any) -> str:
    """A term as SPARQL JSON text, built directly: json.dumps per term costs 10x more."""
    if isinstance(term, ox.NamedNode):
        return '{"type":"uri","value":' + _quote(term.value) + "}"
    if isinstance(term, ox.Literal):
        value = _quote(term.value)
        if term.language:
            return (
                '{"type":"literal","value":' + value + ',"xml:lang":' + _quote(term.language) + "}"
            )
        if term.datatype.value != XSD_STRING:
            dt = _quote(term.datatype.value)
            return '{"type":"literal","value":' + value + ',"datatype":' + dt + "}"
        return '{"type":"literal","value":' + value + "}"
    if isinstance(term, ox.BlankNode):
        return '{"type":"bnode","value":' + _quote(term.value) + "}"
    return json.dumps(_json_term(term), ensure_ascii=False, separators=(",", ":"))


def write_json(variables: list[str], rows: list[Row], truncated: bool) -> bytes:
    # Written piecewise, each distinct term encoded once (IRIs repeat a lot in results).
    keys = [_quote(v) + ":" for v in variables]
    encoded: dict[Any, str] = {}
    bindings = []
    for row in rows:
        parts = []
        for key, term in zip(keys, row, strict=True):
            if term is None:
                continue
            text = encoded.get(term)
            if text is None:
                text = encoded[term] = _json_text(term)
            parts.append(key + text)
        bindings.append("{" + ",".join(parts) + "}")
    flag = ',"truncated":true' if truncated else ""  # not in the standard; clients may warn
    head = "[" + ",".join(_quote(v) for v in variables) + "]"
    doc = f'{{"head":{{"vars":{head}}},"results":{{"bindings":[{",".join(bindings)}]}}{flag}}}'
    return doc.encode("utf-8")


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            dt = quoteattr(term.datatype.value)
            return f"<literal datatype={dt}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject>"
        f"<predicate>{_xml_term(term.predicate)}</predicate>"
        f"<object>{_xml_term(term.object)}</object></triple>"
    )


def write_xml(variables: list[str], rows: list[Row], truncated: bool) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    out.append('<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>')
    out.extend(f"<variable name={quoteattr(v)}/>" for v in variables)
    if truncated:  # the standard's only place for extra information in the head
        out.append('<link href="urn:pillars:truncated-by-max-rows"/>')
    out.append("</head>\n<results>\n")
    for row in rows:
        out.append("<result>")
        for v, t in zip(variables, row, strict=True):
            if t is not None:
                out.append(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def _csv_value(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term.value)
    return str(term)


def write_csv(variables: list[str], rows: list[Row], truncated: bool) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([_csv_value(t) for t in row] for row in rows)
    return buf.getvalue().encode("utf-8")


def write_tsv(variables: list[str], rows: list[Row], truncated: bool) -> bytes:
    # str() of a pyoxigraph term is its N-Triples form, which is what TSV results use.
    lines = ["\t".join("?" + v for v in variables)]
    lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


WRITERS = {"json": write_json, "xml": write_xml, "csv": write_csv, "tsv": write_tsv}

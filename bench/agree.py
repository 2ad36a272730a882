"""Do the servers give the same answers? Each query is asked once of every server.

SELECT rows are compared as multisets of values (numbers by value, so `"3"^^xsd:int` and
`"3"^^xsd:integer` agree); graphs (CONSTRUCT, DESCRIBE) as sets of triples with blank nodes
blanked out. DESCRIBE is implementation-defined in SPARQL 1.1, so a difference there is
reported, not treated as a failure.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from decimal import Decimal, InvalidOperation
from typing import Any

import pyoxigraph as ox

from bench.mix import Query


def fetch(endpoint: str, q: Query, timeout: float = 60.0) -> bytes:
    url = f"{endpoint}?{urllib.parse.urlencode({'query': q.text})}"
    req = urllib.request.Request(url, headers={"Accept": q.accept})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return bytes(r.read())


def _value(term: dict[str, str]) -> str:
    if term.get("type") in ("literal", "typed-literal") and term.get("datatype", "").startswith(
        "http://www.w3.org/2001/XMLSchema#"
    ):
        try:
            return str(Decimal(term["value"]).normalize())
        except InvalidOperation:
            pass
    if term.get("type") == "bnode":
        return "_"
    return term["value"]


def normal(body: bytes, accept: str) -> Any:
    if accept.startswith("application/sparql-results+json"):
        doc = json.loads(body)
        if "boolean" in doc:
            return doc["boolean"]
        rows = [
            tuple(sorted((k, _value(v)) for k, v in b.items())) for b in doc["results"]["bindings"]
        ]
        return sorted(rows)
    triples = set()
    for t in ox.parse(body, format=ox.RdfFormat.TURTLE):
        parts = (t.subject, t.predicate, t.object)
        triples.add(tuple("_" if isinstance(x, ox.BlankNode) else str(x) for x in parts))
    return sorted(triples)


def size(answer: Any) -> int:
    return 1 if isinstance(answer, bool) else len(answer)


def compare(
    endpoints: dict[str, str], queries: list[Query], reference: str
) -> list[dict[str, Any]]:
    """One row per query: its size at the reference server and, per server, agree or why not."""
    rows = []
    for q in queries:
        answers: dict[str, Any] = {}
        verdict: dict[str, str] = {}
        for name, endpoint in endpoints.items():
            try:
                answers[name] = normal(fetch(endpoint, q), q.accept)
            except Exception as err:  # noqa: BLE001 - any failure is a finding to report
                verdict[name] = f"error: {type(err).__name__}: {str(err)[:120]}"
        ref = answers.get(reference)
        for name, answer in answers.items():
            if name == reference:
                verdict[name] = "reference"
            elif answer == ref:
                verdict[name] = "same"
            else:
                verdict[name] = (
                    f"differs ({size(answer)} vs {size(ref) if ref is not None else '?'})"
                )
        rows.append(
            {"query": q.name, "size": size(ref) if ref is not None else None, "verdict": verdict}
        )
    return rows

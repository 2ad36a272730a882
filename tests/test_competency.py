"""The competency questions of DESIGN.md (and of issue 16) against the bundled corpus.

queries/cqNN-<name>.rq is the question as SPARQL; queries/cqNN-<name>.expected.json is its
answer written by hand from reading the article (never by running the query):

    question   the question, also quoted in the .rq's leading comment
    keys       the columns compared (order-insensitive, as a set of tuples)
    rows       the expected key tuples; a list as a value stands for one row per item
    where      optional: compare `rows` only with the result rows whose column has one of
               the listed values (the rest of the answer is open-ended, see rows_include)
    rows_include  optional: key tuples that must be among the results (an open-ended answer,
               such as every claim the article links in support of its thesis)
    values     optional: for a column, the exact set of its distinct non-empty values (for
               answers whose rows the encoding may split differently, e.g. perceptions)
    anchored   optional: rows found by where the text says them rather than by IRI: each
               gives some column values and a quote with offsets; a result row must have
               those values and an evidence span overlapping the quote. With `anchored_by`
               (an identity column, e.g. ?quantity), every resource the query returns must
               match one of these rows, so nothing unexpected is returned either
    evidence   optional: for a value of the column `evidence_by`, a quote of the text with
               its offsets (or a list of acceptable quotes); some result row for that value
               must carry an evidence span overlapping one of them
    words      optional: columns that carry passages of the text joined by `separator`
               instead of ?exact ?start ?end (an answer shaped for reading, one row per
               thing): every passage must be words of the text, and the passages count as
               evidence spans wherever they occur in it
    filled     optional: columns bound in every result row

Every evidence the query returns (?exact ?start ?end) must be the text at its offsets.
"""

from __future__ import annotations

import itertools
import json
import shutil
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from pillars.corpus import default_root, discover
from pillars.namespaces import PREFIXES
from pillars.store import memory_store

ROOT = default_root()
QUERIES = ROOT / "queries"
SLUG = "iranian-russian-security-convergence"
TEXT = (ROOT / "instances" / SLUG / "text.txt").read_text(encoding="utf-8")
NAMES = {
    **PREFIXES,
    "art": f"https://w3id.org/pillars/id/{SLUG}/",
    "threat-type": "https://w3id.org/pillars/id/threat-type/",
    "limit-type": "https://w3id.org/pillars/id/limit-type/",
}
NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#" + t
    for t in ("decimal", "integer", "double", "float", "int", "long", "nonNegativeInteger")
}
CASES = sorted(QUERIES.glob("cq*.rq"))
# Where the data departs from the hand-written answer and the fix belongs to another part,
# the case is a strict xfail with the reason (also in NOTES.md, "Unfinished work"): it fails
# again, as a reminder to remove the entry, as soon as the data is fixed.
KNOWN_GAPS: dict[str, str] = {}


def _term(term: Any) -> str | None:
    """A result value as the expected files write it: prefixed IRI, plain or numeric text."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        for prefix, ns in sorted(NAMES.items(), key=lambda item: -len(item[1])):
            if term.value.startswith(ns):
                return f"{prefix}:{term.value[len(ns) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal) and term.datatype.value in NUMERIC:
        return _number(term.value)
    return str(term.value)


def _number(value: str) -> str:
    try:
        return format(Decimal(value).normalize(), "f")
    except InvalidOperation:
        return value


def run(store: ox.Store, query: str) -> list[dict[str, str | None]]:
    # As on the server: a query without GRAPH sees the union of all graphs (DESIGN.md).
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions), "a competency question is a SELECT"
    names = [v.value for v in result.variables]
    return [{n: _term(solution[n]) for n in names} for solution in result]


def expand(rows: list[dict[str, Any]], keys: list[str]) -> set[tuple[str | None, ...]]:
    out: set[tuple[str | None, ...]] = set()
    for row in rows:
        values = [row.get(k) for k in keys]
        lists = [v if isinstance(v, list) else [v] for v in values]
        for combo in itertools.product(*lists):
            out.add(tuple(_number(str(c)) if isinstance(c, int | float) else c for c in combo))
    return out


def check(store: ox.Store, rq: Path) -> None:
    expected = json.loads(rq.with_suffix(".expected.json").read_text(encoding="utf-8"))
    query = rq.read_text(encoding="utf-8")
    head = " ".join(
        line.lstrip("# ").strip() for line in query.splitlines() if line.startswith("#")
    )
    assert expected["question"] in head, f"{rq.name}: the leading comment must quote the question"
    rows = run(store, query)
    keys: list[str] = expected.get("keys", [])
    if keys:
        where: dict[str, list[str]] = expected.get("where", {})
        kept = [r for r in rows if all(r.get(c) in vs for c, vs in where.items())]
        got = {tuple(row.get(k) for k in keys) for row in kept}
        _same(rq, f"keys {keys} where {where}", expand(expected["rows"], keys), got)
        every = {tuple(row.get(k) for k in keys) for row in rows}
        lacking = sorted(expand(expected.get("rows_include", []), keys) - every, key=str)
        assert not lacking, f"{rq.name}: expected among the results but missing: {lacking}"
    for column, values in expected.get("values", {}).items():
        got_values = {row.get(column) for row in rows} - {None}
        _same(rq, f"values of ?{column}", set(values), got_values)
    for row in rows:
        if row.get("exact") is not None:
            start, end = int(row["start"] or -1), int(row["end"] or -1)
            assert TEXT[start:end] == row["exact"], f"{rq.name}: bad evidence in result {row}"
    for column in expected.get("filled", []):
        empty = [row for row in rows if not row.get(column)]
        assert not empty, f"{rq.name}: ?{column} unbound or empty in {empty[:3]}"
    for row in rows:
        _spans(rq, row, expected)  # every passage a column carries must be words of the text
    _check_anchored(rq, rows, expected)
    by = expected.get("evidence_by")
    for value, quotes in expected.get("evidence", {}).items():
        quotes = quotes if isinstance(quotes, list) else [quotes]
        for quote in quotes:
            exact, start, end = quote["exact"], quote["start"], quote["end"]
            assert TEXT[start:end] == exact, f"{rq.name}: expected file's quote for {value}"
        spans = [span for r in rows if r.get(by) == value for span in _spans(rq, r, expected)]
        assert any(s < q["end"] and e > q["start"] for s, e in spans for q in quotes), (
            f"{rq.name}: no evidence returned for {value} overlaps the text it rests on, "
            f"{quotes[0]['exact'][:70]!r} [{quotes[0]['start']}-{quotes[0]['end']}]; "
            f"returned spans: {spans[:6]}"
        )


def _spans(rq: Path, row: dict[str, str | None], expected: dict[str, Any]) -> list[tuple[int, int]]:
    """The row's evidence spans: its ?start ?end, and every place its passages occur."""
    spans = []
    if row.get("start") is not None:
        spans.append((int(row["start"] or -1), int(row["end"] or -1)))
    words: dict[str, Any] = expected.get("words", {})
    for column in words.get("columns", []):
        for passage in (row.get(column) or "").split(words["separator"]):
            if not passage:
                continue
            at = TEXT.find(passage)
            assert at >= 0, f"{rq.name}: ?{column} holds words not in the text: {passage!r}"
            while at >= 0:
                spans.append((at, at + len(passage)))
                at = TEXT.find(passage, at + 1)
    return spans


def _check_anchored(rq: Path, rows: list[dict[str, str | None]], expected: dict[str, Any]) -> None:
    anchored: list[dict[str, Any]] = expected.get("anchored", [])
    matched: set[str | None] = set()
    identity = expected.get("anchored_by")

    def fits(row: dict[str, str | None], want: dict[str, Any]) -> bool:
        if row.get("start") is None or row.get("end") is None:
            return False
        start, end = int(row["start"] or -1), int(row["end"] or -1)
        values = {k: v for k, v in want.items() if k not in ("exact", "start", "end", "why")}
        same = all(
            row.get(k) == (_number(str(v)) if isinstance(v, int | float) else v)
            for k, v in values.items()
        )
        return same and start < want["end"] and end > want["start"]

    for want in anchored:
        assert TEXT[want["start"] : want["end"]] == want["exact"], f"{rq.name}: {want}"
        hits = [row for row in rows if fits(row, want)]
        assert hits, f"{rq.name}: nothing returned for {want}"
        matched.update(row.get(identity) for row in hits if identity)
    if identity:
        returned = {row.get(identity) for row in rows}
        unexpected = sorted(returned - matched, key=str)
        assert not unexpected, f"{rq.name}: returned but no expected row fits: {unexpected}"


def _same(rq: Path, what: str, want: set[Any], got: set[Any]) -> None:
    missing, extra = sorted(want - got, key=str), sorted(got - want, key=str)
    assert not missing and not extra, (
        f"{rq.name}: {what}\n  expected but not returned: {missing}\n"
        f"  returned but not expected: {extra}"
    )


@pytest.fixture(scope="module", params=[False, True], ids=["asserted", "entailed"])
def store(request: pytest.FixtureRequest) -> ox.Store:
    """Every question must answer the same with and without the entailed graphs."""
    return memory_store(entail=request.param)


def test_the_questions_are_numbered_and_answered() -> None:
    assert [p.name[:4] for p in CASES] == [f"cq{n:02d}" for n in range(1, len(CASES) + 1)]
    assert len(CASES) >= 14
    for rq in CASES:
        assert rq.with_suffix(".expected.json").is_file(), f"{rq.name} has no expected answer"


def _case(rq: Path) -> Any:
    gap = KNOWN_GAPS.get(rq.stem)
    marks = [pytest.mark.xfail(strict=True, reason=gap)] if gap else []
    return pytest.param(rq, id=rq.stem, marks=marks)


@pytest.mark.parametrize("rq", [_case(rq) for rq in CASES])
def test_competency_question(store: ox.Store, rq: Path) -> None:
    check(store, rq)


def test_cq10_finds_a_limit_type_shared_with_a_second_article(tmp_path: Path) -> None:
    """With one article CQ10 answers nothing; a second article sharing a concept must show."""
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    shutil.copytree(ROOT / "instances", tmp_path / "instances")
    other = tmp_path / "instances" / "second-article"
    other.mkdir()
    (other / "text.txt").write_text("Gas exports set them apart.\n", encoding="utf-8")
    (other / "limits.ttl").write_text(
        "@prefix pil: <https://w3id.org/pillars/ontology#> .\n"
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n"
        "@prefix s: <https://w3id.org/pillars/id/second-article/> .\n"
        "s:limit-gas a pil:RivalryLimit ;\n"
        "    pil:limitType <https://w3id.org/pillars/id/limit-type/economic-rivalry> ;\n"
        "    pil:hasEvidence s:ev-gas .\n"
        's:ev-gas a pil:Evidence ; oa:exact "Gas exports" ; oa:start 0 ; oa:end 11 ;\n'
        "    pil:inText s:text .\n",
        encoding="utf-8",
    )
    rq = next(p for p in CASES if p.name.startswith("cq10"))
    rows = run(memory_store(discover(tmp_path)), rq.read_text(encoding="utf-8"))
    assert {(r["concept"], r["articles"]) for r in rows} == {("limit-type:economic-rivalry", "2")}

"""The query page's back end: the competency questions, and running a query for the table.

Queries typed into the page go through the SPARQL endpoint's own code (`protocol.answer`): the
same evaluator processes, time limit, row limit and SERVICE/FROM guards as `/sparql`. The page
asks for SPARQL JSON results (or N-Triples for CONSTRUCT/DESCRIBE) and renders the table on
the server, so the form works without JavaScript; downloads are the endpoint's CSV or JSON.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from flask import Response, current_app, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from pillars.corpus import default_root
from pillars.namespaces import sparql_prefixes
from pillars.server import protocol
from pillars.server.errors import HttpError
from pillars.server.pages import query_help, query_table
from pillars.server.pages.base import (
    article_slugs,
    bp,
    linker,
    store,
)
from pillars.server.state import state

# Table format per query form, and the download formats per button.
GRAPH_FORMS = {"CONSTRUCT", "DESCRIBE"}
DOWNLOADS = {"csv": ("csv", "ntriples"), "json": ("json", "jsonld")}
EXTENSIONS = {"csv": "csv", "json": "json", "ntriples": "nt", "jsonld": "jsonld"}


@dataclass(frozen=True)
class Example:
    name: str  # file stem, e.g. "cq01-pillars"
    title: str
    description: str
    query: str


@dataclass
class Outcome:
    variables: list[str]
    rows: list[list[Any]]  # pyoxigraph terms, None where unbound
    boolean: bool | None = None
    truncated: bool = False


class QueryError(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def default_query() -> str:
    return (
        sparql_prefixes() + "\n# Which kinds of things does the graph hold, and how many of each?\n"
        "SELECT ?class (COUNT(?thing) AS ?things) WHERE {\n  ?thing a ?class .\n}\n"
        "GROUP BY ?class\nORDER BY DESC(?things)\nLIMIT 25\n"
    )


def load_examples(folder: Path) -> list[Example]:
    """Every queries/*.rq file; its leading comment lines are its title and description."""
    examples = []
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # a broken file is the query author's to fix; the page still works
        comments: list[str] = []
        for line in text.splitlines():
            stripped = line.strip()
            if not stripped:
                if comments:
                    break
                continue
            if not stripped.startswith("#"):
                break
            comments.append(stripped.lstrip("#").strip())
        comments = [c for c in comments if c]
        title = comments[0] if comments else path.stem
        for tag in ("title:", "question:", "cq:"):
            if title.lower().startswith(tag):
                title = title[len(tag) :].strip()
        examples.append(Example(path.stem, title, " ".join(comments[1:]), text))
    return examples


_SKIP = re.compile(r"<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")
_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword outside IRIs and comments."""
    found = _FORM.search(_SKIP.sub(" ", query))
    return found.group(1).upper() if found else "SELECT"


def _answer(query: str, fmt: str) -> Response:
    try:
        response = protocol.answer(query, MultiDict({"format": fmt}))
    except HttpError as err:
        raise QueryError(err.status, str(err)) from None
    if response.status_code != 200:
        raise QueryError(response.status_code, response.get_data(as_text=True).strip())
    return response


def run(query: str) -> Outcome:
    """Run a query the way /sparql does; QueryError carries the endpoint's status and reason."""
    if query_form(query) in GRAPH_FORMS:
        response = _answer(query, "ntriples")
        triples = ox.parse(response.get_data(), format=ox.RdfFormat.N_TRIPLES)
        rows = [[t.subject, t.predicate, t.object] for t in triples]
        truncated = response.headers.get("Pillars-Truncated") == "true"
        return Outcome(["subject", "predicate", "object"], rows, truncated=truncated)
    doc = json.loads(_answer(query, "json").get_data())
    if "boolean" in doc:
        return Outcome([], [], boolean=bool(doc["boolean"]))
    variables = list(doc["head"]["vars"])
    rows = [[_term(b.get(v)) for v in variables] for b in doc["results"]["bindings"]]
    return Outcome(variables, rows, truncated=bool(doc.get("truncated")))


def download(query: str, button: str) -> tuple[Response, str]:
    """The endpoint's answer in the button's format, and the file extension to name it by."""
    if button not in DOWNLOADS:
        raise QueryError(400, f"parameter format: expected csv or json, got {button!r}")
    results, graph = DOWNLOADS[button]
    fmt = graph if query_form(query) in GRAPH_FORMS else results
    return _answer(query, fmt), EXTENSIONS[fmt]


def _term(binding: dict[str, Any] | None) -> Any:
    """A SPARQL JSON term as a pyoxigraph term, so the page renders it like any other."""
    if binding is None:
        return None
    kind, value = binding.get("type"), str(binding.get("value", ""))
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in binding:
            return ox.Literal(value, language=binding["xml:lang"])
        if "datatype" in binding:
            return ox.Literal(value, datatype=ox.NamedNode(binding["datatype"]))
        return ox.Literal(value)
    return ox.Literal(json.dumps(value))  # a triple term: shown as its JSON


def queries_dir() -> Path:
    configured = current_app.config.get("PILLARS_QUERIES_DIR")
    return Path(configured) if configured else default_root() / "queries"


@bp.route("/query", methods=["GET", "POST"])
def query_page() -> Response:
    examples = load_examples(queries_dir())
    asked = request.values.get("example")
    chosen = next((e for e in examples if e.name == asked), None)
    missing = asked if asked and chosen is None else None  # an old or mistyped link
    text = request.values.get("query") or (chosen.query if chosen else None)
    button = request.values.get("format")
    if text is not None and button:
        try:
            response, ext = download(text, button)
        except QueryError as err:
            return Response(f"{err.status} {err}\n", err.status, mimetype="text/plain")
        response.headers["Content-Disposition"] = f'attachment; filename="results.{ext}"'
        return response
    outcome, error, status = None, None, 404 if missing else 200
    if text is not None:
        try:
            outcome = run(text)
        except QueryError as err:
            error, status = str(err), err.status
    shown = outcome.rows[:TABLE_ROWS] if outcome else []
    cells = query_table.cells(store(), shown, linker())
    columns = query_table.columns(outcome.variables, shown) if outcome else []
    html = render_template(
        "query.html",
        query=text if text is not None else default_query(),
        examples=examples,
        chosen=chosen,
        outcome=outcome,
        columns=columns,
        cells=cells,
        chart=query_table.chart(columns, cells),
        offsets=[c.name for c in columns if c.kind == "offset"],
        warnings=query_help.undefined_terms(text, _pil_names()) if text is not None else [],
        error=error,
        ran=text is not None,
        permalink=_permalink(text, chosen),
        missing=missing,
        articles=len(article_slugs()),
    )
    return Response(html, status, mimetype="text/html")


@bp.get("/query/terms.json")
def query_terms() -> Response:
    """The prefixes and the ontology's terms, for the editor's autocompletion and warnings."""
    return jsonify(query_help.terms_document(_terms()))


@bp.get("/query/schema.json")
def query_schema() -> Response:
    """The schema panel: the data's classes and properties, the most used first, counted."""
    return jsonify(state().memo.get(("query", "schema"), _schema))


def _terms() -> list[query_help.Term]:
    terms: list[query_help.Term] = state().memo.get(
        ("query", "terms"), lambda: query_help.ontology_terms(store())
    )
    return terms


def _pil_names() -> list[str]:
    return query_help.pil_names(_terms())


def _schema() -> dict[str, Any]:
    """Counted through the evaluators, with the query time limit: on a large store a scan
    of every quad takes seconds, and the web worker must not do it with no limit."""
    labels = {t.iri: t.label for t in _terms()}
    found = []
    for query in query_help.schema_queries():
        try:
            found.append(query_help.counted(run(query).rows, labels))
        except QueryError as err:
            raise HttpError(err.status, f"the schema could not be counted: {err}") from None
    return query_help.schema_document(*found)


PERMALINK_CHARS = 8_000  # gunicorn refuses request lines over 8,190 bytes


def _permalink(text: str | None, chosen: Example | None) -> str | None:
    """A GET link that reruns this query, when it fits in a URL."""
    if text is None:
        return None
    if chosen is not None and text == chosen.query:
        return url_for("pages.query_page", example=chosen.name)
    link = url_for("pages.query_page", query=text)
    return link if len(link) <= PERMALINK_CHARS else None


TABLE_ROWS = 1_000  # rows rendered in the page; a browser table of 10,000 rows is no use

"""POST /validate: check a draft article graph against the served ontology, shapes and shared
vocabulary, without storing anything.

In: Turtle, TriG, JSON-LD or N-Triples (by Content-Type), or an article's folder as multipart
(`file` parts of Turtle and the `text` part, for an article not yet served); at most
`max_request_bytes` (Flask answers 413 before this view runs). Out: the report as JSON,
Turtle (SHACL's own report) or HTML, by Accept. Validation runs in a child process that is
killed at the time limit (the `query_timeout` setting; `?timeout=` may lower it), so a
pathological draft cannot hold a server thread. The store is only read: the ontology, shapes
and shared graphs, the text of an article the draft quotes, and the rest of a served article
the draft is part of.

A draft is often one file of an article that is already served: its links to resources in
the article's other files must not read as "not defined anywhere". So the draft is validated
together with the served graph of every article whose resources (`id/<slug>/...`) it
describes. Where the draft gives a resource a property, its values replace the served ones
(an edited offset is not "two offsets"); a property the draft does not give is taken from the
store, since another file of the article may state it (the store does not record which file
said what, so removing a property from one file is not seen this way: check the whole
article with `pillars check`). Findings, and SHACL's own report, are only about the draft's
resources.
"""

from __future__ import annotations

import html
import json
import multiprocessing
import re
import tempfile
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path

import pyoxigraph as ox
import rdflib  # already loaded with pillars.check.shacl
from flask import Blueprint, Response, current_app, request
from rdflib.namespace import SH

from pillars.check import SHACL, SYNTAX, Finding
from pillars.check.locate import SHARED_KINDS, short
from pillars.check.report import Report, as_json
from pillars.check.shacl import Context, SetupError, context_from_store, validate_source
from pillars.corpus import GraphSource
from pillars.namespaces import (
    ID,
    NIF,
    ONTOLOGY_GRAPH,
    PIL,
    SHAPES_GRAPH,
    SHARED_GRAPH,
    article_graph,
)
from pillars.server.cors import allow_any_origin, preflight
from pillars.server.errors import HttpError
from pillars.server.protocol import client_timeout
from pillars.server.state import state

bp = Blueprint("validate", __name__)

INPUT_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/trig": ox.RdfFormat.TRIG,  # graph names are dropped: the draft is one article
}
MULTIPART = "multipart/form-data"  # parts: `file` (Turtle, repeatable), `text` (text.txt)
_PART_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.ttl")
OUTPUT_TYPES = ("application/json", "text/turtle", "text/html")
DRAFT_BASE = "https://w3id.org/pillars/draft/"  # resolves relative IRIs of a posted draft


@dataclass(frozen=True)
class Draft:
    """What was posted: its triples; the Turtle files as sent (multipart), which are checked
    as they are so findings name the file and line; and the article's text, if sent."""

    triples: list[ox.Triple]
    files: tuple[tuple[str, bytes], ...] = ()
    text: str | None = None


@dataclass(frozen=True)
class Outcome:
    findings: list[Finding]
    report_turtle: str


# Validating changes nothing on the server, so browser apps on other origins may call it
# (the same policy as /sparql); the preflight is needed because text/turtle is not a
# "simple" content type.
allow_any_origin(bp, "Content-Type")


@bp.route("/validate", methods=["OPTIONS"])
def validate_preflight() -> Response:
    return preflight("POST, OPTIONS")


@bp.post("/validate")
def validate() -> Response:
    settings = state().settings
    timeout = client_timeout(request.args.get("timeout"), settings.query_timeout)
    media = (request.mimetype or "").lower()
    if media not in INPUT_FORMATS and media != MULTIPART:
        accepted = ", ".join([*INPUT_FORMATS, MULTIPART])
        raise HttpError(415, f"Content-Type {media or '(none)'} not supported; send {accepted}")
    out = request.accept_mimetypes.best_match(OUTPUT_TYPES, default="application/json")
    if out is None:
        raise HttpError(406, f"cannot answer in any type the Accept header allows; offer: "
                                 f"{', '.join(OUTPUT_TYPES)}")  # fmt: skip
    draft = _multipart() if media == MULTIPART else Draft(_parse(_body(), INPUT_FORMATS[media]))
    outcome = _run_with_limit(draft, _context(), timeout)
    report = Report(outcome.findings, [SYNTAX, SHACL], articles=1)
    if out == "text/turtle":
        body, ctype = outcome.report_turtle, "text/turtle; charset=utf-8"
    elif out == "text/html":
        body, ctype = as_html(report), "text/html; charset=utf-8"
    else:
        body, ctype = as_json(report), "application/json"
    resp = Response(body, 200, content_type=ctype)
    resp.headers["Vary"] = "Accept"
    return resp


def _body() -> bytes:
    """The request body, refused when it ended before its Content-Length (a client that
    stalled or went away): a truncated draft must not be checked as if it were whole."""
    data = request.get_data()
    expected = request.content_length
    if expected is not None and len(data) < expected:
        raise HttpError(
            400,
            f"the body ended after {len(data)} of its {expected} bytes (Content-Length)",
        )
    return data


def _multipart() -> Draft:
    """An article's folder as parts: `file` (each a Turtle file, by name) and `text`."""
    try:
        parts = request.files.getlist("file")
        text_part = request.files.get("text")
        text_field = request.form.get("text")
    except ValueError as err:  # werkzeug's words for a body it cannot split into parts
        raise HttpError(400, f"cannot read the multipart body: {err}") from None
    if not parts:
        raise HttpError(400, "multipart: no `file` part; send each Turtle file as a `file` part")
    files: list[tuple[str, bytes]] = []
    triples: list[ox.Triple] = []
    for part in parts:
        name = Path(part.filename or "").name
        if not _PART_NAME.fullmatch(name):
            shown = name or "(nothing)"
            raise HttpError(400, f"multipart: a `file` part is named {shown!r}; give each "
                                 "the name of a Turtle file, such as article.ttl")  # fmt: skip
        if any(name == seen for seen, _ in files):
            raise HttpError(400, f"multipart: two `file` parts are named {name!r}")
        data = part.read()
        triples.extend(_parse(data, ox.RdfFormat.TURTLE, f"{name}: ", allow_empty=True))
        files.append((name, data))
    if not triples:
        raise HttpError(400, "multipart: the `file` parts hold no triples")
    raw = text_part.read() if text_part is not None else (text_field or "").encode("utf-8")
    try:
        text = raw.decode("utf-8") if text_part is not None or text_field is not None else None
    except UnicodeDecodeError as err:
        raise HttpError(
            400, f"multipart: the `text` part is not UTF-8 (byte {err.start})"
        ) from None
    return Draft(triples, tuple(files), text)


def _parse(
    data: bytes, fmt: ox.RdfFormat, where_prefix: str = "", allow_empty: bool = False
) -> list[ox.Triple]:
    try:
        parsed = ox.parse(data, format=fmt, base_iri=DRAFT_BASE)
        triples = [q.triple if isinstance(q, ox.Quad) else q for q in parsed]
    except SyntaxError as err:
        why = str(err.msg).split(": ", 1)[-1]
        if "LoadDocumentCallback" in why:  # pyoxigraph's words for a remote @context
            raise HttpError(
                400, "JSON-LD @context given by URL: nothing is fetched; put the context inline"
            ) from None
        if err.lineno is None:
            raise HttpError(400, f"{where_prefix}syntax error: {why}") from None
        where = f"line {err.lineno}" + (f", column {err.offset}" if err.offset else "")
        raise HttpError(400, f"{where_prefix}syntax error at {where}: {why}") from None
    except ValueError as err:  # e.g. bytes that are not UTF-8
        raise HttpError(400, f"{where_prefix}cannot read the body: {err}") from None
    if not triples and not allow_empty:
        # An empty draft "conforms" vacuously; most often the client sent nothing at all
        # (curl --data-binary @wrong-path sends an empty body).
        raise HttpError(400, "the body holds no triples: send the draft's Turtle, JSON-LD or "
                                 "N-Triples")  # fmt: skip
    return triples


def _context() -> Context:
    """Built once per app from the store (read only)."""
    shared = state()
    if shared.validation_context is None:
        try:
            shared.validation_context = context_from_store(
                shared.store, ONTOLOGY_GRAPH, SHAPES_GRAPH, SHARED_GRAPH
            )
        except SetupError as err:
            raise HttpError(503, f"validation is not available: {err}") from None
    return shared.validation_context


def _texts(draft: Draft) -> tuple[dict[str, str], list[ox.Triple]]:
    """The text of every article text the draft quotes (pil:inText), and what the store says
    of that text resource (its type, its article), which a draft need not repeat. A text comes
    with the draft (its own nif:isString, or the `text` part) or else from the store: so a new
    article, not yet served, is checked against its own text."""
    store = state().store
    triples = draft.triples
    wanted = {t.object for t in triples if t.predicate.value == PIL + "inText"}
    texts: dict[str, str] = {
        t.subject.value: t.object.value
        for t in triples
        if t.predicate.value == NIF + "isString"
        and t.subject in wanted
        and isinstance(t.subject, ox.NamedNode)
        and isinstance(t.object, ox.Literal)
    }
    about: list[ox.Triple] = []
    for node in wanted:
        if not isinstance(node, ox.NamedNode) or node.value in texts:
            continue
        if draft.text is not None:
            texts[node.value] = draft.text
            continue
        for quad in store.quads_for_pattern(node, None, None):
            if quad.predicate.value == NIF + "isString" and isinstance(quad.object, ox.Literal):
                texts[node.value] = quad.object.value
            else:
                about.append(ox.Triple(quad.subject, quad.predicate, quad.object))
    return texts, about


def _served_article(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The rest of each served article the draft describes resources of: its named graph
    without the values of the properties the draft gives its subjects."""
    store = state().store
    subjects = {t.subject for t in triples if isinstance(t.subject, ox.NamedNode)}
    given = {(t.subject, t.predicate) for t in triples}
    slugs = set()
    for subject in subjects:
        slug, slash, local = subject.value.removeprefix(ID).partition("/")
        if subject.value.startswith(ID) and slash and local and slug not in SHARED_KINDS:
            slugs.add(slug)
    rest: list[ox.Triple] = []
    for slug in sorted(slugs):
        graph = ox.NamedNode(article_graph(slug))
        if not store.contains_named_graph(graph):
            continue  # a new article, or a shared kind of resource: nothing served to add
        rest.extend(
            ox.Triple(q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, graph)
            if (q.subject, q.predicate) not in given
        )
    return rest


def _run_with_limit(draft: Draft, context: Context, timeout: float) -> Outcome:
    triples = draft.triples
    texts, about = _texts(draft)
    rest = _served_article(triples)
    # What the store says of the quoted text and of the rest of the draft's article joins the
    # shared context: it is needed to check the draft, but it is not the draft's to answer for.
    served = [*about, *rest]
    drafted = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    foreign = {t.subject.value for t in rest if isinstance(t.subject, ox.NamedNode)} - drafted
    context = replace(
        context,
        shared=[*context.shared, *(ox.Quad(t.subject, t.predicate, t.object) for t in served)],
        shared_index=context.shared_index.with_subjects(
            (t.subject.value for t in served if isinstance(t.subject, ox.NamedNode)), "store"
        ),
    )
    receive, send = multiprocessing.Pipe(duplex=False)
    # fork: the child starts with the context (shapes, ontology) already in memory.
    child = multiprocessing.get_context("fork").Process(
        target=_child, args=(send, draft, texts, context, foreign), daemon=True
    )
    child.start()
    send.close()
    try:
        if not receive.poll(timeout):
            raise HttpError(
                504, f"validation stopped: it ran longer than the time limit of {timeout:g} s"
            )
        result = receive.recv()
    except EOFError:
        raise HttpError(500, "validation failed unexpectedly") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(1)
        receive.close()
    if isinstance(result, str):
        current_app.logger.error("validation failed: %s", result)
        raise HttpError(500, "validation failed unexpectedly")
    return Outcome(*result)


def _child(
    send: Connection,
    draft: Draft,
    texts: dict[str, str],
    ctx: Context,
    foreign: set[str],
) -> None:
    try:
        with tempfile.TemporaryDirectory(prefix="pillars-validate-") as tmp:
            source = _draft_source(Path(tmp), draft, texts)
            result = validate_source(source, ctx, want_report=True)
            findings = [_as_sent(f, bool(draft.files)) for f in result.findings]
            send.send((findings, _only_the_draft(result.report_turtle or "", foreign)))
    except Exception as err:  # reported to the parent, which logs it and answers 500
        send.send(f"{type(err).__name__}: {err}")
    finally:
        send.close()


def _only_the_draft(report_turtle: str, foreign: set[str]) -> str:
    """SHACL's report without the results about served resources the draft did not send."""
    if not foreign or not report_turtle:
        return report_turtle
    report = rdflib.Graph().parse(data=report_turtle, format="turtle")
    for top, result in list(report.subject_objects(SH.result)):
        if str(report.value(result, SH.focusNode)) in foreign:
            report.remove((top, SH.result, result))
            _drop_tree(report, result)
    for top in list(report.subjects(SH.conforms, None)):
        conforms = not any(True for _ in report.objects(top, SH.result))
        report.set((top, SH.conforms, rdflib.Literal(conforms)))
    return report.serialize(format="turtle")


def _drop_tree(graph: rdflib.Graph, node: rdflib.term.Node) -> None:
    for prop, value in list(graph.predicate_objects(node)):
        graph.remove((node, prop, value))
        if isinstance(value, rdflib.BNode) and not any(True for _ in graph.subjects(None, value)):
            _drop_tree(graph, value)


def _draft_source(folder: Path, draft: Draft, texts: dict[str, str]) -> GraphSource:
    paths: list[Path] = []
    for name, data in draft.files:  # as sent, so a finding's line is the file's line
        paths.append(folder / name)
        paths[-1].write_bytes(data)
    if not paths:
        paths.append(folder / "draft.nt")
        paths[-1].write_bytes(ox.serialize(draft.triples, format=ox.RdfFormat.N_TRIPLES) or b"")
    text_file = None
    if len(texts) == 1:  # a draft quotes one article's text
        text_file = folder / "text.txt"
        text_file.write_text(next(iter(texts.values())), encoding="utf-8")
    return GraphSource("urn:x-pillars:draft", tuple(paths), text_file, None)


def _as_sent(finding: Finding, files_as_sent: bool) -> Finding:
    if files_as_sent:  # the file by the name it was sent under, with its line
        return replace(finding, file=Path(finding.file).name if finding.file else None)
    # The temporary file means nothing to the client, and lines of the N-Triples copy are
    # not the lines it sent: the resource names the place instead.
    return Finding(finding.check, finding.severity, finding.message, resource=finding.resource,
                   rule=finding.rule)  # fmt: skip


def as_html(report: Report) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(f.severity)}</td><td>{html.escape(short(f.resource or ''))}</td>"
        f"<td>{html.escape(f.rule or f.check)}</td><td>{html.escape(f.message)}</td></tr>"
        for f in report.findings
    )
    counts = report.counts()
    verdict = "Conforms" if report.conforms else "Does not conform"
    summary = json.dumps(counts)
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Validation report</title>"
        f"<h1>{verdict}</h1><p>{html.escape(summary)}</p>"
        "<table><thead><tr><th>Severity<th>Resource<th>Rule<th>Message</thead>"
        f"<tbody>{rows}</tbody></table></html>"
    )

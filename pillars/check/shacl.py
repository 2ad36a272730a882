"""SHACL validation, one article graph at a time, with pyshacl over an Oxigraph store.

Each article is validated on its own data graph: its files, the shared vocabulary, the
ontology (so that sh:class and sh:targetClass see subclasses) and its text as nif:isString.
That keeps the cost linear in the number of articles and lets articles run in parallel
processes. pyshacl evaluates the SPARQL-based shapes on Oxigraph, which is what makes the
whole-graph SPARQL targets of shapes/integrity.ttl and shapes/anchoring.ttl cheap.

The shared vocabulary is validated once, as a unit of its own, with every shape; an article
is validated without the shapes of shapes/actors.ttl, which only concern shared resources,
and its findings about shared resources are dropped (the shared unit reports them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from pillars.check import SHACL, Finding, Severity, syntax
from pillars.check.locate import SubjectIndex, short, shorten_all
from pillars.check.units import is_shared
from pillars.corpus import Corpus, CorpusError, GraphSource
from pillars.namespaces import NIF, ONTOLOGY_GRAPH, PIL, SHAPES_GRAPH, article_text_iri
from pillars.store_interface import ReadStore

CHECK = SHACL
SHARED_SHAPES_FILE = "actors.ttl"  # shapes that only concern instances/shared/
_DEFAULT = ox.DefaultGraph()
_ARTICLE_TEXT = ox.NamedNode(PIL + "ArticleText")
_IS_STRING = ox.NamedNode(NIF + "isString")
_IN_TEXT = ox.NamedNode(PIL + "inText")
_TYPE = ox.NamedNode(str(RDF.type))
_CLASS_COMPONENT = SH.ClassConstraintComponent
_SPARQL_COMPONENT = SH.SPARQLConstraintComponent
_UNDEFINED_RULE = "pilsh:DefinedReference"
_UNKNOWN_CLASS_SHAPE = rdflib.URIRef("https://w3id.org/pillars/shapes#KnownClassShape")


class SetupError(Exception):
    """The ontology or the shapes cannot be read: nothing can be validated."""


@dataclass
class Context:
    """What every unit is validated against; loaded once per process."""

    shapes: rdflib.Graph
    shared_shapes: frozenset[rdflib.term.Node]
    ontology: list[ox.Quad]
    shared: list[ox.Quad]
    shared_index: SubjectIndex
    article_shapes: list[rdflib.term.Node] = field(default_factory=list)
    # property shape (a blank node) -> "pilsh:NodeShape property <path>", to name rules
    rule_names: dict[str, str] = field(default_factory=dict)


def load_context(
    shapes_files: Sequence[Path], ontology_files: Sequence[Path], shared_files: Sequence[Path]
) -> Context:
    if not shapes_files:
        raise SetupError("no shapes found (shapes/*.ttl)")
    if not ontology_files:
        raise SetupError("no ontology found (ontology/*.ttl)")
    # SimpleMemory: no per-triple context bookkeeping; pyshacl reads the shapes graph
    # hundreds of thousands of times per article, and the default store spent a fifth of
    # the validation time there.
    shapes = rdflib.Graph(store="SimpleMemory")
    shared_shapes: set[rdflib.term.Node] = set()
    try:
        for path in shapes_files:
            part = rdflib.Graph().parse(path, format="turtle")
            if path.name == SHARED_SHAPES_FILE:
                shared_shapes.update(part.subjects(RDF.type, SH.NodeShape))
            shapes += part
        ontology = _default_graph_quads(ontology_files)
        shared = _default_graph_quads(shared_files)
    except CorpusError as err:
        raise SetupError(str(err)) from err
    except Exception as err:  # rdflib raises many types for bad Turtle; say which file
        raise SetupError(f"cannot read the shapes: {err}") from err
    context = Context(
        shapes=shapes,
        shared_shapes=frozenset(shared_shapes),
        ontology=ontology,
        shared=shared,
        shared_index=SubjectIndex.build(shared_files),
    )
    _prepare(context)
    return context


def _lift_property_shapes(shapes: rdflib.Graph) -> dict[rdflib.term.Node, rdflib.term.Node]:
    """Give each property shape its node shape's sh:targetClass and detach it.

    Equivalent under SHACL (a property shape with the same targets checks the same focus
    nodes), and about three times faster in pySHACL: a property shape reached through
    sh:property is evaluated once per focus node, one with a target once for all of them.
    The shapes files keep the idiomatic nesting; the rules keep their names.
    """
    lifted: dict[rdflib.term.Node, rdflib.term.Node] = {}
    for node in list(shapes.subjects(RDF.type, SH.NodeShape)):
        targets = list(shapes.objects(node, SH.targetClass))
        if not targets:
            continue
        for n, prop in enumerate(sorted(shapes.objects(node, SH.property), key=str), 1):
            # pySHACL selects shapes by IRI (use_shapes), so the lifted shape gets one.
            named = rdflib.URIRef(f"{node}-property-{n}")
            for p, o in list(shapes.predicate_objects(prop)):
                shapes.add((named, p, o))
            shapes.remove((prop, None, None))
            shapes.remove((node, SH.property, prop))
            shapes.add((named, RDF.type, SH.PropertyShape))
            for target in targets:
                shapes.add((named, SH.targetClass, target))
            lifted[named] = node
    return lifted


def _prepare(context: Context) -> None:
    """Name the property shapes after their node shape, lift them, and list the shapes an
    article is validated with (all but those of the shared vocabulary)."""
    shapes = context.shapes
    for parent, prop in shapes.subject_objects(SH.property):
        prop_path = shapes.value(prop, SH.path)
        context.rule_names[str(prop)] = f"{short(str(parent))} property {short(str(prop_path))}"
    lifted = _lift_property_shapes(shapes)
    for named in lifted:
        prop_path = shapes.value(named, SH.path)
        context.rule_names[str(named)] = (
            f"{short(str(lifted[named]))} property {short(str(prop_path))}"
        )
    nodes = set(shapes.subjects(RDF.type, SH.NodeShape))
    context.article_shapes = sorted(
        (s for s in nodes | set(lifted) if lifted.get(s, s) not in context.shared_shapes),
        key=str,
    )


def context_from_store(store: ReadStore, ontology: str, shapes: str, shared: str) -> Context:
    """The context of a server: ontology, shapes and shared vocabulary as the store holds
    them (read only), so a posted draft is checked against exactly what is served."""

    def quads(graph: str) -> list[ox.Quad]:
        return _to_default(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    shapes_graph = rdflib.Graph(store="SimpleMemory")
    shapes_graph.parse(data=ox.serialize(quads(shapes), format=ox.RdfFormat.N_TRIPLES), format="nt")
    if not any(True for _ in shapes_graph.subjects(RDF.type, SH.NodeShape)):
        raise SetupError(f"the store holds no shapes in <{shapes}>")
    shared_quads = quads(shared)
    where: dict[str, tuple[str, int | None]] = {
        q.subject.value: ("shared vocabulary", None)
        for q in shared_quads
        if isinstance(q.subject, ox.NamedNode)
    }
    context = Context(
        shapes=shapes_graph,
        shared_shapes=frozenset(),
        ontology=quads(ontology),
        shared=shared_quads,
        shared_index=SubjectIndex((), where),
    )
    _prepare(context)
    return context


def _default_graph_quads(files: Iterable[Path]) -> list[ox.Quad]:
    quads: list[ox.Quad] = []
    for path in files:
        quads.extend(_to_default(syntax.parse(path)))
    return quads


def _to_default(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    return [ox.Quad(q.subject, q.predicate, q.object, _DEFAULT) for q in quads]


@dataclass
class UnitResult:
    """Findings of one unit, and the SHACL report graph when one was asked for."""

    findings: list[Finding]
    report_turtle: str | None = None


def validate_source(source: GraphSource, context: Context, want_report: bool = False) -> UnitResult:
    """Validate one article folder (or the shared vocabulary); syntax errors are findings."""
    unit_quads: list[ox.Quad] = []
    findings: list[Finding] = []
    for path in source.files:
        try:
            unit_quads.extend(syntax.parse(path))
        except CorpusError as err:
            findings.append(syntax.finding(err))
    if findings:
        return UnitResult(findings)  # validating half an article would only add noise
    return validate_quads(source, unit_quads, context, want_report)


def validate_quads(
    source: GraphSource, unit_quads: list[ox.Quad], context: Context, want_report: bool = False
) -> UnitResult:
    """Validate one unit whose files are already parsed (`syntax.parse`, in file order)."""
    unit_quads = _to_default(unit_quads)
    shared = is_shared(source)
    store = ox.Store()
    store.bulk_extend(context.ontology)
    store.bulk_extend(unit_quads if shared else [*context.shared, *unit_quads])
    text = _read_text(source)
    if isinstance(text, Finding):
        return UnitResult([text])
    if text is not None:
        store.bulk_extend(_text_quads(unit_quads, source, text))
    report = _run_pyshacl(store, context, None if shared else context.article_shapes)
    index = context.shared_index if shared else SubjectIndex.build(source.files)
    skip = set() if shared else _shared_only(context)
    findings = to_findings(report, store, index, skip, context.rule_names)
    return UnitResult(findings, report.serialize(format="turtle") if want_report else None)


def _shared_only(context: Context) -> set[str]:
    return set(context.shared_index.subjects())


def _read_text(source: GraphSource) -> str | Finding | None:
    if source.text_file is None:
        return None
    try:
        return source.text_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        return Finding(
            CHECK, "Violation", f"cannot read the article text as UTF-8: {err}",
            file=str(source.text_file), rule="text",
        )  # fmt: skip


def _text_quads(quads: list[ox.Quad], source: GraphSource, text: str) -> list[ox.Quad]:
    # The loader keys the text by the folder's slug; a draft elsewhere on disk may sit in a
    # folder of another name, so the text also goes to every pil:ArticleText it declares or
    # quotes.
    subjects = {q.subject for q in quads if q.predicate == _TYPE and q.object == _ARTICLE_TEXT}
    subjects |= {
        q.object for q in quads if q.predicate == _IN_TEXT and isinstance(q.object, ox.NamedNode)
    }
    if source.slug is not None:
        subjects.add(ox.NamedNode(article_text_iri(source.slug)))
    literal = ox.Literal(text)
    return [ox.Quad(s, _IS_STRING, literal, _DEFAULT) for s in subjects]


def _run_pyshacl(
    store: ox.Store, context: Context, use_shapes: list[rdflib.term.Node] | None
) -> rdflib.Graph:
    from pyshacl import validate  # imported here: a warm (all cached) check never needs it

    _conforms, report, text = validate(
        cast(Any, store),  # pyshacl 0.40 accepts an Oxigraph store; its hints do not say so
        shacl_graph=context.shapes,
        advanced=True,  # SPARQL targets (SHACL-AF), see shapes/integrity.ttl
        allow_warnings=True,
        inplace=True,
        use_shapes=cast(Any, use_shapes),
    )
    if not isinstance(report, rdflib.Graph):
        raise SetupError(f"pyshacl could not validate: {text}")
    return report


@dataclass(frozen=True)
class _Result:
    focus: rdflib.term.Node | None
    severity: Severity
    message: str
    shape: str
    component: rdflib.term.Node | None
    path: rdflib.term.Node | None
    value: rdflib.term.Node | None


def to_findings(
    report: rdflib.Graph,
    store: ox.Store,
    index: SubjectIndex,
    skip: set[str],
    rule_names: dict[str, str],
) -> list[Finding]:
    """SHACL results as findings: one per root cause, located in the file that defines it."""
    results = [_read_result(report, node) for node in report.objects(None, SH.result)]
    results = [r for r in results if not (str(r.focus) in skip and str(r.focus) not in index)]
    unknown_class = {str(r.focus) for r in results if str(r.shape) == str(_UNKNOWN_CLASS_SHAPE)}
    # A SPARQL rule that names the link's target (?value) says more about it than "must be
    # of class X" or "not defined anywhere" (a claim supporting another article's claim).
    explained = {
        (str(r.focus), str(r.value))
        for r in results
        if r.component == _SPARQL_COMPONENT and r.value is not None
    }
    undefined: dict[str, list[_Result]] = {}
    findings: list[Finding] = []
    for r in results:
        if r.component == _CLASS_COMPONENT and r.value is not None:
            if str(r.value) in unknown_class:
                continue  # the value's misspelt class is the cause, and is reported
            if (str(r.focus), str(r.value)) in explained:
                continue  # one break, one message: the SPARQL rule's
            if isinstance(r.value, rdflib.URIRef) and not _is_typed(store, r.value):
                undefined.setdefault(str(r.value), []).append(r)
                continue
        findings.append(_finding(r, index, rule_names))
    for value, refs in sorted(undefined.items()):
        findings.append(_undefined_finding(value, refs, index))
    return sorted(findings, key=_order)


def _order(f: Finding) -> tuple[str, int, str, str]:
    return (f.file or "", f.line or 0, f.resource or "", f.message)


def _is_typed(store: ox.Store, node: rdflib.URIRef) -> bool:
    return any(True for _ in store.quads_for_pattern(ox.NamedNode(str(node)), _TYPE, None))


def _read_result(report: rdflib.Graph, node: rdflib.term.Node) -> _Result:
    severity = str(report.value(node, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
    return _Result(
        focus=report.value(node, SH.focusNode),
        severity=severity if severity in ("Violation", "Warning", "Info") else "Violation",  # type: ignore[arg-type]
        message=str(report.value(node, SH.resultMessage) or "does not conform"),
        shape=str(report.value(node, SH.sourceShape) or ""),
        component=report.value(node, SH.sourceConstraintComponent),
        path=report.value(node, SH.resultPath),
        value=report.value(node, SH.value),
    )


def _finding(r: _Result, index: SubjectIndex, rule_names: dict[str, str]) -> Finding:
    where = index.locate(str(r.focus))
    message = fill(r.message, r.focus, r.value)
    return Finding(
        CHECK, r.severity, message,
        file=where[0] if where else None, line=where[1] if where else None,
        resource=str(r.focus), rule=rule_names.get(r.shape) or short(r.shape),
    )  # fmt: skip


def _undefined_finding(value: str, refs: list[_Result], index: SubjectIndex) -> Finding:
    first = refs[0]
    by = ", ".join(
        sorted({f"{short(str(r.focus))} ({short(str(r.path))})" for r in refs if r.path})
    )
    where = index.locate(str(first.focus))
    return Finding(
        CHECK,
        "Violation",
        f"{short(value)} is referred to by {by} but is not defined anywhere (it has no type). "
        "Fix the spelling of the reference, or add the missing resource.",
        file=where[0] if where else None,
        line=where[1] if where else None,
        resource=value,
        rule=_UNDEFINED_RULE,
    )


def fill(message: str, focus: rdflib.term.Node | None, value: rdflib.term.Node | None) -> str:
    """Fill {$this} and {$value} in a message; pyshacl fills them only for SPARQL shapes."""
    for key in ("{$this}", "{?this}"):
        message = message.replace(key, short(str(focus)) if focus is not None else "?")
    for key in ("{$value}", "{?value}"):
        message = message.replace(key, short(str(value)) if value is not None else "?")
    # SPARQL-based messages come back with full IRIs in them; editors write prefixed names.
    return shorten_all(message)


def run(corpus: Corpus) -> list[Finding]:
    """The checks contract: SHACL findings for every article (and the shared vocabulary) of
    `corpus`, one after the other. `pillars check` does the same in parallel, with a cache."""
    ontology = next((s.files for s in corpus.sources if s.graph == ONTOLOGY_GRAPH), ())
    shapes = next((s.files for s in corpus.sources if s.graph == SHAPES_GRAPH), ())
    shared = [f for s in corpus.sources if is_shared(s) for f in s.files]
    context = load_context(shapes, ontology, shared)
    findings: list[Finding] = []
    for source in corpus.sources:
        if source.slug is not None:
            findings.extend(validate_source(source, context).findings)
    return findings

"""Quote fidelity: every pil:Evidence must be the article's text at its offsets.

Each Turtle file of an article folder is parsed on its own (with rdflib) so that a finding
names the file an editor has to open. An evidence block passes when `text[start:end] ==
exact`, `0 <= start < end <= len(text)`, its prefix ends right before `start`, its suffix
starts right at `end`, and it points (pil:inText) at the article's own text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from pillars.check import QUOTES, Finding
from pillars.corpus import Corpus, GraphSource
from pillars.namespaces import ID, OA, PIL, article_text_iri

CHECK = QUOTES
OA_NS = Namespace(OA)
PIL_NS = Namespace(PIL)
SHOWN = 80  # characters of a quote shown in a message; long quotes are cut


@dataclass(frozen=True)
class _FileContext:
    path: Path
    graph: Graph
    lines: list[str]


def run(corpus: Corpus) -> list[Finding]:
    """Check every evidence block of every article folder of `corpus`."""
    findings: list[Finding] = []
    for source in corpus.articles:
        findings.extend(check_article(source))
    return findings


def check_article(source: GraphSource) -> list[Finding]:
    text = _read_text(source)
    findings: list[Finding] = []
    declared: set[Node] = set()
    referenced: dict[Node, _FileContext] = {}
    parsed: list[_FileContext] = []
    for path in source.files:
        ctx = _parse(path)
        if isinstance(ctx, Finding):
            findings.append(ctx)
        else:
            parsed.append(ctx)
    slug = source.slug or ""
    other = _other_slug(parsed, slug) if text is not None else None
    if other is not None:
        # Every quote names another slug's text: the folder was copied or renamed. Said once,
        # instead of once per evidence block (582 for the first article).
        findings.append(_slug_finding(parsed, source, other))
        slug = other
    for ctx in parsed:
        for evidence in sorted(_evidence_nodes(ctx.graph), key=str):
            declared.add(evidence)
            if text is None:
                findings.append(_finding(ctx, evidence, "quote-no-text", _no_text_message(source)))
                continue
            findings.extend(_check_one(ctx, evidence, text, slug))
        for target in ctx.graph.objects(None, PIL_NS.hasEvidence):
            referenced.setdefault(target, ctx)
    # Evidence is article-local, so a pil:hasEvidence target no file of the folder declares
    # is a typo in an evidence name (or a block that was deleted).
    for target, ctx in sorted(referenced.items(), key=lambda item: str(item[0])):
        if target not in declared:
            findings.append(
                _finding(
                    ctx,
                    target,
                    "quote-dangling",
                    f"pil:hasEvidence points to {_name(ctx.graph, target)}, which no file "
                    f"of {source.slug} declares as a pil:Evidence with oa:exact and offsets",
                )
            )
    return findings


def _other_slug(parsed: list[_FileContext], slug: str) -> str | None:
    """The slug of the one article text every pil:inText names, when it is not `slug`."""
    targets = {
        str(target)
        for ctx in parsed
        for evidence in _evidence_nodes(ctx.graph)
        for target in ctx.graph.objects(evidence, PIL_NS.inText)
    }
    if len(targets) != 1:
        return None
    (target,) = targets
    named = target[len(ID) : -len("/text")]
    if target != article_text_iri(named) or "/" in named or not named or named == slug:
        return None
    return named


def _slug_finding(parsed: list[_FileContext], source: GraphSource, other: str) -> Finding:
    folder = source.files[0].parent.name if source.files else source.slug
    node = URIRef(article_text_iri(other))
    ctx = next((c for c in parsed if (node, None, None) in c.graph), parsed[0])
    return Finding(
        check=CHECK,
        severity="Violation",
        message=(
            f"folder {folder} holds the article IRIs of slug {other}: every quote is in "
            f"<{node}>, but an article's graph and text are named after its folder "
            f"(<{article_text_iri(source.slug or '')}>). Rename the folder to {other}; or, to "
            f"make this a new article, start it with `pillars new-article` and give its "
            f"resources IRIs under {ID}{source.slug}/."
        ),
        file=str(ctx.path),
        line=_line_of(ctx, node),
        resource=str(node),
        rule="quote-slug",
    )


def _read_text(source: GraphSource) -> str | None:
    if source.text_file is None:
        return None
    return source.text_file.read_text(encoding="utf-8")


def _no_text_message(source: GraphSource) -> str:
    return (
        f"evidence in instances/{source.slug}/, which has no text.txt to check it against; "
        "evidence belongs in the folder of the article it quotes"
    )


def _parse(path: Path) -> _FileContext | Finding:
    graph = Graph()
    try:
        raw = path.read_text(encoding="utf-8")
        graph.parse(data=raw, format="turtle", publicID=path.resolve().as_uri())
    except Exception as err:  # rdflib raises several unrelated types for bad Turtle
        return Finding(
            check=CHECK,
            severity="Violation",
            message=f"cannot parse, so its quotes were not checked: {err}",
            file=str(path),
            rule="quote-parse",
        )
    return _FileContext(path, graph, raw.splitlines())


def _evidence_nodes(graph: Graph) -> set[Node]:
    """Typed pil:Evidence, plus anything carrying a quote (a forgotten type is still checked)."""
    nodes: set[Node] = set(graph.subjects(RDF.type, PIL_NS.Evidence))
    for prop in (OA_NS.exact, OA_NS.start, OA_NS.end):
        nodes.update(graph.subjects(prop, None))
    return nodes


def _check_one(ctx: _FileContext, ev: Node, text: str, slug: str) -> list[Finding]:
    g = ctx.graph
    problems: list[tuple[str, str]] = []
    exact = _single_string(g, ev, OA_NS.exact, problems)
    start = _single_int(g, ev, OA_NS.start, problems)
    end = _single_int(g, ev, OA_NS.end, problems)
    in_text = list(g.objects(ev, PIL_NS.inText))
    expected_text = URIRef(article_text_iri(slug))
    if not in_text:
        problems.append(("quote-in-text", f"has no pil:inText (expected <{expected_text}>)"))
    elif any(t != expected_text for t in in_text):
        found = ", ".join(f"<{t}>" for t in in_text)
        problems.append(("quote-in-text", f"pil:inText is {found}, expected <{expected_text}>"))
    if start is not None and end is not None:
        if not 0 <= start < end <= len(text):
            problems.append(
                (
                    "quote-offsets",
                    f"offsets out of range: start {start}, end {end}; need "
                    f"0 <= start < end <= {len(text)} (the text's length)",
                )
            )
        elif exact is not None and text[start:end] != exact:
            problems.append(
                (
                    "quote-exact",
                    f"text[{start}:{end}] is {_show(text[start:end])}, but oa:exact is "
                    f"{_show(exact)}{_hint(text, exact, start)}",
                )
            )
        else:
            problems.extend(_context_problems(g, ev, text, start, end))
    return [_finding(ctx, ev, rule, message) for rule, message in problems]


def _context_problems(g: Graph, ev: Node, text: str, start: int, end: int) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    for prefix in g.objects(ev, OA_NS.prefix):
        before = str(prefix)
        found = text[max(0, start - len(before)) : start]
        if found != before:
            problems.append(
                (
                    "quote-prefix",
                    f"oa:prefix is {_show(before)}, but the text before offset {start} is "
                    f"{_show(found)}",
                )
            )
    for suffix in g.objects(ev, OA_NS.suffix):
        after = str(suffix)
        found = text[end : end + len(after)]
        if found != after:
            problems.append(
                (
                    "quote-suffix",
                    f"oa:suffix is {_show(after)}, but the text after offset {end} is "
                    f"{_show(found)}",
                )
            )
    return problems


def _single_value(
    g: Graph, ev: Node, prop: URIRef, problems: list[tuple[str, str]]
) -> tuple[str, Node] | None:
    """The property's one value with its label, or None after recording a quote-shape problem."""
    values = list(g.objects(ev, prop))
    label = _prop_label(prop)
    if len(values) != 1:
        problems.append(("quote-shape", f"needs exactly one {label}, has {len(values)}"))
        return None
    return label, values[0]


def _single_string(g: Graph, ev: Node, prop: URIRef, problems: list[tuple[str, str]]) -> str | None:
    found = _single_value(g, ev, prop, problems)
    if found is None:
        return None
    label, value = found
    if not isinstance(value, Literal):
        problems.append(("quote-shape", f"{label} must be a string literal, not <{value}>"))
        return None
    return str(value)


def _single_int(g: Graph, ev: Node, prop: URIRef, problems: list[tuple[str, str]]) -> int | None:
    found = _single_value(g, ev, prop, problems)
    if found is None:
        return None
    label, value = found
    if isinstance(value, Literal):
        try:
            return int(str(value))
        except ValueError:
            pass
    problems.append(("quote-shape", f"{label} must be an integer, found {str(value)!r}"))
    return None


def _hint(text: str, exact: str, start: int) -> str:
    """Where the quote really is, so the editor can fix the offsets in one step."""
    starts = _all_starts(text, exact)
    if not starts:
        return "; the quote does not occur in the text at all (check its spelling)"
    nearest = min(starts, key=lambda s: abs(s - start))
    return f"; the quote occurs at start {nearest}, end {nearest + len(exact)}"


def _all_starts(text: str, exact: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(exact), text)]


def _show(value: str) -> str:
    cut = value if len(value) <= SHOWN else value[: SHOWN - 1] + "…"
    return repr(cut)


def _prop_label(prop: URIRef) -> str:
    return "oa:" + str(prop)[len(OA) :] if str(prop).startswith(OA) else f"<{prop}>"


def _name(g: Graph, node: Node) -> str:
    if isinstance(node, URIRef):
        try:
            return g.namespace_manager.normalizeUri(node)
        except Exception:  # an IRI rdflib cannot shorten is shown whole
            return f"<{node}>"
    return str(node)


def _line_of(ctx: _FileContext, node: Node) -> int | None:
    """The line where `node` starts a statement (best effort: rdflib keeps no positions)."""
    names = {f"<{node}>", _name(ctx.graph, node)}
    for number, line in enumerate(ctx.lines, start=1):
        stripped = line.lstrip()
        for name in names:
            if stripped.startswith(name) and stripped[len(name) : len(name) + 1] in (" ", "\t"):
                return number
    return None


def _finding(ctx: _FileContext, node: Node, rule: str, message: str) -> Finding:
    return Finding(
        check=CHECK,
        severity="Violation",
        message=f"{_name(ctx.graph, node)}: {message}",
        file=str(ctx.path),
        line=_line_of(ctx, node),
        resource=str(node),
        rule=rule,
    )

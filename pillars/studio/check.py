"""The check that runs after every save: SHACL and quotes about one article, incrementally.

The first look at an article runs what `pillars check` runs for it (SHACL on the article with
the ontology and the shared vocabulary, then the quote check, one message per break). After
a save only what the save can have changed is checked again:

- SHACL on the resources the save touched and their neighbours (one link either way, and
  resources sharing a label with them): pyshacl's focus nodes over the whole article graph,
  so SPARQL-based shapes still see everything. A SHACL result about a node depends only on
  that node's links and what they reach in one step, for every shape in shapes/ (the
  convergence and reachability shapes look one link away), so the findings of every other
  resource stand.
- The quote check on the studio's own files (the hand-written files did not change).

If a hand-written file changed meanwhile (the editor also works in a text editor), the whole
article is checked again. OWL reasoning (HermiT, seconds) runs only on request.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import rdflib
from rdflib.namespace import RDF, SH

from pillars.check import QUOTES, SHACL, SYNTAX, Finding, quotes, shacl
from pillars.check.locate import SubjectIndex, short
from pillars.check.units import is_shared
from pillars.corpus import GraphSource, discover
from pillars.namespaces import SHARED_SLUG, article_graph
from pillars.studio.article import OWNED_FILES, Article, signature
from pillars.studio.turtle import RDFS_LABEL, val

_SAFE_IRI = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


def load_context(root: Path) -> shacl.Context:
    corpus = discover(root)
    ontology = corpus.sources[0].files
    shapes = corpus.sources[1].files
    shared = [f for s in corpus.sources if is_shared(s) for f in s.files]
    return shacl.load_context(shapes, ontology, shared)


@dataclass
class ArticleCheck:
    """The findings of one article, kept current save after save."""

    context: shacl.Context
    findings: list[Finding] = field(default_factory=list)
    hand_signatures: dict[str, tuple[int, int]] = field(default_factory=dict)
    signatures: dict[str, tuple[int, int]] = field(default_factory=dict)  # every file
    done: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def current(self, article: Article) -> list[Finding]:
        with self.lock:
            if not self.done or _signatures(article, True) != self.signatures:
                self._full(article)
            return list(self.findings)

    def full(self, article: Article) -> list[Finding]:
        """A fresh check of the whole article, whatever is remembered."""
        with self.lock:
            self._full(article)
            return list(self.findings)

    def before_write(self, article: Article) -> None:
        """Files changed behind the studio's back since the last check: check all next time."""
        with self.lock:
            if _signatures(article, True) != self.signatures:
                self.done = False

    def after_write(
        self, article: Article, touched: Iterable[str], retyped: Iterable[str] = ()
    ) -> list[Finding]:
        with self.lock:
            if not self.done or self._hand_changed(article) or article.errors:
                self._full(article)
            else:
                self._incremental(article, set(touched), set(retyped))
            self.signatures = _signatures(article, True)
            return list(self.findings)

    def _hand_changed(self, article: Article) -> bool:
        return _signatures(article, False) != self.hand_signatures

    def _full(self, article: Article) -> None:
        source = _source(article)
        found = shacl.validate_source(source, self.context).findings
        if not any(f.check == SYNTAX for f in found):
            seen = {f.resource for f in found if f.resource}
            found += [f for f in quotes.check_article(source) if f.resource not in seen]
        self.findings = _sorted(found)
        self.hand_signatures = _signatures(article, False)
        self.signatures = _signatures(article, True)
        self.done = True

    def _incremental(self, article: Article, touched: set[str], retyped: set[str]) -> None:
        focus = _neighbourhood(article, touched, retyped)
        source = _source(article)
        fresh = self._shacl_focus(article, source, focus)
        kept = [f for f in self.findings if f.check == SHACL and f.resource not in focus]
        owned = [article.folder / n for n in OWNED_FILES if (article.folder / n).is_file()]
        hand_quotes = [
            f
            for f in self.findings
            if f.check == QUOTES and Path(f.file or "").name not in OWNED_FILES
        ]
        declared = set(article.evidence())
        had_own = any(
            f.check == QUOTES and Path(f.file or "").name in OWNED_FILES for f in self.findings
        )
        # The save re-checked every anchor of the studio's files before writing and refused
        # any break it brought (edits.Editor._verify, _dangling); with no quote finding in
        # them before, there is none after, and the rdflib parse of a large draft.ttl
        # (seconds) is spared. Otherwise they are checked again as `pillars check` would.
        own_quotes = (
            quotes.check_article(replace(source, files=tuple(owned))) if owned and had_own else []
        )
        own_quotes = [
            f for f in own_quotes if not (f.rule == "quote-dangling" and f.resource in declared)
        ]
        shacl_found = kept + fresh
        seen = {f.resource for f in shacl_found if f.resource}
        self.findings = _sorted(
            shacl_found + [f for f in hand_quotes + own_quotes if f.resource not in seen]
        )

    def _shacl_focus(self, article: Article, source: GraphSource, focus: set[str]) -> list[Finding]:
        from pyshacl import validate

        context = self.context
        quads = [q for parsed in article.files.values() for q in parsed.quads]
        store = ox.Store()
        store.bulk_extend(context.ontology)
        store.bulk_extend([*context.shared, *quads])
        store.bulk_extend(shacl._text_quads(quads, source, article.text))
        nodes = sorted(n for n in focus if _SAFE_IRI.fullmatch(n))
        if not nodes:
            return []
        # No use_shapes here: pyshacl would then apply every listed shape to every focus
        # node regardless of its targets. Shapes of the shared vocabulary are dropped below.
        with _focus_as_set():
            _conforms, report, _text = validate(
                cast(Any, store), shacl_graph=_focused(context.shapes, nodes), advanced=True,
                allow_warnings=True, inplace=True, focus_nodes=cast(Any, nodes),
            )  # fmt: skip
        if not isinstance(report, rdflib.Graph):
            raise shacl.SetupError("pyshacl could not validate the article")
        index = SubjectIndex.build(source.files)
        skip = set(context.shared_index.subjects())
        found = shacl.to_findings(report, store, index, skip, context.rule_names)
        shared_rules = {short(str(s)) for s in context.shared_shapes}
        return [
            f
            for f in found
            if not any((f.rule or "").startswith(r) for r in shared_rules)
            and (f.resource not in skip or f.resource in index)
        ]


_PATCH_LOCK = threading.Lock()


@contextmanager
def _focus_as_set() -> Iterator[None]:
    """pyshacl keeps the focus nodes in a list and tests every target of every shape for
    membership in it: targets x focus comparisons (2.5 million, 4 s, for the 280 resources
    of 55 accepted citations). The same nodes as a frozenset answer the same membership and
    length questions at once. Only validations given focus nodes are affected."""
    from pyshacl.validator import Validator

    with _PATCH_LOCK:
        original = Validator.make_executor

        def make_executor(self: Any) -> Any:
            executor = original(self)
            if executor.focus_nodes:
                executor.focus_nodes = cast(Any, frozenset(executor.focus_nodes))
            return executor

        Validator.make_executor = make_executor  # type: ignore[method-assign]
        try:
            yield
        finally:
            Validator.make_executor = original  # type: ignore[method-assign]


def _focused(shapes: rdflib.Graph, nodes: list[str]) -> rdflib.Graph:
    """A copy of the shapes whose SPARQL targets only look at `nodes`.

    pyshacl runs a SPARQL target over the whole graph before it keeps the focus nodes; the
    quote shapes' targets compare every quote with the text (most of a save's check time).
    A VALUES block binding ?this to the focus nodes gives the same targets among them.
    """
    copy = rdflib.Graph(store="SimpleMemory")
    for triple in shapes:
        copy.add(triple)
    values = "VALUES ?this { " + " ".join(f"<{n}>" for n in nodes) + " } "
    for target in shapes.subjects(RDF.type, SH.SPARQLTarget):
        for select in shapes.objects(target, SH.select):
            text = str(select)
            at = text.index("{", text.upper().index("WHERE")) + 1
            copy.remove((target, SH.select, select))
            copy.add((target, SH.select, rdflib.Literal(text[:at] + values + text[at:])))
    return copy


def _neighbourhood(article: Article, touched: set[str], retyped: set[str]) -> set[str]:
    """What a save can have changed the findings of: the subjects and objects of the triples
    it added or removed (`touched`), whatever links to a resource whose type changed or
    went (`retyped`: their sh:class constraints read it), and resources sharing a label with
    a touched one (DistinctLabelShape reports the pair on one of the two)."""
    triples = article.triples()
    focus = set(touched) | retyped
    focus.update(
        val(t.subject)
        for t in triples
        if isinstance(t.object, ox.NamedNode) and val(t.object) in retyped
    )
    labels = {
        t.object for t in triples if t.predicate.value == RDFS_LABEL and val(t.subject) in focus
    }
    focus.update(
        val(t.subject) for t in triples if t.predicate.value == RDFS_LABEL and t.object in labels
    )
    return focus


def _source(article: Article) -> GraphSource:
    files = tuple(article.folder / name for name in article.files) + tuple(
        e.path for e in article.errors
    )
    return GraphSource(
        graph=article_graph(article.slug),
        files=tuple(sorted(set(files))),
        text_file=article.folder / "text.txt",
        slug=article.slug,
    )


def _signatures(article: Article, owned: bool) -> dict[str, tuple[int, int]]:
    """Size and time of the article's files (with or without the studio's own), its text and
    the shared vocabulary: what a check's result depends on."""
    found: dict[str, tuple[int, int]] = {}
    for path in sorted(article.folder.glob("*.ttl")):
        if owned or path.name not in OWNED_FILES:
            found[path.name] = signature(path)
    text = article.folder / "text.txt"
    found["text.txt"] = signature(text)
    shared = article.folder.parent / SHARED_SLUG
    for path in sorted(shared.glob("*.ttl")):
        found["shared/" + path.name] = signature(path)
    return found


def _sorted(findings: list[Finding]) -> list[Finding]:
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(findings, key=lambda f: (order[f.severity], f.file or "", f.line or 0, f.message))


def owl_findings(root: Path, article: Article) -> list[Finding]:
    """HermiT over the article with the ontology and the shared vocabulary (on request)."""
    from pillars.check import owl_articles

    base = owl_articles.load_base(discover(root))
    if base is None:
        return []
    return owl_articles.check([_source(article)], base, 1).get(article_graph(article.slug), [])

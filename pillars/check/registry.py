"""The list of checks `pillars check` runs: one entry per check, in fold order.

The engine (pillars.check.engine) never names a check: it runs the entries of CHECKS that
are not skipped, grouped by scope, and builds `--skip`, the cache keys and the report's list
of checks from them; `--help` and docs/validation.md read their summaries. Adding a check
means one module that finds things plus one entry here: its name (in pillars.check), a
summary, its scope, what it needs and a `run` with the one signature every check has,
`run(job) -> Found`. The order of CHECKS is the fold order: what a later check says about a
resource an earlier one already reported is folded into the earlier finding.

The `run` functions below import their check module when they are called, not here: a warm
run (everything cached) then never loads pySHACL, owlready2 or the store.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from pillars.check import HYGIENE, OWL, QUOTES, SHACL, SYNTAX, Finding
from pillars.check.units import is_shared, shapes_files
from pillars.corpus import Corpus, CorpusError, GraphSource, default_root
from pillars.namespaces import ONTOLOGY_GRAPH

if TYPE_CHECKING:
    import pyoxigraph as ox

    from pillars.check.shacl import Context


class CheckCannotRun(Exception):
    """The check itself could not run (exit code 2); the message says why."""


class Scope(Enum):
    """Where a check runs and how its results are remembered; the value says it in docs."""

    ARTICLE = "per article, in the worker processes; cached per article"
    BATCH = "per article, batched across articles (a Java process per batch); cached per article"
    CORPUS = "once over the whole corpus; cached under the hash of everything"


class Need(Enum):
    """What a check needs besides the article's own files; the value says it in docs."""

    CONTEXT = "the shapes, ontology and shared vocabulary, parsed once before the workers fork"
    BASE = "the ontology with the shared vocabulary"
    JAVA = "a Java runtime (without one the check says so, and nothing it found is remembered)"
    STORE = "the whole corpus loaded into one in-memory store"


CORPUS = "corpus"  # the key of Found.by_unit for what a check over the whole corpus found


@dataclass(frozen=True)
class Inputs:
    """The corpus to check, and the files every unit is checked against."""

    corpus: Corpus
    ontology: tuple[Path, ...]
    shapes: tuple[Path, ...]
    shared: tuple[Path, ...]
    units: tuple[GraphSource, ...]  # the shared vocabulary and every article

    @classmethod
    def of(cls, corpus: Corpus) -> Inputs:
        ontology = next((s.files for s in corpus.sources if s.graph == ONTOLOGY_GRAPH), ())
        shared = tuple(f for s in corpus.sources if is_shared(s) for f in s.files)
        units = tuple(s for s in corpus.sources if s.slug is not None)
        return cls(corpus, ontology, shapes_files(corpus), shared, units)

    def files_of(self, need: Need) -> tuple[Path, ...]:
        """The files behind a need, hashed into the cache keys of the checks that have it."""
        if need is Need.CONTEXT:
            return (*self.ontology, *self.shapes, *self.shared)
        if need is Need.BASE:
            return (*self.ontology, *self.shared)
        return ()  # JAVA: no file; STORE: only in CORPUS scope, whose key hashes every file


@dataclass(frozen=True)
class Job:
    """What one call of a check's `run` gets."""

    inputs: Inputs
    units: tuple[GraphSource, ...]  # ARTICLE: one; BATCH: those not cached; CORPUS: all
    scope: Scope  # the scope it runs in now (a check that can run at once may be asked to)
    jobs: int = 1  # how many processes a BATCH check may run at once
    want_reports: bool = False  # --shacl-report: return SHACL's own report too
    earlier: tuple[Finding, ...] = ()  # what the checks before it found about these units
    context: Context | None = None  # set for a check that needs Need.CONTEXT
    # Parsed files, shared by the checks of one article (the syntax check parses for SHACL).
    parsed: dict[Path, list[ox.Quad] | CorpusError] = field(default_factory=dict)

    def parse(self, path: Path) -> list[ox.Quad]:
        """The triples of one file, parsed once per job; CorpusError when it does not parse."""
        if path not in self.parsed:
            from pillars.check import syntax

            try:
                self.parsed[path] = syntax.parse(path)
            except CorpusError as err:
                self.parsed[path] = err
        done = self.parsed[path]
        if isinstance(done, CorpusError):
            raise done
        return done


@dataclass
class Found:
    """What one call of `run` found: findings by the graph of the unit they are about (a
    check over the whole corpus files them under CORPUS), and any report asked for."""

    by_unit: dict[str, list[Finding]] = field(default_factory=dict)
    reports: list[str] = field(default_factory=list)  # SHACL's own, in Turtle

    def all(self) -> list[Finding]:
        return [f for found in self.by_unit.values() for f in found]


Run = Callable[[Job], Found]


@dataclass(frozen=True)
class Check:
    """One entry of the list of checks."""

    name: str  # --skip NAME, Finding.check
    summary: str  # a few words for --help and docs/validation.md
    scope: Scope
    run: Run
    needs: frozenset[Need] = frozenset()
    code: tuple[Path, ...] = ()  # files besides the package its results depend on (cache key)
    skippable: bool = True
    # Its findings mean a unit's files do not parse: the later per-article checks leave that
    # unit alone, and results over the whole corpus are not remembered.
    gate: bool = False
    whole_corpus: bool = False  # may run once over the whole corpus instead (Options.at_once)


class NotValidated(Exception):
    """A need could not be met because of the data: the findings say why, the note says that
    the per-article checks did not run."""

    def __init__(self, findings: list[Finding], note: str) -> None:
        super().__init__(note)
        self.findings = findings
        self.note = note


def prepare(needs: frozenset[Need], inputs: Inputs) -> Context | None:
    """Load, in the parent process, what the per-article checks need before the workers fork."""
    if Need.CONTEXT not in needs:
        return None
    from pillars.check import syntax
    from pillars.check.shacl import SetupError, load_context

    try:
        return load_context(inputs.shapes, inputs.ontology, inputs.shared)
    except SetupError as err:
        # A syntax error in the shared vocabulary is a break in the data like any other
        # (exit 1, file, line, column); validating the articles without the actors and
        # concepts they link to would only bury it under "not defined anywhere".
        broken = syntax.findings(inputs.shared)
        if not broken:
            raise CheckCannotRun(str(err)) from err
        note = "articles not validated: the shared vocabulary does not parse"
        raise NotValidated(broken, note) from err


def need_is_missing(need: Need) -> bool:
    """A need the machine cannot meet: the check runs, but its results are not remembered."""
    if need is Need.JAVA:
        from pillars.check import owl

        return owl.java_executable() is None
    return False


def _syntax(job: Job) -> Found:
    from pillars.check import syntax

    found = Found()
    for unit in job.units:
        found.by_unit[unit.graph] = []
        for path in unit.files:
            try:
                job.parse(path)
            except CorpusError as err:
                found.by_unit[unit.graph].append(syntax.finding(err))
    return found


def _shacl(job: Job) -> Found:
    from pillars.check.shacl import validate_quads

    assert job.context is not None  # the entry needs Need.CONTEXT
    found = Found()
    for unit in job.units:
        try:
            quads = [q for path in unit.files for q in job.parse(path)]
        except CorpusError:
            continue  # the syntax check reports it
        result = validate_quads(unit, quads, job.context, job.want_reports)
        found.by_unit[unit.graph] = result.findings
        if result.report_turtle is not None:
            found.reports.append(result.report_turtle)
    return found


def _quotes(job: Job) -> Found:
    from pillars.check import quotes

    # The quote shapes and check/quotes.py look at the same evidence: one break, one
    # message, so a resource an earlier check already reports is not reported again.
    seen = {f.resource for f in job.earlier if f.resource}
    found = Found()
    for unit in job.units:
        if not is_shared(unit):
            mine = quotes.check_article(unit)
            found.by_unit[unit.graph] = [f for f in mine if f.resource not in seen]
    return found


def _owl(job: Job) -> Found:
    """Per article: the shared unit stands for the ontology with the shared vocabulary,
    reasoned over once; each article with them, in Java batches. At once: everything in one
    HermiT run, the graph at fault then pinned down on its resources."""
    from pillars.check import owl, owl_articles

    corpus = job.inputs.corpus
    if job.scope is Scope.CORPUS:
        return Found({CORPUS: owl_articles.pin_down(corpus, owl.run(corpus, True, datatypes=True))})
    found = Found()
    for unit in job.units:
        if is_shared(unit):
            found.by_unit[unit.graph] = owl.run_base(corpus, datatypes=True)
    articles = [u for u in job.units if not is_shared(u)]
    base = owl_articles.load_base(corpus) if articles else None
    if base is not None:  # None: the ontology or shared vocabulary does not parse (reported)
        found.by_unit.update(owl_articles.check(articles, base, job.jobs))
    return found


def _hygiene(job: Job) -> Found:
    from pillars.check import hygiene
    from pillars.store import memory_store

    try:
        store = memory_store(job.inputs.corpus)
    except CorpusError:
        return Found()  # the syntax error is already reported by the syntax check
    return Found({CORPUS: hygiene.run(store)})


# What the results depend on besides the package's version: the Java the OWL check runs
# (OwlBatch.java, OwlProfile.java) and the hygiene queries.
_JAVA = tuple(sorted(Path(__file__).parent.glob("*.java")))
_QUERIES = tuple(sorted((default_root() / "ontology" / "qc").glob("*.rq")))
AT_ONCE_FLAG = "`--owl-whole-corpus`"  # how a user asks for Check.whole_corpus (docs)

CHECKS: tuple[Check, ...] = (
    Check(SYNTAX, "Turtle syntax", Scope.ARTICLE, _syntax, skippable=False, gate=True),
    Check(SHACL, "SHACL (shapes/)", Scope.ARTICLE, _shacl, frozenset({Need.CONTEXT})),
    Check(QUOTES, "quote fidelity", Scope.ARTICLE, _quotes),
    Check(
        OWL,
        "OWL reasoning (HermiT)",
        Scope.BATCH,
        _owl,
        frozenset({Need.BASE, Need.JAVA}),
        code=_JAVA,
        whole_corpus=True,
    ),  # fmt: skip
    Check(
        HYGIENE,
        "the ontology hygiene queries",
        Scope.CORPUS,
        _hygiene,
        frozenset({Need.STORE}),
        code=_QUERIES,
    ),  # fmt: skip
)


def skippable(checks: Sequence[Check] = ()) -> list[str]:
    """The names `--skip` accepts."""
    return [c.name for c in checks or CHECKS if c.skippable]


def in_words(checks: Sequence[Check] = ()) -> str:
    """The summaries as one phrase: "a, b and c" (the --help text of `pillars check`)."""
    said = [c.summary for c in checks or CHECKS]
    return ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else "".join(said)


def markdown(checks: Sequence[Check] = ()) -> str:
    """The table of checks in docs/validation.md (tests/test_check_registry.py compares)."""
    rows = ["| check | what | runs | needs |", "| --- | --- | --- | --- |"]
    for c in checks or CHECKS:
        runs = c.scope.value + (f"; with {AT_ONCE_FLAG}, once over the corpus" * c.whole_corpus)
        needs = "; ".join(n.value for n in Need if n in c.needs) or "the article's files only"
        name = f"`{c.name}`" + ("" if c.skippable else " (always runs)")
        rows.append(f"| {name} | {c.summary} | {runs} | {needs} |")
    return "\n".join(rows)

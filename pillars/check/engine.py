"""`pillars check [PATH ...]`: every check, one report, exit 0 / 1 / 2.

Per-article checks (Turtle syntax, SHACL, quote fidelity, OWL reasoning) run one article per
task in parallel processes and are cached per article; the ontology with the shared vocabulary
is reasoned over once (cached under their hash); the ontology hygiene queries (and, with
--owl-whole-corpus, OWL over everything at once) run once, cached under the hash of everything.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import click

from pillars.check import Finding
from pillars.check.cache import Cache, base_key, default_cache_dir, hash_files, unit_key
from pillars.check.locate import short, shorten_all
from pillars.check.report import Report, as_json, as_text
from pillars.check.shacl import (
    Context,
    SetupError,
    load_context,
    syntax_findings,
    validate_source,
)
from pillars.check.units import UnitError, is_shared, resolve, shapes_files
from pillars.corpus import Corpus, CorpusError, GraphSource
from pillars.namespaces import ONTOLOGY_GRAPH

ARTICLE_CHECKS = ("shacl", "quotes")
CORPUS_CHECKS = ("owl", "hygiene")
ALL_CHECKS = ("syntax", *ARTICLE_CHECKS, *CORPUS_CHECKS)


class CheckCannotRun(Exception):
    """The check itself could not run (exit code 2); the message says why."""


@dataclass(frozen=True)
class Options:
    skip: frozenset[str] = frozenset()
    jobs: int = 0  # 0: one process per CPU
    use_cache: bool = True
    cache_dir: Path | None = None
    want_shacl_report: bool = False
    owl_whole_corpus: bool = False  # one HermiT run over everything instead of per article


# Set in the parent before the worker processes fork, so each worker starts with the shapes,
# ontology and shared vocabulary already parsed.
_CONTEXT: Context | None = None
_SKIP: frozenset[str] = frozenset()
_WANT_REPORT = False


def _check_article(source: GraphSource) -> tuple[list[Finding], str | None]:
    assert _CONTEXT is not None
    result = validate_source(source, _CONTEXT, _WANT_REPORT) if "shacl" not in _SKIP else None
    findings = list(result.findings) if result else []
    syntax_failed = any(f.check == "syntax" for f in findings)
    if "quotes" not in _SKIP and not is_shared(source) and not syntax_failed:
        from pillars.check import quotes

        # The quote shapes and check/quotes.py look at the same evidence: one break, one
        # message, so a resource SHACL already reports is not reported again.
        seen = {f.resource for f in findings if f.resource}
        findings.extend(f for f in quotes.check_article(source) if f.resource not in seen)
    return findings, result.report_turtle if result else None


def run_checks(paths: Sequence[Path], options: Options) -> tuple[Report, list[str]]:
    """Run every check not skipped; returns the report and the SHACL reports (Turtle)."""
    global _CONTEXT, _SKIP, _WANT_REPORT
    try:
        corpus = resolve(paths)
    except (UnitError, CorpusError) as err:
        raise CheckCannotRun(str(err)) from err
    ontology = _files(corpus, ONTOLOGY_GRAPH)
    shapes = shapes_files(corpus)
    shared = [f for s in corpus.sources if is_shared(s) for f in s.files]
    units = [s for s in corpus.sources if s.slug is not None]
    base = base_key(ontology, shapes, shared) + ":" + ",".join(sorted(options.skip))
    cache = Cache(options.cache_dir or default_cache_dir(corpus.root))
    use_cache = options.use_cache and not options.want_shacl_report
    keys = {u.graph + str(u.files): unit_key(base, u.files, u.text_file) for u in units}

    findings: list[Finding] = []
    reports: list[str] = []
    todo: list[GraphSource] = []
    cached = 0
    for unit in units:
        hit = cache.get(keys[unit.graph + str(unit.files)]) if use_cache else None
        if hit is None:
            todo.append(unit)
        else:
            findings.extend(hit)
            cached += 1
    notes: list[str] = []
    if todo:
        try:
            _CONTEXT = load_context(shapes, ontology, shared)
        except SetupError as err:
            # A syntax error in the shared vocabulary is a break in the data like any other
            # (exit 1, file, line, column); validating the articles without the actors and
            # concepts they link to would only bury it under "not defined anywhere".
            broken = syntax_findings(shared)
            if not broken:
                raise CheckCannotRun(str(err)) from err
            findings.extend(broken)
            notes.append("articles not validated: the shared vocabulary does not parse")
            todo = []
    if todo:
        _SKIP, _WANT_REPORT = frozenset(options.skip), options.want_shacl_report
        for unit, (unit_findings, turtle) in zip(todo, _map(todo, options.jobs), strict=True):
            findings.extend(unit_findings)
            if turtle is not None:
                reports.append(turtle)
            if options.use_cache:
                cache.put(keys[unit.graph + str(unit.files)], unit_findings)

    if "owl" not in options.skip and not options.owl_whole_corpus:
        findings.extend(_owl_per_article(corpus, units, ontology, shared, options, cache))

    corpus_checks = [c for c in CORPUS_CHECKS if c not in options.skip]
    if not options.owl_whole_corpus:
        corpus_checks = [c for c in corpus_checks if c != "owl"]
    if corpus_checks:
        whole = hashlib.sha256((base + "".join(sorted(keys.values()))).encode()).hexdigest()
        key = hashlib.sha256(f"corpus:{','.join(corpus_checks)}:{whole}".encode()).hexdigest()
        hit = cache.get(key) if use_cache else None
        if hit is None:
            corpus_findings = _corpus_checks(corpus, corpus_checks)
            if options.use_cache and not any(f.check == "syntax" for f in findings):
                cache.put(key, corpus_findings)
        else:
            corpus_findings = hit
        findings.extend(corpus_findings)

    findings = fold(findings)
    checks = [c for c in ALL_CHECKS if c not in options.skip]
    if options.skip:
        notes.insert(0, f"skipped on request: {', '.join(sorted(options.skip))}")
    report = Report(findings, checks, notes, articles=len(units), cached=cached)
    return report, reports


_RANK = {"Violation": 0, "Warning": 1, "Info": 2}
_DID_YOU_MEAN = re.compile(r"Did you mean [^?]+\?")


def fold(findings: list[Finding]) -> list[Finding]:
    """One break, one message: what a later check says about a resource an earlier check
    already reported (the same resource, or a term the earlier message names), or about the
    same place of a file when neither names a resource (a syntax error every check that
    parses the file stumbles on), is folded into the earlier finding as a remark, not
    printed again."""
    order = {check: n for n, check in enumerate(ALL_CHECKS)}
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: order.get(f.check, len(order))):
        primary = next((p for p in kept if _same_cause(p, f)), None)
        if primary is None:
            kept.append(f)
            continue
        hint = _DID_YOU_MEAN.search(f.message)
        message = primary.message
        if hint and shorten_all(hint.group(0)) not in message:
            message += " " + shorten_all(hint.group(0))
        message += f" [also found by {f.check} {f.rule}]"
        kept[kept.index(primary)] = replace(primary, message=message)
    return sorted(kept, key=lambda f: (f.file or "", f.line or 0, f.resource or "", f.message))


def _same_cause(primary: Finding, later: Finding) -> bool:
    if primary.check == later.check or _RANK[later.severity] < _RANK[primary.severity]:
        return False
    if later.resource is None:
        return (
            primary.resource is None
            and later.file is not None
            and (later.file, later.line) == (primary.file, primary.line)
            and later.line is not None
        )
    named = re.search(re.escape(short(later.resource)) + r"(?![\w-])", primary.message)
    return later.resource == primary.resource or named is not None


def _map(todo: list[GraphSource], jobs: int) -> list[tuple[list[Finding], str | None]]:
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    if workers <= 1:
        return [_check_article(unit) for unit in todo]
    # fork: the workers inherit _CONTEXT instead of parsing the shapes and ontology again.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_check_article, todo, chunksize=max(1, len(todo) // (workers * 8))))


def _owl_per_article(
    corpus: Corpus,
    units: list[GraphSource],
    ontology: Sequence[Path],
    shared: Sequence[Path],
    options: Options,
    cache: Cache,
) -> list[Finding]:
    """OWL: the ontology with the shared vocabulary once, then each article with them.

    Cached apart from SHACL (a key without the shapes and the skipped checks), so --skip
    shacl, or a change to the shapes, does not make HermiT run again.
    """
    from pillars.check import owl, owl_articles

    owl_base = base_key(ontology, (), shared) + ":owl:" + hash_files([owl_articles.BATCH_SOURCE])
    use_cache = options.use_cache and not options.want_shacl_report
    # Without Java nothing was reasoned over: remember nothing, so installing Java counts.
    store = options.use_cache and owl.java_executable() is not None
    key = hashlib.sha256(f"owl-base:{owl_base}".encode()).hexdigest()
    found = cache.get(key) if use_cache else None
    if found is None:
        found = owl.run_base(corpus)
        if store:
            cache.put(key, found)
    findings = list(found)
    articles = [u for u in units if not is_shared(u)]
    keys = {u.graph: unit_key(owl_base, u.files, u.text_file) for u in articles}
    todo: list[GraphSource] = []
    for unit in articles:
        hit = cache.get(keys[unit.graph]) if use_cache else None
        if hit is None:
            todo.append(unit)
        else:
            findings.extend(hit)
    if todo:
        base = owl_articles.load_base(corpus)
        if base is None:
            return findings  # the ontology or shared vocabulary does not parse: reported above
        jobs = options.jobs or os.cpu_count() or 1
        for graph, article_findings in owl_articles.check(todo, base, jobs).items():
            findings.extend(article_findings)
            if store:
                cache.put(keys[graph], article_findings)
    return findings


def _corpus_checks(corpus: Corpus, checks: list[str]) -> list[Finding]:
    findings: list[Finding] = []
    if "owl" in checks:
        from pillars.check import owl

        findings.extend(_pin_down(corpus, owl.run(corpus, with_instances=True)))
    if "hygiene" in checks:
        from pillars.check import hygiene
        from pillars.store import memory_store

        try:
            store = memory_store(corpus)
        except CorpusError:
            return findings  # the syntax error is already reported by the article check
        findings.extend(hygiene.run(store))
    return findings


def _pin_down(corpus: Corpus, findings: list[Finding]) -> list[Finding]:
    """The whole-corpus run names the article graph at fault; reasoning over that article
    alone, as the per-article check does, names the resources and their file, so the
    report can fold HermiT's message into another check's about the same resource."""
    from pillars.check import owl_articles

    articles = {s.graph: s for s in corpus.sources if s.slug is not None and not is_shared(s)}
    culprits = [f for f in findings if f.rule == "hermit-consistency" and f.resource in articles]
    base = owl_articles.load_base(corpus) if culprits else None
    if base is None:
        return findings
    pinned: list[Finding] = []
    for finding in findings:
        if finding not in culprits:
            pinned.append(finding)
            continue
        source = articles[str(finding.resource)]
        alone = owl_articles.check([source], base, 1)[source.graph]
        named = [f for f in alone if f.rule == "hermit-consistency" and f.resource != source.graph]
        where = str(source.files[0]) if source.files else None
        pinned.extend(named or [replace(finding, file=where)])
    return pinned


def _files(corpus: Corpus, graph: str) -> tuple[Path, ...]:
    return next((s.files for s in corpus.sources if s.graph == graph), ())


@click.command("check")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
    help="text: grouped by file and resource; json: for programs.",
)  # fmt: skip
@click.option(
    "--shacl-report", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="Also write SHACL's own validation report, in Turtle, to this file ('-': stdout). "
    "Validates every article afresh.",
)  # fmt: skip
@click.option(
    "--skip", type=click.Choice([c for c in ALL_CHECKS if c != "syntax"]), multiple=True,
    help="Leave out a check (repeatable).",
)  # fmt: skip
@click.option("--jobs", "-j", type=int, default=0, help="Parallel processes (default: CPUs).")
@click.option("--no-cache", is_flag=True, help="Validate every article, cached or not.")
@click.option(
    "--owl-whole-corpus", is_flag=True,
    help="Reason with HermiT over all articles at once instead of one article at a time: "
    "also finds contradictions that need two articles' data, but slow on large corpora.",
)  # fmt: skip
@click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Where passing results are remembered (default: var/check-cache).",
)  # fmt: skip
def check(
    paths: tuple[Path, ...],
    fmt: str,
    shacl_report: Path | None,
    skip: tuple[str, ...],
    jobs: int,
    no_cache: bool,
    owl_whole_corpus: bool,
    cache_dir: Path | None,
) -> None:
    """Check PATHs (Turtle files or article folders, anywhere on disk) or the whole corpus.

    Runs Turtle syntax, SHACL (shapes/), quote fidelity, OWL reasoning (HermiT) and the
    ontology hygiene queries against the bundled ontology and shapes. Exit code 0: conforms;
    1: violations found; 2: the check could not run.
    """
    options = Options(
        frozenset(skip), jobs, not no_cache, cache_dir, shacl_report is not None, owl_whole_corpus
    )
    try:
        report, shacl_reports = run_checks(list(paths), options)
    except CheckCannotRun as err:
        click.echo(f"pillars check could not run: {err}", err=True)
        sys.exit(2)
    if shacl_report is not None:
        _write_reports(shacl_report, shacl_reports)
    click.echo(as_json(report) if fmt == "json" else as_text(report))
    sys.exit(report.exit_code())


def _write_reports(target: Path, reports: list[str]) -> None:
    import rdflib

    merged = rdflib.Graph()
    for turtle in reports:
        merged.parse(data=turtle, format="turtle")
    merged.bind("sh", "http://www.w3.org/ns/shacl#")
    text = merged.serialize(format="turtle")
    if str(target) == "-":
        click.echo(text)
    else:
        target.write_text(text, encoding="utf-8")

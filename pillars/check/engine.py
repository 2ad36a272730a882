"""`pillars check`'s engine: run the checks of the registry, fold their findings, one report.

It never names a check. The entries of `pillars.check.registry.CHECKS` that are not skipped
run grouped by scope: the per-article ones one article per task in parallel processes,
cached per article; the batched ones (OWL in Java) over the articles not cached, cached per
article; the ones over the whole corpus once, cached under the hash of everything. The Click
command is pillars/cli/check.py.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from pillars.check import Finding, registry
from pillars.check.cache import Cache, default_cache_dir, hash_files, own_hash, unit_key, versions
from pillars.check.locate import short, shorten_all
from pillars.check.registry import (
    Check,
    CheckCannotRun,
    Inputs,
    Job,
    NotValidated,
    Scope,
    need_is_missing,
    prepare,
)
from pillars.check.report import Report
from pillars.check.units import UnitError, resolve
from pillars.corpus import CorpusError, GraphSource

if TYPE_CHECKING:
    from pillars.check.shacl import Context

__all__ = ["CheckCannotRun", "Options", "fold", "merge_reports", "run_checks"]


@dataclass(frozen=True)
class Options:
    skip: frozenset[str] = frozenset()  # names of checks to leave out
    jobs: int = 0  # 0: one process per CPU
    use_cache: bool = True
    cache_dir: Path | None = None
    want_shacl_report: bool = False
    # Names of checks that can run over the whole corpus at once to run so, instead of per
    # article (--owl-whole-corpus: HermiT over everything, the only way to see a
    # contradiction between two articles).
    at_once: frozenset[str] = frozenset()


def run_checks(paths: Sequence[Path], options: Options) -> tuple[Report, list[str]]:
    """Run every check not skipped; returns the report and the SHACL reports (Turtle)."""
    try:
        corpus = resolve(paths)
    except (UnitError, CorpusError) as err:
        raise CheckCannotRun(str(err)) from err
    running = [c for c in registry.CHECKS if c.name not in options.skip]
    run = _Run(
        Inputs.of(corpus), options, Cache(options.cache_dir or default_cache_dir(corpus.root))
    )
    for scope in Scope:
        checks = [c for c in running if _scope(c, options) is scope]
        if not checks:
            continue
        if scope is Scope.ARTICLE:
            run.per_article(checks)
        elif scope is Scope.BATCH:
            for check in checks:
                run.batched(check)
        else:
            run.once(checks)
    notes = list(run.notes)
    if options.skip:
        notes.insert(0, f"skipped on request: {', '.join(sorted(options.skip))}")
    names = [c.name for c in running]
    report = Report(fold(run.findings), names, notes, len(run.inputs.units), run.cached)
    return report, run.reports


def _scope(check: Check, options: Options) -> Scope:
    return Scope.CORPUS if check.whole_corpus and check.name in options.at_once else check.scope


@dataclass
class _Run:
    """One `pillars check`: what the stages found so far."""

    inputs: Inputs
    options: Options
    cache: Cache
    findings: list[Finding] = field(default_factory=list)
    reports: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cached: int = 0  # units whose per-article results came from the cache
    own: dict[GraphSource, str] = field(default_factory=dict)  # own_hash, read once per run

    @property
    def read_cache(self) -> bool:
        # --shacl-report needs SHACL's own report, which the cache does not keep.
        return self.options.use_cache and not self.options.want_shacl_report

    def remember(self, checks: Sequence[Check]) -> bool:
        """Results are kept only when every need was met (without Java nothing was reasoned
        over: remember nothing, so installing Java counts)."""
        needs = {n for c in checks for n in c.needs}
        return self.options.use_cache and not any(need_is_missing(n) for n in needs)

    def job(self, units: Sequence[GraphSource], scope: Scope) -> Job:
        jobs = self.options.jobs or os.cpu_count() or 1
        want = self.options.want_shacl_report
        return Job(self.inputs, tuple(units), scope, jobs, want, earlier=tuple(self.findings))

    def base(self, checks: Sequence[Check]) -> str:
        """What every cache key of these checks hashes: the versions, the checks, the files
        behind their needs and the code they run besides the package."""
        needs = sorted({n for c in checks for n in c.needs}, key=lambda n: n.name)
        parts = [versions(), ",".join(c.name for c in checks)]
        parts += [f"{n.name}={hash_files(self.inputs.files_of(n))}" for n in needs]
        parts.append(hash_files([p for c in checks for p in c.code]))
        return hashlib.sha256(":".join(parts).encode()).hexdigest()

    def own_hash(self, unit: GraphSource) -> str:
        if unit not in self.own:
            self.own[unit] = own_hash(unit.files, unit.text_file)
        return self.own[unit]

    def keys(self, checks: Sequence[Check]) -> dict[GraphSource, str]:
        """The cache key of each unit for these checks."""
        base = self.base(checks)
        return {u: unit_key(base, self.own_hash(u)) for u in self.inputs.units}

    def split(self, keys: dict[GraphSource, str]) -> list[GraphSource]:
        """Take what the cache holds for these units; returns the units still to check."""
        todo: list[GraphSource] = []
        for unit, key in keys.items():
            hit = self.cache.get(key) if self.read_cache else None
            if hit is None:
                todo.append(unit)
            else:
                self.findings.extend(hit)
        return todo

    def per_article(self, checks: list[Check]) -> None:
        keys = self.keys(checks)
        todo = self.split(keys)
        self.cached += len(keys) - len(todo)
        context: Context | None = None
        if todo:
            try:
                context = prepare(frozenset(n for c in checks for n in c.needs), self.inputs)
            except NotValidated as stop:
                self.findings.extend(stop.findings)
                self.notes.append(stop.note)
                return
        global _WORK
        _WORK = _Work(checks, replace(self.job((), Scope.ARTICLE), context=context))
        remember = self.remember(checks)
        for unit, (found, reports) in zip(todo, _map(todo, self.options.jobs), strict=True):
            self.findings.extend(found)
            self.reports.extend(reports)
            if remember:
                self.cache.put(keys[unit], found)

    def batched(self, check: Check) -> None:
        keys = self.keys([check])
        todo = self.split(keys)
        if not todo:
            return
        found = check.run(self.job(todo, Scope.BATCH))
        self.reports.extend(found.reports)
        remember = self.remember([check])
        for unit in todo:
            if unit.graph in found.by_unit:
                self.findings.extend(found.by_unit[unit.graph])
                if remember:
                    self.cache.put(keys[unit], found.by_unit[unit.graph])

    def once(self, checks: list[Check]) -> None:
        # Everything: the ontology and the shapes, and every unit's own files and text.
        units = self.inputs.units
        rest = [p for s in self.inputs.corpus.sources if s not in units for p in s.files]
        every = [self.base(checks), hash_files(rest), *(self.own_hash(u) for u in units)]
        key = hashlib.sha256(("corpus:" + ":".join(every)).encode()).hexdigest()
        hit = self.cache.get(key) if self.read_cache else None
        if hit is not None:
            self.findings.extend(hit)
            return
        found: list[Finding] = []
        for check in checks:
            done = check.run(self.job(units, Scope.CORPUS))
            found.extend(done.all())
            self.reports.extend(done.reports)
        # A file that does not parse left the corpus half loaded: do not remember that.
        gates = {c.name for c in registry.CHECKS if c.gate}
        if self.remember(checks) and not any(f.check in gates for f in self.findings):
            self.cache.put(key, found)
        self.findings.extend(found)


@dataclass(frozen=True)
class _Work:
    checks: list[Check]
    job: Job  # without units: the context and settings every article's job starts from


# Set in the parent before the worker processes fork, so each worker starts with the shapes,
# ontology and shared vocabulary already parsed.
_WORK: _Work | None = None


def _check_unit(unit: GraphSource) -> tuple[list[Finding], list[str]]:
    """The per-article checks on one unit, in order; after a gate check (syntax) has found
    something, the later ones leave the unit alone."""
    assert _WORK is not None
    job = replace(_WORK.job, units=(unit,), parsed={})
    findings: list[Finding] = []
    reports: list[str] = []
    for check in _WORK.checks:
        found = check.run(replace(job, earlier=tuple(findings)))
        mine = found.by_unit.get(unit.graph, [])
        findings.extend(mine)
        reports.extend(found.reports)
        if check.gate and mine:
            break
    return findings, reports


def _map(todo: list[GraphSource], jobs: int) -> list[tuple[list[Finding], list[str]]]:
    workers = min(jobs or os.cpu_count() or 1, len(todo))
    if workers <= 1:
        return [_check_unit(unit) for unit in todo]
    # fork: the workers inherit _WORK instead of parsing the shapes and ontology again.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(_check_unit, todo, chunksize=max(1, len(todo) // (workers * 8))))


_RANK = {"Violation": 0, "Warning": 1, "Info": 2}
_DID_YOU_MEAN = re.compile(r"Did you mean [^?]+\?")


def fold(findings: list[Finding]) -> list[Finding]:
    """One break, one message: what a later check says about a resource an earlier check
    already reported (the same resource, or a term the earlier message names), or about the
    same place of a file when neither names a resource (a syntax error every check that
    parses the file stumbles on), is folded into the earlier finding as a remark, not
    printed again. "Earlier" is the order of the registry."""
    order = {check.name: n for n, check in enumerate(registry.CHECKS)}
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


def merge_reports(reports: Sequence[str]) -> str:
    """SHACL's reports of every unit as one Turtle document (--shacl-report)."""
    import rdflib  # loaded already whenever SHACL ran

    merged = rdflib.Graph()
    for turtle in reports:
        merged.parse(data=turtle, format="turtle")
    merged.bind("sh", "http://www.w3.org/ns/shacl#")
    return merged.serialize(format="turtle")

"""OWL reasoning per article: HermiT over the ontology, the shared vocabulary and one article.

One HermiT run over the whole corpus grows faster than the corpus and, at 1,000 articles, ran
out of Java heap after minutes (issue 5). Reasoning per article costs the same for every
article, so a corpus costs in proportion to its size, runs in parallel and can be cached per
article like SHACL. What it cannot see is a contradiction that needs two articles' data at
once; `pillars check --owl-whole-corpus` (`owl.run`) is the check for that.

Java and HermiT take about a second to start, more than reasoning over one article takes, so
articles go to HermiT in batches: one Java process per batch (OwlBatch.java) reasons over each
article of its batch separately. `jobs` batches run at once.
"""

from __future__ import annotations

import math
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

import owlready2
import pyoxigraph as ox

from pillars.check import Finding
from pillars.check.locate import SubjectIndex, short
from pillars.check.owl import (
    _FIRST_IRI,
    CHECK,
    _culprit,
    _java_error,
    _profile,
    _reason,
    _tail,
    _write_ntriples,
    datatype_checks,
    datatype_finding,
    dl_sanity,
    java_executable,
)
from pillars.check.units import is_shared, shapes_files
from pillars.corpus import Corpus, CorpusError, GraphSource, read_all, source_quads
from pillars.namespaces import ONTOLOGY_GRAPH, SHARED_GRAPH

BATCH_SOURCE = Path(__file__).with_name("OwlBatch.java")
# Heap of one batch process. Each article is reasoned over in a fresh OWL API manager, so
# the heap holds one article (plus the ontology) at a time: 100 synthetic articles ran in
# 600 MB. `jobs` of these run at once.
BATCH_JAVA_MEMORY_MB = 768
# A batch lives seconds to minutes: the optimising JIT compiler (C2) and the parallel garbage
# collector cost more CPU than they save there. Measured on 100 synthetic articles in one
# batch: 7.9 CPU s with the defaults, 4.5 CPU s with these.
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
MAX_BATCH = 250  # articles per Java process: a crash or a time-out costs at most this many
BATCH_TIMEOUT_S = 120  # for starting Java and compiling OwlBatch.java ...
ARTICLE_TIMEOUT_S = 10  # ... plus this much per article of the batch


@dataclass(frozen=True)
class Base:
    """The ontology and the shared vocabulary, parsed once, with their own DL findings."""

    graphs: list[tuple[str, list[ox.Quad]]]
    findings: frozenset[Finding]  # reported by the base check; not repeated per article
    # (property, datatype) -> the shape checking those values (owl.datatype_checks), for the
    # owl2-dl-datatype findings of an article's own use of an unsupported datatype
    checks: Mapping[tuple[str, str], str] = field(default_factory=dict)


def load_base(corpus: Corpus) -> Base | None:
    """None when the ontology or the shared vocabulary does not parse (reported elsewhere)."""
    sources = [s for s in corpus.sources if s.graph in (ONTOLOGY_GRAPH, SHARED_GRAPH)]
    try:
        graphs = [(source.graph, quads) for source, quads in read_all(sources)]
    except CorpusError:
        return None
    return Base(graphs, frozenset(dl_sanity(graphs)), datatype_checks(shapes_files(corpus)))


def check(sources: Sequence[GraphSource], base: Base, jobs: int) -> dict[str, list[Finding]]:
    """Findings per article graph. An article that does not parse gets none: the syntax
    check reports it. Without Java only the DL typing rules run (the base check says why)."""
    results: dict[str, list[Finding]] = {s.graph: [] for s in sources}
    if not sources:
        return results
    java = java_executable()
    count = max(jobs, math.ceil(len(sources) / MAX_BATCH))
    size = math.ceil(len(sources) / count)
    batches = [list(sources[i : i + size]) for i in range(0, len(sources), size)]
    with tempfile.TemporaryDirectory(prefix="pillars-owl-") as tmp:
        base_nt = Path(tmp) / "base.nt"
        _write_ntriples(base_nt, base.graphs)
        folders = [Path(tmp) / f"batch-{n}" for n in range(len(batches))]
        with ThreadPoolExecutor(max(1, jobs)) as pool:
            done = pool.map(
                lambda b: _batch(java, base, base_nt, *b), zip(folders, batches, strict=True)
            )
            for found in done:
                results.update(found)
    return results


def pin_down(corpus: Corpus, findings: list[Finding]) -> list[Finding]:
    """The whole-corpus run (`owl.run`) names the article graph at fault; reasoning over that
    article alone, as the per-article check does, names the resources and their file, so the
    report can fold HermiT's message into another check's about the same resource."""
    articles = {s.graph: s for s in corpus.sources if s.slug is not None and not is_shared(s)}
    culprits = [f for f in findings if f.rule == "hermit-consistency" and f.resource in articles]
    base = load_base(corpus) if culprits else None
    if base is None:
        return findings
    pinned: list[Finding] = []
    for finding in findings:
        if finding not in culprits:
            pinned.append(finding)
            continue
        source = articles[str(finding.resource)]
        alone = check([source], base, 1)[source.graph]
        named = [f for f in alone if f.rule == "hermit-consistency" and f.resource != source.graph]
        where = str(source.files[0]) if source.files else None
        pinned.extend(named or [replace(finding, file=where)])
    return pinned


def _batch(
    java: str | None, base: Base, base_nt: Path, folder: Path, sources: list[GraphSource]
) -> dict[str, list[Finding]]:
    folder.mkdir()
    results: dict[str, list[Finding]] = {}
    files: dict[str, GraphSource] = {}
    for n, source in enumerate(sources):
        try:
            quads = source_quads(source)
        except CorpusError:
            results[source.graph] = []
            continue
        graphs = [*base.graphs, (source.graph, quads)]
        results[source.graph] = [f for f in dl_sanity(graphs) if f not in base.findings]
        target = folder / f"{n}.nt"
        _write_ntriples(target, [(source.graph, quads)])
        files[str(target)] = source
    if java is None or not files:
        return results
    classpath = owlready2.reasoning._HERMIT_CLASSPATH
    timeout = BATCH_TIMEOUT_S + ARTICLE_TIMEOUT_S * len(files)
    command = [java, f"-Xmx{BATCH_JAVA_MEMORY_MB}m", *JVM_OPTIONS, "-cp", classpath]
    command.append(str(BATCH_SOURCE))
    try:
        done = subprocess.run(
            [*command, str(base_nt), *files], capture_output=True, text=True, timeout=timeout
        )
        out, err = done.stdout, done.stderr
    except subprocess.TimeoutExpired as expired:
        out = _text(expired.stdout)
        err = f"stopped after {timeout} s (the batch of {len(files)} article(s) took too long)"
    except OSError as error:
        out, err = "", f"Java could not be started: {error}"
    if not out and "compiler" in err.lower():
        # A Java runtime without the compiler cannot run OwlBatch.java: reason per article
        # through owlready2 instead (a Java start per article: slower, same answers).
        for source in files.values():
            results[source.graph].extend(_one_by_one(base, source))
        return results
    answered: set[str] = set()
    noise: list[str] = []  # the JVM prints some of its own failures on stdout
    culprits: dict[str, list[str]] = {}
    for line in out.splitlines():
        name, _, rest = line.partition("\t")
        if name not in files:
            noise.append(line)
            continue
        kind, _, detail = rest.partition("\t")
        if kind == "culprit":
            culprits.setdefault(name, []).append(detail)
            continue
        if kind == "inconsistent" and culprits.get(name):
            found_list = _culprit_findings(files[name], culprits[name])
        else:
            one = _finding(files[name], kind, detail, base.checks)
            found_list = [one] if one is not None else []
        if kind in ("ok", "inconsistent", "error"):
            answered.add(name)
        results[files[name].graph].extend(found_list)
    for path, source in files.items():
        if path not in answered:
            why = (_java_error(err) if err.strip() else _tail("\n".join(noise))) or "no answer"
            results[source.graph].append(_failed(source, why))
    return results


def _finding(
    source: GraphSource, kind: str, detail: str, checks: Mapping[tuple[str, str], str]
) -> Finding | None:
    if kind == "inconsistent":
        return _located(source, _culprit(source.graph))
    if kind == "datatype":  # the article's own use of a datatype HermiT ignores
        prop, datatype, how = (detail.split("\t") + ["", ""])[:3]
        return _located(source, datatype_finding(prop, datatype, how, checks))
    if kind == "profile":
        violation, _, message = detail.partition("\t")
        iri = _FIRST_IRI.search(message)
        text = f"Not OWL 2 DL ({violation}) in graph {source.graph}: {message}"
        return _located(source, _profile("Violation", text, iri.group(1) if iri else None))
    if kind == "error":
        return _failed(source, detail)
    return None


def _culprit_findings(source: GraphSource, iris: list[str]) -> list[Finding]:
    """The article is inconsistent, and HermiT pinned it on these resources: name each, in
    the file and at the line that describe it, so the report can fold what HermiT says into
    what SHACL says about the same resource (a wrong datatype is seen by both)."""
    index = SubjectIndex.build(source.files)
    findings: list[Finding] = []
    for iri in iris:
        where = index.locate(iri)
        finding = Finding(
            CHECK, "Violation",
            f"{short(iri)} contradicts the ontology (HermiT finds graph {source.graph} "
            "inconsistent because of what it says about this resource): look for a value of "
            "the wrong datatype, a type disjoint with another of its types, or a link to a "
            "resource outside the property's range.",
            resource=iri if iri.startswith(("http://", "https://", "urn:")) else None,
            rule="hermit-consistency",
        )  # fmt: skip
        if where is None:
            findings.append(_located(source, finding))
        else:
            findings.append(replace(finding, file=where[0], line=where[1]))
    return findings


def _failed(source: GraphSource, why: str) -> Finding:
    return _located(
        source,
        Finding(CHECK, "Violation",
                f"HermiT could not reason over graph {source.graph}: {why}. This says nothing "
                "about the article's data; run `pillars check --jobs 1` on it alone, or report "
                "the message.", resource=source.graph, rule="hermit"),
    )  # fmt: skip


def _one_by_one(base: Base, source: GraphSource) -> list[Finding]:
    with tempfile.TemporaryDirectory(prefix="pillars-owl-") as tmp:
        graphs = [*base.graphs, (source.graph, source_quads(source))]
        outcome = _reason(Path(tmp), graphs, f"graph {source.graph}")
    if outcome.inconsistent:
        return [_located(source, _culprit(source.graph))]
    return [_located(source, f) for f in outcome.findings if f.rule != "hermit-unsatisfiable"]


def _located(source: GraphSource, finding: Finding) -> Finding:
    """Group the finding under the article's first file, where the editor will look."""
    return replace(finding, file=str(source.files[0])) if source.files else finding


def _text(value: bytes | str | None) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value or ""

"""OWL 2 DL check: owlready2 loads the ontology (and the instances), HermiT reasons over it.

Reports an inconsistent corpus and every unsatisfiable class (a class that can have no
member, usually a modelling error such as a subclass of two disjoint classes). Where the
whole corpus is inconsistent, the check narrows it down to the graph that makes it so, because
HermiT itself says only "inconsistent".

HermiT runs in Java. Without a Java runtime the check reports that once and stops: nothing
else in Pillars needs Java.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import owlready2
import pyoxigraph as ox

from pillars.check import OWL, Finding, Severity, syntax
from pillars.check.locate import SubjectIndex, short
from pillars.check.units import shapes_files
from pillars.corpus import Corpus, CorpusError, GraphSource, read_all
from pillars.namespaces import ONTOLOGY_GRAPH, SHAPES_GRAPH, SHARED_GRAPH

CHECK = OWL

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_OWL = "http://www.w3.org/2002/07/owl#"
_RDF_TYPE = ox.NamedNode(_RDF + "type")
_OBJECT_PROPERTY = ox.NamedNode(_OWL + "ObjectProperty")
_DATATYPE_PROPERTY = ox.NamedNode(_OWL + "DatatypeProperty")
_ANNOTATION_PROPERTY = ox.NamedNode(_OWL + "AnnotationProperty")
# Vocabularies OWL itself defines (rdf:type, rdfs:label, owl:sameAs ...): never declared.
_BUILT_IN = (_RDF, "http://www.w3.org/2000/01/rdf-schema#", _OWL)

_SH = "http://www.w3.org/ns/shacl#"
_SH_PATH, _SH_DATATYPE = ox.NamedNode(_SH + "path"), ox.NamedNode(_SH + "datatype")
_SH_PROPERTY = ox.NamedNode(_SH + "property")
DATATYPE_RULE = "owl2-dl-datatype"

PROFILE_SOURCE = Path(__file__).with_name("OwlProfile.java")
PROFILE_TIMEOUT_S = 120
_FIRST_IRI = re.compile(r"<([^<>\s]+)>")

# HermiT's heap for the ontology alone or one article; the default of owlready2 (2 GB) is more
# than that needs and the CI machine is shared. A whole-corpus run gets more (whole_corpus_heap_mb).
JAVA_MEMORY_MB = 1000


def java_executable() -> str | None:
    """The Java runtime owlready2 will call, or None when there is none on PATH."""
    return shutil.which(owlready2.JAVA_EXE)


def run(corpus: Corpus, with_instances: bool = True, datatypes: bool = False) -> list[Finding]:
    """Check the ontology (and, by default, every instance graph) with owlready2 and HermiT.

    With instances this is one HermiT run over the whole corpus: the only way to see a
    contradiction that needs two articles at once, but its cost grows faster than the corpus
    (`pillars check --owl-whole-corpus`). `pillars check` reasons per article instead
    (`run_base` once, then `pillars.check.owl_articles`).

    `datatypes`: also the standing Warnings (rule owl2-dl-datatype) about data properties whose
    range or values use a datatype outside the OWL 2 datatype map (xsd:gYear), which HermiT
    ignores; `pillars check` always asks for them, so they never pass silently there.
    """
    what = "corpus" if with_instances else "ontology"
    heap = whole_corpus_heap_mb() if with_instances else JAVA_MEMORY_MB
    sources = _reasoning_sources(corpus.sources, with_instances)
    checks = datatype_checks(shapes_files(corpus)) if datatypes else None
    return _run(sources, with_instances, what, heap, checks)


def run_base(corpus: Corpus, datatypes: bool = False) -> list[Finding]:
    """The ontology with the shared vocabulary, no article: what every article is checked with.

    Unsatisfiable classes and profile violations of the ontology are found here once, not
    repeated for every article. `datatypes`: as for `run`.
    """
    sources = [s for s in corpus.sources if s.graph in (ONTOLOGY_GRAPH, SHARED_GRAPH)]
    what = "ontology with the shared vocabulary"
    checks = datatype_checks(shapes_files(corpus)) if datatypes else None
    return _run(sources, True, what, JAVA_MEMORY_MB, checks)


def whole_corpus_heap_mb() -> int:
    """HermiT's heap for one run over everything: half the machine's memory, at most 8 GB."""
    try:
        physical = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (ValueError, OSError):
        return JAVA_MEMORY_MB
    return max(JAVA_MEMORY_MB, min(8000, physical // 2))


def _run(
    sources: Sequence[GraphSource],
    with_instances: bool,
    what: str,
    heap_mb: int,
    checks: Mapping[tuple[str, str], str] | None = None,
) -> list[Finding]:
    try:
        selected = [(source.graph, quads) for source, quads in read_all(sources)]
    except CorpusError as err:
        return [
            Finding(CHECK, "Violation", f"OWL check not run: {err}", file=str(err.path),
                    line=err.line, column=err.column, rule="load")
        ]  # fmt: skip
    findings = dl_sanity(selected)
    java = java_executable()
    if java is None:
        findings.append(
            Finding(
                CHECK,
                "Warning",
                "Java was not found on PATH, so the OWL reasoning check (HermiT: consistency "
                "and unsatisfiable classes) was skipped. Install a Java runtime (for example "
                "the Debian package default-jre-headless) to run it.",
                rule="hermit",
            )
        )
        return findings
    with tempfile.TemporaryDirectory(prefix="pillars-owl-") as tmp:
        outcome = _reason(Path(tmp), selected, what, heap_mb)
        profile = dl_profile(java, Path(tmp) / "reasoned.nt", heap_mb, checks)
        if checks is None:  # not asked for: the direct entry points' old contract
            profile = [f for f in profile if f.rule != DATATYPE_RULE]
        findings.extend(_at_definitions(profile, sources))
        located = _localise(Path(tmp), selected) if outcome.inconsistent and with_instances else []
        if not any(f.rule == "hermit-consistency" for f in located):
            findings.extend(outcome.findings)  # else the graph at fault says it better: once
        findings.extend(located)
    return findings


def _reasoning_sources(sources: Sequence[GraphSource], with_instances: bool) -> list[GraphSource]:
    # Shapes are not OWL: loading SHACL terms would only add noise (and punning).
    if not with_instances:
        return [s for s in sources if s.graph == ONTOLOGY_GRAPH]
    return [s for s in sources if s.graph != SHAPES_GRAPH]


class _Outcome:
    def __init__(self, findings: list[Finding], inconsistent: bool) -> None:
        self.findings = findings
        self.inconsistent = inconsistent


def _write_ntriples(path: Path, graphs: Sequence[tuple[str, list[ox.Quad]]]) -> None:
    triples = [ox.Triple(q.subject, q.predicate, q.object) for _g, quads in graphs for q in quads]
    ox.serialize(triples, str(path), format=ox.RdfFormat.N_TRIPLES)


def _reason(
    tmp: Path,
    graphs: Sequence[tuple[str, list[ox.Quad]]],
    what: str,
    heap_mb: int = JAVA_MEMORY_MB,
) -> _Outcome:
    """Load `graphs` into a fresh owlready2 World and run HermiT over it."""
    path = tmp / "reasoned.nt"
    _write_ntriples(path, graphs)
    world = owlready2.World()  # isolated: nothing leaks into owlready2's default world
    try:
        try:
            world.get_ontology(path.as_uri()).load()
        except Exception as err:  # owlready2 raises bare Exceptions of several kinds
            return _Outcome(
                [Finding(CHECK, "Violation", f"owlready2 cannot load the {what}: {err}",
                         rule="owlready2-load")],
                False,
            )  # fmt: skip
        # owlready2's -Xmx for HermiT (its default, 2,000 MB, is too little for a large corpus
        # in one run and more than one article needs).
        owlready2.reasoning.JAVA_MEMORY = heap_mb
        try:
            # xsd:gYear is not in the OWL 2 datatype map; HermiT would refuse the whole
            # ontology over it, so the axioms that use it are ignored, and dl_profile reports
            # each property they concern (rule owl2-dl-datatype): no silent pass.
            owlready2.sync_reasoner_hermit(world, debug=0, ignore_unsupported_datatypes=True)
        except owlready2.OwlReadyInconsistentOntologyError:
            return _Outcome(
                [Finding(CHECK, "Violation",
                         f"HermiT finds the {what} inconsistent: some statements contradict the "
                         "ontology (for example a resource typed with two disjoint classes, or "
                         "a property whose domain or range is disjoint with the resource's "
                         "type).", rule="hermit-consistency")],
                True,
            )  # fmt: skip
        except (owlready2.OwlReadyJavaError, subprocess.SubprocessError, OSError) as err:
            return _Outcome(
                [Finding(CHECK, "Violation", f"HermiT failed on the {what}: {_tail(str(err))}",
                         rule="hermit")],
                False,
            )  # fmt: skip
        findings = [
            Finding(CHECK, "Violation",
                    f"Class {cls.iri} is unsatisfiable in the {what}: no resource can be a "
                    "member of it (check its superclasses and disjointness axioms).",
                    resource=cls.iri, rule="hermit-unsatisfiable")
            for cls in world.inconsistent_classes()
            if cls.iri != _OWL + "Nothing"
        ]  # fmt: skip
        return _Outcome(findings, False)
    finally:
        world.close()


def _localise(tmp: Path, graphs: Sequence[tuple[str, list[ox.Quad]]]) -> list[Finding]:
    """Say which graph makes the corpus inconsistent: ontology, shared, or an article."""
    by_graph = dict(graphs)
    base = [(ONTOLOGY_GRAPH, by_graph.get(ONTOLOGY_GRAPH, []))]
    alone = _reason(tmp, base, "ontology")
    if alone.inconsistent:
        return [_culprit(ONTOLOGY_GRAPH)]
    # An inconsistent corpus hides unsatisfiable classes; the ontology alone still shows them.
    found = alone.findings
    if SHARED_GRAPH in by_graph:
        base.append((SHARED_GRAPH, by_graph[SHARED_GRAPH]))
        if _reason(tmp, base, "shared").inconsistent:
            return [*found, _culprit(SHARED_GRAPH)]
    for graph, quads in graphs:
        if graph in (ONTOLOGY_GRAPH, SHARED_GRAPH):
            continue
        if _reason(tmp, [*base, (graph, quads)], "article").inconsistent:
            found.append(_culprit(graph))
    return found


def _culprit(graph: str) -> Finding:
    return Finding(
        CHECK,
        "Violation",
        f"The contradiction is in graph {graph} (with the ontology and shared graphs "
        "loaded): look there for a resource of two disjoint classes or a property used "
        "outside its domain or range.",
        resource=graph,
        rule="hermit-consistency",
    )


def dl_sanity(graphs: Sequence[tuple[str, list[ox.Quad]]]) -> list[Finding]:
    """OWL 2 DL typing rules that owlready2 and HermiT would otherwise accept silently.

    In OWL 2 DL a property is exactly one of object, datatype or annotation property, object
    properties take resources and datatype properties take literals.
    """
    kinds: dict[ox.NamedNode, set[str]] = {}
    for _g, quads in graphs:
        for q in quads:
            if q.predicate == _RDF_TYPE and isinstance(q.subject, ox.NamedNode):
                if q.object == _OBJECT_PROPERTY:
                    kinds.setdefault(q.subject, set()).add("object")
                elif q.object == _DATATYPE_PROPERTY:
                    kinds.setdefault(q.subject, set()).add("datatype")
                elif q.object == _ANNOTATION_PROPERTY:
                    kinds.setdefault(q.subject, set()).add("annotation")
    findings = [
        Finding(CHECK, "Violation",
                f"{prop.value} is declared as more than one kind of property "
                f"({', '.join(sorted(k))}); OWL 2 DL allows only one.",
                resource=prop.value, rule="dl-property-kind")
        for prop, k in sorted(kinds.items(), key=lambda item: item[0].value)
        if len(k) > 1
    ]  # fmt: skip
    misuse: dict[tuple[str, str], str] = {}
    for graph, quads in graphs:
        for q in quads:
            k = kinds.get(q.predicate, set())
            if k == {"object"} and isinstance(q.object, ox.Literal):
                misuse.setdefault((q.predicate.value, "literal"), graph)
            elif k == {"datatype"} and not isinstance(q.object, ox.Literal):
                misuse.setdefault((q.predicate.value, "resource"), graph)
    undeclared: dict[str, str] = {}
    for graph, quads in graphs:
        if graph == ONTOLOGY_GRAPH:
            continue
        for q in quads:
            if q.predicate not in kinds and not q.predicate.value.startswith(_BUILT_IN):
                undeclared.setdefault(q.predicate.value, graph)
    findings.extend(
        Finding(CHECK, "Violation",
                f"{prop} is used as a property in graph {graph} but is not declared in the "
                "ontology; OWL 2 DL needs every property declared (as an object, datatype or "
                "annotation property).", resource=prop, rule="dl-undeclared-property")
        for prop, graph in sorted(undeclared.items())
    )  # fmt: skip
    for (prop, value_kind), graph in sorted(misuse.items()):
        expected = "resources (IRIs)" if value_kind == "literal" else "literal values"
        findings.append(
            Finding(CHECK, "Violation",
                    f"{prop} takes {expected}, but graph {graph} gives it a {value_kind}.",
                    resource=prop, rule="dl-property-value")
        )  # fmt: skip
    return findings


def dl_profile(
    java: str,
    ntriples: Path,
    heap_mb: int = 512,
    checks: Mapping[tuple[str, str], str] | None = None,
) -> list[Finding]:
    """The OWL API's OWL 2 DL profile check (punning, undeclared terms, reserved vocabulary),
    and a Warning per data property whose range or values use a datatype outside the OWL 2
    datatype map (xsd:gYear), which the OWL API accepts silently and HermiT ignores.

    It runs OwlProfile.java against the OWL API inside owlready2's HermiT.jar, in Java's
    single-file source mode: that needs a JDK (javac's compiler module), not only a JRE.
    `checks` says which shape checks a (property, datatype)'s values (`datatype_checks`).
    """
    classpath = owlready2.reasoning._HERMIT_CLASSPATH
    # 512 MB holds the ontology and a few articles; a whole corpus gets HermiT's heap (at 1,000
    # synthetic articles 512 MB ran out).
    command = [java, f"-Xmx{heap_mb}m", "-cp", classpath, str(PROFILE_SOURCE), str(ntriples)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=PROFILE_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        why = f"it took more than {PROFILE_TIMEOUT_S} s and was stopped"
        return [_profile("Warning", f"OWL 2 DL profile check skipped: {why}.")]
    if done.returncode != 0:
        if "compiler" in done.stderr.lower():
            why = "it needs a Java development kit (Debian: default-jdk-headless), not only a JRE"
            return [_profile("Warning", f"OWL 2 DL profile check skipped: {why}.")]
        return [_profile("Violation", f"OWL 2 DL profile check failed: {_java_error(done.stderr)}")]
    seen: dict[str, Finding] = {}
    for line in done.stdout.splitlines():
        kind, _, message = line.partition("\t")
        if kind == "UnsupportedDatatype":
            prop, datatype, how = (message.split("\t") + ["", ""])[:3]
            seen.setdefault(line, datatype_finding(prop, datatype, how, checks or {}))
            continue
        iri = _FIRST_IRI.search(message)
        text = f"Not OWL 2 DL ({kind}): {message}"
        seen.setdefault(text, _profile("Violation", text, iri.group(1) if iri else None))
    return list(seen.values())


def datatype_finding(
    prop: str, datatype: str, how: str, checks: Mapping[tuple[str, str], str]
) -> Finding:
    """A data property whose range or values use a datatype outside the OWL 2 datatype map
    (xsd:gYear): not OWL 2 DL, and HermiT is told to ignore those axioms, so say it, by name."""
    p, dt = short(prop), short(datatype)
    uses = {"range": "its rdfs:range", "values": "its values"}
    said = " and ".join(uses.get(part, part) for part in how.split(" and ")) or "it"
    shape = checks.get((prop, datatype))
    who = (
        f"SHACL checks the values instead ({shape}, sh:datatype {dt})."
        if shape
        else f"No shape checks them either: give {p} a property shape with sh:datatype {dt}."
    )
    return Finding(
        CHECK, "Warning",
        f"{p} uses {dt} ({said}), which is outside the OWL 2 datatype map: the ontology is "
        f"not OWL 2 DL there, and HermiT ignores the axioms that use {dt} (a range of {p}, "
        f"every value given to it), so OWL reasoning checks none of them. {who}",
        resource=prop, rule=DATATYPE_RULE,
    )  # fmt: skip


def datatype_checks(files: Sequence[Path]) -> dict[tuple[str, str], str]:
    """(property, datatype) -> the shape whose sh:path and sh:datatype check those values."""
    quads: list[ox.Quad] = []
    for path in files:
        try:
            quads.extend(syntax.parse(path))
        except CorpusError:
            continue  # the shapes are reported elsewhere; the message then names no shape
    targets = {q.subject: q.object for q in quads if q.predicate == _SH_PATH}
    owners = {q.object: q.subject for q in quads if q.predicate == _SH_PROPERTY}
    found: dict[tuple[str, str], str] = {}
    for q in quads:
        prop = targets.get(q.subject)
        if q.predicate == _SH_DATATYPE and isinstance(prop, ox.NamedNode):
            shape = owners.get(q.subject, q.subject)
            if isinstance(shape, ox.NamedNode) and isinstance(q.object, ox.NamedNode):
                found.setdefault((prop.value, q.object.value), short(shape.value))
    return found


def _at_definitions(findings: list[Finding], sources: Sequence[GraphSource]) -> list[Finding]:
    """Put each datatype finding at the line of the ontology that defines its property."""
    if not any(f.rule == DATATYPE_RULE for f in findings):
        return findings
    index = SubjectIndex.build([f for s in sources if s.graph == ONTOLOGY_GRAPH for f in s.files])
    placed: list[Finding] = []
    for f in findings:
        where = index.locate(f.resource) if f.rule == DATATYPE_RULE and f.resource else None
        placed.append(f if where is None else replace(f, file=where[0], line=where[1]))
    return placed


def _profile(severity: Severity, message: str, resource: str | None = None) -> Finding:
    return Finding(CHECK, severity, message, resource=resource, rule="owl2-dl-profile")


def _java_error(stderr: str) -> str:
    """The line of a Java stack trace that says what went wrong, not where."""
    cause = [line.strip() for line in stderr.splitlines() if _JAVA_CAUSE.search(line)]
    if any("OutOfMemoryError" in line for line in cause):
        return "Java ran out of memory (its -Xmx heap); " + cause[-1]
    return cause[-1] if cause else _tail(stderr)


_JAVA_CAUSE = re.compile(r"^(Exception in thread|Caused by:|\S*(Error|Exception)\b)")


def _tail(text: str, lines: int = 5) -> str:
    return " | ".join(line for line in text.strip().splitlines()[-lines:])

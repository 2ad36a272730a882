"""Ontology hygiene: the SPARQL violation queries of ontology/qc/, run over the loaded corpus.

Each `ontology/qc/<rule>.rq` is a SELECT returning ?resource and ?message; every row is a
violation, so an empty result means the rule holds. The queries are plain files so that an
editor can run one by hand against the SPARQL endpoint, and a new rule needs no Python.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox

from pillars.check import HYGIENE, Finding
from pillars.corpus import default_root
from pillars.namespaces import ONTOLOGY_GRAPH, sparql_prefixes
from pillars.store_interface import ReadStore

CHECK = HYGIENE


def qc_folder() -> Path:
    return default_root() / "ontology" / "qc"


def rules(folder: Path | None = None) -> list[Path]:
    """The violation queries, in a stable order."""
    return sorted((folder or qc_folder()).glob("*.rq"))


def description(query_file: Path) -> str:
    """What a rule catches: its leading comment, without the comment marks."""
    lines = []
    for line in query_file.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    return " ".join(lines).removeprefix("Catches: ")


def run_rule(store: ReadStore, query_file: Path) -> list[Finding]:
    """Run one violation query; a broken query is itself reported, never raised."""
    rule = query_file.stem
    try:
        query = query_file.read_text(encoding="utf-8")
        result = store.query(query, use_default_graph_as_union=True)
    except (OSError, UnicodeDecodeError, SyntaxError) as err:
        return [Finding(CHECK, "Violation", f"hygiene query cannot run: {err}",
                        file=str(query_file), rule=rule)]  # fmt: skip
    if not isinstance(result, ox.QuerySolutions) or not {"resource", "message"} <= {
        v.value for v in result.variables
    }:
        return [Finding(CHECK, "Violation",
                        "hygiene query must be a SELECT returning ?resource and ?message",
                        file=str(query_file), rule=rule)]  # fmt: skip
    findings = []
    for row in result:
        resource, message = row["resource"], row["message"]
        findings.append(
            Finding(
                CHECK,
                "Violation",
                message.value if message is not None else f"violates {rule}",
                file=str(query_file),
                resource=resource.value if isinstance(resource, ox.NamedNode) else None,
                rule=rule,
            )
        )
    return findings


def run(store: ReadStore, folder: Path | None = None) -> list[Finding]:
    """Run every violation query of `folder` (default ontology/qc/) over `store`."""
    findings: list[Finding] = []
    for query_file in rules(folder):
        findings.extend(run_rule(store, query_file))
    return with_suggestions(store, findings)


# Rules whose culprit is usually a misspelt term: the message gets the nearest declared term.
TYPO_RULES = ("undeclared-pil-term", "undeclared-class", "undeclared-property")
DECLARED_TERMS = """
SELECT DISTINCT ?term WHERE {
  GRAPH <%s> { ?term a ?kind }
  FILTER(isIRI(?term) && ?kind IN (owl:Class, owl:ObjectProperty, owl:DatatypeProperty,
                                    owl:AnnotationProperty))
}
"""


def with_suggestions(store: ReadStore, findings: list[Finding]) -> list[Finding]:
    """Add "did you mean ...?" to typo findings, from the terms the ontology declares."""
    if not any(f.rule in TYPO_RULES and f.resource for f in findings):
        return findings
    result = store.query(sparql_prefixes() + DECLARED_TERMS % ONTOLOGY_GRAPH)
    assert isinstance(result, ox.QuerySolutions)
    declared = [row["term"].value for row in result]
    out = []
    for f in findings:
        if f.rule in TYPO_RULES and f.resource:
            close = difflib.get_close_matches(f.resource, declared, n=1, cutoff=0.85)
            if close and close[0] != f.resource:
                f = replace(f, message=f"{f.message} Did you mean {close[0]}?")
        out.append(f)
    return out

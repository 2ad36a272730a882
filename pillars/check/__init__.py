"""Consistency checks: Turtle syntax, SHACL, OWL reasoning, quote fidelity, ontology hygiene.

Every check returns `Finding`s; `pillars check` groups them into one report. The checks
themselves, in fold order, are the entries of `pillars.check.registry.CHECKS`; their names
are the constants below, which the check modules stamp on their findings.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["Violation", "Warning", "Info"]

# The names of the checks (`--skip NAME`, Finding.check, the report's list of checks). They
# live here, not in the registry, so that a check module can name itself without importing
# the registry that runs it.
SYNTAX = "syntax"
SHACL = "shacl"
QUOTES = "quotes"
OWL = "owl"
HYGIENE = "hygiene"


@dataclass(frozen=True)
class Finding:
    check: str  # the name of the check that found it (SYNTAX, SHACL, ...)
    severity: Severity
    message: str  # for a non-expert: what is wrong and what to do
    file: str | None = None
    line: int | None = None
    column: int | None = None
    resource: str | None = None  # the IRI at fault
    rule: str | None = None  # the shape, query or rule that found it

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}

"""Consistency checks: Turtle syntax, SHACL, OWL reasoning, quote fidelity, ontology hygiene.

Every check returns `Finding`s; `pillars check` groups them into one report.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["Violation", "Warning", "Info"]


@dataclass(frozen=True)
class Finding:
    check: str  # "syntax", "shacl", "owl", "quotes", "hygiene"
    severity: Severity
    message: str  # for a non-expert: what is wrong and what to do
    file: str | None = None
    line: int | None = None
    column: int | None = None
    resource: str | None = None  # the IRI at fault
    rule: str | None = None  # the shape, query or rule that found it

    def as_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}

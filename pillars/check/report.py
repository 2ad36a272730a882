"""One report over every check: grouped text for people, JSON for programs."""

from __future__ import annotations

import json
import os
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from pillars.check import Finding
from pillars.check.locate import short

SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}


@dataclass
class Report:
    findings: list[Finding]
    checks_run: list[str]
    notes: list[str] = field(default_factory=list)  # what was skipped and why, cache use
    articles: int = 0
    cached: int = 0

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def counts(self) -> dict[str, int]:
        counted = Counter(str(f.severity) for f in self.findings)
        return {s: counted[s] for s in SEVERITY_ORDER}

    def exit_code(self) -> int:
        return 0 if self.conforms else 1


def _display_path(path: str) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def as_text(report: Report) -> str:
    """Findings grouped by file, then by resource, most severe first."""
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[_display_path(finding.file) if finding.file else "(not tied to a file)"].append(
            finding
        )
    out: list[str] = []
    for file in sorted(by_file):
        out.append(file)
        by_resource: dict[str, list[Finding]] = defaultdict(list)
        for f in by_file[file]:
            by_resource[f.resource or ""].append(f)
        for resource in sorted(by_resource, key=lambda r: _first_line(by_resource[r])):
            items = sorted(by_resource[resource], key=lambda f: SEVERITY_ORDER[f.severity])
            head = short(resource) if resource else "(file)"
            line = _first_line(items)
            out.append(f"  {head}" + (f"  (line {line})" if line else ""))
            for f in items:
                where = f"line {f.line}" + (f", column {f.column}" if f.column else "")
                loc = f" [{where}]" if f.line and not resource else ""
                rule = f" {f.rule}" if f.rule else ""
                out.append(f"    {f.severity.upper()} ({f.check}{rule}){loc}: {f.message}")
        out.append("")
    counts = report.counts()
    verdict = "conforms" if report.conforms else "does NOT conform"
    out.append(
        f"{verdict}: {counts['Violation']} violation(s), {counts['Warning']} warning(s), "
        f"{counts['Info']} note(s); checks: {', '.join(report.checks_run) or 'none'}; "
        f"{report.articles} graph(s), {report.cached} unchanged since the last check"
    )
    out.extend(f"note: {n}" for n in report.notes)
    return "\n".join(out)


def _first_line(findings: Sequence[Finding]) -> int:
    return min((f.line for f in findings if f.line), default=0)


def as_json(report: Report) -> str:
    return json.dumps(
        {
            "conforms": report.conforms,
            "counts": report.counts(),
            "checks": report.checks_run,
            "graphs": report.articles,
            "cached": report.cached,
            "notes": report.notes,
            "findings": [f.as_dict() for f in report.findings],
        },
        indent=2,
        ensure_ascii=False,
    )

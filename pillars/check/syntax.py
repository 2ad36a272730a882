"""The Turtle syntax check: a file that does not parse, named with its line and column.

It runs first, and it is the gate of the per-article checks: SHACL and the quotes leave an
article alone when one of its files does not parse, since checking half an article would
only bury the syntax error under findings about what the unparsed half defines.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from pillars.check import SYNTAX, Finding
from pillars.corpus import CorpusError, parse_turtle

UNNAMED_GRAPH = "urn:x-pillars:unused"  # the checks read each file into the default graph


def parse(path: Path) -> list[ox.Quad]:
    """The triples of one Turtle file; CorpusError (with line and column) when it does not parse."""
    return parse_turtle(path, UNNAMED_GRAPH)


def finding(err: CorpusError) -> Finding:
    message = str(err).split(": ", 1)[-1] if ": " in str(err) else str(err)
    return Finding(
        SYNTAX, "Violation", f"Turtle syntax error: {message}",
        file=str(err.path), line=err.line, column=err.column, rule="turtle",
    )  # fmt: skip


def findings(files: Sequence[Path]) -> list[Finding]:
    """A syntax finding for each of `files` that does not parse as Turtle."""
    found: list[Finding] = []
    for path in files:
        try:
            parse(path)
        except CorpusError as err:
            found.append(finding(err))
    return found

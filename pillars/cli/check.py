"""`pillars check [PATH ...]`: every check, one report, exit 0 / 1 / 2 (pillars/check/engine.py).

The checks, `--skip`'s choices and the list in the help text come from
pillars.check.registry.CHECKS.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pillars.check import OWL, registry
from pillars.check.engine import CheckCannotRun, Options, merge_reports, run_checks
from pillars.check.report import as_json, as_text

HELP = f"""Check PATHs (Turtle files or article folders, anywhere on disk) or the whole corpus.

    Runs {registry.in_words()} against the bundled ontology and shapes. Exit code 0:
    conforms; 1: violations found; 2: the check could not run.
    """


@click.command("check", help=HELP)
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
    "--skip", type=click.Choice(registry.skippable()), multiple=True,
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
    at_once = frozenset({OWL} if owl_whole_corpus else ())
    options = Options(
        frozenset(skip), jobs, not no_cache, cache_dir, shacl_report is not None, at_once
    )
    try:
        report, shacl_reports = run_checks(list(paths), options)
    except CheckCannotRun as err:
        click.echo(f"pillars check could not run: {err}", err=True)
        sys.exit(2)
    if shacl_report is not None:
        text = merge_reports(shacl_reports)
        if str(shacl_report) == "-":
            click.echo(text)
        else:
            shacl_report.write_text(text, encoding="utf-8")
    click.echo(as_json(report) if fmt == "json" else as_text(report))
    sys.exit(report.exit_code())

"""`pillars anchor`: the evidence block for a quote of an article's text."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pillars.anchor import AnchorError, Suggestion, evidence_turtle, locate
from pillars.cli.options import ROOT_OPTION
from pillars.corpus import default_root
from pillars.draft.inputs import DraftError, Section, article_sections, section_at
from pillars.namespaces import ID

SHOWN = 80  # characters of a suggested passage shown


@click.command()
@click.argument("quote", required=False)
@click.option("--article", "slug", required=True, help="Article slug: the folder under instances/.")
@click.option(
    "--occurrence", type=int, default=None, help="Which occurrence (1-based) if repeated."
)
@click.option("--subject", default="art:ev-NAME", show_default=True, help="Evidence IRI to print.")
@ROOT_OPTION
def anchor(
    quote: str | None, slug: str, occurrence: int | None, subject: str, root: Path | None
) -> None:
    """Print a pil:Evidence block for QUOTE (or one quote per line on standard input), with
    pil:inSection where the article's sections place it; for a quote not found, the nearest
    passages (case, spaces, quotation marks, hyphens, glued words)."""
    folder = (root or default_root()) / "instances" / slug
    text_path = folder / "text.txt"
    if not text_path.is_file():
        raise click.UsageError(f"no article text at {text_path}")
    text = text_path.read_text(encoding="utf-8")
    sections = _sections(folder)
    quotes = [quote] if quote is not None else [q for q in sys.stdin.read().splitlines() if q]
    failed = False
    for q in quotes:
        try:
            found = locate(text, q, occurrence)
        except AnchorError as err:
            click.echo(f"error: {err}", err=True)
            for suggestion in err.suggestions:
                click.echo(_suggestion_line(suggestion), err=True)
            failed = True
            continue
        section = section_at(sections, found.start)
        click.echo(evidence_turtle(subject, found, "art:text", _term(section, slug)))
    if failed:
        sys.exit(1)


def _sections(folder: Path) -> list[Section]:
    try:
        return article_sections(folder)
    except DraftError as err:
        click.echo(f"warning: no pil:inSection ({err})", err=True)
        return []


def _term(section: Section | None, slug: str) -> str | None:
    if section is None:
        return None
    namespace = f"{ID}{slug}/"
    local = section.iri[len(namespace) :]
    return f"art:{local}" if section.iri.startswith(namespace) else f"<{section.iri}>"


def _suggestion_line(suggestion: Suggestion) -> str:
    found = suggestion.anchor
    passage = found.exact if len(found.exact) <= SHOWN else found.exact[:SHOWN] + "…"
    return (
        f"  nearest, characters {found.start}-{found.end} "
        f"({', '.join(suggestion.differences)}): {passage!r}"
    )

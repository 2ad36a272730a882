"""`pillars new-article`: start an article's folder (pillars/new_article.py)."""

from __future__ import annotations

from pathlib import Path

import click

from pillars.corpus import default_root
from pillars.new_article import Metadata, NewArticleError, create, headings_from


@click.command("new-article")
@click.argument("slug")
@click.option(
    "--text",
    "text_file",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The article's text (UTF-8); copied byte for byte to text.txt.",
)
@click.option("--title", required=True, help="The article's title, as published.")
@click.option("--journal", required=True, help="The journal's name, as published.")
@click.option("--year", required=True, help="Year of publication, four digits.")
@click.option("--doi", default=None, help="The DOI, e.g. 10.1080/03932729.2019.1586147.")
@click.option("--author", "authors", multiple=True, help="An author's name (repeatable).")
@click.option("--keyword", "keywords", multiple=True, help="A keyword (repeatable), in English.")
@click.option(
    "--heading",
    "heading_options",
    multiple=True,
    help="A heading line of the text, in reading order (repeatable); indent it with a space "
    "for a subsection of the heading before it.",
)
@click.option(
    "--headings",
    "headings_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A file of heading lines, one per line in reading order; indented lines are subsections.",
)
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus folder the article goes into (instances/<slug>/); default: the bundled one.",
)
def new_article(
    slug: str,
    text_file: Path,
    title: str,
    journal: str,
    year: str,
    doi: str | None,
    authors: tuple[str, ...],
    keywords: tuple[str, ...],
    heading_options: tuple[str, ...],
    headings_file: Path | None,
    root: Path | None,
) -> None:
    """Start instances/SLUG/: text.txt and article.ttl with metadata and anchored sections."""
    meta = Metadata(slug, title, journal, year, authors, doi, keywords)
    try:
        headings = headings_from(heading_options, headings_file)
        folder = create(root or default_root(), meta, text_file, headings)
    except NewArticleError as err:
        raise click.BadParameter(str(err).split(": ", 1)[1], param_hint=err.param) from err
    click.echo(f"created {folder}/ (text.txt, article.ttl with {len(headings)} sections)")
    click.echo(f'next: pillars anchor --article {slug} "words"; pillars check {folder}')

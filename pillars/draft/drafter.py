"""Draft an article: read it, run each finder, write draft.ttl (sealed, atomically).

The finders run in an order that keeps them apart: citations first (their years date works
and their names are sources, so dates, figures and mentions skip them), then dates (whose
years are not figures), figures, mentions and sentences. Nothing is written if anything fails,
and nothing but draft.ttl is ever written.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from pillars.draft import citations, dates, figures, mentions, sentences
from pillars.draft.inputs import Article, DraftError, read_article
from pillars.draft.model import KINDS, Span, Unsure
from pillars.draft.seal import is_untouched, seal
from pillars.draft.turtle import Found, write
from pillars.files import write_text_atomically


@dataclass
class Draft:
    """The outcome: what was drafted, what the drafter was unsure of, where it went."""

    article: Article
    found: Found
    counts: dict[str, int]
    unsure: list[Unsure]
    text: str  # the whole draft.ttl, seal line included
    anchors: list[tuple[str, int, int]]
    kinds: tuple[str, ...]
    seconds: float = 0.0
    written: Path | None = None
    replaced: bool = False


def draft_article(article: Article, kinds: tuple[str, ...] = KINDS) -> Draft:
    """Run the finders of `kinds` over the article; nothing is written."""
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise DraftError(f"unknown kind {unknown[0]!r}; the kinds are {', '.join(KINDS)}")
    started = time.perf_counter()
    found, unsure = find_all(article, kinds)
    # Sentences are read whatever the kinds: a citation is cited for its sentence's claim.
    written = write(article, found, claims_wanted="sentences" in kinds)
    if "sentences" not in kinds:
        found.sentences = []
    return Draft(
        article=article,
        found=found,
        counts=written.counts,
        unsure=sorted(unsure, key=lambda u: (u.span.start, u.kind)),
        text=seal(written.body),
        anchors=written.anchors,
        kinds=kinds,
        seconds=time.perf_counter() - started,
    )


def find_all(article: Article, kinds: tuple[str, ...]) -> tuple[Found, list[Unsure]]:
    """Every finder of `kinds`, each skipping what an earlier one took (see the docstring)."""
    text = article.text
    headings = {s.label.strip() for s in article.sections}
    found = Found(sentences=sentences.find(text, headings))
    outside = sentences.outside_body(text, headings, found.sentences)
    unsure: list[Unsure] = []
    cites, unsure_cites = citations.find(text)
    cites = [c for c in cites if not _inside(c.span, outside)]
    if "citations" in kinds:
        found.citations = cites
        unsure += [u for u in unsure_cites if not _inside(u.span, outside)]
    cited = [c.span for c in cites]
    found_dates = dates.find(text, cited + outside)
    if "dates" in kinds:
        found.dates = found_dates
    if "figures" in kinds:
        taken = cited + [d.span for d in found_dates] + outside
        found.figures, unsure_figures = figures.find(text, taken)
        unsure += unsure_figures
    if "mentions" in kinds:
        in_brackets = [c.span for c in cites if not c.narrative]
        found.mentions, unsure_mentions = mentions.find(text, article.shared, in_brackets + outside)
        unsure += unsure_mentions
    return found, unsure


def _inside(span: Span, regions: list[Span]) -> bool:
    return any(span.overlaps(r) for r in regions)


def run(root: Path, slug: str, kinds: tuple[str, ...] = KINDS, force: bool = False) -> Draft:
    """Draft instances/<slug>/ of the corpus at `root` and write its draft.ttl."""
    started = time.perf_counter()
    article = read_article(root, slug)
    path = article.draft_path
    existing = _existing(path)
    if existing is not None and not is_untouched(existing) and not force:
        raise DraftError(
            f"{path} was edited since it was drafted (its seal line no longer matches); "
            "not replacing it: keep your edits in a file of your own, or use --force to "
            "replace it"
        )
    result = draft_article(article, kinds)
    try:
        write_text_atomically(path, result.text)
    except OSError as err:
        raise DraftError(f"cannot write {path}: {err.strerror}") from err
    result.written = path
    result.replaced = existing is not None
    result.seconds = time.perf_counter() - started
    return result


def _existing(path: Path) -> str | None:
    if not path.exists():
        return None
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return ""  # not even UTF-8: certainly not a sealed draft
    except OSError as err:
        raise DraftError(f"cannot read {path}: {err.strerror}") from err

"""What `pillars check PATH ...` validates: PATHs resolved into a corpus of graph sources.

A PATH may be a Turtle file, an article folder, a folder of article folders (instances/) or a
corpus root (a folder with instances/). Whatever the PATHs, the ontology and the shapes are
the bundled ones, so an editor can check a draft anywhere on disk before it joins instances/.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pillars.corpus import TEXT_FILE, Corpus, GraphSource, article_source, default_root, discover
from pillars.namespaces import SHAPES_GRAPH, SHARED_SLUG, article_graph


class UnitError(Exception):
    """A PATH that names nothing checkable; the message says which and why."""


def is_shared(source: GraphSource) -> bool:
    return source.slug == SHARED_SLUG


def resolve(paths: Sequence[Path], root: Path | None = None) -> Corpus:
    """The corpus to check: bundled ontology, shapes and shared vocabulary, plus the PATHs.

    With no PATH, the whole bundled corpus. A shared/ folder next to a PATH's article folders
    (as in instances/shared/) joins the shared vocabulary, so a corpus elsewhere on disk is
    checked against its own actors and concepts as well as the bundled ones.
    """
    bundled = discover(root or default_root())
    if not paths:
        return bundled
    base = [s for s in bundled.sources if s.slug is None]  # ontology and shapes
    bundled_shared = [s for s in bundled.sources if is_shared(s)]
    shared_files: list[Path] = [f for s in bundled_shared for f in s.files]
    articles: list[GraphSource] = []
    for path in paths:
        for source in _sources_of(path.resolve()):
            if is_shared(source):
                shared_files.extend(f for f in source.files if f not in shared_files)
            elif source not in articles:
                articles.append(source)
        sibling = path.resolve().parent / SHARED_SLUG
        if path.resolve().is_dir() and (path.resolve() / SHARED_SLUG).is_dir():
            sibling = path.resolve() / SHARED_SLUG
        if sibling.is_dir():
            shared_files.extend(f for f in _ttl(sibling) if f not in shared_files)
    shared = GraphSource(article_graph(SHARED_SLUG), tuple(shared_files), slug=SHARED_SLUG)
    return Corpus(bundled.root, [*base, shared, *articles])


def _sources_of(path: Path) -> list[GraphSource]:
    if not path.exists():
        raise UnitError(f"{path}: no such file or folder")
    if path.is_file():
        if path.suffix != ".ttl":
            raise UnitError(f"{path}: not a Turtle file (expected a .ttl file or a folder)")
        folder = path.parent
        text = folder / TEXT_FILE
        return [
            GraphSource(
                graph=article_graph(folder.name),
                files=(path,),
                text_file=text if text.is_file() else None,
                slug=folder.name,
            )
        ]
    if _ttl(path) or (path / TEXT_FILE).is_file():
        return [article_source(path)]
    if (path / "instances").is_dir():
        path = path / "instances"
    found = [article_source(sub) for sub in sorted(path.iterdir()) if sub.is_dir() and _ttl(sub)]
    if not found:
        raise UnitError(f"{path}: no Turtle files in it or in its sub-folders")
    return found


def _ttl(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.ttl") if p.is_file())


def shapes_files(corpus: Corpus) -> tuple[Path, ...]:
    return next((s.files for s in corpus.sources if s.graph == SHAPES_GRAPH), ())

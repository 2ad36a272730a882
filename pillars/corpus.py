"""Read ontology/, shapes/ and instances/<slug>/ into named graphs.

Everything is parsed before anything is returned, so a syntax error anywhere leaves the
caller with an error that names the file, line and column, and never with half a corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from pillars.namespaces import (
    NIF,
    ONTOLOGY_GRAPH,
    SHAPES_GRAPH,
    article_graph,
    article_text_iri,
)

TEXT_FILE = "text.txt"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


class CorpusError(Exception):
    """A corpus file that cannot be read; the message names the file (and line, column)."""

    def __init__(
        self, path: Path, message: str, line: int | None = None, column: int | None = None
    ):
        self.path = path
        self.line = line
        self.column = column
        where = str(path)
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class GraphSource:
    """One named graph and the files it is read from."""

    graph: str
    files: tuple[Path, ...]
    text_file: Path | None = None
    slug: str | None = None  # set for instances/<slug>/ folders


@dataclass
class Corpus:
    root: Path
    sources: list[GraphSource] = field(default_factory=list)

    @property
    def articles(self) -> list[GraphSource]:
        return [s for s in self.sources if s.slug is not None]


def default_root() -> Path:
    """The bundled corpus: the repository folder that holds ontology/, shapes/, instances/."""
    return Path(__file__).resolve().parent.parent


def discover(root: Path | None = None) -> Corpus:
    """List the graphs of a corpus folder, in a stable order."""
    root = (root or default_root()).resolve()
    if not (root / "ontology").is_dir():
        raise CorpusError(root, "not a Pillars corpus: it has no ontology/ folder")
    corpus = Corpus(root)
    corpus.sources.append(GraphSource(ONTOLOGY_GRAPH, _turtle_files(root / "ontology")))
    corpus.sources.append(GraphSource(SHAPES_GRAPH, _turtle_files(root / "shapes")))
    instances = root / "instances"
    if instances.is_dir():
        for folder in sorted(p for p in instances.iterdir() if p.is_dir()):
            corpus.sources.append(article_source(folder))
    return corpus


def article_source(folder: Path) -> GraphSource:
    """instances/<slug>/ -> the graph https://w3id.org/pillars/graph/<slug>."""
    text = folder / TEXT_FILE
    return GraphSource(
        graph=article_graph(folder.name),
        files=_turtle_files(folder),
        text_file=text if text.is_file() else None,
        slug=folder.name,
    )


def _turtle_files(folder: Path) -> tuple[Path, ...]:
    if not folder.is_dir():
        return ()
    return tuple(sorted(folder.rglob("*.ttl")))


def parse_turtle(path: Path, graph: str) -> list[ox.Quad]:
    """Parse one Turtle file into quads of `graph`; raise CorpusError with line and column."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise CorpusError(path, f"cannot read: {err.strerror}") from err
    target = ox.NamedNode(graph)
    try:
        triples = ox.parse(data, format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
        return [ox.Quad(t.subject, t.predicate, t.object, target) for t in triples]
    except SyntaxError as err:
        raise CorpusError(path, _syntax_message(err), err.lineno, err.offset) from err


def _syntax_message(err: SyntaxError) -> str:
    # pyoxigraph puts "Parser error at line L column C: <why>" in msg; keep only <why>.
    msg = str(err.msg)
    return msg.split(": ", 1)[1] if msg.startswith("Parser error at") and ": " in msg else msg


def text_quads(source: GraphSource) -> list[ox.Quad]:
    """The article text as nif:isString of <id/<slug>/text>, so SPARQL can check quotes."""
    if source.text_file is None or source.slug is None:
        return []
    try:
        text = source.text_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise CorpusError(source.text_file, f"cannot read as UTF-8 text: {err}") from err
    subject = ox.NamedNode(article_text_iri(source.slug))
    graph = ox.NamedNode(source.graph)
    return [
        ox.Quad(subject, ox.NamedNode(NIF + "isString"), ox.Literal(text), graph),
        ox.Quad(subject, RDF_TYPE, ox.NamedNode(NIF + "Context"), graph),
    ]


def source_quads(source: GraphSource) -> list[ox.Quad]:
    quads: list[ox.Quad] = []
    for path in source.files:
        quads.extend(parse_turtle(path, source.graph))
    quads.extend(text_quads(source))
    return quads


def read_all(sources: Iterable[GraphSource]) -> Iterator[tuple[GraphSource, list[ox.Quad]]]:
    """Parse every source; the first error stops everything before the caller stores anything."""
    parsed = [(source, source_quads(source)) for source in sources]
    yield from parsed

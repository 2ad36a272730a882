"""Full-text search over evidence quotes and labels (SQLite FTS5, from the standard library).

Filtering quotes with CONTAINS or REGEX makes Oxigraph read every string of the store; an
inverted index answers a word query by looking the words up. The index holds one row per
(resource, graph, property, text) for the properties in `INDEXED` and is built from the store:
in memory for an in-memory store (the bundled corpus takes milliseconds), and as a file inside
an on-disk store's folder, stamped with the store's build, so it is built once and reopened.

Three ways in: `SearchIndex.search` (the search page and JSON API), and the SPARQL extension
function `pilfn:matches(?resource, "words")` (see `sparql_functions`), usable in any query.

A word found in many texts (over `FREQUENT`) has its `BEST_KEPT` best hits ranked when the
index is built: BM25 over every match is most of a search's cost (about 4 ms for a word in
5,000 quotes, 0.5 ms from the kept list), and a one-word search is the common one. The kept
list is the same ranking, taken from the same index; other searches rank at query time.

Each row also carries what the typed, faceted search narrows by (`SearchIndex.faceted`): the
resource's most specific asserted class (`type`) and the actors it concerns (`actors`, see
`_actor_links`); the graph is already there. Facet counts are taken over the best `FACET_BOUND`
hits, so they cost the same however common the words: a frequent word keeps that many hits,
and their counts (`best_facets`), from the build; a narrowed search ranks and counts its
matches at query time (at 1,000 articles, up to ~70 ms for a word in 5,000 texts).

The same file keeps every subject IRI of the store in order (`SearchIndex.iris_under`): the
folder pages list "everything under /id/actor/", and Oxigraph has no index over IRI prefixes.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import tempfile
import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from pillars.corpus import Corpus
from pillars.entailment import ENTAILED_PREFIX
from pillars.namespaces import FUNCTION_NS, ONTOLOGY_GRAPH, PIL
from pillars.store import MARKER, StoreSource, build_disk_store
from pillars.store_interface import ReadStore, select

MATCHES = ox.NamedNode(FUNCTION_NS + "matches")
INDEX_FILE = "pillars-search.sqlite"
INDEXED = {
    "http://www.w3.org/ns/oa#exact": "quote",
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "label",
    "http://www.w3.org/2004/02/skos/core#altLabel": "label",
    "http://purl.org/dc/terms/title": "title",
}
MAX_WORDS = 16
MAX_OFFSET = 1_000_000  # hits to skip; SQLite's integers end at 2**63 (a larger one was a 500)
SCHEMA = "5"  # part of the stamp: an index file written by an older layout is rebuilt
WORD = re.compile(r"\w+", re.UNICODE)
FREQUENT = 100  # texts a word must be found in to have its best hits ranked at build time
FACET_BOUND = 1000  # facets count the best this many hits
BEST_KEPT = FACET_BOUND  # hits kept per such word: searches reaching further rank at query time
# A word FTS5's unicode61 tokenizer keeps whole and folds exactly as str.lower() does.
_PLAIN_WORD = re.compile(r"[A-Za-z0-9]+")
RANKED = " ORDER BY rank, rowid"  # rowid breaks ties, so pages of hits never overlap


class SearchError(ValueError):
    """A search the index cannot run; the message names the parameter."""


# SQLite's snippet() marks matches with these; private-use characters never met in the data,
# unlike brackets, which quotes contain ("this [recognition] aspect").
_OPEN, _CLOSE = "\ue000", "\ue001"


@dataclass(frozen=True)
class Hit:
    resource: str
    graph: str
    kind: str  # quote, label or title
    text: str
    parts: tuple[tuple[str, bool], ...]  # the text around the match: (words, matched?) in order
    type: str = ""  # the resource's most specific asserted class ("" if it has none)
    actors: tuple[str, ...] = ()  # the actors it concerns (see `_actor_links`)

    @property
    def snippet(self) -> str:
        """The parts as plain text, matched words in [brackets] (the JSON API's form)."""
        return "".join(f"[{words}]" if matched else words for words, matched in self.parts)

    def as_dict(self) -> dict[str, str]:
        return {
            "resource": self.resource,
            "graph": self.graph,
            "kind": self.kind,
            "text": self.text,
            "snippet": self.snippet,
        }


_HITS = (
    f"resource, graph, kind, text, snippet(texts, 0, '{_OPEN}', '{_CLOSE}', '…', 16), type, actors"
    " FROM texts"
)


def _matching(
    words: str, graph: str | None = None, type: str | None = None, actor: str | None = None
) -> tuple[str, list[object]]:
    """`WHERE` a text holds every word (within `graph`, of `type`, concerning `actor` if
    given), and the values it takes."""
    where = " WHERE texts MATCH ?"
    args: list[object] = [fts_query(words)]
    if graph:
        where += " AND graph = ?"
        args.append(graph)
    if type:
        where += " AND type = ?"
        args.append(type)
    if actor:
        where += " AND instr(actors, ?) > 0"
        args.append(f" {actor} ")
    return where, args


@dataclass
class Faceted:
    """One page of hits, how many there are, and the facet counts of the best `counted`."""

    hits: list[Hit]
    total: int
    counted: int  # hits the counts are taken over: min(total, FACET_BOUND)
    types: Counter[str] = field(default_factory=Counter)
    graphs: Counter[str] = field(default_factory=Counter)
    actors: Counter[str] = field(default_factory=Counter)


def split_marked(marked: str) -> tuple[tuple[str, bool], ...]:
    """Cut snippet() output at its markers into (words, matched?) parts, empty ones dropped."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(marked.split(_OPEN)):
        inside, _, outside = chunk.partition(_CLOSE) if i else ("", "", chunk)
        parts += [(inside, True)] if inside else []
        parts += [(outside, False)] if outside else []
    return tuple(parts)


def fts_query(words: str) -> str:
    """The user's words as an FTS5 query: every word must occur (in any order).

    Each word is quoted, so FTS5 operators (NEAR, OR, column filters, `*`) typed by a user
    are matched as words and never change the query's meaning or fail to parse.
    """
    found = WORD.findall(words)
    if not found:
        raise SearchError(f"parameter q: no word to search for in {words[:80]!r}")
    if len(found) > MAX_WORDS:
        raise SearchError(f"parameter q: at most {MAX_WORDS} words, got {len(found)}")
    return " ".join('"' + w.replace('"', "") + '"' for w in found)


_ASSERTED = f'!STRSTARTS(STR(?g), "{ENTAILED_PREFIX}")'
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"


def _most_specific_types(store: ReadStore) -> dict[str, str]:
    """Each subject's most specific asserted class: of the classes its asserted (not entailed)
    graphs give it, one no other of them is a subclass of (the first in IRI order if several)."""
    above: dict[str, set[str]] = defaultdict(set)
    sub = f"SELECT ?c ?d WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c <{_RDFS}subClassOf>+ ?d }} }}"
    for sol in select(store, sub):
        above[sol[0].value].add(sol[1].value)
    types: dict[str, set[str]] = defaultdict(set)
    query = (
        "SELECT ?s ?c WHERE { GRAPH ?g { ?s a ?c } "
        f"FILTER(isIRI(?s) && isIRI(?c) && {_ASSERTED}) }}"
    )
    for sol in select(store, query):
        types[sol[0].value].add(sol[1].value)
    best: dict[str, str] = {}
    for s, classes in types.items():
        broader = set().union(*(above[c] for c in classes))
        best[s] = min(classes - broader or classes)
    return best


def _actor_links(store: ReadStore) -> dict[str, set[str]]:
    """The actors each resource concerns: an actor concerns itself; a resource concerns every
    actor it links to straight (any property of it whose value is a pil:Actor, of any
    subclass: pil:perceiver, pil:involves, pil:concerns, pil:attributedTo, ...); evidence
    concerns the actors of what it is evidence of (`pil:hasEvidence`)."""
    query = (
        f"SELECT DISTINCT ?a WHERE {{ ?a a ?c . ?c <{_RDFS}subClassOf>* <{PIL}Actor> "
        "FILTER(isIRI(?a)) }"
    )
    actors = {sol[0].value for sol in select(store, query, union=True)}
    links: dict[str, set[str]] = defaultdict(set)
    for a in actors:
        links[a].add(a)
    if actors:
        values = " ".join(f"<{a}>" for a in sorted(actors) if ">" not in a)
        query = (
            f"SELECT ?s ?a WHERE {{ VALUES ?a {{ {values} }} GRAPH ?g {{ ?s ?p ?a }} "
            f"FILTER(isIRI(?s) && ?p != <http://www.w3.org/2002/07/owl#sameAs> && {_ASSERTED}) }}"
        )
        for sol in select(store, query):
            links[sol[0].value].add(sol[1].value)
    query = (
        f"SELECT ?x ?e WHERE {{ GRAPH ?g {{ ?x <{PIL}hasEvidence> ?e }} "
        f"FILTER(isIRI(?x) && isIRI(?e) && {_ASSERTED}) }}"
    )
    for sol in select(store, query):
        owner = links.get(sol[0].value)
        if owner:
            links[sol[1].value] |= owner
    return links


def _rows(store: ReadStore) -> Iterator[tuple[str, str, str, str, str, str]]:
    # A generator: SQLite takes the rows as they come, so a large store is never held twice.
    types = _most_specific_types(store)
    links = _actor_links(store)
    values = " ".join(f"<{p}>" for p in INDEXED)
    query = (
        "SELECT ?s ?g ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
        f"VALUES ?p {{ {values} }} FILTER(isLiteral(?o) && !isBlank(?s) && {_ASSERTED}) }}"
    )
    for sol in select(store, query):
        s, g, p, o = (sol[i] for i in range(4))
        actors = links.get(s.value)
        # Spaces around every IRI, so `instr(actors, ' <iri> ')` matches whole IRIs only.
        joined = f" {' '.join(sorted(actors))} " if actors else ""
        yield (o.value, s.value, g.value, INDEXED[p.value], types.get(s.value, ""), joined)


def _subjects(store: ReadStore) -> Iterator[tuple[str]]:
    query = "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"
    for sol in select(store, query, union=True):
        yield (sol[0].value,)


def _build(conn: sqlite3.Connection, store: ReadStore, stamp: str) -> None:
    conn.executescript(
        "DROP TABLE IF EXISTS texts; DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS subjects;"
        "DROP TABLE IF EXISTS best; DROP TABLE IF EXISTS facet_values;"
        "DROP TABLE IF EXISTS best_facets;"
        "CREATE VIRTUAL TABLE texts USING fts5(text, resource UNINDEXED, graph UNINDEXED, "
        "kind UNINDEXED, type UNINDEXED, actors UNINDEXED, "
        "tokenize='unicode61 remove_diacritics 2');"
        "CREATE TABLE facet_values(facet TEXT, value TEXT, PRIMARY KEY(facet, value))"
        " WITHOUT ROWID;"
        "CREATE TABLE best_facets(word TEXT PRIMARY KEY, counts TEXT) WITHOUT ROWID;"
        "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
        "CREATE TABLE subjects(iri TEXT PRIMARY KEY) WITHOUT ROWID;"
        "CREATE TABLE best(word TEXT, place INTEGER, hit INTEGER, PRIMARY KEY(word, place))"
        " WITHOUT ROWID;"
    )
    conn.executemany("INSERT INTO texts VALUES (?, ?, ?, ?, ?, ?)", _rows(store))
    _record_facet_values(conn)
    conn.executemany("INSERT INTO subjects VALUES (?)", _subjects(store))
    _rank_frequent_words(conn)
    conn.execute("INSERT INTO meta VALUES ('stamp', ?)", (stamp,))
    conn.commit()


def _record_facet_values(conn: sqlite3.Connection) -> None:
    """Every type, graph and actor some row has: what a facet parameter may name."""
    types, graphs, actors = set(), set(), set()
    for type_, graph, joined in conn.execute("SELECT type, graph, actors FROM texts"):
        types.add(type_)
        graphs.add(graph)
        actors.update(joined.split())
    rows = [("type", t) for t in types if t] + [("graph", g) for g in graphs]
    conn.executemany(
        "INSERT INTO facet_values VALUES (?, ?)", rows + [("actor", a) for a in actors]
    )


def _rank_frequent_words(conn: sqlite3.Connection) -> None:
    """The best hits of every word found in more than FREQUENT texts, in `search`'s order."""
    conn.execute("CREATE VIRTUAL TABLE temp.words USING fts5vocab(main, 'texts', 'row')")
    found = conn.execute("SELECT term FROM temp.words WHERE doc > ?", (FREQUENT,))
    frequent = [r[0] for r in found]
    for word in frequent:
        if not _PLAIN_WORD.fullmatch(word):
            continue  # `search` takes the kept list only for such words
        where, args = _matching(word)
        sql = f"SELECT rowid, type, graph, actors FROM texts{where}{RANKED} LIMIT ?"
        hits = conn.execute(sql, [*args, BEST_KEPT]).fetchall()
        conn.executemany(
            "INSERT INTO best VALUES (?, ?, ?)", ((word, i, h[0]) for i, h in enumerate(hits))
        )
        # The facet counts of these best hits, so an unnarrowed search reads them at once.
        counts = _count_facets(hits)
        blob = {"counted": counts.counted, "type": counts.types, "graph": counts.graphs}
        blob["actor"] = counts.actors
        conn.execute("INSERT INTO best_facets VALUES (?, ?)", (word, json.dumps(blob)))
    conn.execute("DROP TABLE temp.words")


def _count_facets(best: list[tuple[int, str, str, str]]) -> Faceted:
    """The types, graphs and actors of these hit rows (rowid, type, graph, actors), counted."""
    result = Faceted([], 0, len(best))
    for _, type_, graph_, joined in best:
        result.types[type_] += 1
        result.graphs[graph_] += 1
        result.actors.update(joined.split())
    return result


def disk_stamp(store_dir: Path) -> str:
    """Changes with every `pillars load` (it rewrites the marker file last)."""
    st = (store_dir / MARKER).stat()
    return f"{st.st_mtime_ns}:{st.st_size}:{SCHEMA}"


class SearchIndex:
    """An FTS5 index of one store. Thread-safe: each thread reads through its own connection,
    so searches from the server's request threads run side by side (SQLite releases the GIL).
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection], keep: sqlite3.Connection) -> None:
        self._connect = connect
        self._keep = keep  # an in-memory database lives as long as a connection to it does
        self._local = threading.local()

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    @classmethod
    def in_memory(cls, store: ReadStore) -> SearchIndex:
        # A named shared-cache memory database: every thread's connection sees the same one.
        uri = f"file:pillars-search-{uuid.uuid4().hex}?mode=memory&cache=shared"
        keep = sqlite3.connect(uri, uri=True, check_same_thread=False)
        _build(keep, store, "memory")
        return cls(lambda: sqlite3.connect(uri, uri=True, check_same_thread=False), keep)

    @classmethod
    def on_disk(cls, store_dir: Path, store: ReadStore) -> SearchIndex:
        """Reopen the index file in the store folder, or build it if missing or stale.

        Several processes may find it missing at once: each builds into a temporary file and
        renames it into place, so a reader never sees a half-built index.
        """
        path = store_dir / INDEX_FILE
        stamp = disk_stamp(store_dir)

        def connect() -> sqlite3.Connection:
            return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)

        if path.is_file():
            conn = connect()
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
                if row and row[0] == stamp:
                    return cls(connect, conn)
            except sqlite3.DatabaseError:
                pass
            conn.close()
        try:
            fd, tmp = tempfile.mkstemp(prefix=".search-", dir=store_dir)
        except OSError:  # a folder we may not write to: keep the index in memory
            return cls.in_memory(store)
        os.close(fd)
        conn = sqlite3.connect(tmp)
        _build(conn, store, stamp)
        conn.close()
        os.replace(tmp, path)
        return cls(connect, connect())

    @classmethod
    def for_source(cls, source: StoreSource, store: ReadStore) -> SearchIndex:
        if source.path is not None:
            return cls.on_disk(Path(source.path), store)
        return cls.in_memory(store)

    def __len__(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM texts").fetchone()[0])

    def search(
        self,
        words: str,
        limit: int = 20,
        offset: int = 0,
        graph: str | None = None,
        type: str | None = None,
        actor: str | None = None,
    ) -> list[Hit]:
        """Best matches first (BM25), optionally within one named graph, of one type (the
        most specific asserted class) or concerning one actor."""
        _check_page(limit, offset)
        where, args = _matching(words, graph, type, actor)
        rows = None
        if self._unfiltered(words, graph, type, actor) and offset + limit <= BEST_KEPT:
            ranked = self._kept(words, limit, offset)
            rows = None if ranked is None else self._rows_of(ranked, where, args)
        if rows is None:
            sql = f"SELECT {_HITS}{where}{RANKED} LIMIT ? OFFSET ?"
            rows = self._conn().execute(sql, [*args, limit, offset]).fetchall()
        return [_hit(row) for row in rows]

    def faceted(
        self,
        words: str,
        limit: int = 20,
        offset: int = 0,
        graph: str | None = None,
        type: str | None = None,
        actor: str | None = None,
    ) -> Faceted:
        """`search`'s page of hits, the total, and the types, graphs and actors of the best
        FACET_BOUND hits (all of them when there are no more), counted once per hit."""
        _check_page(limit, offset)
        where, args = _matching(words, graph, type, actor)
        conn = self._conn()
        if self._unfiltered(words, graph, type, actor) and offset + limit <= BEST_KEPT:
            kept = self._kept_faceted(words, limit, offset, where, args)
            if kept is not None:
                return kept
        # Narrowed, the count is taken in the ranking's pass over the matches (a second pass
        # reads every matching row again); unnarrowed, COUNT(*) needs no row at all.
        counted = ", COUNT(*) OVER ()" if any((graph, type, actor)) else ", -1"
        sql = f"SELECT rowid, type, graph, actors{counted} FROM texts{where}{RANKED} LIMIT ?"
        ranked = conn.execute(sql, [*args, FACET_BOUND]).fetchall()
        best: list[tuple[int, str, str, str]] = [r[:4] for r in ranked]
        total = ranked[0][4] if ranked else 0
        if total < 0:
            total = len(best)
            if total >= FACET_BOUND:  # fewer: the ranked list holds every match
                total = int(conn.execute(f"SELECT COUNT(*) FROM texts{where}", args).fetchone()[0])
        result = _count_facets(best)
        result.total = total
        rows = None
        if offset + limit <= len(best) or len(best) == total:
            rows = self._rows_of([r[0] for r in best[offset : offset + limit]], where, args)
        if rows is None:
            sql = f"SELECT {_HITS}{where}{RANKED} LIMIT ? OFFSET ?"
            rows = conn.execute(sql, [*args, limit, offset]).fetchall()
        result.hits = [_hit(row) for row in rows]
        return result

    def _kept_faceted(
        self, words: str, limit: int, offset: int, where: str, args: list[object]
    ) -> Faceted | None:
        """A frequent word's page and facets from what was ranked and counted at build time."""
        conn = self._conn()
        word = words.strip().lower()
        row = conn.execute("SELECT counts FROM best_facets WHERE word = ?", (word,)).fetchone()
        ranked = self._kept(words, limit, offset)
        if row is None or ranked is None:
            return None
        rows = self._rows_of(ranked, where, args)
        if rows is None:
            return None
        blob = json.loads(row[0])
        counted = int(blob["counted"])
        total = counted
        if counted >= FACET_BOUND:
            total = int(conn.execute(f"SELECT COUNT(*) FROM texts{where}", args).fetchone()[0])
        found = Faceted([_hit(r) for r in rows], total, counted)
        found.types.update(blob["type"])
        found.graphs.update(blob["graph"])
        found.actors.update(blob["actor"])
        return found

    def has_facet_value(self, facet: str, value: str) -> bool:
        """Whether some indexed text has this type, graph or actor."""
        row = self._conn().execute(
            "SELECT 1 FROM facet_values WHERE facet = ? AND value = ?", (facet, value)
        )
        return row.fetchone() is not None

    @staticmethod
    def _unfiltered(words: str, *filters: str | None) -> bool:
        return not any(filters) and _PLAIN_WORD.fullmatch(words.strip()) is not None

    def _kept(self, words: str, limit: int, offset: int) -> list[int] | None:
        """A frequent word's best hits (rowids) from the list ranked at build time; None if
        it has none (not a kept word, or past its kept hits: rank at query time)."""
        rows = self._conn().execute(
            "SELECT hit FROM best WHERE word = ? ORDER BY place LIMIT ? OFFSET ?",
            (words.strip().lower(), limit, offset),
        )
        return [r[0] for r in rows] or None

    def _rows_of(self, ranked: list[int], where: str, args: list[object]) -> list[tuple] | None:  # type: ignore[type-arg]
        """The hit rows of these rowids, in their order; None if some do not match."""
        if not ranked:
            return []
        found = (
            self._conn()
            .execute(
                f"SELECT rowid, {_HITS}{where} AND rowid IN (SELECT value FROM json_each(?))",
                [*args, json.dumps(ranked)],
            )
            .fetchall()
        )
        by_rowid = {row[0]: row[1:] for row in found}
        if len(by_rowid) != len(ranked):
            return None  # the list does not fit this index (cannot happen when built together)
        return [by_rowid[h] for h in ranked]

    def count(
        self,
        words: str,
        graph: str | None = None,
        type: str | None = None,
        actor: str | None = None,
    ) -> int:
        """How many indexed texts hold every word (no ranking: cheap even for common words)."""
        where, args = _matching(words, graph, type, actor)
        return int(self._conn().execute(f"SELECT COUNT(*) FROM texts{where}", args).fetchone()[0])

    def iris_under(self, prefix: str, limit: int) -> list[str]:
        """Subject IRIs that start with `prefix`, in code-point order, at most `limit`."""
        if not prefix:
            raise ValueError("an empty prefix would list every subject")
        # Text compares as UTF-8 bytes, which sort as code points do: the prefix's range ends
        # where its last character is one higher.
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = (
            self._conn()
            .execute(
                "SELECT iri FROM subjects WHERE iri >= ? AND iri < ? ORDER BY iri LIMIT ?",
                (prefix, end, limit),
            )
            .fetchall()
        )
        return [r[0] for r in rows]

    def resources(self, words: str) -> frozenset[str]:
        """Every resource whose indexed text holds all the words."""
        where, args = _matching(words)
        rows = self._conn().execute(f"SELECT DISTINCT resource FROM texts{where}", args)
        return frozenset(r[0] for r in rows)


def _check_page(limit: int, offset: int) -> None:
    if not 1 <= limit <= 1000:
        raise SearchError(f"parameter limit: expected 1 to 1000, got {limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise SearchError(f"parameter offset: expected 0 to {MAX_OFFSET}, got {offset}")


def _hit(row: tuple) -> Hit:  # type: ignore[type-arg]
    res, graph, kind, text, marked, type_, joined = row
    return Hit(res, graph, kind, text, split_marked(marked), type_, tuple(joined.split()))


def sparql_functions(
    index: Callable[[], SearchIndex],
) -> dict[ox.NamedNode, Callable[..., ox.Literal | None]]:
    """The extension functions, for `Store.query(custom_functions=...)`.

    `pilfn:matches(?resource, "words")` is true when the resource's quote or label holds every
    word. The set of matching resources is computed once per distinct words (and kept), so
    the per-row cost is one set lookup. `index` is called on first use, so a process that
    never searches never builds an index.
    """

    @lru_cache(maxsize=256)
    def matching(words: str) -> frozenset[str]:
        return index().resources(words)

    def matches(resource: object, words: object) -> ox.Literal | None:
        if not isinstance(words, ox.Literal) or not isinstance(
            resource, ox.NamedNode | ox.BlankNode
        ):
            return None  # an error in SPARQL terms: the FILTER drops the row
        try:
            return ox.Literal(resource.value in matching(words.value))
        except SearchError:
            return None

    return {MATCHES: matches}


_PREFIX = re.compile(r"PREFIX\s+([\w-]*):\s*<" + re.escape(FUNCTION_NS) + ">", re.IGNORECASE)
_FILTER = re.compile(
    r"FILTER\s*\(\s*(?:<" + re.escape(MATCHES.value) + r">|([\w-]*):matches)"
    r'\s*\(\s*([?$]\w+)\s*,\s*"([^"\\\n]*)"\s*\)\s*\)',
    re.IGNORECASE,
)


def rewrite(query: str, index: Callable[[], SearchIndex]) -> str:
    """`FILTER(pilfn:matches(?v, "words"))` standing alone becomes `VALUES ?v { ...matches }`.

    Called per row, the function makes the engine read every candidate first (about as slow
    as CONTAINS). As a VALUES block the matches come from the index and the engine joins from
    them. The two differ only where ?v is unbound in a row: the FILTER drops such a row, the
    VALUES block binds ?v. Calls inside larger expressions are left to the function.
    """
    if FUNCTION_NS not in query:
        return query
    prefixes = {m.group(1) for m in _PREFIX.finditer(query)}

    def values(m: re.Match[str]) -> str:
        prefix, var, words = m.group(1), m.group(2), m.group(3)
        if prefix is not None and prefix not in prefixes:
            return m.group(0)
        try:
            found = index().resources(words)
        except SearchError:
            return m.group(0)  # the function answers: an error, so no rows
        iris = " ".join(f"<{iri}>" for iri in sorted(found) if ">" not in iri)
        return f"VALUES {var} {{ {iris} }}"

    return _FILTER.sub(values, query)


class Extensions:
    """What evaluator processes add to every query: the functions and the rewrite above."""

    def __init__(self, index: Callable[[], SearchIndex]) -> None:
        self.index = index
        self.functions = sparql_functions(index)

    def prepare(self, query: str) -> str:
        return rewrite(query, self.index)


def lazy(build: Callable[[], SearchIndex]) -> Callable[[], SearchIndex]:
    """`build` run at most once, on first call, whatever the thread."""
    lock = threading.Lock()
    made: list[SearchIndex] = []

    def get() -> SearchIndex:
        with lock:
            if not made:
                made.append(build())
            return made[0]

    return get


def build_indexed_store(path: Path, corpus: Corpus | None = None, entail: bool = False) -> int:
    """`pillars load`: a fresh on-disk store with its word index beside it, so the first
    search after `pillars serve` does not wait for the index (about 4 s per 1,000 articles).
    Returns the number of quads loaded."""

    def index(folder: Path) -> None:
        store = ox.Store.read_only(str(folder))
        SearchIndex.on_disk(folder, store)
        del store  # closes the database before the folder is renamed

    return build_disk_store(path, corpus, finish=index, entail=entail)

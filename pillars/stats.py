"""`pillars stats`: how much of each article the encoding covers.

Two measures per article folder: how many resources of each class its graph holds, and
which sentences of the body are touched by at least one evidence anchor (an overlap of
`[oa:start, oa:end)` with the sentence). The body is the text without its section headings
and running footer: lines that do not end a sentence (no final . ? or !) or that equal a
section heading of the graph. Sentences are split at . ? ! followed by a space and a capital
or an opening quote, except after a single initial ("George W. Bush") or a known
abbreviation, so that note markers glued to a full stop ("order.10 They") stay with their
sentence.

Drafts (`pillars draft`: resources and evidence marked `pil:draft true`) are counted apart,
never as curated: class counts and coverage are of curated statements only, and each article
also reports its drafted resources per class and the sentences drafted evidence covers.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from pillars.corpus import Corpus, GraphSource
from pillars.namespaces import OA, PIL, PREFIXES
from pillars.store import memory_store

# A line of the body ends a sentence: final punctuation, maybe a note marker, closing marks.
_ENDS_SENTENCE = re.compile(r"[.?!]\d*[\"'’”)\]]*\s*$")
# A candidate boundary: the punctuation, a glued note marker, closing marks, then spaces.
_BOUNDARY = re.compile(r"[.?!]\d*[\"'’”)\]]*\s+")
_OPENS_SENTENCE = re.compile(r"[A-Z‘“\"'(\[]")
_ABBREVIATIONS = frozenset({"al", "e.g", "i.e", "cf", "vs", "Mr", "Mrs", "Dr", "St", "No", "pp"})


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass
class Mentions:
    """Things of one kind the article evidences: how many a statement links to, and the ones
    only their own evidence points at, each with the reason an editor noted (or "")."""

    linked: int = 0
    evidence_only: dict[str, str] = field(default_factory=dict)  # compact IRI -> reason

    @property
    def evidenced(self) -> int:
        return self.linked + len(self.evidence_only)


# The kinds of shared thing an article mentions, each with its class in the ontology.
MENTION_KINDS = {"event": PIL + "Event", "place": PIL + "Place", "actor": PIL + "Actor"}
SKOS_NOTE = "http://www.w3.org/2004/02/skos/core#note"


@dataclass
class ArticleStats:
    slug: str
    graph: str
    classes: dict[str, int]
    has_text: bool = False
    sentences: int = 0
    covered: int = 0
    body_chars: int = 0
    covered_chars: int = 0
    uncovered: list[Sentence] = field(default_factory=list)
    excluded_lines: list[str] = field(default_factory=list)
    drafts: dict[str, int] = field(default_factory=dict)  # drafted resources per class
    draft_covered: int = 0  # sentences that drafted evidence overlaps
    mentions: dict[str, Mentions] = field(default_factory=dict)  # by kind: event, place, actor

    @property
    def sentence_percent(self) -> float:
        return 100.0 * self.covered / self.sentences if self.sentences else 0.0

    @property
    def draft_percent(self) -> float:
        return 100.0 * self.draft_covered / self.sentences if self.sentences else 0.0

    @property
    def char_percent(self) -> float:
        return 100.0 * self.covered_chars / self.body_chars if self.body_chars else 0.0

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["sentence_percent"] = round(self.sentence_percent, 1)
        data["char_percent"] = round(self.char_percent, 1)
        data["draft_percent"] = round(self.draft_percent, 1)
        return data


def split_body(text: str, headings: set[str]) -> tuple[list[Sentence], list[str]]:
    """The sentences of the body, and the lines left out as headings or running footer."""
    sentences: list[Sentence] = []
    excluded: list[str] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\r\n")
        if content.strip():
            if content.strip() in headings or not _ENDS_SENTENCE.search(content):
                excluded.append(content.strip())
            else:
                sentences.extend(_split_line(content, offset))
        offset += len(line)
    return sentences, excluded


def _split_line(line: str, offset: int) -> list[Sentence]:
    found: list[Sentence] = []
    begin = 0
    for match in _BOUNDARY.finditer(line):
        after = match.end()
        if after >= len(line) or not _OPENS_SENTENCE.match(line, after):
            continue
        if _is_abbreviation(line, match.start()):
            continue
        found.append(_sentence(line, offset, begin, match.end()))
        begin = after
    if begin < len(line):
        found.append(_sentence(line, offset, begin, len(line)))
    return [s for s in found if s.text]


def _is_abbreviation(line: str, dot: int) -> bool:
    if line[dot] != ".":
        return False
    # The word (letters, digits, underscores and dots, as [\w.]) ending at the dot, read
    # backwards: a regex anchored at the line's end would rescan the line for every dot.
    start = dot
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] in "_."):
        start -= 1
    token = line[start:dot]
    single_initial = len(token) == 1 and token.isupper()
    return single_initial or token in _ABBREVIATIONS


def _sentence(line: str, offset: int, begin: int, end: int) -> Sentence:
    raw = line[begin:end]
    lead = len(raw) - len(raw.lstrip())
    body = raw.strip()
    start = offset + begin + lead
    return Sentence(start, start + len(body), body)


def compact(iri: str) -> str:
    """The IRI with the longest namespace that fits (`actor:iran`, not `id:actor/iran`)."""
    fits = [(p, ns) for p, ns in PREFIXES.items() if iri.startswith(ns) and len(iri) > len(ns)]
    if not fits:
        return f"<{iri}>"
    prefix, namespace = max(fits, key=lambda fit: len(fit[1]))
    return f"{prefix}:{iri[len(namespace) :]}"


def _select(store: ox.Store, query: str, union: bool = False) -> list[dict[str, str]]:
    """Rows of a SELECT as plain strings (unbound variables left out); `union`: the default
    graph is the union of the named graphs (types and classes live in other graphs)."""
    result = store.query(query, use_default_graph_as_union=union)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("expected a SELECT query")
    names = [v.value for v in result.variables]
    rows: list[dict[str, str]] = []
    for solution in result:
        row: dict[str, str] = {}
        for name in names:
            term = solution[name]
            if term is not None and not isinstance(term, ox.Triple):
                row[name] = term.value
        rows.append(row)
    return rows


def _drafted(variable: str, drafts: bool) -> str:
    """The graph pattern that keeps only drafted (or only curated) resources."""
    pattern = f"?{variable} <{PIL}draft> true"
    return f"FILTER EXISTS {{ {pattern} }}" if drafts else f"FILTER NOT EXISTS {{ {pattern} }}"


def class_counts(store: ox.Store, graph: str, drafts: bool = False) -> dict[str, int]:
    """Resources per class: the curated ones, or with `drafts` the drafted ones."""
    rows = _select(
        store,
        f"SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s a ?class "
        f"{_drafted('s', drafts)} }} }} GROUP BY ?class",
    )
    counts = {compact(row["class"]): int(row["n"]) for row in rows}
    return dict(sorted(counts.items()))


def evidence_spans(store: ox.Store, graph: str, drafts: bool = False) -> list[tuple[int, int]]:
    """Offsets of the curated evidence, or with `drafts` of the drafted evidence."""
    rows = _select(
        store,
        f"SELECT ?s ?e WHERE {{ GRAPH <{graph}> {{ ?ev a <{PIL}Evidence> ; "
        f"<{OA}start> ?s ; <{OA}end> ?e {_drafted('ev', drafts)} }} }}",
    )
    spans: list[tuple[int, int]] = []
    for row in rows:
        try:
            spans.append((int(row["s"]), int(row["e"])))
        except ValueError:
            continue  # not an integer: pillars check (quotes) reports it
    return sorted(spans)


def mentions(store: ox.Store, graph: str) -> dict[str, Mentions]:
    """Per kind, the things the graph's curated evidence anchors: linked when a curated
    resource of the graph points at them by anything but pil:hasEvidence. The reason for one
    left unlinked is the `skos:note` of its evidence."""
    kinds = " ".join(f'("{k}" <{c}>)' for k, c in MENTION_KINDS.items())
    rows = _select(
        store,
        f"""SELECT ?kind ?thing (SAMPLE(?why) AS ?reason) (MAX(?used) AS ?linked) WHERE {{
          VALUES (?kind ?class) {{ {kinds} }}
          GRAPH <{graph}> {{ ?thing <{PIL}hasEvidence> ?ev {_drafted("ev", False)} }}
          ?thing a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?class .
          OPTIONAL {{ GRAPH <{graph}> {{ ?ev <{SKOS_NOTE}> ?why }} }}
          BIND (EXISTS {{ GRAPH <{graph}> {{
            ?s ?p ?thing FILTER (?p != <{PIL}hasEvidence>) {_drafted("s", False)} }} }} AS ?used)
        }} GROUP BY ?kind ?thing""",
        union=True,
    )
    found = {kind: Mentions() for kind in MENTION_KINDS}
    for row in rows:
        counted = found[row["kind"]]
        if row["linked"] == "true":
            counted.linked += 1
        else:
            counted.evidence_only[compact(row["thing"])] = row.get("reason", "")
    for counted in found.values():
        counted.evidence_only = dict(sorted(counted.evidence_only.items()))
    return found


def section_headings(store: ox.Store, graph: str) -> set[str]:
    rows = _select(
        store,
        f"SELECT ?label WHERE {{ GRAPH <{graph}> {{ ?s a <{PIL}Section> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label } }",
    )
    return {row["label"].strip() for row in rows}


def article_stats(store: ox.Store, source: GraphSource) -> ArticleStats:
    stats = ArticleStats(
        slug=source.slug or "",
        graph=source.graph,
        classes=class_counts(store, source.graph),
        drafts=class_counts(store, source.graph, drafts=True),
    )
    if source.text_file is None:
        return stats
    stats.mentions = mentions(store, source.graph)
    text = source.text_file.read_text(encoding="utf-8")
    sentences, stats.excluded_lines = split_body(text, section_headings(store, source.graph))
    spans = evidence_spans(store, source.graph)
    stats.has_text = True
    stats.sentences = len(sentences)
    for sentence in sentences:
        if any(s < sentence.end and e > sentence.start for s, e in spans):
            stats.covered += 1
        else:
            stats.uncovered.append(sentence)
    drafted = evidence_spans(store, source.graph, drafts=True)
    stats.draft_covered = sum(
        1 for t in sentences if any(s < t.end and e > t.start for s, e in drafted)
    )
    covered_at = _covered_positions(spans)
    stats.body_chars = sum(s.end - s.start for s in sentences)
    stats.covered_chars = sum(
        1 for s in sentences for i in range(s.start, s.end) if i in covered_at
    )
    return stats


def _covered_positions(spans: list[tuple[int, int]]) -> set[int]:
    positions: set[int] = set()
    for start, end in spans:
        positions.update(range(start, end))
    return positions


class UnknownArticle(ValueError):
    """An article slug that names no folder of the corpus."""


def collect(corpus: Corpus, slug: str | None = None) -> list[ArticleStats]:
    sources = corpus.articles
    if slug is not None:
        sources = [s for s in sources if s.slug == slug]
        if not sources:
            known = ", ".join(s.slug or "" for s in corpus.articles)
            raise UnknownArticle(f"no article folder {slug!r}; known: {known}")
    store = memory_store(corpus)
    return [article_stats(store, source) for source in sources]


def render_text(all_stats: list[ArticleStats]) -> str:
    out: list[str] = []
    for st in all_stats:
        out.append(f"{st.slug}  ({st.graph})")
        width = max((len(c) for c in st.classes), default=0)
        for cls, n in st.classes.items():
            out.append(f"  {cls:<{width}}  {n:>5}")
        if st.has_text:
            out.append(
                f"  sentences of the body: {st.sentences}; covered by evidence: {st.covered} "
                f"({st.sentence_percent:.1f}%); characters covered: {st.char_percent:.1f}%"
            )
            out.append(f"  left out as headings or footer: {len(st.excluded_lines)} lines")
            for kind, m in st.mentions.items():
                only = ", ".join(m.evidence_only) or "none"
                out.append(f"  {kind}s mentioned: {m.evidenced}, linked: {m.linked}; "
                           f"evidence only: {only}")  # fmt: skip
        out.extend(_draft_lines(st, "  "))
        if st.has_text:
            out.append(f"  uncovered sentences: {len(st.uncovered)}")
            out.extend(f"    [{s.start}-{s.end}] {s.text}" for s in st.uncovered)
        out.append("")
    return "\n".join(out)


def _draft_lines(st: ArticleStats, indent: str) -> list[str]:
    """Drafts, apart from the curated counts above them (nothing when there are none)."""
    if not st.drafts:
        return []
    width = max(len(c) for c in st.drafts)
    lines = [f"{indent}drafted by `pillars draft` (pil:draft true), not counted above:"]
    lines += [f"{indent}  {cls:<{width}}  {n:>5}" for cls, n in st.drafts.items()]
    if st.has_text:
        lines.append(
            f"{indent}sentences covered by drafted evidence: {st.draft_covered} "
            f"({st.draft_percent:.1f}%)"
        )
    return lines


def _mention_markdown(found: dict[str, Mentions]) -> list[str]:
    out = [
        "### Mentions linked from a statement",
        "",
        "Events, places and actors the article's evidence anchors, and how many of them a",
        "statement of the article links to (any property but `pil:hasEvidence`).",
        "",
        "| kind | mentioned | linked from a statement | evidence only |",
        "| --- | ---: | ---: | ---: |",
    ]
    out += [
        f"| {kind} | {m.evidenced} | {m.linked} | {len(m.evidence_only)} |"
        for kind, m in found.items()
    ]
    out.append("")
    for kind, m in found.items():
        out += [f"- {kind}, evidence only: `{thing}`" + (f": {why}" if why else ": no reason noted")
                for thing, why in m.evidence_only.items()]  # fmt: skip
    return out + ([""] if any(m.evidence_only for m in found.values()) else [])


def render_markdown(all_stats: list[ArticleStats]) -> str:
    out = [
        "# Encoding coverage",
        "",
        "Generated by `pillars stats --write docs/coverage.md`; do not edit by hand.",
        "A sentence is covered when at least one `pil:Evidence` anchor overlaps it. Section",
        "headings and the running footer are not body text and are left out.",
        "",
    ]
    for st in all_stats:
        out += [f"## {st.slug}", "", f"Graph `{st.graph}`.", "", "| class | resources |"]
        out += ["| --- | ---: |"] + [f"| `{c}` | {n} |" for c, n in st.classes.items()] + [""]
        if st.drafts:
            out += ["Drafted by `pillars draft` (`pil:draft true`), not counted above:", ""]
            out += ["| class | drafted |", "| --- | ---: |"]
            out += [f"| `{c}` | {n} |" for c, n in st.drafts.items()] + [""]
        if not st.has_text:
            out += ["No text.txt: shared vocabulary, no sentence coverage.", ""]
            continue
        out += [
            f"- Sentences of the body: {st.sentences}",
            f"- Covered by at least one evidence anchor: {st.covered} ({st.sentence_percent:.1f}%)",
            f"- Characters of the body inside an anchor: {st.char_percent:.1f}%",
            *(
                [f"- Covered by drafted evidence: {st.draft_covered} ({st.draft_percent:.1f}%)"]
                if st.drafts
                else []
            ),
            "- Lines left out (headings, running footer): "
            + "; ".join(f"“{line}”" for line in st.excluded_lines),
            "",
            *_mention_markdown(st.mentions),
            f"### Uncovered sentences ({len(st.uncovered)})",
            "",
        ]
        out += [f"- [{s.start}–{s.end}] {s.text}" for s in st.uncovered] or ["None."]
        out.append("")
    return "\n".join(out)

"""Reading the chosen articles' graphs: every query over a dataset of those graphs only."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from pillars.compare.model import (
    PREFIXES,
    SHOWN_CLASSES,
    Facts,
    Key,
    Line,
    Quote,
    Term,
    line_order,
)
from pillars.namespaces import ONTOLOGY_GRAPH, SHARED_GRAPH, article_graph
from pillars.store_interface import ReadStore, select


@dataclass
class Reader:
    """The queries of one comparison; every one restricted to the chosen graphs."""

    store: ReadStore
    slugs: Sequence[str]
    labels: dict[str, str] = field(default_factory=dict)
    quotes: dict[tuple[str, str], Quote] = field(default_factory=dict)  # (graph, iri) -> first

    @property
    def graph_nodes(self) -> list[ox.NamedNode | ox.BlankNode]:
        return [ox.NamedNode(article_graph(s)) for s in self.slugs]

    def rows(self, body: str) -> Iterable[ox.QuerySolution]:
        """Rows of `body` (patterns inside GRAPH ?g) over a dataset of the chosen graphs.

        The dataset, not a VALUES ?g block: with VALUES, Oxigraph evaluated the GRAPH ?g
        patterns over every graph and joined after (20 articles of 1,000: 3-4 s for the
        quotes, 0.1 s with the dataset)."""
        query = f"{PREFIXES}SELECT * WHERE {{ GRAPH ?g {{ {body} }} }}"
        answer = self.store.query(query, default_graph=[], named_graphs=self.graph_nodes)
        if not isinstance(answer, ox.QuerySolutions):
            raise TypeError(f"expected the rows of a SELECT query, got {type(answer).__name__}")
        return answer

    def shared_rows(self, body: str) -> Iterable[ox.QuerySolution]:
        return select(
            self.store, f"{PREFIXES}SELECT * WHERE {{ GRAPH <{SHARED_GRAPH}> {{ {body} }} }}"
        )

    def facts(self, pattern: str, predicates: Sequence[str]) -> dict[Key, Facts]:
        """Each ?x that `pattern` finds in a chosen graph, with its values of `predicates`.

        A UNION rather than OPTIONALs: a thing lacking some is still found, and two values
        of one property are two rows, not a product with every other property's values."""
        values = " ".join(f"<{p}>" for p in predicates)
        body = f"{pattern} {{ }} UNION {{ ?x ?p ?o VALUES ?p {{ {values} }} }}"
        found: dict[Key, Facts] = {}
        for row in self.rows(body):
            if not isinstance(row["x"], ox.NamedNode | ox.BlankNode):
                continue
            key = (row["g"].value, row["x"].value)
            entry = found.setdefault(key, defaultdict(list))
            if row["p"] is not None and row["o"] is not None:
                entry[row["p"].value].append(row["o"])
        for entry in found.values():  # the same first value every time
            for terms in entry.values():
                terms.sort(key=str)
        return found

    def read_names(self) -> None:
        """Labels from the chosen graphs and the shared one (English or plain first)."""
        ranked: dict[str, tuple[int, str]] = {}
        body = "?x rdfs:label|skos:prefLabel ?label"
        for row in [*self.rows(body), *self.shared_rows(body)]:
            label = row["label"]
            if not isinstance(label, ox.Literal) or not isinstance(row["x"], ox.NamedNode):
                continue
            rank = 0 if label.language in (None, "en") else 1
            key = row["x"].value
            candidate = (rank, " ".join(label.value.split()))
            if key not in ranked or candidate < ranked[key]:
                ranked[key] = candidate
        self.labels = {iri: text for iri, (_, text) in ranked.items()}

    def read_quotes(self) -> None:
        """The first quote (by position in the text) of each thing a cell can show: only
        those classes, since citations and claims hold most of an article's quotes."""
        classes = " ".join(f"<{c}>" for c in self.subclasses(*SHOWN_CLASSES))
        body = (
            f"VALUES ?class {{ {classes} }} ?x a ?class ; pil:hasEvidence ?e . "
            "?e oa:exact ?exact OPTIONAL { ?e oa:start ?start } OPTIONAL { ?e oa:end ?end } "
            "OPTIONAL { ?e pil:inText ?text }"
        )
        for row in self.rows(body):
            quote = Quote(
                row["e"].value if isinstance(row["e"], ox.NamedNode) else "",
                " ".join(row["exact"].value.split()),
                _integer(row["start"]),
                _integer(row["end"]),
                row["text"].value if isinstance(row["text"], ox.NamedNode) else None,
            )
            key = (row["g"].value, row["x"].value)
            if key not in self.quotes or quote_order(quote) < quote_order(self.quotes[key]):
                self.quotes[key] = quote

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or _local_name(iri)

    def line(self, graph: str, iri: str, note: str = "", children: Iterable[Line] = ()) -> Line:
        ordered = tuple(sorted(children, key=line_order))
        return Line(iri, self.label(iri), note, self.quotes.get((graph, iri)), ordered)

    def subclasses(self, *classes: str) -> list[str]:
        """The classes and their subclasses in the ontology graph (asserted types are the
        narrow ones; the entailed graphs that would say pil:Threat are not read)."""
        tops = " ".join(f"<{c}>" for c in classes)
        query = (
            f"{PREFIXES}SELECT ?c WHERE {{ VALUES ?top {{ {tops} }} "
            f"GRAPH <{ONTOLOGY_GRAPH}> {{ ?c rdfs:subClassOf* ?top }} }}"
        )
        found = {row["c"].value for row in select(self.store, query)}
        return sorted(found | set(classes))


def first(facts: Facts, predicate: str) -> Term | None:
    terms = facts.get(predicate)
    return terms[0] if terms else None


def first_text(facts: Facts, predicate: str) -> str:
    """The first literal value, its whitespace runs as one space ('' if none)."""
    for term in facts.get(predicate, ()):
        if isinstance(term, ox.Literal):
            return " ".join(term.value.split())
    return ""


def _integer(term: Term | None) -> int | None:
    try:
        return int(term.value) if isinstance(term, ox.Literal) else None
    except ValueError:
        return None


def quote_order(quote: Quote) -> tuple[bool, int, str]:
    return (quote.start is None, quote.start or 0, quote.exact)


def _local_name(iri: str) -> str:
    return re.split(r"[/#]", iri)[-1].replace("-", " ") or iri

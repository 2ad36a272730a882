"""Deterministic Turtle for the files the studio owns, so that every save is a small,
reviewable git diff.

The same triples always give the same bytes: the prefixes the triples use, sorted; one block
per subject, subjects sorted by name, each evidence block right after the first statement
that points to it; `a` first, then rdfs:label, the quote's own properties in the order
`pillars anchor` prints them, then the rest by name; objects sorted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from pillars.anchor import turtle_string
from pillars.namespaces import OA, PIL
from pillars.prefixes import VOCABULARY

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
XSD = "http://www.w3.org/2001/XMLSchema#"
HAS_EVIDENCE = PIL + "hasEvidence"
EVIDENCE = PIL + "Evidence"
_FIRST = [
    RDF_TYPE,
    RDFS_LABEL,
    OA + "exact",
    OA + "prefix",
    OA + "suffix",
    OA + "start",
    OA + "end",
    PIL + "inText",
    PIL + "inSection",
]
_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_BARE = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}


def val(node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    """A term's value (an IRI, a blank node's id, a literal's text); quoted triples as text."""
    return str(node) if isinstance(node, ox.Triple) else node.value


class Names:
    """Prefixed names for IRIs: the corpus's vocabulary prefixes plus `art:` for the article."""

    def __init__(self, article_ns: str) -> None:
        table = {**VOCABULARY, "art": article_ns}
        table.pop("id", None)  # id: would swallow art:, actor: ...; they are more specific
        self._by_length = sorted(table.items(), key=lambda item: -len(item[1]))
        self._table = table
        self.used: dict[str, str] = {}
        self._known: dict[str, tuple[str, str | None]] = {}

    def iri(self, value: str) -> str:
        hit = self._known.get(value)
        if hit is None:
            hit = (f"<{value}>", None)
            for prefix, namespace in self._by_length:
                local = value[len(namespace) :]
                if value.startswith(namespace) and local and _LOCAL.fullmatch(local):
                    hit = (f"{prefix}:{local}", prefix)
                    break
            self._known[value] = hit
        if hit[1] is not None:
            self.used[hit[1]] = self._table[hit[1]]
        return hit[0]

    def term(self, node: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
        if isinstance(node, ox.NamedNode):
            return self.iri(node.value)
        if isinstance(node, ox.BlankNode):
            return f"_:{node.value}"
        if isinstance(node, ox.Literal):
            return self.literal(node)
        raise ValueError("the studio writes no quoted triples")

    def literal(self, node: ox.Literal) -> str:
        datatype = node.datatype.value
        if node.language:
            return f"{turtle_string(node.value)}@{node.language}"
        if datatype == XSD + "string":
            return turtle_string(node.value)
        bare = _BARE.get(datatype)
        if bare is not None and bare.fullmatch(node.value):
            return node.value
        return f"{turtle_string(node.value)}^^{self.iri(datatype)}"


def _predicate_key(names: Names, predicate: str) -> tuple[int, str]:
    if predicate in _FIRST:
        return (_FIRST.index(predicate), "")
    return (len(_FIRST), names.iri(predicate))


def subject_order(triples: list[ox.Triple], names: Names) -> list[str]:
    """Subjects in writing order: by name, each evidence block after its first referrer."""
    subjects = {val(t.subject) for t in triples}
    evidence = {
        val(t.subject)
        for t in triples
        if t.predicate.value == RDF_TYPE and val(t.object) == EVIDENCE
    }
    points: dict[str, list[str]] = {}
    for t in triples:
        if t.predicate.value == HAS_EVIDENCE and val(t.object) in evidence:
            points.setdefault(val(t.subject), []).append(val(t.object))
    order: list[str] = []
    done: set[str] = set()
    for subject in sorted(subjects - evidence, key=names.iri):
        order.append(subject)
        for ev in sorted(points.get(subject, []), key=names.iri):
            if ev not in done:
                order.append(ev)
                done.add(ev)
    order += sorted(evidence - done, key=names.iri)
    return order


def blocks(triples: Iterable[ox.Triple], names: Names) -> list[str]:
    """One Turtle block per subject, in writing order."""
    listed = list(set(triples))  # the order comes from subject_order and the sorts below
    by_subject: dict[str, list[ox.Triple]] = {}
    for t in listed:
        by_subject.setdefault(val(t.subject), []).append(t)
    out: list[str] = []
    for subject in subject_order(listed, names):
        group = by_subject[subject]
        head = names.term(group[0].subject)
        lines: list[str] = []
        predicates = sorted(
            {t.predicate.value for t in group}, key=lambda p: _predicate_key(names, p)
        )
        for predicate in predicates:
            objects = sorted(names.term(t.object) for t in group if t.predicate.value == predicate)
            verb = "a" if predicate == RDF_TYPE else names.iri(predicate)
            lines.append(f"{verb} {' , '.join(objects)}")
        out.append(head + " " + " ;\n    ".join(lines) + " .\n")
    return out


def document(triples: Iterable[ox.Triple], article_ns: str, header: str) -> str:
    """The whole file: the header comment, the prefixes used, then the blocks."""
    names = Names(article_ns)
    body = blocks(triples, names)
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    prefixes = [f"@prefix {p}: <{ns}> ." for p, ns in sorted(names.used.items())]
    parts = ["\n".join(lines), "\n".join(prefixes)] if prefixes else ["\n".join(lines)]
    return "\n\n".join(parts) + "\n\n" + "\n".join(body) if body else "\n\n".join(parts) + "\n"

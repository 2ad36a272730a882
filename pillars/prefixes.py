"""The prefixes a Turtle or TriG document declares: only those its IRIs use.

One function serves the pages' documents, the dumps and `pillars export`, so that no output
declares `art:` as some other article's namespace (it used to name the first article's in
every document, the ontology's included).

An article's resources live in `id/<slug>/`; every other folder under `id/` is a shared
vocabulary with a fixed prefix (`actor:`, `journal:` ...). A document that uses one article's
namespace calls it `art:`; one that uses several names each after its slug.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pyoxigraph as ox

from pillars.namespaces import GRAPH, ID, PREFIXES

VOCABULARY: dict[str, str] = {
    **PREFIXES,
    "threat-type": ID + "threat-type/",
    "limit-type": ID + "limit-type/",
    "journal": ID + "journal/",
    "graph": GRAPH,
    "wd": "http://www.wikidata.org/entity/",
}
ARTICLE_PREFIX = "art"

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# Literals Turtle writes without a datatype (strings, language strings, and numbers or
# booleans whose lexical form is the Turtle token): they use no prefix.
_BARE = {
    _XSD + "string": re.compile(r".*", re.DOTALL),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString": re.compile(r".*", re.DOTALL),
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}
# A Turtle PN_PREFIX (ASCII part): a letter first, no final dot.
_PN_PREFIX = re.compile(r"[A-Za-z]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_BY_LENGTH = sorted(VOCABULARY.items(), key=lambda item: -len(item[1]))


def article_namespace(iri: str) -> str | None:
    """`id/<slug>/` when `iri` lies in a folder of `id/` that no vocabulary prefix names."""
    if not iri.startswith(ID):
        return None
    folder, slash, _ = iri[len(ID) :].partition("/")
    if not slash or not folder:
        return None
    namespace = ID + folder + "/"
    return None if namespace in VOCABULARY.values() else namespace


def _head(iri: str) -> str:
    """The IRI up to its last '/' or '#': every namespace that matches it is a prefix of this."""
    return iri[: max(iri.rfind("/"), iri.rfind("#")) + 1]


def _article_prefixes(namespaces: set[str]) -> dict[str, str]:
    """A prefix per article namespace: `art` alone, else one derived from each slug."""
    if len(namespaces) == 1:
        return {ARTICLE_PREFIX: next(iter(namespaces))}
    named: dict[str, str] = {}
    for namespace in sorted(namespaces):
        slug = namespace[len(ID) : -1]
        name = slug if _PN_PREFIX.fullmatch(slug) else ""
        if not name or name in VOCABULARY or name in named:
            name = ARTICLE_PREFIX + "-" + re.sub(r"[^A-Za-z0-9_-]", "-", slug)
        base, n = name, 2
        while name in VOCABULARY or name in named:
            name, n = f"{base}-{n}", n + 1
        named[name] = namespace
    return named


def used_prefixes(statements: Iterable[ox.Triple | ox.Quad]) -> dict[str, str]:
    """The prefixes that a Turtle/TriG serialisation of `statements` writes names with.

    Oxigraph's serialiser abbreviates an IRI with the longest declared namespace it starts
    with; a declared prefix that no IRI picks is noise, so it is left out. Every namespace
    here ends in '/' or '#', so only each IRI's head (up to its last '/' or '#') is kept: a
    few hundred strings even for the whole store, which is read in one streaming pass.
    """
    heads: set[str] = set()
    predicates: set[str] = set()
    for st in statements:
        predicates.add(st.predicate.value)
        for term in (st.subject, st.object, st.graph_name if isinstance(st, ox.Quad) else None):
            if isinstance(term, ox.NamedNode):
                heads.add(_head(term.value))
            elif isinstance(term, ox.Literal):
                datatype = term.datatype.value
                head = _head(datatype)
                if head in heads:
                    continue
                bare = _BARE.get(datatype)
                if bare is None or not bare.fullmatch(term.value):
                    heads.add(head)
            elif isinstance(term, ox.Triple):  # RDF-star: a quoted triple
                heads.update(used_prefixes([term]).values())
    heads.update(_head(p) for p in predicates - {_RDF_TYPE})  # rdf:type is written `a`
    articles = {ns for ns in map(article_namespace, heads) if ns is not None}
    candidates = sorted(
        [*VOCABULARY.items(), *_article_prefixes(articles).items()], key=lambda item: -len(item[1])
    )
    used: dict[str, str] = {}
    for head in heads:
        for name, namespace in candidates:
            if head.startswith(namespace):
                used[name] = namespace
                break
    return dict(sorted(used.items()))


def compact(iri: str) -> str:
    """'https://w3id.org/pillars/id/actor/iran' -> 'actor:iran', for names shown on pages.

    A page shows one name at a time, so an article's resource reads `art:<name>`: the
    article whose namespace it is.
    """
    article = article_namespace(iri)
    if article is not None:
        return f"{ARTICLE_PREFIX}:{iri[len(article) :]}"
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri

"""An article's bibliographic record, read from the graph, and written as BibTeX, RIS, CSL-JSON.

Every field comes from the article's triples (docs/pages.md, "Cite this"): `dcterms:title`,
`dcterms:creator` (a pil:Person's label, or a literal), `pil:publishedIn` (the journal's
label), `pil:publicationYear`, `pil:doi`, `pil:keyword`. A field the graph lacks is left out
of every format; nothing is guessed (names are not split into family and given names, since
the data does not split them).

RDF gives no order to several `dcterms:creator` values, so authors are listed by name, and
keywords likewise: the same record every time, not necessarily the printed order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph as ox

from pillars.entailment import is_entailed_graph
from pillars.namespaces import PIL
from pillars.store_interface import Object, ReadStore

DCT = "http://purl.org/dc/terms/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
NAME_PREDICATES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    RDFS_LABEL,
    "http://xmlns.com/foaf/0.1/name",
)
DOI_RESOLVER = "https://doi.org/"


@dataclass(frozen=True)
class Author:
    name: str
    iri: str | None = None  # None for a literal dcterms:creator


@dataclass(frozen=True)
class Bibliography:
    """What the graph says about one article; None or empty where it says nothing."""

    iri: str
    key: str  # the citation key: the article's slug
    title: str | None = None
    authors: tuple[Author, ...] = ()
    journal: str | None = None
    journal_iri: str | None = None
    year: str | None = None
    doi: str | None = None
    keywords: tuple[str, ...] = ()

    @property
    def doi_url(self) -> str | None:
        return doi_url(self.doi) if self.doi else None


def doi_url(doi: str) -> str:
    """The resolver link of a DOI; characters a URL path cannot hold are percent-encoded."""
    return DOI_RESOLVER + quote(doi, safe="/:;@!$&'()*+,=")


# ---------------------------------------------------------------- reading the graph


def _objects(store: ReadStore, node: ox.NamedNode, predicate: str) -> list[Object]:
    """The distinct objects of asserted triples (a triple stated in two graphs counts once)."""
    seen: dict[Object, None] = {}
    for q in store.quads_for_pattern(node, ox.NamedNode(predicate), None, None):
        if not is_entailed_graph(getattr(q.graph_name, "value", "")):
            seen[q.object] = None
    return list(seen)


def _english_first(literals: Iterable[ox.Literal]) -> str | None:
    """An English or untagged value if there is one, else any; the same one every time."""
    ranked = sorted(
        literals,
        key=lambda lit: (
            not (lit.language in (None, "en") or (lit.language or "").startswith("en-")),
            lit.value,
        ),
    )
    text = clean(ranked[0].value) if ranked else ""
    return text or None


def _text(store: ReadStore, node: ox.NamedNode, predicate: str) -> str | None:
    return _english_first(o for o in _objects(store, node, predicate) if isinstance(o, ox.Literal))


def _name(store: ReadStore, node: ox.NamedNode) -> str | None:
    for predicate in NAME_PREDICATES:
        name = _text(store, node, predicate)
        if name:
            return name
    return None


def clean(text: str) -> str:
    """Whitespace runs (newlines, tabs) as one space: every format here is line- or
    field-based, and a line break inside a value would end it or start a paragraph."""
    return " ".join(text.split())


def read(store: ReadStore, article: ox.NamedNode, key: str) -> Bibliography:
    """The article's bibliographic record; `key` names it in BibTeX and CSL-JSON."""
    authors: dict[Author, None] = {}
    for creator in _objects(store, article, DCT + "creator"):
        if isinstance(creator, ox.Literal):
            if clean(creator.value):
                authors[Author(clean(creator.value))] = None
        elif isinstance(creator, ox.NamedNode):
            name = _name(store, creator)
            if name:  # a creator the graph does not name is left out, not named by its IRI
                authors[Author(name, creator.value)] = None
    journal_node = next(
        (j for j in _objects(store, article, PIL + "publishedIn") if isinstance(j, ox.NamedNode)),
        None,
    )
    journal = _name(store, journal_node) if journal_node is not None else None
    doi = _text(store, article, PIL + "doi")
    if doi:  # the ontology says without the resolver; tolerate a value written with it
        doi = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", "", doi, flags=re.I) or None
    keywords = {
        clean(o.value): None
        for o in _objects(store, article, PIL + "keyword")
        if isinstance(o, ox.Literal) and clean(o.value)
    }
    return Bibliography(
        iri=article.value,
        key=key,
        title=_text(store, article, DCT + "title"),
        authors=tuple(sorted(authors, key=lambda a: (a.name.casefold(), a.iri or ""))),
        journal=journal,
        journal_iri=journal_node.value if journal and journal_node is not None else None,
        year=_text(store, article, PIL + "publicationYear"),
        doi=doi,
        keywords=tuple(sorted(keywords, key=str.casefold)),
    )


# ---------------------------------------------------------------- BibTeX

# LaTeX's special characters. Braces become commands with balanced braces of their own:
# BibTeX counts braces without regard to backslashes, so `\{` would unbalance the field.
_LATEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_LATEX_RE = re.compile("|".join(re.escape(c) for c in _LATEX))


def bibtex_escape(text: str) -> str:
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], clean(text))


def bibtex_key(key: str) -> str:
    """A key BibTeX and biber accept: letters, digits and `-_:.` only."""
    return re.sub(r"[^A-Za-z0-9_:.-]+", "-", key).strip("-") or "article"


def _verbatim(text: str) -> str | None:
    """A value for biblatex's verbatim fields (doi, url): only unbalanced braces or a
    backslash could break the entry, so such a value is not written."""
    return None if re.search(r"[{}\\]", text) else clean(text)


def bibtex(b: Bibliography) -> str:
    fields: list[tuple[str, str]] = []
    if b.authors:
        fields.append(("author", " and ".join(bibtex_escape(a.name) for a in b.authors)))
    if b.title:
        fields.append(("title", bibtex_escape(b.title)))
    if b.journal:
        fields.append(("journal", bibtex_escape(b.journal)))
    if b.year:
        fields.append(("year", bibtex_escape(b.year)))
    doi = _verbatim(b.doi) if b.doi else None
    if doi:
        fields.append(("doi", doi))
    url = _verbatim(b.doi_url) if b.doi_url else None
    if url:
        fields.append(("url", url))
    if b.keywords:
        fields.append(("keywords", ", ".join(bibtex_escape(k) for k in b.keywords)))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@article{{{bibtex_key(b.key)},\n{body}}}\n"


# ---------------------------------------------------------------- RIS

RIS_EOL = "\r\n"  # the RIS specification's line end


def _ris_line(tag: str, value: str) -> str:
    return f"{tag}  - {clean(value)}{RIS_EOL}"


def ris(b: Bibliography) -> str:
    lines = [_ris_line("TY", "JOUR")]
    if b.title:
        lines.append(_ris_line("TI", b.title))
    lines += [_ris_line("AU", a.name) for a in b.authors]
    if b.journal:
        lines.append(_ris_line("T2", b.journal))
    if b.year:
        lines.append(_ris_line("PY", b.year))
    if b.doi:
        lines.append(_ris_line("DO", b.doi))
    if b.doi_url:
        lines.append(_ris_line("UR", b.doi_url))
    lines += [_ris_line("KW", k) for k in b.keywords]
    lines.append(f"ER  - {RIS_EOL}")
    return "".join(lines)


# ---------------------------------------------------------------- CSL-JSON


def csl_item(b: Bibliography) -> dict[str, object]:
    item: dict[str, object] = {"id": b.key, "type": "article-journal"}
    if b.title:
        item["title"] = b.title
    if b.authors:
        item["author"] = [{"literal": a.name} for a in b.authors]  # names are not split
    if b.journal:
        item["container-title"] = b.journal
    if b.year:
        year = re.fullmatch(r"(-?\d{1,9})(?:Z|[+-]\d\d:\d\d)?", b.year)
        item["issued"] = {"date-parts": [[int(year.group(1))]]} if year else {"literal": b.year}
    if b.doi:
        item["DOI"] = b.doi
    if b.doi_url:
        item["URL"] = b.doi_url
    if b.keywords:
        item["keyword"] = ", ".join(b.keywords)
    return item


def csl_json(b: Bibliography) -> str:
    return json.dumps([csl_item(b)], ensure_ascii=False, indent=2) + "\n"


# (URL suffix, name, media type); the routes and the page's links are made from this table.
FORMATS: tuple[tuple[str, str, str], ...] = (
    ("bib", "BibTeX", "application/x-bibtex"),
    ("ris", "RIS", "application/x-research-info-systems"),
    ("csl.json", "CSL-JSON", "application/vnd.citationstyles.csl+json"),
)
WRITERS = {"bib": bibtex, "ris": ris, "csl.json": csl_json}

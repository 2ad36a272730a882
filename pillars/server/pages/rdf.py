"""RDF formats offered by the Linked Data pages, and content negotiation between them.

One table maps a file extension to a media type and an Oxigraph format, so the `.ttl`
suffix, the Accept header and the serialiser can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from werkzeug.datastructures import MIMEAccept

from pillars.prefixes import used_prefixes


@dataclass(frozen=True)
class Format:
    ext: str
    media_type: str
    rdf: ox.RdfFormat | None  # None: the HTML page
    name: str


HTML = Format("html", "text/html", None, "HTML")
FORMATS: tuple[Format, ...] = (
    HTML,
    Format("ttl", "text/turtle", ox.RdfFormat.TURTLE, "Turtle"),
    Format("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, "JSON-LD"),
    Format("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, "N-Triples"),
    Format("rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML, "RDF/XML"),
)
BY_EXT: dict[str, Format] = {f.ext: f for f in FORMATS}

# Media types clients send that mean one of ours; the first entry of each pair is offered.
_ALIASES: tuple[tuple[str, Format], ...] = (
    *((f.media_type, f) for f in FORMATS),
    ("application/xhtml+xml", HTML),
    ("application/x-turtle", BY_EXT["ttl"]),
    ("application/json", BY_EXT["jsonld"]),
    ("text/n3", BY_EXT["ttl"]),  # Turtle is a subset of N3, so a Turtle answer is valid N3
    ("application/xml", BY_EXT["rdf"]),
)


def negotiate(accept: MIMEAccept) -> Format | None:
    """The format the Accept header prefers; HTML when it says nothing; None if none fits."""
    if not accept:
        return HTML
    # best_match gives */* to the first offer, so a browser or curl default gets the page.
    best = accept.best_match([media for media, _ in _ALIASES])
    if best is None:
        return None
    return next(f for media, f in _ALIASES if media == best)


def split_extension(path: str) -> tuple[str, Format | None]:
    """'actor/iran.ttl' -> ('actor/iran', Turtle); a path with no known suffix is unchanged."""
    stem, dot, ext = path.rpartition(".")
    if dot and "/" not in ext and ext in BY_EXT:
        return stem, BY_EXT[ext]
    return path, None


def serialize(triples: Iterable[ox.Triple], fmt: Format) -> bytes:
    assert fmt.rdf is not None, "HTML is rendered by a template, not serialised"
    statements = list(triples)
    with_names = fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG)
    prefixes = used_prefixes(statements) if with_names else None
    data = ox.serialize(statements, format=fmt.rdf, prefixes=prefixes)
    assert data is not None
    return data

"""Result formats and content negotiation (RFC 9110 Accept with q-values).

Two families: formats for solutions and booleans (SELECT, ASK) and formats for graphs
(CONSTRUCT, DESCRIBE, the Service Description, VoID). Negotiation picks one of each, since
the query form is only known once the query is parsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Format:
    key: str  # the short name used by `format=` and by the evaluator
    media_type: str  # what Content-Type says
    aliases: tuple[str, ...] = ()  # other media types a client may ask for
    names: tuple[str, ...] = ()  # other `format=` short names

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


# In order of preference when a client accepts several equally.
RESULT_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", ("application/json",), ("srj",)),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"), ("srx",)),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values", (), ("tab",)),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    # "n3" and "rdf+xml": the `format=` values SPARQLWrapper sends for N3 and RDFXML (every
    # Turtle document is N3).
    Format("turtle", "text/turtle", ("application/x-turtle",), ("ttl", "n3")),
    Format("ntriples", "application/n-triples", ("text/plain",), ("nt", "n-triples")),
    Format(
        "rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), ("rdf", "xml", "rdf+xml")
    ),
    Format("jsonld", "application/ld+json", ("application/json",), ("json-ld", "json")),
    Format("nquads", "application/n-quads", (), ("nq", "n-quads")),
    Format("trig", "application/trig"),
)


class NegotiationError(ValueError):
    """A `format=` value that names no format at all (400, not 406)."""


@dataclass(frozen=True)
class Range:
    type: str
    subtype: str
    q: float
    charset: str | None

    def specificity(self, media_type: str) -> int:
        """-1 if this range does not match `media_type`, else how specific the match is."""
        mtype, _, msub = media_type.partition("/")
        if self.type == "*":
            return 0 if self.subtype == "*" else -1
        if self.type != mtype:
            return -1
        if self.subtype == "*":
            return 1
        return 2 if self.subtype == msub else -1


def parse_accept(header: str | None) -> list[Range]:
    """Parse an Accept header leniently: a malformed part is ignored, not an error."""
    if not header or not header.strip():
        return [Range("*", "*", 1.0, None)]
    ranges = []
    for part in header.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        if "/" not in media:
            continue
        mtype, _, msub = media.lower().partition("/")
        q, charset = 1.0, None
        for param in params:
            name, _, value = param.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
            elif name == "charset":
                charset = value.lower()
        ranges.append(Range(mtype, msub, q, charset))
    return ranges


def quality(ranges: list[Range], fmt: Format) -> float:
    """The q the client gives `fmt`.

    For the format's own media type the most specific matching range decides (RFC 9110,
    12.5.1). An alias (application/json for SPARQL JSON, text/xml for SPARQL XML) counts only
    when named exactly: `text/*` or `*/*` must not pull in a format through its alias.
    """
    best, spec = 0.0, -1
    for r in ranges:
        s = r.specificity(fmt.media_type)
        if s >= 0 and _utf8(r) and (s > spec or (s == spec and r.q > best)):
            best, spec = r.q, s
    for alias in fmt.aliases:
        for r in ranges:
            if r.specificity(alias) == 2 and _utf8(r):
                best = max(best, r.q)
    return best


def _utf8(r: Range) -> bool:
    return r.charset in (None, "utf-8", "utf8", "*")  # we write UTF-8 only


def choose(ranges: list[Range], formats: tuple[Format, ...]) -> Format | None:
    best: Format | None = None
    best_q = 0.0
    for fmt in formats:
        q = quality(ranges, fmt)
        if q > best_q:
            best, best_q = fmt, q
    return best


def by_name(value: str, formats: tuple[Format, ...]) -> Format | None:
    """A `format=` value: a short name or a media type (parameters ignored)."""
    # An unencoded "+" in a URL arrives as a space: format=application/sparql-results+json.
    value = value.split(";")[0].strip().lower().replace(" ", "+")
    for fmt in formats:
        if value in (fmt.key, fmt.media_type, *fmt.aliases, *fmt.names):
            return fmt
    return None


# Clients send the same few Accept headers again and again; the answer depends on nothing
# else, so it is kept (a bounded number of distinct headers).
@lru_cache(maxsize=256)
def negotiate(accept: str | None, format_param: str | None) -> tuple[Format | None, Format | None]:
    """(format for SELECT/ASK, format for CONSTRUCT/DESCRIBE); None where nothing fits."""
    if format_param:
        pair = by_name(format_param, RESULT_FORMATS), by_name(format_param, GRAPH_FORMATS)
        if pair == (None, None):
            known = ", ".join(f.key for f in RESULT_FORMATS + GRAPH_FORMATS)
            raise NegotiationError(
                f"parameter format (or output): unknown format {format_param[:60]!r}; "
                f"known formats: {known}"
            )
        return pair
    ranges = parse_accept(accept)
    return choose(ranges, RESULT_FORMATS), choose(ranges, GRAPH_FORMATS)

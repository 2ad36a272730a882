"""What every page family shares: the blueprint, its template globals and caching, links,
documents in RDF formats, and the 404 page that suggests the nearest names.

The page families (one module each, as Datasette's views are laid out) add their routes to
`bp`: resource (/id/), ontology, graphs (/graph/, /dumps/), article (/cite/), argmap (/map/),
home and query. `pillars.server.pages` imports them all, so registering `bp` serves them all.

IRIs follow the W3C note "Cool URIs for the Semantic Web":
- `/id/...` names things (states, claims, evidence), not documents. A request for the thing
  gets `303 See Other` to a document about it chosen by Accept: `/id/actor/iran.html`,
  `.ttl`, `.jsonld`, `.nt` or `.rdf`. The documents answer 200 directly.
- `/ontology` (whose terms are hash IRIs, `/ontology#Threat`) and `/graph/<slug>` name
  documents, so they answer 200 with content negotiation, `Vary: Accept` and a
  `Content-Location` naming the format-specific document.
"""

from __future__ import annotations

import difflib
import hashlib
import logging
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    url_for,
)

from pillars.entailment import is_entailed_graph
from pillars.namespaces import BASE, GRAPH, ONTOLOGY_GRAPH, SHAPES_GRAPH
from pillars.server.pages.rdf import FORMATS, HTML, Format, negotiate, serialize
from pillars.server.pages.terms import local_name, named_node, value_of
from pillars.server.state import state
from pillars.store_interface import ReadStore

log = logging.getLogger(__name__)
SERVER_DIR = Path(__file__).parent.parent  # templates/ and static/ sit beside the package
bp = Blueprint(
    "pages",
    __name__,
    template_folder=str(SERVER_DIR / "templates"),
    static_folder=str(SERVER_DIR / "static"),
    static_url_path="/assets",
)
PAGE_MAX_AGE = 300  # data changes only when the corpus is reloaded
ASSET_MAX_AGE = 86_400  # asset URLs carry a content hash, so a day is safe
SPECIAL_GRAPHS = {ONTOLOGY_GRAPH, SHAPES_GRAPH, GRAPH + "shared"}


def store() -> ReadStore:
    return state().store


def linker() -> Callable[[str], str]:
    """The page of an IRI: our own IRIs at the same path under this server, others as they are.

    The request's root is read once: a page links hundreds of IRIs, and each read of
    `request` through its context-local proxy costs more than building the link.
    """
    root = request.script_root

    def link(iri: str) -> str:
        return f"{root}/{iri[len(BASE) :]}" if iri.startswith(BASE) else iri

    return link


def href(iri: str) -> str:
    return linker()(iri)


@lru_cache(maxsize=64)
def _asset_hash(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:10]


@bp.app_template_global()
def asset(filename: str) -> str:
    static = Path(bp.static_folder or "") / filename
    return url_for("pages.static", filename=filename, v=_asset_hash(str(static)))


@bp.app_template_global()
def iri_href(iri: str) -> str:
    return href(iri)


@bp.app_template_global()
def has_endpoint(name: str) -> bool:
    """Whether another area (search, validation) is registered, so the menu can link it."""
    return name in current_app.view_functions


@bp.after_request
def caching(response: Response) -> Response:
    """ETag from the body and a Cache-Control on everything this blueprint answers."""
    if request.endpoint == "pages.static":
        response.cache_control.public = True
        response.cache_control.max_age = ASSET_MAX_AGE
        return response
    if request.method not in ("GET", "HEAD"):
        response.cache_control.no_store = True
        return response
    # Public data: let browser-based Linked Data clients on other origins read it.
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "Link, Content-Location, ETag"
    if response.status_code in (200, 303, 404) and not response.cache_control.no_store:
        response.cache_control.public = True
        response.cache_control.max_age = PAGE_MAX_AGE if response.status_code != 404 else 60
    if response.status_code == 200 and not response.is_streamed:
        response.add_etag()
        response.make_conditional(request)
    return response


def not_acceptable() -> Response:
    offered = ", ".join(f.media_type for f in FORMATS)
    return Response(
        f"406 Not Acceptable: this resource is offered as {offered}\n", 406, mimetype="text/plain"
    )


def rdf_response(triples: list[ox.Triple], fmt: Format, links: str) -> Response:
    media = fmt.media_type + ("; charset=utf-8" if fmt.media_type.startswith("text/") else "")
    response = Response(serialize(triples, fmt), mimetype=None, content_type=media)
    response.headers["Link"] = links
    return response


def alternates(stem_path: str) -> str:
    """Link header naming every format of a document (stem_path has no extension)."""
    return ", ".join(
        f'<{request.script_root}/{stem_path}.{f.ext}>; rel="alternate"; type="{f.media_type}"'
        for f in FORMATS
    )


def not_found(iri: str) -> Response:
    link = linker()
    if negotiate(request.accept_mimetypes) not in (HTML, None):
        return Response(
            f"404 Not Found: no resource {iri} in this dataset\n", 404, mimetype="text/plain"
        )
    parent = iri.rsplit("/", 1)[0] + "/"
    # Suggestions look at every sibling (up to a bound): with the default 500, names late in
    # the alphabet (an article's ev-threat-...) were never suggested.
    siblings = iris_under(parent, limit=5000)
    names = {local_name(s): s for s in siblings}
    close = difflib.get_close_matches(local_name(iri), list(names), n=5, cutoff=0.5)
    suggestions = [value_of(store(), ox.NamedNode(names[c]), link) for c in close]
    others = sorted(
        (value_of(store(), ox.NamedNode(s), link) for s in siblings[:60]),
        key=lambda v: v.text.casefold(),
    )
    html = render_template(
        "not_found.html",
        iri=iri,
        parent=parent,
        suggestions=suggestions,
        others=others,
        total=len(siblings),
    )
    return Response(html, 404, mimetype="text/html")


def iris_under(prefix: str, limit: int = 500) -> list[str]:
    # From the search index's ordered list of subjects (pillars/search_index.py), kept beside an
    # on-disk store: Oxigraph has no prefix index over IRIs, and a list held here would cost
    # a scan of every triple and ~100 MiB per 1,000 articles in each web worker.
    return state().search().iris_under(prefix, limit)


def graph_triples(graph: str) -> list[ox.Triple]:
    quads = store().quads_for_pattern(None, None, None, ox.NamedNode(graph))
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


def has_graph(iri: str) -> bool:
    node = named_node(iri)
    return node is not None and store().contains_named_graph(node)


def named_graphs() -> list[str]:
    return sorted(g.value for g in store().named_graphs() if isinstance(g, ox.NamedNode))


def article_slugs() -> list[str]:
    return [
        g[len(GRAPH) :]
        for g in named_graphs()
        if g.startswith(GRAPH) and g not in SPECIAL_GRAPHS and not is_entailed_graph(g)
    ]

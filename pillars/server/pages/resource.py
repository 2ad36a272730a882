"""Pages of the things under /id/: a 303 to a document chosen by Accept, the document (HTML with
its summary, statements and quotes; an article's page with its bibliography and map; an
article text with its quotes marked), folder listings, and the 404 with suggestions.
"""

from __future__ import annotations

import pyoxigraph as ox
from flask import Response, redirect, render_template, request

from pillars import cite
from pillars.corpus import RDF_TYPE
from pillars.entailment import asserted_graph
from pillars.namespaces import GRAPH, ID
from pillars.server.pages import argmap, article, text
from pillars.server.pages.base import (
    alternates,
    bp,
    iris_under,
    linker,
    not_acceptable,
    not_found,
    rdf_response,
    store,
)
from pillars.server.pages.describe import describe, description_triples
from pillars.server.pages.rdf import FORMATS, HTML, Format, negotiate
from pillars.server.pages.rdf import split_extension as split_ext
from pillars.server.pages.terms import Value, exists, value_of


@bp.get("/id/", defaults={"path": ""})
@bp.get("/id/<path:path>")
def resource(path: str) -> Response:
    stem, fmt = split_ext(path)
    if fmt is not None and exists(store(), ID + stem):
        return _resource_document(ID + stem, stem, fmt)
    iri = ID + path
    if (path == "" or path.endswith("/")) and fmt is None:
        return _index(iri)
    if not exists(store(), iri):
        # Name what was looked for without the extension, so that suggestions match names.
        return not_found(ID + stem if fmt is not None else iri)
    fmt = negotiate(request.accept_mimetypes)
    if fmt is None:
        return not_acceptable()
    query = ("?" + request.query_string.decode("latin-1")) if request.query_string else ""
    response = redirect(f"{request.script_root}/id/{path}.{fmt.ext}{query}", 303)
    response.vary.add("Accept")
    return response  # type: ignore[return-value]


def _resource_document(iri: str, stem: str, fmt: Format) -> Response:
    link = linker()
    links = alternates("id/" + stem)
    if fmt is not HTML:
        return rdf_response(description_triples(store(), iri), fmt, links)
    description = describe(store(), iri, link)
    amap = art = None
    slug = _article_slug(iri)
    if slug is not None:
        art = article.view(store(), ox.NamedNode(iri), slug, link)
        amap = argmap.view(store(), slug, request.script_root)
    anchored = None
    if description.text is not None:
        node = ox.NamedNode(iri)
        quoted = text.spans(store(), node, description.text)
        lines = text.headings(store(), node, description.text)
        anchored = text.anchor(description.text, quoted, link, _highlight_range(), lines)
    html = render_template(
        "resource.html",
        d=description,
        anchored=anchored,
        formats=[f for f in FORMATS if f is not HTML],
        stem="id/" + stem,
        amap=amap,
        art=art,
        cite_formats=cite.FORMATS,
    )
    response = Response(html, mimetype="text/html")
    response.headers["Link"] = links
    return response


def _article_slug(iri: str) -> str | None:
    """The slug of the graph in which `iri` is stated to be a pil:Article, if any."""
    for quad in store().quads_for_pattern(ox.NamedNode(iri), RDF_TYPE, article.ARTICLE, None):
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and graph.value.startswith(GRAPH):
            # An article typed by a subclass of pil:Article is a pil:Article in the entailed
            # graph/entailed/<slug>: the slug is still that of its own graph.
            return asserted_graph(graph.value).removeprefix(GRAPH)
    return None


def _highlight_range() -> tuple[int, int] | None:
    """?start=&end= on an article text's page marks that span (links from quotes use it)."""
    try:
        start, end = int(request.args["start"]), int(request.args["end"])
    except (KeyError, ValueError):
        return None
    return (start, end) if 0 <= start < end else None


INDEX_LIMIT = 5000  # IRIs listed on one folder page (an article has about 2,000)
MAX_GROUPS = 25


def _index(folder: str) -> Response:
    """A folder of IRIs, e.g. /id/actor/: everything under it, grouped by the name's first word."""
    link = linker()
    under = iris_under(folder, INDEX_LIMIT)
    if not under:
        return not_found(folder)
    groups: dict[str, list[Value]] = {}
    for iri in under:
        rest = iri[len(folder) :]
        if "/" in rest.rstrip("/"):  # deeper folders: list the folder, not its contents
            sub_folder = folder + rest.split("/", 1)[0] + "/"
            groups.setdefault("folders", [])
            if all(v.iri != sub_folder for v in groups["folders"]):
                name = rest.split("/", 1)[0] + "/"
                groups["folders"].append(Value(text=name, href=link(sub_folder), iri=sub_folder))
            continue
        kind = rest.split("-", 1)[0] if "-" in rest else "other"
        groups.setdefault(kind, []).append(value_of(store(), ox.NamedNode(iri), link))
    if len(groups) > MAX_GROUPS:
        # Article folders name things <kind>-<topic> (claim-, ev-, threat-): worth grouping.
        # Shared folders name things by their usual name (actor:iran): one list.
        merged = [v for k, vs in groups.items() if k != "folders" for v in vs]
        groups = {k: v for k, v in groups.items() if k == "folders"} | {"all": merged}
    for values in groups.values():
        values.sort(key=lambda v: v.text.casefold())
    html = render_template(
        "index.html",
        folder=folder,
        groups=sorted(groups.items()),
        total=len(under),
        limited=len(under) >= INDEX_LIMIT,
    )
    return Response(html, mimetype="text/html")

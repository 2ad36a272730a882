"""Linked Data pages: home, resources, ontology docs, graphs, argument maps, citations (/cite/),
dumps, query UI.

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
from typing import Any

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from markupsafe import Markup

from pillars import cite
from pillars.corpus import default_root
from pillars.entailment import asserted_graph, is_entailed_graph
from pillars.export import write_rdf
from pillars.namespaces import BASE, GRAPH, ID, ONTOLOGY, ONTOLOGY_GRAPH, PIL, SHAPES_GRAPH
from pillars.prefixes import compact
from pillars.server import pages_argmap, pages_article, pages_ontology, pages_query, pages_text
from pillars.server.pages_describe import (
    Value,
    describe,
    description_triples,
    exists,
    label_of,
    local_name,
    named_node,
    value_of,
)
from pillars.server.pages_rdf import BY_EXT, FORMATS, HTML, Format, negotiate, serialize
from pillars.server.pages_rdf import split_extension as split_ext
from pillars.server.state import state
from pillars.store_interface import ReadStore, select

log = logging.getLogger(__name__)
bp = Blueprint(
    "pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/assets",
)
PAGE_MAX_AGE = 300  # data changes only when the corpus is reloaded
ASSET_MAX_AGE = 86_400  # asset URLs carry a content hash, so a day is safe
DUMP_FORMATS = {  # file extension: `pillars export` format, media type
    "trig": ("trig", "application/trig"),
    "nq": ("nquads", "application/n-quads"),
}
SPECIAL_GRAPHS = {ONTOLOGY_GRAPH, SHAPES_GRAPH, GRAPH + "shared"}
ARTICLE = ox.NamedNode(PIL + "Article")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


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


def _not_acceptable() -> Response:
    offered = ", ".join(f.media_type for f in FORMATS)
    return Response(
        f"406 Not Acceptable: this resource is offered as {offered}\n", 406, mimetype="text/plain"
    )


def _rdf_response(triples: list[ox.Triple], fmt: Format, alternates: str) -> Response:
    media = fmt.media_type + ("; charset=utf-8" if fmt.media_type.startswith("text/") else "")
    response = Response(serialize(triples, fmt), mimetype=None, content_type=media)
    response.headers["Link"] = alternates
    return response


def _alternates(stem_path: str) -> str:
    """Link header naming every format of a document (stem_path has no extension)."""
    return ", ".join(
        f'<{request.script_root}/{stem_path}.{f.ext}>; rel="alternate"; type="{f.media_type}"'
        for f in FORMATS
    )


# ---------------------------------------------------------------- resources under /id/


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
        return _not_found(ID + stem if fmt is not None else iri)
    fmt = negotiate(request.accept_mimetypes)
    if fmt is None:
        return _not_acceptable()
    query = ("?" + request.query_string.decode("latin-1")) if request.query_string else ""
    response = redirect(f"{request.script_root}/id/{path}.{fmt.ext}{query}", 303)
    response.vary.add("Accept")
    return response  # type: ignore[return-value]


def _resource_document(iri: str, stem: str, fmt: Format) -> Response:
    link = linker()
    alternates = _alternates("id/" + stem)
    if fmt is not HTML:
        return _rdf_response(description_triples(store(), iri), fmt, alternates)
    description = describe(store(), iri, link)
    amap = art = None
    slug = _article_slug(iri)
    if slug is not None:
        art = pages_article.view(store(), ox.NamedNode(iri), slug, link)
        built = pages_argmap.build(store(), slug)
        amap = (Markup(pages_argmap.svg(built, link)), built)
    anchored = None
    if description.text is not None:
        node = ox.NamedNode(iri)
        quoted = pages_text.spans(store(), node, description.text)
        lines = pages_text.headings(store(), node, description.text)
        anchored = pages_text.anchor(description.text, quoted, link, _highlight_range(), lines)
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
    response.headers["Link"] = alternates
    return response


def _article_slug(iri: str) -> str | None:
    """The slug of the graph in which `iri` is stated to be a pil:Article, if any."""
    for quad in store().quads_for_pattern(ox.NamedNode(iri), RDF_TYPE, ARTICLE, None):
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


def _not_found(iri: str) -> Response:
    link = linker()
    if negotiate(request.accept_mimetypes) not in (HTML, None):
        return Response(
            f"404 Not Found: no resource {iri} in this dataset\n", 404, mimetype="text/plain"
        )
    parent = iri.rsplit("/", 1)[0] + "/"
    # Suggestions look at every sibling (up to a bound): with the default 500, names late in
    # the alphabet (an article's ev-threat-...) were never suggested.
    siblings = _iris_under(parent, limit=5000)
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


INDEX_LIMIT = 5000  # IRIs listed on one folder page (an article has about 2,000)
MAX_GROUPS = 25


def _index(folder: str) -> Response:
    """A folder of IRIs, e.g. /id/actor/: everything under it, grouped by the name's first word."""
    link = linker()
    under = _iris_under(folder, INDEX_LIMIT)
    if not under:
        return _not_found(folder)
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


def _iris_under(prefix: str, limit: int = 500) -> list[str]:
    # From the search index's ordered list of subjects (pillars/search_index.py), kept beside an
    # on-disk store: Oxigraph has no prefix index over IRIs, and a list held here would cost
    # a scan of every triple and ~100 MiB per 1,000 articles in each web worker.
    return state().search().iris_under(prefix, limit)


# ---------------------------------------------------------------- the ontology


DIAGRAM = default_root() / "docs" / "ontology.svg"


@bp.get("/ontology")
@bp.get("/ontology.<ext>")
@bp.get("/ontology/<version>")
def ontology(ext: str | None = None, version: str | None = None) -> Response:
    if version is not None and not _is_version(version):
        return _not_found(f"{ONTOLOGY}/{version}")
    triples = _graph_triples(ONTOLOGY_GRAPH)
    if ext is not None:
        fmt = BY_EXT.get(ext)
        if fmt is None:
            return _not_found(f"{ONTOLOGY}.{ext}")
    else:
        fmt = negotiate(request.accept_mimetypes)
        if fmt is None:
            return _not_acceptable()
    if fmt is HTML:
        response = Response(_ontology_html(triples), mimetype="text/html")
    else:
        response = _rdf_response(triples, fmt, _alternates("ontology"))
    if ext is None:
        response.vary.add("Accept")
        response.headers["Content-Location"] = f"{request.script_root}/ontology.{fmt.ext}"
    return response


def _is_version(version: str) -> bool:
    version_iri = ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI")
    asked = named_node(f"{ONTOLOGY}/{version}")
    return asked is not None and any(
        q.object == asked
        for q in store().quads_for_pattern(ox.NamedNode(ONTOLOGY), version_iri, None, None)
    )


def _graph_triples(graph: str) -> list[ox.Triple]:
    quads = store().quads_for_pattern(None, None, None, ox.NamedNode(graph))
    return [ox.Triple(q.subject, q.predicate, q.object) for q in quads]


def _ontology_html(triples: list[ox.Triple]) -> str:
    page = pages_ontology.read(triples)
    diagram = url_for("pages.ontology_diagram") if DIAGRAM.is_file() else None
    return render_template("ontology.html", o=page, diagram=diagram, pil=PIL, compact=compact)


@bp.get("/ontology/diagram.svg")
def ontology_diagram() -> Response:
    """docs/ontology.svg, the diagram `pillars diagram` draws (not shipped: 404 without it)."""
    if not DIAGRAM.is_file():
        return _not_found(f"{ONTOLOGY}/diagram.svg")
    return send_file(DIAGRAM, mimetype="image/svg+xml", conditional=True, max_age=PAGE_MAX_AGE)


# ---------------------------------------------------------------- named graphs and dumps


def _has_graph(iri: str) -> bool:
    node = named_node(iri)
    return node is not None and store().contains_named_graph(node)


def _named_graphs() -> list[str]:
    return sorted(g.value for g in store().named_graphs() if isinstance(g, ox.NamedNode))


def _article_slugs() -> list[str]:
    return [
        g[len(GRAPH) :]
        for g in _named_graphs()
        if g.startswith(GRAPH) and g not in SPECIAL_GRAPHS and not is_entailed_graph(g)
    ]


@bp.get("/graph/<path:name>")
def graph(name: str) -> Response:
    stem, fmt = split_ext(name)
    iri = GRAPH + stem
    if not _has_graph(iri):
        return _not_found(iri)
    explicit = fmt is not None
    if fmt is None:
        fmt = negotiate(request.accept_mimetypes)
        if fmt is None:
            return _not_acceptable()
    if fmt is HTML:
        response = Response(
            render_template(
                "graph.html",
                g=_graph_summary(stem, frozenset(_article_slugs())),
                formats=[f for f in FORMATS if f is not HTML],
            ),
            mimetype="text/html",
        )
        response.headers["Link"] = _alternates("graph/" + stem)
    else:
        response = _rdf_response(_graph_triples(iri), fmt, _alternates("graph/" + stem))
    if not explicit:
        response.vary.add("Accept")
        response.headers["Content-Location"] = f"{request.script_root}/graph/{stem}.{fmt.ext}"
    return response


_COUNTED = (
    ("Claims", "Claim"),
    ("Pillars", "Pillar"),
    ("Pillar components", "PillarComponent"),
    ("Threats", "Threat"),
    ("Threat perceptions", "ThreatPerception"),
    ("Limits", "Limit"),
    ("Quantities", "Quantity"),
    ("Citations", "Citation"),
    ("Cited works", "Source"),
    ("Evidence quotes", "Evidence"),
    ("Actors", "Actor"),
    ("Events", "Event"),
)


HOME_PAGE_SIZE = 25  # articles per home page: each summary reads the article's whole graph


def _counted_classes() -> dict[str, frozenset[str]]:
    """Each class IRI, mapped to the counted classes it is (a subclass of): read once per app."""
    shared = state()
    if shared.counted_classes is None:
        query = (
            f"PREFIX pil: <{PIL}>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT ?t ?cls WHERE { ?t rdfs:subClassOf* ?cls VALUES ?cls { "
            + " ".join(f"pil:{c}" for _, c in _COUNTED)
            + " } }"
        )
        found: dict[str, set[str]] = {}
        for row in select(store(), query, union=True):
            found.setdefault(row["t"].value, set()).add(row["cls"].value[len(PIL) :])
        shared.counted_classes = {t: frozenset(classes) for t, classes in found.items()}
    return shared.counted_classes


def _graph_counts(g: ox.NamedNode) -> tuple[int, dict[str, int]]:
    """The graph's triples, and how many things of each counted class it holds: those typed
    in it, and shared things (actors, events) it mentions, typed wherever they are.

    One pass over the graph and one query for the types of the IRIs it mentions: a SPARQL
    join through rdfs:subClassOf* took 0.7 s per article of a 1,000-article store.
    """
    types: dict[object, set[str]] = {}  # thing -> its class IRIs
    mentioned: set[ox.NamedNode] = set()
    size = 0
    for quad in store().quads_for_pattern(None, None, None, g):
        size += 1
        if quad.predicate == RDF_TYPE and isinstance(quad.object, ox.NamedNode):
            types.setdefault(quad.subject, set()).add(quad.object.value)
        if isinstance(quad.object, ox.NamedNode):
            mentioned.add(quad.object)
    if mentioned:  # one query, not a lookup per IRI: a remote store answers it in one request
        values = " ".join(str(thing) for thing in mentioned)
        query = (
            f"SELECT DISTINCT ?x ?t WHERE {{ VALUES ?x {{ {values} }} ?x a ?t FILTER(isIRI(?t)) }}"
        )
        for row in select(store(), query, union=True):
            types.setdefault(row["x"], set()).add(row["t"].value)
    counted = _counted_classes()
    counts: dict[str, int] = {}
    for found in types.values():
        classes: set[str] = set()
        for t in found:
            classes |= counted.get(t, frozenset())
        for cls in classes:  # a thing counts once per class, whatever types lead there
            counts[cls] = counts.get(cls, 0) + 1
    return size, counts


def _graph_summary(slug: str, article_slugs: frozenset[str]) -> dict[str, Any]:
    link = linker()
    iri = GRAPH + slug
    g = ox.NamedNode(iri)
    # Counted once per app and graph: the served store does not change.
    memo = state().graph_counts
    if iri not in memo:
        memo[iri] = _graph_counts(g)
    size, counts = memo[iri]
    article = next((q.subject for q in store().quads_for_pattern(None, RDF_TYPE, ARTICLE, g)), None)
    byline = (
        pages_article.byline(store(), article, slug, link)
        if isinstance(article, ox.NamedNode)
        else {}
    )
    return {
        **byline,
        "slug": slug,
        "iri": iri,
        "triples": size,
        "counts": [(label, counts.get(cls, 0)) for label, cls in _COUNTED if counts.get(cls)],
        "article": value_of(store(), article, link) if isinstance(article, ox.NamedNode) else None,
        "title": (label_of(store(), article) if isinstance(article, ox.NamedNode) else None)
        or slug,
        "is_article": slug in article_slugs,
    }


@bp.get("/dumps/")
def dumps_index() -> str:
    return render_template(
        "dumps.html", graphs=[g[len(GRAPH) :] for g in _named_graphs() if g.startswith(GRAPH)]
    )


@bp.get("/dumps/<path:name>")  # a path: entailed graphs are graph/entailed/<name>
def dump(name: str) -> Response:
    stem, _, ext = name.rpartition(".")
    if stem == "pillars" and ext in DUMP_FORMATS:
        (fmt, media), graphs = DUMP_FORMATS[ext], []
    elif ext == "ttl" and _has_graph(GRAPH + stem):
        fmt, media, graphs = "turtle", "text/turtle", [GRAPH + stem]
    else:
        return _not_found(f"{request.url_root}dumps/{name}")
    served = store()
    done = state().dumps().file(name, lambda out: write_rdf(served, fmt, graphs, not graphs, out))
    # From the file: Content-Length, an ETag of the content, 304 and Range requests.
    response = send_file(
        done.path, mimetype=media, etag=done.etag, conditional=True, max_age=PAGE_MAX_AGE
    )
    filename = name.replace("/", "-")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/map/<slug>.svg")
def argument_map(slug: str) -> Response:
    link = linker()
    if slug not in _article_slugs():
        return _not_found(f"{request.url_root}map/{slug}.svg")
    built = pages_argmap.build(store(), slug)
    if not built.nodes:  # a new article: an image that says so, not an empty (invalid) body
        return Response(_EMPTY_MAP, mimetype="image/svg+xml")
    css = (Path(bp.static_folder or "") / "argmap.css").read_text(encoding="utf-8")
    svg = pages_argmap.svg(built, link).replace("</title>", f"</title><style>{css}</style>", 1)
    return Response(svg, mimetype="image/svg+xml")


@bp.get("/cite/<slug>.bib", defaults={"ext": "bib"})
@bp.get("/cite/<slug>.ris", defaults={"ext": "ris"})
@bp.get("/cite/<slug>.csl.json", defaults={"ext": "csl.json"})
def citation(slug: str, ext: str) -> Response:
    """The article of graph/<slug> as BibTeX, RIS or CSL-JSON, to download (pillars/cite.py)."""
    article = pages_article.article_of(store(), slug)
    if article is None:
        return _not_found(f"{request.url_root}cite/{slug}.{ext}")
    media = next(m for e, _, m in cite.FORMATS if e == ext)
    body = cite.WRITERS[ext](cite.read(store(), article, slug))
    charset = "" if ext == "csl.json" else "; charset=utf-8"  # JSON is UTF-8 by definition
    response = Response(body, content_type=media + charset)
    response.headers["Content-Disposition"] = f'attachment; filename="{slug}.{ext}"'
    return response


_EMPTY_MAP = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="520" height="40" role="img">'
    "<title>No argument map yet</title>"
    '<text x="8" y="25" font-family="sans-serif" font-size="14">'
    "No argument map yet: the article states no thesis, pillars or limits.</text></svg>"
)


# ---------------------------------------------------------------- home and query UI


@bp.get("/")
def home() -> Response | str:
    slugs = _article_slugs()
    pages = max(1, -(-len(slugs) // HOME_PAGE_SIZE))
    asked = request.args.get("page") or "1"
    if not (asked.isascii() and asked.isdigit() and 1 <= int(asked) <= pages):
        message = f"parameter page: expected a whole number from 1 to {pages}, got {asked[:40]!r}"
        return Response(message + "\n", 400, content_type="text/plain; charset=utf-8")
    page = int(asked)
    shown = slugs[(page - 1) * HOME_PAGE_SIZE : page * HOME_PAGE_SIZE]
    every = frozenset(slugs)
    articles = [_graph_summary(slug, every) for slug in shown]
    examples = pages_query.load_examples(_queries_dir())
    return render_template(
        "home.html",
        articles=articles,
        total=len(slugs),
        first=(page - 1) * HOME_PAGE_SIZE + 1,
        page=page,
        pages=pages,
        examples=examples,
        void=_void_url(),
    )


def _void_url() -> str | None:
    # The VoID description belongs to the SPARQL area; link it when that route exists.
    for rule in current_app.url_map.iter_rules():
        if "void" in rule.rule.lower() and "<" not in rule.rule:
            return f"{request.script_root}{rule.rule}"
    return None


def _queries_dir() -> Path:
    configured = current_app.config.get("PILLARS_QUERIES_DIR")
    return Path(configured) if configured else default_root() / "queries"


@bp.route("/query", methods=["GET", "POST"])
def query_page() -> Response:
    examples = pages_query.load_examples(_queries_dir())
    asked = request.values.get("example")
    chosen = next((e for e in examples if e.name == asked), None)
    missing = asked if asked and chosen is None else None  # an old or mistyped link
    text = request.values.get("query") or (chosen.query if chosen else None)
    button = request.values.get("format")
    if text is not None and button:
        try:
            response, ext = pages_query.download(text, button)
        except pages_query.QueryError as err:
            return Response(f"{err.status} {err}\n", err.status, mimetype="text/plain")
        response.headers["Content-Disposition"] = f'attachment; filename="results.{ext}"'
        return response
    outcome, error, status = None, None, 404 if missing else 200
    if text is not None:
        try:
            outcome = pages_query.run(text)
        except pages_query.QueryError as err:
            error, status = str(err), err.status
    html = render_template(
        "query.html",
        query=text if text is not None else pages_query.default_query(),
        examples=examples,
        chosen=chosen,
        outcome=outcome,
        cells=_cells(outcome, TABLE_ROWS) if outcome else [],
        error=error,
        ran=text is not None,
        permalink=_permalink(text, chosen),
        missing=missing,
        articles=len(_article_slugs()),
    )
    return Response(html, status, mimetype="text/html")


PERMALINK_CHARS = 8_000  # gunicorn refuses request lines over 8,190 bytes


def _permalink(text: str | None, chosen: pages_query.Example | None) -> str | None:
    """A GET link that reruns this query, when it fits in a URL."""
    if text is None:
        return None
    if chosen is not None and text == chosen.query:
        return url_for("pages.query_page", example=chosen.name)
    link = url_for("pages.query_page", query=text)
    return link if len(link) <= PERMALINK_CHARS else None


TABLE_ROWS = 1_000  # rows rendered in the page; a browser table of 10,000 rows is no use


def _cells(outcome: pages_query.Outcome, limit: int) -> list[list[Value | None]]:
    link = linker()
    labels: dict[ox.NamedNode, Value] = {}

    def cell(term: Any) -> Value | None:
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            if term not in labels:
                labels[term] = value_of(store(), term, link)
            return labels[term]
        if isinstance(term, (ox.Literal, ox.BlankNode)):
            return value_of(store(), term, link)
        return Value(text=str(term))

    return [[cell(t) for t in row] for row in outcome.rows[:limit]]

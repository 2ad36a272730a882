"""What the API answers about an article: the JSON the page draws from."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from pillars.check import Finding
from pillars.namespaces import PIL
from pillars.studio import turtle, vocab
from pillars.studio.article import DRAFT, OWNED_FILES, Article
from pillars.studio.turtle import EVIDENCE, HAS_EVIDENCE, RDF_TYPE, RDFS_LABEL, val
from pillars.studio.workspace import Shared, Workspace

_NOT_SHOWN = {RDF_TYPE, RDFS_LABEL, HAS_EVIDENCE, DRAFT}
_HIDDEN_TYPES = {EVIDENCE, PIL + "ArticleText"}


def article_json(ws: Workspace, article: Article, findings: list[Finding]) -> dict[str, object]:
    names = turtle.Names(article.namespace)
    shared = ws.shared()
    return {
        "slug": article.slug,
        "title": title(article),
        "text": article.text,
        "sections": [
            {**s, "iri": s["iri"], "name": _name(names, str(s["iri"]))} for s in article.sections()
        ],
        "resources": resources(ws, article, shared, names),
        "coverage": article.coverage(),
        "findings": findings_json(ws, article, findings),
    }


def title(article: Article) -> str:
    for t in article.triples():
        if t.predicate.value == "http://purl.org/dc/terms/title" and isinstance(
            t.object, ox.Literal
        ):
            return val(t.object)
    return article.slug


def _name(names: turtle.Names, iri: str) -> str:
    return names.iri(iri).removeprefix("<").removesuffix(">")


def resources(
    ws: Workspace, article: Article, shared: Shared, names: turtle.Names
) -> list[dict[str, object]]:
    types = article.types()
    labels = article.labels()
    drafts = article.drafts()
    evidence = article.evidence()
    links: dict[str, dict[str, list[str]]] = {}
    values: dict[str, dict[str, list[str]]] = {}
    anchors: dict[str, list[str]] = {}
    for t in article.triples():
        s, p = val(t.subject), t.predicate.value
        if p == HAS_EVIDENCE:
            anchors.setdefault(s, []).append(val(t.object))
        elif p in _NOT_SHOWN:
            continue
        elif isinstance(t.object, ox.NamedNode):
            links.setdefault(s, {}).setdefault(_name(names, p), []).append(
                _name(names, val(t.object))
            )
        elif isinstance(t.object, ox.Literal):
            values.setdefault(s, {}).setdefault(_name(names, p), []).append(val(t.object))
    subjects = {s for s, ts in types.items() if not ts & _HIDDEN_TYPES}
    subjects |= {s for s in anchors if s not in types and s in shared.types}
    out = []
    for iri in sorted(subjects, key=lambda x: _name(names, x)):
        all_types = types.get(iri) or shared.types.get(iri, set())
        owner = article.owner(iri) or ("shared" if iri in shared.types else None)
        files = article.defined_in(iri)
        file = files[0] if files else None
        out.append({
            "iri": iri,
            "name": _name(names, iri),
            "types": sorted(_name(names, x) for x in all_types),
            "kind": kind(ws, all_types),
            "label": labels.get(iri) or shared.labels.get(iri) or "",
            "evidence": [
                {"iri": ev, "name": _name(names, ev), "start": evidence[ev].start,
                 "end": evidence[ev].end, "exact": evidence[ev].exact, "draft": ev in drafts,
                 "file": evidence[ev].file}
                for ev in sorted(
                    (e for e in set(anchors.get(iri, [])) if e in evidence),
                    key=lambda e: evidence[e].start,
                )
            ],
            "draft": iri in drafts,
            "owner": owner,
            "file": f"instances/{article.slug}/{file}" if file else shared.files.get(iri),
            "line": article.locate(iri, file) if file else None,
            "links": links.get(iri, {}),
            "values": values.get(iri, {}),
        })  # fmt: skip
    return out


# Highlight colours by the family a type belongs to (the page's legend), most specific first.
FAMILIES = [
    ("citation", PIL + "Citation"),
    ("quantity", PIL + "Quantity"),
    ("threat", PIL + "Threat"),
    ("perception", PIL + "ThreatPerception"),
    ("limit", PIL + "Limit"),
    ("claim", PIL + "Claim"),
    ("section", PIL + "Section"),
    ("actor", PIL + "Actor"),
    ("event", PIL + "Event"),
    ("place", PIL + "Place"),
    ("source", PIL + "Source"),
    ("element", PIL + "ArticleElement"),
]


def kind(ws: Workspace, types: set[str]) -> str:
    for family, cls in FAMILIES:
        if ws.vocabulary.is_a(types, cls):
            return family
    return "other"


def findings_json(
    ws: Workspace, article: Article, findings: list[Finding]
) -> list[dict[str, object]]:
    names = turtle.Names(article.namespace)
    out = []
    for f in findings:
        item = f.as_dict()
        if f.file:
            item["file"] = _rel(ws, Path(f.file))
        if f.resource:
            item["name"] = _name(names, f.resource)
        out.append(item)
    return out


def _rel(ws: Workspace, path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ws.root))
    except ValueError:
        return str(path)


def vocabulary_json(ws: Workspace) -> dict[str, object]:
    v = ws.vocabulary
    return {
        "classes": [
            {
                "iri": c.iri,
                "name": vocab.compact(c.iri),
                "label": c.label,
                "definition": c.definition,
                "supers": sorted(vocab.compact(s) for s in c.supers),
                "label_required": c.label_required,
                "label_help": c.label_help,
                "fields": [f.as_dict() for f in v.fields(c.iri)],
            }
            for c in v.creatable()
        ],
        "all_classes": {
            vocab.compact(c.iri): sorted(vocab.compact(s) for s in c.supers)
            for c in v.classes.values()
        },
    }


def search(
    ws: Workspace, article: Article, query: str, cls: str | None, limit: int = 30
) -> list[dict[str, object]]:
    """Resources of the article and of the shared vocabulary whose label holds every word."""
    names = turtle.Names(article.namespace)
    shared = ws.shared()
    labels: dict[str, list[str]] = {}
    for iri, label in shared.labels.items():
        labels.setdefault(iri, []).append(label)
    for iri, alts in shared.alt_labels.items():
        labels.setdefault(iri, []).extend(alts)
    for iri, label in article.labels().items():
        labels.setdefault(iri, []).append(label)
    types = {k: set(v) for k, v in shared.types.items()}
    for iri, ts in article.types().items():
        types.setdefault(iri, set()).update(ts)
    words = query.lower().split()
    found = []
    for iri, ts in types.items():
        if ts & _HIDDEN_TYPES or (cls and not ws.vocabulary.is_a(ts, cls)):
            continue
        text = " ".join(labels.get(iri, [])) + " " + _name(names, iri)
        if all(w in text.lower() for w in words):
            found.append({
                "iri": iri, "name": _name(names, iri), "label": (labels.get(iri) or [""])[0],
                "types": sorted(_name(names, t) for t in ts), "kind": kind(ws, ts),
                "shared": iri in shared.types,
            })  # fmt: skip
    found.sort(
        key=lambda r: (
            not str(r["label"]).lower().startswith(query.lower()),
            str(r["label"]).lower(),
        )
    )
    return found[:limit]


def owned_file_text(article: Article, name: str) -> str | None:
    """The text of one Turtle file of the folder ("" for a studio file not written yet)."""
    path = article.folder / name
    if path.is_file():
        return path.read_text(encoding="utf-8")
    return "" if name in OWNED_FILES else None

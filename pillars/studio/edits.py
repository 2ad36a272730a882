"""What the studio writes: resources, evidence, accepted and rejected drafts, undo.

Every operation computes the new content of the two files the studio owns (studio.ttl and
draft.ttl) as sets of triples, then `commit` turns them into deterministic Turtle, reads the
Turtle back, re-checks every anchor against the text, and only then replaces the files
atomically. A request that is wrong raises `Refused` (with the HTTP status, the reason and,
for a hand-written resource, the file and line) before anything is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from pillars.anchor import CONTEXT_CHARS
from pillars.draft.seal import seal
from pillars.files import write_text_atomically
from pillars.namespaces import ID, OA, PIL
from pillars.studio import naming, turtle, vocab
from pillars.studio.article import (
    DRAFT,
    DRAFT_FILE,
    STUDIO_FILE,
    Article,
    NotFound,
    remember,
)
from pillars.studio.turtle import EVIDENCE, HAS_EVIDENCE, RDF_TYPE, RDFS_LABEL, val
from pillars.studio.workspace import FileState, Workspace

XSD = "http://www.w3.org/2001/XMLSchema#"
STUDIO_HEADER = (
    "Written by `pillars studio`: statements an editor made in the browser.\n"
    "The studio rewrites this file whole at every save (stable order, so a save is a small\n"
    "diff); edit it by hand only while the studio is not running."
)
DRAFT_HEADER = (
    "Drafted by `pillars draft`, rewritten by `pillars studio` as drafts are accepted or\n"
    "rejected. Every drafted statement carries pil:draft true until an editor accepts it."
)
_LOCAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_SHARED_NS = {"actor", "place", "event"}


class Refused(Exception):
    """A request the studio will not carry out; nothing was written."""

    def __init__(self, status: int, message: str, **extra: object) -> None:
        super().__init__(message)
        self.status = status
        self.extra = extra


@dataclass
class Request:
    """A validated resource body: class, label, anchors, links and values, as full IRIs."""

    cls: str
    label: str | None
    evidence: list[tuple[int, int]] | None
    links: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, list[tuple[str, str | None, str | None]]] = field(default_factory=dict)
    iri: str | None = None


@dataclass
class Outcome:
    iri: str
    file: str
    turtle: str  # the blocks the save wrote (the resources it touched), as in the file
    touched: set[str]
    retyped: set[str] = field(default_factory=set)  # subjects whose rdf:type changed or went


def _literal(text: str, datatype: str | None = None, language: str | None = None) -> ox.Literal:
    if language:
        return ox.Literal(text, language=language)
    return ox.Literal(text, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(text)


def _t(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Triple:
    return ox.Triple(ox.NamedNode(s), ox.NamedNode(p), o)


class Editor:
    """The write operations of one workspace (each runs under the workspace lock)."""

    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    # ---------------------------------------------------------------- reading requests

    def parse(self, article: Article, body: object, known: dict[str, set[str]]) -> Request:
        if not isinstance(body, dict):
            raise Refused(400, "the body must be a JSON object")
        unknown = set(body) - {"type", "label", "evidence", "links", "values", "iri"}
        if unknown:
            raise Refused(400, f"unknown key(s) in the body: {', '.join(sorted(unknown))}")
        cls = self._class(article, body.get("type"))
        label = body.get("label")
        if label is not None and (not isinstance(label, str) or not label.strip()):
            raise Refused(400, "label: a non-empty string, or leave it out")
        evidence = None
        if "evidence" in body:
            items = body["evidence"]
            if not isinstance(items, list):
                raise Refused(400, 'evidence: a list of {"start", "end"} objects')
            evidence = [anchor_span(article.text, item) for item in items]
        request = Request(cls, label.strip() if isinstance(label, str) else None, evidence)
        request.links = self._links(article, cls, body.get("links") or {}, known)
        request.values = self._values(cls, body.get("values") or {})
        if body.get("iri") is not None:
            request.iri = self._chosen_iri(article, body["iri"])
        return request

    def _class(self, article: Article, name: object) -> str:
        if not isinstance(name, str):
            raise Refused(400, 'type: the class of the resource, e.g. "pil:Claim"')
        try:
            cls = vocab.expand(name, article.namespace)
        except vocab.VocabularyError as err:
            raise Refused(400, f"type: {err}") from err
        creatable = {c.iri for c in self.ws.vocabulary.creatable()}
        if cls not in creatable:
            why = (
                "cannot be created in the studio"
                if cls in self.ws.vocabulary.classes
                else ("is not a class of the ontology")
            )
            raise Refused(400, f"unknown class {name}: it {why}")
        return cls

    def _links(
        self, article: Article, cls: str, links: object, known: dict[str, set[str]]
    ) -> dict[str, list[str]]:
        if not isinstance(links, dict):
            raise Refused(400, "links: an object of property -> list of resources")
        out: dict[str, list[str]] = {}
        for prop_name, targets in links.items():
            f = self._field(article, cls, prop_name)
            if f.kind != "link":
                raise Refused(400, f'{prop_name} takes a value, not a link: give it under "values"')
            targets = [targets] if isinstance(targets, str) else targets
            if not isinstance(targets, list) or not all(isinstance(x, str) for x in targets):
                raise Refused(400, f"links {prop_name}: a list of resource names")
            out[f.path] = [self._target(article, cls, f, x, known) for x in targets]
        return out

    def _target(
        self, article: Article, cls: str, f: vocab.Field, name: str, known: dict[str, set[str]]
    ) -> str:
        try:
            iri = vocab.expand(name, article.namespace)
        except vocab.VocabularyError as err:
            raise Refused(400, f"links {vocab.compact(f.path)}: {err}") from err
        types = known.get(iri)
        if not types:
            raise Refused(
                400,
                f"links {vocab.compact(f.path)}: {name} is not a resource of this article "
                "or of the shared vocabulary",
            )
        if f.classes and not any(self.ws.vocabulary.is_a(types, c) for c in f.classes):
            wanted = " or ".join(vocab.compact(c) for c in f.classes)
            has = ", ".join(sorted(vocab.compact(t) for t in types))
            raise Refused(
                400,
                f"{vocab.compact(f.path)} of a {vocab.compact(cls)} must point to a {wanted}; "
                f"{name} is a {has}",
            )
        return iri

    def _values(
        self, cls: str, values: object
    ) -> dict[str, list[tuple[str, str | None, str | None]]]:
        if not isinstance(values, dict):
            raise Refused(400, "values: an object of property -> value (or list of values)")
        out: dict[str, list[tuple[str, str | None, str | None]]] = {}
        for prop_name, given in values.items():
            f = self._field(None, cls, prop_name)
            if f.kind != "value":
                raise Refused(400, f'{prop_name} is a link to a resource: give it under "links"')
            items = given if isinstance(given, list) else [given]
            try:
                out[f.path] = [vocab.check_value(f, item) for item in items]
            except vocab.VocabularyError as err:
                raise Refused(400, str(err)) from err
        return out

    def _field(self, article: Article | None, cls: str, name: object) -> vocab.Field:
        if not isinstance(name, str):
            raise Refused(400, "a property name must be a string")
        try:
            path = vocab.expand(name, article.namespace if article else ID)
            return self.ws.vocabulary.field(cls, path)
        except vocab.VocabularyError as err:
            raise Refused(400, str(err)) from err

    def _chosen_iri(self, article: Article, name: object) -> str:
        if not isinstance(name, str):
            raise Refused(400, "iri: a prefixed name such as art:claim-trade or a full IRI")
        try:
            iri = vocab.expand(name, article.namespace)
        except vocab.VocabularyError as err:
            raise Refused(400, f"iri: {err}") from err
        allowed = [article.namespace] + [f"{ID}{kind}/" for kind in _SHARED_NS]
        space = next((ns for ns in allowed if iri.startswith(ns)), None)
        if space is None or not _LOCAL.fullmatch(iri[len(space) :]):
            raise Refused(
                400,
                f"iri: {name} must be art:<name>, actor:<name>, place:<name> or event:<name>, "
                "the name made of letters, digits and hyphens",
            )
        return iri

    # ---------------------------------------------------------------- operations

    def create(self, article: Article, body: object) -> Outcome:
        known = self.known(article)
        request = self.parse(article, body, known)
        taken = self.taken(article)
        iri = request.iri or self.mint(article, request, taken)
        if iri in taken:
            where = self.where(article, iri)
            raise Refused(
                400, f"{self.name(article, iri)} already exists{where}: choose another IRI"
            )
        studio = set(article.triples(STUDIO_FILE))
        added = self.resource_triples(article, iri, request, taken)
        studio |= added
        return self.commit(article, studio, None, {iri, *_objects(added)}, iri, STUDIO_FILE)

    def proposed_iri(self, article: Article, body: object) -> str:
        """The IRI a create with this body would mint now (the form shows it, editable)."""
        known = self.known(article)
        request = self.parse(article, body, known)
        return request.iri or self.mint(article, request, self.taken(article))

    def replace(self, article: Article, name: str, body: object) -> Outcome:
        iri = self.owned(article, name)
        known = self.known(article)
        request = self.parse(article, body, known)
        if request.iri is not None and request.iri != iri:
            raise Refused(
                400, "iri: an IRI cannot change after the first save; delete and create anew"
            )
        studio = set(article.triples(STUDIO_FILE))
        old = {t for t in studio if val(t.subject) == iri}
        dropped_evidence: set[str] = set()
        if request.evidence is None:
            keep = {t for t in old if t.predicate.value == HAS_EVIDENCE}
        else:
            keep = set()
            dropped_evidence = {val(t.object) for t in old if t.predicate.value == HAS_EVIDENCE}
        studio -= old
        studio = _drop_unreferenced(studio, dropped_evidence)
        taken = self.taken(article) - {val(t.subject) for t in old} - dropped_evidence
        added = self.resource_triples(article, iri, request, taken) | keep
        studio |= added
        touched = {iri, *_objects(old), *_objects(added), *dropped_evidence}
        return self.commit(article, studio, None, touched, iri, STUDIO_FILE)

    def delete(self, article: Article, name: str) -> Outcome:
        iri = self.owned(article, name)
        studio = set(article.triples(STUDIO_FILE))
        old = {t for t in studio if val(t.subject) == iri}
        pointing = {t for t in studio if t.object == ox.NamedNode(iri)}
        evidence = {val(t.object) for t in old if t.predicate.value == HAS_EVIDENCE}
        studio = _drop_unreferenced(studio - old - pointing, evidence)
        touched = {iri, *_objects(old), *(val(t.subject) for t in pointing), *evidence}
        return self.commit(article, studio, None, touched, iri, STUDIO_FILE)

    def add_evidence(self, article: Article, name: str, body: object) -> Outcome:
        iri = self.iri_of(article, name)
        known = self.known(article)
        if iri not in known:
            raise NotFound(f"no resource {name} in this article or the shared vocabulary")
        if article.owner(iri) == "draft":
            raise Refused(
                409, f"{self.name(article, iri)} is a draft: accept it first, then add evidence"
            )
        if not isinstance(body, dict) or set(body) - {"start", "end", "exact"}:
            raise Refused(400, 'the body must be {"start": …, "end": …} (and optionally "exact")')
        span = anchor_span(article.text, body)
        studio = set(article.triples(STUDIO_FILE))
        ev, added = self.evidence_triples(article, iri, span, self.taken(article))
        studio |= added
        return self.commit(article, studio, None, {iri, ev}, ev, STUDIO_FILE)

    def add_link(self, article: Article, name: str, body: object) -> Outcome:
        """One more link from any resource (hand-written ones included), into studio.ttl."""
        iri = self._existing(article, name)
        if not isinstance(body, dict) or set(body) != {"property", "target"}:
            raise Refused(400, 'the body must be {"property": "pil:supports", "target": "art:…"}')
        known = self.known(article)
        types = known[iri]
        cls = next(iter(sorted(t for t in types if t in self.ws.vocabulary.classes)), None)
        if cls is None:
            raise Refused(400, f"{self.name(article, iri)} has no class of the ontology")
        f = self._link_field(article, types, body["property"])
        target = self._target(article, cls, f, str(body["target"]), known)
        studio = set(article.triples(STUDIO_FILE))
        triple = _t(iri, f.path, ox.NamedNode(target))
        if triple in set(article.triples()):
            raise Refused(400, f"{self.name(article, iri)} already has that link")
        studio.add(triple)
        return self.commit(article, studio, None, {iri, target}, iri, STUDIO_FILE)

    def _link_field(self, article: Article, types: set[str], name: object) -> vocab.Field:
        """The link field `name` of any of the resource's classes."""
        last: Refused | None = None
        for cls in sorted(t for t in types if t in self.ws.vocabulary.classes):
            try:
                f = self._field(article, cls, name)
            except Refused as err:
                last = err
                continue
            if f.kind == "link":
                return f
            last = Refused(400, f"{name} takes a value, not a link")
        raise last or Refused(400, f"{name}: the resource has no class of the ontology")

    def _existing(self, article: Article, name: str) -> str:
        iri = self.iri_of(article, name)
        if iri not in self.known(article):
            raise NotFound(f"no resource {name} in this article or the shared vocabulary")
        if article.owner(iri) == "draft":
            raise Refused(409, f"{self.name(article, iri)} is a draft: accept it first")
        return iri

    def drafts(self, article: Article, names: Iterable[str], accept: bool) -> Outcome:
        studio = set(article.triples(STUDIO_FILE))
        draft = set(article.triples(DRAFT_FILE))
        index = DraftIndex(draft)
        touched: set[str] = set()
        first = ""
        moved: set[ox.Triple] = set()
        for name in names:
            iri = self.iri_of(article, name)
            first = first or iri
            unit = index.unit(iri, self.name(article, iri)) - moved
            if accept:
                unit |= index.carried(unit) - moved
                studio |= {t for t in unit if t.predicate.value != DRAFT}
            moved |= unit
            touched |= {val(t.subject) for t in unit} | _objects(unit)
        if not first:
            raise Refused(400, "no draft named: give at least one")
        draft -= moved
        if not accept:
            draft = _drop_pointing(draft, {val(t.subject) for t in moved})
        file = STUDIO_FILE if accept else DRAFT_FILE
        return self.commit(article, studio, draft, touched, first, file)

    def undo(self, article: Article) -> Outcome:
        stack = self.ws.undo.get(article.slug) or []
        if not stack:
            raise Refused(
                409,
                "nothing to undo: the studio has written nothing to this article since it started",
            )
        states = stack[-1]
        for state in states:
            now = state.path.read_bytes() if state.path.exists() else None
            if now != state.after:
                raise Refused(
                    409,
                    f"{state.path.name} changed since the studio wrote it (edited by hand?): "
                    "undo would lose that change",
                    file=self.rel(state.path),
                )
        for state in states:
            if state.before is None:
                state.path.unlink(missing_ok=True)
            else:
                write_text_atomically(state.path, state.before.decode("utf-8"))
        stack.pop()
        touched = set()
        for state in states:
            for data in (state.before, state.after):
                if data:
                    touched |= {val(t.subject) for t in ox.parse(data, format=ox.RdfFormat.TURTLE)}
        return Outcome("", self.rel(states[0].path), "", touched)

    # ---------------------------------------------------------------- building triples

    def resource_triples(
        self, article: Article, iri: str, r: Request, taken: set[str]
    ) -> set[ox.Triple]:
        out = {_t(iri, RDF_TYPE, ox.NamedNode(r.cls))}
        if r.label:
            plain = r.cls in vocab.PLAIN_LABEL_CLASSES
            out.add(_t(iri, RDFS_LABEL, _literal(r.label, language=None if plain else "en")))
        for prop, targets in r.links.items():
            out |= {_t(iri, prop, ox.NamedNode(x)) for x in targets}
        for prop, values in r.values.items():
            out |= {_t(iri, prop, _literal(*v)) for v in values}
        taken = set(taken) | {iri}
        for span in r.evidence or []:
            ev, block = self.evidence_triples(article, iri, span, taken)
            taken.add(ev)
            out |= block
        return out

    def evidence_triples(
        self, article: Article, owner: str, span: tuple[int, int], taken: set[str]
    ) -> tuple[str, set[ox.Triple]]:
        start, end = span
        text = article.text
        ev = naming.evidence_name(owner, lambda x: x in taken, article.namespace)
        integer = XSD + "integer"
        out = {
            _t(ev, RDF_TYPE, ox.NamedNode(EVIDENCE)),
            _t(ev, OA + "exact", _literal(text[start:end])),
            _t(ev, OA + "prefix", _literal(text[max(0, start - CONTEXT_CHARS) : start])),
            _t(ev, OA + "suffix", _literal(text[end : end + CONTEXT_CHARS])),
            _t(ev, OA + "start", _literal(str(start), integer)),
            _t(ev, OA + "end", _literal(str(end), integer)),
            _t(ev, PIL + "inText", ox.NamedNode(article.text_iri)),
            _t(owner, HAS_EVIDENCE, ox.NamedNode(ev)),
        }
        section = article.section_at(start)
        if section:
            out.add(_t(ev, PIL + "inSection", ox.NamedNode(section)))
        return ev, out

    def mint(self, article: Article, r: Request, taken: set[str]) -> str:
        known_labels = article.labels()

        def label_of(iri: str) -> str:
            return known_labels.get(iri, naming.local_name(iri))

        values = {p: [v[0] for v in vs] for p, vs in r.values.items()}
        kind, name = naming.base_name(r.cls, r.label or "", values, r.links, label_of)
        namespace = naming.namespace_of(kind, article.namespace)
        counted = r.cls == PIL + "Citation" and f"{namespace}{name}-1" in taken
        if r.cls == PIL + "Citation" and namespace + name in taken:
            counted = True
        return naming.unique(namespace, name, lambda x: x in taken, counted)

    # ---------------------------------------------------------------- what exists

    def known(self, article: Article) -> dict[str, set[str]]:
        known = {k: set(v) for k, v in self.ws.shared().types.items()}
        for iri, types in article.types().items():
            known.setdefault(iri, set()).update(types)
        return known

    def taken(self, article: Article) -> set[str]:
        names: set[str] = set(self.ws.shared().types)
        for t in article.triples():
            names.add(val(t.subject))
            if isinstance(t.object, ox.NamedNode):
                names.add(val(t.object))
        return names

    def owned(self, article: Article, name: str) -> str:
        """The IRI of a resource the studio owns, or why it cannot be changed here."""
        iri = self.iri_of(article, name)
        owner = article.owner(iri)
        if owner == "studio":
            return iri
        if owner == "hand":
            file = next(f for f in article.defined_in(iri) if f not in (STUDIO_FILE, DRAFT_FILE))
            line = article.locate(iri, file)
            raise Refused(
                409,
                f"{self.name(article, iri)} is written by hand in {self.rel(article.folder / file)}"
                f"{f', line {line}' if line else ''}; the studio never rewrites hand-written files "
                "(edit it there)",
                file=self.rel(article.folder / file),
                line=line,
            )
        if owner == "draft":
            raise Refused(
                409,
                f"{self.name(article, iri)} is a draft: accept or reject it first",
                file=self.rel(article.folder / DRAFT_FILE),
                line=article.locate(iri, DRAFT_FILE),
            )
        shared = self.ws.shared()
        if iri in shared.files:
            raise Refused(
                409,
                f"{self.name(article, iri)} belongs to the shared vocabulary "
                f"({shared.files[iri]}); the studio does not rewrite it",
                file=shared.files[iri],
            )
        raise NotFound(f"no resource {name} in this article")

    def iri_of(self, article: Article, name: str) -> str:
        """A resource named in the URL: a local name of the article, or a prefixed name."""
        if ":" not in name:
            return article.namespace + name
        try:
            return vocab.expand(name, article.namespace)
        except vocab.VocabularyError as err:
            raise NotFound(f"no resource {name}: {err}") from err

    def where(self, article: Article, iri: str) -> str:
        files = article.defined_in(iri)
        if files:
            line = article.locate(iri, files[0])
            return f" (in {self.rel(article.folder / files[0])}{f', line {line}' if line else ''})"
        shared = self.ws.shared().files.get(iri)
        return f" (in {shared})" if shared else ""

    def name(self, article: Article, iri: str) -> str:
        return turtle.Names(article.namespace).iri(iri)

    def rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.ws.root))
        except ValueError:
            return str(path)

    # ---------------------------------------------------------------- writing

    def commit(
        self,
        article: Article,
        studio: set[ox.Triple],
        draft: set[ox.Triple] | None,
        touched: set[str],
        iri: str,
        file: str,
    ) -> Outcome:
        if article.errors:
            err = article.errors[0]
            raise Refused(409, f"the article does not parse, so nothing is saved: {err}",
                          file=self.rel(err.path), line=err.line)  # fmt: skip
        plans: list[tuple[Path, set[ox.Triple], str]] = []
        if studio != set(article.triples(STUDIO_FILE)):
            text = turtle.document(studio, article.namespace, STUDIO_HEADER)
            plans.append((article.folder / STUDIO_FILE, studio, text))
        if draft is not None and draft != set(article.triples(DRAFT_FILE)):
            text = seal(turtle.document(draft, article.namespace, DRAFT_HEADER))
            plans.append((article.folder / DRAFT_FILE, draft, text))
        if not plans:
            raise Refused(400, "the save changes nothing")
        for path, triples, text in plans:
            self._verify(article, path, triples, text)
        self._dangling(article, {p.name: t for p, t, _ in plans})
        states = []
        for path, triples, text in plans:
            before = path.read_bytes() if path.exists() else None
            write_text_atomically(path, text)
            states.append(FileState(path, before, text.encode("utf-8")))
            remember(path, list(triples))  # verified above: no need to parse it again
        self.ws.push_undo(article.slug, states)
        retyped = _retyped(article, {p.name: t for p, t, _ in plans})
        names = turtle.Names(article.namespace)
        shown = {iri} | touched
        written = [t for _p, triples, _ in plans for t in triples if val(t.subject) in shown]
        shown_turtle = "".join(b + "\n" for b in turtle.blocks(written, names))
        return Outcome(iri, self.rel(article.folder / file), shown_turtle, touched, retyped)

    def _verify(self, article: Article, path: Path, triples: set[ox.Triple], text: str) -> None:
        """Refuse Turtle that does not read back as the same triples, or breaks an anchor."""
        try:
            parsed = ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE)
            back = {ox.Triple(q.subject, q.predicate, q.object) for q in parsed}
        except SyntaxError as err:
            raise Refused(409, f"{path.name} would not parse: {err}; nothing was written") from err
        if back != triples:
            raise Refused(409, f"{path.name} would not read back as written; nothing was written")
        # Only a break the save brings is refused: a draft the drafter got wrong must stay
        # rejectable (the check reports it), and moving it to studio.ttl brings nothing new.
        owned = [t for n in (STUDIO_FILE, DRAFT_FILE) for t in article.triples(n)]
        before = set(anchor_problems(article.text, owned))
        for problem in anchor_problems(article.text, triples):
            if problem not in before:
                raise Refused(
                    409, f"the save would break an anchor: {problem}; nothing was written"
                )

    def _dangling(self, article: Article, new: Mapping[str, set[ox.Triple]]) -> None:
        """Refuse a save after which a pil:hasEvidence points to evidence no file declares."""
        everything = [
            t for name, parsed in article.files.items() if name not in new for t in parsed.triples
        ]
        everything += [t for triples in new.values() for t in triples]
        declared = {val(t.subject) for t in everything if t.predicate.value == OA + "exact"}
        before = {val(t.subject) for t in article.triples() if t.predicate.value == OA + "exact"}
        for t in everything:
            target = val(t.object)
            if t.predicate.value == HAS_EVIDENCE and target not in declared and target in before:
                raise Refused(
                    409,
                    f"{self.name(article, val(t.subject))} points to {self.name(article, target)} "
                    "with pil:hasEvidence: removing that evidence would break its anchor",
                )


def _retyped(article: Article, new: Mapping[str, set[ox.Triple]]) -> set[str]:
    """Subjects whose types changed: links to them from elsewhere must be checked again."""

    def types(files: Mapping[str, Iterable[ox.Triple]]) -> set[ox.Triple]:
        return {t for triples in files.values() for t in triples if t.predicate.value == RDF_TYPE}

    before = types({n: article.triples(n) for n in new})
    return {val(t.subject) for t in before ^ types(new)}


def anchor_span(text: str, item: object) -> tuple[int, int]:
    """A {start, end[, exact]} object checked against the text, as (start, end)."""
    if not isinstance(item, dict):
        raise Refused(400, 'evidence: each item is an object {"start": …, "end": …}')
    start, end = item.get("start"), item.get("end")
    if (
        not isinstance(start, int)
        or not isinstance(end, int)
        or isinstance(start, bool)
        or isinstance(end, bool)
    ):
        raise Refused(400, "evidence: start and end must be whole numbers (code points from 0)")
    if not 0 <= start <= len(text) or not 0 <= end <= len(text):
        raise Refused(
            400, f"evidence: offsets {start}-{end} are outside the text (0 to {len(text)})"
        )
    if end <= start:
        raise Refused(400, f"evidence: end ({end}) must be greater than start ({start})")
    exact = item.get("exact")
    if exact is not None and exact != text[start:end]:
        raise Refused(
            400,
            f"evidence: exact {str(exact)[:60]!r} differs from the text at {start}-{end}, "
            f"which reads {text[start:end][:60]!r}",
        )
    return start, end


def anchor_problems(text: str, triples: Iterable[ox.Triple]) -> list[str]:
    values: dict[str, dict[str, str]] = {}
    for t in triples:
        if t.predicate.value.startswith(OA):
            values.setdefault(val(t.subject), {})[t.predicate.value[len(OA) :]] = val(t.object)
    problems = []
    for ev, v in sorted(values.items()):
        try:
            start, end = int(v["start"]), int(v["end"])
        except (KeyError, ValueError):
            problems.append(f"<{ev}> lacks whole-number offsets")
            continue
        if not 0 <= start < end <= len(text) or text[start:end] != v.get("exact"):
            problems.append(f"<{ev}>: the text at {start}-{end} is not its quote")
        elif text[max(0, start - len(v.get("prefix", ""))) : start] != v.get("prefix", ""):
            problems.append(f"<{ev}>: its prefix is not the text before it")
        elif text[end : end + len(v.get("suffix", ""))] != v.get("suffix", ""):
            problems.append(f"<{ev}>: its suffix is not the text after it")
    return problems


def _objects(triples: Iterable[ox.Triple]) -> set[str]:
    return {
        val(t.object)
        for t in triples
        if isinstance(t.object, ox.NamedNode) and t.predicate.value != RDF_TYPE
    }


def _drop_unreferenced(triples: set[ox.Triple], evidence: set[str]) -> set[ox.Triple]:
    """Drop the blocks of `evidence` that nothing in `triples` points to any more."""
    referenced = {val(t.object) for t in triples if t.predicate.value == HAS_EVIDENCE}
    gone = evidence - referenced
    return {t for t in triples if val(t.subject) not in gone}


def _drop_pointing(triples: set[ox.Triple], removed: set[str]) -> set[ox.Triple]:
    """Draft triples that point at what a reject removed go too (the contract)."""
    still = {val(t.subject) for t in triples}
    gone = removed - still
    return {
        t for t in triples if not (isinstance(t.object, ox.NamedNode) and val(t.object) in gone)
    }


class DraftIndex:
    """draft.ttl's triples by subject, and which subjects are drafts (built once per write)."""

    def __init__(self, draft: set[ox.Triple]) -> None:
        self.by_subject: dict[str, set[ox.Triple]] = {}
        self.mentions: dict[str, set[ox.Triple]] = {}
        for t in draft:
            self.by_subject.setdefault(val(t.subject), set()).add(t)
        self.drafted = {
            val(t.subject) for t in draft if t.predicate.value == DRAFT and val(t.object) == "true"
        }
        for t in draft:
            if t.predicate.value == HAS_EVIDENCE and val(t.subject) not in self.drafted:
                self.mentions.setdefault(val(t.object), set()).add(t)

    def unit(self, iri: str, name: str) -> set[ox.Triple]:
        """The triples of one draft unit (the draft contract, issue 13 and COMMON.md)."""
        if iri not in self.drafted:
            raise NotFound(f"no draft {name} in draft.ttl")
        own = self.by_subject.get(iri, set())
        if any(t.predicate.value == RDF_TYPE and val(t.object) == EVIDENCE for t in own):
            mentions = self.mentions.get(iri, set())
            if not mentions:
                raise NotFound(
                    f"{name} is the evidence of a drafted statement, not a draft of its own: "
                    "accept or reject that statement"
                )
            return own | mentions
        unit = set(own)
        for t in own:
            if t.predicate.value == HAS_EVIDENCE and val(t.object) in self.drafted:
                unit |= self.by_subject.get(val(t.object), set())
        return unit

    def carried(self, unit: set[ox.Triple]) -> set[ox.Triple]:
        """What an accepted citation takes along: its still-draft Source and citedFor claim."""
        extra: set[ox.Triple] = set()
        for t in unit:
            if t.predicate.value in (PIL + "citesWork", PIL + "citedFor"):
                if val(t.object) in self.drafted:
                    extra |= self.unit(val(t.object), val(t.object))
        return extra - unit

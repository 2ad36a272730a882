"""The forms of the studio, generated from the SHACL shapes and the ontology.

For a class, a form lists every property a resource of that class may carry: the paths of
the property shapes that target the class or one of its superclasses, and the ontology's
properties whose domain is one of them. Each field says whether it is required (a
Violation-level sh:minCount), its datatype or the classes a link may point to (sh:class,
sh:or of sh:class, else the ontology's rdfs:range) and the help shown beside it (sh:name and
sh:description where the shapes give them, else the property's definition and the shape's
message). The same table validates what the API receives, so the page and the API can never
disagree about what a class accepts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD

from pillars.namespaces import PIL
from pillars.prefixes import VOCABULARY

PIL_NS = rdflib.Namespace(PIL)
# Written by the studio from the selection, the label box or the contract, never as a field.
_NOT_FIELDS = {str(RDF.type), str(RDFS.label), PIL + "hasEvidence", PIL + "draft"}
# Classes an editor does not create by selecting words: the article record, its text, and
# evidence blocks (which every selection makes), and the abstract ArticleElement.
NOT_CREATABLE = {PIL + "Article", PIL + "ArticleText", PIL + "Evidence", PIL + "ArticleElement"}
COMMENT = str(RDFS.comment)
PLAIN_LABEL_CLASSES = {PIL + "Source", PIL + "Citation"}  # labels merge across files: no @en


class VocabularyError(ValueError):
    """A request names a class, property or value the shapes and ontology do not allow."""


@dataclass
class Field:
    path: str
    kind: str  # "link" or "value"
    name: str
    help: str = ""
    required: bool = False  # a Violation when missing
    recommended: bool = False  # a Warning or Info when missing
    max_count: int | None = None
    datatype: str | None = None
    classes: tuple[str, ...] = ()  # a link's target is one of these (empty: anything)
    pattern: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "path": compact(self.path),
            "kind": self.kind,
            "name": self.name,
            "help": self.help,
            "required": self.required,
            "recommended": self.recommended,
            "max": self.max_count,
            "datatype": compact(self.datatype) if self.datatype else None,
            "classes": [compact(c) for c in self.classes],
            "pattern": self.pattern,
        }


@dataclass
class ClassInfo:
    iri: str
    label: str
    definition: str
    supers: frozenset[str]  # itself and every named superclass
    label_required: bool = False
    label_help: str = ""


@dataclass
class Vocabulary:
    classes: dict[str, ClassInfo]
    properties: dict[str, str]  # property IRI -> "link" or "value"
    _fields: dict[str, list[Field]] = field(default_factory=dict)

    def creatable(self) -> list[ClassInfo]:
        found = [c for c in self.classes.values() if c.iri.startswith(PIL)]
        return sorted((c for c in found if c.iri not in NOT_CREATABLE), key=lambda c: c.iri)

    def fields(self, cls: str) -> list[Field]:
        return self._fields.get(cls, [])

    def field(self, cls: str, path: str) -> Field:
        """The field `path` of class `cls`, or a VocabularyError that says why there is none."""
        for f in self.fields(cls):
            if f.path == path:
                return f
        if path not in self.properties:
            raise VocabularyError(
                f"unknown property {compact(path)}: the ontology defines no such term"
            )
        names = ", ".join(compact(f.path) for f in self.fields(cls))
        raise VocabularyError(
            f"{compact(path)} is not a property of {compact(cls)} (its properties: {names})"
        )

    def is_a(self, types: Iterable[str], cls: str) -> bool:
        return any(cls in self.supers(t) for t in types)

    def supers(self, cls: str) -> frozenset[str]:
        info = self.classes.get(cls)
        return info.supers if info else frozenset({cls})


def compact(iri: str) -> str:
    for prefix, namespace in sorted(VOCABULARY.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def expand(name: str, article_ns: str) -> str:
    """A prefixed name (pil:Claim, art:thesis, actor:iran) or a full IRI, as a full IRI."""
    name = name.strip()
    if name.startswith("<") and name.endswith(">"):
        name = name[1:-1]
    if re.match(r"^https?://", name):
        return name
    prefix, colon, local = name.partition(":")
    if colon:
        if prefix == "art":
            return article_ns + local
        if prefix in VOCABULARY:
            return VOCABULARY[prefix] + local
    raise VocabularyError(f"{name!r} is neither a known prefixed name nor a full IRI")


def load(ontology_files: Iterable[Path], shapes_files: Iterable[Path]) -> Vocabulary:
    ontology = rdflib.Graph()
    for path in ontology_files:
        ontology.parse(path, format="turtle")
    shapes = rdflib.Graph()
    for path in shapes_files:
        shapes.parse(path, format="turtle")
    classes = _classes(ontology)
    properties = _properties(ontology)
    vocab = Vocabulary(classes, properties)
    for cls in classes.values():
        vocab._fields[cls.iri] = _fields_of(cls, ontology, shapes, properties, classes)
    return vocab


def _text(graph: rdflib.Graph, node: rdflib.term.Node, *props: rdflib.URIRef) -> str:
    for prop in props:
        for value in graph.objects(node, prop):
            if isinstance(value, rdflib.Literal) and value.language in (None, "en"):
                return str(value)
    return ""


def _classes(ontology: rdflib.Graph) -> dict[str, ClassInfo]:
    named = {c for c in ontology.subjects(RDF.type, OWL.Class) if isinstance(c, rdflib.URIRef)}
    classes: dict[str, ClassInfo] = {}
    for cls in named:
        supers = {str(s) for s in ontology.transitive_objects(cls, RDFS.subClassOf)}
        classes[str(cls)] = ClassInfo(
            iri=str(cls),
            label=_text(ontology, cls, RDFS.label) or compact(str(cls)),
            definition=_text(ontology, cls, SKOS.definition, RDFS.comment),
            supers=frozenset(s for s in supers | {str(cls)} if "://" in s),  # no bnodes
        )
    return classes


def _properties(ontology: rdflib.Graph) -> dict[str, str]:
    kinds = {OWL.ObjectProperty: "link", OWL.DatatypeProperty: "value"}
    found: dict[str, str] = {}
    for rdf_kind, kind in kinds.items():
        for prop in ontology.subjects(RDF.type, rdf_kind):
            found[str(prop)] = kind
    for prop in ontology.subjects(RDF.type, OWL.AnnotationProperty):
        found.setdefault(str(prop), "value")
    found.setdefault(str(RDFS.label), "value")
    found.setdefault(COMMENT, "value")
    return found


def _class_list(graph: rdflib.Graph, node: rdflib.term.Node | None) -> tuple[str, ...]:
    """A named class, or the members of an owl:unionOf; owl:Thing means anything (empty)."""
    if node is None or node == OWL.Thing:
        return ()
    if isinstance(node, rdflib.URIRef):
        return (str(node),)
    union = graph.value(node, OWL.unionOf)
    return tuple(str(m) for m in Collection(graph, union)) if union is not None else ()


def _shape_targets(shapes: rdflib.Graph, supers: frozenset[str]) -> list[rdflib.term.Node]:
    return [
        node
        for node in shapes.subjects(RDF.type, SH.NodeShape)
        if any(str(t) in supers for t in shapes.objects(node, SH.targetClass))
    ]


def _fields_of(
    cls: ClassInfo,
    ontology: rdflib.Graph,
    shapes: rdflib.Graph,
    properties: dict[str, str],
    classes: dict[str, ClassInfo],
) -> list[Field]:
    fields: dict[str, Field] = {}

    def get(path: str) -> Field:
        if path not in fields:
            prop = rdflib.URIRef(path)
            kind = properties.get(path, "value")
            fields[path] = Field(
                path=path,
                kind=kind,
                name=_text(ontology, prop, RDFS.label) or compact(path),
                help=_text(ontology, prop, SKOS.definition, RDFS.comment),
            )
        return fields[path]

    for prop, kind in properties.items():
        domain = ontology.value(rdflib.URIRef(prop), RDFS.domain)
        domains = _class_list(ontology, domain)
        if prop in _NOT_FIELDS or not domains or not any(d in cls.supers for d in domains):
            continue
        f = get(prop)
        rng = ontology.value(rdflib.URIRef(prop), RDFS.range)
        if kind == "link":
            f.classes = _class_list(ontology, rng)
        elif isinstance(rng, rdflib.URIRef) and str(rng) != str(RDF.PlainLiteral):
            f.datatype = str(rng)
    for node in _shape_targets(shapes, cls.supers):
        for prop_shape in shapes.objects(node, SH.property):
            _apply_shape(cls, shapes, prop_shape, get)
    if COMMENT not in fields:
        get(COMMENT).help = "A note of the editor's about this resource (plain text)."
    return sorted(fields.values(), key=lambda f: (not f.required, f.kind != "link", f.path))


def _apply_shape(cls: ClassInfo, shapes: rdflib.Graph, prop_shape: rdflib.term.Node, get) -> None:  # type: ignore[no-untyped-def]
    path = shapes.value(prop_shape, SH.path)
    if not isinstance(path, rdflib.URIRef):
        return
    severity = shapes.value(prop_shape, SH.severity) or SH.Violation
    message = _text(shapes, prop_shape, SH.message).replace("{$this}", "this resource")
    min_count = shapes.value(prop_shape, SH.minCount)
    if str(path) == str(RDFS.label):
        if min_count is not None and int(str(min_count)) > 0 and severity == SH.Violation:
            cls.label_required = True
        cls.label_help = cls.label_help or message
        return
    if str(path) in _NOT_FIELDS:
        return
    f = get(str(path))
    name = _text(shapes, prop_shape, SH.name)
    described = _text(shapes, prop_shape, SH.description)
    f.name = name or f.name
    if described:
        f.help = described
    elif message and message not in f.help:
        f.help = f"{f.help} {message}".strip()
    if min_count is not None and int(str(min_count)) > 0:
        if severity == SH.Violation:
            f.required = True
        else:
            f.recommended = True
    max_count = shapes.value(prop_shape, SH.maxCount)
    if max_count is not None and severity == SH.Violation:
        most = int(str(max_count))
        f.max_count = most if f.max_count is None else min(f.max_count, most)
    datatype = shapes.value(prop_shape, SH.datatype)
    if datatype is not None:
        f.datatype = str(datatype)
    pattern = shapes.value(prop_shape, SH.pattern)
    if pattern is not None:
        f.pattern = str(pattern)
    ranged = [str(c) for c in shapes.objects(prop_shape, SH["class"])]
    alternatives = shapes.value(prop_shape, SH["or"])
    if alternatives is not None:
        for member in Collection(shapes, alternatives):
            ranged += [str(c) for c in shapes.objects(member, SH["class"])]
            if f.datatype is None and (shapes.value(member, SH.datatype)) == XSD.string:
                f.datatype = str(XSD.string)
    if ranged and severity == SH.Violation:
        f.classes = tuple(dict.fromkeys(ranged))


# Lexical forms the studio accepts for each datatype; anything else is refused with the form.
_LEXICAL = {
    str(XSD.integer): (re.compile(r"[+-]?[0-9]+"), "a whole number such as 12"),
    str(XSD.decimal): (
        re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
        "a decimal such as 705000000.0",
    ),
    str(XSD.gYear): (re.compile(r"-?[0-9]{4}"), "a four-digit year such as 2017"),
    str(XSD.boolean): (re.compile(r"true|false"), "true or false"),
}


def check_value(f: Field, value: object) -> tuple[str, str | None, str | None]:
    """(lexical form, datatype IRI or None, language or None) of a field's value, or refuse."""
    if (
        not isinstance(value, (str, int, float, bool))
        or isinstance(value, bool)
        and f.datatype != str(XSD.boolean)
    ):
        raise VocabularyError(f"{compact(f.path)}: a value is a string, not {type(value).__name__}")
    text = str(value).lower() if isinstance(value, bool) else str(value)
    if f.datatype in _LEXICAL:
        pattern, example = _LEXICAL[f.datatype]
        if not pattern.fullmatch(text.strip()):
            raise VocabularyError(
                f"{compact(f.path)} is {compact(f.datatype)}: {text!r} is not {example}"
            )
        text = text.strip()
        if f.datatype == str(XSD.decimal):
            text = _decimal_form(text)
        return text, f.datatype, None
    if not text.strip():
        raise VocabularyError(f"{compact(f.path)}: the value is empty")
    if f.datatype in (None, str(XSD.string)):
        return text, None, None
    if f.datatype == str(RDF.langString):
        return text, None, "en"
    return text, f.datatype, None


def _decimal_form(text: str) -> str:
    """The canonical-looking decimal (700 -> 700.0) that Turtle writes without quotes."""
    try:
        number = Decimal(text)
    except InvalidOperation as err:  # pragma: no cover - the pattern above lets none through
        raise VocabularyError(f"not a decimal: {text!r}") from err
    form = format(number, "f")
    return form if "." in form else form + ".0"

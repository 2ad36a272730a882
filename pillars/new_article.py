"""`pillars new-article`: start the folder of a new article, ready for the editor.

It writes `instances/<slug>/text.txt` (the given text, byte for byte) and `article.ttl`: the
pil:Article with the metadata given on the command line, its pil:ArticleText, and one
pil:Section per heading the editor names, each anchored by evidence at the heading's offsets.
Nothing is guessed from the text: a heading is a section only if the editor says so, and
metadata comes only from the options. Comments in the Turtle say what to add next.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pillars.anchor import Anchor, evidence_turtle, locate, occurrences, turtle_string
from pillars.corpus import TEXT_FILE
from pillars.namespaces import ID

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOI = re.compile(r"^10\.[0-9]{4,9}/\S+$")  # the pattern of the bibliographic shape
RULE = "# " + "-" * 64 + " "  # the section rule of the hand-written article files
# Slugs that would collide with graph names (graph/<slug>) or shared IRIs (id/<kind>/...).
RESERVED = {
    "shared",
    "ontology",
    "shapes",
    "actor",
    "place",
    "event",
    "journal",
    "threat-type",
    "limit-type",
}


class NewArticleError(ValueError):
    """Bad input; `param` names the option at fault (for the usage error)."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(f"{param}: {message}")
        self.param = param


@dataclass(frozen=True)
class Metadata:
    slug: str
    title: str
    journal: str
    year: str
    authors: tuple[str, ...]
    doi: str | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Heading:
    """A heading as the editor gave it; `depth` 0 is a section, 1 a subsection of the last 0."""

    label: str
    depth: int
    given_as: str  # where it came from, for error messages: "--heading" or "FILE:line"

    @property
    def option(self) -> str:
        return "--heading" if self.given_as == "--heading" else "--headings"


@dataclass(frozen=True)
class PlacedSection:
    number: int
    label: str
    anchor: Anchor
    parent: int | None  # the number of the section it is a subsection of


def kebab(name: str, param: str) -> str:
    """ "Abdolrasool Divsallar" -> "abdolrasool-divsallar" (accents dropped), for IRIs."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    result = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    if not result:
        raise NewArticleError(param, f"{name!r} has no letters or digits to make an identifier")
    return result


def check_metadata(meta: Metadata) -> None:
    """Refuse what the shapes would refuse, naming the option, before anything is written."""
    if not SLUG.match(meta.slug) or len(meta.slug) > 100:
        raise NewArticleError(
            "SLUG",
            f"{meta.slug!r} is not a slug: use lower-case letters, digits and single hyphens, "
            "e.g. iranian-russian-security-convergence (at most 100 characters)",
        )
    if meta.slug in RESERVED:
        raise NewArticleError("SLUG", f"{meta.slug!r} is reserved for shared graphs and IRIs")
    if not meta.title.strip():
        raise NewArticleError("--title", "the title is empty")
    if not meta.journal.strip():
        raise NewArticleError("--journal", "the journal name is empty")
    if not re.fullmatch(r"[0-9]{4}", meta.year):
        raise NewArticleError(
            "--year", f"expected a four-digit year such as 2019, got {meta.year!r}"
        )
    if int(meta.year) > datetime.date.today().year + 1:
        raise NewArticleError("--year", f"{meta.year} is in the future")
    if meta.doi is not None and not DOI.match(meta.doi):
        hint = ""
        if "10." in meta.doi:
            hint = f"; give the DOI itself, e.g. {meta.doi[meta.doi.index('10.') :]!r}"
        raise NewArticleError(
            "--doi", f"{meta.doi!r} is not a DOI of the form 10.NNNN/suffix{hint}"
        )
    if not meta.authors:
        raise NewArticleError(
            "--author", "give at least one author (the article's dcterms:creator)"
        )
    for author in meta.authors:
        kebab(author, "--author")
    for keyword in meta.keywords:
        if not keyword.strip():
            raise NewArticleError("--keyword", "a keyword is empty")


def read_text(path: Path) -> str:
    if not path.is_file():
        raise NewArticleError("--text", f"no such file: {path}")
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as err:
        raise NewArticleError("--text", f"cannot read {path}: {err.strerror}") from err
    except UnicodeDecodeError as err:
        raise NewArticleError(
            "--text", f"{path} is not UTF-8 text (byte {err.start} cannot be decoded)"
        ) from err
    if not text.strip():
        raise NewArticleError("--text", f"{path} is empty")
    return text


def headings_from(options: tuple[str, ...], file: Path | None) -> list[Heading]:
    """Headings from --heading options or a --headings file (one per line, blank lines
    skipped). Leading spaces or tabs mark a subsection of the heading before it."""
    if options and file is not None:
        raise NewArticleError("--headings", "give headings either with --heading or in a file")
    if file is None:
        return [_heading(h, "--heading") for h in options]
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as err:
        raise NewArticleError("--headings", f"cannot read {file}: {err.strerror}") from err
    except UnicodeDecodeError as err:
        raise NewArticleError("--headings", f"{file} is not UTF-8 (byte {err.start})") from err
    return [_heading(line, f"{file}:{n}") for n, line in enumerate(lines, 1) if line.strip()]


def _heading(raw: str, given_as: str) -> Heading:
    label = raw.strip()
    if not label:
        raise NewArticleError("--heading", "a heading is empty")
    return Heading(label, 1 if raw[:1] in (" ", "\t") else 0, given_as)


def place_sections(text: str, headings: list[Heading]) -> list[PlacedSection]:
    """Find each heading, in the order given, on a line of its own after the previous one."""
    placed: list[PlacedSection] = []
    line_starts = _line_starts(text)
    after = 0
    parent: int | None = None
    for number, heading in enumerate(headings, 1):
        start = _heading_line(text, line_starts, heading.label, after)
        if start is None:
            raise NewArticleError(heading.option, _not_found(text, heading, after))
        found = occurrences(text, heading.label)
        anchor = locate(text, heading.label, found.index(start) + 1)
        if heading.depth == 0:
            parent = number
            placed.append(PlacedSection(number, heading.label, anchor, None))
        elif parent is None:
            raise NewArticleError(
                heading.option,
                f"{heading.given_as}: {heading.label!r} is indented (a subsection) but no "
                "section heading comes before it",
            )
        else:
            placed.append(PlacedSection(number, heading.label, anchor, parent))
        after = anchor.end
    return placed


def _line_starts(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\r\n|\n|\r", text)]


def _heading_line(text: str, line_starts: list[int], label: str, after: int) -> int | None:
    """Offset of `label` where it is the whole of a line (blanks around it allowed)."""
    for start in occurrences(text, label):
        if start < after:
            continue
        line_start = max(s for s in line_starts if s <= start)
        end = start + len(label)
        line_end = min([s for s in line_starts if s > start] + [len(text)])
        if not text[line_start:start].strip() and not text[end:line_end].strip():
            return start
    return None


def _not_found(text: str, heading: Heading, after: int) -> str:
    where = heading.given_as
    found = occurrences(text, heading.label)
    if not found:
        return f"{where}: {heading.label!r} is not in the text (copy it exactly as printed)"
    if all(start < after for start in found):
        return (
            f"{where}: {heading.label!r} occurs only before the previous heading; give the "
            "headings in reading order"
        )
    return (
        f"{where}: {heading.label!r} is in the text (offset {found[0]}) but never on a line of "
        "its own, so it is not a heading line"
    )


def article_turtle(meta: Metadata, sections: list[PlacedSection], first_line: str) -> str:
    """The article.ttl of a new article: readable Turtle with comments for the editor."""
    art = f"{ID}{meta.slug}/"
    journal_iri = f"<{ID}journal/{kebab(meta.journal, '--journal')}>"
    creators = " , ".join(f"actor:{kebab(a, '--author')}" for a in meta.authors)
    out = [
        f"# The article {turtle_string(meta.title)}:",
        "# bibliographic metadata, its text as a resource and its sections in reading order.",
        "# Written by `pillars new-article` from the metadata the editor gave on the command",
        "# line; the text is text.txt, byte for byte.",
        "# Every evidence block: text[oa:start:oa:end] == oa:exact (code points, end exclusive).",
        "",
        "@prefix pil: <https://w3id.org/pillars/ontology#> .",
        f"@prefix art: <{art}> .",
        "@prefix actor: <https://w3id.org/pillars/id/actor/> .",
        "@prefix oa: <http://www.w3.org/ns/oa#> .",
        "@prefix dcterms: <http://purl.org/dc/terms/> .",
        "@prefix cito: <http://purl.org/spar/cito/> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .",
        "",
        RULE + "The article and its journal",
        "",
        "art:article a pil:Article ;",
        f"    dcterms:title {turtle_string(meta.title)}@en ;",
        f"    dcterms:creator {creators} ;",
    ]
    if meta.doi:
        out.append(f"    pil:doi {turtle_string(meta.doi)} ;")
    out.append(f'    pil:publicationYear "{meta.year}"^^xsd:gYear ;')
    out.append(f"    pil:publishedIn {journal_iri} ;")
    if meta.keywords:
        words = " , ".join(f"{turtle_string(k.strip())}@en" for k in meta.keywords)
        out.append(f"    pil:keyword {words} ;")
    if sections:
        names = [f"art:section-{s.number}" for s in sections]
        rows = [" , ".join(names[i : i + 6]) for i in range(0, len(names), 6)]
        out.append(f"    pil:hasSection {(' ,' + chr(10) + '        ').join(rows)} ;")
    out += [
        "    # Next, once written: pil:hasThesis art:thesis (the claim the article argues for);",
        "    # pil:analyses art:convergence (a pil:SecurityConvergence, if it analyses one);",
        "    # cito:citesAsEvidence art:source-<author>-<year> for each cited work.",
        "    pil:hasText art:text .",
        "",
        "# The journal is shared by every article it publishes: identical triples written by",
        "# another article's files merge.",
        f"{journal_iri} a pil:Journal ;",
        f"    rdfs:label {turtle_string(meta.journal.strip())}@en .",
        "",
        "# The authors. Actors are shared across articles: if an author is already declared in",
        "# instances/shared/actors.ttl, use that IRI; otherwise consider moving these lines there.",
    ]
    for author in meta.authors:
        out += [
            f"actor:{kebab(author, '--author')} a pil:Person ;",
            f"    rdfs:label {turtle_string(author.strip())}@en .",
        ]
    out += [
        "",
        "# The text itself; the loader adds nif:isString (all of text.txt) and a nif:Context.",
        "art:text a pil:ArticleText ;",
        "    pil:textOf art:article .",
        "",
        RULE + "Sections, in reading order",
        "",
    ]
    if not sections:
        out += [
            "# No headings were given. Add a pil:Section per heading line, each with its evidence",
            "# (`pillars anchor` prints the block), or run new-article again with --heading.",
            "",
        ]
    elif sections[0].anchor.start > 0:
        out += [
            "# The text before the first heading belongs to no section yet. If it is an untitled",
            f"# introduction (it begins {turtle_string(first_line[:50])}), add a section for it.",
            "",
        ]
    for s in sections:
        out.append(f"art:section-{s.number} a pil:Section ;")
        out.append(f"    rdfs:label {turtle_string(s.label)}@en ;")
        out.append(f"    pil:sectionNumber {s.number} ;")
        if s.parent is not None:
            out.append(f"    pil:subsectionOf art:section-{s.parent} ;")
        out += [f"    pil:hasEvidence art:ev-section-{s.number} .", ""]
        block = evidence_turtle(f"art:ev-section-{s.number}", s.anchor, "art:text",
                                f"art:section-{s.number}")  # fmt: skip
        out += [*block.splitlines(), ""]
    out += [
        RULE + "What to add next",
        "#",
        "# Write the argument in files of your own next to this one (claims.ttl, threats.ttl...),",
        "# following NOTES.md (vocabulary contract) and docs/editing.md:",
        "#   1. anchor every statement: `pillars anchor --article " + meta.slug + ' "exact words"`',
        "#      prints a pil:Evidence block with offsets, prefix and suffix;",
        "#   2. art:thesis a pil:Thesis, claims, pillars, threats, limits, actors, quantities,",
        "#      each with pil:hasEvidence; cited works as art:source-<author>-<year> with a",
        "#      pil:Citation per in-text citation;",
        f"#   3. `pillars check instances/{meta.slug}` until it reports no violation;",
        f"#   4. `pillars stats --article {meta.slug}` lists the sentences no evidence covers yet.",
        "",
    ]
    return "\n".join(out)


def create(root: Path, meta: Metadata, text_file: Path, headings: list[Heading]) -> Path:
    """Write instances/<slug>/ under `root`; nothing is left behind if anything fails."""
    check_metadata(meta)
    if not root.is_dir():
        raise NewArticleError("--root", f"no such folder: {root}")
    folder = root / "instances" / meta.slug
    if folder.exists():
        raise NewArticleError("SLUG", f"{folder} already exists; not overwriting it")
    text = read_text(text_file)
    sections = place_sections(text, headings)
    first_line = text.lstrip().splitlines()[0] if text.strip() else ""
    turtle = article_turtle(meta, sections, first_line)
    folder.parent.mkdir(parents=True, exist_ok=True)
    # Built in a hidden sibling and renamed into place, so a failure never leaves a half
    # article that the loader would pick up.
    work = Path(tempfile.mkdtemp(prefix=f".{meta.slug}.", dir=folder.parent))
    work.chmod(0o755)  # mkdtemp makes it private; an article folder is an ordinary folder
    try:
        shutil.copyfile(text_file, work / TEXT_FILE)
        (work / "article.ttl").write_text(turtle, encoding="utf-8")
        os.rename(work, folder)
    except OSError as err:
        shutil.rmtree(work, ignore_errors=True)
        raise NewArticleError("SLUG", f"cannot create {folder}: {err.strerror}") from err
    return folder

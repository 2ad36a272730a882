"""Quote fidelity: every evidence block equals the article's text at its offsets.

The first test reads the Turtle and the text itself (not through pillars.check.quotes), so a
bug in the checker cannot hide a bad quote; the others prove the checker catches mistakes.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from rdflib import Graph, Namespace, URIRef

from pillars.check import quotes
from pillars.corpus import default_root, discover

OA = Namespace("http://www.w3.org/ns/oa#")
PIL = Namespace("https://w3id.org/pillars/ontology#")
ROOT = default_root()
SLUG = "iranian-russian-security-convergence"


def test_every_bundled_quote_is_the_text_at_its_offsets() -> None:
    checked = 0
    for folder in sorted((ROOT / "instances").iterdir()):
        text_file = folder / "text.txt"
        if not text_file.is_file():
            continue
        text = text_file.read_text(encoding="utf-8")
        for ttl in sorted(folder.rglob("*.ttl")):
            graph = Graph().parse(ttl, format="turtle")
            for ev in sorted(set(graph.subjects(OA.exact, None)), key=str):
                where = f"{ttl.relative_to(ROOT)}: <{ev}>"
                exact = str(graph.value(ev, OA.exact))
                start = int(str(graph.value(ev, OA.start)))
                end = int(str(graph.value(ev, OA.end)))
                assert 0 <= start < end <= len(text), f"{where}: offsets {start}..{end}"
                assert text[start:end] == exact, (
                    f"{where}: text[{start}:{end}] is {text[start:end]!r}, oa:exact is {exact!r}"
                )
                prefix, suffix = graph.value(ev, OA.prefix), graph.value(ev, OA.suffix)
                if prefix is not None:
                    assert text[:start].endswith(str(prefix)), f"{where}: prefix {prefix!r}"
                if suffix is not None:
                    assert text[end:].startswith(str(suffix)), f"{where}: suffix {suffix!r}"
                assert graph.value(ev, PIL.inText) is not None, f"{where}: no pil:inText"
                checked += 1
    # The article is encoded; an empty count means the test read nothing, not that all is well.
    assert checked > 100, f"only {checked} evidence blocks found"


def test_checker_passes_the_bundled_corpus() -> None:
    findings = quotes.run(discover(ROOT))
    assert findings == [], "\n".join(f.message for f in findings[:5])


TEXT = "Iran and Russia face sanctions. Both resist.\n"
HEADER = """@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix pil: <https://w3id.org/pillars/ontology#> .
@prefix d: <https://w3id.org/pillars/id/demo/> .
"""


def _demo(tmp_path: Path, body: str) -> Path:
    (tmp_path / "ontology").mkdir()
    folder = tmp_path / "instances" / "demo"
    folder.mkdir(parents=True)
    (folder / "text.txt").write_text(TEXT, encoding="utf-8")
    ttl = folder / "demo.ttl"
    ttl.write_text(HEADER + body, encoding="utf-8")
    return ttl


def _evidence(start: int, end: int, exact: str, prefix: str, suffix: str) -> str:
    return (
        f'd:ev-russia a pil:Evidence ; oa:exact "{exact}" ; oa:prefix "{prefix}" ;\n'
        f'    oa:suffix "{suffix}" ; oa:start {start} ; oa:end {end} ; pil:inText d:text .\n'
        "d:claim pil:hasEvidence d:ev-russia .\n"
    )


def test_correct_demo_evidence_has_no_finding(tmp_path: Path) -> None:
    _demo(tmp_path, _evidence(9, 15, "Russia", "Iran and ", " face"))
    assert quotes.run(discover(tmp_path)) == []


def test_shifted_offset_is_caught_with_file_resource_and_texts(tmp_path: Path) -> None:
    ttl = _demo(tmp_path, _evidence(10, 16, "Russia", "Iran and ", " face"))
    findings = quotes.run(discover(tmp_path))
    assert [f.rule for f in findings] == ["quote-exact"]
    found = findings[0]
    assert found.file == str(ttl)
    assert found.resource == "https://w3id.org/pillars/id/demo/ev-russia"
    assert found.line == 4  # the line the evidence block starts on in the demo file
    assert "'ussia '" in found.message and "'Russia'" in found.message
    assert "start 9, end 15" in found.message  # where the quote really is


def test_wrong_prefix_is_caught(tmp_path: Path) -> None:
    _demo(tmp_path, _evidence(9, 15, "Russia", "Iran or ", " face"))
    findings = quotes.run(discover(tmp_path))
    assert [f.rule for f in findings] == ["quote-prefix"]
    assert "is 'Iran or '" in findings[0].message
    # the text before the quote, as long as the prefix given
    assert "offset 9 is 'ran and '" in findings[0].message


def test_wrong_suffix_out_of_range_and_missing_text_link(tmp_path: Path) -> None:
    body = _evidence(9, 15, "Russia", "Iran and ", " fact").replace(" ; pil:inText d:text", "")
    body += (
        'd:ev-far a pil:Evidence ; oa:exact "x" ; oa:start 40 ; oa:end 99 ; pil:inText d:text .\n'
    )
    _demo(tmp_path, body)
    findings = quotes.run(discover(tmp_path))
    assert sorted(f.rule or "" for f in findings) == [
        "quote-in-text",
        "quote-offsets",
        "quote-suffix",
    ]


def test_dangling_evidence_reference_is_caught(tmp_path: Path) -> None:
    body = (
        _evidence(9, 15, "Russia", "Iran and ", " face") + "d:claim pil:hasEvidence d:ev-rusia .\n"
    )
    _demo(tmp_path, body)
    findings = quotes.run(discover(tmp_path))
    assert [(f.rule, f.resource) for f in findings] == [
        ("quote-dangling", "https://w3id.org/pillars/id/demo/ev-rusia")
    ]


def test_shifted_offset_in_a_copy_of_the_real_article_is_caught(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    shutil.copytree(ROOT / "instances", tmp_path / "instances")
    limits = tmp_path / "instances" / SLUG / "limits.ttl"
    source = limits.read_text(encoding="utf-8")
    # Move the first evidence block one character to the right.
    match = re.search(r"^(art:ev-[\w-]+) a pil:Evidence", source, re.MULTILINE)
    assert match is not None
    start = re.compile(r"oa:start (\d+) ;").search(source, match.end())
    end = re.compile(r"oa:end (\d+) ;").search(source, match.end())
    assert start is not None and end is not None
    shifted = (
        source[: start.start()]
        + f"oa:start {int(start.group(1)) + 1} ;"
        + source[start.end() : end.start()]
        + f"oa:end {int(end.group(1)) + 1} ;"
        + source[end.end() :]
    )
    limits.write_text(shifted, encoding="utf-8")
    # Only this file's findings: other encoders' files are checked by the test above.
    findings = [f for f in quotes.run(discover(tmp_path)) if f.file == str(limits)]
    resource = URIRef(f"https://w3id.org/pillars/id/{SLUG}/" + match.group(1)[len("art:") :])
    assert [(f.rule, f.file, f.resource) for f in findings] == [
        ("quote-exact", str(limits), str(resource))
    ]

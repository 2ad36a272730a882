"""`pillars check`: exit codes, grouped and JSON output, hand-made breaks, the cache."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from bench.synth import generate
from pillars.check import Finding
from pillars.check.engine import fold
from pillars.cli.check import check

FAST = ["--skip", "owl", "--no-cache"]  # HermiT takes seconds; it has tests of its own


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    generate(out, 2, seed=7)
    return out / "instances"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(check, list(args))
    return result.exit_code, result.output


def copy_article(synthetic: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "instances" / "art-0001"
    folder.mkdir(parents=True)
    for name in ("article.ttl", "text.txt"):
        (folder / name).write_bytes((synthetic / "art-0001" / name).read_bytes())
    (tmp_path / "instances" / "shared").mkdir()
    pool = synthetic / "shared" / "pool.ttl"
    (tmp_path / "instances" / "shared" / "pool.ttl").write_bytes(pool.read_bytes())
    return folder


def test_synthetic_articles_conform(synthetic: Path) -> None:
    code, output = run(str(synthetic), *FAST)
    assert code == 0, output
    assert "conforms: 0 violation(s)" in output


def test_bundled_corpus_passes_every_check_through_the_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pillars.cli", "check", "--no-cache"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "checks: syntax, shacl, quotes, owl, hygiene" in done.stdout
    if os.environ.get("CI") == "true":  # in CI the OWL check must really run, not skip
        assert "Java was not found" not in done.stdout


def _break(article: Path, old: str, new: str, count: int = 1) -> None:
    path = article / "article.ttl"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _shift_first_offset(article: Path) -> None:
    text = (article / "article.ttl").read_text(encoding="utf-8")
    match = re.search(r"oa:start (\d+) ; oa:end (\d+) ;", text)
    assert match
    start, end = int(match.group(1)), int(match.group(2))
    _break(article, match.group(0), f"oa:start {start + 3} ; oa:end {end + 3} ;")


def _remove_first_perceiver(article: Path) -> None:
    text = (article / "article.ttl").read_text(encoding="utf-8")
    match = re.search(r"pil:perceiver actor:state-\d+ ; ", text)
    assert match
    _break(article, match.group(0), "")


def _dangle_first_citation(article: Path) -> None:
    text = (article / "article.ttl").read_text(encoding="utf-8")
    match = re.search(r"art:cite-1 a pil:Citation ; pil:citesWork (art:source-[\w-]+) ;", text)
    assert match
    _break(article, match.group(0), match.group(0).replace(match.group(1), "art:source-nowhere"))


def _break_syntax(article: Path) -> None:
    _break(article, "a pil:Citation ;", "a pil:Citation ;; ! ;")


BREAKS = {
    "syntax error": (_break_syntax, "Turtle syntax error", None),
    "shifted offset": (_shift_first_offset, "does not match the article text", "ev-1"),
    "removed perceiver": (_remove_first_perceiver, "exactly one perceiver", "perception-"),
    "class typo": (
        lambda a: _break(a, "a pil:StabilityThreat", "a pil:StabilityThreet"),
        "pil:StabilityThreet, which the ontology does not define",
        "threat-",
    ),
    "wrong datatype": (
        lambda a: _break(a, '"^^xsd:gYear ; pil:keyword', '" ; pil:keyword'),
        "four-digit year typed xsd:gYear",
        "article",
    ),
    "wrong number datatype": (  # HermiT sees this one too: a string outside xsd:decimal
        lambda a: _break(a, "pil:numericValue 798.6", 'pil:numericValue "two billion"'),
        "a decimal written without quotes",
        "quantity-1",
    ),
    "dangling citation": (
        _dangle_first_citation,
        "art:source-nowhere is referred to by art:cite-1 (pil:citesWork)",
        "source-nowhere",
    ),
}


def _need_java() -> None:
    if shutil.which("java") is None:
        why = "Java is not on PATH, so HermiT (the OWL check) cannot run"
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)


def _one_finding(synthetic: Path, tmp_path: Path, name: str, *options: str) -> None:
    article = copy_article(synthetic, tmp_path)
    do_break, words, resource = BREAKS[name]
    do_break(article)
    code, output = run(str(article), "--format", "json", "--no-cache", *options)
    assert code == 1, output
    report = json.loads(output)
    assert "owl" in report["checks"]
    # xsd:gYear's four standing Warnings (owl2-dl-datatype) are about the ontology, not the break
    findings = [f for f in report["findings"] if f["rule"] != "owl2-dl-datatype"]
    assert len(report["findings"]) - len(findings) in (0, 4), report["findings"]
    assert len(findings) == 1, findings
    assert words in findings[0]["message"]
    if resource is None:
        assert "resource" not in findings[0]
    else:
        assert resource in findings[0]["resource"]
    assert findings[0]["file"].endswith("article.ttl") and findings[0]["line"] >= 1


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_each_hand_break_gives_one_clear_message(
    synthetic: Path, tmp_path: Path, name: str
) -> None:
    """Every check on, HermiT included: it sees some of these breaks too."""
    _need_java()
    _one_finding(synthetic, tmp_path, name)


@pytest.mark.parametrize("name", ["syntax error", "wrong number datatype"])
def test_one_message_per_break_with_owl_over_the_whole_corpus(
    synthetic: Path, tmp_path: Path, name: str
) -> None:
    # The whole-corpus OWL run parses every file again and reported a syntax error a second
    # time (as "OWL check not run"), without a resource to fold it by; it said a wrong datatype
    # made the corpus inconsistent, and then which graph, beside SHACL's message.
    _need_java()
    _one_finding(synthetic, tmp_path, name, "--owl-whole-corpus")


def test_a_syntax_error_in_the_shared_vocabulary_is_one_finding(
    synthetic: Path, tmp_path: Path
) -> None:
    # It stopped the check ("could not run", exit 2) instead of being reported as data.
    _need_java()
    article = copy_article(synthetic, tmp_path)
    pool = tmp_path / "instances" / "shared" / "pool.ttl"
    pool.write_text(pool.read_text(encoding="utf-8") + "\nactor:x a ;\n", encoding="utf-8")
    code, output = run(str(article), "--format", "json", "--no-cache")
    assert code == 1, output
    report = json.loads(output)
    (finding,) = report["findings"]
    assert (finding["check"], finding["file"]) == ("syntax", str(pool))
    assert finding["line"] == len(pool.read_text(encoding="utf-8").splitlines())
    assert "articles not validated: the shared vocabulary does not parse" in report["notes"]


def test_findings_without_a_resource_fold_by_file_and_line() -> None:
    first = Finding("syntax", "Violation", "Turtle syntax error: x", file="a.ttl", line=3)
    again = Finding("owl", "Violation", "OWL check not run: x", file="a.ttl", line=3, rule="load")
    elsewhere = Finding("owl", "Violation", "OWL check not run: y", file="a.ttl", line=9)
    folded = fold([again, first, elsewhere])
    assert [(f.check, f.line) for f in folded] == [("syntax", 3), ("owl", 9)]
    assert folded[0].message == "Turtle syntax error: x [also found by owl load]"


def test_a_copy_in_a_folder_of_another_name_is_one_message(synthetic: Path, tmp_path: Path) -> None:
    # Each of the copy's ~165 quotes named art-0001's text, not my-copy's: one finding each.
    article = copy_article(synthetic, tmp_path)
    copy = article.rename(article.parent / "my-copy")
    code, output = run(str(copy), "--format", "json", *FAST)
    assert code == 1, output
    (finding,) = json.loads(output)["findings"]
    assert finding["rule"] == "quote-slug"
    assert finding["message"].startswith("folder my-copy holds the article IRIs of slug art-0001")
    assert "Rename the folder to art-0001" in finding["message"]
    assert "pillars new-article" in finding["message"]
    assert finding["resource"] == "https://w3id.org/pillars/id/art-0001/text"
    assert finding["file"] == str(copy / "article.ttl")
    _shift_first_offset(copy)  # the quotes are still checked, against the folder's text
    code, output = run(str(copy), "--format", "json", *FAST)
    rules = sorted(f["rule"] for f in json.loads(output)["findings"])
    assert rules == ["pilsh:QuoteMatchesTextShape", "quote-slug"]


def test_text_report_groups_by_file_and_names_the_resource(synthetic: Path, tmp_path: Path) -> None:
    article = copy_article(synthetic, tmp_path)
    _remove_first_perceiver(article)
    code, output = run(str(article), *FAST)
    assert code == 1
    lines = output.splitlines()
    assert lines[0].endswith("art-0001/article.ttl")
    assert re.match(r"  art:perception-state-\d+-\d+  \(line \d+\)", lines[1])
    assert lines[2].startswith("    VIOLATION (shacl pilsh:ThreatPerceptionShape property")
    assert "does NOT conform: 1 violation(s)" in output


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "draft.ttl"
    bad.write_text("@prefix pil: <https://w3id.org/pillars/ontology#> .\n<a> pil:x .\n")
    code, output = run(str(bad), "--format", "json", *FAST)
    assert code == 1
    (finding,) = json.loads(output)["findings"]
    assert (finding["check"], finding["file"], finding["line"]) == ("syntax", str(bad), 2)
    assert finding["column"] >= 1


def test_a_lone_turtle_file_anywhere_is_checked(synthetic: Path, tmp_path: Path) -> None:
    draft = tmp_path / "elsewhere" / "draft.ttl"
    draft.parent.mkdir()
    draft.write_bytes((synthetic / "art-0001" / "article.ttl").read_bytes())
    code, output = run(str(draft), "--format", "json", *FAST)
    assert code == 1  # no text.txt beside it, and the synthetic actors are not bundled
    findings = json.loads(output)["findings"]
    assert any("text.txt" in f["message"] for f in findings)
    shacl = [f for f in findings if f["check"] == "shacl"]
    assert shacl and all(f["file"] == str(draft) for f in shacl)


def test_cannot_run_exits_2_and_says_why(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "missing"), *FAST)
    assert code == 2
    assert "no such file or folder" in output


def test_unchanged_articles_come_from_the_cache(synthetic: Path, tmp_path: Path) -> None:
    article = copy_article(synthetic, tmp_path)
    cache = ["--cache-dir", str(tmp_path / "cache"), "--skip", "owl", "--format", "json"]
    first = json.loads(run(str(article), *cache)[1])
    second = json.loads(run(str(article), *cache)[1])
    assert (first["cached"], second["cached"]) == (0, 2)  # the article and the shared pool
    _remove_first_perceiver(article)
    third = json.loads(run(str(article), *cache)[1])
    fourth = json.loads(run(str(article), *cache)[1])
    assert third["cached"] == 1 and not third["conforms"]
    assert fourth["cached"] == 1  # a failing article is never cached


def test_shacl_report_in_turtle(synthetic: Path, tmp_path: Path) -> None:
    article = copy_article(synthetic, tmp_path)
    _remove_first_perceiver(article)
    target = tmp_path / "report.ttl"
    code, _ = run(str(article), "--shacl-report", str(target), *FAST)
    assert code == 1
    graph = rdflib.Graph().parse(target, format="turtle")
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    assert len(list(graph.subjects(rdflib.RDF.type, sh.ValidationReport))) == 2
    assert len(list(graph.subjects(rdflib.RDF.type, sh.ValidationResult))) == 1


def test_shacl_run_follows_the_checks_contract(synthetic: Path, tmp_path: Path) -> None:
    from pillars.check import shacl
    from pillars.check.units import resolve

    article = copy_article(synthetic, tmp_path)
    _remove_first_perceiver(article)
    findings = shacl.run(resolve([article]))
    assert [f.rule for f in findings] == ["pilsh:ThreatPerceptionShape property pil:perceiver"]


def test_synth_is_deterministic_and_its_offsets_are_right(tmp_path: Path) -> None:
    one, two, other = tmp_path / "one", tmp_path / "two", tmp_path / "other"
    generate(one, 2, seed=3)
    generate(two, 2, seed=3)
    generate(other, 2, seed=4)
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files and all((one / f).read_bytes() == (two / f).read_bytes() for f in files)
    assert (one / files[1]).read_bytes() != (other / files[1]).read_bytes()
    folder = one / "instances" / "art-0001"
    text = (folder / "text.txt").read_text(encoding="utf-8")
    graph = rdflib.Graph().parse(folder / "article.ttl", format="turtle")
    oa = rdflib.Namespace("http://www.w3.org/ns/oa#")
    anchors = list(graph.subject_objects(oa.exact))
    assert len(anchors) > 150
    for ev, exact in anchors:
        start, end = int(graph.value(ev, oa.start)), int(graph.value(ev, oa.end))  # type: ignore[arg-type]
        assert text[start:end] == str(exact)


def test_the_argument_rules_name_resource_file_and_line_through_the_cli(
    synthetic: Path, tmp_path: Path
) -> None:
    """A threat nobody perceives (Violation) and a mentioned actor nothing uses (Warning)."""
    article = copy_article(synthetic, tmp_path)
    path = article / "article.ttl"
    text = path.read_text(encoding="utf-8")
    unused = next(
        f"actor:state-{n:02d}" for n in range(1, 50) if f"actor:state-{n:02d} " not in text
    )
    path.write_text(
        text + '\nart:threat-lone a pil:RegionalThreat ; rdfs:label "lone threat" ;\n'
        "    pil:threatType threat-type:sanctions ; pil:groupedUnder art:component-1-1 ;\n"
        "    pil:presentedAsCommon false ; pil:hasEvidence art:ev-1 .\n"
        f"{unused} pil:hasEvidence art:ev-1 .\n"
        "art:claim-1 pil:supports <https://w3id.org/pillars/id/art-0002/claim-3> .\n",
        encoding="utf-8",
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    code, output = run(str(article), *FAST)
    assert code == 1, output
    threat_line = lines.index('art:threat-lone a pil:RegionalThreat ; rdfs:label "lone threat" ;')
    mention_line = lines.index(f"{unused} pil:hasEvidence art:ev-1 .")
    said = output.splitlines()
    assert said[0].endswith("art-0001/article.ttl")
    at = said.index(f"  art:threat-lone  (line {threat_line + 1})")
    assert said[at + 1].startswith(
        "    VIOLATION (shacl pilsh:ThreatPerceivedShape): Threat art:threat-lone has no perceiver"
    )
    at = said.index(f"  {unused}  (line {mention_line + 1})")
    assert said[at + 1].startswith(
        f"    WARNING (shacl pilsh:MentionUsedShape): {unused} (an actor) is only evidenced"
    )
    # the link into another article: SHACL's message, hygiene's untyped reference folded in
    (claim,) = [line for line in said if "pilsh:ClaimLinkInArticleShape" in line]
    assert "art:claim-1 supports art:claim-3, a resource of another article (id/art-0002/" in claim
    assert claim.endswith("[also found by hygiene untyped-reference]")
    assert "does NOT conform: 2 violation(s), 1 warning(s)" in output

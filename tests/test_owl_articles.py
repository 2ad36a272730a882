"""OWL reasoning per article in `pillars check`: the article at fault is named, the others
pass, unchanged articles come from the cache, a Java failure is a finding, and what only the
whole-corpus run (--owl-whole-corpus) can see."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import owlready2
import pytest
from click.testing import CliRunner
from test_ontology import need_java

from bench.synth import generate
from pillars.check import Finding, owl, owl_articles
from pillars.cli.check import check
from pillars.corpus import GraphSource

GRAPH = "https://w3id.org/pillars/graph/"
PIL = "https://w3id.org/pillars/ontology#"
# Only the OWL check, so a finding cannot come from SHACL or the quotes.
DATATYPE = "owl2-dl-datatype"
OWL_ONLY = ["--skip", "shacl", "--skip", "quotes", "--skip", "hygiene", "--format", "json"]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("owl-synth")
    generate(out, 3, seed=11)
    return out / "instances"


@pytest.fixture
def corpus(pristine: Path, tmp_path: Path) -> Path:
    target = tmp_path / "instances"
    shutil.copytree(pristine, target)
    return target


def run(*args: str) -> tuple[int, dict[str, Any]]:
    result = CliRunner().invoke(check, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.output)


def owl_findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    """What the OWL check found, but the standing Warnings about the ontology's use of
    xsd:gYear (owl2-dl-datatype, in every run; tests/test_owl_datatypes.py has them)."""
    return [f for f in report["findings"] if f["check"] == "owl" and f["rule"] != DATATYPE]


def contradict(article: Path) -> None:
    # The synthetic threat-3 is an IdentityThreat; identity and stability threats are disjoint.
    slug = article.name
    with (article / "article.ttl").open("a", encoding="utf-8") as out:
        out.write(f"\n<https://w3id.org/pillars/id/{slug}/threat-3> a <{PIL}StabilityThreat> .\n")


def test_inconsistent_article_is_named_and_the_others_pass(corpus: Path) -> None:
    need_java()
    contradict(corpus / "art-0002")
    # A contradiction through a property's range, declared in the ontology (pil:perceiver
    # -> pil:Actor, disjoint with the threat it is given): the article's triples must be
    # read with the ontology's property declarations.
    with (corpus / "art-0003" / "article.ttl").open("a", encoding="utf-8") as out:
        art = "https://w3id.org/pillars/id/art-0003/"
        out.write(f"\n<{art}threat-1> <{PIL}perceiver> <{art}threat-2> .\n")
    code, report = run(str(corpus), "--no-cache", *OWL_ONLY)
    assert code == 1
    found = sorted(owl_findings(report), key=lambda f: f["resource"])
    # HermiT's contradiction is pinned on the resource whose statements make it (issue 5:
    # then SHACL's message about the same resource takes it in), in the graph it names.
    ids = "https://w3id.org/pillars/id/"
    assert [(f["rule"], f["resource"]) for f in found] == [
        ("hermit-consistency", ids + "art-0002/threat-3"),
        ("hermit-consistency", ids + "art-0003/threat-1"),
    ]
    assert found[0]["file"].endswith("art-0002/article.ttl") and found[0]["line"] >= 1
    assert "graph https://w3id.org/pillars/graph/art-0002" in found[0]["message"]


def test_consistent_articles_pass(corpus: Path) -> None:
    need_java()
    code, report = run(str(corpus), "--no-cache", *OWL_ONLY)
    assert code == 0, report
    assert owl_findings(report) == []


def test_cache_skips_unchanged_articles(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need_java()
    reasoned: list[list[str]] = []
    bases: list[int] = []
    real_check, real_base = owl_articles.check, owl.run_base

    def spy_check(
        sources: Sequence[GraphSource], base: owl_articles.Base, jobs: int
    ) -> dict[str, list[Finding]]:
        reasoned.append(sorted(s.graph for s in sources))
        return real_check(sources, base, jobs)

    def spy_base(corpus: Any, datatypes: bool = False) -> list[Finding]:
        bases.append(1)
        return real_base(corpus, datatypes)

    monkeypatch.setattr(owl_articles, "check", spy_check)
    monkeypatch.setattr(owl, "run_base", spy_base)
    cache = ["--cache-dir", str(tmp_path / "cache"), *OWL_ONLY]
    every = [GRAPH + f"art-000{n}" for n in (1, 2, 3)]

    assert run(str(corpus), *cache)[0] == 0
    assert (reasoned, len(bases)) == ([every], 1)
    assert run(str(corpus), *cache)[0] == 0  # nothing changed: HermiT is not started
    assert (reasoned, len(bases)) == ([every], 1)

    with (corpus / "art-0003" / "article.ttl").open("a", encoding="utf-8") as out:
        out.write("\n# edited\n")
    assert run(str(corpus), *cache)[0] == 0
    assert reasoned[-1] == [GRAPH + "art-0003"] and len(bases) == 1

    contradict(corpus / "art-0001")
    assert run(str(corpus), *cache)[0] == 1
    assert run(str(corpus), *cache)[0] == 1  # a failing article is never cached
    assert reasoned[-2:] == [[GRAPH + "art-0001"], [GRAPH + "art-0001"]]


def test_java_failure_is_a_finding_not_a_crash(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    need_java()
    monkeypatch.setattr(owl_articles, "BATCH_JAVA_MEMORY_MB", 1)  # Java refuses a 1 MB heap
    code, report = run(str(corpus), "--no-cache", "--jobs", "1", *OWL_ONLY)
    assert code == 1
    found = owl_findings(report)
    assert sorted(f["resource"] for f in found) == [GRAPH + f"art-000{n}" for n in (1, 2, 3)]
    assert {(f["rule"], f["severity"]) for f in found} == {("hermit", "Violation")}
    assert all("heap" in f["message"].lower() for f in found), found[0]["message"]


def test_missing_java_is_said_once_and_not_remembered(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(owlready2, "JAVA_EXE", "no-such-java-runtime")
    cache = ["--cache-dir", str(tmp_path / "cache"), *OWL_ONLY]
    code, report = run(str(corpus), *cache)
    assert code == 0
    found = owl_findings(report)
    assert [(f["rule"], f["severity"]) for f in found] == [("hermit", "Warning")]
    assert "Java was not found" in found[0]["message"]
    # Nothing was reasoned over, so nothing may come from the cache once Java is there.
    monkeypatch.undo()
    need_java()
    reasoned: list[int] = []
    real = owl_articles.check

    def spy(sources: Sequence[GraphSource], base: owl_articles.Base, jobs: int) -> Any:
        reasoned.append(len(sources))
        return real(sources, base, jobs)

    monkeypatch.setattr(owl_articles, "check", spy)
    code, report = run(str(corpus), *cache)
    assert (code, owl_findings(report), reasoned) == (0, [], [3])


def test_a_contradiction_across_two_articles_needs_the_whole_corpus(tmp_path: Path) -> None:
    need_java()
    # Each article alone is consistent; together they make one actor a person and a state,
    # which the ontology declares disjoint.
    for slug, kind in (("one", "Person"), ("two", "State")):
        (tmp_path / "instances" / slug).mkdir(parents=True)
        (tmp_path / "instances" / slug / "a.ttl").write_text(
            f"<https://w3id.org/pillars/id/actor/zz-test> a <{PIL}{kind}> .\n", encoding="utf-8"
        )
    corpus = str(tmp_path / "instances")
    code, report = run(corpus, "--no-cache", *OWL_ONLY)
    assert code == 0 and owl_findings(report) == []
    code, report = run(corpus, "--no-cache", "--owl-whole-corpus", *OWL_ONLY)
    assert code == 1
    assert {f["rule"] for f in owl_findings(report)} == {"hermit-consistency"}


def test_a_java_stack_trace_is_reduced_to_its_cause() -> None:
    from pillars.check.owl import _java_error

    trace = (
        'Exception in thread "main" java.lang.OutOfMemoryError: Java heap space\n'
        "\tat org.semanticweb.HermiT.Reasoner.<init>(Reasoner.java:1)\n"
        "\tat OwlBatch.main(OwlBatch.java:60)\n"
    )
    said = _java_error(trace)
    assert said.startswith("Java ran out of memory") and "Java heap space" in said
    assert "Reasoner.java" not in said

"""The list of checks drives `pillars check`: --skip, --help, the report, the cache, the docs;
and a check added to the list runs, folds and is skipped without a change to the engine."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from bench.synth import generate
from pillars.check import Finding, registry
from pillars.check.engine import Options, run_checks
from pillars.check.registry import CORPUS, Check, Found, Job, Scope
from pillars.check.units import is_shared
from pillars.cli.check import check
from pillars.corpus import GraphSource, default_root

TOY = "toy"
QUICK = frozenset({"shacl", "quotes", "owl", "hygiene"})  # leaves syntax and the toy


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("registry-synth")
    generate(out, 2, seed=5)
    return out / "instances"


def _toy_finding(unit: GraphSource, resource: str | None = None) -> Finding:
    return Finding(
        TOY, "Warning", f"the toy looked at {unit.graph}",
        file=str(unit.files[0]), resource=resource or unit.graph, rule="toy-rule",
    )  # fmt: skip


def _add_toy(monkeypatch: pytest.MonkeyPatch, scope: Scope, calls: list[int]) -> None:
    """Register a toy check, last in the list, the way a new module's entry would be."""

    def run(job: Job) -> Found:
        calls.append(len(job.units))
        found = {u.graph: [] if is_shared(u) else [_toy_finding(u)] for u in job.units}
        if scope is Scope.CORPUS:
            return Found({CORPUS: [f for fs in found.values() for f in fs]})
        return Found(found)

    toy = Check(TOY, "a toy check", scope, run)
    monkeypatch.setattr(registry, "CHECKS", (*registry.CHECKS, toy))


def test_skip_choices_help_and_report_come_from_the_list() -> None:
    skip = next(p for p in check.params if p.name == "skip")
    assert isinstance(skip.type, click.Choice)
    assert list(skip.type.choices) == ["shacl", "quotes", "owl", "hygiene"]
    assert [c.name for c in registry.CHECKS] == ["syntax", *skip.type.choices]
    words = " ".join(CliRunner().invoke(check, ["--help"]).output.split())
    assert (
        "Runs Turtle syntax, SHACL (shapes/), quote fidelity, OWL reasoning (HermiT) and the "
        "ontology hygiene queries against the bundled ontology and shapes." in words
    )


@pytest.mark.parametrize("scope", list(Scope))
def test_a_registered_check_runs_is_reported_and_can_be_skipped(
    pristine: Path, monkeypatch: pytest.MonkeyPatch, scope: Scope
) -> None:
    calls: list[int] = []
    _add_toy(monkeypatch, scope, calls)
    options = Options(skip=QUICK, jobs=1, use_cache=False)
    report, _ = run_checks([pristine], options)
    assert report.checks_run == ["syntax", "toy"]
    found = [(f.check, f.rule, f.resource) for f in report.findings]
    graph = "https://w3id.org/pillars/graph/"
    assert found == [
        ("toy", "toy-rule", graph + "art-0001"),
        ("toy", "toy-rule", graph + "art-0002"),
    ]
    # per article: one call per unit (the shared vocabulary and two articles); else one call
    assert calls == ([1, 1, 1] if scope is Scope.ARTICLE else [3])

    report, _ = run_checks([pristine], Options(skip=QUICK | {TOY}, jobs=1, use_cache=False))
    assert report.checks_run == ["syntax"] and report.findings == []
    assert report.notes == ["skipped on request: hygiene, owl, quotes, shacl, toy"]
    assert len(calls) == (3 if scope is Scope.ARTICLE else 1)


@pytest.mark.parametrize("scope", list(Scope))
def test_a_registered_check_is_cached_by_the_engine(
    pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scope: Scope
) -> None:
    calls: list[int] = []
    _add_toy(monkeypatch, scope, calls)
    options = Options(skip=QUICK, jobs=1, cache_dir=tmp_path / "cache")
    first, _ = run_checks([pristine], options)
    second, _ = run_checks([pristine], options)
    assert len(calls) == (3 if scope is Scope.ARTICLE else 1)  # the warm run did not call it
    assert second.findings == first.findings and len(first.findings) == 2
    assert (first.cached, second.cached) == (0, 3)


def test_a_later_check_folds_into_an_earlier_one_by_the_order_of_the_list(
    pristine: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "instances" / "art-0001"
    folder.mkdir(parents=True)
    for name in ("article.ttl", "text.txt"):
        (folder / name).write_bytes((pristine / "art-0001" / name).read_bytes())
    (tmp_path / "instances" / "shared").mkdir()
    pool = (pristine / "shared" / "pool.ttl").read_bytes()
    (tmp_path / "instances" / "shared" / "pool.ttl").write_bytes(pool)
    text = (folder / "article.ttl").read_text(encoding="utf-8")
    perceiver = re.search(r"pil:perceiver actor:state-\d+ ; ", text)
    assert perceiver
    (folder / "article.ttl").write_text(text.replace(perceiver.group(0), "", 1), encoding="utf-8")

    def again(job: Job) -> Found:  # says again what the checks before it said
        return Found(
            {u.graph: [_toy_finding(u, f.resource) for f in job.earlier] for u in job.units}
        )

    toy = Check(TOY, "a toy check", Scope.ARTICLE, again)
    monkeypatch.setattr(registry, "CHECKS", (*registry.CHECKS, toy))
    skip = frozenset({"owl", "hygiene"})
    report, _ = run_checks([folder], Options(skip=skip, jobs=1, use_cache=False))
    (finding,) = report.findings
    assert (finding.check, finding.rule) == (
        "shacl",
        "pilsh:ThreatPerceptionShape property pil:perceiver",
    )
    assert finding.message.endswith(
        "the pil:Actor who perceives the threat. [also found by toy toy-rule]"
    )


def test_the_docs_list_the_checks_of_the_list() -> None:
    docs = (default_root() / "docs" / "validation.md").read_text(encoding="utf-8")
    assert registry.markdown() in docs, "docs/validation.md: paste registry.markdown()"
    rows = registry.markdown().splitlines()[2:]
    assert [row.split("`")[1] for row in rows] == ["syntax", "shacl", "quotes", "owl", "hygiene"]


CHECK_NAMES = re.compile(r"""["'](syntax|shacl|quotes|owl|hygiene)["']""")


@pytest.mark.parametrize(
    "path", ["pillars/check", "pillars/cli/check.py", "pillars/server/validate.py"]
)
def test_check_names_are_written_once(path: str) -> None:
    # pillars/check/__init__.py defines the names; everything else refers to the constants.
    root = default_root()
    files = sorted((root / path).glob("*.py")) if (root / path).is_dir() else [root / path]
    named = {f.name: CHECK_NAMES.findall(f.read_text("utf-8")) for f in files}
    assert {name: found for name, found in named.items() if found and name != "__init__.py"} == {}


def test_syntax_is_checked_when_shacl_is_skipped(tmp_path: Path) -> None:
    # The syntax check ran inside SHACL's: with --skip shacl --skip quotes a file that does
    # not parse "conformed" (exit 0).
    bad = tmp_path / "draft.ttl"
    bad.write_text("@prefix pil: <https://w3id.org/pillars/ontology#> .\n<a> pil:x .\n")
    report, _ = run_checks([bad], Options(skip=QUICK, jobs=1, use_cache=False))
    assert report.exit_code() == 1
    (finding,) = report.findings
    assert (finding.check, finding.file, finding.line) == ("syntax", str(bad), 2)


def test_the_article_cache_is_keyed_by_the_article_checks_only(
    pristine: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first, _ = run_checks([pristine], Options(skip=frozenset({"owl"}), jobs=1, cache_dir=cache))
    both = frozenset({"owl", "hygiene"})
    second, _ = run_checks([pristine], Options(skip=both, jobs=1, cache_dir=cache))
    assert (first.cached, second.cached) == (0, 3)  # skipping hygiene changes no article's key
    third, _ = run_checks([pristine], Options(skip=both | {"quotes"}, jobs=1, cache_dir=cache))
    assert third.cached == 0  # without the quotes an entry would hold other findings

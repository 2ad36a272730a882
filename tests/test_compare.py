"""The comparison across articles (pillars/compare.py), read from real stores.

Expected values are written by hand: for the fixture article from
tests/fixtures/pages/instances/fixture-article/article.ttl, for the bundled article from
instances/iranian-russian-security-convergence/pillar-threats.ttl and introduction.ttl and
instances/shared/threat-types.ttl, and for synthetic articles from what bench/synth.py writes
for every article (2 pillars of 3 components, 12 threats, 3 limits of 2 sub-limits, 5
figures in percent).
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from pages_fixture import ROOT as FIXTURE_ROOT

from bench.synth import generate
from pillars import compare
from pillars.compare import Comparison, Line, Row, Section
from pillars.corpus import discover
from pillars.store import memory_store

REPO = Path(__file__).resolve().parent.parent
FX = "https://w3id.org/pillars/id/fixture-article/"
ART = "https://w3id.org/pillars/id/iranian-russian-security-convergence/"
ACTOR = "https://w3id.org/pillars/id/actor/"
THREAT_TYPE = "https://w3id.org/pillars/id/threat-type/"
BUNDLED = "iranian-russian-security-convergence"


@pytest.fixture(scope="module")
def fixture_store() -> ox.Store:
    return memory_store(discover(FIXTURE_ROOT), entail=True)


@pytest.fixture(scope="module")
def bundled_store() -> ox.Store:
    return memory_store(discover(), entail=True)


@pytest.fixture(scope="module")
def synth_store(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    """Three synthetic articles with the bundled threat and limit types (as bench/run.py)."""
    root = tmp_path_factory.mktemp("synth")
    for folder in ("ontology", "shapes"):
        (root / folder).symlink_to(REPO / folder)
    generate(root, 3, seed=7)
    for ttl in (REPO / "instances" / "shared").glob("*.ttl"):
        shutil.copy(ttl, root / "instances" / "shared" / ttl.name)
    return memory_store(discover(root), entail=True)


def section(comparison: Comparison, key: str) -> Section:
    return next(s for s in comparison.sections if s.key == key)


def row(comparison: Comparison, section_key: str, row_key: str) -> Row:
    return next(r for r in section(comparison, section_key).rows if r.key == row_key)


def labels(lines: tuple[Line, ...]) -> list[str]:
    return [line.label for line in lines]


# ---------------------------------------------------------------- the fixture article


def test_fixture_article_pillars_with_components_and_quotes(fixture_store: ox.Store) -> None:
    comparison = compare.compare(fixture_store, ["fixture-article"])
    assert comparison.articles == (
        compare.Article("fixture-article", FX + "article", "A fixture article on convergence"),
    )
    (cell,) = row(comparison, "pillars", "pillars").cells
    assert labels(cell) == ["Common threat perceptions", "Shared misrecognition"]
    assert [labels(p.children) for p in cell] == [
        ["Identity threats"],
        ["Misrecognition by the West"],
    ]
    misrecognition = cell[1]
    assert misrecognition.iri == FX + "pillar-misrecognition"
    assert misrecognition.quote == compare.Quote(
        FX + "ev-misrecognition", "shared misrecognition by the West", 107, 140, FX + "text"
    )


def test_fixture_article_untyped_threat_and_limit(fixture_store: ox.Store) -> None:
    comparison = compare.compare(fixture_store, ["fixture-article"])
    threats = section(comparison, "threats").rows
    assert [r.label for r in threats] == ["No threat type"]  # fx: threats have no pil:threatType
    (threat,) = threats[0].cells[0]
    assert threat.label == "Regime change promoted from abroad"
    assert threat.note == "perceived by Alphaland, Betaland"
    assert threat.quote is not None and (threat.quote.start, threat.quote.end) == (194, 228)
    (limit,) = row(comparison, "limits", "untyped").cells[0]
    assert (limit.label, limit.note) == ("Power asymmetry", "involves Gammaland")
    # Two quotes (fx:ev-asymmetry at 251, fx:ev-gammaland at 300): the first in the text.
    assert limit.quote is not None and limit.quote.evidence == FX + "ev-asymmetry"


def test_fixture_article_actors_by_role(fixture_store: ox.Store) -> None:
    comparison = compare.compare(fixture_store, ["fixture-article"])
    converging = row(comparison, "actors", "converging").cells[0]
    assert [(a.iri, a.note) for a in converging] == [
        (ACTOR + "alphaland", "in 1 convergence"),
        (ACTOR + "betaland", "in 1 convergence"),
    ]
    assert converging[0].quote is not None
    assert converging[0].quote.exact == "Alphaland and Betaland have drawn closer"
    perceivers = row(comparison, "actors", "perceivers").cells[0]
    assert [(a.label, a.note) for a in perceivers] == [
        ("Alphaland", "in 1 perception"),
        ("Betaland", "in 1 perception"),
    ]
    assert labels(row(comparison, "actors", "involved").cells[0]) == ["Gammaland"]
    assert row(comparison, "figures", "figures").cells == ((),)  # no pil:Quantity


# ---------------------------------------------------------------- the bundled article


def test_bundled_threat_types_nest_under_broader_ones(bundled_store: ox.Store) -> None:
    comparison = compare.compare(bundled_store, [BUNDLED])
    rows = section(comparison, "threats").rows
    order = [r.key for r in rows]
    military = order.index(THREAT_TYPE + "military-threat")
    # threat-types.ttl: both narrower than military-threat (skos:broader), listed after it.
    assert order[military + 1 : military + 3] == [
        THREAT_TYPE + "foreign-military-presence",
        THREAT_TYPE + "nato-expansion",
    ]
    assert [rows[military + i].depth for i in range(3)] == [0, 1, 1]
    assert rows[military + 2].label == "NATO expansion"
    (nato,) = rows[military + 2].cells[0]
    assert nato.iri == ART + "threat-nato-expansion"
    assert nato.label == "NATO's expansion to the east"
    assert nato.note == "perceived by Iran, Russia; presented as common"
    # Two quotes: ev-component-regional-threats (19111) comes before ev-claim-two-... (27729).
    assert nato.quote is not None and nato.quote.evidence == ART + "ev-component-regional-threats"
    assert (nato.quote.start, nato.quote.end, nato.quote.text) == (19111, 19285, ART + "text")


def test_bundled_figure_reads_as_printed(bundled_store: ox.Store) -> None:
    comparison = compare.compare(bundled_store, [BUNDLED])
    (cell,) = row(comparison, "figures", "figures").cells
    trade = next(f for f in cell if f.iri == ART + "quantity-trade")
    assert trade.label == "barely exceeds 2,000,000,000 USD"
    assert trade.note == "value of trade between Iran and Russia"
    assert trade.quote is not None
    assert (trade.quote.exact, trade.quote.start, trade.quote.end) == (
        "barely exceeds USD 2 billion",
        1116,
        1144,
    )


# ---------------------------------------------------------------- synthetic articles


def test_synthetic_articles_line_up_column_by_column(synth_store: ox.Store) -> None:
    comparison = compare.compare(synth_store, ["art-0002", "art-0001"])
    assert [a.title for a in comparison.articles] == ["Synthetic article 2", "Synthetic article 1"]
    for cell in row(comparison, "pillars", "pillars").cells:
        assert labels(cell) == ["pillar 1", "pillar 2"]
        assert [labels(p.children) for p in cell] == [
            ["component 1.1", "component 1.2", "component 1.3"],
            ["component 2.1", "component 2.2", "component 2.3"],
        ]
    threat_rows = section(comparison, "threats").rows
    for column in (0, 1):
        listed = [line.label for r in threat_rows for line in r.cells[column]]
        assert sorted(listed) == sorted(f"threat {t}" for t in range(1, 13))
        assert all(line.iri.startswith("https://w3id.org/pillars/id/art-000") for line in
                   (ln for r in threat_rows for ln in r.cells[column]))  # fmt: skip
    assert all(r.iri and r.iri.startswith(THREAT_TYPE) for r in threat_rows)  # all are typed


def test_synthetic_sub_limits_sit_under_their_limit(synth_store: ox.Store) -> None:
    comparison = compare.compare(synth_store, ["art-0003"])
    limit_rows = section(comparison, "limits").rows
    assert "untyped" not in [r.key for r in limit_rows]  # sub-limits have no type of their own
    top = sorted((line for r in limit_rows for line in r.cells[0]), key=lambda ln: ln.label)
    assert labels(tuple(top)) == ["limit 1", "limit 2", "limit 3"]
    assert [labels(t.children) for t in top] == [
        ["limit 1.1", "limit 1.2"],
        ["limit 2.1", "limit 2.2"],
        ["limit 3.1", "limit 3.2"],
    ]
    figures = row(comparison, "figures", "figures").cells[0]
    assert len(figures) == 5 and all(f.label.endswith(" percent") for f in figures)
    assert all(f.note.startswith("share of ") and f.quote is not None for f in figures)


def test_csv_has_a_header_and_one_row_per_line(synth_store: ox.Store) -> None:
    comparison = compare.compare(synth_store, ["art-0001", "art-0002"])
    text = compare.csv_text(comparison, lambda line: "https://example.org/" + line.label)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == compare.CSV_HEADER
    pillars = [r for r in rows if r["section"] == "Pillars" and r["article"] == "art-0002"]
    # 2 pillars and their 6 components, each on its own row; a component names its pillar.
    assert [(r["line"], r["within"]) for r in pillars] == [
        ("pillar 1", ""), ("component 1.1", "pillar 1"), ("component 1.2", "pillar 1"),
        ("component 1.3", "pillar 1"), ("pillar 2", ""), ("component 2.1", "pillar 2"),
        ("component 2.2", "pillar 2"), ("component 2.3", "pillar 2"),
    ]  # fmt: skip
    threats = [r for r in rows if r["section"] == "Threats by type" and r["article"] == "art-0001"]
    assert len(threats) == 12
    assert all(r["quote"].startswith(r["line"].capitalize() + " is ") for r in threats)
    assert all(r["evidence_url"] == "https://example.org/" + r["line"] for r in threats)


# ---------------------------------------------------------------- the parameter


def test_slugs_from_commas_and_repeats() -> None:
    assert compare.parse_slugs(["a,b", "c", " b ,, d"]) == ["a", "b", "c", "d"]
    assert compare.parse_slugs([""]) == []


def test_unknown_slug_names_the_nearest() -> None:
    with pytest.raises(compare.UnknownArticle) as caught:
        compare.check_slugs(["art-0001", "art-001"], ["art-0001", "art-0002", "other"])
    assert caught.value.slug == "art-001"
    assert "art-0001" in caught.value.suggestions
    assert "no article 'art-001' in this dataset (did you mean art-0001" in str(caught.value)


class RecordingStore:
    """A store that notes every query and the dataset it was given, then answers it."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.asked: list[tuple[str, list[str] | None, bool]] = []

    def query(self, query: str, **dataset: Any) -> Any:
        named = dataset.get("named_graphs")
        union = bool(dataset.get("use_default_graph_as_union"))
        self.asked.append((query, None if named is None else [g.value for g in named], union))
        return self.store.query(query, **dataset)

    def __getattr__(self, name: str) -> Any:  # pattern lookups, graph names: not used here
        raise AssertionError(f"the comparison called store.{name}")


def test_every_query_is_bounded_to_the_chosen_graphs(synth_store: ox.Store) -> None:
    """Per article: the article graphs as the query's dataset; else one graph by name
    (shared, ontology). Never the union of all graphs, never an open GRAPH ?g."""
    recording = RecordingStore(synth_store)
    compare.compare(recording, ["art-0001", "art-0003"])  # type: ignore[arg-type]
    chosen = ["https://w3id.org/pillars/graph/art-0001", "https://w3id.org/pillars/graph/art-0003"]
    assert len(recording.asked) >= 8
    for query, named, union in recording.asked:
        assert not union, query
        if named is not None:
            assert named == chosen, query
        else:
            assert "GRAPH ?" not in query, query
            assert "GRAPH <https://w3id.org/pillars/graph/" in query, query

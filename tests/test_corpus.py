from pathlib import Path

import pytest

from pillars.corpus import CorpusError, discover, parse_turtle
from pillars.store import memory_store


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:d ex:e .\n")
    with pytest.raises(CorpusError) as caught:
        parse_turtle(bad, "http://example.org/g")
    assert caught.value.line == 3
    assert str(bad) in str(caught.value)


def test_bundled_corpus_loads_article_text_into_its_graph() -> None:
    store = memory_store()
    rows = list(
        store.query(
            "SELECT (STRLEN(?t) AS ?n) WHERE { GRAPH "
            "<https://w3id.org/pillars/graph/iranian-russian-security-convergence> { "
            "<https://w3id.org/pillars/id/iranian-russian-security-convergence/text> "
            "<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString> ?t } }"
        )
    )
    assert int(rows[0]["n"].value) == 39868  # the length ../shared/article/README.md gives


def test_broken_corpus_stores_nothing(tmp_path: Path) -> None:
    (tmp_path / "ontology").mkdir()
    (tmp_path / "ontology" / "ok.ttl").write_text("<http://x/a> <http://x/b> <http://x/c> .\n")
    (tmp_path / "ontology" / "zz-broken.ttl").write_text("<http://x/a> <http://x/b> .\n")
    with pytest.raises(CorpusError):
        memory_store(discover(tmp_path))

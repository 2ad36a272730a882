"""Cutting an article text into pieces at every quote boundary."""

from __future__ import annotations

from pillars.server.pages_text import anchor

TEXT = "abcdefghij"


def test_pieces_cover_the_text_and_the_shortest_quote_wins() -> None:
    quoted = [(0, 6, "long"), (2, 4, "short"), (8, 10, "tail")]
    pieces = anchor(TEXT, quoted, lambda iri: "/" + iri).pieces
    assert "".join(p.text for p in pieces) == TEXT
    assert [(p.text, p.link) for p in pieces] == [
        ("ab", "/long"),
        ("cd", "/short"),  # inside both quotes: the shorter, more specific one
        ("ef", "/long"),
        ("gh", None),
        ("ij", "/tail"),
    ]


def test_the_asked_span_is_marked_once_with_an_id() -> None:
    result = anchor(TEXT, [(2, 4, "q")], lambda iri: iri, highlight=(1, 5))
    marked = [p.text for p in result.pieces if p.marked]
    assert marked == ["b", "cd", "e"]
    assert [p.first_mark for p in result.pieces if p.marked] == [True, False, False]


def test_share_of_quoted_characters() -> None:
    result = anchor(TEXT, [(0, 2, "a"), (1, 5, "b")], lambda iri: iri)
    assert result.quoted_chars == 5
    assert result.share == 0.5
    assert anchor("", [], lambda iri: iri).share == 0.0

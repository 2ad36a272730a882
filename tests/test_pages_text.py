"""Cutting an article text into pieces at every quote boundary."""

from __future__ import annotations

from pillars.server.pages.text import anchor

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


def test_heading_lines_become_blocks_of_their_level() -> None:
    text = "Intro.\nA Heading\nBody one.\nSub\nBody two."
    heads = [(7, 16, 1), (27, 30, 2)]  # "A Heading", "Sub"
    blocks = anchor(text, [(0, 9, "q")], lambda iri: iri, heading_lines=heads).blocks
    shown = [(b.level, "".join(p.text for p in b.pieces)) for b in blocks]
    # the line break that ends a heading's line is the heading block's end, not shown again
    assert shown == [
        (0, "Intro.\n"),
        (1, "A Heading"),
        (0, "Body one.\n"),
        (2, "Sub"),
        (0, "Body two."),
    ]
    assert [p.link for p in blocks[1].pieces] == ["q", None]  # a quote across the heading's start


def test_the_bundled_text_page_has_the_printed_headings_as_headings() -> None:
    import re

    from pillars.server.app import create_app

    client = create_app().test_client()
    page = client.get(
        "/id/iranian-russian-security-convergence/text.html", follow_redirects=True
    ).get_data(as_text=True)
    found = re.findall(r'<h([3-6]) class="text-heading">(?:<a[^>]*>)?(.*?)(?:</a>)?</h\1>', page)
    # The article's printed headings (section 1 has none), pillars' components one level down.
    assert found == [
        ("3", "The pillar of international misrecognition"),
        ("4", "Shared self-image"),
        ("4", "Thick recognition"),
        ("4", "Mutual recognition"),
        ("3", "The pillar of common threat perceptions"),
        ("4", "Growing identity threats"),
        ("4", "Long-term threats to stability"),
        ("4", "Overlapping regional threats"),
        ("3", "Limits of convergence"),
        ("3", "Conclusion: toward security convergence"),
    ]
    assert "milestone in their bilateral relations.</a></h" not in page

import pytest

from pillars.anchor import AnchorError, locate

TEXT = "Iran and Russia. Iran again."


def test_offsets_slice_back_to_the_quote() -> None:
    found = locate(TEXT, "Russia")
    assert (found.start, found.end) == (9, 15)
    assert found.prefix == "Iran and "
    assert found.suffix == ". Iran again."


def test_repeated_quote_needs_an_occurrence() -> None:
    with pytest.raises(AnchorError, match="occurs 2 times"):
        locate(TEXT, "Iran")
    assert locate(TEXT, "Iran", occurrence=2).start == 17


def test_missing_quote_is_an_error() -> None:
    with pytest.raises(AnchorError, match="not in the text"):
        locate(TEXT, "Turkey")

"""The evaluator's answer framing: what the web process decodes is what the evaluator sent."""

from __future__ import annotations

import pytest

from pillars.server.evaluator import Answer, decode_answer, encode_answer


@pytest.mark.parametrize(
    "answer",
    [
        Answer(200, b'{"head":{"vars":["s"]}}', "json", False),
        Answer(200, b"<a> <b> <c> .\n" * 1000, "ntriples", True),
        Answer(400, "query syntax error: é".encode()),
        Answer(200, b"", "tsv"),
    ],
)
def test_round_trip(answer: Answer) -> None:
    assert decode_answer(encode_answer(answer)) == answer


def test_header_is_small_and_body_follows_unchanged() -> None:
    message = encode_answer(Answer(504, b"xyz", "csv", True))
    assert message.endswith(b"csvxyz")
    assert len(message) == 4 + 3 + 3

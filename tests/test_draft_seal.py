"""The seal of draft.ttl: a machine-written draft is recognised, any edit is noticed."""

from pillars.draft.seal import is_untouched, seal


def test_seal_line_is_the_sha256_of_the_body() -> None:
    # sha256 of b"abc", typed from the FIPS 180-2 test vector
    assert seal("abc") == (
        "# pillars draft: sha256="
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\nabc"
    )


def test_untouched_draft_is_recognised() -> None:
    assert is_untouched(seal("art:x a pil:Claim .\n"))
    assert is_untouched(seal(""))


def test_an_edit_breaks_the_seal() -> None:
    text = seal("art:x a pil:Claim .\n")
    assert not is_untouched(text.replace("Claim", "Thesis"))
    assert not is_untouched(text + " ")
    assert not is_untouched(text.replace("\n", "\r\n", 1))


def test_text_without_seal_is_not_untouched() -> None:
    assert not is_untouched("art:x a pil:Claim .\n")
    assert not is_untouched("# pillars draft: sha256=ABC\nbody")
    assert not is_untouched("")

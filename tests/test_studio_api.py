"""The studio's JSON API over real HTTP on 127.0.0.1, on a temporary copy of the corpus.

Every write is checked against the bytes of the article folder before and after: a refused
request changes no byte; an accepted one changes only studio.ttl (and draft.ttl for drafts).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from studio_fixture import (
    ART,
    DRAFT_BODY,
    SLUG,
    TIMEOUT,
    TOKEN,
    Studio,
    copy_corpus,
    running_studio,
    write_draft,
)

from pillars.draft.seal import is_untouched, seal

THESIS_LINE = 326  # article.ttl: "art:thesis a pil:Thesis ;" (counted by hand)
TEXT_LENGTH = 39868  # code points of text.txt


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studio]:
    root = copy_corpus(tmp_path_factory.mktemp("corpus"))
    with running_studio(root) as running:
        yield running


@pytest.fixture(autouse=True)
def clean_owned_files(studio: Studio) -> Iterator[None]:
    """Each test starts without studio.ttl and draft.ttl (they are the studio's only files)."""
    for name in ("studio.ttl", "draft.ttl"):
        (studio.folder / name).unlink(missing_ok=True)
    yield


def claim(
    start: int = 1110, end: int = 1144, label: str = "Trade between Iran and Russia is small"
) -> dict[str, object]:
    return {
        "type": "pil:Claim",
        "label": label,
        "evidence": [{"start": start, "end": end}],
        "links": {"pil:supports": ["art:thesis"]},
    }


def refused(
    studio: Studio, method: str, path: str, body: object, status: int, reason: str, **headers: str
) -> dict[str, object]:
    before = studio.snapshot()
    r = studio.write(method, path, body, **headers)
    assert r.status_code == status, r.text
    assert reason in r.json()["error"], r.json()
    assert studio.snapshot() == before, "a refused request changed a file"
    return r.json()


# ------------------------------------------------------------------------------ security


def test_session_gives_the_token_to_its_own_origin(studio: Studio) -> None:
    r = requests.get(studio.base + "/api/session", headers={"Origin": studio.base}, timeout=TIMEOUT)
    assert r.status_code == 200
    assert r.json() == {"token": TOKEN}
    page = requests.get(studio.base + "/", timeout=TIMEOUT)
    assert f'<meta name="pillars-token" content="{TOKEN}">' in page.text
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def test_session_refused_to_another_origin_and_another_host(studio: Studio) -> None:
    r = requests.get(
        studio.base + "/api/session", headers={"Origin": "http://evil.example"}, timeout=TIMEOUT
    )
    assert r.status_code == 403
    assert "token" not in r.json()
    # DNS rebinding: the name of another site resolving to 127.0.0.1
    r = requests.get(
        studio.base + "/api/session", headers={"Host": "evil.example:8001"}, timeout=TIMEOUT
    )
    assert r.status_code == 403
    assert r.json()["error"] == "Host 'evil.example:8001' is not this studio's address"
    r = requests.get(studio.base + "/", headers={"Sec-Fetch-Site": "cross-site"}, timeout=TIMEOUT)
    assert r.status_code == 403


def test_writes_without_the_token_or_from_another_origin_write_nothing(studio: Studio) -> None:
    refused(
        studio,
        "POST",
        "/resources",
        claim(),
        403,
        "needs the studio's token",
        **{"X-Pillars-Token": ""},
    )
    refused(
        studio,
        "POST",
        "/resources",
        claim(),
        403,
        "does not hold this run's token",
        **{"X-Pillars-Token": "guess"},
    )
    refused(
        studio,
        "POST",
        "/resources",
        claim(),
        403,
        "origin 'http://evil.example' are refused",
        Origin="http://evil.example",
    )
    refused(studio, "POST", "/undo", None, 403, "origin 'null' are refused", Origin="null")
    refused(
        studio,
        "DELETE",
        "/resources/thesis",
        None,
        403,
        "needs the studio's token",
        **{"X-Pillars-Token": ""},
    )
    assert not (studio.folder / "studio.ttl").exists()


def test_a_form_post_is_refused_even_with_the_token(studio: Studio) -> None:
    before = studio.snapshot()
    r = requests.post(
        studio.api("/resources"), data="type=pil:Claim",
        headers={"X-Pillars-Token": TOKEN, "Content-Type": "application/x-www-form-urlencoded"},
        timeout=TIMEOUT,
    )  # fmt: skip
    assert r.status_code == 415
    assert studio.snapshot() == before


# ------------------------------------------------------------------------------ reading


def test_articles_lists_slugs_and_titles(studio: Studio) -> None:
    r = requests.get(studio.base + "/api/articles", timeout=TIMEOUT)
    assert r.json() == {
        "articles": [{"slug": SLUG, "title": "The Pillars of Iranian-Russian Security Convergence"}]
    }


def test_article_gives_text_sections_resources_coverage_findings(studio: Studio) -> None:
    data = requests.get(studio.api(""), timeout=TIMEOUT).json()
    assert len(data["text"]) == TEXT_LENGTH
    section = next(s for s in data["sections"] if s["name"] == "art:section-2")
    assert section["label"] == "The pillar of international misrecognition"
    assert (section["start"], section["heading"]["end"], section["end"]) == (5206, 5248, 5947)
    thesis = next(r for r in data["resources"] if r["name"] == "art:thesis")
    assert thesis["types"] == ["pil:Thesis"]
    assert thesis["owner"] == "hand"
    assert (thesis["file"], thesis["line"]) == (f"instances/{SLUG}/article.ttl", THESIS_LINE)
    iran = next(r for r in data["resources"] if r["name"] == "actor:iran")
    assert iran["owner"] == "shared" and iran["kind"] == "actor" and iran["evidence"]
    assert data["coverage"]["sentences"] == 229 and data["coverage"]["covered"] == 229
    assert [f["severity"] for f in data["findings"]] == ["Info"]


def test_search_finds_shared_actors_by_label_and_class(studio: Studio) -> None:
    r = requests.get(
        studio.api("/search"), params={"q": "iran", "class": "pil:State"}, timeout=TIMEOUT
    )
    names = [hit["name"] for hit in r.json()["results"]]
    assert names[0] == "actor:iran"
    assert all(hit["kind"] == "actor" for hit in r.json()["results"])


def test_vocabulary_form_of_a_quantity_comes_from_the_shapes(studio: Studio) -> None:
    data = requests.get(studio.base + "/api/vocabulary", timeout=TIMEOUT).json()
    quantity = next(c for c in data["classes"] if c["name"] == "pil:Quantity")
    fields = {f["path"]: f for f in quantity["fields"]}
    assert fields["pil:numericValue"]["required"] is True
    assert fields["pil:numericValue"]["datatype"] == "xsd:decimal"
    assert fields["pil:qualifier"]["required"] is False
    assert "barely exceeds" in fields["pil:qualifier"]["help"]
    perception = next(c for c in data["classes"] if c["name"] == "pil:ThreatPerception")
    perceiver = next(f for f in perception["fields"] if f["path"] == "pil:perceiver")
    assert perceiver["kind"] == "link" and perceiver["classes"] == ["pil:Actor"]
    assert perceiver["max"] == 1


# ------------------------------------------------------------------------------ creating


EXPECTED_BLOCK = """art:claim-trade-between-iran-russia a pil:Claim ;
    rdfs:label "Trade between Iran and Russia is small"@en ;
    pil:hasEvidence art:ev-claim-trade-between-iran-russia ;
    pil:supports art:thesis .

art:ev-claim-trade-between-iran-russia a pil:Evidence ;
    oa:exact "trade barely exceeds USD 2 billion" ;
    oa:prefix "nt Iranian-Russian relations as " ;
    oa:suffix " (Mosavian 2017). The fate of jo" ;
    oa:start 1110 ;
    oa:end 1144 ;
    pil:inText art:text ;
    pil:inSection art:section-1 .
"""


def test_create_writes_only_studio_ttl_deterministically(studio: Studio) -> None:
    before = studio.snapshot()
    r = studio.write("POST", "/resources", claim())
    assert r.status_code == 201, r.text
    data = r.json()
    assert data["iri"] == ART + "claim-trade-between-iran-russia"
    assert data["file"] == f"instances/{SLUG}/studio.ttl"
    assert data["turtle"] == EXPECTED_BLOCK + "\n"
    after = studio.snapshot()
    assert {k: v for k, v in after.items() if k != "studio.ttl"} == before
    text = after["studio.ttl"].decode()
    assert text.endswith(EXPECTED_BLOCK)
    assert (
        "@prefix art: <https://w3id.org/pillars/id/iranian-russian-security-convergence/> ." in text
    )
    assert [f["severity"] for f in data["findings"]] == ["Info"]  # still clean


def test_create_values_and_minted_iris_are_unique(studio: Studio) -> None:
    body = {
        "type": "pil:Quantity", "label": "Trade volume",
        "evidence": [{"start": 1131, "end": 1144, "exact": "USD 2 billion"}],
        "values": {"pil:numericValue": "2000000000", "pil:unit": "USD", "pil:measures": "trade"},
    }  # fmt: skip
    first = studio.write("POST", "/resources", body).json()
    second = studio.write("POST", "/resources", body).json()
    assert first["iri"] == ART + "quantity-trade-volume"
    assert second["iri"] == ART + "quantity-trade-volume-2"
    text = (studio.folder / "studio.ttl").read_text()
    assert "pil:numericValue 2000000000.0 ;" in text
    assert "art:ev-quantity-trade-volume-2 a pil:Evidence" in text


def test_chosen_iri_is_kept(studio: Studio) -> None:
    r = studio.write("POST", "/resources", {**claim(), "iri": "art:claim-small-trade"})
    assert r.status_code == 201
    assert r.json()["iri"] == ART + "claim-small-trade"


BAD_BODIES = [
    ({**claim(), "evidence": [{"start": 39000, "end": 39900}]}, "outside the text (0 to 39868)"),
    ({**claim(), "evidence": [{"start": -1, "end": 5}]}, "outside the text"),
    (
        {**claim(), "evidence": [{"start": 50, "end": 50}]},
        "end (50) must be greater than start (50)",
    ),
    (
        {
            **claim(),
            "evidence": [
                {"start": 1110, "end": 1144, "exact": "trade barely exceeds USD 3 billion"}
            ],
        },
        "differs from the text at 1110-1144, which reads 'trade barely exceeds USD 2 billion'",
    ),
    ({**claim(), "evidence": [{"start": "1", "end": 5}]}, "whole numbers"),
    ({**claim(), "type": "pil:Claimm"}, "unknown class pil:Claimm"),
    ({**claim(), "type": "pil:Evidence"}, "cannot be created in the studio"),
    ({**claim(), "links": {"pil:suports": ["art:thesis"]}}, "unknown property pil:suports"),
    (
        {**claim(), "links": {"pil:perceiver": ["actor:iran"]}},
        "pil:perceiver is not a property of pil:Claim",
    ),
    (
        {**claim(), "links": {"pil:supports": ["actor:iran"]}},
        "pil:supports of a pil:Claim must point to a pil:ArticleElement; actor:iran is a pil:State",
    ),
    (
        {**claim(), "links": {"pil:supports": ["art:no-such-claim"]}},
        "art:no-such-claim is not a resource",
    ),
    (
        {"type": "pil:Quantity", "values": {"pil:numericValue": "lots"}},
        "pil:numericValue is xsd:decimal: 'lots' is not a decimal such as 705000000.0",
    ),
    (
        {"type": "pil:Source", "values": {"pil:year": "17"}},
        "pil:year is xsd:gYear: '17' is not a four-digit year",
    ),
    (
        {"type": "pil:Quantity", "links": {"pil:unit": ["art:thesis"]}},
        "pil:unit takes a value, not a link",
    ),
    (
        {**claim(), "iri": "art:thesis"},
        f"art:thesis already exists (in instances/{SLUG}/article.ttl, line 326)",
    ),
    ({**claim(), "iri": "art:has space"}, "the name made of letters, digits and hyphens"),
    ({**claim(), "colour": "red"}, "unknown key(s) in the body: colour"),
    (["not", "an", "object"], "the body must be a JSON object"),
]


@pytest.mark.parametrize(("body", "reason"), BAD_BODIES)
def test_bad_input_is_refused_with_the_reason_and_writes_nothing(
    studio: Studio, body: object, reason: str
) -> None:
    refused(studio, "POST", "/resources", body, 400, reason)


def test_bad_input_is_refused_when_studio_ttl_exists_too(studio: Studio) -> None:
    assert studio.write("POST", "/resources", claim()).status_code == 201
    body = {**claim(), "iri": "art:claim-trade-between-iran-russia"}
    reason = "art:claim-trade-between-iran-russia already exists"
    reason += f" (in instances/{SLUG}/studio.ttl, line 10)"
    refused(studio, "POST", "/resources", body, 400, reason)


# ------------------------------------------------------------------------------ changing


def test_put_replaces_a_studio_resource_and_delete_removes_it(studio: Studio) -> None:
    iri = studio.write("POST", "/resources", claim()).json()["iri"]
    name = iri.rsplit("/", 1)[1]
    body = {"type": "pil:Counterpoint", "label": "Trade is small"}
    r = studio.write(
        "PUT", f"/resources/{name}", {**body, "links": {"pil:attacks": ["art:thesis"]}}
    )
    assert r.status_code == 200, r.text
    text = (studio.folder / "studio.ttl").read_text()
    assert f'art:{name} a pil:Counterpoint ;\n    rdfs:label "Trade is small"@en ;\n' in text
    assert "pil:attacks art:thesis" in text and "pil:supports" not in text
    assert f"art:ev-{name} a pil:Evidence" in text  # evidence kept: the body gave none
    r = studio.write("DELETE", f"/resources/{name}")
    assert r.status_code == 200
    assert name not in (studio.folder / "studio.ttl").read_text()


def test_hand_written_resources_are_never_rewritten(studio: Studio) -> None:
    data = refused(
        studio, "PUT", "/resources/thesis", claim(), 409, "is written by hand in instances/"
    )
    assert data["file"] == f"instances/{SLUG}/article.ttl"
    assert data["line"] == THESIS_LINE
    data = refused(
        studio, "DELETE", "/resources/thesis", None, 409, f"article.ttl, line {THESIS_LINE}"
    )
    assert data["file"] == f"instances/{SLUG}/article.ttl"
    refused(
        studio, "DELETE", "/resources/actor:iran", None, 409, "belongs to the shared vocabulary"
    )
    refused(studio, "DELETE", "/resources/claim-nothing", None, 404, "no resource claim-nothing")


def test_evidence_for_a_hand_written_and_a_shared_resource_goes_to_studio_ttl(
    studio: Studio,
) -> None:
    before = studio.snapshot()
    r = studio.write("POST", "/resources/thesis/evidence", {"start": 1026, "end": 1042})
    assert r.status_code == 201, r.text
    r = studio.write(
        "POST", "/resources/actor:iran/evidence", {"start": 1081, "end": 1088, "exact": "Iranian"}
    )
    assert r.status_code == 201, r.text
    after = studio.snapshot()
    assert {k: v for k, v in after.items() if k != "studio.ttl"} == before
    text = after["studio.ttl"].decode()
    assert "art:thesis pil:hasEvidence art:ev-thesis-" in text
    assert "actor:iran pil:hasEvidence art:ev-iran ." in text
    assert 'oa:exact "Economic factors" ;' in text
    refused(
        studio,
        "POST",
        "/resources/thesis/evidence",
        {"start": 10, "end": 5},
        400,
        "end (5) must be greater",
    )
    refused(
        studio,
        "POST",
        "/resources/claim-none/evidence",
        {"start": 1, "end": 5},
        404,
        "no resource claim-none",
    )


def test_undo_restores_the_bytes(studio: Studio) -> None:
    assert studio.write("POST", "/resources", claim()).status_code == 201
    first = studio.snapshot()
    assert (
        studio.write("POST", "/resources", claim(1026, 1042, "Economic factors fail")).status_code
        == 201
    )
    assert studio.write("POST", "/undo").status_code == 200
    assert studio.snapshot() == first
    assert studio.write("POST", "/undo").status_code == 200
    assert not (studio.folder / "studio.ttl").exists()


def test_undo_refuses_to_lose_a_hand_edit(studio: Studio) -> None:
    assert studio.write("POST", "/resources", claim()).status_code == 201
    path = studio.folder / "studio.ttl"
    path.write_text(path.read_text() + "\n# an editor's note\n")
    refused(studio, "POST", "/undo", None, 409, "studio.ttl changed since the studio wrote it")


def test_file_view_shows_the_turtle(studio: Studio) -> None:
    studio.write("POST", "/resources", claim())
    r = requests.get(studio.api("/files/studio.ttl"), timeout=TIMEOUT)
    assert r.json()["text"].endswith(EXPECTED_BLOCK)
    r = requests.get(studio.api("/files/..%2Fsecret.ttl"), timeout=TIMEOUT)
    assert r.status_code in (400, 404)


# ------------------------------------------------------------------------------ drafts


def test_accepting_a_citation_moves_it_with_its_draft_claim(studio: Studio) -> None:
    write_draft(studio.folder)
    before = studio.snapshot()
    r = studio.write("POST", "/drafts/cite-mosavian-2017-2/accept")
    assert r.status_code == 200, r.text
    after = studio.snapshot()
    assert {k: v for k, v in after.items() if k not in ("studio.ttl", "draft.ttl")} == {
        k: v for k, v in before.items() if k != "draft.ttl"
    }
    studio_ttl = after["studio.ttl"].decode()
    assert "art:cite-mosavian-2017-2 a pil:Citation" in studio_ttl
    assert "art:claim-draft-trade a pil:Claim" in studio_ttl  # its citedFor claim came along
    assert "pil:draft" not in studio_ttl
    draft_ttl = after["draft.ttl"].decode()
    assert is_untouched(draft_ttl)
    assert "cite-mosavian-2017-2" not in draft_ttl and "claim-draft-trade" not in draft_ttl
    assert "art:cite-divsallar-and-arjmand-2019-2 a pil:Citation" in draft_ttl


def test_rejecting_a_citation_and_a_mention_removes_them(studio: Studio) -> None:
    write_draft(studio.folder)
    r = studio.write(
        "POST",
        "/drafts/reject",
        {"names": ["cite-divsallar-and-arjmand-2019-2", "ev-mention-russia-1"]},
    )
    assert r.status_code == 200, r.text
    draft_ttl = (studio.folder / "draft.ttl").read_text()
    assert is_untouched(draft_ttl)
    assert "divsallar" not in draft_ttl and "mention-russia" not in draft_ttl
    assert "art:cite-mosavian-2017-2 a pil:Citation" in draft_ttl
    assert not (studio.folder / "studio.ttl").exists()
    data = requests.get(studio.api(""), timeout=TIMEOUT).json()
    drafts = sorted(r["name"] for r in data["resources"] if r["draft"])
    assert drafts == ["art:cite-mosavian-2017-2", "art:claim-draft-trade"]


def test_draft_errors(studio: Studio) -> None:
    write_draft(studio.folder)
    refused(studio, "POST", "/drafts/thesis/accept", None, 404, "no draft art:thesis in draft.ttl")
    refused(
        studio, "POST", "/drafts/ev-claim-draft-trade/accept", None, 404, "not a draft of its own"
    )
    refused(studio, "POST", "/drafts/cite-mosavian-2017-2/approve", None, 404, "no such action")
    refused(
        studio,
        "PUT",
        "/resources/claim-draft-trade",
        claim(),
        409,
        "is a draft: accept or reject it first",
    )


# ------------------------------------------------------------------------------ checks


def test_a_wrong_kind_of_link_shows_as_a_finding_and_goes_when_fixed(studio: Studio) -> None:
    target = studio.write("POST", "/resources", claim(1026, 1042, "Economic factors fail")).json()[
        "iri"
    ]
    body = {**claim(), "links": {"pil:supports": [target]}}
    supporter = studio.write("POST", "/resources", body).json()["iri"]
    # The supported claim turns out to be a section reference: retype it to a pil:Source.
    r = studio.write(
        "PUT",
        "/resources/" + target.rsplit("/", 1)[1],
        {"type": "pil:Source", "label": "Economic factors"},
    )
    findings = [f for f in r.json()["findings"] if f["resource"] == supporter]
    assert [f["message"] for f in findings] == [
        "What claim art:claim-trade-between-iran-russia supports (pil:supports) must be a "
        "statement "
        "of the article (a claim or other pil:ArticleElement)."
    ]
    assert findings[0]["file"] == f"instances/{SLUG}/studio.ttl"
    r = studio.write("PUT", "/resources/" + supporter.rsplit("/", 1)[1], claim())
    assert not [f for f in r.json()["findings"] if f["resource"] == supporter]


def test_the_check_after_a_save_equals_a_full_check(studio: Studio, tmp_path: Path) -> None:
    studio.write("POST", "/resources", claim())
    incremental = studio.write(
        "POST", "/resources", {"type": "pil:Claim", "label": "Unanchored"}
    ).json()["findings"]
    full = requests.post(
        studio.api("/check"), json={}, headers={"X-Pillars-Token": TOKEN}, timeout=TIMEOUT
    )
    assert sorted(f["message"] for f in incremental) == sorted(
        f["message"] for f in full.json()["findings"]
    )
    assert any("quotes no evidence" in f["message"] for f in incremental)


def test_a_link_from_a_hand_written_resource_goes_to_studio_ttl(studio: Studio) -> None:
    before = studio.snapshot()
    body = {"property": "pil:supports", "target": "art:thesis"}
    r = studio.write("POST", "/resources/claim-economic-factors-fail/links", body)
    assert r.status_code == 201, r.text
    after = studio.snapshot()
    assert {k: v for k, v in after.items() if k != "studio.ttl"} == before
    assert (
        "art:claim-economic-factors-fail pil:supports art:thesis ." in after["studio.ttl"].decode()
    )
    wrong = {"property": "pil:supports", "target": "actor:iran"}
    reason = "must point to a pil:ArticleElement; actor:iran is a pil:State"
    refused(studio, "POST", "/resources/claim-economic-factors-fail/links", wrong, 400, reason)
    refused(
        studio, "POST", "/resources/claim-economic-factors-fail/links", body, 400, "already has"
    )
    unknown = {"property": "pil:perceiver", "target": "actor:iran"}
    reason = "pil:perceiver is not a property of pil:Claim"
    refused(studio, "POST", "/resources/claim-economic-factors-fail/links", unknown, 400, reason)


def test_names_proposes_the_iri_a_save_would_mint(studio: Studio) -> None:
    before = studio.snapshot()
    r = studio.write("POST", "/names", claim())
    assert r.json() == {
        "iri": ART + "claim-trade-between-iran-russia",
        "name": "art:claim-trade-between-iran-russia",
    }
    r = studio.write("POST", "/names", {"type": "pil:Thesis"})
    assert r.json()["name"] == "art:thesis-2"  # art:thesis is taken
    r = studio.write("POST", "/names", {"type": "pil:Nothing"})
    assert r.status_code == 400
    assert studio.snapshot() == before


def test_a_save_that_would_break_an_anchor_or_a_parse_is_refused(studio: Studio) -> None:
    created = studio.write("POST", "/resources", claim()).json()["iri"]
    name = created.rsplit("/", 1)[1]
    hand = studio.folder / "hand.ttl"
    hand.write_text(
        f"@prefix art: <{ART}> .\n@prefix pil: <https://w3id.org/pillars/ontology#> .\n"
        f"art:thesis pil:hasEvidence art:ev-{name} .\n"
    )
    try:
        refused(studio, "DELETE", f"/resources/ev-{name}", None, 409, "would break its anchor")
        hand.write_text("@prefix art: <x> .\nart:a art:b .\n")  # line 2 lacks its object
        data = refused(studio, "POST", "/resources", claim(1026, 1042), 409, "does not parse")
        assert data["file"] == f"instances/{SLUG}/hand.ttl"
        assert data["line"] == 2
    finally:
        hand.unlink()


def test_an_actor_added_to_the_shared_vocabulary_meanwhile_is_known(studio: Studio) -> None:
    actors = studio.root / "instances" / "shared" / "actors.ttl"
    original = actors.read_bytes()
    try:
        actors.write_bytes(
            original + b'\nactor:test-person a pil:Person ; rdfs:label "Test Person"@en .\n'
        )
        r = requests.get(studio.api("/search"), params={"q": "test person"}, timeout=TIMEOUT)
        assert [hit["name"] for hit in r.json()["results"]] == ["actor:test-person"]
        r = studio.write(
            "POST", "/resources/actor:test-person/evidence", {"start": 1026, "end": 1042}
        )
        assert r.status_code == 201, r.text
        assert not [f for f in r.json()["findings"] if f["severity"] == "Violation"]
    finally:
        actors.write_bytes(original)


def test_check_with_owl_on_request(studio: Studio) -> None:
    from pillars.check import owl

    if owl.java_executable() is None:  # HermiT needs Java: skipped locally, a failure in CI
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI=true and no Java runtime for HermiT")
        pytest.skip("no Java runtime for HermiT")
    before = studio.snapshot()
    r = studio.write("POST", "/check", {"owl": True})
    assert r.status_code == 200, r.text
    assert [(f["check"], f["severity"]) for f in r.json()["findings"]] == [("shacl", "Info")]
    assert studio.snapshot() == before


def test_a_draft_with_a_wrong_anchor_can_still_be_rejected(studio: Studio) -> None:
    broken = DRAFT_BODY + (
        "\nart:claim-draft-broken a pil:Claim ;\n    pil:hasEvidence art:ev-claim-draft-broken ;\n"
        "    pil:draft true .\n\nart:ev-claim-draft-broken a pil:Evidence ;\n"
        '    oa:exact "Economic factors" ;\n    oa:start 1027 ;\n    oa:end 1043 ;\n'
        "    pil:inText art:text ;\n    pil:draft true .\n"
    )
    (studio.folder / "draft.ttl").write_text(seal(broken), encoding="utf-8")
    data = requests.get(studio.api(""), timeout=TIMEOUT).json()
    assert any(f["resource"] == ART + "ev-claim-draft-broken" for f in data["findings"])
    r = studio.write("POST", "/drafts/claim-draft-broken/reject")
    assert r.status_code == 200, r.text
    assert "claim-draft-broken" not in (studio.folder / "draft.ttl").read_text()
    assert not any(f.get("resource") == ART + "ev-claim-draft-broken" for f in r.json()["findings"])

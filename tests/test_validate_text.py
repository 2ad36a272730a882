"""POST /validate of a new article whose text is not served: the text goes with the draft,
as the article's own nif:isString (Turtle, TriG) or as the `text` part of a multipart body
that carries the folder's Turtle files. The folder gets the verdict `pillars check` gives."""

from __future__ import annotations

import json
import socket
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from conftest import pillars_command

TEXT = (
    "Trade barely exceeds USD 2 billion (Mosavian 2017). Russia and Iran share threats.\n"
    "The first pillar\n"
    "As Trenin (2018) argues, Russia balances the United States in the Middle East.\n"
)
SLUG = "validate-probe"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*pillars_command(), *args], capture_output=True, text=True,
                          timeout=300, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new article, made by `new-article` and `draft`, in a corpus of its own."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "ontology").mkdir()  # the bundled ontology and shapes are used either way
    text = root / "text.txt"
    text.write_text(TEXT, encoding="utf-8")
    made = run("new-article", SLUG, "--root", str(root), "--text", str(text), "--title", "T",
               "--journal", "J", "--year", "2019", "--author", "A Person",
               "--heading", "The first pillar")  # fmt: skip
    assert made.returncode == 0, made.stderr
    drafted = run("draft", SLUG, "--root", str(root))
    assert drafted.returncode == 0, drafted.stderr
    return root / "instances" / SLUG


def post_folder(url: str, folder: Path, text: bytes | None = None) -> requests.Response:
    files = [
        ("file", (p.name, p.read_bytes(), "text/turtle")) for p in sorted(folder.glob("*.ttl"))
    ]
    files.append(("text", ("text.txt", text or (folder / "text.txt").read_bytes(), "text/plain")))
    return requests.post(url + "/validate", files=files, timeout=120)


def check_json(folder: Path) -> dict[str, object]:
    done = run("check", str(folder), "--format", "json", "--no-cache", "--skip", "owl")
    assert done.returncode in (0, 1), done.stderr
    return dict(json.loads(done.stdout))


def violations(report: dict[str, object], check: str | None = None) -> set[tuple[str, str]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {
        (str(f.get("resource")), str(f.get("file", "")).rsplit("/", 1)[-1])
        for f in findings
        if f["severity"] == "Violation" and (check is None or f["check"] == check)
    }


def test_a_new_articles_folder_conforms_as_pillars_check_says(
    live_server: str, folder: Path
) -> None:
    r = post_folder(live_server, folder)
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["conforms"] is True, report["findings"]
    assert check_json(folder)["conforms"] is True


def test_a_broken_anchor_is_named_by_file_and_line_as_pillars_check_does(
    live_server: str, folder: Path, tmp_path: Path
) -> None:
    broken = tmp_path / SLUG
    broken.mkdir()
    for p in folder.iterdir():
        (broken / p.name).write_bytes(p.read_bytes())
    draft = broken / "draft.ttl"
    body = draft.read_text(encoding="utf-8")
    assert body.count('oa:exact "') > 3
    draft.write_text(body.replace('oa:exact "', 'oa:exact "Not ', 1), encoding="utf-8")
    r = post_folder(live_server, broken)
    assert r.status_code == 200, r.text
    served = r.json()
    assert served["conforms"] is False
    found = [f for f in served["findings"] if f["severity"] == "Violation"]
    assert found and all(f["file"] == "draft.ttl" and f["line"] > 1 for f in found), found
    # pillars check reports the same resources of the same file (its quote check folds in).
    assert violations(served) == violations(check_json(broken), "shacl")


def test_the_text_may_come_inside_the_turtle(live_server: str, folder: Path) -> None:
    turtle = b"".join(p.read_bytes() + b"\n" for p in sorted(folder.glob("*.ttl")))
    quoted = json.dumps(TEXT).encode()  # a JSON string is a valid Turtle string here
    own_text = (
        b"<https://w3id.org/pillars/id/" + SLUG.encode() + b"/text> "
        b"<http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#isString> "
        + quoted
        + b" .\n"
    )
    # Prefix declarations may come anywhere in Turtle, so the files concatenate.
    r = requests.post(live_server + "/validate", data=turtle + own_text, timeout=120,
                      headers={"Content-Type": "text/turtle"})  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["conforms"] is True, r.json()["findings"]
    without = requests.post(live_server + "/validate", data=turtle, timeout=120,
                            headers={"Content-Type": "text/turtle"})  # fmt: skip
    assert without.json()["conforms"] is False  # its quotes have no text to be found in


def test_trig_is_accepted(live_server: str) -> None:
    trig = b'<urn:g> { <urn:a> <http://www.w3.org/2000/01/rdf-schema#label> "a" . }'
    r = requests.post(live_server + "/validate", data=trig, timeout=60,
                      headers={"Content-Type": "application/trig"})  # fmt: skip
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("text", ("text.txt", b"x", "text/plain"))], "multipart: no `file` part"),
        ([("file", ("my notes.ttl", b"<urn:a> <urn:b> <urn:c> .", "text/turtle"))],
         "multipart: a `file` part is named 'my notes.ttl'"),
        ([("file", ("notes.txt", b"<urn:a> <urn:b> <urn:c> .", "text/plain"))],
         "multipart: a `file` part is named 'notes.txt'"),
        ([("file", ("a.ttl", b"<urn:a> <urn:b> .", "text/turtle"))],
         "a.ttl: syntax error at line 1"),
        ([("file", ("a.ttl", b"<urn:a> <urn:b> <urn:c> .", "text/turtle")),
          ("file", ("a.ttl", b"<urn:a> <urn:b> <urn:d> .", "text/turtle"))],
         "multipart: two `file` parts are named 'a.ttl'"),
        ([("file", ("a.ttl", b"<urn:a> <urn:b> <urn:c> .", "text/turtle")),
          ("text", ("text.txt", b"\xff\xfe", "text/plain"))],
         "multipart: the `text` part is not UTF-8 (byte 0)"),
    ],
)  # fmt: skip
def test_bad_multipart_bodies_are_400s_naming_the_part(
    live_server: str, files: list[tuple[str, tuple[str, bytes, str]]], message: str
) -> None:
    r = requests.post(live_server + "/validate", files=files, timeout=60)
    assert r.status_code == 400
    assert message in r.text


def test_a_body_shorter_than_its_content_length_is_refused(live_server: str) -> None:
    # It used to be checked as it was and answered "conforms" (issue 17).
    where = urlsplit(live_server)
    with socket.create_connection((where.hostname, where.port), timeout=20) as sock:
        head = (
            "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Type: text/turtle\r\n"
            "Content-Length: 1000\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(head.encode() + b"<urn:a> <urn:b> <urn:c> .")
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status = answer.split(b"\r\n", 1)[0]
    assert b" 400 " in status, answer[:300]
    # granian's front cannot tell how many bytes came; gunicorn's can
    assert b"the body ended" in answer and b"1000 bytes (Content-Length)" in answer

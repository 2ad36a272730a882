"""Shared set-up for the studio tests: a temporary copy of the corpus, the studio on a real
WSGI server on 127.0.0.1 (a free port), and helpers to compare the article folder's bytes."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from pillars.draft.seal import seal
from pillars.studio.app import create_app, serve

REPO = Path(__file__).resolve().parent.parent
SLUG = "iranian-russian-security-convergence"
ART = f"https://w3id.org/pillars/id/{SLUG}/"
TOKEN = "test-token-of-this-run"
TIMEOUT = 60  # seconds per request (the first look at the article runs the whole check)


@dataclass
class Studio:
    base: str
    root: Path
    host: str  # the Host header value the studio answers to

    @property
    def folder(self) -> Path:
        return self.root / "instances" / SLUG

    def api(self, path: str) -> str:
        return f"{self.base}/api/articles/{SLUG}{path}"

    def write(
        self, method: str, path: str, body: object = None, **headers: str
    ) -> requests.Response:
        sent = {"X-Pillars-Token": TOKEN, "Origin": self.base, **headers}
        return requests.request(method, self.api(path), json=body, headers=sent, timeout=TIMEOUT)

    def snapshot(self) -> dict[str, bytes]:
        """Every file of the article folder, by name, as bytes."""
        return {p.name: p.read_bytes() for p in sorted(self.folder.iterdir()) if p.is_file()}


def copy_corpus(target: Path) -> Path:
    for part in ("ontology", "shapes", "instances"):
        shutil.copytree(REPO / part, target / part)
    return target


@contextmanager
def running_studio(root: Path) -> Iterator[Studio]:
    app = create_app(root, token=TOKEN)
    with serve(app) as server:
        port = server.server_port
        yield Studio(f"http://127.0.0.1:{port}", root, f"127.0.0.1:{port}")


DRAFT_BODY = f"""@prefix art: <{ART}> .
@prefix actor: <https://w3id.org/pillars/id/actor/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix pil: <https://w3id.org/pillars/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

art:cite-mosavian-2017-2 a pil:Citation ;
    rdfs:label "(Mosavian 2017)" ;
    pil:citesWork art:source-mosavian-2017 ;
    pil:citedFor art:claim-draft-trade ;
    pil:hasEvidence art:ev-cite-mosavian-2017-2 ;
    pil:draft true .

art:ev-cite-mosavian-2017-2 a pil:Evidence ;
    oa:exact "(Mosavian 2017)" ;
    oa:prefix "eds USD 2 billion " ;
    oa:suffix ". The fate of joint" ;
    oa:start 1145 ;
    oa:end 1160 ;
    pil:inText art:text ;
    pil:draft true .

art:claim-draft-trade a pil:Claim ;
    rdfs:label "Economic factors fail to explain current Iranian-Russian relations"@en ;
    pil:hasEvidence art:ev-claim-draft-trade ;
    pil:draft true .

art:ev-claim-draft-trade a pil:Evidence ;
    oa:exact "Economic factors fail to explain the nature of current Iranian-Russian relations" ;
    oa:start 1026 ;
    oa:end 1106 ;
    pil:inText art:text ;
    pil:draft true .

art:cite-divsallar-and-arjmand-2019-2 a pil:Citation ;
    rdfs:label "(Divsallar and Arjmand 2019)" ;
    pil:citesWork art:source-divsallar-arjmand-2019 ;
    pil:hasEvidence art:ev-cite-divsallar-and-arjmand-2019-2 ;
    pil:draft true .

art:ev-cite-divsallar-and-arjmand-2019-2 a pil:Evidence ;
    oa:exact "(Divsallar and Arjmand 2019)" ;
    oa:start 2465 ;
    oa:end 2493 ;
    pil:inText art:text ;
    pil:draft true .

actor:russia pil:hasEvidence art:ev-mention-russia-1 .

art:ev-mention-russia-1 a pil:Evidence ;
    oa:exact "Russian" ;
    oa:start 1089 ;
    oa:end 1096 ;
    pil:inText art:text ;
    pil:draft true .
"""


def write_draft(folder: Path) -> str:
    """A hand-made draft.ttl, sealed as the contract says; returns its text."""
    text = seal(DRAFT_BODY)
    (folder / "draft.ttl").write_text(text, encoding="utf-8")
    return text

"""The seal of a machine-written draft.ttl: proof that no person has edited it since.

The first line of a draft is `# pillars draft: sha256=<64 lowercase hex>`, the SHA-256 of the
UTF-8 bytes of everything after that line's newline. The drafter replaces a draft only while
its seal matches (a person's edits are never lost silently); the studio, which also writes
draft.ttl, re-seals whenever it rewrites it.
"""

from __future__ import annotations

import hashlib
import re

SEAL_PREFIX = "# pillars draft: sha256="
_SEAL_LINE = re.compile(r"# pillars draft: sha256=([0-9a-f]{64})\n")


def digest(body: str) -> str:
    """The lowercase hex SHA-256 of `body`'s UTF-8 bytes."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def seal(body: str) -> str:
    """`body` with its seal line in front: the whole text of a draft.ttl."""
    return f"{SEAL_PREFIX}{digest(body)}\n{body}"


def is_untouched(text: str) -> bool:
    """True when `text` begins with a seal line whose digest is that of the rest."""
    match = _SEAL_LINE.match(text)
    return match is not None and match.group(1) == digest(text[match.end() :])

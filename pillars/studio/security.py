"""Who may talk to the studio: its own page only.

The studio writes the corpus, so any web page the editor visits must not be able to drive
it. Three locks, each enough against one attack:

- Host: a request whose Host header is not the studio's own address is refused, so a
  DNS-rebinding page (evil.example resolving to 127.0.0.1) reaches nothing.
- Origin: a request a browser marks as coming from another origin (Origin, or
  Sec-Fetch-Site: cross-site) is refused, reads included: no cross-site request forgery.
- Token: every write carries the per-run token in X-Pillars-Token. The token is printed when
  the studio starts, embedded in its page and given by GET /api/session, which other origins
  cannot read. Writes must also be JSON, which no HTML form can send.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable

from flask import Request

TOKEN_HEADER = "X-Pillars-Token"
WRITE_METHODS = frozenset({"POST", "PUT", "DELETE", "PATCH"})
LOOPBACK = ("127.0.0.1", "localhost", "[::1]")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def allowed_hosts(host: str, port: int) -> frozenset[str]:
    """The Host header values of the studio's own address (loopback under its usual names)."""
    names: Iterable[str] = LOOPBACK if host in ("127.0.0.1", "localhost", "::1") else (host,)
    return frozenset(f"{name}:{port}".lower() for name in names)


def refusal(request: Request, hosts: frozenset[str], token: str) -> str | None:
    """Why the request is refused (403), or None when it may go on."""
    host = (request.headers.get("Host") or "").lower()
    if host not in hosts:
        return f"Host {host or '(none)'!r} is not this studio's address"
    origin = request.headers.get("Origin")
    if origin is not None and origin.lower() not in {f"http://{h}" for h in hosts}:
        return (
            f"requests from the origin {origin!r} are refused: "
            "only the studio's own page may call it"
        )
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return "cross-site requests are refused"
    if request.method in WRITE_METHODS:
        given = request.headers.get(TOKEN_HEADER, "")
        if not given:
            return f"a write needs the studio's token in the {TOKEN_HEADER} header"
        if not hmac.compare_digest(given.encode(), token.encode()):
            return f"the {TOKEN_HEADER} header does not hold this run's token"
    return None

"""Find what a query would make the server reach before it is evaluated.

pyoxigraph fetches any URL named by SERVICE, with no time limit, and offers no hook to stop
it, so SERVICE calls and dataset clauses (FROM, FROM NAMED) are found here by a small lexer
that skips string literals, comments and IRIs the way the SPARQL grammar does; a keyword
cannot hide from it. Only the tokens needed to resolve targets are kept: PREFIX and BASE
declarations, the SERVICE keyword and its target, FROM [NAMED] and its graph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

_IRI = re.compile(r"<([^<>\"{}|^`\\\x00-\x20]*)>")
_LONG_STRING = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"", re.S
)
_STRING = re.compile(r"'(?:[^'\\\n\r]|\\.)*'|\"(?:[^\"\\\n\r]|\\.)*\"")
_PNAME = re.compile(r"(?:[^\W\d][\w.\-\u00b7]*)?:(?:[^\s<>\"'{}()\[\];,#?$!=&|*+/^\\]*)")
_WORD = re.compile(r"[^\W\d][\w\-]*")
_VAR = re.compile(r"[?$]\w+")
_SPACE = re.compile(r"\s+")


@dataclass
class Scan:
    """What a query names: SERVICE targets (None when not a fixed IRI) and dataset graphs."""

    services: list[str | None] = field(default_factory=list)
    from_graphs: list[str] = field(default_factory=list)
    from_named: list[str] = field(default_factory=list)


def tokens(query: str) -> list[tuple[str, str]]:
    """(kind, text) with kind in iri, pname, word, var, other; strings and comments dropped."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            end = min((j for j in (query.find("\n", i), query.find("\r", i)) if j >= 0), default=n)
            i = end
            continue
        if c in "'\"":
            m = _LONG_STRING.match(query, i) or _STRING.match(query, i)
            i = m.end() if m else n  # an unterminated string: the parser will reject it
            continue
        for kind, pattern in (("iri", _IRI), ("pname", _PNAME), ("word", _WORD), ("var", _VAR)):
            m = pattern.match(query, i)
            if m:
                out.append((kind, m.group(1) if kind == "iri" else m.group(0)))
                i = m.end()
                break
        else:
            m = _SPACE.match(query, i)
            if m:
                i = m.end()
            else:
                out.append(("other", c))
                i += 1
    return out


# What makes the query parser recurse: brackets, and each operator of an expression or a
# property path (`1+1+...` parses into a left-deep tree as deep as the chain is long).
# Relational operators do not chain in SPARQL, so they are not counted.
_NESTING_CHARS = "(){}[]!+-*/&|^"
_NESTING = re.compile(
    r"(?P<skip>" + _IRI.pattern + "|" + _LONG_STRING.pattern + "|" + _STRING.pattern
    + r"|#[^\n\r]*|" + _PNAME.pattern + r"|[?$]\w+)|(?P<mark>[" + re.escape(_NESTING_CHARS) + "])",
    re.S,
)  # fmt: skip


def nesting(query: str) -> int:
    """How deep the query parser would recurse, lexically: the open brackets plus the operators
    met inside them. IRIs, strings, comments, prefixed names and variables are skipped."""
    if sum(query.count(c) for c in _NESTING_CHARS) < 64:
        return 0  # far below any limit: no need to lex
    depth = deepest = 0
    chain = [0]  # operators met at each open level
    for m in _NESTING.finditer(query):
        mark = m.group("mark")
        if mark is None:
            continue
        if mark in "({[":
            depth += 1
            chain.append(0)
        elif mark in ")}]":
            if len(chain) > 1:
                depth -= chain.pop() + 1
        else:
            chain[-1] += 1
            depth += 1
        deepest = max(deepest, depth)
    return deepest


def too_deep(query: str, limit: int) -> str | None:
    """Why the query is refused for its nesting (see `nesting`), or None."""
    depth = nesting(query)
    if depth <= limit:
        return None
    return (
        f"the query nests {depth} levels deep (brackets, and the operators of one expression); "
        f"at most {limit} are accepted (max_query_nesting)"
    )


def scan(query: str) -> Scan:
    result = Scan()
    folded = query.casefold()
    if "service" not in folded and "from" not in folded:
        return result  # most queries: nothing to look for, no need to lex

    prefixes: dict[str, str] = {}
    base: str | None = None
    toks = tokens(query)

    def resolve(kind: str, text: str) -> str | None:
        if kind == "iri":
            return urljoin(base, text) if base else text
        if kind == "pname":
            prefix, _, local = text.partition(":")
            if prefix in prefixes:
                return prefixes[prefix] + local
        return None

    i = 0
    while i < len(toks):
        kind, text = toks[i]
        word = text.upper() if kind in ("word", "pname") else ""
        nxt = toks[i + 1] if i + 1 < len(toks) else ("", "")
        if word == "PREFIX" and nxt[0] == "pname" and i + 2 < len(toks):
            target = toks[i + 2]
            if target[0] == "iri":
                prefixes[nxt[1].partition(":")[0]] = resolve(*target) or target[1]
            i += 3
            continue
        if word == "BASE" and nxt[0] == "iri":
            base = resolve(*nxt)
            i += 2
            continue
        if word == "SERVICE":
            j = i + 1
            if j < len(toks) and toks[j][1].upper() == "SILENT":
                j += 1
            target = toks[j] if j < len(toks) else ("", "")
            result.services.append(resolve(*target))
            i = j + 1
            continue
        if word == "FROM":
            j = i + 1
            named = j < len(toks) and toks[j][1].upper() == "NAMED"
            j += 1 if named else 0
            target = toks[j] if j < len(toks) else ("", "")
            graph = resolve(*target)
            if graph is not None:
                (result.from_named if named else result.from_graphs).append(graph)
            i = j + 1
            continue
        i += 1
    return result


UPDATE_WORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)


QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")


def first_keyword(query: str) -> str:
    """The first word after the PREFIX and BASE declarations ("" if there is none), as
    written: what a query form (SELECT ...) or an update (INSERT ...) begins with."""
    toks = tokens(query)
    i = 0
    while i < len(toks):
        word = toks[i][1] if toks[i][0] in ("word", "pname") else ""
        if word.upper() == "PREFIX":
            i += 3
        elif word.upper() == "BASE":
            i += 2
        else:
            return word
    return ""


def is_update(query: str) -> bool:
    """Does the text begin (after PREFIX and BASE declarations) like a SPARQL Update?

    Asked only of text that failed to parse as a query, so that an update sent as `query=`
    is told the endpoint is read-only rather than "expected CONSTRUCT".
    """
    return first_keyword(query).upper() in UPDATE_WORDS


# A SELECT query read from its first character: whitespace, whole comments (without a
# backslash, in case an escape could end one), PREFIX and BASE declarations, then SELECT.
_SELECT_START = re.compile(
    r"(?:\s|#[^\n\r\\]*(?=[\n\r]|\Z)|(?:PREFIX\s*(?:[^\W\d][\w.\-\u00b7]*)?:\s*|BASE\s*)"
    r"<[^<>\"{}|^`\\\x00-\x20]*>)*+SELECT\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Modifiers:
    """What bounds the rows of a query: is it a SELECT (read without doubt), its top-level
    LIMIT, and whether a VALUES block follows it (after which no LIMIT may be added)."""

    select: bool
    limit: int | None
    values: bool


def modifiers(query: str) -> Modifiers:
    """The query's top-level LIMIT and VALUES, lexing only when those words occur at all."""
    select = _SELECT_START.match(query) is not None
    folded = query.casefold()
    if "limit" not in folded and "values" not in folded:
        return Modifiers(select, None, False)
    toks = tokens(query)
    limit: int | None = None
    values, depth = False, 0
    for i, (kind, text) in enumerate(toks):
        if kind == "other":
            depth += (text == "{") - (text == "}")
        elif kind == "word" and depth == 0:  # outside every group: a solution modifier
            word = text.upper()
            if word == "VALUES":
                values = True
            elif word == "LIMIT":
                digits = ""
                for k, t in toks[i + 1 :]:
                    if k != "other" or t not in "0123456789":
                        break
                    digits += t
                limit = int(digits) if digits else None
    return Modifiers(select, limit, values)


def refused_service(found: Scan, allowlist: tuple[str, ...]) -> str | None:
    """The first SERVICE target outside `allowlist`, as a message names it; None if none.

    Shared by the endpoint (403) and `pillars query`, so both refuse the same calls.
    """
    for target in found.services:
        if not allowed(target, allowlist):
            return f"<{target}>" if target else "a variable or unresolved endpoint"
    return None


def allowed(target: str | None, prefixes: tuple[str, ...]) -> bool:
    """Is `target` an endpoint under one of `prefixes`? Scheme, host and port must be equal
    (so `http://example.org` does not admit `http://example.org.evil.net/`) and the path must
    start with the prefix's path; user info in the target is never allowed."""
    if target is None:
        return False
    try:
        t = urlsplit(target)
        if t.username is not None or t.password is not None:
            return False
        for prefix in prefixes:
            p = urlsplit(prefix)
            same_origin = (t.scheme, t.hostname, t.port) == (p.scheme, p.hostname, p.port)
            if same_origin and t.path.startswith(p.path) and t.scheme in ("http", "https"):
                return True
    except ValueError:  # a malformed port and the like
        return False
    return False

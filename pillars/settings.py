"""Every limit and switch of the server, in one table.

The README's settings table, the `pillars serve` options and the `/-/settings` pages are all
generated from `SETTINGS`, so a setting cannot exist without being documented (a test checks
that the README holds the generated table).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Setting:
    """One row of the settings table."""

    name: str
    type: type  # int, float, str or tuple (a list of strings)
    default: Any
    help: str

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "query_timeout",
        float,
        30.0,
        "Seconds a query may compute before it is stopped and answered with 504. A client may "
        "lower it per query with the `timeout` parameter, never raise it.",
    ),
    Setting(
        "max_rows",
        int,
        10000,
        "Most result rows (SELECT) or triples (CONSTRUCT, DESCRIBE) returned; beyond it the "
        "answer is truncated and says so (header `Pillars-Truncated`, flag in the body).",
    ),
    Setting(
        "max_request_bytes",
        int,
        1048576,
        "Largest request body or query string accepted, in bytes; larger ones get 413.",
    ),
    Setting(
        "max_query_nesting",
        int,
        1000,
        "Deepest a query may nest, counting brackets and the operators of one expression; a "
        "deeper one gets 400. The query parser recurses once per level, and some 5,000 levels "
        "overflow its stack and kill the evaluator.",
    ),
    Setting(
        "service_allowlist",
        tuple,
        (),
        "Endpoint IRI prefixes that SERVICE may call (repeat the option for several). Empty: "
        "every SERVICE is refused with 403, since it makes the server fetch URLs.",
    ),
    Setting(
        "max_concurrent_queries",
        int,
        16,
        "Queries evaluated or waiting at once per worker; beyond it 503 with Retry-After.",
    ),
    Setting(
        "public_url",
        str,
        "",
        "Public base URL of the server (e.g. https://pillars.example.org), used in the Service "
        "Description and VoID. Empty: the URL each request arrived at.",
    ),
    Setting(
        "front",
        str,
        "granian",
        "HTTP server in front of the app. `granian`: compiled and event-driven, so a client "
        "that sends its request slowly holds a socket, not a thread (headers and body must each "
        "arrive within read_timeout). `gunicorn`: threads that read each request themselves; "
        "a few slow clients can hold them all, but a client that half-closes its connection "
        "after its request still gets the answer (granian closes such connections).",
    ),
    Setting(
        "read_timeout",
        float,
        10.0,
        "Seconds a client has to send a request's headers, and again its body (granian front). "
        "A slow body gets 408; slow headers have the connection closed.",
    ),
    Setting(
        "max_connections",
        int,
        4096,
        "Open client connections per worker (granian front); beyond it new connections wait in "
        "the listen queue until one closes. granian times out slow headers from their first "
        "byte, so a connection that never sends one is bounded only by this limit (and by a "
        "proxy's or firewall's limits per address).",
    ),
    Setting(
        "workers",
        int,
        1,
        "Web worker processes, each with its own evaluators and result cache. One keeps "
        "up with the evaluators when queries take milliseconds (1,000 articles on two cores); "
        "a second adds about 35 % to the rate of sub-millisecond queries (100 articles) and "
        "nearly doubles that of answers from the result cache (HTTP handling is Python, one "
        "interpreter lock per worker), for about 200 MiB more.",
    ),
    Setting(
        "threads",
        int,
        32,
        "Threads per web worker running the app (requests served at once). Keep it above "
        "max_concurrent_queries, so that a full worker answers 503 instead of queueing.",
    ),
    Setting(
        "evaluators",
        int,
        0,
        "Queries evaluated at once per worker, each on its own evaluator thread, in processes "
        "that hold the store and are killed when a query runs out of time (see "
        "evaluator_threads). 0: the CPUs shared among the workers plus one (so no core waits "
        "while an answer is handed over), at least 2 each.",
    ),
    Setting(
        "evaluator_threads",
        int,
        0,
        "How many of a worker's evaluators share one process, as threads over its one copy of "
        "the store (pyoxigraph computes without the interpreter lock). 0: all of them when an "
        "on-disk store is copied into memory (one copy instead of one per process), else one "
        "per process. A query stopped (time or memory limit, or its client gone) stops its "
        "whole process; the queries running beside it are run again on another (once).",
    ),
    Setting(
        "evaluator_memory",
        int,
        2048,
        "MiB of memory each evaluator process may allocate for its queries (an on-disk store's "
        "caches included, an in-memory store not; its query threads share it); a query that "
        "needs more is stopped with 503 and the process replaced. 0: no limit.",
    ),
    Setting(
        "store_mode",
        str,
        "auto",
        "Where the evaluators read an on-disk store (`--store`) from. `memory`: a copy in memory, "
        "loaded once by the zygote the evaluators are forked from (0.27-0.4x the CPU per query "
        "of the disk); queries are answered from the disk until the copy is ready. `disk`: the "
        "store's files. `auto`: memory if the estimate of its cost fits memory_budget. A corpus "
        "served from its files is always in memory.",
    ),
    Setting(
        "memory_budget",
        int,
        0,
        "MiB that auto store_mode may spend on an in-memory copy of the store (the zygote's "
        "copy, plus the pages each evaluator comes to own, estimated from the quad count). 0: a "
        "quarter of the machine's memory (or of the cgroup's limit, if lower).",
    ),
    Setting(
        "entailment",
        str,
        "rdfs",
        "What the ontology entails, stored beside what the corpus asserts when it is loaded (the "
        "corpus served from its files, `pillars load`, `pillars push`, `pillars query`, `pillars "
        "export`). `rdfs`: the types and super-properties of the subclass and subproperty "
        "closure, and the ontology's property chains (pil:perceivedBy), in graphs "
        "`graph/entailed/<name>` of their own, so `?x a pil:Threat` finds every kind of threat "
        "while `GRAPH <article>` shows only what the article asserts. `off`: asserted triples "
        "only. A store built by `pillars load` keeps what it was built with.",
    ),
    Setting(
        "result_cache_bytes",
        int,
        67108864,
        "Bytes of query answers each worker keeps in memory, so a repeated query (same text, "
        "dataset, format and limits, same store) is not evaluated again. 0 turns the cache off.",
    ),
    Setting(
        "cache_max_age",
        int,
        60,
        "Seconds clients and proxies may reuse a query answer without asking again "
        "(Cache-Control max-age); afterwards they revalidate with the ETag. 0: always revalidate.",
    ),
)

FRONTS = ("granian", "gunicorn")
STORE_MODES = ("auto", "memory", "disk")
ENTAILMENTS = ("rdfs", "off")
BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


class SettingError(ValueError):
    """A setting value that cannot be used; the message names the setting."""


def _default(name: str) -> Any:
    return BY_NAME[name].default


@dataclass(frozen=True)
class Settings:
    """The values in force. Build with `Settings.from_mapping` to get checked, typed values."""

    query_timeout: float = _default("query_timeout")
    max_rows: int = _default("max_rows")
    max_request_bytes: int = _default("max_request_bytes")
    max_query_nesting: int = _default("max_query_nesting")
    service_allowlist: tuple[str, ...] = _default("service_allowlist")
    max_concurrent_queries: int = _default("max_concurrent_queries")
    public_url: str = _default("public_url")
    front: str = _default("front")
    read_timeout: float = _default("read_timeout")
    max_connections: int = _default("max_connections")
    workers: int = _default("workers")
    threads: int = _default("threads")
    evaluators: int = _default("evaluators")
    evaluator_threads: int = _default("evaluator_threads")
    evaluator_memory: int = _default("evaluator_memory")
    store_mode: str = _default("store_mode")
    memory_budget: int = _default("memory_budget")
    entailment: str = _default("entailment")
    result_cache_bytes: int = _default("result_cache_bytes")
    cache_max_age: int = _default("cache_max_age")

    def __post_init__(self) -> None:
        positive = (
            "query_timeout",
            "max_rows",
            "max_request_bytes",
            "max_query_nesting",
            "read_timeout",
            "max_connections",
        )
        for name in (*positive, "max_concurrent_queries"):
            if getattr(self, name) <= 0:
                raise SettingError(f"setting {name}: must be greater than 0")
        for name in ("workers", "threads"):
            if getattr(self, name) < 1:
                raise SettingError(f"setting {name}: must be at least 1")
        for name in ("result_cache_bytes", "cache_max_age"):
            if getattr(self, name) < 0:
                raise SettingError(f"setting {name}: must be 0 (off) or more")
        if self.evaluator_memory < 0:
            raise SettingError("setting evaluator_memory: must be 0 (no limit) or more")
        if self.memory_budget < 0:
            raise SettingError("setting memory_budget: must be 0 (automatic) or more")
        for name in ("evaluators", "evaluator_threads"):
            if getattr(self, name) < 0:
                raise SettingError(f"setting {name}: must be 0 (automatic) or more")
        choices = (("front", FRONTS), ("store_mode", STORE_MODES), ("entailment", ENTAILMENTS))
        for name, allowed in choices:
            if getattr(self, name) not in allowed:
                raise SettingError(
                    f"setting {name}: one of {', '.join(allowed)}, got {getattr(self, name)!r}"
                )
        if self.public_url and not self.public_url.startswith(("http://", "https://")):
            raise SettingError("setting public_url: must start with http:// or https://")

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
        """Check and convert values (strings from a command line or numbers) by the table."""
        converted: dict[str, Any] = {}
        for name, value in values.items():
            if name not in BY_NAME:
                known = ", ".join(BY_NAME)
                raise SettingError(f"unknown setting {name!r}; known settings: {known}")
            if value is not None:
                converted[name] = _convert(BY_NAME[name], value)
        return cls(**converted)

    def as_dict(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in fields(self)}

    @property
    def entails(self) -> bool:
        """Whether loading the corpus adds what the ontology entails (pillars/entailment.py)."""
        return self.entailment != "off"

    @property
    def evaluator_count(self) -> int:
        return self.evaluators or max(2, -(-(os.cpu_count() or 1) // self.workers) + 1)

    def evaluator_layout(self, copied_to_memory: bool) -> tuple[int, int]:
        """(processes, query threads in each) of a worker's evaluators."""
        count = self.evaluator_count
        threads = min(count, self.evaluator_threads or (count if copied_to_memory else 1))
        return -(-count // threads), threads


def _convert(setting: Setting, value: Any) -> Any:
    try:
        if setting.type is tuple:
            items = [value] if isinstance(value, str) else list(value)
            return tuple(p.strip() for item in items for p in str(item).split(",") if p.strip())
        if setting.type is float and not isinstance(value, bool):
            return float(value)
        if setting.type is int and not isinstance(value, bool):
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(value)
            return int(value)
        if setting.type is str:
            return str(value)
    except (TypeError, ValueError):
        pass
    kind = {float: "a number", int: "an integer", str: "a string"}.get(setting.type, "a list")
    raise SettingError(f"setting {setting.name}: expected {kind}, got {value!r}")


def _jsonable(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def default_text(setting: Setting) -> str:
    """The default as the README and `--help` show it."""
    return value_text(setting, setting.default)


def value_text(setting: Setting, value: Any) -> str:
    """A value in words: a list joined with commas, an empty one "(none)", "" "(empty)"."""
    if setting.type is tuple:
        return "(none)" if not value else ", ".join(value)
    if setting.type is str:
        return "(empty)" if not value else str(value)
    return str(value)


def markdown_table() -> str:
    """The README's settings table."""
    lines = ["| setting | option | default | what it does |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        lines.append(f"| `{s.name}` | `{s.option}` | {default_text(s)} | {s.help} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # `python -m pillars.settings` prints the README table
    print(markdown_table(), end="")

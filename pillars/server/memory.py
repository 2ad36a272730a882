"""Memory: what an in-memory store will cost, what the server may spend, and what it spends.

Evaluators forked from one zygote share the store's pages until a query writes to them, so
RSS counts the shared pages once per process and overstates the total. PSS (each shared page
divided among its sharers) adds up to the real total; USS (the pages a process owns alone)
is what ending it would give back. Both come from /proc/PID/smaps_rollup.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pillars.settings import Settings
from pillars.store import StoreSource

MIB = 1024 * 1024
# Measured on the synthetic corpus (bench/): 202,164 quads (100 articles) took 77 MiB of an
# in-memory store's data segment, 400 bytes a quad; rounded up for longer literals.
BYTES_PER_QUAD = 450
# Pages of the store an evaluator process comes to own (copy-on-write) as it answers queries:
# reading writes (reference counts), so the pages of every quad a query touches are copied.
# After the benchmark's runs at 1,000 articles the busiest evaluator owned 68 % of the store
# (docs/benchmarks.md); the estimate takes the worst, every page.
OWNED_SHARE = 1.0
BUDGET_SHARE = 4  # memory_budget 0: a quarter of the machine's memory


def machine_mib() -> int:
    """The machine's memory, or the cgroup's limit if that is lower (a container's)."""
    total = 0
    for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
        if line.startswith("MemTotal:"):
            total = int(line.split()[1]) // 1024
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text(encoding="ascii").strip()
        if limit.isdigit():
            total = min(total, int(limit) // MIB) if total else int(limit) // MIB
    except OSError:
        pass
    return total


def budget_mib(settings: Settings) -> int:
    return settings.memory_budget or machine_mib() // BUDGET_SHARE


def estimate_mib(quads: int, evaluators: int) -> int:
    """What memory mode costs beyond disk mode: the zygote's copy, plus what each evaluator
    process may come to own of it."""
    store = quads * BYTES_PER_QUAD / MIB
    return round(store * (1 + evaluators * OWNED_SHARE))


@dataclass(frozen=True)
class StorePlacement:
    in_memory: bool
    reason: str  # for the log: which setting or estimate decided


def place_store(settings: Settings, source: StoreSource, quads: int) -> StorePlacement:
    """Whether the evaluators read the store from memory (`store_mode`, `memory_budget`)."""
    if source.endpoint is not None:
        return StorePlacement(False, "a remote endpoint")
    if source.path is None:
        return StorePlacement(True, "a corpus read from its files")
    if settings.store_mode != "auto":
        return StorePlacement(settings.store_mode == "memory", f"store_mode={settings.store_mode}")
    estimate = estimate_mib(quads, settings.evaluator_layout(copied_to_memory=True)[0])
    budget = budget_mib(settings)
    fits = estimate <= budget
    verdict = "fits" if fits else "exceeds"
    return StorePlacement(
        fits,
        f"store_mode=auto: {quads:,} quads, estimated {estimate:,} MiB in memory, {verdict} "
        f"memory_budget={budget:,} MiB",
    )


@dataclass(frozen=True)
class Footprint:
    pss_kib: int
    uss_kib: int
    rss_kib: int

    def __add__(self, other: Footprint) -> Footprint:
        return Footprint(
            self.pss_kib + other.pss_kib, self.uss_kib + other.uss_kib, self.rss_kib + other.rss_kib
        )


def footprint(pid: int) -> Footprint:
    """One process's PSS, USS and RSS, in KiB (zero for a process that has ended)."""
    values: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text(encoding="ascii")
    except OSError:
        return Footprint(0, 0, 0)
    for line in text.splitlines()[1:]:
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[0].isdigit():
            values[name] = int(parts[0])
    uss = values.get("Private_Clean", 0) + values.get("Private_Dirty", 0)
    return Footprint(values.get("Pss", 0), uss, values.get("Rss", 0))


def descendants(pid: int) -> list[int]:
    """`pid` and every process under it."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def tree_footprint(pid: int) -> Footprint:
    """The footprint of `pid` and every process under it (PSS adds up; RSS overcounts)."""
    return sum((footprint(p) for p in descendants(pid)), Footprint(0, 0, 0))

"""One benchmark run: corpus, stores, servers, agreement, interleaved rounds, results JSON."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
import urllib.parse
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench import agree, load, servers, synth
from bench.mix import Mix, Query, Samples, competency_questions
from pillars.store import open_read_only

REPO = Path(__file__).resolve().parent.parent
CLIENTS = (1, 4, 16)
SERVERS = (
    "oxigraph",
    "oxigraph-memory",
    "pillars",
    "flask-minimal",
    "virtuoso",
    "rdflib-endpoint",
)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def make_corpus(root: Path, articles: int, seed: int) -> None:
    """A corpus folder: the repository's ontology and shapes, synthetic articles (bench/synth.py)
    and the bundled shared vocabulary (threat and limit types the articles point to)."""
    if (root / "instances").is_dir():
        return
    root.mkdir(parents=True, exist_ok=True)
    for name in ("ontology", "shapes"):
        (root / name).symlink_to(REPO / name)
    synth.generate(root, articles, seed)
    for ttl in sorted((REPO / "instances" / "shared").glob("*.ttl")):
        shutil.copy(ttl, root / "instances" / "shared" / ttl.name)


def timed(cmd: list[str]) -> float:
    t = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - t


def machine() -> dict[str, Any]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem) / 1024 / 1024, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pyoxigraph": ox.__version__ if hasattr(ox, "__version__") else "",
    }


def provenance() -> dict[str, str]:
    """When and from which commit of Pillars a run was made (runs of a size are redone
    separately, so the report says which code each table measured)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], capture_output=True, text=True, cwd=REPO)
        return done.stdout.strip()

    changed = git("status", "--porcelain", "--untracked-files=no", "--", "pillars")
    return {
        "utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "commit": git("rev-parse", "--short", "HEAD") + (" with local changes" if changed else ""),
    }


def cold_start_bundled(out: Path) -> float:
    """`pillars serve` on the bundled corpus: seconds from start to its first answer."""
    port = servers.free_port()
    t = time.monotonic()
    proc = subprocess.Popen(
        [str(servers.PILLARS_BIN / "pillars"), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=(out / "bundled.log").open("wb"),
        start_new_session=True,
    )
    server = servers.Server("bundled", f"http://127.0.0.1:{port}/sparql", proc, 0.0)
    try:
        servers._wait_first_answer(server, t)
        return server.start_seconds
    finally:
        server.stop()


def run(
    articles: int,
    seconds: float,
    rounds: int,
    seed: int,
    rdflib_max: int,
    chosen: tuple[str, ...] = SERVERS,
    cq_max: int = 100,
) -> dict[str, Any]:
    out = REPO / "bench" / "out" / f"n{articles}"
    out.mkdir(parents=True, exist_ok=True)
    root = out / "corpus"
    log(f"corpus of {articles} articles in {root}")
    make_corpus(root, articles, seed)
    store_dir, oxi_dir, dump = out / "pillars-store", out / "oxigraph-store", out / "data.nq"
    for d in (store_dir, oxi_dir):
        if d.exists():
            shutil.rmtree(d)
    pillars = str(servers.PILLARS_BIN / "pillars")
    load_pillars = timed([pillars, "load", "--store", str(store_dir), "--root", str(root)])
    store = open_read_only(store_dir)
    triples = len(store)
    dump.write_bytes(store.dump(format=ox.RdfFormat.N_QUADS) or b"")
    samples = Samples.of(store, seed)
    del store
    oxigraph_bin = str(servers.PEERS_BIN / "oxigraph")
    load_oxigraph = timed([oxigraph_bin, "load", "--location", str(oxi_dir), "--file", str(dump)])
    # `pillars load` optimizes its store; Oxigraph's own advice is the same for read-heavy use.
    load_oxigraph += timed([oxigraph_bin, "optimize", "--location", str(oxi_dir)])
    log(f"{triples} quads; loads: pillars {load_pillars:.1f} s, oxigraph {load_oxigraph:.1f} s")

    running: list[servers.Server] = []
    result: dict[str, Any] = {"articles": articles, "quads": triples, "machine": machine()}
    result["run"] = provenance()
    # Servers left out on purpose (--servers), so the report can say they were not run.
    result["not_run"] = [s for s in SERVERS if s not in chosen]
    try:
        ox_server = servers.start_oxigraph(oxi_dir, out)
        ox_server.load_seconds = load_oxigraph
        running.append(ox_server)
        if "oxigraph-memory" in chosen:
            log("oxigraph-memory: loading the dump over HTTP")
            running.append(servers.start_oxigraph_memory(dump, out))
        if "pillars" in chosen:
            pil = servers.start_pillars(store_dir, out)
            pil.load_seconds = load_pillars
            running.append(pil)
        if "flask-minimal" in chosen:
            running.append(servers.start_flask_minimal(store_dir, out))
        if "virtuoso" in chosen and servers.virtuoso_available():
            log("virtuoso: bulk load")
            running.append(servers.start_virtuoso(dump, out))
        if "rdflib-endpoint" in chosen and articles <= rdflib_max:
            log("rdflib-endpoint: parsing the dump")
            running.append(servers.start_rdflib(dump, out))
        result["servers"] = {
            s.name: {"load_seconds": s.load_seconds, "start_seconds": s.start_seconds}
            for s in running
        }
        endpoints = {s.name: s.endpoint for s in running}
        mix = Mix(samples)
        log("agreement")
        checked = mix.warm() + mix.cold(len(mix.warm()))
        result["agreement"] = agree.compare(endpoints, checked, "oxigraph")
        if articles <= cq_max:
            log("competency questions, one at a time")
            result["competency"] = competency(endpoints)
        text_checks = [mix.text("filter", 5), mix.text("function", 5), mix.text("virtuoso", 5)]
        result["text_agreement"] = text_agreement(endpoints, text_checks)
        result["rounds"] = rounds_of(running, mix, seconds, rounds, out)
        result["text"] = text_rounds(running, mix, seconds, out)
        for s in running:
            result["servers"][s.name]["pss_bytes"] = s.pss()
        result["cold_start_bundled_seconds"] = cold_start_bundled(out)
    finally:
        for s in running:
            s.stop()
    path = out / "results.json"
    path.write_text(json.dumps(result, indent=1))
    log(f"results in {path}")
    return result


def competency(endpoints: dict[str, str]) -> list[dict[str, Any]]:
    """Seconds each server takes for each competency question (one request, up to 30 s)."""
    rows = []
    for q in competency_questions():
        row: dict[str, Any] = {"query": q.name}
        answers = {}
        for name, endpoint in endpoints.items():
            t = time.monotonic()
            try:
                answers[name] = agree.normal(agree.fetch(endpoint, q, timeout=30), q.accept)
                row[name] = round(time.monotonic() - t, 3)
            except Exception as err:  # noqa: BLE001 - reported in the table
                row[name] = f"{type(err).__name__}"
        ref = answers.get("oxigraph")
        row["agree"] = sorted(n for n, a in answers.items() if a == ref)
        rows.append(row)
    return rows


def text_agreement(endpoints: dict[str, str], checks: list[list[Query]]) -> list[dict[str, Any]]:
    """The word counts each way finds, for the same words (filter: substring; others: words)."""
    rows = []
    filt, func, virt = checks
    for f, fn, v in zip(filt, func, virt, strict=True):
        row: dict[str, Any] = {"query": f.text.rsplit('"', 2)[-2] if '"' in f.text else f.name}
        for label, q, name in (
            ("filter@oxigraph", f, "oxigraph"),
            ("filter@pillars", f, "pillars"),
            ("function@pillars", fn, "pillars"),
            ("bif:contains@virtuoso", v, "virtuoso"),
        ):
            if name in endpoints:
                try:
                    answer = agree.normal(agree.fetch(endpoints[name], q), q.accept)
                    row[label] = int(Decimal(dict(answer[0])["n"])) if answer else 0
                except Exception as err:  # noqa: BLE001 - reported, not fatal
                    row[label] = f"error: {str(err)[:80]}"
        rows.append(row)
    return rows


def rounds_of(
    running: list[servers.Server], mix: Mix, seconds: float, rounds: int, out: Path
) -> list[dict[str, Any]]:
    """A, B, C, A, B, C: every server gets each (mode, clients) in turn, `rounds` times."""
    script = out / "mix.lua"
    warm = mix.warm()
    rows: list[dict[str, Any]] = []
    serial = 0
    for mode in ("cold", "warm"):
        for clients in CLIENTS:
            for r in range(rounds):
                for s in running:
                    if s.name == "rdflib-endpoint" and clients > 4:
                        continue  # one process, one query at a time: 16 clients only queue
                    if s.name == "flask-minimal" and mode == "warm":
                        continue  # no cache: its warm rate is its cold one
                    serial += 1
                    requests_file = out / f"requests-{s.name}.txt"
                    if mode == "cold":
                        # Fresh numbers every round: a text is never seen twice by any server.
                        queries = [q.numbered(serial) for q in mix.cold(cold_size(seconds))]
                    else:
                        queries = warm
                    load.write_requests(requests_file, s.endpoint, queries)
                    res = load.run(s.endpoint, requests_file, script, clients, seconds)
                    rows.append(
                        {
                            "server": s.name,
                            "mode": mode,
                            "clients": clients,
                            "round": r,
                            **asdict(res),
                            "pss_bytes": s.pss(),
                        }
                    )
                    log(
                        f"{mode} c={clients} r={r} {s.name}: {res.qps:.1f} q/s "
                        f"p99 {res.p99_ms:.1f} ms err {res.errors}"
                    )
    return rows


def cold_size(seconds: float) -> int:
    # Enough unique texts for ~3,000 queries a second; wrk cycles if a server is faster.
    return int(3000 * seconds)


def text_rounds(
    running: list[servers.Server], mix: Mix, seconds: float, out: Path
) -> list[dict[str, Any]]:
    """Word search over evidence: FILTER on Oxigraph and Pillars, the index on Pillars
    (SPARQL function and JSON API), bif:contains on Virtuoso; unique words each time."""
    by_name = {s.name: s for s in running}
    script = out / "mix.lua"
    n = cold_size(seconds)
    plans: list[tuple[str, str, list[str] | list[Query]]] = [
        ("oxigraph", "FILTER CONTAINS", mix.text("filter", n)),
        ("pillars", "FILTER CONTAINS", mix.text("filter", n)),
        ("pillars", "pilfn:matches (index)", mix.text("function", n)),
        (
            "pillars",
            "/search.json (index)",
            [
                f"/search.json?{urllib.parse.urlencode({'q': w, 'limit': 20})}&n={i}"
                for i, w in enumerate(mix.samples.words * (n // len(mix.samples.words) + 1))
            ][:n],
        ),
        ("virtuoso", "bif:contains (index)", mix.text("virtuoso", n)),
        ("virtuoso", "bif:contains, top 20 by score", mix.text("virtuoso-ranked", n)),
    ]
    rows = []
    for clients in (1, 4):
        for serial, (name, how, queries) in enumerate(plans):
            if name not in by_name:
                continue
            s = by_name[name]
            requests_file = out / f"text-{serial}.txt"
            if queries and isinstance(queries[0], str):
                requests_file.write_text("".join(f"application/json\t{p}\n" for p in queries))
            else:
                qs = [q.numbered(clients) for q in queries if isinstance(q, Query)]
                load.write_requests(requests_file, s.endpoint, qs)
            res = load.run(s.endpoint, requests_file, script, clients, seconds)
            rows.append({"server": name, "how": how, "clients": clients, **asdict(res)})
            log(f"text c={clients} {name} {how}: {res.qps:.1f} q/s p50 {res.p50_ms:.1f} ms")
    return rows

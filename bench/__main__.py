"""`python -m bench`: run the benchmarks and regenerate docs/benchmarks.md (and its plot).

python -m bench all                      # 100 and 1,000 articles, then the report
python -m bench run --articles 1000      # one corpus size; results in bench/out/n1000/
python -m bench run --articles 10000 --servers pillars,oxigraph   # only these two servers
python -m bench report                   # docs/benchmarks.md from bench/out/*/results.json
"""

from __future__ import annotations

import argparse
import sys

from bench import engine, load, report, run, servers


def server_list(text: str) -> tuple[str, ...]:
    """`pillars,oxigraph` -> the names, checked: unknown names and a list without oxigraph
    (the reference of every ratio and of the agreement check) are refused."""
    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in run.SERVERS]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown server(s) {', '.join(unknown)}; choose from {','.join(run.SERVERS)}"
        )
    if "oxigraph" not in names:
        raise argparse.ArgumentTypeError("oxigraph must be among the servers (ratios are to it)")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("run", "all"):
        p = sub.add_parser(name)
        if name == "run":
            p.add_argument("--articles", type=int, default=1000)
            p.add_argument(
                "--servers",
                type=server_list,
                default=run.SERVERS,
                help="comma-separated servers to run (default: all of "
                + ",".join(run.SERVERS)
                + "); oxigraph is always needed, as every ratio is to it",
            )
        p.add_argument("--seconds", type=float, default=8.0, help="length of one timed round")
        p.add_argument("--rounds", type=int, default=2, help="rounds per server and setting")
        p.add_argument("--seed", type=int, default=1)
        p.add_argument(
            "--rdflib-max-articles",
            type=int,
            default=100,
            help="largest corpus rdflib-endpoint is asked to load (it parses in Python)",
        )
    sub.add_parser("report")
    args = parser.parse_args(argv)
    if args.command in ("run", "all"):
        missing = [
            what
            for what, ok in (
                ("wrk (apt-get install wrk)", load.wrk_available()),
                ("bench/.venv with oxigraph and rdflib-endpoint", servers.PEERS_BIN.is_dir()),
            )
            if not ok
        ]
        if missing:
            print("missing: " + "; ".join(missing) + " (see docs/benchmarks.md)", file=sys.stderr)
            return 2
        sizes = [args.articles] if args.command == "run" else [100, 1000]
        for n in sizes:
            chosen = args.servers if args.command == "run" else run.SERVERS
            run.run(n, args.seconds, args.rounds, args.seed, args.rdflib_max_articles, chosen)
            if args.command == "all" and n == 1000:  # the engine alone, for the main size
                engine.run(n, rounds=2, seconds=10.0)
    if args.command in ("report", "all"):
        print(report.write())
    return 0


if __name__ == "__main__":
    sys.exit(main())

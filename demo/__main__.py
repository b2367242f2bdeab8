"""Command line for the demo sites: ``python -m demo run`` (what ``make demo`` runs) serves them,
crawls them into an archive and prints what was found; ``python -m demo serve`` only serves them
until Ctrl-C."""

from __future__ import annotations

import argparse
import threading

from demo.server import serve_many
from demo.sites import demo_sites


def serve() -> None:
    """Serve demo_sites() on free ports and print each column URL."""
    sites = demo_sites()
    with serve_many(sites) as servers:
        for site, srv in zip(sites, servers):
            reports = len(site.reports())
            print(f"{site.name:8} {site.title}  {srv.column_url}  ({reports} reports, "
                  f"{len(site.expected) - reports} other links)", flush=True)
        print("Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopped.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m demo",
        description="Fake government 政府信息公开年报 sites on 127.0.0.1. "
                    "Example: python -m demo serve")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="serve the demo sites until Ctrl-C")
    run = sub.add_parser("run", help="serve the demo sites, crawl them into --db, summarise")
    run.add_argument("--db", default="demo.db", help="archive to write (recreated each run)")
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve()
        return 0
    from demo.run import run_demo

    return run_demo(args.db)


if __name__ == "__main__":
    raise SystemExit(main())

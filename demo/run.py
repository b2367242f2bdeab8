"""The demo: serve the bundled government sites on 127.0.0.1, crawl them, show what was archived.

``make demo`` runs ``python -m demo run --db demo.db``: the real ``gongkai crawl`` command runs
against local servers (nothing leaves the machine), then the archive is summarised.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from archive.store import Archive
from archive.warc import warc_dir_for
from crawler.cli_options import format_table
from demo.server import serve_many
from demo.sites import demo_sites

# Local servers answer instantly and are ours: politeness delays would only slow the demo.
LOCAL_SETTINGS = (
    "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=false", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "GONGKAI_PROGRESS_INTERVAL=2",
    # the bundled sites' reports carry fixed dates: "no new report in a year" would flag them all
    "GONGKAI_ALERT_STALE_DAYS=0",
)


def crawl_command(urls: list[str], db: str, extra: tuple[str, ...] = LOCAL_SETTINGS) -> list[str]:
    """The ``gongkai crawl`` command line for ``urls``, run with this interpreter."""
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", *urls, "--db", db, "--log-level", "WARNING"]
    for setting in extra:
        cmd += ["-s", setting]
    return cmd


def run_demo(db: str = "demo.db", fresh: bool = True) -> int:
    """Serve the demo sites, crawl them into ``db``, print the archived reports; exit status."""
    path = Path(db)
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.rmtree(warc_dir_for(db), ignore_errors=True)  # a fresh demo keeps no old WARCs
    sites = demo_sites()
    with serve_many(sites) as servers:
        urls = [server.column_url for server in servers]
        print("Serving demo government sites on 127.0.0.1:")
        for site, server in zip(sites, servers):
            print(f"  {site.title:<24} {server.column_url}")
        print("\nCrawling them with gongkai (the same command you would run on real sites):")
        print("  " + " ".join(["gongkai", "crawl", *urls, "--db", db]) + "\n", flush=True)
        status = subprocess.call(crawl_command(urls, db))
    if status != 0:
        print(f"\ngongkai crawl exited with status {status}", file=sys.stderr)
        return status
    archive = Archive(path)
    rows = archive.reports()
    archive.close()
    for row in rows:
        row["agency"] = row["agency"] or row["site_name"] or row["site_host"]
    print(f"\nReports archived in {db}:\n")
    print(format_table(rows, [("agency", "agency", 22), ("report_year", "year", 4),
                              ("publish_date", "published", 10), ("title", "title", 44),
                              ("chars", "chars", 6)]))
    print(f"\n{len(rows)} reports. Browse the archive with Datasette:\n")
    print(f"  .venv/bin/gongkai serve --db {db}    (then open http://127.0.0.1:8001/{Path(db).stem})")
    print(f"\nSearch it from the shell:\n\n  .venv/bin/gongkai search 政府信息公开 --db {db}")
    return 0

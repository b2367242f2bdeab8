"""JavaScript benchmark: the plain-HTTP path vs the browser path, renders per needed page, browser memory.

Run from the repo root (no install needed)::

    .venv/bin/python bench/js.py [--reports N] [--memory-pages N] [--rotate K] [--json PATH]

What is measured (every crawl is the real ``python -m crawler.cli crawl`` in a child process
against ``demo.server.SiteServer`` on 127.0.0.1, politeness lifted: ``DOWNLOAD_DELAY=0
AUTOTHROTTLE_ENABLED=false ROBOTSTXT_OBEY=false CONCURRENT_REQUESTS_PER_DOMAIN=4``)

speed   ``demo.sites.large_column_site(n_reports=N)`` (static TRS pages, GBK) crawled with
        ``--js never`` (every page over plain HTTP) and with ``--js always`` (every list and
        article page rendered by Chromium; the browser fetches the page itself). pages =
        list and article captures without error; seconds = wall time of the child process,
        start-up and browser launch included; pages/s = pages / seconds.
ratio   ``demo.jssites.js_sites()`` crawled with ``--js auto``, then again into the same archive.
        renders = captures with ``renderer = 'browser'``; needed = the pages the sites list in
        ``needs_browser`` (first crawl), the script-built list page alone (second crawl: its
        articles are known and not requested). Target: 1.0.
memory  ``large_column_site(M)`` with ``--js always``, rotating the browser context every K
        renders (``GONGKAI_BROWSER_CONTEXT_PAGES=K``) and never (``=0``: one context for the whole
        crawl). Every 0.5 s the proportional set size (PSS, shared pages split between the
        processes sharing them) of the crawl's Chromium processes is summed with psutil; printed
        at each quarter of the pages served, and the peak.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from archive.store import Archive  # noqa: E402
from demo.jssites import js_sites  # noqa: E402
from demo.large_site import large_column_site  # noqa: E402
from demo.server import SiteServer, serve_many  # noqa: E402

SETTINGS = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=false", "ROBOTSTXT_OBEY=false",
            "CONCURRENT_REQUESTS_PER_DOMAIN=4", "GONGKAI_PROGRESS_INTERVAL=0")


def crawl_command(urls: list[str], db: Path, *options: str, settings: tuple[str, ...] = ()) -> list[str]:
    cmd = [sys.executable, "-m", "crawler.cli", "crawl", *urls, "--db", str(db), "--log-level", "WARNING", *options]
    for setting in (*SETTINGS, *settings):
        cmd += ["-s", setting]
    return cmd


def pages_done(db: Path, crawl_id: int | None = None) -> int:
    """List and article captures without error (all crawls, or one)."""
    if not db.exists():
        return 0
    archive = Archive(db)
    try:
        return sum(1 for c in archive.captures(crawl_id) if c["kind"] in ("list", "article") and not c["error"])
    finally:
        archive.close()


def chromium_pss_mb(root: psutil.Process) -> float:
    total = 0
    for process in root.children(recursive=True):
        try:
            if "chrom" in process.name():
                total += process.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total / 2**20


def timed_crawl(cmd: list[str], sample: SiteServer | None = None) -> tuple[float, list[tuple[float, int, float]]]:
    """Run a crawl; its wall seconds and, when ``sample`` is given, (seconds, pages served, Chromium PSS MB)."""
    samples: list[tuple[float, int, float]] = []
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    watched = psutil.Process(process.pid)
    while process.poll() is None:
        if sample is not None:
            served = sum(p.startswith("/xxgk/") for p in sample.paths_requested())  # pages, not sub-resources
            samples.append((time.perf_counter() - start, served, chromium_pss_mb(watched)))
        time.sleep(0.5)
    seconds = time.perf_counter() - start
    err = process.stderr.read() if process.stderr else ""
    if process.returncode != 0:
        sys.exit(f"crawl failed ({process.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return seconds, samples


def bench_speed(n_reports: int, tmp: Path) -> dict[str, Any]:
    site = large_column_site(n_reports=n_reports)
    out: dict[str, Any] = {}
    with SiteServer(site) as server:
        for mode in ("never", "always"):
            db = tmp / f"speed-{mode}.db"
            seconds, _ = timed_crawl(crawl_command([server.column_url], db, f"--js={mode}"))
            pages = pages_done(db)
            archive = Archive(db)
            renders = sum(c["renderer"] == "browser" for c in archive.captures())
            reports = len(archive.reports())
            archive.close()
            out[mode] = {"pages": pages, "seconds": round(seconds, 2), "pages_per_s": round(pages / seconds, 2),
                         "renders": renders, "reports": reports}
    out["slowdown"] = round(out["never"]["pages_per_s"] / out["always"]["pages_per_s"], 1)
    return out


def bench_ratio(tmp: Path) -> dict[str, Any]:
    sites = js_sites()
    db = tmp / "ratio.db"
    out: dict[str, Any] = {}
    with serve_many(sites) as servers:
        urls = [s.column_url for s in servers]
        for crawl_id, needed in ((1, sum(len(s.needs_browser) for s in sites)), (2, 1)):
            timed_crawl(crawl_command(urls, db))
            archive = Archive(db)
            renders = sum(c["renderer"] == "browser" for c in archive.captures(crawl_id))
            reports = len(archive.reports())
            archive.close()
            out[f"crawl{crawl_id}"] = {"renders": renders, "needed": needed, "ratio": round(renders / needed, 2),
                                       "reports": reports}
    out["expected_reports"] = sum(len(s.reports()) for s in sites)
    return out


def bench_memory(pages: int, rotate: int, tmp: Path) -> dict[str, Any]:
    site = large_column_site(n_reports=pages)
    out: dict[str, Any] = {}
    with SiteServer(site) as server:
        for label, every in ((f"rotate every {rotate}", rotate), ("one context", 0)):
            db = tmp / f"memory-{every}.db"
            seconds, samples = timed_crawl(
                crawl_command([server.column_url], db, "--js=always", "--no-warc",
                              settings=(f"GONGKAI_BROWSER_CONTEXT_PAGES={every}",)), sample=server)
            total = pages_done(db)
            server.clear_requests()
            quarters = []
            for q in (0.25, 0.5, 0.75, 1.0):
                at = [s for s in samples if s[1] >= q * total * 0.98]
                quarters.append(round(at[0][2], 1) if at else None)
            out[label] = {"pages": total, "seconds": round(seconds, 1), "pss_mb_at_quarters": quarters,
                          "pss_mb_peak": round(max((s[2] for s in samples), default=0.0), 1)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100, help="reports on the static site (speed)")
    parser.add_argument("--memory-pages", type=int, default=400, help="reports rendered in the memory loop")
    parser.add_argument("--rotate", type=int, default=50, help="renders per context in the rotating run")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-only", action="store_true", help="only the memory loop")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    results: dict[str, Any] = {"python": sys.version.split()[0], "cpus": psutil.cpu_count()}
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-js-") as tmp_name:
        tmp = Path(tmp_name)
        if not args.memory_only:
            speed = results["speed"] = bench_speed(args.reports, tmp)
            print(f"speed  static TRS column, {args.reports} reports ({speed['never']['pages']} pages)")
            for mode, label in (("never", "plain HTTP (--js never)"), ("always", "browser    (--js always)")):
                r = speed[mode]
                print(f"  {label}: {r['pages']} pages in {r['seconds']:.1f} s = {r['pages_per_s']:.1f} pages/s "
                      f"({r['renders']} renders, {r['reports']} reports)")
            print(f"  the browser path is {speed['slowdown']}x slower")
            ratio = results["ratio"] = bench_ratio(tmp)
            print(f"ratio  JS demo sites ({ratio['expected_reports']} reports)")
            for key in ("crawl1", "crawl2"):
                r = ratio[key]
                print(f"  {key}: {r['renders']} renders / {r['needed']} pages needing one = {r['ratio']:.2f} "
                      f"(target 1.0; {r['reports']} reports archived)")
        if not args.skip_memory:
            memory = results["memory"] = bench_memory(args.memory_pages, args.rotate, tmp)
            print(f"memory Chromium PSS over {args.memory_pages} reports rendered (--js always)")
            for label, r in memory.items():
                print(f"  {label}: {r['pages']} pages in {r['seconds']} s; PSS MB at 1/4, 1/2, 3/4, end of the "
                      f"pages: {r['pss_mb_at_quarters']}; peak {r['pss_mb_peak']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    ok = all(r["ratio"] == 1.0 for r in results.get("ratio", {}).values() if isinstance(r, dict))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

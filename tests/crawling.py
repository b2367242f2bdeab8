"""The one way tests run the real ``gongkai crawl`` command against local test servers.

Every end-to-end test crawls in a child process exactly as a user would (``python -m
crawler.cli crawl URL --db PATH``), with the politeness of a real crawl switched off: the
servers are our own, on 127.0.0.1.

    result = gongkai_crawl([server.column_url], tmp_path / "a.db", "GONGKAI_RECHECK_DAYS=0",
                           "--js=never")

Arguments after the database are settings when they read ``NAME=VALUE`` with an upper-case
name (each becomes ``-s NAME=VALUE``), command-line options otherwise (``--recheck-days 7``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.test import get_crawler

from crawler import settings as project_settings
from demo.server import Site, serve_many

REPO = Path(__file__).resolve().parents[1]
# Our own servers: no politeness delay, many requests in flight, no progress lines.
FAST = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=false", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "GONGKAI_PROGRESS_INTERVAL=0")
# A loaded machine (2 cores shared by several test runs) can make a small crawl take a minute.
TIMEOUT = 240

_SETTING = re.compile(r"[A-Z][A-Z0-9_]*=")


def crawl_command(urls: Iterable[str], db: Path, *arguments: str, log_level: str | None = "WARNING",
                  entry: Sequence[str] = ("-m", "crawler.cli")) -> list[str]:
    """The argv of ``gongkai crawl URLS --db DB`` with :data:`FAST` and ``arguments``.

    ``log_level`` None leaves the command's own default console; ``entry`` replaces ``-m
    crawler.cli`` (``("-c", code)`` runs patched code in the child).
    """
    cmd = [sys.executable, *entry, "crawl", *urls, "--db", str(db)]
    if log_level is not None:
        cmd += ["--log-level", log_level]
    for setting in FAST:
        cmd += ["-s", setting]
    for argument in arguments:
        bare_setting = _SETTING.match(argument) and cmd[-1] not in ("-s", "--set")
        cmd += ["-s", argument] if bare_setting else [argument]
    return cmd


def run(args: list[str], cwd: Path = REPO, timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run a command from the repository root, capturing its text output."""
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout)


def gongkai_crawl(urls: Iterable[str], db: Path, *arguments: str, log_level: str = "WARNING",
                  timeout: float = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Crawl ``urls`` into ``db``; fails the test (with the log's tail) unless the exit status is 0."""
    result = run(crawl_command(urls, db, *arguments, log_level=log_level), timeout=timeout)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def crawl_sites(sites: list[Site], db: Path) -> dict:
    """Serve ``sites``, crawl them all in one ``gongkai crawl`` into ``db``; what tests check:
    the archive path, the command's result, the paths each site was asked and its base URL."""
    with serve_many(sites) as servers:
        result = gongkai_crawl([s.column_url for s in servers], db)
        requested = {site.name: server.paths_requested() for site, server in zip(sites, servers)}
        bases = {site.name: server.base_url for site, server in zip(sites, servers)}
    return {"db": db, "result": result, "requested": requested, "bases": bases}


def gongkai_defaults() -> dict[str, object]:
    """Every ``GONGKAI_*`` default of ``crawler/settings.py`` (components repeat none of them)."""
    return {name: getattr(project_settings, name) for name in dir(project_settings) if name.startswith("GONGKAI_")}


def gongkai_crawler(spidercls: type[Spider] = Spider, **settings: object) -> Crawler:
    """A Scrapy crawler with gongkai's defaults and ``settings`` on top, to build one component
    with ``from_crawler`` as a crawl would (Scrapy's ``get_crawler`` knows only its own defaults)."""
    return get_crawler(spidercls, settings_dict={**gongkai_defaults(), **settings})

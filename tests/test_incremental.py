"""Incremental crawls, WARC provenance and resume after SIGKILL, against a local site."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.store import Archive
from archive.warc import cdxj_lines, check_files, read_record, warc_dir_for
from demo.server import Resource, Site, SiteServer
from tests.conftest import gov_page
from tests.test_crawl_e2e import FAST, REPO, gongkai_crawl

COLUMN = "/xxgk/xxgknb/index.html"


def report_path(n: int) -> str:
    return f"/xxgk/xxgknb/2020{(n % 12) + 1:02d}/t2020{(n % 12) + 1:02d}15_{1000 + n}.html"


def report_page(n: int, edition: int = 1) -> bytes:
    paras = "".join(
        f"<p>第{i}段：{2000 + n}年，第{n}号机关认真贯彻《中华人民共和国政府信息公开条例》，第{edition}稿。</p>"
        for i in range(1, 6)
    )
    return gov_page(paras, title=f"第{n}号机关{2000 + n}年政府信息公开工作年度报告").encode("utf-8")


def list_page(numbers: list[int]) -> bytes:
    items = "".join(
        f'<li><a href="{report_path(n)}">第{n}号机关{2000 + n}年政府信息公开工作年度报告</a>'
        f"<span>2020-{(n % 12) + 1:02d}-15</span></li>"
        for n in numbers
    )
    return f"<html><body><ul class='list'>{items}</ul></body></html>".encode()


def build_site(numbers: list[int], delay: float = 0.0) -> Site:
    resources = {COLUMN: Resource(list_page(numbers))}
    for n in numbers:
        resources[report_path(n)] = Resource(report_page(n), delay=delay)
    return Site("incremental", "测试市人民政府", resources, COLUMN, [])


def change_and_add(site: Site, numbers: list[int]) -> list[int]:
    """Edit the second report and publish a new one, as a site does between two crawls."""
    site.resources[report_path(numbers[1])] = Resource(report_page(numbers[1], edition=2))
    new = max(numbers) + 1
    site.resources[report_path(new)] = Resource(report_page(new))
    site.resources[COLUMN] = Resource(list_page([*numbers, new]))
    return [*numbers, new]


def last_crawl(db: Path) -> dict:
    return list(Archive(db).db.query("select * from crawls order by id desc limit 1"))[0]


def article_requests(server: SiteServer) -> list[tuple[str, dict[str, str]]]:
    return [(path, headers) for method, path, headers in server.requests if path.startswith("/xxgk/xxgknb/2020")]


def test_recrawl_with_validators_finds_one_new_one_changed_rest_not_modified(tmp_path):
    numbers = list(range(1, 7))
    site = build_site(numbers)
    db = tmp_path / "a.db"
    with SiteServer(site, validators=True) as server:
        gongkai_crawl([server.column_url], db)
        assert last_crawl(db)["reports_new"] == 6
        change_and_add(site, numbers)
        server.clear_requests()
        result = gongkai_crawl([server.column_url], db, "GONGKAI_RECHECK_DAYS=0")
        requests = article_requests(server)
    crawl = last_crawl(db)
    assert (crawl["reports_new"], crawl["reports_updated"], crawl["reports_unchanged"]) == (1, 1, 5)
    assert crawl["articles_not_modified"] == 5
    # every known article was asked for conditionally; only the new one without validators
    unconditional = [path for path, headers in requests if "If-None-Match" not in headers]
    assert unconditional == [report_path(7)]
    archive = Archive(db)
    changed = archive.report(server.base_url + report_path(2))
    assert changed["version"] == 2 and "第2稿" in changed["body_text"]
    versions = list(archive.db.query("select version, body_text from report_versions where report_id = ?",
                                      [changed["id"]]))
    assert [v["version"] for v in versions] == [1, 2] and "第1稿" in versions[0]["body_text"]
    assert "not modified (304)" in result.stdout


def test_recrawl_requests_no_known_article_until_it_is_due_for_recheck(tmp_path):
    numbers = list(range(1, 6))
    site = build_site(numbers)
    db = tmp_path / "b.db"
    with SiteServer(site) as server:
        gongkai_crawl([server.column_url], db)
        change_and_add(site, numbers)
        server.clear_requests()
        gongkai_crawl([server.column_url], db)
        assert [p for p, _ in article_requests(server)] == [report_path(6)]
        crawl = last_crawl(db)
        assert (crawl["reports_new"], crawl["reports_updated"], crawl["articles_skipped"]) == (1, 0, 5)
        server.clear_requests()
        cmd_result = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "crawl", server.column_url, "--db", str(db), "--recheck",
             "--log-level", "WARNING", *[arg for s in FAST for arg in ("-s", s)]],
            cwd=REPO, capture_output=True, text=True, timeout=120)
        assert cmd_result.returncode == 0, cmd_result.stderr[-2000:]
        assert len(article_requests(server)) == 6
    crawl = last_crawl(db)
    assert (crawl["reports_new"], crawl["reports_updated"], crawl["reports_unchanged"]) == (0, 1, 5)


def test_every_exchange_is_in_valid_warc_files_and_replays(tmp_path):
    site = build_site(list(range(1, 9)))
    db = tmp_path / "w.db"
    with SiteServer(site) as server:
        gongkai_crawl([server.column_url], db, "GONGKAI_WARC_MAX_SIZE=4000")
        gongkai_crawl([server.column_url], db, "GONGKAI_RECHECK=true", "GONGKAI_WARC_MAX_SIZE=4000")
    folder = warc_dir_for(db)
    files = sorted(folder.glob("*.warc.gz"))
    assert len(files) > 2  # rotated by size
    assert check_files(files) == []
    archive = Archive(db)
    captures = [c for c in archive.captures() if c["status"] == 200]
    assert captures and all(c["warc_file"] for c in captures)
    for capture in captures:
        headers, payload = read_record(folder, capture["warc_file"], capture["warc_offset"])
        assert headers["WARC-Target-URI"] == capture["url"]
        if headers["WARC-Type"] == "response":
            assert hashlib.sha256(payload).hexdigest() == capture["sha256"]
        else:  # the second crawl's identical payloads are revisits of the first crawl's records
            assert headers["WARC-Type"] == "revisit" and headers["WARC-Refers-To-Target-URI"] == capture["url"]
    types = {line["mime"] for line in cdxj_lines(folder)}
    assert "warc/revisit" in types and "text/html" in types
    indexed = {line["url"] for line in cdxj_lines(folder)}
    assert {c["url"] for c in captures} <= indexed


def _captures(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("select count(*) from captures").fetchone()[0]
    except sqlite3.Error:
        return 0


def _report_set(db: Path) -> set[tuple[str, str, int]]:
    archive = Archive(db)
    return {(r["url"].split("/", 3)[3], r["sha256"], r["version"]) for r in archive.reports()}


@pytest.mark.parametrize("kill_after_requests", [0, 3, 12])
def test_sigkill_at_any_point_then_rerun_gives_the_uninterrupted_archive(tmp_path, kill_after_requests):
    # Kill points are counted in requests the server answered, not in captures visible in the
    # archive: writes are committed in batches (pipelines/archiving.py), and a kill inside an
    # uncommitted batch is the case to prove harmless.
    numbers = list(range(1, 21))
    reference_db, db = tmp_path / "ref.db", tmp_path / "killed.db"
    with SiteServer(build_site(numbers, delay=0.2)) as server:
        gongkai_crawl([server.column_url], reference_db)
        cmd = [sys.executable, "-m", "crawler.cli", "crawl", server.column_url, "--db", str(db),
               "--log-level", "WARNING", *[arg for s in FAST for arg in ("-s", s)]]
        server.clear_requests()
        process = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        deadline = time.monotonic() + 60
        while (len(server.paths_requested()) < kill_after_requests and time.monotonic() < deadline
               and process.poll() is None):
            time.sleep(0.01)
        if kill_after_requests == 0:
            time.sleep(0.8)  # mid start-up: reactor, archive open, first requests
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        assert _captures(db) < 21, "the crawl finished before it could be killed"
        gongkai_crawl([server.column_url], db)
    # same reports (paths, bodies, one version each), intact database, valid WARC files
    assert _report_set(db) == _report_set(reference_db)
    archive = Archive(db)
    assert archive.integrity_ok()
    assert len({r["url"] for r in archive.reports()}) == archive.db["reports"].count == 20
    assert check_files(sorted(warc_dir_for(db).glob("*.warc.gz"))) == []
    statuses = [c["status"] for c in archive.db.query("select status from crawls order by id")]
    assert statuses[-1] == "finished"


def test_urls_file_and_monitoring_alert_on_layout_change(tmp_path):
    site = build_site([1, 2, 3])
    db = tmp_path / "m.db"
    with SiteServer(site) as server:
        urls = tmp_path / "columns.txt"
        urls.write_text(f"# columns to crawl\n{server.column_url}\n\n")
        result = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "crawl", "--urls-file", str(urls), "--db", str(db),
             "--log-level", "WARNING", *[arg for s in FAST for arg in ("-s", s)]],
            cwd=REPO, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        site.resources[COLUMN] = Resource(b"<html><body><div id='app'></div></body></html>")
        second = gongkai_crawl([server.column_url], db)
    assert "layout change?" in second.stdout
    assert "layout change?" in last_crawl(db)["alerts"]
    assert "no new report since 2020-" in second.stdout  # the fixture reports are from 2020


def test_project_builds_a_scrapyd_egg_with_its_settings(tmp_path):
    import shutil
    import zipfile

    deploy = shutil.which("scrapyd-deploy", path=str(Path(sys.executable).parent))
    if deploy is None:
        pytest.skip("scrapyd-client is not installed")
    work = tmp_path / "repo"
    shutil.copytree(REPO, work, ignore=shutil.ignore_patterns(".venv", ".git", "*.db*", "*-warc", "build"))
    egg = tmp_path / "gongkai.egg"
    result = subprocess.run([deploy, "--build-egg", str(egg)], cwd=work, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    with zipfile.ZipFile(egg) as zf:
        names = set(zf.namelist())
        entry_points = zf.read("EGG-INFO/entry_points.txt").decode()
    assert {"spiders/column.py", "crawler/settings.py", "archive/store.py"} <= names
    assert "[scrapy]" in entry_points and "settings = crawler.settings" in entry_points

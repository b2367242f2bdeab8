"""Incremental crawls, WARC provenance and resume after SIGKILL, against a local site."""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.store import Archive
from archive.warc import cdxj_lines, check_files, read_record, warc_dir_for
from crawler import __version__
from demo.server import Resource, Site, SiteServer
from tests.conftest import gov_page
from tests.crawling import REPO, crawl_command, gongkai_crawl

pytestmark = pytest.mark.e2e  # starts local servers and the crawl command

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


def url_states(db: Path) -> dict[str, dict]:
    return {row["url"]: row for row in Archive(db).db.query("select * from url_state")}


def utc_text(moment: dt.datetime) -> str:
    """The archive's timestamp form (archive.store.utc_now)."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


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
        gongkai_crawl([server.column_url], db, "--recheck")
        assert len(article_requests(server)) == 6
    crawl = last_crawl(db)
    assert (crawl["reports_new"], crawl["reports_updated"], crawl["reports_unchanged"]) == (0, 1, 5)


def test_recrawl_of_a_site_with_only_last_modified_asks_if_modified_since_and_counts_304s(tmp_path):
    numbers = list(range(1, 7))
    site = build_site(numbers)
    db = tmp_path / "lm.db"
    with SiteServer(site, last_modified=True) as server:
        gongkai_crawl([server.column_url], db)
        served = {report_path(n): urllib.request.urlopen(server.url(report_path(n)), timeout=10).headers
                  for n in numbers}
        assert all(h["Last-Modified"] and h["ETag"] is None for h in served.values())
        states = url_states(db)
        assert {url: (s["etag"], s["last_modified"]) for url, s in states.items() if s["kind"] == "article"} == {
            server.url(path): (None, headers["Last-Modified"]) for path, headers in served.items()}
        change_and_add(site, numbers)
        server.clear_requests()
        result = gongkai_crawl([server.column_url], db, "GONGKAI_RECHECK_DAYS=0")
        requests = article_requests(server)
    # every known article asked If-Modified-Since the date it was served with; the new one plainly
    assert sorted(path for path, _ in requests) == sorted([*served, report_path(7)])
    assert {path: headers.get("If-Modified-Since") for path, headers in requests} == {
        **{path: h["Last-Modified"] for path, h in served.items()}, report_path(7): None}
    assert not any("If-None-Match" in headers for _, headers in requests)
    crawl = last_crawl(db)
    assert (crawl["reports_new"], crawl["reports_updated"], crawl["reports_unchanged"]) == (1, 1, 5)
    assert crawl["articles_not_modified"] == 5 and crawl["articles_skipped"] == 0
    assert "5 not modified (304)" in result.stdout
    changed = Archive(db).report(server.base_url + report_path(2))
    assert changed["version"] == 2 and "第2稿" in changed["body_text"]
    # the edited page was served with a later date, and that is what the next crawl will send
    new_date = url_states(db)[server.url(report_path(2))]["last_modified"]
    assert parsedate_to_datetime(new_date) > parsedate_to_datetime(served[report_path(2)]["Last-Modified"])


def _age(db: Path, days_by_path: dict[str, float], base_url: str) -> dict[str, str]:
    """Set url_state.last_checked of these pages to that many days ago; returns the values set."""
    now = dt.datetime.now(dt.timezone.utc)
    stamps = {base_url + path: utc_text(now - dt.timedelta(days=days)) for path, days in days_by_path.items()}
    with sqlite3.connect(db) as conn:
        for url, stamp in stamps.items():
            assert conn.execute("update url_state set last_checked = ? where url = ?", [stamp, url]).rowcount == 1
    conn.close()
    return stamps


def test_recheck_days_requests_again_only_known_pages_last_checked_longer_ago(tmp_path):
    numbers = list(range(1, 7))
    db = tmp_path / "r.db"
    stale = {report_path(2): 10.0, report_path(5): 8.0}
    recent = {report_path(n): 6.0 for n in numbers if report_path(n) not in stale}
    with SiteServer(build_site(numbers), validators=True) as server:
        gongkai_crawl([server.column_url], db)
        _age(db, {**stale, **recent}, server.base_url)
        server.clear_requests()
        started = utc_text(dt.datetime.now(dt.timezone.utc))
        gongkai_crawl([server.column_url], db, "--recheck-days", "7")
        requests = article_requests(server)
    assert sorted(path for path, _ in requests) == sorted(stale)
    assert all(headers.get("If-None-Match") for _, headers in requests)  # conditionally: 304s
    crawl = last_crawl(db)
    assert (crawl["articles_not_modified"], crawl["articles_skipped"], crawl["reports_unchanged"]) == (2, 4, 6)
    assert json.loads(crawl["arguments"])["settings"]["GONGKAI_RECHECK_DAYS"] == 7.0
    states = url_states(db)
    assert all(states[server.base_url + path]["last_checked"] >= started for path in stale)


def test_a_page_skipped_without_a_request_still_comes_due_for_its_recheck(tmp_path):
    # A weekly cron with the default 30-day recheck: a page checked 25 days ago and skipped this
    # week must be rechecked next week, 32 days after it was last really checked.
    numbers = list(range(1, 4))
    db = tmp_path / "d.db"
    with SiteServer(build_site(numbers), validators=True) as server:
        gongkai_crawl([server.column_url], db)
        checked = _age(db, {report_path(n): 25.0 for n in numbers}, server.base_url)
        server.clear_requests()
        gongkai_crawl([server.column_url], db, "--recheck-days", "30")
        assert article_requests(server) == []
        assert {url: s["last_checked"] for url, s in url_states(db).items() if s["kind"] == "article"} == checked
        _age(db, {report_path(n): 32.0 for n in numbers}, server.base_url)  # what next week sees, undisturbed
        server.clear_requests()
        gongkai_crawl([server.column_url], db, "--recheck-days", "30")
        assert len(article_requests(server)) == 3


def test_crawls_row_records_times_arguments_list_pages_bytes_and_counts(tmp_path):
    numbers, more = [1, 2, 3, 4], [5, 6]
    site = build_site([*numbers, *more])
    dead = "/xxgk/xxgknb/202001/t20200115_999.html"  # listed, but the server answers 404
    next_link = '<a href="index_1.html">下一页</a></body>'.encode()
    site.resources[COLUMN] = Resource(list_page(numbers).replace(b"</body>", next_link))
    site.resources["/xxgk/xxgknb/index_1.html"] = Resource(list_page(more).replace(
        b"</ul>", f'<li><a href="{dead}">第999号机关年度报告</a><span>2020-01-15</span></li></ul>'.encode()))
    db = tmp_path / "c.db"
    before = utc_text(dt.datetime.now(dt.timezone.utc))
    with SiteServer(site) as server:
        result = gongkai_crawl([server.column_url], db)
        ok_paths = [p for p in server.paths_requested() if p in site.resources]
        bytes_served = sum(len(server.fill(site.resources[p].body)) for p in ok_paths)
        column_url = server.column_url
    after = utc_text(dt.datetime.now(dt.timezone.utc))
    assert sorted(ok_paths) == sorted([COLUMN, "/xxgk/xxgknb/index_1.html", *map(report_path, [*numbers, *more])])
    crawl = last_crawl(db)
    assert before <= crawl["started_at"] <= crawl["finished_at"] <= after
    assert crawl["status"] == "finished" and crawl["gongkai_version"] == __version__
    arguments = json.loads(crawl["arguments"])
    assert arguments["columns"] == [column_url] and arguments["spider"] == "column"
    assert arguments["settings"]["GONGKAI_DB"] == str(db)
    assert arguments["settings"]["GONGKAI_PROGRESS_INTERVAL"] == "0"  # a -s override, as given
    counts = {k: crawl[k] for k in ("pages_fetched", "list_pages", "articles", "reports_new", "reports_updated",
                                    "reports_unchanged", "failures", "articles_not_modified", "articles_skipped")}
    assert counts == {"pages_fetched": 8, "list_pages": 2, "articles": 6, "reports_new": 6, "reports_updated": 0,
                      "reports_unchanged": 0, "failures": 1, "articles_not_modified": 0, "articles_skipped": 0}
    assert crawl["bytes"] == bytes_served
    # the summary says the same
    assert f"{crawl['started_at']} → {crawl['finished_at']}" in result.stdout
    assert f"8  (2 list pages, 6 articles, 0 attachment files, {bytes_served:,} bytes)" in result.stdout
    assert "6 new, 0 updated, 0 unchanged" in result.stdout
    assert f"HTTP 404: {server.base_url}{dead}" in result.stdout


def test_a_crawl_where_most_fetches_fail_is_flagged_above_the_error_rate_threshold(tmp_path):
    numbers = list(range(1, 7))
    site = build_site(numbers)
    for n in numbers[1:]:
        site.resources[report_path(n)] = Resource(b"<html><body>500 Internal Server Error</body></html>", status=500)
    db = tmp_path / "e.db"
    with SiteServer(site) as server:
        first = gongkai_crawl([server.column_url], db)
        first_crawl = last_crawl(db)
        captures = Archive(db).captures(first_crawl["id"])
        # the failing articles again (the good one is skipped as known), under a 90% threshold
        second = gongkai_crawl([server.column_url], db, "GONGKAI_ALERT_ERROR_RATE=0.9")
    failed = [c for c in captures if c["error"]]
    assert len(failed) == 5 and {c["url"] for c in failed} == {server.url(report_path(n)) for n in numbers[1:]}
    assert len(captures) == 7  # the list page and six articles
    alert = "error rate 71% (5 of 7 fetches failed)"
    assert alert in json.loads(first_crawl["alerts"])
    assert "  alerts " in first.stdout and f"    {alert}" in first.stdout
    assert not any(a.startswith("error rate") for a in json.loads(last_crawl(db)["alerts"]))
    assert "error rate" not in second.stdout


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


def warc_records(path: Path) -> list[dict]:
    """Every record of a WARC file in order: type, WARC headers, HTTP status or request line, HTTP
    headers (names lower-cased: Scrapy normalises their case)."""
    records = []
    with path.open("rb") as fh:
        for record in ArchiveIterator(fh):
            http = record.http_headers
            records.append({"type": record.rec_type, "warc": dict(record.rec_headers.headers),
                            # warcio keeps a request's method in .protocol: "GET" + "/path HTTP/1.1"
                            "line": f"{http.protocol} {http.statusline}" if http else None,
                            "http": {k.lower(): v for k, v in http.headers} if http else {}})
    return records


def test_each_warc_file_opens_with_warcinfo_and_pairs_every_response_with_its_request(tmp_path):
    site = build_site(list(range(1, 7)))
    db = tmp_path / "p.db"
    with SiteServer(site, validators=True) as server:
        gongkai_crawl([server.column_url], db, "GONGKAI_WARC_MAX_SIZE=3000")
        # conditional rechecks (304 responses) and a list page seen before (a revisit record)
        gongkai_crawl([server.column_url], db, "GONGKAI_RECHECK=true", "GONGKAI_WARC_MAX_SIZE=3000")
    files = sorted(warc_dir_for(db).glob("*.warc.gz"))
    assert len(files) > 2
    answers: dict[str, dict] = {}
    requests = []
    for path in files:
        records = warc_records(path)
        assert records[0]["type"] == "warcinfo" and records[0]["warc"]["WARC-Filename"] == path.name
        assert [r["type"] for r in records[1:]].count("warcinfo") == 0
        for i, record in enumerate(records):
            if record["type"] in ("response", "revisit"):
                answers[record["warc"]["WARC-Record-ID"]] = record
            elif record["type"] == "request":
                # written right after its answer, in the same file, and pointing at it
                answer = records[i - 1]
                assert answer["type"] in ("response", "revisit")
                assert record["warc"]["WARC-Concurrent-To"] == answer["warc"]["WARC-Record-ID"]
                assert record["warc"]["WARC-Target-URI"] == answer["warc"]["WARC-Target-URI"]
                target = answer["warc"]["WARC-Target-URI"].split("/", 3)[3]
                assert record["line"] == f"GET /{target} HTTP/1.1"
                answer["request"] = record
                requests.append(record)
    # one request per answer: none missing, none extra
    assert len(requests) == len(answers) and all("request" in answer for answer in answers.values())
    kinds = collections.Counter(r["line"].split()[1] if r["type"] == "response" else r["type"]
                                for r in answers.values())
    assert kinds["200"] >= 7 and kinds["304"] == 6 and kinds["revisit"] >= 1
    # a 304 is evidence only with the conditional request that earned it
    for answer in answers.values():
        if answer["line"] and answer["line"].startswith("HTTP/1.1 304"):
            assert answer["request"]["http"]["if-none-match"] == answer["http"]["etag"]


def test_warc_dir_option_puts_the_files_there_and_not_beside_the_archive(tmp_path):
    db, folder = tmp_path / "archive.db", tmp_path / "evidence" / "warc"
    with SiteServer(build_site([1, 2, 3])) as server:
        gongkai_crawl([server.column_url], db, "--warc-dir", str(folder))
    assert not warc_dir_for(db).exists()
    assert {p.name for p in tmp_path.iterdir()} <= {"archive.db", "archive.db-wal", "archive.db-shm", "archive.log",
                                                    "evidence"}  # the crawl log stays beside the archive
    files = sorted(folder.glob("gongkai-*.warc.gz"))
    assert files and (folder / "index.cdxj").exists() and check_files(files) == []
    captures = [c for c in Archive(db).captures() if c["status"] == 200]
    assert len(captures) == 4  # the list page and three reports
    for capture in captures:
        assert (folder / capture["warc_file"]).is_file()
        headers, payload = read_record(folder, capture["warc_file"], capture["warc_offset"])
        assert headers["WARC-Target-URI"] == capture["url"]
        assert hashlib.sha256(payload).hexdigest() == capture["sha256"]


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
        cmd = crawl_command([server.column_url], db)
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
        gongkai_crawl([], db, "--urls-file", str(urls))
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

"""End-to-end: serve fixture government sites on 127.0.0.1, run the real crawl command, check
the archive row by row against what each site says a correct crawler must find."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from archive.store import Archive
from demo.server import ExpectedDoc, Site, SiteServer, serve_many
from demo.sites import big5_site, encoding_traps_site, failures_site, generic_site, hanweb_site, trs_site
from tests.conftest import char_f1
from tests.crawling import FAST, crawl_command, gongkai_crawl, run

pytestmark = pytest.mark.e2e  # starts local servers and the crawl command


def site_named(sites: list[Site], name: str) -> Site:
    return next(s for s in sites if s.name == name)


def check_report(row: dict, doc: ExpectedDoc) -> None:
    assert row is not None, f"report missing: {doc.path}"
    assert row["title"] == doc.title
    assert row["publish_date"] == doc.publish_date
    assert row["report_year"] == doc.report_year
    assert row["script"] == doc.script
    if doc.agency:
        assert row["agency"] == doc.agency
    if doc.index_no:
        assert row["index_no"] == doc.index_no
    if doc.doc_number:
        assert row["doc_number"] == doc.doc_number
    if doc.written_date:
        assert row["written_date"] == doc.written_date
    assert bool(row["from_mirror"]) == doc.mirror
    assert char_f1(row["body_text"], doc.body_text) >= 0.98, doc.path


@pytest.fixture(scope="module")
def main_sites() -> list[Site]:
    return [trs_site(), hanweb_site(), generic_site(), big5_site(), encoding_traps_site()]


@pytest.fixture(scope="module")
def crawled(main_sites, tmp_path_factory):
    """One crawl of five sites (TRS/GBK/createPageHTML, Hanweb/numbered pages, an unknown
    template with next links, Big5, encoding traps), then a second identical crawl."""
    db = tmp_path_factory.mktemp("e2e") / "archive.db"
    with serve_many(main_sites) as servers:
        first = gongkai_crawl([s.column_url for s in servers], db)
        requested = {site.name: server.paths_requested() for site, server in zip(main_sites, servers)}
        for server in servers:
            server.clear_requests()
        second = gongkai_crawl([s.column_url for s in servers], db)
        bases = {site.name: server.base_url for site, server in zip(main_sites, servers)}
    return {"db": db, "first": first, "second": second, "requested": requested, "bases": bases}


def test_every_expected_report_is_archived_with_its_metadata(main_sites, crawled):
    archive = Archive(crawled["db"])
    for site in main_sites:
        for doc in site.reports():
            check_report(archive.report(crawled["bases"][site.name] + doc.path), doc)


def test_only_reports_are_in_reports_and_decoys_are_captures(main_sites, crawled):
    archive = Archive(crawled["db"])
    expected = {crawled["bases"][s.name] + d.path for s in main_sites for d in s.reports()}
    assert {r["url"] for r in archive.reports()} == expected
    captures = {c["url"]: c for c in archive.captures()}
    for site in main_sites:
        for doc in site.expected:
            if not doc.is_report and doc.failure is None:
                capture = captures[crawled["bases"][site.name] + doc.path]
                assert capture["doc_type"] != "annual_report" and capture["error"] is None


def test_navigation_and_sidebars_are_never_fetched(main_sites, crawled):
    for site in main_sites:
        # attachment files of the expected documents are fetched too (issue 4)
        allowed = {d.path for d in site.expected} | {a for d in site.expected for a in d.attachments} | {"/robots.txt"}
        for path in crawled["requested"][site.name]:
            is_list_page = path.rsplit("/", 1)[0] == site.column_path.rsplit("/", 1)[0] and (
                "index" in path or "list" in path)
            assert path in allowed or is_list_page, f"{site.name}: fetched {path}"


def test_every_list_page_is_walked(main_sites, crawled):
    trs = next(s for s in main_sites if s.name.startswith("trs"))
    list_pages = [p for p in trs.resources if p.startswith(trs.column_path.rsplit("/", 1)[0] + "/index")]
    assert len(list_pages) >= 3
    assert set(list_pages) <= set(crawled["requested"][trs.name])


def test_encodings_are_recorded_per_capture(main_sites, crawled):
    archive = Archive(crawled["db"])
    base = crawled["bases"]
    trs = next(s for s in main_sites if s.name.startswith("trs"))
    row = next(c for c in archive.captures() if c["url"] == base[trs.name] + trs.reports()[0].path)
    assert (row["encoding_meta"], row["encoding_chosen"]) == ("gb2312", "gb18030")
    traps = archive.captures()
    assert any(c["encoding_header"] == "utf-8" and c["encoding_chosen"] == "gb18030" for c in traps)


def test_second_crawl_changes_nothing(crawled):
    archive = Archive(crawled["db"])
    crawls = list(archive.db.query("select * from crawls order by id"))
    assert len(crawls) == 2
    assert crawls[1]["reports_new"] == 0 and crawls[1]["reports_updated"] == 0
    assert crawls[1]["reports_unchanged"] == crawls[0]["reports_new"] > 0
    assert archive.db["report_versions"].count == archive.db["reports"].count
    assert archive.integrity_ok()


def test_summary_is_printed_at_the_end(crawled):
    out = crawled["first"].stdout
    assert "pages fetched" in out and "reports" in out and "new" in out and "failures" in out


def test_failures_are_recorded_and_the_crawl_goes_on(tmp_path):
    site = failures_site()
    db = tmp_path / "f.db"
    with SiteServer(site) as server:
        result = gongkai_crawl([server.column_url], db, "DOWNLOAD_TIMEOUT=2", "RETRY_TIMES=1",
                               f"DOWNLOAD_MAXSIZE={1024 * 1024}", "DOWNLOAD_WARNSIZE=0")
        base = server.base_url
    archive = Archive(db)
    errors = {c["url"]: c["error"] for c in archive.captures() if c["error"]}
    for doc in site.expected:
        url = base + doc.path
        if doc.failure:
            assert url in errors, f"{doc.failure} not recorded: {doc.path}"
            assert url in result.stdout, f"{doc.failure} not in summary"
        elif doc.is_report:
            check_report(archive.report(url), doc)
    kinds = " | ".join(errors.values())
    # the off-site redirect goes to localhost: refused as a loopback address before the host rule
    for word in ("HTTP 404", "HTTP 500", "refused: loopback address 127.0.0.1 (localhost)", "robots.txt",
                 "oversize", "timeout"):
        assert word in kinds, word
    assert archive.crawl(1)["failures"] == len(errors)


def test_scrapy_cli_crawls_into_the_setting_db(tmp_path):
    site = generic_site()
    db = tmp_path / "scrapy.db"
    with SiteServer(site) as server:
        cmd = [sys.executable, "-m", "scrapy", "crawl", "column", "-a", f"start_url={server.column_url}",
               "-s", f"GONGKAI_DB={db}", "-s", "LOG_LEVEL=WARNING"]
        for setting in FAST:
            cmd += ["-s", setting]
        result = run(cmd)
        base = server.base_url
    assert result.returncode == 0, result.stderr[-2000:]
    archive = Archive(db)
    assert {r["url"] for r in archive.reports()} == {base + d.path for d in site.reports()}


def test_bad_arguments_fail_fast_with_a_clear_error(tmp_path):
    result = run([sys.executable, "-m", "crawler.cli", "crawl", "ftp://x.gov.cn/", "--db", str(tmp_path / "x.db")])
    assert result.returncode != 0 and "not an http(s) URL" in result.stderr


def test_extraction_in_worker_processes_archives_the_same_reports(main_sites, crawled, tmp_path):
    # A long crawl hands extraction and statistics to worker processes (pipelines/extracting.py);
    # starting them from the first page must change nothing in what is archived.
    db = tmp_path / "pool.db"
    with serve_many(main_sites) as servers:
        result = run(crawl_command([s.column_url for s in servers], db, "GONGKAI_EXTRACT_WORKERS=2",
                                   "GONGKAI_EXTRACT_POOL_AFTER=0", log_level="INFO"))
        bases = {site.name: server.base_url for site, server in zip(main_sites, servers)}
    assert result.returncode == 0, result.stderr[-3000:]
    assert "'gongkai/extract/workers': 2" in result.stderr

    def rows(path: Path, base_of: dict[str, str]) -> dict[str, tuple]:
        archive = Archive(path)
        prefix = {base: name for name, base in base_of.items()}
        out = {}
        for r in archive.reports():
            base = next(b for b in prefix if r["url"].startswith(b))
            cells = archive.db.execute("select count(*) from report_cells where report_id = ?", [r["id"]]).fetchone()[0]
            out[prefix[base] + r["url"][len(base):]] = (r["title"], r["publish_date"], r["report_year"], r["agency"],
                                                         r["sha256"], cells)
        return out

    inline = rows(crawled["db"], crawled["bases"])
    assert inline and rows(db, bases) == inline


# Run in the crawl's own process: every call of the HTML parser (pipelines.htmltext.parse_html,
# and lxml.html.fromstring, which discovery's link scan calls) is counted by the text it parsed,
# and the counts are written out when the crawl ends. Installed before any project module
# imports the parser, so every `from pipelines.htmltext import parse_html` gets the counter.
COUNT_PARSES = """
import atexit, collections, hashlib, json, os, sys
import lxml.html
import pipelines.htmltext as htmltext
counts = collections.Counter()
def counted(parse):
    def parse_counted(html, *args, **kwargs):
        counts[hashlib.sha1(html.encode("utf-8", "surrogatepass")).hexdigest()] += 1
        return parse(html, *args, **kwargs)
    return parse_counted
htmltext.parse_html = counted(htmltext.parse_html)
lxml.html.fromstring = counted(lxml.html.fromstring)
atexit.register(lambda: open(os.environ["PARSE_COUNTS"], "w").write(json.dumps(counts)))
from crawler.cli import main
sys.exit(main())
"""


def test_each_article_page_is_parsed_once_in_a_crawl(main_sites, tmp_path, monkeypatch):
    # The spider only schedules: one parse of an article page (in the extraction worker, here
    # inline: GONGKAI_EXTRACT_WORKERS=0 keeps every parse in the counted process) gives its
    # render check, its files and the article. It used to be parsed by the spider and again
    # by the extraction.
    from pipelines.encoding import decode_body

    counts_file = tmp_path / "parses.json"
    monkeypatch.setenv("PARSE_COUNTS", str(counts_file))
    db = tmp_path / "once.db"
    with serve_many(main_sites) as servers:
        result = run(crawl_command([s.column_url for s in servers], db, "GONGKAI_EXTRACT_WORKERS=0",
                                   entry=("-c", COUNT_PARSES)))
        bases = [server.base_url for server in servers]
    assert result.returncode == 0, result.stderr[-3000:]
    counts = json.loads(counts_file.read_text())
    archive = Archive(db)
    articles = [row for row in archive.captures() if row["kind"] == "article" and not row.get("error")]
    assert len(articles) >= 20 and len(archive.reports()) >= 19
    parsed = {}
    for row in articles:
        base = next(b for b in bases if row["url"].startswith(b))
        site = main_sites[bases.index(base)]
        resource = site.resources[row["url"][len(base):]]
        text = decode_body(bytes(resource.body), resource.content_type)[0]
        parsed[row["url"]] = counts.get(hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest(), 0)
    assert set(parsed.values()) == {1}, {url: n for url, n in parsed.items() if n != 1}

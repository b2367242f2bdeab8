"""End-to-end: crawl the JavaScript demo sites with the real ``gongkai crawl`` command and check that
every report is archived and that Chromium rendered exactly the pages that needed it."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from archive.store import Archive
from archive.warc import read_record, warc_dir_for
from crawler.cli import EXIT_NO_START_URL
from demo.jssites import JsSite, js_sites, script_site
from demo.server import SiteServer, serve_many
from demo.sites import generic_site
from tests.conftest import char_f1
from tests.crawling import crawl_command, gongkai_crawl, run
from tests.test_browser_render import needs_chromium
from tests.test_crawl_e2e import check_report

pytestmark = [pytest.mark.e2e, needs_chromium]


def browser_paths(archive: Archive, crawl_id: int, base: str) -> list[str]:
    return sorted(c["url"].removeprefix(base) for c in archive.captures(crawl_id)
                  if c["renderer"] == "browser" and c["url"].startswith(base))


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The three JS sites crawled with --js auto, then crawled again into the same archive."""
    sites = js_sites()
    db = tmp_path_factory.mktemp("js") / "js.db"
    with serve_many(sites) as servers:
        first = gongkai_crawl([s.column_url for s in servers], db, "--log-level=INFO")
        requested = {site.name: server.paths_requested() for site, server in zip(sites, servers)}
        for server in servers:
            server.clear_requests()
        second = gongkai_crawl([s.column_url for s in servers], db)
        again = {site.name: server.paths_requested() for site, server in zip(sites, servers)}
        bases = {site.name: server.base_url for site, server in zip(sites, servers)}
    return {"sites": sites, "db": db, "first": first, "second": second, "requested": requested,
            "again": again, "bases": bases}


def test_every_report_of_the_js_sites_is_archived(crawled):
    archive = Archive(crawled["db"])
    expected = {crawled["bases"][s.name] + d.path for s in crawled["sites"] for d in s.reports()}
    assert {r["url"] for r in archive.reports()} == expected
    for site in crawled["sites"]:
        for doc in site.reports():
            check_report(archive.report(crawled["bases"][site.name] + doc.path), doc)


def test_the_browser_renders_exactly_the_pages_that_need_it(crawled):
    archive = Archive(crawled["db"])
    for site in crawled["sites"]:
        assert browser_paths(archive, 1, crawled["bases"][site.name]) == sorted(site.needs_browser), site.name
    renders = archive.db.execute("select count(*) from captures where crawl_id = 1 and renderer = 'browser'")
    assert renders.fetchone()[0] == 4


def test_list_endpoints_are_read_over_plain_http(crawled):
    archive = Archive(crawled["db"])
    rows = [c for c in archive.captures(1) if "dataproxy.jsp" in c["url"] or "/gkmlpt/api/" in c["url"]]
    assert len(rows) == 4 and {c["renderer"] for c in rows} == {"http"}
    hanweb, gk = (next(s for s in crawled["sites"] if s.name == n) for n in ("hanweb-api", "gkmlpt"))
    assert sum(c["entries"] for c in rows if "dataproxy" in c["url"]) == len(hanweb.expected)
    assert sum(c["entries"] for c in rows if "gkmlpt" in c["url"]) == len(gk.expected)
    assert [p for p in crawled["requested"]["hanweb-api"] if "dataproxy" in p] == [
        "/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=9&perpage=3",
        "/module/web/jpage/dataproxy.jsp?startrecord=10&endrecord=18&perpage=3"]


def test_script_written_gbk_report_served_as_utf8_comes_out_right(crawled):
    archive = Archive(crawled["db"])
    site = next(s for s in crawled["sites"] if s.name == "script")
    doc = next(d for d in site.reports() if "/gbknr/" in d.path)
    url = crawled["bases"]["script"] + doc.path
    report = archive.report(url)
    assert report["title"] == doc.title and "\ufffd" not in report["body_text"]
    assert char_f1(report["body_text"], doc.body_text) >= 0.98
    http, browser = (next(c for c in archive.captures(1) if c["url"] == url and c["renderer"] == r)
                     for r in ("http", "browser"))
    assert (http["encoding_header"], http["encoding_chosen"]) == ("utf-8", "gb18030")
    assert browser["encoding_chosen"] == "gb18030"
    # the browser was fed the bytes of the HTTP fetch: the server saw one request for the page
    assert crawled["requested"]["script"].count(doc.path) == 1


def test_decisions_are_remembered_per_site_kind_and_path_prefix(crawled):
    rules = {(r["kind"], r["path_prefix"]): r for r in Archive(crawled["db"]).render_rules()}
    assert set(rules) == {("list", "/xxgk/jsnb/"), ("article", "/xxgk/jsnr/"), ("article", "/xxgk/gbknr/")}
    assert {r["renderer"] for r in rules.values()} == {"browser"}
    assert "createElement" in rules[("list", "/xxgk/jsnb/")]["reason"]


def test_second_crawl_sends_the_js_list_straight_to_the_browser(crawled):
    archive = Archive(crawled["db"])
    base = crawled["bases"]["script"]
    column = next(s for s in crawled["sites"] if s.name == "script").column_path
    rows = [c for c in archive.captures(2) if c["url"] == base + column]
    assert [c["renderer"] for c in rows] == ["browser"]  # no plain-HTTP attempt first
    assert browser_paths(archive, 2, base) == [column]  # known articles are skipped, not rendered
    assert crawled["again"]["script"].count(column) == 1
    crawl = archive.crawl(2)
    assert crawl["reports_new"] == 0 and crawl["reports_updated"] == 0


def test_rendered_pages_are_resource_records_beside_the_servers_bytes(crawled):
    archive = Archive(crawled["db"])
    folder = warc_dir_for(crawled["db"])
    site = next(s for s in crawled["sites"] if s.name == "script")
    for capture in (c for c in archive.captures() if c["renderer"] == "browser"):
        headers, payload = read_record(folder, capture["warc_file"], capture["warc_offset"])
        assert headers["WARC-Type"] == "resource"
        assert hashlib.sha256(payload).hexdigest() == capture["sha256"]  # the DOM the archive holds
        assert headers.get("WARC-Concurrent-To")
    # The second crawl's browser fetched the list page itself: the server's bytes are a response record.
    [listed] = [c for c in archive.captures(2) if c["renderer"] == "browser"]
    exchanges = [rec for rec in _records(folder) if rec[0] in ("response", "revisit") and rec[1] == listed["url"]]
    # crawl 1 over HTTP; crawl 2 through the browser: the same bytes again, so a revisit record
    assert [kind for kind, _, _ in exchanges] == ["response", "revisit"]
    assert exchanges[0][2] == site.resources[site.column_path].body


def _records(folder: Path) -> list[tuple[str, str, bytes]]:
    from warcio.archiveiterator import ArchiveIterator

    out = []
    for path in sorted(folder.glob("*.warc.gz")):
        with path.open("rb") as fh:
            for record in ArchiveIterator(fh):
                out.append((record.rec_type, record.rec_headers.get_header("WARC-Target-URI"),
                            record.content_stream().read()))
    return out


def test_js_never_renders_nothing_and_starts_no_browser(tmp_path):
    sites = js_sites()
    db = tmp_path / "never.db"
    with serve_many(sites) as servers:
        # --js-site overrides --js for its host: every demo site is on 127.0.0.1
        result = gongkai_crawl([s.column_url for s in servers], db, "--js=always", "--js-site=127.0.0.1=never",
                               "--log-level=INFO")
        bases = {s.name: srv.base_url for s, srv in zip(sites, servers)}
    archive = Archive(db)
    assert {c["renderer"] for c in archive.captures()} == {"http"}
    assert "Starting download handler" not in result.stderr and "Launching browser" not in result.stderr
    got = {r["url"] for r in archive.reports()}
    for site in sites:  # the list endpoints need no browser; the script-built list yields nothing
        expected = {bases[site.name] + d.path for d in site.reports()}
        assert (expected <= got) if site.name != "script" else not (expected & got)


def test_static_site_in_auto_mode_starts_no_browser(tmp_path):
    with SiteServer(generic_site()) as server:
        result = gongkai_crawl([server.column_url], tmp_path / "static.db", "--log-level=INFO")
    assert "Starting download handler" not in result.stderr
    assert {c["renderer"] for c in Archive(tmp_path / "static.db").captures()} == {"http"}


def test_js_always_renders_every_page_and_still_decodes_by_the_bytes(tmp_path):
    site: JsSite = script_site()
    db = tmp_path / "always.db"
    with SiteServer(site) as server:
        # a fresh browser context every 3 renders: 7 pages use 3 contexts, the first two closed
        result = gongkai_crawl([server.column_url], db, "--js=always", "GONGKAI_BROWSER_CONTEXT_PAGES=3",
                               "--log-level=INFO")
        base = server.base_url
        requested = server.paths_requested()
    archive = Archive(db)
    pages = [c for c in archive.captures() if c["kind"] in ("list", "article")]
    assert len(pages) == 1 + len(site.expected) and {c["renderer"] for c in pages} == {"browser"}
    for doc in site.reports():
        check_report(archive.report(base + doc.path), doc)
        assert requested.count(doc.path) == 1  # fetched once, by the browser
    assert "'playwright/context_count': 3," in result.stderr
    assert "'gongkai/browser/contexts_closed': 2," in result.stderr


def test_js_always_fetches_a_file_behind_a_page_like_url_over_plain_http(tmp_path):
    """A file served from a page-like URL (``content?id=1``, no download word in it) looks like
    a page; under --js always it is fetched over HTTP first, and only a URL that turns out to
    serve HTML is rendered, from those same bytes (one request each to the server)."""
    from demo import files as fb
    from demo.server import Resource, Site
    from demo.texts import template_report

    filed = template_report("江州市交通运输局", 2021, seed=14)
    paged = template_report("江州市水利局", 2021, seed=15)
    listing = ('<html><head><title>信息公开年报</title></head><body><ul class="list">'
               f'<li><a href="/xxgk/nb/content?id=1">{filed.title}</a><span>2022-01-20</span></li>'
               f'<li><a href="/xxgk/nb/detail?id=2">{paged.title}</a><span>2022-01-21</span></li>'
               '</ul></body></html>')
    article = (f'<html><head><title>{paged.title}</title></head><body><h1>{paged.title}</h1>'
               f'<div class="TRS_Editor">{paged.to_html()}</div></body></html>')
    site = Site("servlet", "江州市", {
        "/xxgk/nb/index.html": Resource(listing.encode()),
        "/xxgk/nb/content?id=1": Resource(fb.report_docx(filed), "application/octet-stream"),
        "/xxgk/nb/detail?id=2": Resource(article.encode()),
    }, "/xxgk/nb/index.html", [])
    db = tmp_path / "servlet.db"
    with SiteServer(site) as server:
        result = gongkai_crawl([server.column_url], db, "--js=always", "--log-level=INFO")
        base = server.base_url
        requested = server.paths_requested()
    archive = Archive(db)
    by_url: dict[str, list[tuple[str, str]]] = {}
    for c in archive.captures():
        by_url.setdefault(c["url"].removeprefix(base), []).append((c["kind"], c["renderer"]))
    assert by_url["/xxgk/nb/index.html"] == [("list", "browser")]  # a page extension: straight to the browser
    assert by_url["/xxgk/nb/content?id=1"] == [("attachment", "http")]  # never in the browser
    assert by_url["/xxgk/nb/detail?id=2"] == [("article", "http"), ("article", "browser")]
    for path in ("/xxgk/nb/index.html", "/xxgk/nb/content?id=1", "/xxgk/nb/detail?id=2"):
        assert requested.count(path) == 1, path
    assert char_f1(archive.report(base + "/xxgk/nb/detail?id=2")["body_text"], paged.body_text()) > 0.95
    assert char_f1(archive.report(base + "/xxgk/nb/content?id=1")["body_text"], filed.body_text()) > 0.95
    assert "'gongkai/render/always_after_fetch': 2," in result.stderr


def test_a_site_behind_an_anti_bot_gateway_is_rendered_once_then_crawled_over_http(tmp_path):
    """412 + a script that sets a cookie and reloads (瑞数/加速乐-style gateways): the first page
    is rendered, the browser's cookie goes to plain HTTP, and the rest needs no browser."""
    site = generic_site()
    db = tmp_path / "waf.db"
    with SiteServer(site, challenge=True) as server:
        result = gongkai_crawl([server.column_url], db, "--log-level=INFO")
        base = server.base_url
        requested = server.requests
    archive = Archive(db)
    for doc in site.reports():
        check_report(archive.report(base + doc.path), doc)
    rendered = [c for c in archive.captures() if c["renderer"] == "browser"]
    assert [c["url"] for c in rendered] == [server.column_url]  # one render: the first page
    assert "'gongkai/render/challenge': 1," in result.stderr
    # the challenge itself is kept as a capture, not counted as a failure
    first = [c for c in archive.captures() if c["url"] == server.column_url]
    assert [(c["status"], c["renderer"], c["error"]) for c in first][0] == (412, "http", None)
    assert archive.crawl(1)["failures"] == 0
    # every article was asked once, over plain HTTP, with the gateway's cookie
    for doc in site.reports():
        asks = [headers for _method, path, headers in requested if path == doc.path]
        assert len(asks) == 1 and "gk_clearance=" in asks[0].get("Cookie", ""), doc.path


def test_js_never_records_an_anti_bot_gateway_as_failures(tmp_path):
    site = generic_site()
    db = tmp_path / "waf-never.db"
    with SiteServer(site, challenge=True) as server:
        result = run(crawl_command([server.column_url], db, "--js=never"))
    # the only start URL failed: nothing archived, exit 3 and a line saying why (issue 14)
    assert result.returncode == EXIT_NO_START_URL, result.stderr[-2000:]
    assert f"failed start URL {server.column_url}: HTTP 412" in result.stderr
    archive = Archive(db)
    assert not archive.reports()
    assert [f["error"] for f in archive.failures(1)] == ["HTTP 412"]
    assert "anti-bot challenge" in result.stderr and "--js never: not rendered" in result.stderr

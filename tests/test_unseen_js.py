"""End-to-end on JavaScript-built columns the other JS sites do not imitate (demo/unseen_js.py):
a Hanweb page holding jpage's first group inline, a Hanweb 信息公开 list POSTed from a <form>,
a jQuery JSON list with epoch-ms dates, a single-page app paged by buttons, and articles whose
body comes from a JSON API. Each report must be archived, and Chromium used only where needed."""

from __future__ import annotations

import pytest

from archive.store import Archive
from demo.server import ExpectedDoc
from demo.unseen_js import serve_unseen_js, unseen_js_sites
from tests.conftest import char_f1
from tests.crawling import gongkai_crawl
from tests.test_browser_render import needs_chromium
from tests.test_js_e2e import browser_paths

pytestmark = [pytest.mark.e2e, needs_chromium]

NAMES = ["hanweb-inline", "hanweb-form", "json-api", "spa", "xhr-article"]
# The app's later pages are known (spiders.browser records its XHRs and logs them) but
# spiders/column.py does not yet request them: see test_spa_first_render_is_archived_and_the_rest_named.
ALL = NAMES


def check_row(row: dict | None, doc: ExpectedDoc) -> None:
    assert row is not None, f"report missing: {doc.path}"
    assert row["title"] == doc.title, doc.path
    assert row["publish_date"] == doc.publish_date, doc.path
    assert row["report_year"] == doc.report_year, doc.path
    assert char_f1(row["body_text"], doc.body_text) >= 0.95, doc.path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    sites = unseen_js_sites()
    db = tmp_path_factory.mktemp("unseen-js") / "archive.db"
    with serve_unseen_js(sites) as servers:
        result = gongkai_crawl([s.column_url for s in servers], db, "--log-level=INFO")
        requested = {site.name: server.paths_requested() for site, server in zip(sites, servers)}
        bases = {site.name: server.base_url for site, server in zip(sites, servers)}
    return {"sites": {s.name: s for s in sites}, "db": db, "result": result, "requested": requested,
            "bases": bases}


@pytest.mark.parametrize("name", ALL)
def test_every_report_is_archived_with_title_dates_and_body(crawled, name):
    rows = {r["url"]: r for r in Archive(crawled["db"]).reports()}
    for doc in crawled["sites"][name].reports():
        check_row(rows.get(crawled["bases"][name] + doc.path), doc)


@pytest.mark.parametrize("name", ALL)
def test_decoys_are_fetched_but_are_not_reports(crawled, name):
    archive = Archive(crawled["db"])
    base = crawled["bases"][name]
    reports = {r["url"] for r in archive.reports()}
    fetched = {c["url"] for c in archive.captures() if c["kind"] == "article"}
    for doc in crawled["sites"][name].expected:
        if not doc.is_report:
            assert base + doc.path in fetched and base + doc.path not in reports, doc.path


@pytest.mark.parametrize("name", NAMES)
def test_the_browser_renders_exactly_the_pages_that_need_it(crawled, name):
    archive = Archive(crawled["db"])
    assert browser_paths(archive, 1, crawled["bases"][name]) == sorted(crawled["sites"][name].needs_browser)


ASSETS = ("/robots.txt", "/js/", "/images/", "/static/", "/module/jslib/")  # fetched by every render


def test_no_page_is_requested_twice(crawled):
    for name, paths in crawled["requested"].items():
        pages = [p for p in paths if not p.startswith(ASSETS)]
        assert len(pages) == len(set(pages)), (name, sorted(p for p in pages if pages.count(p) > 1))


def test_list_endpoints_are_read_over_plain_http_with_every_page(crawled):
    req = crawled["requested"]
    assert [p for p in req["json-api"] if p.startswith("/api/")] == [
        f"/api/column/list?columnId=123&pageNo={n}&pageSize=4" for n in (1, 2, 3)]
    search = sorted(p for p in req["hanweb-form"] if p.startswith("/module/xxgk/search.jsp"))
    assert [p.split("currpage=")[1][0] for p in search] == ["1", "2", "3"]  # POSTed form, every page
    # the page holds jpage's first group: read from the page, the dataproxy asked from group 2 on
    assert [p for p in req["hanweb-inline"] if "dataproxy" in p] == [
        "/module/web/jpage/dataproxy.jsp?startrecord=7&endrecord=12&perpage=2"]


def test_spa_later_pages_are_read_from_the_endpoint_its_render_asked(crawled):
    # 下一页 is a <button>: the render shows page 1, and the list endpoint the app's script
    # asked during that render (/api/spa/articles?page=1&size=4) gives the rest over plain HTTP
    site, base = crawled["sites"]["spa"], crawled["bases"]["spa"]
    rows = {r["url"]: r for r in Archive(crawled["db"]).reports()}
    for doc in site.reports():
        check_row(rows.get(base + doc.path), doc)
    asked = [p for p in crawled["requested"]["spa"] if p.startswith("/api/spa/articles")]
    assert "/api/spa/articles?page=2&size=4" in asked
    assert len(asked) == len(set(asked))

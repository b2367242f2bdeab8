"""End-to-end on column list pages and pagers the other e2e sites do not imitate
(demo/unseen_lists.py): ``.do`` pages paged by ``currentPage`` numbers, TRS page counts in
variables, ``<div class="item">`` entries paged by a ``<select>``, a 信息公开目录 table with
``window.open`` links and ``.jhtml`` pages, "[01-20]" dates under year headings behind 302
redirects, and an ASP.NET pager that only posts back."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from archive.store import Archive
from demo.server import ExpectedDoc, Site, SiteServer, serve_many
from demo.unseen_lists import trs_vars_site, unseen_list_sites
from tests.conftest import char_f1
from tests.crawling import gongkai_crawl

pytestmark = pytest.mark.e2e  # starts local servers and the crawl command

NAMES = ["java-do", "trs-vars", "div-items", "gkml-table", "art-redirect", "aspnet-postback"]


def check_row(row: dict | None, doc: ExpectedDoc) -> None:
    assert row is not None, f"report missing: {doc.path}"
    assert row["title"] == doc.title, doc.path
    assert row["publish_date"] == doc.publish_date, doc.path
    assert row["report_year"] == doc.report_year, doc.path
    if doc.index_no:
        assert row["index_no"] == doc.index_no, doc.path
    assert char_f1(row["body_text"], doc.body_text) >= 0.95, doc.path


@pytest.fixture(scope="module")
def sites() -> dict[str, Site]:
    return {s.name: s for s in unseen_list_sites()}


@pytest.fixture(scope="module")
def crawled(sites, tmp_path_factory):
    db = tmp_path_factory.mktemp("unseen-lists") / "archive.db"
    order = list(sites.values())
    with serve_many(order) as servers:
        result = gongkai_crawl([s.column_url for s in servers], db)
        requested = {site.name: server.requests for site, server in zip(order, servers)}
        bases = {site.name: server.base_url for site, server in zip(order, servers)}
    return {"db": db, "result": result, "requested": requested, "bases": bases}


def _reports_by_url(archive: Archive) -> dict[str, dict]:
    # a report reached through a redirect is stored under the URL the list linked
    return {r["url"]: r for r in archive.reports()}


@pytest.mark.parametrize("name", NAMES)
def test_every_report_is_archived_with_full_title_and_dates(sites, crawled, name):
    rows = _reports_by_url(Archive(crawled["db"]))
    for doc in sites[name].reports():
        check_row(rows.get(crawled["bases"][name] + doc.path), doc)


@pytest.mark.parametrize("name", NAMES)
def test_decoys_are_fetched_but_are_not_reports(sites, crawled, name):
    base = crawled["bases"][name]
    archive = Archive(crawled["db"])
    reports = {r["url"] for r in archive.reports() if r["url"].startswith(base + "/")}
    assert reports == {base + d.path for d in sites[name].reports()}
    captures = {c["url"]: c for c in archive.captures()}
    for doc in sites[name].expected:
        if not doc.is_report:
            capture = captures.get(base + doc.path)
            assert capture is not None, f"decoy never fetched: {doc.path}"
            assert capture["doc_type"] != "annual_report" and capture["error"] is None


@pytest.mark.parametrize("name", NAMES)
def test_requests_are_sane(sites, crawled, name):
    # no 404s (an invented page or a misread link), no page fetched twice, nothing but GET
    site = sites[name]
    requests = [(method, path) for method, path, _ in crawled["requested"][name] if path != "/robots.txt"]
    missing = [p for _, p in requests if p not in site.resources]
    assert not missing
    twice = [p for p, k in Counter(p for _, p in requests).items() if k > 1]
    assert not twice
    assert {m for m, _ in requests} == {"GET"}


@pytest.mark.parametrize("name", ["java-do", "trs-vars", "div-items", "gkml-table", "art-redirect"])
def test_every_list_page_is_walked(sites, crawled, name):
    # every distinct list page (page 1 may be served under two URLs) is fetched
    site = sites[name]
    bodies = {r.body for r in site.resources.values() if "<title>政府信息公开年报_".encode() in r.body}
    fetched = {site.resources[p].body for _, p, _ in crawled["requested"][name] if p in site.resources}
    assert len(bodies) >= 2 and bodies <= fetched


def test_list_dates_are_recorded_with_the_year_they_imply(sites, crawled):
    # "[01-20]" under a "2023年" heading and "01-20" beside a t20230120_ URL are full dates
    archive = Archive(crawled["db"])
    for name in ("trs-vars", "art-redirect"):
        rows = _reports_by_url(archive)
        for doc in sites[name].reports():
            assert rows[crawled["bases"][name] + doc.path]["list_date"] == doc.publish_date, doc.path


def test_postback_pager_crawls_the_first_page_and_finishes(crawled):
    # nothing to request for page 2 (it only posts back), so the crawl ends normally, and says
    # the column could be only partly crawled
    assert "Traceback" not in crawled["result"].stderr
    assert "cannot follow the pager of" in crawled["result"].stderr
    assert "ASP.NET __doPostBack pager" in crawled["result"].stderr
    # and the crawl's alerts (summary and crawls.alerts) say which column
    alerts = json.loads(Archive(crawled["db"]).crawl(1)["alerts"])
    base = crawled["bases"]["aspnet-postback"]
    assert [a for a in alerts if a.startswith("pager not followed") and base in a]
    assert "pager not followed" in crawled["result"].stdout


@pytest.fixture(scope="module")
def folder_crawl(tmp_path_factory):
    # the column URL as people paste it: the folder, not index.shtml
    site = trs_vars_site(folder_url=True)
    with SiteServer(site) as server:
        gongkai_crawl([server.column_url], tmp_path_factory.mktemp("folder") / "f.db")
        return site, server.paths_requested()


def test_folder_column_url_walks_every_page_with_the_pages_own_extension(folder_crawl):
    # createPageHTML(countPage, currentPage, "index", "shtml") from a URL with no file name
    site, paths = folder_crawl
    assert {"/xxgk/zfxxgknb/index_1.shtml", "/xxgk/zfxxgknb/index_2.shtml"} <= set(paths)
    assert not [p for p in paths if p not in site.resources and p != "/robots.txt"]
    assert {d.path for d in site.expected} <= set(paths)


def test_folder_column_url_fetches_its_first_page_once(folder_crawl):
    _, paths = folder_crawl
    assert paths.count("/xxgk/zfxxgknb/") + paths.count("/xxgk/zfxxgknb/index.shtml") == 1

"""Lists paged by a 下一页 control only a script follows (demo/script_pager.py): a TRS-style
``<button onclick="location.href=…">`` (GBK), a Hanweb-style ``<span onclick="goPage(2)">``
(UTF-8), a home-made table's ``<input onclick="window.open(…)">`` (GBK). In browser mode the
crawl clicks through every page; without a browser it says the column is only partly crawled."""

from __future__ import annotations

import json

import pytest

from archive.store import Archive
from demo.script_pager import PAGES, script_pager_sites
from demo.server import serve_many
from pipelines.encoding import decode_body
from pipelines.htmltext import parse_html
from spiders.paging import find_list_pages, page_position, pager_text, script_pager, unfollowable_pager
from tests.crawling import gongkai_crawl
from tests.test_browser_render import needs_chromium

NAMES = ["button-trs", "span-hanweb", "input-table"]


@pytest.fixture(scope="module")
def sites():
    return script_pager_sites()


def _list(site, k: int = 0) -> tuple[str, object]:
    path = site.column_path if k == 0 else sorted(p for p in site.resources if "art/" not in p)[k - 1]
    res = site.resources[path]
    html, _ = decode_body(res.body, res.content_type)
    return html, parse_html(html)


@pytest.mark.parametrize("text, position", [
    ("共6条 第1/3页 下一页", (1, 3)), ("当前第2页 共3页", (2, 3)), ("1/3页", (1, 3)), ("共5页 当前第4页", (4, 5)),
    ("第 3 页 / 共 3 页", (3, 3)), ("2023年1月", None), ("2018-01-11 1/3页", (1, 3)),
])
def test_page_position_reads_the_pager_wording(text, position):
    assert page_position(text) == position


@pytest.mark.parametrize("name", NAMES)
def test_script_pager_is_seen_where_no_link_pages_the_list(sites, name):
    site = next(s for s in sites if s.name == name)
    html, tree = _list(site)
    url = "http://127.0.0.1:9" + site.column_path
    assert find_list_pages(html, tree, url) == []
    assert script_pager(tree)
    assert "page 1 of 3" in unfollowable_pager(html, [], pager_text(tree))


def test_a_real_next_link_is_no_script_pager():
    tree = parse_html('<div>第1/3页 <a href="index_1.html">下一页</a></div>')
    assert script_pager(tree) is None


def test_last_page_is_no_unfollowed_pager():
    assert unfollowable_pager("<div>第3/3页</div>", [], "第3/3页") is None


@pytest.mark.e2e
@needs_chromium
def test_browser_mode_walks_every_page_of_a_script_paged_list(sites, tmp_path):
    db = tmp_path / "archive.db"
    with serve_many(sites) as servers:
        gongkai_crawl([s.column_url for s in servers], db)
        bases = {site.name: server.base_url for site, server in zip(sites, servers)}
    archive = Archive(db)
    reports = {r["url"] for r in archive.reports()}
    for site in sites:
        missing = [d.path for d in site.expected if bases[site.name] + d.path not in reports]
        assert not missing, (site.name, missing)
        rendered = {c["url"] for c in archive.captures() if c["kind"] == "list" and c["renderer"] == "browser"
                    and c["url"].startswith(bases[site.name])}
        assert len(rendered) == PAGES, (site.name, sorted(rendered))
    crawl = archive.crawl(max(c["crawl_id"] for c in archive.captures()))
    assert not [a for a in json.loads(crawl["alerts"]) if "pager" in a]


@pytest.mark.e2e
def test_without_a_browser_the_unfollowed_pager_is_an_alert(sites, tmp_path):
    db = tmp_path / "archive.db"
    with serve_many(sites) as servers:
        result = gongkai_crawl([s.column_url for s in servers], db, "--js", "never")
    archive = Archive(db)
    assert len(archive.reports()) == len(sites) * 2  # page 1 of each column only
    crawl = archive.crawl(max(c["crawl_id"] for c in archive.captures()))
    alerts = [a for a in json.loads(crawl["alerts"]) if a.startswith("pager not followed")]
    assert len(alerts) == len(sites) and all("page 1 of 3" in a for a in alerts)
    assert "pager not followed" in result.stdout

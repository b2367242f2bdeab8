"""Column discovery: the ranking's evidence (pure core) and whole portals walked by ``gongkai discover``."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys

import pytest

from demo.portals import (
    Portal,
    agency_columns,
    big5_tree,
    browser_menu,
    portals,
    redirect_years,
    serve_portal,
    trs_tabs,
)
from demo.server import Resource
from pipelines.discovery import (
    Link,
    Ranking,
    in_portal,
    link_evidence,
    page_evidence,
    portal_key,
    read_data,
    read_page,
    read_script,
    scan_tree,
    sub_columns,
)

HOME = "http://www.x.gov.cn/"
LOCAL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false", "-s", "ROBOTSTXT_OBEY=false",
         "-s", "RETRY_TIMES=0"]


def score(url: str, text: str, neighbours: tuple[str, ...] = ()) -> int:
    return link_evidence(Link(url, text, neighbours)).score


# --- link evidence ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["政府信息公开年报", "政府信息公开工作年度报告", "信息公开年报", "資訊公開年報",
                                  "政府信息公開工作年度報告"])
def test_the_columns_names_score_in_simplified_and_traditional_script(text):
    assert score("http://www.x.gov.cn/col/col205/index.html", text) >= 10


@pytest.mark.parametrize("text", ["政府网站工作年度报表", "统计年报", "政府工作报告", "企业年报公示",
                                  "法治政府建设年度报告", "住房公积金年度报告", "事业单位法人年报", "統計年報",
                                  "部门预决算", "年度工作总结"])
def test_look_alikes_sink_even_under_a_report_slug(text):
    assert score("http://www.x.gov.cn/zwgk/gknb/", text) < 0


def test_a_single_reports_link_is_not_a_column():
    for url, text in (("http://www.x.gov.cn/zwgk/gknb/202401/t20240131_1.html", "政府信息公开年报"),
                      ("http://www.x.gov.cn/zwgk/gknb/", "2023年政府信息公开工作年度报告"),
                      ("http://www.x.gov.cn/art/2024/1/3/art_205_1.html", "信息公开年报"),
                      ("http://www.x.gov.cn/files/nb.pdf", "政府信息公开年报")):
        assert score(url, text) <= 0, (url, text)


def test_slug_families_add_to_the_text_and_short_names_count_only_in_short_texts():
    plain = score("http://www.x.gov.cn/col/col9/", "年报")
    for slug in ("zfxxgknb", "gknb_1234", "xxgknb", "ndbg", "zfxxgkndbg"):
        assert score(f"http://www.x.gov.cn/zwgk/{slug}/", "年报") == plain + 5, slug
    assert score("http://www.x.gov.cn/InfoPublic.aspx?type=nb", "年报") == plain + 5
    assert score("http://www.x.gov.cn/col/col9/", "关于做好年报填报工作的说明材料") <= 0


def test_the_norms_neighbours_add_weight():
    alone = score("http://www.x.gov.cn/col/col9/", "政府信息公开年报")
    beside = score("http://www.x.gov.cn/col/col9/", "政府信息公开年报",
                   ("政府信息公开指南", "法定主动公开内容", "首页"))
    assert beside > alone


# --- page evidence ----------------------------------------------------------------------------

def _links(*texts: str) -> list[Link]:
    return [Link(f"http://www.x.gov.cn/zwgk/nb/p{i}.html", t) for i, t in enumerate(texts)]


def test_a_page_listing_yearly_reports_or_year_folders_or_agency_columns_gains():
    from pipelines.discovery import PageScan

    reports = PageScan(_links("2023年某市政府信息公开工作年度报告", "某市2022年度政府信息公开年报",
                              "2021年政府資訊公開年報"))
    folders = PageScan(_links("2023年", "2022年度", "2021"))
    agencies = PageScan(_links("某市教育局", "某市财政局", "某市交通运输局", "某区人民政府"))
    lookalikes = PageScan(_links("2023年统计公报", "2022年统计公报", "2021年统计公报"))
    url = "http://www.x.gov.cn/zwgk/nb/index.html"
    assert page_evidence(reports, url).score >= 12
    assert page_evidence(folders, url).score >= 6
    assert page_evidence(agencies, url).score >= 4
    assert page_evidence(lookalikes, url).score < 0



def _sub_columns_of(portal: Portal, path: str) -> list[str]:
    """The sub-columns read from a fixture page's own bytes, decoded as the portal encodes them."""
    url = "http://www.x.gov.cn" + path
    return [u.removeprefix("http://www.x.gov.cn") for u in
            sub_columns(read_page(portal.pages[path].body.decode(portal.encoding), url).links, url)]


def test_the_column_spiders_own_parse_finds_the_same_sub_columns_as_a_full_scan():
    # parse_list reads a list page's sub-columns from the tree it parsed for its entries, without
    # the menu neighbours only ranking needs: the list page is parsed once
    from demo.sites import generic_site, hanweb_site, trs_site
    from pipelines.htmltext import parse_html

    pages = [(f"http://www.x.gov.cn{path}", page.body.decode(portal.encoding)) for portal in portals()
             for path, page in portal.pages.items() if page.status == 200]
    pages += [(f"http://www.x.gov.cn{path}", page.body.decode("gbk" if "gbk" in (page.content_type or "") else "utf-8",
                                                                  "replace"))
              for site in (trs_site(), hanweb_site(), generic_site()) for path, page in site.resources.items()
              if "html" in (page.content_type or "")]
    found = 0
    for url, text in pages:
        full = sub_columns(read_page(text, url).links, url)
        assert sub_columns(scan_tree(parse_html(text), url, neighbours=False).links, url) == full, url
        found += bool(full)
    assert found >= 3  # the fixture portals' year folders and agency columns are among them


def test_year_folders_listed_plainly_in_utf8_are_walked_but_not_a_statistics_column():
    portal = redirect_years()
    assert _sub_columns_of(portal, "/zwgk/ndbg/index.html") == ["/zwgk/ndbg/2023/", "/zwgk/ndbg/2022/",
                                                                "/zwgk/ndbg/2019/"]
    assert _sub_columns_of(portal, "/portal/index.html") == []  # 统计年报, 2023年度报告 (a document)


def test_per_agency_sub_columns_in_gbk_divs_are_walked_but_not_the_menus_look_alikes():
    portal = agency_columns()
    assert _sub_columns_of(portal, "/xxgk/nb/") == [f"/xxgk/nb/s{i}/" for i in range(4)]  # 部门预决算 … left


def test_year_folders_nested_in_a_big5_tree_are_walked_relative_and_numbered():
    portal = big5_tree()
    # ./2023/index.htm resolves under the column; nb2021/ is a year folder by its label; 政府資訊公開指南,
    # the 2023年 / 2022年 children of the 統計年報 node and a report labelled just 2023年 are not
    assert _sub_columns_of(portal, "/col/col310/index.html") == [
        "/col/col310/2023/index.htm", "/col/col310/2022/index.htm", "/col/col310/nb2021/index.htm"]
    # the same tree, absolute, on a year folder's page: the other folders, not itself
    assert _sub_columns_of(portal, "/col/col310/2022/index.htm") == [
        "/col/col310/2023/index.htm", "/col/col310/nb2021/index.htm"]


def test_year_tabs_of_numbered_folders_are_walked_but_not_the_strips_other_tabs():
    # nb2023/ and nb2022/ labelled 2023年度报告 / 2022年报; 政府信息公开指南, 统计年报 and each year's
    # 政府工作报告 on the same page are not folders of this column
    assert _sub_columns_of(trs_tabs(), "/xxgk/ndbg/index.shtml") == ["/xxgk/ndbg/nb2023/index.shtml",
                                                                     "/xxgk/ndbg/nb2022/index.shtml"]

# --- reading pages, scripts, data -------------------------------------------------------------

def test_script_arrays_and_json_menus_become_links_with_neighbours():
    script = read_script('var m=[{name:"政府信息公开指南",url:"/gk/zn/"},{name:"政府信息公开年报",url:"/gk/nb/"}];'
                         '$.getJSON("/api/menu.json");', HOME)
    assert Link("http://www.x.gov.cn/gk/nb/", "政府信息公开年报", ("政府信息公开指南",), "script") in script.links
    assert ("http://www.x.gov.cn/api/menu.json", "data") in script.follow
    data = read_data(json.dumps({"data": [{"title": "信息公开年报", "href": "/InfoPublic.aspx?cid=9"},
                                          {"title": "依申请公开", "href": "/InfoPublic.aspx?cid=8"}]}), HOME)
    assert data.links[0].url == "http://www.x.gov.cn/InfoPublic.aspx?cid=9"
    assert data.links[0].neighbours == ("依申请公开",)


def test_frames_meta_refresh_and_script_redirects_are_followed_not_weighed():
    scan = read_page("<html><head><meta http-equiv='Refresh' content='0; URL=/portal/'></head><body>"
                     "<iframe src='/nav.html'></iframe><script>window.location.href='/new/';</script></body></html>",
                     HOME)
    assert {u for u, _ in scan.follow} == {"http://www.x.gov.cn/portal/", "http://www.x.gov.cn/nav.html",
                                           "http://www.x.gov.cn/new/"}
    assert scan.links == []


def test_sibling_hosts_belong_to_the_portal_and_departments_do_not():
    assert in_portal("http://xxgk.zj.gov.cn/col/1/", "https://www.zj.gov.cn/")
    assert not in_portal("http://hct.henan.gov.cn/zwgk/", "http://www.henan.gov.cn/")
    assert not in_portal("http://www.other.gov.cn/", "http://www.zj.gov.cn/")
    assert portal_key("127.0.0.1") == "127.0.0.1"


def test_the_ranking_puts_the_column_above_its_look_alikes_and_drops_the_homepage():
    ranking = Ranking(HOME)
    ranking.add_links(read_page(
        "<ul><li><a href='/zwgk/zn/'>政府信息公开指南</a></li><li><a href='/zwgk/bb/'>政府网站工作年度报表</a></li>"
        "<li><a href='/zwgk/nb/'>年报</a></li><li><a href='/'>政府信息公开年报</a></li>"
        "<li><a href='/tj/nb/'>统计年报</a></li></ul>", HOME).links)
    assert [c.column for c in ranking.ranked(minimum=1)] == ["http://www.x.gov.cn/zwgk/nb/"]


# --- whole portals ----------------------------------------------------------------------------

def discover(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", "discover", *args, *LOCAL],
                          capture_output=True, text=True, timeout=600)


def _by_homepage(stdout: str) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for line in stdout.splitlines():
        row = json.loads(line)
        out.setdefault(row["homepage"], []).append(row)
    return out


@pytest.mark.e2e
def test_every_fixture_portal_gets_its_column_first_and_no_look_alike_first(tmp_path):
    built = portals(browser=False)
    assert len(built) >= 8 and all(p.lookalike_paths for p in built)
    assert {p.encoding for p in built} >= {"utf-8", "gbk", "big5"}
    with contextlib.ExitStack() as stack:
        served = [stack.enter_context(serve_portal(p)) for p in built]
        db = str(tmp_path / "a.db")
        result = discover(*[s.homepage for s in served], "--json", "--all", "--db", db)
    assert result.returncode == 0, result.stderr[-3000:]
    found = _by_homepage(result.stdout)
    for s in served:
        ranked = [row["column"] for row in found[s.homepage]]
        assert ranked[0] == s.column, (s.portal.name, found[s.homepage])
        assert not set(ranked) & set(s.lookalikes), s.portal.name
        assert set(found[s.homepage][0]) == {"homepage", "column", "label", "score"}
    # --db keeps each best column, dated, in the archive's registry
    from archive.registry import entries
    from archive.store import Archive

    archive = Archive(db)
    kept = {e.homepage: e for e in entries(archive.db)}
    archive.close()
    assert {kept[s.homepage].report_column for s in served} == {s.column for s in served}
    assert all(kept[s.homepage].verified_at for s in served)


@pytest.mark.e2e
def test_a_portal_with_only_look_alikes_exits_1_with_a_reason():
    pages = {"/": Resource("<html><head><meta charset='utf-8'></head><body><a href='/tj/'>统计年报</a>"
                           "<a href='/bb/'>政府网站工作年度报表</a><a href='/xw/t20240131_1.html'>"
                           "2023年政府信息公开工作年度报告</a></body></html>".encode())}
    portal = Portal("lookalikes_only", "某县", "utf-8", pages, "/none/", ("/tj/", "/bb/"))
    with serve_portal(portal) as served:
        result = discover(served.homepage, "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"no column: {served.homepage}: no annual-report column found" in result.stderr


@pytest.mark.e2e
def test_a_menu_only_a_script_can_build_is_found_after_a_browser_render():
    from tests.test_browser import chromium_path

    if chromium_path() is None:
        pytest.skip("no chromium: apt-get install chromium")
    with serve_portal(browser_menu()) as served:
        result = discover(served.homepage, "--json", "--all")
        static = discover(served.homepage, "--json", "-s", "GONGKAI_JS=never")
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.splitlines()[0])["column"] == served.column
    assert served.lookalikes[0] not in result.stdout
    assert static.returncode == 1  # without the browser nothing can be seen


def test_an_unreachable_homepage_and_a_bad_url_are_reported_not_crashed():
    from demo.server import free_port

    dead = f"http://127.0.0.1:{free_port()}/"
    result = discover(dead, "--json")
    assert result.returncode == 1
    assert f"no column: {dead}: homepage could not be fetched" in result.stderr
    bad = discover("ftp://x.gov.cn/")
    assert bad.returncode == 1 and "homepage must be an http(s) URL" in bad.stderr


def test_the_examples_in_the_discovery_modules_hold():
    import doctest

    import demo.portals
    import pipelines.discovery

    for module in (pipelines.discovery, demo.portals):
        assert doctest.testmod(module).failed == 0, module.__name__

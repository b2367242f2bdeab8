"""Fixture portals for column discovery: homepages built the ways real government portals are.

Each :class:`Portal` is a small site (served by :mod:`demo.server`) whose annual-report column
sits somewhere a real one does — a nav bar's hub, a left-menu tree, three hubs down, a footer
strip, a script array, an XHR-fetched menu, an iframe on a sibling host, behind redirects, only
after a browser render — in UTF-8, GBK or Big5, with look-alike columns (政府网站工作年度报表,
统计年报, 政府工作报告, 企业年报, 法治政府建设年度报告 …) placed where a naive matcher would take them.
The column's own reports are real pages (publish dates on time and late) so a crawl from the
homepage archives something ``gongkai coverage`` can judge.

    >>> len(portals()), sorted({p.encoding for p in portals()})
    (12, ['big5', 'gbk', 'utf-8'])
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from demo.server import HTML_UTF8, Resource, Site, SiteServer

SIBLING = "{SIBLING}"  # replaced by the sibling server's base URL once it runs


@dataclass(frozen=True)
class Report:
    """One yearly report on a column: its year, publish date and path."""

    year: int
    published: str  # YYYY-MM-DD
    path: str


@dataclass
class Portal:
    """A fixture portal: its pages, where the right column is, where the look-alikes are."""

    name: str
    agency: str
    encoding: str
    pages: dict[str, Resource]
    column_path: str
    lookalike_paths: tuple[str, ...]
    reports: tuple[Report, ...] = ()
    sibling_pages: dict[str, Resource] = field(default_factory=dict)  # served on a sibling host
    column_on_sibling: bool = False


def _page(html: str, encoding: str = "utf-8", declare: bool = True) -> Resource:
    charset = {"utf-8": "utf-8", "gbk": "gbk", "big5": "big5"}[encoding]
    if declare and "<head>" in html:
        meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        html = html.replace("<head>", "<head>" + meta, 1)
    # Like many GBK portals the server's header names no charset: the meta tag (or the bytes) must.
    return Resource(html.encode(encoding), "text/html" if encoding != "utf-8" else HTML_UTF8)


def _doc(title: str, body: str) -> str:
    return f"<!DOCTYPE html><html><head><title>{title}</title></head><body>{body}</body></html>"


def _report_page(agency: str, year: int, published: str) -> str:
    title = f"{agency}{year}年政府信息公开工作年度报告"
    sections = "".join(
        f"<p>{h}</p><p>{year}年,{agency}认真贯彻落实《中华人民共和国政府信息公开条例》,"
        f"围绕{h[2:]}开展工作,取得了较好成效。全年共主动公开政府信息{120 + year % 7}条。</p>"
        for h in ("一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                  "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"))
    return _doc(title, f'<div class="title"><h1>{title}</h1></div><div class="info">发布日期:{published}'
                       f'  来源:{agency}</div><div class="content" id="zoom">'
                       f"<p>本报告根据《中华人民共和国政府信息公开条例》编制。</p>{sections}</div>")


def _list(items: list[tuple[str, str]], date: dict[str, str] | None = None) -> str:
    date = date or {}
    return "<ul class='list'>" + "".join(
        f"<li><a href='{h}'>{t}</a><span>{date.get(h, '')}</span></li>" for h, t in items) + "</ul>"


def _reports_list(agency: str, reports: tuple[Report, ...]) -> str:
    return _list([(r.path, f"{agency}{r.year}年政府信息公开工作年度报告") for r in reports],
                 {r.path: r.published for r in reports})


def _lookalike_list(name: str, slug: str, years: range = range(2020, 2024)) -> str:
    return _list([(f"/{slug}/t{y + 1}0115_{y}.html", f"{y}年{name}") for y in years])


def _with_reports(portal: Portal, pages: dict[str, Resource] | None = None) -> Portal:
    target = pages if pages is not None else portal.pages
    for r in portal.reports:
        target[r.path] = _page(_report_page(portal.agency, r.year, r.published), portal.encoding)
    return portal


# --- the portals ----------------------------------------------------------------------------

def trs_nav() -> Portal:
    """TRS-style, UTF-8: nav bar 政务公开 → left-menu tree with the 2019 norm's sub-columns.
    Look-alikes: 政府网站工作年度报表 right beside it, 统计年报 and 政府工作报告 in the nav."""
    agency = "江南市人民政府"
    reports = (Report(2023, "2024-01-26", "/zwgk/zfxxgknb/202401/t20240126_1001.html"),
               Report(2022, "2023-03-20", "/zwgk/zfxxgknb/202303/t20230320_901.html"),
               Report(2021, "2022-01-28", "/zwgk/zfxxgknb/202201/t20220128_801.html"))
    menu = _list([("/zwgk/zn/", "政府信息公开指南"), ("/zwgk/zd/", "政府信息公开制度"),
                  ("/zwgk/fdzdgknr/", "法定主动公开内容"), ("/zwgk/zfxxgknb/", "政府信息公开年报"),
                  ("/zwgk/wzndbb/", "政府网站工作年度报表"), ("/zwgk/ysqgk/", "依申请公开")])
    pages = {
        "/": _page(_doc(agency, "<div class='nav'>" + _list([
            ("/", "首页"), ("/zwgk/", "政务公开"), ("/tjsj/tjnb/", "统计年报"), ("/zwgk/zfgzbg/", "政府工作报告"),
            ("/hdjl/", "互动交流")]) + "</div><div class='news'>" + _list([
            ("/xwdt/t20240301_1.html", "市政府召开常务会议")]) + "</div>")),
        "/zwgk/": _page(_doc("政务公开", "<div class='left-menu'><h3>政府信息公开</h3>" + menu + "</div>")),
        "/zwgk/zfxxgknb/": _page(_doc("政府信息公开年报", "<div class='left'>" + menu + "</div>"
                                      + _reports_list(agency, reports))),
        "/zwgk/wzndbb/": _page(_doc("政府网站工作年度报表", "<div class='left'>" + menu + "</div>"
                                    + _lookalike_list("江南市人民政府门户网站政府网站工作年度报表", "zwgk/wzndbb"))),
        "/tjsj/tjnb/": _page(_doc("统计年报", _lookalike_list("江南市统计年报", "tjsj/tjnb"))),
        "/zwgk/zfgzbg/": _page(_doc("政府工作报告", _lookalike_list("江南市政府工作报告", "zwgk/zfgzbg"))),
    }
    return _with_reports(Portal("trs_nav", agency, "utf-8", pages, "/zwgk/zfxxgknb/",
                                ("/zwgk/wzndbb/", "/tjsj/tjnb/", "/zwgk/zfgzbg/"), reports))


def hanweb_gbk() -> Portal:
    """Hanweb/JCMS-style, GBK with no charset in the header: ``col/colNNN`` columns with no telling
    slug, found by link text only; look-alikes 法治政府建设年度报告 and 政府工作报告 in the same tree."""
    agency = "北山县人民政府"
    reports = (Report(2023, "2024-01-15", "/art/2024/1/15/art_205_3001.html"),
               Report(2022, "2023-01-30", "/art/2023/1/30/art_205_2001.html"),
               Report(2018, "2019-03-29", "/art/2019/3/29/art_205_1001.html"))
    tree = ("<div class='tree'><ul><li><a href='/col/col201/index.html'>政府信息公开指南</a></li>"
            "<li><a href='/col/col202/index.html'>政府信息公开制度</a></li>"
            "<li><a href='/col/col203/index.html'>法定主动公开内容</a><ul>"
            "<li><a href='/col/col206/index.html'>法治政府建设年度报告</a></li>"
            "<li><a href='/col/col207/index.html'>政府工作报告</a></li></ul></li>"
            "<li><a href='/col/col205/index.html'>政府信息公开年报</a></li>"
            "<li><a href='/col/col204/index.html'>依申请公开</a></li></ul></div>")
    pages = {
        "/": _page(_doc(agency, "<table class='nav'><tr><td><a href='/index.html'>首页</a></td>"
                                "<td><a href='/col/col100/index.html'>信息公开</a></td>"
                                "<td><a href='/col/col300/index.html'>政民互动</a></td></tr></table>"), "gbk"),
        "/col/col100/index.html": _page(_doc("信息公开", tree), "gbk"),
        "/col/col205/index.html": _page(_doc("政府信息公开年报", tree + _reports_list(agency, reports)), "gbk"),
        "/col/col206/index.html": _page(_doc("法治政府建设年度报告", tree + _lookalike_list(
            "北山县法治政府建设年度报告", "col/col206")), "gbk"),
        "/col/col207/index.html": _page(_doc("政府工作报告", tree + _lookalike_list(
            "北山县政府工作报告", "col/col207")), "gbk"),
    }
    return _with_reports(Portal("hanweb_gbk", agency, "gbk", pages, "/col/col205/index.html",
                                ("/col/col206/index.html", "/col/col207/index.html"), reports))


def deep_hub() -> Portal:
    """A home-made table layout, the column three hubs down (政务公开 → 政府信息公开 → 公开目录), named
    only "年度报告" with an ``?lm=`` id; 企业年报公示 and 年度工作总结 beside it in the same table."""
    agency = "西河区人民政府"
    reports = (Report(2023, "2024-02-20", "/gk/show.asp?id=903"), Report(2022, "2023-01-31", "/gk/show.asp?id=902"))
    table = ("<table class='ml'><tr><td><a href='/gk/list.asp?lm=11'>公开指南</a></td>"
             "<td><a href='/gk/list.asp?lm=12'>公开制度</a></td></tr><tr>"
             "<td><a href='/gk/list.asp?lm=31'>企业年报公示</a></td><td><a href='/gk/list.asp?lm=17'>年度报告</a></td>"
             "</tr><tr><td><a href='/gk/list.asp?lm=32'>年度工作总结</a></td>"
             "<td><a href='/gk/list.asp?lm=13'>依申请公开</a></td></tr></table>")
    pages = {
        "/": _page(_doc(agency, "<div id='menu'><a href='/zw/index.html'>政务公开</a> <a href='/bs/'>办事服务</a>"
                                " <a href='/gk/list.asp?lm=31'>企业年报</a></div>")),
        "/zw/index.html": _page(_doc("政务公开", "<div><a href='/zw/zfxxgk.html'>政府信息公开</a>"
                                                 "<a href='/zw/xwfb.html'>新闻发布</a></div>")),
        "/zw/zfxxgk.html": _page(_doc("政府信息公开", "<div><a href='/gk/ml.html'>政府信息公开目录</a>"
                                                      "<a href='/zw/zcjd.html'>政策解读</a></div>")),
        "/gk/ml.html": _page(_doc("公开目录", table)),
        "/gk/list.asp?lm=17": _page(_doc("年度报告", table + _reports_list(agency, reports))),
        "/gk/list.asp?lm=31": _page(_doc("企业年报公示", _lookalike_list("企业年报公示名单", "gk/qy"))),
        "/gk/list.asp?lm=32": _page(_doc("年度工作总结", _lookalike_list("西河区年度工作总结", "gk/zj"))),
    }
    return _with_reports(Portal("deep_hub", agency, "utf-8", pages, "/gk/list.asp?lm=17",
                                ("/gk/list.asp?lm=31", "/gk/list.asp?lm=32"), reports))


def big5_footer() -> Portal:
    """Big5, traditional script: the column only in the footer strip (資訊公開年報), while the nav
    bar offers 統計年報 and the news box one year's report (a single report is no column)."""
    agency = "東港市政府"
    reports = (Report(2023, "2024-01-30", "/xxgk/nb/2024/0130a.htm"),
               Report(2022, "2023-01-20", "/xxgk/nb/2023/0120a.htm"))
    pages = {
        "/": _page(_doc(agency, "<div class='nav'>" + _list([("/tj/nb/", "統計年報"), ("/xw/", "新聞中心")])
                   + "</div><div class='news'>" + _list([("/xxgk/nb/2024/0130a.htm", "2023年政府資訊公開年報")])
                   + "</div><div class='footer'><a href='/xxgk/nb/index.htm'>資訊公開年報</a> | "
                     "<a href='/map.htm'>網站地圖</a> | <a href='/lx.htm'>聯繫我們</a></div>"), "big5"),
        "/xxgk/nb/index.htm": _page(_doc("資訊公開年報", _list(
            [(r.path, f"{r.year}年度政府資訊公開年報") for r in reports])), "big5"),
        "/tj/nb/": _page(_doc("統計年報", _list([(f"/tj/nb/{y}.htm", f"{y}年統計年報") for y in range(2019, 2024)])),
                         "big5"),
    }
    portal = Portal("big5_footer", agency, "big5", pages, "/xxgk/nb/index.htm", ("/tj/nb/",), reports)
    for r in reports:
        title = f"{r.year}年度政府資訊公開年報"
        pages[r.path] = _page(_doc(title, f"<h1>{agency}{title}</h1><p>發布日期:{r.published}</p>"
                                          "<p>一、總體情況</p><p>本年度資訊公開工作。</p>"), "big5")
    return portal


def script_menu() -> Portal:
    """The menu is a script array in an external file (``menu.js``): no link in the HTML.
    Look-alike 政府网站工作年度报表 sits in the same array."""
    agency = "南湖市人民政府"
    reports = (Report(2023, "2024-01-31", "/gk/nb_2024/t20240131_77.html"),
               Report(2021, "2022-02-10", "/gk/nb_2024/t20220210_55.html"))
    menu_js = ("var NAV = [{name: '首页', url: '/'}, {name: '信息公开', url: '/gk/'}];\n"
               "var GK_MENU = [\n {name: \"政府信息公开指南\", url: \"/gk/zn/\"},\n"
               " {name: \"法定主动公开内容\", url: \"/gk/fd/\"},\n"
               " {name: \"政府网站工作年度报表\", url: \"/gk/bb_2024/\"},\n"
               " {name: \"政府信息公开年报\", url: \"/gk/nb_2024/\"}\n];\n"
               "document.getElementById('menu').innerHTML = GK_MENU.map(function (m) {"
               " return '<a href=\"' + m.url + '\">' + m.name + '</a>'; }).join('');\n")
    pages = {
        "/": _page(_doc(agency, "<div id='menu'></div><script src='/js/menu.js'></script>")),
        "/js/menu.js": Resource(menu_js.encode(), "application/javascript"),
        "/gk/nb_2024/": _page(_doc("政府信息公开年报", _reports_list(agency, reports))),
        "/gk/bb_2024/": _page(_doc("政府网站工作年度报表", _lookalike_list("政府网站工作年度报表", "gk/bb_2024"))),
    }
    return _with_reports(Portal("script_menu", agency, "utf-8", pages, "/gk/nb_2024/", ("/gk/bb_2024/",), reports))


def xhr_menu() -> Portal:
    """The 信息公开 page builds its menu from JSON fetched by XHR; the column is an
    ``InfoPublic.aspx?cid=`` URL; 住房公积金年度报告 and 统计公报 are in the same JSON list."""
    agency = "云岭省人力资源和社会保障厅"
    reports = (Report(2023, "2024-01-29", "/InfoPublicDetail.aspx?id=9001"),)
    nav = {"code": 0, "data": [{"title": "政府信息公开指南", "link": "/InfoPublic.aspx?cid=1011"},
                               {"title": "住房公积金年度报告", "link": "/InfoPublic.aspx?cid=1031"},
                               {"title": "统计公报", "link": "/InfoPublic.aspx?cid=1032"},
                               {"title": "政府信息公开年报", "link": "/InfoPublic.aspx?cid=1019"},
                               {"title": "依申请公开", "link": "/InfoPublic.aspx?cid=1012"}]}
    pages = {
        "/": _page(_doc(agency, "<div class='nav'><a href='/InfoPublic.aspx'>信息公开</a>"
                                "<a href='/bs.aspx'>办事</a></div>")),
        "/InfoPublic.aspx": _page(_doc("信息公开", "<ul id='gkmenu'></ul><script>$.getJSON('/api/gk/menu.json',"
                                                   " function (d) { render(d.data); });</script>")),
        "/api/gk/menu.json": Resource(json.dumps(nav, ensure_ascii=False).encode(), "application/json"),
        "/InfoPublic.aspx?cid=1019": _page(_doc("政府信息公开年报", _reports_list(agency, reports))),
        "/InfoPublic.aspx?cid=1031": _page(_doc("住房公积金年度报告", _lookalike_list("住房公积金年度报告", "gjj"))),
        "/InfoPublic.aspx?cid=1032": _page(_doc("统计公报", _lookalike_list("统计公报", "tjgb"))),
    }
    return _with_reports(Portal("xhr_menu", agency, "utf-8", pages, "/InfoPublic.aspx?cid=1019",
                                ("/InfoPublic.aspx?cid=1031", "/InfoPublic.aspx?cid=1032"), reports))


def iframe_sibling() -> Portal:
    """The navigation is an iframe; its 政府信息公开 link goes to a sibling host (``xxgk.`` beside
    ``www.``), where the column lives beside 政府工作报告 and 企业年报."""
    agency = "青石市人民政府"
    reports = (Report(2023, "2024-01-19", "/gknb/202401/t20240119_5.html"),
               Report(2022, "2023-02-01", "/gknb/202302/t20230201_4.html"))
    pages = {
        "/": _page(_doc(agency, "<iframe src='/inc/nav.html' width='100%'></iframe><p>欢迎访问</p>")),
        "/inc/nav.html": _page(_doc("nav", f"<a href='{SIBLING}/xxgk/index.html' target='_top'>政府信息公开</a>"
                                           "<a href='/zwdt/'>政务动态</a>")),
    }
    menu = _list([("/xxgk/zn/", "政府信息公开指南"), ("/zfgzbg/", "政府工作报告"), ("/gknb/", "政府信息公开年报"),
                  ("/qynb/", "企业年报"), ("/xxgk/ysq/", "依申请公开")])
    sibling = {
        "/xxgk/index.html": _page(_doc("政府信息公开", menu)),
        "/gknb/": _page(_doc("政府信息公开年报", menu + _reports_list(agency, reports))),
        "/zfgzbg/": _page(_doc("政府工作报告", _lookalike_list("政府工作报告", "zfgzbg"))),
        "/qynb/": _page(_doc("企业年报", _lookalike_list("企业年报公示", "qynb"))),
    }
    portal = Portal("iframe_sibling", agency, "utf-8", pages, "/gknb/", ("/zfgzbg/", "/qynb/"), reports,
                    sibling_pages=sibling, column_on_sibling=True)
    return _with_reports(portal, sibling)


def redirect_years() -> Portal:
    """The homepage redirects (302, then a meta refresh) to the portal; the column is a short
    "年报" link with an ``ndbg`` slug whose page lists year folders; 统计年报 and one year's
    report sit in the same menu."""
    agency = "东山县人民政府"
    reports = (Report(2023, "2024-01-31", "/zwgk/ndbg/2023/t20240131_3.html"),
               Report(2022, "2023-04-02", "/zwgk/ndbg/2022/t20230402_2.html"),
               Report(2019, "2020-01-21", "/zwgk/ndbg/2019/t20200121_1.html"))
    years = {2023: reports[0], 2022: reports[1], 2019: reports[2]}
    pages = {
        "/": Resource(b"", HTML_UTF8, status=302, headers={"Location": "/index/"}),
        "/index/": _page("<html><head><meta http-equiv='refresh' content='0;url=/portal/index.html'></head>"
                         "<body></body></html>"),
        "/portal/index.html": _page(_doc(agency, "<ul class='menu'>" + "".join(
            f"<li><a href='{h}'>{t}</a></li>" for h, t in (
                ("/zwgk/zn/", "公开指南"), ("/zwgk/ndbg/index.html", "年报"), ("/tjxx/tjnb/", "统计年报"),
                ("/zwgk/ndbg/2023/t20240131_3.html", "2023年度报告"))) + "</ul>")),
        "/zwgk/ndbg/index.html": _page(_doc("年报", _list([(f"/zwgk/ndbg/{y}/", f"{y}年")
                                                          for y in (2023, 2022, 2019)]))),
        "/tjxx/tjnb/": _page(_doc("统计年报", _lookalike_list("东山县统计年报", "tjxx/tjnb"))),
    }
    for year, report in years.items():
        pages[f"/zwgk/ndbg/{year}/"] = _page(_doc(f"{year}年", _reports_list(agency, (report,))))
    return _with_reports(Portal("redirect_years", agency, "utf-8", pages, "/zwgk/ndbg/index.html",
                                ("/tjxx/tjnb/",), reports))


def agency_columns() -> Portal:
    """A province's column aggregating per-agency sub-columns (GBK, home-made divs), reached from
    a 政府信息公开 hub whose menu also holds 部门预决算 and 年度工作总结 links."""
    agency = "海西省人民政府"
    subs = ("海西省教育厅", "海西省财政厅", "海西省交通运输厅", "海西省人民政府办公厅")
    reports = (Report(2023, "2024-01-25", "/xxgk/nb/jyt/t20240125_1.html"),)
    menu = ("<div class='side'><p><a href='/xxgk/gkzn/'>信息公开指南</a></p><p><a href='/xxgk/yjs/'>部门预决算</a></p>"
            "<p><a href='/xxgk/nb/'>信息公开年报</a></p><p><a href='/xxgk/zj/'>年度工作总结</a></p></div>")
    pages = {
        "/": _page(_doc(agency, "<div class='top'><a href='/xxgk/'>政府信息公开</a>"
                                "<a href='/hd/'>互动</a></div>"), "gbk"),
        "/xxgk/": _page(_doc("政府信息公开", menu), "gbk"),
        "/xxgk/nb/": _page(_doc("信息公开年报", menu + _list([(f"/xxgk/nb/s{i}/", s)
                                                              for i, s in enumerate(subs)])), "gbk"),
        "/xxgk/yjs/": _page(_doc("部门预决算", _lookalike_list("部门预决算公开", "xxgk/yjs")), "gbk"),
        "/xxgk/zj/": _page(_doc("年度工作总结", _lookalike_list("年度工作总结", "xxgk/zj")), "gbk"),
    }
    for i, _ in enumerate(subs):
        pages[f"/xxgk/nb/s{i}/"] = _page(_doc("年报", _reports_list(agency, reports if i == 0 else ())), "gbk")
    return _with_reports(Portal("agency_columns", agency, "gbk", pages, "/xxgk/nb/",
                                ("/xxgk/yjs/", "/xxgk/zj/"), reports))


def big5_tree() -> Portal:
    """Hanweb-style ``col/colNNN`` pages in Big5: the column's left-menu tree (``<ul class="tree">``)
    nests its year folders under it as relative links, one numbered like ``nb2021/``; beside them
    sit 政府資訊公開指南, a 統計年報 node with its own 2023年 / 2022年 children, and one year's report
    labelled just 2023年: none of them a year folder of this column."""
    agency = "南港縣政府"
    col = "/col/col310/"
    reports = (Report(2023, "2024-01-22", col + "2023/art_310_23.htm"),
               Report(2022, "2023-02-14", col + "2022/art_310_22.htm"),
               Report(2021, "2022-01-25", col + "nb2021/art_310_21.htm"))
    folders = ((2023, "./2023/index.htm", "2023年"), (2022, "./2022/index.htm", "2022年"),
               (2021, "./nb2021/index.htm", "2021年度"))

    def tree(here: str = "") -> str:
        # relative year links on the column's own page, as Hanweb writes them; absolute elsewhere
        return ("<ul class='tree'><li><a href='/col/col301/index.html'>政府資訊公開指南</a></li>"
                "<li><a href='/col/col302/index.html'>法定主動公開內容</a></li>"
                "<li class='open'><a href='/col/col310/index.html'>政府資訊公開年報</a><ul>"
                + "".join(f"<li><a href='{h if here == col else col + h[2:]}'>{t}</a></li>" for _, h, t in folders)
                + "</ul></li><li><a href='/col/col320/index.html'>統計年報</a><ul>"
                "<li><a href='/col/col320/2023/index.htm'>2023年</a></li>"
                "<li><a href='/col/col320/2022/index.htm'>2022年</a></li></ul></li>"
                "<li><a href='/col/col310/2023/art_310_23.htm'>2023年</a></li></ul>")

    home = "<div class='nav'><a href='/col/col300/index.html'>政府資訊公開</a><a href='/xw/'>新聞中心</a></div>"
    pages = {
        "/": _page(_doc(agency, home), "big5"),
        "/col/col300/index.html": _page(_doc("政府資訊公開", tree()), "big5"),
        "/col/col310/index.html": _page(_doc("政府資訊公開年報", tree(col)), "big5"),
        "/col/col320/index.html": _page(_doc("統計年報", tree() + _list(
            [(f"/col/col320/{y}/index.htm", f"{y}年統計年報") for y in range(2020, 2024)])), "big5"),
        "/col/col320/2023/index.htm": _page(_doc("2023年", _list(
            [("/col/col320/2023/t1.htm", "南港縣2023年統計年報")])), "big5"),
    }
    for year, href, _ in folders:
        report = next(r for r in reports if r.year == year)
        title = f"{agency}{year}年政府資訊公開工作年度報告"
        pages[col + href[2:]] = _page(_doc(f"{year}年", tree() + _list([(report.path, title)],
                                                                   {report.path: report.published})), "big5")
        pages[report.path] = _page(_doc(title, f"<h1>{title}</h1><div class='info'>發布日期:{report.published}"
                                               f"  來源:{agency}</div><div class='content'><p>一、總體情況</p>"
                                               f"<p>{year}年,{agency}依照《政府資訊公開條例》辦理公開工作。</p>"
                                               "<p>二、主動公開政府資訊情況</p><p>全年主動公開資訊。</p></div>"),
                                 "big5")
    return Portal("big5_tree", agency, "big5", pages, "/col/col310/index.html", ("/col/col320/index.html",),
                  reports)


def trs_tabs() -> Portal:
    """TRS-style ``.shtml`` pages in UTF-8: the column shows its years as a tab strip of numbered
    folders (``nb2023/`` … labelled 2023年度报告 / 2022年报); the strip also holds 政府信息公开指南 and a
    统计年报 tab, and the page lists one 政府工作报告 per year: none of them a year folder."""
    agency = "清溪市人民政府"
    col = "/xxgk/ndbg/"
    tabs = ((2023, "nb2023/", "2023年度报告"), (2022, "nb2022/", "2022年报"))
    reports = tuple(Report(y, f"{y + 1}-01-2{i}", f"{col}{d}t{y + 1}012{i}_{y}.shtml")
                    for i, (y, d, _) in enumerate(tabs))
    strip = ("<div class='tab-nav'><ul>" + "".join(f"<li><a href='./{d}index.shtml'>{t}</a></li>" for _, d, t in tabs)
             + "<li><a href='/xxgk/zn/index.shtml'>政府信息公开指南</a></li>"
             "<li><a href='/tjxx/nb2023/index.shtml'>统计年报</a></li></ul></div>")
    pages = {
        "/": _page(_doc(agency, "<div class='nav'>" + _list([("/xxgk/index.shtml", "信息公开"),
                                                             ("/hdjl/index.shtml", "互动交流")]) + "</div>")),
        "/xxgk/index.shtml": _page(_doc("信息公开", _list([("/xxgk/zn/index.shtml", "政府信息公开指南"),
                                                         ("/xxgk/ndbg/index.shtml", "政府信息公开年度报告"),
                                                         ("/tjxx/nb2023/index.shtml", "统计年报")]))),
        "/xxgk/ndbg/index.shtml": _page(_doc("政府信息公开年度报告", strip + _list(
            [(f"/zfgzbg/{y}.shtml", f"{y}年政府工作报告") for y in (2023, 2022)]))),
        "/tjxx/nb2023/index.shtml": _page(_doc("统计年报", _lookalike_list("清溪市统计年报", "tjxx/nb2023"))),
    }
    for (year, folder, _), report in zip(tabs, reports):
        pages[f"{col}{folder}index.shtml"] = _page(_doc(f"{year}年", _reports_list(agency, (report,))))
    return _with_reports(Portal("trs_tabs", agency, "utf-8", pages, "/xxgk/ndbg/index.shtml",
                                ("/tjxx/nb2023/index.shtml",), reports))


def browser_menu() -> Portal:
    """The menu exists only once a script runs: its URLs are assembled from pieces, so no static
    reading finds them, and the page must be rendered. Look-alike 政府网站工作年度报表 beside it."""
    agency = "北岭县人民政府"
    reports = (Report(2023, "2024-01-10", "/xx" + "gk/gknb/t20240110_8.html"),)
    script = ("<script>var p = ['xx', 'gk'], parts = [['政府信息公开年报', 'gknb'], ['政府网站工作年度报表', 'wzbb'],"
              " ['政府信息公开指南', 'zn']]; var box = document.getElementById('m');"
              " parts.forEach(function (x) { var a = document.createElement('a');"
              " a.href = '/' + p.join('') + '/' + x[1] + '/'; a.textContent = x[0]; box.appendChild(a); });</script>")
    pages = {
        "/": _page(_doc(agency, "<div id='m'></div>" + script)),
        "/xxgk/gknb/": _page(_doc("政府信息公开年报", _reports_list(agency, reports))),
        "/xxgk/wzbb/": _page(_doc("政府网站工作年度报表", _lookalike_list("政府网站工作年度报表", "xxgk/wzbb"))),
    }
    return _with_reports(Portal("browser_menu", agency, "utf-8", pages, "/xxgk/gknb/", ("/xxgk/wzbb/",), reports))


STATIC_PORTALS = (trs_nav, hanweb_gbk, deep_hub, big5_footer, script_menu, xhr_menu, iframe_sibling,
                  redirect_years, agency_columns, big5_tree, trs_tabs)


def portals(browser: bool = True) -> list[Portal]:
    """Every fixture portal (``browser=False`` leaves out the one that needs a render)."""
    return [make() for make in STATIC_PORTALS] + ([browser_menu()] if browser else [])


@dataclass
class Served:
    """A portal being served: its homepage, the right column's URL and the look-alikes' URLs."""

    portal: Portal
    homepage: str
    column: str
    lookalikes: list[str]
    servers: list[SiteServer]


@contextlib.contextmanager
def serve_portal(portal: Portal) -> Iterator[Served]:
    """Serve a portal (and its sibling host, on a second port of 127.0.0.1) until the block ends."""
    with contextlib.ExitStack() as stack:
        sibling = None
        if portal.sibling_pages:
            sibling = stack.enter_context(SiteServer(Site(portal.name + "-xxgk", portal.agency,
                                                          portal.sibling_pages, "/", [])))
            for path, res in list(portal.pages.items()):
                portal.pages[path] = Resource(res.body.replace(SIBLING.encode(), sibling.base_url.encode()),
                                              res.content_type, res.status, res.headers)
        main = stack.enter_context(SiteServer(Site(portal.name, portal.agency, portal.pages, "/", [])))
        column_base = (sibling or main).base_url if portal.column_on_sibling else main.base_url
        yield Served(portal, main.base_url + "/", column_base + portal.column_path,
                     [column_base + p for p in portal.lookalike_paths], [main] + ([sibling] if sibling else []))

"""One module of URL knowledge: the spiders, the browser router, discovery and extraction agree on every URL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from lxml.html import fromstring

from pipelines.discovery import Link, link_evidence, read_data, read_page, read_script, sub_columns
from pipelines.extract import find_attachments
from pipelines.htmltext import parse_html
from pipelines.metadata import url_date
from pipelines.urls import (
    ATTACHMENT_EXTENSIONS,
    FOLDER_INDEX_NAMES,
    NOT_FOLLOWED_HREFS,
    PAGE_ENDINGS,
    PAGE_PARAMS,
    STATIC_ASSET_EXTENSIONS,
    first_page_alias,
    in_column,
    is_article_url,
    is_attachment_link,
    is_document_url,
    is_page_path,
    is_page_url,
    path_prefix,
    url_year,
)
from spiders import adapters
from spiders.links import find_entries
from spiders.paging import pager_urls
from tests.test_browser_render import page_request, router_for

# Article URLs of CMSs seen in the wild, one per ending: TRS (.html), a folder index, JEECMS
# (.jhtml/.jspx), Struts/Spring (.do/.action), JSF (.xhtml), Hanweb (.jsp), ASP.NET (.aspx).
PAGES = [
    "http://www.x.gov.cn/xxgk/nb/202201/t20220120_1.html",
    "http://www.x.gov.cn/xxgk/nb/",
    "http://www.x.gov.cn/xxgk/gknb/2022/512.jhtml",
    "http://www.x.gov.cn/xxgk/show.jspx?id=5",
    "http://www.x.gov.cn/xxgk/gknb/detail.do?id=7300&columnId=58",
    "http://www.x.gov.cn/News_showGkmlNews.action?messagekey=88",
    "http://www.x.gov.cn/xxgk/report.xhtml?id=3",
    "http://www.x.gov.cn/art/2024/1/15/art_1_2.jsp?id=42",
    "http://www.x.gov.cn/zwgk/ShowArticle.aspx?ID=9",
]
FILES = [
    "http://www.x.gov.cn/xxgk/nb/P020220120.pdf",
    "http://www.x.gov.cn/module/download/downfile.jsp?classid=0&filename=P020240115.pdf",
    "http://www.x.gov.cn/attach/DownLoad.aspx?id=42",
    "http://www.x.gov.cn/fujian/getFile.action?id=88",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_url_is_a_page_for_the_spider_the_router_and_extraction(url, tmp_path):
    assert is_page_url(url)
    # extraction: a page whose link text reads like a file name is still a page, not a file
    assert not is_attachment_link(url, "江州市2021年政府信息公开工作年度报告.pdf")
    # browser: routed pages with a page ending go to the browser at once (no HTTP fetch first)
    router = router_for(tmp_path, GONGKAI_JS="always")
    request = page_request(url)
    router.process_request(request)
    assert request.meta.get("playwright") and "gongkai_render_after_fetch" not in request.meta


@pytest.mark.parametrize("url", FILES)
def test_a_file_url_is_a_file_for_the_spider_the_router_and_extraction(url, tmp_path):
    assert not is_page_url(url) and is_attachment_link(url)
    router = router_for(tmp_path, GONGKAI_JS="always")
    request = page_request(url)
    router.process_request(request)
    assert not request.meta.get("playwright")


def test_files_linked_from_a_page_ending_in_any_page_ending_are_not_taken_for_files():
    links = "".join(f'<p><a href="{url}">2021年报告.pdf</a></p>' for url in PAGES[2:])
    tree = fromstring(f'<html><body><div id="zoom">{links}<a href="{FILES[0]}">附件</a></div></body></html>')
    assert [link.url for link in find_attachments(tree, PAGES[0])] == [FILES[0]]


def test_endings_are_one_list_and_lowercase():
    assert len(set(PAGE_ENDINGS)) == len(PAGE_ENDINGS)
    assert all(e == e.lower() for e in PAGE_ENDINGS)
    assert is_page_path("/XXGK/NB/T1.SHTML")


# Article pages of each CMS shape pipelines/urls.py knows, as real portals write them.
ARTICLES = [
    "http://www.x.gov.cn/xxgk/nb/202201/t20220120_712301.html",              # TRS WCM
    "http://www.x.gov.cn/art/2022/1/15/art_1229214366_58937063.html",        # Hanweb
    "http://www.x.gov.cn/zhengce/2023-03/29/content_5748953.htm",            # www.gov.cn
    "http://www.x.gov.cn/gkmlpt/content/4/4688/post_4688997.html",           # Guangdong gkmlpt
    "http://www.x.gov.cn/nw12344/20230331/4a03b5fa47ae4c73b7ec42801de6be66.html",  # Shanghai
    "http://www.x.gov.cn/zwgk/zfxxgkgd/20200525/i2026054.html",              # the 衡阳 family
    "http://www.x.gov.cn/zwgk/Content-2027931.html",                         # 安康
    "http://www.x.gov.cn/cms/html/npszf/2013-01-25/1779102018.html",         # 南平: a bare id
]


def _undated_list(*hrefs: str) -> str:
    return "<ul>" + "".join(f'<li><a href="{h}">关于开展春季植树活动的通知</a></li>' for h in hrefs) + "</ul>"


@pytest.mark.parametrize("url", ARTICLES)
def test_an_article_url_of_each_cms_is_an_article_for_lists_and_a_document_for_discovery(url):
    assert is_article_url(url) and is_document_url(url)
    # a list that shows no dates takes it for an entry by its URL alone (its title reads like no report)
    page = "http://www.x.gov.cn/zwgk/list.html"
    assert [e.url for e in find_entries(parse_html(_undated_list(url, "/about.html")), page)] == [url]
    # discovery: a link to it is one report, never the column, whatever its text says
    assert "-15 URL of a single document" in link_evidence(Link(url, "政府信息公开年报")).reasons


@pytest.mark.parametrize("url", [ARTICLES[4], ARTICLES[5], ARTICLES[6]])
def test_a_shanghai_hengyang_or_ankang_article_is_a_single_document_not_a_column_for_discovery(url):
    # Lists knew these shapes and discovery did not: a 年报 link to one scored as the column.
    assert link_evidence(Link(url, "政府信息公开年报")).score <= 0
    folder = url.rsplit("/", 1)[0] + "/"
    years = [Link(folder + "2023/", "2023年"), Link(folder + "2022/", "2022年"), Link(url, "2021年")]
    assert sub_columns(years, folder) == [folder + "2023/", folder + "2022/"]


def test_later_pages_and_hanweb_dated_folders_are_documents_for_discovery_but_not_list_entries():
    for url in ("http://www.x.gov.cn/xxgk/nb/202201/t20220120_712301_1.html",  # TRS: page 2 of an article
                "http://www.x.gov.cn/gkmlpt/content/4/4688/post_4688997_2.html",  # gkmlpt's likewise
                "http://www.x.gov.cn/art/2022/1/15/index.html"):  # inside Hanweb's dated folders
        assert is_document_url(url) and not is_article_url(url), url


@pytest.mark.parametrize("url", [
    "http://www.x.gov.cn/art/2024/1/15/art_1_2.jsp?id=42",  # Hanweb's JSP articles
    "http://www.x.gov.cn/xxgk/nb/202201/T20220120_1.HTML?from=list",  # IIS: any case, a tracking query
    "http://www.x.gov.cn/xxgk/gknb/1779102.jhtml",  # JEECMS
])
def test_an_article_shape_on_any_page_ending_or_with_a_query_is_an_article_for_lists(url):
    # the lists' old pattern ran over the whole URL with .html endings only and missed these
    assert is_article_url(url) and is_document_url(url)


@pytest.mark.parametrize("url", [
    "http://www.x.gov.cn/xxgk/nb/202201/",  # a TRS month folder: an id-like name, but a folder
    "http://www.x.gov.cn/col/col1229214366/index.html",  # a Hanweb column
    "http://www.x.gov.cn/xxgk/nb/index_2.shtml",  # a TRS list's page 2
    "http://www.x.gov.cn/script/0/1604141056424316.css",  # an id-like file that is no page
    "http://www.x.gov.cn/i18n/zwgk/nb/",
])
def test_columns_folders_and_assets_are_neither_articles_nor_documents(url):
    assert not is_article_url(url) and not is_document_url(url)


@pytest.mark.parametrize(("folder", "index"), [
    ("http://www.x.gov.cn/xxgk/nb/", "index.shtml"),  # TRS
    ("http://www.x.gov.cn/col/col205/", "index.html"),  # Hanweb
    ("http://www.x.gov.cn/zwgk/gknb/", "Default.aspx"),  # IIS
    ("http://www.x.gov.cn/xxgk/gknb/", "index.jhtml"),  # JEECMS
])
def test_a_folder_and_its_index_page_are_one_list_page_either_way_round(folder, index):
    assert first_page_alias(folder + index, folder) and first_page_alias(folder, folder + index)
    stem, _, ending = index.partition(".")
    assert not first_page_alias(f"{folder}{stem}_1.{ending}", folder)  # the list's page 2
    assert not first_page_alias(folder + index + "?page=2", folder)
    assert not first_page_alias(folder + "sub/" + index, folder)


@pytest.mark.parametrize(("column", "article", "elsewhere"), [
    ("http://www.x.gov.cn/xxgk/nb/index.shtml", "http://www.x.gov.cn/xxgk/nb/202201/t20220120_1.html",  # TRS
     "http://www.x.gov.cn/xwzx/202201/t20220120_9.html"),
    ("http://www.x.gov.cn/col/col1229214366/index.html",  # Hanweb: articles filed by date, not by column
     "http://www.x.gov.cn/art/2022/1/15/art_1229214366_58937063.html",
     "http://www.x.gov.cn/art/2022/1/15/art_1229214000_58937064.html"),
    ("http://www.x.gov.cn/gkmlpt/index", "http://www.x.gov.cn/gkmlpt/content/4/4688/post_4688997.html",  # gkmlpt
     "http://www.x.gov.cn/content/post_4688998.html"),
    ("http://www.x.gov.cn/index.html", "http://www.x.gov.cn/xxgk/nb/t20220120_1.html", None),  # the root folder
])
def test_an_article_belongs_to_its_column_by_folder_or_by_hanweb_column_id(column, article, elsewhere):
    # a list's blocks with no entry of the column (a 热点信息 sidebar) are dropped by this
    assert in_column(article, column) == (elsewhere is not None)
    assert elsewhere is None or not in_column(elsewhere, column)


@pytest.mark.parametrize(("url", "date", "year"), [
    ("http://www.x.gov.cn/xxgk/nb/202401/t20240122_123.html", "2024-01-22", 2024),  # TRS
    ("http://www.x.gov.cn/art/2021/1/28/art_1229214366_5.html", "2021-01-28", 2021),  # Hanweb
    ("http://www.x.gov.cn/nw12344/20200301/4a03b5fa47ae4c73b7ec42801de6be66.html", "2020-03-01", 2020),  # Shanghai
    ("http://www.x.gov.cn/zhengce/2023-03/29/content_5748953.htm", "2023-03-29", None),  # www.gov.cn
    ("http://www.x.gov.cn/xxgk/nb/202201/", None, 2022),  # a TRS month folder
])
def test_the_date_and_year_an_article_url_carries_are_read_for_each_cms(url, date, year):
    # the year dates a list's "01-20" when the list shows month and day only
    assert (url_date(url), url_year(url)) == (date, year)


def _sources() -> dict[str, ast.Module]:
    root = Path(__file__).resolve().parent.parent
    return {str(path.relative_to(root)): ast.parse(path.read_text(encoding="utf-8"))
            for package in ("crawler", "spiders", "pipelines") for path in sorted((root / package).rglob("*.py"))}


@pytest.mark.parametrize("param", [
    "pageNo",  # Java back ends
    "PageIndex",  # ASP.NET
    "currentPage",  # Struts list.do
    "current",  # MyBatis-Plus
    "page_no", "cpage",
])
def test_a_page_parameter_pages_a_list_api_and_a_pagers_links_alike(param):
    # Each list knew some the other did not: the list API adapter missed page_no, cpage and
    # ASP.NET's PageIndex (it matched case as written), the pager regex missed current.
    loader = ('<ul id="list"></ul><script>function load(p){$.ajax({url: "/api/column/list", '
              f'data: {{columnId: 123, {param}: p, pageSize: 15}}}})}} load(1);</script>')
    [call] = adapters.detect(loader, "http://www.x.gov.cn/xxgk/nb/index.html", "")
    assert call.url == f"http://www.x.gov.cn/api/column/list?columnId=123&{param}=1&pageSize=15"
    pager = f'<div class="page"><span>1</span> <a href="list.do?columnId=58&amp;{param}=2">2</a></div>'
    assert pager_urls(parse_html(pager), "http://www.x.gov.cn/nb/list.do?columnId=58") == [
        f"http://www.x.gov.cn/nb/list.do?columnId=58&{param}=2"]


def test_hrefs_that_name_no_url_are_followed_neither_by_discovery_nor_by_lists():
    # discovery kept its own list (with data:, case-sensitive: "JavaScript:void(0)" became a link)
    hrefs = ["./202201/t20220120_1.html", "/art/2022/1/15/art_1229214366_5.html",  # TRS, Hanweb
             "/gkmlpt/content/4/4688/post_4688997.html#zoom",  # gkmlpt, with a fragment
             "JavaScript:void(0)", "#", "mailto:gk@x.gov.cn", "tel:0571-1234", "data:text/html,<p>x</p>"]
    html = "<ul>" + "".join(f'<li><a href="{h}">XX市2021年政府信息公开工作年度报告</a></li>' for h in hrefs) + "</ul>"
    page = "http://www.x.gov.cn/xxgk/nb/index.shtml"
    followed = ["http://www.x.gov.cn/xxgk/nb/202201/t20220120_1.html",
                "http://www.x.gov.cn/art/2022/1/15/art_1229214366_5.html",
                "http://www.x.gov.cn/gkmlpt/content/4/4688/post_4688997.html"]
    assert [link.url for link in read_page(html, page).links] == followed
    assert [e.url for e in find_entries(parse_html(html), page)] == followed


def test_discovery_resolves_links_against_a_relative_base_href_as_lists_do():
    # old table-layout portals: <base href="/xxgk/">; discovery joined links to "/xxgk/" itself
    # and got relative "URLs" that belonged to no portal
    html = ('<html><head><base href="/xxgk/"></head><body><ul><li><a href="./nb/">政府信息公开年报</a></li>'
            '<li><a href="col/col205/index.html">政府信息公开指南</a></li>'
            '<li><a href="../gkmlpt/index">信息公开目录</a></li></ul></body></html>')
    urls = [link.url for link in read_page(html, "http://www.x.gov.cn/index.html").links]
    assert urls == ["http://www.x.gov.cn/xxgk/nb/", "http://www.x.gov.cn/xxgk/col/col205/index.html",
                    "http://www.x.gov.cn/gkmlpt/index"]


def test_a_menu_kept_in_a_script_links_pages_on_every_page_ending():
    # discovery's own list of endings knew .html/.jsp/.aspx/.php: a JEECMS or Struts menu was no menu
    script = ('var menu = [{name: "政府信息公开指南", url: "gknb/index.shtml"},'  # TRS
              ' {name: "政府信息公开年报", url: "nb/index.jhtml"},'  # JEECMS
              ' {name: "依申请公开", url: "ysqgk/list.do"}];')  # Struts
    links = read_script(script, "http://www.x.gov.cn/xxgk/").links
    assert [(link.url, link.text) for link in links] == [
        ("http://www.x.gov.cn/xxgk/gknb/index.shtml", "政府信息公开指南"),
        ("http://www.x.gov.cn/xxgk/nb/index.jhtml", "政府信息公开年报"),
        ("http://www.x.gov.cn/xxgk/ysqgk/list.do", "依申请公开")]
    data = read_data('[{"title": "政府信息公开年报", "href": "nb/index.jhtml"}]', "http://www.x.gov.cn/xxgk/")
    assert [link.url for link in data.links] == ["http://www.x.gov.cn/xxgk/nb/index.jhtml"]


def test_data_endpoints_are_read_and_libraries_and_static_assets_are_not():
    script = ('$.getJSON("/api/menu.json"); $.post("/module/web/jpage/dataproxy.jsp");'  # JSON API, Hanweb
              ' fetch("/trsapi/channel/list?siteId=1");')  # TRS
    assert read_script(script, "http://www.x.gov.cn/").follow == [
        ("http://www.x.gov.cn/api/menu.json", "data"), ("http://www.x.gov.cn/module/web/jpage/dataproxy.jsp", "data"),
        ("http://www.x.gov.cn/trsapi/channel/list?siteId=1", "data")]
    page = ('<script src="/js/jquery-1.12.4.min.js"></script><script src="/js/vue.js"></script>'
            '<script src="/js/menu.js"></script>')
    assert read_page(page, "http://www.x.gov.cn/").follow == [("http://www.x.gov.cn/js/menu.js", "script")]
    # the list API adapter takes no static file for a list endpoint
    for asset in STATIC_ASSET_EXTENSIONS:
        loader = ('<script>function load(p){$.ajax({url: "/static/list' + asset + '", '
                  'data: {columnId: 1, pageNo: p}})} load(1);</script>')
        assert adapters.detect(loader, "http://www.x.gov.cn/xxgk/nb/", "") == [], asset


def test_a_render_decision_is_remembered_for_the_folders_above_the_first_per_document_folder():
    # Hanweb's dated folders, TRS's month folders, gkmlpt's numbered ones, a Hanweb column, a dated folder
    assert path_prefix("http://x.gov.cn/art/2020/9/10/art_1_2.html") == "/art/"
    assert path_prefix("http://x.gov.cn/xxgk/jsnb/202001/t20200115_1.html") == "/xxgk/jsnb/"
    assert path_prefix("http://x.gov.cn/yjzjj/gkmlpt/content/2/2145/post_2145678.html") == "/yjzjj/gkmlpt/content/"
    assert path_prefix("http://x.gov.cn/col/col1229214366/index.html") == "/col/col1229214366/"
    assert path_prefix("http://x.gov.cn/zwgk/2021-01/detail.html") == "/zwgk/"
    assert path_prefix("http://x.gov.cn/index.html") == path_prefix("http://x.gov.cn") == "/"


# What a regex's source looks like when it writes down URL knowledge of its own.
URL_REGEX_FINGERPRINTS: dict[str, str] = {
    "endings as alternatives": r"pdf\|docx?|docx?\|pdf|html\?\|(?:jsp|php|aspx?)|js\|css|png\|jpe?g",
    "a pager URL pattern": r"createPageHTML\\s|\(\?P<n>\\d|_\(\\d\{1,\d\}\)\$",
    "an article shape": r"t\\d\{8\}|art_\\d|post_\\d|content_\\d|\[0-9a-f\]\{32\}|/art/\\d",
    "a Hanweb column id": r"/col/col\(?\\d",
    "data endpoints or library scripts": r"/api/\||/trsapi/|jquery\|bootstrap",
    "a year or date in a URL": r"/t\??\(\(\?:19\|20\)|/art/\(\(\?:19|\\d\{4\}\[-_\]",
    # two page parameters side by side in an alternation: (?:page|pageno|…)
    "page parameters as alternatives": (lambda names: rf"(?i)(?<!\w)(?:{names})\|(?:{names})(?!\w)")(
        "|".join(sorted({p.lower() for p in PAGE_PARAMS}, key=len, reverse=True))),
}


# Vocabularies of URL knowledge: a tuple, list or set holding two words of one is a copy.
URL_VOCABULARIES: dict[str, set[str]] = {
    "endings": {e for e in (*PAGE_ENDINGS, *ATTACHMENT_EXTENSIONS) if e != "/"},
    "folder index names": {n.lower() for n in FOLDER_INDEX_NAMES},
    "page parameters": {p.lower() for p in PAGE_PARAMS},
    "static asset endings": set(STATIC_ASSET_EXTENSIONS),
    "hrefs not followed": {h.lower() for h in NOT_FOLLOWED_HREFS} | {"javascript:", "mailto:"},
}


def _copies(name: str, module: ast.Module) -> list[tuple[str, str, str]]:
    """(where, what kind of URL knowledge, which words or regex) of each copy in a module."""
    found = []
    for node in ast.walk(module):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            listed = {el.value.lower() for el in node.elts
                      if isinstance(el, ast.Constant) and isinstance(el.value, str)}
            for what, words in URL_VOCABULARIES.items():
                if len(listed & words) >= 2:  # a list of its own
                    found.append((f"{name}:{node.lineno}", what, str(sorted(listed & words))))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            for what, fingerprint in URL_REGEX_FINGERPRINTS.items():  # a regex of its own
                if re.search(fingerprint, node.value):
                    found.append((f"{name}:{node.lineno}", what, node.value[:60]))
    return found


def test_url_endings_and_pager_patterns_are_written_down_in_pipelines_urls_only():
    copies = [c for name, module in _sources().items() if name != "pipelines/urls.py" for c in _copies(name, module)]
    assert copies == []


def test_the_guard_knows_a_copy_of_each_kind_when_it_sees_one():
    # the lists and regexes spiders/, pipelines/discovery_phrases.py and pipelines/patterns.py held
    old = ast.parse("""
FILE_ENDINGS = (".pdf", ".doc", ".docx")
FOLDER_INDEX_NAMES = ("index", "default")
SKIPPED = ("javascript:", "mailto:", "tel:", "#", "data:")
ASSETS = {".js", ".css", ".png"}
PAGE_KEYS = ("pageNo", "pageNum", "page", "currentPage")
FILE_RE = r"\\.(?:pdf|docx?|xlsx?)$"
CREATE_PAGE_RE = r"createPageHTML\\s*\\(([^)]*)\\)"
DOCUMENT_URL_RE = r"(?:/t\\d{8}_\\d+|/art_\\d+|/art/\\d{4}/|/post_\\d+|/content_\\d+)"
HANWEB_COLUMN_RE = r"/col/col(\\d+)/"
URL_YEAR_RE = r"/t?((?:19|20)\\d{2})(?:\\d{2}){0,2}(?:/|_)"
_DOCUMENT_SEGMENT = r"^(?:\\d+|\\d{4}[-_]\\d{1,2}(?:[-_]\\d{1,2})?)$"
QUERY_PAGE_RE = r"[?&](?:page|pageno|page_no|pageindex|currpage|curpage|currentpage|pagenum|cpage|pn|p)=\\d+"
SCRIPT_URL_RE = r"^[\\w./-]+\\.(?:s?html?|jsp|aspx?|php)(?:\\?\\S*)?$"
SCRIPT_DATA_URL_RE = r"\\.json(?:\\?|$)|/api/|/trsapi/|dataproxy\\.jsp|/data/"
STATIC_RE = r"\\.(?:js|css|png|jpe?g|gif|svg|ico|woff2?)$"
""")
    for statement in old.body:  # each one a copy
        assert _copies("old.py", ast.Module([statement], [])), ast.unparse(statement)
    kinds = {what for _, what, _ in _copies("old.py", old)}
    assert kinds == URL_VOCABULARIES.keys() | URL_REGEX_FINGERPRINTS.keys()  # and each kind seen

"""Pagination of disclosure columns: createPageHTML, numbered pages, next links."""

import pytest

from pipelines.htmltext import parse_html
from spiders.paging import create_page_html_urls, find_list_pages, unfollowable_pager

BASE = "http://x.gov.cn/xxgk/xxgknb/index.html"


def pages(html: str, url: str = BASE) -> list[str]:
    return find_list_pages(html, parse_html(html), url)


def test_createpagehtml_pages_are_computed_without_a_browser():
    html = '<html><body><ul></ul><script>createPageHTML(4, 0, "index", "html");</script></body></html>'
    assert pages(html) == [f"http://x.gov.cn/xxgk/xxgknb/index_{n}.html" for n in (1, 2, 3)]


def test_newer_trs_createpagehtml_with_element_id_and_shtml():
    html = "<script>createPageHTML('page_div', 3, 1, 'index', 'shtml', 57);</script>"
    urls = create_page_html_urls(html, "http://x.gov.cn/col/index_1.shtml")
    assert urls == ["http://x.gov.cn/col/index.shtml", "http://x.gov.cn/col/index_1.shtml",
                    "http://x.gov.cn/col/index_2.shtml"]


def test_countpage_variable_without_createpagehtml():
    html = "<script>var countPage = 3; var currentPage = 0;</script>"
    assert pages(html) == ["http://x.gov.cn/xxgk/xxgknb/index_1.html", "http://x.gov.cn/xxgk/xxgknb/index_2.html"]


def test_numbered_pages_fill_the_elided_range_from_the_smallest_seen():
    html = ('<div class="page"><a href="index.html">首页</a><a href="index_2.html">2</a>'
            '<a href="index_3.html">3</a><span>…</span><a href="index_7.html">尾页</a></div>')
    url = "http://x.gov.cn/col/col1229214366/index.html"
    got = pages(html, url)
    assert [u.rsplit("/", 1)[1] for u in got] == [f"index_{n}.html" for n in (2, 3, 7, 4, 5, 6)]


def test_next_page_link_with_query_string():
    html = '<div><a href="list.jsp?page=2">下一页</a> <a href="list.jsp?page=9">尾页</a></div>'
    assert pages(html, "http://x.gov.cn/xxgk/nb/list.jsp") == [
        "http://x.gov.cn/xxgk/nb/list.jsp?page=2", "http://x.gov.cn/xxgk/nb/list.jsp?page=9"]


def test_home_page_link_named_shouye_is_not_a_list_page():
    html = '<div class="nav"><a href="/">首页</a></div><a href="/zwgk/index_2.html">2</a>'
    assert pages(html) == []


def test_digit_links_count_as_pages_only_with_page_shaped_urls():
    html = '<a href="/xxgk/xxgknb/2019.html">2019</a><a href="/xxgk/xxgknb/report.html">3</a>'
    assert pages(html) == ["http://x.gov.cn/xxgk/xxgknb/2019.html"]


def test_image_pager_links_are_read_by_their_alt_text():
    # ASP.NET pagers: image buttons with no text, only alt (or title) saying what they are
    html = ('<div class="pagebar"><a href="List.aspx?cid=27&amp;page=2"><img src="/images/page_next.gif" '
            'alt="下一页" /></a> <a href="List.aspx?cid=27&amp;page=5" title="尾页"><img src="/l.gif" /></a>'
            '<a href="/zwgk/Show.aspx?id=9"><img src="/banner.gif" alt="政务公开" /></a></div>')
    assert pages(html, "http://x.gov.cn/zwgk/List.aspx?cid=27") == [
        "http://x.gov.cn/zwgk/List.aspx?cid=27&page=2", "http://x.gov.cn/zwgk/List.aspx?cid=27&page=5"]


@pytest.mark.parametrize("text", ["下一页 &raquo;", "下一頁 &gt;", "【下一页】", "末页 &raquo;|"])
def test_pager_words_inside_arrows_and_brackets(text):
    html = f'<div class="fenye"><a href="index_2.html">{text}</a></div>'
    assert pages(html) == ["http://x.gov.cn/xxgk/xxgknb/index_2.html"]


def test_pager_links_resolve_against_base_href():
    # Table portals set <base href> at the parent folder and write "./nb/index_1.htm"
    html = ('<html><head><base href="http://x.gov.cn/xxgk/"></head><body>'
            '<a href="./nb/index_1.htm">下一页</a></body></html>')
    assert pages(html, "http://x.gov.cn/xxgk/nb/index.htm") == ["http://x.gov.cn/xxgk/nb/index_1.htm"]


def test_createpagehtml_arguments_read_from_script_variables():
    # TRS templates whose call names its variables: the extension is the call's, not "html"
    html = ('<script src="/js/createPage.js"></script><script>var countPage = 3//共多少页\n'
            'var currentPage = 0//当前页码\ncreatePageHTML(countPage, currentPage, "index", "shtml");</script>')
    assert pages(html, "http://x.gov.cn/xxgk/nb/") == [
        "http://x.gov.cn/xxgk/nb/index.shtml", "http://x.gov.cn/xxgk/nb/index_1.shtml",
        "http://x.gov.cn/xxgk/nb/index_2.shtml"]


def test_page_jump_select_options_are_pages():
    # 站群 templates: 下一页 is a script call; only the jump <select> names the pages
    html = ('<div class="pages">共3页 <a href="javascript:void(0)" onclick="pageJump(2)">下一页</a>'
            '<select onchange="window.location.href=this.value"><option value="index.htm" selected>第1页</option>'
            '<option value="index_1.htm">第2页</option><option value="index_2.htm">第3页</option></select>'
            '<select onchange="location.href=this.value"><option value="/bm/a/">财政局</option></select></div>')
    assert pages(html, "http://x.gov.cn/nb/index.htm") == [
        "http://x.gov.cn/nb/index_1.htm", "http://x.gov.cn/nb/index_2.htm"]


def test_jeecms_numbered_jhtml_pages_are_pages():
    html = '<div class="pageList"><b>1</b> <a href="index_2.jhtml">2</a> <a href="index_4.jhtml">4</a></div>'
    assert pages(html, "http://x.gov.cn/nb/index.jhtml") == [
        f"http://x.gov.cn/nb/index_{n}.jhtml" for n in (2, 4, 3)]


@pytest.mark.parametrize("query", ["currentPage=2", "PageNo=2", "cpage=2", "pn=2"])
def test_page_number_links_with_any_common_query_parameter(query):
    html = f'<div class="pagination"><span>1</span> <a href="list.do?columnId=58&amp;{query}">2</a></div>'
    assert pages(html, "http://x.gov.cn/nb/list.do?columnId=58") == [f"http://x.gov.cn/nb/list.do?columnId=58&{query}"]


def test_onclick_location_pager_links_are_followed():
    html = '<div class="page"><a href="javascript:;" onclick="location.href=\'index_1.html\'">下一页</a></div>'
    assert pages(html) == ["http://x.gov.cn/xxgk/xxgknb/index_1.html"]


def test_postback_pager_yields_no_pages():
    # ASP.NET AspNetPager without UrlPaging: nothing a GET can reach
    html = ("<div id=\"AspNetPager1\"><a href=\"javascript:__doPostBack('AspNetPager1','2')\">2</a>"
            "<a href=\"javascript:__doPostBack('AspNetPager1','2')\">下一页</a></div>")
    assert pages(html, "http://x.gov.cn/xxgk/nb/Default.aspx") == []
    assert "__doPostBack" in unfollowable_pager(html, [])
    assert unfollowable_pager(html, ["http://x.gov.cn/xxgk/nb/Default.aspx?page=2"]) is None
    assert unfollowable_pager("<a href=\"javascript:__doPostBack('btnSearch','')\">搜索</a>", []) is None

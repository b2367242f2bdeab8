"""Pagination of disclosure columns: createPageHTML, numbered pages, next links."""

import pytest

from pipelines.htmltext import parse_html
from spiders.paging import create_page_html_urls, find_list_pages

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

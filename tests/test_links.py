"""Finding a column's entries on its list page: dated items, not navigation."""

from pipelines.htmltext import parse_html
from spiders.links import find_entries, is_page_url, list_attachments

COLUMN = "http://x.gov.cn/xxgk/xxgknb/index.html"
LIST = """<html><body>
<div class="header"><a href="/">网站首页</a><a href="/jgzn/">机构职能文件汇编</a></div>
<div class="nav"><ul><li><a href="/zwgk/">政务公开栏目首页</a></li></ul></div>
<div class="right"><ul class="list">
 <li><a href="./202001/t20200115_1.html" title="XX市2019年政府信息公开工作年度报告">XX市2019年政府信息公开工作…</a>
     <span class="date">2020-01-15</span></li>
 <li><a href="./201901/t20190110_2.html">XX市2018年政府信息公开工作年度报告</a><span>[2019-01-10]</span></li>
 <li><a href="./201812/t20181201_3.html">政府信息公开指南</a><span>2018-12-01</span></li>
 <li><a href="http://other.gov.cn/a.html">其他网站的年度报告链接</a><span>2018-12-02</span></li>
</ul></div>
<div class="hot"><h3>热点信息</h3><ul>
 <li><a href="/xwzx/202301/t20230101_9.html">某某会议召开</a><span>2023-01-01</span></li></ul></div>
<div class="footer"><a href="/wzdt.html">网站地图导航</a> 粤ICP备05012345号</div>
</body></html>"""


def test_dated_items_of_the_column_are_entries_and_navigation_is_not():
    entries = find_entries(parse_html(LIST), COLUMN, COLUMN)
    assert [e.url.rsplit("/", 1)[1] for e in entries] == [
        "t20200115_1.html", "t20190110_2.html", "t20181201_3.html"]


def test_full_title_attribute_beats_truncated_link_text_and_dates_are_read():
    first, second, _ = find_entries(parse_html(LIST), COLUMN, COLUMN)
    assert (first.title, first.date) == ("XX市2019年政府信息公开工作年度报告", "2020-01-15")
    assert second.date == "2019-01-10"


def test_undated_column_falls_back_to_report_titles_and_article_urls():
    html = """<ul><li><a href="/a/content_11.html">关于开展春季植树活动</a></li>
              <li><a href="/b.html">XX县2020年政府信息公开工作年度报告</a></li>
              <li><a href="/about.html">网站介绍页面</a></li></ul>"""
    urls = [e.url for e in find_entries(parse_html(html), "http://x.gov.cn/list.html")]
    assert urls == ["http://x.gov.cn/a/content_11.html", "http://x.gov.cn/b.html"]


def test_attachment_urls_are_not_pages():
    assert is_page_url("http://x.gov.cn/a/t2020_1.html") and is_page_url("http://x.gov.cn/a/")
    assert not is_page_url("http://x.gov.cn/a/P0200115.pdf")
    html = '<ul><li><a href="/P020200115.pdf">2019年报告(PDF)</a><span>2020-01-15</span></li></ul>'
    assert list_attachments(parse_html(html), COLUMN) == [
        {"url": "http://x.gov.cn/P020200115.pdf", "text": "2019年报告(PDF)"}]


def test_download_script_links_are_attachments_not_pages():
    # Hanweb serves files through /module/download/downfile.jsp?…&filename=<name>.pdf; others
    # through a download.jsp/DownLoad.aspx script with only an id.
    hanweb = "http://x.gov.cn/module/download/downfile.jsp?classid=0&filename=2401151234.pdf"
    assert not is_page_url(hanweb)
    assert not is_page_url("http://x.gov.cn/attach/DownLoad.aspx?id=42")
    assert is_page_url("http://x.gov.cn/art/2024/1/15/art_1_2.jsp?id=42")
    html = f"""<ul><li><a href="{hanweb}">2023年度报告</a><span>2024-01-15</span></li>
               <li><a href="/art/2024/1/15/art_1_2.html">2023年度报告(网页)</a><span>2024-01-15</span></li></ul>"""
    assert [a["url"] for a in list_attachments(parse_html(html), COLUMN)] == [hanweb]


def test_entries_and_list_attachments_resolve_against_base_href():
    # A 2000s table portal: <base href> at the parent folder, links written relative to it
    html = """<html><head><base href="http://x.gov.cn/xxgk/"></head><body><table>
<tr><td><a href="./nb/202101/t20210115_1.htm">XX镇2020年政府信息公开工作年度报告</a></td><td>[2021-01-15]</td></tr>
<tr><td><a href="../xxgk/nb/202001/t20200110_2.htm">XX镇2019年政府信息公开工作年度报告</a></td>
<td>[2020-01-10]</td></tr>
<tr><td><a href="nb/202001/P020200110.pdf">XX镇2019年报告全文.pdf</a></td><td>[2020-01-10]</td></tr>
</table></body></html>"""
    page = "http://x.gov.cn/xxgk/nb/index.htm"
    urls = [e.url for e in find_entries(parse_html(html), page, page)]
    assert urls[:2] == ["http://x.gov.cn/xxgk/nb/202101/t20210115_1.htm",
                        "http://x.gov.cn/xxgk/nb/202001/t20200110_2.htm"]
    assert [a["url"] for a in list_attachments(parse_html(html), page)] == [
        "http://x.gov.cn/xxgk/nb/202001/P020200110.pdf"]


def test_category_tag_links_before_titles_do_not_hide_the_dates():
    # Aggregated xxgk lists put "[部门年报]" before each title; a dated sidebar must not win
    html = """<html><body><ul class="lb-list">
<li><a class="tag" href="./bmnb/">[部门年报]</a>
<a href="./202101/t20210115_1.html">XX区财政局2020年政府信息公开工作年度报告</a>
<span>2021/01/15</span></li>
<li><a class="tag" href="./zfnb/">[区政府年报]</a>
<a href="./202103/t20210306_2.html">XX区人民政府2020年度政府信息公开工作年度报告</a>
<span>2021/03/06</span></li></ul>
<div class="rdxx"><ul>
<li><a href="/xwzx/202401/t20240110_9.html">区政府常务会议研究部署春耕工作</a><span>2024-01-10</span></li></ul></div>
</body></html>"""
    page = "http://x.gov.cn/xxgk/zfxxgknb/index.html"
    entries = find_entries(parse_html(html), page, page)
    assert [(e.url.rsplit("/", 1)[1], e.date) for e in entries] == [
        ("t20210115_1.html", "2021-01-15"), ("t20210306_2.html", "2021-03-06")]

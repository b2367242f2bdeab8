"""Finding a column's entries on its list page: dated items, not navigation."""

from pipelines.htmltext import parse_html
from pipelines.urls import is_page_url
from spiders.links import find_entries, list_attachments

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


def entries(html: str, url: str = COLUMN) -> list[tuple[str, str, str | None]]:
    return [(e.url.rsplit("/", 1)[1], e.title, e.date) for e in find_entries(parse_html(html), url, url)]


def test_month_day_dates_take_the_year_from_the_url_and_beat_a_dated_sidebar():
    # TRS lists print "01-20" for the current year; a 热点 sidebar with full dates is not the column
    html = """<div class="list"><ul>
      <li><a href="./202201/t20220120_1.shtml">某某局2021年政府信息公开工作年度报告</a><span>01-20</span></li>
      <li><a href="./2021/c2.html">某某局政府信息公开指南</a><span>[03-08]</span></li></ul></div>
      <div class="rdxx"><ul><li><a href="/xwzx/t20240101_9.html">某某会议召开了</a><span>2024-01-01</span>
      </li></ul></div>"""
    assert entries(html) == [("t20220120_1.shtml", "某某局2021年政府信息公开工作年度报告", "2022-01-20"),
                             ("c2.html", "某某局政府信息公开指南", "2021-03-08")]


def test_month_day_date_wrapped_in_the_link_takes_the_year_heading_and_leaves_the_title():
    html = """<div class="nb"><div><h4>2023年</h4><ul>
      <li><a href="/art/1"><span class="tit">某某局2022年政府信息公开工作年度报告</span><span>[01-20]</span></a></li>
      <li><a href="/art/2">某某局政府信息公开指南</a> 02-03</li></ul></div></div>"""
    assert entries(html) == [("1", "某某局2022年政府信息公开工作年度报告", "2023-01-20"),
                             ("2", "某某局政府信息公开指南", "2023-02-03")]


def test_a_date_in_its_own_element_beats_a_summary_date():
    html = """<div class="news-list"><div class="item"><h3>
      <a href="./content_1.htm" title="某某局2021年政府信息公开工作年度报告">
      某某局2021年政府信息...</a></h3><p class="summary">统计期限为2021年1月1日至12月31日。</p>
      <p class="date">2022-1-20</p></div></div>"""
    assert entries(html) == [("content_1.htm", "某某局2021年政府信息公开工作年度报告", "2022-01-20")]


def test_onclick_window_open_links_of_a_catalogue_table_are_entries():
    html = """<table><tr><th>序号</th><th>标题</th><th>发布机构</th><th>发布日期</th><th>索引号</th></tr>
      <tr><td>1</td><td><a href="javascript:void(0)" onclick="window.open('/xxgk/xxgknb/20931.jhtml')">
      某某局2021年政府信息公开工作年度报告</a></td><td>某某局</td><td>2022-01-20</td><td>008765432/2022-00101</td></tr>
      </table>"""
    assert entries(html) == [("20931.jhtml", "某某局2021年政府信息公开工作年度报告", "2022-01-20")]


def test_java_action_urls_are_pages():
    assert is_page_url("http://x.gov.cn/xxgk/gknb/detail.do?id=7300&columnId=58")
    assert is_page_url("http://x.gov.cn/News_showGkmlNews.action?messagekey=88")
    assert is_page_url("http://x.gov.cn/xxgk/show.jspx?id=5")

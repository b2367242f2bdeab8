"""List adapters (spiders/adapters): Hanweb dataproxy.jsp XML and Guangdong gkmlpt JSON, on realistic payloads."""

from __future__ import annotations

import json
import pickle
from urllib.parse import parse_qs, urlsplit

from spiders import adapters
from spiders.adapters import AdapterCall, gkmlpt, hanweb, xhrlist

COLUMN = "http://www.qingxi.gov.cn/col/col1229214366/index.html"

# The shape Jiangsu/Zhejiang Hanweb templates serve: an empty unit div and jpage's options.
HANWEB_PAGE = """<html><head><meta charset="utf-8"><title>政府信息公开年报</title>
<script language="javascript" src="/module/jslib/jquery/jquery.js"></script>
<script language="javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script></head>
<body><div class="nav"><a href="/col/col1229214360/index.html">政务公开</a></div>
<div id="4587"></div>
<script type="text/javascript">
$(document).ready(function(){
  $('#4587').jpage({
    dataStore: null, proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 5, groupSize: 3,
    ajaxParam: {"col": 1, "appid": 1, "webid": 3, "path": "/", "columnid": 1229214366,
                "sourceContentType": 1, "unitid": 4587, "webname": "青溪县人民政府 门户网站",
                "permissiontype": 0},
    dataBefore: '<ul>', dataAfter: '</ul>'
  });
});
</script></body></html>"""


def record(n: int, title: str | None = None) -> str:
    title = title or f"青溪县第{n}号机关{2000 + n % 24}年政府信息公开工作年度报告"
    return (f'<li><a href="/art/2021/1/{n % 28 + 1}/art_1229214366_{58000000 + n}.html" title="{title}" '
            f'target="_blank">{title}</a><span class="bt-data-time">2021-01-{n % 28 + 1:02d}</span></li>')


def datastore(records: list[str], total: int | None = None, pages: int | None = None) -> str:
    head = f"<totalrecord>{total}</totalrecord>" if total is not None else ""
    head += f"<totalpage>{pages}</totalpage>" if pages is not None else ""
    body = "".join(f"<record><![CDATA[{r}]]></record>" for r in records)
    return f'<?xml version="1.0" encoding="UTF-8"?><datastore>{head}<recordset>{body}</recordset></datastore>'


# --- Hanweb -------------------------------------------------------------------------------

def test_hanweb_column_page_gives_the_jpage_post_call_with_its_form():
    [call] = adapters.detect(HANWEB_PAGE, COLUMN, COLUMN)
    assert call.adapter == "hanweb" and call.method == "POST"
    assert call.url == ("http://www.qingxi.gov.cn/module/web/jpage/dataproxy.jsp"
                        "?startrecord=1&endrecord=15&perpage=5")
    assert call.formdata == {"col": "1", "appid": "1", "webid": "3", "path": "/", "columnid": "1229214366",
                             "sourceContentType": "1", "unitid": "4587", "webname": "青溪县人民政府 门户网站",
                             "permissiontype": "0"}


def test_hanweb_parameters_are_found_in_hidden_inputs_and_query_strings():
    page = ('<form><input type="hidden" name="columnid" value="8415"><input value="41618" type="hidden" '
            'name="unitid"></form><script>var url = "/module/web/jpage/dataproxy.jsp";'
            'var q = "?webid=35&perpage=20&webname=%E5%B1%B1%E4%B8%9C";</script>')
    [call] = hanweb.detect(page, "http://www.sdfda.gov.cn/col/col8415/index.html", "")
    assert call.formdata == {"columnid": "8415", "unitid": "41618", "webid": "35", "webname": "山东"}
    assert call.url.endswith("dataproxy.jsp?startrecord=1&endrecord=60&perpage=20")


def test_page_without_dataproxy_or_columnid_has_no_hanweb_call():
    assert hanweb.detect("<ul><li><a href='/a.html'>x</a></li></ul>", COLUMN, COLUMN) == []
    assert hanweb.detect("<script>var u='/module/web/jpage/dataproxy.jsp';</script>", COLUMN, COLUMN) == []


def test_hanweb_first_answer_gives_dated_entries_and_the_other_groups():
    [call] = hanweb.detect(HANWEB_PAGE, COLUMN, COLUMN)
    entries, more = hanweb.parse(datastore([record(n) for n in range(15)], total=40), call)
    assert len(entries) == 15
    assert entries[0].url == "http://www.qingxi.gov.cn/art/2021/1/1/art_1229214366_58000000.html"
    assert entries[0].date == "2021-01-01" and entries[0].title.endswith("年度报告")
    assert [c.url.rsplit("?", 1)[1] for c in more] == ["startrecord=16&endrecord=30&perpage=5",
                                                       "startrecord=31&endrecord=45&perpage=5"]
    assert all(c.method == "POST" and c.formdata == call.formdata for c in more)
    # later answers add entries only: the first one scheduled every group
    entries, again = hanweb.parse(datastore([record(n) for n in range(30, 40)], total=40), more[1])
    assert len(entries) == 10 and again == []


def test_hanweb_without_a_total_asks_for_the_next_group_while_groups_are_full():
    [call] = hanweb.detect(HANWEB_PAGE, COLUMN, COLUMN)
    _, more = hanweb.parse(datastore([record(n) for n in range(15)]), call)
    assert [c.state["start"] for c in more] == [16]
    _, more = hanweb.parse(datastore([record(n) for n in range(15, 22)]), more[0])
    assert more == []


def test_hanweb_table_row_records_keep_their_links_and_dates():
    rows = [f'<tr><td class="bt_link"><a href="/art/2020/9/10/art_1229214366_{n}.html">青溪县{2010 + n}年政府信息公开'
            f'工作年度报告</a></td><td class="bt_time">[2020-09-10]</td></tr>' for n in range(3)]
    [call] = hanweb.detect(HANWEB_PAGE, COLUMN, COLUMN)
    entries, _ = hanweb.parse(datastore(rows, total=3), call)
    assert [e.date for e in entries] == ["2020-09-10"] * 3
    assert entries[2].title == "青溪县2012年政府信息公开工作年度报告"


def test_hanweb_answer_with_stray_ampersands_is_still_read():
    xml = datastore([record(1), record(2)], total=2).replace("<recordset>", "<note>A & B</note><recordset>")
    records, total, _ = hanweb.read_datastore(xml)
    assert len(records) == 2 and total == 2


def test_hanweb_old_get_variant_pages_on_by_page_number():
    page = ('<div id="325"><script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/jpage/'
            'dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid=4584&unitid=325&webname=%E4%B8%AD&'
            'permissiontype=0"></a>]]></nextgroup></datastore></script></div>')
    [call] = hanweb.detect(page, "http://wzkj.wenzhou.gov.cn/col/col4584/index.html", "")
    assert call.method == "GET" and call.formdata is None
    parts = urlsplit(call.url)
    assert parts.path == "/module/jpage/dataproxy.jsp"
    assert parse_qs(parts.query)["page"] == ["1"] and parse_qs(parts.query)["columnid"] == ["4584"]
    entries, more = hanweb.parse(datastore([record(n) for n in range(10)], pages=4), call)
    assert len(entries) == 10
    assert [parse_qs(urlsplit(c.url).query)["page"] for c in more] == [["2"], ["3"], ["4"]]


# --- gkmlpt -------------------------------------------------------------------------------

GK_PAGE = ("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><div id='app'></div>"
           "<script>window._CONFIG = {SID: '662021', TYPE: 'gkml', SITE_NAME: '阳江市住建局'};</script>"
           "<script src='/yjzjj/gkmlpt/gkml/pc/js/app.js'></script></body></html>")
GK_PAGE_URL = "http://www.yangjiang.gov.cn/yjzjj/gkmlpt/index"


def gk_articles(ids: range, host: str = "www.yangjiang.gov.cn") -> list[dict]:
    return [{"id": i, "title": f"阳江市住房和城乡建设局{2000 + i % 24}年政府信息公开工作年度报告",
             "url": f"http://{host}/yjzjj/gkmlpt/content/2/2145/post_{i}.html",
             "created_at": "2021-01-15 10:22:31", "publisher": "阳江市住房和城乡建设局"} for i in ids]


def test_gkmlpt_app_page_gives_the_api_call_from_sid_and_fragment():
    [call] = adapters.detect(GK_PAGE, GK_PAGE_URL, GK_PAGE_URL + "#721")
    assert call.adapter == "gkmlpt" and call.method == "GET"
    assert call.url == "http://www.yangjiang.gov.cn/yjzjj/gkmlpt/api/all/721?page=1&sid=662021"


def test_gkmlpt_without_a_category_or_outside_gkmlpt_has_no_call():
    assert gkmlpt.detect(GK_PAGE, GK_PAGE_URL, GK_PAGE_URL) == []
    assert gkmlpt.detect(GK_PAGE, "http://www.x.gov.cn/xxgk/index.html", "http://www.x.gov.cn/xxgk/index.html#7") == []


def test_gkmlpt_first_page_gives_entries_and_the_other_pages_by_total():
    [call] = gkmlpt.detect(GK_PAGE, GK_PAGE_URL, GK_PAGE_URL + "#721")
    payload = {"total": 235, "articles": gk_articles(range(100)), "classify": {"id": 721, "post_count": 235}}
    entries, more = gkmlpt.parse(json.dumps(payload, ensure_ascii=False), call)
    assert len(entries) == 100 and entries[0].date == "2021-01-15"
    assert [c.url.rsplit("?", 1)[1] for c in more] == ["page=2&sid=662021", "page=3&sid=662021"]
    entries, again = gkmlpt.parse(json.dumps({"total": 235, "articles": gk_articles(range(200, 235))}), more[1])
    assert len(entries) == 35 and again == []


def gk_answer(ids: range, total: int | None = None) -> str:
    payload: dict = {"articles": gk_articles(ids)}
    if total is not None:
        payload["total"] = total
    return json.dumps(payload, ensure_ascii=False)


def gk_page_numbers(calls: list[AdapterCall]) -> list[int]:
    return [int(parse_qs(urlsplit(c.url).query)["page"][0]) for c in calls]


def test_gkmlpt_without_a_total_asks_for_the_next_page_while_pages_are_full():
    [call] = gkmlpt.detect(GK_PAGE, GK_PAGE_URL, GK_PAGE_URL + "#721")
    entries, more = gkmlpt.parse(gk_answer(range(20)), call)
    assert len(entries) == 20 and gk_page_numbers(more) == [2]
    entries, more = gkmlpt.parse(gk_answer(range(20, 40)), more[0])
    assert len(entries) == 20 and gk_page_numbers(more) == [3]
    # a page shorter than page 1 is the last one
    entries, more = gkmlpt.parse(gk_answer(range(40, 47)), more[0])
    assert len(entries) == 7 and more == []


def test_gkmlpt_without_a_total_stops_at_an_empty_page():
    [call] = gkmlpt.detect(GK_PAGE, GK_PAGE_URL, GK_PAGE_URL + "#721")
    _, more = gkmlpt.parse(gk_answer(range(20)), call)
    _, more = gkmlpt.parse(gk_answer(range(20, 40)), more[0])
    assert gkmlpt.parse(json.dumps({"articles": []}), more[0]) == ([], [])


def test_gkmlpt_without_a_total_stops_at_the_max_pages_bound():
    [call] = gkmlpt.detect(GK_PAGE, GK_PAGE_URL, GK_PAGE_URL + "#721")
    call.state["max_pages"] = 3
    pages = []
    while call is not None and len(pages) < 10:  # a server that answers every page full, forever
        pages.append(gk_page_numbers([call])[0])
        _, more = gkmlpt.parse(gk_answer(range(10)), call)
        call = more[0] if more else None
    assert pages == [1, 2, 3]
    # the default bound is the list-page limit's default
    last = gkmlpt.api_call("http://x.gov.cn/gkmlpt", "7", "1", gkmlpt.MAX_PAGES, {"page_url": GK_PAGE_URL})
    assert gkmlpt.parse(gk_answer(range(10)), last)[1] == []


def test_gkmlpt_with_a_total_asks_for_no_more_pages_than_it_counts():
    [call] = gkmlpt.detect(GK_PAGE, GK_PAGE_URL, GK_PAGE_URL + "#721")
    # page 1 holds all 20: no page 2, although the page is "full"
    assert gkmlpt.parse(gk_answer(range(20), total=20), call)[1] == []
    # a later page of a counted list never chains on, full or not
    _, more = gkmlpt.parse(gk_answer(range(20), total=60), call)
    assert gk_page_numbers(more) == [2, 3]
    assert gkmlpt.parse(gk_answer(range(20, 40), total=60), more[0])[1] == []


def test_gkmlpt_reads_relative_post_urls_and_unix_dates_and_drops_other_hosts():
    [call] = gkmlpt.detect(GK_PAGE, GK_PAGE_URL, GK_PAGE_URL + "#721")
    articles = [
        {"id": 1, "title": "2020年政府信息公开工作年度报告", "post_url": "/yjzjj/gkmlpt/content/2/1/post_1.html",
         "display_publish_time": 1610677351},  # 2021-01-15 10:22:31 Beijing time
        {"id": 2, "title": "转载：2020年某省政府信息公开工作年度报告", "url": "http://www.gd.gov.cn/gkmlpt/content/p_2.html",
         "created_at": "2021-01-16"},
        {"id": 3, "title": "", "url": "/yjzjj/gkmlpt/content/2/1/post_3.html"},
    ]
    entries, more = gkmlpt.parse(json.dumps({"total": 3, "articles": articles}, ensure_ascii=False), call)
    assert [(e.url, e.date) for e in entries] == [
        ("http://www.yangjiang.gov.cn/yjzjj/gkmlpt/content/2/1/post_1.html", "2021-01-15")]
    assert more == []


def test_gkmlpt_empty_page_or_bad_json_ends_the_list():
    [call] = gkmlpt.detect(GK_PAGE, GK_PAGE_URL, GK_PAGE_URL + "#721")
    assert gkmlpt.parse('{"total": 0, "articles": []}', call) == ([], [])
    assert gkmlpt.parse("<html>404</html>", call) == ([], [])


# --- registry -----------------------------------------------------------------------------

def test_parse_goes_to_the_adapter_that_made_the_call():
    [call] = adapters.detect(GK_PAGE, GK_PAGE_URL, GK_PAGE_URL + "#721")
    entries, _ = adapters.parse(json.dumps({"total": 1, "articles": gk_articles(range(1))}), call)
    assert len(entries) == 1


def test_calls_survive_pickling_for_disk_queues():
    calls = adapters.detect(HANWEB_PAGE, COLUMN, COLUMN) + adapters.detect(GK_PAGE, GK_PAGE_URL, GK_PAGE_URL + "#7")
    for call in calls:
        again = pickle.loads(pickle.dumps(call))
        assert isinstance(again, AdapterCall) and again == call


# --- xhrlist: generic paged loader calls -------------------------------------------------

XHR_PAGE = ('<ul id="list"></ul><script>function load(p){$.ajax({url: "/api/column/list", type: "GET", '
            'dataType: "json", data: {columnId: 123, pageNo: p, pageSize: 15}, success: function(r){}})}'
            ' load(1);</script>')


def test_xhrlist_reads_a_jquery_loader_and_pages_by_the_json_total():

    [call] = adapters.detect(XHR_PAGE, "http://www.x.gov.cn/xxgk/nb/index.html", "")
    assert (call.adapter, call.method) == ("xhrlist", "GET")
    assert call.url == "http://www.x.gov.cn/api/column/list?columnId=123&pageNo=1&pageSize=15"
    answer = json.dumps({"total": 37, "rows": [
        {"title": "2021年政府信息公开工作年度报告", "url": "/xxgk/nb/1.html", "publishTime": 1642521600000},
        {"title": "外站", "url": "http://other.gov.cn/2.html", "publishTime": 1642521600000}]})
    entries, more = xhrlist.parse(answer, call)
    assert [(e.url, e.date) for e in entries] == [("http://www.x.gov.cn/xxgk/nb/1.html", "2022-01-19")]
    assert [c.url.rsplit("?", 1)[1] for c in more] == ["columnId=123&pageNo=2&pageSize=15",
                                                        "columnId=123&pageNo=3&pageSize=15"]
    assert xhrlist.parse(answer, more[0])[1] == []  # only page 1 plans the others


def test_xhrlist_posts_the_form_a_loader_serializes_and_reads_html_answers():

    page = ('<form name="searchform" id="searchform" action="/module/xxgk/search.jsp" method="post">'
            '<input type="hidden" name="infotypeId" value="B0105"><input type="hidden" name="currpage" value="1">'
            '</form><div id="div1"></div><script>function search(){$.ajax({url: document.searchform.action, '
            'type: "POST", data: $("#searchform").serialize(), success: function(h){$("#div1").html(h)}});}'
            '</script>')
    [call] = adapters.detect(page, "http://www.x.gov.cn/col/col1/index.html", "")
    assert (call.method, call.url, call.formdata) == (
        "POST", "http://www.x.gov.cn/module/xxgk/search.jsp", {"infotypeId": "B0105", "currpage": "1"})
    answer = ('<table><tr><td><a href="/art/2022/1/20/art_1_1.html">2021年政府信息公开工作年度报告</a></td>'
              '<td>2022-01-20</td></tr></table><div>共7条 第1/3页 <a href="javascript:pageturn(2)">下一页</a></div>')
    entries, more = xhrlist.parse(answer, call)
    assert len(entries) == 1 and [c.formdata["currpage"] for c in more] == ["2", "3"]


def test_xhrlist_ignores_loaders_without_a_page_number_and_platform_pages():
    widget = '<script>$.ajax({url: "/api/weather", data: {city: "hz"}});</script>'
    assert adapters.detect(widget, "http://www.x.gov.cn/", "") == []
    offsite = XHR_PAGE.replace('"/api/column/list"', '"http://cdn.other.com/api/list"')
    assert adapters.detect(offsite, "http://www.x.gov.cn/", "") == []


def test_xhrlist_from_network_names_an_apps_later_pages():

    answer = json.dumps({"code": 0, "data": {"total": 9, "list": [
        {"title": f"报告{i}", "linkUrl": f"/d/{i}.html", "pubDate": "2023-01-18"} for i in range(4)]}})
    calls = xhrlist.from_network("http://www.x.gov.cn/api/a?page=1&size=4", "GET", None, answer,
                                 "http://www.x.gov.cn/nb/", "")
    assert [c.url for c in calls] == ["http://www.x.gov.cn/api/a?page=2&size=4", "http://www.x.gov.cn/api/a?page=3&size=4"]
    assert xhrlist.from_network("http://www.x.gov.cn/api/menu", "GET", None, answer, "http://www.x.gov.cn/", "") == []


def test_hanweb_records_embedded_in_the_page_are_read_there_and_the_endpoint_asked_for_the_rest():
    from spiders.adapters import hanweb, inline

    records = "".join(
        f'<record><![CDATA[<li><a href="/art/2021/1/{n}/art_1_{n}.html">青田县{2015 + n}年政府信息公开工作年度报告'
        f'</a><span>2021-01-{n:02d}</span></li>]]></record>' for n in range(1, 7))
    page = ('<div id="88"><script type="text/xml"><datastore><recordset>' + records + '</recordset>'
            '</datastore></script></div><script>$("#88").jpage({proxyUrl:"/module/web/jpage/dataproxy.jsp",'
            'perPage:2,ajaxParam:{appid:1,webid:3,columnid:1229400001,unitid:88,permissiontype:0}})</script>')
    url = "http://www.qt.gov.cn/col/col1229400001/index.html"
    entries, more = inline(page, url, url)
    assert [e.url.rsplit("_", 1)[1] for e in entries] == [f"{n}.html" for n in range(1, 7)]
    assert [c.url.rsplit("?", 1)[1] for c in more] == ["startrecord=7&endrecord=12&perpage=2"]
    assert hanweb.inline(page.replace("<datastore>", "<dstore>"), url, url) is None  # nothing embedded
    assert inline("<ul><li>plain list</li></ul>", url, url) is None

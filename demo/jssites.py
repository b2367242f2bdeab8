"""JavaScript-built demo sites: lists only a data endpoint or a browser can read, bodies written by script.

- :func:`hanweb_api_site`: a Hanweb JCMS column whose list exists only behind jpage's
  ``/module/web/jpage/dataproxy.jsp`` (POST form, XML answer; the answer depends on the
  ``startrecord``/``endrecord`` in the query string, since the demo server ignores bodies).
- :func:`gkmlpt_site`: a Guangdong gkmlpt catalogue (Vue shell ``/<dept>/gkmlpt/index#<catid>``)
  read through ``/<dept>/gkmlpt/api/all/<catid>?page=N&sid=<sid>`` JSON.
- :func:`script_site`: a list built by an inline script from a JS array (no endpoint to read:
  only a browser sees the links), static report pages, two reports whose body a script writes
  into an empty ``#zoom``, and one such report in GBK served with ``charset=utf-8``.

Each site lists in ``needs_browser`` the paths a correct crawler renders, and no others.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import date, datetime

from demo import chrome as C
from demo.chrome import Chrome
from demo.decoy_texts import catalogue_text, guide_text
from demo.server import Resource, Site
from demo.sites import _Doc, _hanweb_path, _publish, _stamp
from demo.texts import template_report


@dataclass
class JsSite(Site):
    """A demo Site plus the paths whose content only a browser can see."""

    needs_browser: list[str] = field(default_factory=list)


def _script_string(text: str) -> str:
    """``text`` as a JS string literal that cannot close its <script> element."""
    return json.dumps(text, ensure_ascii=False).replace("</", "<\\/")


def _reports(agencies: tuple[str, ...], years: tuple[int, ...], site: str, seed: int,
             rng: random.Random) -> list[_Doc]:
    docs = []
    for k, year in enumerate(years):
        agency = agencies[k % len(agencies)]
        rt = template_report(agency, year, seed=seed + k, site=site)
        pub = _publish(rng, rt.written or date(year + 1, 1, 20))
        docs.append(_Doc(rt, "", pub, True, agency, agency, style=rng.choice(("plain", "div"))))
    return docs


# --------------------------------------------------------------------------------------
# 1. Hanweb JCMS, list behind dataproxy.jsp

HANWEB_API_CHROME = Chrome(
    site_title="临江市人民政府", domain="www.linjiang.gov.cn", org="临江市人民政府办公室",
    undertaker="临江市大数据发展管理局", tech="临江市信息中心", site_code="3307000021",
    icp="浙ICP备13031234号", gongan="浙公网安备 33070202000321号",
    address="临江市人民大道1号", column="政府信息公开年报",
    column_href="/col/col1229300001/index.html")
HANWEB_API_COLID, HANWEB_API_UNITID, HANWEB_API_WEBID = "1229300001", "7355131", "3307"
DATAPROXY = "/module/web/jpage/dataproxy.jsp"


def hanweb_jpage_list_page(ch: Chrome, colid: str, unitid: str, webid: str, perpage: int) -> str:
    """A Hanweb column page as served: an empty list container and the jpage call that fills it."""
    return f"""{C.head(ch, f"{ch.site_title} {ch.column}", charset="UTF-8", css=C.HANWEB_CSS,
                 base_css="/script/0/1604141056424316.css")}
<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>
<body>
{C.top_bar(ch)}
{C.header(ch)}
{C.nav(ch)}
<table width="1000" align="center" border="0" cellspacing="0" cellpadding="0">
<tr><td>{C.breadcrumb(ch, sep=" &gt;&gt; ")}</td></tr>
<tr><td class="lm_title">{ch.column}</td></tr>
<tr><td><div id="{unitid}"></div>
<script type="text/javascript">
$(document).ready(function(){{
    $('#{unitid}').jpage({{
        dataStore: null, proxyUrl: '{DATAPROXY}', perPage: {perpage}, groupSize: 3,
        barPosition: 'bottom', showMode: 'full', themeName: 'default',
        ajaxParam: {{col: 1, appid: 1, webid: {webid}, path: '/', columnid: {colid},
                    sourceContentType: 1, unitid: {unitid}, webname: '{ch.site_title}', permissiontype: 0}},
        dataBefore: '<ul class="list">', dataAfter: '</ul>'
    }});
}});
</script></td></tr>
</table>
{C.footer(ch)}
</body>
</html>"""


def datastore_xml(records: list[str], total: int) -> str:
    """A dataproxy.jsp answer: the records of one group and the column's total."""
    body = "".join(f"<record><![CDATA[{r}]]></record>\n" for r in records)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{total}</totalrecord>\n'
            f"<recordset>\n{body}</recordset>\n</datastore>")


def hanweb_api_site(n_reports: int = 8, perpage: int = 3, *, seed: int = 3320) -> JsSite:
    """A Hanweb column (UTF-8) whose entries come only from dataproxy.jsp, three pages per call.

    ``n_reports`` reports plus two decoys (指南, 目录); with ``perpage=3`` the 10 records take
    two calls: ``startrecord=1&endrecord=9`` and ``startrecord=10&endrecord=18``.
    """
    rng = random.Random(seed)
    ch = HANWEB_API_CHROME
    docs = _reports(("临江市人民政府", "临江市财政局", "临江市教育局", "临江市民政局"),
                    tuple(range(2023, 2023 - n_reports, -1)), ch.site_title, seed, rng)
    for rt, pub in ((guide_text("临江市人民政府", 2022), datetime(2022, 3, 8, 10, 20)),
                    (catalogue_text("临江市人民政府"), datetime(2021, 6, 18, 9, 5))):
        docs.append(_Doc(rt, "", pub, False, rt.agency, ch.org))
    docs.sort(key=lambda d: d.pub, reverse=True)
    res: dict[str, Resource] = {}
    for i, d in enumerate(docs):
        d.path = d.href = _hanweb_path(d.pub, 60_100_000 + i * 37, HANWEB_API_COLID)
        page = C.hanweb_article_page(ch, title=d.title, body_html=d.rt.to_html(d.style),
                                     pub=d.pub.date().isoformat(), source=d.source, hits=rng.randint(30, 900),
                                     xxgk=None, rel=[], jiedu=[], attachments=[])
        res[d.path] = Resource(page.encode("utf-8"), "text/html; charset=UTF-8")
    records = [f'<li><a href="{d.href}" title="{C.esc(d.title)}" target="_blank">{C.esc(d.title)}</a>'
               f"<span>{d.pub.date().isoformat()}</span></li>" for d in docs]
    group = perpage * 3
    for start in range(1, len(records) + 1, group):
        query = f"?startrecord={start}&endrecord={start + group - 1}&perpage={perpage}"
        xml = datastore_xml(records[start - 1:start - 1 + group], len(records))
        res[DATAPROXY + query] = Resource(xml.encode("utf-8"), "text/xml;charset=UTF-8")
    res[ch.column_href] = Resource(
        hanweb_jpage_list_page(ch, HANWEB_API_COLID, HANWEB_API_UNITID, HANWEB_API_WEBID, perpage).encode("utf-8"),
        "text/html; charset=UTF-8")
    return JsSite("hanweb-api", ch.site_title, res, ch.column_href, [d.expected() for d in docs], "utf-8")


# --------------------------------------------------------------------------------------
# 2. Guangdong gkmlpt, list behind /gkmlpt/api/all/<catid>

GKMLPT_CHROME = Chrome(
    site_title="阳江市住房和城乡建设局", domain="www.yangjiang.gov.cn", org="阳江市住房和城乡建设局",
    undertaker="阳江市政务服务数据管理局", tech="阳江市政务服务数据管理局", site_code="4417000009",
    icp="粤ICP备05081234号", gongan="粤公网安备 44170202000112号",
    address="阳江市江城区东风二路", column="政府信息公开年报", column_href="/yjzjj/gkmlpt/index#721")
GKMLPT_SID, GKMLPT_CATID = "662021", "721"


def gkmlpt_shell(ch: Chrome, sid: str) -> str:
    """The gkmlpt app page as served: an empty Vue mount point and the site config."""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{ch.site_title}政府信息公开目录</title>
<link href="/yjzjj/gkmlpt/gkml/pc/css/app.css" rel="stylesheet"></head>
<body><div id="app"></div>
<script>window._CONFIG = {{SID: '{sid}', TYPE: 'gkml', SITE_NAME: '{ch.site_title}', IS_MOBILE: false}};</script>
<script src="/yjzjj/gkmlpt/gkml/pc/js/chunk-vendors.js"></script>
<script src="/yjzjj/gkmlpt/gkml/pc/js/app.js"></script>
</body></html>"""


def gkmlpt_site(n_reports: int = 6, page_size: int = 4, *, seed: int = 4420) -> JsSite:
    """A gkmlpt catalogue category (#721) with ``n_reports`` reports and one decoy, ``page_size`` per API page.

    Article links come as absolute ``url`` (most) or relative ``post_url`` (one), dates as
    ``created_at`` text and ``display_publish_time`` seconds, as the real API sends them.
    """
    rng = random.Random(seed)
    ch = GKMLPT_CHROME
    docs = _reports(("阳江市住房和城乡建设局",), tuple(range(2023, 2023 - n_reports, -1)), ch.site_title, seed, rng)
    guide = guide_text("阳江市住房和城乡建设局", 2023)
    docs.append(_Doc(guide, "", datetime(2023, 2, 20, 15, 0), False, guide.agency, ch.org))
    docs.sort(key=lambda d: d.pub, reverse=True)
    res: dict[str, Resource] = {}
    articles = []
    for i, d in enumerate(docs):
        post_id = 2_145_600 + i * 13
        d.path = f"/yjzjj/gkmlpt/content/2/{post_id // 1000}/post_{post_id}.html"
        page = C.simple_article_page(ch, title=d.title, body_html=d.rt.to_html(d.style), pub=_stamp(d.pub),
                                     source=d.source, charset="utf-8")
        res[d.path] = Resource(page.encode("utf-8"))
        stamp = int((d.pub - datetime(1970, 1, 1, 8)).total_seconds())  # Beijing time
        article = {"id": post_id, "title": d.title, "created_at": d.pub.strftime("%Y-%m-%d %H:%M:%S"),
                   "display_publish_time": stamp, "publisher": d.source, "identifier": "",
                   "url": "{BASE}" + d.path}
        if i == 1:
            article["post_url"] = d.path
            del article["url"]
        articles.append(article)
    pages = [articles[i:i + page_size] for i in range(0, len(articles), page_size)]
    for n, chunk in enumerate(pages, start=1):
        payload = {"total": len(articles), "articles": chunk, "classify": {"id": int(GKMLPT_CATID),
                                                                             "post_count": len(articles)}}
        res[f"/yjzjj/gkmlpt/api/all/{GKMLPT_CATID}?page={n}&sid={GKMLPT_SID}"] = Resource(
            json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json;charset=UTF-8")
    res["/yjzjj/gkmlpt/index"] = Resource(gkmlpt_shell(ch, GKMLPT_SID).encode("utf-8"))
    return JsSite("gkmlpt", ch.site_title, res, ch.column_href, [d.expected() for d in docs], "utf-8")


# --------------------------------------------------------------------------------------
# 3. A list only a browser can read, and bodies written by script

SCRIPT_CHROME = Chrome(
    site_title="白沙县人民政府", domain="www.baisha.gov.cn", org="白沙县人民政府办公室",
    undertaker="白沙县政务服务中心", tech="白沙县信息中心", site_code="4690250001",
    icp="琼ICP备09001234号", gongan="琼公网安备 46902502000012号",
    address="白沙县牙叉镇府前路", column="政府信息公开年报", column_href="/xxgk/jsnb/index.html")

# The list script: links are computed from the array at run time, so no endpoint or URL pattern
# exists in the page for a crawler to read without executing it.
SCRIPT_LIST_JS = """<script type="text/javascript">
var nbList = {items};
(function () {{
    var ul = document.getElementById("nbList");
    for (var i = 0; i < nbList.length; i++) {{
        var it = nbList[i];
        var li = document.createElement("li");
        var span = document.createElement("span");
        span.appendChild(document.createTextNode(it.d));
        var a = document.createElement("a");
        var day = it.d.replace(/-/g, "");
        a.href = "/xxgk/" + it.f + "/" + day.substring(0, 6) + "/t" + day + "_" + it.n + ".html";
        a.target = "_blank";
        a.appendChild(document.createTextNode(it.t));
        li.appendChild(span);
        li.appendChild(a);
        ul.appendChild(li);
    }}
}})();
</script>"""


def script_list_page(ch: Chrome, items: list[dict[str, str]]) -> str:
    return f"""{C.head(ch, f"{ch.column}-{ch.site_title}", charset="utf-8", css=C.SIMPLE_CSS)}
<body>
{C.top_bar(ch)}
{C.nav(ch)}
<div class="main">
{C.breadcrumb(ch)}
<ul class="lb" id="nbList"></ul>
{SCRIPT_LIST_JS.format(items=json.dumps(items, ensure_ascii=False))}
</div>
{C.footer(ch)}
</body>
</html>"""


def script_body_page(ch: Chrome, d: _Doc, charset: str) -> str:
    """An article page whose #zoom is empty until a script writes the body into it."""
    page = C.simple_article_page(ch, title=d.title, body_html="", pub=_stamp(d.pub), source=d.source,
                                 charset=charset)
    script = ('<script type="text/javascript">\n'
              f"var zwBody = {_script_string(d.rt.to_html(d.style))};\n"
              'document.getElementById("zoom").innerHTML = zwBody;\n</script>')
    marker = '<div class="content" id="zoom">\n\n</div>'
    assert marker in page
    return page.replace(marker, marker + "\n" + script)


def script_site(*, seed: int = 4690) -> JsSite:
    """A column whose list a script builds from a JS array: 3 static reports, 2 script-written, 1 GBK.

    Static reports live under ``/xxgk/jsnb/``; the two UTF-8 reports whose body a script writes
    into ``#zoom`` under ``/xxgk/jsnr/``; the GBK one (``<meta charset="gbk">``, header
    ``charset=utf-8``, body written by script) under ``/xxgk/gbknr/``. The list page and those
    three reports need a browser; nothing else does.
    """
    rng = random.Random(seed)
    ch = SCRIPT_CHROME
    docs = _reports(("白沙县人民政府", "白沙县教育局", "白沙县卫生健康委员会"), (2023, 2022, 2021, 2020, 2019, 2018),
                    ch.site_title, seed, rng)
    folders = ("jsnb", "jsnr", "jsnb", "jsnr", "jsnb", "gbknr")
    res: dict[str, Resource] = {}
    items: list[dict[str, str]] = []
    needs: list[str] = []
    for i, (d, folder) in enumerate(zip(docs, folders)):
        n = str(3100 + i * 7)
        day = d.pub.date().isoformat()
        d.path = d.href = f"/xxgk/{folder}/{day[:7].replace('-', '')}/t{day.replace('-', '')}_{n}.html"
        items.append({"f": folder, "d": day, "n": n, "t": d.title})
        if folder == "jsnb":
            page = C.simple_article_page(ch, title=d.title, body_html=d.rt.to_html(d.style), pub=_stamp(d.pub),
                                         source=d.source, charset="utf-8")
            res[d.path] = Resource(page.encode("utf-8"))
        elif folder == "jsnr":
            res[d.path] = Resource(script_body_page(ch, d, "utf-8").encode("utf-8"))
            needs.append(d.path)
        else:  # GBK bytes, the server claims UTF-8: Chromium would trust the header
            res[d.path] = Resource(script_body_page(ch, d, "gbk").encode("gbk"), "text/html; charset=utf-8")
            needs.append(d.path)
    res[ch.column_href] = Resource(script_list_page(ch, items).encode("utf-8"))
    return JsSite("script", ch.site_title, res, ch.column_href, [d.expected() for d in docs], "utf-8",
                  needs_browser=[ch.column_href, *needs])


def js_sites() -> list[JsSite]:
    """The three JavaScript sites: 8 + 6 + 6 reports, 3 decoys, 4 pages that need a browser."""
    return [hanweb_api_site(), gkmlpt_site(), script_site()]

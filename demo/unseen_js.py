"""JavaScript-built columns the other JS demo sites do not imitate (unseen-JS round).

Each site is small and declares in ``expected`` what a correct crawl archives, and in
``needs_browser`` the paths a correct crawler renders (none where the data source is knowable):

- :func:`hanweb_inline_site`: a Hanweb JCMS column whose page already holds jpage's first group
  of records in a ``<script type="text/xml"><datastore>`` block (with the ``appid``/``webid``/
  ``columnid``/``unitid``/``permissiontype`` query in its ``<nextgroup>`` link) and ``perPage``
  / ``totalRecord`` in the ``jpage({…})`` call; later groups come from ``dataproxy.jsp``.
- :func:`hanweb_form_site`: a Hanweb 信息公开 column whose list is the HTML answer of
  ``/module/xxgk/search.jsp``, POSTed with the hidden fields of a ``<form>`` (``currpage``
  turning the pages); the server answers POSTs only and reads the form body.
- :func:`json_api_site`: a list filled by ``$.ajax({url: "/api/column/list", data: {columnId,
  pageNo, pageSize}})`` from ``{"total": …, "rows": [{title, url, publishTime (epoch ms)}]}``,
  with 上一页/下一页 buttons that only call the loader again.
- :func:`spa_site`: a Vue-style app: ``<div id="app"></div>`` and a bundle that fetches
  ``/api/spa/articles?page=N&size=4`` and renders links and a 下一页 ``<button>``.
- :func:`xhr_article_site`: a plain list whose articles are empty templates filled from
  ``/api/article/<id>`` JSON (title, content HTML, publishDate) by ``fetch``.

The POST-aware server (:class:`FormSiteServer`) files a POST under its path plus its form
fields, sorted, as a query string: ``/module/xxgk/search.jsp?currpage=2&infotypeId=…``.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit

from demo import chrome as C
from demo import server as S
from demo.chrome import Chrome, ListItem
from demo.jssites import JsSite, datastore_xml
from demo.server import Resource
from demo.sites import _Doc, _hanweb_path, _stamp
from demo.unseen import _decoys, _reports

esc = C.esc
JSON_TYPE = "application/json;charset=UTF-8"


def _chrome(name: str, domain: str, code: str, column_href: str) -> Chrome:
    return Chrome(site_title=f"{name}人民政府", domain=domain, org=f"{name}人民政府办公室",
                  undertaker=f"{name}大数据中心", tech=f"{name}信息中心", site_code=code,
                  icp="浙ICP备05012345号", gongan="浙公网安备 33010202000123号",
                  address=f"{name}人民路1号", column="政府信息公开年报", column_href=column_href)


def _docs(ch: Chrome, seed: int, n_reports: int, n_decoys: int = 2) -> list[_Doc]:
    """``n_reports`` reports (2023 back) and ``n_decoys`` decoys (指南, 目录, 通知), newest first."""
    rng = random.Random(seed)
    name = ch.site_title.removesuffix("人民政府")
    agencies = (ch.site_title, f"{name}财政局", f"{name}教育局", f"{name}民政局")
    docs = _reports(agencies, tuple(range(2023, 2023 - n_reports, -1)), ch.site_title, seed, rng,
                    styles=("plain", "div"))
    docs += _decoys(ch.org, ch.site_title, f"{name}办〔2023〕5号")[:n_decoys]
    docs.sort(key=lambda d: d.pub, reverse=True)
    return docs


def _static_article(ch: Chrome, d: _Doc) -> Resource:
    return Resource(C.simple_article_page(ch, title=d.title, body_html=d.rt.to_html(d.style), pub=_stamp(d.pub),
                                          source=d.source, charset="utf-8").encode("utf-8"))


def _epoch_ms(when: datetime) -> int:
    """Milliseconds since the epoch of a Beijing wall-clock time (as Java back ends send dates)."""
    return int((when - datetime(1970, 1, 1, 8)).total_seconds()) * 1000


def _list_shell(ch: Chrome, main: str, scripts: str = "") -> str:
    return f"""{C.head(ch, f"{ch.column}-{ch.site_title}", charset="utf-8", css=C.SIMPLE_CSS)}
<body>
{C.top_bar(ch)}
{C.nav(ch)}
<div class="main">
{C.breadcrumb(ch)}
{main}
</div>
{scripts}
{C.footer(ch)}
</body>
</html>"""


# A few lines of jQuery, enough for the demo pages' loaders to run in Chromium (the real sites
# load jQuery 1.x from /js/; the crawler never needs it unless it renders the page).
JQUERY_SHIM = r"""(function () {
function Q(sel) { this.els = typeof sel === "string" ? Array.prototype.slice.call(document.querySelectorAll(sel))
                                                   : [sel]; }
Q.prototype.html = function (h) { this.els.forEach(function (e) { e.innerHTML = h; }); return this; };
Q.prototype.on = function (ev, fn) { this.els.forEach(function (e) { e.addEventListener(ev, fn); }); return this; };
Q.prototype.serialize = function () {
  return Array.prototype.map.call(this.els[0].elements, function (i) {
    return encodeURIComponent(i.name) + "=" + encodeURIComponent(i.value); }).join("&"); };
function $(a) { if (typeof a === "function") { document.addEventListener("DOMContentLoaded", a); return; }
                return new Q(a); }
$.each = function (arr, fn) { for (var i = 0; i < arr.length; i++) fn(i, arr[i]); };
$.param = function (o) { return Object.keys(o).map(function (k) {
  return encodeURIComponent(k) + "=" + encodeURIComponent(o[k]); }).join("&"); };
$.ajax = function (opt) {
  var x = new XMLHttpRequest(), type = (opt.type || "GET").toUpperCase();
  var data = typeof opt.data === "string" ? opt.data : $.param(opt.data || {});
  x.open(type, type === "GET" && data ? opt.url + (opt.url.indexOf("?") < 0 ? "?" : "&") + data : opt.url);
  if (type === "POST") x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded");
  x.onload = function () { opt.success(opt.dataType === "json" ? JSON.parse(x.responseText) : x.responseText); };
  x.send(type === "POST" ? data : null);
};
window.$ = window.jQuery = $;
})();"""
JQUERY_PATH = "/js/jquery-1.11.3.min.js"


# --------------------------------------------------------------------------------------
# 1. Hanweb jpage, first group inline in <script type="text/xml">

HANWEB_INLINE_COLID, HANWEB_INLINE_UNITID, HANWEB_INLINE_WEBID = "1229400001", "8810203", "3308"


def hanweb_inline_site(n_reports: int = 6, perpage: int = 2, *, seed: int = 6101) -> JsSite:
    """8 records, 2 a page: the page holds records 1–6 (jpage's first group of 3 pages); the
    server answers ``dataproxy.jsp?startrecord=7&endrecord=12&perpage=2`` (and, as real sites
    do, the first group too)."""
    ch = _chrome("青田县", "www.qingtian.gov.cn", "3311210001", f"/col/col{HANWEB_INLINE_COLID}/index.html")
    docs = _docs(ch, seed, n_reports)
    res: dict[str, Resource] = {}
    rng = random.Random(seed)
    for i, d in enumerate(docs):
        d.path = d.href = _hanweb_path(d.pub, 71_300_000 + i * 29, HANWEB_INLINE_COLID)
        page = C.hanweb_article_page(ch, title=d.title, body_html=d.rt.to_html(d.style),
                                     pub=d.pub.date().isoformat(), source=d.source, hits=rng.randint(30, 900),
                                     xxgk=None, rel=[], jiedu=[], attachments=[])
        res[d.path] = Resource(page.encode("utf-8"))
    records = [f'<li><a href="{d.href}" title="{esc(d.title)}" target="_blank">{esc(d.title)}</a>'
               f"<span>{d.pub.date().isoformat()}</span></li>" for d in docs]
    group = perpage * 3
    for start in range(1, len(records) + 1, group):
        query = f"?startrecord={start}&endrecord={start + group - 1}&perpage={perpage}"
        res["/module/web/jpage/dataproxy.jsp" + query] = Resource(
            datastore_xml(records[start - 1:start - 1 + group], len(records)).encode("utf-8"), "text/xml;charset=UTF-8")
    query = (f"appid=1&webid={HANWEB_INLINE_WEBID}&path=/&columnid={HANWEB_INLINE_COLID}"
             f"&unitid={HANWEB_INLINE_UNITID}&webname=%E9%9D%92%E7%94%B0%E5%8E%BF&permissiontype=0")
    inline = "".join(f"<record><![CDATA[{r}]]></record>\n" for r in records[:group])
    main = f"""<div class="lm_title">{ch.column}</div>
<div id="{HANWEB_INLINE_UNITID}"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?{query}"></a>]]></nextgroup>
<recordset>
{inline}</recordset>
</datastore></script></div>
<script type="text/javascript" src="/module/jslib/jquery/jpage/jquery.page.min.js"></script>
<script type="text/javascript">
$(document).ready(function(){{
  $('#{HANWEB_INLINE_UNITID}').jpage({{dataStore: null, proxyUrl: '/module/web/jpage/dataproxy.jsp',
    perPage: {perpage}, totalRecord: {len(records)}, groupSize: 3, startrecord: {group + 1},
    barPosition: 'bottom', showMode: 'full', themeName: 'default'}});
}});
</script>"""
    res[ch.column_href] = Resource(_list_shell(ch, main).encode("utf-8"))
    return JsSite("hanweb-inline", ch.site_title, res, ch.column_href, [d.expected() for d in docs], "utf-8")


# --------------------------------------------------------------------------------------
# 2. Hanweb 信息公开: /module/xxgk/search.jsp POSTed from a <form>

XXGK_SEARCH = "/module/xxgk/search.jsp"
XXGK_FIELDS = {"infotypeId": "B0105", "jdid": "3309", "area": "113309270045367821", "divid": "div1",
               "sortfield": "compaltedate:0", "standardXxgk": "1", "currpage": "1"}


def form_key(path: str, fields: dict[str, str]) -> str:
    """Where :class:`FormSiteServer` files a POST of ``fields`` to ``path``."""
    return f"{path}?{urlencode(sorted(fields.items()))}"


def xxgk_answer(docs: Sequence[_Doc], page: int, pages: int, total: int) -> str:
    """A search.jsp answer: an HTML fragment, one table row per entry, a script pager."""
    rows = "\n".join(
        f'<tr><td class="bt"><a href="{d.href}" target="_blank" title="{esc(d.title)}">{esc(d.title)}</a></td>'
        f"<td>{d.pub:%Y-%m-%d}</td></tr>" for d in docs)
    nxt = f'<a href="javascript:pageturn({page + 1})">下一页</a>' if page < pages else "下一页"
    return (f'<table class="xxgk_list" width="100%">\n<tr><th>标题</th><th>发布日期</th></tr>\n{rows}\n</table>\n'
            f'<div class="page">共{total}条 第{page}/{pages}页 <a href="javascript:pageturn(1)">首页</a> {nxt}</div>')


def hanweb_form_site(n_reports: int = 5, per_page: int = 3, *, seed: int = 6202) -> JsSite:
    ch = _chrome("松阳县", "www.songyang.gov.cn", "3311240001", "/col/col1229500002/index.html")
    docs = _docs(ch, seed, n_reports)
    res: dict[str, Resource] = {}
    for i, d in enumerate(docs):
        d.path = d.href = f"/art/{d.pub.year}/{d.pub.month}/{d.pub.day}/art_1229500002_{5_510_000 + i * 17}.html"
        res[d.path] = _static_article(ch, d)
    pages = (len(docs) + per_page - 1) // per_page
    for page in range(1, pages + 1):
        chunk = docs[(page - 1) * per_page:page * per_page]
        res[form_key(XXGK_SEARCH, {**XXGK_FIELDS, "currpage": str(page)})] = Resource(
            xxgk_answer(chunk, page, pages, len(docs)).encode("utf-8"))
    inputs = "\n".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in XXGK_FIELDS.items())
    main = f"""<form id="searchform" name="searchform" action="{XXGK_SEARCH}" method="post">
{inputs}
</form>
<div id="div1" class="xxgk_con"></div>"""
    scripts = """<script type="text/javascript">
function search() {
  $.ajax({url: document.searchform.action, type: "POST", data: $("#searchform").serialize(),
          success: function (html) { $("#div1").html(html); }});
}
function pageturn(p) { document.searchform.currpage.value = p; search(); }
$(function () { search(); });
</script>"""
    res[ch.column_href] = Resource(_list_shell(ch, main, scripts).encode("utf-8"))
    res[JQUERY_PATH] = Resource(JQUERY_SHIM.encode(), "application/javascript")
    return JsSite("hanweb-form", ch.site_title, res, ch.column_href, [d.expected() for d in docs], "utf-8")


# --------------------------------------------------------------------------------------
# 3. JSON list behind jQuery $.ajax, dates in epoch milliseconds

JSON_API = "/api/column/list"


def json_api_site(n_reports: int = 7, page_size: int = 4, *, seed: int = 6303) -> JsSite:
    """7 reports and 2 decoys, 4 rows a page (3 pages); ``url`` relative for some rows."""
    ch = _chrome("景宁县", "www.jingning.gov.cn", "3311270001", "/xxgk/nb/index.html")
    docs = _docs(ch, seed, n_reports)
    res: dict[str, Resource] = {}
    rows = []
    for i, d in enumerate(docs):
        d.path = d.href = f"/xxgk/nb/content/{d.pub:%Y%m}/{60_400 + i * 11}.html"
        res[d.path] = _static_article(ch, d)
        rows.append({"id": 60_400 + i * 11, "title": d.title, "publishTime": _epoch_ms(d.pub),
                     "url": ("{BASE}" if i % 3 else "") + d.path, "source": d.source})
    for n in range(1, (len(rows) + page_size - 1) // page_size + 1):
        payload = {"total": len(rows), "rows": rows[(n - 1) * page_size:n * page_size], "code": 200}
        res[f"{JSON_API}?columnId=123&pageNo={n}&pageSize={page_size}"] = Resource(
            json.dumps(payload, ensure_ascii=False).encode("utf-8"), JSON_TYPE)
    main = """<ul class="lb" id="newsList"></ul>
<div class="pager"><button type="button" id="prev">上一页</button><span id="pageInfo"></span>
<button type="button" id="next">下一页</button></div>"""
    scripts = f"""<script type="text/javascript">
var pageNo = 1, pages = 1;
function fmt(ms) {{ var d = new Date(ms + 8 * 3600 * 1000);
  return d.toISOString().substring(0, 10); }}
function loadList(p) {{
  $.ajax({{url: "{JSON_API}", type: "GET", dataType: "json",
          data: {{columnId: 123, pageNo: p, pageSize: {page_size}}},
          success: function (res) {{
            var html = "";
            $.each(res.rows, function (i, r) {{
              html += '<li><span>' + fmt(r.publishTime) + '</span><a href="' + r.url + '" target="_blank">'
                      + r.title + '</a></li>'; }});
            $("#newsList").html(html);
            pageNo = p; pages = Math.ceil(res.total / {page_size});
            $("#pageInfo").html(p + "/" + pages);
          }}}});
}}
$(function () {{
  loadList(1);
  $("#prev").on("click", function () {{ if (pageNo > 1) loadList(pageNo - 1); }});
  $("#next").on("click", function () {{ if (pageNo < pages) loadList(pageNo + 1); }});
}});
</script>"""
    res[ch.column_href] = Resource(_list_shell(ch, main, scripts).encode("utf-8"))
    res[JQUERY_PATH] = Resource(JQUERY_SHIM.encode(), "application/javascript")
    return JsSite("json-api", ch.site_title, res, ch.column_href, [d.expected() for d in docs], "utf-8")


# --------------------------------------------------------------------------------------
# 4. A single-page app: empty #app, a bundle, a 下一页 <button>

SPA_API = "/api/spa/articles"
SPA_BUNDLE = "/static/js/app.7c1e2f.js"
SPA_JS = """(function () {
var size = %(size)d, page = 1, root = document.getElementById("app");
function esc(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;"); }
function show(p) {
  fetch("%(api)s?page=" + p + "&size=" + size, {headers: {"Accept": "application/json"}})
    .then(function (r) { return r.json(); })
    .then(function (res) {
      var items = res.data.list.map(function (it) {
        return '<li class="item"><a href="' + esc(it.linkUrl) + '">' + esc(it.title) + '</a>'
             + '<span class="time">' + esc(it.pubDate) + '</span></li>'; }).join("");
      var pages = Math.ceil(res.data.total / size);
      root.innerHTML = '<div class="list-wrap"><h2>%(column)s</h2><ul class="article-list">' + items + '</ul>'
        + '<div class="el-pagination"><button class="btn-prev">上一页</button><span>' + p + '/' + pages
        + '</span><button class="btn-next">下一页</button></div></div>';
      page = p;
      root.querySelector(".btn-next").onclick = function () { if (page < pages) show(page + 1); };
      root.querySelector(".btn-prev").onclick = function () { if (page > 1) show(page - 1); };
    });
}
show(1);
})();"""


def spa_site(n_reports: int = 6, size: int = 4, *, seed: int = 6404) -> JsSite:
    """6 reports and 2 decoys, 4 a page: the first render shows 4 entries, the rest only after
    clicking 下一页 (a ``<button>``, no link)."""
    ch = _chrome("庆元县", "www.qingyuan.gov.cn", "3311260001", "/zwgk/nb/")
    docs = _docs(ch, seed, n_reports)
    res: dict[str, Resource] = {}
    items = []
    for i, d in enumerate(docs):
        d.path = d.href = f"/zwgk/detail/{d.pub:%Y}/{80_100 + i * 3}.html"
        res[d.path] = _static_article(ch, d)
        items.append({"id": 80_100 + i * 3, "title": d.title, "linkUrl": d.path, "pubDate": f"{d.pub:%Y-%m-%d}"})
    for n in range(1, (len(items) + size - 1) // size + 1):
        payload = {"code": 0, "msg": "success",
                   "data": {"total": len(items), "list": items[(n - 1) * size:n * size]}}
        res[f"{SPA_API}?page={n}&size={size}"] = Resource(json.dumps(payload, ensure_ascii=False).encode(), JSON_TYPE)
    res[SPA_BUNDLE] = Resource((SPA_JS % {"size": size, "api": SPA_API, "column": ch.column}).encode("utf-8"),
                               "application/javascript; charset=utf-8")
    res[ch.column_href] = Resource(f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{ch.column}-{ch.site_title}</title>
<link href="/static/css/app.7c1e2f.css" rel="stylesheet"></head>
<body><noscript>请启用JavaScript以浏览本页面。</noscript><div id="app"></div>
<script src="{SPA_BUNDLE}"></script></body></html>""".encode())
    return JsSite("spa", ch.site_title, res, ch.column_href, [d.expected() for d in docs], "utf-8",
                  needs_browser=[ch.column_href])


# --------------------------------------------------------------------------------------
# 5. Articles whose title, date and body come from /api/article/<id>

XHR_ARTICLE_JS = """<script type="text/javascript">
fetch("/api/article/%(id)d").then(function (r) { return r.json(); }).then(function (d) {
  document.title = d.title + "-%(site)s";
  document.getElementById("artTitle").textContent = d.title;
  document.getElementById("artDate").textContent = d.publishDate;
  document.getElementById("artSource").textContent = d.source;
  document.getElementById("zoom").innerHTML = d.content;
});
</script>"""


def xhr_article_site(*, seed: int = 6505) -> JsSite:
    """A plain list of 4 reports and 1 decoy: two reports (and the decoy) are static pages, two
    are empty templates filled from ``/api/article/<id>``; only those two need the browser."""
    ch = _chrome("云和县", "www.yunhe.gov.cn", "3311250001", "/xxgk/gknb/index.html")
    docs = _docs(ch, seed, 4, n_decoys=1)
    res: dict[str, Resource] = {}
    needs: list[str] = []
    items = []
    for i, d in enumerate(docs):
        art_id = 9_100 + i * 7
        if d.is_report and i % 2:
            d.path = d.href = f"/xxgk/gknb/content_{art_id}.html"
            api = {"id": art_id, "title": d.title, "publishDate": _stamp(d.pub), "source": d.source,
                   "content": d.rt.to_html(d.style)}
            res[f"/api/article/{art_id}"] = Resource(json.dumps(api, ensure_ascii=False).encode(), JSON_TYPE)
            shell = C.simple_article_page(ch, title="", body_html="", pub="", source="", charset="utf-8")
            shell = (shell.replace('<div class="content_title"></div>',
                                   '<div class="content_title" id="artTitle"></div>')
                     .replace("发布时间:&nbsp;", '发布时间:<span id="artDate"></span>&nbsp;')
                     .replace("来源:&nbsp;", '来源:<span id="artSource"></span>&nbsp;')
                     .replace("<title>-", "<title>详情-"))
            shell = shell.replace("</body>", (XHR_ARTICLE_JS % {"id": art_id, "site": ch.site_title}) + "\n</body>")
            res[d.path] = Resource(shell.encode("utf-8"))
            needs.append(d.path)
        else:
            d.path = d.href = f"/xxgk/gknb/{d.pub:%Y%m}/t{d.pub:%Y%m%d}_{art_id}.html"
            res[d.path] = _static_article(ch, d)
        items.append(ListItem(d.href, d.title, d.pub.date().isoformat()))
    res[ch.column_href] = Resource(C.simple_list_page(ch, items, "utf-8").encode("utf-8"))
    return JsSite("xhr-article", ch.site_title, res, ch.column_href, [d.expected() for d in docs], "utf-8",
                  needs_browser=needs)


def unseen_js_sites() -> list[JsSite]:
    """The five sites of this round."""
    return [hanweb_inline_site(), hanweb_form_site(), json_api_site(), spa_site(), xhr_article_site()]


# --------------------------------------------------------------------------------------
# A server that reads POST bodies (the stock demo server answers by path and query only)


class _FormHandler(S._Handler):
    def do_POST(self) -> None:  # noqa: N802 - stdlib naming
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        parts = urlsplit(self.path)
        fields = dict(parse_qsl(parts.query, keep_blank_values=True))
        fields.update(parse_qsl(body, keep_blank_values=True))
        if fields and self.path not in self.server.owner.site.resources:
            self.path = form_key(parts.path, fields)
        self._answer(send_body=True)


class FormSiteServer(S.SiteServer):
    """:class:`demo.server.SiteServer` whose POSTs are filed under :func:`form_key` (path + sorted fields).

    A POST whose path and query alone name a resource gets it (jpage's dataproxy answers depend
    on the query string only, as in :mod:`demo.jssites`).
    """

    def start(self) -> FormSiteServer:
        self._httpd = S._Server(("127.0.0.1", self._want_port), _FormHandler)
        self._httpd.owner = self
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"demo-{self.site.name}", daemon=True)
        self._thread.start()
        return self


@contextmanager
def serve_unseen_js(sites: Sequence[JsSite]) -> Iterator[list[S.SiteServer]]:
    """A :class:`FormSiteServer` per site, stopped on exit."""
    with ExitStack() as stack:
        yield [stack.enter_context(FormSiteServer(s)) for s in sites]

"""Demo sites whose column LIST pages and pagers the other demo sites do not imitate (QA round 2).

Each site is small (a handful of reports, two or three list pages) and declares in
``Site.expected`` what a correct crawl archives; a list page's own quirks are the point:

- :func:`java_do_site`: a Java CMS column ``list.do?columnId=58`` paged by ``&currentPage=N``
  number links only (its 下一页 is a ``javascript:goPage(n)`` call), articles ``detail.do?id=N``,
  truncated link texts with the full title in ``title``, dates "[2022-1-20]".
- :func:`trs_vars_site`: TRS with ``createPageHTML`` in an external script and the page count in
  inline ``countPage``/``currentPage`` variables, ``.shtml`` pages, list dates "01-20" (the year
  only in the article URL) beside a 热点 sidebar with full dates.
- :func:`div_items_site`: entries as ``<div class="item"><h3><a>…</a></h3><p class="summary">…
  <p class="date">`` with a summary quoting the statistical period (a date before the real one),
  pages ``index_N.htm`` reachable only through a ``<select>`` page jump, articles without a date.
- :func:`gkml_table_site`: a 信息公开目录 table (序号/标题/发布机构/发布日期/索引号), links
  ``javascript:void(0)`` + ``onclick="window.open('…')"``, JEECMS ``index_N.jhtml`` pages linked by
  number only.
- :func:`redirect_site`: entries grouped under year headings with "[01-20]" dates inside the
  link, short links ``/art/3321`` that 302 to ``/art/2022/1/20/art_4412_3321.html``.
- :func:`postback_site`: an ASP.NET pager that pages only by ``__doPostBack``: only page 1 can be
  crawled, and the crawl must say nothing worse than that.
"""

from __future__ import annotations

import random

from demo import chrome as C
from demo.chrome import Chrome
from demo.server import Resource, Site
from demo.sites import _Doc
from demo.unseen import _decoys, _reports

esc = C.esc
UTF8 = "text/html; charset=utf-8"


def _chrome(name: str, domain: str, code: str, column_href: str) -> Chrome:
    return Chrome(site_title=f"{name}人民政府", domain=domain, org=f"{name}人民政府办公室",
                  undertaker=f"{name}大数据中心", tech=f"{name}信息中心", site_code=code,
                  icp="浙ICP备05012345号", gongan="浙公网安备 33010202000123号",
                  address=f"{name}人民路1号", column="政府信息公开年报", column_href=column_href)


def _docs(ch: Chrome, prefix: str, seed: int, n_reports: int = 4) -> list[_Doc]:
    """``n_reports`` reports and two decoys (指南, 目录), newest first."""
    rng = random.Random(seed)
    name = ch.site_title.removesuffix("人民政府")
    agencies = (ch.site_title, f"{name}财政局", f"{name}教育局", f"{name}民政局")
    docs = _reports(agencies, (2023, 2022, 2021, 2020, 2019)[:n_reports], ch.site_title, seed, rng)
    docs += _decoys(ch.org, ch.site_title, f"{prefix}〔2023〕5号")[:2]
    docs.sort(key=lambda d: d.pub, reverse=True)
    return docs


def _short(title: str, limit: int = 16) -> str:
    return title[:limit] + "..." if len(title) > limit else title


def _page(ch: Chrome, title: str, main: str, head_extra: str = "") -> str:
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{esc(title)}_{ch.site_title}</title>{head_extra}</head>
<body>
{C.top_bar(ch)}
{C.header(ch)}
{C.nav(ch)}
<div class="main w1200">{C.breadcrumb(ch)}
{main}
</div>
{C.footer(ch)}
</body></html>"""


def _article(ch: Chrome, d: _Doc, *, dated: bool) -> Resource:
    """An article page; ``dated=False`` shows no date at all (only 来源 and a hit counter), so
    the publish date has to come from the URL or the list."""
    meta = ""
    if dated:
        meta = C.xxgk_table(ch, [("索 引 号:", d.index_no or ""), ("发布机构:", d.agency or ""),
                                 ("成文日期:", d.written or ""), ("发布日期:", f"{d.pub:%Y-%m-%d}")])
    main = f"""{meta}
<h1 class="art_title">{esc(d.title)}</h1>
<div class="art_info">来源：{esc(d.source)}　浏览次数：<span id="hits">{len(d.title) * 7}</span></div>
<div class="art_con" id="zoom">
{d.rt.to_html(d.style)}
</div>
{C.print_close(ch)}
{C.qr_block(ch)}"""
    return Resource(_page(ch, d.title, main).encode("utf-8"), UTF8)


def _chunks(docs: list[_Doc], per_page: int) -> list[list[_Doc]]:
    return [docs[i:i + per_page] for i in range(0, len(docs), per_page)]


def _expected(docs: list[_Doc]) -> list:
    return [d.expected() for d in docs]


# --------------------------------------------------------------------------------------
# 1. Java CMS: list.do?columnId=58&currentPage=N, detail.do?id=N

DO_COLUMN = "/xxgk/gknb/list.do?columnId=58"


def java_do_site(per_page: int = 2, *, seed: int = 3305) -> Site:
    """``list.do`` pages linked by page number only (下一页 is ``javascript:goPage(2)``), entries
    ``detail.do?id=N`` with a truncated text, the full title in ``title`` and "[2022-1-20]"."""
    ch = _chrome("安吉县", "www.anji.gov.cn", "3305230001", DO_COLUMN)
    docs = _docs(ch, "安政办函", seed)
    res: dict[str, Resource] = {}
    for n, d in enumerate(docs):
        d.path = f"/xxgk/gknb/detail.do?id={7300 + n * 11}&columnId=58"
        d.index_no = f"002541630/{d.pub.year}-{n + 31:05d}"
        res[d.path] = _article(ch, d, dated=True)
    chunks = _chunks(docs, per_page)
    for page, chunk in enumerate(chunks, start=1):
        lis = "\n".join(
            f'<li><span class="date">[{d.pub.year}-{d.pub.month}-{d.pub.day}]</span>'
            f'<a href="{esc(d.path.rsplit("/", 1)[1])}" title="{esc(d.title)}" target="_blank">'
            f"{esc(_short(d.title))}</a></li>" for d in chunk)
        numbers = " ".join(f'<span class="cur">{k}</span>' if k == page
                           else f'<a href="list.do?columnId=58&amp;currentPage={k}">{k}</a>'
                           for k in range(1, len(chunks) + 1))
        pager = (f'<div class="pagination">共{len(chunks)}页 当前第{page}页 '
                 f'<a href="javascript:goPage({max(page - 1, 1)})">上一页</a> {numbers} '
                 f'<a href="javascript:goPage({min(page + 1, len(chunks))})">下一页</a> '
                 '跳转到 <input type="text" id="jumpPage" size="3" /> 页 '
                 '<a href="javascript:void(0)" onclick="goPage(document.getElementById(\'jumpPage\').value)">GO</a>'
                 "</div>\n<script>function goPage(n){location.href='list.do?columnId=58&currentPage='+n;}</script>")
        main = (f'<div class="lm_tit">{ch.column}</div>\n<ul class="news_list">\n{lis}\n</ul>\n{pager}')
        body = _page(ch, ch.column, main).encode("utf-8")
        res[f"{DO_COLUMN}&currentPage={page}"] = Resource(body, UTF8)
        if page == 1:
            res[DO_COLUMN] = Resource(body, UTF8)
    return Site("java-do", ch.site_title, res, DO_COLUMN, _expected(docs))


# --------------------------------------------------------------------------------------
# 2. TRS: countPage/currentPage variables, createPageHTML from an external script, "01-20"

TRS_FOLDER = "/xxgk/zfxxgknb/"
TRS_PAGE_JS = """function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  if(nCurrIndex == 0){ document.write("<span>首页</span> <span>上一页</span> "); }
  else { document.write("<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a> "); }
  for(var i = 0; i < _nPageCount; i++){
    var name = i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt;
    document.write(i == nCurrIndex ? "<span>" + (i + 1) + "</span> "
                                   : "<a href=\\"" + name + "\\">" + (i + 1) + "</a> ");
  }
}
"""


def trs_vars_site(per_page: int = 2, *, seed: int = 3701, folder_url: bool = False) -> Site:
    """TRS ``index.shtml``/``index_N.shtml``; the pager is written by ``createPageHTML`` from
    ``/js/createPage.js`` with its count in inline variables; list dates "01-20" (year only in the
    ``t20220120_N.shtml`` URL) and a 热点 sidebar with full dates. ``folder_url`` makes the
    column URL the folder (``/xxgk/zfxxgknb/``), as people paste it."""
    ch = _chrome("临沂市", "www.linyi.gov.cn", "3713000001", TRS_FOLDER)
    docs = _docs(ch, "临政办函", seed)
    res: dict[str, Resource] = {"/js/createPage.js": Resource(TRS_PAGE_JS.encode(), "application/javascript")}
    for n, d in enumerate(docs):
        d.path = f"{TRS_FOLDER}{d.pub:%Y%m}/t{d.pub:%Y%m%d}_{4480 + n * 3}.shtml"
        if n % 2 == 0:  # every other article shows no xxgk table and no date (URL date only)
            d.index_no = f"11371300004338611K/{d.pub.year}-{n + 7:05d}"
        res[d.path] = _article(ch, d, dated=n % 2 == 0)
    hot = "".join(f'<li><a href="/xwzx/jrly/202401/t2024011{i}_9{i}0.shtml" target="_blank">{t}</a>'
                  f"<span>2024-01-1{i}</span></li>"
                  for i, t in enumerate(("市政府召开常务会议研究部署重点工作", "全市优化营商环境大会召开")))
    chunks = _chunks(docs, per_page)
    for page, chunk in enumerate(chunks):
        lis = "\n".join(f'<li><a href="./{d.path.removeprefix(TRS_FOLDER)}" target="_blank" '
                        f'title="{esc(d.title)}">{esc(d.title)}</a><span>{d.pub:%m-%d}</span></li>' for d in chunk)
        main = f"""<div class="list_left">{C.xxgk_subnav(ch, ch.column)}</div>
<div class="list_right"><div class="lm_tit">{ch.column}</div>
<ul class="list_ul">
{lis}
</ul>
<div class="page_box"><script type="text/javascript">
var countPage = {len(chunks)}//共多少页
var currentPage = {page}//当前页码
createPageHTML(countPage, currentPage, "index", "shtml");
</script></div></div>
<div class="rdxx"><h3>热点信息</h3><ul>{hot}</ul></div>"""
        name = "index.shtml" if page == 0 else f"index_{page}.shtml"
        res[TRS_FOLDER + name] = Resource(
            _page(ch, ch.column, main, '<script src="/js/createPage.js"></script>').encode("utf-8"), UTF8)
    if folder_url:
        res[TRS_FOLDER] = res[TRS_FOLDER + "index.shtml"]
    column = TRS_FOLDER if folder_url else TRS_FOLDER + "index.shtml"
    return Site("trs-vars", ch.site_title, res, column, _expected(docs))


# --------------------------------------------------------------------------------------
# 3. <div class="item"> entries with a summary, a <select> page jump, undated articles

ITEMS_FOLDER = "/zwgk/nianbao/"


def div_items_site(per_page: int = 2, *, seed: int = 4403) -> Site:
    """Entries ``<div class="item"><h3><a title=…>…...</a></h3><p class="summary">…统计期限为2022年
    1月1日至12月31日…</p><p class="date">2023-1-20</p></div>``; articles show no date, so the list
    date is the publish date; ``index.htm``, ``index_1.htm`` … reachable only from a ``<select>``
    (its 下一页 is ``onclick="pageJump(2)"``)."""
    ch = _chrome("云浮市", "www.yunfu.gov.cn", "4453000001", ITEMS_FOLDER + "index.htm")
    docs = _docs(ch, "云府办函", seed)
    res: dict[str, Resource] = {}
    for n, d in enumerate(docs):
        d.path = f"{ITEMS_FOLDER}content_{5566 + n * 17}.htm"
        res[d.path] = _article(ch, d, dated=False)
    chunks = _chunks(docs, per_page)
    for page, chunk in enumerate(chunks):
        items = "\n".join(
            f'<div class="item"><h3><a href="content_{d.path.split("_")[-1]}" title="{esc(d.title)}" '
            f'target="_blank">{esc(_short(d.title, 20))}</a></h3>'
            f'<p class="summary">本报告统计期限为{d.pub.year - 1}年1月1日至12月31日。'
            f'{esc(d.title)}全文如下……</p>'
            f'<p class="date">{d.pub.year}-{d.pub.month}-{d.pub.day}</p></div>' for d in chunk)
        options = "".join(
            f'<option value="{"index.htm" if k == 0 else f"index_{k}.htm"}"'
            f'{" selected" if k == page else ""}>第{k + 1}页</option>' for k in range(len(chunks)))
        pager = (f'<div class="pages">共{len(chunks)}页 第{page + 1}页 '
                 f'<a href="javascript:void(0)" onclick="pageJump({page + 2})">下一页</a> 跳转到 '
                 f'<select name="page" onchange="window.location.href=this.value">{options}</select></div>')
        main = f'<div class="news-list">\n{items}\n</div>\n{pager}'
        name = "index.htm" if page == 0 else f"index_{page}.htm"
        res[ITEMS_FOLDER + name] = Resource(_page(ch, ch.column, main).encode("utf-8"), UTF8)
    return Site("div-items", ch.site_title, res, ITEMS_FOLDER + "index.htm", _expected(docs))


# --------------------------------------------------------------------------------------
# 4. 信息公开目录 table, javascript:void(0) + window.open links, JEECMS index_N.jhtml

GKML_FOLDER = "/xxgk/gkml/nb/"


def gkml_table_site(per_page: int = 2, *, seed: int = 5101) -> Site:
    """A 信息公开目录 table (序号/标题/发布机构/发布日期/索引号) whose title links are
    ``javascript:void(0)`` with ``onclick="window.open('…')"`` (every other one a plain link),
    JEECMS content URLs ``/xxgk/gkml/nb/12345.jhtml`` and list pages ``index_2.jhtml`` … linked by
    page number only."""
    ch = _chrome("广元市", "www.cngy.gov.cn", "5108000001", GKML_FOLDER + "index.jhtml")
    docs = _docs(ch, "广府办函", seed)
    res: dict[str, Resource] = {}
    for n, d in enumerate(docs):
        d.path = f"{GKML_FOLDER}{20931 + n * 5}.jhtml"
        d.index_no = f"008765432/{d.pub.year}-{n + 101:05d}"
        res[d.path] = _article(ch, d, dated=True)
    chunks = _chunks(docs, per_page)
    for page, chunk in enumerate(chunks, start=1):
        rows = []
        for k, d in enumerate(chunk):
            seq = (page - 1) * per_page + k + 1
            link = (f'<a href="javascript:void(0)" onclick="window.open(\'{d.path}\')" title="{esc(d.title)}">'
                    if seq % 2 else f'<a href="{d.path}" target="_blank" title="{esc(d.title)}">')
            rows.append(f'<tr><td>{seq}</td><td class="bt">{link}{esc(_short(d.title, 18))}</a></td>'
                        f"<td>{esc(d.agency or '')}</td><td>{d.pub:%Y-%m-%d}</td><td>{d.index_no}</td></tr>")
        numbers = " ".join(f'<b>{k}</b>' if k == page else
                           f'<a href="{"index.jhtml" if k == 1 else f"index_{k}.jhtml"}">{k}</a>'
                           for k in range(1, len(chunks) + 1))
        main = f"""<table class="gkml_table" width="100%">
<tr class="th"><th>序号</th><th>标题</th><th>发布机构</th><th>发布日期</th><th>索引号</th></tr>
{chr(10).join(rows)}
</table>
<div class="pageList">共{len(docs)}条 {numbers}</div>"""
        name = "index.jhtml" if page == 1 else f"index_{page}.jhtml"
        res[GKML_FOLDER + name] = Resource(_page(ch, ch.column, main).encode("utf-8"), UTF8)
    return Site("gkml-table", ch.site_title, res, GKML_FOLDER + "index.jhtml", _expected(docs))


# --------------------------------------------------------------------------------------
# 5. Year headings, "[01-20]" inside the link, /art/N redirects

ART_FOLDER = "/zwgk/xxgknb/"


def redirect_site(*, seed: int = 3307) -> Site:
    """Entries grouped under "2023年" … headings, each link wrapping the title and a "[01-20]"
    date; links ``/art/3321`` answer 302 to ``/art/2023/1/20/art_4412_3321.html``; articles show
    no date (it is in the final URL). Two list pages ``index.shtml``, ``index_2.shtml`` (下一页)."""
    ch = _chrome("德清县", "www.deqing.gov.cn", "3305210001", ART_FOLDER + "index.shtml")
    docs = _docs(ch, "德政办函", seed)
    res: dict[str, Resource] = {}
    for n, d in enumerate(docs):
        art = 3321 + n * 7
        d.path = f"/art/{d.pub.year}/{d.pub.month}/{d.pub.day}/art_4412_{art}.html"
        d.href = f"/art/{art}"
        res[d.href] = Resource(b"", None, status=302, headers={"Location": "{BASE}" + d.path})
        res[d.path] = _article(ch, d, dated=False)
    # the report is archived under the link the list shows (the capture keeps the final URL)
    expected = _expected(docs)
    for d, doc in zip(docs, expected):
        doc.path = d.href
    pages = [docs[:3], docs[3:]]
    for page, chunk in enumerate(pages, start=1):
        by_year: dict[int, list[_Doc]] = {}
        for d in chunk:
            by_year.setdefault(d.pub.year, []).append(d)
        blocks = "\n".join(
            f'<div class="nb-year"><h4>{year}年</h4><ul>' + "".join(
                f'<li><a href="{d.href}" target="_blank"><span class="tit">{esc(d.title)}</span>'
                f'<span class="time">[{d.pub:%m-%d}]</span></a></li>' for d in items) + "</ul></div>"
            for year, items in by_year.items())
        side = "".join(f'<li><a href="/zwgk/{p}/">{t}</a></li>'
                       for p, t in (("zcwj", "政策文件汇编"), ("rsxx", "人事任免信息")))
        pager = ('<div class="page"><a href="index_2.shtml">下一页</a></div>' if page == 1 else
                 '<div class="page"><a href="index.shtml">上一页</a></div>')
        main = f'<div class="side"><ul>{side}</ul></div>\n<div class="nb-list">{blocks}</div>\n{pager}'
        name = "index.shtml" if page == 1 else f"index_{page}.shtml"
        res[ART_FOLDER + name] = Resource(_page(ch, ch.column, main).encode("utf-8"), UTF8)
    return Site("art-redirect", ch.site_title, res, ART_FOLDER + "index.shtml", expected)


# --------------------------------------------------------------------------------------
# 6. ASP.NET pager by __doPostBack only

POSTBACK_COLUMN = "/xxgk/nb/Default.aspx"


def postback_site(*, seed: int = 6201) -> Site:
    """An ASP.NET column whose pager only posts back (``javascript:__doPostBack('AspNetPager1',
    '2')``): there is no GET URL for page 2, so only page 1's entries are expected."""
    ch = _chrome("定西市", "www.dingxi.gov.cn", "6211000001", POSTBACK_COLUMN)
    docs = _docs(ch, "定政办函", seed)
    res: dict[str, Resource] = {}
    for n, d in enumerate(docs):
        d.path = f"/xxgk/nb/Show.aspx?id={880 + n}"
        res[d.path] = _article(ch, d, dated=True)
    first = docs[:3]
    rows = "\n".join(f'<tr><td><a href="Show.aspx?id={d.path.rsplit("=", 1)[1]}" title="{esc(d.title)}">'
                     f"{esc(_short(d.title))}</a></td><td>{d.pub:%Y-%m-%d}</td></tr>" for d in first)
    pages = (len(docs) + 2) // 3
    links = " ".join(f"<a href=\"javascript:__doPostBack('AspNetPager1','{k}')\">{k}</a>" for k in range(2, pages + 1))
    main = f"""<form name="form1" method="post" action="./Default.aspx" id="form1">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKMTY1NDU2MTA1MmRk" />
<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="" />
<table class="list">{rows}</table>
<div id="AspNetPager1">共{len(docs)}条 <span>1</span> {links}
<a href="javascript:__doPostBack('AspNetPager1','2')">下一页</a>
<a href="javascript:__doPostBack('AspNetPager1','{pages}')">尾页</a></div></form>"""
    res[POSTBACK_COLUMN] = Resource(_page(ch, ch.column, main).encode("utf-8"), UTF8)
    return Site("aspnet-postback", ch.site_title, res, POSTBACK_COLUMN, _expected(first))


def unseen_list_sites() -> list[Site]:
    """Every site of this module, for tests and demo serving."""
    return [java_do_site(), trs_vars_site(), div_items_site(), gkml_table_site(), redirect_site(),
            postback_site()]


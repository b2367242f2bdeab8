"""Demo sites on templates the other demo sites do not imitate, for exploratory end-to-end QA.

- :func:`aspx_table_site`: an ASP.NET county portal. The list is a ``<table>`` (title and date
  in separate ``<td>``), paged by ``List.aspx?cid=27&page=N`` links that are images with only
  an ``alt`` text; articles ``Show.aspx?id=N`` with the body in ``div.detail_con`` under a
  ``<table class="xxgk_table">`` whose labels are ``<th>`` cells.
- :func:`gbk_nocharset_site`: a district site whose static pages are GBK while the list is
  served as ``ISO-8859-1`` and articles carry no charset anywhere; metadata in an ``<ul>`` of
  padded "索 引 号：…" items, the body in ``div.zwnr``, a "下一页 »" pager, list dates
  ``2021/01/15``.
- :func:`big5_gate_site`: the 繁體 copy a Big5 gateway (``/gate/big5/<host>/…``) makes of a
  mainland site: lists labelled ``charset=big5`` and articles not at all, the original
  ``gb2312`` meta left in every page (Big5 bytes decode "strictly" as GB18030), OpenCC-style
  labels (發佈機構, 發佈日期), traditional boilerplate, list dates "2021年1月5日".
- :func:`base_href_site`: an old table-layout portal with ``<base href>`` pointing at the
  parent folder, so "./nb/…", "nb/…" and "../xxgk/nb/…" links only resolve against the base;
  list dates "[2021-01-15]", a stub report whose PDF is linked through the base too.
"""

from __future__ import annotations

import random
from datetime import date, datetime

from demo import chrome as C
from demo import files
from demo.chrome import Chrome
from demo.decoy_texts import catalogue_text, guide_text, notice_text
from demo.server import Resource, Site
from demo.sites import _Doc, _index_no, _publish, _s2t, _stamp, _to_traditional
from demo.texts import Block, ReportText, nfkc, template_report

esc = C.esc


def _reports(agencies: tuple[str, ...], years: tuple[int, ...], site: str, seed: int,
             rng: random.Random, styles: tuple[str, ...] = ("plain", "div", "word")) -> list[_Doc]:
    docs = []
    for k, year in enumerate(years):
        agency = agencies[k % len(agencies)]
        rt = template_report(agency, year, seed=seed + k, site=site)
        pub = _publish(rng, rt.written or date(year + 1, 1, 20))
        docs.append(_Doc(rt, "", pub, True, agency, agency, style=rng.choice(styles),
                         written=rt.written.isoformat() if rt.written else None))
    return docs


def _decoys(org: str, agency: str, number: str) -> list[_Doc]:
    """A 指南, a 目录 and a 通知 asking for reports: they share the column with the reports."""
    notice = notice_text(org, 2023, number, date(2024, 1, 31))
    out = [
        _Doc(guide_text(agency, 2022), "", datetime(2022, 3, 8, 10, 20), False, agency, org),
        _Doc(catalogue_text(agency), "", datetime(2021, 6, 18, 9, 5), False, agency, org),
        _Doc(notice, "", datetime(2023, 12, 20, 16, 12), False, org, org, doc_number=number,
             written=notice.written.isoformat() if notice.written else None),
    ]
    return out


def _plain_footer(ch: Chrome) -> str:
    t = ch.t
    return (f'<div class="bottom"><p>{t("主办单位")}：{esc(ch.org)}　{t("承办单位")}：'
            f'{esc(ch.undertaker)}</p><p>{t("网站标识码")}：{ch.site_code}　{esc(ch.icp)}　'
            f'{esc(ch.gongan)}</p></div>')


# --------------------------------------------------------------------------------------
# 1. ASP.NET portal: table list, image pager, Show.aspx?id=N, div.detail_con

ASPX_CHROME = Chrome(
    site_title="云溪县人民政府", domain="www.yunxi.gov.cn", org="云溪县人民政府办公室",
    undertaker="云溪县融媒体中心", tech="云溪县信息中心", site_code="5309270004",
    icp="滇ICP备09001234号", gongan="滇公网安备 53092702000111号",
    address="云溪县城南路2号", column="政府信息公开年报", column_href="/zwgk/gknb/List.aspx?cid=27")
ASPX_COLUMN = "/zwgk/gknb/List.aspx?cid=27"


def _aspx_list_page(ch: Chrome, rows: list[_Doc], page: int, pages: int) -> str:
    trs = "\n".join(
        f'<tr><td class="bt"><img src="/images/dot.gif" /> <a href="Show.aspx?id={d.path.rsplit("=", 1)[1]}"'
        f' title="{esc(d.title)}" target="_blank">{esc(d.title[:22] + "..." if len(d.title) > 22 else d.title)}'
        f'</a></td><td class="rq" width="100">{d.pub:%Y-%m-%d}</td></tr>' for d in rows)

    def img(n: int, name: str, alt: str) -> str:
        return (f'<a href="List.aspx?cid=27&amp;page={n}"><img src="/images/page_{name}.gif" '
                f'alt="{alt}" border="0" /></a>')

    pager = [f"共{pages}页 当前第{page}页"]
    if page > 1:
        pager += [img(1, "first", "首页"), img(page - 1, "prev", "上一页")]
    if page < pages:
        pager += [img(page + 1, "next", "下一页"), img(pages, "last", "尾页")]
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{ch.column}--{ch.site_title}</title><link href="/css/style.css" rel="stylesheet" /></head>
<body><form method="post" action="./List.aspx?cid=27" id="form1">
<div class="aspNetHidden">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwUKLTk3NTQ2MjA5OWRk" />
</div>
{C.top_bar(ch)}
{C.nav(ch)}
<div class="location">您现在的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; {ch.column}</div>
<table width="1000" align="center" cellpadding="0" cellspacing="0"><tr>
<td width="230" valign="top" class="left">{C.xxgk_subnav(ch, ch.column)}</td>
<td valign="top" class="right"><div class="lm_tit">{ch.column}</div>
<table class="list_table" width="100%" cellpadding="0" cellspacing="0">
<tr class="th"><td>标题</td><td>发布日期</td></tr>
{trs}
</table>
<div class="pagebar">{" ".join(pager)}</div>
</td></tr></table>
{C.footer(ch)}
</form></body></html>"""


def _aspx_article(ch: Chrome, d: _Doc, prev: _Doc | None, nxt: _Doc | None, hits: int) -> str:
    def link(x: _Doc | None) -> str:
        return f'<a href="{x.href}">{esc(x.title)}</a>' if x else "没有了"

    number = d.doc_number or "无"
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(d.title)}--{ch.site_title}</title><link href="/css/style.css" rel="stylesheet" /></head>
<body><form method="post" action="./Show.aspx?id={d.path.rsplit("=", 1)[1]}" id="form1">
<div class="aspNetHidden">
<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="/wEPDwULLTE2MTY2ODcyMjlkZA==" />
</div>
{C.top_bar(ch)}
{C.nav(ch)}
<div class="location">您现在的位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a>
&gt; <a href="{ASPX_COLUMN}">{ch.column}</a></div>
<div class="detail">
<h1 class="detail_title">{esc(d.title)}</h1>
<table class="xxgk_table" width="100%" cellpadding="0" cellspacing="0">
<tr><th>索 引 号：</th><td>{d.index_no}</td><th>发布机构：</th><td>{esc(d.agency or "")}</td></tr>
<tr><th>成文日期：</th><td>{d.written or ""}</td><th>发布日期：</th><td>{d.pub:%Y-%m-%d}</td></tr>
<tr><th>文　　号：</th><td colspan="3">{number}</td></tr>
</table>
<div class="detail_info">发布时间：{_stamp(d.pub)}&nbsp;&nbsp;来源：{esc(d.source)}&nbsp;&nbsp;
访问次数：<span id="hits">{hits}</span>&nbsp;&nbsp;【字体：<a href="javascript:doZoom(18)">大</a>
<a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</div>
<div class="detail_con">
{d.rt.to_html(d.style)}
<div class="detail_dy">【<a href="javascript:window.print()">打印</a>】
【<a href="javascript:window.close()">关闭</a>】</div>
</div>
<div class="detail_ewm"><img src="/images/qrcode.png" /><p>扫一扫在手机打开当前页</p></div>
<div class="detail_sx"><p>上一篇：{link(prev)}</p><p>下一篇：{link(nxt)}</p></div>
</div>
{C.footer(ch)}
</form></body></html>"""


def aspx_table_site(n_reports: int = 5, per_page: int = 3, *, seed: int = 5309) -> Site:
    """An ASP.NET county portal: ``<table>`` list, image-only pager, ``Show.aspx?id=N`` articles.

    ``n_reports`` reports and three decoys (指南, 目录, a 通知 asking for reports) over
    ``ceil((n+3)/per_page)`` list pages ``List.aspx?cid=27&page=N``; the pager's links are
    ``<img alt="下一页">`` and ``<img alt="尾页">`` with no text.
    """
    rng = random.Random(seed)
    ch = ASPX_CHROME
    codes: dict[str, str] = {}
    docs = _reports(("云溪县人民政府", "云溪县财政局", "云溪县教育局", "云溪县卫生健康局", "云溪县民政局"),
                    (2023, 2022, 2021, 2020, 2019, 2018, 2017)[:n_reports], ch.site_title, seed, rng)
    docs += _decoys(ch.org, "云溪县人民政府", "云政办函〔2023〕12号")
    docs.sort(key=lambda d: d.pub, reverse=True)
    res: dict[str, Resource] = {}
    for n, d in enumerate(sorted(docs, key=lambda d: d.pub)):
        d.path = f"/zwgk/gknb/Show.aspx?id={3100 + n * 13}"
        d.href = d.path.rsplit("/", 1)[1]
        d.index_no = _index_no(codes, rng, d.agency or "", d.pub.year)
    for i, d in enumerate(docs):
        prev = docs[i - 1] if i else None
        nxt = docs[i + 1] if i + 1 < len(docs) else None
        page = _aspx_article(ch, d, prev, nxt, rng.randint(20, 900))
        res[d.path] = Resource(page.encode("utf-8"), "text/html; charset=utf-8")
    chunks = [docs[i:i + per_page] for i in range(0, len(docs), per_page)]
    for n, chunk in enumerate(chunks, start=1):
        body = _aspx_list_page(ch, chunk, n, len(chunks)).encode("utf-8")
        res[f"{ASPX_COLUMN}&page={n}"] = Resource(body, "text/html; charset=utf-8")
        if n == 1:
            res[ASPX_COLUMN] = res[f"{ASPX_COLUMN}&page={n}"]
    return Site("aspx-table", ch.site_title, res, ASPX_COLUMN, [d.expected() for d in docs], "utf-8")


# --------------------------------------------------------------------------------------
# 2. GBK pages with no usable charset label, <ul> metadata block, div.zwnr, "下一页 »"

GBK_CHROME = Chrome(
    site_title="石门区人民政府", domain="www.shimen-qu.gov.cn", org="石门区人民政府办公室",
    undertaker="石门区政务服务数据管理局", tech="石门区信息中心", site_code="4306030005",
    icp="湘ICP备10005678号", gongan="湘公网安备 43060302000222号",
    address="石门区人民路9号", column="政府信息公开年报", column_href="/xxgk/zfxxgknb/index.html")
GBK_FOLDER = "/xxgk/zfxxgknb/"


def _gbk_list_page(ch: Chrome, rows: list[_Doc], page: int, pages: int) -> str:
    # Each item carries a category tag link before its title (aggregated xxgk lists).
    lis = "\n".join(f'<li><a class="tag" href="{GBK_FOLDER}{"bmnb" if d.agency != "石门区人民政府" else "zfnb"}/">'
                    f'[{"部门年报" if d.agency != "石门区人民政府" else "区政府年报"}]</a>'
                    f'<a href="{d.href}" title="{esc(d.title)}" target="_blank">{esc(d.title)}</a>'
                    f'<span class="date">{d.pub:%Y/%m/%d}</span></li>' for d in rows)
    hot = "\n".join(f'<li><a href="/xwzx/qnyw/202401/t202401{10 + i}_{70000 + i}.html">{t}</a>'
                    f"<span>2024-01-{10 + i}</span></li>"
                    for i, t in enumerate(("区政府常务会议研究部署春耕工作", "我区召开优化营商环境推进会")))
    pager = [f'<span class="cur">{page}</span>']
    if page > 1:
        pager.insert(0, f'<a href="{"index.html" if page == 2 else f"index_{page - 1}.html"}">&laquo; 上一页</a>')
    if page < pages:
        pager += [f'<a href="index_{page + 1}.html" class="next">下一页 &raquo;</a>',
                  f'<a href="index_{pages}.html">末页 &raquo;|</a>']
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{ch.column}-{ch.site_title}</title></head>
<body>
{C.top_bar(ch)}
{C.nav(ch)}
<div class="wrap"><div class="dqwz">当前位置：<a href="/">首页</a> &gt; {ch.column}</div>
<div class="lb-con"><ul class="lb-list">
{lis}
</ul>
<div class="fenye">{" ".join(pager)}</div></div>
<div class="rdxx"><h3>热点信息</h3><ul>
{hot}
</ul></div></div>
{_plain_footer(ch)}
</body></html>"""


def _gbk_article(ch: Chrome, d: _Doc, prev: _Doc | None, nxt: _Doc | None) -> str:
    def link(x: _Doc | None) -> str:
        return f'<a href="../{x.path.split("/")[-2]}/{x.path.split("/")[-1]}">{esc(x.title)}</a>' if x else "无"

    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html">
<title>{esc(d.title)}</title></head>
<body>
{C.top_bar(ch)}
{C.nav(ch)}
<div class="wrap"><div class="dqwz">当前位置：<a href="/">首页</a> &gt;
<a href="{GBK_FOLDER}index.html">{ch.column}</a></div>
<div class="xl-box">
<div class="xxgk-info"><ul>
<li><b>索 引 号：</b><span>{d.index_no}</span></li>
<li><b>发布机构：</b><span>{esc(d.agency or "")}</span></li>
<li><b>成文日期：</b><span>{d.written or ""}</span></li>
<li><b>发布日期：</b><span>{d.pub:%Y-%m-%d}</span></li>
<li><b>文　　号：</b><span>{esc(d.doc_number or "")}</span></li>
</ul></div>
<h2 class="xl-tit">{esc(d.title)}</h2>
<div class="xl-sx">信息来源：{esc(d.source)}　发布时间：{_stamp(d.pub)}　【字体：<a>大</a> <a>中</a> <a>小</a>】
<a href="javascript:;">视力保护色</a></div>
<div class="zwnr">
{d.rt.to_html(d.style)}
</div>
<div class="xl-gj"><a href="javascript:window.print();">【打印本页】</a>
<a href="javascript:window.close();">【关闭窗口】</a></div>
<div class="fx">分享到：<a>微信</a><a>微博</a></div>
<div class="ewm-box"><p>扫一扫在手机打开当前页</p></div>
<div class="sxp"><p>上一篇：{link(prev)}</p><p>下一篇：{link(nxt)}</p></div>
</div></div>
{_plain_footer(ch)}
</body></html>"""


def gbk_nocharset_site(n_reports: int = 5, per_page: int = 3, *, seed: int = 4306) -> Site:
    """GBK bytes everywhere; list pages say ``ISO-8859-1`` in the header (a gb2312 meta), articles
    say nothing (``Content-Type: text/html``, a meta without charset)."""
    rng = random.Random(seed)
    ch = GBK_CHROME
    codes: dict[str, str] = {}
    docs = _reports(("石门区人民政府", "石门区财政局", "石门区水利局", "石门区司法局"),
                    (2024, 2023, 2022, 2021, 2020, 2019)[:n_reports], ch.site_title, seed, rng)
    docs += _decoys(ch.org, "石门区人民政府", "石政办函〔2023〕7号")
    docs.sort(key=lambda d: d.pub, reverse=True)
    ids = sorted(rng.sample(range(100000, 999999), len(docs)))
    for d, doc_id in zip(sorted(docs, key=lambda d: d.pub), ids):
        d.path = f"{GBK_FOLDER}{d.pub:%Y%m}/t{d.pub:%Y%m%d}_{doc_id}.html"
        d.href = f"./{d.pub:%Y%m}/t{d.pub:%Y%m%d}_{doc_id}.html"
        d.index_no = _index_no(codes, rng, d.agency or "", d.pub.year)
    res: dict[str, Resource] = {}
    for i, d in enumerate(docs):
        page = _gbk_article(ch, d, docs[i - 1] if i else None, docs[i + 1] if i + 1 < len(docs) else None)
        res[d.path] = Resource(page.encode("gbk"), "text/html")
    chunks = [docs[i:i + per_page] for i in range(0, len(docs), per_page)]
    for n, chunk in enumerate(chunks, start=1):
        name = "index.html" if n == 1 else f"index_{n}.html"
        res[GBK_FOLDER + name] = Resource(_gbk_list_page(ch, chunk, n, len(chunks)).encode("gbk"),
                                          "text/html; charset=ISO-8859-1")
    return Site("gbk-nocharset", ch.site_title, res, GBK_FOLDER + "index.html",
                [d.expected() for d in docs], "gbk")


# --------------------------------------------------------------------------------------
# 3. A Big5 gateway's 繁體 copy of a mainland column

BIG5_HOST = "www.minjiang.gov.cn"
BIG5_FOLDER = f"/gate/big5/{BIG5_HOST}/zwgk/gknb/"


def _gate_list_page(ch: Chrome, rows: list[_Doc], page: int, pages: int) -> str:
    t = ch.t
    lis = "\n".join(f'<li><a href="{d.href}" target="_blank">{esc(d.title)}</a>'
                    f'<span>{d.pub.year}年{d.pub.month}月{d.pub.day}日</span></li>' for d in rows)
    pager = []
    if page > 1:
        pager.append(f'<a href="{"index.htm" if page == 2 else f"index_{page - 2}.htm"}">{t("上一页")} &lt;</a>')
    if page < pages:
        pager.append(f'<a href="index_{page}.htm">{t("下一页")} &gt;</a>')
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{t(ch.column)}_{ch.site_title}</title></head>
<body>
{C.top_bar(ch)}
{C.nav(ch)}
<div class="main">{C.breadcrumb(ch)}
<div class="list"><ul>
{lis}
</ul>
<div class="page">{" ".join(pager)}</div></div></div>
{C.footer(ch)}
</body></html>"""


def _gate_article(ch: Chrome, d: _Doc, prev: _Doc | None, nxt: _Doc | None, hits: int) -> str:
    t = ch.t

    def link(x: _Doc | None) -> str:
        return f'<a href="../{x.href.lstrip("./")}">{esc(x.title)}</a>' if x else t("没有了")

    rows = [("索引号", d.index_no or ""), ("主题分类", "综合政务\\政务公开"),
            ("发布机构", d.agency or ""), ("成文日期", d.written or ""),
            ("发布日期", f"{d.pub:%Y-%m-%d}"), ("文号", d.doc_number or "")]
    cells = [f'<td class="tl">{t(label)}：</td><td>{esc(t(value))}</td>' for label, value in rows]
    table = "\n".join("<tr>" + "".join(cells[i:i + 2]) + "</tr>" for i in range(0, len(cells), 2))
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>{esc(d.title)}_{ch.site_title}</title></head>
<body>
{C.top_bar(ch)}
{C.nav(ch)}
<div class="main">{C.breadcrumb(ch)}
<table class="xxgk_table">
{table}
</table>
<div class="article_title">{esc(d.title)}</div>
<div class="article_info">{t("来源")}：{esc(d.source)}　{t("浏览次数")}：{hits}　{C.font_sizer(ch)}</div>
<div class="con_nr">
{d.rt.to_html(d.style)}
<p class="dbgn">【{t("收藏本页")}】 【{t("打印正文")}】 【{t("返回顶部")}】</p>
</div>
{C.print_close(ch)}
{C.qr_block(ch)}
<div class="sxp"><p>{t("上一篇")}：{link(prev)}</p><p>{t("下一篇")}：{link(nxt)}</p></div>
</div>
{C.footer(ch)}
</body></html>"""


def big5_gate_site(n_reports: int = 4, per_page: int = 3, *, seed: int = 3501) -> Site:
    """The Big5 gateway copy of a 闽江市 column: traditional text, labels 發佈機構/發佈日期,
    the original ``gb2312`` meta against a ``big5`` header (lists) or none (articles), list
    dates "2021年1月5日"."""
    rng = random.Random(seed)
    conv = _s2t()
    ch = Chrome(
        site_title=conv("闽江市人民政府"), domain=BIG5_HOST, org=conv("闽江市人民政府办公厅"),
        undertaker=conv("闽江市数字闽江建设中心"), tech=conv("闽江市信息中心"), site_code="3501000009",
        icp=conv("闽ICP备05001122号"), gongan=conv("闽公网安备 35010202000999号"),
        address=conv("闽江市鼓楼区八一七北路1号"), column="政府信息公开年报",
        column_href=BIG5_FOLDER + "index.htm", t=conv)
    codes: dict[str, str] = {}
    docs = _reports(("闽江市人民政府", "闽江市财政局", "闽江市教育局", "闽江市民政局"),
                    (2023, 2021, 2019, 2016)[:n_reports], ch.site_title, seed, rng,
                    styles=("plain", "div"))
    docs += _decoys("闽江市人民政府办公厅", "闽江市人民政府", "闽政办〔2023〕45号")[:1]
    for d in docs:
        d.rt = _to_traditional(d.rt, conv)
        d.agency = conv(d.agency or "")
        d.source = conv("本站")  # the agency is only in the 發佈機構 cell
    docs.sort(key=lambda d: d.pub, reverse=True)
    for n, d in enumerate(sorted(docs, key=lambda d: d.pub)):
        d.path = f"{BIG5_FOLDER}{d.pub:%Y%m}/t{d.pub:%Y%m%d}_{5200 + n * 11}.htm"
        d.href = f"./{d.pub:%Y%m}/t{d.pub:%Y%m%d}_{5200 + n * 11}.htm"
        d.index_no = _index_no(codes, rng, d.agency or "", d.pub.year)
    res: dict[str, Resource] = {}
    for i, d in enumerate(docs):
        page = _gate_article(ch, d, docs[i - 1] if i else None, docs[i + 1] if i + 1 < len(docs) else None,
                             rng.randint(10, 800))
        # the gateway labels list pages big5 but serves articles with no charset in the header,
        # so only the original template's gb2312 meta speaks
        res[d.path] = Resource(page.encode("big5"), "text/html")
    chunks = [docs[i:i + per_page] for i in range(0, len(docs), per_page)]
    for n, chunk in enumerate(chunks, start=1):
        name = "index.htm" if n == 1 else f"index_{n - 1}.htm"
        res[BIG5_FOLDER + name] = Resource(_gate_list_page(ch, chunk, n, len(chunks)).encode("big5"),
                                           "text/html; charset=big5")
    return Site("big5-gate", ch.site_title, res, BIG5_FOLDER + "index.htm",
                [d.expected() for d in docs], "big5")


# --------------------------------------------------------------------------------------
# 4. An old table-layout portal with <base href> at the parent folder

BASE_CHROME = Chrome(
    site_title="龙泉镇人民政府", domain="www.longquan-zhen.gov.cn", org="龙泉镇人民政府",
    undertaker="龙泉镇党政办公室", tech="龙泉镇信息中心", site_code="4409820012",
    icp="粤ICP备12009876号", gongan="粤公网安备 44098202000333号",
    address="龙泉镇府前路1号", column="政府信息公开年报", column_href="/xxgk/nb/index.htm")
BASE_FOLDER = "/xxgk/nb/"
BASE_PDF = "/xxgk/nb/202103/P020210305512345678901.pdf"


def _base_list_page(ch: Chrome, rows: list[tuple[str, _Doc]], page: int, pages: int) -> str:
    trs = "\n".join(
        f'<tr><td width="20"><img src="images/dot.gif"></td><td class="lb"><a href="{href}" target="_blank">'
        f'<font color="#333333">{esc(d.title)}</font></a></td><td class="date" width="110">[{d.pub:%Y-%m-%d}]</td></tr>'
        for href, d in rows)
    pager = [f"第{page}页/共{pages}页"]
    if page > 1:
        pager.append(f'<a href="{"./nb/index.htm" if page == 2 else f"./nb/index_{page - 2}.htm"}">上一页</a>')
    if page < pages:
        pager.append(f'<a href="./nb/index_{page}.htm">下一页</a>')
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<base href="{{BASE}}/xxgk/">
<title>{ch.column}</title></head>
<body topmargin="0" leftmargin="0">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td><img src="../images/banner.jpg" width="980" height="150"></td></tr></table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" class="dh"><tr>
<td><a href="../index.htm">首页</a></td><td><a href="../zwgk/">政务公开</a></td>
<td><a href="./nb/index.htm">{ch.column}</a></td></tr></table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0"><tr>
<td width="760" valign="top">
<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td class="lmmc">{ch.column}</td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="4">
{trs}
</table>
<table width="100%"><tr><td align="center" class="fy">{" ".join(pager)}</td></tr></table>
</td></tr></table>
<table width="980" align="center" class="bottom"><tr><td align="center">
版权所有：{esc(ch.org)}　地址：{esc(ch.address)}<br>网站标识码：{ch.site_code}　{esc(ch.icp)}　{esc(ch.gongan)}
</td></tr></table>
</body></html>"""


def _base_article(ch: Chrome, d: _Doc, hits: int) -> str:
    fj = ""
    if d.attachments:
        fj = "".join(f'<p>附件：<a href="{h}">{esc(x)}</a></p>' for h, x in d.attachments)
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<base href="{{BASE}}/xxgk/">
<title>{esc(d.title)}</title></head>
<body topmargin="0" leftmargin="0">
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td><img src="../images/banner.jpg" width="980" height="150"></td></tr></table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">
<tr><td class="wz">您现在的位置：<a href="../index.htm">首页</a> &gt;&gt;
<a href="./nb/index.htm">{ch.column}</a></td></tr></table>
<table width="980" border="0" align="center" cellpadding="0" cellspacing="0" bgcolor="#FFFFFF">
<tr><td valign="top" style="padding:20px 40px">
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td align="center" class="bt" height="50">{esc(d.title)}</td></tr>
<tr><td align="center" class="sj" height="30">
发布时间：{d.pub:%Y-%m-%d}　　来源：{esc(d.source)}　　点击数：{hits}</td></tr>
<tr><td class="nr">
{d.rt.to_html(d.style)}
{fj}
<p align="right"><a href="javascript:window.print()">[打印]</a>
<a href="javascript:window.close()">[关闭]</a></p>
</td></tr>
</table>
</td></tr></table>
<table width="980" align="center" class="bottom"><tr><td align="center">
版权所有：{esc(ch.org)}　地址：{esc(ch.address)}<br>网站标识码：{ch.site_code}　{esc(ch.icp)}　{esc(ch.gongan)}
</td></tr></table>
</body></html>"""


def base_href_site(per_page: int = 3, *, seed: int = 4409) -> Site:
    """A 2000s table portal whose pages set ``<base href=".../xxgk/">``: list links "./nb/…",
    "nb/…" and "../xxgk/nb/…" are relative to the base, not the page; a stub report's PDF too."""
    rng = random.Random(seed)
    ch = BASE_CHROME
    docs = _reports(("龙泉镇人民政府",), (2023, 2022, 2021, 2020), ch.site_title, seed, rng,
                    styles=("plain", "word"))
    stub_year = 2020
    stub = next(d for d in docs if d.rt.year == stub_year)
    name = stub.rt.title
    stub.file_rt = stub.rt
    stub.rt = ReportText(name, stub.rt.agency, stub_year, "attachment", [Block("para", nfkc(
        f"根据《中华人民共和国政府信息公开条例》规定,现将《{name}》予以公布,全文详见附件。"))],
        written=stub.rt.written)
    stub.attachments = [("./nb/202103/P020210305512345678901.pdf", f"{name}.pdf")]
    stub.attachment_paths = [BASE_PDF]
    stub.pub = datetime(2021, 3, 5, 9, 30)
    stub.written = None  # the page shows no 成文日期; the signature is in the PDF
    docs += _decoys("龙泉镇人民政府", "龙泉镇人民政府", "龙府〔2023〕3号")[:2]
    docs.sort(key=lambda d: d.pub, reverse=True)
    res: dict[str, Resource] = {}
    rows: list[tuple[str, _Doc]] = []
    for n, d in enumerate(docs):
        d.path = f"{BASE_FOLDER}{d.pub:%Y%m}/t{d.pub:%Y%m%d}_{880 + n}.htm"
        rel = d.path.removeprefix("/xxgk/")
        d.href = ("./" + rel, rel, "../xxgk/" + rel)[n % 3]
        rows.append((d.href, d))
        res[d.path] = Resource(_base_article(ch, d, rng.randint(5, 500)).encode("gbk"),
                               "text/html; charset=gb2312")
    res[BASE_PDF] = Resource(files.report_pdf(stub.file_rt), "application/pdf")
    chunks = [rows[i:i + per_page] for i in range(0, len(rows), per_page)]
    for n, chunk in enumerate(chunks, start=1):
        name = "index.htm" if n == 1 else f"index_{n - 1}.htm"
        res[BASE_FOLDER + name] = Resource(_base_list_page(ch, chunk, n, len(chunks)).encode("gbk"),
                                           "text/html; charset=gb2312")
    return Site("base-href", ch.site_title, res, BASE_FOLDER + "index.htm",
                [d.expected() for d in docs], "gbk")


def unseen_sites() -> list[Site]:
    """The four sites, for tests and ``python -m demo`` style serving."""
    return [aspx_table_site(), gbk_nocharset_site(), big5_gate_site(), base_href_site()]

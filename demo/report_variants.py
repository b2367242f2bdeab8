"""Demo sites whose report pages are written the way many real portals write them (issue 13).

Three platforms, each with the same four page families, so every rule is met in three markups
and two encodings:

- :func:`trs_variants_site` (GBK): a TRS xxgk table (``<td>`` label/value pairs), bodies in
  ``div.TRS_Editor`` blocks, ``<meta name="PubDate">``.
- :func:`hanweb_variants_site` (UTF-8): a Hanweb ``<ul>`` of "名称：…" items and an info line
  "发布时间：… 来源：…", bodies in ``div.article_content`` blocks.
- :func:`table_variants_site` (GBK): a home-made table layout, one ``<td>`` line of labelled
  fields, bodies in ``div.news_content`` blocks inside table rows.

Families (each site): a report page that only points to its DOCX ("全文见附件") with placeholder
metadata (名称 "(见标题)" / "详见正文" / "—", 文号 "无"); a report split into two sibling blocks
with a QR code or page break between them; a report closing with its attachment list
("附件：….xlsx"); a page whose heading, list entry and link ("附件1") name no report while its
DOCX is one; and, on every page, a visible 发布日期 that differs from the ``PubDate`` meta.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from demo.chrome import esc
from demo.files import report_docx, report_xlsx
from demo.server import ExpectedDoc, Resource, Site
from demo.texts import Block, ReportText, template_report

# What a reader sees as the publication date, and the later day the CMS stamped in PubDate.
_SHOWN_OFFSET_DAYS = 14


@dataclass
class _Page:
    rt: ReportText
    path: str
    shown: date  # the 发布日期 on the page
    kind: str  # "stub", "blocks", "attlist" or "bare"
    file_path: str = ""


def _meta_date(d: date) -> str:
    return date.fromordinal(d.toordinal() + _SHOWN_OFFSET_DAYS).strftime("%Y-%m-%d %H:%M")


def _halves(rt: ReportText) -> tuple[str, str]:
    """The body as two HTML halves, cut before the section heading nearest the middle."""
    heads = [i for i, b in enumerate(rt.blocks) if b.kind == "heading"] or [len(rt.blocks) // 2]
    cut = heads[len(heads) // 2]
    first = ReportText(rt.title, rt.agency, rt.year, rt.family, rt.blocks[:cut], rt.written)
    second = ReportText(rt.title, rt.agency, rt.year, rt.family, rt.blocks[cut:], rt.written)
    return first.to_html("plain"), second.to_html("plain")


_POINTER = "现将《{title}》予以公布，全文见附件。"


def _stub_html(p: _Page, file_name: str) -> str:
    return (f"<p>{esc(_POINTER.format(title=p.rt.title))}</p>"
            f'<p>附件：<a href="{esc(p.file_path.rsplit("/", 1)[-1])}">{esc(file_name)}</a></p>')


def _attlist_html(p: _Page, style: str) -> str:
    name = f"{p.rt.year}年政府信息公开情况统计表.xlsx"
    href = esc(p.file_path.rsplit("/", 1)[-1])
    if style == "trs":
        tail = f'<p>附件：<a href="{href}">{esc(name)}</a></p>'
    elif style == "hanweb":
        tail = f'<p>相关附件：</p><p><a href="{href}">1. {esc(name)}</a> (12.5KB)</p>'
    else:
        tail = f'<div>附件下载</div><div><a href="{href}">{esc(name)}</a></div>'
    return p.rt.to_html("plain") + tail


def _expected(p: _Page) -> ExpectedDoc:
    exp = ExpectedDoc(path=p.path, is_report=True, title=p.rt.title, publish_date=p.shown.isoformat(),
                      written_date=p.rt.written.isoformat(), report_year=p.rt.year, agency=p.rt.agency,
                      body_text=p.rt.body_text())
    if p.kind in ("stub", "bare"):
        # the page's text is only a pointer: the report's text (and 成文日期) are the file's
        exp.source_format, exp.written_date = "docx", None
    return exp


# The "bare" page: its heading, list entry and file link name no report; only the file does.
BARE_TITLE = "{agency}信息公开事项"
_BARE_POINTER = "<p>现将有关信息予以公开，详见附件。</p><p>附件：<a href=\"{href}\">附件1</a></p>"


def _bare_html(p: _Page) -> str:
    return _BARE_POINTER.format(href=esc(p.file_path.rsplit("/", 1)[-1]))


def _shown_title(p: _Page) -> str:
    return BARE_TITLE.format(agency=p.rt.agency) if p.kind == "bare" else p.rt.title


def _pages(agency: str, folder: str, seed: int, stem: str, ext: str) -> list[_Page]:
    out = []
    for n, (kind, year) in enumerate((("stub", 2022), ("blocks", 2021), ("attlist", 2020), ("bare", 2019))):
        rt = template_report(agency, year, seed=seed + n)
        shown = date(year + 1, 1, 18 + n)
        path = f"{folder}{stem}{n + 1}.{ext}"
        file_ext = "xlsx" if kind in ("blocks", "attlist") else "docx"
        out.append(_Page(rt, path, shown, kind, f"{folder}P0{year + 1}0{n + 1}.{file_ext}"))
    return out


def _files(pages: list[_Page]) -> dict[str, Resource]:
    res: dict[str, Resource] = {}
    for p in pages:
        if p.kind in ("stub", "bare"):
            res[p.file_path] = Resource(report_docx(p.rt), "application/octet-stream")
        elif p.kind == "attlist":
            res[p.file_path] = Resource(report_xlsx(p.rt), "application/octet-stream")
    return res


def _list_page(title: str, pages: list[_Page], charset: str) -> str:
    items = "\n".join(f'<li><a href="{p.path.rsplit("/", 1)[-1]}">{esc(_shown_title(p))}</a>'
                      f"<span>{p.shown:%Y-%m-%d}</span></li>" for p in pages)
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>政府信息公开年报_{esc(title)}</title></head><body>"
            f'<div class="nav"><a href="/">首页</a></div><ul class="list">{items}</ul>'
            f'<div class="foot">主办单位：{esc(title)}办公室 网站标识码：3300000001</div></body></html>')


# --------------------------------------------------------------------------------------
# TRS, GBK


def _trs_article(site: str, p: _Page) -> str:
    name = {"stub": "（见标题）", "blocks": p.rt.title, "attlist": "详见正文", "bare": "见附件"}[p.kind]
    if p.kind == "bare":
        body = f'<div class="TRS_Editor">{_bare_html(p)}</div>'
    elif p.kind == "stub":
        body = f'<div class="TRS_Editor">{_stub_html(p, p.rt.title + ".docx")}</div>'
    elif p.kind == "blocks":
        one, two = _halves(p.rt)
        body = (f'<div class="TRS_Editor">{one}</div>'
                '<p style="text-align:center"><img src="/images/qrcode.png" alt="二维码"></p>'
                f'<div class="TRS_Editor">{two}</div>')
    else:
        body = f'<div class="TRS_Editor">{_attlist_html(p, "trs")}</div>'
    rows = [("索 引 号：", f"11330000002482/{p.shown.year}-0000{p.rt.year % 10}", "主题分类：", "政务公开"),
            ("发布机构：", p.rt.agency, "发布日期：", f"{p.shown:%Y-%m-%d}"),
            ("名　　称：", name, "文　　号：", "无")]
    table = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"""<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<meta name="SiteName" content="{esc(site)}"><meta name="PubDate" content="{_meta_date(p.shown)}">
<title>{esc(_shown_title(p))}_{esc(site)}</title></head><body>
<div class="top">无障碍 | 长者模式</div><div class="position">当前位置：首页 &gt; 政府信息公开年报</div>
<table class="xxgk_table">{table}</table>
<div class="article"><div class="article_title">{esc(_shown_title(p))}</div>
<div class="article_con">{body}</div>
<div class="tools">【字体：大 中 小】 打印本页 关闭窗口</div></div>
<div class="foot">主办单位：{esc(site)}办公室 网站标识码：3302000001 浙ICP备12003456号</div>
</body></html>"""


def trs_variants_site(seed: int = 1301) -> Site:
    """TRS column (GBK): placeholder xxgk table, two ``TRS_Editor`` blocks, an attachment line."""
    site, folder = "临川市人民政府", "/xxgk/nb/"
    pages = _pages("临川市人民政府办公室", folder, seed, "t2023011", "html")
    res = {p.path: Resource(_trs_article(site, p).encode("gbk"), "text/html") for p in pages}
    res.update(_files(pages))
    res[folder + "index.html"] = Resource(_list_page(site, pages, "gb2312").encode("gbk"), "text/html")
    return Site("variants-trs", site, res, folder + "index.html", [_expected(p) for p in pages], "gbk")


# --------------------------------------------------------------------------------------
# Hanweb, UTF-8


def _hanweb_article(site: str, p: _Page) -> str:
    name = {"stub": "详见正文", "blocks": "/", "attlist": "", "bare": "无"}[p.kind]
    if p.kind == "bare":
        body = f'<div class="article_content">{_bare_html(p)}</div>'
    elif p.kind == "stub":
        body = f'<div class="article_content">{_stub_html(p, p.rt.title + ".docx")}</div>'
    elif p.kind == "blocks":
        one, two = _halves(p.rt)
        body = (f'<div class="article_content">{one}</div><div class="page-break" style="page-break-after:always">'
                f'</div><div class="article_content">{two}</div>')
    else:
        body = f'<div class="article_content">{_attlist_html(p, "hanweb")}</div>'
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="PubDate" content="{_meta_date(p.shown)}"><meta name="ColumnName" content="年度报告">
<title>{esc(_shown_title(p))}-{esc(site)}</title></head><body>
<div class="header">{esc(site)}</div><div class="crumb">您的位置：首页 &gt; 信息公开 &gt; 年度报告</div>
<ul class="xxgk_info"><li>名　　称：{esc(name)}</li><li>发文机关：{esc(p.rt.agency)}</li>
<li>成文日期：{p.rt.written:%Y-%m-%d}</li><li>文　　号：—</li></ul>
<div class="main"><h2 class="title">{esc(_shown_title(p))}</h2>
<div class="info">发布时间：{p.shown:%Y-%m-%d} 10:30 来源：{esc(p.rt.agency)} 浏览次数：<span>128</span></div>
<div id="zoomcon">{body}</div></div>
<div class="footer">主办：{esc(site)}办公室 网站标识码：3301000002 浙公网安备 33010002000111号</div>
</body></html>"""


def hanweb_variants_site(seed: int = 1311) -> Site:
    """Hanweb column (UTF-8): placeholder ``<li>`` fields, blocks split by a page break."""
    site, folder = "青阳县人民政府", "/col/col1311/"
    pages = _pages("青阳县人民政府办公室", folder, seed, "art_1311_", "html")
    res = {p.path: Resource(_hanweb_article(site, p).encode("utf-8"), "text/html; charset=utf-8")
           for p in pages}
    res.update(_files(pages))
    res[folder + "index.html"] = Resource(_list_page(site, pages, "utf-8").encode("utf-8"),
                                          "text/html; charset=utf-8")
    return Site("variants-hanweb", site, res, folder + "index.html", [_expected(p) for p in pages])


# --------------------------------------------------------------------------------------
# Home-made table layout, GBK


def _table_article(site: str, p: _Page) -> str:
    name = {"stub": "—", "blocks": "见标题", "attlist": "（详见正文）", "bare": "/"}[p.kind]
    if p.kind == "bare":
        rows = f'<tr><td><div class="news_content">{_bare_html(p)}</div></td></tr>'
    elif p.kind == "stub":
        rows = f'<tr><td><div class="news_content">{_stub_html(p, p.rt.title + ".docx")}</div></td></tr>'
    elif p.kind == "blocks":
        one, two = _halves(p.rt)
        rows = (f'<tr><td><div class="news_content">{one}</div></td></tr>'
                '<tr><td align="center"><img src="/images/ewm.jpg" width="120"></td></tr>'
                f'<tr><td><div class="news_content">{two}</div></td></tr>')
    else:
        rows = f'<tr><td><div class="news_content">{_attlist_html(p, "table")}</div></td></tr>'
    shown = f"{p.shown.year}年{p.shown.month}月{p.shown.day}日"
    return f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">
<meta name="pubdate" content="{_meta_date(p.shown)}">
<title>{esc(site)}--{esc(_shown_title(p))}</title></head><body>
<table width="980" align="center"><tr><td class="banner">{esc(site)}欢迎您</td></tr>
<tr><td class="lm">当前位置：首页 &gt;&gt; 政务公开</td></tr>
<tr><td><table width="100%">
<tr><td class="bt" align="center"><b>{esc(_shown_title(p))}</b></td></tr>
<tr><td class="xx">标题：{esc(name)}　发布机构：{esc(p.rt.agency)}　公开日期：{shown}</td></tr>
{rows}
<tr><td align="right">【<a href="javascript:window.print()">打印</a>】
【<a href="javascript:window.close()">关闭</a>】</td></tr>
</table></td></tr>
<tr><td class="copy">版权所有：{esc(site)} 技术支持：某某网络公司 赣ICP备08001234号</td></tr></table>
</body></html>"""


def table_variants_site(seed: int = 1321) -> Site:
    """Home-made table layout (GBK): one labelled line, ``news_content`` blocks in table rows."""
    site, folder = "石桥镇人民政府", "/zwgk/ndbg/"
    pages = _pages("石桥镇人民政府", folder, seed, "show", "asp")
    res = {p.path: Resource(_table_article(site, p).encode("gbk"), "text/html; charset=gbk") for p in pages}
    res.update(_files(pages))
    res[folder + "index.html"] = Resource(_list_page(site, pages, "gbk").encode("gbk"), "text/html")
    return Site("variants-table", site, res, folder + "index.html", [_expected(p) for p in pages], "gbk")


def report_variant_sites() -> list[Site]:
    """The three sites above: 12 reports, each family in TRS, Hanweb and home-made markup."""
    return [trs_variants_site(), hanweb_variants_site(), table_variants_site()]


__all__ = ["Block", "report_variant_sites", "trs_variants_site", "hanweb_variants_site", "table_variants_site"]

"""Demo columns paged by a 下一页 control that only a script follows (issue 13, family 5).

No ``<a href>`` pager, no XHR: the next page's URL is computed in a click handler. Three builds:

- :func:`trs_button_site` (GBK): ``<button onclick="location.href='index_'+(cur)+'.html'">``
  under "第1/3页", TRS-style static pages ``index.html``, ``index_1.html``, ``index_2.html``.
- :func:`hanweb_span_site` (UTF-8): ``<span class="next" onclick="goPage(2)">下一页</span>``
  whose function sets ``window.location.href = '?page=' + n``, under "当前第1页 共3页".
- :func:`table_input_site` (GBK): ``<input type="button" value="下一页"
  onclick="window.open('list.asp?p=2', '_self')">`` in a home-made table, under "1/3页".

Each page lists two reports (server-rendered links); the last page keeps its button disabled or
drops it. A plain-HTTP crawl sees only page 1; the browser clicks and is told where it leads.
"""

from __future__ import annotations

from datetime import date

from demo.chrome import esc
from demo.server import ExpectedDoc, Resource, Site
from demo.texts import template_report

PAGES = 3
PER_PAGE = 2


def _article(site: str, title: str, body_html: str, shown: date, charset: str) -> str:
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
            f"<title>{esc(title)}_{esc(site)}</title></head><body><div class=\"position\">当前位置：首页</div>"
            f'<h1>{esc(title)}</h1><div class="info">发布日期：{shown:%Y-%m-%d}</div>'
            f'<div class="TRS_Editor">{body_html}</div><div class="foot">网站标识码：3300000009</div></body></html>')


def _build(name: str, site: str, agency: str, folder: str, seed: int, charset: str, encoding: str,
           page_path, pager, list_shell) -> Site:  # noqa: ANN001 - small local builders
    res: dict[str, Resource] = {}
    expected: list[ExpectedDoc] = []
    ctype = f"text/html; charset={charset}"
    for k in range(PAGES):
        items = []
        for j in range(PER_PAGE):
            n = k * PER_PAGE + j
            rt = template_report(f"{agency}第{n + 1}分局", 2016 + n, seed=seed + n)
            shown = date(2017 + n, 1, 10 + n)
            path = f"{folder}art/{n + 1:03d}.html"
            res[path] = Resource(_article(site, rt.title, rt.to_html("plain"), shown, charset).encode(encoding),
                                 ctype)
            expected.append(ExpectedDoc(path=path, is_report=True, title=rt.title, publish_date=shown.isoformat(),
                                        report_year=rt.year, agency=rt.agency, body_text=rt.body_text()))
            items.append(f'<li><a href="art/{n + 1:03d}.html">{esc(rt.title)}</a><span>{shown:%Y-%m-%d}</span></li>')
        html = list_shell("\n".join(items), pager(k))
        res[page_path(k)] = Resource(html.encode(encoding), ctype)
    return Site(name, site, res, page_path(0), expected, encoding)


def trs_button_site(seed: int = 5101) -> Site:
    site, folder = "东林市人民政府", "/xxgk/nb/"

    def page_path(k: int) -> str:
        return f"{folder}index.html" if k == 0 else f"{folder}index_{k}.html"

    def pager(k: int) -> str:
        nxt = ("<button disabled>下一页</button>" if k + 1 == PAGES else
               "<button type=\"button\" onclick=\"location.href='index_'+(cur)+'.html'\">下一页</button>")
        return (f"<script>var cur = {k + 1};</script><div class=\"page\">共{PAGES * PER_PAGE}条 "
                f"第{k + 1}/{PAGES}页 {nxt}</div>")

    def shell(items: str, pager_html: str) -> str:
        return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
                f"<title>政府信息公开年报_{site}</title></head><body><div class=\"nav\"><a href=\"/\">首页</a></div>"
                f'<div class="list"><ul>{items}</ul></div>{pager_html}</body></html>')

    return _build("button-trs", site, "东林市", folder, seed, "gb2312", "gbk", page_path, pager, shell)


def hanweb_span_site(seed: int = 5201) -> Site:
    site, folder = "南岭县人民政府", "/col/col5201/"

    def page_path(k: int) -> str:
        return f"{folder}index.html" if k == 0 else f"{folder}index.html?page={k + 1}"

    def pager(k: int) -> str:
        nxt = "" if k + 1 == PAGES else f'<span class="next" onclick="goPage({k + 2})">下一页</span>'
        return (f'<div class="pager">当前第{k + 1}页 共{PAGES}页 {nxt}</div>'
                "<script>function goPage(n) { window.location.href = '?page=' + n; }</script>")

    def shell(items: str, pager_html: str) -> str:
        return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>年度报告-{site}</title></head><body>'
                f'<div class="crumb">您的位置：首页 &gt; 年度报告</div><ul class="xxgk_list">{items}</ul>'
                f"{pager_html}</body></html>")

    return _build("span-hanweb", site, "南岭县", folder, seed, "utf-8", "utf-8", page_path, pager, shell)


def table_input_site(seed: int = 5301) -> Site:
    site, folder = "北坪镇人民政府", "/zwgk/"

    def page_path(k: int) -> str:
        return f"{folder}list.asp" if k == 0 else f"{folder}list.asp?p={k + 1}"

    def pager(k: int) -> str:
        nxt = ("" if k + 1 == PAGES else
               f"<input type=\"button\" value=\"下一页\" onclick=\"window.open('list.asp?p={k + 2}', '_self')\">")
        return f'<tr><td align="center">{k + 1}/{PAGES}页 {nxt}</td></tr>'

    def shell(items: str, pager_html: str) -> str:
        return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
                f"<title>{site}--政务公开</title></head><body><table width=\"900\"><tr><td>{site}</td></tr>"
                f"<tr><td><ul>{items}</ul></td></tr>{pager_html}</table></body></html>")

    return _build("input-table", site, "北坪镇", folder, seed, "gbk", "gbk", page_path, pager, shell)


def script_pager_sites() -> list[Site]:
    """The three columns above: 6 reports each, over three pages only a script pages through."""
    return [trs_button_site(), hanweb_span_site(), table_input_site()]

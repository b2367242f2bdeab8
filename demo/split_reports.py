"""Demo sites whose annual report is cut over pages and whose FIRST page alone is no report.

Issue 13: the first page of a split article often carries only the heading, an intro and the
first statistics grid under a generic title ("政务公开工作情况"); read alone it is no report, and
its grids used to be dropped before the pages were joined. Each site lists one such article:

- :func:`trs_utf8_site`: TRS, UTF-8, ``t2023_1.html`` + ``t2023_1_1.html`` + ``t2023_1_2.html``
  named by ``createPageHTML(3, k, "t2023_1", "html")``; 表二 (主动公开) on the first page.
- :func:`trs_gbk_site`: the same TRS markup served in GBK (``charset=gb2312``) over two pages,
  with 表二 split across them: its header and 规章 row first, 行政规范性文件 on page two.
- :func:`zoom_site`: a home-made ``<div id="zoom">`` template with no page script, only a
  "1 2 下一页" row linking ``content_88_1.html``.

:data:`EXPECTED` gives, per site name, the first page's path, the text every page must bring
into the joined body, and the 表二 cells (row, column, value) the statistics must hold.
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass

from demo.server import ExpectedDoc, Resource, Site

esc = _html.escape

TITLE = "江州市水利局政务公开工作情况"  # generic: names no annual report
FOLDER = "/xxgk/gkgz/"
_INTRO = "<p>江州市水利局认真贯彻落实上级部署，现将有关工作情况通报如下。</p>"
_HEAD_T2 = ("<tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>")
_ROW_RULES = "<tr><td>规章</td><td>2</td><td>0</td><td>15</td></tr>"
_ROW_NORMS = "<tr><td>行政规范性文件</td><td>7</td><td>1</td><td>40</td></tr>"
_T2_LABEL = "<p>二、主动公开政府信息情况</p>"
# Only the later pages say what the article is: the whole reads as a report, the first does not.
_REPORT_SENTENCE = ("<p>本报告根据《中华人民共和国政府信息公开条例》编制，"
                    "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等。</p>")
_APPLICATIONS = ("<p>三、收到和处理政府信息公开申请情况</p>"
                 "<p>本年度共收到政府信息公开申请12件，均已按时答复。</p>")
_CLOSING = "<p>四、存在的主要问题及改进情况</p><p>下一步将进一步加强政务公开工作。</p>"


def _table(*rows: str) -> str:
    return "<table border='1'>" + "".join(rows) + "</table>"


@dataclass
class Expected:
    """What the crawl must archive for a site's split report."""

    path: str
    pieces: tuple[str, ...]  # text from every page, all of which the joined body holds
    cells: tuple[tuple[str, str, int], ...] = (("规章", "本年制发件数", 2), ("规章", "现行有效件数", 15),
                                               ("行政规范性文件", "本年制发件数", 7),
                                               ("行政规范性文件", "现行有效件数", 40))


EXPECTED: dict[str, Expected] = {}
_PIECES = ("现将有关工作情况通报如下", "本报告根据《中华人民共和国政府信息公开条例》编制",
           "本年度共收到政府信息公开申请12件", "下一步将进一步加强政务公开工作")


def _page(body: str, charset: str, container: str, pager: str = "") -> str:
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta name="ArticleTitle" content="{esc(TITLE)}"><meta name="PubDate" content="2024-01-20 09:00">
<title>{esc(TITLE)}_江州市人民政府</title></head>
<body><div class="top">江州市人民政府 | 首页 | 政务公开</div>
<div class="article"><h1>{esc(TITLE)}</h1>
<div class="info">发布日期：2024-01-20　来源：江州市水利局</div>
{container.format(body=body)}
{pager}</div>
<div class="foot">主办单位：江州市人民政府办公室</div></body></html>"""


def _list(items: list[tuple[str, str]], charset: str) -> str:
    lis = "\n".join(f'<li><a href="{href}" title="{esc(title)}">{esc(title)}</a><span>2024-01-20</span></li>'
                    for href, title in items)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>工作动态_江州市人民政府</title></head>
<body><div class="list"><ul>
{lis}
</ul></div></body></html>"""


def _trs_pager(stem: str, page: int, pages: int) -> str:
    return (f'<div class="page_fy"><script type="text/javascript">var currentPage = {page};'
            f'createPageHTML({pages}, {page}, "{stem}", "html");</script></div>')


def _site(name: str, bodies: list[str], names: list[str], charset: str, container: str,
          pagers: list[str]) -> Site:
    encoding = "gbk" if charset == "gb2312" else "utf-8"
    content_type = f"text/html; charset={charset}"
    res = {FOLDER + n: Resource(_page(b, charset, container, p).encode(encoding), content_type)
           for b, n, p in zip(bodies, names, pagers)}
    res[FOLDER + "index.html"] = Resource(_list([(names[0], TITLE)], charset).encode(encoding), content_type)
    path = FOLDER + names[0]
    EXPECTED[name] = Expected(path, _PIECES)
    doc = ExpectedDoc(path, True, TITLE, "2024-01-20", report_year=2023)
    return Site(name, "江州市人民政府", res, FOLDER + "index.html", [doc], encoding)


_TRS = '<div class="article_con"><div class="TRS_Editor">{body}</div></div>'


def trs_utf8_site() -> Site:
    """TRS (UTF-8), three pages; the first has the heading, the intro and 表二 only."""
    bodies = [_INTRO + _T2_LABEL + _table(_HEAD_T2, _ROW_RULES, _ROW_NORMS),
              "<p>一、总体情况</p>" + _REPORT_SENTENCE + "<p>2023年度政府信息公开工作有序开展。</p>",
              _APPLICATIONS + _CLOSING]
    return _site("split-trs-utf8", bodies, ["t2023_1.html", "t2023_1_1.html", "t2023_1_2.html"],
                 "utf-8", _TRS, [_trs_pager("t2023_1", k, 3) for k in range(3)])


def trs_gbk_site() -> Site:
    """TRS (GBK), two pages; 表二 split across them."""
    bodies = [_INTRO + _T2_LABEL + _table(_HEAD_T2, _ROW_RULES),
              _table(_ROW_NORMS) + _REPORT_SENTENCE + "<p>2023年度政府信息公开工作有序开展。</p>"
              + _APPLICATIONS + _CLOSING]
    return _site("split-trs-gbk", bodies, ["t2023_1.html", "t2023_1_1.html"], "gb2312", _TRS,
                 [_trs_pager("t2023_1", k, 2) for k in range(2)])


def zoom_site() -> Site:
    """Home-made ``div#zoom`` template, two pages linked only by a "1 2 下一页" row."""
    bodies = [_INTRO + _T2_LABEL + _table(_HEAD_T2, _ROW_RULES, _ROW_NORMS),
              _REPORT_SENTENCE + "<p>2023年度政府信息公开工作有序开展。</p>" + _APPLICATIONS + _CLOSING]
    pagers = ['<div class="pages">1 <a href="content_88_1.html">2</a> <a href="content_88_1.html">下一页</a></div>',
              '<div class="pages"><a href="content_88.html">上一页</a> <a href="content_88.html">1</a> 2</div>']
    return _site("split-zoom", bodies, ["content_88.html", "content_88_1.html"], "utf-8",
                 '<div id="zoom">{body}</div>', pagers)


def sites() -> list[Site]:
    """The three split-report sites."""
    return [trs_utf8_site(), trs_gbk_site(), zoom_site()]

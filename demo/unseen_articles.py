"""Demo sites whose ARTICLE pages are built in ways the other demo sites do not imitate.

Second exploratory QA round (the first, demo/unseen.py, varied list pages and encodings):

- :func:`trs_split_site`: a TRS column (GBK) whose 2021 report is cut over three article pages
  ``t20220118_712301.html``, ``…_1.html``, ``…_2.html`` (TRS article pagination: a
  ``createPageHTML(3, k, "t20220118_712301", "html")`` call under the body and a "1 2 3 下一页"
  row inside it), and whose 2020 report is only scanned images in ``div.TRS_Editor``.
- :func:`sidebar_site`: an unknown template (density fallback) with a two-column layout: a
  left column of 机构职能 prose (many Chinese-punctuated sentences) beside a short body; the
  site name in ``<h1>``, the title only in ``<meta name="ArticleTitle">`` and
  ``<h2 class="title">`` (split by ``<br>`` on one page, with a subtitle line on another);
  datelines "发布时间：2021-01-15 10:30:00", "2021年01月15日 10:30" and "日期：2021/3/1"; a
  "网友留言" block with comments below the body; the report year only as "（2020年度）".
- :func:`word_soup_site`: bodies pasted from Word (``MsoNormal``, ``<o:p>``, ``<font>``,
  ``&nbsp;`` indents), a legacy report typed into ``<pre>`` with full-width indents whose title
  has no year (only its text says "2018年政府信息公开工作年度报告"), datelines "时间：2021.01.15"
  and a signature dated "二〇二一年一月十五日"; the 2019/2021 statistics tables carry
  rowspan/colspan.

Each site's ``expected`` says what must be archived. Report-level extras the shared ExpectedDoc
has no field for are in :data:`NOTES` (keyed by path).
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime

from demo import chrome as C
from demo.chrome import Chrome
from demo.decoy_texts import guide_text
from demo.server import ExpectedDoc, Resource, Site
from demo.sites import _Doc, _index_no
from demo.texts import Block, ReportText, nfkc, template_report

esc = C.esc

# What a report page must also give beyond ExpectedDoc: "pages" (its continuation pages, in
# order), "images" (scan images of an image-only report), "subtitle" (a line that is not body).
NOTES: dict[str, dict[str, object]] = {}

_CN = "〇一二三四五六七八九"


def cn_numeral_date(d: date) -> str:
    """A signature date in Chinese numerals: 2021-01-15 -> "二〇二一年一月十五日"."""
    def small(n: int) -> str:
        if n < 10:
            return _CN[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")

    return "".join(_CN[int(c)] for c in str(d.year)) + f"年{small(d.month)}月{small(d.day)}日"


def _footer(ch: Chrome) -> str:
    return (f'<div class="foot"><p>主办单位：{esc(ch.org)}　承办单位：{esc(ch.undertaker)}</p>'
            f"<p>网站标识码：{ch.site_code}　{esc(ch.icp)}　{esc(ch.gongan)}</p></div>")


def _simple_list(ch: Chrome, docs: list[_Doc], charset: str, date_fmt: str = "%Y-%m-%d") -> str:
    lis = "\n".join(f'<li><a href="{d.href}" target="_blank" title="{esc(d.title)}">'
                    f'{esc(d.title if len(d.title) <= 24 else d.title[:22] + "…")}</a>'
                    f"<span>{d.pub.strftime(date_fmt)}</span></li>" for d in docs)
    return f"""<!DOCTYPE html>
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{ch.column}_{ch.site_title}</title></head>
<body>
{C.top_bar(ch)}
{C.nav(ch)}
<div class="w1200">{C.breadcrumb(ch)}
<div class="list"><ul>
{lis}
</ul></div></div>
{_footer(ch)}
</body></html>"""


# --------------------------------------------------------------------------------------
# 1. TRS: a report over three article pages, a report of scanned images only

SPLIT_CHROME = Chrome(
    site_title="清河市人民政府", domain="www.qinghe.gov.cn", org="清河市人民政府办公室",
    undertaker="清河市大数据中心", tech="清河市信息中心", site_code="3211000011",
    icp="苏ICP备11002233号", gongan="苏公网安备 32110002000444号",
    address="清河市府前街1号", column="政府信息公开年报", column_href="/xxgk/xxgknb/index.html")
SPLIT_FOLDER = "/xxgk/xxgknb/"


def _split_blocks(blocks: list[Block], parts: int) -> list[list[Block]]:
    """Cut a body where an editor inserts TRS page breaks: before section headings."""
    heads = [i for i, b in enumerate(blocks) if b.kind == "heading"]
    cuts = [heads[len(heads) * k // parts] for k in range(1, parts)]
    bounds = [0, *cuts, len(blocks)]
    return [blocks[a:b] for a, b in zip(bounds, bounds[1:])]


def _trs_article(ch: Chrome, d: _Doc, body_html: str, *, stem: str = "", page: int = 0,
                 pages: int = 1) -> str:
    pub = f"{d.pub:%Y-%m-%d %H:%M}"
    meta = {"SiteName": ch.site_title, "ColumnName": ch.column, "ArticleTitle": d.title,
            "PubDate": pub, "ContentSource": d.source}
    pager = ""
    if pages > 1:
        def href(k: int) -> str:
            return f"{stem}.html" if k == 0 else f"{stem}_{k}.html"

        nums = " ".join(str(k + 1) if k == page else f'<a href="{href(k)}">{k + 1}</a>' for k in range(pages))
        prev = f'<a href="{href(page - 1)}">上一页</a> ' if page else ""
        nxt = f' <a href="{href(page + 1)}">下一页</a>' if page + 1 < pages else ""
        # TRS writes the page row into the content block and the script call below it
        body_html += f'\n<div style="text-align:center" class="fy_nr">{prev}{nums}{nxt}</div>'
        pager = f"""<div class="page_fy"><script type="text/javascript">
var currentPage = {page};//所在页从0开始
var countPage = {pages};//共多少页
createPageHTML({pages}, {page}, "{stem}", "html");
</script></div>"""
    xxgk = [("索 引 号：", d.index_no or ""), ("发布机构：", d.agency or ""),
            ("发布日期：", f"{d.pub:%Y-%m-%d}"), ("文　　号：", d.doc_number or "")]
    return f"""{C.head(ch, f"{d.title}_{ch.site_title}", charset="gb2312", meta=meta, xhtml=True)}
<body>
{C.top_bar(ch)}
{C.header(ch)}
{C.nav(ch)}
<div class="w1200">
{C.breadcrumb(ch)}
{C.xxgk_table(ch, xxgk)}
<div class="article">
<div class="article_title">{esc(d.title)}</div>
<div class="article_info">{C.font_sizer(ch)}</div>
<div class="article_con"><div class="TRS_Editor">{body_html}</div></div>
{pager}
{C.print_close(ch)}
{C.qr_block(ch)}
</div></div>
{C.footer(ch)}
</body></html>"""


def trs_split_site(*, seed: int = 3211) -> Site:
    """TRS column: a 2021 report over three article pages, a 2020 report of scans, a 2019 one
    on one page, and a 指南."""
    rng = random.Random(seed)
    ch = SPLIT_CHROME
    codes: dict[str, str] = {}
    split_rt = template_report("清河市人民政府", 2021, seed=seed, site=ch.site_title)
    scan_rt = template_report("清河市交通运输局", 2020, seed=seed + 1, site=ch.site_title)
    one_rt = template_report("清河市审计局", 2019, seed=seed + 2, site=ch.site_title)
    docs = [
        _Doc(split_rt, "", datetime(2022, 1, 18, 9, 40), True, split_rt.agency, split_rt.agency, style="word"),
        _Doc(scan_rt, "", datetime(2021, 3, 5, 16, 20), True, scan_rt.agency, scan_rt.agency),
        _Doc(one_rt, "", datetime(2020, 1, 21, 11, 5), True, one_rt.agency, one_rt.agency, style="plain"),
        _Doc(guide_text("清河市人民政府", 2021), "", datetime(2021, 6, 2, 10, 0), False,
             "清河市人民政府", "清河市人民政府"),
    ]
    res: dict[str, Resource] = {}
    expected: list[ExpectedDoc] = []
    for n, d in enumerate(docs):
        stem = f"t{d.pub:%Y%m%d}_{712301 + n * 37}"
        d.path = f"{SPLIT_FOLDER}{d.pub:%Y%m}/{stem}.html"
        d.href = f"./{d.pub:%Y%m}/{stem}.html"
        d.index_no = _index_no(codes, rng, d.agency or "", d.pub.year)
        exp = d.expected()
        if d.rt is split_rt:
            parts = _split_blocks(split_rt.blocks, 3)
            paths = [d.path] + [f"{SPLIT_FOLDER}{d.pub:%Y%m}/{stem}_{k}.html" for k in (1, 2)]
            for k, (part, path) in enumerate(zip(parts, paths)):
                html = "\n".join(replace(split_rt, blocks=part).to_html(d.style).split("\n"))
                res[path] = Resource(_trs_article(ch, d, html, stem=stem, page=k, pages=3).encode("gbk"),
                                     "text/html")
            NOTES[d.path] = {"pages": paths[1:], "page_bodies": [replace(split_rt, blocks=p).body_text()
                                                                 for p in parts]}
        elif d.rt is scan_rt:
            images = [f"./W{d.pub:%Y%m%d}{531000 + k}.jpg" for k in range(1, 6)]
            html = "\n".join(f'<p style="text-align:center"><img src="{src}" width="600" border="0" '
                             f'OLDSRC="{src[2:]}" /></p>' for src in images)
            res[d.path] = Resource(_trs_article(ch, d, html).encode("gbk"), "text/html")
            for src in images:
                res[f"{SPLIT_FOLDER}{d.pub:%Y%m}/{src[2:]}"] = Resource(b"\xff\xd8\xff\xe0 not a real scan",
                                                                       "image/jpeg")
            # nothing to read on the page: the report is flagged as a stub of its scans
            exp = replace(exp, body_text="", source_format="html-stub")
            NOTES[d.path] = {"images": [f"{SPLIT_FOLDER}{d.pub:%Y%m}/{src[2:]}" for src in images]}
        else:
            res[d.path] = Resource(_trs_article(ch, d, d.rt.to_html(d.style)).encode("gbk"), "text/html")
        expected.append(exp)
    res[SPLIT_FOLDER + "index.html"] = Resource(_simple_list(ch, docs, "gb2312").encode("gbk"),
                                                "text/html; charset=gb2312")
    return Site("trs-split", ch.site_title, res, SPLIT_FOLDER + "index.html", expected, "gbk")


# --------------------------------------------------------------------------------------
# 2. Two-column unknown template: prose sidebar, h1 site name, h2 title, comments below

SIDEBAR_CHROME = Chrome(
    site_title="松阳县人民政府", domain="www.songyang-x.gov.cn", org="松阳县人民政府办公室",
    undertaker="松阳县融媒体中心", tech="松阳县信息中心", site_code="3311240003",
    icp="浙ICP备13004455号", gongan="浙公网安备 33112402000555号",
    address="松阳县长松路1号", column="政府信息公开年报", column_href="/zfxxgk/nb/list.html")
SIDEBAR_FOLDER = "/zfxxgk/nb/"

# The left column of 政府信息公开 pages on this template: the agency's functions as prose,
# more sentences than a short report has.
_FUNCTIONS = (
    "贯彻执行国家、省、市有关法律法规和方针政策，拟订全县相关领域的发展规划和政策措施，并组织实施。",
    "负责统筹协调全县政务公开工作，指导、监督各乡镇人民政府和县政府各部门做好政府信息公开工作。",
    "负责县政府门户网站的建设和管理，推进政府信息资源共享和开放，提升政务服务水平。",
    "承担县政府信息公开申请的受理、登记、办理和答复工作，依法保障公民、法人和其他组织的知情权。",
    "组织开展政务公开工作培训、考核和评议，推动政务公开标准化、规范化建设。",
    "完成县委、县政府交办的其他任务，做好职责范围内的安全生产、生态环境保护和保密工作。",
)
_COMMENTS = (
    ("网友134****2210", "2021-01-20 09:12", "请问依申请公开的办理时限是多少个工作日？希望能在报告中写明。"),
    ("网友fz_lee", "2021-01-22 15:40", "报告内容很详细，建议把统计表格做成可下载的格式，方便查阅。"),
)


def _short_report(agency: str, year: int, written: date) -> ReportText:
    """A short free-form report of a small agency: five paragraphs and a signature."""
    paras = [
        ("para", f"根据《中华人民共和国政府信息公开条例》规定，现公布{agency}{year}年度政府信息公开工作情况。"),
        ("heading", "一、主动公开情况"),
        ("para", f"{year}年，我局通过县政府门户网站主动公开政府信息46条，其中机构职能类8条、"
                 "工作动态类31条、财政预决算类7条。"),
        ("heading", "二、依申请公开情况"),
        ("para", "全年共收到政府信息公开申请2件，均已按期答复，未发生行政复议和行政诉讼案件。"),
        ("heading", "三、存在的问题和改进措施"),
        ("para", "公开内容的及时性仍有不足。下一步，我局将加强信息审核，提高公开质量。"),
        ("sign", agency),
        ("sign", f"{written.year}年{written.month}月{written.day}日"),
    ]
    blocks = [Block(kind, nfkc(text)) for kind, text in paras]
    return ReportText(nfkc(f"{agency}{year}年度政府信息公开工作报告"), agency, year, "legacy", blocks, written)


def _sidebar_article(ch: Chrome, d: _Doc, *, title_html: str, meta_title: bool, dateline: str,
                     subtitle: str = "", comments: bool = False) -> str:
    metas = f'<meta name="ArticleTitle" content="{esc(d.title)}">' if meta_title else ""
    side = "".join(f"<p>{esc(s)}</p>" for s in _FUNCTIONS)
    talk = ""
    if comments:
        items = "".join(f'<li><div class="pl-user">{esc(u)}<span>{t}</span></div>'
                        f'<div class="pl-txt">{esc(x)}</div></li>' for u, t, x in _COMMENTS)
        talk = (f'<div class="liuyan"><h4>网友留言（{len(_COMMENTS)}）</h4><ul>{items}</ul>'
                '<div class="ly-form"><p>我要留言：</p><p>请文明上网，理性发言，留言经审核后发布。</p>'
                '<a href="javascript:;" class="btn">提交留言</a></div></div>')
    sub = f'<p class="fbt">{esc(subtitle)}</p>' if subtitle else ""
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8">{metas}
<title>{ch.site_title}</title></head>
<body>
<div class="site-top"><h1 class="site-name">{esc(ch.site_title)}</h1>
<div class="site-links"><a href="/">首页</a> <a href="/zfxxgk/">政府信息公开</a>
<a href="/hdjl/">互动交流</a></div></div>
<div class="dq">您的位置：<a href="/">首页</a> &gt; <a href="{ch.column_href}">{ch.column}</a></div>
<div class="con-wrap">
<div class="con-left"><div class="jgzn"><h3>机构职能</h3>{side}</div>
<div class="lxfs"><h3>联系方式</h3><p>办公地址：{esc(ch.address)}。</p>
<p>办公时间：工作日上午8:30至12:00，下午14:30至17:30。</p></div></div>
<div class="con-right">
<h2 class="title">{title_html}</h2>{sub}
<div class="info">{dateline}</div>
<div class="detail">
{d.rt.to_html(d.style)}
</div>
{talk}
<div class="gj">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</div>
</div></div>
{_footer(ch)}
</body></html>"""


def sidebar_site(*, seed: int = 3311) -> Site:
    """Unknown template, two columns; three reports and a 指南."""
    rng = random.Random(seed)
    ch = SIDEBAR_CHROME
    short = _short_report("松阳县审计局", 2020, date(2021, 1, 14))
    br_rt = template_report("松阳县司法局", 2020, seed=seed, site=ch.site_title)
    br_rt = replace(br_rt, title="松阳县司法局2020年政府信息公开工作年度报告")
    edu = template_report("松阳县教育局", 2020, seed=seed + 1, site=ch.site_title)
    edu = replace(edu, title="松阳县教育局政府信息公开工作年度报告（2020年度）")
    docs = [
        _Doc(short, "", datetime(2021, 1, 15, 10, 30), True, short.agency, short.agency, style="plain"),
        _Doc(br_rt, "", datetime(2021, 1, 15, 10, 30), True, br_rt.agency, br_rt.agency, style="div"),
        _Doc(edu, "", datetime(2021, 3, 1, 8, 50), True, edu.agency, edu.agency, style="plain"),
        _Doc(guide_text("松阳县人民政府", 2021), "", datetime(2021, 5, 6, 9, 0), False,
             "松阳县人民政府", "松阳县人民政府"),
    ]
    res: dict[str, Resource] = {}
    for n, d in enumerate(docs):
        d.path = f"{SIDEBAR_FOLDER}content_{4412 + n * 7}.html"
        d.href = f"content_{4412 + n * 7}.html"
    pages = [
        _sidebar_article(ch, docs[0], title_html=esc(short.title), meta_title=True,
                         dateline=f"发布时间：{docs[0].pub:%Y-%m-%d %H:%M}:00　来源：{short.agency}"),
        _sidebar_article(ch, docs[1], title_html="松阳县司法局<br/>2020年政府信息公开工作年度报告",
                         meta_title=False,
                         dateline=f"{docs[1].pub:%Y年%m月%d日 %H:%M}　　来源：{br_rt.agency}"
                                  f"　　浏览次数：{rng.randint(9, 99)}"),
        _sidebar_article(ch, docs[2], title_html=esc(edu.title), meta_title=False,
                         subtitle="——2021年3月1日在县政府门户网站发布",
                         dateline=f"日期：{docs[2].pub.year}/{docs[2].pub.month}/{docs[2].pub.day}"
                                  f"　来源：{edu.agency}",
                         comments=True),
        _sidebar_article(ch, docs[3], title_html=esc(docs[3].title), meta_title=True,
                         dateline=f"发布时间：{docs[3].pub:%Y-%m-%d %H:%M}:00"),
    ]
    for d, page in zip(docs, pages):
        res[d.path] = Resource(page.encode("utf-8"), "text/html; charset=utf-8")
    NOTES[docs[2].path] = {"subtitle": "——2021年3月1日在县政府门户网站发布"}
    res[SIDEBAR_FOLDER + "list.html"] = Resource(_simple_list(ch, docs, "utf-8").encode("utf-8"))
    return Site("sidebar", ch.site_title, res, SIDEBAR_FOLDER + "list.html", [d.expected() for d in docs])


# --------------------------------------------------------------------------------------
# 3. Word-paste soup, <pre> text, Chinese-numeral signature, year only in the text

SOUP_CHROME = Chrome(
    site_title="桐柏区人民政府", domain="www.tongbai-q.gov.cn", org="桐柏区人民政府办公室",
    undertaker="桐柏区政务服务中心", tech="桐柏区信息中心", site_code="4113300006",
    icp="豫ICP备14006677号", gongan="豫公网安备 41133002000666号",
    address="桐柏区淮源大道8号", column="政府信息公开年报", column_href="/xxgk/gknb/index.shtml")
SOUP_FOLDER = "/xxgk/gknb/"


def _soup_block(b: Block) -> str:
    """How Word 2010 pasted through an old eWebEditor looks: MsoNormal, <font>, &nbsp; indents."""
    if b.kind == "table" and b.table is not None:
        return C_TABLE(b)
    text = esc(b.text)
    if b.kind == "heading":
        return (f'<p class="MsoNormal" style="text-indent:32.0pt"><b><span style="font-family:黑体">'
                f'<font face="黑体" size="4">&nbsp;&nbsp;&nbsp;&nbsp;{text}</font></span></b><o:p></o:p></p>')
    if b.kind == "sign":
        return (f'<p class="MsoNormal" align="right" style="text-align:right"><span lang="EN-US">'
                f'<font face="仿宋_GB2312">{text}</font></span><o:p>&nbsp;</o:p></p>')
    return (f'<p class="MsoNormal" style="text-indent:32.0pt;mso-char-indent-count:2.0">'
            f'<span style="font-size:16.0pt;font-family:仿宋_GB2312">&nbsp;&nbsp;&nbsp;&nbsp;'
            f'<font face="仿宋_GB2312">{text}</font></span><span lang="EN-US"><o:p></o:p></span></p>')


def C_TABLE(b: Block) -> str:  # noqa: N802 - reads like the template helper it stands for
    return ReportText("", "", None, "", [b]).to_html("word")


def _soup_article(ch: Chrome, d: _Doc, body_html: str, info: str) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk">
<title>{esc(d.title)}-{ch.site_title}</title></head>
<body>
{C.top_bar(ch)}
{C.nav(ch)}
<div class="w1200">{C.breadcrumb(ch)}
<div class="article-box">
<div class="article-title"><h3>{esc(d.title)}</h3></div>
<div class="article-info">{info}　　{C.font_sizer(ch)}</div>
<div class="article-content">
{body_html}
</div>
{C.print_close(ch)}
{C.share(ch)}
</div></div>
{_footer(ch)}
</body></html>"""


def _pre_body(rt: ReportText) -> str:
    """The whole report typed into a <pre>: full-width indents, one line a paragraph."""
    lines = []
    for b in rt.blocks:
        if b.kind == "table" and b.table is not None:
            # a typed table: cells lined up with full-width spaces
            lines += ["\u3000\u3000".join(esc(c.text) for c in row) for row in b.table.rows]
        elif b.kind == "sign":
            lines.append("\u3000" * 16 + esc(b.text))
        elif b.kind == "heading":
            lines.append(esc(b.text))
        else:
            lines.append("\u3000\u3000" + esc(b.text))
    return "<pre>" + "\n".join(lines) + "\n</pre>"


def word_soup_site(*, seed: int = 4113) -> Site:
    """Word-paste 2021 report signed in Chinese numerals, a <pre> legacy report, a 2019 report."""
    rng = random.Random(seed)
    ch = SOUP_CHROME
    codes: dict[str, str] = {}
    word = template_report("桐柏区发展和改革委员会", 2021, seed=seed, site=ch.site_title)
    word.blocks[-1] = Block("sign", cn_numeral_date(word.written or date(2022, 1, 15)))
    legacy = template_report("桐柏区淮源街道办事处", 2018, seed=seed + 1, site=ch.site_title)
    legacy = replace(legacy, title="桐柏区淮源街道办事处政府信息公开工作年度报告", blocks=[
        Block("para", nfkc("根据《中华人民共和国政府信息公开条例》要求,现将本街道2018年政府信息公开工作"
                           "年度报告公布如下。")), *legacy.blocks])
    y2019 = template_report("桐柏区卫生健康委员会", 2019, seed=seed + 2, site=ch.site_title)
    docs = [
        _Doc(word, "", datetime(2022, 1, 15, 10, 30), True, word.agency, word.agency,
             written=(word.written or date(2022, 1, 15)).isoformat()),
        # published late, in July: the publish date alone would give 2019
        _Doc(legacy, "", datetime(2019, 7, 10, 15, 0), True, legacy.agency, legacy.agency,
             written=(legacy.written or date(2019, 1, 20)).isoformat()),
        _Doc(y2019, "", datetime(2020, 1, 16, 9, 15), True, y2019.agency, y2019.agency),
    ]
    infos = [
        f"时间：{docs[0].pub:%Y.%m.%d}　来源：{word.agency}",
        f"日期：{docs[1].pub.year}/{docs[1].pub.month}/{docs[1].pub.day}　发布单位：{legacy.agency}",
        f"发布时间：{docs[2].pub:%Y-%m-%d %H:%M:%S}　来源：{y2019.agency}　点击数：{rng.randint(5, 300)}",
    ]
    bodies = ["\n".join(_soup_block(b) for b in word.blocks), _pre_body(legacy), y2019.to_html("word")]
    res: dict[str, Resource] = {}
    for n, (d, info, body) in enumerate(zip(docs, infos, bodies)):
        d.path = f"{SOUP_FOLDER}{d.pub:%Y%m}/{9000 + n * 3}.shtml"
        d.href = d.path
        d.index_no = _index_no(codes, rng, d.agency or "", d.pub.year)
        res[d.path] = Resource(_soup_article(ch, d, body, info).encode("gbk"), "text/html; charset=gbk")
    res[SOUP_FOLDER + "index.shtml"] = Resource(_simple_list(ch, docs, "gbk", "%Y/%m/%d").encode("gbk"),
                                                "text/html; charset=gbk")
    expected = [replace(d.expected(), index_no=None) for d in docs]  # no 索引号 on this template
    return Site("word-soup", ch.site_title, res, SOUP_FOLDER + "index.shtml", expected, "gbk")


def unseen_article_sites() -> list[Site]:
    """The three sites, for tests and serving."""
    return [trs_split_site(), sidebar_site(), word_soup_site()]

"""Site builders: fake TRS, Hanweb, unknown-CMS, Big5, encoding-trap and failure sites."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from demo import chrome as C
from demo import files
from demo.chrome import Chrome, Link, ListItem
from demo.decoy_texts import catalogue_text, functions_text, guide_text, news_text, notice_text, rules_text
from demo.seed_texts import seed_report
from demo.server import ExpectedDoc, Resource, Site
from demo.texts import Block, ReportText, nfkc, strip_pinyin, template_report

PDF_TYPE = "application/pdf"

# --------------------------------------------------------------------------------------
# Shared helpers


@dataclass
class _Doc:
    """One list entry while a site is being built (rendered once neighbours are known)."""

    rt: ReportText
    path: str
    pub: datetime
    is_report: bool
    agency: str | None
    source: str
    href: str = ""
    index_no: str | None = None
    written: str | None = None
    doc_number: str | None = None
    attachments: list[Link] = field(default_factory=list)  # (href as written, link text)
    attachment_paths: list[str] = field(default_factory=list)
    mirror: bool = False
    failure: str | None = None
    style: str = "plain"
    body_html: str | None = None  # overrides rt.to_html(style)
    file_rt: ReportText | None = None  # a stub page's report as its attached file has it


    @property
    def title(self) -> str:
        return self.rt.title

    def expected(self) -> ExpectedDoc:
        body = "" if self.failure else (self.file_rt or self.rt).body_text()
        title = self.rt.title
        if self.mirror:
            body, title = strip_pinyin(body), strip_pinyin(title)
        return ExpectedDoc(
            path=self.path, is_report=self.is_report, title=title,
            publish_date=self.pub.date().isoformat(), written_date=self.written,
            report_year=self.rt.year if self.is_report else None, agency=self.agency,
            index_no=self.index_no, doc_number=self.doc_number, script=self.rt.script,
            body_text=body, attachments=[] if self.failure else list(self.attachment_paths),
            mirror=self.mirror, failure=self.failure, list_date=self.pub.date().isoformat(),
            source_format="pdf" if self.file_rt is not None else "html")


def _html(text: str, encoding: str, content_type: str | None = None) -> Resource:
    ctype = content_type if content_type is not None else f"text/html; charset={encoding}"
    return Resource(text.encode(encoding), ctype)


def _publish(rng: random.Random, written: date, max_days: int = 6) -> datetime:
    day = written + timedelta(days=rng.randint(0, max_days))
    return datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.randint(0, 59))


def _stamp(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M")


def _credit_code(rng: random.Random) -> str:
    # 统一社会信用代码 of a 机关: "11" + region + organisation code + check character.
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "11" + "".join(rng.choice("0123456789") for _ in range(6)) + "".join(
        rng.choice(chars) for _ in range(10))


def _index_no(codes: dict[str, str], rng: random.Random, agency: str, year: int) -> str:
    code = codes.setdefault(agency, _credit_code(rng))
    return f"{code}/{year}-{rng.randint(1, 2000):05d}"


def _paginate(items: list[_Doc], per_page: int) -> list[list[_Doc]]:
    per_page = max(1, per_page)
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]


def _home(ch: Chrome, column_href: str, encoding: str, ctype: str | None,
          label: str | None = None) -> Resource:
    page = f"""{C.head(ch, ch.site_title, charset=label or encoding, css=C.TRS_CSS,
                     xhtml=label is not None)}
<body>
{C.top_bar(ch)}
{C.header(ch)}
{C.nav(ch, "网站首页")}
<div class="w1200"><div class="main">
<h2>{ch.t("政府信息公开")}</h2>
<ul><li><a href="{column_href}">{ch.t(ch.column)}</a></li></ul>
</div></div>
{C.footer(ch)}
</body>
</html>"""
    return Resource(page.encode(encoding), ctype)


def _era_agency(agency: str, year: int) -> str:
    # Departments were renamed by the 2018/2019 institutional reform; old reports keep old names.
    if year < 2019:
        agency = agency.replace("生态环境局", "环境保护局")
        old_health = "卫生和计划生育委员会" if year >= 2013 else "卫生局"
        agency = agency.replace("卫生健康委员会", old_health)
    return agency


def _news_pages(ch: Chrome, rng: random.Random, paths: list[str], titles: list[str],
                render: Callable[[str, ReportText, datetime], str], encoding: str,
                ctype: str | None) -> tuple[dict[str, Resource], list[Link]]:
    """Sidebar 热点信息 articles: real pages outside the column, not annual reports."""
    res: dict[str, Resource] = {}
    links: list[Link] = []
    for i, (path, title) in enumerate(zip(paths, titles)):
        rt = news_text(title, ch.org, seed=rng.randint(0, 10**6) + i)
        res[path] = Resource(render(path, rt, datetime(2024, 1, 10 + i, 9, 30)).encode(encoding),
                             ctype)
        links.append((path, title))
    return res, links


HOT_TITLES = [
    "市政府常务会议研究部署春季农业生产工作",
    "我市召开优化营商环境工作推进会",
    "2024年全市重点项目集中开工",
    "关于开展2024年度“双随机、一公开”抽查工作的公告",
]

# --------------------------------------------------------------------------------------
# 1. TRS WCM: GBK, createPageHTML pagination, TRS_Editor bodies, one PDF-only report

TRS_CHROME = Chrome(
    site_title="江州市人民政府", domain="www.jiangzhou.gov.cn", org="江州市人民政府办公室",
    undertaker="江州市政务服务数据管理局", tech="江州市信息中心", site_code="4401000001",
    icp="粤ICP备05012345号", gongan="粤公网安备 44010402000123号",
    address="江州市府前路1号 邮编:510030", column="政府信息公开年报", column_href="/xxgk/xxgknb/")

TRS_AGENCIES = (
    "江州市水利局", "江州市人力资源和社会保障局", "江州市人民政府", "江州市财政局",
    "江州市生态环境局", "江州市民政局", "江州市教育局", "江州市卫生健康委员会",
    "江州市自然资源局", "江州市交通运输局", "江州市市场监督管理局", "江州市司法局",
)

# Preferred report years: recent ones first, then legacy years spread back to 2008.
TRS_YEARS = (2024, 2023, 2022, 2021, 2020, 2019, 2018, 2016, 2014, 2012, 2010, 2008,
             2017, 2015, 2013, 2011, 2009)

TRS_PDF_PATH = "/xxgk/xxgknb/202001/P020200115123456.pdf"
TRS_COLUMN = "/xxgk/xxgknb/index.html"


def _trs_report_plan(n_reports: int) -> list[tuple[str, int]]:
    plan: list[tuple[str, int]] = []
    seen: set[tuple[str, int]] = set()
    i = 0
    while len(plan) < n_reports:
        year = TRS_YEARS[i % len(TRS_YEARS)]
        agency = TRS_AGENCIES[(i * 5 + i // len(TRS_YEARS)) % len(TRS_AGENCIES)]
        if year == 2019:
            agency = "江州市人民政府"  # the PDF-only report
        if (agency, year) not in seen:
            seen.add((agency, year))
            plan.append((agency, year))
        i += 1
    return plan


def _trs_stub(year: int) -> tuple[ReportText, list[Link]]:
    name = f"江州市{year}年政府信息公开工作年度报告"
    rt = ReportText(
        title=name, agency="江州市人民政府", year=year, family="attachment",
        blocks=[Block("para", nfkc(f"根据《中华人民共和国政府信息公开条例》规定,现将《{name}》"
                                   "予以公布,全文详见附件。"))],
        written=date(year + 1, 1, 10))
    return rt, [("./P020200115123456.pdf", f"{name}.pdf")]


def trs_site(n_reports: int = 12, per_page: int = 5, *, seed: int = 2024) -> Site:
    """A TRS WCM column (GBK, ``charset=gb2312`` meta, header without charset).

    List pages ``/xxgk/xxgknb/index.html``, ``index_1.html`` … are reachable only through the
    inline ``createPageHTML(count, current, "index", "html")`` call. Articles live at
    ``/xxgk/xxgknb/YYYYMM/tYYYYMMDD_<id>.html`` with the body in ``div.TRS_Editor``. Three
    decoys share the list (指南, a 通知 about compiling reports, 制度); the 2019 report is a
    stub page with a PDF attachment.
    """
    rng = random.Random(seed)
    ch = TRS_CHROME
    codes: dict[str, str] = {}
    docs: list[_Doc] = []
    for k, (agency, year) in enumerate(_trs_report_plan(n_reports)):
        agency = _era_agency(agency, year)
        file_rt = None
        if year == 2019 and agency == "江州市人民政府":
            rt, atts = _trs_stub(year)
            # the report itself is the PDF the stub links (a text PDF, as TRS sites publish)
            file_rt = template_report(agency, year, seed=seed + k, site=ch.site_title)
            pub = datetime(2020, 1, 15, 10, 2)
        else:
            rt = template_report(agency, year, seed=seed + k, site=ch.site_title)
            atts = []
            pub = _publish(rng, rt.written or date(year + 1, 1, 20))
        docs.append(_Doc(rt, "", pub, True, agency, agency, attachments=atts,
                         written=(rt.written or pub.date()).isoformat(),
                         style=rng.choice(("word", "plain", "word")), file_rt=file_rt))
    decoys = [
        (guide_text("江州市人民政府", 2023), datetime(2023, 6, 1, 9, 0), None),
        (notice_text("江州市人民政府办公室", 2023, "江府办函〔2023〕45号", date(2024, 1, 31)),
         datetime(2023, 12, 22, 15, 40), "江府办函〔2023〕45号"),
        (rules_text("江州市人民政府"), datetime(2019, 5, 20, 11, 15), None),
    ]
    for rt, pub, number in decoys:
        written = (rt.written or pub.date()).isoformat()
        docs.append(_Doc(rt, "", pub, False, rt.agency, rt.agency, written=written,
                         doc_number=number))
    docs.sort(key=lambda d: d.pub, reverse=True)

    # Ids grow with publication time, as in a real TRS database.
    ids = sorted(rng.sample(range(100000, 999999), len(docs)))
    for d, doc_id in zip(sorted(docs, key=lambda d: d.pub), ids):
        stamp = d.pub.strftime("%Y%m")
        d.path = f"/xxgk/xxgknb/{stamp}/t{d.pub:%Y%m%d}_{doc_id}.html"
        d.href = f"./{stamp}/t{d.pub:%Y%m%d}_{doc_id}.html"
        d.index_no = _index_no(codes, rng, d.agency or "", d.pub.year)
        if d.attachments:
            d.attachment_paths = [TRS_PDF_PATH]

    res: dict[str, Resource] = {}
    news_paths = [f"/xwzx/jzyw/202401/t202401{10 + i}_{880000 + i * 17}.html" for i in range(4)]

    def render_news(path: str, rt: ReportText, when: datetime) -> str:
        return C.trs_article_page(ch, title=rt.title, body_html=rt.to_html("plain"),
                                  pub=_stamp(when), source=ch.org, xxgk=[], attachments=[],
                                  prev=None, nxt=None, rel=[], hits=rng.randint(50, 900),
                                  charset="gb2312", nested=False)

    news, hot = _news_pages(ch, rng, news_paths, HOT_TITLES, render_news, "gbk", "text/html")
    res.update(news)

    for i, d in enumerate(docs):
        prev = (docs[i - 1].href.replace("./", "../"), docs[i - 1].title) if i else None
        nxt = ((docs[i + 1].href.replace("./", "../"), docs[i + 1].title)
               if i + 1 < len(docs) else None)
        xxgk = [("索  引 号：", d.index_no or ""), ("主题分类：", "综合政务\\政务公开"),
                ("发布机构：", d.agency or ""), ("成文日期：", d.written or ""),
                ("名　　称：", d.title), ("发文字号：", d.doc_number or ""),
                ("发布日期：", d.pub.date().isoformat()), ("有 效 性：", "有效")]
        page = C.trs_article_page(
            ch, title=d.title, body_html=d.body_html or d.rt.to_html(d.style),
            pub=_stamp(d.pub), source=d.source, xxgk=xxgk, attachments=d.attachments,
            prev=prev, nxt=nxt, rel=[("/xxgk/xxgkzn/", "政府信息公开指南"),
                                     ("/xxgk/xxgknb/", "政府信息公开年报")],
            hits=rng.randint(80, 6000), charset="gb2312", nested=i % 2 == 1)
        res[d.path] = Resource(page.encode("gbk"), "text/html")
    stub = next((d for d in docs if d.file_rt is not None), None)
    if stub is not None and stub.file_rt is not None:
        res[TRS_PDF_PATH] = Resource(files.report_pdf(stub.file_rt, header=ch.org), PDF_TYPE)

    pages = _paginate(docs, per_page)
    for n, chunk in enumerate(pages):
        items = [ListItem(d.href, d.title, d.pub.date().isoformat()) for d in chunk]
        page = C.trs_list_page(ch, items, len(pages), n, hot, charset="gb2312")
        name = "index.html" if n == 0 else f"index_{n}.html"
        res[f"/xxgk/xxgknb/{name}"] = Resource(page.encode("gbk"), "text/html")
    res["/xxgk/xxgknb/"] = res[TRS_COLUMN]  # the web server maps the directory to index.html
    res["/"] = _home(ch, TRS_COLUMN, "gbk", "text/html", label="gb2312")
    return Site("trs", ch.site_title, res, TRS_COLUMN, [d.expected() for d in docs], "gbk")


# --------------------------------------------------------------------------------------
# 2. Hanweb JCMS: UTF-8, /col/colN/index_2.html pager links, #zoom bodies, a pinyin mirror

HANWEB_CHROME = Chrome(
    site_title="青溪县人民政府", domain="www.qingxi.gov.cn", org="青溪县人民政府办公室",
    undertaker="青溪县大数据发展管理中心", tech="青溪县信息中心", site_code="3311230001",
    icp="浙ICP备13024567号", gongan="浙公网安备 33112302000145号",
    address="青溪县城关镇府前街8号", column="政府信息公开年报",
    column_href="/col/col1229214366/index.html")

HANWEB_COLID = "1229214366"
HANWEB_AGENCIES = (
    "青溪县人民政府", "青溪县发展和改革局", "青溪县教育局", "青溪县财政局",
    "青溪县城关镇人民政府", "青溪县卫生健康局", "青溪县农业农村局", "青溪县民政局",
)
HANWEB_YEARS = (2023, 2022, 2021, 2020, 2019, 2018, 2017, 2016, 2015)


def _hanweb_path(pub: datetime, art_id: int, colid: str = HANWEB_COLID) -> str:
    return f"/art/{pub.year}/{pub.month}/{pub.day}/art_{colid}_{art_id}.html"


def _annotate_like_mirror(text: str) -> str:
    # Only the words the mirror visibly annotated in chrome; the body comes from seed 003.
    for plain, ruby in (("發布", "發(fā)布"), ("來源", "來(lái)源"), ("瀏覽", "瀏(liú)覽(lǎn)"),
                        ("次數", "次數(shù)"), ("日期", "日期(qī)")):
        text = text.replace(plain, ruby)
    return text


def hanweb_site(n_reports: int = 6, per_page: int = 4, *, seed: int = 3311) -> Site:
    """A Hanweb JCMS county column (UTF-8) with plain numbered pager links.

    Column ``/col/col1229214366/index.html``, further pages ``index_2.html`` …; articles
    ``/art/YYYY/M/D/art_1229214366_<id>.html`` with the body in ``div#zoom`` and a
    "发布日期:… 来源:… 浏览次数:…" line. Besides ``n_reports`` reports the list holds the
    pinyin-annotated traditional mirror copy of seed 003 and three decoys (指南, 目录, 机构职能).
    """
    rng = random.Random(seed)
    ch = HANWEB_CHROME
    codes: dict[str, str] = {}
    docs: list[_Doc] = []
    extra_res: dict[str, Resource] = {}
    for k in range(n_reports):
        year = HANWEB_YEARS[k % len(HANWEB_YEARS)]
        agency = HANWEB_AGENCIES[(k * 3) % len(HANWEB_AGENCIES)]
        rt = template_report(agency, year, seed=seed + k, site=ch.site_title)
        pub = _publish(rng, rt.written or date(year + 1, 1, 20))
        source = "青溪县人民政府办公室" if agency == "青溪县人民政府" else agency
        d = _Doc(rt, "", pub, True, agency, source, style=rng.choice(("plain", "div")))
        if year >= 2020:
            d.written = rt.written.isoformat() if rt.written else None
            d.index_no = _index_no(codes, rng, agency, pub.year)
        docs.append(d)

    # One report carries its statistics as a spreadsheet behind Hanweb's download servlet.
    with_xls = next((d for d in docs if d.rt.year == 2022), None)
    if with_xls is not None:
        xls_path = "/module/download/downfile.jsp?classid=0&filename=2301281234567.xlsx"
        name = f"{with_xls.rt.year}年政府信息公开工作年度报告统计表.xlsx"
        with_xls.attachments = [(xls_path, name)]
        with_xls.attachment_paths = [xls_path]
        extra_res[xls_path] = Resource(
            files.report_xlsx(with_xls.rt),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": "attachment; filename*=UTF-8''"
                     + "".join(f"%{b:02X}" for b in name.encode("utf-8"))})

    mirror = seed_report(3)
    mirror_pub = datetime(2018, 1, 22, 16, 5)
    docs.append(_Doc(mirror, "", mirror_pub, True, "市發改委", "市發(fā)改委", mirror=True,
                     style="plain"))
    for rt, pub in ((guide_text("青溪县人民政府", 2022), datetime(2022, 3, 8, 10, 20)),
                    (catalogue_text("青溪县人民政府"), datetime(2021, 6, 18, 9, 5)),
                    (functions_text("青溪县民政局"), datetime(2020, 4, 2, 14, 30))):
        docs.append(_Doc(rt, "", pub, False, rt.agency, "青溪县人民政府办公室"))
    docs.sort(key=lambda d: d.pub, reverse=True)
    ids = sorted(rng.sample(range(55000000, 59000000), len(docs)))
    for d, art_id in zip(sorted(docs, key=lambda d: d.pub), ids):
        d.path = d.href = _hanweb_path(d.pub, art_id)

    res: dict[str, Resource] = dict(extra_res)
    news_paths = [_hanweb_path(datetime(2024, 1, 10 + i), 59100000 + i * 31, "1229214371")
                  for i in range(4)]

    def render_news(path: str, rt: ReportText, when: datetime) -> str:
        return C.hanweb_article_page(ch, title=rt.title, body_html=rt.to_html("plain"),
                                     pub=_stamp(when), source=ch.org, hits=rng.randint(10, 500),
                                     xxgk=None, rel=[], jiedu=[], attachments=[])

    news, hot = _news_pages(ch, rng, news_paths, [t.replace("市", "县") for t in HOT_TITLES],
                            render_news, "utf-8", "text/html; charset=UTF-8")
    res.update(news)

    for d in docs:
        rel = [(C.XXGK_SUBNAV[0][0], "政府信息公开指南"), (ch.column_href, ch.column)]
        jiedu = []
        if d.is_report and (d.rt.year or 0) >= 2021:
            jiedu = [(news_paths[0], f"图解:{d.title}")]
        xxgk = None
        if d.index_no:
            xxgk = [("索 引 号：", d.index_no), ("组配分类：", "政府信息公开年报"),
                    ("发布机构：", d.agency or ""), ("成文日期：", d.written or ""),
                    ("文　　号：", ""), ("公开方式：", "主动公开")]
        hits = rng.randint(30, 3000)
        title_html = info_html = None
        if d.mirror:
            title_html = C.esc(d.title)
            info_html = _annotate_like_mirror(
                f"發布日期:{_stamp(d.pub)}&nbsp;&nbsp;來源:{C.esc(d.source)}&nbsp;&nbsp;"
                f"瀏覽次數:{hits}")
        page = C.hanweb_article_page(
            ch, title=d.title, body_html=d.rt.to_html(d.style), pub=d.pub.date().isoformat(),
            source=d.source, hits=hits, xxgk=xxgk, rel=rel, jiedu=jiedu,
            attachments=d.attachments, title_html=title_html, info_html=info_html)
        res[d.path] = Resource(page.encode("utf-8"), "text/html; charset=UTF-8")

    pages = _paginate(docs, per_page)
    for n, chunk in enumerate(pages, start=1):
        items = [ListItem(d.href, d.title, d.pub.date().isoformat()) for d in chunk]
        page = C.hanweb_list_page(ch, HANWEB_COLID, items, n, len(pages), hot)
        name = "index.html" if n == 1 else f"index_{n}.html"
        res[f"/col/col{HANWEB_COLID}/{name}"] = Resource(page.encode("utf-8"),
                                                          "text/html; charset=UTF-8")
    column = f"/col/col{HANWEB_COLID}/index.html"
    res[f"/col/col{HANWEB_COLID}/"] = res[column]
    res["/"] = _home(ch, column, "utf-8", "text/html; charset=UTF-8")
    return Site("hanweb", ch.site_title, res, column, [d.expected() for d in docs], "utf-8")


# --------------------------------------------------------------------------------------
# 3. An unknown CMS: UTF-8, "下一页" links with ?page=N, content_<id>.html, seeds 000 and 002

GENERIC_CHROME = Chrome(
    site_title="北江市人民政府", domain="www.beijiang.gov.cn", org="北江市人民政府办公室",
    undertaker="北江市数字政府建设中心", tech="北江市信息中心", site_code="3501000003",
    icp="闽ICP备12003456号", gongan="闽公网安备 35010202000456号",
    address="北江市江滨中大道100号", column="政府信息公开年报", column_href="/xxgk/nb/list.jsp")

GENERIC_LIST = "/xxgk/nb/list.jsp"


def generic_site(n_template: int = 2, per_page: int = 3, *, seed: int = 3501) -> Site:
    """A site on a CMS no extractor knows (``wz_con``, ``detail-main``, ``news_cont_d_wrap``).

    Lists ``/xxgk/nb/list.jsp`` then ``?page=2`` … reached only by "下一页" links; articles
    ``/xxgk/nb/content_<id>.html``. Reports: seed 000 (2015-01-05, 市水利局), seed 002 (its
    date only in the list and a "时间:" line) and ``n_template`` synthetic ones; decoys: 指南
    and a 通知.
    """
    rng = random.Random(seed)
    ch = GENERIC_CHROME
    docs: list[_Doc] = []
    s0 = seed_report(0)
    docs.append(_Doc(s0, "", datetime(2015, 1, 5, 9, 28), True, "市水利局", "市水利局"))
    s2 = seed_report(2)
    # Seed 002 has no source: its only date is the "时间:" line (and the list).
    docs.append(_Doc(s2, "", datetime(2014, 12, 2, 10, 51), True, "洪梅镇人民政府", ""))
    agencies = ("北江市人民政府", "北江市教育局", "北江市商务局", "北江市统计局")
    years = (2022, 2020, 2023, 2017)
    for k in range(n_template):
        agency, year = agencies[k % 4], years[k % 4]
        rt = template_report(agency, year, seed=seed + k, site=ch.site_title)
        docs.append(_Doc(rt, "", _publish(rng, rt.written or date(year + 1, 1, 20)), True,
                         agency, agency, style=rng.choice(("div", "plain"))))
    docs.append(_Doc(guide_text("北江市人民政府", 2021), "", datetime(2021, 3, 1, 8, 50), False,
                     "北江市人民政府", "北江市人民政府办公室"))
    notice = notice_text("北江市人民政府办公室", 2019, "北政办〔2019〕88号", date(2020, 1, 31))
    docs.append(_Doc(notice, "", datetime(2019, 12, 20, 16, 12), False, notice.agency,
                     "北江市人民政府办公室", doc_number="北政办〔2019〕88号"))
    docs.sort(key=lambda d: d.pub, reverse=True)
    res: dict[str, Resource] = {}

    # One report is also offered as a Word file, named in GBK bytes by the server.
    docx_doc = next((d for d in docs if d.rt.family.startswith("t")), None)
    for n, d in enumerate(sorted(docs, key=lambda d: d.pub)):
        doc_id = 1001 + n * 7 + rng.randint(0, 5)
        d.path = f"/xxgk/nb/content_{doc_id}.html"
        d.href = f"content_{doc_id}.html"
        if d is docx_doc:
            path = f"/xxgk/nb/files/{d.pub:%Y%m%d}{doc_id}.docx"
            name = f"{d.title}.docx"
            d.attachments = [(path, name)]
            d.attachment_paths = [path]
            res[path] = Resource(
                files.report_docx(d.rt), "application/octet-stream",
                headers={"Content-Disposition": 'attachment; filename="'
                         + name.encode("gbk").decode("latin-1") + '"'})

    news_paths = [f"/xwzx/bjyw/content_{9001 + i}.html" for i in range(4)]

    def render_news(path: str, rt: ReportText, when: datetime) -> str:
        return C.generic_article_page(ch, title=rt.title, body_html=rt.to_html("plain"),
                                      info_spans=[f"发布时间:{_stamp(when)}"], attachments=[],
                                      prev=None, nxt=None, rel=[])

    news, hot = _news_pages(ch, rng, news_paths, HOT_TITLES, render_news, "utf-8",
                            "text/html; charset=utf-8")
    res.update(news)

    for i, d in enumerate(docs):
        if d.source:
            spans = [f"发布时间:{_stamp(d.pub)}", f"来源:{C.esc(d.source)}",
                     f"浏览量:<em>{rng.randint(100, 9000)}</em>次"]
        else:
            spans = [f"时间:{_stamp(d.pub)}"]  # seed 002: no source, no meta tags
        prev = (docs[i - 1].href, docs[i - 1].title) if i else None
        nxt = (docs[i + 1].href, docs[i + 1].title) if i + 1 < len(docs) else None
        page = C.generic_article_page(
            ch, title=d.title, body_html=d.rt.to_html(d.style), info_spans=spans,
            attachments=d.attachments, prev=prev, nxt=nxt,
            rel=[("/xxgk/nb/list.jsp", "政府信息公开年报"), (news_paths[1], HOT_TITLES[1])])
        res[d.path] = Resource(page.encode("utf-8"), "text/html; charset=utf-8")

    pages = _paginate(docs, per_page)
    for n, chunk in enumerate(pages, start=1):
        items = [ListItem(d.href, d.title, f"{d.pub:%Y年%m月%d日}") for d in chunk]
        prev_href = None if n == 1 else f"list.jsp?page={n - 1}"
        next_href = f"list.jsp?page={n + 1}" if n < len(pages) else None
        page = C.generic_list_page(ch, items, prev_href, next_href, n, len(pages), hot)
        r = Resource(page.encode("utf-8"), "text/html; charset=utf-8")
        res[f"{GENERIC_LIST}?page={n}"] = r
        if n == 1:
            res[GENERIC_LIST] = r
    res["/"] = _home(ch, GENERIC_LIST, "utf-8", "text/html; charset=utf-8")
    return Site("generic", ch.site_title, res, GENERIC_LIST, [d.expected() for d in docs],
                "utf-8")


# --------------------------------------------------------------------------------------
# 4. Big5: traditional text, meta charset=big5, header without charset


def _s2t() -> Callable[[str], str]:
    import opencc  # only this site needs it

    conv = opencc.OpenCC("s2tw")  # Taiwan forms (為, not 爲) are the ones Big5 has
    return conv.convert


def _to_traditional(rt: ReportText, conv: Callable[[str], str]) -> ReportText:
    blocks = []
    for b in rt.blocks:
        if b.table is not None:
            for row in b.table.rows:
                for c in row:
                    c.text = conv(c.text)
        blocks.append(Block(b.kind, conv(b.text), b.table))
    return ReportText(conv(rt.title), conv(rt.agency), rt.year, rt.family, blocks, rt.written,
                      "traditional")


def big5_site() -> Site:
    """Two traditional-script reports (seed 004 and a converted 2012 one) encoded as Big5."""
    conv = _s2t()
    ch = Chrome(
        site_title="四川省民政廳", domain="mzt.sc.example", org="四川省民政廳辦公室",
        undertaker="四川省民政廳資訊中心", tech="四川省民政廳資訊中心", site_code="5100000017",
        icp="蜀ICP備05003012號", gongan="川公網安備 51010402000321號",
        address="成都市人民北路一段11號", column="政府資訊公開年報",
        column_href="/xxgk/ndbg/index.html", t=conv)
    old = _to_traditional(template_report("四川省民政厅", 2012, seed=12), conv)
    docs = [
        _Doc(seed_report(4), "/xxgk/ndbg/201403/t20140328_2001.html",
             datetime(2014, 3, 28, 10, 12), True, "四川省民政廳", "四川省民政廳"),
        _Doc(old, "/xxgk/ndbg/201302/t20130226_1507.html", datetime(2013, 2, 26, 9, 40), True,
             old.agency, old.agency),
    ]
    res: dict[str, Resource] = {}
    for d in docs:
        d.href = "." + d.path.removeprefix("/xxgk/ndbg")
        page = C.simple_article_page(ch, title=d.title, body_html=d.rt.to_html("plain"),
                                     pub=_stamp(d.pub), source=d.source, charset="big5",
                                     xhtml=True)
        res[d.path] = Resource(page.encode("big5"), "text/html")
    items = [ListItem(d.href, d.title, d.pub.date().isoformat()) for d in docs]
    res[ch.column_href] = Resource(
        C.simple_list_page(ch, items, charset="big5", xhtml=True).encode("big5"), "text/html")
    return Site("big5", ch.site_title, res, ch.column_href, [d.expected() for d in docs], "big5")


# --------------------------------------------------------------------------------------
# 5. Encoding traps: header, meta and bytes disagree

TRAPS_CHROME = Chrome(
    site_title="南屏区人民政府", domain="www.nanping-qu.gov.cn", org="南屏区人民政府办公室",
    undertaker="南屏区政务服务中心", tech="南屏区信息中心", site_code="4401150002",
    icp="粤ICP备06011223号", gongan="粤公网安备 44011502000777号",
    address="南屏区政府大院", column="政府信息公开年报", column_href="/zwgk/ndbg/index.html")

RARE_PARAGRAPH = ("我局组织工作人员深入䶮山镇、𠀀口村等偏远村镇,发放政府信息公开宣传资料,"
                  "现场解答群众咨询。")


@dataclass(frozen=True)
class _Trap:
    slug: str
    agency: str
    year: int
    codec: str  # how the bytes are encoded
    meta: str | None  # charset the page declares
    header: str  # Content-Type header value
    bom: bool = False
    rare: bool = False
    http_equiv: bool = True  # old templates: <meta http-equiv=... charset=>; else <meta charset>


TRAPS = (
    _Trap("gbk-header-utf8", "南屏区水务局", 2016, "gbk", "gbk", "text/html; charset=utf-8",
          http_equiv=False),
    _Trap("gbk-meta-only", "南屏区财政局", 2015, "gbk", "gb2312", "text/html"),
    _Trap("gb18030-rare", "南屏区民政局", 2017, "gb18030", "gb2312",
          "text/html; charset=gb2312", rare=True),
    _Trap("utf8-meta-lies", "南屏区教育局", 2018, "utf-8", "gb2312", "text/html"),
    _Trap("utf8-bom-header-gbk", "南屏区司法局", 2014, "utf-8", None,
          "text/html; charset=gbk", bom=True),
)


def encoding_traps_site() -> Site:
    """Five reports whose bytes, HTTP charset and <meta> charset disagree in different ways.

    GBK labelled utf-8 by the header; GBK with only a gb2312 meta; GB18030 with 䶮/𠀀
    labelled gb2312; UTF-8 whose meta says gb2312; UTF-8 with a BOM under a gbk header.
    """
    ch = TRAPS_CHROME
    docs: list[_Doc] = []
    res: dict[str, Resource] = {}
    rng = random.Random(4401)
    for k, trap in enumerate(TRAPS):
        rt = template_report(trap.agency, trap.year, seed=40 + k, site=ch.site_title)
        if trap.rare:
            rt.blocks.insert(3, Block("para", RARE_PARAGRAPH))
        pub = _publish(rng, rt.written or date(trap.year + 1, 1, 20))
        path = f"/zwgk/ndbg/{pub:%Y%m}/t{pub:%Y%m%d}_{7000 + k}.html"
        d = _Doc(rt, path, pub, True, trap.agency, trap.agency, href=path)
        page = C.simple_article_page(ch, title=d.title, body_html=rt.to_html("plain"),
                                     pub=_stamp(pub), source=trap.agency, charset=trap.meta,
                                     xhtml=trap.http_equiv)
        body = page.encode(trap.codec)
        if trap.bom:
            body = b"\xef\xbb\xbf" + body
        res[path] = Resource(body, trap.header)
        docs.append(d)
    docs.sort(key=lambda d: d.pub, reverse=True)
    items = [ListItem(d.href, d.title, d.pub.date().isoformat()) for d in docs]
    res[ch.column_href] = _html(C.simple_list_page(ch, items, charset="utf-8"), "utf-8")
    return Site("encoding-traps", ch.site_title, res, ch.column_href,
                [d.expected() for d in docs], "utf-8")


# --------------------------------------------------------------------------------------
# 6. Failures: 404, 500, off-site redirect, slow, oversize, robots-disallowed

FAIL_CHROME = Chrome(
    site_title="东湖区人民政府", domain="www.donghu-qu.gov.cn", org="东湖区人民政府办公室",
    undertaker="东湖区融媒体中心", tech="东湖区信息中心", site_code="4401060003",
    icp="粤ICP备07020304号", gongan="粤公网安备 44010602000888号",
    address="东湖区东湖路1号", column="政府信息公开年报", column_href="/xxgk/gknb/index.html")

ROBOTS_TXT = "User-agent: *\nDisallow: /private/\n"
OVERSIZE_BYTES = 3 * 1024 * 1024
SLOW_DELAY = 5.0


def failures_site() -> Site:
    """Two good reports and six links that must fail, each named in ``ExpectedDoc.failure``.

    404 (no resource), 500, a 302 to ``{OTHER_HOST_BASE}/elsewhere.html`` (same server under
    the host name localhost), a page that answers after 5 s, a ~3 MB page, and a page under
    ``/private/`` which robots.txt disallows (served with 200, so only robots.txt stops it).
    """
    ch = FAIL_CHROME
    rng = random.Random(4406)
    res: dict[str, Resource] = {"/robots.txt": Resource(ROBOTS_TXT.encode(), "text/plain")}
    docs: list[_Doc] = []

    def page_for(rt: ReportText, pub: datetime, pad: int = 0) -> str:
        body = rt.to_html("plain")
        if pad:
            # Oversize pages in the wild are usually inlined base64 images in the body.
            chunk = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA"
                     "60e6kg") * 4
            body += ('<p><img src="data:image/png;base64,' + chunk * (pad // len(chunk) + 1)
                     + '" /></p>')
        return C.simple_article_page(ch, title=rt.title, body_html=body, pub=_stamp(pub),
                                     source=rt.agency, charset="utf-8")

    plan = [
        ("ok", "东湖区人民政府", 2023), ("ok", "东湖区教育局", 2022),
        ("404", "东湖区交通运输局", 2022), ("500", "东湖区财政局", 2021),
        ("offsite-redirect", "东湖区水务局", 2021), ("timeout", "东湖区民政局", 2020),
        ("oversize", "东湖区文化广电旅游体育局", 2020), ("robots", "东湖区司法局", 2019),
    ]
    for k, (kind, agency, year) in enumerate(plan):
        rt = template_report(agency, year, seed=60 + k, site=ch.site_title)
        pub = _publish(rng, rt.written or date(year + 1, 1, 20))
        path = f"/xxgk/gknb/{pub:%Y%m}/t{pub:%Y%m%d}_{8100 + k}.html"
        if kind == "robots":
            path = f"/private/gknb/t{pub:%Y%m%d}_{8100 + k}.html"
        failure = None if kind == "ok" else kind
        d = _Doc(rt, path, pub, True, agency, agency, href=path, failure=failure)
        if kind in ("ok", "robots"):
            res[path] = _html(page_for(rt, pub), "utf-8")
        elif kind == "500":
            res[path] = Resource(b"<html><head><title>500 Internal Server Error</title></head>"
                                 b"<body><h1>Internal Server Error</h1><p>java.lang."
                                 b"NullPointerException</p></body></html>",
                                 "text/html; charset=utf-8", status=500)
        elif kind == "offsite-redirect":
            res[path] = Resource(b"", "text/html; charset=utf-8", status=302,
                                 headers={"Location": "{OTHER_HOST_BASE}/elsewhere.html"})
        elif kind == "timeout":
            res[path] = Resource(page_for(rt, pub).encode("utf-8"), "text/html; charset=utf-8",
                                 delay=SLOW_DELAY)
        elif kind == "oversize":
            res[path] = _html(page_for(rt, pub, pad=OVERSIZE_BYTES), "utf-8")
        docs.append(d)
    # What a crawler that followed the off-site redirect would wrongly archive.
    elsewhere = template_report("东湖区水务局", 2021, seed=999, site=ch.site_title)
    res["/elsewhere.html"] = _html(page_for(elsewhere, datetime(2022, 1, 20, 9, 0)), "utf-8")
    docs.sort(key=lambda d: d.pub, reverse=True)
    items = [ListItem(d.href, d.title, d.pub.date().isoformat()) for d in docs]
    res[ch.column_href] = _html(C.simple_list_page(ch, items, charset="utf-8"), "utf-8")
    return Site("failures", ch.site_title, res, ch.column_href, [d.expected() for d in docs],
                "utf-8")


# --------------------------------------------------------------------------------------
# 7. The set `make demo` serves


def demo_sites() -> list[Site]:
    """TRS (GBK, createPageHTML), Hanweb and unknown-CMS sites: 19 reports plus 8 decoys."""
    return [trs_site(n_reports=8), hanweb_site(), generic_site()]


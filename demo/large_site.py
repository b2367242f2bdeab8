"""A column of thousands of distinct reports for benchmarks (bench/crawl.py, bench/recrawl.py),
built lazily: each page is rendered when first asked."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta

from demo import chrome as C
from demo.chrome import ListItem
from demo.server import ExpectedDoc, Resource, Site
from demo.sites import HOT_TITLES, TRS_CHROME, TRS_COLUMN, _stamp
from demo.texts import ReportText, template_report

# --------------------------------------------------------------------------------------
# A large TRS column for crawl benchmarks, rendered on access

_BENCH_REGIONS_A = "东西南北中新安永清长平宁兴和丰"
_BENCH_REGIONS_B = "山江湖阳城源川河林溪"
_BENCH_DEPTS = (
    "水利局", "教育局", "财政局", "民政局", "司法局", "商务局", "审计局", "统计局", "林业局",
    "人力资源和社会保障局", "自然资源局", "住房和城乡建设局", "交通运输局", "农业农村局",
    "文化广电旅游体育局", "卫生健康局", "应急管理局", "市场监督管理局", "医疗保障局",
    "退役军人事务局", "城市管理局", "科学技术局", "工业和信息化局", "发展和改革局",
    "公安局", "档案局", "信访局", "民族宗教事务局", "粮食和物资储备局", "机关事务管理局",
)
_POOL_AGENCY = "江州市水利局"


class LazyResources(Mapping[str, Resource]):
    """A read-only mapping that renders each resource when it is requested."""

    def __init__(self, makers: dict[str, Callable[[], Resource]]) -> None:
        self._makers = makers

    def __getitem__(self, path: str) -> Resource:
        return self._makers[path]()

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)

    def __contains__(self, path: object) -> bool:
        return path in self._makers


def _bench_agencies(n: int) -> list[str]:
    names = []
    for a in _BENCH_REGIONS_A:
        for b in _BENCH_REGIONS_B:
            for dept in _BENCH_DEPTS:
                names.append(f"{a}{b}县{dept}")
    rng = random.Random(7)
    rng.shuffle(names)
    if n > len(names):
        raise ValueError(f"large_column_site supports at most {len(names)} reports")
    return names[:n]


def large_column_site(n_reports: int = 2000, per_page: int = 20) -> Site:
    """A TRS-style column with ``n_reports`` distinct reports for crawl benchmarks.

    Report texts come from a small pool of generated reports; each copy gets its own agency
    name, so bodies differ. Article and list pages are rendered when requested.
    """
    ch = TRS_CHROME
    rng = random.Random(2000)
    pool: dict[int, list[ReportText]] = {
        y: [template_report(_POOL_AGENCY, y, seed=s, site=ch.site_title) for s in range(2)]
        for y in range(2009, 2025)
    }
    pool_html = {(y, s): (rt.to_html("word"), rt.to_html("plain"))
                 for y, rts in pool.items() for s, rt in enumerate(rts)}
    pool_text = {(y, s): rt.body_text() for y, rts in pool.items() for s, rt in enumerate(rts)}
    agencies = _bench_agencies(n_reports)
    start = datetime(2025, 3, 28, 17, 0)
    # Spread publication dates over 2010-2025 so report years cover the three templates.
    step_minutes = max(1, (15 * 365 * 24 * 60) // max(1, n_reports))
    # path, title, agency, year, pool variant, pub, 索引号
    docs: list[tuple[str, str, str, int, int, datetime, str]] = []
    expected = []
    for i, agency in enumerate(agencies):
        pub = start - timedelta(minutes=step_minutes * i + rng.randint(0, 59))
        year = min(2024, max(2009, pub.year - 1 if pub.month <= 3 else pub.year))
        s = i % 2
        path = f"/xxgk/xxgknb/{pub:%Y%m}/t{pub:%Y%m%d}_{3000000 - i}.html"
        title = f"{agency}{year}年政府信息公开工作年度报告"
        written = pool[year][s].written
        index_no = f"11441900MB2C{i:06d}/{pub.year}-{i % 9000 + 1:05d}"
        docs.append((path, title, agency, year, s, pub, index_no))
        expected.append(ExpectedDoc(
            path=path, is_report=True, title=title, publish_date=pub.date().isoformat(),
            written_date=written.isoformat() if written else None, report_year=year,
            agency=agency, index_no=index_no,
            body_text=pool_text[(year, s)].replace(_POOL_AGENCY, agency),
            list_date=pub.date().isoformat()))
    hot = [(f"/xwzx/jzyw/202401/t202401{10 + i}_{880000 + i * 17}.html", t)
           for i, t in enumerate(HOT_TITLES)]
    n_pages = max(1, math.ceil(len(docs) / per_page))

    def article(i: int) -> Callable[[], Resource]:
        def make() -> Resource:
            path, title, agency, year, s, pub, index_no = docs[i]
            body = pool_html[(year, s)][i % 2].replace(_POOL_AGENCY, agency)
            written = pool[year][s].written
            xxgk = [("索  引 号：", index_no),
                    ("主题分类：", "综合政务\\政务公开"), ("发布机构：", agency),
                    ("成文日期：", written.isoformat() if written else ""),
                    ("名　　称：", title), ("发文字号：", ""),
                    ("发布日期：", pub.date().isoformat())]
            prev = (f"../{docs[i - 1][0].split('/')[3]}/{docs[i - 1][0].split('/')[4]}",
                    docs[i - 1][1]) if i else None
            page = C.trs_article_page(ch, title=title, body_html=body, pub=_stamp(pub),
                                      source=agency, xxgk=xxgk, attachments=[], prev=prev,
                                      nxt=None, rel=[], hits=100 + i, charset="gb2312",
                                      nested=bool(i % 2))
            return Resource(page.encode("gbk"), "text/html")
        return make

    def listing(n: int) -> Callable[[], Resource]:
        def make() -> Resource:
            chunk = docs[n * per_page:(n + 1) * per_page]
            items = [ListItem("./" + p.split("/", 3)[3], t, pub.date().isoformat())
                     for p, t, _, _, _, pub, _ in chunk]
            page = C.trs_list_page(ch, items, n_pages, n, hot, charset="gb2312")
            return Resource(page.encode("gbk"), "text/html")
        return make

    makers: dict[str, Callable[[], Resource]] = {}
    for n in range(n_pages):
        makers["/xxgk/xxgknb/" + ("index.html" if n == 0 else f"index_{n}.html")] = listing(n)
    makers["/xxgk/xxgknb/"] = listing(0)
    for i in range(len(docs)):
        makers[docs[i][0]] = article(i)
    return Site("large", ch.site_title, LazyResources(makers), TRS_COLUMN, expected, "gbk")

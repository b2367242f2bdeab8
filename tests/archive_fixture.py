"""A small archive of realistic reports, saved through Archive as a crawl would (for export, serve, browser tests).

Three named sites; simplified reports from the demo's template texts; one traditional report in
Taiwan-style vocabulary (政府資訊公開); a year missing at one site; a failed fetch; a decoy notice.
Everything is fixed (times, seeds), so two builds give the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from archive.store import Archive
from demo.texts import template_report

# A place name put into some reports so searches have a known, small answer set.
PLACE = "梅岭街道"  # 4 characters; 梅岭 is the 2-character search
PLACE_SENTENCE = f"我局在{PLACE}开展政府信息公开宣传活动,现场解答群众咨询。"
PLACE_SENTENCE_TRADITIONAL = "我局在梅嶺街道開展政府資訊公開宣傳活動,現場解答群眾諮詢。"
# Captured text that looks like markup: the browser must show it as text.
MARKUP_SENTENCE = "附:原网页残留代码<script>alert('gongkai')</script>,已原样保存。"

SITES = (
    ("http://www.jiangzhou.gov.cn/xxgk/xxgknb/index.html", "江州市人民政府"),
    ("http://www.qingxi.gov.cn/col/col1229214366/index.html", "青溪县人民政府"),
    ("http://mzt.sc.example/xxgk/ndbg/index.html", "四川省民政廳"),
)
# (site index, agency, report year, seed, mentions PLACE)
REPORTS = (
    (0, "江州市水利局", 2019, 11, True),
    (0, "江州市教育局", 2020, 12, False),
    (0, "江州市财政局", 2020, 13, True),
    (0, "江州市民政局", 2022, 14, False),  # 2021 is missing at this site
    (0, "江州市水利局", 2023, 15, False),
    (1, "青溪县民政局", 2015, 21, False),
    (1, "青溪县人民政府", 2016, 22, False),
    (1, "青溪县财政局", 2017, 23, False),
)


@dataclass
class Fixture:
    """What was saved, for tests to compare with: report ids by role, and the archive path."""

    path: Path
    ids: dict[str, int] = field(default_factory=dict)
    place_ids: set[int] = field(default_factory=set)  # reports mentioning PLACE (either script)


def _traditional(text: str) -> str:
    import opencc

    # s2twp: Taiwan characters *and* vocabulary (信息 → 資訊), as a Taiwan-style copy is written.
    return opencc.OpenCC("s2twp").convert(text)


def build_fixture_archive(path: str | Path) -> Fixture:
    """Write the fixture archive at ``path`` (a new file) and describe it."""
    path = Path(path)
    archive = Archive(path)
    fixture = Fixture(path)
    crawl = archive.start_crawl({"columns": [url for url, _ in SITES]}, "0.1.0")
    site_ids = [archive.ensure_site(url, name) for url, name in SITES]
    for n, (site, agency, year, seed, place) in enumerate(REPORTS):
        text = template_report(agency, year, seed)
        body = text.body_text()
        if place:
            body = body.replace("\n", "\n" + PLACE_SENTENCE + "\n", 1)
        if n == 1:
            body += "\n" + MARKUP_SENTENCE
        report_id = _save(archive, crawl, site_ids[site], SITES[site][0], n, year, text.title, body, agency,
                          text.written.isoformat(), "simplified")
        fixture.ids[f"{agency}{year}"] = report_id
        if place:
            fixture.place_ids.add(report_id)
    old = template_report("四川省民政厅", 2018, seed=31)
    body = _traditional(old.body_text()).replace("\n", "\n" + PLACE_SENTENCE_TRADITIONAL + "\n", 1)
    title = _traditional(old.title)
    report_id = _save(archive, crawl, site_ids[2], SITES[2][0], 99, 2018, title, body, _traditional(old.agency),
                      old.written.isoformat(), "traditional")
    fixture.ids["traditional"] = report_id
    fixture.place_ids.add(report_id)
    # A decoy (a notice: kept as a capture, not a report) and a failed fetch.
    archive.record_capture({"crawl_id": crawl, "site_id": site_ids[0], "kind": "article", "status": 200,
                            "url": "http://www.jiangzhou.gov.cn/xxgk/tzgg/t20200301_9.html",
                            "fetched_at": "2026-01-02T03:04:05Z", "doc_type": "notice",
                            "title": "关于报送2019年政府信息公开工作年度报告的通知"}, b"<html>notice</html>")
    archive.record_capture({"crawl_id": crawl, "site_id": site_ids[1], "kind": "article", "status": 404,
                            "url": "http://www.qingxi.gov.cn/art/2019/1/1/art_404.html",
                            "fetched_at": "2026-01-02T03:04:06Z", "error": "HTTP 404"})
    archive.finish_crawl(crawl, {"reports_new": len(REPORTS) + 1, "failures": 1})
    archive.db.execute("update crawls set started_at = '2026-01-02T03:00:00Z', finished_at = '2026-01-02T03:10:00Z'")
    archive.db.conn.commit()
    archive.close()
    return fixture


def _save(archive: Archive, crawl: int, site_id: int, column_url: str, n: int, year: int, title: str, body: str,
          agency: str, written: str, script: str) -> int:
    base = column_url.rsplit("/", 1)[0]
    url = f"{base}/{year + 1}01/t{year + 1}0115_{100 + n}.html"
    html = f"<html><head><title>{title}</title></head><body><div class='TRS_Editor'>{body}</div></body></html>"
    capture = {"crawl_id": crawl, "site_id": site_id, "url": url, "final_url": url, "kind": "article",
               "status": 200, "fetched_at": f"2026-01-02T03:{n % 60:02d}:00Z", "content_type": "text/html",
               "encoding_chosen": "utf-8", "renderer": "http", "title": title, "doc_type": "annual_report"}
    report = {"url": url, "site_id": site_id, "title": title, "body_text": body, "report_year": year,
              "publish_date": f"{year + 1}-01-15", "written_date": written, "agency": agency, "script": script,
              "source_format": "html", "container": "TRS_Editor", "date_source": "label", "year_source": "title",
              "agency_source": "title", "repaired_pinyin": 0, "from_mirror": 0}
    _, result = archive.save_capture_and_report(capture, html.encode("utf-8"), report)
    return result.report_id

"""End-to-end on article pages the other demo sites do not imitate (demo/unseen_articles.py): a
TRS report cut over three pages, a report of scans only, a two-column template whose sidebar
prose competes with a short body, titles only in meta/``<h2>``/split by ``<br>``, comments under
the body, Word-paste soup, ``<pre>`` text, Chinese-numeral signatures, years only in the text."""

from __future__ import annotations

import pytest

from archive.store import Archive
from demo.server import ExpectedDoc, Site
from demo.unseen_articles import NOTES, cn_numeral_date, sidebar_site, trs_split_site, word_soup_site
from pipelines.encoding import decode_body
from pipelines.extract import IMAGES_ONLY, article_page_urls, extract_article, join_pages
from tests.conftest import char_f1
from tests.crawling import crawl_sites
from tests.test_crawl_e2e import site_named
from tests.test_unseen_sites import LEAKS

NAMES = ["trs-split", "sidebar", "word-soup"]
# Chrome of these templates that must not reach a body.
ARTICLE_LEAKS = LEAKS + ("下一页", "贯彻执行国家、省、市有关法律法规", "网友留言", "我要留言", "请文明上网",
                         "办公时间", "松阳县人民政府\n")


def check_row(row: dict | None, doc: ExpectedDoc, body: str | None = None) -> None:
    assert row is not None, f"report missing: {doc.path}"
    assert row["title"] == doc.title, doc.path
    assert row["publish_date"] == doc.publish_date, doc.path
    assert row["report_year"] == doc.report_year, doc.path
    assert row["agency"] == doc.agency, doc.path
    if doc.written_date:
        assert row["written_date"] == doc.written_date, doc.path
    assert row["source_format"] == doc.source_format, doc.path
    gold = doc.body_text if body is None else body
    if gold:
        assert char_f1(row["body_text"], gold) >= 0.95, doc.path
    else:
        assert row["body_text"] == "", doc.path
    leaked = [p for p in ARTICLE_LEAKS if p in row["body_text"]]
    assert not leaked, (doc.path, leaked)


@pytest.fixture(scope="module")
def sites() -> list[Site]:
    return [trs_split_site(), sidebar_site(), word_soup_site()]


@pytest.fixture(scope="module")
def crawled(sites, tmp_path_factory):
    return crawl_sites(sites, tmp_path_factory.mktemp("unseen-articles") / "archive.db")


_site = site_named


@pytest.mark.e2e
@pytest.mark.parametrize("name", NAMES)
def test_every_report_is_archived_with_its_metadata(sites, crawled, name):
    archive = Archive(crawled["db"])
    for doc in _site(sites, name).reports():
        # a report cut over pages is one row holding all of them (test_split_report_is_one_report)
        check_row(archive.report(crawled["bases"][name] + doc.path), doc)


@pytest.mark.e2e
@pytest.mark.parametrize("name", NAMES)
def test_decoys_are_captures_not_reports(sites, crawled, name):
    site = _site(sites, name)
    base = crawled["bases"][name]
    archive = Archive(crawled["db"])
    assert {r["url"] for r in archive.reports() if r["url"].startswith(base + "/")} == {
        base + d.path for d in site.reports()}


@pytest.mark.e2e
def test_image_only_report_is_a_stub_listing_its_scans(sites, crawled):
    # No garbage body from the density fallback: an empty body, container flagged, the scans
    # listed as the report's files (an OCR of them is what would fill the body).
    site = _site(sites, "trs-split")
    base = crawled["bases"]["trs-split"]
    doc = next(d for d in site.reports() if "images" in NOTES.get(d.path, {}))
    archive = Archive(crawled["db"])
    row = archive.report(base + doc.path)
    assert row["body_text"] == "" and row["container"] == "TRS_Editor" + IMAGES_ONLY
    linked = {r["url"] for r in archive.db.query("select url from attachments where page_url = ?",
                                                  [base + doc.path])}
    assert linked == {base + p for p in NOTES[doc.path]["images"]}


@pytest.mark.e2e
def test_statistics_cells_come_out_of_spanned_tables(sites, crawled):
    # 表三 of the 2019/2021 templates has rowspan/colspan headers; Word paste wraps each cell in
    # <p class=MsoNormal><span>. Every number must reach report_cells and the sums must hold.
    archive = Archive(crawled["db"])
    base = crawled["bases"]["word-soup"]
    for doc in _site(sites, "word-soup").reports():
        if doc.report_year < 2019:
            continue
        rid = archive.report(base + doc.path)["id"]
        cells = list(archive.db.query("select * from report_cells where report_id = ? and table_name = '表三'",
                                      [rid]))
        assert len(cells) >= 7 * 20, doc.path
        new = next(c for c in cells if c["row_label"] and "新收" in c["row_label"] and c["col_label"] == "总计")
        line = next(x for x in doc.body_text.split("\n") if x.startswith("一、本年新收"))
        assert new["value"] == int(line.split("\t")[-1])
        checks = list(archive.db.query("select ok from report_checks where report_id = ?", [rid]))
        assert checks and all(c["ok"] for c in checks), doc.path


@pytest.mark.e2e
def test_no_request_misses(sites, crawled):
    for site in sites:
        missing = [p for p in crawled["requested"][site.name] if p not in site.resources and p != "/robots.txt"]
        assert not missing, site.name


@pytest.mark.e2e
def test_split_report_is_one_report(sites, crawled):
    site = _site(sites, "trs-split")
    base = crawled["bases"]["trs-split"]
    doc = next(d for d in site.reports() if "pages" in NOTES.get(d.path, {}))
    archive = Archive(crawled["db"])
    row = archive.report(base + doc.path)
    assert char_f1(row["body_text"], doc.body_text) >= 0.95
    # each later page is kept as a capture of its own, and is no report of its own
    stem = doc.path.rsplit(".", 1)[0]
    parts = sorted(c["url"] for c in archive.captures() if c["kind"] == "article-part")
    assert parts and all(u.startswith(base + stem + "_") for u in parts)
    assert not [r for r in archive.reports() if r["url"] in parts]


# --- the pure core on the same pages, without the list's title and date ----------------------


def _page(site: Site, path: str) -> str:
    res = site.resources[path]
    return decode_body(res.body, res.content_type)[0]


@pytest.mark.parametrize("name", NAMES)
def test_pages_alone_give_title_date_year_agency(sites, name):
    site = _site(sites, name)
    for doc in site.reports():
        art = extract_article(_page(site, doc.path), "http://127.0.0.1" + doc.path)
        assert (art.title, art.publish_date, art.report_year, art.agency) == (
            doc.title, doc.publish_date, doc.report_year, doc.agency), doc.path
        if doc.written_date:
            assert art.written_date == doc.written_date, doc.path
        subtitle = NOTES.get(doc.path, {}).get("subtitle")
        assert not subtitle or subtitle not in art.body_text


def test_split_report_pages_join_in_order():
    site = trs_split_site()
    doc = next(d for d in site.reports() if "pages" in NOTES.get(d.path, {}))
    first_url = "http://127.0.0.1" + doc.path
    urls = article_page_urls(_page(site, doc.path), first_url)
    assert urls == ["http://127.0.0.1" + p for p in NOTES[doc.path]["pages"]]
    # from a later page the others are found too, the first page included
    assert article_page_urls(_page(site, NOTES[doc.path]["pages"][1]), urls[1])[:2] == [first_url, urls[0]]
    arts = [extract_article(_page(site, doc.path), first_url)]
    arts += [extract_article(_page(site, p), "http://127.0.0.1" + p) for p in NOTES[doc.path]["pages"]]
    joined = join_pages(arts[0], arts[1:])
    assert char_f1(joined.body_text, doc.body_text) >= 0.99
    assert "下一页" not in joined.body_text and joined.report_year == doc.report_year
    assert len(joined.tables) == sum(len(a.tables) for a in arts) >= 3


def test_chinese_numeral_dates():
    from datetime import date

    from pipelines.metadata import parse_date
    for d in (date(2021, 1, 15), date(2020, 12, 31), date(2019, 10, 20), date(2022, 2, 1)):
        assert parse_date(cn_numeral_date(d)) == d.isoformat()

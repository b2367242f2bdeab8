"""Reading an article page from one parse (pipelines/reading.py): the same render decision, files
and article as the separate passes the spider and the extraction pipeline used to run."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from demo.jssites import script_site
from demo.report_variants import hanweb_variants_site, trs_variants_site
from demo.server import Site
from demo.sites import big5_site, encoding_traps_site, generic_site, hanweb_site, trs_site
from demo.split_reports import trs_gbk_site
from demo.unseen import base_href_site
from demo.unseen_articles import sidebar_site, trs_split_site, word_soup_site
from demo.unseen_files import fj_block_site, relative_site, viewer_site
from pipelines.encoding import decode_body
from pipelines.extract import scanned_pages
from pipelines.extracting import read_page
from pipelines.htmltext import parse_html
from pipelines.pagefiles import page_attachments
from pipelines.reading import read_article_page
from pipelines.render import article_render_reason
from tests.conftest import gov_page

HOST = "http://127.0.0.1:8000"
SCRIPT_FILLED = ('<div class="TRS_Editor" id="zoom"></div><script>document.getElementById("zoom")'
                 '.innerHTML = "<p>2020年政府信息公开工作年度报告正文</p>";</script>')
# a TRS editor holding only the report's scans (small 县 sites upload signed reports as JPGs)
SCANS_ONLY = ('<div class="TRS_Editor"><p><img src="./W0201.jpg"></p><p><img src="./W0202.jpg"></p>'
              '<p><img src="http://elsewhere.example.com/W0203.jpg"></p></div>'
              '<div class="footer"><img src="/images/logo.png"></div>')


def _pages(site: Site) -> list[tuple[str, str]]:
    """(url, decoded text) of every HTML page a site serves, list pages too."""
    pages = []
    for path, resource in site.resources.items():
        if resource.status == 200 and "html" in (resource.content_type or "text/html"):
            pages.append((HOST + path, decode_body(bytes(resource.body), resource.content_type)[0]))
    return pages


def _spider_files(text: str, url: str) -> list[dict[str, str]]:
    """The files the column spider requested before one parse: page_attachments on its own
    parse, else a scan-only report's images (same host)."""
    tree = parse_html(text)
    files = page_attachments(tree, url)
    if not files and ("<img" in text or "<IMG" in text):
        host = urlsplit(url).hostname
        files = [{"url": link.url, "text": link.text} for link in scanned_pages(tree, url)
                 if urlsplit(link.url).hostname == host]
    return files


SITES = [trs_site, hanweb_site, generic_site, big5_site, encoding_traps_site, script_site, trs_variants_site,
         hanweb_variants_site, trs_split_site, sidebar_site, word_soup_site, trs_gbk_site, viewer_site,
         fj_block_site, relative_site, base_href_site]


@pytest.mark.parametrize("make_site", SITES, ids=lambda make: make.__name__)
def test_one_parse_gives_the_render_decision_files_and_article_of_the_separate_passes(make_site):
    for url, text in _pages(make_site()):
        page = read_article_page(text, url, "列表标题", "2024-01-02", stop_for_render=False)
        assert page.render_reason == article_render_reason(text, parse_html(text)), url
        assert page.files == _spider_files(text, url), url
        alone = read_page(text, url, "列表标题", "2024-01-02")
        assert page.reading == alone, url


def test_a_page_for_the_browser_is_not_read_until_it_is_rendered():
    page = read_article_page(gov_page(SCRIPT_FILLED, container="{body}"), "http://x.gov.cn/xxgk/t20210105_1.html")
    assert page.render_reason == "empty content container TRS_Editor, filled by script (innerHTML)"
    assert page.reading is None and page.files == []
    # a host the browser may not render (--js never): the reason is kept and the page read as it is
    kept = read_article_page(gov_page(SCRIPT_FILLED, container="{body}"), "http://x.gov.cn/xxgk/t20210105_1.html",
                             stop_for_render=False)
    assert kept.render_reason == page.render_reason and kept.reading is not None
    assert kept.reading.article is not None


def test_a_report_of_scans_only_has_its_same_host_images_as_files():
    url = "http://x.gov.cn/xxgk/nb/t20220121_31.html"
    page = read_article_page(gov_page(SCANS_ONLY, container="{body}"), url, "2021年政府信息公开工作年度报告")
    assert [f["url"] for f in page.files] == ["http://x.gov.cn/xxgk/nb/W0201.jpg", "http://x.gov.cn/xxgk/nb/W0202.jpg"]
    assert page.files == _spider_files(gov_page(SCANS_ONLY, container="{body}"), url)
    assert page.reading.article.container.endswith("[images-only]")


def test_the_first_page_of_a_split_article_gives_its_files_and_is_left_for_the_joined_reading():
    url = "http://x.gov.cn/xxgk/nb/t20220121_31.html"
    page = read_article_page(gov_page(SCANS_ONLY, container="{body}"), url, read=False)
    assert page.reading is None and page.files == _spider_files(gov_page(SCANS_ONLY, container="{body}"), url)


def test_an_empty_or_undecodable_page_is_not_read():
    assert read_article_page("   ", "http://x.gov.cn/a.html").reading is None
    garbage = "<p>" + "\ufffd" * 50 + "2019年报告</p>"
    assert read_article_page(garbage, "http://x.gov.cn/a.html").reading is None

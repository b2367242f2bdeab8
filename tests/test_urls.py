"""One list of page endings: the spider, the browser router and extraction agree on every URL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from lxml.html import fromstring

from pipelines.extract import find_attachments
from pipelines.urls import ATTACHMENT_EXTENSIONS, PAGE_ENDINGS, is_attachment_link, is_page_path, is_page_url
from tests.test_browser_render import page_request, router_for

# Article URLs of CMSs seen in the wild, one per ending: TRS (.html), a folder index, JEECMS
# (.jhtml/.jspx), Struts/Spring (.do/.action), JSF (.xhtml), Hanweb (.jsp), ASP.NET (.aspx).
PAGES = [
    "http://www.x.gov.cn/xxgk/nb/202201/t20220120_1.html",
    "http://www.x.gov.cn/xxgk/nb/",
    "http://www.x.gov.cn/xxgk/gknb/2022/512.jhtml",
    "http://www.x.gov.cn/xxgk/show.jspx?id=5",
    "http://www.x.gov.cn/xxgk/gknb/detail.do?id=7300&columnId=58",
    "http://www.x.gov.cn/News_showGkmlNews.action?messagekey=88",
    "http://www.x.gov.cn/xxgk/report.xhtml?id=3",
    "http://www.x.gov.cn/art/2024/1/15/art_1_2.jsp?id=42",
    "http://www.x.gov.cn/zwgk/ShowArticle.aspx?ID=9",
]
FILES = [
    "http://www.x.gov.cn/xxgk/nb/P020220120.pdf",
    "http://www.x.gov.cn/module/download/downfile.jsp?classid=0&filename=P020240115.pdf",
    "http://www.x.gov.cn/attach/DownLoad.aspx?id=42",
    "http://www.x.gov.cn/fujian/getFile.action?id=88",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_page_url_is_a_page_for_the_spider_the_router_and_extraction(url, tmp_path):
    assert is_page_url(url)
    # extraction: a page whose link text reads like a file name is still a page, not a file
    assert not is_attachment_link(url, "江州市2021年政府信息公开工作年度报告.pdf")
    # browser: routed pages with a page ending go to the browser at once (no HTTP fetch first)
    router = router_for(tmp_path, GONGKAI_JS="always")
    request = page_request(url)
    router.process_request(request)
    assert request.meta.get("playwright") and "gongkai_render_after_fetch" not in request.meta


@pytest.mark.parametrize("url", FILES)
def test_a_file_url_is_a_file_for_the_spider_the_router_and_extraction(url, tmp_path):
    assert not is_page_url(url) and is_attachment_link(url)
    router = router_for(tmp_path, GONGKAI_JS="always")
    request = page_request(url)
    router.process_request(request)
    assert not request.meta.get("playwright")


def test_files_linked_from_a_page_ending_in_any_page_ending_are_not_taken_for_files():
    links = "".join(f'<p><a href="{url}">2021年报告.pdf</a></p>' for url in PAGES[2:])
    tree = fromstring(f'<html><body><div id="zoom">{links}<a href="{FILES[0]}">附件</a></div></body></html>')
    assert [link.url for link in find_attachments(tree, PAGES[0])] == [FILES[0]]


def test_endings_are_one_list_and_lowercase():
    assert len(set(PAGE_ENDINGS)) == len(PAGE_ENDINGS)
    assert all(e == e.lower() for e in PAGE_ENDINGS)
    assert is_page_path("/XXGK/NB/T1.SHTML")


def _sources() -> dict[str, ast.Module]:
    root = Path(__file__).resolve().parent.parent
    return {str(path.relative_to(root)): ast.parse(path.read_text(encoding="utf-8"))
            for package in ("crawler", "spiders", "pipelines") for path in sorted((root / package).rglob("*.py"))}


def test_url_endings_and_pager_patterns_are_written_down_in_pipelines_urls_only():
    endings = {e for e in (*PAGE_ENDINGS, *ATTACHMENT_EXTENSIONS) if e != "/"}
    copies = []
    for name, module in _sources().items():
        if name == "pipelines/urls.py":
            continue
        for node in ast.walk(module):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                listed = {el.value.lower() for el in node.elts
                          if isinstance(el, ast.Constant) and isinstance(el.value, str)}
                if len(listed & endings) >= 2:  # a list of endings of its own
                    copies.append(f"{name}:{node.lineno} {sorted(listed & endings)}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
                # a regex of its own: endings as alternatives, or a pager URL pattern
                if re.search(r"pdf\|docx?|docx?\|pdf|createPageHTML\\s|\(\?P<n>\\d|_\(\\d\{1,\d\}\)\$", text):
                    copies.append(f"{name}:{node.lineno} {text[:60]!r}")
    assert copies == []

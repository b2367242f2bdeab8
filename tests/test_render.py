"""Render detection (pipelines/render.py): which fetched pages need a browser, remembered under which prefix."""

from __future__ import annotations

import pytest

from demo.jssites import gkmlpt_site, hanweb_api_site, script_site
from demo.sites import big5_site, encoding_traps_site, failures_site, generic_site, hanweb_site, trs_site
from pipelines.htmltext import parse_html
from pipelines.render import article_render_reason, list_render_reason
from spiders.links import find_entries
from tests.conftest import gov_page


def list_reason(html: str) -> str | None:
    return list_render_reason(html, parse_html(html))


def test_list_built_from_a_js_array_needs_the_browser():
    page = ('<ul class="lb" id="nbList"></ul><script>var items=[{"t":"2020年报"}];for(var i=0;i<items.length;i++)'
            '{var li=document.createElement("li");document.getElementById("nbList").appendChild(li);}</script>')
    assert list_reason(page) == "script-built list (createElement)"


def test_empty_vue_root_and_jquery_loader_into_an_empty_list_need_the_browser():
    assert list_reason('<body><div id="app"></div><script src="/js/app.js"></script></body>') == \
        "script-built list (empty app root)"
    loader = ('<ul class="news-list"></ul><script>$.ajax({url: "/api/list", success: function(d){'
              'render(d);}});</script>')
    assert list_reason(loader) == "empty list container filled by a script loader"


def test_document_write_of_links_needs_the_browser():
    page = "<script>document.write('<li><a href=\"/xxgk/1.html\">2020年报告</a></li>');</script>"
    assert list_reason(page) == "script-built list (document.write)"


def test_plain_empty_column_and_trs_pager_script_do_not_need_the_browser():
    assert list_reason('<ul class="list"><li>暂无信息</li></ul><script>var a = 1;</script>') is None
    # TRS's createPageHTML writes only the pager, through a variable: not a list builder
    pager = '<ul class="list"></ul><script>function createPageHTML(){var s="";document.write(s);}</script>'
    assert list_reason(pager) is None


def test_article_whose_container_a_script_fills_needs_the_browser():
    page = gov_page("", container='<div id="zoom">{body}</div><script>$("#zoom").html(data.content);</script>')
    assert article_render_reason(page) == "empty content container #zoom, filled by script (jQuery html())"


def test_article_with_text_or_an_attachment_does_not_need_the_browser():
    script = '<script>document.getElementById("hits").innerHTML = 12;</script>'
    body = "<p>" + "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。" * 3 + "</p>"
    assert article_render_reason(gov_page(body + script)) is None
    stub = '<p>附件：<a href="/xxgk/P020200115.pdf">2019年政府信息公开工作年度报告.pdf</a></p>'
    assert article_render_reason(gov_page(stub + script)) is None


def test_article_with_no_container_and_no_text_outside_chrome_needs_the_browser():
    page = ('<html><body><div class="header">江州市人民政府 网站首页 政务公开</div><div class="main"></div>'
            '<div class="footer">主办单位:江州市人民政府办公室 网站标识码:4401000001</div>'
            '<script>fetch("/api/detail?id=1").then(r => r.json()).then(d => {'
            'document.querySelector(".main").innerHTML = d.html;});</script></body></html>')
    assert article_render_reason(page).startswith("no content outside page chrome (0 characters)")


def test_article_without_any_writing_script_is_never_rendered():
    assert article_render_reason(gov_page("")) is None


@pytest.mark.parametrize("build", [trs_site, hanweb_site, generic_site, big5_site, encoding_traps_site,
                                   failures_site, hanweb_api_site, gkmlpt_site])
def test_static_demo_pages_never_need_the_browser(build):
    site = build()
    for path, resource in site.resources.items():
        if resource.status != 200 or "html" not in (resource.content_type or "text/html"):
            continue
        html = resource.body.decode(site.encoding, errors="replace")
        assert article_render_reason(html) is None, path
        tree = parse_html(html)
        if path == site.column_path.split("#")[0] and not find_entries(tree, "http://x.gov.cn" + path):
            continue  # an API column: its adapter is found first (tests/test_adapters.py)
        if not find_entries(tree, "http://x.gov.cn" + path):
            assert list_reason(html) is None, path


def test_script_site_pages_that_need_the_browser_are_found():
    site = script_site()
    for path, resource in site.resources.items():
        html = resource.body.decode("gb18030" if "/gbknr/" in path else "utf-8")
        needs = (list_reason(html) if path == site.column_path else article_render_reason(html)) is not None
        assert needs == (path in site.needs_browser), path


@pytest.mark.parametrize(("status", "page", "expected"), [
    (412, "<html><head><script>var $_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=1;</script></head></html>",
     "瑞数"),
    (521, "<script>document.cookie=('__jsl_clearance=1.2|0|abc');location.href=location.pathname</script>",
     "加速乐"),
    (200, "<script>var security_verify_data='1';location.href='/?security_verify_data=1'</script>", "云锁"),
    (202, "<script>document.cookie='t=1; path=/'; setTimeout(function(){location.reload()}, 100);</script>",
     "sets a cookie and reloads"),
    # not challenges: a denial without a script, a real page whose script sets a cookie, a 200
    # page of the generic shape (only vendor marks count with 200)
    (403, "<html><body><h1>403 Forbidden</h1></body></html>", None),
    (412, "<script>document.cookie='font=big';location.reload()</script>" + "<p>" + "政府信息公开" * 20 + "</p>",
     None),
    (200, "<script>document.cookie='a=1';location.reload()</script>", None),
])
def test_anti_bot_challenges_are_told_from_pages(status, page, expected):
    from spiders.challenge import challenge_reason

    reason = challenge_reason(status, page)
    assert (reason is None) if expected is None else (expected in reason and f"HTTP {status}" in reason)

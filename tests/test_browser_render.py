"""The browser path (spiders/browser.py): settings, routing to Chromium, hung pages and browser crashes.

Named apart from tests/test_browser.py, which drives Chromium over the Datasette UI.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path
from types import SimpleNamespace

import psutil
import pytest
from scrapy import Request

from archive.store import Archive
from demo.server import Resource, Site, SiteServer
from spiders.browser import BrowserOptions, BrowserRouter, abort_request, with_charset
from tests.conftest import gov_page
from tests.crawling import REPO, crawl_command, gongkai_crawler, run

CHROMIUM = Path(os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium"))
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no {CHROMIUM} (`make browser` installs it)")
BODY = "<p>" + "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，主动公开政府信息。" * 4 + "</p>"


def test_options_read_the_mode_and_per_host_overrides():
    options = BrowserOptions.from_settings(gongkai_crawler(
        GONGKAI_JS="ALWAYS", GONGKAI_JS_SITES='{"www.a.gov.cn": "never"}').settings)
    assert options.mode_for("www.a.gov.cn") == "never" and options.mode_for("www.b.gov.cn") == "always"
    assert options.renders_anything
    assert not BrowserOptions("never", {"x": "never"}).renders_anything
    with pytest.raises(ValueError, match="'sometimes' is not one of auto, always, never"):
        BrowserOptions.from_settings(gongkai_crawler(GONGKAI_JS="sometimes").settings)


def test_browser_is_told_the_charset_the_bytes_were_decoded_with():
    assert with_charset("text/html; charset=utf-8", "gb18030") == "text/html; charset=gb18030"
    assert with_charset("text/html;charset=GBK;foo=1", "utf-8") == "text/html;foo=1; charset=utf-8"
    assert with_charset(None, "big5hkscs") == "text/html; charset=big5"


def test_images_fonts_media_and_the_gov_cn_error_widget_are_not_loaded():
    def request(kind: str, url: str = "http://www.x.gov.cn/a") -> SimpleNamespace:
        return SimpleNamespace(resource_type=kind, url=url)

    assert all(abort_request(request(k)) for k in ("image", "font", "media"))
    assert not any(abort_request(request(k)) for k in ("document", "script", "xhr", "stylesheet"))
    assert abort_request(request("script", "https://zfwzgl.www.gov.cn/exposure/jiucuo.js"))
    assert abort_request(request("script", "https://s95.cnzz.com/z_stat.php?id=1"))


def router_for(tmp_path: Path, **settings: str) -> BrowserRouter:
    crawler = gongkai_crawler(GONGKAI_DB=str(tmp_path / "rules.db"), **settings)
    crawler.stats = crawler._create_stats() if hasattr(crawler, "_create_stats") else crawler.stats
    router = BrowserRouter.from_crawler(crawler)
    router.spider_opened()
    return router


def page_request(url: str, kind: str = "article", **meta: object) -> Request:
    return Request(url, meta={"gongkai_kind": kind, **meta})


def test_remembered_rule_sends_later_pages_of_that_kind_and_prefix_to_the_browser(tmp_path):
    archive = Archive(tmp_path / "rules.db")
    archive.save_render_rule("www.x.gov.cn", "article", "/xxgk/jsnr/", "browser", "empty content container #zoom")
    archive.save_render_rule("www.x.gov.cn", "list", "/xxgk/old/", "http", "the server's HTML had the content")
    archive.close()
    router = router_for(tmp_path)
    routed = page_request("http://www.x.gov.cn/xxgk/jsnr/202101/t20210115_1.html")
    router.process_request(routed)
    assert routed.meta["playwright"] and routed.meta["gongkai_routed"] == "rule"
    assert routed.meta["playwright_page_init_callback"] == "spiders.browser.init_page"
    for plain in (page_request("http://www.x.gov.cn/xxgk/jsnr/index.html", "list"),  # other kind
                  page_request("http://www.x.gov.cn/xxgk/jsnb/202101/t20210115_2.html"),  # other prefix
                  page_request("http://www.y.gov.cn/xxgk/jsnr/202101/t20210115_1.html"),  # other host
                  page_request("http://www.x.gov.cn/xxgk/old/index.html", "list")):  # rule says http
        router.process_request(plain)
        assert not plain.meta.get("playwright"), plain.url


def test_rules_learnt_during_the_crawl_apply_at_once(tmp_path):
    router = router_for(tmp_path)
    router.item_scraped(SimpleNamespace(render_rule={"host": "www.x.gov.cn", "kind": "list", "path_prefix": "/nb/",
                                                     "renderer": "browser", "reason": "script-built list"}))
    request = page_request("http://www.x.gov.cn/nb/index_2.html", "list")
    router.process_request(request)
    assert request.meta["gongkai_routed"] == "rule"


def test_always_renders_pages_but_never_files_or_list_endpoints(tmp_path):
    router = router_for(tmp_path, GONGKAI_JS="always")
    page = page_request("http://www.x.gov.cn/xxgk/1.html")
    attachment = page_request("http://www.x.gov.cn/xxgk/1.pdf", "attachment")
    endpoint = page_request("http://www.x.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1", "list",
                            playwright=False)
    for request in (page, attachment, endpoint):
        router.process_request(request)
    assert page.meta["gongkai_routed"] == "always"
    assert not attachment.meta.get("playwright") and endpoint.meta["playwright"] is False


def test_a_never_host_drops_the_spiders_render_request(tmp_path):
    router = router_for(tmp_path, GONGKAI_JS_SITES=json.dumps({"www.x.gov.cn": "never"}))
    request = page_request("http://www.x.gov.cn/xxgk/1.html", playwright=True)
    router.process_request(request)
    assert request.meta["playwright"] is False


# --- whole crawls: hung pages and browser crashes --------------------------------------------

def script_article_site(names: list[str], extra: dict[str, str] | None = None,
                        resources: dict[str, Resource] | None = None) -> Site:
    """A static list of articles whose body a script writes into #zoom; ``extra`` adds script per page."""
    items = "".join(f'<li><a href="/xxgk/nr/{name}.html">第{i}号机关2020年政府信息公开工作年度报告</a>'
                    f"<span>2021-01-{i + 10}</span></li>" for i, name in enumerate(names))
    res = {"/xxgk/nr/index.html": Resource(f"<html><body><ul class='list'>{items}</ul></body></html>".encode())}
    for i, name in enumerate(names):
        script = (f'<script>document.getElementById("zoom").innerHTML = {json.dumps(BODY, ensure_ascii=False)};'
                  f"{(extra or {}).get(name, '')}</script>")
        container = '<div id="zoom">{body}</div>' + script.replace("{", "{{").replace("}", "}}")
        res[f"/xxgk/nr/{name}.html"] = Resource(
            gov_page("", title=f"第{i}号机关2020年政府信息公开工作年度报告", container=container).encode())
    res.update(resources or {})
    return Site("scripted", "测试县人民政府", res, "/xxgk/nr/index.html", [])


@pytest.mark.e2e
@needs_chromium
def test_a_hung_page_times_out_and_the_crawl_goes_on(tmp_path):
    site = script_article_site(["a", "hang", "b"], extra={"hang": "while (true) {}"})
    db = tmp_path / "hang.db"
    with SiteServer(site) as server:
        result = run(crawl_command([server.column_url], db, "GONGKAI_BROWSER_PAGE_TIMEOUT=6", "RETRY_TIMES=0",
                                   log_level="INFO"), timeout=120)
        base = server.base_url
    assert result.returncode == 0, result.stderr[-2000:]
    archive = Archive(db)
    assert {r["url"] for r in archive.reports()} == {f"{base}/xxgk/nr/a.html", f"{base}/xxgk/nr/b.html"}
    [failed] = archive.failures()
    assert failed["url"] == f"{base}/xxgk/nr/hang.html" and failed["error"].startswith("timeout")
    assert "'gongkai/browser/timeout': 1" in result.stderr


def _browser_processes(pid: int) -> list[psutil.Process]:
    """Chromium's browser process: the one of our crawl's children without a --type= (renderer, GPU …).

    Children that have already exited (zombies, e.g. a zygote helper) are skipped rather than failing.
    """
    found = []
    for process in psutil.Process(pid).children(recursive=True):
        try:
            if "chrom" in process.name() and not any(a.startswith("--type=") for a in process.cmdline()):
                found.append(process)
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            continue
    return found


@pytest.mark.e2e
@needs_chromium
def test_a_crashed_browser_is_relaunched_for_the_pages_still_to_render(tmp_path):
    names = ["slow", "b", "c", "d"]
    # The first page loads a script the server holds back, so the test can kill the browser mid-render.
    site = script_article_site(names, resources={"/slow.js": Resource(b"var slow = 1;", "application/javascript",
                                                                     delay=2.0)})
    page = site.resources["/xxgk/nr/slow.html"]
    page.body = page.body.replace(b"<div id=\"zoom\">", b'<script src="/slow.js"></script><div id="zoom">')
    db = tmp_path / "crash.db"
    with SiteServer(site) as server:
        crawl = subprocess.Popen(crawl_command([server.column_url], db, "CONCURRENT_REQUESTS_PER_DOMAIN=1",
                                               log_level="INFO"), cwd=REPO,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while "/slow.js" not in server.paths_requested() and time.monotonic() < deadline:
            time.sleep(0.05)
        browsers = _browser_processes(crawl.pid)
        assert browsers, "no browser process found while a page was rendering"
        for process in browsers:
            process.send_signal(signal.SIGKILL)
        out, err = crawl.communicate(timeout=120)
        base = server.base_url
    assert crawl.returncode == 0, err[-2000:]
    assert "'playwright/browser_count': 2" in err  # launched again after the crash
    archive = Archive(db)
    assert {r["url"] for r in archive.reports()} == {f"{base}/xxgk/nr/{n}.html" for n in names}
    assert sum(c["renderer"] == "browser" for c in archive.captures()) == len(names)

"""A leased page's life in a worker (crawler/leases.py): each lease is reported done once, when
its page's output is all taken, on every path a page can take through Scrapy.

The first tests feed :class:`PageEnds` the events Scrapy 2.19 sends on each path, with real
requests, responses and failures and no crawl; the last ones crawl fixture sites with real
workers, a writer and redis-server, with leases that would take 10 minutes to expire.
"""

from __future__ import annotations

import asyncio
import gc
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from twisted.python.failure import Failure

from archive.store import Archive
from crawler.frontier import Frontier
from crawler.leases import LEASE_META, LeaseErrback, PageEndMiddleware, PageEnds, own_errback
from crawler.redisserver import PrivateRedis
from demo.server import SiteServer, serve_many
from demo.sites import failures_site, generic_site

URL = "http://www.x.gov.cn/xxgk/xxgknb/202401/t20240115_1.html"


class Turns:
    """The reactor's later turns, run by hand: PageEnds decides a page is over only on one of them."""

    def __init__(self) -> None:
        self.queued: list = []

    def __call__(self, function, *args) -> None:  # noqa: ANN001
        self.queued.append((function, args))

    def run(self) -> None:
        while self.queued:
            function, args = self.queued.pop(0)
            function(*args)


def tracked(lease_id: str = "L1", errback=None):  # noqa: ANN001, ANN201
    """A PageEnds following one leased request; the list that collects its done leases; its turns."""
    turns, done = Turns(), []
    pages = PageEnds(later=turns)
    pages.on_done = done.append
    request = Request(URL, errback=errback, meta={LEASE_META: lease_id})
    pages.leased(lease_id, request)
    return pages, request, done, turns


def response_to(request: Request, status: int = 200) -> HtmlResponse:
    return HtmlResponse(request.url, status=status, body=b"<html></html>", request=request, encoding="utf-8")


async def consume(stream) -> list:  # noqa: ANN001
    return [output async for output in stream]


async def as_stream(outputs: list):  # noqa: ANN001, ANN201
    for output in outputs:
        yield output


def failure_of(request: Request, error: Exception) -> Failure:
    failure = Failure(error)
    failure.request = request  # as Scrapy sets it before calling the errback
    return failure


def test_a_page_is_done_once_its_items_left_the_pipelines_and_its_requests_were_scheduled():
    pages, request, done, turns = tracked()
    middleware = PageEndMiddleware(pages)
    response = response_to(request)
    item, link = {"url": URL}, Request("http://www.x.gov.cn/b.html")
    middleware.process_spider_input(response)
    assert asyncio.run(consume(middleware.process_spider_output(response, as_stream([item, link])))) == [item, link]
    turns.run()
    assert done == []  # the stream ended, but its item is in the pipelines and its link not queued
    pages.item_left(item=item, response=response)
    turns.run()
    assert done == []
    pages.request_scheduled(request=link)
    turns.run()
    assert done == ["L1"]
    pages.item_left(item=item, response=response)  # anything after the end changes nothing
    turns.run()
    assert done == ["L1"] and pages.pages == {}


def test_a_page_that_yields_nothing_is_done_when_its_stream_ends():
    pages, request, done, turns = tracked()
    middleware = PageEndMiddleware(pages)
    response = response_to(request)
    middleware.process_spider_input(response)
    assert asyncio.run(consume(middleware.process_spider_output(response, as_stream([])))) == []
    assert done == []  # never on the turn of the event itself
    turns.run()
    assert done == ["L1"]


def test_a_dropped_item_and_an_item_whose_pipeline_raised_both_leave_the_page():
    pages, request, done, turns = tracked()
    middleware = PageEndMiddleware(pages)
    response = response_to(request)
    first, second = {"url": URL}, {"url": URL + "?2"}
    middleware.process_spider_input(response)
    asyncio.run(consume(middleware.process_spider_output(response, as_stream([first, second]))))
    pages.item_left(item=first, response=response, exception=Exception("dropped"))  # item_dropped
    turns.run()
    assert done == []
    pages.item_left(item=second, response=response, failure=Failure(RuntimeError("bug")))  # item_error
    turns.run()
    assert done == ["L1"]


def test_a_stream_a_middleware_made_of_an_exception_keeps_the_page_open():
    # Scrapy 2.19: a callback raising mid-iteration ends the first stream; the output a middleware
    # made of the exception (CallbackFailureMiddleware's failed capture) is a second stream that
    # starts on the same turn. The page is not over between the two.
    pages, request, done, turns = tracked()
    response = response_to(request)
    failed_capture = {"url": URL, "error": "parsing failed"}
    pages.entered_middlewares("L1")
    pages.stream_started("L1")
    pages.stream_ended("L1")
    pages.stream_started("L1")
    pages.yielded("L1", failed_capture)
    pages.stream_ended("L1")
    turns.run()
    assert done == []
    pages.item_left(item=failed_capture, response=response)
    turns.run()
    assert done == ["L1"]


def test_an_exception_no_middleware_took_ends_the_page():
    pages, request, done, turns = tracked()
    middleware = PageEndMiddleware(pages)
    response = response_to(request)
    middleware.process_spider_input(response)
    assert middleware.process_spider_exception(response, RuntimeError("bug")) is None  # Scrapy logs it
    turns.run()
    assert done == ["L1"]


def test_a_spider_error_signal_ends_the_page():
    pages, request, done, turns = tracked()
    pages.spider_error(failure=Failure(RuntimeError("bug")), response=response_to(request))
    turns.run()
    assert done == ["L1"]


def test_a_download_error_without_errback_goes_back_to_scrapy_and_ends_the_page():
    pages, request, done, turns = tracked(errback=None)
    failure = failure_of(request, IgnoreRequest("refused by robots.txt"))
    assert isinstance(request.errback, LeaseErrback)
    assert request.errback(failure) is failure  # Scrapy raises it and logs, as with no errback
    turns.run()
    assert done == ["L1"]


def test_a_download_errors_errback_output_is_followed_outside_the_middlewares():
    seen = []

    def failed(failure):  # noqa: ANN001, ANN202 - the spider's errback: a failed capture and a next request
        seen.append(failure)
        yield {"url": failure.request.url, "error": "HTTP 500"}
        yield Request("http://www.x.gov.cn/next.html")

    pages, request, done, turns = tracked(errback=failed)
    failure = failure_of(request, IgnoreRequest("timeout"))
    item, link = asyncio.run(consume(request.errback(failure)))
    assert seen == [failure]
    turns.run()
    assert done == []
    pages.item_left(item=item, response=failure)  # Scrapy passes the failure as the item's response
    pages.request_scheduled(request=link)
    turns.run()
    assert done == ["L1"]


def test_an_errback_inside_the_middlewares_passes_its_output_on_uncounted():
    # An HTTP error status: HttpErrorMiddleware raises in process_spider_input, Scrapy calls the
    # errback there, and its output goes through the middlewares, which count it.
    def failed(failure):  # noqa: ANN001, ANN202
        yield {"url": failure.request.url, "error": "HTTP 404"}

    pages, request, done, turns = tracked(errback=failed)
    response = response_to(request, 404)
    PageEndMiddleware(pages).process_spider_input(response)
    output = request.errback(failure_of(request, IgnoreRequest("HTTP 404")))
    assert [each for each in output] == [{"url": URL, "error": "HTTP 404"}]  # the spider's own generator
    turns.run()
    assert done == [] and pages.pages["L1"].pending == 0


def test_a_redirect_or_retry_ends_the_page_when_scheduled_and_is_queued_with_the_spiders_errback():
    def failed(failure):  # noqa: ANN001, ANN202
        return None

    pages, request, done, turns = tracked(errback=failed)
    retry = request.copy()  # what RetryMiddleware and RedirectMiddleware hand back to the engine
    retry.meta["retry_times"] = 1
    pages.request_scheduled(request=retry)
    turns.run()
    assert done == ["L1"]
    assert own_errback(retry.errback) is failed  # what the scheduler serialises, by name


def test_the_schedulers_own_hand_over_of_a_leased_request_is_no_redirect():
    pages, request, done, turns = tracked()
    with pages.scheduling(request):
        pages.request_scheduled(request=request)
    turns.run()
    assert done == [] and "L1" in pages.pages


def test_a_page_whose_end_no_event_showed_ends_once_scrapy_lets_its_request_go(caplog):
    # a path through Scrapy PageEnds would not know: a stream whose end it never saw
    pages, request, done, turns = tracked()
    pages.entered_middlewares("L1")
    pages.stream_started("L1")
    pages.sweep()
    turns.run()
    assert done == []  # the engine still holds the request: the page may go on
    del request
    gc.collect()
    pages.sweep()
    turns.run()
    assert done == ["L1"]  # not held by heartbeats forever
    assert "end unseen" in caplog.text


def test_a_page_over_normally_is_not_ended_again_when_its_request_goes():
    pages, request, done, turns = tracked()
    pages.ended("L1")
    turns.run()
    del request
    gc.collect()
    pages.sweep()
    turns.run()
    assert done == ["L1"]


def test_output_after_a_page_was_done_is_reported():
    pages, request, done, turns = tracked()
    pages.ended("L1")
    turns.run()
    assert done == ["L1"]
    pages.yielded("L1", {"url": URL})  # would be lost if the worker died now: logged and counted
    assert pages.pages == {}


# --- real workers ---------------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[1]
# Leases that would take 10 minutes to expire: a page whose end is missed shows as a hang.
SETTINGS = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=false", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
            "GONGKAI_PROGRESS_INTERVAL=0", "GONGKAI_ALERT_STALE_DAYS=0", "GONGKAI_LEASE_SECONDS=600",
            "DOWNLOAD_TIMEOUT=2", "RETRY_TIMES=1", f"DOWNLOAD_MAXSIZE={1024 * 1024}", "DOWNLOAD_WARNSIZE=0")
CRAWL_SECONDS = 150  # a crawl of these sites takes 10-40 s on a loaded machine

# A worker whose spider and pipelines go wrong on chosen pages, on top of failures_site's own
# (404, 500, an off-site redirect, a timeout, an oversize page, robots.txt): one article
# callback raises, one yields nothing, one item is dropped, one item's pipeline raises, and two
# requests (a 404 and an oversize page) have no errback. Run from a file: Scrapy reads a
# generator callback's source.
WORKER = """
import sys
sys.path.insert(0, {repo!r})
from scrapy import Request
from scrapy.exceptions import DropItem
import crawler.settings as project
import spiders.column as column

RAISES, EMPTY, DROPPED, FAILS, NO_ERRBACK = {paths!r}
parse_article, parse_list = column.ColumnSpider.parse_article, column.ColumnSpider.parse_list

async def raising_parse_article(self, response):
    if response.url.endswith(RAISES):
        raise RuntimeError("callback bug")
    if response.url.endswith(EMPTY):
        return
    async for output in parse_article(self, response):
        yield output

def bare_parse_list(self, response):
    for output in parse_list(self, response):
        if isinstance(output, Request) and output.url.endswith(NO_ERRBACK):
            output = output.replace(errback=None)
        yield output

class DropOrFail:
    def process_item(self, item):
        if item.url.endswith(DROPPED):
            raise DropItem("dropped by the test")
        if item.url.endswith(FAILS):
            raise RuntimeError("pipeline bug")
        return item

column.ColumnSpider.parse_article = raising_parse_article
column.ColumnSpider.parse_list = bare_parse_list
project.ITEM_PIPELINES = {{**project.ITEM_PIPELINES, "__main__.DropOrFail": 100}}
from crawler.cli import main
sys.exit(main())
"""

needs_redis = pytest.mark.skipif(shutil.which("redis-server") is None,
                                 reason="redis-server is not installed (make test installs it)")


def gongkai(*args: str) -> list[str]:
    return [sys.executable, "-m", "crawler.cli", *args]


def crawl_with_workers(redis_url: str, urls: list[str], db: Path, worker: list[str], *extra: str) -> dict:
    """Seed ``urls``, run a writer and two workers (``worker``: how to start one) to the crawl's end.

    Returns the workers' log, the seconds it took and the frontier's status; fails the test if
    the crawl is not over within :data:`CRAWL_SECONDS`. Logs go to files: a worker blocked on
    a full pipe would hold its leases like a worker that missed their ends.
    """
    settings = [arg for setting in SETTINGS for arg in ("-s", setting)] + list(extra)
    seeded = subprocess.run(gongkai("frontier", "seed", *urls, "--redis", redis_url), cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert seeded.returncode == 0, seeded.stderr
    started = time.monotonic()
    logs = [db.with_name(f"{db.stem}-{name}-{time.time_ns()}.log") for name in ("writer", "worker1", "worker2")]
    processes = []
    for log, command in zip(logs, (gongkai("writer", "--redis", redis_url, "--db", str(db)),
                                   *[[*worker, "worker", "--redis", redis_url, "--db", str(db),
                                      "--log-level", "WARNING"]] * 2)):
        with log.open("wb") as stderr:
            processes.append(subprocess.Popen([*command, *settings], cwd=REPO, stdout=subprocess.DEVNULL,
                                              stderr=stderr))
    writer, workers = processes[0], processes[1:]
    try:
        for process in processes:
            process.wait(timeout=max(1.0, CRAWL_SECONDS - (time.monotonic() - started)))
    except subprocess.TimeoutExpired:
        status = Frontier.connect(redis_url).status()
        said = "".join(log.read_text("utf-8", "replace") for log in logs[1:])
        lines = "\n".join(line[:300] for line in said.splitlines()[-40:])  # an item's repr is a whole page
        pytest.fail(f"crawl not over after {CRAWL_SECONDS} s: {status.total('leased')} leases never ended; "
                    f"the workers said:\n{lines}")
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    said = "".join(log.read_text("utf-8", "replace") for log in logs[1:])
    assert [process.returncode for process in workers] == [0, 0], said[-3000:]
    assert writer.returncode == 0, logs[0].read_text("utf-8", "replace")[-3000:]
    return {"logs": said, "seconds": time.monotonic() - started, "status": Frontier.connect(redis_url).status()}


def assert_every_lease_ended_once(crawl: dict) -> None:
    # A lease leaves the frontier reported done or expired: nothing queued, nothing leased and
    # nothing expired means every request queued was leased and reported done …
    status = crawl["status"]
    assert status.state == "finished"
    assert status.total("queued") == status.total("leased") == status.total("expired") == 0
    assert "no longer this worker's" not in crawl["logs"]  # none reported done twice …
    assert "after its page was reported done" not in crawl["logs"]  # … nor before its output was taken
    assert "end unseen" not in crawl["logs"]  # every page's end was seen, none found by the sweep
    assert crawl["seconds"] < 120  # ten times less than the lease: nothing waited for it


@pytest.mark.e2e
@needs_redis
def test_every_lease_ends_once_on_every_path_a_page_takes_and_again_on_a_recrawl(tmp_path):
    """404s, a 500 retried, an off-site redirect refused, a timeout, an oversize page, robots.txt,
    requests without errback, a raising callback, an empty one, a dropped item, a failing
    pipeline; then a recrawl whose known articles the incremental state skips."""
    failing, plain = failures_site(), generic_site()
    reports = [doc.path for doc in plain.reports()]  # four: each goes wrong in its own way
    bare = tuple(doc.path for doc in failing.expected if doc.failure in ("404", "oversize"))
    paths = (*reports[:4], bare)
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(repo=str(REPO), paths=paths), encoding="utf-8")
    worker = [sys.executable, str(script)]
    db = tmp_path / "archive.db"
    with PrivateRedis(tmp_path / "redis") as redis_server, serve_many([failing, plain]) as servers:
        urls = [server.column_url for server in servers]
        first = crawl_with_workers(redis_server.url, urls, db, worker)
        assert_every_lease_ended_once(first)
        for server in servers:
            server.clear_requests()
        second = crawl_with_workers(redis_server.url, urls, db, worker)
        assert_every_lease_ended_once(second)
        asked_again = set(servers[0].paths_requested())
        base = servers[1].base_url
    archive = Archive(db)
    try:
        errors = {c["url"]: c["error"] for c in archive.captures() if c["error"]}
        stored = {c["url"] for c in archive.captures()}
    finally:
        archive.close()
    assert errors[base + reports[0]] == "parsing failed: RuntimeError: callback bug"
    assert base + reports[2] not in stored and base + reports[3] not in stored  # dropped, failed in a pipeline
    for path in ("HTTP 500", "robots.txt", "timeout", "refused: loopback address"):
        assert any(path in error for error in errors.values()), path
    # the recrawl skipped the articles the first crawl stored (incremental state, no request)
    assert not {doc.path for doc in failing.reports()} & asked_again
    assert second["status"].total("done") > 5  # skipped pages are leased too, and answered locally


@pytest.mark.e2e
@needs_redis
def test_every_lease_of_a_crawl_with_browser_renders_ends_once(tmp_path):
    from demo.jssites import script_site
    from tests.test_browser_render import needs_chromium

    if needs_chromium.args[0]:
        pytest.skip(needs_chromium.kwargs["reason"])
    with PrivateRedis(tmp_path / "redis") as redis_server, SiteServer(script_site()) as server:
        crawl = crawl_with_workers(redis_server.url, [server.column_url], tmp_path / "a.db", gongkai()[:3],
                                   "--js", "auto")
    assert_every_lease_ended_once(crawl)
    archive = Archive(tmp_path / "a.db")
    try:
        assert any(c["renderer"] == "browser" for c in archive.captures())
    finally:
        archive.close()


def test_worker_settings_put_the_page_end_middleware_next_to_the_engine():
    from scrapy.settings import Settings

    from crawler.distributed import worker_settings

    settings = Settings({"SPIDER_MIDDLEWARES": {"crawler.spidermiddlewares.CallbackFailureMiddleware": 950,
                                                "example.EarlyMiddleware": 3}})
    settings.set("SPIDER_MIDDLEWARES_BASE", {"scrapy.spidermiddlewares.start.StartSpiderMiddleware": 25,
                                             "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware": 50})
    worker_settings(settings, "redis://127.0.0.1:1/0", "w1", None)
    order = settings.getdict("SPIDER_MIDDLEWARES")
    assert order["crawler.leases.PageEndMiddleware"] == 2  # below every other one: first in, last out
    assert order["crawler.leases.LeaseMiddleware"] == 990

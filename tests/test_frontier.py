"""The Redis frontier (leases, per-host turns, the end of a crawl) and the JSON that crosses it,
against a real redis-server started here."""

from __future__ import annotations

import json
import shutil
import time

import pytest

from crawler.frontier import Frontier, Lease
from crawler.jsoncodec import CodecError, dumps, loads


def needs_redis(test):  # noqa: ANN001, ANN201 - a real redis-server, started by the fixture
    skip = pytest.mark.skipif(shutil.which("redis-server") is None,
                              reason="redis-server is not installed (make test installs it)")
    return pytest.mark.e2e(skip(test))


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    from crawler.redisserver import PrivateRedis

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    with PrivateRedis(tmp_path_factory.mktemp("redis")) as server:
        yield server.url


@pytest.fixture
def frontier(redis_url):
    made = Frontier.connect(redis_url, lease_seconds=60, delay=0.5)
    made.reset()
    made.seed(["http://a.gov.cn/xxgk/nb/index.html"])
    made.drop_seeds([raw for raw, _ in made.seeds()])
    return made


@needs_redis
def test_a_host_is_not_leased_again_within_its_delay_whichever_worker_asks(frontier):
    for n in range(3):
        frontier.enqueue(f"a{n}", f"fa{n}", "a.gov.cn", json.dumps({"n": n}))
    frontier.enqueue("b0", "fb0", "b.gov.cn", "{}")
    first = frontier.lease("worker-1")
    other_host = frontier.lease("worker-2")
    wait = frontier.lease("worker-2")
    assert isinstance(first, Lease) and first.id == "a0"
    assert isinstance(other_host, Lease) and other_host.id == "b0"
    assert isinstance(wait, float) and 0.3 < wait <= 0.5  # a.gov.cn's turn has not come
    time.sleep(wait + 0.02)
    assert frontier.lease("worker-2").id == "a1"


@needs_redis
def test_a_request_sent_late_waits_for_the_hosts_turn(frontier):
    frontier.enqueue("a0", "fa0", "a.gov.cn", "{}")
    assert frontier.sent("a.gov.cn") == 0
    assert 0.4 < frontier.sent("a.gov.cn") <= 0.5  # a second request at once must wait


@needs_redis
def test_a_request_checked_but_not_yet_written_holds_the_host_until_written(frontier):
    # A checked request may leave its worker much later (a new connection, a TLS handshake):
    # the next request's delay counts from that write, not from the check.
    assert frontier.sent("a.gov.cn", "w1:1") == 0
    time.sleep(0.6)  # the delay has passed since the check, but nothing was written yet
    assert frontier.sent("a.gov.cn", "w2:1") > 0
    frontier.written("a.gov.cn", "w1:1")
    assert 0.4 < frontier.sent("a.gov.cn", "w2:1") <= 0.5  # the delay, counted from the write
    time.sleep(0.52)
    assert frontier.sent("a.gov.cn", "w2:1") == 0


@needs_redis
def test_a_checked_request_never_written_frees_the_host_when_released_or_expired(frontier):
    assert frontier.sent("a.gov.cn", "w1:1") == 0
    assert not frontier.release("a.gov.cn", "w9:9")  # another request's token frees nothing
    assert frontier.release("a.gov.cn", "w1:1")
    time.sleep(0.52)
    assert frontier.sent("a.gov.cn", "w2:1", slot_seconds=0.3) == 0
    time.sleep(0.55)  # w2's request was never written nor released (its worker died)
    assert frontier.sent("a.gov.cn", "w3:1") == 0


@needs_redis
def test_an_expired_lease_goes_back_to_the_queue_for_another_worker(redis_url, frontier):
    short = Frontier.connect(redis_url, lease_seconds=0.2)
    short.enqueue("a0", "fa0", "a.gov.cn", '{"url": "x"}')
    assert short.lease("dead-worker").id == "a0"
    assert not short.finished()  # leased: not over
    time.sleep(0.3)
    again = short.lease("live-worker")
    assert isinstance(again, Lease) and again.id == "a0"
    assert not short.done("dead-worker", "a0")  # the dead worker no longer owns it
    assert short.done("live-worker", "a0")
    status = short.status()
    assert (status.total("expired"), status.total("done"), status.total("leased")) == (1, 1, 0)
    assert short.finished()


@needs_redis
def test_a_heartbeat_keeps_a_lease(redis_url, frontier):
    short = Frontier.connect(redis_url, lease_seconds=0.3)
    short.enqueue("a0", "fa0", "a.gov.cn", "{}")
    short.lease("w")
    for _ in range(4):
        time.sleep(0.1)
        assert short.heartbeat("w", ["a0"]) == 1
    assert short.lease("other") is None  # still leased, nothing queued
    assert short.status().total("expired") == 0


@needs_redis
def test_seen_fingerprint_or_id_is_not_queued_twice(frontier):
    assert frontier.enqueue("a0", "same", "a.gov.cn", "{}")
    assert not frontier.enqueue("a1", "same", "a.gov.cn", "{}")  # dupefilter
    assert not frontier.enqueue("a0", None, "a.gov.cn", "{}")  # dont_filter, but the same request again
    assert frontier.enqueue("a2", None, "a.gov.cn", "{}")


@needs_redis
def test_crawl_ends_only_when_nothing_is_queued_or_leased(frontier):
    frontier.enqueue("a0", "fa0", "a.gov.cn", "{}")
    assert not frontier.finished()
    lease = frontier.lease("w")
    assert not frontier.finished()
    frontier.done("w", lease.id)
    assert frontier.finished() and frontier.state() == "finished"
    frontier.seed(["http://b.gov.cn/nb/"])  # a new crawl after a finished one starts afresh
    assert frontier.state() == "running" and frontier.status().total("done") == 0


def test_request_meta_round_trips_as_json_without_pickle():
    from scrapy_playwright.page import PageMethod

    from pipelines.extract import Article, Link
    from pipelines.items import PageItem
    from spiders.adapters import AdapterCall
    from spiders.browser import pass_challenge

    first = PageItem(url="http://x.gov.cn/t1.html", kind="article", column_url="http://x.gov.cn/",
                     body="二〇一九年报告".encode("gb18030"), page_texts=[("http://x.gov.cn/t1_1.html", "续")])
    first.article = Article("http://x.gov.cn/t1.html", "2019年报告", "正文", attachments=[Link("a.pdf", "附件")])
    meta = {"gongkai_first_page": first, "playwright_page_methods": [PageMethod(pass_challenge, 8.0)],
            "gongkai_adapter_call": AdapterCall("http://x.gov.cn/dataproxy.jsp", "hanweb", "POST",
                                                {"col": "1"}, {"page": 2}),
            "headers": {b"Referer": [b"http://x.gov.cn/"]}}
    back = loads(dumps(meta))
    assert back["gongkai_first_page"] == first and back["gongkai_first_page"].body == first.body
    assert back["gongkai_first_page"].article.attachments == [Link("a.pdf", "附件")]
    assert back["playwright_page_methods"][0].method is pass_challenge
    assert back["gongkai_adapter_call"] == meta["gongkai_adapter_call"]
    assert back["headers"] == meta["headers"]


@pytest.mark.parametrize("hostile", [
    '{"$t": "os.system", "f": {}}',
    '{"$pm": [{"$fn": "os.system"}, ["id"], {}]}',
    '{"$t": "subprocess.Popen", "f": {"args": "id"}}',
])
def test_json_naming_an_unknown_type_or_function_is_refused(hostile):
    with pytest.raises(CodecError):
        loads(hostile)


def test_an_object_outside_the_allow_list_cannot_be_sent():
    with pytest.raises(CodecError):
        dumps({"x": object()})

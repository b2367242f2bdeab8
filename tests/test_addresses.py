"""Which addresses a crawl may reach (spiders.addresses) and the middleware that enforces it."""

from __future__ import annotations

import asyncio

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest, NotConfigured

from crawler.middlewares import AddressGuardMiddleware
from spiders.addresses import AddressPolicy, address_kind, is_ip_literal
from tests.crawling import gongkai_crawler


@pytest.mark.parametrize(("address", "kind"), [
    ("127.0.0.2", "loopback"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("10.255.255.1", "private"), ("172.16.0.9", "private"), ("192.168.1.1", "private"),
    ("fd00::5", "private"), ("169.254.169.254", "link-local"), ("fe80::1%eth0", "link-local"),
    ("224.0.0.251", "multicast"), ("ff02::1", "multicast"), ("0.0.0.0", "unspecified"),
    ("240.0.0.1", "private"), ("100.64.0.1", "non-global"), ("::ffff:10.0.0.1", "private"),
])
def test_non_public_addresses_are_named(address: str, kind: str) -> None:
    assert address_kind(address) == kind


@pytest.mark.parametrize("address", ["202.108.22.5", "114.114.114.114", "2400:3200::1"])
def test_public_addresses_pass(address: str) -> None:
    assert address_kind(address) is None


def test_ip_literals_need_no_resolution() -> None:
    assert is_ip_literal("10.0.0.1") and is_ip_literal("::1") and is_ip_literal("[::1]")
    assert not is_ip_literal("www.gov.cn") and not is_ip_literal("10.0.0.1.nip.io")


def test_a_start_host_may_be_private_and_another_may_not() -> None:
    policy = AddressPolicy(frozenset({"oa.jz.gov.cn"}))
    assert policy.refusal("oa.jz.gov.cn", ["10.1.2.3"]) is None
    assert policy.refusal("OA.jz.gov.cn".lower(), ["10.1.2.3"]) is None
    assert policy.refusal("files.jz.gov.cn", ["202.108.22.5", "10.1.2.3"]) == \
        "refused: private address 10.1.2.3 (files.jz.gov.cn)"
    assert AddressPolicy(frozenset(), allow_private=True).refusal("x", ["127.0.0.1"]) is None


class ColumnLike(Spider):
    name = "column-like"
    allowed_hosts = {"127.0.0.1"}


def guard(**settings: object) -> AddressGuardMiddleware:
    crawler = gongkai_crawler(ColumnLike, **settings)
    crawler.spider = ColumnLike()
    return AddressGuardMiddleware.from_crawler(crawler)


def test_the_guard_refuses_a_private_literal_without_resolving_it() -> None:
    middleware = guard()
    with pytest.raises(IgnoreRequest, match=r"^refused: link-local address 169\.254\.169\.254$"):
        asyncio.run(middleware.process_request(Request("http://169.254.169.254/latest/meta-data/")))
    assert middleware.stats.get_value("gongkai/address/refused") == 1


def test_the_guard_lets_the_start_host_through_and_names_a_redirect() -> None:
    middleware = guard()
    assert asyncio.run(middleware.process_request(Request("http://127.0.0.1:8000/xxgk/index.html"))) is None
    redirected = Request("http://[::1]:8000/x.html", meta={"redirect_urls": ["http://127.0.0.1:8000/a.html"]})
    with pytest.raises(IgnoreRequest, match=r"loopback address ::1, redirected to http://\[::1\]:8000/x\.html"):
        asyncio.run(middleware.process_request(redirected))


def test_allow_private_switches_the_guard_off() -> None:
    with pytest.raises(NotConfigured):
        guard(GONGKAI_ALLOW_PRIVATE=True)


def test_the_discovery_spiders_homepages_are_start_hosts() -> None:
    from spiders.addresses import crawl_policy
    from spiders.discover import DiscoverSpider

    spider = DiscoverSpider(homepages=["http://127.0.0.1:8000/"])
    policy = crawl_policy(spider, gongkai_crawler().settings)
    assert policy.exempt("127.0.0.1") and not policy.exempt("127.0.0.2")

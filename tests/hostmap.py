"""Test-only DNS: a Scrapy resolver answering some host names from a setting (like curl --resolve).

``-s TWISTED_DNS_RESOLVER=tests.hostmap.HostMapResolver -s 'TEST_HOSTS={"oa.test": "127.0.0.2"}'``
makes ``oa.test`` resolve to 127.0.0.2 inside one crawl, so a test can show that a name is
judged by the address it resolves to, without touching /etc/hosts. Other names resolve as usual.
"""

from __future__ import annotations

from typing import Any

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer


class HostMapResolver(CachingThreadedResolver):
    hosts: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> HostMapResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.hosts = crawler.settings.getdict("TEST_HOSTS")
        return resolver

    def getHostByName(self, name: str, timeout: Any = ()) -> Any:  # noqa: N802 - Twisted's name
        if name in self.hosts:
            return defer.succeed(self.hosts[name])
        return super().getHostByName(name, timeout)

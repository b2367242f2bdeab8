"""A leased page's output in a worker, named after its lease (crawler/distributed.py's workers).

A page fetched again after its worker died must queue nothing twice and store no item twice: each
request it makes is named after the page's lease and its place in the page's output
(:func:`request_id`), each item after the same (:func:`item_key`, the writer's idempotency key).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

LEASE_META = "gongkai_lease"  # the lease id of the request a response answers
PARENT_META = "gongkai_parent"  # "<lease id>:<n>": the page (and place in its output) that made a request
ITEM_KEY = "_gongkai_key"  # attribute LeaseMiddleware sets on an item: the writer's idempotency key


def request_id(request: Request, fingerprint: str) -> str:
    """The frontier id of a request: the same whichever worker makes it, however often.

    A request made by a page (``PARENT_META``) is named after that page's lease and its place in
    the page's output; a retry or redirect of a leased request after the lease; a seed after
    its fingerprint. So a page fetched again after its worker died queues the same ids, which the
    frontier ignores.
    """
    meta = request.meta
    if meta.get(LEASE_META):
        basis = f"{meta[LEASE_META]}|{fingerprint}|{meta.get('retry_times', 0)}|{len(meta.get('redirect_urls', ()))}"
    elif meta.get(PARENT_META):
        basis = f"{meta[PARENT_META]}|{fingerprint}"
    else:
        basis = f"seed|{fingerprint}"
    return hashlib.sha1(basis.encode()).hexdigest()[:20]


class LeaseMiddleware:
    """Spider middleware: name a page's requests and items after the page's lease (see :func:`request_id`)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeaseMiddleware:
        return cls()

    async def process_spider_output_async(self, response: Response, result: Any) -> Any:
        lease = response.meta.get(LEASE_META)
        n = 0
        async for output in result:
            if lease:
                n += 1
                if isinstance(output, Request):
                    output.meta.setdefault(PARENT_META, f"{lease}:{n}")
                else:
                    setattr(output, ITEM_KEY, f"{lease}:{n}:{getattr(output, 'url', '')}")
            yield output

    def process_spider_output(self, response: Response, result: Any) -> Any:
        lease = response.meta.get(LEASE_META)
        for n, output in enumerate(result, 1):
            if lease:
                if isinstance(output, Request):
                    output.meta.setdefault(PARENT_META, f"{lease}:{n}")
                else:
                    setattr(output, ITEM_KEY, f"{lease}:{n}:{getattr(output, 'url', '')}")
            yield output


def item_key(item: Any, data: str) -> str:
    """The writer's idempotency key: the page's lease and place, else the item's content.

    A failed fetch (no lease stamp: errbacks bypass spider middlewares) is keyed by what it
    says minus when it was said.
    """
    key = getattr(item, ITEM_KEY, None)
    if key:
        return hashlib.sha256(key.encode()).hexdigest()
    value = json.loads(data)
    value.get("f", {}).pop("fetched_at", None)
    return hashlib.sha256(json.dumps(value, sort_keys=True).encode()).hexdigest()

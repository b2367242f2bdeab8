"""The shared crawl frontier in Redis: queued requests per host, leases, politeness, the end.

Used by every process of a distributed crawl (crawler/distributed.py): workers lease requests
and report them done, the writer watches for the end, ``gongkai frontier`` seeds and reports.
Every state change is one Lua script (crawler/frontier_lua.py), so two workers never lease the
same request nor ask one host within its delay. No Scrapy here: requests arrive as JSON text.

>>> frontier = Frontier.connect("redis://127.0.0.1:6379/0")       # doctest: +SKIP
>>> frontier.seed(["http://www.example.gov.cn/xxgk/xxgknb/index.html"])  # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass, field
from typing import Any

import redis

from crawler import frontier_lua

PREFIX = "column"  # the spider's name, as scrapy-redis names its keys (column:start_urls …)
ITEMS_GROUP = "writer"
# Keys of one crawl; a new crawl seeded after a finished one starts from none of them.
CRAWL_KEYS = ("start_urls", "dupefilter", "ids", "req", "reqhost", "reqscore", "ready", "next", "leases",
              "owner", "seq", "sent", "sending", "stat:leased", "stat:done", "stat:failed", "stat:expired", "meta",
              "columns", "workers", "items", "url_state", "render_rules", "counts", "alerts")


def worker_id() -> str:
    """This process's name in the frontier (lease owners, WARC file names): host and pid."""
    return f"{socket.gethostname()}-{os.getpid()}"


class FrontierUnavailable(RuntimeError):
    """Redis cannot be reached (wrong URL, server down, wrong password)."""


@dataclass
class Lease:
    """One leased request: its id (for :meth:`Frontier.done`) and its JSON."""

    id: str
    data: str


@dataclass
class HostStatus:
    host: str
    queued: int = 0
    leased: int = 0
    done: int = 0
    failed: int = 0
    expired: int = 0


@dataclass
class Status:
    """What ``gongkai frontier status`` prints: the crawl's state and counts per host."""

    state: str
    seeds: int
    hosts: list[HostStatus] = field(default_factory=list)
    items_waiting: int = 0

    def total(self, name: str) -> int:
        return sum(getattr(h, name) for h in self.hosts)


def _describe(url: str) -> str:
    """A Redis URL without its password, for messages."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        return parts._replace(netloc=netloc).geturl()
    return url


class Frontier:
    """One crawl's frontier in the Redis at ``url`` (``redis://:password@host:6379/0`` or ``unix:///…``).

    :param lease_seconds: how long a worker may hold a request without a heartbeat before it
        goes back to the queue for another worker (``GONGKAI_LEASE_SECONDS``).
    :param delay: the per-host delay in seconds when none was published for the host.
    """

    def __init__(self, client: redis.Redis, prefix: str = PREFIX, lease_seconds: float = 60.0,
                 delay: float = 0.0, url: str = "") -> None:
        self.redis = client
        self.prefix = prefix
        self.lease_ms = int(lease_seconds * 1000)
        self.delay_ms = int(delay * 1000)
        self.url = url
        self._scripts = {name: client.register_script(getattr(frontier_lua, name))
                         for name in ("ENQUEUE", "LEASE", "SENT", "WRITTEN", "RELEASE", "DONE", "HEARTBEAT",
                                     "FINISHED")}

    @classmethod
    def connect(cls, url: str, prefix: str = PREFIX, lease_seconds: float = 60.0, delay: float = 0.0,
                timeout: float = 10.0) -> Frontier:
        """Connect and check the server answers; :class:`FrontierUnavailable` with the reason if not."""
        try:
            client = redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=max(timeout, 30),
                                          health_check_interval=30)
            client.ping()
        except (redis.RedisError, ValueError, OSError) as error:
            raise FrontierUnavailable(f"cannot reach Redis at {_describe(url)}: {error}") from error
        return cls(client, prefix, lease_seconds, delay, url)

    def key(self, name: str) -> str:
        return f"{self.prefix}:{name}"

    def _run(self, name: str, *args: Any) -> Any:
        return self._scripts[name](args=[self.prefix, *args])

    # --- a crawl's life ------------------------------------------------------------------

    def state(self) -> str:
        """``new`` (never seeded), ``running`` or ``finished``."""
        value = self.redis.hget(self.key("meta"), "state")
        return value.decode() if value else "new"

    def reset(self) -> None:
        """Forget the previous crawl (queue, fingerprints, leases, items): the next seed starts afresh."""
        self.redis.delete(*[self.key(k) for k in CRAWL_KEYS],
                          *[self.key(f"q:{h.decode()}") for h in self.redis.smembers(self.key("hosts"))],
                          *self.redis.scan_iter(match=self.key("robots:*")))  # a new crawl asks again
        self.redis.delete(self.key("hosts"))

    def seed(self, urls: list[str]) -> int:
        """Queue column URLs as seeds (``P:start_urls``, JSON as scrapy-redis reads them).

        Seeding after a finished crawl starts a new one. Returns how many were pushed.
        """
        if self.state() == "finished":
            self.reset()
        if not urls:
            return 0
        pipe = self.redis.pipeline()
        pipe.sadd(self.key("columns"), *urls)
        pipe.rpush(self.key("start_urls"), *[json.dumps({"url": u}) for u in urls])
        pipe.hsetnx(self.key("meta"), "started_at", time.time())
        pipe.hset(self.key("meta"), "state", "running")
        pipe.execute()
        return len(urls)

    def columns(self) -> list[str]:
        return sorted(v.decode() for v in self.redis.smembers(self.key("columns")))

    def seeds(self) -> list[tuple[bytes, str]]:
        """The seeds waiting in ``P:start_urls`` as (raw value, URL): JSON ``{"url": …}`` or bare URLs."""
        seeds = []
        for raw in self.redis.lrange(self.key("start_urls"), 0, -1):
            text = raw.decode("utf-8", "replace").strip()
            try:
                value = json.loads(text)
                seeds.append((raw, value["url"] if isinstance(value, dict) else str(value)))
            except (ValueError, KeyError, TypeError):
                seeds.append((raw, text))
        return seeds

    def drop_seeds(self, raws: list[bytes]) -> None:
        """Remove seeds once they are queued as requests (each once, whoever else read them)."""
        pipe = self.redis.pipeline()
        for raw in raws:
            pipe.lrem(self.key("start_urls"), 1, raw)
        pipe.execute()

    def finished(self) -> bool:
        """True once seeded and nothing is left: no seed, nothing queued, nothing leased."""
        return bool(self._run("FINISHED"))

    # --- requests ------------------------------------------------------------------------

    def enqueue(self, request_id: str, fingerprint: str | None, host: str, data: str, priority: int = 0) -> bool:
        """Queue a request (JSON ``data``) for ``host``; False when its id or fingerprint was seen.

        ``fingerprint`` None means ``dont_filter``: only the id is checked, so a request made
        again by a worker that redoes an expired lease is still queued once.
        """
        return bool(self._run("ENQUEUE", request_id, fingerprint or "", host, data, priority))

    def lease(self, worker: str) -> Lease | float | None:
        """The next due request, leased to ``worker``; else seconds until one is due, or None if none is queued."""
        result = self._run("LEASE", worker, self.lease_ms, self.delay_ms)
        if result[0] == 2:
            return Lease(result[1].decode(), result[2].decode("utf-8"))
        if result[0] == 1:
            return result[1] / 1000
        return None

    def sent(self, host: str, token: str = "", slot_seconds: float = 10.0) -> float:
        """A request to ``host`` is about to leave: 0 (go; recorded), or seconds to wait first.

        Going, it holds the host's sending slot under ``token`` until :meth:`written` or
        :meth:`release` (or ``slot_seconds``): no other request to the host goes meanwhile.
        """
        return int(self._run("SENT", host, self.delay_ms, token, int(slot_seconds * 1000))) / 1000

    def written(self, host: str, token: str = "") -> None:
        """A request to ``host`` has been written: its send time is now, if later than at :meth:`sent`.

        ``token`` (the one given to :meth:`sent`) frees the host's sending slot.
        """
        self._run("WRITTEN", host, self.delay_ms, token)

    def release(self, host: str, token: str) -> bool:
        """The request checked under ``token`` will not be written: free the host's sending slot."""
        return bool(self._run("RELEASE", host, token))

    def done(self, worker: str, request_id: str) -> bool:
        return bool(self._run("DONE", worker, request_id))

    def heartbeat(self, worker: str, request_ids: list[str]) -> int:
        """Extend ``worker``'s leases by the lease time; returns how many it still holds."""
        return int(self._run("HEARTBEAT", worker, self.lease_ms, *request_ids))

    def set_delay(self, host: str, seconds: float) -> None:
        """The delay between two requests to ``host``, for all workers (DOWNLOAD_DELAY, AutoThrottle, robots.txt)."""
        self.redis.hset(self.key("delay"), host, int(seconds * 1000))

    def delay(self, host: str) -> float:
        value = self.redis.hget(self.key("delay"), host)
        return int(value) / 1000 if value is not None else self.delay_ms / 1000

    def failed(self, host: str) -> None:
        self.redis.hincrby(self.key("stat:failed"), host, 1)

    # --- shared crawl state ---------------------------------------------------------------

    def add_alerts(self, stat: str, notes: list[str]) -> None:
        """Notes a worker made under a stats key that becomes crawl alerts (an unfollowed pager …).

        A set: a page redone after its worker died says the same thing once.
        """
        if notes:
            self.redis.sadd(self.key("alerts"), *[json.dumps([stat, note], ensure_ascii=False) for note in notes])

    def alerts(self) -> dict[str, list[str]]:
        """Every worker's alert notes by stats key, sorted (for the writer's crawl row)."""
        found: dict[str, list[str]] = {}
        for raw in self.redis.smembers(self.key("alerts")):
            stat, note = json.loads(raw)
            found.setdefault(stat, []).append(note)
        return {stat: sorted(notes) for stat, notes in found.items()}


    def status(self) -> Status:
        """Queued / leased / done / failed requests per host, and the crawl's state."""
        hosts = sorted(h.decode() for h in self.redis.smembers(self.key("hosts")))
        pipe = self.redis.pipeline()
        for host in hosts:
            pipe.zcard(self.key(f"q:{host}"))
        for name in ("leased", "done", "failed", "expired"):
            pipe.hgetall(self.key(f"stat:{name}"))
        pipe.llen(self.key("start_urls"))
        results = pipe.execute()
        queued, stats, seeds = results[:len(hosts)], results[len(hosts):-1], results[-1]
        rows = []
        for host, n in zip(hosts, queued):
            counts = [int(s.get(host.encode(), 0)) for s in stats]
            rows.append(HostStatus(host, n, *counts))
        return Status(self.state(), seeds, rows, self.items_waiting())

    def items_waiting(self) -> int:
        """Items in the stream the writer has not stored yet (unread, or read and not acknowledged)."""
        stream = self.key("items")
        try:
            groups = self.redis.xinfo_groups(stream)
        except redis.ResponseError:  # no stream yet
            return 0
        for group in groups:
            if group["name"].decode() != ITEMS_GROUP:
                continue
            # Redis reports no lag after a restart from its append-only file: count the unread
            last = group["last-delivered-id"].decode()
            lag = group.get("lag")
            unread = int(lag) if lag is not None else len(self.redis.xrange(stream, f"({last}", "+", count=10_000))
            return unread + int(group.get("pending") or 0)
        return int(self.redis.xlen(stream))

"""The one writer of a distributed crawl: items from the Redis stream into the SQLite archive.

Workers (crawler/distributed.py) push every item to ``P:items``; this process reads them as the
``writer`` consumer group and stores each through the same :class:`pipelines.archiving.ArchivePipeline`
a single-process crawl uses. An entry is acknowledged only after the transaction holding it has
committed, and the item's key is committed with it (``ingested``), so a writer killed at any
moment and started again stores every entry exactly once. Before the crawl it publishes what
the workers need from the archive (URL state for incremental skips, render rules).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import redis
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from archive.store import Archive
from crawler import jsoncodec
from crawler.frontier import ITEMS_GROUP, Frontier
from pipelines.archiving import COUNTS

logger = logging.getLogger(__name__)

CONSUMER = "writer"  # one writer: a restarted one takes over its predecessor's pending entries
BATCH = 200  # entries read (and committed) at once at most


@dataclass
class _Spider:
    name: str
    column_urls: list[str] = field(default_factory=list)


class WriterCrawler:
    """What ArchivePipeline reads of a crawler (settings, stats, spider), for a process with no crawl of its own."""

    def __init__(self, settings: Settings, columns: list[str]) -> None:
        self.settings = settings
        self.spider = _Spider("column", columns)
        self.stats = MemoryStatsCollector(self)  # type: ignore[arg-type]


def publish_state(archive: Archive, frontier: Frontier) -> int:
    """Copy the archive's URL state and render rules to Redis for the workers; returns URLs published."""
    key = frontier.key("url_state")
    frontier.redis.delete(key)
    pipe, count = frontier.redis.pipeline(transaction=False), 0
    for row in archive.url_states():
        state = {k: row.get(k) for k in ("url", "kind", "status", "etag", "last_modified", "last_checked")}
        pipe.hset(key, row["url"], json.dumps(state))
        count += 1
        if count % 5000 == 0:
            pipe.execute()
    pipe.set(frontier.key("render_rules"), json.dumps(archive.render_rules()))
    pipe.hset(frontier.key("meta"), "state_ready", 1)
    pipe.execute()
    return count


def _decode(fields: dict[bytes, bytes]) -> tuple[str, Any]:
    return fields[b"key"].decode(), jsoncodec.loads(fields[b"item"])


class Writer:
    """Reads the stream into the archive. ``Writer(frontier, "archive.db", settings).run()``."""

    def __init__(self, frontier: Frontier, db_path: str, settings: Settings,
                 progress_interval: float = 0.0, out: TextIO = sys.stderr) -> None:
        self.frontier = frontier
        self.db_path = db_path
        self.settings = settings
        self.progress_interval = progress_interval
        self.out = out
        self.pipeline: Any = None
        self.stream = frontier.key("items")

    def prepare(self) -> None:
        """Publish the archive's state, so workers can start; a finished crawl's keys are cleared first."""
        if self.frontier.state() == "finished" and self._drained():
            self.frontier.reset()  # a new crawl; a finished one with items left is stored first
        archive = Archive(self.db_path)
        try:
            published = publish_state(archive, self.frontier)
        finally:
            archive.close()
        logger.info("published the state of %d URLs for the workers", published)
        try:
            self.frontier.redis.xgroup_create(self.stream, ITEMS_GROUP, id="0", mkstream=True)
        except redis.ResponseError as error:
            if "BUSYGROUP" not in str(error):
                raise

    def run(self) -> int:
        """Store entries until the crawl is over and the stream drained; returns the archive's crawl id."""
        from pipelines.archiving import ArchivePipeline

        self.prepare()
        columns = self._columns()
        settings = self.settings.copy()
        # the writer commits itself, after each batch of entries, then acknowledges them
        settings.set("GONGKAI_COMMIT_SECONDS", 1e9, priority="cmdline")
        settings.set("GONGKAI_COMMIT_ITEMS", 10**9, priority="cmdline")
        crawler = WriterCrawler(settings, columns)
        crawler.stats.open_spider()
        settings.set("GONGKAI_DB", self.db_path, priority="cmdline")
        # A writer restarted during a crawl continues the crawl's row in the same archive (the
        # id the first writer put in Redis): one crawls row per distributed crawl.
        meta, archive_path = self.frontier.key("meta"), str(Path(self.db_path).resolve())
        crawl_id, crawl_db = self.frontier.redis.hmget(meta, "crawl_id", "crawl_db")
        resumed = int(crawl_id) if crawl_id and crawl_db and crawl_db.decode() == archive_path else 0
        settings.set("GONGKAI_CRAWL_ID", resumed, priority="cmdline")
        self.pipeline = pipeline = ArchivePipeline.from_crawler(crawler)  # type: ignore[arg-type]
        pipeline.open_spider()
        archive: Archive = pipeline.archive
        if pipeline.crawl_id == resumed:
            # the counts committed with the items the killed writer stored (see _store)
            row = archive.crawl(resumed) or {}
            for key in COUNTS:
                if row.get(key) is not None:
                    pipeline.stats.set_value(f"gongkai/{key}", row[key])
            logger.warning("continuing crawl #%d, left by a writer that stopped", resumed)
        self.frontier.redis.hset(meta, mapping={"crawl_id": pipeline.crawl_id, "crawl_db": archive_path})
        last_progress = time.monotonic()
        backlog = "0"  # first this consumer's entries read but never acknowledged (a killed writer's)
        while True:
            try:
                answer = self.frontier.redis.xreadgroup(ITEMS_GROUP, CONSUMER, {self.stream: backlog},
                                                        count=BATCH, block=None if backlog == "0" else 1000)
                entries = answer[0][1] if answer else []
                if backlog == "0" and not entries:
                    backlog = ">"
                    continue
                if entries:
                    self._store(archive, entries)
                if self.progress_interval and time.monotonic() - last_progress >= self.progress_interval:
                    print(self.progress_line(), file=self.out, flush=True)
                    last_progress = time.monotonic()
                if not entries and backlog == ">" and self._over():
                    break
            except redis.ConnectionError as error:
                # Redis restarting: what was committed but not acknowledged is read again from
                # this consumer's pending entries, and recognised by its key
                logger.warning("Redis unreachable (%s); retrying", error)
                archive.commit_batch()
                archive.begin_batch()
                backlog = "0"
                time.sleep(1.0)
        crawler.stats.set_value("finish_reason", "finished")
        # the workers' notes that become crawl alerts (their stats are not this process's)
        for stat, notes in self.frontier.alerts().items():
            crawler.stats.set_value(stat, notes)
        pipeline.close_spider()
        return int(pipeline.crawl_id)

    def _columns(self) -> list[str]:
        if not self.frontier.columns():
            logger.warning("waiting for a crawl to be seeded (gongkai frontier seed URL… --redis …)")
        while not self.frontier.columns():
            time.sleep(0.5)
        self._new_columns = set(self.frontier.columns())
        return sorted(self._new_columns)

    def _store(self, archive: Archive, entries: list[tuple[bytes, dict[bytes, bytes]]]) -> None:
        pipeline = self.pipeline
        for _entry_id, fields in entries:
            try:
                key, item = _decode(fields)
            except (jsoncodec.CodecError, KeyError) as error:
                logger.error("stream entry %s cannot be read, skipped: %s", _entry_id, error)
                continue
            if archive.is_ingested(key):
                continue  # delivered again after a writer was killed between commit and ack
            if item.column_url not in pipeline.sites:  # a column seeded during the crawl
                pipeline.sites[item.column_url] = archive.ensure_site(item.column_url)
            pipeline.process_item(item)
            archive.mark_ingested(key)
        # the counts commit with the items counted, so a restarted writer continues from them
        archive.save_crawl_counts(pipeline.crawl_id, {key: pipeline.stats.get_value(f"gongkai/{key}", 0)
                                                      for key in COUNTS})
        archive.commit_batch()
        self.frontier.redis.xack(self.stream, ITEMS_GROUP, *[entry_id for entry_id, _ in entries])
        archive.begin_batch()
        counts = {k[len("gongkai/"):]: v for k, v in pipeline.stats.get_stats().items()
                  if k.startswith("gongkai/") and isinstance(v, int)}
        self.frontier.redis.hset(self.frontier.key("counts"), mapping=counts or {"pages_fetched": 0})

    def _over(self) -> bool:
        """The crawl has ended (nothing queued or leased) and every entry is stored."""
        return self.frontier.finished() and self._drained()

    def _drained(self) -> bool:
        """Every entry of the stream is stored and acknowledged."""
        return self.frontier.items_waiting() == 0

    def progress_line(self) -> str:
        return progress_line(self.frontier)


def progress_line(frontier: Frontier) -> str:
    """The crawl's progress from Redis: what the writer stored, what the frontier holds."""
    counts = {k.decode(): int(v) for k, v in frontier.redis.hgetall(frontier.key("counts")).items()}
    status = frontier.status()
    get = counts.get
    return (
        f"[gongkai] {get('pages_fetched', 0)} pages fetched "
        f"({get('list_pages', 0)} list, {get('articles', 0)} articles), "
        f"reports {get('reports_new', 0)} new / {get('reports_updated', 0)} updated / "
        f"{get('reports_unchanged', 0)} unchanged, {get('failures', 0)} failures, "
        f"{status.total('queued')} queued, {status.total('leased')} leased, "
        f"{status.items_waiting} items waiting"
    )

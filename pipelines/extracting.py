"""Item pipeline that runs the extraction passes on every fetched article page.

Thin Scrapy wrapper around :func:`pipelines.extract.extract_article`; sits before the archive
pipeline (order in ``crawler/settings.py``).
"""

from __future__ import annotations

from scrapy.crawler import Crawler

from crawler.items import PageItem
from pipelines.extract import extract_article

# Share of U+FFFD in a decoded page above which the bytes count as undecodable: a few stray
# bytes (a truncated multi-byte character) are tolerated, a page of garbage is not.
MAX_REPLACEMENT_SHARE = 0.01


class ExtractPipeline:
    """Adds ``item.article`` to article pages; marks undecodable pages as failures."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def process_item(self, item: PageItem) -> PageItem:
        if item.kind != "article" or item.error or item.text is None:
            return item
        bad = item.text.count("\ufffd")
        if bad and bad / max(len(item.text), 1) > MAX_REPLACEMENT_SHARE:
            item.error = f"undecodable body: {bad} replacement characters under {item.encoding}"
            self.stats.inc_value("gongkai/extract/undecodable")
            return item
        item.article = extract_article(
            item.text, item.final_url or item.url, list_title=item.list_title,
            list_date=item.list_date,
        )
        self.stats.inc_value(f"gongkai/extract/container/{item.article.container.split('[')[0]}")
        self.stats.inc_value(f"gongkai/doc_type/{item.article.classification.doc_type}")
        return item

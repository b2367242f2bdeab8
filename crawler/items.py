"""The item every spider callback yields: one fetch of one URL, with what the crawl knew of it.

Spider → middleware → pipelines: the spider fills the fetch fields, the extraction pipeline
adds ``article``, the archive pipeline stores it all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PageItem:
    """One fetch (or failed fetch) of a list page, article page or attachment.

    ``kind`` is ``list``, ``article`` or ``attachment``; ``error`` is set when the fetch failed
    (then ``body`` may be None); ``encoding`` holds the declared/detected/chosen charsets.
    """

    url: str
    kind: str
    column_url: str
    status: int | None = None
    final_url: str | None = None
    fetched_at: str | None = None
    content_type: str | None = None
    body: bytes | None = None
    text: str | None = None
    encoding: dict[str, str | None] | None = None
    renderer: str = "http"
    error: str | None = None
    referer: str | None = None
    list_title: str | None = None
    list_date: str | None = None
    attachments: list[dict[str, str]] = field(default_factory=list)
    article: Any = None  # pipelines.extract.Article, set by ExtractPipeline

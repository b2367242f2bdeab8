"""Scrapy settings for gongkai: every default and the order of every component, in one place.

``GONGKAI_*`` settings are the project's own; override any setting with ``-s NAME=VALUE`` on
``scrapy crawl`` or ``gongkai crawl``.
"""

from crawler import __version__

BOT_NAME = "gongkai"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- gongkai ------------------------------------------------------------------------------
GONGKAI_DB = "archive.db"  # the SQLite archive the crawl writes
GONGKAI_MAX_LIST_PAGES = 500  # list pages followed per column (pagers can be unbounded)
GONGKAI_PROGRESS_INTERVAL = 10.0  # seconds between progress lines; 0 turns them off
GONGKAI_SUMMARY = True  # print the end-of-crawl summary

# --- politeness: government sites are small servers; be gentle by default -----------------
USER_AGENT = (
    f"gongkai/{__version__} (archiving crawler for government information-disclosure "
    "reports; +https://github.com/gongkai-archive/gongkai)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 50 * 1024 * 1024  # attachments can be large scanned PDFs
DOWNLOAD_WARNSIZE = 10 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False

# Breadth-first: list pages of a column before deep article chains, so progress is visible
# and a stopped crawl has seen the whole list.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# --- components -----------------------------------------------------------------------------
DOWNLOADER_MIDDLEWARES = {
    # exact-host rule replaces Scrapy's subdomain-allowing, dont_filter-skipping offsite check
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.SameHostMiddleware": 50,
    # after HttpCompression (590) has decompressed, before MetaRefresh (580) reads text
    "crawler.middlewares.EncodingMiddleware": 585,
}
ITEM_PIPELINES = {
    "pipelines.extracting.ExtractPipeline": 300,
    "pipelines.archiving.ArchivePipeline": 800,
}
EXTENSIONS = {
    "crawler.extensions.Progress": 500,
    "crawler.extensions.Summary": 510,
    # Scrapy 2.19 opens a remote-control HTTP port by default; a crawler needs none.
    "scrapy.extensions.remote_control.RemoteControl": None,
}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

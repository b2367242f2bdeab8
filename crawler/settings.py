"""Scrapy settings for gongkai: every default and the order of every component, in one place.

``GONGKAI_*`` settings are the project's own; override any setting with ``-s NAME=VALUE`` on
``scrapy crawl`` or ``gongkai crawl``.
"""

import os

from crawler import __version__

BOT_NAME = "gongkai"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- gongkai ------------------------------------------------------------------------------
# The version recorded with each crawl (crawls.gongkai_version) and in the WARC files; a setting so
# that the pipelines, below the CLI in the layers (README "Architecture"), need not import it.
GONGKAI_VERSION = __version__
GONGKAI_DB = "archive.db"  # the SQLite archive the crawl writes
GONGKAI_MAX_LIST_PAGES = 500  # list pages followed per column (pagers can be unbounded)
# Requests to loopback, private, link-local, multicast and reserved addresses are refused
# unless they go to a start URL's host (spiders/addresses.py); True (--allow-private) allows them.
GONGKAI_ALLOW_PRIVATE = False
GONGKAI_PROGRESS_INTERVAL = 10.0  # seconds between progress lines; 0 turns them off
GONGKAI_SUMMARY = True  # print the end-of-crawl summary
# Article pages are read (one parse: render check, files, extraction, statistics) in worker
# processes once a crawl has read this many inline ("auto" = one worker per CPU beyond the
# first, at most 4; 0 = always inline).
GONGKAI_EXTRACT_WORKERS = "auto"
GONGKAI_EXTRACT_POOL_AFTER = 50
# Archive writes are committed in batches: at most this many seconds or items per transaction
# (each item stays atomic; a crash loses at most the open batch, which the next crawl refetches).
GONGKAI_COMMIT_SECONDS = 1.0
GONGKAI_COMMIT_ITEMS = 500
# The crawls row to continue instead of starting one (0: start one); set by a distributed crawl's
# restarted writer (crawler/writer.py), which keeps one row per crawl.
GONGKAI_CRAWL_ID = 0
# Incremental crawls: list pages are always fetched; a known article/attachment URL checked
# less than GONGKAI_RECHECK_DAYS ago is not requested, an older one is requested again with
# If-None-Match / If-Modified-Since where the server gave validators (a 304 = unchanged).
GONGKAI_INCREMENTAL = True
GONGKAI_RECHECK = False  # request every known page again now (conditionally where possible)
GONGKAI_RECHECK_DAYS = 30.0  # 0 = recheck known pages on every crawl
# WARC 1.1 files of every exchange; the folder defaults to the archive's name + "-warc"
GONGKAI_WARC = True
GONGKAI_WARC_DIR = None
GONGKAI_WARC_MAX_SIZE = 512 * 1024 * 1024  # rotate to a new file past this size
# Monitoring alerts in the summary and crawls.alerts
GONGKAI_ALERT_ERROR_RATE = 0.2  # share of failed fetches above which a crawl is flagged
GONGKAI_ALERT_STALE_DAYS = 365  # a site whose newest report is older than this is flagged; 0 = off
# Attachments (PDF/DOC/DOCX/WPS/OFD/XLS… linked from report and list pages): fetched over
# plain HTTP, type sniffed from the bytes, text read (pipelines/attachments.py).
GONGKAI_ATTACHMENTS = True  # follow attachment links at all
GONGKAI_ATTACHMENT_MAXSIZE = 50 * 1024 * 1024  # bytes; larger files are cancelled (oversize)
GONGKAI_ATTACHMENT_WORKERS = 2  # files read at once, in threads (LibreOffice/Tesseract are CPU-bound)
GONGKAI_OCR = "auto"  # scanned pages: "auto" = on when tesseract + chi_sim are installed; True/False
GONGKAI_OCR_LANG = "chi_sim"
GONGKAI_OCR_DPI = 300
GONGKAI_OCR_MAX_PAGES = 50  # pages OCR'd per file at most
GONGKAI_OCR_TIMEOUT = 120  # seconds per page
GONGKAI_SOFFICE = "soffice"  # LibreOffice, converts DOC/WPS (Debian libreoffice-writer-nogui)
GONGKAI_CONVERTER_TIMEOUT = 120  # seconds per DOC/WPS conversion

# --- distributed crawls (gongkai crawl --workers N, gongkai worker/writer; crawler/distributed.py) --
# A request a worker leased and did not finish (no heartbeat) within this many seconds goes back
# to the queue for another worker: the time a dead worker's pages wait.
REDIS_URL = None  # scrapy-redis's name; gongkai worker --redis URL sets it
GONGKAI_LEASE_SECONDS = 60.0
# A worker that cannot reach Redis for this long stops (it retries until then).
GONGKAI_REDIS_UNREACHABLE_SECONDS = 120.0
# Set by `gongkai worker` itself (crawler/distributed.py), not by users: the worker's name
# (leases, WARC file names) and the per-host delay the frontier enforces for all workers
# (DOWNLOAD_DELAY's value; the worker's own downloader then keeps only AutoThrottle's additions).
GONGKAI_WORKER_ID = None
GONGKAI_FRONTIER_DELAY = 0.0
# A worker waits for a crawl to be seeded (a machine's service: deploy/gongkai-worker.service).
# `gongkai crawl --workers N` starts its workers for the crawl it has just seeded, with False: one
# that starts after the others have finished that crawl (a small one) exits instead of waiting.
GONGKAI_WORKER_WAITS = True

# --- JavaScript: list endpoints read directly (spiders/adapters), a browser only when needed --
# auto: render pages detected as script-built (pipelines/render.py) and pages the archive's
# render_rules remember as such; always: every list and article page; never: no browser.
# gongkai discover: pages fetched per portal at most, and links followed down from its homepage
# (the column sits one to three levels under a 政府信息公开 hub on real portals).
GONGKAI_DISCOVER_MAX_PAGES = 60
GONGKAI_DISCOVER_MAX_DEPTH = 3
GONGKAI_JS = "auto"
GONGKAI_JS_SITES: dict[str, str] = {}  # per host: -s 'GONGKAI_JS_SITES={"www.x.gov.cn": "never"}'
GONGKAI_BROWSER_PAGE_TIMEOUT = 60.0  # seconds for one render; a hung page is closed, the request retried
# Renders per browser context before a fresh one; 0 = never. Pages are closed after each render
# and Chromium's PSS stayed flat over 1,050 renders in one context (bench/js.py): a safety valve
# for sites whose caches or service workers grow a long-lived context.
GONGKAI_BROWSER_CONTEXT_PAGES = 500
GONGKAI_BROWSER_SETTLE = 1.5  # seconds to wait at most for the network to go quiet (XHR-built lists)
# scrapy-playwright (spiders/browser.py subclasses its handler). Only requests with
# meta["playwright"] reach Chromium, and the driver starts with the first of them; everything
# else is Scrapy's own HTTP download. Debian's chromium, never `playwright install`.
DOWNLOAD_HANDLERS = {
    "http": "spiders.browser.BrowserDownloadHandler",
    "https": "spiders.browser.BrowserDownloadHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": os.environ.get("GONGKAI_CHROMIUM", "/usr/bin/chromium"),
    "headless": True,
    "timeout": 30_000,
    "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
             "--disable-component-update", "--no-first-run"],
}
PLAYWRIGHT_ABORT_REQUEST = "spiders.browser.abort_request"  # images, fonts, media
PLAYWRIGHT_MAX_CONTEXTS = 2  # the current context and one being retired
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000  # ms
PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER = True  # a crashed browser is relaunched for the next page

# --- politeness: government sites are small servers; be gentle by default -----------------
USER_AGENT = (
    f"gongkai/{__version__} (archiving crawler for government information-disclosure "
    "reports; +https://github.com/gongkai-archive/gongkai)"
)
ROBOTSTXT_OBEY = True
# Distributed crawls: a host's robots.txt, fetched by one worker, serves every worker this long
# (seconds; a new crawl fetches it again).
GONGKAI_ROBOTS_TTL = 86400
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
# Scrapy starts this many asyncio tasks for every response's output (2.13+), whatever its size;
# a page yields one item or a list page's ~20 links, so 100 (the default) was ~50 idle tasks a
# page: 7 % of a crawl's CPU in bench/crawl.py's profile.
CONCURRENT_ITEMS = 8
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
    # no connection to private/loopback/link-local addresses but the start hosts, after DNS
    "crawler.middlewares.AddressGuardMiddleware": 45,
    "crawler.middlewares.SameHostMiddleware": 50,
    # Scrapy's, but a redirect loop is a recorded failure instead of a silent duplicate drop
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.RedirectMiddleware": 600,
    # known pages: conditional request or local skip, after robots.txt (100)
    "crawler.middlewares.IncrementalMiddleware": 540,
    # browser or plain HTTP, after the incremental skip (a skipped page never starts a browser)
    "spiders.browser.BrowserRouter": 560,
    # after HttpCompression (590) has decompressed, before MetaRefresh (580) reads text
    "crawler.middlewares.EncodingMiddleware": 585,
    # next to the downloader: sees requests with every header, responses as received
    "crawler.middlewares.WarcMiddleware": 950,
}
SPIDER_MIDDLEWARES = {
    # a callback that raises still leaves its page in the archive, as a failed capture
    "crawler.spidermiddlewares.CallbackFailureMiddleware": 950,
}
ITEM_PIPELINES = {
    "pipelines.extracting.ExtractPipeline": 300,
    "pipelines.attachments_pipeline.AttachmentPipeline": 400,  # reads files; needs no article
    "pipelines.archiving.ArchiveThreadPipeline": 800,
}
EXTENSIONS = {
    "crawler.extensions.Progress": 500,
    "crawler.extensions.Summary": 510,
    # Scrapy 2.19 opens a remote-control HTTP port by default; a crawler needs none.
    "scrapy.extensions.remote_control.RemoteControl": None,
}

LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

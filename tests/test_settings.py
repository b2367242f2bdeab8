"""Every GONGKAI_* default lives in crawler/settings.py, and each component reads its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured

from crawler.extensions import Progress, Summary
from crawler.middlewares import IncrementalMiddleware, WarcMiddleware
from pipelines.archiving import ArchivePipeline
from pipelines.attachments_pipeline import AttachmentPipeline, read_options
from pipelines.extracting import ExtractPipeline
from spiders.browser import BrowserOptions
from tests.crawling import REPO, gongkai_crawler, gongkai_defaults

# the components' code; crawler/settings.py is where the defaults (and the GONGKAI_CHROMIUM
# environment variable's) are written
CODE = [p for package in ("crawler", "spiders", "pipelines", "archive") for p in (REPO / package).rglob("*.py")
        if p != REPO / "crawler" / "settings.py"]
# settings.get("GONGKAI_X", default), .getint(…, default) …: a default repeated inline
INLINE_DEFAULT = re.compile(r"""\.get(?:int|float|bool|list|dict)?\(\s*["'](GONGKAI_[A-Z_]+)["']\s*,""")
READ = re.compile(r"""\.get(?:int|float|bool|list|dict)?\(\s*["'](GONGKAI_[A-Z_]+)["']"""
                  r"""|settings\[["'](GONGKAI_[A-Z_]+)""")


def _relative(path: Path) -> str:
    return str(path.relative_to(REPO))


def test_no_component_repeats_a_default_inline():
    inline = [f"{_relative(p)}: {m.group(1)}" for p in CODE for m in INLINE_DEFAULT.finditer(p.read_text())]
    assert inline == []


def test_every_setting_the_code_reads_has_its_default_in_the_settings_module():
    read = {name for p in CODE for m in READ.finditer(p.read_text()) for name in m.groups() if name}
    assert read and read <= set(gongkai_defaults())


def test_archive_pipeline_reads_its_database_batching_and_version(tmp_path):
    pipeline = ArchivePipeline.from_crawler(gongkai_crawler(
        GONGKAI_DB=str(tmp_path / "a.db"), GONGKAI_COMMIT_SECONDS=2.5, GONGKAI_COMMIT_ITEMS=7,
        GONGKAI_VERSION="9.9"))
    assert (pipeline.db_path, pipeline.commit_seconds, pipeline.commit_items, pipeline.version) == (
        str(tmp_path / "a.db"), 2.5, 7, "9.9")


def test_extract_pipeline_reads_its_workers_and_pool_threshold():
    pipeline = ExtractPipeline(gongkai_crawler(GONGKAI_EXTRACT_WORKERS="3", GONGKAI_EXTRACT_POOL_AFTER=11))
    assert (pipeline.reader.workers, pipeline.reader.pool_after) == (3, 11)
    assert ExtractPipeline(gongkai_crawler()).reader.pool_after == gongkai_defaults()["GONGKAI_EXTRACT_POOL_AFTER"]


def test_attachment_pipeline_reads_its_converters_and_switch():
    options = read_options(gongkai_crawler(GONGKAI_OCR=False, GONGKAI_SOFFICE="/opt/lo/soffice",
                                           GONGKAI_CONVERTER_TIMEOUT=9).settings)
    assert not options.ocr.enabled and options.soffice.timeout == 9
    with pytest.raises(NotConfigured):
        AttachmentPipeline.from_crawler(gongkai_crawler(GONGKAI_ATTACHMENTS=False))


def test_incremental_middleware_reads_its_recheck_rules_and_switch(tmp_path):
    middleware = IncrementalMiddleware.from_crawler(gongkai_crawler(
        GONGKAI_DB=str(tmp_path / "a.db"), GONGKAI_RECHECK=True, GONGKAI_RECHECK_DAYS=3))
    assert (middleware.recheck, middleware.recheck_days) == (True, 3.0)
    with pytest.raises(NotConfigured):
        IncrementalMiddleware.from_crawler(gongkai_crawler(GONGKAI_INCREMENTAL=False))


def test_warc_middleware_reads_its_folder_size_and_switch(tmp_path):
    middleware = WarcMiddleware.from_crawler(gongkai_crawler(
        GONGKAI_WARC_DIR=str(tmp_path / "w"), GONGKAI_WARC_MAX_SIZE=12345))
    assert (middleware.store.folder, middleware.store.max_size) == (tmp_path / "w", 12345)
    with pytest.raises(NotConfigured):
        WarcMiddleware.from_crawler(gongkai_crawler(GONGKAI_WARC=False))


def test_progress_and_summary_read_their_interval_and_switch():
    assert Progress.from_crawler(gongkai_crawler(GONGKAI_PROGRESS_INTERVAL=4)).interval == 4.0
    with pytest.raises(NotConfigured):
        Summary.from_crawler(gongkai_crawler(GONGKAI_SUMMARY=False))


def test_browser_options_read_the_mode_and_limits():
    options = BrowserOptions.from_settings(gongkai_crawler(GONGKAI_JS="never", GONGKAI_BROWSER_PAGE_TIMEOUT=7).settings)
    assert options.mode == "never" and options.page_timeout == 7.0
    assert BrowserOptions.from_settings(gongkai_crawler().settings).mode == gongkai_defaults()["GONGKAI_JS"]

"""The archive's SQLite schema as named migrations, applied once each (sqlite-utils Migrations).

Datasette-friendly by construction: integer primary keys, declared foreign keys with indexes,
ISO-8601 UTC text dates, a lookup table for sites, raw bytes kept out of browse tables
(``blobs``), and an FTS5 trigram index over report title and body. A new column or table is a
new migration at the end of this file; existing migrations never change.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("gongkai")


@migrations()
def m001_initial(db: Database) -> None:
    db["crawls"].create(
        {
            "id": int,
            "started_at": str,
            "finished_at": str,
            "arguments": str,  # JSON: column URLs and overridden settings
            "gongkai_version": str,
            "status": str,  # running / finished / failed
            "pages_fetched": int,
            "list_pages": int,
            "articles": int,
            "reports_new": int,
            "reports_updated": int,
            "reports_unchanged": int,
            "failures": int,
            "bytes": int,
        },
        pk="id",
    )
    db["sites"].create(
        {
            "id": int,
            "host": str,
            "name": str,
            "column_url": str,
            "first_crawled": str,
            "last_crawled": str,
        },
        pk="id",
        not_null={"host", "column_url"},
    )
    db["sites"].create_index(["column_url"], unique=True)
    db["blobs"].create({"sha256": str, "size": int, "content": bytes}, pk="sha256")
    db["captures"].create(
        {
            "id": int,
            "crawl_id": int,
            "site_id": int,
            "url": str,
            "final_url": str,
            "kind": str,  # list / article / attachment / robots
            "status": int,
            "fetched_at": str,
            "content_type": str,
            "size": int,
            "sha256": str,
            "encoding_header": str,
            "encoding_meta": str,
            "encoding_detected": str,
            "encoding_chosen": str,
            "encoding_reason": str,
            "renderer": str,  # http / browser
            "title": str,
            "doc_type": str,  # annual_report / guide / notice / … for articles
            "error": str,
            "referer": str,
        },
        pk="id",
        foreign_keys=[
            ("crawl_id", "crawls", "id"),
            ("site_id", "sites", "id"),
            ("sha256", "blobs", "sha256"),
        ],
    )
    db["captures"].create_index(["url"])
    db["reports"].create(
        {
            "id": int,
            "url": str,
            "site_id": int,
            "capture_id": int,
            "title": str,
            "publish_date": str,
            "written_date": str,
            "report_year": int,
            "agency": str,
            "index_no": str,
            "doc_number": str,
            "script": str,
            "body_text": str,
            "chars": int,
            "sha256": str,
            "list_title": str,
            "list_date": str,
            "date_source": str,
            "year_source": str,
            "agency_source": str,
            "container": str,
            "source_format": str,  # html; pdf/docx/… once attachments are extracted
            "repaired_pinyin": int,
            "from_mirror": int,
            "first_seen": str,
            "last_seen": str,
            "version": int,
        },
        pk="id",
        not_null={"url"},
        foreign_keys=[("site_id", "sites", "id"), ("capture_id", "captures", "id")],
    )
    db["reports"].create_index(["url"], unique=True)
    db["report_versions"].create(
        {
            "id": int,
            "report_id": int,
            "version": int,
            "capture_id": int,
            "seen_at": str,
            "sha256": str,
            "title": str,
            "publish_date": str,
            "body_text": str,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id"), ("capture_id", "captures", "id")],
    )
    db["report_versions"].create_index(["report_id", "version"], unique=True)
    db["attachments"].create(
        {
            "id": int,
            "report_id": int,
            "capture_id": int,  # the page capture that linked it
            "page_url": str,
            "url": str,
            "link_text": str,
            "extension": str,
        },
        pk="id",
        foreign_keys=[("report_id", "reports", "id"), ("capture_id", "captures", "id")],
    )
    db["attachments"].create_index(["page_url", "url"], unique=True)
    db.index_foreign_keys()
    # Trigram: substring search for Chinese terms of 3+ characters (unicode61 would treat a
    # whole run of Han characters as one token and find nothing).
    db["reports"].enable_fts(
        ["title", "body_text"], tokenize="trigram", create_triggers=True
    )


def migrate(db: Database) -> None:
    """Bring ``db`` up to the current schema."""
    migrations.apply(db)

"""The archive's SQLite schema as named migrations, applied once each (sqlite-utils Migrations).

Datasette-friendly by construction: integer primary keys, declared foreign keys with indexes,
ISO-8601 UTC text dates, a lookup table for sites, raw bytes kept out of browse tables
(``blobs``), and an FTS5 trigram index over report title and body. A new column or table is a
new migration at the end of this file; existing migrations never change.
"""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations


def utc_now() -> str:
    """The current time as the archive writes it: ISO-8601 UTC text, to the second: ``2026-11-23T19:04:43Z``."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

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


@migrations()
def m002_incremental_and_warc(db: Database) -> None:
    # Per-URL crawl state: what the next crawl needs to skip or conditionally request a page.
    db["url_state"].create(
        {
            "url": str,
            "kind": str,
            "status": int,
            "etag": str,
            "last_modified": str,
            "sha256": str,  # of the last body received
            "last_fetched": str,  # last time a body was received
            "last_checked": str,  # last time the server confirmed it (200 or 304; a skip is no check)
            "capture_id": int,
        },
        pk="url",
        foreign_keys=[("capture_id", "captures", "id")],
    )
    captures = db["captures"]
    for column, kind in (
        ("headers", str),  # JSON of the response headers as received
        ("etag", str),
        ("last_modified", str),
        ("entries", int),  # column entries found on a list page (layout-change monitoring)
        ("warc_file", str),
        ("warc_offset", int),
        ("warc_length", int),
        ("warc_record_id", str),
    ):
        captures.add_column(column, kind)
    crawls = db["crawls"]
    for column, kind in (
        ("articles_not_modified", int),  # 304 answers to conditional requests
        ("articles_skipped", int),  # known pages not requested at all
        ("alerts", str),  # JSON list of monitoring alerts
    ):
        crawls.add_column(column, kind)
    db["url_state"].create_index(["capture_id"])


@migrations()
def m003_simplified_copies_and_search(db: Database) -> None:
    # Cross-script search (資訊公開 ↔ 信息公开): a simplified copy of traditional titles and bodies
    # (NULL for text that is already simplified) indexed beside the originals.
    from archive.zhs import simplified_copy

    reports = db["reports"]
    reports.disable_fts()  # rebuilt once below, instead of re-indexing every row we update
    reports.add_column("title_zhs", str)
    reports.add_column("body_zhs", str)
    for row in db.query("select id, title, body_text from reports"):
        title, body = simplified_copy(row["title"]), simplified_copy(row["body_text"])
        if title or body:
            db.execute("update reports set title_zhs = ?, body_zhs = ? where id = ?", [title, body, row["id"]])
    reports.enable_fts(["title", "body_text", "title_zhs", "body_zhs"], tokenize="trigram", create_triggers=True)


@migrations()
def m004_report_statistics(db: Database) -> None:
    # The statistics of each report (pipelines/stats.py): its sections 一…六, one row per table
    # cell in long form, and the template's sum checks. Rows belong to the report's current
    # version and are replaced whenever the report is saved again. Written as SQL because
    # sqlite-utils cannot declare NUMERIC: with it counts stay integers and amounts reals.
    db["reports"].add_column("template", str)  # t2019 / t2021 / legacy, when known
    db.execute(
        """create table report_sections (
            id integer primary key,
            report_id integer not null references reports(id),
            number integer,  -- 0: the preamble before 一; then the heading's own number
            heading text,
            text text
        )"""
    )
    db.execute(
        """create table report_cells (
            id integer primary key,
            report_id integer not null references reports(id),
            table_name text not null,  -- 表二 / 表三 / 表四
            row_label text,  -- the template's canonical label; NULL for a row it does not know
            col_label text,
            raw_row_label text,  -- as the report wrote them
            raw_col_label text,
            raw_value text,
            value numeric,  -- NULL for "-", "/", "无", "—" and blanks (never 0)
            unit text,  -- 万元 from "160.59万元" or from a "(单位:万元)" header
            source text  -- html / pdf / docx table, or text (flattened table lines)
        )"""
    )
    db.execute(
        """create table report_checks (
            id integer primary key,
            report_id integer not null references reports(id),
            check_name text not null,  -- not "check": an SQL keyword in hand-written queries
            expected numeric,
            actual numeric,
            ok integer  -- 1 when expected equals actual
        )"""
    )
    db["report_sections"].create_index(["report_id", "number"])
    db["report_cells"].create_index(["report_id", "table_name"])
    db["report_cells"].create_index(["table_name", "row_label", "col_label"])
    db["report_checks"].create_index(["report_id"])
    db["report_checks"].create_index(["ok"])



@migrations()
def m005_attachment_contents(db: Database) -> None:
    # Attachment files fetched and read (pipelines/attachments.py). The link rows of m001 gain
    # what the file held; a file linked from several pages has the same contents on each of
    # its rows. Raw bytes are not stored here but in `blobs` (keyed by sha256), like every
    # capture's body: `file_capture_id` is the fetch of the file, `sha256` its blob.
    attachments = db["attachments"]
    attachments.add_column("file_capture_id", int, fk="captures", fk_col="id")
    attachments.add_column("sha256", str, fk="blobs", fk_col="sha256")
    for column, kind in (
        ("filename", str),  # as served: Content-Disposition (GBK/UTF-8/percent-decoded), else the URL
        ("content_type", str),  # as served
        ("sniffed_type", str),  # from the bytes: pdf docx doc xls ods doc-html mht doc-xml image html …
        ("type_detail", str),  # e.g. "Word 97 format written by Kingsoft WPS", "damaged ZIP: …"
        ("size", int),
        ("fetched_at", str),
        ("page_count", int),
        ("method", str),  # pdfplumber / pdfplumber+tesseract / tesseract / python-docx / soffice+python-docx / …
        ("text", str),  # one paragraph or table row (tab-separated cells) per line
        ("chars", int),
        ("tables", str),  # JSON: the file's tables as grids, [[[cell, …], …], …]
        ("ocr", int),  # 1 when any text came from OCR
        ("ocr_confidence", float),  # mean Tesseract word confidence, 0–100
        ("usable", int),  # 1 when the text can stand for a report body (no error, not empty)
        ("error", str),  # why the file could not be fetched or read
        ("read_seconds", float),
    ):
        attachments.add_column(column, kind)
    attachments.create_index(["url"])
    attachments.create_index(["file_capture_id"])
    attachments.create_index(["sha256"])


@migrations()
def m006_render_rules(db: Database) -> None:
    # Which fetcher a site's pages of one kind under one path prefix need (pipelines/render.py):
    # "browser" once a page there was found script-built, "http" again once the server's HTML
    # was found to hold the content. Read at the start of every crawl (spiders/browser.py).
    db["render_rules"].create(
        {
            "host": str,
            "kind": str,  # list / article
            "path_prefix": str,  # /xxgk/jsnb/ — the path up to its first per-document folder
            "renderer": str,  # http / browser
            "reason": str,  # what the detection saw, e.g. "script-built list (createElement)"
            "decided_at": str,
            "pages": int,  # how many pages led to this decision
        },
        pk=("host", "kind", "path_prefix"),
        not_null={"host", "kind", "path_prefix", "renderer"},
    )


@migrations()
def m007_crawl_attachment_counts(db: Database) -> None:
    # The crawl summary's attachment line: files fetched, and those fetched but unreadable
    # (damaged, encrypted, an HTML error page served as .pdf), which are no capture failures.
    for column in ("attachments", "attachments_unreadable"):
        db["crawls"].add_column(column, int)


@migrations()
def m008_section_source(db: Database) -> None:
    # Sections split from an attachment's text (a stub page's PDF, DOCX, …) say so, as
    # report_cells.source does: html, or the file's type. NULL on rows written before.
    db["report_sections"].add_column("source", str)


@migrations()
def m009_report_statistics_flag(db: Database) -> None:
    # The flag issue 5 asks for, where an archivist sees it: 1 when every statistics check of the
    # report holds, 0 when some table does not add up (numbers kept as written), NULL when
    # nothing could be checked. Filled for existing reports from their report_checks.
    db["reports"].add_column("stats_ok", int)
    db.execute("update reports set stats_ok = (select min(ok) from report_checks c where c.report_id = reports.id)")
    db["reports"].create_index(["stats_ok"])


@migrations()
def m010_attachment_position(db: Database) -> None:
    # Where the link sits among its page's files (0, 1, …): a report of scanned pages is joined
    # in page order even when the files arrive before the page (rows are made as files come).
    db["attachments"].add_column("position", int)


@migrations()
def m011_browse_indexes(db: Database) -> None:
    # Found by bench/archive_scale.py (50,000 reports): every facet, sort and canned query of
    # archive/metadata.yaml scanned the whole reports table (each row a ~7 KB text) or captures.
    # Each index below covers its queries, so they read the index alone.
    reports = db["reports"]
    # The table page's sort (report_year desc), the report_year facet, reports_per_year and
    # reports_per_year_and_site (grouped in this order), reports_per_year_and_agency.
    reports.create_index(["report_year", "site_id", "agency", "chars"], if_not_exists=True)
    # missing_years (a site's first year; is there a report of site × year?) and
    # latest_report_per_site (a site's newest report).
    reports.create_index(["site_id", "report_year", "publish_date"], if_not_exists=True)
    # The agency facet and reports_per_agency.
    reports.create_index(["agency", "report_year"], if_not_exists=True)
    for column in ("script", "source_format"):  # the other declared facets
        reports.create_index([column], if_not_exists=True)
    # Failed fetches (canned failures, failures_by_error, gongkai stats): a few among very many
    # captures, so a partial index holding only them, newest first (id) and covering the
    # grouped columns.
    db.execute("create index if not exists idx_captures_failed on captures (id, error, kind, fetched_at, url) "
               "where error is not null")
    # report_cells (~200 rows a report, millions in all): applications_per_year and the charts
    # read report_id and value from the index too (it replaces its 3-column prefix of m004);
    # the declared facets unit (set on few cells: a partial index) and source.
    db.execute("drop index if exists idx_report_cells_table_name_row_label_col_label")
    db["report_cells"].create_index(["table_name", "row_label", "col_label", "report_id", "value"],
                                    if_not_exists=True)
    db.execute("create index if not exists idx_report_cells_unit on report_cells (unit) where unit is not null")
    db["report_cells"].create_index(["source"], if_not_exists=True)
    # report_checks' declared facet check_name (~40 checks a report), with ok: which checks fail.
    db["report_checks"].create_index(["check_name", "ok"], if_not_exists=True)


@migrations()
def m012_fts_reindex_on_text_only(db: Database) -> None:
    # sqlite-utils' update trigger re-indexes a report on any UPDATE of its row: every recrawl's
    # last_seen, every template/stats_ok, each re-tokenising ~7 KB of text (bench/crawl.py's
    # profile: ~1.3 ms a page). Only the indexed columns can change what the index holds.
    db.execute("drop trigger if exists reports_au")
    db.execute(
        """create trigger reports_au after update of title, body_text, title_zhs, body_zhs on reports begin
          insert into reports_fts (reports_fts, rowid, title, body_text, title_zhs, body_zhs)
            values ('delete', old.rowid, old.title, old.body_text, old.title_zhs, old.body_zhs);
          insert into reports_fts (rowid, title, body_text, title_zhs, body_zhs)
            values (new.rowid, new.title, new.body_text, new.title_zhs, new.body_zhs);
        end"""
    )


@migrations()
def m013_registry_and_site_names(db: Database) -> None:
    # The archive's own registry (archive/registry.py): bodies a user added or imported, and the
    # report columns `gongkai discover --db` found, with the date each was verified. The bundled
    # list (archive/data/registry.csv) is not copied here: these rows override it by name.
    db["registry"].create(
        {
            "id": int,
            "name": str,
            "level": str,  # central / provincial / prefecture / county
            "province": str,
            "homepage": str,
            "report_column": str,
            "verified_at": str,  # ISO date the column was last found working
            "source": str,  # where the facts come from: a public list, user, discover
            "updated_at": str,
        },
        pk="id",
        not_null={"name", "homepage"},
    )
    db["registry"].create_index(["name"], unique=True)
    db["registry"].create_index(["homepage"])
    # `--site NAME` and the site facets need a name on every site: until a page's SiteName meta
    # or the registry gives a better one, a site is called by its host (never "None").
    db.execute("update sites set name = host where name is null or name = ''")


@migrations()
def m014_date_candidates(db: Database) -> None:
    # Every date the page offered for publish_date, with where it was read, as JSON
    # ([{"source": "label", "date": "2023-01-18"}, {"source": "meta", "date": "2023-02-01"}, …]):
    # the visible 发布日期 wins over a PubDate meta, and the others stay so a reader sees why.
    db["reports"].add_column("date_candidates", str)


@migrations()
def m015_report_candidates(db: Database) -> None:
    # A page that only points to its files ("全文见附件") and names no report in its title, list
    # title or file names: the report row it would make, kept until one of its files is read
    # and reads as a report (then it becomes a report whose body is the file's text).
    db["report_candidates"].create({"page_url": str, "site_id": int, "capture_id": int, "row": str},
                                   pk="page_url")


@migrations()
def m016_ingested_items(db: Database) -> None:
    # Distributed crawls (crawler/writer.py): the key of every item the writer has stored,
    # committed with the item's rows, so an entry the stream delivers again (the writer was
    # killed between its commit and its acknowledgement) is recognised and not stored twice.
    db["ingested"].create({"key": str, "at": str}, pk="key")


def migrate(db: Database) -> None:
    """Bring ``db`` up to the current schema."""
    migrations.apply(db)


def migration_names() -> list[str]:
    """The names of this version's schema steps, oldest first (``m001_initial`` …)."""
    return [m.name for m in migrations._migrations]  # sqlite-utils keeps the list private

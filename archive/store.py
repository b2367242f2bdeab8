"""The SQLite archive: the one object that reads and writes gongkai's tables (all SQL lives here).

Open it with a path (``Archive("archive.db")``) or in memory (``Archive.memory()``); pipelines
hand it plain dicts and never write SQL. Every write that belongs together (a capture and the
report read from it) is one transaction, so a crash never leaves a half-written report.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from archive.access import ArchiveFileError, Purpose, check_archive_file, check_schema, connect_read_only
from archive.query import register_functions
from archive.reading import ArchiveReading
from archive.schema import migrate, utc_now
from archive.zhs import simplified_copy

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"

# Reads a report's statistics from its usable files (dicts with sniffed_type, text, tables as JSON
# grids, ocr; in body order) and its year; returns Statistics.rows() or None. The pipeline passes
# pipelines/stats.py's parser in, so the archive keeps no parsing of its own and a stub report's
# statistics change in the same transaction as the body its files give it.
StatisticsOf = Callable[[list[dict[str, Any]], "int | None"], "dict[str, Any] | None"]

_REPORT_FIELDS = (
    "title", "publish_date", "written_date", "report_year", "agency", "index_no", "doc_number",
    "script", "body_text", "list_title", "list_date", "date_source", "year_source",
    "agency_source", "container", "source_format", "repaired_pinyin", "from_mirror", "date_candidates",
)
# reports columns a caller may fill itself: simplified_copy() of title and body_text, the same
# text (save_capture_and_report makes them when they are not given)
SEARCH_COPIES = ("title_zhs", "body_zhs")
# reports columns set from the statistics (save_capture_and_report writes them with the row)
_STATISTICS_FLAGS = ("template", "stats_ok")
# reports.source_format of a page that only points to its files (pipelines/attachments.is_stub)
STUB_FORMAT = "html-stub"
# attachments columns that describe the file's contents (m005); the same on every row of a URL
_ATTACHMENT_CONTENT_FIELDS = (
    "filename", "content_type", "sniffed_type", "type_detail", "page_count", "method", "text", "chars",
    "tables", "ocr", "ocr_confidence", "usable", "error", "read_seconds",
)
_CAPTURE_FIELDS = (
    "crawl_id", "site_id", "url", "final_url", "kind", "status", "fetched_at", "content_type",
    "encoding_header", "encoding_meta", "encoding_detected", "encoding_chosen", "encoding_reason",
    "renderer", "title", "doc_type", "error", "referer", "headers", "etag", "last_modified",
    "entries", "warc_file", "warc_offset", "warc_length", "warc_record_id",
)


def body_sha256(text: str) -> str:
    """Hash of a report body after Unicode NFC and whitespace normalisation.

    Two fetches that differ only in indentation or line endings hash the same, so a template
    tweak does not count as a new version of the report.
    """
    normal = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class SaveResult:
    """What :meth:`Archive.save_report` did: ``status`` is new / updated / unchanged."""

    report_id: int
    status: str
    version: int


class Archive(ArchiveReading):
    """gongkai's archive. ``Archive("demo.db")`` creates or migrates the file.

    :param path: a file path, or an open sqlite-utils ``Database`` (tests pass an in-memory one).
    """

    def __init__(self, path: str | Path | Database, *, migrate_schema: bool = True) -> None:
        if isinstance(path, Database):
            self.db = path
        else:
            # Refuses a folder, someone else's SQLite file or a newer archive before writing a byte.
            # The bytes are read by SQLite on this connection only: closing any other descriptor
            # of the file would drop this process's locks on it (POSIX locks are per process),
            # and a crawl process holds several Archives at once.
            check_archive_file(path, Purpose.CREATE, schema=False, header=False)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.db = Database(path)
            try:
                check_schema(self.db.conn, path, Purpose.CREATE)
            except ArchiveFileError:
                self.db.close()
                raise
            # WAL: Datasette can read while a crawl writes; NORMAL sync is durable at each
            # commit boundary in WAL mode, which is all a crash-safe archive needs.
            self.db.enable_wal()
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        register_functions(self.db.conn)
        if migrate_schema:
            migrate(self.db)
        self._insert_sql: dict[tuple[str, tuple[str, ...]], str] = {}

    # --- batching: many items per transaction ----------------------------------------------

    def begin_batch(self) -> None:
        """Open an outer transaction; each save inside it becomes a savepoint of its own.

        A crawl writes thousands of small items. Committing each one makes SQLite write the
        touched b-tree and FTS pages to the WAL again and again; one commit per batch writes them
        once. Each item stays atomic (a savepoint), and a crash loses at most the open batch,
        whose pages are simply fetched again by the next crawl (their ``url_state`` went with it).
        """
        if not self.db.conn.in_transaction:
            self.db.conn.execute("BEGIN")

    def commit_batch(self) -> None:
        """Commit the open batch (if any), making its items visible to other readers."""
        if self.db.conn.in_transaction:
            self.db.conn.commit()

    def _insert_sql_for(self, table: str, names: tuple[str, ...]) -> str:
        sql = self._insert_sql.get((table, names))
        if sql is None:
            sql = (f"insert into [{table}] ({', '.join(f'[{n}]' for n in names)}) "
                   f"values ({', '.join('?' * len(names))})")
            self._insert_sql[(table, names)] = sql
        return sql

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        """One plain INSERT; returns the new rowid.

        The crawl's hot path: sqlite-utils' ``insert()`` re-inspects the table and converts each
        value (≈ 1 ms a row in bench/crawl.py's profile), while these rows are already plain.
        """
        names = tuple(row)
        return self.db.conn.execute(self._insert_sql_for(table, names), [row[n] for n in names]).lastrowid

    def _insert_values(self, table: str, names: tuple[str, ...], values: list[tuple[Any, ...]]) -> None:
        """Plain INSERTs of value tuples in the order of ``names``, one executemany."""
        self.db.conn.executemany(self._insert_sql_for(table, names), values)

    @classmethod
    def read_only(cls, path: str | Path, purpose: Purpose = Purpose.READ) -> Archive:
        """An archive opened for reading only: no migration, and the file is never written.

        ``Archive.read_only("demo.db")`` is what ``gongkai search`` and ``gongkai reports`` use;
        it raises :class:`archive.access.ArchiveFileError` (one line) for a path that is not a
        gongkai archive at the current schema.
        """
        check_archive_file(path, purpose, schema=False, header=False)  # the bytes: SQLite's (see __init__)
        conn = connect_read_only(path)
        try:
            check_schema(conn, path, purpose)
        except ArchiveFileError:
            conn.close()
            raise
        return cls(Database(conn), migrate_schema=False)

    @classmethod
    def memory(cls) -> Archive:
        """A throwaway in-memory archive, for tests and ``gongkai extract``."""
        return cls(Database(memory=True))

    def close(self) -> None:
        self.db.close()

    # --- crawls and sites ----------------------------------------------------------------

    def start_crawl(self, arguments: dict[str, Any], version: str) -> int:
        """Record a crawl's start; returns its id for the captures it makes.

        A crawl still marked running was killed (its process cannot be alive: one writer per
        archive), so it is marked interrupted; what it stored stays.
        """
        self.db.execute("update crawls set status = 'interrupted' where status = 'running'")
        return self.db["crawls"].insert(
            {
                "started_at": utc_now(),
                "arguments": json.dumps(arguments, ensure_ascii=False, sort_keys=True),
                "gongkai_version": version,
                "status": "running",
            }
        ).last_pk

    def resume_crawl(self, crawl_id: int) -> bool:
        """Continue an unfinished crawl's row (its writer was killed); False when there is none to continue.

        Any other crawl still marked running is marked interrupted, as by :meth:`start_crawl`.
        """
        row = self._one("select status from crawls where id = ?", [crawl_id])
        if row is None or row["status"] not in ("running", "interrupted"):
            return False
        self.db.execute("update crawls set status = 'interrupted' where status = 'running' and id != ?", [crawl_id])
        self.db.execute("update crawls set status = 'running' where id = ?", [crawl_id])
        return True

    def save_crawl_counts(self, crawl_id: int, counts: dict[str, Any]) -> None:
        """A running crawl's counts so far, in the open transaction (they commit with the items counted)."""
        known = {k: v for k, v in counts.items() if k in self.db["crawls"].columns_dict}
        if known:
            self.db.execute(f"update crawls set {', '.join(f'{k} = ?' for k in known)} where id = ?",
                            [*known.values(), crawl_id])

    def finish_crawl(self, crawl_id: int, counts: dict[str, Any], status: str = "finished") -> None:
        """Record a crawl's end and its counts (columns of ``crawls``)."""
        known = {k: v for k, v in counts.items() if k in self.db["crawls"].columns_dict}
        self.db["crawls"].update(crawl_id, {**known, "finished_at": utc_now(), "status": status})

    def ensure_site(self, column_url: str, name: str | None = None) -> int:
        """The id of the ``sites`` row for a column URL, created on first sight.

        Every site has a name (``--site NAME``, facets): the one given, else the registry's
        (archive/registry.py), else its host until a page's SiteName meta names it.
        """
        from archive.registry import name_for

        now = utc_now()
        host = urlsplit(column_url).hostname or ""
        with self.db.atomic():
            row = self._one("select id, name from sites where column_url = ?", [column_url])
            if row:
                changes: dict[str, Any] = {"last_crawled": now}
                if name and (not row["name"] or row["name"] == host):
                    changes["name"] = name
                self.db["sites"].update(row["id"], changes)
                return row["id"]
            return self.db["sites"].insert(
                {
                    "host": host,
                    "name": name or name_for(self.db, column_url) or host,
                    "column_url": column_url,
                    "first_crawled": now,
                    "last_crawled": now,
                }
            ).last_pk

    def name_site(self, site_id: int, name: str) -> None:
        """Fill a site's name (from its pages' SiteName meta tag) if it has none but its host yet."""
        with self.db.atomic():
            self.db.execute(
                "update sites set name = ? where id = ? and (name is null or name = '' or name = host)",
                [name, site_id],
            )

    # --- captures and reports ------------------------------------------------------------

    def record_capture(self, capture: dict[str, Any], body: bytes | None = None) -> int:
        """Store one fetch (and its raw bytes, deduplicated by sha256); returns the capture id."""
        with self.db.atomic():
            return self._insert_capture(capture, body)

    def _insert_capture(self, capture: dict[str, Any], body: bytes | None) -> int:
        return self._insert_capture_row(capture, body)[0]

    def _insert_capture_row(self, capture: dict[str, Any], body: bytes | None) -> tuple[int, str | None]:
        """Insert the capture (and its blob); returns its id and the body's sha256 (None: no body)."""
        row = {k: capture.get(k) for k in _CAPTURE_FIELDS}
        row["fetched_at"] = row["fetched_at"] or utc_now()
        digest = None
        if body is not None:
            digest = hashlib.sha256(body).hexdigest()
            self.db.execute(
                "insert or ignore into blobs (sha256, size, content) values (?, ?, ?)",
                [digest, len(body), body],
            )
            row["sha256"], row["size"] = digest, len(body)
        return self._insert("captures", row), digest

    def save_capture_and_report(
        self,
        capture: dict[str, Any],
        body: bytes | None,
        report: dict[str, Any] | None,
        attachments: Iterable[dict[str, str]] = (),
        statistics: dict[str, Any] | None = None,
        statistics_of: StatisticsOf | None = None,
        candidate: dict[str, Any] | None = None,
    ) -> tuple[int, SaveResult | None]:
        """Store a capture, the report read from it and its attachment links, atomically.

        ``report`` holds the ``reports`` columns (``url`` required); an unchanged body only
        moves ``last_seen``, a changed one becomes a new version (the old stays in
        ``report_versions``). ``statistics`` (``Statistics.rows()`` of pipelines/stats.py)
        replaces the report's sections, cells and checks in the same transaction. ``candidate``
        (with no ``report``) is the report row a page pointing to its files would make if a file
        reads as a report: kept for :meth:`save_candidate_report`. Returns the capture id and
        what happened to the report.
        """
        with self.db.atomic():
            capture_id, digest = self._insert_capture_row(capture, body)
            self._update_url_state(capture, capture_id, digest)
            if report is None and candidate is not None:
                self.db["report_candidates"].upsert(
                    {"page_url": candidate["url"], "site_id": candidate.get("site_id"), "capture_id": capture_id,
                     "row": json.dumps(candidate, ensure_ascii=False)}, pk="page_url")
            result = None
            if report is not None:
                if report.get("source_format") == STUB_FORMAT:
                    report = self._keep_file_body(report)
                if statistics is not None:
                    # template and stats_ok go into the report's own INSERT or UPDATE: a second
                    # UPDATE of the row would cost a statement (and, before m012, a re-index).
                    report = {**report, "template": statistics.get("template"),
                              "stats_ok": _stats_ok(statistics.get("checks", ()))}
                result = self._save_report(report, capture_id, capture.get("fetched_at"))
                if statistics is not None:
                    # a new report has no statistics rows yet: nothing to delete first
                    self._replace_statistics(result.report_id, **statistics, fresh=result.status == NEW,
                                             flags_written=result.status != UNCHANGED)
            report_id = result.report_id if result else None
            for position, link in enumerate(attachments):
                self.db.execute(
                    "insert into attachments (report_id, capture_id, page_url, url, link_text, "
                    "extension, position) values (?, ?, ?, ?, ?, ?, ?) on conflict (page_url, url) do update "
                    "set report_id = coalesce(excluded.report_id, report_id), "
                    "capture_id = excluded.capture_id, link_text = excluded.link_text, "
                    "position = excluded.position",
                    [report_id, capture_id, capture["url"], link["url"], link.get("text"),
                     _extension(link["url"]), position],
                )
                self._copy_file_contents(link["url"])
            if result is not None and report is not None and report.get("source_format") == STUB_FORMAT:
                # The stub's files may have been read before the page was stored.
                if self._apply_files_to_report(result.report_id, capture_id, capture.get("fetched_at")):
                    self._statistics_from_files(result.report_id, statistics_of)
        return capture_id, result

    # --- attachment files ----------------------------------------------------------------

    def save_attachment(
        self,
        capture: dict[str, Any],
        body: bytes | None,
        attachment: dict[str, Any],
        report: dict[str, Any] | None = None,
        statistics: dict[str, Any] | None = None,
        statistics_of: StatisticsOf | None = None,
    ) -> tuple[int, SaveResult | None]:
        """Store one fetched attachment file: its capture and bytes, what was read, its report.

        ``attachment`` holds ``attachments`` columns (``url`` and ``page_url`` required; the
        bytes go to ``blobs`` through the capture, the row gets their ``sha256``). Every row
        linking the same URL gets the contents. ``report`` is given for a file linked straight
        from a list page (its URL is the report's). A report whose page is only a stub
        (``source_format = 'html-stub'``) takes the text of its usable files as ``body_text``
        and their types as ``source_format`` ("pdf", "pdf,xls"): the first time this completes
        the current version in place (a stub is no version of its own), later a changed file
        makes a new version. ``statistics`` replaces the statistics of the report whose body
        became this file's text. Returns the capture id and what happened to ``report``.
        """
        with self.db.atomic():
            capture_id, digest = self._insert_capture_row(capture, body)
            self._update_url_state(capture, capture_id, digest)
            seen = capture.get("fetched_at")
            result = self._save_report(report, capture_id, seen) if report is not None else None
            contents = {k: attachment.get(k) for k in _ATTACHMENT_CONTENT_FIELDS}
            contents.update(file_capture_id=capture_id, fetched_at=seen or utc_now())
            if body is not None:
                contents.update(sha256=hashlib.sha256(body).hexdigest(), size=len(body))
            url, page_url = attachment["url"], attachment["page_url"]
            if not self._one("select id from attachments where page_url = ? and url = ?", [page_url, url]):
                self.db["attachments"].insert({"page_url": page_url, "url": url,
                                               "link_text": attachment.get("link_text"),
                                               "extension": _extension(url)})
            if result is not None:
                self.db.execute("update attachments set report_id = ? where page_url = ? and url = ?",
                                [result.report_id, page_url, url])
            names = list(contents)
            # A failed re-fetch never erases what an earlier fetch read (the failure is a capture).
            keep = " and file_capture_id is null" if body is None else ""
            self.db.execute(
                f"update attachments set {', '.join(f'{n} = ?' for n in names)} where url = ?{keep}",
                [contents[n] for n in names] + [url],
            )
            report_ids = [r["report_id"] for r in self._rows(
                "select distinct report_id from attachments where url = ? and report_id is not null", [url])]
            for report_id in report_ids:
                if self._apply_files_to_report(report_id, capture_id, seen):
                    # from all of the stub's files (a PDF and its XLS), not this one alone
                    if not self._statistics_from_files(report_id, statistics_of) and statistics is not None:
                        self._replace_statistics(report_id, **statistics)
            if result is not None and statistics is not None and result.status != UNCHANGED:
                self._replace_statistics(result.report_id, **statistics)
        return capture_id, result

    def report_candidate(self, page_url: str) -> dict[str, Any] | None:
        """The report row kept for a page pointing to its files (see ``candidate`` above), if any."""
        found = self._one("select row from report_candidates where page_url = ?", [page_url])
        return json.loads(found["row"]) if found else None

    def file_texts(self, urls: Iterable[str]) -> list[dict[str, Any]]:
        """``url`` and ``text`` of the files among ``urls`` already read and usable, in ``urls`` order."""
        rows: list[dict[str, Any]] = []
        for url in urls:
            found = self._one("select url, text from attachments where url = ? and usable = 1 "
                              "and text is not null limit 1", [url])
            if found:
                rows.append(found)
        return rows

    def save_candidate_report(self, report: dict[str, Any], statistics_of: StatisticsOf | None = None
                              ) -> SaveResult:
        """Make a page pointing to its files a report, now that a file read as one.

        ``report`` is the candidate row with what the file told (title, year …); its body becomes
        the text of the page's usable files (``source_format`` their types) and its statistics
        theirs, as for any stub. The candidate is dropped.
        """
        with self.db.atomic():
            page_url = report["url"]
            kept = self._one("select capture_id from report_candidates where page_url = ?", [page_url])
            capture_id = kept["capture_id"] if kept else report.get("capture_id")
            # a report made so before keeps the body its files gave it (no new version)
            result = self._save_report(self._keep_file_body({**report, "source_format": STUB_FORMAT}),
                                       capture_id, None)
            self.db.execute("update attachments set report_id = ? where page_url = ?", [result.report_id, page_url])
            if self._apply_files_to_report(result.report_id, capture_id, None):
                self._statistics_from_files(result.report_id, statistics_of)
            self.db.execute("delete from report_candidates where page_url = ?", [page_url])
        return result

    def attachments(self, report_id: int | None = None) -> list[dict[str, Any]]:
        """Attachment rows (without text and tables), of one report or of all."""
        where, params = ("where report_id = ?", [report_id]) if report_id else ("", [])
        columns = [c for c in self.db["attachments"].columns_dict if c not in ("text", "tables")]
        return list(self._rows(f"select {', '.join(columns)} from attachments {where} order by id", params))

    def _copy_file_contents(self, url: str) -> None:
        """Give a newly linked row the contents already read for the same file URL."""
        names = list(_ATTACHMENT_CONTENT_FIELDS) + ["file_capture_id", "fetched_at", "sha256", "size"]
        source = self._one(f"select id, {', '.join(names)} from attachments where url = ? "
                           "and file_capture_id is not null order by file_capture_id desc limit 1", [url])
        if source is None:
            return
        self.db.execute(
            f"update attachments set {', '.join(f'{n} = ?' for n in names)} "
            "where url = ? and file_capture_id is null",
            [source[n] for n in names] + [url],
        )

    def _keep_file_body(self, report: dict[str, Any]) -> dict[str, Any]:
        """A stub page saved again keeps the body its files gave (so it is no new version)."""
        old = self._one("select body_text, source_format from reports where url = ?", [report["url"]])
        if old and old["source_format"] not in (None, "html", STUB_FORMAT):
            # the search copies given were made from the page's text, not from this body
            kept = {k: v for k, v in report.items() if k not in SEARCH_COPIES}
            return {**kept, "body_text": old["body_text"], "source_format": old["source_format"]}
        return report

    def report_files(self, report_id: int) -> list[dict[str, Any]]:
        """The usable files of a report, in the order its body joins their texts."""
        return list(self._rows(
            "select url, sniffed_type, text, tables, ocr from attachments where report_id = ? and usable = 1 "
            f"order by {_FILE_ORDER}", [report_id]))

    def _statistics_from_files(self, report_id: int, statistics_of: StatisticsOf | None) -> bool:
        """Replace a stub report's statistics by those of its files; False when there is no parser."""
        if statistics_of is None:
            return False
        year = self._one("select report_year from reports where id = ?", [report_id])
        rows = statistics_of(self.report_files(report_id), year["report_year"] if year else None)
        if rows is None:
            self._replace_statistics(report_id, [], [], [], None)
        else:
            self._replace_statistics(report_id, **rows)
        return True

    def _apply_files_to_report(self, report_id: int, capture_id: int, seen: str | None) -> bool:
        """Make a stub report's body the text of its usable files; True when the body changed."""
        current = self._one("select * from reports where id = ?", [report_id])
        if current is None or current["source_format"] in (None, "html"):
            return False  # a full HTML report: its files only supplement it
        if current["url"] in {r["url"] for r in self._rows(
                "select url from attachments where report_id = ?", [report_id])}:
            return False  # a file's own report (linked from a list): saved with its text
        files = list(self._rows(
            "select sniffed_type, text from attachments where report_id = ? and usable = 1 "
            f"order by {_FILE_ORDER}", [report_id]))
        if not files:
            return False
        body = "\n".join(f["text"] for f in files)
        formats = ",".join(dict.fromkeys(f["sniffed_type"] for f in files))
        sha = body_sha256(body)
        if sha == current["sha256"] and formats == current["source_format"]:
            return False
        if current["source_format"] == STUB_FORMAT:
            # Completing a stub: the page and its files are one version of the report.
            changes = {"body_text": body, "source_format": formats, "chars": len(body), "sha256": sha,
                       "body_zhs": simplified_copy(body)}
            self.db["reports"].update(report_id, changes)
            self.db.execute("update report_versions set body_text = ?, sha256 = ? "
                            "where report_id = ? and version = ?", [body, sha, report_id, current["version"]])
            return True
        fields = {k: current[k] for k in _REPORT_FIELDS}
        self._save_report({**fields, "url": current["url"], "site_id": current["site_id"],
                           "body_text": body, "source_format": formats}, capture_id, seen)
        return True

    def save_statistics(
        self,
        report_id: int,
        sections: Iterable[dict[str, Any]],
        cells: Iterable[dict[str, Any]],
        checks: Iterable[dict[str, Any]],
        template: str | None = None,
    ) -> None:
        """Replace one report's ``report_sections``, ``report_cells`` and ``report_checks`` rows.

        All three are deleted and written again in one transaction, so a re-crawl or a re-parse
        never duplicates rows. ``template`` (t2019/t2021/legacy) is kept on the report.

        >>> archive.save_statistics(7, [{"number": 1, "heading": "一、总体情况", "text": "…"}],
        ...     [{"table_name": "表三", "row_label": "(七)总计", "col_label": "总计", "value": 59}],
        ...     [{"check_name": "表三[总计] 一+二=(七)总计+四", "expected": 59, "actual": 59, "ok": 1}])
        ... # doctest: +SKIP
        """
        with self.db.atomic():
            self._replace_statistics(report_id, sections, cells, checks, template)

    def _replace_statistics(self, report_id: int, sections: Iterable[dict[str, Any]],
                            cells: Iterable[dict[str, Any]], checks: Iterable[dict[str, Any]],
                            template: str | None = None, fresh: bool = False,
                            flags_written: bool = False) -> None:
        checks = list(checks)
        for table, rows in (("report_sections", sections), ("report_cells", cells),
                            ("report_checks", checks)):
            if not fresh:
                self.db.execute(f"delete from {table} where report_id = ?", [report_id])
            shapes: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row in rows:  # one executemany per row shape (~200 cells a report share one)
                shapes.setdefault(tuple(row), []).append(row)
            for keys, group in shapes.items():
                self._insert_values(table, ("report_id", *keys),
                                    [(report_id, *[row[k] for k in keys]) for row in group])
        if not flags_written:
            self.db.execute("update reports set template = ?, stats_ok = ? where id = ?",
                            [template, _stats_ok(checks), report_id])

    def statistics(self, report_id: int) -> dict[str, list[dict[str, Any]]]:
        """One report's stored sections, cells and checks, in the order they were written."""
        return {
            table: list(self._rows(f"select * from report_{table} where report_id = ? order by id", [report_id]))
            for table in ("sections", "cells", "checks")
        }

    def _update_url_state(self, capture: dict[str, Any], capture_id: int, digest: str | None) -> None:
        """Remember what the next crawl needs to skip or conditionally request this URL.

        ``digest`` is the body's sha256 as the capture stored it (None: no body). One plain
        upsert: sqlite-utils' ``upsert()`` reads the table's schema on every call, once a page.
        """
        if capture.get("error") or capture.get("status") != 200 or digest is None:
            return
        when = capture.get("fetched_at") or utc_now()
        self.db.conn.execute(
            "insert into url_state (url, kind, status, etag, last_modified, sha256, last_fetched, "
            "last_checked, capture_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (url) do update set "
            "kind = excluded.kind, status = excluded.status, etag = excluded.etag, "
            "last_modified = excluded.last_modified, sha256 = excluded.sha256, "
            "last_fetched = excluded.last_fetched, last_checked = excluded.last_checked, "
            "capture_id = excluded.capture_id",
            [capture["url"], capture.get("kind"), capture.get("status"), capture.get("etag"),
             capture.get("last_modified"), digest, when, when, capture_id],
        )

    def url_state(self, url: str) -> dict[str, Any] | None:
        """What the archive knows of a URL from earlier crawls (validators, last check), or None."""
        return self._one("select * from url_state where url = ?", [url])

    def url_states(self) -> Iterator[dict[str, Any]]:
        """Every URL's state (validators, last check): what distributed workers skip or ask conditionally."""
        return self._rows("select * from url_state")

    def is_ingested(self, key: str) -> bool:
        """True when an item with this key was stored before (see :meth:`mark_ingested`)."""
        return self._one("select 1 from ingested where key = ?", [key]) is not None

    def mark_ingested(self, key: str) -> None:
        """Remember an item's key in the open transaction, so it commits with the item's rows."""
        self.db.execute("insert or ignore into ingested (key, at) values (?, ?)", [key, utc_now()])

    def record_unchanged(self, url: str, checked_at: str, capture: dict[str, Any] | None = None) -> bool:
        """Note that a known page is unchanged: answered 304, or not requested at all.

        ``capture`` is the 304 exchange to keep (None when no request was made). Moves the
        report's ``last_seen``, and ``url_state.last_checked`` only when a request was made;
        returns True when the URL is an archived report.
        """
        with self.db.atomic():
            if capture is not None:
                self._insert_capture(capture, None)
                # Only an answer is a check: a page skipped as known keeps its date, else a crawl
                # run more often than GONGKAI_RECHECK_DAYS would never bring it due again.
                self.db.execute("update url_state set last_checked = ? where url = ?", [checked_at, url])
            cursor = self.db.execute("update reports set last_seen = ? where url = ?", [checked_at, url])
            return cursor.rowcount > 0

    # --- render rules ----------------------------------------------------------------------

    def save_render_rule(self, host: str, kind: str, path_prefix: str, renderer: str,
                         reason: str | None = None, decided_at: str | None = None) -> None:
        """Remember which fetcher (``http`` / ``browser``) a host's pages of one kind under a path need.

        ``archive.save_render_rule("www.x.gov.cn", "list", "/xxgk/jsnb/", "browser",
        "script-built list (createElement)")``. The same decision again counts one more page
        (``pages``); the other renderer replaces the rule.
        """
        with self.db.atomic():
            self.db.execute(
                "insert into render_rules (host, kind, path_prefix, renderer, reason, decided_at, pages) "
                "values (?, ?, ?, ?, ?, ?, 1) on conflict (host, kind, path_prefix) do update set "
                "pages = case when renderer = excluded.renderer then pages + 1 else 1 end, "
                "renderer = excluded.renderer, reason = excluded.reason, decided_at = excluded.decided_at",
                [host, kind, path_prefix, renderer, reason, decided_at or utc_now()],
            )

    def render_rules(self, host: str | None = None) -> list[dict[str, Any]]:
        """The remembered render decisions, of one host or of all."""
        where, params = ("where host = ?", [host]) if host else ("", [])
        return list(self._rows(f"select * from render_rules {where} order by host, kind, path_prefix", params))

    def _save_report(self, report: dict[str, Any], capture_id: int, seen: str | None) -> SaveResult:
        seen = seen or utc_now()
        row = {k: report.get(k) for k in _REPORT_FIELDS}
        row.update({k: report[k] for k in _STATISTICS_FLAGS if k in report})
        row.update(
            url=report["url"],
            site_id=report.get("site_id"),
            capture_id=capture_id,
            chars=len(row["body_text"] or ""),
            sha256=body_sha256(row["body_text"] or ""),
            last_seen=seen,
        )
        old = self._one("select id, sha256, version from reports where url = ?", [row["url"]])
        if old and old["sha256"] == row["sha256"]:
            self.db.execute("update reports set last_seen = ? where id = ?", [seen, old["id"]])
            return SaveResult(old["id"], UNCHANGED, old["version"])
        # Cross-script search copies (archive/zhs.py), made only when the text is stored, unless
        # the caller made them already (the crawl's extraction workers do: OpenCC off the
        # reactor thread, once a page).
        if all(k in report for k in SEARCH_COPIES):
            row.update({k: report[k] for k in SEARCH_COPIES})
        else:
            row.update(title_zhs=simplified_copy(row["title"]), body_zhs=simplified_copy(row["body_text"]))
        if old:
            version = old["version"] + 1
            changes = {**row, "version": version}
            self.db.conn.execute(f"update reports set {', '.join(f'[{n}] = ?' for n in changes)} where id = ?",
                                 [*changes.values(), old["id"]])
            report_id, status = old["id"], UPDATED
        else:
            version = 1
            report_id = self._insert("reports", {**row, "first_seen": seen, "version": 1})
            status = NEW
        self._insert(
            "report_versions",
            {
                "report_id": report_id,
                "version": version,
                "capture_id": capture_id,
                "seen_at": seen,
                "sha256": row["sha256"],
                "title": row["title"],
                "publish_date": row["publish_date"],
                "body_text": row["body_text"],
            }
        )
        return SaveResult(report_id, status, version)

    def crawl_alerts(self, crawl_id: int, max_error_rate: float = 0.2, stale_days: int = 365
                     ) -> list[str]:
        """Monitoring alerts for a finished crawl, as sentences for the summary and ``crawls``.

        A column whose list pages yielded no entries although the last crawl that reached it
        found some (a layout change); an error rate above ``max_error_rate``; a site whose
        newest report was published more than ``stale_days`` ago (0: never).
        """
        alerts = []
        for row in self._rows(
            "select site_id, sites.column_url, sum(coalesce(entries, 0)) as n from captures "
            "join sites on sites.id = captures.site_id "
            "where crawl_id = ? and kind = 'list' and error is null group by site_id",
            [crawl_id],
        ):
            if row["n"]:
                continue
            before = self._one(
                "select crawl_id, sum(coalesce(entries, 0)) as n from captures where site_id = ? "
                "and kind = 'list' and crawl_id < ? group by crawl_id order by crawl_id desc limit 1",
                [row["site_id"], crawl_id],
            )
            if before and before["n"]:
                alerts.append(f"layout change? {row['column_url']} yielded no entries "
                              f"(crawl #{before['crawl_id']} found {before['n']})")
        counts = self._one(
            "select sum(error is not null) as failed, count(*) as total from captures where crawl_id = ?",
            [crawl_id],
        )
        if counts and counts["total"] and counts["failed"] / counts["total"] > max_error_rate:
            alerts.append(f"error rate {counts['failed'] / counts['total']:.0%} "
                          f"({counts['failed']} of {counts['total']} fetches failed)")
        if stale_days <= 0:  # 0 turns the staleness alert off
            return alerts
        cutoff = (dt.date.today() - dt.timedelta(days=stale_days)).isoformat()
        for row in self._rows(
            "select sites.column_url, max(reports.publish_date) as latest from reports "
            "join sites on sites.id = reports.site_id where reports.site_id in "
            "(select distinct site_id from captures where crawl_id = ?) group by reports.site_id",
            [crawl_id],
        ):
            if row["latest"] and row["latest"] < cutoff:
                alerts.append(f"no new report since {row['latest']}: {row['column_url']}")
        return alerts

    def integrity_ok(self) -> bool:
        return self._one("pragma integrity_check", [])["integrity_check"] == "ok"


# Candidates from the trigram index (or every report when no word is long enough for it), kept
# when they satisfy the whole query (archive/query.py registers the functions on the connection).
# A report's files in the order of their links on its page (rows made before the page: last)
_FILE_ORDER = "position is null, position, id"


def _stats_ok(checks: Iterable[dict[str, Any]]) -> int | None:
    """``reports.stats_ok``: 1 when every check holds, 0 when one fails, None with no check."""
    oks = [int(c["ok"]) for c in checks if c.get("ok") is not None]
    return min(oks) if oks else None


def _extension(url: str) -> str | None:
    path = urlsplit(url).path.lower()
    return path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else None

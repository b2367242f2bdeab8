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
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from archive.schema import migrate

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"

_REPORT_FIELDS = (
    "title", "publish_date", "written_date", "report_year", "agency", "index_no", "doc_number",
    "script", "body_text", "list_title", "list_date", "date_source", "year_source",
    "agency_source", "container", "source_format", "repaired_pinyin", "from_mirror",
)
_CAPTURE_FIELDS = (
    "crawl_id", "site_id", "url", "final_url", "kind", "status", "fetched_at", "content_type",
    "encoding_header", "encoding_meta", "encoding_detected", "encoding_chosen", "encoding_reason",
    "renderer", "title", "doc_type", "error", "referer",
)


def utc_now() -> str:
    """The current time as ISO-8601 UTC text, to the second: ``2026-11-23T19:04:43Z``."""
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


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


class Archive:
    """gongkai's archive. ``Archive("demo.db")`` creates or migrates the file.

    :param path: a file path, or an open sqlite-utils ``Database`` (tests pass an in-memory one).
    """

    def __init__(self, path: str | Path | Database) -> None:
        if isinstance(path, Database):
            self.db = path
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.db = Database(path)
            # WAL: Datasette can read while a crawl writes; NORMAL sync is durable at each
            # commit boundary in WAL mode, which is all a crash-safe archive needs.
            self.db.enable_wal()
            self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        migrate(self.db)

    @classmethod
    def memory(cls) -> Archive:
        """A throwaway in-memory archive, for tests and ``gongkai extract``."""
        return cls(Database(memory=True))

    def close(self) -> None:
        self.db.close()

    # --- crawls and sites ----------------------------------------------------------------

    def start_crawl(self, arguments: dict[str, Any], version: str) -> int:
        """Record a crawl's start; returns its id for the captures it makes."""
        return self.db["crawls"].insert(
            {
                "started_at": utc_now(),
                "arguments": json.dumps(arguments, ensure_ascii=False, sort_keys=True),
                "gongkai_version": version,
                "status": "running",
            }
        ).last_pk

    def finish_crawl(self, crawl_id: int, counts: dict[str, int], status: str = "finished") -> None:
        """Record a crawl's end and its counts (columns of ``crawls``)."""
        known = {k: v for k, v in counts.items() if k in self.db["crawls"].columns_dict}
        self.db["crawls"].update(crawl_id, {**known, "finished_at": utc_now(), "status": status})

    def ensure_site(self, column_url: str, name: str | None = None) -> int:
        """The id of the ``sites`` row for a column URL, created on first sight."""
        now = utc_now()
        with self.db.atomic():
            row = self._one("select id, name from sites where column_url = ?", [column_url])
            if row:
                changes: dict[str, Any] = {"last_crawled": now}
                if name and not row["name"]:
                    changes["name"] = name
                self.db["sites"].update(row["id"], changes)
                return row["id"]
            return self.db["sites"].insert(
                {
                    "host": urlsplit(column_url).hostname or "",
                    "name": name,
                    "column_url": column_url,
                    "first_crawled": now,
                    "last_crawled": now,
                }
            ).last_pk

    def name_site(self, site_id: int, name: str) -> None:
        """Fill a site's name (from its pages' SiteName meta tag) if it has none yet."""
        self.db.execute(
            "update sites set name = ? where id = ? and (name is null or name = '')",
            [name, site_id],
        )
        self._commit()

    # --- captures and reports ------------------------------------------------------------

    def record_capture(self, capture: dict[str, Any], body: bytes | None = None) -> int:
        """Store one fetch (and its raw bytes, deduplicated by sha256); returns the capture id."""
        with self.db.atomic():
            return self._insert_capture(capture, body)

    def _insert_capture(self, capture: dict[str, Any], body: bytes | None) -> int:
        row = {k: capture.get(k) for k in _CAPTURE_FIELDS}
        row["fetched_at"] = row["fetched_at"] or utc_now()
        if body is not None:
            digest = hashlib.sha256(body).hexdigest()
            self.db.execute(
                "insert or ignore into blobs (sha256, size, content) values (?, ?, ?)",
                [digest, len(body), body],
            )
            row["sha256"], row["size"] = digest, len(body)
        return self.db["captures"].insert(row).last_pk

    def save_capture_and_report(
        self,
        capture: dict[str, Any],
        body: bytes | None,
        report: dict[str, Any] | None,
        attachments: Iterable[dict[str, str]] = (),
    ) -> tuple[int, SaveResult | None]:
        """Store a capture, the report read from it and its attachment links, atomically.

        ``report`` holds the ``reports`` columns (``url`` required); an unchanged body only
        moves ``last_seen``, a changed one becomes a new version (the old stays in
        ``report_versions``). Returns the capture id and what happened to the report.
        """
        with self.db.atomic():
            capture_id = self._insert_capture(capture, body)
            result = None
            if report is not None:
                result = self._save_report(report, capture_id, capture.get("fetched_at"))
            report_id = result.report_id if result else None
            for link in attachments:
                self.db.execute(
                    "insert into attachments (report_id, capture_id, page_url, url, link_text, "
                    "extension) values (?, ?, ?, ?, ?, ?) on conflict (page_url, url) do update "
                    "set report_id = coalesce(excluded.report_id, report_id), "
                    "capture_id = excluded.capture_id, link_text = excluded.link_text",
                    [report_id, capture_id, capture["url"], link["url"], link.get("text"),
                     _extension(link["url"])],
                )
        return capture_id, result

    def _save_report(self, report: dict[str, Any], capture_id: int, seen: str | None) -> SaveResult:
        seen = seen or utc_now()
        row = {k: report.get(k) for k in _REPORT_FIELDS}
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
        if old:
            version = old["version"] + 1
            self.db["reports"].update(old["id"], {**row, "version": version})
            report_id, status = old["id"], UPDATED
        else:
            version = 1
            report_id = self.db["reports"].insert({**row, "first_seen": seen, "version": 1}).last_pk
            status = NEW
        self.db["report_versions"].insert(
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

    # --- reading -------------------------------------------------------------------------

    def _one(self, sql: str, params: list[Any]) -> dict[str, Any] | None:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        return dict(zip(names, row)) if row else None

    def _rows(self, sql: str, params: list[Any] | None = None) -> Iterator[dict[str, Any]]:
        cursor = self.db.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row))

    def _commit(self) -> None:
        try:
            self.db.conn.commit()
        except sqlite3.OperationalError:
            pass

    def report(self, url: str) -> dict[str, Any] | None:
        """The current ``reports`` row for a URL, or None."""
        return self._one("select * from reports where url = ?", [url])

    def reports(self) -> list[dict[str, Any]]:
        """All reports with their site host, newest report year first."""
        return list(
            self._rows(
                "select reports.*, sites.host as site_host, sites.name as site_name "
                "from reports left join sites on sites.id = reports.site_id "
                "order by report_year desc, publish_date desc, reports.id"
            )
        )

    def captures(self, crawl_id: int | None = None) -> list[dict[str, Any]]:
        """Captures (without bodies), of one crawl or of all."""
        where, params = ("where crawl_id = ?", [crawl_id]) if crawl_id else ("", [])
        return list(self._rows(f"select * from captures {where} order by id", params))

    def failures(self, crawl_id: int | None = None) -> list[dict[str, Any]]:
        """Captures that recorded an error, of one crawl or of all."""
        where = "where error is not null" + (" and crawl_id = ?" if crawl_id else "")
        return list(
            self._rows(
                f"select id, url, status, kind, error from captures {where} order by id",
                [crawl_id] if crawl_id else [],
            )
        )

    def crawl(self, crawl_id: int) -> dict[str, Any] | None:
        return self._one("select * from crawls where id = ?", [crawl_id])

    def blob(self, sha256: str) -> bytes | None:
        """Raw bytes of a capture by their sha256."""
        row = self._one("select content from blobs where sha256 = ?", [sha256])
        return row["content"] if row else None

    def search(self, query: str, limit: int = 20) -> list[dict[str, Any]]:
        """Reports whose title or body contain ``query`` (a substring; any length).

        Terms of three or more characters use the FTS5 trigram index and come back ranked
        with a highlighted snippet; shorter terms (公开, 政府) cannot use a trigram index and
        fall back to a LIKE scan of title and body.
        """
        query = query.strip()
        if not query:
            return []
        if len(query) >= 3:
            phrase = '"' + query.replace('"', '""') + '"'
            return list(
                self._rows(
                    "select reports.id, reports.title, reports.report_year, reports.url, "
                    "snippet(reports_fts, 1, '[', ']', '…', 12) as snippet "
                    "from reports_fts join reports on reports.rowid = reports_fts.rowid "
                    "where reports_fts match ? order by rank limit ?",
                    [phrase, limit],
                )
            )
        like = f"%{query}%"
        return list(
            self._rows(
                "select id, title, report_year, url, null as snippet from reports "
                "where title like ? or body_text like ? order by report_year desc limit ?",
                [like, like, limit],
            )
        )

    def integrity_ok(self) -> bool:
        return self._one("pragma integrity_check", [])["integrity_check"] == "ok"


def _extension(url: str) -> str | None:
    path = urlsplit(url).path.lower()
    return path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else None

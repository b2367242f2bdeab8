"""Reading the archive: the query verbs of :class:`archive.store.Archive` (reports, captures, search).

Kept apart from the writing half in ``store.py`` so that each stays a size a reader takes in at
once; :class:`Archive` inherits these, so callers see one object.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlite_utils import Database

from archive.query import parse_query, snippet

# The search: FTS5 trigram matches (words of 3+ characters), plus a scan for queries the trigram
# index cannot answer, narrowed to rows where every word, phrase and exclusion holds.
_SEARCH_HITS = (
    "with candidates as ("
    " select rowid, rank from reports_fts where reports_fts match gongkai_search_fts(:q)"
    " union all select rowid, 0 from reports where gongkai_search_scan(:q)), "
    "hits as (select candidates.rowid, candidates.rank from candidates join reports on reports.rowid = candidates.rowid"
    " where gongkai_search_exact(:q) or gongkai_search_match(:q, reports.title, reports.body_text,"
    " reports.title_zhs, reports.body_zhs))"
)


class ArchiveReading:
    """Query verbs over an open archive (``self.db``)."""

    db: Database

    def _one(self, sql: str, params: list[Any] | dict[str, Any]) -> dict[str, Any] | None:
        cursor = self.db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        return dict(zip(names, row)) if row else None

    def _rows(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        cursor = self.db.execute(sql, params or [])
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row))

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

    def failed_start_urls(self, crawl_id: int, urls: Iterable[str]) -> list[tuple[str, str]]:
        """The start URLs (column list pages) of a crawl that it never fetched, each with why.

        A start URL counts as fetched when any of its captures in the crawl has no error, or
        an answer below 400 (a page that came but could not be read is the crawler's failure,
        not the site's, and the summary lists it). A redirect is captured under the URL asked
        for. One never captured at all says so.
        """
        failed = []
        for url in urls:
            rows = list(self._rows("select error, status from captures where crawl_id = ? and url = ? "
                                   "and kind = 'list' order by id", [crawl_id, url]))
            if not rows:
                failed.append((url, "not fetched (no answer was recorded)"))
            elif all(row["error"] and (row["status"] is None or row["status"] >= 400) for row in rows):
                failed.append((url, rows[-1]["error"]))
        return failed

    def unreadable_files(self, crawl_id: int) -> list[dict[str, Any]]:
        """Attachment files fetched by one crawl whose text could not be read, with the reason."""
        return list(self._rows(
            "select distinct a.url, a.filename, a.error from attachments a join captures c "
            "on c.id = a.file_capture_id where c.crawl_id = ? and a.usable = 0 and a.error is not null "
            "order by a.url", [crawl_id]))

    def crawl(self, crawl_id: int) -> dict[str, Any] | None:
        return self._one("select * from crawls where id = ?", [crawl_id])

    def blob(self, sha256: str) -> bytes | None:
        """Raw bytes of a capture by their sha256."""
        row = self._one("select content from blobs where sha256 = ?", [sha256])
        return row["content"] if row else None

    def search(self, query: str, limit: int = 20, width: int = 60) -> list[dict[str, Any]]:
        """Reports matching ``query``, best first: ``archive.search('公开 申请 -征求意见')``.

        The syntax is archive/query.py's: every word must occur (a substring, any length),
        "quoted phrases", ``OR`` between words, ``-word`` excludes; 資訊公開 and 信息公开 find each
        other (archive/zhs.py). Rows have ``id``, ``url``, ``title``, ``agency``, ``report_year``,
        ``snippet`` (one line, about ``width`` terminal columns, matches marked ⟦like this⟧)
        and ``score``: FTS5 bm25 rank, lower is better; 0 for a query the trigram index cannot
        answer (no word of 3+ characters), whose matches come newest first.
        Raises :class:`archive.query.QueryError` for a query of nothing or only exclusions.
        """
        parsed = parse_query(query)
        rows = list(self._rows(
            f"{_SEARCH_HITS} select reports.id, reports.url, reports.title, reports.agency, reports.report_year, "
            "reports.body_text, reports.body_zhs, hits.rank as score "
            "from hits join reports on reports.rowid = hits.rowid "
            "order by score, reports.report_year desc, reports.id limit :limit",
            {"q": query, "limit": limit},
        ))
        for row in rows:
            row["snippet"] = snippet(parsed, row.pop("body_text"), row.pop("body_zhs"), row["title"], width=width)
        return rows

    def count_matches(self, query: str) -> int:
        """How many reports match ``query`` (the syntax of :meth:`search`)."""
        parse_query(query)
        return self._one(f"{_SEARCH_HITS} select count(*) as n from hits", {"q": query})["n"]

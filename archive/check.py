"""Verify an archive: SQLite's own check, the search index against its rows, WARC pointers, blob digests (archive).

What ``gongkai check`` runs, e.g. nightly from cron; every finding is one line saying what is
wrong and where::

    problems = check_archive("archive.db", warc_dir="archive-warc")
    for problem in problems:
        print(problem)  # "capture 17: WARC record at gongkai-….warc.gz:1234 is urn:uuid:…, not urn:uuid:…"

The archive is only read. The one check SQLite offers for an FTS5 index against its rows
(``'integrity-check'``) needs a write transaction; it runs in one that is rolled back, and only
when no crawl is writing (else it would wait for the crawl's lock).
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from archive.access import connect_read_only, writer_present

MAX_PROBLEMS_PER_CHECK = 100  # a badly damaged archive still gives a readable report


@dataclass
class CheckReport:
    """What :func:`check_archive` looked at (counts per check) and what it found wrong."""

    checked: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _limited(name: str, found: Iterator[str], report: CheckReport) -> None:
    n = 0
    for problem in found:
        n += 1
        if n <= MAX_PROBLEMS_PER_CHECK:
            report.problems.append(problem)
    if n > MAX_PROBLEMS_PER_CHECK:
        report.problems.append(f"{name}: … and {n - MAX_PROBLEMS_PER_CHECK} more")


def sqlite_integrity(conn: sqlite3.Connection) -> Iterator[str]:
    """``PRAGMA integrity_check``: damaged pages, broken indexes, rows out of order."""
    for (line,) in conn.execute("pragma integrity_check"):
        if line != "ok":
            yield f"sqlite: {line}"


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}


def fts_rows(conn: sqlite3.Connection) -> Iterator[str]:
    """Reports missing from the search index, and index entries whose report is gone."""
    if "reports_fts_docsize" not in _tables(conn):
        yield "search index: reports_fts is missing (`gongkai migrate` rebuilds it)"
        return
    for (rowid,) in conn.execute("select rowid from reports where rowid not in (select id from reports_fts_docsize)"):
        yield f"search index: report {rowid} is not indexed (search cannot find it)"
    for (rowid,) in conn.execute("select id from reports_fts_docsize where id not in (select rowid from reports)"):
        yield f"search index: entry {rowid} has no report (deleted without updating the index)"


def fts_contents(path: str | os.PathLike[str]) -> Iterator[str]:
    """SQLite's FTS5 check of the index against the report texts, in a transaction rolled back."""
    conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=rw", uri=True, isolation_level=None)
    try:
        conn.execute("begin immediate")
        try:
            conn.execute("insert into reports_fts(reports_fts, rank) values ('integrity-check', 1)")
        except sqlite3.DatabaseError as error:
            yield f"search index: does not match the report texts ({error}); " \
                  "`sqlite-utils rebuild-fts FILE reports` rebuilds it"
        finally:
            conn.execute("rollback")
    finally:
        conn.close()


def blobs(conn: sqlite3.Connection, counted: Callable[[], None]) -> Iterator[str]:
    """Each stored body must hash to its key and have its recorded size (bit rot, bad copies)."""
    for sha, size in conn.execute("select sha256, size from blobs"):
        content = conn.execute("select content from blobs where sha256 = ?", [sha]).fetchone()[0] or b""
        counted()
        actual = hashlib.sha256(content).hexdigest()
        if actual != sha:
            yield f"blob {sha[:16]}…: content hashes to {actual[:16]}… (changed since it was stored)"
        elif size is not None and size != len(content):
            yield f"blob {sha[:16]}…: {len(content)} bytes, {size} recorded"


def warc_pointers(conn: sqlite3.Connection, folder: Path, counted: Callable[[], None]) -> Iterator[str]:
    """Each capture's WARC file/offset must hold a record with its record id and URL."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    rows = conn.execute("select id, url, final_url, warc_file, warc_offset, warc_length, warc_record_id "
                        "from captures where warc_file is not null order by warc_file, warc_offset")
    sizes: dict[str, int | None] = {}
    for capture_id, url, final_url, name, offset, length, record_id in rows:
        counted()
        path = folder / name
        if name not in sizes:
            sizes[name] = path.stat().st_size if path.is_file() else None
        if sizes[name] is None:
            yield f"capture {capture_id}: WARC file {path} is missing"
            continue
        if offset is None or offset < 0 or offset >= sizes[name] or \
                (length is not None and offset + length > sizes[name]):
            yield f"capture {capture_id}: offset {offset} (+{length}) lies outside {name} ({sizes[name]} bytes)"
            continue
        try:
            with path.open("rb") as fh:
                fh.seek(offset)
                record = next(iter(ArchiveIterator(fh)), None)
                headers = record.rec_headers if record is not None else None
        except (ArchiveLoadFailed, OSError, ValueError, EOFError) as error:
            yield f"capture {capture_id}: no WARC record at {name}:{offset} ({error})"
            continue
        if headers is None:
            yield f"capture {capture_id}: no WARC record at {name}:{offset}"
            continue
        found_id, target = headers.get_header("WARC-Record-ID"), headers.get_header("WARC-Target-URI")
        if record_id and found_id != record_id:
            yield f"capture {capture_id}: WARC record at {name}:{offset} is {found_id}, not {record_id}"
        elif target not in (url, final_url):
            yield f"capture {capture_id}: WARC record at {name}:{offset} is for {target}, not {url}"


def check_archive(path: str | os.PathLike[str], warc_dir: str | os.PathLike[str] | None = None) -> CheckReport:
    """Run every check on the archive at ``path``; ``warc_dir`` defaults to the folder beside it.

    The file must already have passed :func:`archive.access.check_archive_file`.
    """
    from archive.warc import warc_dir_for

    report = CheckReport()
    conn = connect_read_only(path)
    try:
        _limited("sqlite", sqlite_integrity(conn), report)
        report.checked["sqlite pages"] = conn.execute("pragma page_count").fetchone()[0]
        tables = _tables(conn)
        if "reports" in tables:
            report.checked["reports"] = conn.execute("select count(*) from reports").fetchone()[0]
            _limited("search index", fts_rows(conn), report)
        counts = {"blobs": 0, "WARC records": 0}

        def count(name: str) -> Callable[[], None]:
            def inner() -> None:
                counts[name] += 1
            return inner

        _limited("blobs", blobs(conn, count("blobs")), report)
        folder = Path(warc_dir) if warc_dir else warc_dir_for(path)
        _limited("warc", warc_pointers(conn, folder, count("WARC records")), report)
        report.checked.update(counts)
    finally:
        conn.close()
    if "reports_fts" in tables:
        if writer_present(path):
            report.skipped.append("search index contents: a crawl is writing (run again when it is done)")
        else:
            _limited("search index", fts_contents(path), report)
    return report

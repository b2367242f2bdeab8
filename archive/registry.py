"""An archive's registry table: the user's bodies and the report columns discovery found (archive layer).

The bundled list (:func:`archive.bodies.bundled`) is read-only package data; this table holds
what a user adds (``gongkai sites add``/``import``) and what ``gongkai discover --db`` or a
registry crawl learns, and overrides the bundled row of the same name.

    >>> from archive.store import Archive
    >>> archive = Archive.memory()
    >>> from archive.bodies import make_entry
    >>> save_entries(archive.db, [make_entry("某县人民政府", "http://www.x.gov.cn", level="county")])
    1
    >>> [e.name for e in entries(archive.db)]
    ['某县人民政府']
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from sqlite_utils import Database

from archive.bodies import FIELDS, Entry, bundled, merge
from archive.schema import utc_now


def entries(db: Database) -> list[Entry]:
    """The archive's own registry rows, by name."""
    if not db["registry"].exists():
        return []
    rows = db.execute(f"select {', '.join(FIELDS)} from registry order by id").fetchall()
    return [Entry(**dict(zip(FIELDS, row))) for row in rows]


def registry(db: Database | None) -> list[Entry]:
    """The whole registry an archive sees: the bundled list overridden by the archive's rows."""
    return merge(bundled(), entries(db) if db is not None else [])


def save_entries(db: Database, new: Iterable[Entry]) -> int:
    """Insert or replace (by name) entries in the archive's registry; returns how many were saved.

    All rows are written in one transaction: an import either lands whole or not at all.
    """
    now, count = utc_now(), 0
    with db.conn:
        for entry in new:
            row = {k: getattr(entry, k) for k in FIELDS}
            existing = db.execute("select id from registry where name = ?", [entry.name]).fetchone()
            if existing:
                db["registry"].update(existing[0], {**row, "updated_at": now})
            else:
                db["registry"].insert({**row, "updated_at": now})
            count += 1
    return count


def record_column(db: Database, entry: Entry, column: str, verified_at: str) -> Entry:
    """Remember that ``entry``'s report column is ``column``, found working on ``verified_at``."""
    found = entry.with_column(column, verified_at)
    save_entries(db, [found])
    return found


def name_for(db: Database, column_url: str) -> str | None:
    """The registry name of the body a column URL belongs to: its known column, else its host
    when exactly one body has its homepage there (None otherwise: a guess could give a
    department its government's name).
    """
    host = (urlsplit(column_url).hostname or "").lower()
    known = registry(db)
    for entry in known:
        if entry.report_column and entry.report_column.rstrip("/") == column_url.rstrip("/"):
            return entry.name
    same_host = [e for e in known if (urlsplit(e.homepage).hostname or "").lower() == host]
    if len(same_host) == 1:
        return same_host[0].name
    return None

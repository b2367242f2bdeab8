"""Check that a path is a gongkai archive before anything opens it, and open archives read-only (archive layer).

Every command that takes ``--db`` calls :func:`check_archive_file` first, so a mistyped path,
a folder, someone else's SQLite file or an archive from a newer gongkai gets one sentence
saying what is wrong, and the file is never written (no tables added, no ``-wal``/``-shm``
files, no ``*-warc/`` folder made beside it)::

    try:
        info = check_archive_file("archive.db", purpose=Purpose.READ)
    except ArchiveFileError as error:
        print(error)  # "archive.db is a folder, not an archive file …"

Reading is done through :func:`read_only_uri`: ``immutable=1`` when no crawl is writing, which
makes SQLite touch nothing at all, else ``mode=ro`` so a running crawl's commits are seen.
"""

from __future__ import annotations

import enum
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from archive.schema import migration_names, migrations

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATIONS_TABLE = "_sqlite_migrations"


class ArchiveFileError(Exception):
    """The path given as an archive cannot be used; ``str(error)`` is one line for the user."""


class Purpose(enum.Enum):
    """What a command means to do with the archive, which decides what it accepts.

    CREATE (``crawl``): a missing or empty file becomes a new archive; an older schema is
    migrated. MIGRATE (``migrate``): an existing archive of any older schema. READ (``search``,
    ``serve``, ``reports``, ``check``): an existing archive at the current schema, since a reader
    never migrates. READ_ANY (``export``, ``stats``): an existing archive of any older schema,
    read as it is (those commands leave out what an older archive lacks).
    """

    CREATE = "create"
    MIGRATE = "migrate"
    READ = "read"
    READ_ANY = "read-any"


@dataclass(frozen=True)
class ArchiveInfo:
    """What :func:`check_archive_file` found: whether the file exists and which migrations are pending."""

    path: Path
    exists: bool
    pending: list[str] = field(default_factory=list)


def writer_present(path: str | os.PathLike[str]) -> bool:
    """Whether a write-ahead log holds commits, i.e. a crawl is writing (or died while writing).

    SQLite removes ``archive.db-wal`` when the last writer closes; an empty one can be left by
    a read-only reader of an older gongkai and means nothing.
    """
    wal = Path(f"{path}-wal")
    return wal.exists() and wal.stat().st_size > 0


def read_only_uri(path: str | os.PathLike[str], *, live: bool | None = None) -> str:
    """A ``file:`` URI opening the archive without ever writing it.

    :param live: True gives ``mode=ro`` (sees a running crawl's commits, but SQLite keeps
        ``-wal``/``-shm`` beside the file while connected); False gives ``immutable=1`` (SQLite
        creates, locks and changes nothing); None chooses immutable when no ``-wal``/``-shm``
        file shows another connection.
    """
    if live is None:
        # Immutable only when no connection has the file open in WAL mode (no -wal, no -shm):
        # an immutable reader takes no locks, and closing it in a process whose other
        # connection holds locks on the file would drop them (POSIX locks are per process).
        live = Path(f"{path}-wal").exists() or Path(f"{path}-shm").exists()
    return Path(path).resolve().as_uri() + ("?mode=ro" if live else "?immutable=1")


def connect_read_only(path: str | os.PathLike[str], *, live: bool | None = None) -> sqlite3.Connection:
    """An sqlite3 connection from :func:`read_only_uri` (the file is checked to exist first)."""
    if not Path(path).is_file():
        raise ArchiveFileError(f"{path} does not exist")
    return sqlite3.connect(read_only_uri(path, live=live), uri=True)


def _describe_start(head: bytes) -> str:
    if not head:
        return "it is empty"
    if head.lstrip()[:1] in (b"<", b"{", b"["):
        return "it looks like a text file (HTML, XML or JSON)"
    if head.startswith(b"PK"):
        return "it looks like a ZIP file"
    if head.startswith(b"WARC/"):
        return "it is a WARC file"
    return "its first bytes are not SQLite's"


def check_archive_file(path: str | os.PathLike[str], purpose: Purpose = Purpose.READ, *,
                       schema: bool = True, header: bool = True) -> ArchiveInfo:
    """Check ``path`` for ``purpose``; raise :class:`ArchiveFileError` with one line if it will not do.

    Reads at most the file's header and its ``_sqlite_migrations`` table, through an immutable
    connection: the file's bytes stay as they were, and nothing is created beside it.
    ``schema=False`` stops after the file checks, for a caller that opens its own connection
    and passes it to :func:`check_schema`. ``header=False`` does not open the file at all:
    closing any descriptor of a file drops every POSIX lock the process holds on it, so a
    process already connected to the archive (a crawl opening a second ``Archive``) must
    leave the bytes to SQLite.
    """
    path = Path(path)
    shown = str(path)
    if path.is_dir():
        raise ArchiveFileError(f"{shown} is a folder, not an archive file (give the .db file, "
                               f"e.g. --db {path / 'archive.db'})")
    if not path.exists():
        if purpose is Purpose.CREATE:
            if path.parent.exists() and not path.parent.is_dir():
                raise ArchiveFileError(f"cannot create {shown}: {path.parent} is a file, not a folder")
            return ArchiveInfo(path, exists=False, pending=migration_names())
        raise ArchiveFileError(f"{shown} does not exist (an archive is made by `gongkai crawl URL --db {shown}`)")
    if not path.is_file():
        raise ArchiveFileError(f"{shown} is not a regular file")
    if not header:
        if not os.access(path, os.R_OK):
            raise ArchiveFileError(f"cannot read {shown}: Permission denied")
        head = SQLITE_HEADER if path.stat().st_size else b""
    else:
        try:
            with path.open("rb") as fh:
                head = fh.read(len(SQLITE_HEADER))
        except OSError as error:
            raise ArchiveFileError(f"cannot read {shown}: {error.strerror or error}") from error
    if purpose is Purpose.CREATE and not head:  # SQLite treats an empty file as an empty database
        return ArchiveInfo(path, exists=True, pending=migration_names())
    if head != SQLITE_HEADER:
        raise ArchiveFileError(f"{shown} is not a SQLite database ({_describe_start(head)}): "
                               "is it the right path?")
    if purpose is Purpose.CREATE and not os.access(path, os.W_OK):
        raise ArchiveFileError(f"cannot write {shown}: permission denied")
    if not schema:
        return ArchiveInfo(path, exists=True)
    conn = sqlite3.connect(read_only_uri(path), uri=True)
    try:
        return check_schema(conn, path, purpose, header_read=True)
    finally:
        conn.close()


def check_schema(conn: sqlite3.Connection, path: str | os.PathLike[str], purpose: Purpose, *,
                 header_read: bool = False) -> ArchiveInfo:
    """The schema half of :func:`check_archive_file`, on a connection already open (``Archive`` uses its own).

    Reads ``sqlite_master`` and ``_sqlite_migrations`` only. ``header_read`` says the file was
    seen to start like SQLite, so SQLite's "not a database" means damage rather than a wrong file.
    """
    path = Path(path)
    shown = str(path)
    try:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        applied: list[str] = []
        if MIGRATIONS_TABLE in tables:
            applied = [row[0] for row in conn.execute(
                f"select name from {MIGRATIONS_TABLE} where migration_set = ?", [migrations.name])]
    except sqlite3.DatabaseError as error:
        if "not a database" in str(error) and not header_read:
            raise ArchiveFileError(f"{shown} is not a SQLite database: is it the right path?") from error
        raise ArchiveFileError(f"{shown} is a damaged SQLite database ({error}): restore a backup "
                               "(`sqlite3 FILE .recover` may save what is still readable)") from error
    known = migration_names()
    others = {t for t in tables if not t.startswith("sqlite_")} - {MIGRATIONS_TABLE}
    if not applied:
        if others:
            raise ArchiveFileError(f"{shown} is a SQLite database but not a gongkai archive "
                                   f"(it holds {len(others)} other table(s)); gongkai leaves it as it is")
        if purpose not in (Purpose.CREATE, Purpose.MIGRATE):
            raise ArchiveFileError(f"{shown} is an empty database, not yet an archive "
                                   f"(`gongkai crawl URL --db {shown}` makes one)")
        return ArchiveInfo(path, exists=True, pending=known)
    unknown = [name for name in applied if name not in known]
    if unknown:
        raise ArchiveFileError(f"{shown} was written by a newer gongkai (its schema step {unknown[0]} is "
                               "unknown to this version): upgrade gongkai to use it")
    pending = [name for name in known if name not in applied]
    if pending and purpose is Purpose.READ:
        raise ArchiveFileError(f"{shown} has an older schema ({len(pending)} step(s) behind); "
                               f"run `gongkai migrate --db {shown}` first (this command never writes)")
    return ArchiveInfo(path, exists=True, pending=pending)

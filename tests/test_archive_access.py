"""archive/access.py and every command's ``--db``: a path that is no usable archive is one line, exit 1, untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlite_utils import Database

from archive.access import ArchiveFileError, Purpose, check_archive_file
from archive.schema import migration_names, migrations
from archive.store import Archive
from crawler.cli import cli

REPO = Path(__file__).resolve().parents[1]

# Every command that takes --db, with the other arguments it needs. crawl's URL is never fetched:
# the archive check comes first.
COMMANDS = {
    "crawl": ["crawl", "http://127.0.0.1:9/xxgk/index.html"],
    "search": ["search", "信息公开"],
    "reports": ["reports"],
    "stats": ["stats"],
    "export": ["export", "--format", "jsonl", "--out", "{dir}/out.jsonl"],
    "serve": ["serve", "--port", "9"],
    "check": ["check"],
    "migrate": ["migrate"],
}


def snapshot(folder: Path) -> dict[str, str]:
    """Every path under ``folder`` with the sha256 of its bytes (folders as "dir")."""
    return {str(p.relative_to(folder)): "dir" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))}


def run(command: str, db: Path, folder: Path):
    args = [a.replace("{dir}", str(folder)) for a in COMMANDS[command]]
    return CliRunner().invoke(cli, [*args, "--db", str(db)])


def assert_refused(result, *phrases: str) -> None:
    lines = result.output.strip().splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    for phrase in phrases:
        assert phrase in lines[0]


def other_sqlite(path: Path) -> Path:
    """Someone else's database: a table of their own, in WAL mode like many apps use."""
    conn = sqlite3.connect(path)
    conn.execute("create table notes (id integer primary key, text text)")
    conn.execute("insert into notes (text) values ('不是档案')")
    conn.commit()
    conn.close()
    return path


def newer_archive(path: Path) -> Path:
    Archive(path).close()
    db = Database(path)
    db["_sqlite_migrations"].insert({"migration_set": "gongkai", "name": "m999_from_the_future",
                                     "applied_at": "2030-01-01"})
    db.close()
    return path


def older_archive(path: Path) -> Path:
    """An archive as the version before the last schema step left it."""
    db = Database(path)
    migrations.apply(db, stop_before=migration_names()[-1])
    db.close()
    return path


BAD = {
    "folder": (lambda p: (p.mkdir(), p)[1], ["is a folder"]),
    "html file": (lambda p: (p.write_text("<html><body>年报</body></html>", encoding="gbk"), p)[1],
                  ["not a SQLite database", "text file"]),
    "zip file": (lambda p: (p.write_bytes(b"PK\x03\x04" + bytes(200)), p)[1], ["not a SQLite database", "ZIP"]),
    "truncated sqlite": (lambda p: (p.write_bytes(b"SQLite format 3\x00" + b"\x10\x00" + bytes(90)), p)[1],
                         ["damaged SQLite database"]),
    "other sqlite": (other_sqlite, ["not a gongkai archive"]),
    "newer archive": (newer_archive, ["newer gongkai", "m999_from_the_future"]),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("kind", BAD)
def test_every_command_refuses_a_path_that_is_no_archive_in_one_line_and_touches_nothing(tmp_path, command, kind):
    make, phrases = BAD[kind]
    db = make(tmp_path / "archive.db")
    before = snapshot(tmp_path)
    result = run(command, db, tmp_path)
    assert_refused(result, str(db), *phrases)
    assert snapshot(tmp_path) == before  # the file byte-identical, no -wal/-shm, no archive-warc/


@pytest.mark.parametrize("command", [c for c in COMMANDS if c != "crawl"])
def test_reading_commands_refuse_a_missing_archive_and_create_none(tmp_path, command):
    result = run(command, tmp_path / "typo.db", tmp_path)
    assert_refused(result, "typo.db does not exist")
    assert snapshot(tmp_path) == {}


@pytest.mark.parametrize("command", ["search", "reports", "serve"])
def test_reading_commands_ask_for_migrate_on_an_older_archive_and_leave_it_as_it_is(tmp_path, command):
    db = older_archive(tmp_path / "old.db")
    before = snapshot(tmp_path)
    assert_refused(run(command, db, tmp_path), "older schema", f"gongkai migrate --db {db}")
    assert snapshot(tmp_path) == before


def test_export_and_stats_read_an_older_archive_as_it_is(tmp_path):
    db = older_archive(tmp_path / "old.db")
    before = snapshot(tmp_path)
    assert run("stats", db, tmp_path).exit_code == 0
    assert snapshot(tmp_path) == before


def test_migrate_brings_an_older_archive_to_the_current_schema(tmp_path):
    db = older_archive(tmp_path / "old.db")
    result = run("migrate", db, tmp_path)
    assert result.exit_code == 0 and migration_names()[-1] in result.output
    assert check_archive_file(db, Purpose.READ).pending == []
    assert "already at the current schema" in run("migrate", db, tmp_path).output


@pytest.mark.e2e  # runs the command in subprocesses, as another user
def test_unreadable_archive_is_refused_in_one_line(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="gongkai-unreadable-"))
    try:
        folder.chmod(0o755)
        db = folder / "archive.db"
        Archive(db).close()
        db.chmod(0)
        before = snapshot(folder)
        # root reads any file: the command runs as nobody, for whom the mode counts
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] if os.geteuid() == 0 else []
        if prefix and not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot make a file unreadable")
        for command in ("search", "stats", "serve", "crawl"):
            args = [a.replace("{dir}", str(folder)) for a in COMMANDS[command]]
            result = subprocess.run([*prefix, sys.executable, "-m", "crawler.cli", *args, "--db", str(db)],
                                    cwd=REPO, capture_output=True, text=True, timeout=120,
                                    env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
            lines = (result.stdout + result.stderr).strip().splitlines()
            assert result.returncode == 1 and lines == [f"Error: cannot read {db}: Permission denied"], (command, lines)
        db.chmod(0o644)
        assert snapshot(folder) == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_archive_object_refuses_someone_elses_database_before_writing(tmp_path):
    db = other_sqlite(tmp_path / "notes.db")
    before = snapshot(tmp_path)
    with pytest.raises(ArchiveFileError, match="not a gongkai archive"):
        Archive(db)
    assert snapshot(tmp_path) == before


def test_an_empty_file_or_empty_database_may_become_an_archive_by_crawl_only(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert check_archive_file(empty, Purpose.CREATE).pending == migration_names()
    with pytest.raises(ArchiveFileError, match="not a SQLite database"):
        check_archive_file(empty, Purpose.READ)
    blank = tmp_path / "blank.db"
    sqlite3.connect(blank).execute("pragma user_version = 1").connection.close()
    assert check_archive_file(blank, Purpose.CREATE).exists
    with pytest.raises(ArchiveFileError, match="empty database"):
        check_archive_file(blank, Purpose.READ_ANY)


@pytest.mark.parametrize("content", [b"<html>not an archive</html>" * 10, b"PK\x03\x04" + bytes(500)])
def test_archive_object_refuses_a_file_that_is_not_sqlite_without_reading_it_itself(tmp_path, content):
    # Archive() leaves the bytes to SQLite (a second descriptor would drop a crawl's locks)
    db = tmp_path / "archive.db"
    db.write_bytes(content)
    before = snapshot(tmp_path)
    with pytest.raises(ArchiveFileError, match="is not a SQLite database"):
        Archive(db)
    assert snapshot(tmp_path) == before

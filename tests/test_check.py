"""``gongkai check`` (archive/check.py): each kind of damage is named in one line and makes the exit code 4."""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.store import Archive
from archive.warc import Exchange, WarcStore, warc_dir_for
from crawler.cli import EXIT_CHECK_FAILED, cli

# Pages as three kinds of server send them: a UTF-8 TRS article, a GBK home-made page, a Hanweb
# page served gzip-free with its own charset meta.
PAGES = (
    ("/xxgk/xxgknb/202001/t20200115_100.html", "江州市2019年政府信息公开工作年度报告", "utf-8"),
    ("/col/col1229214366/art/2021/art_5f3a.html", "青溪县2020年政府信息公开年度报告", "gbk"),
    ("/module/download/downfile.jsp?classid=0&filename=1.html", "某局2021年政府信息公开年报", "gb18030"),
)


@dataclass
class Built:
    path: Path
    warc_dir: Path
    capture_ids: list[int]


def build(folder: Path) -> Built:
    path = folder / "archive.db"
    archive = Archive(path)
    store = WarcStore(warc_dir_for(path))
    crawl = archive.start_crawl({}, "test")
    ids = []
    for route, title, encoding in PAGES:
        url = "http://www.example.gov.cn" + route
        body = (f"<html><head><meta charset='{encoding}'><title>{title}</title></head><body><h1>{title}</h1>"
                f"<p>本年度共收到政府信息公开申请12件。</p></body></html>").encode(encoding)
        where = store.write(Exchange(url=url, method="GET", request_headers=[], status=200, reason="OK",
                                     protocol="HTTP/1.1", response_headers=[("Content-Type", "text/html")],
                                     body=body))
        capture_id, _ = archive.save_capture_and_report(
            {"crawl_id": crawl, "url": url, "kind": "article", "status": 200, "warc_file": where.filename,
             "warc_offset": where.offset, "warc_length": where.length, "warc_record_id": where.record_id},
            body, {"url": url, "title": title, "body_text": f"{title}\n本年度共收到政府信息公开申请12件。"})
        ids.append(capture_id)
    store.close()
    archive.finish_crawl(crawl, {})
    archive.close()
    return Built(path, warc_dir_for(path), ids)


def tamper(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement)
    conn.commit()
    conn.close()


def run_check(built: Built, *extra: str):
    return CliRunner().invoke(cli, ["check", "--db", str(built.path), *extra])


def problems(result) -> list[str]:
    return [line for line in result.stdout.splitlines() if line]


def test_a_sound_archive_checks_ok_and_stays_byte_identical(tmp_path):
    built = build(tmp_path)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir() if p.is_file()}
    result = run_check(built)
    assert result.exit_code == 0, result.output
    assert problems(result) == []
    assert "ok (" in result.stderr and "3 WARC records" in result.stderr and "3 blobs" in result.stderr
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir() if p.is_file()}
    assert after == before  # no -wal/-shm left, the archive unchanged


def test_a_changed_blob_is_named(tmp_path):
    built = build(tmp_path)
    tamper(built.path, "update blobs set content = cast('被改动的内容' as blob) where rowid = 2")
    result = run_check(built)
    assert result.exit_code == EXIT_CHECK_FAILED
    [line] = problems(result)
    assert line.startswith("blob ") and "changed since it was stored" in line


def test_a_capture_pointing_at_another_record_is_named(tmp_path):
    built = build(tmp_path)
    first, second = built.capture_ids[:2]
    tamper(built.path, f"update captures set warc_offset = (select warc_offset from captures where id = {second}) "
                       f"where id = {first}")
    result = run_check(built)
    assert result.exit_code == EXIT_CHECK_FAILED
    [line] = problems(result)
    assert line.startswith(f"capture {first}: WARC record at ") and ", not <urn:uuid:" in line


def test_an_offset_past_the_end_and_a_missing_warc_file_are_named(tmp_path):
    built = build(tmp_path)
    tamper(built.path, f"update captures set warc_offset = 10000000 where id = {built.capture_ids[2]}")
    assert any("lies outside" in line for line in problems(run_check(built)))
    for warc in built.warc_dir.glob("*.warc.gz"):
        warc.rename(warc.with_suffix(".moved"))
    result = run_check(built)
    assert result.exit_code == EXIT_CHECK_FAILED
    assert sum("is missing" in line for line in problems(result)) == 3


def test_reports_the_search_index_does_not_hold_are_named(tmp_path):
    built = build(tmp_path)
    tamper(built.path, "drop trigger reports_ai",
           "insert into reports (url, title, body_text) values ('http://x.gov.cn/new.html', '新报告', '正文')")
    result = run_check(built)
    assert result.exit_code == EXIT_CHECK_FAILED
    assert "search index: report 4 is not indexed (search cannot find it)" in problems(result)


def test_report_text_changed_behind_the_index_is_found(tmp_path):
    built = build(tmp_path)
    tamper(built.path, "drop trigger reports_au", "update reports set body_text = '完全不同的正文' where id = 1")
    result = run_check(built)
    assert result.exit_code == EXIT_CHECK_FAILED
    assert any(line.startswith("search index: does not match the report texts") for line in problems(result))


def test_a_broken_sqlite_index_is_reported_by_integrity_check(tmp_path):
    built = build(tmp_path)
    # Redefine an index behind SQLite's back: its stored entries no longer match the table.
    tamper(built.path, "pragma writable_schema = on",
           "update sqlite_master set sql = 'CREATE INDEX idx_captures_url ON captures (final_url)' "
           "where name = 'idx_captures_url'")
    result = run_check(built)
    assert result.exit_code == EXIT_CHECK_FAILED
    assert any(line.startswith("sqlite: ") and "idx_captures_url" in line for line in problems(result))


def test_warc_dir_option_names_a_folder_elsewhere(tmp_path):
    built = build(tmp_path)
    moved = tmp_path / "elsewhere"
    built.warc_dir.rename(moved)
    assert run_check(built).exit_code == EXIT_CHECK_FAILED
    assert run_check(built, "--warc-dir", str(moved)).exit_code == 0


@pytest.mark.parametrize("content", [b"", b"not sqlite at all"])
def test_check_refuses_a_file_that_is_no_archive_with_exit_code_1(tmp_path, content):
    (tmp_path / "x.db").write_bytes(content)
    result = CliRunner().invoke(cli, ["check", "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and result.output.startswith("Error: ")

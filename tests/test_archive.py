"""The archive: idempotent writes, versions, atomicity, Chinese full-text search."""

import sqlite3

import pytest

from archive.schema import migrations
from archive.store import NEW, UNCHANGED, UPDATED, Archive, body_sha256

URL = "http://x.gov.cn/xxgk/xxgknb/202001/t20200115_1.html"


def capture(url: str = URL, **extra) -> dict:
    return {"url": url, "kind": "article", "status": 200, "fetched_at": "2026-01-01T00:00:00Z", **extra}


def report(body: str = "2019年，我局认真贯彻《中华人民共和国政府信息公开条例》。", **extra) -> dict:
    return {"url": URL, "title": "XX市2019年政府信息公开工作年度报告", "body_text": body,
            "report_year": 2019, "publish_date": "2020-01-15", **extra}


@pytest.fixture
def archive() -> Archive:
    return Archive.memory()


def test_saving_the_same_report_twice_only_moves_last_seen(archive):
    _, first = archive.save_capture_and_report(capture(), b"<html>1</html>", report())
    _, again = archive.save_capture_and_report(capture(fetched_at="2026-02-01T00:00:00Z"), b"<html>1</html>",
                                               report())
    assert (first.status, again.status) == (NEW, UNCHANGED)
    rows = archive.reports()
    assert len(rows) == 1 and rows[0]["first_seen"] == "2026-01-01T00:00:00Z"
    assert rows[0]["last_seen"] == "2026-02-01T00:00:00Z" and rows[0]["version"] == 1
    assert archive.db["blobs"].count == 1 and archive.db["captures"].count == 2


def test_whitespace_changes_do_not_make_a_new_version():
    assert body_sha256("第一段。\n第二段。") == body_sha256("第一段。  \r\n 第二段。")


def test_changed_body_makes_a_new_version_and_keeps_the_old(archive):
    archive.save_capture_and_report(capture(), b"a", report())
    _, result = archive.save_capture_and_report(capture(), b"b", report(body="更正后的报告正文。"))
    assert (result.status, result.version) == (UPDATED, 2)
    versions = list(archive.db.query("select version, body_text from report_versions order by version"))
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["body_text"].startswith("2019年") and archive.report(URL)["body_text"] == "更正后的报告正文。"


def test_failed_write_leaves_no_half_written_report(archive):
    bad = report()
    bad["report_year"] = object()  # not storable: the insert fails mid-transaction
    with pytest.raises((sqlite3.InterfaceError, sqlite3.ProgrammingError, TypeError)):
        archive.save_capture_and_report(capture(), b"x", bad, [{"url": "http://x.gov.cn/a.pdf", "text": "附件"}])
    assert archive.db["captures"].count == 0
    assert archive.db["reports"].count == 0 and archive.db["attachments"].count == 0


def test_sites_are_one_row_per_column(archive):
    a = archive.ensure_site("http://x.gov.cn/xxgk/xxgknb/index.html")
    b = archive.ensure_site("http://x.gov.cn/xxgk/xxgknb/index.html", "XX市人民政府")
    assert a == b and archive.db["sites"].count == 1
    assert archive.db["sites"].get(a)["name"] == "XX市人民政府"


def test_search_finds_chinese_terms_of_any_length(archive):
    archive.save_capture_and_report(capture(), b"a", report())
    assert [r["title"] for r in archive.search("信息公开条例")] == ["XX市2019年政府信息公开工作年度报告"]
    assert "⟦信息公开条例⟧" in archive.search("信息公开条例")[0]["snippet"]
    assert len(archive.search("我局")) == 1  # two characters: LIKE fallback
    assert archive.search("不存在的词语") == []
    assert archive.search('引号"测试') == []  # quotes cannot break the FTS query


def test_attachments_link_to_their_report(archive):
    links = [{"url": "http://x.gov.cn/P020200115.pdf", "text": "2019年报告.pdf"}]
    _, result = archive.save_capture_and_report(capture(), b"a", report(), links)
    archive.save_capture_and_report(capture(), b"a", report(), links)
    rows = list(archive.db["attachments"].rows)
    assert len(rows) == 1 and rows[0]["report_id"] == result.report_id and rows[0]["extension"] == "pdf"


def test_schema_is_datasette_friendly(archive):
    db = archive.db
    fks = {(fk.column, fk.other_table) for fk in db["reports"].foreign_keys}
    assert fks == {("site_id", "sites"), ("capture_id", "captures")}
    assert db["reports"].detect_fts() == "reports_fts"
    assert "trigram" in db["reports_fts"].schema
    assert db.execute("pragma foreign_keys").fetchone()[0] == 1


def test_file_archive_uses_wal_and_migrates_once(tmp_path):
    path = tmp_path / "a.db"
    first = Archive(path)
    applied = first.db["_sqlite_migrations"].count
    first.close()
    archive = Archive(path)
    assert archive.db.journal_mode == "wal"
    assert archive.db["_sqlite_migrations"].count == applied >= 2
    assert migrations.pending(archive.db) == []
    assert archive.integrity_ok()


def test_stale_site_alert_fires_past_the_threshold_and_zero_turns_it_off(archive):
    site = archive.ensure_site("http://x.gov.cn/xxgk/xxgknb/index.html")
    crawl = archive.start_crawl({}, "test")
    archive.save_capture_and_report(capture(crawl_id=crawl, site_id=site), b"x",
                                    report(site_id=site, publish_date="2020-01-15"))
    stale = [a for a in archive.crawl_alerts(crawl, stale_days=365) if a.startswith("no new report")]
    assert stale == ["no new report since 2020-01-15: http://x.gov.cn/xxgk/xxgknb/index.html"]
    assert not [a for a in archive.crawl_alerts(crawl, stale_days=0) if a.startswith("no new report")]
    assert not [a for a in archive.crawl_alerts(crawl, stale_days=100_000) if a.startswith("no new report")]


def test_an_unfinished_crawl_row_is_continued_with_its_counts_and_a_finished_one_is_not(archive):
    # A distributed crawl's restarted writer continues its crawl's row (crawler/writer.py).
    crawl = archive.start_crawl({}, "test")
    archive.save_crawl_counts(crawl, {"pages_fetched": 7, "not_a_column": 1})
    assert archive.crawl(crawl)["status"] == "running" and archive.crawl(crawl)["pages_fetched"] == 7
    archive.start_crawl({}, "test")  # what a killed writer's successor used to do: marks it interrupted
    assert archive.crawl(crawl)["status"] == "interrupted"
    assert archive.resume_crawl(crawl)
    assert archive.crawl(crawl)["status"] == "running" and archive.crawl(crawl)["pages_fetched"] == 7
    assert archive.crawl(crawl + 1)["status"] == "interrupted"  # one running crawl at a time
    archive.finish_crawl(crawl, {"pages_fetched": 9})
    assert not archive.resume_crawl(crawl) and not archive.resume_crawl(crawl + 5)


def _fts_segments(archive: Archive) -> int:
    return archive.db.execute("select count(*) from reports_fts_data").fetchone()[0]


def test_metadata_updates_leave_the_full_text_index_alone(archive):
    # A recrawl moves last_seen and statistics set template/stats_ok on every report: none of
    # that is indexed text, so none of it may re-tokenise the body (m012's trigger).
    archive.save_capture_and_report(capture(), b"<html>1</html>", report())
    before = _fts_segments(archive)
    archive.save_capture_and_report(capture(fetched_at="2026-02-01T00:00:00Z"), b"<html>1</html>", report())
    archive.save_statistics(1, [], [], [{"check_name": "c", "expected": 1, "actual": 1, "ok": 1}], "t2019")
    assert _fts_segments(archive) == before
    assert [r["url"] for r in archive.search("信息公开条例")] == [URL]


def test_a_changed_body_is_reindexed_and_the_old_text_is_no_longer_found(archive):
    archive.save_capture_and_report(capture(), b"a", report())
    archive.save_capture_and_report(capture(), b"b", report("2020年，本局依申请公开工作平稳有序。"))
    assert [r["url"] for r in archive.search("依申请公开")] == [URL]
    assert archive.search("信息公开条例") == []


def test_statistics_saved_with_a_new_report_set_its_template_and_flag_in_the_insert(archive):
    checks = [{"check_name": "a", "expected": 2, "actual": 2, "ok": 1},
              {"check_name": "b", "expected": 3, "actual": 4, "ok": 0}]
    statistics = {"template": "t2021", "sections": [], "cells": [], "checks": checks}
    _, saved = archive.save_capture_and_report(capture(), b"a", report(), statistics=statistics)
    row = archive.report(URL)
    assert (saved.status, row["template"], row["stats_ok"]) == (NEW, "t2021", 0)
    # unchanged body, statistics read again (all checks now hold): the flags still follow
    _, again = archive.save_capture_and_report(capture(), b"a", report(), statistics={
        **statistics, "template": "t2019", "checks": checks[:1]})
    row = archive.report(URL)
    assert (again.status, row["template"], row["stats_ok"]) == (UNCHANGED, "t2019", 1)
    assert len(archive.statistics(row["id"])["checks"]) == 1


def test_search_copies_given_with_a_report_are_stored_as_given_and_made_when_absent(archive):
    # the crawl's extraction workers make the copies (pipelines/extracting.py); the archive then
    # runs no OpenCC for them
    archive.save_capture_and_report(capture(), b"a", report("政府資訊公開工作年度報告全文", title="資訊公開報告",
                                                          title_zhs="given title", body_zhs="given body"))
    row = archive.report(URL)
    assert (row["title_zhs"], row["body_zhs"]) == ("given title", "given body")
    archive.save_capture_and_report(capture(url=URL + "?b"), b"b", report("政府資訊公開工作年度報告", url=URL + "?b",
                                                                          title="資訊公開報告"))
    row = archive.report(URL + "?b")
    assert (row["title_zhs"], row["body_zhs"]) == ("信息公开报告", "政府信息公开工作年度报告")

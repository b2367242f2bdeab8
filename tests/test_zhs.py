"""Cross-script Chinese search: simplified copies, the migration that makes them, query expansion, snippets, charts."""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from archive.plugins.charts import Bar, bar_chart, horizontal_bar_chart, year_grid
from archive.plugins.datasette_gongkai import cross_script_escape_fts, excerpt
from archive.schema import migrate, migrations
from archive.store import Archive
from archive.zhs import fts_phrase_query, query_variants, simplified_copy

TRADITIONAL = "市發改委2017年政府資訊公開工作年度報告:依申請公開12件。"
SIMPLIFIED = "江州市2019年政府信息公开工作年度报告:依申请公开8件,政策文件3件。"


def save(archive: Archive, url: str, title: str, body: str) -> int:
    _, result = archive.save_capture_and_report({"url": url, "kind": "article", "status": 200}, b"x",
                                                {"url": url, "title": title, "body_text": body})
    return result.report_id


def test_traditional_text_gets_a_mainland_simplified_copy():
    assert simplified_copy(TRADITIONAL) == "市发改委2017年政府信息公开工作年度报告:依申请公开12件。"


def test_simplified_text_gets_no_copy_and_keeps_mainland_words():
    assert simplified_copy(SIMPLIFIED) is None  # tw2sp would turn 政策文件 into 政策文档
    assert simplified_copy("") is None and simplified_copy(None) is None


def test_a_traditional_term_is_also_searched_in_its_simplified_forms():
    assert query_variants("資訊公開") == ["資訊公開", "资讯公开", "信息公开"]
    assert query_variants("政策文件") == ["政策文件"]
    assert fts_phrase_query('公開"') == '"公開""" OR "公开"""'


def test_archive_search_finds_either_script_with_any_query_script():
    archive = Archive.memory()
    trad = save(archive, "http://a.gov.cn/1.html", "市發改委2017年政府資訊公開工作年度報告", TRADITIONAL)
    simp = save(archive, "http://b.gov.cn/2.html", "江州市2019年政府信息公开工作年度报告", SIMPLIFIED)
    assert {r["id"] for r in archive.search("信息公开")} == {trad, simp}
    assert {r["id"] for r in archive.search("資訊公開")} == {trad, simp}
    assert {r["id"] for r in archive.search("依申請公開")} == {trad, simp}
    assert {r["id"] for r in archive.search("公開")} == {trad, simp}  # two characters: LIKE, both scripts
    assert {r["id"] for r in archive.search("政策文件")} == {simp}
    row = archive.report("http://a.gov.cn/1.html")
    assert row["body_text"] == TRADITIONAL and row["title_zhs"] == "市发改委2017年政府信息公开工作年度报告"
    assert archive.report("http://b.gov.cn/2.html")["body_zhs"] is None


def test_migration_fills_simplified_copies_of_reports_archived_before_it(tmp_path):
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m003_simplified_copies_and_search")
    db["reports"].insert({"url": "http://a.gov.cn/1.html", "title": "政府資訊公開年報", "body_text": TRADITIONAL})
    db["reports"].insert({"url": "http://b.gov.cn/2.html", "title": "政府信息公开年报", "body_text": SIMPLIFIED})
    db.close()
    archive = Archive(path)
    rows = {r["url"]: r for r in archive.db["reports"].rows}
    assert rows["http://a.gov.cn/1.html"]["body_zhs"] == simplified_copy(TRADITIONAL)
    assert rows["http://b.gov.cn/2.html"]["body_zhs"] is None
    assert len(archive.search("信息公开工作")) == 2
    assert archive.db["reports_fts"].columns_dict.keys() == {"title", "body_text", "title_zhs", "body_zhs"}
    archive.close()


def test_updated_report_refreshes_its_simplified_copy_in_the_index():
    archive = Archive.memory()
    save(archive, "http://a.gov.cn/1.html", "年報", TRADITIONAL)
    save(archive, "http://a.gov.cn/1.html", "年報", "更正:政府資訊公開申請共15件。")
    assert archive.search("依申请公开") == []  # the old text's copy left the index
    assert len(archive.search("申请共15件")) == 1


def test_search_box_query_keeps_datasette_rules_and_adds_simplified_forms():
    assert cross_script_escape_fts("信息公开") == '"信息公开"'
    assert cross_script_escape_fts("資訊公開 年度报告") == '("資訊公開" OR "资讯公开" OR "信息公开") AND "年度报告"'
    assert cross_script_escape_fts('"依申请 公开" 2019') == '"依申请 公开" AND "2019"'
    assert cross_script_escape_fts('unbalanced "quote') == '"unbalanced" AND "quote"'
    con = sqlite3.connect(":memory:")
    con.execute("create virtual table t using fts5(body, tokenize='trigram')")
    con.executemany("insert into t values (?)", [("政府信息公开年度报告",), ("政府資訊公開年度報告",), ("无关",)])

    def count(query: str) -> int:
        return con.execute("select count(*) from t where t match ?", [cross_script_escape_fts(query)]).fetchone()[0]

    # This bare index has no simplified copies: only the query's forms can bridge the scripts.
    counts = [count(q) for q in ("資訊公開", "資訊公開 年度報告", "資訊公開 年度报告", "信息公开 無關")]
    assert counts == [2, 2, 1, 0]
    assert count('"依申请 公开" 2019') == 0


def test_excerpt_marks_the_match_in_the_original_text_when_it_can():
    found = excerpt("第一段。我局在梅嶺街道開展宣傳。", "第一段。我局在梅岭街道开展宣传。", "梅岭", width=3)
    assert found == "…我局在⟦梅嶺⟧街道開…"
    assert excerpt("政府資訊公開", "政府信息公开", "信息", width=2) == "政府⟦信息⟧公开"  # only the copy has it
    assert excerpt("正文", None, "没有") is None


def test_charts_escape_labels_from_captured_pages():
    svg = horizontal_bar_chart([Bar("<script>x</script>局", 3, "/db/reports?agency=%3Cscript%3E")], title="t")
    assert "<script>" not in svg and "&lt;script&gt;x&lt;/script&gt;局" in svg
    assert 'href="/db/reports?agency=%3Cscript%3E"' in svg
    assert bar_chart([], title="empty").startswith("<svg")


def test_year_grid_marks_years_without_reports_after_a_sites_first():
    svg = year_grid([("江州市", {2019: 1, 2021: 2}, "/db/reports?site_id=1&report_year=")], [2018, 2019, 2020, 2021],
                    title="grid")
    assert "江州市 2020: missing" in svg and "江州市 2018: missing" not in svg
    assert 'href="/db/reports?site_id=1&amp;report_year=2021"' in svg


def test_fresh_archive_is_migrated_to_the_cross_script_index():
    db = Database(memory=True)
    migrate(db)
    assert "title_zhs" in db["reports"].columns_dict
    assert "trigram" in db["reports_fts"].schema

"""Search syntax people type (archive/query.py): AND by default, "phrases", OR, -exclusion; archive and CLI."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from archive.query import MARK_CLOSE, MARK_OPEN, QueryError, parse_query, snippet
from archive.store import Archive
from crawler.cli import cli

# Report bodies as three kinds of site write them: a mainland TRS template, a Taiwan-style mirror
# in traditional characters and vocabulary, and a home-made page mixing English and numbers.
TEXTS = {
    "both": ("江州市2019年政府信息公开工作年度报告",
             "一、总体情况\n本年度共收到政府信息公开申请12件,全部按时答复。\n二、主动公开情况"),
    "only_gongkai": ("青溪县2020年政府信息公开年报", "本年度主动公开政府信息300条,未发生行政复议。"),
    "only_shenqing": ("某局2021年工作总结", "全年受理群众申请事项45件。"),
    "traditional": ("四川省民政廳2018年政府資訊公開年度報告",
                    "一、概述\n本年度受理政府資訊公開申請8件,徵求意見稿2件。"),
    "english": ("Open Government Information Annual Report 2022",
                "This report on open GOVERNMENT information covers 申请 handling; 公开 notices: 17."),
}


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Archive:
    archive = Archive(tmp_path_factory.mktemp("search") / "archive.db")
    ids = {}
    for n, (name, (title, body)) in enumerate(TEXTS.items()):
        url = f"http://www.example{n}.gov.cn/xxgk/{name}.html"
        _, result = archive.save_capture_and_report({"url": url, "kind": "article", "status": 200}, body.encode(),
                                                    {"url": url, "title": title, "body_text": body})
        ids[name] = result.report_id
    archive.ids = ids  # type: ignore[attr-defined]
    yield archive
    archive.close()


def found(archive: Archive, query: str) -> set[str]:
    names = {v: k for k, v in archive.ids.items()}
    rows = archive.search(query, limit=100)
    assert archive.count_matches(query) == len(rows)
    return {names[row["id"]] for row in rows}


def test_several_short_words_must_all_occur(archive):
    assert found(archive, "公开 申请") == {"both", "traditional", "english"}


def test_long_and_short_words_together_narrow_through_the_index(archive):
    assert found(archive, "信息公开 申请") == {"both", "traditional"}
    assert found(archive, "政府信息公开 主动公开") == {"both", "only_gongkai"}


def test_quoted_phrase_must_occur_as_typed(archive):
    assert found(archive, '"公开申请"') == {"both", "traditional"}  # 公開申請 in traditional
    assert found(archive, '"申请 公开"') == set()
    assert found(archive, "“公开申请”") == {"both", "traditional"}  # quotes from a Chinese input method


def test_or_between_words_accepts_either(archive):
    assert found(archive, "行政复议 OR 征求意见") == {"only_gongkai", "traditional"}
    assert found(archive, "年度报告 OR 年报 2020") == {"only_gongkai"}
    assert found(archive, "群众 | 复议") == {"only_shenqing", "only_gongkai"}
    assert found(archive, "群众 or 复议") == set()  # lower-case "or" is a word like any other


def test_minus_excludes_reports_holding_the_word(archive):
    assert found(archive, "申请 -征求意见") == {"both", "only_shenqing", "english"}
    assert found(archive, "信息公开 -主动") == {"traditional"}
    assert found(archive, "申请　－答复") == {"only_shenqing", "traditional", "english"}  # full-width space, minus


def test_case_does_not_matter_for_latin_words(archive):
    assert found(archive, "government information") == {"english"}
    assert found(archive, '"open government"') == {"english"}


def test_traditional_and_simplified_find_each_other_in_every_form(archive):
    assert found(archive, "資訊公開 申請") == {"both", "traditional"}
    assert found(archive, "征求意见 OR 复议") == {"traditional", "only_gongkai"}


def test_a_query_of_only_exclusions_or_nothing_is_refused():
    with pytest.raises(QueryError, match="besides the -excluded"):
        parse_query("-申请 -公开")
    with pytest.raises(QueryError, match="nothing to search"):
        parse_query('  "" ')


def test_unclosed_quote_runs_to_the_end():
    assert [c.terms for c in parse_query('年报 "依申请 公开').clauses] == [("年报",), ("依申请 公开",)]


def test_snippet_never_cuts_a_term_and_stays_on_one_line():
    body = "第一行\n" + "甲" * 40 + "依申请公开" + "乙" * 3 + "依申请公开" + "丙" * 40
    for width in range(10, 40):
        text = snippet("依申请公开", body, width=width)
        assert "\n" not in text
        marked = re.findall(f"{MARK_OPEN}(.*?){MARK_CLOSE}", text)
        assert marked and set(marked) == {"依申请公开"}
        assert text.count(MARK_OPEN) == text.count(MARK_CLOSE)
        assert "依申请公开" not in re.sub(f"{MARK_OPEN}.*?{MARK_CLOSE}", "", text)  # no unmarked (partial) copy
        assert not re.search("依申请公|申请公开", re.sub(f"{MARK_OPEN}.*?{MARK_CLOSE}", "", text))


def test_cli_search_takes_several_words_and_prints_json_lines(archive):
    result = CliRunner().invoke(cli, ["search", "公开", "申请", "--json", "--db", str(archive.db.conn.execute(
        "pragma database_list").fetchone()[2])])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert {row["id"] for row in lines} == {archive.ids[n] for n in ("both", "traditional", "english")}
    for row in lines:
        assert list(row) == ["id", "url", "title", "agency", "year", "snippet", "score"]
        assert MARK_OPEN in row["snippet"] and row["url"].startswith("http://")


def test_cli_search_excludes_a_minus_word_and_shows_total_ids_and_urls(archive):
    db = archive.db.conn.execute("pragma database_list").fetchone()[2]
    result = CliRunner().invoke(cli, ["search", "申请", "-征求意见", "--limit", "2", "--db", db])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == "3 reports match '申请 -征求意见'; 2 shown (--limit 2)"
    rows = lines[2:-1]
    assert len(rows) == 2  # one line per result, however long the texts
    for line in rows:
        assert re.match(r"\d+\s+(\d{4})?\s", line) and re.search(r"http://www\.example\d\.gov\.cn/\S+$", line)
        assert line.count(MARK_OPEN) == line.count(MARK_CLOSE) >= 1


def test_cli_search_refuses_only_exclusions_in_one_line(archive):
    db = archive.db.conn.execute("pragma database_list").fetchone()[2]
    result = CliRunner().invoke(cli, ["search", "-申请", "--db", db])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["Error: a search needs a word to look for besides the -excluded ones"]

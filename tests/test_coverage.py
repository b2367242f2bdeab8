"""Coverage: who published which year's report and on time, on crawls of fixture portals started
from their homepages or from the registry."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import subprocess
import sys

import pytest

from archive.coverage import deadline, status
from demo.portals import agency_columns, big5_tree, redirect_years, serve_portal, trs_nav, trs_tabs, xhr_menu

LOCAL = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false", "-s", "ROBOTSTXT_OBEY=false",
         "-s", "RETRY_TIMES=0"]


def gongkai(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler.cli", *args], capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(("year", "published", "expected"), [
    (2018, "2019-03-31", "on_time"), (2018, "2019-04-01", "late"),  # 2008 条例: 3月31日
    (2019, "2020-01-31", "on_time"), (2019, "2020-02-01", "late"),  # 2019 revision: 1月31日
    (2023, "2024-01-05 10:00:00", "on_time"), (2023, None, "undated"), (2023, "2024年", "undated"),
])
def test_status_against_the_legal_deadline_of_the_report_year(year, published, expected):
    assert status(year, published) == expected
    assert deadline(year).year == year + 1


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Five portals crawled from their homepages, plus a registry body with nothing archived."""
    db = str(tmp_path_factory.mktemp("coverage") / "a.db")
    with contextlib.ExitStack() as stack:
        portals = (trs_nav, redirect_years, agency_columns, big5_tree, trs_tabs)
        served = [stack.enter_context(serve_portal(p())) for p in portals]
        args = [x for s in served for x in ("--from-homepage", s.homepage)]
        result = gongkai("crawl", *args, "--db", db, "--no-warc", *LOCAL)
    assert result.returncode == 0, result.stderr[-3000:]
    assert gongkai("sites", "add", "无报告县人民政府", "http://www.wbg.gov.cn", "--db", db).returncode == 0
    return db, served


def _rows(db: str, *args: str) -> list[dict]:
    result = gongkai("coverage", "--db", db, "--json", *args)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.e2e
def test_coverage_says_on_time_late_and_missing_per_agency_and_year(crawled):
    db, _ = crawled
    rows = _rows(db, "--from-year", "2019", "--to-year", "2023")
    assert set(rows[0]) == {"site", "agency", "year", "published", "status", "url"}
    by = {(r["agency"], r["year"]): r for r in rows}
    assert by[("江南市人民政府", 2023)]["status"] == "on_time"
    assert by[("江南市人民政府", 2022)]["published"] == "2023-03-20"
    assert by[("江南市人民政府", 2022)]["status"] == "late"
    assert by[("江南市人民政府", 2020)]["status"] == "missing" and by[("江南市人民政府", 2020)]["url"] is None
    # reports filed in year folders (东山县) and in a per-agency sub-column (海西省) were walked into
    assert by[("东山县人民政府", 2019)]["status"] == "on_time"
    assert by[("东山县人民政府", 2022)]["status"] == "late"
    assert by[("海西省人民政府", 2023)]["status"] == "on_time"
    # a registry body with nothing archived is missing every year
    assert [by[("无报告县人民政府", y)]["status"] for y in range(2019, 2024)] == ["missing"] * 5


@pytest.mark.e2e
def test_coverage_years_are_bounded_and_csv_has_the_same_rows(crawled):
    db, _ = crawled
    assert {r["year"] for r in _rows(db, "--from-year", "2022")} == {2022, 2023}
    result = gongkai("coverage", "--db", db, "--csv", "--from-year", "2022")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(table) == len(_rows(db, "--from-year", "2022"))
    assert {r["status"] for r in table} == {"on_time", "late", "missing"}


@pytest.mark.e2e
def test_sites_crawled_from_homepages_carry_names_for_site_filters(crawled):
    db, _ = crawled
    from archive.export import open_read_only

    database = open_read_only(db)
    names = [r[0] for r in database.execute("select name from sites").fetchall()]
    database.close()
    # bodies the registry lacked are named from their homepage's title, not their host
    assert sorted(names) == ["东山县人民政府", "南港縣政府", "江南市人民政府", "海西省人民政府", "清溪市人民政府"]


@pytest.mark.e2e
def test_a_registry_crawl_checks_known_columns_and_rediscovers_a_moved_one(tmp_path):
    db = str(tmp_path / "r.db")
    with serve_portal(xhr_menu()) as moved, serve_portal(trs_nav()) as kept:
        listing = tmp_path / "mine.csv"
        listing.write_text("name,homepage,level,province,report_column\n"
                           f"搬家厅,{moved.homepage},provincial,云岭省,{moved.homepage}old/nb/\n"
                           f"江南市人民政府,{kept.homepage},prefecture,云岭省,{kept.column}\n", encoding="utf-8")
        assert gongkai("sites", "import", str(listing), "--db", db).returncode == 0
        result = gongkai("crawl", "--registry", "--province", "云岭", "--db", db, "--no-warc", *LOCAL)
        kept_home_requests = [p for _, p, _ in kept.servers[0].requests if p == "/"]
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{moved.homepage} -> {moved.column}" in result.stderr
    assert f"{kept.homepage} -> {kept.column}" in result.stderr
    assert kept_home_requests == []  # a known column that answers needs no walk of the portal
    listed = {json.loads(x)["name"]: json.loads(x) for x in
              gongkai("sites", "list", "--json", "--province", "云岭省", "--db", db).stdout.splitlines()}
    assert listed["搬家厅"]["report_column"] == moved.column and listed["搬家厅"]["verified_at"]
    years = {(r["agency"], r["year"]) for r in _rows(db) if r["status"] != "missing"}
    assert ("云岭省人力资源和社会保障厅", 2023) in years


@pytest.mark.e2e
def test_site_names_filter_coverage_and_export(crawled, tmp_path):
    db, _ = crawled
    assert {r["agency"] for r in _rows(db, "--site", "江南市人民政府")} == {"江南市人民政府"}
    out = tmp_path / "j.jsonl"
    assert gongkai("export", "--db", db, "--format", "jsonl", "--out", str(out),
                   "--site", "东山县人民政府").returncode == 0
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["report_year"] for r in exported) == [2019, 2022, 2023]


@pytest.mark.e2e
@pytest.mark.parametrize(("name", "lookalike"), [("big5_tree", "/col/col320/"), ("trs_tabs", "/tjxx/")])
def test_every_year_folder_of_a_tree_or_tab_strip_is_walked_and_no_look_alike(crawled, name, lookalike):
    db, served = crawled
    portal = next(s for s in served if s.portal.name == name)
    base = portal.servers[0].base_url
    from archive.store import Archive

    archive = Archive(db)
    reports = {r["url"]: r for r in archive.reports()}
    captured = {c["url"] for c in archive.captures()}
    archive.close()
    # every year folder (2023/, 2022/, numbered nb2021/ in the tree; nb2023/, nb2022/ as tabs) gave its report
    for report in portal.portal.reports:
        assert reports[base + report.path]["report_year"] == report.year, report.path
    # the 統計年報 / 统计年报 folders beside them, and their year children, are never fetched
    assert not {u for u in captured | set(reports) if u.startswith(base + lookalike)}

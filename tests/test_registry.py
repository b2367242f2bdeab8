"""The registry: bundled bodies, a user's own list, and site names in the archive."""

from __future__ import annotations

import json

from click.testing import CliRunner

from archive.bodies import bundled, make_entry
from archive.registry import registry, save_entries
from archive.store import Archive
from crawler.cli import cli

PROVINCES = ("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
             "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
             "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆")


def test_sites_list_json_holds_every_provincial_government_and_fifty_central_bodies(tmp_path):
    result = CliRunner().invoke(cli, ["sites", "list", "--json", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert set(rows[0]) == {"name", "level", "province", "homepage", "report_column", "verified_at"}
    governments = [r for r in rows if r["level"] == "provincial" and r["name"].endswith("人民政府")]
    assert {p for p in PROVINCES if any(r["name"].startswith(p) for r in governments)} == set(PROVINCES)
    assert sum(r["level"] == "central" for r in rows) >= 50
    assert all(r["homepage"].startswith(("http://", "https://")) for r in rows)


def test_every_bundled_fact_keeps_its_source():
    assert all(entry.source for entry in bundled())


def test_sites_list_filters_by_level_and_province_with_or_without_suffix(tmp_path):
    db = str(tmp_path / "a.db")
    for province in ("浙江省", "浙江"):
        result = CliRunner().invoke(cli, ["sites", "list", "--province", province, "--level", "provincial",
                                          "--json", "--db", db])
        assert [json.loads(x)["name"] for x in result.output.splitlines()] == ["浙江省人民政府"]


def test_sites_add_and_import_keep_a_users_bodies_in_the_archive(tmp_path):
    db = str(tmp_path / "a.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["sites", "add", "某县人民政府", "www.mx.gov.cn", "--level", "county",
                               "--column", "http://www.mx.gov.cn/zwgk/gknb/", "--db", db]).exit_code == 0
    csv_file = tmp_path / "mine.csv"
    # A spreadsheet saved by Excel on a Chinese Windows: GBK with the columns in another order.
    csv_file.write_bytes("homepage,name,province\nhttp://www.ax.gov.cn,安县人民政府,四川省\n".encode("gbk"))
    assert runner.invoke(cli, ["sites", "import", str(csv_file), "--db", db]).exit_code == 0
    result = runner.invoke(cli, ["sites", "list", "--json", "--db", db])
    rows = {json.loads(x)["name"]: json.loads(x) for x in result.output.splitlines()}
    assert rows["某县人民政府"]["report_column"] == "http://www.mx.gov.cn/zwgk/gknb/"
    assert rows["安县人民政府"]["province"] == "四川省"
    assert "北京市人民政府" in rows  # the bundled list is still there


def test_an_import_with_bad_rows_names_them_and_imports_nothing(tmp_path):
    db = str(tmp_path / "a.db")
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("name,homepage,level\n好县人民政府,http://h.gov.cn,county\n,http://b.gov.cn,\n"
                        "丙县,ftp://c.gov.cn,county\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["sites", "import", str(csv_file), "--db", db])
    assert result.exit_code == 1
    assert "line 3" in result.output and "line 4" in result.output and "nothing imported" in result.output
    archive = Archive(db)
    assert not any(e.name == "好县人民政府" for e in registry(archive.db))
    archive.close()


def test_a_crawled_site_is_named_from_the_registry_else_by_its_host():
    archive = Archive.memory()
    save_entries(archive.db, [make_entry("某县人民政府", "http://www.mx.gov.cn")])
    named = archive.ensure_site("http://www.mx.gov.cn/zwgk/gknb/index.html")
    unknown = archive.ensure_site("http://www.unknown.gov.cn/xxgk/nb/index.html")
    bundled_body = archive.ensure_site("https://www.beijing.gov.cn/gongkai/zfxxgk/gknb/")
    names = dict(archive.db.execute("select id, name from sites").fetchall())
    assert names[named] == "某县人民政府"
    assert names[unknown] == "www.unknown.gov.cn"
    assert names[bundled_body] == "北京市人民政府"
    archive.name_site(unknown, "未知县人民政府")  # the pages' SiteName meta replaces a host
    assert archive.db.execute("select name from sites where id = ?", [unknown]).fetchone()[0] == "未知县人民政府"


def test_the_examples_in_the_registry_and_coverage_modules_hold():
    import doctest

    import archive.bodies
    import archive.coverage
    import archive.registry

    for module in (archive.bodies, archive.registry, archive.coverage):
        assert doctest.testmod(module).failed == 0, module.__name__

"""Exports: round-trips in every format, manifests that verify, exact filters, repeatable bytes, stats."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.export import (
    ExportError,
    ExportFilters,
    NoCellsTable,
    doc_id,
    export,
    file_sha256,
    open_read_only,
    verify,
)
from archive.store import Archive
from crawler.cli import cli
from tests.archive_fixture import build_fixture_archive

REPO = Path(__file__).resolve().parents[1]

# The fixture's cells: two 表三 rows of one 2020 report and one of a 2022 report.
CELLS = [
    ("江州市教育局2020", "表三", "一、本年新收政府信息公开申请数量", "总计", "12", 12),
    ("江州市教育局2020", "表三", "(七)总计", "总计", "12", 12),
    ("江州市民政局2022", "表三", "一、本年新收政府信息公开申请数量", "总计", "-", None),
]


@pytest.fixture(scope="module")
def fixture(tmp_path_factory):
    return build_fixture_archive(tmp_path_factory.mktemp("archive") / "archive.db")


@pytest.fixture(scope="module")
def archive_rows(fixture) -> dict[int, dict]:
    """The archive's own view of every report (with its site and capture), by report id."""
    archive = Archive(fixture.path)
    rows = {r["id"]: r for r in archive.reports()}
    for row in rows.values():
        row["capture"] = archive.db["captures"].get(row["capture_id"])
        row["site"] = archive.db["sites"].get(row["site_id"])
    archive.close()
    return rows


@pytest.fixture
def db(fixture):
    database = open_read_only(fixture.path)
    yield database
    database.close()


def expected_fields(row: dict) -> dict:
    """Every field a report export must carry, read from the archive's own rows (report, site, capture)."""
    capture, site = row["capture"], row["site"]
    same = ("id", "url", "title", "report_year", "publish_date", "written_date", "agency", "index_no", "doc_number",
            "script", "source_format", "site_id", "chars", "version", "first_seen", "last_seen", "capture_id",
            "container", "date_source", "year_source", "agency_source", "list_title", "list_date",
            "repaired_pinyin", "from_mirror", "body_text")
    return {
        **{k: row[k] for k in same},
        "doc_id": doc_id(row["url"]), "text_sha256": row["sha256"], "doc_type": capture["doc_type"],
        "site_name": site["name"], "site_host": site["host"], "column_url": site["column_url"],
        "fetched_at": capture["fetched_at"], "final_url": capture["final_url"], "http_status": capture["status"],
        "content_type": capture["content_type"], "raw_sha256": capture["sha256"], "raw_size": capture["size"],
        "encoding": capture["encoding_chosen"], "warc_file": capture["warc_file"],
        "warc_record_id": capture["warc_record_id"],
    }


def expect_equal(exported: dict, row: dict) -> None:
    """An exported row carries the archive row's values under the export's column names, all of them."""
    assert exported == expected_fields(row)
    assert exported["doc_type"] == "annual_report" and exported["site_name"]


def test_jsonl_export_reads_back_equal_to_the_archive_rows(db, fixture, archive_rows, tmp_path):
    result = export(db, tmp_path / "reports.jsonl", "jsonl", archive_path=fixture.path)
    lines = (tmp_path / "reports.jsonl").read_text(encoding="utf-8").splitlines()
    exported = [json.loads(line) for line in lines]
    assert result.row_count == len(exported) == len(archive_rows) == 9
    assert [e["id"] for e in exported] == sorted(archive_rows)
    for e in exported:
        expect_equal(e, archive_rows[e["id"]])
    assert "政府資訊公開" in (tmp_path / "reports.jsonl").read_text(encoding="utf-8")  # not \\u-escaped


@pytest.mark.parametrize("bom", [False, True])
def test_csv_export_reads_back_equal_with_optional_excel_bom(db, archive_rows, tmp_path, bom):
    path = tmp_path / "reports.csv"
    export(db, path, "csv", bom=bom)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") is bom
    with open(path, encoding="utf-8-sig" if bom else "utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert len(rows) == 9 and sorted(int(row["id"]) for row in rows) == sorted(archive_rows)
    for row in rows:
        expected = expected_fields(archive_rows[int(row["id"])])
        # CSV has no types: every field comes back as text, NULL as the empty string.
        assert row == {k: "" if v is None else str(v) for k, v in expected.items()}
    assert any("\n" in row["body_text"] for row in rows)  # multi-line cells survive the quoting
    assert all(row["index_no"] == "" for row in rows)  # NULL in the fixture: the empty string


def test_parquet_export_reads_back_equal_in_pandas_and_duckdb(db, archive_rows, tmp_path):
    import duckdb
    import pandas

    path = tmp_path / "reports.parquet"
    export(db, path, "parquet")
    frame = pandas.read_parquet(path)
    assert len(frame) == 9 and str(frame["report_year"].dtype) == "int64"
    for record in frame.to_dict("records"):
        record = {k: (None if pandas.isna(v) else v) for k, v in record.items()}
        expect_equal(record, archive_rows[record["id"]])
    with duckdb.connect() as con:
        years = con.execute(f"select report_year, count(*) from read_parquet('{path}') "
                            "group by report_year order by report_year").fetchall()
        body = con.execute(f"select body_text from read_parquet('{path}') where script = 'traditional'").fetchone()[0]
    expected = {}
    for row in archive_rows.values():
        expected[row["report_year"]] = expected.get(row["report_year"], 0) + 1
    assert years == sorted(expected.items())
    assert body == next(r["body_text"] for r in archive_rows.values() if r["script"] == "traditional")


def test_text_corpus_has_one_file_per_report_named_by_stable_id_and_checksums(db, archive_rows, tmp_path):
    out = tmp_path / "corpus"
    result = export(db, out, "txt")
    entries = [json.loads(line) for line in (out / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    assert result.row_count == len(entries) == len(list(out.glob("*.txt"))) == 9
    for entry in entries:
        original = archive_rows[entry["id"]]
        assert entry["file"] == doc_id(original["url"]) + ".txt"
        assert entry["sha256"] == file_sha256(out / entry["file"])
        assert (out / entry["file"]).read_text(encoding="utf-8") == original["body_text"] + "\n"
        assert entry["title"] == original["title"] and "body_text" not in entry
    assert verify(result.manifest_path) == []


def test_tampered_files_fail_manifest_verification(db, tmp_path):
    result = export(db, tmp_path / "r.jsonl", "jsonl")
    assert verify(result.manifest_path) == []
    (tmp_path / "r.jsonl").write_text("{}\n", encoding="utf-8")
    assert verify(result.manifest_path) == ["r.jsonl"]
    corpus = export(db, tmp_path / "corpus", "txt")
    victim = sorted((tmp_path / "corpus").glob("*.txt"))[0]
    victim.write_text("改过的文本\n", encoding="utf-8")
    assert verify(corpus.manifest_path) == [victim.name]


def test_manifest_records_query_filters_count_and_archive_checksum(db, fixture, tmp_path):
    result = export(db, tmp_path / "r.parquet", "parquet", ExportFilters(from_year=2019, to_year=2020),
                    archive_path=fixture.path, version="9.9.9", now="2026-02-03T04:05:06Z")
    manifest = json.loads((tmp_path / "r.parquet.manifest.json").read_text(encoding="utf-8"))
    assert manifest == result.manifest
    assert manifest["row_count"] == 3 and manifest["filters"] == {"from_year": 2019, "to_year": 2020}
    assert manifest["query"].startswith("select ") and manifest["params"] == [2019, 2020]
    assert manifest["archive"]["sha256"] == file_sha256(fixture.path)
    assert manifest["archive"]["last_crawl"] == "2026-01-02T03:10:00Z"
    assert manifest["files"] == [{"path": "r.parquet", "sha256": file_sha256(tmp_path / "r.parquet"),
                                  "bytes": (tmp_path / "r.parquet").stat().st_size}]
    assert (manifest["gongkai_version"], manifest["exported_at"]) == ("9.9.9", "2026-02-03T04:05:06Z")


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet", "txt"])
def test_exporting_twice_gives_identical_files_and_manifests_differ_only_in_time(db, fixture, tmp_path, fmt):
    first = export(db, tmp_path / "a" / "out", fmt, ExportFilters(sites=("江州市人民政府",)),
                   archive_path=fixture.path, now="2026-01-01T00:00:00Z")
    again = export(db, tmp_path / "b" / "out", fmt, ExportFilters(sites=("江州市人民政府",)),
                   archive_path=fixture.path, now="2026-06-01T00:00:00Z")
    assert first.row_count == again.row_count == 5
    for a, b in zip(first.files, again.files):
        assert a.read_bytes() == b.read_bytes()
    if fmt == "txt":
        assert sorted(p.name for p in (tmp_path / "a" / "out").iterdir()) == \
            sorted(p.name for p in (tmp_path / "b" / "out").iterdir())
    differs = {k for k in first.manifest if first.manifest[k] != again.manifest[k]}
    assert differs == {"exported_at"}


def test_export_leaves_the_archive_file_untouched(fixture, tmp_path):
    before = file_sha256(fixture.path)
    result = CliRunner().invoke(cli, ["export", "--db", str(fixture.path), "--format", "jsonl",
                                      "--out", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 0, result.output
    assert file_sha256(fixture.path) == before


@pytest.mark.parametrize(
    ("filters", "keep"),
    [
        ({"year": 2020}, lambda r: r["report_year"] == 2020),
        ({"from_year": 2017, "to_year": 2019}, lambda r: 2017 <= r["report_year"] <= 2019),
        ({"from_year": 2022}, lambda r: r["report_year"] >= 2022),
        ({"agencies": ("江州市水利局",)}, lambda r: r["agency"] == "江州市水利局"),
        ({"agencies": ("江州市水利局", "青溪县财政局")}, lambda r: r["agency"] in ("江州市水利局", "青溪县财政局")),
        ({"sites": ("青溪县人民政府",)}, lambda r: r["site_name"] == "青溪县人民政府"),
        ({"sites": ("mzt.sc.example",)}, lambda r: r["site_host"] == "mzt.sc.example"),
        ({"sites": ("1",)}, lambda r: r["site_id"] == 1),
        ({"scripts": ("traditional",)}, lambda r: r["script"] == "traditional"),
        ({"doc_types": ("annual_report",)}, lambda r: True),
        ({"doc_types": ("notice",)}, lambda r: False),
        ({"sites": ("江州市人民政府",), "year": 2020, "agencies": ("江州市财政局",)},
         lambda r: r["site_name"] == "江州市人民政府" and r["report_year"] == 2020 and r["agency"] == "江州市财政局"),
    ],
)
def test_filters_select_exactly_the_right_reports(db, archive_rows, tmp_path, filters, keep):
    result = export(db, tmp_path / "r.jsonl", "jsonl", ExportFilters(**filters))
    got = [json.loads(line)["id"] for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert got == sorted(i for i, r in archive_rows.items() if keep(r))
    assert result.row_count == len(got)


def test_year_and_year_range_together_are_refused():
    with pytest.raises(ExportError):
        ExportFilters(year=2020, from_year=2019)


def test_text_export_refuses_a_folder_that_is_not_its_own(db, tmp_path):
    (tmp_path / "notes.md").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match="not empty"):
        export(db, tmp_path, "txt")


def test_text_export_again_with_narrower_filters_removes_stale_texts(db, tmp_path):
    export(db, tmp_path / "c", "txt")
    export(db, tmp_path / "c", "txt", ExportFilters(year=2020))
    assert len(list((tmp_path / "c").glob("*.txt"))) == 2
    assert verify(tmp_path / "c" / "export.manifest.json") == []


def _archive_with_cells(tmp_path, fixture) -> Archive:
    path = tmp_path / "cells.db"
    path.write_bytes(fixture.path.read_bytes())
    archive = Archive(path)
    ids = {}
    for key, table, row_label, col_label, raw, value in CELLS:
        ids.setdefault(key, []).append({"table_name": table, "row_label": row_label, "col_label": col_label,
                                        "raw_row_label": row_label, "raw_col_label": col_label,
                                        "raw_value": raw, "value": value, "unit": "件"})
    for key, cells in ids.items():
        archive.save_statistics(fixture.ids[key], [], cells, [])
    return archive


def test_cells_export_in_long_format_with_report_fields(tmp_path, fixture):
    archive = _archive_with_cells(tmp_path, fixture)
    result = export(archive.db, tmp_path / "cells.jsonl", "jsonl", ExportFilters(year=2020), cells=True)
    rows = [json.loads(line) for line in (tmp_path / "cells.jsonl").read_text(encoding="utf-8").splitlines()]
    assert result.row_count == 2 and result.manifest["what"] == "report_cells"
    assert [(r["row_label"], r["value"], r["report_year"], r["agency"]) for r in rows] == [
        ("一、本年新收政府信息公开申请数量", 12, 2020, "江州市教育局"), ("(七)总计", 12, 2020, "江州市教育局")]
    export(archive.db, tmp_path / "cells.parquet", "parquet", cells=True)
    import pandas

    frame = pandas.read_parquet(tmp_path / "cells.parquet")
    assert list(frame["raw_value"]) == ["12", "12", "-"] and frame["value"].isna().tolist() == [False, False, True]
    archive.close()


def test_cells_export_skips_cleanly_when_the_archive_has_no_cells_table(tmp_path, fixture):
    path = tmp_path / "old.db"
    path.write_bytes(fixture.path.read_bytes())
    with sqlite3.connect(path) as con:  # an archive from before the statistics migration
        con.execute("drop table report_cells")
    database = open_read_only(path)
    with pytest.raises(NoCellsTable):
        export(database, tmp_path / "cells.csv", "csv", cells=True)
    database.close()
    result = CliRunner().invoke(cli, ["export", "--db", str(path), "--format", "csv", "--cells",
                                      "--out", str(tmp_path / "cells.csv")])
    assert result.exit_code == 0 and "no report_cells table" in result.output
    assert not (tmp_path / "cells.csv").exists() and not (tmp_path / "cells.csv.manifest.json").exists()


def test_export_command_writes_data_and_manifest_without_a_progress_bar_when_piped(fixture, tmp_path):
    out = tmp_path / "r.csv"
    result = CliRunner().invoke(cli, ["export", "--db", str(fixture.path), "--format", "csv", "--bom",
                                      "--year", "2020", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"2 rows -> {out} (manifest: {out}.manifest.json)"  # no bar: not a TTY
    manifest = json.loads((tmp_path / "r.csv.manifest.json").read_text(encoding="utf-8"))
    assert manifest["options"] == {"bom": True} and manifest["row_count"] == 2
    assert manifest["archive"]["sha256"] == file_sha256(fixture.path)


def run_export(fixture, out: Path, stderr: int) -> subprocess.Popen:
    """``gongkai export`` of the whole fixture archive as JSONL, in a child process."""
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", "export", "--db", str(fixture.path),
                             "--format", "jsonl", "--out", str(out)],
                            cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=stderr)


@pytest.mark.e2e
def test_export_command_draws_a_progress_bar_on_a_terminal(fixture, tmp_path):
    import fcntl
    import pty
    import struct
    import termios

    out = tmp_path / "tty.jsonl"
    master, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # rows, columns
    process = run_export(fixture, out, terminal)
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # EIO: the child has closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert process.wait(timeout=60) == 0
    text = shown.decode("utf-8")
    assert "100%" in text and "9/9" in text and "row/s" in text and "\r" in text  # a bar drawn in place
    assert f"9 rows -> {out}" in text
    assert len(out.read_text(encoding="utf-8").splitlines()) == 9


@pytest.mark.e2e
def test_export_command_stays_quiet_when_piped(fixture, tmp_path):
    out = tmp_path / "piped.jsonl"
    process = run_export(fixture, out, subprocess.PIPE)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0 and stdout == b""
    assert stderr.decode("utf-8") == f"9 rows -> {out} (manifest: {out}.manifest.json)\n"  # no bar, no \r
    assert len(out.read_text(encoding="utf-8").splitlines()) == 9


def test_stats_command_prints_years_per_site_missing_years_and_failures(fixture):
    result = CliRunner().invoke(cli, ["stats", "--db", str(fixture.path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(line for line in lines if line.startswith("site "))
    assert header.split()[1:] == [str(y) for y in range(2015, 2024)] + ["total"]
    jiangzhou = next(line for line in lines if line.startswith("江州市人民政府") and "." in line)
    assert jiangzhou.split()[1:] == [".", ".", ".", ".", "1", "2", ".", "1", "1", "5"]
    assert next(line for line in lines if line.startswith("total")).split()[-1] == "9"
    missing = lines[lines.index("Sites with missing years:") + 1:]
    assert any(line.startswith("江州市人民政府") and line.split()[-1] == "2021" for line in missing)
    assert "Failed fetches: 1" in result.output and "HTTP 404" in result.output


def test_stats_by_agency_counts_each_agency(fixture):
    result = CliRunner().invoke(cli, ["stats", "--db", str(fixture.path), "--by", "agency"])
    assert result.exit_code == 0, result.output
    water = next(line for line in result.output.splitlines() if line.startswith("江州市水利局"))
    assert water.split()[-1] == "2"

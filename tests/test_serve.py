"""``gongkai serve``: the real Datasette server on a fixture archive, asked through its JSON API and pages."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

from archive.datasette import metadata_for, serve_immutable, stale_descriptions, undocumented
from archive.metadata import TEMPLATE_DATABASE, metadata_template
from archive.store import Archive
from tests.archive_fixture import MARKUP_SENTENCE, PLACE, Fixture, build_fixture_archive

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    base: str
    fixture: Fixture
    process: subprocess.Popen

    def get(self, path: str, **params: str) -> tuple[int, Message, str]:
        url = self.base + urllib.parse.quote(path, safe="/.-_?&=") + (
            ("?" if "?" not in path else "&") + urllib.parse.urlencode(params) if params else "")
        try:
            with urllib.request.urlopen(url, timeout=20) as response:
                return response.status, response.headers, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8", "replace")

    def json(self, path: str, **params: str):
        status, _, body = self.get(path, _shape="array", **params) if path.endswith(".json") else self.get(path)
        assert status == 200, body[:500]
        return json.loads(body)


def start_server(db: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """``gongkai serve`` in a subprocess, returned once it answers."""
    port = free_port()
    # The server's output goes to a file, never an unread pipe: Datasette prints a long traceback
    # for every refused request (rich-formatted when rich is installed), and a full pipe would
    # block the server mid-test.
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen([sys.executable, "-m", "crawler.cli", "serve", "--db", str(db), "--port", str(port),
                                *extra], cwd=REPO, stdout=log, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"gongkai serve exited: {log.read()}")
        try:
            with urllib.request.urlopen(base + "/-/versions.json", timeout=2):
                return process, base
        except OSError:
            time.sleep(0.1)
    stop_server(process)
    raise RuntimeError("gongkai serve did not answer within 30 s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    fixture = build_fixture_archive(tmp_path_factory.mktemp("serve") / "archive.db")
    process, base = start_server(fixture.path)
    yield Server(base, fixture, process)
    stop_server(process)


@pytest.fixture(scope="module")
def reports(server) -> list[dict]:
    archive = Archive(server.fixture.path)
    rows = archive.reports()
    archive.close()
    return rows


def ids(rows: list[dict]) -> set[int]:
    return {row["id"] for row in rows}


@pytest.mark.e2e
def test_search_box_finds_a_four_character_term_in_either_script(server):
    simplified = server.json("/archive/reports.json", _search=PLACE, _col="title")
    traditional = server.json("/archive/reports.json", _search="梅嶺街道", _col="title")
    assert ids(simplified) == ids(traditional) == server.fixture.place_ids
    assert server.fixture.ids["traditional"] in ids(simplified)  # found through its simplified copy


@pytest.mark.e2e
def test_taiwan_vocabulary_and_mainland_vocabulary_find_each_other(server, reports):
    mainland = {r["id"] for r in reports if "信息公开" in r["title"] + r["body_text"]}
    assert len(mainland) == 8
    found = ids(server.json("/archive/reports.json", _search="資訊公開"))
    assert found == mainland | {server.fixture.ids["traditional"]}
    assert server.fixture.ids["traditional"] in ids(server.json("/archive/reports.json", _search="信息公开"))


@pytest.mark.e2e
def test_several_words_in_the_search_box_must_all_occur(server, reports):
    def has(report: dict, term: str) -> bool:  # in the text or its simplified copy
        return term in report["body_text"] or term in (report["body_zhs"] or "")

    both = {r["id"] for r in reports if has(r, PLACE) and has(r, "2020年")}
    assert both and both < server.fixture.place_ids
    assert ids(server.json("/archive/reports.json", _search=f"{PLACE} 2020年")) == both


@pytest.mark.e2e
def test_two_character_terms_are_answered_by_the_any_length_query(server):
    assert server.json("/archive/reports.json", _search="梅岭") == []  # the trigram index needs three
    rows = server.json("/archive/search.json", q="梅岭")
    assert ids(rows) == server.fixture.place_ids
    assert all("⟦梅岭⟧" in row["snippet"] or "⟦梅嶺⟧" in row["snippet"] for row in rows)
    assert ids(server.json("/archive/search.json", q="梅嶺")) == server.fixture.place_ids


@pytest.mark.e2e
def test_any_length_query_ranks_long_terms_with_highlighted_snippets(server):
    rows = server.json("/archive/search.json", q=PLACE)
    assert ids(rows) == server.fixture.place_ids and all(row["score"] < 0 for row in rows)
    status, _, page = server.get("/archive/search", q=PLACE)
    assert status == 200 and f"<mark>{PLACE}</mark>" in page


@pytest.mark.e2e
def test_table_page_tells_what_the_search_box_does(server):
    status, _, page = server.get("/archive/reports")
    assert status == 200
    assert "three or more" in page and 'href="/archive/search"' in page


@pytest.mark.e2e
def test_canned_queries_count_what_the_archive_holds(server, reports):
    per_year = {r["report_year"]: r["reports"] for r in server.json("/archive/reports_per_year.json")}
    expected: dict[int, int] = {}
    for r in reports:
        expected[r["report_year"]] = expected.get(r["report_year"], 0) + 1
    assert per_year == expected
    missing = {r["site"]: r["missing_years"] for r in server.json("/archive/missing_years.json")}
    assert missing["江州市人民政府"] == "2021"
    latest = {r["site"]: r["report_id"] for r in server.json("/archive/latest_report_per_site.json")}
    assert latest["江州市人民政府"] == server.fixture.ids["江州市水利局2023"]
    assert latest["青溪县人民政府"] == server.fixture.ids["青溪县财政局2017"]
    assert [r["error"] for r in server.json("/archive/failures.json")] == ["HTTP 404"]
    assert server.json("/archive/applications_per_year.json") == []  # report_cells exists, still empty


@pytest.mark.e2e
def test_year_facet_filters_and_foreign_keys_read_as_names(server):
    status, _, body = server.get("/archive/reports.json", report_year="2020", _labels="on", _col="site_id")
    data = json.loads(body)
    assert status == 200 and len(data["rows"]) == 2
    assert {row["site_id"]["label"] for row in data["rows"]} == {"江州市人民政府"}
    facets = data["facet_results"]
    assert {"report_year", "agency", "site_id", "script", "source_format"} <= set(facets)
    assert {(v["value"], v["count"]) for v in facets["script"]["results"]} == {("simplified", 2)}


@pytest.mark.e2e
def test_sortable_columns_declared_in_metadata_sort_and_no_others_do(server):
    tables = metadata_template()["databases"][TEMPLATE_DATABASE]["tables"]
    archive = Archive(server.fixture.path)
    declared = {table: meta["sortable_columns"] for table, meta in tables.items() if meta.get("sortable_columns")}
    assert {"reports", "captures"} <= set(declared)
    for table, columns in declared.items():
        count = archive.db[table].count
        for column in columns:
            for param in ("_sort", "_sort_desc"):
                status, _, body = server.get(f"/archive/{table}.json", _shape="array", _size="max", **{param: column})
                assert status == 200, (table, column, body[:300])
                rows = json.loads(body)
                assert len(rows) == count
                values = [row[column] for row in rows if row[column] is not None]
                assert values == sorted(values, reverse=param == "_sort_desc"), (table, column, param)
        undeclared = next(c for c in archive.db[table].columns_dict if c not in columns)
        status, _, body = server.get(f"/archive/{table}.json", _sort=undeclared)
        # refused (Datasette 0.65 answers a refused sort with 500, later versions with 400)
        assert status in (400, 500) and json.loads(body)["error"] == f"Cannot sort table by {undeclared}"
    archive.close()
    years = [row["report_year"] for row in server.json("/archive/reports.json", _sort_desc="report_year")]
    assert years[0] == 2023 and years[-1] == 2015
    # the table page offers the declared columns as sort links, and only those
    _, _, page = server.get("/archive/reports")
    assert "_sort_desc=report_year" in page or "_sort=report_year" in page
    assert "_sort=title" not in page and "_sort_desc=title" not in page


@pytest.mark.e2e
def test_captured_markup_is_shown_as_text(server):
    status, _, page = server.get(f"/archive/reports/{server.fixture.ids['江州市教育局2020']}")
    assert status == 200
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    assert MARKUP_SENTENCE.split("<")[0] in page


@pytest.mark.e2e
def test_list_pages_cut_long_texts_and_the_report_page_shows_all(server, reports):
    report = next(r for r in reports if r["id"] == server.fixture.ids["江州市水利局2023"])
    tail = report["body_text"].splitlines()[-1]  # the signature date, near the end of a long text
    _, _, listing = server.get("/archive/reports", agency="江州市水利局")
    _, _, page = server.get(f"/archive/reports/{report['id']}")
    assert tail in page and tail not in listing


@pytest.mark.e2e
def test_archive_is_served_immutable_with_raw_bytes_only_as_downloads(server):
    [database] = server.json("/-/databases.json")
    assert database["name"] == "archive" and database["is_mutable"] is False
    sha = server.json("/archive/blobs.json", _col="size")[0]["sha256"]
    status, headers, _ = server.get(f"/archive/blobs/{sha}.blob", _blob_column="content")
    assert status == 200 and headers["content-type"] == "application/binary"
    assert headers["content-disposition"].startswith("attachment")


@pytest.mark.e2e
def test_charts_page_draws_reports_per_year_site_and_agency(server, reports):
    status, _, page = server.get("/archive/-/charts")
    assert status == 200 and page.count("<svg") == 3
    assert "/archive/reports?report_year=2020" in page
    assert "/archive/reports?site_id=1&amp;report_year=2020" in page
    assert f"{len(reports)} reports" in page and "江州市水利局" in page
    assert "江州市人民政府 2021: missing" in page


def test_serve_rule_is_immutable_unless_a_write_ahead_log_holds_commits(tmp_path):
    db = tmp_path / "a.db"
    Archive(db).close()
    assert serve_immutable(db)
    Path(f"{db}-wal").write_bytes(b"")  # left by a read-only reader: nothing in it
    assert serve_immutable(db)
    writer = Archive(db)  # a crawl's open connection with uncheckpointed commits
    writer.ensure_site("http://x.gov.cn/xxgk/index.html")
    assert not serve_immutable(db)
    writer.close()
    assert serve_immutable(db)


@pytest.mark.e2e
def test_live_flag_serves_read_only_instead_of_immutable(server):
    process, base = start_server(server.fixture.path, "--live")
    try:
        with urllib.request.urlopen(base + "/-/databases.json", timeout=10) as response:
            [database] = json.loads(response.read())
        assert database["is_mutable"] is True
    finally:
        stop_server(process)


def test_metadata_describes_every_table_and_column_of_a_fresh_archive():
    archive = Archive.memory()
    metadata = metadata_for(archive.db, "archive")
    assert undocumented(archive.db, metadata, "archive") == [], \
        "describe these in archive/metadata.yaml"
    # against the file itself: metadata_for() trims what an older archive lacks
    assert stale_descriptions(archive.db, metadata_template(), TEMPLATE_DATABASE) == [], \
        "archive/metadata.yaml describes columns the archive does not have"
    tables = metadata["databases"]["archive"]["tables"]
    assert tables["reports"]["label_column"] == "title" and tables["sites"]["label_column"] == "name"
    assert "{database}" not in json.dumps(metadata, ensure_ascii=False)


def test_applications_query_is_offered_only_when_report_cells_exists():
    archive = Archive.memory()
    assert "applications_per_year" in metadata_for(archive.db, "a")["databases"]["a"]["queries"]
    archive.db.execute("drop table report_cells")
    queries = metadata_for(archive.db, "a")["databases"]["a"]["queries"]
    assert "applications_per_year" not in queries and "search" in queries


def test_every_command_help_has_an_example():
    from click.testing import CliRunner

    from crawler.cli import cli

    assert {"serve", "export", "stats"} <= set(cli.commands)
    for command in cli.commands:
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and re.search(r"Example:\s+gongkai " + command, result.output), command


def _files_and_hashes(folder: Path) -> dict[str, str]:
    import hashlib

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.e2e
def test_serving_leaves_the_archive_byte_identical_and_nothing_beside_it(tmp_path):
    build_fixture_archive(tmp_path / "archive.db")
    before = _files_and_hashes(tmp_path)
    assert list(before) == ["archive.db"]
    for _ in range(2):  # the second serve must still find no -wal, so it serves immutable again
        process, base = start_server(tmp_path / "archive.db")
        try:
            with urllib.request.urlopen(base + "/-/databases.json", timeout=10) as response:
                [database] = json.loads(response.read())
            assert database["is_mutable"] is False
            with urllib.request.urlopen(base + "/archive/search.json?q=" + urllib.parse.quote(PLACE), timeout=20):
                pass
        finally:
            stop_server(process)
        assert _files_and_hashes(tmp_path) == before


@pytest.mark.e2e
def test_serve_on_a_busy_port_says_so_before_claiming_to_serve(tmp_path):
    build_fixture_archive(tmp_path / "archive.db")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "crawler.cli", "serve", "--db", str(tmp_path / "archive.db"),
                                 "--port", str(port)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: port {port} on 127.0.0.1 is already in use (another gongkai serve?): choose another with --port"]
    assert "Serving" not in result.stdout + result.stderr


@pytest.mark.e2e
@pytest.mark.parametrize("query", ["梅岭 2020年", f"{PLACE} -2020年", f'"{PLACE}开展"', "梅岭 OR 水利局",
                                   "梅嶺 -財政局", "水利局 OR 教育局 -梅岭"])
@pytest.mark.e2e
def test_canned_search_accepts_what_gongkai_search_accepts(server, query):
    archive = Archive.read_only(server.fixture.path)
    expected = [row["id"] for row in archive.search(query, limit=1000)]
    archive.close()
    assert expected  # every query has an answer in the fixture
    assert [row["id"] for row in server.json("/archive/search.json", q=query)] == expected


@pytest.mark.e2e
def test_table_search_box_takes_or_and_exclusion_too(server, reports):
    with_place = {r["id"] for r in reports if PLACE in r["body_text"] or PLACE in (r["body_zhs"] or "")}
    in_2020 = {r["id"] for r in reports if "2020年" in r["body_text"]}
    assert ids(server.json("/archive/reports.json", _search=f"{PLACE} -2020年")) == with_place - in_2020
    water = {r["id"] for r in reports if r["agency"] == "江州市水利局"}
    assert ids(server.json("/archive/reports.json", _search="水利局 OR 梅岭街道", _col="title")) >= water | with_place


@pytest.mark.e2e
def test_canned_search_results_link_to_each_report(server):
    rows = server.json("/archive/search.json", q="梅岭")
    status, _, page = server.get("/archive/search", q="梅岭")
    assert status == 200
    for row in rows:
        assert f'<a href="/archive/reports/{row["id"]}">{row["id"]}</a>' in page

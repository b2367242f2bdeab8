"""Query plans that keep a large archive browsable: no canned query, facet or sort reads a whole big table.

bench/archive_scale.py measures the pages on 50,000 reports; these checks catch a regression in
seconds. SQLite plans depend only on the schema here (a fresh archive has no statistics), so an
empty in-memory archive shows the plans a large one gets.
"""

from __future__ import annotations

import re

import pytest

from archive.metadata import metadata_template
from archive.plugins.datasette_gongkai import prepare_connection
from archive.store import Archive

BIG_TABLES = ("reports", "captures", "report_cells", "report_versions", "attachments")
QUERIES = metadata_template()["databases"]["archive"]["queries"]
TABLES = metadata_template()["databases"]["archive"]["tables"]


@pytest.fixture(scope="module")
def archive() -> Archive:
    archive = Archive.memory()
    prepare_connection(archive.db.conn)  # the SQL functions `gongkai serve` registers
    return archive


def plan(archive: Archive, sql: str, params: dict | None = None) -> list[str]:
    return [row[3] for row in archive.db.conn.execute(f"explain query plan {sql}", params or {})]


_ALIAS = re.compile(r"\b(?:from|join)\s+\[?(\w+)\]?\s+(?:as\s+)?(\w+)", re.I)


def full_scans(steps: list[str], sql: str = "") -> list[str]:
    """Plan steps reading a big table row by row ("SCAN reports"), not through an index.

    SQLite names an aliased table by its alias ("from reports as newest" plans as "SCAN newest"),
    so the aliases of ``sql`` are read back to their tables."""
    aliases = {alias.lower(): table for table, alias in _ALIAS.findall(sql) if table in BIG_TABLES}
    return [s for s in steps if s.split()[:1] == ["SCAN"] and "INDEX" not in s
            and aliases.get(s.split()[1].lower(), s.split()[1]) in BIG_TABLES]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_canned_query_reads_no_big_table_in_full(archive: Archive, name: str) -> None:
    steps = plan(archive, QUERIES[name]["sql"], {"q": "信息公开"})
    assert full_scans(steps, QUERIES[name]["sql"]) == [], steps


@pytest.mark.parametrize(("table", "column"), [(table, column) for table in ("reports", "report_cells", "report_checks")
                                               for column in TABLES[table]["facets"]])
def test_declared_facet_counts_from_an_index(archive: Archive, table: str, column: str) -> None:
    # The SQL Datasette 0.65 runs for a column facet (datasette/facets.py, ColumnFacet)
    sql = (f"select {column} as value, count(*) as count from (select * from {table}) "
           f"where {column} is not null group by {column} order by count desc, value limit 31")
    steps = plan(archive, sql)
    assert any("COVERING INDEX" in s for s in steps), steps


def test_reports_page_sort_uses_the_year_index(archive: Archive) -> None:
    # metadata.yaml: sort_desc report_year; Datasette adds the primary key to the order
    steps = plan(archive, "select * from reports order by report_year desc, id limit 51")
    assert full_scans(steps) == [], steps


def test_report_row_page_link_counts_use_indexes(archive: Archive) -> None:
    # A report's page counts the rows of every table pointing at it (its foreign keys)
    for table, column in (("report_versions", "report_id"), ("attachments", "report_id"),
                          ("report_sections", "report_id"), ("report_cells", "report_id"),
                          ("report_checks", "report_id")):
        steps = plan(archive, f"select count(*) from {table} where {column} = 1")
        assert any("INDEX" in s for s in steps), (table, steps)


def test_short_search_stops_after_the_newest_thousand(archive: Archive) -> None:
    # 1–2 character terms cannot use the trigram index; the scan walks reports newest first
    # through the year index and stops at the rows shown, instead of building every excerpt.
    sql = QUERIES["search"]["sql"]
    assert "limit 1000" in sql
    steps = plan(archive, sql, {"q": "公开"})
    assert any(s.startswith("SCAN reports USING INDEX idx_reports_report_year") for s in steps), steps


def test_browse_indexes_migration_is_idempotent(archive: Archive) -> None:
    from archive.schema import m011_browse_indexes

    before = {row[0] for row in archive.db.conn.execute("select name from sqlite_master where type = 'index'")}
    m011_browse_indexes(archive.db)  # a second run (the migration already ran) changes nothing
    after = {row[0] for row in archive.db.conn.execute("select name from sqlite_master where type = 'index'")}
    assert before == after
    assert {"idx_reports_report_year_site_id_agency_chars", "idx_captures_failed"} <= after

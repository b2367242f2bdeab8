"""Summaries for ``gongkai stats``: reports per year × site or agency, missing years, failures (archive layer).

The SQL is the canned queries of ``archive/metadata.yaml``, so the terminal and Datasette
always show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from archive.metadata import canned_query_sql


@dataclass
class YearTable:
    """Counts per (row label, year): ``rows`` are (label, {year: reports}) in query order."""

    years: list[int]
    rows: list[tuple[str, dict[int, int]]]

    def total(self, year: int) -> int:
        return sum(counts.get(year, 0) for _, counts in self.rows)


def _query(db: Database, name: str) -> list[dict[str, Any]]:
    return list(db.query(canned_query_sql(name)))


def reports_per_year(db: Database, by: str = "site") -> YearTable:
    """Reports per report year for each site (``by="site"``) or agency (``by="agency"``).

    Years run without gaps from the first to the last report year, so a missing year shows as
    an empty column instead of disappearing.
    """
    if by not in ("site", "agency"):
        raise ValueError(f"by must be site or agency, not {by!r}")
    query = "reports_per_year_and_site" if by == "site" else "reports_per_year_and_agency"
    table: dict[str, dict[int, int]] = {}
    for row in _query(db, query):
        label = row[by] or (f"site {row['site_id']}" if by == "site" else "(unknown)")
        table.setdefault(label, {})[row["report_year"]] = row["reports"]
    found = {year for counts in table.values() for year in counts}
    years = list(range(min(found), max(found) + 1)) if found else []
    return YearTable(years, list(table.items()))


def missing_years(db: Database) -> list[dict[str, Any]]:
    """Sites with years that have no report (between their first report and the archive's latest)."""
    return _query(db, "missing_years")


def failures(db: Database) -> list[dict[str, Any]]:
    """Failed fetches grouped by error and kind, most frequent first."""
    return _query(db, "failures_by_error")


def undated_reports(db: Database) -> int:
    """Reports whose report year could not be read (they appear in no per-year count)."""
    return db.execute("select count(*) from reports where report_year is null").fetchone()[0]

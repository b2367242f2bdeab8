"""Who published which year's report, and on time: coverage per agency and report year (archive layer).

The legal deadline (《政府信息公开条例》): the report for year Y is due by 31 March of Y+1 under
the 2008 regulation (report years up to 2018), and by 31 January of Y+1 under the 2019 revision
(report years 2019 on). A report is ``on_time`` when published by its deadline, ``late`` after
it, ``undated`` when no publish date could be read; an agency's year with no report in the
archive, and every year of a registry body the archive holds nothing for, is ``missing``.

    >>> status(2018, "2019-03-31"), status(2019, "2020-02-01"), status(2023, None)
    ('on_time', 'late', 'undated')
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from sqlite_utils import Database

STATUSES = ("on_time", "late", "undated", "missing")
FIELDS = ("site", "agency", "year", "published", "status", "url")


def deadline(year: int) -> dt.date:
    """The last day the report for ``year`` may be published.

    >>> deadline(2018), deadline(2019)
    (datetime.date(2019, 3, 31), datetime.date(2020, 1, 31))
    """
    return dt.date(year + 1, 3, 31) if year <= 2018 else dt.date(year + 1, 1, 31)


def status(year: int, published: str | None) -> str:
    """``on_time``, ``late`` or ``undated`` for a report of ``year`` published on ``published`` (ISO)."""
    if not published:
        return "undated"
    try:
        day = dt.date.fromisoformat(published[:10])
    except ValueError:
        return "undated"
    return "on_time" if day <= deadline(year) else "late"


@dataclass(frozen=True)
class CoverageRow:
    """One agency's report year: where it was found, when it was published, and its status."""

    site: str
    agency: str
    year: int
    published: str | None
    status: str
    url: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


# The earliest-published report of each site, agency and year (a re-published report keeps its
# first date). A report with no agency read from it stands for its site's body.
_REPORTS_SQL = """
select coalesce(nullif(sites.name, ''), sites.host, sites.column_url) as site,
       coalesce(nullif(reports.agency, ''), nullif(sites.name, ''), sites.host) as agency,
       reports.report_year as year, min(coalesce(reports.publish_date, '9999')) as published,
       reports.url
from reports left join sites on sites.id = reports.site_id
where reports.report_year is not null {sites}
group by 1, 2, 3
order by 1, 2, 3
"""


def coverage(db: Database, from_year: int | None = None, to_year: int | None = None,
             sites: tuple[str, ...] = ()) -> list[CoverageRow]:
    """Coverage rows of an archive, by site, agency and year, for the years asked.

    Without ``from_year``/``to_year`` the range is the archive's first to last report year.
    Bodies in the archive's registry (``gongkai sites add``/``import``, ``discover --db``) that
    no archived site is named after are listed as missing for every year of the range.
    ``sites`` keeps only those sites (id, host, name or column URL, as ``export --site``) and
    registry bodies of those names.
    """
    found: dict[tuple[str, str], dict[int, CoverageRow]] = {}
    where, params = "", []
    if sites:
        marks = ", ".join("?" * len(sites))
        where = (f"and (cast(sites.id as text) in ({marks}) or sites.host in ({marks}) "
                 f"or sites.name in ({marks}) or sites.column_url in ({marks}))")
        params = list(sites) * 4
    for site, agency, year, published, url in db.execute(_REPORTS_SQL.format(sites=where), params).fetchall():
        published = None if published == "9999" else published
        found.setdefault((site, agency), {})[year] = CoverageRow(site, agency, year, published,
                                                                 status(year, published), url)
    years = [y for rows in found.values() for y in rows]
    first = from_year if from_year is not None else min(years, default=None)
    last = to_year if to_year is not None else max(years, default=None)
    if first is None or last is None:
        return []
    site_names = {site for site, _ in found} | {
        row[0] for row in db.execute("select name from sites where name is not null").fetchall()}
    if db["registry"].exists():
        for (name,) in db.execute("select name from registry order by name").fetchall():
            if sites and name not in sites:
                continue
            if name not in site_names and not any(agency == name for _, agency in found):
                found.setdefault((name, name), {})
    out = []
    for (site, agency), rows in sorted(found.items()):
        for year in range(first, last + 1):
            out.append(rows.get(year) or CoverageRow(site, agency, year, None, "missing", None))
    return out


def counts(rows: list[CoverageRow]) -> dict[str, int]:
    """How many rows have each status (all statuses present, zeros included)."""
    tally = dict.fromkeys(STATUSES, 0)
    for row in rows:
        tally[row.status] += 1
    return tally

"""``gongkai sites``, ``gongkai discover`` and ``gongkai coverage``: from a list of bodies to what they published.

Thin click commands over :mod:`archive.bodies`, :mod:`archive.registry`, :mod:`spiders.discover`
and :mod:`archive.coverage`; registered on the ``gongkai`` group in :mod:`crawler.cli`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from archive.bodies import LEVELS, RegistryError
from crawler.cli_options import apply_overrides, db_option


def _open_db(db: str | None, *, create: bool = False):
    """The archive at ``db`` (migrated), or None when it is not given or does not exist yet."""
    if db is None or (not create and not Path(db).exists()):
        return None
    from archive.store import Archive

    return Archive(db)


@click.group()
def sites() -> None:
    """The registry of government bodies: list it, add your own, import a CSV list.

    Example:

        gongkai sites list --level provincial --province 浙江省
    """


@sites.command("list")
@click.option("--level", type=click.Choice(LEVELS), help="Only this level.")
@click.option("--province", help="Only this province, e.g. 浙江省 (or 浙江).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@click.option("--db", default="archive.db", show_default=True,
              help="Archive whose own entries (added, imported, discovered) override the bundled list.")
def sites_list(level: str | None, province: str | None, as_json: bool, db: str) -> None:
    """List the registry: the bundled bodies plus this archive's own.

    Example:

        gongkai sites list --level provincial --json
    """
    from archive.bodies import select
    from archive.export import open_read_only
    from archive.registry import registry
    from crawler.cli_options import format_table

    # Read only: listing never migrates or writes an archive (an older one has no registry rows).
    database = open_read_only(db) if Path(db).is_file() else None
    chosen = select(registry(database), level=level, province=province)
    if database is not None:
        database.close()
    if as_json:
        for entry in chosen:
            click.echo(json.dumps(entry.as_json(), ensure_ascii=False))
        return
    rows = [e.as_json() for e in chosen]
    click.echo(format_table(rows, [("name", "name", 28), ("level", "level", 10), ("province", "province", 10),
                                   ("homepage", "homepage", 34), ("report_column", "report column", 50),
                                   ("verified_at", "verified", 10)]))
    click.echo(f"{len(rows)} bodies")


@sites.command("add")
@click.argument("name")
@click.argument("homepage")
@click.option("--level", type=click.Choice(LEVELS))
@click.option("--province")
@click.option("--column", help="The report column's list page, if known (else discovery finds it).")
@db_option("create", help="Archive that keeps the entry (made if missing).")
def sites_add(name: str, homepage: str, level: str | None, province: str | None, column: str | None,
              db: str) -> None:
    """Add a body (or correct one) in this archive's registry.

    Example:

        gongkai sites add 某某县人民政府 http://www.mmx.gov.cn --level county --province 某省
    """
    from archive.bodies import make_entry
    from archive.registry import save_entries

    try:
        entry = make_entry(name, homepage, level=level, province=province, report_column=column, source="user")
    except RegistryError as error:
        raise click.ClickException(str(error)) from error
    archive = _open_db(db, create=True)
    save_entries(archive.db, [entry])
    archive.close()
    click.echo(f"added {entry.name} ({entry.homepage}) to {db}", err=True)


@sites.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@db_option("create", help="Archive that keeps the entries (made if missing).")
def sites_import(file: str, db: str) -> None:
    """Import a CSV list of bodies (header: name,homepage[,level,province,report_column,source]).

    The whole file is checked first: one bad row (no name, no http(s) homepage, unknown level)
    and nothing is imported; every bad line is named.

    Example:

        gongkai sites import my-counties.csv --db archive.db
    """
    from archive.bodies import read_csv
    from archive.registry import save_entries

    raw = Path(file).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")  # Excel on a Chinese Windows saves CSV as GBK
    try:
        entries = read_csv(text, default_source=f"user: {Path(file).name}")
    except RegistryError as error:
        raise click.ClickException(f"{file}: {error}; nothing imported") from error
    archive = _open_db(db, create=True)
    count = save_entries(archive.db, entries)
    archive.close()
    click.echo(f"imported {count} bodies from {file} into {db}", err=True)


def project_settings(db: str | None, overrides: tuple[str, ...] = (), log_level: str | None = None):
    """The project's Scrapy settings with ``-s NAME=VALUE`` overrides (as ``gongkai crawl`` reads them)."""
    import os

    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    if db:
        settings.set("GONGKAI_DB", db, priority="cmdline")
    apply_overrides(settings, overrides)
    settings.set("LOG_LEVEL", (log_level or "WARNING").upper(),
                 priority="cmdline")
    return settings


def discovered_entry(homepage: str, column: str, today: str, db, title: str | None = None) -> object:
    """The registry entry a found column updates: the body with that homepage, else a new one
    named from the homepage's title (else its host)."""
    from urllib.parse import urlsplit

    from archive.bodies import make_entry
    from archive.registry import registry

    host = urlsplit(homepage).netloc.lower()
    known = [e for e in registry(db) if urlsplit(e.homepage).netloc.lower() == host]
    from pipelines.discovery import body_name

    name = body_name(title) or host or homepage
    entry = known[0] if known else make_entry(name, homepage, source="discover: homepage title")
    return entry.with_column(column, today)


@click.command()
@click.argument("homepages", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per candidate: homepage, column, label, score.")
@click.option("--db", default=None, help="Record each homepage's best column in this archive's registry.")
@click.option("--all", "show_all", is_flag=True,
              help="Print every candidate, not only the best three (--json always prints every one).")
@click.option("--column", "known", multiple=True, metavar="HOMEPAGE=URL",
              help="A column already known for a homepage: checked first, and the portal walked only "
                   "when it answers an error or redirects to the homepage (repeatable).")
@click.option("-s", "--set", "overrides", multiple=True, metavar="NAME=VALUE",
              help="Setting override, e.g. -s GONGKAI_DISCOVER_MAX_PAGES=100 (repeatable).")
@click.option("--log-level", default=None, help="Scrapy log level (default WARNING).")
def discover(homepages: tuple[str, ...], as_json: bool, db: str | None, show_all: bool, known: tuple[str, ...],
             overrides: tuple[str, ...], log_level: str | None) -> None:
    """Find the annual-report column of each portal, from its homepage; best candidates first.

    Example:

        gongkai discover http://www.example.gov.cn/ --json

    Exit status 0 when every homepage got a column, 1 otherwise (a line says which and why).
    With --db the best column of each is kept in that archive's registry, dated, so that
    `gongkai crawl --registry` uses it.
    """
    from archive.bodies import normalise_url

    try:
        homepages = tuple(normalise_url(h) for h in homepages)
        columns = dict(pair.split("=", 1) for pair in known)
        columns = {normalise_url(h): normalise_url(c, "column") for h, c in columns.items()}
    except (RegistryError, ValueError) as error:
        raise click.ClickException(f"{error} (--column HOMEPAGE=URL)") from error
    results, errors, titles = run_discovery(homepages, project_settings(db, overrides, log_level), columns)
    failed = []
    today = None
    archive = _open_db(db, create=True) if db else None
    for homepage in homepages:
        candidates = results.get(homepage, [])
        for candidate in candidates if show_all or as_json else candidates[:3]:
            row = {"homepage": homepage, "column": candidate.column, "label": candidate.label,
                   "score": candidate.score}
            if as_json:
                click.echo(json.dumps(row, ensure_ascii=False))
            else:
                click.echo(f"{homepage}\t{candidate.score}\t{candidate.label}\t{candidate.column}\t"
                           f"({'; '.join(candidate.reasons)})")
        if not candidates:
            failed.append(f"{homepage}: {errors.get(homepage) or 'no annual-report column found'}")
        elif archive is not None:
            from archive.registry import save_entries
            from archive.store import utc_now

            today = today or utc_now()[:10]
            save_entries(archive.db, [discovered_entry(homepage, candidates[0].column, today, archive.db,
                                                       titles.get(homepage))])
    if archive is not None:
        archive.close()
    for line in failed:
        click.echo(f"no column: {line}", err=True)
    if failed:
        sys.exit(1)


def run_discovery(homepages: tuple[str, ...] | list[str], settings,
                  known: dict[str, str] | None = None) -> tuple[dict, dict[str, str], dict[str, str]]:
    """Run :class:`spiders.discover.DiscoverSpider` over ``homepages`` in this process; returns
    ({homepage: [Candidate, …] best first}, {homepage: why it failed}, {homepage: its title}).
    A ``known`` column that still answers is the homepage's only candidate."""
    import tempfile

    from scrapy.crawler import CrawlerProcess

    from spiders.discover import DiscoverSpider

    with tempfile.TemporaryDirectory() as scratch:
        if not settings.get("GONGKAI_DB") or settings.getpriority("GONGKAI_DB") < 40:
            # the browser router reads render rules from an archive: give it a scratch one
            settings.set("GONGKAI_DB", str(Path(scratch) / "discover.db"), priority="cmdline")
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(DiscoverSpider)
        process.crawl(crawler, homepages=homepages, known=known or {})
        process.start()
    spider = crawler.spider
    from pipelines.discovery import Candidate

    results = {h: r.ranked() for h, r in spider.rankings.items()}
    for homepage, column in spider.confirmed.items():
        results[homepage] = [Candidate(column, "(known column, answers)", 0, ["known column still answers"])]
    return results, dict(spider.errors), dict(spider.titles)


@click.command()
@db_option("read-any")
@click.option("--from-year", type=int, help="First report year [default: the archive's first].")
@click.option("--to-year", type=int, help="Last report year [default: the archive's last].")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line: site, agency, year, published, "
                                                       "status, url.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a header row.")
@click.option("--site", multiple=True, help="Only this site: id, host, name or column URL (repeatable).")
def coverage(db: str, from_year: int | None, to_year: int | None, as_json: bool, as_csv: bool,
             site: tuple[str, ...]) -> None:
    """Which agencies published each year's report, and on time (on_time / late / undated / missing).

    Example:

        gongkai coverage --db archive.db --from-year 2019 --json

    The deadline is 31 March of the next year for report years up to 2018 and 31 January from
    2019 on. A year with no report archived, and every year of a registry body nothing was
    archived for, is missing. `gongkai serve` shows the same as a chart (database page → Coverage).
    """
    import csv as csv_module

    from archive import coverage as cov
    from archive.export import open_read_only
    from crawler.cli_options import format_table

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    database = open_read_only(db)
    try:
        rows = cov.coverage(database, from_year, to_year, site)
    finally:
        database.close()
    if as_json:
        for row in rows:
            click.echo(json.dumps(row.as_dict(), ensure_ascii=False))
    elif as_csv:
        writer = csv_module.DictWriter(sys.stdout, fieldnames=cov.FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(row.as_dict() for row in rows)
    else:
        click.echo(format_table([r.as_dict() for r in rows], [
            ("site", "site", 24), ("agency", "agency", 24), ("year", "year", 4), ("published", "published", 10),
            ("status", "status", 8), ("url", "url", 60)]))
        click.echo(", ".join(f"{n} {s}" for s, n in cov.counts(rows).items()))


def columns_to_crawl(db: str, homepages: tuple[str, ...], use_registry: bool, level: str | None,
                     province: str | None, overrides: tuple[str, ...]) -> list[str]:
    """The column URLs ``gongkai crawl --from-homepage/--registry`` crawls, found by discovery.

    Registry bodies with a known column have it checked first; only a column that answers an
    error or redirects to the homepage is discovered again. Every body crawled from the registry
    is kept in the archive's registry, so ``gongkai coverage`` lists it even when nothing was found.
    Discovery runs as its own process: Twisted's reactor runs once per process, and the crawl
    needs it next.
    """
    import subprocess

    from archive.bodies import normalise_url, select
    from archive.registry import entries, registry, save_entries

    try:
        homes = [normalise_url(h) for h in homepages]
    except RegistryError as error:
        raise click.ClickException(str(error)) from error
    known: dict[str, str] = {}
    if use_registry:
        archive = _open_db(db, create=True)
        chosen = select(registry(archive.db), level=level, province=province)
        if not chosen:
            archive.close()
            raise click.ClickException("no registry body matches --level/--province (see gongkai sites list)")
        own = {e.name for e in entries(archive.db)}
        save_entries(archive.db, [e for e in chosen if e.name not in own])
        archive.close()
        for entry in chosen:
            homes.append(entry.homepage)
            if entry.report_column:
                known[entry.homepage] = entry.report_column
    homes = list(dict.fromkeys(homes))
    if not homes:
        return []
    command = [sys.executable, "-m", "crawler.cli", "discover", *homes, "--json", "--db", db]
    command += [f"--column={h}={c}" for h, c in known.items()]
    for override in overrides:
        command += ["-s", override]
    result = subprocess.run(command, capture_output=True, text=True)
    sys.stderr.write(result.stderr)
    best: dict[str, str] = {}
    for line in result.stdout.splitlines():
        row = json.loads(line)
        best.setdefault(row["homepage"], row["column"])
    for homepage in homes:
        click.echo(f"{homepage} -> {best.get(homepage, 'no column found: not crawled')}", err=True)
    return list(dict.fromkeys(best.values()))

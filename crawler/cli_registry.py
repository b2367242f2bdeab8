"""``gongkai sites``, ``gongkai discover`` and ``gongkai coverage``: from a list of bodies to what they published.

Thin click commands over :mod:`crawler.registry`, :mod:`archive.registry`, :mod:`spiders.discover`
and :mod:`archive.coverage`; registered on the ``gongkai`` group in :mod:`crawler.cli`.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from crawler.registry import LEVELS, RegistryError


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
    from archive.registry import registry
    from crawler.cli import format_table
    from crawler.registry import select

    archive = _open_db(db)
    chosen = select(registry(archive.db if archive else None), level=level, province=province)
    if archive:
        archive.close()
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
@click.option("--db", default="archive.db", show_default=True, help="Archive that keeps the entry.")
def sites_add(name: str, homepage: str, level: str | None, province: str | None, column: str | None,
              db: str) -> None:
    """Add a body (or correct one) in this archive's registry.

    Example:

        gongkai sites add 某某县人民政府 http://www.mmx.gov.cn --level county --province 某省
    """
    from archive.registry import save_entries
    from crawler.registry import make_entry

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
@click.option("--db", default="archive.db", show_default=True, help="Archive that keeps the entries.")
def sites_import(file: str, db: str) -> None:
    """Import a CSV list of bodies (header: name,homepage[,level,province,report_column,source]).

    The whole file is checked first: one bad row (no name, no http(s) homepage, unknown level)
    and nothing is imported; every bad line is named.

    Example:

        gongkai sites import my-counties.csv --db archive.db
    """
    from archive.registry import save_entries
    from crawler.registry import read_csv

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

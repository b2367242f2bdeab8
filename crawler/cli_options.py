"""Options and output shared by the ``gongkai`` commands: the checked ``--db`` option, URL files, tables.

Kept apart from :mod:`crawler.cli` so that command modules (``cli_registry`` and the like) use
them without importing the command group that imports them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, width: int) -> str:
    out, used = [], 0
    for char in text:
        w = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used + w > width:
            return "".join(out[:-1]) + "…" if out else "…"
        out.append(char)
        used += w
    return "".join(out)


def format_table(rows: list[dict], columns: list[tuple[str, str, int | None]]) -> str:
    """A plain-text table that lines up Chinese (double-width) text.

    ``columns`` are (key, heading, max display width; None never cuts). Line breaks inside a
    value become spaces: one row per record.
    """
    def cell(value: object, width: int | None) -> str:
        text = " ".join(str(value).split()) if value is not None else ""
        return text if width is None else _cut(text, width)

    cells = [[cell(r.get(k), w) for k, _, w in columns] for r in rows]
    widths = [max([_width(h)] + [_width(c[i]) for c in cells]) for i, (_, h, _) in
              enumerate(columns)]
    def line(values: list[str]) -> str:
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(values, widths)).rstrip()
    out = [line([h for _, h, _ in columns]), line(["-" * w for w in widths])]
    out += [line(c) for c in cells]
    return "\n".join(out)


def db_option(purpose: str = "read", **kwargs: object) -> Callable[[F], F]:
    """The ``--db`` option of a command, checked before the command runs (archive/access.py).

    ``purpose`` is an :class:`archive.access.Purpose` value: ``create`` (crawl), ``migrate``,
    ``read`` (current schema, never written) or ``read-any`` (any older schema, read as it is).
    A path that will not do stops the command with one line and exit code 1, before anything
    is opened or created::

        @cli.command()
        @db_option("read")
        def reports(db: str) -> None: ...
    """

    def validate(ctx: click.Context, param: click.Parameter, value: str) -> str:
        from archive.access import ArchiveFileError, Purpose, check_archive_file

        try:
            check_archive_file(value, Purpose(purpose))
        except ArchiveFileError as error:
            raise click.ClickException(str(error)) from error
        return value

    kwargs.setdefault("help", "The SQLite archive" + (" to write (made if missing)." if purpose == "create"
                                                     else " to read."))
    return click.option("--db", default="archive.db", show_default=True, callback=validate, **kwargs)


def read_url_file(path: str) -> list[str]:
    """Column URLs from a file: one per line; blank lines and ``#`` comments ignored."""
    urls = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            urls.append(line)
    return urls


def apply_overrides(settings: Any, overrides: tuple[str, ...]) -> None:
    """Apply ``-s NAME=VALUE`` options to Scrapy ``settings`` (command-line priority)."""
    for override in overrides:
        if "=" not in override:
            raise click.BadParameter(f"expected NAME=VALUE, got {override!r}", param_hint="-s")
        name, value = override.split("=", 1)
        settings.set(name.strip(), value, priority="cmdline")


def apply_crawl_options(settings: Any, *, warc_dir: str | None = None, recheck_days: float | None = None,
                        no_warc: bool = False, recheck: bool = False, allow_private: bool = False,
                        overrides: tuple[str, ...] = (), js: str | None = None,
                        js_sites: tuple[str, ...] = ()) -> None:
    """Apply the crawl options that ``gongkai crawl`` and ``gongkai worker`` share to ``settings``.

    ``-s`` overrides come after the named options and before ``--js``/``--js-site``, as a user
    reading ``--help`` expects: ``--js never -s GONGKAI_JS=always`` crawls with ``never``.
    """
    for name, value in (("GONGKAI_WARC_DIR", warc_dir), ("GONGKAI_RECHECK_DAYS", recheck_days)):
        if value is not None:
            settings.set(name, value, priority="cmdline")
    if no_warc:
        settings.set("GONGKAI_WARC", False, priority="cmdline")
    if recheck:
        settings.set("GONGKAI_RECHECK", True, priority="cmdline")
    if allow_private:
        settings.set("GONGKAI_ALLOW_PRIVATE", True, priority="cmdline")
    apply_overrides(settings, overrides)
    if js:
        settings.set("GONGKAI_JS", js, priority="cmdline")
    if js_sites:
        if any("=" not in pair for pair in js_sites):
            raise click.BadParameter("expected HOST=MODE", param_hint="--js-site")
        settings.set("GONGKAI_JS_SITES", dict(pair.split("=", 1) for pair in js_sites), priority="cmdline")

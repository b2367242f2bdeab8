"""The registry of government bodies: who publishes reports, where their portal and report column are.

A registry entry is a plain value (:class:`Entry`). The package ships one list
(``archive/data/registry.csv``: the 31 provincial governments, the central bodies, and some
prefectures and counties, each fact with its public source); an archive keeps the user's own
additions and every column found by ``gongkai discover`` (``archive/registry.py``), which
override the bundled rows of the same name.

    >>> entries = bundled()
    >>> sum(e.level == "provincial" and e.name.endswith("人民政府") for e in entries) >= 31
    True
    >>> [e.name for e in select(entries, level="provincial", province="北京市")]
    ['北京市人民政府']
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

BUNDLED_FILE = Path(__file__).parent / "data" / "registry.csv"
LEVELS = ("central", "provincial", "prefecture", "county")
FIELDS = ("name", "level", "province", "homepage", "report_column", "verified_at", "source")
# What `sites list --json` prints, in this order (the source stays in the CSV and the archive).
JSON_FIELDS = ("name", "level", "province", "homepage", "report_column", "verified_at")


class RegistryError(ValueError):
    """A registry row that cannot be used: the message names the row and what is wrong."""


@dataclass(frozen=True)
class Entry:
    """One government body: its name, level, province, portal homepage and report column.

    ``report_column`` is the absolute URL of the column's list page, or None while unknown
    (``gongkai discover`` finds it); ``verified_at`` the ISO date it was last found working;
    ``source`` where the facts come from (a public list, ``user``, ``discover``).
    """

    name: str
    homepage: str
    level: str | None = None
    province: str | None = None
    report_column: str | None = None
    verified_at: str | None = None
    source: str | None = None

    def as_json(self) -> dict[str, str | None]:
        return {k: asdict(self)[k] for k in JSON_FIELDS}

    def with_column(self, column: str, verified_at: str, source: str = "discover") -> Entry:
        note = source if not self.source else f"{self.source}; column: {source}"
        return replace(self, report_column=column, verified_at=verified_at, source=note)


def normalise_url(url: str, what: str = "homepage") -> str:
    """An absolute http(s) URL, with ``http://`` added to a bare host; RegistryError otherwise.

    >>> normalise_url("www.beijing.gov.cn")
    'http://www.beijing.gov.cn'
    >>> normalise_url("ftp://x.gov.cn")
    Traceback (most recent call last):
    ...
    archive.bodies.RegistryError: homepage must be an http(s) URL, got 'ftp://x.gov.cn'
    """
    url = (url or "").strip()
    if url and "://" not in url:
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RegistryError(f"{what} must be an http(s) URL, got {url!r}")
    return url


def make_entry(name: str, homepage: str, *, level: str | None = None, province: str | None = None,
               report_column: str | None = None, verified_at: str | None = None,
               source: str | None = None) -> Entry:
    """A checked :class:`Entry`: a name, an http(s) homepage, a known level, a column URL if any."""
    name = (name or "").strip()
    if not name:
        raise RegistryError("a registry entry needs a name")
    level = (level or "").strip() or None
    if level is not None and level not in LEVELS:
        raise RegistryError(f"{name}: level must be one of {', '.join(LEVELS)}, got {level!r}")
    column = (report_column or "").strip() or None
    return Entry(name=name, homepage=normalise_url(homepage), level=level,
                 province=(province or "").strip() or None,
                 report_column=normalise_url(column, "report_column") if column else None,
                 verified_at=(verified_at or "").strip() or None, source=(source or "").strip() or None)


def read_csv(text: str, default_source: str | None = None) -> list[Entry]:
    """Entries from CSV text with a header row: ``name`` and ``homepage`` required, the other
    :data:`FIELDS` optional (a user's spreadsheet export). A UTF-8 BOM (Excel) is allowed.

    Every bad row is reported at once, by line number, and nothing is returned for a file with
    bad rows: an import is all or nothing.

    >>> [e.homepage for e in read_csv("name,homepage\\n某县人民政府,www.x.gov.cn\\n")]
    ['http://www.x.gov.cn']
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"name", "homepage"} - set(reader.fieldnames or ())
    if missing:
        raise RegistryError(f"the CSV header lacks {', '.join(sorted(missing))} "
                            f"(columns: {', '.join(FIELDS)})")
    entries, errors = [], []
    for line, row in enumerate(reader, start=2):
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        try:
            entries.append(make_entry(
                row.get("name") or "", row.get("homepage") or "", level=row.get("level"),
                province=row.get("province"), report_column=row.get("report_column"),
                verified_at=row.get("verified_at"), source=row.get("source") or default_source))
        except RegistryError as error:
            errors.append(f"line {line}: {error}")
    if errors:
        raise RegistryError("; ".join(errors))
    return entries


@lru_cache(maxsize=1)
def _bundled() -> tuple[Entry, ...]:
    return tuple(read_csv(BUNDLED_FILE.read_text(encoding="utf-8")))


def bundled() -> list[Entry]:
    """The registry shipped with gongkai (``archive/data/registry.csv``)."""
    return list(_bundled())


def merge(base: Iterable[Entry], overrides: Iterable[Entry]) -> list[Entry]:
    """``base`` with each entry replaced by the override of the same name; new names appended."""
    merged = {e.name: e for e in base}
    for entry in overrides:
        merged[entry.name] = entry
    return list(merged.values())


def select(entries: Iterable[Entry], *, level: str | None = None, province: str | None = None,
           names: Iterable[str] = ()) -> list[Entry]:
    """The entries of one level and/or province (a province matches with or without 省/市/自治区)."""
    wanted = set(names)
    out = []
    for entry in entries:
        if level and entry.level != level:
            continue
        if province and not _same_province(entry.province, province):
            continue
        if wanted and entry.name not in wanted:
            continue
        out.append(entry)
    return out


_PROVINCE_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "特别行政区", "省", "市")


def _province_core(name: str) -> str:
    for suffix in _PROVINCE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _same_province(value: str | None, wanted: str) -> bool:
    return bool(value) and _province_core(value.strip()) == _province_core(wanted.strip())


def to_csv(entries: Iterable[Entry]) -> str:
    """CSV text in the bundled file's columns (what ``sites import`` reads back)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in entries:
        writer.writerow({k: v or "" for k, v in asdict(entry).items()})
    return out.getvalue()

"""SVG charts of the archive's counts, drawn on the server (pure functions used by the Datasette plugin).

No JavaScript and no chart library: the charts page must work in any browser, offline, and
every label passes through :func:`markupsafe.escape` (agency names come from captured pages).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

_BAR = "#4e79a7"
_MISSING = "#e15759"
_FONT = 'font-family="sans-serif" font-size="12"'


@dataclass(frozen=True)
class Bar:
    """One bar: its label, value and the page it links to (e.g. the reports of that year)."""

    label: str
    value: int
    href: str | None = None


def _link(href: str | None, inner: str) -> str:
    return f'<a href="{escape(href)}">{inner}</a>' if href else inner


def bar_chart(bars: Sequence[Bar], *, title: str, height: int = 220, bar_width: int = 34) -> Markup:
    """A vertical bar chart (one bar per label, value above, label below), as inline SVG.

    >>> "2019" in bar_chart([Bar("2019", 3), Bar("2020", 5)], title="Reports per year")
    True
    """
    top, bottom, gap = 20, 28, 8
    peak = max((b.value for b in bars), default=0) or 1
    width = max(len(bars), 1) * (bar_width + gap) + gap
    plot = height - top - bottom
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" {_FONT}><title>{escape(title)}</title>']
    for i, bar in enumerate(bars):
        x = gap + i * (bar_width + gap)
        h = round(plot * bar.value / peak)
        y = top + plot - h
        shape = (f'<rect x="{x}" y="{y}" width="{bar_width}" height="{h}" fill="{_BAR}">'
                 f"<title>{escape(bar.label)}: {bar.value}</title></rect>")
        parts.append(_link(bar.href, shape))
        parts.append(f'<text x="{x + bar_width / 2}" y="{y - 4}" text-anchor="middle">{bar.value}</text>')
        parts.append(f'<text x="{x + bar_width / 2}" y="{height - 10}" text-anchor="middle">'
                     f"{escape(bar.label)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def horizontal_bar_chart(bars: Sequence[Bar], *, title: str, label_width: int = 260, bar_space: int = 360,
                         row_height: int = 20) -> Markup:
    """Horizontal bars, one row per label (for long labels such as agency names)."""
    peak = max((b.value for b in bars), default=0) or 1
    width, height = label_width + bar_space + 40, max(len(bars), 1) * row_height + 8
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" {_FONT}><title>{escape(title)}</title>']
    for i, bar in enumerate(bars):
        y = 4 + i * row_height
        w = max(round(bar_space * bar.value / peak), 1)
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end">{escape(bar.label)}</text>')
        parts.append(_link(bar.href, f'<rect x="{label_width}" y="{y + 2}" width="{w}" height="{row_height - 6}" '
                                     f'fill="{_BAR}"><title>{escape(bar.label)}: {bar.value}</title></rect>'))
        parts.append(f'<text x="{label_width + w + 4}" y="{y + 14}">{bar.value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def year_grid(rows: Sequence[tuple[str, dict[int, int], str | None]], years: Sequence[int], *, title: str,
              label_width: int = 260, cell: int = 30) -> Markup:
    """A site × year grid: the count in each cell, shaded by size; an empty cell is a missing year.

    ``rows`` are (label, {year: count}, href prefix); a cell links to ``href + year`` when given,
    e.g. ``/demo/reports?site_id=2&report_year=`` + ``2019``.
    """
    peak = max((n for _, counts, _ in rows for n in counts.values()), default=0) or 1
    width, height = label_width + len(years) * cell + 10, (len(rows) + 1) * cell + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" {_FONT}><title>{escape(title)}</title>']
    for j, year in enumerate(years):
        parts.append(f'<text x="{label_width + j * cell + cell / 2}" y="{cell - 10}" text-anchor="middle" '
                     f'font-size="10">{year}</text>')
    for i, (label, counts, href) in enumerate(rows):
        y = (i + 1) * cell
        parts.append(f'<text x="{label_width - 6}" y="{y + cell / 2 + 4}" text-anchor="end">{escape(label)}</text>')
        first = min(counts, default=None)
        for j, year in enumerate(years):
            x, n = label_width + j * cell, counts.get(year, 0)
            if n:
                shade = 0.25 + 0.75 * n / peak
                box = (f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" fill="{_BAR}" '
                       f'fill-opacity="{shade:.2f}"><title>{escape(label)} {year}: {n}</title></rect>'
                       f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle">{n}</text>')
                parts.append(_link(f"{href}{year}" if href else None, box))
            elif first is not None and year > first:
                # A year after the site's first report with nothing archived: worth a look.
                parts.append(f'<rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" height="{cell - 2}" fill="none" '
                             f'stroke="{_MISSING}" stroke-dasharray="3 2"><title>{escape(label)} {year}: missing'
                             f"</title></rect>")
    parts.append("</svg>")
    return Markup("".join(parts))


# Coverage colours: green published on time, orange late, grey undated, red outline missing.
STATUS_COLOURS = {"on_time": "#59a14f", "late": "#f28e2b", "undated": "#bab0ac", "missing": "none"}
STATUS_LABELS = {"on_time": "on time", "late": "late", "undated": "no date", "missing": "missing"}
_STATUS_MARK = {"on_time": "✓", "late": "!", "undated": "?", "missing": "×"}


def coverage_grid(rows: Sequence[tuple[str, dict[int, tuple[str, str | None, str | None]]]], years: Sequence[int],
                  *, title: str, label_width: int = 260, cell: int = 34) -> Markup:
    """An agency × report-year grid of statuses: one coloured cell per year, its mark (✓ on time,
    ! late, ? undated, × missing) legible without colour, its tooltip the publish date; a cell
    with a report links to it.

    ``rows`` are (agency, {year: (status, published, url)}).

    >>> "late" in coverage_grid([("某县", {2022: ("late", "2023-03-20", None)})], [2022], title="t")
    True
    """
    width, height = label_width + len(years) * cell + 10, (len(rows) + 1) * cell + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" {_FONT}><title>{escape(title)}</title>']
    for j, year in enumerate(years):
        parts.append(f'<text x="{label_width + j * cell + cell / 2}" y="{cell - 10}" text-anchor="middle" '
                     f'font-size="10">{year}</text>')
    for i, (label, cells) in enumerate(rows):
        y = (i + 1) * cell
        parts.append(f'<text x="{label_width - 6}" y="{y + cell / 2 + 4}" text-anchor="end">{escape(label)}</text>')
        for j, year in enumerate(years):
            state, published, url = cells.get(year, ("missing", None, None))
            x = label_width + j * cell
            fill = STATUS_COLOURS[state]
            stroke = f' stroke="{_MISSING}" stroke-dasharray="3 2"' if state == "missing" else ""
            note = f"{label} {year}: {STATUS_LABELS[state]}" + (f" (published {published})" if published else "")
            box = (f'<g class="status-{state}" data-year="{year}"><rect x="{x + 1}" y="{y + 1}" width="{cell - 2}" '
                   f'height="{cell - 2}" fill="{fill}"{stroke}><title>{escape(note)}</title></rect>'
                   f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle">{_STATUS_MARK[state]}'
                   f"</text></g>")
            parts.append(_link(url, box))
    parts.append("</svg>")
    return Markup("".join(parts))

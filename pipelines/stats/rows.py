"""Grid and text rows: label cells and value cells, header paths, the table markers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from pipelines.stats.normalise import _MARKERS, is_value, label_key, parse_value
from pipelines.stats.results import Grid, StatCell

# --- rows ---------------------------------------------------------------------------------


@dataclass
class _Row:
    """One table row. ``kind``: grid (positions are columns), tabs (one body_text line:
    cells as written, trailing blanks dropped) or spaces (PDF text: whitespace tokens)."""

    cells: list[str]
    kind: str
    # split() and keys() are asked by each of the three table parsers of every row: read once.
    # A row's cells are never changed after it is made (a parser that edits makes a new _Row).
    _split: tuple[list[tuple[int, str]], list[tuple[int, str]]] | None = field(
        default=None, init=False, repr=False, compare=False)
    _keys: list[str] | None = field(default=None, init=False, repr=False, compare=False)
    _joined: str | None = field(default=None, init=False, repr=False, compare=False)

    def split(self) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """(label cells, value cells) with positions: values are the trailing run of value cells."""
        if self._split is None:
            i = len(self.cells)
            while i > 0 and is_value(self.cells[i - 1]):
                i -= 1
            labels = [(j, c) for j, c in enumerate(self.cells[:i]) if c.strip()]
            self._split = labels, [(j, self.cells[j]) for j in range(i, len(self.cells))]
        return self._split

    def keys(self) -> list[str]:
        if self._keys is None:
            self._keys = [label_key(c) for c in self.cells]
        return self._keys

    def joined_keys(self) -> str:
        """The keys joined by NUL, which no label holds: a marker is in it iff in one key."""
        if self._joined is None:
            self._joined = "\0".join(self.keys())
        return self._joined


def _grid_rows(grid: Grid) -> list[_Row]:
    width = max((len(r) for r in grid), default=0)
    return [_Row([(c or "").strip() for c in r] + [""] * (width - len(r)), "grid") for r in grid]


def text_rows(text: str) -> list[_Row]:
    """Rows of flattened table text: tab-separated cells, or whitespace tokens (PDF text)."""
    rows = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if "\t" in line:
            rows.append(_Row([c.strip() for c in line.split("\t")], "tabs"))
        else:
            rows.append(_Row(line.split(), "spaces"))
    return rows


def _join(labels: list[tuple[int, str]]) -> str:
    out: list[str] = []
    for _, text in labels:
        if not out or out[-1] != text:  # a rowspan/colspan label repeated across positions
            out.append(text)
    return " ".join(out)


def _has_marker(rows: Iterable[_Row], table: str) -> bool:
    # the keys joined by NUL (no marker holds one): one substring search per marker and row
    return any(marker in row.joined_keys() for row in rows for marker in _MARKERS[table])


def _header_paths(header: list[_Row], positions: list[int]) -> dict[int, list[str]]:
    """The header texts above each value column, top to bottom.

    PDF and DOCX extractors leave a merged cell's other positions blank instead of repeating
    its text. A blank continues the cell to its left when both sit under the same parent
    (法人或其他组织 spanning five columns), and stays blank otherwise: the blank under 总计 is
    its vertical merge, not a sixth column of 法人或其他组织.
    """
    paths: dict[int, list[str]] = {p: [] for p in positions}
    above = dict.fromkeys(positions, "")
    for row in header:
        here: dict[int, str] = {}
        for p in positions:
            text = row.cells[p] if p < len(row.cells) else ""
            if not text and p - 1 in here and above[p] == above[p - 1]:
                text = here[p - 1]
            here[p] = text
            if text and (not paths[p] or paths[p][-1] != text):
                paths[p].append(text)
        above = {p: here[p] or above[p] for p in positions}
    return paths


def _value_cell(table: str, row: str | None, col: str | None, raw_row: str, raw_col: str | None,
                raw: str, source: str, unit: str | None = None) -> StatCell:
    value, cell_unit = parse_value(raw)
    return StatCell(table, row, col, raw_row, raw_col, raw.strip(), value, cell_unit or unit, source)

"""The three template tables: 表二 主动公开, 表三 依申请, 表四 复议诉讼, each read into labelled cells."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pipelines import stats_labels as L
from pipelines.repair import to_simplified
from pipelines.stats.normalise import (
    _T2_COLS,
    _T2_INFO,
    _T2_ROWS,
    _T3_COLS,
    _T3_ROWS,
    _T4_GROUPS,
    _T4_RESULTS,
    _label_parts,
    _nfkc,
    enumerator,
    label_key,
)
from pipelines.stats.results import MAX_PENDING, StatCell
from pipelines.stats.rows import _has_marker, _header_paths, _join, _Row, _value_cell

# --- 表二 ---------------------------------------------------------------------------------


@dataclass
class _Column:
    canon: str | None
    raw: str
    unit: str | None


def _t2_column(text: str) -> _Column:
    unit = L.HEADER_UNIT_RE.search(_nfkc(text))
    return _Column(_T2_COLS.match(text), text, to_simplified(unit.group(1)) if unit else None)


def _t2_header(row: _Row) -> dict[int, _Column] | list[_Column] | None:
    """Column labels of a header row: by position for grids, in order for text rows."""
    cells = [(p, c) for p, c in enumerate(row.cells) if label_key(c) not in _T2_INFO
             and not L.TABLE2_BLOCK_RE.search(label_key(c))]
    if not any(_T2_COLS.match(c) for _, c in cells if c):
        return None
    if row.kind == "grid":
        by_pos: dict[int, _Column] = {}
        prev: _Column | None = None
        first = min(p for p, c in cells if c and _T2_COLS.match(c))
        for p, c in cells:
            if p < first:
                continue
            col = prev if prev is not None and (not c or c == prev.raw) else _t2_column(c)
            by_pos[p] = col
            prev = col
        return by_pos
    ordered: list[_Column] = []
    for _, c in cells:
        if not c:
            continue
        if not label_key(c) and ordered:  # "(单位:万元)" split off by a space in PDF text
            ordered[-1] = _t2_column(ordered[-1].raw + c)
        elif label_key(c):
            ordered.append(_t2_column(c))
    return ordered


def _table2(rows: list[_Row], source: str, year_template: str | None) -> list[StatCell]:
    cells: list[StatCell] = []
    header: dict[int, _Column] | list[_Column] | None = None
    for row in rows:
        if _has_marker([row], "表三") or _has_marker([row], "表四"):
            header = None  # the table after 表二 in the same grid or text
            continue
        if L.TABLE2_BLOCK_RE.search("".join(row.keys())):
            # A new block "第二十条第(五)项": its own header follows. The heading may share the
            # line with that header in PDF text, or be split at a space ("第二十条 第(五)项").
            header = None
            rest = [c if not (L.TABLE2_BLOCK_RE.search(k) or L.TABLE2_BLOCK_PART_RE.match(k)) else ""
                    for c, k in zip(row.cells, row.keys())]
            if not any(rest):
                continue
            row = _Row(rest, row.kind)
        labels, values = row.split()
        filled = [(p, v) for p, v in values if v.strip()]
        if not filled:
            header = _t2_header(row) or header
            continue
        label = _join(labels)
        canon = _T2_ROWS.match(label) if label else None
        if canon is None and not (isinstance(header, dict) and label and enumerator(label) is None):
            # Text rows must name a known row. A grid may add its own (其他主动公开文件) under a
            # header it gave, but an enumerated label ("一、本年新收…") is another table's row.
            continue
        columns = _t2_assign(row, values, header, canon, year_template)
        seen: set[str | None] = set()
        for col, raw in columns:
            if col.canon is not None and col.canon in seen:
                continue
            seen.add(col.canon)
            cells.append(_value_cell("表二", canon, col.canon, label, col.raw or None, raw, source, col.unit))
    return cells


def _t2_assign(row: _Row, values: list[tuple[int, str]], header: dict[int, _Column] | list[_Column] | None,
               canon: str | None, year_template: str | None) -> list[tuple[_Column, str]]:
    """Pair each value with its column; a column spanned by one merged value keeps the first."""
    if isinstance(header, dict):
        groups: dict[int, tuple[_Column, list[str]]] = {}
        for p, v in values:
            col = header.get(p)
            if col is None:
                continue
            groups.setdefault(id(col), (col, []))[1].append(v)
        return [(col, next((v for v in vs if v.strip()), vs[0])) for col, vs in groups.values()]
    raw = [v for _, v in values]
    if row.kind == "grid":  # no positional header: a merged value is one value
        raw = [v for k, v in enumerate(raw) if v.strip() and (k == 0 or v != raw[k - 1])] or raw[:1]
    if isinstance(header, list) and header:
        if row.kind == "tabs":  # body_text drops trailing empty cells
            raw += [""] * (len(header) - len(raw))
        elif len(raw) != len(header):
            return []  # PDF text lost a blank cell: which one is unknowable
        return list(zip(header, raw))
    # No usable header (scrambled PDF text): the template fixes the columns of each row.
    default = L.TABLE2_DEFAULT_COLUMNS.get(year_template or "", {}).get(canon or "")
    if default and len(raw) == len(default):
        return [(_Column(c, "", None), v) for c, v in zip(default, raw)]
    return []


# --- 表三 ---------------------------------------------------------------------------------


@lru_cache(maxsize=8192)  # pure in the label; every grid row of every report asks it
def _match_t3(label: str) -> str | None:
    """The canonical 表三 row a label names: its last enumerated part, read in the context of the
    group label before it ("(六)其他处理 3.其他"). Earlier parts are the row-spanning labels of a
    merged row, or the start of a label the PDF broke over lines."""
    parts = _label_parts(label)
    if not parts:
        return None
    canon = _T3_ROWS.match(parts[-1])
    if canon is None:
        return None
    need = L.TABLE3_ROWS.get(canon, (None, None, None))[2]
    if need and enumerator(parts[-1]) != need:
        groups = {_T3_ROWS.match(p, fuzzy=False) for p in parts[:-1]}
        if canon.split("/")[0] not in groups:
            return None
    return canon


def _t3_columns(header: list[_Row], row: _Row, values: list[tuple[int, str]]) -> dict[int, tuple[str | None, str]]:
    """Value position -> (canonical column, raw header) from the header rows, if they are usable."""
    positions = [p for p, _ in values]
    paths = _header_paths(header, positions)
    mapping: dict[int, tuple[str | None, str]] = {}
    for p in positions:
        canon = next((c for c in map(_T3_COLS.match, reversed(paths[p])) if c), None)
        mapping[p] = (canon, "/".join(paths[p]))
    found = [c for c, _ in mapping.values() if c]
    if len(set(found)) >= len(L.TABLE3_COLUMNS) - 1 and len(found) == len(set(found)):
        return mapping
    return {}


def _t3_assign(row: _Row, values: list[tuple[int, str]], mapping: dict[int, tuple[str | None, str]],
               header: list[_Row]) -> list[tuple[str | None, str | None, str]]:
    if mapping and all(p in mapping for p, _ in values):
        # Blank positions under no known column are a merged label's other half, not values.
        return [(*mapping[p], v) for p, v in values if mapping[p][0] or v.strip()]
    n = len(L.TABLE3_COLUMNS)
    vals = list(values)
    if row.kind == "grid":
        while len(vals) > n and not vals[-1][1].strip():
            vals.pop()
    if len(vals) >= n:
        vals = vals[-n:]
    elif row.kind == "tabs":  # body_text drops trailing empty cells
        vals += [(-1, "")] * (n - len(vals))
    else:
        return []  # PDF text with blanks missing: which column lost its value is unknowable
    paths = _header_paths(header, [p for p, _ in vals if p >= 0]) if row.kind == "grid" else {}
    return [(col, "/".join(paths.get(p, [])) or None, v) for col, (p, v) in zip(L.TABLE3_COLUMNS, vals)]


def _table3(rows: list[_Row], source: str) -> list[StatCell]:
    cells: list[StatCell] = []
    header: list[_Row] = []
    pending: list[str] = []
    mapping: dict[int, tuple[str | None, str]] | None = None
    done: set[str] = set()
    for row in rows:
        labels, values = row.split()
        filled = any(v.strip() for _, v in values)
        label = _join(labels)
        canon, used = None, label
        if label:
            canon = _match_t3(label)
            if canon is None and pending:
                used = " ".join([*pending, label])
                canon = _match_t3(used)
        if canon is None:
            if mapping is None:
                header.append(row)
            if label and not filled:
                pending = [*pending, label][-MAX_PENDING:]
            elif label and filled and mapping and L.TABLE3_NEXT not in done:
                # A row the template lacks, inside a table whose header named every column.
                for col, raw_col, raw in _t3_assign(row, values, mapping, header):
                    cells.append(_value_cell("表三", None, col, label, raw_col, raw, source))
            continue
        pending = []
        if canon in L.TABLE3_HEADINGS or canon in done or not values:
            continue
        if not filled and canon in L.TABLE3_RESULT_GROUPS and canon != "(六)其他处理":
            continue  # a group label on a row of its own, not a subtotal
        if mapping is None:
            mapping = _t3_columns(header, row, values) if row.kind == "grid" else {}
        assigned = _t3_assign(row, values, mapping, header)
        if assigned:
            done.add(canon)
        for col, raw_col, raw in assigned:
            cells.append(_value_cell("表三", canon, col, used, raw_col, raw, source))
    return cells


# --- 表四 ---------------------------------------------------------------------------------

_T4_ORDER = [(g, r) for g in L.TABLE4_GROUPS for r in L.TABLE4_RESULTS]


def _table4(rows: list[_Row], source: str, in_context: bool) -> list[StatCell]:
    header: list[_Row] = []
    context = in_context
    n = L.TABLE4_VALUES
    for row in rows:
        if not context:
            context = _has_marker([row], "表四")
            if not context:
                continue
        labels, values = row.split()
        filled = [v for _, v in values if v.strip()]
        if not filled:
            header.append(row)
            continue
        if len(values) < n and not (row.kind == "tabs" and not labels):
            header.append(row)
            continue
        vals = values[-n:] if len(values) >= n else values + [(-1, "")] * (n - len(values))
        pairs = _t4_columns(header, vals) if row.kind == "grid" else {}
        out = []
        for i, (p, raw) in enumerate(vals):
            group, result = _T4_ORDER[i]
            raw_row = raw_col = None
            if p in pairs:
                (group, result), (raw_row, raw_col) = pairs[p]
            out.append(_value_cell("表四", group, result, raw_row or "", raw_col, raw, source))
        return out
    return []


def _t4_columns(header: list[_Row], vals: list[tuple[int, str]]) -> dict[int, tuple[tuple[str, str], tuple[str, str]]]:
    """Position -> ((group, result), (raw group, raw result)) when the header names all 15."""
    paths = _header_paths(header, [p for p, _ in vals if p >= 0])
    out = {}
    for p, path in paths.items():
        group = next(((g, t) for t in reversed(path) if (g := _T4_GROUPS.match(t, fuzzy=False))), None)
        result = next(((r, t) for t in reversed(path) if (r := _T4_RESULTS.match(t, fuzzy=False))), None)
        if group and result:
            out[p] = ((group[0], result[0]), (group[1], result[1]))
    if len({pair for pair, _ in out.values()}) == L.TABLE4_VALUES:
        return out
    return {}

"""The template's sums (表三 一+二 = (七)总计+四 …) as checks; numbers are never corrected."""

from __future__ import annotations

from pipelines import stats_labels as L
from pipelines.stats.results import Check, Number, StatCell

# --- checks -------------------------------------------------------------------------------


def _close(a: Number, b: Number) -> bool:
    return abs(a - b) < 1e-6


def consistency_checks(cells: list[StatCell]) -> list[Check]:
    """The template's arithmetic on the canonical cells; a missing row skips its checks.

    Null cells ("-", "/", blank) count as nothing here: reports write them for zero.
    表三: per column 一 + 二 = (七)总计 + 四, and (七)总计 = the sum of the results (一)…(六)
    (a group's sub-rows when present, else the group row); per row 总计 = the six applicant
    columns. 表四: per group 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结.
    """
    at: dict[tuple[str, str, str], Number] = {}
    for c in cells:
        if c.row_label and c.col_label:
            at.setdefault((c.table, c.row_label, c.col_label), c.value or 0)
    checks: list[Check] = []

    def add(name: str, parts: list[Number | None], actual: list[Number | None]) -> None:
        if None in parts or None in actual or not parts:
            return
        exp, act = sum(parts), sum(actual)  # type: ignore[arg-type]
        checks.append(Check(name, exp, act, _close(exp, act)))

    t3_rows = list(dict.fromkeys(r for (t, r, _) in at if t == "表三"))
    for col in L.TABLE3_COLUMNS:
        def v(row: str, col: str = col) -> Number | None:
            return at.get(("表三", row, col))

        add(f"表三[{col}] 一+二=(七)总计+四", [v(L.TABLE3_NEW), v(L.TABLE3_CARRIED)],
            [v(L.TABLE3_TOTAL), v(L.TABLE3_NEXT)])
        results: list[Number | None] = []
        for group in L.TABLE3_RESULT_GROUPS:
            children = [r for r in t3_rows if r.startswith(group + "/")]
            results += [v(r) for r in children] if children else [v(group)]
        add(f"表三[{col}] (七)总计=各项办理结果之和", results, [v(L.TABLE3_TOTAL)])
    for row in t3_rows:
        add(f"表三[{row}] 总计=各类申请人之和", [at.get(("表三", row, c)) for c in L.TABLE3_APPLICANTS],
            [at.get(("表三", row, L.TOTAL))])
    for group in L.TABLE4_GROUPS:
        parts = [at.get(("表四", group, r)) for r in L.TABLE4_RESULTS if r != L.TOTAL]
        add(f"表四[{group}] 总计=四项之和", parts, [at.get(("表四", group, L.TOTAL))])
    return checks

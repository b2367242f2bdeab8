"""Normalising labels and values of statistics tables: 全角 digits, notes, enumerators, units."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

from pipelines import stats_labels as L
from pipelines.repair import to_simplified
from pipelines.stats.results import FUZZY_RATIO, Number

# --- normalisation ------------------------------------------------------------------------


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


@lru_cache(maxsize=8192)  # every label is read by each table's parser, and labels recur
def strip_notes(text: str) -> str:
    """Remove bracketed notes, keep enumerators: "(二)部分公开(区分处理的…)" -> "(二)部分公开"."""
    text = _nfkc(text)
    while True:
        shorter = L.NOTE_RE.sub("", text)
        if shorter == text:
            return text
        text = shorter


def enumerator(text: str) -> str | None:
    """The enumerator opening a label: "(三)不予公开" -> "三", "3.其他" -> "3", "规章" -> None."""
    m = L.ENUMERATOR_RE.match(strip_notes(text))
    if not m:
        return None
    return next(g for g in m.group("cn", "pcn", "num", "pnum") if g)


@lru_cache(maxsize=8192)  # the same labels recur in every row a span covers and every report
def label_key(text: str) -> str:
    """What a label is compared by: no enumerator, notes, whitespace, quotes or punctuation.

    >>> label_key("(二)部分公开（区分处理的，只计这一情况，不计其他情况）")
    '部分公开'
    >>> label_key("商业 企业") == label_key("商业企业"), label_key("第二十条第（一）项")
    (True, '第二十条第(一)项')
    >>> label_key('3.危及"三安全一稳定"') == label_key("危及“三安全一稳定”")
    True
    >>> label_key("本年新收政府信息公開申請數量") == label_key("本年新收政府信息公开申请数量")
    True
    """
    # Mirror copies are in traditional script (政府信息公開申請數量): compare in simplified.
    text = to_simplified(strip_notes(text))
    text = L.ENUMERATOR_RE.sub("", text, count=1)
    text = L.KEY_DROP_RE.sub("", text)
    for a, b in L.KEY_SYNONYMS:
        text = text.replace(a, b)
    return text


@lru_cache(maxsize=8192)  # a report's ~450 cells are mostly the same few values ("0", "", "-")
def is_value(text: str) -> bool:
    """True for what a table writes in a number's place: numbers, "160.59万元", "-", "/", "无", ""."""
    t = re.sub(r"\s+", "", _nfkc(text))
    return t in L.NULL_TOKENS or bool(L.NUMBER_RE.match(t))


@lru_cache(maxsize=8192)
def parse_value(text: str) -> tuple[Number | None, str | None]:
    """A cell's value and unit: "160.59万元" -> (160.59, "万元"), "12" -> (12, None), "-" -> (None, None).

    >>> parse_value("160.59万元"), parse_value("1,234"), parse_value("/"), parse_value("-8")
    ((160.59, '万元'), (1234, None), (None, None), (-8, None))
    """
    t = re.sub(r"\s+", "", _nfkc(text))
    m = L.NUMBER_RE.match(t)
    if not m:
        return None, None
    num = m.group("num").replace(",", "")
    value: Number = float(num) if "." in num else int(num)
    return value, to_simplified(m.group("unit")) if m.group("unit") else None


def _label_parts(text: str) -> list[str]:
    """Split merged label text where a new enumerated label starts (notes removed first)."""
    text = strip_notes(text)
    starts = sorted({0, *(m.start() for m in L.PART_START_RE.finditer(text))})
    parts = [text[a:b].strip() for a, b in zip(starts, starts[1:] + [len(text)])]
    return [p for p in parts if label_key(p)]


class _Labels:
    """Canonical labels of one table dimension, found by key, then by similarity."""

    def __init__(self, entries: dict[str, tuple[str, ...]]) -> None:
        self.by_key: dict[str, str] = {}
        self._fuzzy: dict[str, str | None] = {}  # key -> best similar label (memo; bounded)
        for canon, variants in entries.items():
            for text in (canon.split("/")[-1], *variants):
                self.by_key.setdefault(label_key(text), canon)

    def match(self, text: str, fuzzy: bool = True) -> str | None:
        key = label_key(text)
        if not key:
            return None
        if key in self.by_key:
            return self.by_key[key]
        if not fuzzy or len(key) < 4:
            return None
        if key not in self._fuzzy:
            if len(self._fuzzy) > 20000:
                self._fuzzy.clear()
            self._fuzzy[key] = self._similar(key)
        return self._fuzzy[key]

    def _similar(self, key: str) -> str | None:
        best, best_ratio = None, FUZZY_RATIO
        for known, canon in self.by_key.items():
            # 2·min/(sum of lengths) bounds the ratio: prose lines never reach the costly part.
            if len(known) < 4 or 2 * min(len(key), len(known)) < best_ratio * (len(key) + len(known)):
                continue
            matcher = SequenceMatcher(None, key, known)
            if matcher.quick_ratio() < best_ratio:
                continue
            ratio = matcher.ratio()
            if ratio >= best_ratio:
                best, best_ratio = canon, ratio
        return best


_T2_ROWS = _Labels({k: v[1] for k, v in L.TABLE2_ROWS.items()})
_T2_COLS = _Labels({k: v[1] for k, v in L.TABLE2_COLUMNS.items()})
_T3_ROWS = _Labels({**{k: v[1] for k, v in L.TABLE3_ROWS.items()}, **L.TABLE3_HEADINGS})
_T3_COLS = _Labels(L.TABLE3_COLUMNS)
_T4_GROUPS = _Labels(L.TABLE4_GROUPS)
_T4_RESULTS = _Labels(L.TABLE4_RESULTS)
_T2_INFO = {label_key(h) for h in L.TABLE2_HEAD}
_MARKERS = {name: tuple(label_key(w) for w in words) for name, words in L.TABLE_MARKERS.items()}

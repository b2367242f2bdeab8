"""Repair text artefacts of copied government pages and tell the script (pure core).

Spam mirrors convert simplified pages to traditional and flatten ruby text into parentheses,
leaving "市發(fā)改委認(rèn)真" — the annotations are removed, the script is kept as published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipelines.patterns import PINYIN_AFTER_ANY_RE, PINYIN_ANNOTATION_RE, PINYIN_MIN_HITS

_HAN = re.compile(r"[\u3400-\u9fff]")


@dataclass
class Repaired:
    """Repaired text and the repairs made (names stored as flags in the archive)."""

    text: str
    repairs: list[str] = field(default_factory=list)

    @property
    def from_mirror(self) -> bool:
        return "pinyin_annotations" in self.repairs


def strip_pinyin_annotations(text: str, min_hits: int = PINYIN_MIN_HITS) -> Repaired:
    """Remove pinyin inserted after characters when a page is annotated throughout.

    >>> strip_pinyin_annotations("市發(fā)改委認(rèn)真貫徹落實(shí)").text
    '市發改委認真貫徹落實'

    Fewer than ``min_hits`` annotations are left alone: a lone "(a)" in real text is not a
    mirror's artefact. Once a page's body proved to be annotated, its title is repaired with
    ``min_hits=1``.
    """
    hits = len(PINYIN_ANNOTATION_RE.findall(text))
    if hits < min_hits:
        return Repaired(text)
    # Once a text is known to be annotated, annotations after garbled characters go too: the
    # same mirrors annotate their own mojibake ("開展?,F(xiàn)將" for "開展。現將").
    return Repaired(PINYIN_AFTER_ANY_RE.sub(r"\1", text), ["pinyin_annotations"])


@lru_cache(maxsize=1)
def _t2s():  # noqa: ANN202 - opencc has no type stubs
    import opencc

    return opencc.OpenCC("t2s")


def detect_script(text: str, sample: int = 4000) -> str | None:
    """``"traditional"`` or ``"simplified"`` for Chinese text, None when it has no Han characters.

    Converts a sample to simplified with OpenCC and counts the characters that change: almost
    none in simplified text, about one in five in traditional text.

    >>> detect_script("政府資訊公開年度報告"), detect_script("政府信息公开年度报告")
    ('traditional', 'simplified')
    """
    chunk = text[:sample]
    han = _HAN.findall(chunk)
    if not han:
        return None
    converted = _t2s().convert(chunk)
    changed = sum(map(str.__ne__, chunk, converted))
    return "traditional" if changed / len(han) > 0.04 else "simplified"


def to_simplified(text: str) -> str:
    """Simplified-Chinese copy of ``text`` (for matching; never stored in place of the original)."""
    return _t2s().convert(text)

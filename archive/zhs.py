"""Simplified-Chinese matching copies for cross-script search (archive layer, used by schema, store and Datasette).

Reports arrive in either script, and the same phrase differs by vocabulary as well as by
character: a Taiwan-style mirror writes 政府資訊公開 where the mainland original says 政府信息公开.
Originals are never changed; a *copy* converted with OpenCC ``tw2sp`` (characters and Taiwan
phrases to mainland simplified) is indexed next to them, and queries are expanded the same way,
so 資訊公開 and 信息公开 find each other.
"""

from __future__ import annotations

import threading

# Recorded with the data so a reader knows how ``*_zhs`` columns were made.
NORMALIZER = "opencc:tw2sp"


_local = threading.local()  # one converter per thread: Datasette runs SQL functions on a thread pool


def _converter(config: str):  # noqa: ANN202 - opencc has no type stubs
    converters = _local.__dict__.setdefault("converters", {})
    if config not in converters:
        import opencc

        converters[config] = opencc.OpenCC(config)
    return converters[config]


def simplified_copy(text: str | None) -> str | None:
    """The simplified copy stored beside ``text``, or None when ``text`` has no traditional characters.

    >>> simplified_copy("市發改委政府資訊公開工作年度報告")
    '市发改委政府信息公开工作年度报告'
    >>> simplified_copy("政府信息公开工作年度报告") is None
    True

    Text that is already simplified gets no copy (NULL): the index would only hold it twice, and
    ``tw2sp``'s Taiwan-phrase table would rewrite mainland words (政策文件 → 政策文档).
    """
    if not text or _converter("t2s").convert(text) == text:
        return None
    return _converter("tw2sp").convert(text)


def simplified_characters(text: str) -> str:
    """``text`` converted character by character (OpenCC t2s), keeping Taiwan vocabulary.

    >>> simplified_characters("政府資訊公開")
    '政府资讯公开'
    """
    return _converter("t2s").convert(text)


def query_variants(query: str) -> list[str]:
    """The forms of a search term to look for: itself, plus its simplified forms if it has any.

    >>> query_variants("資訊公開")
    ['資訊公開', '资讯公开', '信息公开']
    >>> query_variants("信息公开")
    ['信息公开']

    Both character-level (t2s) and phrase-level (tw2sp) forms are kept: an index copy made by
    ``tw2sp`` holds 信息公开, while a simplified original may well say 资讯.
    """
    variants = [query]
    if _converter("t2s").convert(query) != query:
        for config in ("t2s", "tw2sp"):
            form = _converter(config).convert(query)
            if form not in variants:
                variants.append(form)
    return variants


def fts_phrase_query(query: str) -> str:
    """An FTS5 MATCH expression finding any variant of ``query`` as a phrase (quotes escaped).

    >>> fts_phrase_query('資訊"公開')
    '"資訊""公開" OR "资讯""公开" OR "信息""公开"'
    """
    return " OR ".join('"' + form.replace('"', '""') + '"' for form in query_variants(query))

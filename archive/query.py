"""Search syntax people type, read into a query the archive can run (archive layer: ``gongkai search`` and Datasette).

``公开 申请`` finds reports holding both words, ``"依申请 公开"`` the exact phrase, ``年报 OR 年度报告``
either, and ``-征求意见`` leaves out reports holding that word::

    query = parse_query('信息公开 "依申请公开" 年报 OR 年度报告 -征求意见')
    query.fts_expression()      # narrows candidates through the trigram index
    query.matches(title, body)  # the full meaning, for every candidate

Each word is a substring, looked for in either script (資訊公開 finds 信息公开, archive/zhs.py).
The trigram index answers words of three or more characters only, so a query holding shorter
words narrows through its longer ones and checks the rest in Python; one with no long word at
all is a scan. The same functions serve ``Archive.search`` and the canned Datasette query,
registered on each connection by :func:`register_functions`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from archive.zhs import fts_phrase_query, query_variants, simplified_characters

# Highlight markers put around matches in snippets; readable in JSON and in a terminal, and turned
# into <mark> on Datasette pages (nothing else in captured text ever becomes markup).
MARK_OPEN, MARK_CLOSE = "⟦", "⟧"
# Trigram FTS5 matches nothing for shorter terms (archive/schema.py m001).
TRIGRAM = 3
# An FTS5 expression that is valid and matches nothing: MATCH must never be given NULL
# ("fts5: syntax error near ''"), even in a branch of a query that is switched off.
NO_MATCH = '"\x01\x01\x01"'

# Chinese input methods type full-width quotes, spaces and minus signs; they mean the ASCII ones.
_TYPED = str.maketrans({"“": '"', "”": '"', "＂": '"', "\u3000": " ", "－": "-", "｜": "|"})
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_OR_WORDS = ("OR", "|")


class QueryError(ValueError):
    """A query that cannot be searched; ``str()`` says why in one line."""


@dataclass(frozen=True)
class Clause:
    """One part of a query that must hold: any of ``terms`` occurs (or, if ``excluded``, none does)."""

    terms: tuple[str, ...]
    excluded: bool = False

    @property
    def indexed(self) -> bool:
        """Whether the trigram index can answer this clause alone (every term long enough)."""
        return all(len(term) >= TRIGRAM for term in self.terms)

    def fts(self) -> str:
        expressions = [fts_phrase_query(term) for term in self.terms]
        joined = " OR ".join(expressions)
        return f"({joined})" if len(expressions) > 1 or " OR " in joined else joined


@dataclass(frozen=True)
class SearchQuery:
    """A parsed query: all ``clauses`` must hold. Build it with :func:`parse_query`."""

    clauses: tuple[Clause, ...]

    @property
    def wanted(self) -> list[str]:
        """The terms looked for (not the excluded ones), for highlighting."""
        return [term for clause in self.clauses if not clause.excluded for term in clause.terms]

    def fts_expression(self, *, short_terms: bool = False) -> str | None:
        """An FTS5 expression every match satisfies, or None when the index cannot narrow (all clauses short).

        >>> parse_query("信息公开 年报 OR 年度报告 -征求意见").fts_expression()
        '"信息公开" NOT "征求意见"'

        ``short_terms=True`` keeps the clauses the index cannot answer, as Datasette's table
        search box does (it finds nothing for them; its page says so).
        """
        positive = [c.fts() for c in self.clauses if not c.excluded and (c.indexed or short_terms)]
        if not positive:
            return None
        negative = [c.fts() for c in self.clauses if c.excluded and (c.indexed or short_terms)]
        expression = " AND ".join(positive)
        if negative:
            expression = f"({expression})" if len(positive) > 1 else expression
            expression += " NOT " + (negative[0] if len(negative) == 1 else "(" + " OR ".join(negative) + ")")
        return expression

    @property
    def exact(self) -> bool:
        """Whether :meth:`fts_expression` alone gives exactly the matches (no short term to check)."""
        return all(c.indexed for c in self.clauses) and any(not c.excluded for c in self.clauses)

    def matches(self, *texts: str | None) -> bool:
        """Whether the texts (title, body, their simplified copies) together satisfy the query."""
        haystack = "\n".join(t for t in texts if t).lower()
        return all(any(form.lower() in haystack for term in clause.terms for form in _forms(term))
                   != clause.excluded for clause in self.clauses)


@lru_cache(maxsize=1024)
def _forms(term: str) -> tuple[str, ...]:
    return tuple(query_variants(term))


@lru_cache(maxsize=256)
def parse_query(text: str) -> SearchQuery:
    """Read what someone typed: words (all must occur), "quoted phrases", OR between words, -exclusions.

    >>> [(c.terms, c.excluded) for c in parse_query('公开 申请 OR 答复 -"征求 意见"').clauses]
    [(('公开',), False), (('申请', '答复'), False), (('征求 意见',), True)]

    Full-width “quotes”, spaces and －minus from Chinese input methods count as the ASCII ones;
    an unclosed quote runs to the end. ``OR`` must be upper case (``or`` is a word). A query of
    nothing but exclusions, or of nothing, raises :class:`QueryError`.
    """
    normal = unicodedata.normalize("NFKC", text.translate(_TYPED)) if text else ""
    clauses: list[Clause] = []
    join_next = False
    for match in _TOKEN.finditer(normal):
        minus, phrase, word = match.groups()
        if word is not None:
            if word in _OR_WORDS:
                join_next = bool(clauses) and not clauses[-1].excluded
                continue
            minus, phrase = ("-", word[1:]) if word.startswith("-") and len(word) > 1 else ("", word)
            if phrase == "-":
                continue
        term = phrase.strip() if phrase is not None else ""
        if not term:
            continue
        if minus:
            clauses.append(Clause((term,), excluded=True))
            join_next = False
        elif join_next:
            clauses[-1] = Clause(clauses[-1].terms + (term,))
            join_next = False
        else:
            clauses.append(Clause((term,)))
    if not clauses:
        raise QueryError("nothing to search for: type a word, e.g. 依申请公开")
    if all(c.excluded for c in clauses):
        raise QueryError("a search needs a word to look for besides the -excluded ones")
    return SearchQuery(tuple(clauses))


def _parsed(text: str | None) -> SearchQuery | None:
    try:
        return parse_query(text or "")
    except QueryError:
        return None


def _spans(text: str, forms: list[str]) -> list[tuple[int, int]]:
    """Where any of ``forms`` occurs in ``text`` (case-insensitive), longest first at a position."""
    lower = text.lower()
    spans = []
    for form in sorted({f.lower() for f in forms if f}, key=len, reverse=True):
        start = lower.find(form)
        while start >= 0:
            spans.append((start, start + len(form)))
            start = lower.find(form, start + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def snippet(query: str | SearchQuery, *texts: str | None, width: int = 60) -> str | None:
    """A one-line excerpt around the first match of ``query`` in the first text holding one, marked ⟦like this⟧.

    >>> snippet("公开 申请", "标题", "本年度共收到\\n政府信息公开申请12件", width=20)
    '…政府信息⟦公开⟧⟦申请⟧12…'

    ``width`` is in terminal columns (a Chinese character takes two). Terms are never cut: the
    excerpt grows around the first match and stops before a character that would not fit, and
    any other match it reaches is marked whole or left outside. Line breaks become spaces, so
    the excerpt fits on one table row. A text is read through its character-by-character
    simplified form when only that matches (positions carry over), else its simplified copy.
    """
    parsed = query if isinstance(query, SearchQuery) else _parsed(query)
    if parsed is None:
        return None
    forms = [form for term in parsed.wanted for form in _forms(term)]
    forms += [simplified_characters(term) for term in parsed.wanted]
    for text in texts:
        if not text:
            continue
        spans = _spans(text, forms)
        if not spans:
            simplified = simplified_characters(text)
            if len(simplified) == len(text):  # t2s maps one character to one: positions carry over
                spans = _spans(simplified, forms)
        if spans:
            return _window(re.sub(r"\s", " ", text), spans, width)
    return None


def _window(text: str, spans: list[tuple[int, int]], width: int) -> str:
    starts = {s: e for s, e in spans}
    ends = {e: s for s, e in spans}
    start, end = spans[0]
    budget = width - 2  # room for the two ellipses
    used = _width(text[start:end])
    # Grow the window around the first match, before and after in turn, while it fits; another
    # match is taken in whole or not at all, so no term is ever cut at an edge.
    progressed = True
    while progressed:
        progressed = False
        if start > 0:
            piece_start = ends.get(start, start - 1)
            if used + _width(text[piece_start:start]) <= budget:
                used += _width(text[piece_start:start])
                start, progressed = piece_start, True
        if end < len(text):
            piece_end = starts.get(end, end + 1)
            if used + _width(text[end:piece_end]) <= budget:
                used += _width(text[end:piece_end])
                end, progressed = piece_end, True
    out, at = [], start
    for s, e in spans:
        if start <= s and e <= end:
            out += [text[at:s], MARK_OPEN, text[s:e], MARK_CLOSE]
            at = e
    out.append(text[at:end])
    return ("…" if start > 0 else "") + "".join(out) + ("…" if end < len(text) else "")


def register_functions(conn: Any) -> None:
    """Register the search functions on an sqlite3 connection (an Archive's, or Datasette's).

    ``gongkai_search_fts(q)``: the FTS5 expression narrowing the candidates (a valid expression
    matching nothing when the index cannot help); ``gongkai_search_scan(q)``: 1 when every report
    must be checked instead; ``gongkai_search_exact(q)``: 1 when the index alone answers;
    ``gongkai_search_match(q, title, body, title_zhs, body_zhs)``: 1 when a report satisfies q;
    ``gongkai_search_snippet(q, width, title, body, body_zhs)``: the marked excerpt.
    """

    def fts(q: str | None) -> str:
        parsed = _parsed(q)
        return (parsed.fts_expression() if parsed else None) or NO_MATCH

    def scan(q: str | None) -> int:
        parsed = _parsed(q)
        return int(parsed is not None and parsed.fts_expression() is None)

    def exact(q: str | None) -> int:
        parsed = _parsed(q)
        return int(parsed is not None and parsed.exact)

    def match(q: str | None, *texts: str | None) -> int:
        parsed = _parsed(q)
        return int(parsed is not None and parsed.matches(*texts))

    def excerpt(q: str | None, width: int | None, title: str | None, body: str | None, body_zhs: str | None
                ) -> str | None:
        # the body first (where the words stand in context), the title when only it matches
        return snippet(q or "", body, body_zhs, title, width=int(width or 60))

    conn.create_function("gongkai_search_fts", 1, fts, deterministic=True)
    conn.create_function("gongkai_search_scan", 1, scan, deterministic=True)
    conn.create_function("gongkai_search_exact", 1, exact, deterministic=True)
    conn.create_function("gongkai_search_match", 5, match, deterministic=True)
    conn.create_function("gongkai_search_snippet", 5, excerpt, deterministic=True)

"""Decide how a fetched page's bytes become text, before anything reads them (pure core).

Chinese government sites routinely lie about their charset: a GBK page served as
``charset=utf-8`` (the HTTP header wins in Scrapy and in browsers, so the text comes out as
U+FFFD garbage), a header with no charset and a ``<meta>`` saying gb2312, a UTF-8 page whose
meta still says gb2312 after a CMS migration. The rule here trusts the bytes first:

1. a byte-order mark decides;
2. a declared charset (header, then ``<meta>``) is used only if the bytes decode strictly
   under it, and only when the two declarations agree or one is missing;
3. otherwise charset-normalizer chooses among the declared candidates plus its own guesses.

``gb2312`` and ``gbk`` labels always decode as ``gb18030`` (a superset that also covers rare
characters such as 䶮 used in place names), ``big5`` as ``big5hkscs``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import asdict, dataclass

from charset_normalizer import from_bytes

# How far into the document a <meta> charset is looked for. WHATWG says 1024 bytes; real
# TRS/Hanweb templates put 2-4 KB of comments and scripts first, so look further.
META_SCAN_BYTES = 8192

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([a-zA-Z0-9_\-]+)", re.IGNORECASE)

# Labels that name a narrower charset than pages really use.
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "ascii": "utf-8"}

# Single-byte codecs that decode any byte string, so a strict decode proves nothing. Servers
# default to them (Apache/IIS "charset=ISO-8859-1") on GBK pages that never set a charset.
_DECODES_ANYTHING = {"iso8859-1", "cp1252", "latin-1"}

# GB2312 rows 4, 5 and 7 (hiragana, katakana, Cyrillic) and all Han characters, for
# _big5_read_as_gb.
_GB_KANA_CYRILLIC = re.compile(r"[\u3041-\u3093\u30a1-\u30f6\u0401-\u0451]")
_HAN = re.compile(r"[\u3400-\u9fff]")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class EncodingDecision:
    """What was declared, what was detected, and what was used to decode one body.

    ``reason`` says which rule chose: ``bom``, ``declared``, ``detected`` or ``fallback``.
    """

    chosen: str
    reason: str
    header: str | None = None
    meta: str | None = None
    detected: str | None = None
    bom: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return asdict(self)


def normalize_label(label: str | None) -> str | None:
    """Map a charset label to the Python codec that should decode it, or None if unknown.

    >>> normalize_label("GB2312")
    'gb18030'
    """
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().lower()).name
    except LookupError:
        return None
    return _WIDEN.get(name, name)


def header_charset(content_type: str | None) -> str | None:
    """The raw charset label in a Content-Type header value, if any."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def meta_charset(body: bytes) -> str | None:
    """The raw charset label of the first ``<meta charset>``/http-equiv tag, if any."""
    match = _META_CHARSET.search(body[:META_SCAN_BYTES])
    return match.group(1).decode("ascii", "replace") if match else None


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _detect(body: bytes, candidates: list[str]) -> str | None:
    """charset-normalizer's best guess, preferring declared candidates that decode cleanly."""
    matches = from_bytes(body, cp_isolation=candidates or None)
    best = matches.best()
    if best is None and candidates:
        best = from_bytes(body).best()
    return normalize_label(best.encoding) if best is not None else None


def _big5_read_as_gb(body: bytes) -> bool:
    """Whether a body labelled gb2312/gbk is really Big5.

    Every Big5 byte pair is also a valid GBK pair, so a strict decode proves nothing: Big5
    gateway copies of mainland pages (``/gate/big5/<host>/…``) keep the source template's
    gb2312 meta over Big5 bytes. Read as GBK, Big5's commonest characters (lead bytes
    A4–A7: 一 乙 人 上 …) land in GB2312's kana and Cyrillic rows, which Chinese government
    text hardly ever uses; when they are frequent and the bytes decode as Big5, Big5 it is.
    """
    if b"\xa4" not in body:
        return False
    text = body.decode("gb18030", errors="replace")
    odd = len(_GB_KANA_CYRILLIC.findall(text))
    if odd < 5:  # real GBK pages: stop before counting every Han character (runs on every page)
        return False
    return odd >= len(_HAN.findall(text)) // 50 and _decodes(body, "big5hkscs")


def decide_encoding(body: bytes, content_type: str | None = None) -> EncodingDecision:
    """Choose the codec for ``body`` given the HTTP Content-Type header value (or None).

    A GBK page labelled utf-8 by its header comes out as gb18030:

    >>> page = '<meta charset="gbk"><p>政府信息公开</p>'.encode("gbk")
    >>> decide_encoding(page, "text/html; charset=utf-8").chosen
    'gb18030'
    """
    raw_header = header_charset(content_type)
    raw_meta = meta_charset(body)
    header = normalize_label(raw_header)
    meta = normalize_label(raw_meta)
    seen = {"header": raw_header, "meta": raw_meta}

    for bom, codec in _BOMS:
        if body.startswith(bom):
            return EncodingDecision(codec, "bom", bom=codec, **seen)

    declared = [c for c in (header, meta) if c]
    valid = [c for c in declared if _decodes(body, c)]
    if not body.isascii():
        valid = [c for c in valid if c not in _DECODES_ANYTHING]
    agree = len(set(declared)) <= 1
    if valid and agree:
        if valid[0] == "gb18030" and _big5_read_as_gb(body):
            return EncodingDecision("big5hkscs", "detected", detected="big5hkscs", **seen)
        return EncodingDecision(valid[0], "declared", **seen)

    # Declarations disagree or fail. Pure ASCII bodies are the same under every candidate.
    if body.isascii():
        return EncodingDecision(valid[0] if valid else "utf-8", "declared" if valid else "fallback",
                                **seen)
    if _decodes(body, "utf-8"):
        # UTF-8 is self-validating: multi-byte sequences that happen to be valid UTF-8 are
        # vanishingly rare in GBK/Big5 text, so a strict UTF-8 decode is stronger evidence
        # than a lying label (seen on CMS migrations that kept "charset=gb2312" in templates).
        return EncodingDecision("utf-8", "detected", detected="utf-8", **seen)

    # Ask charset-normalizer, offering the declared charsets and the Chinese family.
    candidates = list(dict.fromkeys(valid + ["gb18030", "big5hkscs"]))
    detected = _detect(body, candidates)
    if detected and _decodes(body, detected):
        return EncodingDecision(detected, "detected", detected=detected, **seen)
    if valid:
        return EncodingDecision(valid[0], "declared", detected=detected, **seen)
    # Nothing decodes strictly (a truncated or corrupt body): fall back to the declaration,
    # else gb18030, and let the caller decode with errors="replace".
    return EncodingDecision(
        (declared or [detected or "gb18030"])[0], "fallback", detected=detected, **seen
    )


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, EncodingDecision]:
    """Decode ``body`` with :func:`decide_encoding`; undecodable bytes become U+FFFD."""
    decision = decide_encoding(body, content_type)
    if decision.bom:
        body = body[len(dict((c, b) for b, c in _BOMS)[decision.bom]):]
    return body.decode(decision.chosen, errors="replace"), decision

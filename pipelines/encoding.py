"""Decide how a fetched page's bytes become text, before anything reads them (pure core).

Chinese government sites routinely lie about their charset: a GBK page served as
``charset=utf-8`` (the HTTP header wins in Scrapy and in browsers, so the text comes out as
U+FFFD garbage), a header with no charset and a ``<meta>`` saying gb2312, a UTF-8 page whose
meta still says gb2312 after a CMS migration. The rule here trusts the bytes first:

1. a byte-order mark decides (and NUL bytes at the start mean UTF-16 without one);
2. a declared charset (header, then ``<meta>``, else ``<?xml encoding>``) is used only if the
   bytes decode strictly under it, and only when the two declarations agree or one is missing;
   when they fail, a meta buried deeper in a long ``<head>`` is looked for;
3. otherwise strict UTF-8, then charset-normalizer among the declared candidates plus its own
   guesses; when nothing decodes strictly, mostly-valid UTF-8, else the codec losing fewest
   characters.

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
# Only when the declarations fail: some heads carry tens of KB of inline scripts and styles
# before the meta, and a short page's bytes are too little evidence for a detector.
LATE_META_SCAN_BYTES = 128 * 1024

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([a-zA-Z0-9_\-]+)""", re.IGNORECASE
)
# XHTML templates (old TRS exports) declare only ``<?xml version="1.0" encoding="gb2312"?>``.
_XML_ENCODING = re.compile(rb"""\s*<\?xml[^>]*?encoding\s*=\s*["']?([a-zA-Z0-9_\-]+)""")
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?\s*([a-zA-Z0-9_\-]+)", re.IGNORECASE)

# Labels that name a narrower charset than pages really use.
_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "ascii": "utf-8"}

# Labels browsers accept (WHATWG Encoding Standard, plus Windows and locale names old CMS
# templates emit) that Python's codec registry does not know, mapped to a codec _WIDEN accepts.
# Unknown, they dropped the declaration, and short pages fell to a Big5 guess.
_LABEL_ALIASES = {
    "gb_2312-80": "gbk", "gb_2312": "gbk", "x-gbk": "gbk", "csgb2312": "gbk", "x-euc-cn": "gbk",
    "iso-ir-58": "gbk", "csiso58gb231280": "gbk", "windows-936": "gbk", "ms936": "gbk",
    "zh-cn": "gbk", "zh_cn": "gbk", "x-mac-chinesesimp": "gbk", "gb-18030": "gb18030",
    "x-big5": "big5", "cn-big5": "big5", "x-x-big5": "big5", "zh-tw": "big5", "windows-950": "big5",
    "unicode-1-1-utf-8": "utf-8", "unicode11utf8": "utf-8", "unicode20utf8": "utf-8",
    "x-unicode20utf8": "utf-8",
    # Without a BOM, Python's "utf-16" means the machine's byte order; WHATWG says little-endian.
    "utf-16": "utf-16-le", "ucs-2": "utf-16-le", "unicode": "utf-16-le", "csunicode": "utf-16-le",
    "iso-10646-ucs-2": "utf-16-le", "unicodefeff": "utf-16-le", "unicodefffe": "utf-16-be",
}

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
    label = label.strip(" \t\"';").lower()
    try:
        name = codecs.lookup(_LABEL_ALIASES.get(label, label)).name
    except LookupError:
        return None
    return _WIDEN.get(name, name)


def header_charset(content_type: str | None) -> str | None:
    """The raw charset label in a Content-Type header value, if any."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def meta_charset(body: bytes, scan: int = META_SCAN_BYTES) -> str | None:
    """The raw charset label of the first ``<meta charset>``/http-equiv tag in the first
    ``scan`` bytes, else of a leading ``<?xml … encoding=…?>`` declaration, if any."""
    match = _META_CHARSET.search(body, 0, scan)
    if match is None and body[:64].lstrip().startswith(b"<?xml"):
        match = _XML_ENCODING.match(body, 0, 512)
    return match.group(1).decode("ascii", "replace") if match else None


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _strict(body: bytes, codecs_: list[str]) -> list[str]:
    """The codecs that decode ``body`` strictly and say something about non-ASCII bytes."""
    valid = [c for c in codecs_ if _decodes(body, c)]
    if not body.isascii():
        valid = [c for c in valid if c not in _DECODES_ANYTHING]
    return valid


def _lost_characters(body: bytes, codec: str) -> int:
    """How many characters a lenient decode of ``body`` under ``codec`` replaces."""
    try:
        return body.decode(codec, errors="replace").count("\ufffd")
    except LookupError:
        return len(body)


# Characters a page may lose to damage and still be read in a codec: this many, or one in
# DAMAGE_RATIO of its non-ASCII bytes, whichever is more.
DAMAGE_CHARACTERS = 8
DAMAGE_RATIO = 500
DAMAGE_SHARE = 20  # and never more than one in this many of its non-ASCII bytes


def _nearly_decodes(body: bytes, codecs_: list[str]) -> str | None:
    """The codec of ``codecs_`` that decodes ``body`` but for a few damaged bytes, if any.

    >>> page = "<p>政府信息公开工作年度报告</p>".encode("gbk")
    >>> _nearly_decodes(page[:9] + b"\\x00" + page[10:], ["gb18030", "utf-8"])
    'gb18030'
    """
    non_ascii = len(body) - len(body.decode("latin-1").encode("ascii", errors="ignore"))
    allowance = max(DAMAGE_CHARACTERS, non_ascii // DAMAGE_RATIO)
    lost = {c: _lost_characters(body, c) for c in dict.fromkeys(codecs_) if c not in _DECODES_ANYTHING}
    best = min(lost, key=lost.__getitem__, default=None)
    if best is None or lost[best] > allowance or lost[best] * DAMAGE_SHARE > non_ascii:
        return None  # a short page's few characters are no evidence: the detector decides
    return best


def _mostly_utf8(body: bytes) -> bool:
    """Whether most non-ASCII characters of ``body`` are valid UTF-8 sequences.

    Read as UTF-8, GBK text keeps about one character in six (its lead bytes B0-BF are UTF-8
    continuation bytes); a UTF-8 page with a GBK footer keeps most of them.
    """
    text = body.decode("utf-8", errors="replace")
    lost = text.count("\ufffd")
    kept = len(text) - len(text.encode("ascii", errors="ignore")) - lost
    return kept >= 2 * lost


def _utf16_without_bom(body: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when the NUL bytes of ``body``'s start fall on one parity."""
    head = body[:512]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > len(head) // 8 and even * 4 <= odd:
        return "utf-16-le"
    if even > len(head) // 8 and odd * 4 <= even:
        return "utf-16-be"
    return None


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
    if body[:2].count(0):
        # HTML starts with "<" or whitespace, never NUL: this is UTF-16 without a BOM, whose
        # ASCII markup no byte-pattern meta search can read and GBK would "decode" strictly.
        utf16 = _utf16_without_bom(body)
        if utf16:
            return EncodingDecision(utf16, "detected", detected=utf16, **seen)

    declared = [c for c in (header, meta) if c]
    valid = _strict(body, declared)
    agree = len(set(declared)) <= 1
    if not valid and raw_meta is None and not body.isascii():
        # The declarations that were found fail (or there are none): look for a meta buried
        # under a long <head> before trusting a detector with weak evidence.
        raw_meta = meta_charset(body, LATE_META_SCAN_BYTES)
        meta = normalize_label(raw_meta)
        if meta:
            seen["meta"] = raw_meta
            declared = [c for c in (header, meta) if c]
            valid = _strict(body, declared)
            # A header that fails the bytes lied; the meta that passes them decides.
            agree = bool(valid) and valid == [meta]
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

    # A few damaged bytes (a flipped bit, a NUL from a broken include, a cut double byte)
    # make every strict decode fail, and charset-normalizer then names a single-byte codepage
    # (cp866, cp1125) that "decodes" the whole GBK page to Cyrillic. A declared codec, or
    # self-validating UTF-8, that loses only a handful of characters is the page's encoding.
    # UTF-8 is tried first, and a page mostly valid as UTF-8 (one with a GBK footer include)
    # is left to the steps below: its UTF-8 bytes lose few characters read as GBK too.
    nearly = _nearly_decodes(body, ["utf-8"]) or (None if _mostly_utf8(body) else _nearly_decodes(body, declared))
    if nearly:
        if nearly == "gb18030" and _big5_read_as_gb(body):
            return EncodingDecision("big5hkscs", "detected", detected="big5hkscs", **seen)
        return EncodingDecision(nearly, "declared" if nearly in declared else "detected",
                                detected=None if nearly in declared else nearly, **seen)

    # Ask charset-normalizer, offering the declared charsets and the Chinese family.
    candidates = list(dict.fromkeys(valid + ["gb18030", "big5hkscs"]))
    detected = _detect(body, candidates)
    if detected and _decodes(body, detected):
        return EncodingDecision(detected, "detected", detected=detected, **seen)
    if valid:
        return EncodingDecision(valid[0], "declared", detected=detected, **seen)
    # Nothing decodes strictly: a GBK page with a truncated double byte in its footer, or a
    # UTF-8 page with a footer include still in GBK. Take the codec that loses the fewest
    # characters, never one that "decodes" anything (it would turn the whole page to
    # mojibake), and let the caller decode with errors="replace".
    if _mostly_utf8(body):
        # Fewest lost characters would pick GBK here: UTF-8 bytes mostly "decode" as GBK.
        return EncodingDecision("utf-8", "fallback", detected=detected, **seen)
    fallbacks = [c for c in declared + [detected, "gb18030", "big5hkscs"]
                 if c and c not in _DECODES_ANYTHING]
    chosen = min(dict.fromkeys(fallbacks), key=lambda codec: _lost_characters(body, codec))
    return EncodingDecision(chosen, "fallback", detected=detected, **seen)


def decode_body(body: bytes, content_type: str | None = None) -> tuple[str, EncodingDecision]:
    """Decode ``body`` with :func:`decide_encoding`; undecodable bytes become U+FFFD."""
    decision = decide_encoding(body, content_type)
    if decision.bom:
        body = body[len(dict((c, b) for b, c in _BOMS)[decision.bom]):]
    return body.decode(decision.chosen, errors="replace"), decision

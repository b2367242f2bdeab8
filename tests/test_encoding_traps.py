"""Encoding traps seen on Chinese government sites: each case is bytes -> codec -> body text."""

from __future__ import annotations

import codecs
from typing import NamedTuple

import pytest

from pipelines.encoding import decide_encoding, decode_body, normalize_label

TEXT = "2019年政府信息公开工作年度报告：本机关全年主动公开政府信息一百二十条。"
SHORT = "年度报告"  # too few characters for charset-normalizer to tell GBK from Big5
TINY = "公开"
FOOTER = "<div>版权所有：某某市人民政府办公室 主办</div>"
RARE = "𠮷野家、王䶮：" + TEXT  # 𠮷 needs GB18030 four-byte codes, 䶮 is a GBK extension
HKSCS = "係咁嘅㗎，本署已公開政府資訊。"  # 嘅 and 㗎 exist only in Big5-HKSCS
LONG_HEAD = "<script>/* " + "var analytics = 1; " * 500 + " */</script>"  # ~10 KB


def page(meta: str | None, text: str = TEXT, head: str = "", title: str = "报告") -> str:
    tag = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">' if meta else ""
    return f"<html><head>{head}{tag}<title>{title}</title></head><body><p>{text}</p></body></html>"


def entities(text: str) -> str:
    return "".join(f"&#{ord(c)};" for c in text)


class Trap(NamedTuple):
    body: bytes
    content_type: str | None
    chosen: str
    text: str


GBK_SHORT = page(None, SHORT).encode("gbk")

TRAPS = {
    # Apache/IIS default header on a GBK page: ISO-8859-1 "decodes" anything, so it proves nothing.
    "latin1_header_gbk_meta": Trap(page("gbk", SHORT).encode("gbk"), "text/html; charset=ISO-8859-1",
                                   "gb18030", SHORT),
    "latin1_header_no_meta": Trap(GBK_SHORT, "text/html; charset=ISO-8859-1", "gb18030", SHORT),
    # WHATWG and Windows labels Python's codec registry does not know; short pages need them.
    **{f"meta_label_{label}": Trap(page(label, TINY).encode("gbk"), "text/html", "gb18030", TINY)
       for label in ("gb_2312-80", "x-gbk", "cp936", "windows-936", "GB2312", "zh-cn", "chinese",
                     "csgb2312", "x-euc-cn")},
    **{f"header_label_{label}": Trap(GBK_SHORT, f"text/html; charset={label}", "gb18030", SHORT)
       for label in ("x-gbk", "windows-936", '"gbk"', "'gb2312'", "gbk;")},
    "header_spaced_quoted": Trap(GBK_SHORT, 'text/html; charset = "gbk"', "gb18030", SHORT),
    "meta_spaced_quoted": Trap(page(None, SHORT).replace(
        "<head>", "<head><meta http-equiv=\"Content-Type\" content=\"text/html; charset = 'gbk'\">"
    ).encode("gbk"), None, "gb18030", SHORT),
    "header_utf8_alias": Trap(page(None).encode(), "text/html; charset=utf8", "utf-8", TEXT),
    "header_utf8_semicolon": Trap(page(None).encode(), "text/html; charset=UTF-8;", "utf-8", TEXT),
    "meta_unicode_1_1_utf8": Trap(page("unicode-1-1-utf-8", SHORT).encode(), None, "utf-8", SHORT),
    "big5_alias_x_big5": Trap(page("x-big5", HKSCS, title="報告").encode("big5hkscs"), None,
                              "big5hkscs", HKSCS),
    # A meta after ~10 KB of inline scripts, on a page too short for detection.
    "meta_after_long_head": Trap(page("gbk", TINY, head=LONG_HEAD).encode("gbk"), None,
                                 "gb18030", TINY),
    "meta_after_long_head_lying_header": Trap(page("gbk", SHORT, head=LONG_HEAD).encode("gbk"),
                                              "text/html; charset=utf-8", "gb18030", SHORT),
    "meta_after_long_head_utf8": Trap(page("utf-8", SHORT, head=LONG_HEAD).encode(), None,
                                      "utf-8", SHORT),
    # XHTML exports declaring their charset only in the XML declaration.
    "xml_declaration_only": Trap(
        ('<?xml version="1.0" encoding="gb2312"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
         f"<head><title>t</title></head><body><p>{TINY}</p></body></html>").encode("gbk"),
        None, "gb18030", TINY),
    "utf8_bom_beats_gbk_meta": Trap(codecs.BOM_UTF8 + page("gbk").encode(), "text/html",
                                    "utf-8", TEXT),
    "utf16le_bom": Trap(codecs.BOM_UTF16_LE + page("utf-16").encode("utf-16-le"), "text/html",
                        "utf-16-le", TEXT),
    "utf16be_bom": Trap(codecs.BOM_UTF16_BE + page("utf-16").encode("utf-16-be"), "text/html",
                        "utf-16-be", TEXT),
    "utf16le_no_bom": Trap(f"<p>{TINY}</p>".encode("utf-16-le"), None, "utf-16-le", TINY),
    "utf16be_no_bom": Trap(f"<p>{TINY}</p>".encode("utf-16-be"), None, "utf-16-be", TINY),
    "utf16be_no_bom_header_utf16": Trap(page(None).encode("utf-16-be"), "text/html; charset=utf-16",
                                        "utf-16-be", TEXT),
    "utf16le_no_bom_header_gbk": Trap(page(None).encode("utf-16-le"), "text/html; charset=gbk",
                                      "utf-16-le", TEXT),
    "gb18030_four_byte_under_gb2312": Trap(page("gb2312", RARE).encode("gb18030"), None,
                                           "gb18030", RARE),
    "hkscs_under_big5": Trap(page("big5", HKSCS, title="報告").encode("big5hkscs"), None,
                             "big5hkscs", HKSCS),
    # A truncated double byte at the end of a footer must not send the page to another codec.
    "gbk_truncated_footer": Trap(page("gbk").encode("gbk") + FOOTER.encode("gbk")[:-9] + b"\xd5",
                                 None, "gb18030", TEXT),
    "gbk_stray_byte_lying_utf8_header": Trap(page("gbk").encode("gbk") + b"\xd5",
                                             "text/html; charset=utf-8", "gb18030", TEXT),
    "gbk_stray_byte_latin1_header": Trap(page(None).encode("gbk") + b"\x81",
                                         "text/html; charset=ISO-8859-1", "gb18030", TEXT),
    # A UTF-8 page whose footer include is still GBK: UTF-8, with the body intact.
    "utf8_page_gbk_footer": Trap(page("utf-8", TEXT * 2).encode() + FOOTER.encode("gbk"), None,
                                 "utf-8", TEXT),
    "utf8_page_gbk_footer_no_label": Trap(page(None, TEXT * 2).encode() + FOOTER.encode("gbk"),
                                          None, "utf-8", TEXT),
    "utf8_page_gbk_footer_gb2312_meta": Trap(page("gb2312", TEXT * 2).encode()
                                             + FOOTER.encode("gbk"), None, "utf-8", TEXT),
    # All characters as entities: pure ASCII, any codec reads it the same.
    "entities_only": Trap(page("gbk", entities(TEXT), title="t").encode("ascii"),
                          "text/html; charset=utf-8", "utf-8", entities(TEXT)),
    # Meta says utf-8 on a short GBK page: charset-normalizer has weak evidence.
    **{f"short_gbk_meta_utf8_{i}": Trap(page("utf-8", s).encode("gbk"), None, "gb18030", s)
       for i, s in enumerate((TINY, "中国", "第一条", SHORT))},
}


@pytest.mark.parametrize("trap", TRAPS.values(), ids=TRAPS.keys())
def test_trap_decodes_to_the_right_text(trap: Trap) -> None:
    text, decision = decode_body(trap.body, trap.content_type)
    assert trap.text in text
    if trap.body.isascii():
        return  # every ASCII-compatible codec gives the same text
    assert decision.chosen == trap.chosen


@pytest.mark.parametrize(("label", "codec"), [
    ("gb_2312-80", "gb18030"), ("x-gbk", "gb18030"), ("windows-936", "gb18030"),
    ("zh-cn", "gb18030"), ("CSGB2312", "gb18030"), ("x-big5", "big5hkscs"), ("cn-big5", "big5hkscs"),
    ("utf8", "utf-8"), ("UTF-8;", "utf-8"), ('"gbk"', "gb18030"), (" 'GB2312' ", "gb18030"),
    ("utf-16", "utf-16-le"), ("unicodefffe", "utf-16-be"), ("x-user-defined", None),
])
def test_browser_labels_normalize(label: str, codec: str | None) -> None:
    assert normalize_label(label) == codec


def test_nul_bytes_in_a_gbk_body_do_not_look_like_utf16() -> None:
    body = page("gbk").encode("gbk").replace(b"<p>", b"<p>\x00\x00")
    assert decide_encoding(body, None).chosen == "gb18030"


def test_late_meta_is_recorded_as_the_meta_declaration() -> None:
    decision = decide_encoding(page("gbk", SHORT, head=LONG_HEAD).encode("gbk"), None)
    assert (decision.meta, decision.reason) == ("gbk", "declared")


def test_valid_declared_charset_skips_the_late_meta_scan() -> None:
    # Common path: a header that decodes the bytes is used without reading past 8 KB.
    body = page("gbk", SHORT, head=LONG_HEAD).encode("gbk")
    decision = decide_encoding(body, "text/html; charset=gbk")
    assert (decision.chosen, decision.reason, decision.meta) == ("gb18030", "declared", None)

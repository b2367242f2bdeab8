"""Encoding decisions: bytes first, declarations only when the bytes agree."""

from pipelines.encoding import decide_encoding, decode_body

TEXT = "2019年政府信息公开工作年度报告：本机关全年主动公开政府信息一百二十条。"


def page(charset_meta: str | None, text: str = TEXT, title: str = "报告") -> str:
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">' if charset_meta else ""
    return f"<html><head>{meta}<title>{title}</title></head><body><p>{text}</p></body></html>"


def test_gbk_page_labelled_utf8_by_header_decodes_as_gbk():
    body = page("gbk").encode("gbk")
    text, decision = decode_body(body, "text/html; charset=utf-8")
    assert decision.chosen == "gb18030"
    assert decision.header == "utf-8" and decision.meta == "gbk"
    assert TEXT in text


def test_gbk_page_labelled_utf8_without_meta_is_detected():
    body = page(None).encode("gbk")
    text, decision = decode_body(body, "text/html; charset=UTF-8")
    assert decision.reason == "detected"
    assert TEXT in text


def test_gb2312_meta_without_header_charset_decodes_as_gb18030():
    body = page("gb2312").encode("gbk")
    text, decision = decode_body(body, "text/html")
    assert (decision.chosen, decision.reason, decision.header) == ("gb18030", "declared", None)
    assert TEXT in text


def test_rare_character_beyond_gb2312_survives_under_gb2312_label():
    rare = "䶮𠀀南宁市邕宁区"  # 䶮 is GBK extension, 𠀀 needs GB18030 four-byte codes
    body = page("gb2312", rare + TEXT).encode("gb18030")
    text, decision = decode_body(body, None)
    assert rare in text and decision.chosen == "gb18030"


def test_big5_page_decodes():
    trad = "二零一三年，我廳認真貫徹《中華人民共和國政府信息公開條例》。"
    body = page("big5", trad, "報告").encode("big5")
    text, decision = decode_body(body, "text/html")
    assert trad in text
    assert decision.chosen == "big5hkscs"


def test_big5_page_without_any_declaration_is_detected():
    trad = "二零一三年，我廳認真貫徹《中華人民共和國政府信息公開條例》，強化認識，深入推進，主要開展了以下工作。" * 3
    text, decision = decode_body(page(None, trad, "報告").encode("big5"), "text/html")
    assert trad in text and decision.reason == "detected"


def test_utf8_page_whose_meta_lies_gb2312_decodes_as_utf8():
    body = page("gb2312").encode("utf-8")
    text, decision = decode_body(body, "text/html")
    assert decision.chosen == "utf-8"
    assert TEXT in text


def test_bom_beats_a_lying_header():
    body = b"\xef\xbb\xbf" + page(None).encode("utf-8")
    text, decision = decode_body(body, "text/html; charset=gbk")
    assert decision.reason == "bom"
    assert text.startswith("<html>") and TEXT in text


def test_latin1_default_header_on_gbk_page_is_not_trusted():
    body = page(None).encode("gbk")
    text, decision = decode_body(body, "text/html; charset=ISO-8859-1")
    assert decision.chosen == "gb18030"
    assert TEXT in text


def test_header_and_meta_that_agree_are_used_without_detection():
    decision = decide_encoding(page("utf-8").encode("utf-8"), "text/html; charset=utf-8")
    assert (decision.reason, decision.detected) == ("declared", None)


def test_decision_records_every_declaration():
    d = decide_encoding(page("gb2312").encode("gbk"), "text/html; charset=utf-8").as_dict()
    assert set(d) == {"chosen", "reason", "header", "meta", "detected", "bom"}
    assert d["header"] == "utf-8" and d["meta"] == "gb2312"


def test_corrupt_bytes_fall_back_without_raising():
    body = page("gbk").encode("gbk")[:-7] + b"\xff\xfe\x81"
    text, decision = decode_body(body, None)
    assert decision.chosen in ("gb18030", "utf-8")
    assert "政府信息公开" in text


BIG5_TEXT = ("本報告根據《中華人民共和國政府信息公開條例》編制，全文包括總體情況、主動公開政府信息情況、"
             "收到和處理政府信息公開申請情況。2023年，本機關主動公開政府信息一百二十條，"
             "收到申請十五件，已全部按時辦結，未發生行政覆議和行政訴訟。")


def test_big5_gateway_copy_keeping_the_gb2312_meta_decodes_as_big5():
    # Big5 byte pairs are all valid GBK pairs, so the gb2312 meta "decodes strictly"
    body = page("gb2312", BIG5_TEXT, "政府信息公開").encode("big5")
    text, decision = decode_body(body, "text/html")
    assert decision.chosen == "big5hkscs" and decision.meta == "gb2312"
    assert BIG5_TEXT in text


def test_simplified_gb2312_pages_stay_gb18030_even_when_big5_could_decode_them():
    long_text = TEXT * 20
    body = page("gb2312", long_text).encode("gb2312")
    text, decision = decode_body(body, "text/html")
    assert decision.chosen == "gb18030" and long_text in text

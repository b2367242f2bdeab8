"""Artefact repair and script detection on real seed texts."""

from demo.seed_texts import SEED_DIR as SEEDS
from pipelines.repair import detect_script, strip_pinyin_annotations


def test_seed_mirror_copy_loses_every_annotation():
    text = (SEEDS / "003_6b84bc51e182e513.txt").read_text(encoding="utf-8")
    repaired = strip_pinyin_annotations(text)
    assert repaired.from_mirror
    assert "(fā)" not in repaired.text and "(rèn)" not in repaired.text
    assert repaired.text.startswith("2017年,市發改委認真貫徹落實黨的十九大精神")


def test_a_few_parenthesised_letters_are_not_annotations():
    text = "按照第(a)项和(b)项规定执行。"
    assert strip_pinyin_annotations(text).text == text


def test_scripts_of_the_seed_texts():
    scripts = {p.name[:3]: detect_script(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))}
    assert scripts == {"000": "simplified", "001": "simplified", "002": "simplified",
                       "003": "traditional", "004": "traditional"}
    assert detect_script("Annual report 2019") is None

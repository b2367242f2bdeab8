"""Regular expressions for dates, metadata labels, report years and classification, as data.

Compiled once at import; each group says where it was seen.
"""

from __future__ import annotations

import re

# Dates: 2015-01-05, 2015/1/5, 2015.01.05, 2015年1月5日, 2015年01月05日 (with optional time).
DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})(?!\d)\s*日?"
)
# The same with Chinese numerals in signature blocks: 二〇一五年一月五日.
CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
CN_DATE_RE = re.compile(
    r"([〇○零O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日"
)

# Date in article URLs: TRS /202401/t20240122_123.html, Hanweb /art/2021/1/28/art_..., and
# Shanghai /nw12344/20200301/<hex>.html.
URL_DATE_RES: tuple[re.Pattern[str], ...] = (
    re.compile(r"/t((?:19|20)\d{2})(\d{2})(\d{2})_"),
    re.compile(r"/art/((?:19|20)\d{2})/(\d{1,2})/(\d{1,2})/"),
    re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})/[0-9a-f]{16,}"),
    re.compile(r"/((?:19|20)\d{2})-(\d{2})/(\d{2})/"),
)

# Labelled metadata (the xxgk table, the line under the title). Labels are matched after all
# whitespace inside them is removed ("索  引 号" -> 索引号). Value: the rest of the cell/line.
# Traditional forms sit beside the simplified ones: character-by-character conversion (Big5
# gateway copies /gate/big5/<host>/…) writes 發布, while OpenCC-style phrase conversion (繁體
# versions of mainland sites, zh-TW copies) writes 发布 as 發佈 — "發佈機構", "發佈日期".
METADATA_LABELS: dict[str, tuple[str, ...]] = {
    "index_no": ("索引号", "索引號", "索取号", "索取號", "信息索引号", "信息索引號", "資訊索引號"),
    "agency": ("发布机构", "發布機構", "發佈機構", "发文机关", "發文機關", "发文单位", "發文單位",
               "发布单位", "發布單位", "發佈單位", "公开责任部门", "公開責任部門", "信息来源", "信息來源",
               "資訊來源", "来源", "來源", "文章来源", "文章來源", "生成单位", "生成單位", "责任部门",
               "責任部門"),
    "doc_number": ("发文字号", "發文字號", "文号", "文號", "发布文号", "發布文號", "發佈文號"),
    "written_date": ("成文日期", "成文時間", "成文时间", "发文日期", "發文日期", "生成日期"),
    "publish_date": ("发布日期", "發布日期", "發佈日期", "发布时间", "發布時間", "發佈時間", "公开日期",
                     "公開日期", "公开时间", "公開時間", "上载日期", "上載日期", "日期", "时间", "時間",
                     "更新时间", "更新時間"),
    "title": ("标题", "標題", "名称", "名稱", "信息名称", "信息名稱", "資訊名稱", "文件名称", "文件名稱"),
    "topic": ("主题分类", "主題分類", "分类", "分類", "组配分类", "組配分類", "信息分类", "信息分類",
              "資訊分類", "主题词", "主題詞", "关键词", "關鍵詞"),
}
LABEL_TO_FIELD: dict[str, str] = {
    label: field for field, labels in METADATA_LABELS.items() for label in labels
}
# "标签:值" inside one text run; the label alternation is longest-first so 发布日期 wins over 日期.
# Labels may be padded inside ("索 引 号：", "文　　号：") as in the xxgk tables, also when a
# template writes each pair as one <li> (newer 区/县 templates) rather than two table cells.
_LABELS_ALT = "|".join("[ \u3000\xa0]*".join(map(re.escape, label))
                       for label in sorted(LABEL_TO_FIELD, key=len, reverse=True))
INLINE_LABEL_RE = re.compile(rf"(?:^|(?<=\s))({_LABELS_ALT})\s*[:：]\s*")

# 索引号 values: 11370900004341590P/2017-00150, 000014349/2017-00110, 0142768-8/2022-00185.
INDEX_NO_RE = re.compile(r"[0-9A-Z]{6,20}(?:-[0-9A-Z])?\s*/\s*\d{4,6}-\d{3,6}")
# 发文字号: 吉政明电〔2022〕1号, 国办公开办函〔2019〕60号, 粤府办[2020]3号.
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d{1,4}\s*号")

# Report year: "2014年度政府信息公开工作年度报告", "2019年政府信息公开年报", "二〇一四年度".
YEAR_IN_TITLE_RE = re.compile(r"((?:19|20)\d{2})\s*年")
CN_YEAR_RE = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年")
# Statistical period in the 2019+ template preamble: 统计期限为2020年1月1日至12月31日.
PERIOD_YEAR_RE = re.compile(r"统计期限?为\s*((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
# "现将我委2014年度政府信息公开工作有关情况" in free-form legacy reports.
BODY_YEAR_RE = re.compile(
    r"((?:19|20)\d{2})\s*年(?:度)?(?:[^。\n]{0,20})?(?:政府信息公开|政务公开|信息公开)"
)

# Classification of an article by its title (and opening text).
REPORT_TITLE_RE = re.compile(
    r"(信息公开|資訊公開|信息公開|政务公开|政務公開|公开工作|公開工作)[^，。\n]{0,16}"
    r"(年度报告|年度報告|年报|年報|工作报告|工作報告|情况报告|情況報告|工作总结|工作總結|报告|報告)"
    r"|(年度报告|年度報告|年报|年報)$"
)
# Titles of documents that sit in the same columns but are not reports.
NOT_REPORT_TITLE_RE = re.compile(
    r"(指南|目录|目錄|制度|规定|規定|办法|辦法|通知|通告|公告|意见|意見|方案|要点|要點|申请表|申請表|"
    r"征集|徵集|评估|評估|考核|督查|督查|通报|通報|函$|的批复|答复|解读|解讀|流程)"
)
# A report can also be recognised by its opening sentence (2019+ template preamble).
REPORT_OPENING_RE = re.compile(
    r"(本(年度)?报告|本(年度)?報告).{0,10}(根据|根據).{0,6}《中华人民共和国政府信息公开条例》"
    r"|现将.{0,30}(政府信息公开|政务公开)(工作)?.{0,12}(报告|汇报|情况)如下"
    r"|現將.{0,30}(政府信息公開|政務公開)(工作)?.{0,12}(報告|匯報|情況)如下"
)

# Pinyin annotations inserted by spam mirrors after each character: 發(fā)改委, 國(guo)務院.
PINYIN_ANNOTATION_RE = re.compile(
    r"([\u3400-\u9fff])\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹ]{1,6})\)"
)
# On a text proven annotated: the same after any visible character (garbled ones included).
PINYIN_AFTER_ANY_RE = re.compile(r"([^\s()（）])\(([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜńňǹ]{1,6})\)")
# At least this many annotations before a page counts as annotated (legit text has "(a)").
PINYIN_MIN_HITS = 3

# A short line near the top carrying a date beside a source/time label: the dateline of
# 2000s portals ("2005年08月16日　来源：新华网", chinaneast.gov.cn) and many news templates.
DATELINE_RE = re.compile(r"(来源|來源|发布|發布|时间|時間|日期|作者|浏览|瀏覽|点击|點擊)")

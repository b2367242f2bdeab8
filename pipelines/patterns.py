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

# A labelled value that is no value: the xxgk table's 名称 "(见标题)" / "详见正文" / "见附件"
# (Hanweb and TRS xxgk modules of 区县 portals leave the field to the editor, who points at the
# heading or the file), "无", a dash or slash, an empty cell. Such a value is missing and the
# field falls back to the heading, <title>, list title or the file's title.
PLACEHOLDER_VALUE_RE = re.compile(
    r"^[\s\u3000(（\[【<《]*(?:详见|詳見|见|見|参见|參見|请见|請見)?(?:标题|標題|正文|附件|原文|文件|下文|内容|內容)"
    r"[\s\u3000)）\]】>》。.]*$"
    r"|^[\s\u3000(（]*(?:无|無|暂无|暫無|空|略|null|none|n/?a)[\s\u3000)）]*$"
    r"|^[\s\u3000\-－—–‒―/／\\_.。·…]*$",
    re.IGNORECASE,
)
# The labels of a date a reader sees as the publication date (the xxgk table's 发布日期, the
# info line's 发布时间, 公开日期): shown on the page, they win over a <meta name="PubDate"> that
# the CMS stamped when the page was last regenerated. Bare 日期/时间/更新时间 are weaker than meta.
VISIBLE_PUBLISH_LABELS = frozenset((
    "发布日期", "發布日期", "發佈日期", "发布时间", "發布時間", "發佈時間", "公开日期", "公開日期",
    "公开时间", "公開時間",
))

# 索引号 values: 11370900004341590P/2017-00150, 000014349/2017-00110, 0142768-8/2022-00185.
INDEX_NO_RE = re.compile(r"[0-9A-Z]{6,20}(?:-[0-9A-Z])?\s*/\s*\d{4,6}-\d{3,6}")
# 发文字号: 吉政明电〔2022〕1号, 国办公开办函〔2019〕60号, 粤府办[2020]3号.
DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d{1,4}\s*号")

# Report year: "2014年度政府信息公开工作年度报告", "2019年政府信息公开年报", "二〇一四年度".
YEAR_IN_TITLE_RE = re.compile(r"((?:19|20)\d{2})\s*年")
CN_YEAR_RE = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年")
# Statistical period in the 2019+ template preamble, as each site words it: "统计期限为2020年1月1日
# 至12月31日" (national template), "所列数据的统计期限自2021年1月1日起至…止", "统计时限为", "统计时间为",
# "统计期为"; legacy reports close it as "数据统计截至2012年12月31日" (the year is the period's end).
PERIOD_YEAR_RE = re.compile(
    r"(?:统计|統計)(?:期限|期间|期間|时限|時限|时间|時間|时段|時段|区间|區間|周期|週期|期)\s*(?:为|為|是|自|从|從|[:：])?"
    r"\s*((?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日"
    r"|(?:统计|統計)[^。\n]{0,6}截[至止]\s*((?:19|20)\d{2})\s*年\s*12\s*月\s*31\s*日"
)
# "现将我委2014年度政府信息公开工作有关情况" in free-form legacy reports. A year that dates the law
# rather than the work is skipped: "根据2019年修订的《中华人民共和国政府信息公开条例》" (the phrase is
# the 条例's name, group 3) and "《条例》（2019年修订）和…政府信息公开" (revision words right after the year).
BODY_YEAR_RE = re.compile(
    r"((?:19|20)\d{2})\s*年(?:度)?([^。\n]{0,20}?)(?:政府信息公开|政务公开|信息公开|政府信息公開|政務公開)"
    r"(条例|條例)?"
)
# Also skipped: a full date ("2022年1月20日，…政府信息公开领导小组召开会议" dates a meeting), unless
# it opens the period ("2021年1月1日至12月31日，本机关政府信息公开…").
BODY_YEAR_LAW_RE = re.compile(
    r"^[^。\n]{0,2}(修订|修正|修訂|施行|颁布|頒布)|^\s*(?!0?1\s*月\s*0?1\s*日)\d{1,2}\s*月"
)

# Classification of an article by its title (and opening text).
# The report phrase: "{机关}{YYYY}年政府信息公开工作年度报告", "…政务公开工作总结", "政府資訊公開工作年度報告",
# 2008-era "政府信息公开工作情况报告". A bare "…年度报告"/"年报" counts only right after a year
# ("2021年年度报告", "2021年报" in a 年报 column): "法治政府建设年度报告" and company 年度报告 are
# other annual reports.
_YEAR = r"(?:(?:19|20)\d{2}|[〇○零一二三四五六七八九]{4})"
REPORT_TITLE_RE = re.compile(
    r"(信息公开|資訊公開|信息公開|政务公开|政務公開|公开工作|公開工作)[^，。\n]{0,16}"
    r"(年度报告|年度報告|年报|年報|工作报告|工作報告|情况报告|情況報告|工作总结|工作總結|报告|報告)"
    rf"|{_YEAR}\s*年?度?\s*(年度报告|年度報告|年报|年報)$"
)
# What a non-report in the same columns is, by the words of its title, in the order they are
# tried: "一图读懂…年度报告" is an infographic before it is an interpretation (一图解读), and
# "关于印发…指南的通知" is read as a guide as it always was. 编制/报送 ("…年度报告编制工作") come
# last: a notice about the work when nothing else says more. Seen in 政府信息公开年报 columns of
# 区县 sites and of provincial departments (解读, 一图读懂, 发布会 beside each year's report).
DOC_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("infographic", ("一图", "一圖", "图解", "圖解", "图说", "圖說", "读懂", "讀懂", "看懂", "长图", "長圖",
                     "动漫", "動漫", "H5", "h5")),
    ("guide", ("指南",)),
    ("catalogue", ("目录", "目錄")),
    ("interpretation", ("解读", "解讀")),
    ("notice", ("通知", "通告", "公告", "公示", "通报", "通報", "征集", "徵集", "的批复", "的批覆", "的函")),
    ("rules", ("制度", "规定", "規定", "办法", "辦法", "流程")),
    ("plan", ("要点", "要點", "方案")),
    ("draft", ("征求意见稿", "征求意見稿", "草案")),
    ("policy", ("意见", "意見")),
    ("form", ("申请表", "申請表")),
    ("evaluation", ("评估", "評估", "考核", "督查", "评议", "評議", "测评", "測評")),
    ("explanation", ("说明", "說明")),
    ("compilation", ("汇总", "匯總")),
    ("event", ("发布会", "發布會", "培训", "培訓", "会议", "會議")),
    ("reply", ("答复", "答覆")),
    ("notice", ("编制", "編制", "报送", "報送")),
)
# Titles of documents that sit in the same columns but are not reports.
NOT_REPORT_TITLE_RE = re.compile(
    "|".join(re.escape(w) for _, words in DOC_KINDS for w in words) + r"|函$"
)
# Before the report phrase: a derived document ("一图读懂XX市2021年…年度报告", "视频解读：…") or a
# notice about the work ("关于做好/报送/征集…年度报告"). A plain "关于XX市2021年…年度报告" or
# "XX厅关于2021年…年度报告" is the report itself on some sites, so 关于 alone says nothing.
DERIVED_TITLE_PREFIX_RE = re.compile(
    r"一图|一圖|图解|圖解|图说|圖說|读懂|讀懂|看懂|解读|解讀|长图|長圖|H5|h5"
    r"|(关于|關於)(做好|报送|報送|开展|開展|加强|加強|编制|編制|征集|徵集|规范|規範|组织|組織|推进|推進|抓好"
    r"|进一步|進一步|评估|評估|考核)"
)
# A notice that issues the report itself ("关于印发XX县2021年政府信息公开工作年度报告的通知", 县 sites)
# is the report when its body carries it (REPORT_OPENING_RE); 转发 forwards another body's report.
TRANSMITTAL_TITLE_RE = re.compile(r"(印发|印發|公布|发布|發布)[《“\s]*[^《》]{0,30}$")
# After the report phrase, "及/和/暨2022年工作要点(计划)": a 总结 combined with next year's plan
# (区县 政务公开工作总结) is still the year's report.
COMBINED_TITLE_REST_RE = re.compile(rf"^[\s，,、]*(及|和|暨|与|與|以及)\s*{_YEAR}\s*年")
# Disclosure under other regimes: 环境信息公开 (环境信息公开办法), 企业信息公开, 党务/村务/厂务/校务/
# 院务/检务/警务/审务 公开, university reports by 学年 (高等学校信息公开办法), reports on 依申请公开
# alone. Such a title is a report of its own kind unless it names 政府信息公开/政务公开 too.
OTHER_REGIME_RE = re.compile(
    r"环境信息公开|環境資訊公開|環境信息公開|企业信息公开|企業資訊公開|企業信息公開|党务公开|黨務公開|村务公开|"
    r"村務公開|厂务公开|廠務公開|校务公开|校務公開|院务公开|院務公開|检务公开|檢務公開|警务公开|警務公開|"
    r"审务公开|審務公開|司法公开|司法公開|学年|學年|依申请公开|依申請公開"
)
GOV_DISCLOSURE_RE = re.compile(r"政府信息公开|政务公开|政府資訊公開|政府信息公開|政務公開")
# A report can also be recognised by its opening sentence (2019+ template preamble), or by the
# announcing sentence of a legacy one: "现将…情况报告如下", "现将2021年度…年度报告公布如下".
REPORT_OPENING_RE = re.compile(
    r"(本(年度)?报告|本(年度)?報告).{0,10}(根据|根據).{0,6}《中华人民共和国政府信息公开条例》"
    r"|现将.{0,30}(政府信息公开|政务公开)(工作)?.{0,12}(报告|汇报|情况)(予以)?(公布|发布|報告|报告)?如下"
    r"|現將.{0,30}(政府信息公開|政務公開)(工作)?.{0,12}(報告|匯報|情況)(予以)?(公布|發布|報告)?如下"
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

# Agencies. A name ends like an agency: 局, 委员会, 人民政府, a 区/县/市 government naming itself in a
# report title ("XX区2020年度政务公开工作年度报告"), in simplified and traditional script.
AGENCY_SUFFIX_RE = re.compile(
    r"(人民政府|政府办公室|办公厅|办公室|委员会|局|厅|委|办|署|院|会|中心|部|处|所|站|政府|法院|检察院|"
    r"人民政府[\u4e00-\u9fff]{0,6}|街道办事处|管理委员会|管委会|公司|镇|乡|街道|市|县|区|州|旗|盟|省|"
    r"廳|會|處|辦|縣|鎮|鄉|區|局|政府|辦公室|委員會)$"
)
# 来源 values that name the website, not an agency ("来源：本网", "本站原创").
NOT_AGENCY_RE = re.compile(r"^(本网|本站|原创|网站|本网站|互联网|网络|未知|无|null|none)(讯|訊|原创|原創)?$", re.I)
# 来源 values that name the medium a text was copied from: a newspaper ("巴彦淖尔日报"), a news site
# or portal ("人民网", "XX市人民政府网", "…门户网站"), a broadcaster or wire ("新华社"), a 县 融媒体中心,
# a 政务新媒体 account ("上海发布", "成都发布"). They say where the text ran, not which agency published it.
MEDIA_SOURCE_RE = re.compile(
    r"(日报|日報|晚报|晚報|晨报|晨報|时报|時報|商报|商報|周报|週報|导报|導報|都市报|報社|报社|网|網|网站|網站|"
    r"电视台|電視台|广播电台|廣播電台|新闻中心|新聞中心|融媒体中心|融媒體中心|融媒中心|客户端|客戶端|公众号|公眾號|"
    r"新华社|新華社|通讯社|通訊社|杂志|雜誌|发布|發布)$"
)
# Where an agency value ends when a template runs several labels together on one line, or puts
# the date after the name ("来源：XX市水利局 2021-01-05").
AGENCY_END_RE = re.compile(
    r"\s+(?=\S*[:：])|\s{2,}|[|｜【\[]|(?:浏览|点击|字体|作者|编辑|责任编辑|发布时间|时间|日期)[:：]"
    r"|\s*(?<!\d)(?:19|20)\d{2}\s*(?:[-/.]|年)\s*\d{1,2}"
)
# In a title, the agency ends where 关于, the year or the disclosure phrase begins: "XX市水利局2014年…",
# "XX县政府信息公开工作2019年年度报告", "XX省教育厅关于2021年…"; "2021年度XX镇政府信息公开年报"
# names it after the year (TITLE_LEADING_YEAR_RE strips that first).
TITLE_AGENCY_END_RE = re.compile(
    rf"(?=\s*(?:关于|關於|{_YEAR}\s*年|政府信息公开|政务公开|信息公开|政府資訊公開|資訊公開|政府信息公開|"
    r"信息公開|政務公開))"
)
TITLE_LEADING_YEAR_RE = re.compile(rf"^\s*(?:关于|關於)?\s*{_YEAR}\s*年度?\s*")
# A link labelled with its year only ("2023年", "2023年度", "2023"): Hanweb and TRS left-menu
# trees file each year's report under such a label. It names no document, so the page's own
# heading is the report's title, not this label.
YEAR_LABEL_RE = re.compile(r"^\s*(?:19|20)\d{2}\s*(?:年度?)?\s*$")
# Words that end like an agency but name none ("政府信息公开…" read as 政府 + 信息公开).
GENERIC_AGENCY_WORDS = frozenset(("政府", "人民政府", "本机关", "本機關", "我局", "我委", "我办", "本局", "本单位"))

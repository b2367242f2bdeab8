"""What an annual-report column, its neighbours and its look-alikes are called on real portals (data only).

Read by :mod:`pipelines.discovery`. Every list carries the traditional forms beside the simplified
ones, because Hong Kong-style and Taiwanese-font portals (and Big5 mirrors of mainland pages)
write 資訊公開/年報. Sources: the 2019 platform norm (国办公开办函〔2019〕61号: one 政府信息公开
column with 指南 / 制度 / 法定主动公开内容 / 年报 / 依申请公开), the registry notes in
``../shared/registry/README.md`` and the column slugs seen in its sample URLs.
"""

from __future__ import annotations

import re

# Link text naming the column itself (weight 10): the norm's name and the common variants.
COLUMN_PHRASES: tuple[str, ...] = (
    "政府信息公开年报", "政府信息公开年度报告", "政府信息公开工作年度报告", "信息公开年报", "信息公开年度报告",
    "信息公开工作年度报告", "政务公开年报", "政府信息公开工作报告", "公开年报",
    "政府資訊公開年報", "政府資訊公開年度報告", "資訊公開年報", "資訊公開年度報告", "政府信息公開年報",
    "信息公開年報", "信息公開工作年度報告", "政府信息公開工作年度報告",
)
# Shorter names that mean the same under a 信息公开 hub (weight 6), but only in short link texts.
SHORT_PHRASES: tuple[str, ...] = ("年度报告", "年报", "年度報告", "年報")
SHORT_TEXT_MAX = 8  # "年报" in a long text is usually a single report's title or a look-alike

# Look-alikes: columns whose names contain 年报/年度报告/报告 but hold something else. A link text
# holding one of these is never the column, whatever else it says.
LOOKALIKE_PHRASES: tuple[str, ...] = (
    "网站工作年度报表", "网站年度报表", "網站工作年度報表", "网站工作报表", "政府网站年报",
    "统计年报", "统计公报", "統計年報", "統計公報", "统计年鉴",
    "政府工作报告", "政府工作報告",
    "企业年报", "企業年報", "年报公示",
    "法治政府建设", "法治政府建設", "依法行政", "住房公积金", "住房公積金",
    "事业单位法人", "事业单位年报", "社会组织年报",
    "预决算", "预算", "决算", "審計", "审计",
    "工作总结", "工作要点", "工作要點", "工作计划",
    "国民经济和社会发展", "环境状况公报", "水资源公报",
)

# Neighbour links of the column under the 2019 norm: each one beside a candidate adds weight.
NEIGHBOUR_PHRASES: tuple[str, ...] = (
    "信息公开指南", "公开指南", "信息公开制度", "公开制度", "法定主动公开内容", "主动公开", "依申请公开",
    "公開指南", "公開制度", "主動公開", "依申請公開",
)

# Hubs worth opening to find the column (政府信息公开 node, 公开目录, 政务公开 …); text or slug.
HUB_PHRASES: tuple[str, ...] = (
    "政府信息公开", "信息公开", "政务公开", "公开目录", "信息公开专栏", "信息公开平台", "部门信息公开",
    "政府資訊公開", "資訊公開", "政務公開", "信息公開", "公開目錄",
)
HUB_SLUG_RE = re.compile(r"(?:^|[/_.?=&-])(?:zfxxgk|xxgk|zwgk|gongkai|gk|xxgkml|gkml|gkmlpt|zfxxgkzl|"
                         r"xxgkzl|zwgkzl|openness|InfoPublic)(?:[/_.?=&-]|$)", re.I)

# Column slugs seen on real portals (TRS may append _NNNN): weight 5.
COLUMN_SLUG_RE = re.compile(
    r"(?:^|[/_.?=&-])(?:zfxxgknb|gknb|xxgknb|zwgknb|zfgknb|nb|ndbg|zfxxgkndbg|xxgkndbg|ndxxgkbg|"
    r"zfxxgkgzndbg|xxgkgzndbg|gzndbg|annualreport|annual_report)(?:_\d+)?(?:[/_.?=&-]|$)", re.I)
COLUMN_QUERY_RE = re.compile(r"(?:type|para|lm|cat|column)=(?:nb|xxgknb|gknb|ndbg)\b", re.I)
# Slugs of look-alike columns (统计年报 tjnb, 政府工作报告 zfgzbg, 网站年度报表 wzndbb …): weight -5.
LOOKALIKE_SLUG_RE = re.compile(
    r"(?:^|[/_.?=&-])(?:tjnb|tjgb|tjsj|zfgzbg|gzbg|wzndbb|wzgzndbb|ndbb|qynb|fzzfjs|fzjs|yjs|czyjs|"
    r"gjj|zfgjj)(?:_\d+)?(?:[/_.?=&-]|$)", re.I)

# A year in a link text: "2023年政府信息公开工作年度报告" names one report, not the column.
YEAR_IN_TEXT_RE = re.compile(r"(?:19|20)\d\d")

# An entry of the candidate page that is one yearly report: a year, then the report's name.
YEARLY_REPORT_RE = re.compile(
    r"(?:19|20)\d\d\s*年?度?.{0,40}?(?:信息公开|資訊公開|信息公開|政务公开|政務公開).{0,12}?"
    r"(?:年度报告|年报|年度報告|年報|工作报告|工作報告)")
# A year folder under the column: "2022年", "2022年度", "2022", "2022年报".
YEAR_FOLDER_RE = re.compile(r"^\s*(?:19|20)\d\d\s*(?:年度?|年度?报告|年报|年報)?\s*$")
# A per-agency or per-region sub-column: the name of a body.
AGENCY_RE = re.compile(r"(?:政府|政府办公厅|政府辦公廳|政府办公室|委员会|委員會|[局厅廳委办辦署院]|"
                       r"[县縣区區市州旗镇鎮乡鄉]|街道)$")

# Where scripts keep menus: any quoted string (which of them name URLs: pipelines.urls.is_script_url).
SCRIPT_STRING_RE = re.compile(r"""(["'])((?:\\.|(?!\1).){1,300}?)\1""")
# A page that only sends the browser on: location = "…", location.href = "…", location.replace("…").
SCRIPT_REDIRECT_RE = re.compile(
    r"""(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*(?:=|\.replace\s*\(|\.assign\s*\()\s*["']([^"']+)["']""")

# Words around a body's name in its homepage title (首页_江苏省人民政府, 北京市人民政府门户网站).
TITLE_NOISE: tuple[str, ...] = ("门户网站", "門戶網站", "官方网站", "官方網站", "政府网站", "网站", "網站",
                                "首页", "首頁", "欢迎您", "欢迎访问")

"""Report texts for the demo sites: real seed texts and synthetic annual reports with tables."""

from __future__ import annotations

import html
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

# Flattened ruby text of spam mirrors: "發(fā)布". Stripped wherever it occurs, because the
# seed mirror also annotates mojibake ("?,F(xiàn)"), not only CJK characters.
PINYIN_ANNOTATION = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,6}\)")



def strip_pinyin(text: str) -> str:
    """Remove flattened pinyin annotations: "發(fā)布機(jī)構(gòu)" -> "發布機構"."""
    return PINYIN_ANNOTATION.sub("", text)


def nfkc(text: str) -> str:
    # The seed corpus is NFKC-normalised (ASCII ",:;()" for the full-width forms); generated
    # text follows it so expected bodies are identical whether or not a crawler normalises.
    return unicodedata.normalize("NFKC", text)


def cn_date(d: date) -> str:
    """A signature-style date: 2015-01-05 -> "2015年1月5日"."""
    return f"{d.year}年{d.month}月{d.day}日"


# --------------------------------------------------------------------------------------
# Structure


@dataclass
class Cell:
    """One table cell as written in HTML (spans are not expanded)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


@dataclass
class Table:
    """A statistics table: ``name`` is 表二/表三/表四/附表, rows are lists of cells."""

    name: str
    rows: list[list[Cell]]
    header_rows: int = 0

    def lines(self) -> list[str]:
        """One line per <tr>: the texts of its own cells joined by a tab."""
        return ["\t".join(c.text for c in row) for row in self.rows]


@dataclass
class Block:
    """A body block: ``kind`` is heading, para, sign (signature line) or table."""

    kind: str
    text: str = ""
    table: Table | None = None


@dataclass
class ReportText:
    """A document body as structure; renders to HTML and to the expected plain text.

    >>> rt = template_report("江州市水利局", 2021, seed=1)
    >>> rt.blocks[1].text
    '一、总体情况'
    """

    title: str
    agency: str
    year: int | None
    family: str  # legacy | t2019 | t2021 | seed | notice | guide | other
    blocks: list[Block]
    written: date | None = None
    script: str = "simplified"
    doc_number: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out: list[str] = []
        for b in self.blocks:
            if b.kind == "table" and b.table is not None:
                out.extend(b.table.lines())
            else:
                out.append(b.text)
        return out

    def body_text(self) -> str:
        """Paragraphs joined by newlines, each table row one tab-separated line."""
        return "\n".join(self.lines())

    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if b.table is not None]

    def to_html(self, style: str = "plain") -> str:
        """Render the body as the inside of a CMS content container.

        ``style`` imitates how the text reached the CMS: ``word`` (pasted from Word: spans,
        lang attributes, MsoNormal tables), ``plain`` (editor <p> with full-width indents),
        ``div`` (one <div> per line, <th> headers).
        """
        render = _RENDERERS[style]
        return "\n".join(render(b) for b in self.blocks)


# --------------------------------------------------------------------------------------
# HTML rendering of blocks

_DIGITS = re.compile(r"(\d[\d.]*)")
_NUMBER = re.compile(r"-?[\d.]+(万元)?|[-/—]")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _word_runs(text: str, font: str, size: str) -> str:
    # Word splits runs at every change of script: digits get their own lang="EN-US" span.
    style = f"font-family:{font};font-size:{size}"
    parts = _DIGITS.split(_esc(text))
    out = []
    for i, part in enumerate(parts):
        if not part:
            continue
        if i % 2:
            out.append(f'<span lang="EN-US" style="font-size:{size};font-family:{font}">'
                       f"{part}</span>")
        else:
            out.append(f'<span style="{style}">{part}</span>')
    return "".join(out)


def _word_block(b: Block) -> str:
    if b.kind == "heading":
        return ('<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt">'
                f'<b>{_word_runs(b.text, "黑体", "16.0pt")}</b><span lang="EN-US"><o:p></o:p>'
                "</span></p>")
    if b.kind == "sign":
        return ('<p class="MsoNormal" align="right" style="text-align:right;line-height:28.0pt">'
                f'{_word_runs(b.text, "仿宋_GB2312", "16.0pt")}</p>')
    if b.kind == "table" and b.table is not None:
        return _table_html(b.table, "word")
    return ('<p class="MsoNormal" style="text-indent:32.0pt;line-height:28.0pt;'
            f'mso-line-height-rule:exactly">{_word_runs(b.text, "仿宋_GB2312", "16.0pt")}'
            '<span lang="EN-US"><o:p></o:p></span></p>')


def _plain_block(b: Block) -> str:
    if b.kind == "heading":
        return f'<p style="text-indent:2em;"><strong>{_esc(b.text)}</strong></p>'
    if b.kind == "sign":
        return f'<p style="text-align:right;">{_esc(b.text)}</p>'
    if b.kind == "table" and b.table is not None:
        return _table_html(b.table, "plain")
    return f"<p>\u3000\u3000{_esc(b.text)}</p>"


def _div_block(b: Block) -> str:
    if b.kind == "heading":
        return f'<div style="text-align: justify;"><b>\u3000\u3000{_esc(b.text)}</b></div>'
    if b.kind == "sign":
        return f'<div style="text-align: right;">{_esc(b.text)}\u3000\u3000</div>'
    if b.kind == "table" and b.table is not None:
        return _table_html(b.table, "div")
    return f'<div style="text-align: justify;">\u3000\u3000{_esc(b.text)}</div>'


_RENDERERS = {"word": _word_block, "plain": _plain_block, "div": _div_block}


def _cell_html(c: Cell, style: str, in_header: bool) -> str:
    span = ""
    if c.rowspan > 1:
        span += f' rowspan="{c.rowspan}"'
    if c.colspan > 1:
        span += f' colspan="{c.colspan}"'
    if style == "word":
        # Word pastes long labels as several runs; keep the break deterministic.
        text = _esc(c.text)
        if len(c.text) > 12 and not c.text.isdigit():
            cut = len(c.text) // 2
            text = (f'{_esc(c.text[:cut])}</span><span style="font-size:10.5pt;'
                    f'font-family:宋体">{_esc(c.text[cut:])}')
        return (f'<td{span} valign="center" style="border:solid windowtext 1.0pt;'
                f'padding:0cm 5.4pt 0cm 5.4pt"><p class="MsoNormal" align="center" '
                f'style="text-align:center"><span style="font-size:10.5pt;font-family:宋体">'
                f"{text}</span></p></td>")
    tag = "th" if (style == "div" and in_header) else "td"
    align = ' align="center"' if (in_header or _NUMBER.fullmatch(c.text)) else ""
    return f"<{tag}{span}{align}>{_esc(c.text)}</{tag}>"


def _table_html(t: Table, style: str) -> str:
    if style == "word":
        head = ('<div align="center"><table class="MsoNormalTable" border="1" cellspacing="0" '
                'cellpadding="0" width="600" style="border-collapse:collapse;border:none">'
                "<tbody>")
        tail = "</tbody></table></div>"
    elif style == "div":
        head = ('<table class="ke-zeroborder" width="100%" border="1" cellspacing="0" '
                'cellpadding="2" style="border-collapse:collapse;">')
        tail = "</table>"
    else:
        head = '<table border="1" cellspacing="0" cellpadding="0" align="center" width="95%">'
        tail = "</table>"
    rows = []
    for i, row in enumerate(t.rows):
        cells = "".join(_cell_html(c, style, i < t.header_rows) for c in row)
        rows.append(f"<tr>{cells}</tr>")
    return head + "\n" + "\n".join(rows) + "\n" + tail


# --------------------------------------------------------------------------------------
# Synthetic reports

SECTIONS_TEMPLATE = (
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
)

APPLICANT_COLUMNS = (
    "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计",
)

TABLE3_NOTE = "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"

# (group label or None, leaf label); group None = a row whose label spans two columns.
TABLE3_LEAVES_2019: tuple[tuple[str | None, str], ...] = (
    (None, "(一)予以公开"),
    (None, "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"),
    ("(三)不予公开", "1.属于国家秘密"),
    ("(三)不予公开", "2.其他法律行政法规禁止公开"),
    ("(三)不予公开", '3.危及"三安全一稳定"'),
    ("(三)不予公开", "4.保护第三方合法权益"),
    ("(三)不予公开", "5.属于三类内部事务信息"),
    ("(三)不予公开", "6.属于四类过程性信息"),
    ("(三)不予公开", "7.属于行政执法案卷"),
    ("(三)不予公开", "8.属于行政查询事项"),
    ("(四)无法提供", "1.本机关不掌握相关政府信息"),
    ("(四)无法提供", "2.没有现成信息需要另行制作"),
    ("(四)无法提供", "3.补正后申请内容仍不明确"),
    ("(五)不予处理", "1.信访举报投诉类申请"),
    ("(五)不予处理", "2.重复申请"),
    ("(五)不予处理", "3.要求提供公开出版物"),
    ("(五)不予处理", "4.无正当理由大量反复申请"),
    ("(五)不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    (None, "(六)其他处理"),
)
TABLE3_LEAVES_2021 = TABLE3_LEAVES_2019[:-1] + (
    ("(六)其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("(六)其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("(六)其他处理", "3.其他"),
)

TABLE4_RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def _self_ref(agency: str) -> str:
    """How a report names its own agency: 江州市水利局 -> 我局, 青溪县人民政府 -> 我县."""
    if agency.endswith("人民政府"):
        level = agency[-5:-4]
        return "我" + level if level in "市县区镇乡" else "本级政府"
    for suffix, ref in (("局", "我局"), ("委员会", "我委"), ("委", "我委"), ("厅", "我厅"),
                        ("办公室", "我办"), ("中心", "我中心"), ("街道办事处", "我街道")):
        if agency.endswith(suffix):
            return ref
    return "本机关"


class _Writer:
    """Draws consistent numbers and phrases for one report."""

    def __init__(self, agency: str, year: int, seed: int) -> None:
        self.rng = random.Random(f"{agency}|{year}|{seed}")
        self.agency = agency
        self.year = year
        self.me = _self_ref(agency)
        self.is_gov = agency.endswith("人民政府")

    def pick(self, options: list[str] | tuple[str, ...], **kw: object) -> str:
        return self.rng.choice(options).format(me=self.me, year=self.year, agency=self.agency,
                                               next=self.year + 1, **kw)

    def n(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)


_FORMAT_NOTICE = {
    False: "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告"
           "格式(试行)〉的通知》(国办公开办函〔2019〕60号)",
    True: "《中华人民共和国政府信息公开工作年度报告格式》(国办公开办函〔2021〕30号)",
}

_PREAMBLE_TEMPLATE = (
    "本报告根据《中华人民共和国政府信息公开条例》(以下简称《条例》)和{notice}要求编制。全文包括总体情况、主动公开政府信息情况、收到和处理政府信息"
    "公开申请情况、政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的"
    "事项。本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。本报告电子版可在"
    "“{site}”门户网站查阅或下载。如对本报告有疑问,请与{agency}办公室联系(地址:{addr};"
    "邮编:{post};电话:{tel};电子邮箱:{mail})。"
)

_OVERVIEW_INTRO = (
    "{year}年,{me}坚持以习近平新时代中国特色社会主义思想为指导,认真贯彻落实党中央、国务院关于"
    "全面推进政务公开的决策部署,严格执行《条例》,围绕中心工作和群众关切,持续加大主动公开力度,"
    "规范依申请公开办理,政府信息公开工作取得新成效。",
    "{year}年,在上级政务公开主管部门的指导下,{me}深入贯彻《条例》和年度政务公开工作要点,"
    "坚持以公开为常态、不公开为例外,不断提升政府信息公开质量和实效,现将有关情况报告如下。",
    "{year}年,{me}认真落实《条例》各项规定,将政府信息公开工作纳入年度重点工作统筹推进,"
    "健全工作机制,拓宽公开渠道,加强政策解读和回应关切,较好保障了人民群众的知情权、参与权、"
    "表达权和监督权。",
)

_OVERVIEW_SUBS = (
    ("(一)主动公开。{year}年,{me}通过门户网站主动公开政府信息{pub}条,其中政策文件{docs}条,"
     "政策解读{jd}篇,发布政务新媒体信息{nm}条。重点做好财政预决算、重大建设项目、"
     "公共资源配置、社会公益事业等领域信息公开,及时回应社会关切。"),
    ("(二)依申请公开。{year}年,{me}共收到政府信息公开申请{new}件,上年结转{carry}件,"
     "已办结{done}件,结转下年度继续办理{nxt}件。严格按照法定程序和时限办理,"
     "做到依法受理、限时答复、规范告知,未发生因超期答复被纠错的情况。"),
    ("(三)政府信息管理。落实公开属性源头认定机制,公文在拟制时同步明确公开属性。"
     "严格执行保密审查制度,坚持“先审查、后公开”和“一事一审”,全年未发生泄密事件。"
     "对规范性文件开展清理,清理结果及时向社会公布。"),
    ("(四)政府信息公开平台建设。持续优化门户网站政府信息公开专栏,按照统一要求设置"
     "政府信息公开指南、政府信息公开制度、法定主动公开内容和政府信息公开年报等栏目,"
     "及时更新栏目内容,方便公众查阅。政务新媒体账号全年运行平稳。"),
    ("(五)监督保障。{me}成立由主要负责同志任组长的政务公开工作领导小组,明确{staff}名工作人员"
     "负责具体工作。组织开展政务公开业务培训{train}次,将政务公开工作纳入年度绩效考核,"
     "全年未发生因政府信息公开工作受到责任追究的情况。"),
)

_TABLE_INTRO = ("详见下表:", "具体情况如下表所示:", "统计数据如下:")

_PROBLEMS = (
    "主动公开的深度和广度有待进一步拓展,部分重点领域信息更新不够及时",
    "政策解读形式较为单一,图解、视频等多元化解读运用不够",
    "依申请公开答复文书的规范化程度还需提高",
    "工作人员多为兼职,业务能力与新形势新要求还有差距",
    "政务新媒体与门户网站的信息联动不够紧密",
    "公众参与和互动回应的渠道还需进一步拓宽",
)

_MEASURES = (
    "加强政策文件的集中公开和动态更新,确保公开内容全面准确",
    "丰富政策解读形式,提高解读的针对性和可读性",
    "规范依申请公开办理流程,严格答复文书审核把关",
    "加强业务培训,提升工作人员依法公开的能力和水平",
    "强化门户网站与政务新媒体协同,提升信息发布时效",
    "完善公众意见收集和反馈机制,主动回应社会关切",
)


def _contact(w: _Writer) -> dict[str, str]:
    roads = ("人民路", "府前路", "文明路", "解放北路", "迎宾大道", "中山二路")
    return {
        "addr": f"{w.agency.split('市')[0] + '市' if '市' in w.agency else ''}"
                f"{w.rng.choice(roads)}{w.n(1, 399)}号",
        "post": f"5{w.n(10000, 39999)}",
        "tel": f"0{w.n(700, 799)}-{w.n(82000000, 89999999)}",
        "mail": f"gkb{w.n(10, 99)}@{w.rng.choice(('163.com', 'jz.gov.cn', 'qq.com'))}",
    }


def _stats_t3(w: _Writer, leaves: tuple[tuple[str | None, str], ...]) -> dict[str, list[int]]:
    """Table 3 numbers: six applicant columns plus 总计, consistent by construction."""
    weights = (0.72, 0.14, 0.01, 0.02, 0.05, 0.06)
    scale = w.n(2, 60)
    leaf_vals: dict[str, list[int]] = {}
    for group, label in leaves:
        key = f"{group or ''}{label}"
        common = label.startswith(("(一)", "(二)", "1.本机关不掌握")) or "重复申请" in label
        vals = []
        for wt in weights:
            mean = scale * wt * (0.6 if common else 0.05)
            vals.append(max(0, int(w.rng.gauss(mean, mean / 2 + 0.3) + 0.5)) if mean > 0.02 else 0)
        leaf_vals[key] = vals
    total = [sum(v[i] for v in leaf_vals.values()) for i in range(6)]
    nxt = [w.n(0, 2) if w.rng.random() < 0.3 else 0 for _ in range(6)]
    carry = [w.rng.randint(0, min(2, t + x)) if w.rng.random() < 0.3 else 0
             for t, x in zip(total, nxt)]
    new = [t + x - c for t, x, c in zip(total, nxt, carry)]
    stats = {"new": new, "carry": carry, "total": total, "next": nxt, **leaf_vals}
    return {k: v + [sum(v)] for k, v in stats.items()}


def _table3(w: _Writer, t2021: bool) -> tuple[Table, dict[str, list[int]]]:
    leaves = TABLE3_LEAVES_2021 if t2021 else TABLE3_LEAVES_2019
    stats = _stats_t3(w, leaves)

    def nums(key: str) -> list[Cell]:
        return [Cell(str(v)) for v in stats[key]]

    rows: list[list[Cell]] = [
        [Cell(TABLE3_NOTE, rowspan=3, colspan=3, header=True),
         Cell("申请人情况", colspan=7, header=True)],
        [Cell("自然人", rowspan=2, header=True), Cell("法人或其他组织", colspan=5, header=True),
         Cell("总计", rowspan=2, header=True)],
        [Cell(h, header=True) for h in APPLICANT_COLUMNS[1:6]],
        [Cell("一、本年新收政府信息公开申请数量", colspan=3)] + nums("new"),
        [Cell("二、上年结转政府信息公开申请数量", colspan=3)] + nums("carry"),
    ]
    result_rows = len(leaves) + 1
    seen_groups: set[str] = set()
    for i, (group, label) in enumerate(leaves):
        row: list[Cell] = []
        if i == 0:
            row.append(Cell("三、本年度办理结果", rowspan=result_rows))
        if group is None:
            row.append(Cell(label, colspan=2))
        else:
            if group not in seen_groups:
                seen_groups.add(group)
                row.append(Cell(group, rowspan=sum(1 for g, _ in leaves if g == group)))
            row.append(Cell(label))
        rows.append(row + nums(f"{group or ''}{label}"))
    rows.append([Cell("(七)总计", colspan=2)] + nums("total"))
    rows.append([Cell("四、结转下年度继续办理", colspan=3)] + nums("next"))
    return Table("表三", rows, header_rows=3), stats


def _table2(w: _Writer, t2021: bool) -> Table:
    # County-level agencies make no 规章; some reports write "/" instead of 0.
    county = "县" in w.agency

    def val(lo: int, hi: int) -> str:
        return "/" if county and w.rng.random() < 0.2 else str(w.n(lo, hi))

    def head(item: str) -> list[Cell]:
        return [Cell(f"第二十条第({item})项", colspan=4, header=True)]

    rows: list[list[Cell]] = []
    if t2021:
        rows += [head("一"),
                 [Cell("信息内容", header=True), Cell("本年制发件数", header=True),
                  Cell("本年废止件数", header=True), Cell("现行有效件数", header=True)]]
        for label in ("规章", "行政规范性文件"):
            made, gone = w.n(0, 6), w.n(0, 3)
            rows.append([Cell(label), Cell(str(made)), Cell(str(gone)),
                         Cell(str(made + w.n(gone, 40)))])
        for item, labels in (("五", ("行政许可",)), ("六", ("行政处罚", "行政强制"))):
            rows += [head(item), [Cell("信息内容", header=True),
                                  Cell("本年处理决定数量", colspan=3, header=True)]]
            rows += [[Cell(lb), Cell(val(0, 3000), colspan=3)] for lb in labels]
        rows += [head("八"), [Cell("信息内容", header=True),
                              Cell("本年收费金额(单位:万元)", colspan=3, header=True)]]
        rows.append([Cell("行政事业性收费"), Cell(f"{w.n(0, 99999) / 100:.2f}", colspan=3)])
        return Table("表二", rows, header_rows=0)
    rows += [head("一"),
             [Cell("信息内容", header=True), Cell("本年新制作数量", header=True),
              Cell("本年新公开数量", header=True), Cell("对外公开总数量", header=True)]]
    for label in ("规章", "规范性文件"):
        made = w.n(0, 8)
        rows.append([Cell(label), Cell(str(made)), Cell(str(made)), Cell(str(made + w.n(0, 60)))])
    for item, labels in (("五", ("行政许可", "其他对外管理服务事项")),
                         ("六", ("行政处罚", "行政强制"))):
        rows += [head(item), [Cell("信息内容", header=True), Cell("上一年项目数量", header=True),
                              Cell("本年增/减", header=True), Cell("处理决定数量", header=True)]]
        for lb in labels:
            rows.append([Cell(lb), Cell(str(w.n(0, 120))), Cell(str(w.n(-5, 8))),
                         Cell(val(0, 2500))])
    rows += [head("八"), [Cell("信息内容", header=True), Cell("上一年项目数量", header=True),
                          Cell("本年增/减", colspan=2, header=True)]]
    rows.append([Cell("行政事业性收费"), Cell(str(w.n(0, 12))), Cell(str(w.n(-2, 1)), colspan=2)])
    rows += [head("九"), [Cell("信息内容", header=True), Cell("采购项目数量", header=True),
                          Cell("采购总金额", colspan=2, header=True)]]
    rows.append([Cell("政府集中采购"), Cell(str(w.n(0, 40))),
                 Cell(f"{w.n(0, 900000) / 100:.2f}万元", colspan=2)])
    return Table("表二", rows, header_rows=0)


def _table4(w: _Writer) -> Table:
    values: list[int] = []
    for _ in range(3):
        parts = [w.n(0, 2) if w.rng.random() < 0.35 else 0 for _ in range(4)]
        values += parts + [sum(parts)]
    rows = [
        [Cell("行政复议", rowspan=2, colspan=5, header=True),
         Cell("行政诉讼", colspan=10, header=True)],
        [Cell("未经复议直接起诉", colspan=5, header=True),
         Cell("复议后起诉", colspan=5, header=True)],
        [Cell(h, header=True) for h in TABLE4_RESULTS * 3],
        [Cell(str(v)) for v in values],
    ]
    return Table("表四", rows, header_rows=3)


def _portal_of(agency: str) -> str:
    """The government portal an agency's report points readers to."""
    for level in "市县区":
        if level in agency:
            return agency.split(level)[0] + level + "人民政府"
    return agency


def _sign_date(w: _Writer) -> date:
    # Departments publish by Jan 31, governments by Mar 31 (条例 art. 49).
    start = date(w.year + 1, 1, 8)
    span = 75 if w.is_gov else 20
    return start + timedelta(days=w.n(0, span))


def _problems_and_plans(w: _Writer) -> list[Block]:
    probs = w.rng.sample(_PROBLEMS, 2)
    meas = w.rng.sample(_MEASURES, 3)
    return [
        Block("para", f"{w.year}年,{w.me}政府信息公开工作取得了一定成效,但也存在一些不足:"
                      f"一是{probs[0]};二是{probs[1]}。"),
        Block("para", f"下一步,{w.me}将重点做好以下工作:一是{meas[0]};二是{meas[1]};"
                      f"三是{meas[2]}。"),
    ]


def _template_blocks(w: _Writer, t2021: bool, site: str) -> list[Block]:
    t2, (t3, stats), t4 = _table2(w, t2021), _table3(w, t2021), _table4(w)
    tot = stats["total"][6]
    nums = {"pub": w.n(80, 3000), "docs": w.n(3, 60), "jd": w.n(2, 40), "nm": w.n(50, 900),
            "new": stats["new"][6], "carry": stats["carry"][6], "done": tot,
            "nxt": stats["next"][6], "staff": w.n(2, 6), "train": w.n(1, 5)}
    blocks = [
        Block("para", _PREAMBLE_TEMPLATE.format(year=w.year, site=site, agency=w.agency,
                                                notice=_FORMAT_NOTICE[t2021], **_contact(w))),
        Block("heading", SECTIONS_TEMPLATE[0]),
        Block("para", w.pick(_OVERVIEW_INTRO)),
    ]
    blocks += [Block("para", s.format(me=w.me, year=w.year, **nums)) for s in _OVERVIEW_SUBS]
    blocks += [Block("heading", SECTIONS_TEMPLATE[1]), Block("table", table=t2),
               Block("heading", SECTIONS_TEMPLATE[2]), Block("para", w.pick(_TABLE_INTRO)),
               Block("table", table=t3),
               Block("heading", SECTIONS_TEMPLATE[3]), Block("table", table=t4),
               Block("heading", SECTIONS_TEMPLATE[4])]
    if t2021:
        blocks.append(Block("para", f"(一){w.year - 1}年度问题整改情况。针对上年度报告中提出的"
                                    f"问题,{w.me}逐项制定整改措施,均已整改到位。"))
    blocks += _problems_and_plans(w)
    blocks.append(Block("heading", SECTIONS_TEMPLATE[5]))
    if t2021:
        fee = w.n(0, 3) * 100 if w.rng.random() < 0.3 else 0
        fee_text = (f"共收取信息处理费{fee}元" if fee else "未收取信息处理费")
        blocks.append(Block("para", "依据《政府信息公开信息处理费管理办法》(国办函〔2020〕109号),"
                                    f"{w.year}年{w.me}{fee_text}。"))
        if w.is_gov:
            blocks.append(Block("para", f"{w.year}年,{w.me}将政务公开工作纳入绩效考核,"
                                        "开展政务公开社会评议,未发生责任追究情况。"))
    else:
        none_to_report = ("无其他需要报告的事项。", "本年度无其他需要报告的事项。")
        blocks.append(Block("para", w.pick(none_to_report)))
    return blocks


# Legacy (≤2018) reports: free-form headings, prose statistics, sometimes a 附表.

_LEGACY_HEADINGS = (
    ("一、概述", "一、主要工作概述", "一、政府信息公开工作概述"),
    ("二、主动公开政府信息情况",),
    ("三、依申请公开政府信息情况",),
    ("四、政府信息公开的收费及减免情况", "四、依申请公开收费及减免情况"),
    ("五、因政府信息公开申请行政复议、提起行政诉讼的情况", "五、复议、诉讼和申诉情况"),
    ("六、政府信息公开工作存在的主要问题及改进措施", "六、存在的主要问题和改进措施"),
    ("七、其他需要报告的事项",),
)

_LEGACY_OVERVIEW = (
    "{year}年,{me}认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于政府信息公开工作的"
    "部署要求,进一步健全工作机制,规范公开流程,扎实推进政府信息公开工作。",
    "{year}年,{me}把政府信息公开工作作为建设法治政府、服务型政府的重要抓手,坚持“公开为原则、"
    "不公开为例外”,依法、及时、准确地公开政府信息,取得了较好成效。",
    "{year}年,在上级政府信息公开主管部门的指导下,{me}围绕中心工作,不断完善政府信息公开工作"
    "制度,创新公开方式,丰富公开内容,政府信息公开工作稳步推进。",
)

_LEGACY_ORG = (
    "(一)加强组织领导。{me}成立了政府信息公开工作领导小组,由主要领导任组长,分管领导任副组长,"
    "各科室负责人为成员,领导小组办公室设在办公室,配备专(兼)职工作人员{staff}名。",
    "(一)健全工作机制。{me}调整充实了政府信息公开工作领导小组,明确分管领导和责任科室,"
    "形成了主要领导亲自抓、分管领导具体抓、责任科室抓落实的工作格局。",
)

_LEGACY_SYSTEM = (
    "(二)完善制度建设。先后制定和完善了《政府信息公开保密审查制度》《依申请公开工作规程》"
    "《政府信息公开责任追究制度》等{rules}项制度,进一步规范了政府信息公开工作。",
    "(二)规范目录编制。按照统一要求,及时更新完善政府信息公开指南和政府信息公开目录,"
    "确保公开内容全面、分类科学、检索方便。",
)


def _legacy_blocks(w: _Writer, site: str) -> tuple[list[Block], Table | None]:
    h = [w.rng.choice(opts) for opts in _LEGACY_HEADINGS]
    pub = w.n(60, 2500)
    web = int(pub * w.rng.uniform(0.6, 0.9))
    gazette = w.n(0, max(1, (pub - web) // 3))
    weibo = w.n(0, pub - web - gazette) if w.year >= 2011 else 0
    wechat = w.n(0, pub - web - gazette - weibo) if w.year >= 2014 else 0
    other = pub - web - gazette - weibo - wechat
    channels = f"通过门户网站公开{web}条,通过政府公报公开{gazette}条"
    if weibo:
        channels += f",通过政务微博公开{weibo}条"
    if wechat:
        channels += f",通过政务微信公开{wechat}条"
    channels += f",通过其他方式公开{other}条"

    apps = [w.n(0, 12), w.n(0, 3), w.n(0, 25), w.n(0, 8)]  # 当面 传真 网络 信函
    total = sum(apps)
    answers = [0] * 8
    for _ in range(total):
        answers[w.rng.choices(range(8), weights=(20, 40, 8, 6, 10, 10, 3, 3))[0]] += 1
    reconsider, lawsuit = (w.n(0, 2), w.n(0, 1)) if total > 5 else (0, 0)
    fee_para = (f"{w.year}年,{w.me}在依申请公开政府信息工作中未收取任何费用,"
                "也未发生减免收费情况。")
    if reconsider or lawsuit:
        dispute = (f"{w.year}年,{w.me}因政府信息公开被申请行政复议{reconsider}件,被提起行政诉讼"
                   f"{lawsuit}件,均依法妥善处理。")
    else:
        dispute = f"{w.year}年,{w.me}未发生因政府信息公开申请行政复议、提起行政诉讼的情况。"

    blocks = [Block("heading", h[0]), Block("para", w.pick(_LEGACY_OVERVIEW)),
              Block("para", w.pick(_LEGACY_ORG, staff=w.n(1, 5))),
              Block("para", w.pick(_LEGACY_SYSTEM, rules=w.n(3, 8))),
              Block("heading", h[1]),
              Block("para", f"{w.year}年,{w.me}共主动公开政府信息{pub}条,其中{channels}。"
                            "公开内容主要包括机构职能、政策法规、规划计划、财政预决算、人事信息、"
                            "行政审批事项及办事指南等。"),
              Block("heading", h[2]),
              Block("para", f"{w.year}年,{w.me}共受理政府信息公开申请{total}件,其中当面申请"
                            f"{apps[0]}件,传真申请{apps[1]}件,网络申请{apps[2]}件,"
                            f"信函申请{apps[3]}件。"),
              Block("para", f"已答复{total}件,其中属于已主动公开范围{answers[0]}件,同意公开"
                            f"{answers[1]}件,同意部分公开{answers[2]}件,不同意公开{answers[3]}件,"
                            f"不属于本机关公开{answers[4]}件,申请信息不存在{answers[5]}件,"
                            f"告知作出更改补充{answers[6]}件,告知通过其他途径办理{answers[7]}件。"),
              Block("heading", h[3]), Block("para", fee_para),
              Block("heading", h[4]), Block("para", dispute),
              Block("heading", h[5])]
    blocks += _problems_and_plans(w)
    blocks += [Block("heading", h[6]),
               Block("para", w.pick(("无。", "本年度无其他需要报告的事项。")))]

    table = None
    if w.year >= 2010 and w.rng.random() < 0.5:
        table = _legacy_table(w, pub, [web, gazette, weibo, wechat, other], apps, answers,
                              reconsider, lawsuit)
    return blocks, table


def _legacy_table(w: _Writer, pub: int, channels: list[int], apps: list[int],
                  answers: list[int], reconsider: int, lawsuit: int) -> Table:
    total = sum(apps)
    rows = [[Cell("统计指标", header=True), Cell("单位", header=True), Cell("统计数", header=True)]]

    def r(label: str, unit: str, value: int | str) -> None:
        rows.append([Cell(label), Cell(unit), Cell(str(value))])

    r("一、主动公开情况", "—", "—")
    r("(一)主动公开政府信息数", "条", pub)
    r("其中:主动公开规范性文件数", "条", w.n(0, 20))
    for label, v in zip(("1.政府公报公开政府信息数", "2.政府网站公开政府信息数",
                         "3.政务微博公开政府信息数", "4.政务微信公开政府信息数",
                         "5.其他方式公开政府信息数"),
                        (channels[1], channels[0], channels[2], channels[3], channels[4])):
        r(label, "条", v)
    r("二、依申请公开情况", "—", "—")
    r("(一)收到申请数", "件", total)
    for label, v in zip(("1.当面申请数", "2.传真申请数", "3.网络申请数", "4.信函申请数"), apps):
        r(label, "件", v)
    r("(二)申请答复数", "件", total)
    for label, v in zip(("1.属于已主动公开范围数", "2.同意公开答复数", "3.同意部分公开答复数",
                         "4.不同意公开答复数", "5.不属于本行政机关公开数", "6.申请信息不存在数",
                         "7.告知作出更改补充数", "8.告知通过其他途径办理数"), answers):
        r(label, "件", v)
    r("三、行政复议数量", "件", reconsider)
    r("四、行政诉讼数量", "件", lawsuit)
    r("五、依申请公开信息收取的费用", "万元", 0)
    r("六、从事政府信息公开工作人员数", "人", w.n(1, 6))
    return Table("附表", rows, header_rows=1)


def template_report(agency: str, year: int, seed: int, *, site: str | None = None) -> ReportText:
    """A synthetic annual report of ``agency`` covering ``year``.

    Years ≥ 2021 use the 2021 national template (表二/表三/表四, 25 data rows in 表三),
    2019–2020 the 2019 template, earlier years free-form legacy text with an optional 附表.
    The body ends with a signature block: the agency and "YYYY年M月D日".
    ``site`` names the portal quoted in the preamble (defaults to the agency's city).

    >>> r = template_report("青溪县人民政府", 2019, seed=3)
    >>> r.family, r.title
    ('t2019', '青溪县人民政府2019年政府信息公开工作年度报告')
    """
    w = _Writer(agency, year, seed)
    site = site or _portal_of(agency)
    if year >= 2019:
        family = "t2021" if year >= 2021 else "t2019"
        blocks = _template_blocks(w, family == "t2021", site)
    else:
        family = "legacy"
        blocks, table = _legacy_blocks(w, site)
        if table is not None:
            blocks += [Block("para", f"附表:{year}年度政府信息公开工作情况统计表"),
                       Block("table", table=table)]
    written = _sign_date(w)
    blocks += [Block("sign", agency), Block("sign", cn_date(written))]
    title = w.rng.choice((f"{agency}{year}年政府信息公开工作年度报告",
                          f"{agency}{year}年度政府信息公开工作年度报告",
                          f"{agency}{year}年政府信息公开年度报告"))
    if year >= 2019 and title.endswith("年度报告") and "工作" not in title:
        title = f"{agency}{year}年政府信息公开工作年度报告"
    for b in blocks:
        b.text = nfkc(b.text)
        if b.table is not None:
            for row in b.table.rows:
                for c in row:
                    c.text = nfkc(c.text)
    return ReportText(nfkc(title), agency, year, family, blocks, written)


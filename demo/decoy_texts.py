"""Texts of the documents that share a disclosure column with the reports (guides, notices,
rules, catalogues, news): the decoys a crawler must keep out of ``reports``."""

from __future__ import annotations

import random
from datetime import date, timedelta

from demo.texts import Block, Cell, ReportText, Table, _self_ref, cn_date, nfkc

# --------------------------------------------------------------------------------------
# Non-report documents that share the column with reports (decoys)


def guide_text(agency: str, year: int) -> ReportText:
    """A 政府信息公开指南: mentions 年度报告 but is not one."""
    me = _self_ref(agency)
    paras = [
        ("para", f"为了更好地提供政府信息公开服务,根据《中华人民共和国政府信息公开条例》,"
                 f"结合{me}实际,编制本指南。申请人在获取{agency}政府信息前,请仔细阅读本指南。"),
        ("heading", "一、主动公开"),
        ("para", "(一)公开范围。对涉及公众利益调整、需要公众广泛知晓或者需要公众参与决策的政府信息,"
                 f"{me}依法主动公开。"),
        ("para", "(二)公开方式。主动公开的政府信息通过门户网站政府信息公开专栏、政府公报、"
                 "新闻发布会以及报刊、广播、电视等便于公众知晓的方式公开。"),
        ("para", "(三)公开时限。属于主动公开范围的政府信息,自该信息形成或者变更之日起20个工作日内"
                 "予以公开。"),
        ("heading", "二、依申请公开"),
        ("para", f"(一)受理机构。名称:{agency}办公室;"
                 "办公时间:工作日上午9:00-12:00,下午14:00-17:30。"),
        ("para", "(二)申请方式。申请人可以通过网络平台、信函、当面提交等方式提出申请,"
                 "并填写《政府信息公开申请表》。"),
        ("para", "(三)答复期限。能够当场答复的,当场予以答复;不能当场答复的,自收到申请之日起"
                 "20个工作日内予以答复。"),
        ("heading", "三、监督和救济"),
        ("para", f"公民、法人或者其他组织认为{me}在政府信息公开工作中侵犯其合法权益的,"
                 f"可以依法申请行政复议或者提起行政诉讼。{me}每年1月31日前公布上一年度政府信息"
                 "公开工作年度报告。"),
    ]
    blocks = [Block(k, nfkc(t)) for k, t in paras]
    return ReportText(nfkc(f"{agency}政府信息公开指南({year}年修订)"), agency, None, "guide",
                      blocks)


def notice_text(issuer: str, year: int, doc_number: str, deadline: date) -> ReportText:
    """A 通知 asking departments to compile their 年度报告: keyword-rich, but not a report."""
    paras = [
        ("para", "各县(市、区)人民政府,市政府各部门、各直属机构:"),
        ("para", f"根据《中华人民共和国政府信息公开条例》规定,为做好{year}年度政府信息公开工作"
                 "年度报告编制和发布工作,现将有关事项通知如下:"),
        ("heading", "一、严格执行统一格式"),
        ("para", "各单位要严格按照《中华人民共和国政府信息公开工作年度报告格式》编制年度报告,"
                 "内容包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
                 "政府信息公开行政复议、行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"),
        ("heading", "二、按时发布年度报告"),
        ("para", f"市政府各部门须于{cn_date(deadline)}前在本单位政府信息公开专栏"
                 "“政府信息公开年报”栏目发布年度报告,并将电子版报送市政务公开办。"),
        ("heading", "三、加强审核把关"),
        ("para", "各单位要认真核对统计数据,确保表格数据勾稽关系准确,文字表述规范。"),
        ("para", "联系人:张XX,电话:0758-82345678。"),
        ("sign", issuer),
        ("sign", cn_date(deadline - timedelta(days=40))),
    ]
    blocks = [Block(k, nfkc(t)) for k, t in paras]
    title = f"关于做好{year}年度政府信息公开工作年度报告编制发布工作的通知"
    return ReportText(nfkc(title), issuer, None, "notice", blocks,
                      written=deadline - timedelta(days=40), doc_number=doc_number)


def rules_text(agency: str) -> ReportText:
    """A 政府信息公开制度 page (a list of rules)."""
    paras = [
        ("para", f"为规范{agency}政府信息公开工作,根据《中华人民共和国政府信息公开条例》,"
                 "制定以下制度:"),
        ("heading", "一、政府信息公开保密审查制度"),
        ("para", "拟公开的政府信息应当依照《中华人民共和国保守国家秘密法》及有关规定进行保密审查,"
                 "未经审查的不得公开。"),
        ("heading", "二、政府信息公开工作考核制度"),
        ("para", "政府信息公开工作纳入年度绩效考核,考核结果作为评先评优的重要依据。"),
        ("heading", "三、政府信息公开年度报告制度"),
        ("para", "每年1月31日前编制并公布上一年度政府信息公开工作年度报告。"),
    ]
    return ReportText(nfkc(f"{agency}政府信息公开制度"), agency, None, "rules",
                      [Block(k, nfkc(t)) for k, t in paras])


def catalogue_text(agency: str) -> ReportText:
    """A 政府信息公开目录 page with a small category table."""
    rows = [[Cell("序号", header=True), Cell("类别", header=True), Cell("公开内容", header=True),
             Cell("公开时限", header=True)]]
    for i, (cat, content) in enumerate((
            ("机构职能", "机构设置、主要职能、内设机构、领导信息"),
            ("政策文件", "规范性文件、政策解读"),
            ("规划计划", "发展规划、年度工作计划"),
            ("财政信息", "部门预算、部门决算、“三公”经费"),
            ("政府信息公开年报", "政府信息公开工作年度报告")), start=1):
        rows.append([Cell(str(i)), Cell(cat), Cell(content), Cell("形成或变更之日起20个工作日内")])
    blocks = [Block("para", nfkc(f"{agency}政府信息公开目录按类别编排如下:")),
              Block("table", table=Table("目录", rows, header_rows=1))]
    return ReportText(nfkc(f"{agency}政府信息公开目录"), agency, None, "catalogue", blocks)


def functions_text(agency: str) -> ReportText:
    """An 机构职能 page."""
    paras = [
        ("para", f"{agency}是县人民政府工作部门,主要职责是:"),
        ("para", "(一)贯彻执行国家、省、市有关方针政策和法律法规,拟订全县相关发展规划并组织实施。"),
        ("para", "(二)负责本部门政务公开和政府信息公开工作,按时编制政府信息公开工作年度报告。"),
        ("para", "(三)完成县委、县政府交办的其他任务。"),
        ("heading", "内设机构"),
        ("para", "办公室、政策法规股、业务股、行政审批服务股。"),
    ]
    return ReportText(nfkc(f"{agency}机构职能"), agency, None, "functions",
                      [Block(k, nfkc(t)) for k, t in paras])


def news_text(title: str, agency: str, seed: int) -> ReportText:
    """A short news item, used for sidebar 热点信息 links outside the column."""
    rng = random.Random(seed)
    paras = [f"近日,{agency}召开专题会议,研究部署{title[:8]}相关工作。",
             "会议强调,要提高政治站位,压实工作责任,确保各项任务落到实处。"
             f"参会人员{rng.randint(20, 90)}人。"]
    return ReportText(nfkc(title), agency, None, "news", [Block("para", nfkc(p)) for p in paras])

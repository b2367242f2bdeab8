"""Page chrome for the demo sites: TRS, Hanweb and unknown-CMS list and article templates."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Chrome:
    """Site-wide chrome values: footer marks, nav, column name, and a script converter.

    ``t`` converts every chrome label (the identity for simplified sites, s2t for the
    traditional one), so a traditional site has traditional boilerplate too.
    """

    site_title: str
    domain: str
    org: str
    undertaker: str
    tech: str
    site_code: str
    icp: str
    gongan: str
    address: str
    column: str
    column_href: str
    t: Callable[[str], str] = field(default=_same)


Link = tuple[str, str]  # (href, text)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# --------------------------------------------------------------------------------------
# Shared pieces

def head(ch: Chrome, title: str, *, charset: str | None, meta: dict[str, str] | None = None,
         css: str = "", base_css: str = "/images/common.css", xhtml: bool = False) -> str:
    """<head> with the charset declaration as given (``charset`` may lie about the bytes)."""
    out = []
    if xhtml:
        out.append('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                   '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
                   '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>')
        if charset:
            out.append(f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />')
    else:
        out.append("<!DOCTYPE html>\n<html>\n<head>")
        if charset:
            out.append(f'<meta charset="{charset}">')
    out.append('<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">')
    out.append('<meta name="viewport" content="width=device-width, initial-scale=1.0">')
    for name, value in (meta or {}).items():
        out.append(f'<meta name="{name}" content="{esc(value)}">')
    out.append(f"<title>{esc(title)}</title>")
    out.append(f'<link href="{base_css}" rel="stylesheet" type="text/css" />')
    out.append('<link href="/images/favicon.ico" rel="shortcut icon" type="image/x-icon" />')
    out.append('<script type="text/javascript" src="/js/jquery-1.11.3.min.js"></script>')
    out.append('<script type="text/javascript" src="/js/common.js"></script>')
    if css:
        out.append(f'<style type="text/css">\n{css}\n</style>')
    out.append(_ZOOM_SCRIPT)
    out.append("</head>")
    return "\n".join(out)


_ZOOM_SCRIPT = """<script type="text/javascript">
function doZoom(size){
    var zoom = document.getElementById('zoom') || document.getElementsByTagName('body')[0];
    zoom.style.fontSize = size + 'px';
    var ps = zoom.getElementsByTagName('p');
    for (var i = 0; i < ps.length; i++) { ps[i].style.fontSize = size + 'px'; }
}
function printit(){ window.print(); }
</script>"""


def top_bar(ch: Chrome) -> str:
    t = ch.t
    return f"""<div class="topbar"><div class="w1200 clearfix">
<span class="fl">{t("欢迎访问")}{esc(ch.site_title)}{t("门户网站!")} <script type="text/javascript">
var d = new Date(); var week = "日一二三四五六".charAt(d.getDay());
document.write("{t("今天是")}" + d.getFullYear() + "年" + (d.getMonth()+1) + "月"
    + d.getDate() + "日 星期" + week);
</script></span>
<span class="fr"><a href="javascript:void(0);" id="cniil_wza">{t("无障碍")}</a> |
<a href="/zzms/index.html">{t("长者模式")}</a> | <a href="/english/" target="_blank">English</a> |
<a href="http://www.gov.cn/" target="_blank">{t("中国政府网")}</a></span>
</div></div>"""


def header(ch: Chrome) -> str:
    t = ch.t
    return f"""<div class="header"><div class="w1200 clearfix">
<div class="logo fl"><a href="/"><img src="/images/logo.png" alt="{esc(ch.site_title)}" /></a></div>
<div class="search fr"><form name="searchform" action="/was5/web/search" method="get"
 target="_blank" onsubmit="return checkSearch(this);">
<input type="hidden" name="channelid" value="246813" />
<input type="text" name="searchword" class="s_input" placeholder="{t("请输入关键字")}" />
<input type="submit" class="s_btn" value="{t("搜索")}" /></form></div>
</div></div>"""


NAV_ITEMS: tuple[Link, ...] = (
    ("/", "网站首页"), ("/jggk/", "机构概况"), ("/zwgk/", "政务公开"),
    ("/zwfw/", "政务服务"), ("/hdjl/", "互动交流"),
)


def nav(ch: Chrome, active: str = "政务公开") -> str:
    items = []
    for href, label in NAV_ITEMS:
        cls = ' class="on"' if label == active else ""
        items.append(f'<li{cls}><a href="{href}">{ch.t(label)}</a></li>')
    return ('<div class="nav"><div class="w1200"><ul class="clearfix">\n' + "\n".join(items)
            + "\n</ul></div></div>")


def breadcrumb(ch: Chrome, extra: Sequence[Link] = (), sep: str = " &gt; ") -> str:
    t = ch.t
    parts = [f'<a href="/">{t("首页")}</a>', f'<a href="/zwgk/">{t("政务公开")}</a>',
             f'<a href="{ch.column_href}">{t(ch.column)}</a>']
    parts += [f'<a href="{h}">{esc(x)}</a>' for h, x in extra]
    return f'<div class="position">{t("当前位置:")}' + sep.join(parts) + "</div>"


def font_sizer(ch: Chrome) -> str:
    t = ch.t
    return (f'<span class="font">【{t("字体")}:<a href="javascript:doZoom(20)">{t("大")}</a> '
            f'<a href="javascript:doZoom(16)">{t("中")}</a> '
            f'<a href="javascript:doZoom(14)">{t("小")}</a>】</span>')


def print_close(ch: Chrome) -> str:
    t = ch.t
    return (f'<div class="article_btn"><a href="javascript:printit();">{t("打印本页")}</a> '
            f'<a href="javascript:window.close();">{t("关闭窗口")}</a></div>')


def share(ch: Chrome) -> str:
    t = ch.t
    return (f'<div class="share clearfix"><span>{t("分享到")}:</span>'
            f'<a href="javascript:void(0);" class="share_wx" title="{t("微信")}"></a>'
            f'<a href="javascript:void(0);" class="share_wb" title="{t("新浪微博")}"></a>'
            f'<a href="javascript:void(0);" class="share_qq" title="{t("QQ空间")}"></a></div>')


def qr_block(ch: Chrome, text: str = "扫一扫在手机打开当前页") -> str:
    return (f'<div class="ewm"><div id="qrcode"></div><p>{ch.t(text)}</p></div>\n'
            '<script type="text/javascript">\n'
            'if (window.QRCode) { new QRCode(document.getElementById("qrcode"), '
            '{text: window.location.href, width: 110, height: 110}); }\n</script>')


def prev_next(ch: Chrome, prev: Link | None, nxt: Link | None) -> str:
    t = ch.t
    p = f'<a href="{prev[0]}">{esc(prev[1])}</a>' if prev else t("没有了")
    n = f'<a href="{nxt[0]}">{esc(nxt[1])}</a>' if nxt else t("没有了")
    return (f'<div class="prev_next"><p>{t("上一篇")}:{p}</p>'
            f'<p>{t("下一篇")}:{n}</p></div>')


def related(ch: Chrome, heading: str, links: Sequence[Link]) -> str:
    items = "".join(f'<li><a href="{h}" target="_blank">{esc(x)}</a></li>' for h, x in links)
    return (f'<div class="related"><div class="related_tit">{ch.t(heading)}</div>'
            f"<ul>{items}</ul></div>")


def hot_sidebar(ch: Chrome, links: Sequence[Link], heading: str = "热点信息") -> str:
    items = "".join(f'<li><a href="{h}" target="_blank" title="{esc(x)}">{esc(x)}</a></li>'
                    for h, x in links)
    return (f'<div class="side_box"><div class="side_tit"><span>{ch.t(heading)}</span>'
            f'<a href="/xwzx/" class="more">{ch.t("更多")}&gt;&gt;</a></div>'
            f'<ul class="side_list">{items}</ul></div>')


XXGK_SUBNAV: tuple[Link, ...] = (
    ("/xxgk/xxgkzn/", "政府信息公开指南"), ("/xxgk/xxgkzd/", "政府信息公开制度"),
    ("/xxgk/fdzdgknr/", "法定主动公开内容"), ("/xxgk/xxgknb/", "政府信息公开年报"),
)


def xxgk_subnav(ch: Chrome, active: str) -> str:
    items = []
    for href, label in XXGK_SUBNAV:
        if label == "政府信息公开年报":
            href = ch.column_href
        cls = ' class="cur"' if label == active else ""
        items.append(f'<li{cls}><a href="{href}">{ch.t(label)}</a></li>')
    return (f'<div class="left_nav"><h3>{ch.t("政府信息公开")}</h3><ul>' + "".join(items)
            + "</ul></div>")


def footer(ch: Chrome) -> str:
    t = ch.t
    return f"""<div class="footer"><div class="w1200">
<div class="foot_link"><a href="/lxwm/">{t("联系我们")}</a> | <a href="/wzdt/">{t("网站地图")}</a> |
<a href="/wzsm/">{t("网站声明")}</a> | <a href="/yqlj/">{t("友情链接")}</a></div>
<div class="foot_con clearfix">
<div class="dzjg fl"><script type="text/javascript">
document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='https://dcs.conac.cn"
  + "/js/23/000/0000/60429971/CA230000000604299710002.js' type='text/javascript'%3E%3C/script%3E"));
</script></div>
<div class="foot_txt fl">
<p>{t("主办单位")}:{esc(ch.org)}&nbsp;&nbsp;{t("承办")}:{esc(ch.undertaker)}</p>
<p>{t("技术支持")}:{esc(ch.tech)}&nbsp;&nbsp;{t("地址")}:{esc(ch.address)}</p>
<p>{t("网站标识码")}:{ch.site_code}&nbsp;&nbsp;<a href="https://beian.miit.gov.cn/"
 target="_blank">{esc(ch.icp)}</a>&nbsp;&nbsp;<img src="/images/gaba.png" alt="" /><a
 href="http://www.beian.gov.cn/portal/registerSystemInfo" target="_blank">{esc(ch.gongan)}</a></p>
</div>
<div class="jiucuo fr"><script id="_jiucuo_" sitecode="{ch.site_code}" src="https://zfwzgl.www.gov.cn/exposure/jiucuo.js"></script></div>
</div></div></div>
<script type="text/javascript">
var _hmt = _hmt || [];
(function() {{
  var hm = document.createElement("script");
  hm.src = "https://hm.baidu.com/hm.js?5c1d3f8e2b7a49d0a6e4f1c9b8d7e6a5";
  var s = document.getElementsByTagName("script")[0];
  s.parentNode.insertBefore(hm, s);
}})();
</script>"""


def xxgk_table(ch: Chrome, fields: Sequence[tuple[str, str]], cls: str = "xxgk_table",
               cols: int = 4) -> str:
    """The 信息公开 metadata table; labels are written as given (padded, full-width colon)."""
    cells = [(f'<td class="xxgk_tl">{ch.t(label)}</td>', f'<td class="xxgk_tc">{esc(value)}</td>')
             for label, value in fields]
    rows = []
    per_row = cols // 2
    for i in range(0, len(cells), per_row):
        chunk = cells[i:i + per_row]
        rows.append("<tr>" + "".join(a + b for a, b in chunk) + "</tr>")
    return (f'<table class="{cls}" width="100%" border="0" cellspacing="0" cellpadding="0">\n'
            + "\n".join(rows) + "\n</table>")


# --------------------------------------------------------------------------------------
# TRS WCM templates

TRS_CSS = """body{margin:0;padding:0;font:12px/1.5 "微软雅黑","宋体",Arial;color:#333;
background:#f3f3f3;}
a{color:#333;text-decoration:none;} a:hover{color:#c00;text-decoration:underline;}
ul,li{list-style:none;margin:0;padding:0;}
.w1200{width:1200px;margin:0 auto;} .fl{float:left;} .fr{float:right;}
.clearfix:after{content:"";display:block;clear:both;}
.topbar{height:32px;line-height:32px;background:#eee;border-bottom:1px solid #ddd;}
.header{height:130px;background:url(/images/header_bg.jpg) no-repeat center top;}
.nav{height:46px;background:#b5120d;} .nav li{float:left;width:240px;text-align:center;}
.nav li a{display:block;color:#fff;font-size:18px;line-height:46px;}
.nav li.on a{background:#8e0c08;}
.position{height:40px;line-height:40px;padding-left:30px;
background:url(/images/home.png) no-repeat 5px center;}
.main{background:#fff;padding:20px 40px 40px;min-height:600px;}
.xxgk_table{border-collapse:collapse;margin:10px 0 20px;background:#f9f9f9;}
.xxgk_table td{border:1px solid #e2e2e2;padding:6px 10px;font-size:14px;}
.xxgk_table td.xxgk_tl{width:100px;font-weight:bold;text-align:right;background:#f1f5fa;}
.article_title{font-size:26px;color:#b5120d;text-align:center;line-height:40px;padding:15px 0;}
.article_info{text-align:center;color:#999;border-bottom:1px dashed #ccc;padding-bottom:10px;}
.TRS_Editor p{font-size:16px;line-height:2em;margin:0;}
.TRS_Editor table{margin:10px auto;border-collapse:collapse;}
.TRS_Editor td{border:1px solid #000;padding:3px;font-size:14px;}
.fj{margin-top:20px;font-size:14px;} .fj a{color:#0645ad;}
.article_btn{text-align:right;margin:20px 0;} .article_btn a{margin-left:15px;}
.ewm{float:right;width:130px;text-align:center;color:#999;}
.prev_next{border-top:1px solid #ddd;padding-top:10px;line-height:28px;}
.related{margin-top:20px;}
.related_tit{font-size:16px;font-weight:bold;border-bottom:2px solid #b5120d;}
.footer{background:#2c2c2c;color:#aaa;padding:20px 0;margin-top:20px;line-height:26px;}
.footer a{color:#aaa;} .foot_link{text-align:center;border-bottom:1px solid #444;}
.list_con li{height:36px;line-height:36px;border-bottom:1px dashed #ddd;font-size:15px;}
.list_con li span.date{float:right;color:#999;}
.page{text-align:center;padding:20px 0;} .page a,.page span{margin:0 4px;}
.left_nav{float:left;width:230px;}
.left_nav h3{background:#b5120d;color:#fff;margin:0;padding:10px;}
.left_nav li{border-bottom:1px solid #eee;line-height:40px;padding-left:20px;}
.left_nav li.cur a{color:#b5120d;font-weight:bold;}
.right_con{float:right;width:900px;}
.side_box{margin-top:20px;} .side_tit{border-bottom:2px solid #b5120d;line-height:34px;}
.side_tit .more{float:right;font-size:12px;color:#999;} .side_list li{line-height:30px;}"""

# The TRS list template writes pagination links with this function at render time; the list
# pages themselves contain no <a> to index_N.html.
CREATE_PAGE_HTML_JS = """<script type="text/javascript">
//分页函数
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
    if(_nPageCount == null || _nPageCount <= 1){
        return;
    }
    var nCurrIndex = _nCurrIndex || 0;
    var sOut = "<span class=\\"total\\">共" + _nPageCount + "页</span>&nbsp;";
    if(nCurrIndex == 0){
        sOut += "<span>首页</span>&nbsp;<span>上一页</span>&nbsp;";
    }else{
        var nPreIndex = nCurrIndex - 1;
        var sPreFile = nPreIndex == 0 ? "" : ("_" + nPreIndex);
        sOut += "<a href=\\"" + _sPageName + "." + _sPageExt + "\\">首页</a>&nbsp;";
        sOut += "<a href=\\"" + _sPageName + sPreFile + "." + _sPageExt + "\\">上一页</a>&nbsp;";
    }
    for(var i = 0; i < _nPageCount; i++){
        var sFile = i == 0 ? "" : ("_" + i);
        if(i == nCurrIndex){
            sOut += "<span class=\\"cur\\">" + (i + 1) + "</span>&nbsp;";
        }else{
            sOut += "<a href=\\"" + _sPageName + sFile + "." + _sPageExt + "\\">"
                + (i + 1) + "</a>&nbsp;";
        }
    }
    if(nCurrIndex == (_nPageCount - 1)){
        sOut += "<span>下一页</span>&nbsp;<span>尾页</span>";
    }else{
        var nNextIndex = nCurrIndex + 1;
        sOut += "<a href=\\"" + _sPageName + "_" + nNextIndex + "." + _sPageExt
            + "\\">下一页</a>&nbsp;";
        sOut += "<a href=\\"" + _sPageName + "_" + (_nPageCount - 1) + "." + _sPageExt
            + "\\">尾页</a>";
    }
    document.write(sOut);
}
</script>"""


def trs_page_call(page_count: int, current: int) -> str:
    return f"""<div class="page"><script type="text/javascript">
var currentPage = {current};//所在页从0开始
var prevPage = currentPage-1;//上一页
var nextPage = currentPage+1;//下一页
var countPage = {page_count};//共多少页
createPageHTML({page_count}, {current}, "index", "html");
</script></div>"""


@dataclass
class ListItem:
    """One entry of a column list page: link as written, full title, displayed date."""

    href: str
    title: str
    date: str


def _short(title: str, limit: int) -> str:
    # List templates cut long titles and keep the full one in the title attribute.
    return title if len(title) <= limit else title[:limit] + "..."


def trs_list_page(ch: Chrome, items: Sequence[ListItem], page_count: int, current: int,
                  hot: Sequence[Link], charset: str) -> str:
    meta = {"SiteName": ch.site_title, "SiteDomain": ch.domain, "SiteIDCode": ch.site_code,
            "ColumnName": ch.column, "ColumnType": ch.column,
            "ColumnDescription": ch.column, "ColumnKeywords": f"{ch.column},政府信息公开"}
    lis = "\n".join(
        f'<li><span class="date">{it.date}</span><a href="{it.href}" target="_blank" '
        f'title="{esc(it.title)}">{esc(_short(it.title, 28))}</a></li>' for it in items)
    return f"""{head(ch, f"{ch.column}_{ch.site_title}", charset=charset, meta=meta, css=TRS_CSS,
                 xhtml=True)}
{CREATE_PAGE_HTML_JS}
<body>
{top_bar(ch)}
{header(ch)}
{nav(ch)}
<div class="w1200">
{breadcrumb(ch)}
<div class="main clearfix">
{xxgk_subnav(ch, ch.column)}
<div class="right_con">
<div class="list_tit"><span>{ch.column}</span></div>
<div class="list_con"><ul>
<!--list begin-->
{lis}
<!--list end-->
</ul></div>
{trs_page_call(page_count, current)}
</div>
{hot_sidebar(ch, hot)}
</div>
</div>
{footer(ch)}
</body>
</html>"""


def trs_article_page(ch: Chrome, *, title: str, body_html: str, pub: str, source: str,
                     xxgk: Sequence[tuple[str, str]], attachments: Sequence[Link],
                     prev: Link | None, nxt: Link | None, rel: Sequence[Link],
                     hits: int, charset: str, nested: bool) -> str:
    meta = {"SiteName": ch.site_title, "SiteDomain": ch.domain, "SiteIDCode": ch.site_code,
            "ColumnName": ch.column, "ColumnType": ch.column, "ArticleTitle": title,
            "PubDate": pub, "ContentSource": source, "Keywords": "政府信息公开,年度报告",
            "Url": f"http://{ch.domain}/xxgk/xxgknb/"}
    inner = f'<div class="Custom_UnionStyle">\n{body_html}\n</div>' if nested else body_html
    fj = ""
    if attachments:
        links = "<br />".join(f'<a href="{h}" target="_blank">{esc(x)}</a>' for h, x in attachments)
        fj = f'<div class="fj"><span>附件:</span>{links}</div>'
    return f"""{head(ch, f"{title}_{ch.site_title}", charset=charset, meta=meta, css=TRS_CSS,
                 xhtml=True)}
<body>
{top_bar(ch)}
{header(ch)}
{nav(ch)}
<div class="w1200">
{breadcrumb(ch)}
<div class="main">
{xxgk_table(ch, xxgk)}
<div class="article">
<div class="article_title">{esc(title)}</div>
<div class="article_info">{font_sizer(ch)}&nbsp;&nbsp;浏览次数:<span id="hits">{hits}</span></div>
<div class="article_con" id="zoom">
<!--ContentStart--><div class="TRS_Editor">{inner}</div><!--ContentEnd-->
</div>
{fj}
{print_close(ch)}
{share(ch)}
{qr_block(ch)}
{prev_next(ch, prev, nxt)}
{related(ch, "相关链接", rel)}
</div>
</div>
</div>
{footer(ch)}
</body>
</html>"""


# --------------------------------------------------------------------------------------
# Hanweb JCMS templates (table layout, <div id="zoom">, 信息内容 comments)

HANWEB_CSS = """body{margin:0;font-size:12px;font-family:"宋体";background:#fff;}
table{border-collapse:collapse;} a{color:#000;text-decoration:none;}
.topbar{background:#f5f5f5;height:30px;line-height:30px;} .fl{float:left;} .fr{float:right;}
.w1200{width:1000px;margin:0 auto;} .header{height:120px;background:#1a5fb4;}
.nav{background:#0b4a98;height:42px;} .nav li{float:left;list-style:none;width:200px;}
.nav li a{color:#fff;font-size:16px;line-height:42px;display:block;text-align:center;}
.bt_link{font-size:14px;line-height:32px;border-bottom:1px dotted #ccc;}
.bt_time{color:#666;font-size:14px;text-align:right;border-bottom:1px dotted #ccc;}
.title{font-size:22px;font-weight:bold;color:#c00;line-height:36px;padding:20px 0 10px;}
.bt_info{color:#666;font-size:12px;border-bottom:1px solid #ddd;padding-bottom:6px;}
#zoom{font-size:16px;line-height:30px;padding:20px 30px;}
#zoom table td{border:1px solid #333;}
.xxgk_table td{border:1px solid #d5e1ee;padding:5px;font-size:13px;}
.default_pgContainer{text-align:center;} .default_pgBtn{margin:0 3px;}
.footer{background:#e9eef4;border-top:3px solid #1a5fb4;padding:15px 0;text-align:center;
line-height:24px;}"""


def hanweb_list_page(ch: Chrome, colid: str, items: Sequence[ListItem], page: int, pages: int,
                     hot: Sequence[Link]) -> str:
    rows = "\n".join(
        f'<tr><td class="bt_link" width="85%"><a href="{it.href}" title="{esc(it.title)}" '
        f'target="_blank">{esc(_short(it.title, 40))}</a></td>'
        f'<td class="bt_time" width="15%">[{it.date}]</td></tr>' for it in items)

    def page_href(n: int) -> str:
        return f"/col/col{colid}/index.html" if n == 1 else f"/col/col{colid}/index_{n}.html"

    parts = []
    if page > 1:
        parts.append(f'<a class="default_pgBtn" href="{page_href(1)}">首页</a>')
        parts.append(f'<a class="default_pgBtn" href="{page_href(page - 1)}">上一页</a>')
    else:
        parts.append('<span class="default_pgBtn">首页</span>'
                     '<span class="default_pgBtn">上一页</span>')
    for n in range(1, pages + 1):
        if n == page:
            parts.append(f'<span class="default_pgCurrent">{n}</span>')
        else:
            parts.append(f'<a class="default_pgNum" href="{page_href(n)}">{n}</a>')
    if page < pages:
        parts.append(f'<a class="default_pgBtn" href="{page_href(page + 1)}">下一页</a>')
        parts.append(f'<a class="default_pgBtn" href="{page_href(pages)}">尾页</a>')
    else:
        parts.append('<span class="default_pgBtn">下一页</span>'
                     '<span class="default_pgBtn">尾页</span>')
    pager = (f'<div class="default_pgContainer">{" ".join(parts)} '
             f'<span class="default_pgTotalPage">共{pages}页</span></div>')
    return f"""{head(ch, f"{ch.site_title} {ch.column}", charset="UTF-8", css=HANWEB_CSS,
                 base_css="/script/0/1604141056424316.css")}
<body>
{top_bar(ch)}
{header(ch)}
{nav(ch)}
<table width="1000" align="center" border="0" cellspacing="0" cellpadding="0">
<tr><td colspan="3">{breadcrumb(ch, sep=" &gt;&gt; ")}</td></tr>
<tr>
<td width="220" valign="top">{xxgk_subnav(ch, ch.column)}{hot_sidebar(ch, hot, "热点关注")}</td>
<td width="20"></td>
<td width="760" valign="top">
<table width="100%" border="0" cellspacing="0" cellpadding="0">
<tr><td class="lm_title">{ch.column}</td></tr></table>
<div id="{colid}">
<table width="100%" border="0" cellspacing="0" cellpadding="0">
{rows}
</table>
</div>
{pager}
</td></tr></table>
{footer(ch)}
</body>
</html>"""


def hanweb_article_page(ch: Chrome, *, title: str, body_html: str, pub: str, source: str,
                        hits: int, xxgk: Sequence[tuple[str, str]] | None,
                        rel: Sequence[Link], jiedu: Sequence[Link],
                        attachments: Sequence[Link], title_html: str | None = None,
                        info_html: str | None = None) -> str:
    table = xxgk_table(ch, xxgk, cls="xxgk_table") if xxgk else ""
    fj = ""
    if attachments:
        fj = '<p>附件:' + "".join(f'<a href="{h}">{esc(x)}</a>' for h, x in attachments) + "</p>"
    info = info_html or (f"发布日期:{pub}&nbsp;&nbsp;来源:{esc(source)}&nbsp;&nbsp;"
                         f"浏览次数:{hits}&nbsp;&nbsp;{font_sizer(ch)}")
    return f"""{head(ch, f"{title}", charset="UTF-8", css=HANWEB_CSS,
                 base_css="/script/0/1604141056424316.css")}
<body>
{top_bar(ch)}
{header(ch)}
{nav(ch)}
<table width="1000" align="center" border="0" cellspacing="0" cellpadding="0">
<tr><td>{breadcrumb(ch, sep=" &gt;&gt; ")}</td></tr>
<tr><td>{table}</td></tr>
<tr><td align="center" class="title">{title_html or esc(title)}</td></tr>
<tr><td align="center" class="bt_info">{info}</td></tr>
<tr><td>
<div id="zoom">
<!--<$[信息内容]>begin-->{body_html}<!--<$[信息内容]>end-->
</div>
{fj}
</td></tr>
<tr><td>{print_close(ch)}</td></tr>
<tr><td>{qr_block(ch, "扫一扫在手机打开当前页面")}</td></tr>
<tr><td>{related(ch, "相关解读", jiedu) if jiedu else ""}{related(ch, "相关链接", rel)}</td></tr>
</table>
{footer(ch)}
</body>
</html>"""


# --------------------------------------------------------------------------------------
# An unknown CMS (div layout, class names no extractor knows)

GENERIC_CSS = """*{margin:0;padding:0;box-sizing:border-box;} body{font-family:"Microsoft YaHei";}
.w1200{width:1200px;margin:0 auto;} .fl{float:left;} .fr{float:right;}
.topbar{background:#0d3b66;color:#fff;height:34px;line-height:34px;} .topbar a{color:#fff;}
.header{height:140px;} .nav{background:#125ea8;} .nav li{display:inline-block;padding:0 40px;}
.nav a{color:#fff;line-height:50px;font-size:18px;}
.detail-main{background:#fff;padding:30px 60px;border:1px solid #e5e5e5;}
.wz_title h2{font-size:28px;text-align:center;color:#0d3b66;}
.wz_info{text-align:center;color:#888;margin:15px 0;border-bottom:1px solid #eee;
padding-bottom:12px;}
.wz_info span{margin:0 10px;}
.wz_con{font-size:17px;line-height:2;} .news_cont_d_wrap p{text-indent:2em;margin-bottom:10px;}
.news_cont_d_wrap table{width:100%;border-collapse:collapse;}
.news_cont_d_wrap td,.news_cont_d_wrap th{border:1px solid #666;padding:4px;}
.wz_tools{margin-top:30px;overflow:hidden;}
.news_list dd{height:44px;line-height:44px;border-bottom:1px dashed #d6d6d6;font-size:16px;}
.news_list dd em{float:right;color:#999;font-style:normal;}
.pager{text-align:center;margin:25px 0;}
.pager a{border:1px solid #ddd;padding:4px 12px;margin:0 3px;}
.footer{background:#f0f3f7;padding:25px 0;text-align:center;line-height:28px;color:#666;}"""


def generic_list_page(ch: Chrome, items: Sequence[ListItem], prev_href: str | None,
                      next_href: str | None, page: int, pages: int, hot: Sequence[Link]) -> str:
    dds = "\n".join(f'<dd><a href="{it.href}" target="_blank" title="{esc(it.title)}">'
                    f"{esc(it.title)}</a><em>{it.date}</em></dd>" for it in items)
    pager = [f"<span>第{page}/{pages}页</span>"]
    if prev_href:
        pager.append(f'<a href="{prev_href}">上一页</a>')
    if next_href:
        pager.append(f'<a href="{next_href}" class="next">下一页</a>')
    return f"""{head(ch, f"{ch.column} - {ch.site_title}", charset="utf-8", css=GENERIC_CSS,
                 base_css="/static/css/style.css")}
<body>
{top_bar(ch)}
{header(ch)}
{nav(ch)}
<div class="w1200 clearfix">
{breadcrumb(ch, sep=" / ")}
<div class="list-left fl">{xxgk_subnav(ch, ch.column)}</div>
<div class="list-right fr">
<div class="list-hd"><h3>{ch.column}</h3></div>
<dl class="news_list">
{dds}
</dl>
<div class="pager">{" ".join(pager)}</div>
</div>
<div class="list-side">{hot_sidebar(ch, hot, "热点信息")}</div>
</div>
{footer(ch)}
</body>
</html>"""


def generic_article_page(ch: Chrome, *, title: str, body_html: str, info_spans: Sequence[str],
                         attachments: Sequence[Link], prev: Link | None, nxt: Link | None,
                         rel: Sequence[Link]) -> str:
    spans = "".join(f"<span>{s}</span>" for s in info_spans)
    fj = ""
    if attachments:
        fj = ('<div class="wz_fj"><h4>附件下载</h4><ul>'
              + "".join(f'<li><a href="{h}">{esc(x)}</a></li>' for h, x in attachments)
              + "</ul></div>")
    return f"""{head(ch, f"{title} - {ch.site_title}", charset="utf-8", css=GENERIC_CSS,
                 base_css="/static/css/style.css")}
<body>
{top_bar(ch)}
{header(ch)}
{nav(ch)}
<div class="w1200">
{breadcrumb(ch, sep=" / ")}
<div class="detail-main">
<div class="wz_title"><h2>{esc(title)}</h2></div>
<div class="wz_info">{spans}<span>{font_sizer(ch)}</span></div>
<div class="wz_con"><div class="news_cont_d_wrap">
{body_html}
</div></div>
{fj}
<div class="wz_tools clearfix">{share(ch)}{print_close(ch)}</div>
{qr_block(ch, "扫一扫在手机上查看当前页面")}
{prev_next(ch, prev, nxt)}
{related(ch, "相关解读", rel)}
</div>
</div>
{footer(ch)}
</body>
</html>"""


# --------------------------------------------------------------------------------------
# A plain old template (used by the small encoding, Big5 and failure sites)

SIMPLE_CSS = """body{margin:0;font-size:14px;} .main{width:960px;margin:0 auto;}
.content_title{font-size:22px;text-align:center;font-weight:bold;margin:20px 0;}
.content_info{text-align:center;color:#666;border-bottom:1px solid #ccc;padding-bottom:8px;}
.content{font-size:16px;line-height:1.9;padding:15px 20px;} .content td{border:1px solid #000;}
ul.lb li{line-height:30px;border-bottom:1px dashed #ccc;} ul.lb li span{float:right;}"""


def simple_list_page(ch: Chrome, items: Sequence[ListItem], charset: str | None,
                     xhtml: bool = False) -> str:
    t = ch.t
    lis = "\n".join(f'<li><span>{it.date}</span><a href="{it.href}" target="_blank">'
                    f"{esc(it.title)}</a></li>" for it in items)
    return f"""{head(ch, f"{t(ch.column)}-{ch.site_title}", charset=charset, css=SIMPLE_CSS,
                 xhtml=xhtml)}
<body>
{top_bar(ch)}
{nav(ch)}
<div class="main">
{breadcrumb(ch)}
<ul class="lb">
{lis}
</ul>
</div>
{footer(ch)}
</body>
</html>"""


def simple_article_page(ch: Chrome, *, title: str, body_html: str, pub: str, source: str,
                        charset: str | None, xhtml: bool = False,
                        attachments: Sequence[Link] = ()) -> str:
    t = ch.t
    fj = ""
    if attachments:
        fj = f'<p class="fj">{t("附件")}:' + "".join(
            f'<a href="{h}">{esc(x)}</a>' for h, x in attachments) + "</p>"
    return f"""{head(ch, f"{title}-{ch.site_title}", charset=charset, css=SIMPLE_CSS, xhtml=xhtml)}
<body>
{top_bar(ch)}
{nav(ch)}
<div class="main">
{breadcrumb(ch)}
<div class="content_title">{esc(title)}</div>
<div class="content_info">{t("发布时间")}:{pub}&nbsp;&nbsp;{t("来源")}:{esc(source)}&nbsp;&nbsp;
{font_sizer(ch)}</div>
<div class="content" id="zoom">
{body_html}
</div>
{fj}
{print_close(ch)}
{qr_block(ch)}
</div>
{footer(ch)}
</body>
</html>"""

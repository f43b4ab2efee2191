"""督办通知单: one notice per lead unit and kind, and the office's summary workbook, from status rows.

Draws what :func:`respgraph.queries.status.item_status` and ``status_rollup``
return; runs no query.  A notice is what a 督查室 sends, laid out as GB/T 9704-2012
lays out an official document:

- A4 portrait, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; a grid of
  28 characters × 22 lines; the title in 小标宋, the body in 仿宋_GB2312 三号 (16 pt),
  named so that Word and WPS use them, with 仿宋 / 宋体 as the fonts they fall back to
  (LibreOffice falls back to the machine's Chinese serif);
- 版头 (the office, the notice's kind in its colour — 蓝色提醒单, 黄色催办单, 红色督办单 —
  the 发文字号 and a line), 主送, the body with the item table, 办理要求 with the
  reply-by date, 联系人 and 电话, 落款 and 成文日期, and the 版记 with 抄送 (the leaders'
  offices) and 印发.

The content is built by :func:`notice_content` (plain data, Chinese only) and laid
out by :func:`render_notice`; nothing in a notice is English, and counts of zero are
left out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from respgraph.graph.labels import WARNING_ZH as WARNINGS
from respgraph.graph.progress import STATUS_ZH, Status
from respgraph.viz.status_style import WARNING_COLOR

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "write_notices",
    "notice_plan",
    "needs_notice",
    "notice_content",
    "render_notice",
    "why_zh",
    "Notice",
    "KINDS",
]

WARNING_ZH: dict[str | None, str] = dict(WARNINGS.items())
WARNING_ZH[None] = ""  # no warning: an empty cell
#: The notice for each warning colour, most urgent first: (name, what the title asks).
KINDS = {
    "red": ("红色督办单", "督办"),
    "orange": ("橙色催办单", "催办"),
    "yellow": ("黄色催办单", "催办"),
    "blue": ("蓝色提醒单", "提醒"),
}
TITLE_FONT, TITLE_FALLBACK = "方正小标宋简体", "宋体"  # 小标宋
BODY_FONT, BODY_FALLBACK = "仿宋_GB2312", "仿宋"
HEADING_FONT = "黑体"  # 一级标题, as GB/T 9704 sets it
BODY_PT, TABLE_PT, TITLE_PT = 16, 14, 22  # 三号, 四号, 二号
# GB/T 9704: 版心 156 mm × 225 mm, 28 characters × 22 lines.
PAGE_MM, MARGINS_MM = (210, 297), {"top": 37, "bottom": 35, "left": 28, "right": 26}
TEXT_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
CHARS, LINES = 28, 22
#: Character spacing of the body, in twentieths of a point: 28 characters of 三号 (16 pt) fill
#: the 156 mm line only when each gives up a little (16 pt × 28 = 448 pt > 442 pt).
CHAR_SPACING = -5
LINE_TWIPS = round((PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"]) / 25.4 * 1440 / LINES)
SUMMARY = "督办汇总.xlsx"
_CN_NUMBERS = "一二三四五六七八九十"


def needs_notice(row) -> bool:
    """An item a notice is sent for: one with a warning colour (overdue, behind, deadline near)."""
    return row.warning is not None


def _zh_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _cn(n: int) -> str:
    """一 … 九十九, for the 一、（一） numbering of the parts."""
    if n <= 10:
        return _CN_NUMBERS[n - 1]
    tens, ones = divmod(n, 10)
    return (_CN_NUMBERS[tens - 1] if tens > 1 else "") + "十" + (_CN_NUMBERS[ones - 1] if ones else "")


_QUARTER = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}
_WHY = [
    (re.compile(r"^no report row on this item$"), lambda m: "未报送进展"),
    (re.compile(r" ?\((\d+) of (\d+) parts reported\)"), lambda m: f"（共{m[2]}个部分，已报送{m[1]}个）"),
    (re.compile(r"^part (\d+) \((.*?)\): "), lambda m: f"第{m[1]}部分（{m[2]}）："),
    (re.compile(r" ?\(sum of Q1–Q(\d)\)"), lambda m: f"（第一至{_QUARTER[int(m[1])][1:]}目标之和）"),
    (re.compile(r"; also meets the Q(\d) target "), lambda m: f"；已达到{_QUARTER[int(m[1])]}目标"),
    (re.compile(r"Q(\d) target "), lambda m: f"{_QUARTER[int(m[1])]}目标"),
    (re.compile(r"; reported "), lambda m: "；报送 "),
    (re.compile(r" says '([^']*)'"), lambda m: f"写明“{m[1]}”"),
    (re.compile(r" '([^']*)' is no known status word; "), lambda m: f"“{m[1]}”不是已知的状态用语；"),
    (
        re.compile(r"no status word, and no figure to compare with a target due by (\d{4})-(\d\d)-(\d\d)"),
        lambda m: f"无状态用语，也无可与{int(m[1])}年{int(m[2])}月{int(m[3])}日前应完成目标比较的数字",
    ),
    (re.compile(r" '([^']*)'"), lambda m: f"“{m[1]}”"),
    (re.compile(r" ?\(([^()]*)\)"), lambda m: f"（{m[1]}）"),
]
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


def why_zh(why: str) -> str | None:
    """A status's reason (``ItemStatus.why``, written for the command line) in Chinese;
    None when some of it has no Chinese wording, so that a notice leaves it out rather
    than print English.

    >>> why_zh("no report row on this item")
    '未报送进展'
    >>> why_zh("Q3 target 累计 20 亿元 (sum of Q1–Q3) (完成投资 20 亿元); reported 18 亿元")
    '第三季度目标累计 20 亿元（第一至三季度目标之和）（完成投资 20 亿元）；报送 18 亿元'
    >>> why_zh("part 2 (遂溪县段): 状态 '欠进度' (1 of 2 parts reported)")
    '第2部分（遂溪县段）：状态“欠进度”（共2个部分，已报送1个）'
    """
    text = why
    for pattern, wording in _WHY:
        text = pattern.sub(wording, text)
    return None if _LATIN_WORD.search(_without_units(text)) else text


# Unit abbreviations a target may carry (``完成 5 km``); anything else Latin is English.
UNIT_ABBREVIATIONS = (
    "km",
    "kW",
    "MW",
    "GW",
    "kV",
    "kWh",
    "MWh",
    "GDP",
    "RCEP",
    "PPP",
    "LNG",
    "CT",
    "5G",
    "AAAA",
    "AAA",
    "ICU",
    "EPC",
)


def _without_units(text: str) -> str:
    for word in sorted(UNIT_ABBREVIATIONS, key=len, reverse=True):
        text = re.sub(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", "", text)
    return text


@dataclass
class Notice:
    """One notice's content, every string Chinese: what :func:`render_notice` lays out."""

    kind: str  # red, orange, yellow, blue
    name: str  # 红色督办单
    office: str  # 湛江市人民政府督查室
    number: str  # 湛督办〔2023〕3号
    recipient: str  # 主送
    title: str
    opening: str
    columns: list[str]
    table: list[list[str]]
    details: list[tuple[str, list[str]]]  # (heading, paragraphs) per item
    requirements: list[str]
    contact: str
    date: str  # 成文日期
    copies: list[str]  # 抄送
    printed: str  # 印发机关和印发日期


def _status_text(r) -> str:
    text = STATUS_ZH[Status(r.status)]
    return f"{text}（逾期）" if r.overdue else text


def _deadline_text(r) -> str:
    if r.deadline is None:
        return "表中未列"
    text = _zh_month(r.deadline)
    return f"{text}（待核实）" if r.deadline_doubtful else text


def _zh_month(d: dt.date) -> str:
    """A deadline as tables print it: ``2023年6月`` for the end of a month (the tables give months).

    >>> _zh_month(dt.date(2023, 6, 30)), _zh_month(dt.date(2023, 6, 15))
    ('2023年6月', '2023年6月15日')
    """
    if (d + dt.timedelta(days=1)).day == 1:
        return f"{d.year}年{d.month}月"
    return _zh_date(d)


def _contact(contact: str | None) -> str:
    """``张三 0759-3333333`` → ``联系人：张三，电话：0759-3333333。``"""
    if not contact:
        return ""
    found = re.search(r"[0-9][0-9\-－ ]{5,}[0-9]", contact)
    if not found:
        return f"联系人：{contact.strip()}。"
    name = (contact[: found.start()] + contact[found.end() :]).strip(" ，,；;：:")
    return f"联系人：{name}，电话：{found.group().strip()}。" if name else f"联系电话：{found.group().strip()}。"


def notice_content(
    unit: str,
    rows: list,
    kind: str,
    *,
    as_of: dt.date,
    number: str,
    date: dt.date,
    reply_by: dt.date,
    contact: str | None = None,
    office: str | None = None,
) -> Notice:
    """The content of the ``kind`` notice to ``unit`` on ``rows`` (its items of that warning)."""
    name, verb = KINDS[kind]
    office = office or (f"{rows[0].city}人民政府督查室" if rows and rows[0].city else "市人民政府督查室")
    overdue = sum(r.overdue for r in rows)
    behind = sum(r.status == Status.BEHIND.value for r in rows)
    near = sum(
        not r.overdue and r.deadline is not None and r.deadline >= as_of and r.status != Status.BEHIND.value
        for r in rows
    )
    silent = sum(r.status == Status.NO_REPORT.value for r in rows)
    counts = [
        text
        for n, text in (
            (overdue, f"{overdue}项已超过完成时限仍未完成"),
            (behind, f"{behind}项未达到序时进度"),
            (near, f"{near}项临近完成时限"),
            (silent, f"{silent}项未报送进展情况"),
        )
        if n
    ]
    subject = {"督办": "逾期未完成事项", "催办": "进度滞后事项", "提醒": "临近完成时限事项"}[verb]
    title = f"关于{subject}的{name[2:]}"
    opening = (
        f"截至{_zh_date(as_of)}，你单位牵头的{len(rows)}项重点工作中，" + "，".join(counts) + "。"
        f"现予{verb}，请对照季度工作目标抓紧推进。"
    )
    several = len({(r.document, r.attachment) for r in rows}) > 1
    columns = ["序号", "事项", "进展", "完成时限", "分管领导"]
    table = [
        [
            (f"附件{r.attachment}-" if several else "") + r.number,
            r.title,
            _status_text(r),
            _deadline_text(r),
            "、".join(r.leaders) or "表中未列",
        ]
        for r in rows
    ]
    details = []
    for n, r in enumerate(rows, 1):
        paragraphs = []
        basis = why_zh(r.why)
        reported = f"（报送日期{_zh_date(r.reported)}）" if r.reported else ""
        if basis:
            paragraphs.append(f"进展依据：{basis}{reported}。".replace("。。", "。"))
        if r.corrected:
            paragraphs.append(f"{r.corrected}。")
        elif r.deadline_doubtful:
            paragraphs.append("完成时限：原表所列年份与本表年度不符，疑为笔误，待核实更正，暂不按逾期处理。")
        if r.missed:
            paragraphs.append("未完成的季度目标：" + "；".join(t.rstrip("。；") for t in r.missed) + "。")
        if r.problems:
            paragraphs.append(f"存在问题：{r.problems.rstrip('。')}。")
        if r.next_targets:
            paragraphs.append("下季度目标：" + "；".join(t.rstrip("。；") for t in r.next_targets) + "。")
        paragraphs.append(f"分管领导：{'、'.join(r.leaders) or '表中未列'}。")
        details.append((f"（{_cn(n)}）{r.number}. {r.title}", paragraphs))
    requirements = [
        f"请于{_zh_date(reply_by)}前，将上述事项的整改措施、进展情况和完成时间书面报送{office}。",
        "对确因客观原因无法按期完成的，请说明原因并提出调整意见。",
    ]
    contact_text = _contact(contact)
    copies = [f"市政府{leader}同志办公室" for leader in sorted({x for r in rows for x in r.leaders})]
    printed = f"{office}\t{_zh_date(date)}印发"  # 印发机关 left, 印发日期 right
    return Notice(
        kind=kind,
        name=name,
        office=office,
        number=number,
        recipient=f"{unit}：",
        title=title,
        opening=opening,
        columns=columns,
        table=table,
        details=details,
        requirements=requirements,
        contact=contact_text,
        date=_zh_date(date),
        copies=copies,
        printed=printed,
    )


# --- layout ------------------------------------------------------------------------------


def _fonts(
    run_or_style, east_asian: str, size: float | None = None, *, bold: bool = False, colour: str | None = None
) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    font = run_or_style.font
    font.name = east_asian
    if size:
        font.size = Pt(size)
    font.bold = bold
    if colour:
        font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), east_asian)
    # Inserted where the schema orders them: Word refuses a file whose run properties are out of order.
    if size == BODY_PT and rpr.find(qn("w:spacing")) is None:
        rpr.insert_element_before(rpr.makeelement(qn("w:spacing"), {qn("w:val"): str(CHAR_SPACING)}), *_AFTER_SPACING)
    if rpr.find(qn("w:lang")) is None:  # fallback glyphs chosen for simplified Chinese
        rpr.insert_element_before(
            rpr.makeelement(qn("w:lang"), {qn("w:eastAsia"): "zh-CN"}), "w:eastAsianLayout", "w:specVanish", "w:oMath"
        )


_AFTER_SPACING = (
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
)
_AFTER_BORDERS = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _font_fallbacks(document) -> None:
    """Name the fonts a machine without them should use instead (the font table's altName)."""
    from lxml import etree

    part = next(p for p in document.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml")
    root = etree.fromstring(part.blob)
    ns = root.nsmap["w"]
    for name, fallback in ((BODY_FONT, BODY_FALLBACK), (TITLE_FONT, TITLE_FALLBACK), (HEADING_FONT, "SimHei")):
        font = etree.SubElement(root, f"{{{ns}}}font", {f"{{{ns}}}name": name})
        etree.SubElement(font, f"{{{ns}}}altName", {f"{{{ns}}}val": fallback})
        etree.SubElement(font, f"{{{ns}}}charset", {f"{{{ns}}}val": "86"})  # GB2312
        etree.SubElement(font, f"{{{ns}}}family", {f"{{{ns}}}val": "roman" if name != HEADING_FONT else "modern"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page(document) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    # 22 lines a page: the line grid (Word's 文档网格) and exact line spacing on every body
    # paragraph.  28 characters a line come from the body runs' character spacing
    # (CHAR_SPACING), not from a character grid: LibreOffice draws a character grid
    # wider than Word does, and a notice must read the same in both.
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = sect.makeelement(qn("w:docGrid"), {})
        sect.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_TWIPS))


def _paragraph(
    document,
    text: str = "",
    *,
    font: str = BODY_FONT,
    size: float = BODY_PT,
    bold: bool = False,
    colour: str | None = None,
    align: str | None = None,
    indent: bool = False,
    exact: bool = True,
):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, Twips

    p = document.add_paragraph()
    # No punctuation hanging past the right margin (Word's and LibreOffice's default for
    # Chinese): GB/T 9704 keeps every character inside the 156 mm line.
    ppr = p._p.get_or_add_pPr()
    ppr.insert_element_before(
        ppr.makeelement(qn("w:overflowPunct"), {qn("w:val"): "0"}),
        *_AFTER_BORDERS[_AFTER_BORDERS.index("w:topLinePunct") :],
    )
    fmt = p.paragraph_format
    if exact:  # every line on the grid: 22 to a page
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(LINE_TWIPS)
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(size * 2)  # 首行缩进二字
    if align:
        p.alignment = {
            "center": WD_ALIGN_PARAGRAPH.CENTER,
            "right": WD_ALIGN_PARAGRAPH.RIGHT,
            "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        }[align]
    if text:
        _fonts(p.add_run(text), font, size, bold=bold, colour=colour)
    return p


def _rule(paragraph, colour: str, *, where: str = "bottom", size: int = 12) -> None:
    """A line across the text width under (or over) ``paragraph``: the 版头 and 版记 lines."""
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = ppr.makeelement(qn("w:pBdr"), {})
        ppr.insert_element_before(borders, *_AFTER_BORDERS)
    line = borders.makeelement(
        qn(f"w:{where}"),
        {qn("w:val"): "single", qn("w:sz"): str(size), qn("w:space"): "1", qn("w:color"): colour.lstrip("#").upper()},
    )
    borders.append(line)


def _text_width(text: str) -> float:
    """Width in characters: a Chinese character 1, a digit or Latin letter 0.6, and ½ around a run of them."""
    latin_runs = len(re.findall(r"[\x20-\u2E7F]+", text))
    # Latin glyphs of CJK fonts run wide, and Word and LibreOffice put a quarter of a
    # character of space on each side of a run of them among Chinese (autoSpaceDE).
    return sum(0.6 if ord(c) < 0x2E80 else 1.0 for c in text) + 0.5 * latin_runs


def column_widths(
    columns: list[str], rows: list[list[str]], *, wide: int = 1, total_mm: float = TEXT_MM, size_pt: float = TABLE_PT
) -> list[float]:
    """Widths in mm sized to their text: every column as wide as its longest cell (at most
    ten characters, two lines of a longer one), the ``wide`` column (事项) gets the rest.

    >>> w = column_widths(["序号", "事项", "完成时限"], [["9", "新增城镇公办中小学学位 2.2万个", "2023年12月31日"]])
    >>> [round(x) for x in w], round(sum(w))
    ([14, 91, 50], 156)
    """
    char_mm = size_pt / 72 * 25.4
    widths, least = [], []
    for n, header in enumerate(columns):
        longest = max([_text_width(header), *(_text_width(r[n]) for r in rows)])
        chars = longest if longest <= 10 else max(longest / 2, 5.0)
        widths.append((min(chars, 10.0) + 0.9) * char_mm)  # 0.9: the cell's padding
        least.append((_text_width(header) + 0.9) * char_mm)  # a header never wraps
    widths[wide] = least[wide] = 0
    room = total_mm * 0.75 - sum(least)
    excess = sum(widths) - sum(least)
    if (
        sum(widths) > total_mm * 0.75 and excess > 0
    ):  # 事项 keeps a quarter: the others give up what their headers spare
        widths = [lo + (w - lo) * max(room, 0) / excess for w, lo in zip(widths, least)]
    widths[wide] = total_mm - sum(widths)
    return widths


def _table(document, columns: list[str], rows: list[list[str]]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    widths = column_widths(columns, rows)
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # a fixed layout: the widths below, not Word's guess from the text
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
    for values, bold in ((columns, True), *((r, False) for r in rows)):
        cells = table.rows[0].cells if bold else table.add_row().cells
        for n, (cell, text) in enumerate(zip(cells, values)):
            cell.width = Mm(widths[n])
            p = cell.paragraphs[0]
            p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
            if bold or n != 1:
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(p.add_run(text), HEADING_FONT if bold else BODY_FONT, TABLE_PT)


def render_notice(notice: Notice, path: Path) -> None:
    """Lay ``notice`` out as GB/T 9704-2012 lays out a document, and save it (.docx)."""
    import docx
    import docx.enum.text

    document = docx.Document()
    _page(document)
    _font_fallbacks(document)
    for name in ("Normal", "Table Grid"):  # the only styles a notice uses; every run names its font too
        _fonts(document.styles[name], BODY_FONT)
    colour = WARNING_COLOR[notice.kind]
    # 版头: the office and the notice's kind in its colour, the 发文字号, a line in the same colour.
    _paragraph(document, notice.office, font=TITLE_FONT, size=26, colour=colour, align="center", exact=False)
    _paragraph(document, notice.name, font=TITLE_FONT, size=36, colour=colour, align="center", exact=False)
    number = _paragraph(document, notice.number, align="center")
    _rule(number, colour, size=18)
    _paragraph(document)
    _paragraph(document, notice.title, font=TITLE_FONT, size=TITLE_PT, align="center", exact=False)
    _paragraph(document)
    _paragraph(document, notice.recipient)
    _paragraph(document, notice.opening, indent=True, align="justify")
    _paragraph(document, "一、事项清单", font=HEADING_FONT, indent=True)
    _table(document, notice.columns, notice.table)
    _paragraph(document, "二、具体情况", font=HEADING_FONT, indent=True)
    for heading, paragraphs in notice.details:
        _paragraph(document, heading, font="楷体_GB2312", indent=True, align="justify")
        for text in paragraphs:
            _paragraph(document, text, indent=True, align="justify")
    _paragraph(document, "三、办理要求", font=HEADING_FONT, indent=True)
    for text in notice.requirements:
        _paragraph(document, text, indent=True, align="justify")
    if notice.contact:
        _paragraph(document, notice.contact, indent=True)
    _paragraph(document)
    # 落款 and 成文日期, right-aligned four characters in from the edge.
    for text in (notice.office, notice.date):
        p = _paragraph(document, text, align="right")
        p.paragraph_format.right_indent = docx.shared.Pt(BODY_PT * 4)
    _paragraph(document)
    # 版记: 抄送 and 印发 between lines, in 四号.
    if notice.copies:
        copies = _paragraph(document, f"抄送：{'，'.join(notice.copies)}。", size=TABLE_PT)
        _rule(copies, "#000000", where="top", size=8)
        _rule(copies, "#000000", where="bottom", size=4)
    printed = _paragraph(document, notice.printed, size=TABLE_PT)
    printed.paragraph_format.tab_stops.add_tab_stop(docx.shared.Mm(TEXT_MM - 2), docx.enum.text.WD_TAB_ALIGNMENT.RIGHT)
    if not notice.copies:
        _rule(printed, "#000000", where="top", size=8)
    _rule(printed, "#000000", where="bottom", size=8)
    _save_whole(document, path)


# --- the workbook -------------------------------------------------------------------------


def _summary(rows: list, rollup: list, as_of: dt.date, path: Path, preset: str, files=()) -> None:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet: Worksheet = book.active  # type: ignore[assignment]  # a new workbook's one sheet is a Worksheet
    sheet.title = "汇总"
    rule = {"three-colour": "三色督办（蓝、黄、红）", "escalating": "逐次升级（蓝→橙→红）"}.get(preset, preset)
    sheet.append([f"督办进展汇总（截至{_zh_date(as_of)}，预警规则：{rule}）"])
    sheet.append(
        [
            "牵头单位",
            "城市",
            "事项",
            "已完成",
            "超进度",
            "序时推进",
            "滞后",
            "未启动",
            "其它",
            "未报送",
            "逾期",
            "红",
            "橙",
            "黄",
            "蓝",
            "滞后占比",
        ]
    )
    for r in rollup:
        sheet.append(
            [
                r.name,
                r.city,
                r.items,
                r.done,
                r.ahead,
                r.on_track,
                r.behind,
                r.not_started,
                r.other,
                r.no_report,
                r.overdue,
                r.red,
                r.orange,
                r.yellow,
                r.blue,
                r.share_behind,
            ]
        )
    items = book.create_sheet("明细")
    items.append(
        [
            "附件",
            "序号",
            "事项",
            "城市",
            "状态",
            "预警",
            "逾期",
            "报送日期",
            "依据",
            "牵头单位",
            "分管领导",
            "完成时限",
            "完成时限说明",
        ]
    )
    for r in rows:
        note = r.corrected or ("与本表年度不符，待核实更正" if r.deadline_doubtful else "")
        items.append(
            [
                r.attachment,
                r.number,
                r.title,
                r.city,
                STATUS_ZH[Status(r.status)],
                WARNING_ZH[r.warning],
                "是" if r.overdue else "",
                r.reported,
                why_zh(r.why) or r.why,
                "、".join(r.lead),
                "、".join(r.leaders),
                r.deadline,
                note,
            ]
        )
    for ws in (sheet, items):
        header = 2 if ws is sheet else 1
        for cell in ws[header]:
            cell.font = Font(bold=True)
    _file_sheet(book, files)
    text_as_text(book)
    _save_whole(book, path)


def notice_plan(rows: list) -> list[tuple[str, str, list]]:
    """The notices ``rows`` call for, in the order they are numbered: (kind, lead unit, its
    rows of that warning), most urgent kind first, then by unit.  What the register issues."""
    by_notice: dict[tuple[str, str], list] = defaultdict(list)
    for r in rows:
        if needs_notice(r):
            for unit in r.lead:
                by_notice[(r.warning, unit)].append(r)
    order = list(KINDS)
    return [
        (kind, unit, by_notice[(kind, unit)])
        for kind, unit in sorted(by_notice, key=lambda k: (order.index(k[0]), k[1]))
    ]


def write_notices(
    rows: list,
    rollup: list,
    *,
    as_of: dt.date,
    out: Path,
    preset: str = "three-colour",
    number: str | None = None,
    first: int = 1,
    date: dt.date | None = None,
    reply_by: dt.date | None = None,
    contact: str | None = None,
    office: str | None = None,
    plan: list[tuple[str, str, list]] | None = None,
    numbers: list[str] | None = None,
) -> list[Path]:
    """Write the notices (one per lead unit and kind, most urgent kind first) and the summary
    into ``out``; the paths written, summary last.

    ``plan`` is the notices to write (default :func:`notice_plan` of ``rows``) and ``numbers``
    their 发文字号 as the register issued them; without ``numbers``, ``number`` is the
    发文字号 before its sequence number (``湛督办〔2023〕``), the notices numbered ``first``,
    ``first + 1`` … in the order written.  ``date`` is the 成文日期 (today), ``reply_by`` the
    date to reply by (ten days after ``date``).
    """
    out.mkdir(parents=True, exist_ok=True)
    date = date or dt.date.today()
    reply_by = reply_by or date + dt.timedelta(days=10)
    prefix = number or f"督办〔{date.year}〕"
    plan = notice_plan(rows) if plan is None else plan
    numbers = numbers or [f"{prefix}{first + n}号" for n in range(len(plan))]
    written = []
    notices = []
    for (kind, unit, items), text in zip(plan, numbers):
        notices.append(
            (
                unit,
                notice_content(
                    unit,
                    items,
                    kind,
                    as_of=as_of,
                    number=text,
                    date=date,
                    reply_by=reply_by,
                    contact=contact,
                    office=office,
                ),
            )
        )
    files = _notice_files([(notice.name, unit) for unit, notice in notices])
    for (_unit, notice), name in zip(notices, files):
        path = out / name
        render_notice(notice, path)
        written.append(path)
    summary = out / SUMMARY
    _summary(
        rows,
        rollup,
        as_of,
        summary,
        preset,
        [(unit, notice.name, notice.number, name) for (unit, notice), name in zip(notices, files)],
    )
    written.append(summary)
    return written


# --- file names and whole files (kept apart from the notices' content) ----------------


def _notice_files(notices: list[tuple[str, str]]) -> list[str]:
    """The file name of each (kind of notice, unit): unique and bounded, even for two units
    whose names differ only in characters a file name cannot hold (``/``, ``:``, ``>``)."""
    from respgraph.viz.files import unique_file_names

    return unique_file_names([f"{name}_{unit}" for name, unit in notices], suffix=".docx")


def _file_sheet(book, files) -> None:
    """A sheet naming each notice's file by unit and kind, since a file name cannot always hold the unit's name."""
    if not files:
        return
    sheet = book.create_sheet("通知单文件")
    sheet.append(["牵头单位", "文种", "发文字号", "文件"])
    for row in files:
        sheet.append(list(row))


def _save_whole(document, path: Path) -> None:
    """Save a python-docx document or openpyxl workbook whole: built in memory, then written
    beside the target and renamed into place (a full disk leaves no 0-byte or cut file)."""
    import io

    from respgraph.viz.files import write_file

    buffer = io.BytesIO()
    document.save(buffer)
    write_file(path, buffer.getvalue())


def text_as_text(book) -> None:
    """Every text cell of ``book`` stored as text: a title that begins with ``=`` is never a formula."""
    from respgraph.viz.export_files import store_text

    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    store_text(cell)

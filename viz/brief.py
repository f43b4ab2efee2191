"""A leader's meeting brief as an A4 document, and its table as a workbook or a CSV, all in Chinese.

Draws what :func:`respgraph.answers.brief.leader_brief` returns; runs no query.  The
document uses the notices' layout (:mod:`respgraph.viz.notices`: A4 portrait with the
GB/T 9704 margins, 仿宋 body, 黑体 headings, the fonts Word and WPS know with those
LibreOffice falls back to):

- the title and the date the brief stands on (the latest progress report's);
- 一、总体情况: how many items, how many in each status, overdue and warnings;
- 二、近期到期事项: the items due within 30 days, then those due in 31–90 days;
- 三、分管事项清单: the portfolio table (编号, 事项, 牵头单位, 完成时限, 进展, 依据);
- the tables it was made from;
- 四、分管关系图: the portfolio picture as the page opens, as an image on a landscape page.

The leader page's CSV and workbook downloads are :func:`table_rows` with the same
Chinese headers (:data:`COLUMNS`), every unit by role and the status's reason.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import TYPE_CHECKING

from respgraph.graph.progress import STATUS_ZH, Status
from respgraph.viz.notices import (
    _AFTER_BORDERS,
    BODY_FONT,
    HEADING_FONT,
    PAGE_MM,
    TITLE_FONT,
    WARNING_ZH,
    _font_fallbacks,
    _fonts,
    _page,
    _paragraph,
    _zh_date,
    _zh_month,
    text_as_text,
    why_zh,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["COLUMNS", "DOCUMENT_COLUMNS", "FORMATS", "table_rows", "brief_bytes", "brief_title", "picture_png"]

#: Every column of the brief's table, key → header; the CSV and the workbook carry them all.
COLUMNS = {
    "number": "编号",
    "title": "事项",
    "lead": "牵头单位",
    "implement": "实施单位",
    "assist": "协办单位",
    "deadline": "完成时限",
    "deadline_note": "完成时限说明",
    "status": "进展",
    "warning": "预警",
    "overdue": "逾期",
    "reported": "报送日期",
    "why": "依据",
}
#: The columns of the document's table: what fits an A4 page.
DOCUMENT_COLUMNS = ("number", "title", "lead", "deadline", "status", "why")
FORMATS = ("docx", "xlsx", "csv")
TABLE_PT = 10.5  # 五号: six columns across the 156 mm line
SMALL_PT = 12  # 小四: the lists and the picture's caption
PICTURE_MARGIN_MM, PICTURE_HEIGHT_MM = 20, 125  # its landscape page: room for the heading and caption


def brief_title(brief) -> str:
    """>>> from types import SimpleNamespace as B
    >>> brief_title(B(leader="黄益斌"))
    '黄益斌同志分管重点工作情况'
    """
    return f"{brief.leader}同志分管重点工作情况"


def _cell(row: dict, key: str) -> str:
    value = row[key]
    if key == "number":
        return f"{row['attachment']}-{row['number']}"
    if key == "deadline":
        if value is None:
            return "表中未列"
        return _zh_month(value) + ("（待核实）" if row["deadline_note"] == "doubtful" else "")
    if key == "deadline_note":
        return "原表年份与本表年度不符，待核实" if value == "doubtful" else value
    if key == "status":
        return STATUS_ZH[Status(value)]
    if key == "warning":
        return WARNING_ZH[value]
    if key == "overdue":
        return "是" if value else ""
    if key == "why":
        # Untranslated wording is kept rather than dropped: a reason left out would read as none.
        return (why_zh(value) or value) if value else ""
    if key == "reported":
        return _zh_date(value) if value else ""
    if isinstance(value, list):
        return "、".join(value)
    return str(value)


def table_rows(brief, keys=tuple(COLUMNS)) -> list[dict]:
    """The brief's rows with Chinese headers and cells, in ``keys``' order.

    >>> import datetime as dt
    >>> from respgraph.answers.brief import leader_brief
    >>> from respgraph.ingest import sample_store
    >>> rows = table_rows(leader_brief(sample_store(), "黄益斌", today=dt.date(2023, 9, 1)))
    >>> {k: rows[0][k] for k in ("编号", "牵头单位", "完成时限", "进展", "预警", "依据")}
    {'编号': '1-53', '牵头单位': '市公安局', '完成时限': '2023年9月', '进展': '未报送', '预警': '蓝', '依据': '未报送进展'}
    """
    return [{COLUMNS[k]: _cell(r, k) for k in keys} for r in brief.rows]


def brief_bytes(brief, fmt: str, *, group_by: str = "lead", picture: bool = True) -> bytes:
    """The brief as a ``docx`` (its 四 the portfolio picture grouped ``group_by``, unless not
    ``picture``), an ``xlsx`` or a ``csv``."""
    if fmt == "csv":
        from respgraph.viz.formats import csv_bytes

        return csv_bytes(table_rows(brief))
    if fmt == "xlsx":
        return _workbook(brief)
    if fmt == "docx":
        return _document(brief, picture_png(brief, group_by) if picture else None)
    raise ValueError(f"a brief is one of {', '.join(FORMATS)}, not {fmt!r}")


def picture_png(brief, group_by: str = "lead") -> bytes:
    """The portfolio picture as the leader page opens it (``portfolio --png``), as PNG bytes."""
    from respgraph.viz.network_pages import portfolio_page
    from respgraph.viz.picture import picture_bytes

    page = portfolio_page(
        brief.portfolio, sources=brief.sources, kinds=brief.kinds, group_by=group_by, statuses=brief.picture_statuses
    )
    return picture_bytes(page, "png")


def _status_text(row: dict) -> str:
    """``滞后（黄色预警，逾期）``: the status, then its warning and overdue when there are any."""
    extra = ([f"{WARNING_ZH[row['warning']]}色预警"] if row["warning"] else []) + (["逾期"] if row["overdue"] else [])
    return STATUS_ZH[Status(row["status"])] + (f"（{'，'.join(extra)}）" if extra else "")


def _overall(brief) -> str:
    counts = brief.counts()
    parts = [f"{STATUS_ZH[s]}{counts[s.value]}项" for s in Status if counts.get(s.value)]
    text = f"分管重点工作{len(brief.rows)}项"
    if parts:
        text += "，其中" + "、".join(parts)
    if counts.get("overdue"):
        text += f"；已过完成时限仍未完成{counts['overdue']}项"
    colours = [f"{WARNING_ZH[w]}色{counts[w]}项" for w in ("red", "orange", "yellow", "blue") if counts.get(w)]
    if colours:
        text += "；预警" + "、".join(colours)
    return text + "。"


def _listed(row: dict) -> str:
    lead = "、".join(row["lead"]) or "表中未列"
    return (
        f"{_cell(row, 'number')} {row['title']}（牵头单位：{lead}；完成时限：{_cell(row, 'deadline')}；"
        f"进展：{_status_text(row)}）"
    )


def _document(brief, picture: bytes | None) -> bytes:
    import docx

    document = docx.Document()
    _page(document)
    _font_fallbacks(document)
    for name in ("Normal", "Table Grid"):
        _fonts(document.styles[name], BODY_FONT)
    _paragraph(document, brief_title(brief), font=TITLE_FONT, size=22, align="center", exact=False)
    _paragraph(document, f"（截至{_zh_date(brief.as_of)}）", font="楷体_GB2312", align="center")
    if not brief.reported:
        _paragraph(
            document, "尚未载入本年度的进展报告：各项进展均为“未报送”，日期为制作当日。", indent=True, align="justify"
        )
    _paragraph(document, "一、总体情况", font=HEADING_FONT, indent=True)
    _paragraph(document, _overall(brief), indent=True, align="justify")
    _paragraph(document, "二、近期到期事项", font=HEADING_FONT, indent=True)
    near, far = brief.soon.get(30, []), [r for r in brief.soon.get(90, []) if r not in brief.soon.get(30, [])]
    end30, end90 = (_zh_date(brief.as_of + dt.timedelta(days=n)) for n in (30, 90))
    for label, rows in (
        (f"30日内（至{end30}）到期{len(near)}项", near),
        (f"31至90日内（至{end90}）到期{len(far)}项", far),
    ):
        _paragraph(document, label + ("：" if rows else "。"), indent=True)
        for row in rows:
            _paragraph(document, _listed(row), size=SMALL_PT, indent=True, align="justify", exact=False)
    _paragraph(document, "三、分管事项清单", font=HEADING_FONT, indent=True)
    cells = [[(_status_text(r) if k == "status" else _cell(r, k)) for k in DOCUMENT_COLUMNS] for r in brief.rows]
    _table(document, DOCUMENT_COLUMNS, cells)
    sources = "；".join(f"{d['title']}（{d['city']}，{d['year']}年）" for d in brief.sources)
    _paragraph(document)
    _paragraph(
        document,
        f"资料来源：{sources or '无'}；进展依据各单位报送的进展报告。",
        size=SMALL_PT,
        align="justify",
        exact=False,
    )
    if picture:
        _picture_page(document, brief, picture)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


#: The document table's widths in mm (156 in all): 完成时限 holds ``2023年12月`` on one line at 五号.
WIDTHS_MM = {"number": 14, "title": 40, "lead": 24, "deadline": 28, "status": 20, "why": 30}


def _table(document, keys: tuple[str, ...], rows: list[list[str]]) -> None:
    """The portfolio table in 五号, the header row repeated on every page; its lines off the
    page's line grid (22 lines a page would give each line of a cell two lines' height)."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    widths = [WIDTHS_MM[k] for k in keys]
    table = document.add_table(rows=1, cols=len(keys))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = Mm(width)
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {}))
    for values, bold in (([COLUMNS[k] for k in keys], True), *((r, False) for r in rows)):
        cells = table.rows[0].cells if bold else table.add_row().cells
        for n, (cell, text) in enumerate(zip(cells, values)):
            cell.width = Mm(widths[n])
            p = cell.paragraphs[0]
            fmt = p.paragraph_format
            fmt.space_before = fmt.space_after = Pt(0)
            fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(TABLE_PT * 1.4)
            ppr = p._p.get_or_add_pPr()
            ppr.insert_element_before(
                ppr.makeelement(qn("w:snapToGrid"), {qn("w:val"): "0"}),
                *_AFTER_BORDERS[_AFTER_BORDERS.index("w:spacing") :],
            )
            if bold or keys[n] in ("number", "deadline"):
                p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _fonts(p.add_run(text), HEADING_FONT if bold else BODY_FONT, TABLE_PT)


def _picture_page(document, brief, picture: bytes) -> None:
    """四、分管关系图 on a landscape page of its own: the picture is drawn for A4 landscape, and
    shrunk to a portrait page's width its names could not be read."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_MM[1]), Mm(PAGE_MM[0])
    section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = Mm(PICTURE_MARGIN_MM)
    _paragraph(document, "四、分管关系图", font=HEADING_FONT, indent=True)
    p = _paragraph(document, align="center", exact=False)  # an exact line height would clip the image
    p.add_run().add_picture(io.BytesIO(picture), height=Mm(PICTURE_HEIGHT_MM))
    _paragraph(
        document,
        f"图  {brief.leader}同志分管事项关系图（按牵头单位分组，颜色示最新进展）",
        size=SMALL_PT,
        align="center",
        exact=False,
    )


def _workbook(brief) -> bytes:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    sheet: Worksheet = book.active  # type: ignore[assignment]  # a new workbook's one sheet is a Worksheet
    sheet.title = "分管事项"
    rows = table_rows(brief)
    sheet.append(list(COLUMNS.values()))
    for row in rows:
        sheet.append(list(row.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = {"编号": 8, "事项": 40, "依据": 40, "牵头单位": 18, "实施单位": 24, "协办单位": 24}
    for n, header in enumerate(COLUMNS.values(), 1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(n)].width = widths.get(header, 12)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    about = book.create_sheet("说明")
    for line in (
        ("分管领导", brief.leader),
        ("城市", brief.city),
        ("截至", _zh_date(brief.as_of)),
        ("进展", "依据进展报告" if brief.reported else "尚未载入进展报告"),
        *(("表格", f"{d['city']}{d['year']}年 {d['title']}") for d in brief.sources),
    ):
        about.append(list(line))
    text_as_text(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

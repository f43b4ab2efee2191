"""督办通知单: one Word notice per lead unit, and the office's summary workbook, from status rows.

Draws what :func:`respgraph.queries.status.item_status` and ``status_rollup``
return; runs no query.  Text is Chinese; the East Asian font is set on every
style so Word, WPS and LibreOffice all pick a CJK font.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from respgraph.graph.progress import STATUS_ZH, Status

__all__ = ["write_notices", "needs_notice"]

WARNING_ZH = {"red": "红", "orange": "橙", "yellow": "黄", "blue": "蓝", None: ""}
FONT = "SimSun"  # 宋体; LibreOffice substitutes Noto Serif CJK where SimSun is missing
SUMMARY = "督办汇总.xlsx"


def needs_notice(row) -> bool:
    """An item a notice is sent for: behind schedule or overdue."""
    return row.status == Status.BEHIND.value or row.overdue


def _zh_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def _font(document) -> None:
    from docx.oxml.ns import qn

    for style in document.styles:
        if getattr(style, "font", None) is None:
            continue
        style.font.name = FONT
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(fonts)
        fonts.set(qn("w:eastAsia"), FONT)


def _notice(unit: str, rows: list, as_of: dt.date, path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    _font(document)
    title = document.add_heading("督办通知单", level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"{unit}：")
    behind = sum(r.status == Status.BEHIND.value for r in rows)
    overdue = sum(r.overdue for r in rows)
    document.add_paragraph(
        f"截至{_zh_date(as_of)}，你单位牵头的事项中，{behind} 项未达序时进度，{overdue} 项已超过完成时限仍未完成。"
        "请对照季度工作目标抓紧推进，并将整改措施和进展情况及时报送市政府督查室。")
    table = document.add_table(rows=1, cols=7)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("附件", "序号", "事项", "状态", "预警", "完成时限", "分管领导")):
        cell.text = text
    for r in rows:
        cells = table.add_row().cells
        values = (str(r.attachment), r.number, r.title, STATUS_ZH[Status(r.status)] + ("（逾期）" if r.overdue else ""),
                  WARNING_ZH[r.warning], _zh_date(r.deadline) if r.deadline else "", "、".join(r.leaders))
        for cell, text in zip(cells, values):
            cell.text = text
    for r in rows:
        document.add_heading(f"{r.number}. {r.title}", level=2)
        document.add_paragraph(f"依据：{r.why}" + (f"（报送日期 {_zh_date(r.reported)}）" if r.reported else "（未报送进展）"))
        if r.missed:
            document.add_paragraph("未完成的季度目标：")
            for text in r.missed:
                document.add_paragraph(text, style="List Bullet")
        if r.problems:
            document.add_paragraph(f"存在问题：{r.problems}")
        if r.next_targets:
            document.add_paragraph("下季度目标：")
            for text in r.next_targets:
                document.add_paragraph(text, style="List Bullet")
        document.add_paragraph(f"分管领导：{'、'.join(r.leaders) or '（表中未列）'}")
    closing = document.add_paragraph(f"市政府督查室\n{_zh_date(as_of)}")
    closing.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _save_whole(document, path)


def _summary(rows: list, rollup: list, as_of: dt.date, path: Path, preset: str, files: dict | None = None) -> None:
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "汇总"
    rule = {"three-colour": "三色督办（蓝、黄、红）", "escalating": "逐次升级（蓝→橙→红）"}.get(preset, preset)
    sheet.append([f"督办进展汇总（截至{_zh_date(as_of)}，预警规则：{rule}）"])
    sheet.append(["牵头单位", "城市", "事项", "已完成", "超进度", "序时推进", "滞后", "未启动", "其它", "未报送",
                  "逾期", "红", "橙", "黄", "蓝", "滞后占比"])
    for r in rollup:
        sheet.append([r.name, r.city, r.items, r.done, r.ahead, r.on_track, r.behind, r.not_started, r.other,
                      r.no_report, r.overdue, r.red, r.orange, r.yellow, r.blue, r.share_behind])
    items = book.create_sheet("明细")
    items.append(["附件", "序号", "事项", "城市", "状态", "预警", "逾期", "报送日期", "依据", "牵头单位", "分管领导",
                  "完成时限"])
    for r in rows:
        items.append([r.attachment, r.number, r.title, r.city, STATUS_ZH[Status(r.status)], WARNING_ZH[r.warning],
                      "是" if r.overdue else "", r.reported, r.why, "、".join(r.lead), "、".join(r.leaders),
                      r.deadline])
    for ws in (sheet, items):
        header = 2 if ws is sheet else 1
        for cell in ws[header]:
            cell.font = Font(bold=True)
    _file_sheet(book, files or {})
    text_as_text(book)
    _save_whole(book, path)


def write_notices(rows: list, rollup: list, *, as_of: dt.date, out: Path, preset: str = "three-colour") -> list[Path]:
    """Write the notices and the summary into ``out``; the paths written, summary last."""
    out.mkdir(parents=True, exist_ok=True)
    by_unit: dict[str, list] = defaultdict(list)
    for r in rows:
        if needs_notice(r):
            for unit in r.lead:
                by_unit[unit].append(r)
    written = []
    files = _notice_files(sorted(by_unit))
    for unit in sorted(by_unit):
        path = out / files[unit]
        _notice(unit, by_unit[unit], as_of, path)
        written.append(path)
    summary = out / SUMMARY
    _summary(rows, rollup, as_of, summary, preset, files)
    written.append(summary)
    return written


# --- file names and whole files (kept apart from the notices' content) ----------------


def _notice_files(units: list[str]) -> dict[str, str]:
    """The notice's file name for each unit: unique and bounded, even for two units whose
    names differ only in characters a file name cannot hold (``/``, ``:``, ``>``)."""
    from respgraph.viz.files import file_names

    return file_names(units, "督办通知单_", ".docx")


def _file_sheet(book, files: dict[str, str]) -> None:
    """A sheet mapping each lead unit to its notice's file, since a file name cannot always hold the name."""
    if not files:
        return
    sheet = book.create_sheet("通知单文件")
    sheet.append(["牵头单位", "通知单文件"])
    for unit, name in files.items():
        sheet.append([unit, name])


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

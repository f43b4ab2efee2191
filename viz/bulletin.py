"""督查通报: the quarter's bulletin (.docx), and the scorecard workbook (.xlsx), from what the scorecard gives.

Draws what :func:`respgraph.accounts.scorecard.bulletin_data` returns (passed in: this
module imports nothing of accounts); runs no query.  The bulletin is laid out as the
notices are (:mod:`respgraph.viz.notices`, GB/T 9704-2012: A4, 版头 with the 发文机关标志
in red, the 文号 from the register, title, 主送, body, 落款, 版记), and everything in it
is Chinese.  Its body:

一、总体情况 — the year's items by status at the quarter's end, with shares, and what
changed since the previous quarter's end;
二、报送情况 — the lead units that reported every item due on time, late, or not at all;
三、红黄牌事项 — overdue (red) and behind (yellow) items by lead unit;
四、完成和超序时推进事项 — items completed or ahead, by lead unit;
五、季度考评 — the scorecard's ten best and how the score is reckoned;
六、下一步工作要求.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from respgraph.graph.progress import STATUS_ZH, Status
from respgraph.viz.notices import (
    BODY_FONT,
    BODY_PT,
    HEADING_FONT,
    TABLE_PT,
    TEXT_MM,
    TITLE_FONT,
    TITLE_PT,
    _cn,
    _font_fallbacks,
    _fonts,
    _page,
    _paragraph,
    _rule,
    _save_whole,
    _table,
    _zh_date,
    text_as_text,
)

__all__ = [
    "Bulletin",
    "bulletin_content",
    "render_bulletin",
    "write_scorecard",
    "write_bulletin",
    "score_table",
    "SCORE_COLUMNS",
    "score_rule_zh",
]

RED = "#C00000"
#: The scorecard's columns: (JSON key, Chinese header), as the page, the CSV and the workbook show them.
SCORE_COLUMNS = (
    ("rank", "排名"),
    ("name", "牵头单位"),
    ("city", "城市"),
    ("quarter", "季度"),
    ("items", "牵头事项"),
    ("due", "本季应报"),
    ("on_time", "按时报送"),
    ("late", "逾期报送"),
    ("missing", "未报送"),
    ("on_schedule", "序时或超序时"),
    ("behind", "滞后或未启动"),
    ("overdue", "逾期未完成"),
    ("completed", "已完成"),
    ("score", "得分"),
)
_ORDER = (Status.DONE, Status.AHEAD, Status.ON_TRACK, Status.BEHIND, Status.NOT_STARTED, Status.OTHER, Status.NO_REPORT)


@dataclass
class Bulletin:
    office: str
    number: str
    title: str
    recipient: str
    sections: list[tuple[str, list[str]]]  # (heading, paragraphs)
    table: tuple[list[str], list[list[str]]]
    date: str
    copies: list[str]
    printed: str


def score_table(scores: list) -> tuple[list[dict], list[dict]]:
    """The scorecard as every face shows it: (the rows of the table and CSV, the JSON)."""
    flat = [r.model_dump(include={k for k, _ in SCORE_COLUMNS}) for r in scores]
    return [{k: row[k] for k, _ in SCORE_COLUMNS} for row in flat], [r.model_dump(mode="json") for r in scores]


def _share(n: int, total: int) -> str:
    """A share as an office writes it.

    >>> _share(1, 3), _share(0, 5)
    ('33.3%', '0%')
    """
    return f"{round(100 * n / total, 1):g}%" if total else "0%"


def _counts(rows: list) -> dict[str, int]:
    counts = {s.value: 0 for s in Status}
    for r in rows:
        counts[r.status] += 1
    return counts


def _label(r) -> str:
    return f"第{r.number}项" if r.attachment == 1 else f"附件{r.attachment}第{r.number}项"


def _by_unit(rows: list) -> list[str]:
    """``市商务局（第59项、第62项）`` for every lead unit of ``rows``, by unit."""
    found: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        for unit in r.lead or ["表中未列牵头单位"]:
            found[unit].append(_label(r))
    return [f"{unit}（{'、'.join(labels)}）" for unit, labels in sorted(found.items())]


def _overall(data) -> list[str]:
    counts, total = _counts(data.now), len(data.now)
    parts = [
        f"{STATUS_ZH[s]}{counts[s.value]}项（占{_share(counts[s.value], total)}）" for s in _ORDER if counts[s.value]
    ]
    overdue = sum(r.overdue for r in data.now)
    text = (
        f"截至{_zh_date(data.as_of)}，{data.year}年{total}项重点工作中，"
        + "，".join(parts)
        + (f"；已超过完成时限仍未完成{overdue}项。" if overdue else "。")
    )
    out = [text]
    if data.before:
        was = _counts(data.before)
        changes = []
        for s in (Status.DONE, Status.BEHIND, Status.NO_REPORT):
            delta = counts[s.value] - was[s.value]
            if delta:
                changes.append(f"{STATUS_ZH[s]}{'增加' if delta > 0 else '减少'}{abs(delta)}项")
        before_overdue = sum(r.overdue for r in data.before)
        if overdue != before_overdue:
            changes.append(
                f"逾期未完成{'增加' if overdue > before_overdue else '减少'}{abs(overdue - before_overdue)}项"
            )
        out.append(
            f"与上季度末（{_zh_date(data.before_as_of)}）相比，"
            + ("，".join(changes) if changes else "各类事项数量没有变化")
            + "。"
        )
    return out


def _reporting(data) -> list[str]:
    due = [s for s in data.scores if s.due]
    on_time = [s.name for s in due if s.on_time == s.due]
    late = [f"{s.name}（{'、'.join(_items(s.late_items))}）" for s in due if s.late]
    missing = [f"{s.name}（{'、'.join(_items(s.missing_items))}）" for s in due if s.missing]
    out = [f"本季度应报送进展的牵头单位{len(due)}个，报送截止日期为{_zh_date(data.deadline)}。"]
    out.append(f"全部按时报送的{len(on_time)}个：{'、'.join(on_time)}。" if on_time else "没有全部按时报送的单位。")
    if late:
        out.append(f"逾期报送的{len(late)}个：{'；'.join(late)}。")
    if missing:
        out.append(f"有事项未报送的{len(missing)}个：{'；'.join(missing)}。")
    return out


def _items(labels: list[str]) -> list[str]:
    """``1-59`` → ``第59项``; ``2-3`` → ``附件2第3项``."""
    out = []
    for label in labels:
        attachment, _, number = label.partition("-")
        out.append(f"第{number}项" if attachment == "1" else f"附件{attachment}第{number}项")
    return out


def _warnings(data) -> list[str]:
    red = [r for r in data.now if r.overdue]
    yellow = [r for r in data.now if not r.overdue and r.status == Status.BEHIND.value]
    out = []
    out.append(
        f"红牌（逾期未完成）{len(red)}项：" + "；".join(_by_unit(red)) + "。" if red else "没有逾期未完成的事项。"
    )
    out.append(
        f"黄牌（未达序时进度）{len(yellow)}项：" + "；".join(_by_unit(yellow)) + "。"
        if yellow
        else "没有未达序时进度的事项。"
    )
    return out


def _good(data) -> list[str]:
    done = [r for r in data.now if r.status == Status.DONE.value]
    ahead = [r for r in data.now if r.status == Status.AHEAD.value]
    out = []
    if done:
        out.append(f"已完成{len(done)}项：" + "；".join(_by_unit(done)) + "。")
    if ahead:
        out.append(f"超序时推进{len(ahead)}项：" + "；".join(_by_unit(ahead)) + "。")
    return out or ["本季度没有已完成或超序时推进的事项。"]


def score_rule_zh(rules) -> str:
    """How the score is reckoned, in Chinese (the bulletin and the workbook say it alike)."""
    return (
        f"得分满分100分：报送{rules.reporting:g}分×（按时报送项数＋逾期报送项数×{rules.late_credit:g}）÷本季应报项数，"
        f"加进度{rules.progress:g}分×（已完成＋序时或超序时项数）÷牵头事项数，"
        f"每项逾期未完成扣{rules.overdue_penalty:g}分，最低0分；本季无应报事项的，报送部分计满分。"
        f"报送截止日期为季度末后{rules.report_days}日（北京时间），网上报送以最后一次未退回的报送时间为准，"
        "载入的进展表按时计。"
    )


def bulletin_content(
    data, *, number: str, date: dt.date, office: str | None = None, city: str | None = None, top: int = 10
) -> Bulletin:
    """The content of the quarter's 督查通报 from :class:`~respgraph.accounts.scorecard.BulletinData`."""
    place = city or next((r.city for r in data.now if r.city), "")
    office = office or (f"{place}人民政府督查室" if place else "市人民政府督查室")
    quarter = f"{data.year}年第{_cn(data.quarter)}季度"
    sections = [
        ("总体情况", _overall(data)),
        ("报送情况", _reporting(data)),
        ("红黄牌事项", _warnings(data)),
        ("完成和超序时推进事项", _good(data)),
        (
            "季度考评",
            [
                f"按季度考评规则，本季度得分前{min(top, len(data.scores))}名的牵头单位见下表。"
                + score_rule_zh(data.rules)
            ],
        ),
        (
            "下一步工作要求",
            [
                "请各牵头单位对照季度工作目标，对红牌、黄牌事项逐项制定整改措施，明确完成时限；"
                "未按时报送的单位要落实专人负责，按时报送下季度进展情况。",
                "市政府督查室将继续跟踪督办，对连续滞后的事项提请分管领导专题督导。",
            ],
        ),
    ]
    columns = ["排名", "牵头单位", "应报", "按时", "逾期", "未报", "得分"]
    rows = [
        [str(s.rank), s.name, str(s.due), str(s.on_time), str(s.late), str(s.missing), f"{s.score:g}"]
        for s in data.scores[:top]
    ]
    copies = [f"市政府{leader}同志办公室" for leader in sorted({x for r in data.now for x in r.leaders})]
    return Bulletin(
        office=office,
        number=number,
        title=f"关于{quarter}重点工作推进情况的通报",
        recipient="各县（市、区）人民政府（管委会），市政府各部门、各直属机构：",
        sections=sections,
        table=(columns, rows),
        date=_zh_date(date),
        copies=copies,
        printed=f"{office}\t{_zh_date(date)}印发",
    )


def render_bulletin(bulletin: Bulletin, path: Path) -> None:
    """Lay ``bulletin`` out as GB/T 9704-2012 lays out a document (as the notices are), and save it (.docx)."""
    import docx
    import docx.enum.text

    document = docx.Document()
    _page(document)
    _font_fallbacks(document)
    for name in ("Normal", "Table Grid"):
        _fonts(document.styles[name], BODY_FONT)
    _paragraph(document, bulletin.office, font=TITLE_FONT, size=26, colour=RED, align="center", exact=False)
    _paragraph(document, "督查通报", font=TITLE_FONT, size=36, colour=RED, align="center", exact=False)
    _rule(_paragraph(document, bulletin.number, align="center"), RED, size=18)
    _paragraph(document)
    # Two lines broken where the sense breaks (GB/T 9704), not where 二号 runs out of room.
    first, _, rest = bulletin.title.partition("重点工作")
    title = _paragraph(document, first, font=TITLE_FONT, size=TITLE_PT, align="center", exact=False)
    if rest:
        run = title.add_run()
        run.add_break()
        _fonts(title.add_run("重点工作" + rest), TITLE_FONT, TITLE_PT)
    _paragraph(document)
    _paragraph(document, bulletin.recipient)
    for n, (heading, paragraphs) in enumerate(bulletin.sections, 1):
        _paragraph(document, f"{_cn(n)}、{heading}", font=HEADING_FONT, indent=True)
        for text in paragraphs:
            _paragraph(document, text, indent=True, align="justify")
        if heading == "季度考评" and bulletin.table[1]:
            _table(document, *bulletin.table)
    _paragraph(document)
    for text in (bulletin.office, bulletin.date):
        p = _paragraph(document, text, align="right")
        p.paragraph_format.right_indent = docx.shared.Pt(BODY_PT * 4)
    _paragraph(document)
    if bulletin.copies:
        copies = _paragraph(document, f"抄送：{'，'.join(bulletin.copies)}。", size=TABLE_PT)
        _rule(copies, "#000000", where="top", size=8)
        _rule(copies, "#000000", where="bottom", size=4)
    printed = _paragraph(document, bulletin.printed, size=TABLE_PT)
    printed.paragraph_format.tab_stops.add_tab_stop(docx.shared.Mm(TEXT_MM - 2), docx.enum.text.WD_TAB_ALIGNMENT.RIGHT)
    if not bulletin.copies:
        _rule(printed, "#000000", where="top", size=8)
    _rule(printed, "#000000", where="bottom", size=8)
    _save_whole(document, path)


def write_scorecard(quarters: dict[int, list], rules, path: Path, *, year: int) -> None:
    """The scorecard workbook: one sheet per quarter (units ranked), and the rule with its weights."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])  # the empty sheet a new workbook starts with
    for quarter, rows in sorted(quarters.items()):
        sheet = book.create_sheet(f"第{_cn(quarter)}季度")
        sheet.append([f"{year}年第{_cn(quarter)}季度牵头单位考评得分"])
        sheet.append([header for _, header in SCORE_COLUMNS])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for r in rows:
            sheet.append([getattr(r, key) for key, _ in SCORE_COLUMNS])
    rule = book.create_sheet("计分规则")
    rule.append(["计分规则"])
    rule.append([score_rule_zh(rules)])
    for name, value in (
        ("报送权重", rules.reporting),
        ("进度权重", rules.progress),
        ("逾期报送折算", rules.late_credit),
        ("每项逾期未完成扣分", rules.overdue_penalty),
        ("报送截止（季度末后天数）", rules.report_days),
    ):
        rule.append([name, value])
    text_as_text(book)
    _save_whole(book, path)


def write_bulletin(
    data,
    quarters: dict[int, list],
    *,
    number: str,
    date: dt.date,
    out: Path,
    office: str | None = None,
    city: str | None = None,
) -> list[Path]:
    """Write the quarter's 督查通报 and the year's scorecard workbook into ``out``; the paths."""
    out.mkdir(parents=True, exist_ok=True)
    quarter = f"{data.year}年第{_cn(data.quarter)}季度"
    document = out / f"督查通报_{quarter}.docx"
    render_bulletin(bulletin_content(data, number=number, date=date, office=office, city=city), document)
    book = out / f"考评得分_{quarter}.xlsx"
    write_scorecard(quarters, data.rules, book, year=data.year)
    return [document, book]

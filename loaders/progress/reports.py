"""Progress reports (进展情况表 / 落实情况表 / 督查情况汇总表) read, matched to items, and typed.

A report is read by the same readers as a table (xlsx, docx, csv, html, text),
with its own columns added to the mapping: 进展情况 (free text), 完成情况 / 进度 /
状态 (the status word), 存在问题, 下一步措施.  Its date comes from ``--as-of``, else
from a line such as ``截至6月30日`` or ``2023年上半年`` in the file.  Each table
of the report is matched to one table of the graph: the one whose items its rows
name by number, confirmed by title; ``check`` lists the rows that match nothing,
those naming an item of another table, and the items no row reports on.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from respgraph.graph.errors import LoadError
from respgraph.graph.i18n import N_
from respgraph.graph.progress import Progress, ProgressReport, StatusRecord, report_key
from respgraph.graph.text import clean_name
from respgraph.loaders.progress.status import decide
from respgraph.loaders.progress.words import Vocabulary
from respgraph.loaders.table.raw import RawTable

#: Columns of a progress report, on top of a table's own (序号, 事项, 牵头单位 …).
COLUMNS = {
    "进展情况": "progress",
    "工作进展": "progress",
    "进展": "progress",
    "推进情况": "progress",
    "落实情况": "progress",
    "办理情况": "progress",
    "目前进展": "progress",
    "工作进展情况": "progress",
    "进展情况说明": "progress",
    "工作推进情况": "progress",
    "完成进度": "progress",
    "督查情况": "progress",
    "完成情况": "status",
    "进度": "status",
    "状态": "status",
    "进度状态": "status",
    "办理状态": "status",
    "推进状态": "status",
    "完成状态": "status",
    "进度情况": "status",
    "评价": "status",
    "督查结果": "status",
    "存在问题": "problems",
    "存在的问题": "problems",
    "问题": "problems",
    "困难问题": "problems",
    "存在问题及困难": "problems",
    "存在困难和问题": "problems",
    "下一步措施": "next_steps",
    "下一步工作": "next_steps",
    "下一步计划": "next_steps",
    "下步措施": "next_steps",
    "下一步工作措施": "next_steps",
    "下一步工作计划": "next_steps",
    "下步工作": "next_steps",
    "季度目标": "targets",
    "本季度目标": "targets",
    "季度工作目标": "targets",
    "序时目标": "targets",
}
#: Similarity of titles above which a row is taken to name an item.
SAME_TITLE = 0.5
_SUB_NUMBER = re.compile(r"^(\d+)\s*(?:[-—－.．之]\s*|[（(]\s*)(\d+)\s*[)）]?$")
_PUNCT = re.compile(r"[\s，。、；：,.;:“”\"'《》()（）]+")
_YEAR = re.compile(r"(\d{4})\s*年")
_UNTIL = re.compile(r"截[至止]\s*(?:到\s*)?(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|底)?")
_FULL_DATE = re.compile(r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|-(\d{1,2})-(\d{1,2})\b)")
_PERIODS = (  # a period a report covers, and the month it ends
    (re.compile(r"1\s*[-—至到~]\s*12\s*月|全年|第四季度|四季度"), 12),
    (re.compile(r"1\s*[-—至到~]\s*9\s*月|前三季度|第三季度|三季度"), 9),
    (re.compile(r"1\s*[-—至到~]\s*6\s*月|上半年|第二季度|二季度"), 6),
    (re.compile(r"1\s*[-—至到~]\s*3\s*月|第一季度|一季度"), 3),
)


@dataclass
class ReportRow:
    line: int
    number: str
    title: str
    status_text: str
    progress: str
    problems: str
    next_steps: str


@dataclass
class ReportTable:
    """One table of a progress report, as read."""

    title: str
    attachment: int
    status_header: str
    rows: list[ReportRow]


@dataclass
class ProgressFile:
    file: str
    format: str
    tables: list[ReportTable]
    as_of: dt.date | None
    date_from: str  # where the date was found, for check


@dataclass
class Note:
    line: int
    kind: str  # unmatched, other_document, wrong_number, no_row
    message: str


@dataclass
class Matched:
    """One report table matched to a table of the graph: the typed report, and what did not fit."""

    progress: Progress
    document: dict
    notes: list[Note] = field(default_factory=list)

    @property
    def unmatched(self) -> int:
        return sum(n.kind != "no_row" for n in self.notes)

    @property
    def without_row(self) -> int:
        return sum(n.kind == "no_row" for n in self.notes)


def read_progress(path: Path | str, *, as_of: dt.date | None = None, year: int | None = None) -> ProgressFile:
    """The tables and the date of a progress report, whatever its format."""
    from respgraph.loaders.load import read_source

    reading = read_source(path, mapping=dict(COLUMNS))
    tables = []
    for raw in reading.tables:
        if "progress" not in raw.columns and "status" not in raw.columns:
            raise LoadError(
                str(path),
                f"the table {raw.title or ''} has no progress or status column (进展情况, "
                "完成情况, 进度, 状态 …): is this a progress report?",
                line=raw.header_line,
            )
        tables.append(_report_table(raw))
    found, where = find_date(_file_text(path, reading), year=year or _year_of(tables))
    if as_of is None and found is None:
        raise LoadError(
            str(path),
            "no report date found (a line like 截至2023年6月30日 or 2023年上半年): give it with --as-of YYYY-MM-DD",
        )
    return ProgressFile(
        str(path), reading.format, tables, as_of or found, N_("--as-of") if as_of else where
    )  # a page says which date was given


def _report_table(raw: RawTable) -> ReportTable:
    from respgraph.loaders.table.source_notes import clean_controls

    clean_controls(raw)  # no control or non-character reaches a notice or a workbook
    rows = [
        ReportRow(
            r.line,
            r.cells.get("number", "").strip(),
            r.cells.get("title", "").strip(),
            r.cells.get("status", "").strip(),
            r.cells.get("progress", "").strip(),
            r.cells.get("problems", "").strip(),
            r.cells.get("next_steps", "").strip(),
        )
        for r in raw.rows
    ]
    return ReportTable(raw.title, raw.attachment, clean_name(raw.columns.get("status", "状态")), rows)


def _year_of(tables: list[ReportTable]) -> int | None:
    for t in tables:
        m = _YEAR.search(t.title)
        if m:
            return int(m.group(1))
    return None


def _file_text(path, reading) -> str:
    """The text of the file outside its tables' rows (titles, dates, notes): a figure in a row is no date."""
    data = Path(path).read_bytes()
    titles = [t.title for t in reading.tables]
    if reading.format.startswith("xlsx"):
        import io

        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        texts = list(titles)
        for table, detail in zip(reading.tables, reading.details):
            m = re.match(r"sheet '(.*)'$", detail.where)
            if m and m.group(1) in book.sheetnames and table.header_line > 1:
                for row in book[m.group(1)].iter_rows(max_row=table.header_line - 1, values_only=True):
                    texts += [str(v) for v in row if v is not None]
        return "\n".join(texts)
    if reading.format.startswith("docx"):
        import io

        import docx

        return "\n".join([*titles, *(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)])
    from respgraph.loaders.formats.detect import decode_text

    inside = {r.line for t in reading.tables for r in t.rows} | {t.header_line for t in reading.tables}
    lines = decode_text(str(path), data)[0].splitlines()
    return "\n".join([*titles, *(line for n, line in enumerate(lines, start=1) if n not in inside)])


def find_date(text: str, *, year: int | None = None) -> tuple[dt.date | None, str]:
    """The report date a text states, and the words it was read from.

    >>> find_date("2023年重点督办事项进展情况（截至6月30日）")
    (datetime.date(2023, 6, 30), '截至6月30日')
    >>> find_date("湛江市2023年上半年重点工作落实情况表")[0], find_date("2023年重点督办事项1-9月落实情况表")[0]
    (datetime.date(2023, 6, 30), datetime.date(2023, 9, 30))
    """
    import calendar

    year = year or next((int(m.group(1)) for m in _YEAR.finditer(text)), None)
    m = _UNTIL.search(text)
    if m:
        y = int(m.group(1)) if m.group(1) else year
        month = int(m.group(2))
        if y and 1 <= month <= 12:
            day = int(m.group(3)) if m.group(3) else calendar.monthrange(y, month)[1]
            try:
                return dt.date(y, month, day), m.group(0).strip()
            except ValueError:
                pass
    m = _FULL_DATE.search(text)
    if m:
        try:
            month, day = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
            return dt.date(int(m.group(1)), int(month), int(day)), m.group(0).strip()
        except ValueError:
            pass
    for pattern, month in _PERIODS:
        m = pattern.search(text)
        if m and year:
            return dt.date(year, month, calendar.monthrange(year, month)[1]), m.group(0).strip()
    return None, ""


def similarity(a: str, b: str) -> float:
    """How alike two titles are (0–1); a short title that a long one contains scores high.

    >>> round(similarity("调顺东二路新建工程", "调顺东二路新建工程(一期)"), 2), similarity("组建现代农业集团", "建成机场高速") < 0.3
    (1.0, True)
    """
    a, b = _PUNCT.sub("", clean_name(a)), _PUNCT.sub("", clean_name(b))
    if not a or not b:
        return 0.0
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    short, long = sorted((a, b), key=len)
    grams = {short[i : i + 2] for i in range(len(short) - 1)} or {short}
    contained = sum(g in long for g in grams) / len(grams)
    return max(ratio, contained if len(short) >= 4 else 0.0)


def parse_number(text: str) -> tuple[str, int | None]:
    """(item number, sub-item number or None) of a 序号 cell.

    >>> parse_number("79-3"), parse_number("79（3）"), parse_number("12"), parse_number("")
    (('79', 3), ('79', 3), ('12', None), ('', None))
    """
    text = clean_name(text)
    m = _SUB_NUMBER.match(text)
    if m:
        return m.group(1), int(m.group(2))
    return text, None


class _Index:
    """The targets of the graph by document, number and part, for matching."""

    def __init__(self, targets: list[dict]):
        self.docs: dict[str, dict] = {}
        self.items: dict[str, dict[str, dict]] = {}
        self.parts: dict[str, dict[int, dict]] = {}
        for t in targets:
            self.docs.setdefault(
                t["document"],
                {"key": t["document"], "city": t["city"], "year": t["year"], "attachment": t["attachment"]},
            )
            if t["label"] == "Item":
                self.items.setdefault(t["document"], {})[t["number"]] = t
            else:
                self.parts.setdefault(t["item"], {})[t["part"]] = t

    def best_title(self, title: str, documents) -> tuple[float, dict | None]:
        best: tuple[float, dict | None] = (0.0, None)
        for doc in documents:
            for item in self.items.get(doc, {}).values():
                for t in [item, *self.parts.get(item["key"], {}).values()]:
                    s = similarity(title, t["title"])
                    if s > best[0]:
                        best = (s, t)
        return best


def _target_in(index: _Index, doc: str, row: ReportRow, previous: dict | None) -> tuple[dict | None, str]:
    """The item or sub-item of ``doc`` a row reports on, or None and why not."""
    number, part = parse_number(row.number)
    if not number:
        if previous is None:
            return None, "continues no item (empty 序号 on the first row)"
        item = previous
    else:
        item = index.items.get(doc, {}).get(number)
        if item is None:
            return None, f"item {number} is not in this table"
    parts = index.parts.get(item["key"], {})
    if part is not None:
        if part not in parts:
            return None, f"item {number} has no sub-item {part}"
        candidates = [parts[part]]
    elif not number:
        candidates = list(parts.values())  # a continuation row: one of the item's parts
    else:
        candidates = [item, *parts.values()]
    if not row.title:
        return (candidates[0], "") if len(candidates) == 1 or number else (None, "continuation row with no title")
    score, best = max(
        ((similarity(row.title, c["title"]), c) for c in candidates), key=lambda x: x[0], default=(0.0, None)
    )
    if best is None or score < SAME_TITLE:
        return None, f"title does not match item {item['number']} ({item['title'][:20]}…)"
    return best, ""


def match_report(
    store_targets: list[dict],
    table: ReportTable,
    *,
    as_of: dt.date,
    file: str,
    vocabulary: Vocabulary,
    city: str | None = None,
    year: int | None = None,
    document: str | None = None,
) -> Matched:
    """The report table typed and matched to one table of the graph.

    ``document`` names that table; otherwise it is the table of the right city and
    year whose items the rows name best.  Rows that match nothing are notes, not errors.
    """
    index = _Index(store_targets)
    if not index.docs:
        raise LoadError(file, "the graph has no tables yet: load the responsibility table before its progress reports")
    if document is not None:
        if document not in index.docs:
            raise LoadError(file, f"no table {document!r} in the graph (tables: {', '.join(sorted(index.docs))})")
        candidates = [document]
    else:
        year = year or _year_of([table]) or as_of.year
        candidates = [
            k
            for k, d in index.docs.items()
            if d["year"] == year
            and (city is None or d["city"] == city)
            and (city is not None or not _names_other_city(table.title, d["city"], index))
        ]
        if not candidates:
            raise LoadError(
                file, f"no table of {city or 'any city'} for {year} in the graph: load it first, or give --doc"
            )
    scores = {doc: _score(index, doc, table) for doc in candidates}
    top = max(scores.values())
    best = [doc for doc, s in scores.items() if s == top]
    if top == 0:
        raise LoadError(
            file,
            f"no row of {table.title or 'the report'} matches an item of "
            f"{', '.join(sorted(candidates))} by number and title: give the table with --doc",
        )
    if len(best) > 1:
        raise LoadError(file, f"the rows match {', '.join(sorted(best))} equally well: give the table with --doc")
    doc = best[0]
    return _build(index, doc, table, as_of=as_of, file=file, vocabulary=vocabulary)


def _names_other_city(title: str, city: str, index: _Index) -> bool:
    """The report title names another city of the graph (and not this one)."""
    return city not in title and any(d["city"] in title for d in index.docs.values())


def _score(index: _Index, doc: str, table: ReportTable) -> int:
    previous, score = None, 0
    for row in table.rows:
        target, _ = _target_in(index, doc, row, previous)
        if target is not None:
            score += 1
            previous = index.items[doc][target["number"]]
    return score


def _build(
    index: _Index, doc: str, table: ReportTable, *, as_of: dt.date, file: str, vocabulary: Vocabulary
) -> Matched:
    info = index.docs[doc]
    key = report_key(doc, as_of)
    records, notes, seen = [], [], {}
    previous = None
    for row in table.rows:
        target, why = _target_in(index, doc, row, previous)
        if target is None:
            notes.append(_explain(index, doc, row, why))
            if parse_number(row.number)[0]:
                previous = None
            continue
        previous = index.items[doc][target["number"]]
        if target["key"] in seen:
            raise LoadError(
                file,
                f"rows on lines {seen[target['key']]} and {row.line} both report on {_name(target)}: keep one",
                line=row.line,
            )
        seen[target["key"]] = row.line
        decision = decide(
            status_text=row.status_text,
            progress=row.progress,
            milestones=target["milestones"],
            as_of=as_of,
            year=info["year"],
            vocabulary=vocabulary,
            status_header=table.status_header,
        )
        records.append(
            StatusRecord(
                key=f"status:{as_of.isoformat()}/{target['key']}",
                report=key,
                target=target["key"],
                item=target["item"],
                as_of=as_of,
                status=decision.status,
                why=decision.why,
                inferred=decision.inferred,
                status_text=row.status_text,
                progress=row.progress,
                problems=row.problems,
                next_steps=row.next_steps,
                line=row.line,
            )
        )
    reported_items = {r.item for r in records}
    for number, item in sorted(index.items.get(doc, {}).items(), key=lambda kv: _order(kv[0])):
        if item["key"] not in reported_items:
            notes.append(Note(0, "no_row", f"item {number} ({item['title'][:24]}) has no row in the report"))
    report = ProgressReport(
        key=key,
        document=doc,
        city=info["city"],
        as_of=as_of,
        title=table.title,
        source=Path(file).name,
        rows=len(records),
    )
    return Matched(Progress(report=report, records=tuple(records)), info, notes)


def _order(number: str) -> tuple:
    return (int(number) if number.isdigit() else 10**9, number)


def _name(target: dict) -> str:
    return f"item {target['number']}" + (f" part {target['part']}" if target["part"] else "")


def _explain(index: _Index, doc: str, row: ReportRow, why: str) -> Note:
    """Why a row matched nothing here: it names an item of another table, another item, or none."""
    label = f"row {row.number or '(no 序号)'} {row.title[:24]!r}"
    if row.title:
        others = [d for d in index.docs if d != doc]
        score, other = index.best_title(row.title, others)
        if other is not None and score >= 0.8:
            return Note(
                row.line,
                "other_document",
                f"{label} names {_name(other)} of {other['document']}, not of {doc}; not loaded",
            )
        score, same = index.best_title(row.title, [doc])
        if same is not None and score >= 0.8:
            return Note(row.line, "wrong_number", f"{label}: {why}, but its title is {_name(same)}'s; not loaded")
    return Note(row.line, "unmatched", f"{label}: {why}; not loaded")

"""Prose task lists: numbered paragraphs, each followed by who does it.

Both forms other cities print are read, with full-width or ASCII punctuation::

    1. 推进某项工作。（牵头单位：市发展改革局；责任单位：市自然资源局）

    2、推进另一项工作
    牵头单位：市交通运输局
    责任单位：各县（市、区）政府

A label is any column header :mod:`columns` knows (牵头单位, 责任单位, 配合单位,
分管领导, 完成时限, 季度工作目标 …).  A label given twice for one task, or an
unnumbered line that is only a bracket of labels, starts the task's next part
(a continuation row).  ``一、`` and ``（一）`` lines are sections, as in tables.
"""

from __future__ import annotations

import re

from respgraph.graph.errors import LoadError
from respgraph.graph.limits import limits
from respgraph.graph.vocabulary import ROLES
from respgraph.loaders.formats.lines import split_lines
from respgraph.loaders.grid.grid_tables import HEADING_LEADER, Sections, choose_title
from respgraph.loaders.grid.headings import ATTACHMENT, heading_level, is_note, states_lead_first
from respgraph.loaders.table.columns import field_of
from respgraph.loaders.table.raw import RawRow, RawTable
from respgraph.loaders.table.reading import Column, Reading, TableReading

_TASK = re.compile(r"^\s*(?:(\d{1,3})\s*[.．、](?!\d)|[（(]\s*(\d{1,3})\s*[)）]|(\d{1,3})\s*[)）])\s*")
_LABEL = re.compile(r"(?:^|(?<=[；;。，,\s]))([^；;：:（）()\s，,。]{2,12})\s*[:：]")
_LABEL_FIELDS = ("content", "targets", "deadline", "leader", *ROLES)
_TITLE_END = "。；;，,：: "


def labels_in(text: str, mapping=None) -> list[tuple[str, str, str]]:
    """(field, label, value) for each label in ``text``; empty unless text starts with one.

    >>> labels_in("牵头单位：市发展改革局；配合单位: 市财政局、市自然资源局")
    [('lead', '牵头单位', '市发展改革局'), ('assist', '配合单位', '市财政局、市自然资源局')]
    >>> labels_in("第一季度：完成")
    []
    """
    marks = []
    for m in _LABEL.finditer(text):
        field, _ = field_of(m.group(1), mapping)
        if field in _LABEL_FIELDS:
            marks.append((m, field))
    if not marks or text[: marks[0][0].start()].strip(" ；;。，,"):
        return []
    out = []
    for n, (m, field) in enumerate(marks):
        end = marks[n + 1][0].start() if n + 1 < len(marks) else len(text)
        value = text[m.end() : end].strip(" ；;，,\t")
        # A sentence's 。 is part of a target's text, but never of a name or a date.
        out.append((field, m.group(1), value if field in ("content", "targets") else value.rstrip("。")))
    return out


def split_task(text: str, mapping=None) -> tuple[str, list[tuple[str, str, str]]]:
    """A task's title and the labels after it: in a closing bracket, or inline.

    >>> split_task("推进某项工作（含二期）。（牵头单位：市发展改革局）")
    ('推进某项工作（含二期）', [('lead', '牵头单位', '市发展改革局')])
    >>> split_task("推进某项工作。牵头单位：市发展改革局")
    ('推进某项工作', [('lead', '牵头单位', '市发展改革局')])
    """
    body = text.rstrip(" 。；;.")
    if body.endswith(("）", ")")):
        depth = 0
        for i in range(len(body) - 1, -1, -1):
            depth += body[i] in "）)"
            depth -= body[i] in "（("
            if depth == 0:
                labels = labels_in(body[i + 1 : -1], mapping)
                if labels:
                    return body[:i].rstrip(_TITLE_END), labels
                break
    for m in _LABEL.finditer(text):
        labels = labels_in(text[m.start() :], mapping)
        if labels:
            return text[: m.start()].rstrip(_TITLE_END), labels
    return text.strip().rstrip(_TITLE_END), []


class _Prose:
    def __init__(self, file: str, mapping=None):
        self.file, self.mapping = file, mapping
        self.tables: list[RawTable] = []
        self.details: list[TableReading] = []
        self.attachment, self.marked = 1, False
        self.pre: list[tuple[int, str]] = []
        self.table: RawTable | None = None
        self.row: RawRow | None = None
        self.filled: set[str] = set()
        self.sections = Sections()

    def line(self, number: int, text: str) -> None:
        text = text.strip()
        if not text:
            return
        m = ATTACHMENT.match(text)
        task = _TASK.match(text)
        if m:
            self.table, self.row, self.marked, self.sections = None, None, True, Sections()
            self.attachment = int(m.group(1))
            self.pre = [(number, m.group(2))] if m.group(2).strip() else []
        elif task:
            title, labels = split_task(text[task.end() :], self.mapping)
            self.open_item(number, next(g for g in task.groups() if g), title)
            self.fill(number, labels)
        elif heading_level(text):
            self.sections.enter(text)
            self.row = None
        elif (labels := self.bracket_labels(text)) and self.row is not None:
            self.new_part(number)
            self.fill(number, labels)
        elif (labels := labels_in(text, self.mapping)) and self.row is not None:
            self.fill(number, labels)
        elif self.table is None:
            self.pre.append((number, text))
        elif self.row is not None and not self.filled and not is_note(text):
            self.row.cells["title"] += text  # the task's text wraps onto this line
        else:
            if states_lead_first(text):
                self.details[-1].rule = True
            self.details[-1].notes.append(f"line {number} not read (no task, label or heading): {text[:30]}")

    def bracket_labels(self, text: str):
        if text[:1] in "（(" and text.rstrip(" 。；;")[-1:] in "）)":
            return labels_in(text.rstrip(" 。；;")[1:-1], self.mapping)
        return []

    def open_item(self, number: int, printed: str, title: str) -> None:
        if self.table is None:
            if self.tables and not self.marked:
                self.attachment = max(t.attachment for t in self.tables) + 1
            title_line, doc_title = choose_title(self.pre)
            self.table = RawTable(
                self.file, self.attachment, doc_title, title_line, {"number": "序号", "title": "事项"}, number
            )
            self.tables.append(self.table)
            self.details.append(
                TableReading(
                    self.attachment,
                    "",
                    (number,),
                    [Column("序号", "number", "name"), Column("事项", "title", "name")],
                    rule=any(states_lead_first(t) for _, t in self.pre),
                )
            )
            self.pre, self.marked = [], False  # headings above the first task are its sections
        self.row = RawRow(number, {"number": printed, "title": title, "section": self.sections.name})
        self.filled = set()
        self.table.rows.append(self.row)
        if self.sections.leader:
            self.row.cells["leader"] = self.sections.leader
            self.note_column("leader", HEADING_LEADER, "heading")

    def new_part(self, number: int) -> None:
        self.row = RawRow(number, {"number": "", "title": "", "section": self.sections.name})
        self.filled = set()
        self.table.rows.append(self.row)

    def fill(self, number: int, labels) -> None:
        for field, label, value in labels:
            if field in self.filled:
                self.new_part(number)
            self.row.cells[field] = value
            self.filled.add(field)
            self.note_column(field, label, "name")

    def note_column(self, field: str, label: str, how: str) -> None:
        if field not in self.table.columns:
            self.table.columns[field] = label
            self.details[-1].columns.append(Column(label, field, how))

    def finish(self) -> tuple[list[RawTable], list[TableReading]]:
        if not self.tables:
            raise LoadError(self.file, "no numbered task (1. …) found: not a task list")
        for table in self.tables:
            for row in table.rows:
                for field in table.columns:
                    row.cells.setdefault(field, "")
        return self.tables, self.details


def read_prose_lines(file: str, lines: list[tuple[int, str]], *, mapping=None):
    """Raw tables of a task list given as (line, text) pairs."""
    reader = _Prose(file, mapping)
    for number, text in lines:
        reader.line(number, text)
    return reader.finish()


def read_prose(path: str, text: str, encoding: str, *, mapping=None) -> Reading:
    """The task lists of a text file.

    >>> r = read_prose("t.txt", "2024年茂名市重点工作任务\\n1. 推进某项工作。（牵头单位：市发展改革局）\\n", "utf-8")
    >>> r.tables[0].rows[0].cells
    {'number': '1', 'title': '推进某项工作', 'section': '', 'lead': '市发展改革局'}
    """
    lines = [(n, line) for n, line in enumerate(split_lines(text), start=1) if line.strip()]
    limits().check(path, "rows", len(lines))
    tables, details = read_prose_lines(path, lines, mapping=mapping)
    return Reading(path, "text (prose task list)", encoding, tables, details)

"""Grids of cells (xlsx, csv, docx and html tables) made into raw tables.

The header is found by meaning (:mod:`header`), not by position; single-text lines
above it give the title and ``附件 N``; a header that differs from the current one
opens the next table, one that repeats it (a page break) is skipped.  Inside a
table, a single-text row that is a heading (``一、`` ``（一）``, or a text spanning
the row) becomes the ``section`` of the rows under it, and a leader it names
(``王中丙市长主抓``) leads the items that name none.

Merged cells follow the text format's meaning: a vertically merged 序号 makes the
rows below it continuation rows of one item; a merged 季度工作目标 belongs to its
first row only (milestones are counted once); any other merged cell repeats its
text in every row it covers.
"""

from __future__ import annotations

import re

from respgraph.graph.errors import LoadError
from respgraph.loaders.grid.cells import GridRow
from respgraph.loaders.grid.header import AmbiguousHeader, Header, find_header
from respgraph.loaders.grid.headings import (
    ATTACHMENT,
    heading_leader,
    heading_level,
    is_note,
    states_lead_first,
)
from respgraph.loaders.table.raw import RawRow, RawTable
from respgraph.loaders.table.reading import Column, TableReading

# Merged cells that do not repeat: 序号 (the rows below continue the item) and
# 季度工作目标 (milestones belong to the row they are printed on, counted once).
_FIRST_ROW_ONLY = ("number", "targets")
#: The column name shown for leaders taken from section headings.
HEADING_LEADER = "（标题中的领导）"
_TITLE_WORDS = re.compile(r"表|方案|清单|分工|任务|事项|实事|计划|台账")
_YEAR = re.compile(r"\d{4}\s*年")
_NUMBER_END = re.compile(r"[.．、。\s]+$")


class NoHeader(LoadError):
    """A grid with no header row; a workbook skips such sheets while another has a table."""


def choose_title(lines: list[tuple[int, str]]) -> tuple[int, str]:
    """The line most like a table's title: a year and a word like 表 or 方案 first."""
    candidates = [(n, t) for n, t in lines if not is_note(t) and not ATTACHMENT.match(t)]
    for test in (lambda t: _YEAR.search(t) and _TITLE_WORDS.search(t), _TITLE_WORDS.search, _YEAR.search):
        for n, t in candidates:
            if test(t):
                return n, t
    return candidates[0] if candidates else (0, "")


class Sections:
    """The heading path and the leader it names, as rows go by.

    >>> s = Sections()
    >>> for heading in ("（一）产业", "（二）民生", "三、安全", "（一）消防"):
    ...     s.enter(heading)
    ...     print(s.name)
    （一）产业
    （二）民生
    三、安全
    三、安全 / （一）消防
    """

    def __init__(self):
        self.levels: list[tuple[int, str, str]] = []  # (level, heading, leader), outermost first

    def enter(self, text: str) -> None:
        level = max(1, heading_level(text))
        # A heading closes every open heading of its own level or deeper, and only those.
        self.levels = [entry for entry in self.levels if entry[0] < level]
        inherited = self.levels[-1][2] if self.levels else ""
        self.levels.append((level, text.strip(), heading_leader(text) or inherited))

    @property
    def path(self) -> list[tuple[str, str]]:
        return [(heading, leader) for _, heading, leader in self.levels]

    @property
    def name(self) -> str:
        return " / ".join(h for h, _ in self.path)

    @property
    def leader(self) -> str:
        return self.levels[-1][2] if self.levels else ""


class GridReader:
    """Reads the rows of one grid source (a file, or one sheet of a workbook)."""

    def __init__(self, file: str, *, mapping=None, start: int = 1, where: str = "", fallback_title: str = ""):
        self.file, self.mapping, self.where, self.fallback_title = file, mapping, where, fallback_title
        self.tables: list[RawTable] = []
        self.details: list[TableReading] = []
        self.attachment = start
        self.marked = False  # a 附件 N line came since the last table
        self.pre: list[tuple[int, str]] = []  # text lines above the next header
        self.header: Header | None = None
        self.table: RawTable | None = None
        self.sections = Sections()
        self.since_data: list[tuple[int, str]] = []  # headings after the last data row
        self.counter = 0
        self.stray: list[int] = []  # rows before any header

    def error(self, message: str, line: int | None = None, cell: str | None = None, kind=LoadError) -> LoadError:
        where = f"{self.where}: " if self.where else ""
        return kind(self.file, where + message, line=line, cell=cell)

    def read(self, rows: list[GridRow]) -> tuple[list[RawTable], list[TableReading]]:
        i = 0
        while i < len(rows):
            row = rows[i]
            texts = list(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
            if not texts:
                i += 1
                continue
            if self.is_text_line(row, texts):
                self.text_line(row.line, " ".join(texts))
                i += 1
                continue
            try:
                header = find_header(rows, i, self.mapping)
            except AmbiguousHeader as exc:
                raise self.error(str(exc), line=exc.line, cell=exc.cell) from None
            if header is not None:
                if self.header is None or not self.repeats(header):
                    self.open(header)
                i += len(header.lines)
                continue
            if self.header is None:
                self.stray.append(row.line)
            else:
                self.data(row)
            i += 1
        return self.finish()

    def repeats(self, header: Header) -> bool:
        """A header like the current one at a page break, unless a new title stands above it.

        Only the first line of a two-line header may be repeated, so a header whose
        columns sit where the current one has them is a repeat too.
        """
        if any(_YEAR.search(t) and _TITLE_WORDS.search(t) and not heading_level(t) for _, t in self.since_data):
            return False
        current = self.header.fields
        return all(f is None or (n < len(current) and current[n] == f) for n, f in enumerate(header.fields))

    def is_text_line(self, row: GridRow, texts: list[str]) -> bool:
        if row.paragraph or self.header is None:
            return len(texts) == 1 or row.paragraph
        if len(texts) == 2 and self._numbered_heading(row):
            return True
        if len(texts) != 1:
            return False
        text = texts[0]
        filled = [c for c in row.cells if c.text.strip()]
        first = next(n for n, c in enumerate(row.cells) if c.text.strip())
        in_number = first < len(self.header.fields) and self.header.fields[first] == "number"
        # A title with no number and nothing else in the row titles the rows below it.
        title_only = first < len(self.header.fields) and self.header.fields[first] == "title"
        # A text merged across the row, or repeated in every column, spans it: a heading.
        spans = any(c.left for c in filled) or len(filled) >= max(2, len(self.header.fields))
        return bool(
            heading_level(text)
            or spans
            or title_only
            or is_note(text)
            or ATTACHMENT.match(text)
            or (in_number and not _NUMBER_END.sub("", text).isdigit())
            or (self.table is not None and text == self.table.title)
        )

    def _numbered_heading(self, row: GridRow) -> bool:
        """``（一） | 科技平台 | | |``: a heading number in 序号 and a title, nothing else."""
        fields = self.header.fields
        filled = {
            fields[n] if n < len(fields) else None: c.text.strip() for n, c in enumerate(row.cells) if c.text.strip()
        }
        return set(filled) == {"number", "title"} and bool(heading_level(filled["number"]))

    def text_line(self, line: int, text: str) -> None:
        m = ATTACHMENT.match(text)
        if m:
            self.header, self.table, self.marked = None, None, True
            self.attachment = int(m.group(1))
            self.pre = [(line, m.group(2))] if m.group(2).strip() else []
            return
        if self.header is None:
            self.pre.append((line, text))
            return
        if is_note(text):
            if states_lead_first(text) and self.details:
                self.details[-1].rule = True
            return
        if self.table is not None and text == self.table.title:
            return
        self.sections.enter(text)
        self.since_data.append((line, text))

    def open(self, header: Header) -> None:
        if self.header is not None:
            # A different header inside a table: a new table, titled by the lines just above it.
            self.pre = self.since_data
        if self.tables and not self.marked:
            self.attachment = max(t.attachment for t in self.tables) + 1
        if any(t.attachment == self.attachment for t in self.tables):
            raise self.error(f"two tables are both 附件 {self.attachment}", line=header.lines[0])
        title_line, title = choose_title(self.pre)
        if not title and self.fallback_title:
            title = self.fallback_title
        self.header = header
        self.table = RawTable(
            self.file,
            self.attachment,
            title.strip(),
            title_line,
            header.printed(),
            header.lines[0],
            context=" ".join([self.fallback_title, *(t for _, t in self.pre)]).strip(),
        )
        rule = header.states_lead_first or any(states_lead_first(t) for _, t in self.pre)
        self.tables.append(self.table)
        self.details.append(TableReading(self.attachment, self.where, header.lines, list(header.columns), rule=rule))
        self.pre, self.since_data, self.marked, self.counter = [], [], False, 0
        self.sections = Sections()

    def data(self, row: GridRow) -> None:
        header, table = self.header, self.table
        assert header is not None and table is not None
        extra = [c for c in row.cells[len(header.fields) :] if c.text.strip() and not c.left]
        if extra:
            raise self.error(
                f"{len(row.cells)} cells where the header has {len(header.fields)} "
                f"(text {extra[0].text.strip()[:20]!r} has no column)",
                line=row.line,
            )
        cells: dict[str, str] = {}
        merged: set[str] = set()
        for field, cell in zip(header.fields, row.cells):
            if field is None:
                continue
            if cell.above:
                merged.add(field)
            cells[field] = "" if cell.above and field in _FIRST_ROW_ONLY else cell.text
        for field in header.fields:
            if field:
                cells.setdefault(field, "")
        if "number" in cells:
            cells["number"] = _NUMBER_END.sub("", cells["number"].strip())
        else:
            # No 序号 column: an item per row, unless its 事项 continues a merged one.
            opens = cells.get("title", "").strip() and "title" not in merged
            if opens:
                self.counter += 1
            cells["number"] = str(self.counter) if opens else ""
        opens_item = bool(cells["number"])
        cells["section"] = self.sections.name
        if self.sections.leader and opens_item and not cells.get("leader", "").strip():
            cells["leader"] = self.sections.leader
            table.columns.setdefault("leader", HEADING_LEADER)
        self.since_data = []
        table.rows.append(RawRow(row.line, cells))

    def finish(self) -> tuple[list[RawTable], list[TableReading]]:
        if not self.tables:
            hint = f" (rows from line {self.stray[0]} have no header above them)" if self.stray else ""
            raise self.error(
                "no header row found: no row names an item column (事项, 工作任务, 重点工作, …) together "
                f"with a leader or unit column (分管领导, 牵头单位, 责任单位, …){hint}; "
                "name the columns with --map HEADER=ROLE",
                line=self.stray[0] if self.stray else None,
                kind=NoHeader,
            )
        for table, detail in zip(self.tables, self.details):
            if not table.rows:
                raise self.error("a header with no rows under it", line=table.header_line)
            if table.columns.get("leader") == HEADING_LEADER and not any(c.field == "leader" for c in detail.columns):
                detail.columns.append(Column(HEADING_LEADER, "leader", "heading"))
        return self.tables, self.details


def read_grid(file: str, rows: list[GridRow], **options) -> tuple[list[RawTable], list[TableReading]]:
    """The raw tables in ``rows``; options as :class:`GridReader` takes them."""
    return GridReader(file, **options).read(rows)

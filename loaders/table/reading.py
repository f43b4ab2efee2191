"""What a reader understood of a file, for ``respgraph check`` to show before loading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from respgraph.loaders.table.raw import RawTable

#: Why an encoding was chosen, for ``respgraph check``.
ENCODING_WHY = {
    "utf-8-sig": "UTF-8 with a BOM (the BOM says so)",
    "utf-16": "UTF-16 (the BOM says so)",
    "utf-8": "UTF-8 (the bytes decode strictly as UTF-8)",
    "gb18030": "GBK/GB18030 (not valid UTF-8; the bytes decode strictly as GB18030)",
}


def one_line(text: str) -> str:
    """A header as one line: a cell's line breaks (``市政府⏎分管领导``, ``<p>…</p>``) joined, and a word
    printed letter-spaced to fill its cell (``序  号``, ``工 作 任 务``) written as one.

    >>> one_line("区政府\\n分管领导"), one_line("序  号"), one_line("市政府 分管领导")
    ('区政府分管领导', '序号', '市政府 分管领导')
    """
    text = re.sub(r"\s*(?:[\r\n\u2028\u2029]|</?p>|<br\s*/?>)+\s*", "", text, flags=re.IGNORECASE)
    words = text.split()
    return "".join(words) if len(words) > 1 and all(len(w) == 1 for w in words) else text


@dataclass
class Column:
    """One printed column and the field it was read as (None: not used)."""

    header: str
    field: str | None
    how: str  # name, the word that gave the role, --map, unmapped, ambiguous, duplicate, lead-first, heading


@dataclass
class TableReading:
    """How one table was found: where, its header rows and the meaning of each column."""

    attachment: int
    where: str  # sheet, table or part of the file; "" when the file has one place
    header_lines: tuple[int, ...]
    columns: list[Column]
    notes: list[str] = field(default_factory=list)
    rule: bool = False  # the table says the first unit listed is the lead

    @property
    def unmapped(self) -> list[str]:
        return [c.header for c in self.columns if c.field is None and c.how == "unmapped"]


@dataclass
class Reading:
    """A file as read: its format, its text encoding (None for binary formats), its tables."""

    file: str
    format: str
    encoding: str | None
    tables: list[RawTable]
    details: list[TableReading]
    encoding_note: str = ""

    def describe(self) -> str:
        """What was understood, as ``respgraph check`` prints it before the notes.

        >>> from respgraph.loaders.load import read_source, sample_path
        >>> print(read_source(sample_path()).describe().splitlines()[2])
          columns: 序号=number | 事项=title | 季度工作目标=targets | 完成时限=deadline | 市政府 分管领导=leader | 牵头单位=lead | 实施单位 (承办单位)=implement | 协办单位=assist
        """  # noqa: E501 - a doctest's expected output is one line, as printed
        encoding = f", encoding: {ENCODING_WHY.get(self.encoding, self.encoding)}" if self.encoding else ""
        lines = [f"format: {self.format}{encoding}"]
        for table, detail in zip(self.tables, self.details):
            where = f", {detail.where}" if detail.where else ""
            rows = "+".join(str(n) for n in detail.header_lines)
            lines.append(f"附件 {detail.attachment}{where}, header on line {rows}: {table.title or '(no title)'}")
            columns = [f"{one_line(c.header) or '(blank)'}={c.field or '?'}" + ("" if c.how == "name" else f" ({c.how})")
                       for c in detail.columns]
            lines.append("  columns: " + " | ".join(columns))
            if detail.unmapped:
                lines.append(f"  unmapped: {', '.join(detail.unmapped)} "
                             "(not loaded; give a role with --map HEADER=ROLE)")
            lines += [f"  note: {n}" for n in detail.notes]
        return "\n".join(lines)

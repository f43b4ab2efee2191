"""What a reader understood of a file, for ``respgraph check`` to show before loading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from respgraph.graph.i18n import N_, gettext
from respgraph.graph.labels import column_label
from respgraph.loaders.table.raw import RawTable

#: Why an encoding was chosen, for ``respgraph check`` (messages of the catalogue).
ENCODING_WHY = {
    "utf-8-sig": N_("UTF-8 with a BOM (the BOM says so)"),
    "utf-16": N_("UTF-16 (the BOM says so)"),
    "utf-8": N_("UTF-8 (the bytes decode strictly as UTF-8)"),
    "gb18030": N_("GBK/GB18030 (not valid UTF-8; the bytes decode strictly as GB18030)"),
}

#: How a column's field was found (``Column.how`` other than a word of the header).
HOW_WORDS = {
    "--map": N_("--map"),
    "unmapped": N_("unmapped"),
    "ambiguous": N_("ambiguous"),
    "duplicate": N_("duplicate"),
    "lead-first": N_("lead-first"),
    "heading": N_("heading"),
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


def _where(where: str, lang: str | None) -> str:
    """Where a table was found, in ``lang``: a readers' ``sheet 'NAME'`` (the sheet's own name kept).

    >>> _where("sheet '进展'", "zh_CN"), _where("pages 1-3", "zh_CN")
    ('工作表“进展”', 'pages 1-3')
    """
    sheet = re.fullmatch(r"sheet '(.*)'", where)
    return gettext("sheet {name!r}", lang).format(name=sheet[1]) if sheet else where


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

    def describe(self, lang: str | None = None) -> str:
        """What was understood, as ``respgraph check`` prints it before the notes, in ``lang``
        (the current language by default: the upload page's, or the CLI's).

        >>> from respgraph.loaders.load import read_source, sample_path
        >>> print(read_source(sample_path()).describe().splitlines()[2])
          columns: 序号=number | 事项=title | 季度工作目标=targets | 完成时限=deadline | 市政府 分管领导=leader | 牵头单位=lead | 实施单位 (承办单位)=implement | 协办单位=assist
        >>> print(read_source(sample_path()).describe("zh_CN").splitlines()[2])
          列：序号=序号 | 事项=事项标题 | 季度工作目标=季度目标 | 完成时限=完成时限 | 市政府 分管领导=分管领导 | 牵头单位=牵头单位 | 实施单位 (承办单位)=实施单位 | 协办单位=协办单位
        """  # noqa: E501 - a doctest's expected output is one line, as printed

        def _(message: str) -> str:
            return gettext(message, lang)

        def how(key: str) -> str:
            return _(HOW_WORDS[key]) if key in HOW_WORDS else key

        encoding = (
            _(", encoding: {encoding}").format(
                encoding=_(ENCODING_WHY[self.encoding]) if self.encoding in ENCODING_WHY else self.encoding
            )
            if self.encoding
            else ""
        )
        lines = [_("format: {format}").format(format=self.format) + encoding]
        for table, detail in zip(self.tables, self.details):
            where = f", {_where(detail.where, lang)}" if detail.where else ""
            rows = "+".join(str(n) for n in detail.header_lines)
            lines.append(
                _("附件 {attachment}{where}, header on line {rows}: {title}").format(
                    attachment=detail.attachment, where=where, rows=rows, title=table.title or _("(no title)")
                )
            )
            blank = _("(blank)")
            columns = [
                f"{one_line(c.header) or blank}={column_label(c.field, lang) if c.field else '?'}"
                + ("" if c.how == "name" else f" ({how(c.how)})")
                for c in detail.columns
            ]
            lines.append("  " + _("columns: {columns}").format(columns=" | ".join(columns)))
            if detail.unmapped:
                lines.append(
                    "  "
                    + _("unmapped: {headers} (not loaded; give a role with --map HEADER=ROLE)").format(
                        headers=_(", ").join(detail.unmapped)
                    )
                )
            lines += ["  " + _("note: {note}").format(note=n) for n in detail.notes]
        return "\n".join(lines)

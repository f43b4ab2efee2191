"""The sample's text format: one table row per line, cells separated by TAB.

Lines ``附件 N:`` open an attachment and the next one-cell line is its title; a
header row (``序号 事项 …``) repeats at every page break and may change the columns
(attachment 2 has 主要内容).  Blank lines are page breaks.
"""

from __future__ import annotations

import re
from pathlib import Path

from respgraph.graph.errors import LoadError
from respgraph.graph.limits import limits
from respgraph.loaders.formats.guard import read_file
from respgraph.loaders.formats.lines import split_lines
from respgraph.loaders.table.columns import FIELD_ZH, is_header, map_header
from respgraph.loaders.table.raw import RawRow, RawTable

_ATTACHMENT = re.compile(r"^附件\s*(\d+)\s*[:：]?\s*$")


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text of a file, or a LoadError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = "; it reads as GBK/GB18030: save it as UTF-8 and load it again"
        except UnicodeDecodeError:
            pass
        raise LoadError(str(path), f"not UTF-8 text (byte {exc.start}){hint}", line=line) from None


def read_text(path: Path | str, data: bytes | None = None) -> list[RawTable]:
    """Read every table in a TAB-separated text file (``data``: its bytes, when already read).

    >>> from respgraph.loaders.load import sample_path
    >>> [(t.attachment, len(t.rows)) for t in read_text(sample_path())]
    [(1, 110), (2, 11)]
    """
    path = Path(path)
    if data is None:
        data = read_file(path)
    text = decode(path, data)
    lim = limits()
    if not text.strip():
        raise LoadError(str(path), "the file is empty", line=1)

    tables: list[RawTable] = []
    attachment, title, title_line = 1, "", 0
    fields: list[str | None] | None = None
    current: RawTable | None = None
    rows = 0
    for number, line in enumerate(split_lines(text), start=1):
        if not line.strip():
            continue
        rows += 1
        lim.check(str(path), "rows", rows, line=number)
        lim.check(str(path), "columns", line.count("\t") + 1, line=number)
        cells = line.split("\t")
        if len(cells) == 1:
            m = _ATTACHMENT.match(line.strip())
            if m:
                attachment, title, fields, current = int(m.group(1)), "", None, None
            elif fields is None:
                if not title:  # the first line is the title; more lines above a table are its preamble
                    title, title_line = line.strip(), number
            else:
                raise LoadError(str(path), f"a row with one cell where {len(fields or [])} are expected", line=number)
            continue
        if is_header(cells):
            fields, unknown = map_header(cells)
            if unknown:
                raise LoadError(str(path), f"unknown column {unknown[0]!r}", line=number, cell=unknown[0])
            if "title" not in fields:
                raise LoadError(str(path), "the header has no 事项/项目名称 column", line=number)
            if current is None:
                columns = {f: c.strip() for f, c in zip(fields, cells) if f}
                current = RawTable(str(path), attachment, title, title_line, columns, number)
                tables.append(current)
            continue
        if fields is None or current is None:
            raise LoadError(str(path), "a table row before any header row (序号 …)", line=number)
        if len(cells) != len(fields):
            expected = " | ".join(FIELD_ZH[f] for f in fields if f)
            raise LoadError(
                str(path),
                f"{len(cells)} cells where the header has {len(fields)} ({expected})",
                line=number,
            )
        current.rows.append(RawRow(number, {f: c for f, c in zip(fields, cells) if f}))
    if not tables:
        raise LoadError(
            str(path),
            "not a responsibility table: looked for a header row (序号, 事项 and columns "
            "of units such as 牵头单位 or 责任单位, separated by TABs) and found none",
        )
    for table in tables:
        if not table.rows:
            raise LoadError(str(path), "a header with no rows under it", line=table.header_line)
    return tables

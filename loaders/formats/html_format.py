"""Saved web pages: every outermost ``<table>``, with rowspan and colspan, through lxml.

lxml's HTML parser (libxml2) reads the broken markup real pages have (unclosed
``<td>``, stray tags) the way browsers do, and gives each element its source line,
which is the line reported here.  Paragraphs and headings outside tables give
titles, ``附件 N`` and section headings.  A table holding other tables lays out the
page: its own cells are read as text lines and the tables inside it as tables.
"""

from __future__ import annotations

import codecs
import re

from respgraph.graph.errors import LoadError
from respgraph.graph.limits import limits
from respgraph.loaders.formats.detect import decode_text
from respgraph.loaders.grid.cells import Cell, GridRow
from respgraph.loaders.grid.grid_tables import read_grid
from respgraph.loaders.table.reading import Reading

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_TEXT_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "caption",
    "div",
    "center",
    "font",
    "span",
    "strong",
    "b",
    "td",
    "th",
}
_BLOCK = {"p", "div", "table", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "center"}
_BREAKS = {"br", "p", "div", "li", "tr"}
# A page declaring a Chinese legacy charset is read as GB18030, their common superset.
_GB = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936"}


def decode_html(path: str, data: bytes) -> tuple[str, str]:
    """(text, how the encoding was decided): a BOM, then <meta charset>, then UTF-8 or GB18030."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(path, data)
    m = _META_CHARSET.search(data[:8192])
    if m:
        declared = m.group(1).decode("ascii").lower()
        encoding = "gb18030" if declared in _GB else declared
        try:
            return data.decode(encoding), f"{encoding} (declared in <meta charset={declared}>)"
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common: fall back to what the bytes are
    return decode_text(path, data)


def cell_text(el) -> str:
    """Text of an element, with <br> and block elements as line breaks."""
    parts = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            if child.tag in _BREAKS:
                parts.append("\n")
            parts.append(cell_text(child))
            if child.tag in _BREAKS - {"br"}:
                parts.append("\n")
        parts.append(child.tail or "")
    return "".join(parts).replace("\xa0", " ").strip()


def _span(el, name: str) -> int:
    try:
        return max(1, int(re.sub(r"\D", "", el.get(name, "1")) or 1))
    except ValueError:
        return 1


def table_rows(table, file: str = "") -> list[GridRow]:
    lim = limits()
    rows: list[GridRow] = []
    pending: dict[int, tuple[str, int]] = {}  # grid column -> (text, rows still covered)
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        line = tr.sourceline or 0
        cells: list[Cell] = []
        tds = iter(tr.xpath("./td|./th"))
        td = next(tds, None)
        while td is not None or any(c >= len(cells) for c in pending):
            col = len(cells)
            if col in pending:
                text, left = pending[col]
                cells.append(Cell(text, above=True))
                pending[col] = (text, left - 1)
                if left == 1:
                    del pending[col]
                continue
            if td is None:
                cells.append(Cell(""))
                continue
            text, rowspan, colspan = cell_text(td), _span(td, "rowspan"), _span(td, "colspan")
            # Checked before anything is made of the span: colspan="50000000" is a few bytes.
            lim.check(file, "columns", col + colspan, "colspan reaches ", line=td.sourceline or line)
            lim.check(file, "rows", len(rows) + rowspan, "rowspan reaches ", line=td.sourceline or line)
            for k in range(colspan):
                cells.append(Cell(text, left=k > 0))
                if rowspan > 1:
                    pending[col + k] = (text, rowspan - 1)
            td = next(tds, None)
        rows.append(GridRow(line, cells))
        lim.check(file, "rows", len(rows), line=line)
    return rows


def _has_block_inside(el) -> bool:
    return any(isinstance(d.tag, str) and d.tag in _BLOCK for d in el.iterdescendants())


def page_rows(root, file: str = "") -> list[GridRow]:
    rows: list[GridRow] = []
    inside: set = set()
    for el in root.iter():
        if not isinstance(el.tag, str) or el in inside:
            continue
        if el.tag == "table":
            if el.find(".//table") is not None:
                continue  # a layout table around the page: its cells are read as text, its tables as tables
            inside.update(el.iterdescendants())
            rows += table_rows(el, file)
        elif el.tag in _TEXT_TAGS and not _has_block_inside(el):
            inside.update(el.iterdescendants())
            text = cell_text(el)
            if text:
                rows.append(GridRow(el.sourceline or 0, [Cell(text)], paragraph=True))
    return rows


def read_html(path: str, data: bytes, *, mapping=None) -> Reading:
    """The tables of a saved web page.

    >>> page = "<table><tr><td><h3>2024年茂名市重点工作</h3><table><tr><th>序号<th>工作任务<th>牵头单位"
    >>> page += "<tr><td>1<td>推进某项工作<td>市发展改革局</table></td></tr></table>"
    >>> r = read_html("t.html", page.encode())
    >>> r.tables[0].title, r.tables[0].rows[0].cells["lead"]
    ('2024年茂名市重点工作', '市发展改革局')
    """
    import lxml.html  # imported here: only web pages need it

    text, encoding = decode_html(path, data)
    try:
        root = lxml.html.document_fromstring(_XML_DECL.sub("", text))
    except Exception as exc:  # lxml raises ParserError or XMLSyntaxError for an empty or unparsable page
        raise LoadError(path, f"not a readable web page ({exc})") from None
    title = (root.findtext(".//title") or "").strip()
    tables, details = read_grid(path, page_rows(root, path), mapping=mapping, fallback_title=title)
    return Reading(path, "html", encoding, tables, details)

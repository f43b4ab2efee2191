"""PDF documents with a text layer, through pdfplumber: the tables on every page, joined.

A PDF has no lines and no table rows, only characters at positions.  pdfplumber
finds the ruled tables of each page (their cells are the rectangles the rules
draw; a merged cell is one rectangle over several rows or columns); when no page
has a ruled table, it falls back to tables found by text alignment.  A row's
``line`` counts text lines and table rows from the top of the document, so line
12 is the 12th of them; ``respgraph check`` names the page of every join.

What a page break does to a table is undone here, before the rows reach
:mod:`grid`:

- the header printed again at the top of each page is dropped (by :mod:`grid`,
  as at the text export's page breaks; counted in a note);
- a row cut by a page break arrives as two rows: its first part at the bottom of
  one page, and at the top of the next a row with an empty 序号.  When the table
  on the page before runs down to the bottom of the text area (so its last row
  was cut, not moved whole), that top row is joined to the row above instead of
  being read as a continuation row (a sub-item); each join is a note with its
  page, so a wrong one can be seen;
- page numbers (``- 3 -``, ``第 3 页``) printed outside the tables are left out.

Characters are assigned to the cell holding their centre; the lines of a cell are
joined without a space where a line wrapped between Chinese characters and with
one where it wrapped between words, and a line that ends well short of the cell's
right edge ends a paragraph (a line break is kept, as in a .docx cell).
"""

from __future__ import annotations

import bisect
import io
import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from respgraph.graph.errors import LoadError
from respgraph.graph.limits import limits, too_big
from respgraph.loaders.grid.cells import Cell, GridRow
from respgraph.loaders.grid.grid_tables import read_grid
from respgraph.loaders.grid.header import AmbiguousHeader, find_header
from respgraph.loaders.table.reading import Reading

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}(?:\s*/\s*\d{1,4})?)\s*$"
)
_RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_ALIGNED = {"vertical_strategy": "text", "horizontal_strategy": "text"}
_WORD = re.compile(r"[0-9A-Za-z%.)）]")


@dataclass
class _Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float


@dataclass
class _Row:
    """A row as found on a page, before joins: a text line outside tables, or a table row."""

    page: int
    top: float
    bottom: float
    cells: list[Cell]
    table: int | None = None  # index of the table on the whole document; None for text lines
    ends_cut: bool = False  # the last row of a table that runs to the bottom of the text area
    lines: list[list[_Line]] = field(default_factory=list)  # per cell, for joining


def page_number_line(text: str) -> bool:
    """Whether a line outside the tables is a page number.

    >>> [page_number_line(t) for t in ("- 3 -", "— 12 —", "第 3 页 共 10 页", "3", "一、重点工作")]
    [True, True, True, True, False]
    """
    return bool(_PAGE_NUMBER.match(text))


def text_lines(chars: list[dict]) -> list[_Line]:
    """Characters grouped into lines, top to bottom, a space where a gap separates words."""
    out: list[_Line] = []
    rows: list[list[dict]] = []
    for ch in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        middle = (ch["top"] + ch["bottom"]) / 2
        for row in rows:
            first = row[0]
            if (
                first["top"] - 0.5 <= middle <= first["bottom"] + 0.5
                and abs(first["top"] - ch["top"]) < first["size"] * 0.6
            ):
                row.append(ch)
                break
        else:
            rows.append([ch])
    for row in sorted(rows, key=lambda r: min(c["top"] for c in r)):
        row.sort(key=lambda c: c["x0"])
        text, previous = "", None
        for ch in row:
            if (
                previous is not None
                and ch["text"] != " "
                and not text.endswith(" ")
                and ch["x0"] - previous["x1"] > 0.3 * ch["size"]
            ):
                text += " "
            text += ch["text"]
            previous = ch
        if text.strip():
            out.append(
                _Line(
                    text.strip(),
                    row[0]["x0"],
                    row[-1]["x1"],
                    min(c["top"] for c in row),
                    max(c["bottom"] for c in row),
                    max(c["size"] for c in row),
                )
            )
    return out


def join_wrapped(before: str, after: str) -> str:
    """Two parts of a line broken by wrapping: no space between Chinese characters, one between words;
    none inside a number (a narrow column breaks ``2023`` where it must).

    >>> join_wrapped("推进重点项", "目建设"), join_wrapped("完成投资", "0.6 亿元"), join_wrapped("CV", "BH")
    ('推进重点项目建设', '完成投资 0.6 亿元', 'CV BH')
    >>> join_wrapped("202", "3 年 12 月")
    '2023 年 12 月'
    """
    if not before or not after or (before[-1].isdigit() and after[0].isdigit()):
        return before + after
    if _WORD.match(before[-1]) or _WORD.match(after[0]):
        return f"{before} {after}"
    return before + after


def cell_text(lines: list[_Line], right: float) -> str:
    """The text of a cell's lines: wraps joined, paragraph ends (a short line) kept as line breaks."""
    text = ""
    for n, line in enumerate(lines):
        if n == 0:
            text = line.text
        elif lines[n - 1].x1 < right - 2.5 * lines[n - 1].size:
            text += "\n" + line.text
        else:
            text = join_wrapped(text, line.text)
    return text


def _assign(chars: list[dict], boxes: list[tuple]) -> list[list[dict]]:
    """The characters inside each box (by their centre)."""
    xs = sorted({b[0] for b in boxes})
    columns: dict[float, list[tuple[float, float, float, int]]] = {x: [] for x in xs}
    for i, (x0, top, x1, bottom) in enumerate(boxes):
        columns[x0].append((top, bottom, x1, i))
    tops = {}
    for x in xs:
        columns[x].sort()
        tops[x] = [c[0] for c in columns[x]]
    out: list[list[dict]] = [[] for _ in boxes]
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        for j in range(bisect.bisect_right(xs, cx) - 1, -1, -1):
            column = columns[xs[j]]
            k = bisect.bisect_right(tops[xs[j]], cy) - 1
            if k >= 0 and column[k][1] >= cy and column[k][2] >= cx:
                out[column[k][3]].append(ch)
                break
    return out


def _table_rows(table, chars: list[dict], page: int, index: int) -> list[_Row]:
    boxes = list(table.cells)
    lines_of = {box: text_lines(cs) for box, cs in zip(boxes, _assign(chars, boxes))}
    xs = sorted({b[0] for b in boxes})
    rows: list[_Row] = []
    above: dict[int, tuple] = {}  # column -> the box covering it from a row above
    for prow in table.rows:
        cells, lines = [], []
        for j, box in enumerate(prow.cells):
            if box is not None:
                for k in range(j, len(xs)):
                    if xs[k] < box[2] - 0.5:
                        above[k] = box
                cells.append(Cell(cell_text(lines_of[box], box[2])))
                lines.append(lines_of[box])
                continue
            left = next((b for b in reversed(prow.cells[:j]) if b is not None), None)
            if left is not None and left[2] > xs[j] + 0.5 and left[3] >= (prow.bbox[3] - 0.5):
                cells.append(Cell(cells[-1].text, left=True))
            else:
                cover = above.get(j)
                cells.append(Cell(cell_text(lines_of[cover], cover[2]) if cover else "", above=True))
                lines.append(lines_of[cover] if cover else [])
                continue
            lines.append([])
        rows.append(_Row(page, prow.bbox[1], prow.bbox[3], cells, index, lines=lines))
    return rows


def _open(path: str, data: bytes):
    import pdfplumber  # imported here: only PDF files need it
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    _count_chars()
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        _check_size(path, pdf)
        pdf.pages  # noqa: B018 - parses the page tree now, so a damaged file fails here
        return pdf
    except LoadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds (PSSyntaxError, PDFSyntaxError …) for one meaning
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc  # pdfplumber wraps them
        if isinstance(cause, PDFPasswordIncorrect):
            raise LoadError(
                path, "the PDF is password-protected: save a copy without the password and load that"
            ) from None
        raise LoadError(path, f"a damaged PDF ({type(cause).__name__}: {cause})") from None


def _check_size(path: str, pdf) -> None:
    """Refuse a PDF past the page limit, or whose streams would inflate past the stream
    limit, before pdfminer lays out a page: both cost little to count and much to parse."""
    import itertools

    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    lim = limits()
    try:  # the page tree's own count first: refusing a file that says it is too long costs nothing
        said = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # noqa: BLE001 - no usable count: the walk below decides
        said = None
    if isinstance(said, int):
        lim.check(path, "pdf_pages", said, "its page tree counts ")
    # Walked lazily and stopped one past the limit: a page tree's /Count may lie.
    pages = sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), lim.pdf_pages + 1))
    lim.check(path, "pdf_pages", pages, "at least ")
    left = lim.pdf_stream_mb * 1024 * 1024
    for xref in pdf.doc.xrefs:
        for objid in xref.get_objids():
            try:
                if xref.get_pos(objid)[0] is not None:
                    continue  # inside an object stream: that stream is counted itself
                obj = pdf.doc.getobj(objid)
            except Exception:  # noqa: BLE001 - a broken object is pdfminer's to report when it is used
                continue
            left -= _inflated(obj, left)
            if left < 0:
                raise too_big(path, "pdf_stream_mb", f"its streams would inflate to more than {lim.pdf_stream_mb:,} MB")


#: A cross-reference or object stream's dictionary, just before its data (PDF 1.5+).
_STRUCTURE_STREAM = re.compile(rb"/Type\s*/(?:XRef|ObjStm)\b[^\0]{0,2048}?stream\r?\n", re.S)


def _check_structure_streams(path: str, data: bytes) -> None:
    """Refuse a PDF whose cross-reference or object streams would inflate past the stream limit.

    pdfminer inflates these whole while it opens the file, before any page can be
    counted (:func:`_check_size` counts the rest): so they are found in the raw bytes
    and inflated here in 1 MB steps, stopped at the limit."""
    import zlib

    left = limits().pdf_stream_mb * 1024 * 1024
    for m in _STRUCTURE_STREAM.finditer(data):
        if b"Flate" not in m.group(0):
            continue
        end = data.find(b"endstream", m.end())
        inflater, pending = zlib.decompressobj(), data[m.end() : end if end >= 0 else len(data)]
        try:
            while pending and left >= 0:
                left -= len(inflater.decompress(pending, 1 << 20))
                pending = inflater.unconsumed_tail
        except zlib.error:
            continue  # not what it says: pdfminer reports the damage
        if left < 0:
            raise too_big(
                path,
                "pdf_stream_mb",
                f"its cross-reference and object streams would inflate to more than {limits().pdf_stream_mb:,} MB",
            )


def _inflated(obj, cap: int) -> int:
    """Bytes a Flate-compressed stream inflates to, counted in 1 MB steps and stopped past
    ``cap`` (pdfminer itself inflates a stream whole, whatever it grows to); 0 for the rest.
    Images are left out: tables are read from text, and no image is ever decoded."""
    import zlib

    from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1

    if not isinstance(obj, PDFStream) or obj.rawdata is None or obj.decipher:
        return 0
    if getattr(resolve1(obj.attrs.get("Subtype")), "name", "") == "Image":
        return 0
    filters = obj.get_filters()
    if not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
        return len(obj.rawdata)
    inflater, pending, total = zlib.decompressobj(), obj.rawdata, 0
    try:
        while pending and total <= cap:
            total += len(inflater.decompress(pending, 1 << 20))
            pending = inflater.unconsumed_tail
    except zlib.error:
        return total  # pdfminer reports a damaged stream where the page uses it
    return total


class _TooManyChars(Exception):
    def __init__(self, page: int, count: int):
        self.page, self.count = page, count


_COUNTING = False


def _count_chars() -> None:
    """Make pdfplumber's layout device stop a page at the characters-per-page limit, as it
    draws them: a 10 KB page can print millions of glyphs, each a dict in memory."""
    global _COUNTING
    if _COUNTING:
        return
    import pdfplumber.page

    class Counting(pdfplumber.page.PDFPageAggregatorWithMarkedContent):
        drawn = 0

        def render_char(self, *args, **kwargs):
            self.drawn += 1
            if self.drawn > limits().pdf_page_chars:
                raise _TooManyChars(self.pageno, self.drawn)
            return super().render_char(*args, **kwargs)

    pdfplumber.page.PDFPageAggregatorWithMarkedContent = Counting  # type: ignore[misc]  # patched once: every page counts
    _COUNTING = True


@contextmanager
def _pdfminer_quiet(notes: list[str]):
    """pdfminer's warnings (a broken font, a bad xref) become notes instead of lines
    printed above the answer or the error."""
    import logging
    import warnings

    class Collect(logging.Handler):
        def emit(self, record):
            text = " ".join(record.getMessage().split())[:200]
            if text not in notes and len(notes) < 5:
                notes.append(text)

    logger = logging.getLogger("pdfminer")
    handler, propagate, level = Collect(logging.WARNING), logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    if logger.level == logging.NOTSET or logger.level > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        for w in caught:
            text = str(w.message)[:200]
            if text not in notes and len(notes) < 5:
                notes.append(text)
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
        logger.setLevel(level)


def read_pdf(path: str, data: bytes, *, mapping=None) -> Reading:
    warned: list[str] = []
    with _pdfminer_quiet(warned):
        try:
            reading = _read_pdf(path, data, mapping=mapping)
        except LoadError:
            raise
        except Exception as exc:  # a page pdfminer cannot lay out, or one past the character limit
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
            if isinstance(cause, _TooManyChars):
                raise too_big(
                    path, "pdf_page_chars", f"page {cause.page}: more than {cause.count - 1:,} characters"
                ) from None
            raise LoadError(path, f"a damaged PDF ({type(cause).__name__}: {cause})") from None
    if warned and reading.details:
        reading.details[0].notes += [f"pdfminer warned: {w}" for w in warned]
    return reading


def _read_pdf(path: str, data: bytes, *, mapping=None) -> Reading:
    _check_structure_streams(path, data)
    pdf = _open(path, data)
    with pdf:
        pages = pdf.pages
        chars = [page.chars for page in pages]
        if not any(chars):
            raise LoadError(
                path,
                f"a scanned PDF: its {len(pages)} page(s) are images with no text layer; "
                "run OCR on it (e.g. ocrmypdf) or load the document it was printed from",
            )
        how, found = "ruled", [page.find_tables(_RULED) for page in pages]
        if not any(found):
            how, found = "aligned", [page.find_tables(_ALIGNED) for page in pages]
        if not any(found):
            raise LoadError(path, f"no table found on any of the {len(pages)} pages, ruled or aligned")
        rows: list[_Row] = []
        tables = 0
        bottom = max(t.bbox[3] for ts in found for t in ts)  # the bottom of the text area
        for number, (_page, page_tables, page_chars) in enumerate(zip(pages, found, chars), start=1):
            boxes = [t.bbox for t in page_tables]
            outside = [c for c in page_chars if not any(_inside(c, b) for b in boxes)]
            found_rows = [
                _Row(number, line.top, line.bottom, [Cell(line.text)])
                for line in text_lines(outside)
                if not page_number_line(line.text)
            ]
            for table in page_tables:
                table_rows = _table_rows(table, page_chars, number, tables)
                tables += 1
                if table_rows:
                    line_height = (
                        max((line.bottom - line.top for ls in table_rows[-1].lines for line in ls), default=12.0) * 1.2
                    )
                    table_rows[-1].ends_cut = table.bbox[3] >= bottom - line_height
                found_rows += table_rows
            rows += sorted(found_rows, key=lambda r: r.top)
            limits().check(path, "rows", len(rows), f"page {number}: text lines and table rows reach ")
    grid, page_of, joins = _join(rows, how, mapping)
    raw_tables, details = read_grid(path, grid, mapping=mapping)
    _describe(raw_tables, details, grid, page_of, joins)
    reader = "ruled tables" if how == "ruled" else "tables by text alignment (no ruled lines)"
    found_text = f"{len(pages)} page{'s' if len(pages) != 1 else ''}, {tables} table{'s' if tables != 1 else ''}"
    return Reading(path, f"pdf (pdfplumber, {reader}): {found_text}", None, raw_tables, details)


def _inside(ch: dict, box: tuple) -> bool:
    cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
    return box[0] <= cx <= box[2] and box[1] <= cy <= box[3]


@dataclass
class _Join:
    line: int  # the row joined to
    page: int  # where its second part was
    why: str


def _header_rows(rows: list[_Row], mapping) -> tuple[set[int], dict[int, list[str | None]]]:
    """ids of the rows that are header rows (a header over two rows counts both), and the
    fields of each header's first row."""
    ids: set[int] = set()
    fields: dict[int, list[str | None]] = {}
    for i, row in enumerate(rows):
        if row.table is None or id(row) in ids:
            continue
        window = [GridRow(1, row.cells)]
        if i + 1 < len(rows) and rows[i + 1].table == row.table:
            window.append(GridRow(2, rows[i + 1].cells))
        try:
            header = find_header(window, 0, mapping)
        except AmbiguousHeader:
            continue  # refused by the grid reader, with the line it is on
        if header is not None:
            ids.add(id(row))
            fields[id(row)] = header.fields
            if len(header.lines) == 2:
                ids.add(id(rows[i + 1]))
    return ids, fields


def _join(rows: list[_Row], how: str, mapping) -> tuple[list[GridRow], dict[int, int], list[_Join]]:
    """Grid rows in document order, rows cut by a page break (or wrapped, in aligned tables) joined."""
    grid: list[GridRow] = []
    kept: list[_Row] = []
    joins: list[_Join] = []
    fields: list[str | None] | None = None
    headers, header_fields = _header_rows(rows, mapping)
    tails: dict[int, _Row] = {}  # index in kept -> the last part joined to it (a row over 3+ pages)
    for row in rows:
        if how == "aligned" and not any(c.text.strip() for c in row.cells):
            continue  # the gaps between text lines, read as rows of an unruled table
        current = GridRow(len(grid) + 1, row.cells, paragraph=row.table is None)
        if id(row) in headers:
            fields = header_fields.get(id(row), fields)
            grid.append(current)
            kept.append(row)
            continue
        leader = fields.index("leader") if fields and "leader" in fields else None
        if row.table is not None and leader is not None:
            _keep_lines(row, leader)
        previous = kept[-1] if kept else None
        number = fields.index("number") if fields and "number" in fields else None
        last_data = next((r for r in reversed(kept) if r.table is not None and id(r) not in headers), None)
        if (
            row.table is not None
            and number is not None
            and last_data is not None
            and previous is not None
            and previous.table is not None
            and number < len(row.cells)
        ):
            at = kept.index(last_data)
            split_number = _split_number(grid, at, number, row.cells[number].text.strip())
            tail = tails.get(at, last_data)
            cut = (
                tail.page == row.page - 1
                and tail.ends_cut
                and _continues(tail, row)
                and all(r.table is not None for r in kept[at:])
                and _first_row_of_page(row, rows, headers)
            )
            wrapped = how == "aligned" and last_data is previous and previous.table == row.table
            if (cut or wrapped) and (not row.cells[number].text.strip() or split_number):
                _merge(grid[at], row.cells, grid, at, leader)
                tails[at] = row
                joins.append(_Join(grid[at].line, row.page, "cut by a page break" if cut else "a wrapped line"))
                continue
        grid.append(current)
        kept.append(row)
    return grid, {g.line: r.page for g, r in zip(grid, kept)}, joins


def _continues(cut: _Row, row: _Row) -> bool:
    """Whether every cell with text in ``row`` can continue the cell above it in ``cut``: a cell runs
    on to the next page only if its text filled its part down to the page break."""
    for j, cell in enumerate(row.cells):
        if not cell.text.strip() or cell.left:
            continue
        above = cut.lines[j] if j < len(cut.lines) else []
        if not above:
            return False
        last = max(above, key=lambda line: line.bottom)
        if last.bottom < cut.bottom - (last.size + 6):
            return False  # that cell's text ended well above the break: this is a row of its own
    return True


def _split_number(grid: list[GridRow], at: int, column: int, rest: str) -> bool:
    """Whether ``rest`` ends the 序号 of ``grid[at]``, cut in two by a page break (``1`` | ``0``):
    the two read together are the number after the item before it, and the first part alone is not."""
    first = grid[at].cells[column].text.strip() if column < len(grid[at].cells) else ""
    if not (first.isdigit() and rest.isdigit()):
        return False
    before = next(
        (
            g.cells[column].text.strip()
            for g in reversed(grid[:at])
            if column < len(g.cells) and g.cells[column].text.strip().isdigit()
        ),
        "0",
    )
    return int(first + rest) == int(before) + 1 != int(first)


def _first_row_of_page(row: _Row, rows: list[_Row], headers: set[int]) -> bool:
    """No data row of a table stands above ``row`` on its page (repeated headers may)."""
    for other in rows:
        if other is row:
            return True
        if other.page == row.page and other.table is not None and id(other) not in headers:
            return False
    return True


def _is_header_cells(cells: list[Cell]) -> bool:
    try:
        return find_header([GridRow(0, cells)], 0) is not None
    except AmbiguousHeader:
        return False


def _keep_lines(row: _Row, column: int) -> None:
    """A leader cell keeps each printed line: names padded to one width (王　伟 over 张三丰)
    fill their lines, so a line's length cannot tell a wrap from the next leader."""
    if column < len(row.cells) and column < len(row.lines) and row.lines[column] and not row.cells[column].left:
        old = row.cells[column]
        row.cells[column] = Cell("\n".join(line.text for line in row.lines[column]), above=old.above)


def _merge(target: GridRow, cells: list[Cell], grid: list[GridRow], index: int, lines_kept: int | None = None) -> None:
    """Append the second part of a cut row to the row above, cell by cell (on a line of its
    own in the column ``lines_kept``, the leaders')."""
    for j, cell in enumerate(cells):
        if j >= len(target.cells) or not cell.text.strip() or cell.left:
            continue
        k = index
        while k > 0 and target.cells[j].above and j < len(grid[k - 1].cells):
            k -= 1  # a merged cell cut by the page: its text lives in the row that starts the merge
            if not grid[k].cells[j].above:
                break
        for r in range(k, index + 1):
            old = grid[r].cells[j]
            joined = (
                f"{old.text}\n{cell.text.strip()}" if j == lines_kept else join_wrapped(old.text, cell.text.strip())
            )
            grid[r].cells[j] = Cell(joined if old.text else cell.text, above=old.above, left=old.left)


def _describe(raw_tables, details, grid: list[GridRow], pages: dict[int, int], joins: list[_Join]) -> None:
    """Pages of each table, headers dropped at page tops and every join, as notes for ``check``."""
    for n, (table, detail) in enumerate(zip(raw_tables, details)):
        nxt = raw_tables[n + 1] if n + 1 < len(raw_tables) else None
        end = (nxt.title_line or nxt.header_line) if nxt else None
        mine = [line for line in (table.header_line, *(r.line for r in table.rows)) if line in pages]
        first = pages[min(mine)]
        last = max(
            [pages[max(mine)]] + [j.page for j in joins if table.header_line < j.line and (end is None or j.line < end)]
        )
        detail.where = f"page {first}" if first == last else f"pages {first}-{last}"
        repeats = sum(
            1
            for g in grid
            if table.header_line < g.line
            and (end is None or g.line < end)
            and not g.paragraph
            and _is_header_cells(g.cells)
        )
        if repeats:
            detail.notes.append(
                f"header printed again {repeats} time{'s' if repeats != 1 else ''} (at page tops): read once"
            )
        for join in joins:
            if not (table.header_line < join.line and (end is None or join.line < end)):
                continue
            if join.why == "cut by a page break":
                detail.notes.append(
                    f"page {join.page}: its first row continues line {join.line} "
                    f"(page {pages[join.line]}), cut by a page break: joined to it"
                )
            else:
                detail.notes.append(
                    f"page {join.page}: a line with an empty 序号 under line {join.line} read as "
                    "its wrapped text (a table without rules has no merged cells): joined to it"
                )

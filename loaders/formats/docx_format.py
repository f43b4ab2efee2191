"""Word documents (.docx) through python-docx: tables with merged cells, or a prose task list.

A .docx has no lines; a row's ``line`` counts paragraphs and table rows from the
top of the document, so line 12 is the 12th paragraph or row.  Paragraphs between
tables give titles, ``附件 N`` and section headings.  A document without a table
that has a header is read as a prose task list (:mod:`prose_format`).
"""

from __future__ import annotations

import io

from respgraph.graph.errors import LoadError
from respgraph.graph.limits import limits
from respgraph.loaders.formats.detect import is_prose
from respgraph.loaders.formats.prose_format import read_prose_lines
from respgraph.loaders.grid.cells import Cell, GridRow
from respgraph.loaders.grid.grid_tables import NoHeader, read_grid
from respgraph.loaders.table.reading import Reading


def _blocks(body):
    """Paragraphs and tables in document order, looking inside content controls."""
    from docx.oxml.ns import qn

    for child in body.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _blocks(content)


def _grid_before(tr) -> int:
    """Grid columns a row leaves out before its first cell (``w:gridBefore``)."""
    from docx.oxml.ns import qn

    skipped = tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}")
    try:
        return int(skipped.get(qn("w:val"))) if skipped is not None else 0
    except (TypeError, ValueError):
        return 0


def _grid_span(tc, file: str, line: int, col: int) -> int:
    """How many grid columns a cell spans (``w:gridSpan``), read here rather than through
    python-docx, whose own reading fails with a traceback on a value that is not a number."""
    from docx.oxml.ns import qn

    span = tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
    raw = span.get(qn("w:val")) if span is not None else None
    if raw is None:
        return 1
    if not (raw.strip().isascii() and raw.strip().isdigit()) or int(raw) < 1:
        raise LoadError(
            file,
            f"a damaged .docx table: a cell's gridSpan is {raw[:20]!r}, not a whole number of at least 1",
            line=line,
            cell=f"column {col + 1}",
        )
    return int(raw)


def _v_merge(tc) -> str | None:
    """A cell's ``w:vMerge`` (``restart``, ``continue`` or None), read without python-docx's validation."""
    from docx.oxml.ns import qn

    merge = tc.find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    if merge is None:
        return None
    return merge.get(qn("w:val")) or "continue"


def _text(p, numbering) -> str:
    """A paragraph's text, after the number Word's automatic numbering draws before it."""
    from docx.text.paragraph import Paragraph

    text: str = Paragraph(p, None).text  # type: ignore[arg-type]  # its text needs no parent part
    return (numbering.label(p) if numbering is not None else "") + text


def _table_rows(tbl, line: int, file: str = "", numbering=None) -> list[GridRow]:
    from docx.oxml.ns import qn

    lim = limits()
    rows: list[GridRow] = []
    last: dict[int, str] = {}  # grid column -> text of the cell that starts a vertical merge there
    for tr in tbl.iterchildren(qn("w:tr")):
        line += 1
        lim.check(file, "rows", line, line=line)
        before = _grid_before(tr)
        lim.check(file, "columns", before, "gridBefore reaches ", line=line)
        cells = [Cell("") for _ in range(before)]
        for tc in tr.iterchildren(qn("w:tc")):
            col = len(cells)
            span = _grid_span(tc, file, line, col)
            # Checked before anything is made of the span: gridSpan="50000000" is a few bytes.
            lim.check(file, "columns", col + span, "gridSpan reaches ", line=line)
            if _v_merge(tc) == "continue":
                text, above = last.get(col, ""), True
            else:
                text = "\n".join(_text(p, numbering) for p in tc.iterchildren(qn("w:p")))
                above = False
            for k in range(span):
                cells.append(Cell(text, above=above, left=k > 0))
                last[col + k] = text
        rows.append(GridRow(line, cells))
    return rows


def _note_numbering(tables, details, numbered: list[int]) -> None:
    """Say, per table, how many of its paragraphs got their number from Word's automatic numbering."""
    starts = [t.title_line or t.header_line for t in tables[1:]] + [None]
    for table, detail, end in zip(tables, details, starts):
        count = sum(1 for line in numbered if line >= table.header_line and (end is None or line < end))
        if count:
            detail.notes.append(
                f"{count} paragraph{'s' if count != 1 else ''} numbered by Word's automatic "
                "numbering: numbers computed from the document's list definitions"
            )


def read_docx(path: str, data: bytes, *, mapping=None) -> Reading:
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as exc:  # python-docx raises many kinds (KeyError, XML errors …) for one meaning
        raise LoadError(path, f"a damaged .docx document ({type(exc).__name__}: {exc})") from None
    from respgraph.loaders.formats.docx_numbering import Numbering

    numbering = Numbering.of(document)
    rows: list[GridRow] = []
    paragraphs: list[tuple[int, str]] = []
    has_table = False
    numbered: list[int] = []  # lines of the rows and paragraphs Word numbers
    for block in _blocks(body):
        if block.tag == qn("w:tbl"):
            has_table = True
            for row in _table_rows(block, len(rows), path, numbering):
                rows.append(row)
                numbered += [row.line] * (numbering.used - len(numbered))
        else:
            text = _text(block, numbering)
            numbered += [len(rows) + 1] * (numbering.used - len(numbered))
            rows.append(GridRow(len(rows) + 1, [Cell(text)], paragraph=True))
            limits().check(path, "rows", len(rows), line=len(rows))
            paragraphs.append((len(rows), text))
    prose = is_prose("\n".join(t for _, t in paragraphs))
    if has_table:
        try:
            tables, details = read_grid(path, rows, mapping=mapping)
            _note_numbering(tables, details, numbered)
            return Reading(path, "docx (tables)", None, tables, details)
        except NoHeader:
            if not prose:
                raise
    elif not prose:
        raise LoadError(
            path,
            "not a responsibility table: looked for a table, or a numbered task list with "
            "牵头单位：/责任单位： lines, and found no table and no such list",
        )
    tables, details = read_prose_lines(path, paragraphs, mapping=mapping)
    return Reading(path, "docx (prose task list)", None, tables, details)

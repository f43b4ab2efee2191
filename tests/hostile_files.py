"""Hostile files made at test time, shared by test_hostile.py and test_fuzz.py.

Each is a few KB to a few MB on disk and would cost GBs or minutes to read whole:
merged ranges spelled as XML allows, PDFs of many pages, one hugely compressed
stream or millions of glyphs.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

TITLE = "2023年茂名市重点工作任务分工表"
HEADER = ["序号", "工作任务", "分管领导", "牵头单位", "责任单位", "配合单位"]
ROW = ["1", "推进重点项目建设", "张三", "市发展改革局", "市发展改革局", "市财政局"]
MB = 1024 * 1024


def edit_part(data: bytes, name: str, edit) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            target.writestr(info.filename, edit(part) if info.filename == name else part)
    return out.getvalue()


def xlsx(rows=None) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    ws: Worksheet = book.active  # type: ignore[assignment]  # a new workbook's one sheet is a Worksheet
    for row in rows or [[TITLE], HEADER, ROW]:
        ws.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def xlsx_merges(merge_xml: str) -> bytes:
    """The small workbook with ``merge_xml`` (``<mergeCells>…</mergeCells>``, written as
    given: any quoting, prefix or character reference) after its sheet data."""

    def edit(xml: bytes) -> bytes:
        return xml.replace(b"</sheetData>", b"</sheetData>" + merge_xml.encode(), 1)

    return edit_part(xlsx(), "xl/worksheets/sheet1.xml", edit)


#: Spellings of one merged range covering the whole sheet, all the same to an XML parser.
WHOLE_SHEET_SPELLINGS = {
    "single_quotes": "<mergeCells count='1'><mergeCell ref='A1:XFD1048576'/></mergeCells>",
    "character_reference": '<mergeCells count="1"><mergeCell ref="A&#49;:XFD&#x31;048576"/></mergeCells>',
    "spaces_around_equals": '<mergeCells count="1"><mergeCell ref = "A1:XFD1048576" /></mergeCells>',
    "dollar_signs": '<mergeCells count="1"><mergeCell ref="$A$1:$XFD$1048576"/></mergeCells>',
    "reversed": '<mergeCells count="1"><mergeCell ref="XFD1048576:A1"/></mergeCells>',
}


def many_merges(count: int, rows: int = 40, cols: int = 100) -> str:
    """``count`` merged ranges, each within the row and column limits, overlapping."""
    from openpyxl.utils import get_column_letter

    last = get_column_letter(cols)
    cells = "".join(f'<mergeCell ref="A{n % 10 + 1}:{last}{n % 10 + rows}"/>' for n in range(count))
    return f'<mergeCells count="{count}">{cells}</mergeCells>'


def pdf(contents: list[bytes | Deflated], *, pages: int | None = None, compress: bool = True) -> bytes:
    """A PDF whose page ``n`` draws ``contents[n]`` (Helvetica as F1); with ``pages``,
    that many pages all drawing the first content stream (each page a few bytes)."""
    streams = contents
    count = pages if pages is not None else len(contents)
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    stream_ids = []
    for content in streams:
        if isinstance(content, Deflated):
            data = content.data
        else:
            data = zlib.compress(content, 9) if compress else content
        flt = b" /Filter /FlateDecode" if compress else b""
        stream_ids.append(add(b"<< /Length %d%s >>\nstream\n" % (len(data), flt) + data + b"\nendstream"))
    kids = []
    for n in range(count):
        stream = stream_ids[n if pages is None else 0]
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (tree, stream, font)
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, b" ".join(b"%d 0 R" % k for k in kids))
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref))
    return out.getvalue()


def text_page(lines: list[str]) -> bytes:
    """A content stream printing ``lines`` (ASCII) from the top of the page."""
    ops = [b"BT /F1 10 Tf 50 800 Td 12 TL"]
    for line in lines:
        ops.append(b"(" + line.encode("latin-1").replace(b"(", b"\\(").replace(b")", b"\\)") + b") Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops)


def pdf_many_pages(pages: int = 100_000) -> bytes:
    return pdf([text_page(["page"])], pages=pages)


class Deflated:
    """A stream already compressed (made in 1 MB steps, so the test never holds it whole)."""

    def __init__(self, data: bytes):
        self.data = data


def pdf_stream_bomb(mb: int = 300) -> bytes:
    """One page whose content stream inflates to ``mb`` MB of spaces (a few hundred KB)."""
    packer = zlib.compressobj(9)
    parts = [packer.compress(text_page(["x"]))]
    spaces = b" " * MB
    parts += [packer.compress(spaces) for _ in range(mb)]
    parts.append(packer.flush())
    return pdf([Deflated(b"".join(parts))])


def pdf_glyph_bomb(glyphs: int = 3_000_000) -> bytes:
    """One page printing ``glyphs`` characters, tens of KB compressed."""
    return pdf([b"BT /F1 1 Tf 10 10 Td (" + b"a" * glyphs + b") Tj ET"])


def pdf_xref_stream_bomb(mb: int = 300) -> bytes:
    """A PDF 1.5 whose cross-reference *stream* inflates to ``mb`` MB: pdfminer inflates it
    whole while opening the file, before a page can be counted."""
    plain = pdf([text_page(["x"])])
    body = plain[: plain.rindex(b"xref\n")]  # the objects, without the classic table
    offsets = [int(m.group(1)) for m in re.finditer(rb"(\d{10}) 00000 n", plain)]
    size = len(offsets) + 2
    entries = b"\x00\x00\x00\x00\x00\xff\xff" + b"".join(b"\x01" + o.to_bytes(4, "big") + b"\x00\x00" for o in offsets)
    xref_at = len(body)
    entries += b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00"
    packer = zlib.compressobj(9)
    zeros = b"\x00" * MB
    data = packer.compress(entries) + b"".join(packer.compress(zeros) for _ in range(mb)) + packer.flush()
    found = re.search(rb"/Root (\d+) 0 R", plain)
    assert found, "the plain PDF names its root"
    root = int(found.group(1))
    xref = (
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Filter /FlateDecode /Length %d >>\n"
        b"stream\n" % (size - 1, size, root, len(data)) + data + b"\nendstream\nendobj\n"
    )
    return body.replace(b"%PDF-1.4", b"%PDF-1.5", 1) + xref + b"startxref\n%d\n%%%%EOF\n" % xref_at

"""What is checked before a file is parsed: that it is a regular file, and not too big.

Every check here costs little next to the parse it protects: a ``stat`` before
the read, the zip's declared sizes before unzipping (Python's :mod:`zipfile`,
which openpyxl and python-docx read through, never inflates a part past its
declared size: a lying header fails its CRC check instead), and one streaming
XML pass over a workbook's sheets for merged ranges, which openpyxl would expand
cell by cell.
"""

from __future__ import annotations

import io
import os
import re
import stat
import zipfile
from pathlib import Path

from respgraph.graph.errors import LoadError
from respgraph.graph.limits import limits, too_big

_KINDS = {
    stat.S_ISFIFO: "a named pipe (FIFO)",
    stat.S_ISCHR: "a character device",
    stat.S_ISBLK: "a block device",
    stat.S_ISSOCK: "a socket",
    stat.S_ISDIR: "a folder",
}


def read_file(path: Path | str) -> bytes:
    """The bytes of a regular file no larger than the file-size limit.

    Opened without blocking and checked on the open descriptor, so a FIFO, a
    device (a symlink to ``/dev/zero``) or a file swapped in after the check is
    refused rather than read forever.
    """
    name = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise LoadError(name, f"cannot read the file: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = next((k for test, k in _KINDS.items() if test(info.st_mode)), "not a file")
            raise LoadError(name, f"{kind}, not a regular file: respgraph reads only regular files")
        cap = limits().file_mb * 1024 * 1024
        if info.st_size > cap:
            raise too_big(name, "file_mb", f"the file is {info.st_size / 1024 / 1024:.1f} MB")
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(cap + 1)
        if len(data) > cap:  # it grew while we read
            raise too_big(name, "file_mb", "the file is larger than the limit")
        return data
    except OSError as exc:
        raise LoadError(name, f"cannot read the file: {exc.strerror}") from None
    finally:
        os.close(fd)


def column_number(letters: str) -> int:
    """``A`` → 1, ``XFD`` → 16384.

    >>> column_number("A"), column_number("AB"), column_number("XFD")
    (1, 28, 16384)
    """
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def check_zip(name: str, data: bytes) -> None:
    """Refuse an .xlsx/.docx whose XML would unzip past the limit, or whose merged ranges are too big."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LoadError(name, f"a damaged .xlsx/.docx (zip archive unreadable: {exc})") from None
    lim = limits()
    xml = [p for p in parts if p.filename.lower().endswith((".xml", ".rels", ".vml"))]
    declared = sum(p.file_size for p in xml)
    if declared > lim.xml_mb * 1024 * 1024:
        raise too_big(name, "xml_mb", f"its XML would unzip to {declared / 1024 / 1024:.1f} MB")
    for part in xml:
        if part.filename.startswith("xl/worksheets/"):
            _check_merges(name, archive, part, lim)


def _check_merges(name: str, archive: zipfile.ZipFile, part: zipfile.ZipInfo, lim) -> None:
    """Every merged range of one sheet, read as XML (so any quoting, namespace prefix or
    character reference spells the same range), checked before openpyxl makes one object
    per cell it covers: each range's reach, the sheet's count of ranges and their area."""
    from lxml import etree

    sheet = part.filename.rsplit("/", 1)[-1]
    count = area = 0
    try:
        with archive.open(part) as f:
            # Rows are dropped as they end, so a sheet of any size is read in little memory.
            events = etree.iterparse(
                f,
                events=("end",),
                tag=("{*}mergeCell", "{*}row"),
                resolve_entities=False,
                no_network=True,
                load_dtd=False,
                huge_tree=False,
            )
            for _, elem in events:
                if etree.QName(elem).localname == "mergeCell":
                    ref = (elem.get("ref") or "").strip()
                    r0, c0, r1, c1 = _range(name, sheet, ref)
                    if r1 > lim.rows:
                        raise too_big(name, "rows", f"{sheet}: merged range {ref} reaches row {r1:,}")
                    if c1 > lim.columns:
                        raise too_big(name, "columns", f"{sheet}: merged range {ref} reaches column {c1:,}")
                    count += 1
                    area += (r1 - r0 + 1) * (c1 - c0 + 1)
                    lim.check(name, "merges", count, f"{sheet}: ")
                    lim.check(name, "merged_cells", area, f"{sheet}: merged ranges up to {ref} hold ")
                elem.clear()
                while elem.getprevious() is not None:
                    del elem.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise LoadError(name, f"a damaged .xlsx workbook ({sheet}: {exc})") from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise LoadError(name, f"a damaged .xlsx workbook ({sheet}: {exc})") from None


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})(?::\$?([A-Za-z]{1,3})\$?(\d{1,7}))?$")


def _range(name: str, sheet: str, ref: str) -> tuple[int, int, int, int]:
    """(first row, first column, last row, last column) of a range such as ``A1:C3``.

    >>> _range("t.xlsx", "sheet1.xml", "B2:$A$9")
    (2, 1, 9, 2)
    """
    m = _REF.match(ref)
    if not m:
        raise LoadError(name, f"a damaged .xlsx workbook ({sheet}: merged range {ref[:40]!r} is not a cell range)")
    c0, r0 = column_number(m.group(1)), int(m.group(2))
    c1 = column_number(m.group(3)) if m.group(3) else c0
    r1 = int(m.group(4)) if m.group(4) else r0
    return min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)

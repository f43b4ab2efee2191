"""What a file is, from its bytes rather than its name, and how its text is encoded.

Encodings are decided by a strict decode tried in order, not by guessing: a BOM
says UTF-8 or UTF-16; otherwise UTF-8, then GB18030 (a superset of GBK and
GB2312).  Chinese text in GBK almost never happens to be valid UTF-8, and
GB18030 rejects what is neither, so the first decode that succeeds is the
encoding; a statistical detector would add a dependency and guess on short files.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
from pathlib import Path

from respgraph.graph.errors import LoadError
from respgraph.graph.vocabulary import ROLES
from respgraph.loaders.table.columns import HEADERS

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
# OLE2 directory entries hold stream names in UTF-16LE, ended by a NUL character.
_WORD_STREAM = "WordDocument\0".encode("utf-16-le")
_SHEET_STREAMS = ("Workbook\0".encode("utf-16-le"), "Book\0".encode("utf-16-le"))
_HTML = re.compile(rb"<!doctype\s+html|<html[\s>]|<table[\s>]|<body[\s>]", re.I)
_ROLE_LABEL = re.compile(
    "(?:" + "|".join(sorted((h for h, f in HEADERS.items() if f in ROLES), key=len, reverse=True)) + r")\s*[:：]"
)
#: Lines the delimiter is sniffed from: whole lines, so a 1 MB cell does not hide its row's delimiters.
_SNIFF_LINES = 200
#: csv's own cap on a cell is 128 KB; the file-size limit is what bounds a cell here.
_FIELD_LIMIT = 2**31 - 1
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_TASK = re.compile(r"^\s*(?:\d{1,3}\s*[.．、)）]|[（(]\s*\d{1,3}\s*[)）])", re.M)


def decode_text(path: Path | str, data: bytes) -> tuple[str, str]:
    """(text, encoding) by a strict decode tried in order.

    >>> decode_text("t.csv", "序号,事项".encode("gbk"))
    ('序号,事项', 'gb18030')
    >>> decode_text("t.csv", codecs.BOM_UTF8 + "序号".encode())
    ('序号', 'utf-8-sig')
    """
    if data.startswith(codecs.BOM_UTF8):
        tries = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        tries = ["utf-16"]
    else:
        tries = ["utf-8", "gb18030"]
    first: UnicodeDecodeError | None = None
    for encoding in tries:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            first = first or exc
    assert first is not None  # every encoding tried failed, so one failure was kept
    line = data[: first.start].count(b"\n") + 1
    raise LoadError(
        str(path), f"not text in UTF-8, UTF-16 or GBK/GB18030 (bad byte at {first.start})", line=line
    ) from None


def sniff_delimiter(text: str, min_fields: int = 3) -> str | None:
    """The delimiter that splits most non-blank lines into ``min_fields`` or more fields, or None.

    >>> sniff_delimiter("标题\\n序号,工作任务,牵头单位\\n1,推进,市财政局\\n"), sniff_delimiter("一段话，没有表格。")
    (',', None)
    """
    sample = _first_lines(text, _SNIFF_LINES)
    csv.field_size_limit(_FIELD_LIMIT)
    best, score = None, 1
    for delimiter in ("\t", ",", ";"):  # a tie goes to TAB: commas also occur inside cells
        try:
            records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
        except csv.Error:
            continue
        if len(text) > len(sample):
            records = records[:-1]  # a quoted cell may go on past the last line looked at
        wide = sum(1 for r in records if len(r) >= min_fields)
        if wide > score and wide * 2 >= sum(1 for r in records if any(x.strip() for x in r)):
            best, score = delimiter, wide
    return best


def _first_lines(text: str, count: int) -> str:
    """The first ``count`` whole lines of ``text`` (however long each is)."""
    end = next(itertools.islice(_LINE_BREAK.finditer(text), count - 1, None), None)
    return text if end is None else text[: end.end()]


def is_prose(text: str) -> bool:
    """Numbered tasks with 牵头单位：/责任单位： labels."""
    return bool(_TASK.search(text)) and bool(_ROLE_LABEL.search(text))


def sniff(path: Path | str, data: bytes) -> str:
    """``xlsx``, ``docx``, ``pdf``, ``xls`` (old Excel or WPS 表格 .et), ``doc`` (old Word or WPS
    文字 .wps), ``rtf``, ``html``, or ``text`` (tab, csv and prose are told apart once decoded).

    Raises a LoadError for what is recognisably not readable: an encrypted Office file,
    an old binary Office file that is neither a document nor a workbook, a damaged or
    foreign zip archive.

    >>> sniff("a.pdf", b"%PDF-1.7\\n"), sniff("a.rtf", b"{\\\\rtf1\\\\ansi}")
    ('pdf', 'rtf')
    """
    if b"%PDF-" in data[:1024]:  # the header may follow a little junk (PDF 1.7, 7.5.2)
        return "pdf"
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise LoadError(
                str(path),
                "the file is password-protected: save a copy without the password "
                "(File > Info > Protect) and load that",
            )
        if _WORD_STREAM in data:
            return "doc"
        if any(s in data for s in _SHEET_STREAMS):
            return "xls"
        raise LoadError(
            str(path),
            "an old binary Office file that is neither a Word/WPS document nor an "
            "Excel/WPS workbook: save it as .docx or .xlsx and load that",
        )
    if data.startswith(b"PK"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise LoadError(str(path), f"a damaged .xlsx/.docx (zip archive unreadable: {exc})") from None
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
        raise LoadError(str(path), "a zip archive that is neither an .xlsx workbook nor a .docx document")
    head = data[:4096].lstrip(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"<") and _HTML.search(data[:65536]):
        return "html"
    return "text"

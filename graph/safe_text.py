"""Text from outside, made safe to record, print and export: one rule for each, said once.

- :func:`printable`: control (Unicode Cc) and format (Cf) characters written as visible
  escapes, so that a name can neither move a terminal's cursor, start a new line that
  looks like a row of its own, nor turn the text around it right to left;
- :func:`neutral_cell`: a CSV cell that a spreadsheet would read as a formula, made text;
- :func:`safe_file_name`: a file name a client sent, reduced to a base name or refused.
"""

from __future__ import annotations

import unicodedata

__all__ = ["printable", "invisible", "neutral_cell", "safe_file_name", "FORMULA_START", "MAX_NAME_BYTES"]

#: What makes Excel or WPS read a cell as a formula (OWASP, "CSV Injection"): every CSV
#: export prefixes a cell starting with one of these with ``'``.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def invisible(char: str) -> bool:
    """Whether ``char`` is a control (Cc) or format (Cf) character: a terminal or a browser
    acts on it, or shows nothing, instead of printing it.

    >>> invisible("\\x1b"), invisible("\\u202e"), invisible("\\u200b"), invisible("局")
    (True, True, True, False)
    """
    return unicodedata.category(char) in ("Cc", "Cf")


def printable(text: str) -> str:
    """``text`` with every control and format character written as an escape (``\\n``,
    ``\\x1b``, ``\\u202e``): the record keeps what was sent, and shows it for what it is.

    >>> printable("x\\n2026-01-01 office user.add")
    'x\\\\n2026-01-01 office user.add'
    >>> printable("\\x1b[2J市财政局\\u202e")
    '\\\\x1b[2J市财政局\\\\u202e'
    """
    if not any(invisible(c) for c in text):
        return text
    return "".join(_escape(c) if invisible(c) else c for c in text)


def _escape(char: str) -> str:
    named = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
    if char in named:
        return named[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def neutral_cell(text: str) -> str:
    """A CSV cell's text that no spreadsheet reads as a formula (a leading ``'`` when it could).

    >>> neutral_cell("=1+2"), neutral_cell("\\t-1"), neutral_cell("市财政局")
    ("'=1+2", "'\\t-1", '市财政局')
    """
    return "'" + text if text.startswith(FORMULA_START) else text


#: The longest file name (in UTF-8 bytes) the file systems we write to take.
MAX_NAME_BYTES = 255


def safe_file_name(raw: str) -> str:
    """The base name of a file name a client sent (its folders, control and format characters
    gone), or ValueError in one line when nothing of a file name is left or it is too long.

    >>> safe_file_name("C:\\\\Users\\\\me\\\\分工表.xlsx"), safe_file_name("../../etc/分工表\\x00.xlsx")
    ('分工表.xlsx', '分工表.xlsx')
    >>> safe_file_name("..")
    Traceback (most recent call last):
    ...
    ValueError: the file name '..' names no file: choose the file again
    """
    base = "".join(c for c in raw.replace("\\", "/").rsplit("/", 1)[-1] if not invisible(c)).strip()
    if not base.strip("."):
        raise ValueError(f"the file name {printable(raw[:80])!r} names no file: choose the file again")
    size = len(base.encode("utf-8"))
    if size > MAX_NAME_BYTES:
        raise ValueError(f"the file name is {size} bytes long; at most {MAX_NAME_BYTES}: rename the file")
    return base

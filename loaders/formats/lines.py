"""Lines and characters as a table file means them.

A row ends only at ``\\n``, ``\\r\\n`` or ``\\r``.  :meth:`str.splitlines` also
breaks at a vertical tab, a form feed, U+2028 and U+2029, which exported
tables carry inside cells; splitting there would cut one row into two.

Control characters (NUL, the C0 set but TAB and line breaks, DEL, C1), format characters
(Unicode Cf: zero-width space, right-to-left override …) and non-characters (U+FFFF …) mean
nothing in a name or a title; they are removed from cells and the removal is reported by
``respgraph check`` (kind ``control_chars``).
"""

from __future__ import annotations

import re

_BREAK = re.compile(r"\r\n|\r|\n")
# Non-characters (U+FFFE, U+FFFF, U+FDD0–U+FDEF and the last two of every plane) and lone
# surrogates too: no XML may hold them, so a name carrying one would break every
# docx, xlsx, GraphML and GEXF written from the graph.
_NONCHARS = "\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff" + "".join(
    f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17)
)
# Format characters (Unicode Cf: zero-width space, right-to-left override, soft hyphen …) print
# as nothing or turn the text around them: 市财政局 with one inside would load as a unit of its
# own that displays as the existing one.
# Unicode 14's Cf, as ranges (tests/test_names_format.py checks them against unicodedata): a scan
# of every code point at import would add most of a second to every command.
_FORMAT = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
_CONTROL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_NONCHARS}{_FORMAT}]")


def split_lines(text: str) -> list[str]:
    """Lines of ``text``, split at ``\\n``, ``\\r\\n`` and ``\\r`` only; no empty last line.

    >>> split_lines("a\\x0bb\\u2028c\\r\\nd\\re\\n")
    ['a\\x0bb\\u2028c', 'd', 'e']
    """
    lines = _BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def strip_controls(text: str) -> tuple[str, list[str]]:
    """``text`` without control, format and non-characters, and the ones removed (as ``U+0000``).

    >>> strip_controls("张\\x00三\\x0b")
    ('张三', ['U+0000', 'U+000B'])
    >>> strip_controls("李\\uffff四\\U0010ffff")
    ('李四', ['U+FFFF', 'U+10FFFF'])
    >>> strip_controls("市财\\u200b政局\\u202e")
    ('市财政局', ['U+200B', 'U+202E'])
    """
    found = _CONTROL.findall(text)
    if not found:
        return text, []
    return _CONTROL.sub("", text), [f"U+{ord(c):04X}" for c in dict.fromkeys(found)]

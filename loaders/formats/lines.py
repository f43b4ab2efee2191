"""Lines and characters as a table file means them.

A row ends only at ``\\n``, ``\\r\\n`` or ``\\r``.  :meth:`str.splitlines` also
breaks at a vertical tab, a form feed, U+2028 and U+2029, which exported
tables carry inside cells; splitting there would cut one row into two.

Control characters (NUL, the C0 set but TAB and line breaks, DEL, C1) mean
nothing in a name or a title; they are removed from cells and the removal is
reported by ``respgraph check`` (kind ``control_chars``).
"""

from __future__ import annotations

import re

_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


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
    """``text`` without control characters, and the ones removed (as ``U+0000``).

    >>> strip_controls("张\\x00三\\x0b")
    ('张三', ['U+0000', 'U+000B'])
    """
    found = _CONTROL.findall(text)
    if not found:
        return text, []
    return _CONTROL.sub("", text), [f"U+{ord(c):04X}" for c in dict.fromkeys(found)]

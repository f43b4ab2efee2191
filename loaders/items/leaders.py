"""Leaders' names as leader cells print them: padded, several to a cell, wrapped.

Offices line names up in a narrow column: a two-character name is padded to the
width of three with a space (``王　伟`` over ``张三丰``), several leaders share a
cell on separate lines or on one line parted by spaces, and a narrow column can
wrap a name's last character onto a line of its own.  :func:`leader_lines` puts
every leader on a line of its own, so that :func:`~respgraph.loaders.items.names.split_cell`
reads the cell as it reads units (brackets, separators, limits, cleaning).

Only what is unambiguous is rewritten: a line holding anything but Chinese
characters and spaces, a title (副市长), or a lone character beside a longer name
(``王 伟明``) is left as printed.
"""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAK = re.compile(r"</?p>|<br\s*/?>|[\n\r\u2028\u2029\x0b\x0c\x85]", re.IGNORECASE)
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
#: Words printed beside a name that are no name: 副市长, 同志 …
_TITLE = re.compile(r"^(?:常务)?副?[省市区县镇乡]长$|^(?:同志|书记|副书记|主任|副主任|秘书长|领导)$")


def leader_lines(raw: str) -> str:
    """A leader cell with one leader per line.

    >>> leader_lines("王　伟"), leader_lines("王　伟\\n张三丰"), leader_lines("王　伟　张三丰")
    ('王伟', '王伟\\n张三丰', '王伟\\n张三丰')
    >>> leader_lines("王伟 张三丰"), leader_lines("何嘉\\n旻"), leader_lines("<p>李　明</p><p>王　伟</p>")
    ('王伟\\n张三丰', '何嘉旻', '李明\\n王伟')
    >>> leader_lines("何嘉旻 副市长"), leader_lines("王 伟明"), leader_lines("王中丙（市长）、黄明忠")
    ('何嘉旻 副市长', '王 伟明', '王中丙（市长）、黄明忠')
    """
    out: list[str] = []
    for line in _LINE_BREAK.split(raw):
        names = _names_on_line(line)
        if names is None:
            out.append(line)
        elif len(names) == 1 and len(names[0]) == 1 and out and _HAN.match(out[-1][-1:] or "x"):
            out[-1] += names[0]  # one character on a line of its own: the name above, wrapped
        else:
            out += names
    return "\n".join(line for line in out if line.strip())


def _names_on_line(line: str) -> list[str] | None:
    """The names one line prints, or None when the line is to be read as printed."""
    tokens = unicodedata.normalize("NFKC", line).split()
    if not all(_HAN.match(t) and not _TITLE.match(t) for t in tokens):
        return None
    groups: list[list[str]] = []
    for token in tokens:
        if len(token) == 1 and groups and len(groups[-1][-1]) == 1:
            groups[-1].append(token)  # single characters side by side: one padded name
        else:
            groups.append([token])
    if len(groups) > 1 and any(len(g) == 1 and len(g[0]) == 1 or len(g) > 3 for g in groups):
        return None  # a lone character beside a name, or four in a row: not ours to part
    return ["".join(g) for g in groups]

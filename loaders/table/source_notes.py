"""Notes on a raw table that no single row shows: control characters, gaps in numbering.

Both are things the source gets wrong that the loader reads through, so they are
``check`` notes, never errors:

- control characters (NUL, vertical tab, form feed …) are removed from every cell
  and the title, one ``control_chars`` note per cell;
- item numbers are read per attachment: a jump (12 then 14) is a ``numbering_gap``,
  a step back (12 then 5) a ``numbering_order``.  Numbered sub-parts (``3.1``,
  ``3-2``, ``3（1）``) belong to item 3 and break no sequence.  A number printed
  twice is a ``numbering_repeat`` note made where the item is built
  (:mod:`build`): both items load, the second keyed ``N~2``.
"""

from __future__ import annotations

import re
import unicodedata

from respgraph.graph.model import Quirk
from respgraph.loaders.formats.lines import strip_controls
from respgraph.loaders.table.columns import FIELD_ZH
from respgraph.loaders.table.raw import RawTable

_NUMBER = re.compile(r"^(\d{1,6})(?:\s*(?:[.．\-－_—、/]|[（(])\s*\d+\s*[)）]?)?$")


def clean_controls(raw: RawTable) -> list[Quirk]:
    """Remove control characters from ``raw`` in place; a note per cell that had any.

    >>> from respgraph.loaders.table.raw import RawRow
    >>> t = RawTable("t.txt", 1, "2023 年表", 1, {"title": "事项"}, 2, [RawRow(3, {"title": "张\\x00三"})])
    >>> [q.message for q in clean_controls(t)], t.rows[0].cells["title"]
    (["control characters U+0000 removed from '张三'"], '张三')
    """
    notes = []
    raw.title, found = strip_controls(raw.title)
    if found:
        notes.append(Quirk.of(raw.title_line or 1, "control_chars", form=_form("title", found), chars=", ".join(found)))
    for row in raw.rows:
        for field, text in row.cells.items():
            cleaned, found = strip_controls(text)
            if found:
                row.cells[field] = cleaned
                notes.append(
                    Quirk.of(
                        row.line,
                        "control_chars",
                        FIELD_ZH.get(field, field),
                        form=_form("", found),
                        chars=", ".join(found),
                        text=cleaned.strip()[:30],
                    )
                )
    return notes


def _form(where: str, found: list[str]) -> str:
    """The note's form: where (the title or a cell) and what the removed characters were —
    control (and non-) characters, invisible format ones, or both."""
    import unicodedata

    formats = sum(unicodedata.category(chr(int(code[2:], 16))) == "Cf" for code in found)
    which = "" if not formats else "format" if formats == len(found) else "both"
    return "_".join(w for w in (where, which) if w)


def numbering_notes(raw: RawTable) -> list[Quirk]:
    """Gaps and steps back in the item numbers of one attachment.

    >>> from respgraph.loaders.table.raw import RawRow
    >>> rows = [RawRow(n, {"number": s}) for n, s in enumerate(["1", "2", "", "2.1", "4", "3"], start=3)]
    >>> [(q.line, q.kind, q.message) for q in numbering_notes(RawTable("t", 1, "", 1, {}, 2, rows))]
    [(7, 'numbering_gap', 'item numbers jump from 2 to 4: 3 is missing'), (8, 'numbering_order', 'item 3 comes after item 4')]
    """
    notes, previous = [], None
    for row in raw.rows:
        printed = unicodedata.normalize("NFKC", row.cells.get("number", "")).strip()
        m = _NUMBER.match(printed)
        if not m:
            continue
        n = int(m.group(1))
        if previous is not None and n > previous + 1:
            missing = f"{previous + 1}" if n == previous + 2 else f"{previous + 1}–{n - 1}"
            notes.append(
                Quirk.of(
                    row.line,
                    "numbering_gap",
                    FIELD_ZH["number"],
                    form="one" if n == previous + 2 else "",
                    previous=previous,
                    next=n,
                    missing=missing,
                )
            )
        elif previous is not None and n < previous:
            notes.append(Quirk.of(row.line, "numbering_order", FIELD_ZH["number"], item=n, previous=previous))
        previous = n if previous is None else max(n, previous)  # a step back keeps the high mark
    return notes

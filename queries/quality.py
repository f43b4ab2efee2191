"""Data quality: what the loader read through in the source, as ``respgraph check`` reports it.

Works on the loader's tables, not on a store: the notes are about the source
file, and a store keeps only what the notes led to.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from respgraph.graph.model import Quirk
from respgraph.graph.notes import NOTE_KIND_ZH
from respgraph.queries.result import Result
from respgraph.queries.rows import Row

__all__ = ["quality", "Quality", "QualityNote", "KIND_ZH", "message_zh"]

#: What each kind of note means, for a reader of the report (graph.notes holds it).
KIND_ZH = NOTE_KIND_ZH


def message_zh(note) -> str:
    """A note (a :class:`QualityNote` or a ``Quirk``) in Chinese, from its fields, as the report,
    the workbook and the pages say it.

    >>> from respgraph.graph.model import Quirk
    >>> message_zh(Quirk.of(211, "deadline_year", "完成时限", item="92", part=None, value="2013年12月", year=2023))
    '第92项：完成时限“2013年12月”不在文件的年度（2023年）内'
    """
    return Quirk(
        line=note.line, kind=note.kind, message=note.message, cell=note.cell, form=note.form, fields=note.fields
    ).text("zh")


# The ones a reader must act on come first; the rest say how the text was read.
_SERIOUS = ("deadline_year", "bad_deadline", "no_deadline", "no_leader", "no_implementer", "similar_names")


class QualityNote(Row):
    file: str
    attachment: int
    line: int
    kind: str
    cell: str
    message: str
    form: str = ""
    fields: dict[str, Any] = {}


class Quality(Result):
    #: Serious kinds first, then by file, attachment and line.
    rows: list[QualityNote]
    #: Notes per kind, in the order of ``rows``.
    counts: dict[str, int]

    def serious(self) -> list[QualityNote]:
        """Notes that point at an error or a gap in the source rather than at how it was read."""
        return [n for n in self.rows if n.kind in _SERIOUS]


def quality(tables) -> Quality:
    """The loader's notes on ``tables`` (from :func:`~respgraph.loaders.load.read_tables`,
    of one source file or several).

    Examples
    --------
    >>> from respgraph.loaders.load import read_tables, sample_path
    >>> q = quality(read_tables(sample_path()))
    >>> [(n.kind, n.line) for n in q.serious()][:2]
    [('deadline_year', 211), ('no_implementer', 108)]
    """
    notes = [
        QualityNote(
            file=t.document.source,
            attachment=t.document.attachment,
            line=q.line,
            kind=q.kind,
            cell=q.cell or "",
            message=q.message,
            form=q.form,
            fields=q.fields,
        )
        for t in tables
        for q in t.quirks
    ]

    def order(n: QualityNote):
        serious = _SERIOUS.index(n.kind) if n.kind in _SERIOUS else len(_SERIOUS)
        return (serious, n.file, n.attachment, n.line)

    notes.sort(key=order)
    counts = Counter(n.kind for n in notes)
    return Quality(rows=notes, counts={k: counts[k] for k in dict.fromkeys(n.kind for n in notes)})

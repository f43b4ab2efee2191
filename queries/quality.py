"""Data quality: what the loader read through in the source, as ``respgraph check`` reports it.

Works on the loader's tables, not on a store: the notes are about the source
file, and a store keeps only what the notes led to.
"""

from __future__ import annotations

from collections import Counter

from respgraph.queries.result import Result
from respgraph.queries.rows import Row

__all__ = ["quality", "Quality", "QualityNote", "KIND_ZH"]

#: What each kind of note means, for a reader of the report.
KIND_ZH = {
    "deadline_year": "完成时限的年份与文件年份不符",
    "no_deadline": "缺完成时限",
    "bad_deadline": "完成时限不是日期",
    "no_leader": "缺分管领导",
    "no_implementer": "缺实施单位",
    "inherited": "空白单元格沿用上一行（原表合并单元格）",
    "alias": "同一单位的不同写法，已按别名归并",
    "bare_place": "只写地名，按该地政府读入",
    "similar_names": "两个名称疑似同一单位，请确认",
}
# The ones a reader must act on come first; the rest say how the text was read.
_SERIOUS = ("deadline_year", "bad_deadline", "no_deadline", "no_leader", "no_implementer", "similar_names")


class QualityNote(Row):
    file: str
    attachment: int
    line: int
    kind: str
    cell: str
    message: str


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
        QualityNote(file=t.document.source, attachment=t.document.attachment, line=q.line, kind=q.kind,
                    cell=q.cell or "", message=q.message)
        for t in tables for q in t.quirks
    ]

    def order(n: QualityNote):
        serious = _SERIOUS.index(n.kind) if n.kind in _SERIOUS else len(_SERIOUS)
        return (serious, n.file, n.attachment, n.line)

    notes.sort(key=order)
    counts = Counter(n.kind for n in notes)
    return Quality(rows=notes, counts={k: counts[k] for k in dict.fromkeys(n.kind for n in notes)})

"""Data quality: what the loader read through in the source, as ``respgraph check`` reports it.

Works on the loader's tables, not on a store: the notes are about the source
file, and a store keeps only what the notes led to.
"""

from __future__ import annotations

import re
from collections import Counter

from respgraph.queries.result import Result
from respgraph.queries.rows import Row

__all__ = ["quality", "Quality", "QualityNote", "KIND_ZH", "message_zh"]

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
_WHAT = re.compile(r"item (\S+?)(?: part (\d+))?(?=[: ]|$)")
_QUOTED = re.compile(r"'([^']*)'|\"([^\"]*)\"")
_MESSAGES = {
    "deadline_year": (re.compile(r": deadline '(.*)' is not in the document's year (\d+)"),
                      lambda m: f"：完成时限“{m[1]}”不在文件的年度（{m[2]}年）内"),
    "bad_deadline": (re.compile(r": deadline '(.*)' is not a date"), lambda m: f"：完成时限“{m[1]}”不是日期"),
    "no_deadline": (re.compile(r" has no deadline"), lambda m: "没有完成时限"),
    "no_leader": (re.compile(r" has no 分管领导"), lambda m: "没有分管领导"),
    "no_implementer": (re.compile(r" has no implementing unit"), lambda m: "没有实施单位"),
    "inherited": (re.compile(r": empty (\S+) read as line (\d+)'s '(.*)'"),
                  lambda m: f"：空白的{m[1]}沿用第{m[2]}行的“{m[3]}”"),
    "alias": (re.compile(r"^'(.*)' read as '(.*)' \(alias\)"), lambda m: f"“{m[1]}”按别名读作“{m[2]}”"),
    "bare_place": (re.compile(r"^'(.*)' names a place, not a body: read as (.*)"),
                   lambda m: f"“{m[1]}”是地名而不是单位，按“{m[2]}”读入"),
    "similar_names": (re.compile(r"^'(.*)' \(line (\d+)\) and '(.*)' look like one body.*"),
                      lambda m: f"“{m[1]}”（第{m[2]}行）与“{m[3]}”疑似同一单位，如是请加入别名表"),
    "run_together": (re.compile(r"^'(.*)' reads as (\d+) names run together: ([^;]*);.*"),
                     lambda m: f"“{m[1]}”像是{m[2]}个名称连写：{m[3]}；请在源表中用、或换行分开"),
    "numbering_repeat": (re.compile(r" appears .* \(first on line (\d+)\): loaded as separate items, "
                                    r"this one keyed (\S+)"),
                         lambda m: f"序号重复（首次出现在第{m[1]}行），分别读入，本项记为{m[2]}"),
}


def message_zh(kind: str, message: str) -> str:
    """A note's message (written for ``respgraph check``) in Chinese, for sheets and pages.

    A kind with no wording of its own says what the kind means and the names it quotes,
    never the English.

    >>> message_zh("deadline_year", "item 92: deadline '2013年12月' is not in the document's year 2023")
    '第92项：完成时限“2013年12月”不在文件的年度（2023年）内'
    >>> message_zh("no_implementer", "item 66 part 2 has no implementing unit")
    '第66项第2部分没有实施单位'
    >>> message_zh("stray_text", "'市体育局等' ends in '等': read as '市体育局'")
    '需要核实：市体育局等、等、市体育局'
    """
    text = _WHAT.sub(lambda m: f"第{m[1]}项" + (f"第{m[2]}部分" if m[2] else ""), message)
    if kind in _MESSAGES:
        pattern, wording = _MESSAGES[kind]
        text = pattern.sub(wording, text)
    if re.search(r"[A-Za-z]{2,}", text):
        quoted = [a or b for a, b in _QUOTED.findall(message)]
        return f"{KIND_ZH.get(kind, '需要核实')}：" + "、".join(quoted) if quoted else KIND_ZH.get(kind, "需要核实")
    return text


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

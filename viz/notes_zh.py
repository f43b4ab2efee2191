"""The loader's notes, which ``respgraph check`` prints in English, said in Chinese for the report.

Each kind of note has one sentence pattern; what the pattern does not know is
kept as written after the kind's Chinese name, so nothing is dropped.

>>> note_zh("no_implementer", "item 51 has no implementing unit")
'事项 51 没有实施单位'
>>> note_zh("deadline_year", "item 92: deadline '2013年12月' is not in the document's year 2023")
'事项 92：完成时限“2013年12月”不在文件年份 2023 年内'
>>> note_zh("similar_names", "'市国资公司' (line 163) and '市国资委' look like one body: add an alias if they are")
'“市国资公司”（第 163 行）与“市国资委”疑似同一单位；如是，请添加别名'
>>> note_zh("inherited", "item 66 part 2: empty 分管领导 read as line 120's '何嘉旻'")
'事项 66 第 2 部分：空白的分管领导沿用第 120 行的“何嘉旻”'
"""

from __future__ import annotations

import re

__all__ = ["note_zh", "what_zh"]

_Q = r"['\"](.*?)['\"]"  # a Python repr of a string
_PATTERNS = {
    "no_implementer": [(r"^(.*) has no implementing unit$", "{0} 没有实施单位")],
    "no_leader": [(r"^(.*) has no 分管领导$", "{0} 缺分管领导")],
    "no_deadline": [(r"^item (.*) has no deadline$", "事项 {0} 缺完成时限")],
    "bad_deadline": [(rf"^item (.*): deadline {_Q} is not a date$", "事项 {0}：完成时限“{1}”不是日期")],
    "deadline_year": [(rf"^item (.*): deadline {_Q} is not in the document's year (\d+)$",
                       "事项 {0}：完成时限“{1}”不在文件年份 {2} 年内")],
    "inherited": [(rf"^(.*): empty (.*) read as line (\d+)'s {_Q}$", "{0}：空白的{1}沿用第 {2} 行的“{3}”")],
    "alias": [(rf"^{_Q} read as {_Q} \(alias\)$", "“{0}”按别名读作“{1}”")],
    "bare_place": [(rf"^{_Q} names a place, not a body: read as (.*)$", "“{0}”是地名而非单位，读作“{1}”")],
    "similar_names": [(rf"^{_Q} \(line (\d+)\) and {_Q} look like one body: add an alias if they are$",
                       "“{0}”（第 {1} 行）与“{2}”疑似同一单位；如是，请添加别名")],
}


def what_zh(text: str) -> str:
    """``item 66 part 2`` → ``事项 66 第 2 部分``; other text unchanged."""
    text = re.sub(r"\bitem (\S+) part (\d+)\b", r"事项 \1 第 \2 部分", text)
    text = re.sub(r"\bitem (\S+)", r"事项 \1", text)
    return re.sub(r"^(\S+) part (\d+)$", r"\1 第 \2 部分", text)


def note_zh(kind: str, message: str) -> str:
    """A note in Chinese; an unknown shape keeps its text after the kind's name."""
    from respgraph.queries.quality import KIND_ZH

    for pattern, template in _PATTERNS.get(kind, []):
        m = re.match(pattern, message)
        if m:
            parts = [what_zh(g) for g in m.groups()]
            return template.format(*parts).replace("事项 事项", "事项").replace("  ", " ")
    return f"{KIND_ZH.get(kind, kind)}（原文：{message}）"

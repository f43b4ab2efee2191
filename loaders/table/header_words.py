"""Header words read by their grammar: a level, a qualifier and a head word.

Offices print the same column many ways.  The leader's column is 分管领导 in one
table and 县分管领导, 区政府分管领导 or 镇领导 in the next: a level (县, 区政府,
镇) before the title, and the head word 领导 saying what the column holds.  A unit
column is a qualifier and a head word: 区牵头单位 and 市级牵头部门 lead because of
牵头.  The task column is sometimes two words joined (目标与任务, 工作任务及目标).

Only whole headers are read this way, never a word found somewhere inside one:
完成时限, 备注, 领导批示 or 联系人 hold no role.  A header joining two roles
(牵头单位及配合单位, 分管领导和牵头单位) is ambiguous: :func:`compound_field` says
so, and the caller refuses the table rather than pick one.
"""

from __future__ import annotations

import re
import unicodedata

_TAGS = re.compile(r"</?p>|<br\s*/?>", re.IGNORECASE)
#: Spaces, line breaks and the invisible format characters (Cf) an editor leaves in a word.
_GAPS = re.compile("[\\s\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]+")


def header_key(text: str) -> str:
    """A header cell as one word: NFKC, no spaces, line breaks, tags or invisible
    format characters inside it, brackets full-width.

    >>> header_key("分 管\\n领　导"), header_key("<p>牵头</p><p>单位</p>"), header_key("责任单位(牵头)")
    ('分管领导', '牵头单位', '责任单位（牵头）')
    """
    text = _GAPS.sub("", unicodedata.normalize("NFKC", _TAGS.sub("", text)))
    return text.replace("(", "（").replace(")", "）")


#: A level of government before a title: 市, 县, 区政府, 镇, 街道, 县委, 市级, 市直 …
_LEVEL = r"(?:省|市|县|区|镇|乡|街道)(?:级|直|委|人民政府|政府)?"
_LEADER_QUALIFIERS = "牵头负责|主要负责|分管|牵头|责任|负责|主管|联系|挂点|挂钩|包抓|包联|主抓|督办"
#: What a leader's column is headed by: the head word gives the role.
_LEADER_HEADS = "领导同志|领导|同志|常务副市长|副市长|市长|副区长|区长|副县长|县长|副镇长|镇长|副乡长|乡长"
_LEADER = re.compile(rf"^(?:{_LEVEL})*(?:{_LEADER_QUALIFIERS})?(?:{_LEVEL})?(?P<word>{_LEADER_HEADS})$")
#: A unit column's role is said by its qualifier (牵头单位 leads, 配合部门 assists).
UNIT_QUALIFIERS = {
    "牵头负责": "lead",
    "牵头责任": "lead",
    "主要责任": "lead",
    "牵头": "lead",
    "主责": "lead",
    "主办": "lead",
    "具体实施": "implement",
    "具体落实": "implement",
    "具体责任": "implement",
    "实施": "implement",
    "承办": "implement",
    "责任": "implement",
    "落实": "implement",
    "承担": "implement",
    "协同责任": "assist",
    "配合责任": "assist",
    "协办": "assist",
    "配合": "assist",
    "参与": "assist",
    "协同": "assist",
}
_UNIT_HEADS = "单位|部门|主体"
_UNIT = re.compile(
    rf"^(?:{_LEVEL})*(?P<word>{'|'.join(sorted(UNIT_QUALIFIERS, key=len, reverse=True))})"
    rf"(?:{_LEVEL})?(?:{_UNIT_HEADS})$"
)


def grammar_field(key: str) -> tuple[str, str] | None:
    """(field, the word that decides it) for a leader or unit header read by its grammar.

    >>> grammar_field("区政府分管领导"), grammar_field("镇领导"), grammar_field("县委县政府分管领导")
    (('leader', '领导'), ('leader', '领导'), ('leader', '领导'))
    >>> grammar_field("区牵头单位"), grammar_field("市级配合部门"), grammar_field("县责任单位")
    (('lead', '牵头'), ('assist', '配合'), ('implement', '责任'))
    >>> [grammar_field(h) for h in ("完成时限", "备注", "领导批示", "联系人", "领导小组", "单位")]
    [None, None, None, None, None, None]
    """
    m = _LEADER.match(key)
    if m:
        return "leader", m.group("word")
    m = _UNIT.match(key)
    if m:
        return UNIT_QUALIFIERS[m.group("word")], m.group("word")
    return None


#: Joiners of two words in one header: 目标与任务, 牵头单位及配合单位, 牵头/责任单位.
_JOINERS = re.compile(r"以及|与|和|及|、|/|或")
#: Head words of a task column (工作任务, 重点事项, 改革举措 …).
_TASK_HEAD = re.compile(r"(任务|事项|工作|项目|措施|举措|实事|项目名称)$")
#: Words that may ride with a task word in the task column's header (目标, 内容 …).
_SIDE_HEAD = re.compile(r"(目标|内容|要求|标准|安排|计划|进度)$")
_FOLDED = ("content", "targets", "side")


class Ambiguous(ValueError):
    """A header whose words give two roles; ``parts`` are (word, field)."""

    def __init__(self, header: str, parts: list[tuple[str, str]]):
        self.header, self.parts = header, parts
        said = " and ".join(f"{w} ({f})" for w, f in parts)
        super().__init__(f"the header {header!r} names two columns in one: {said}")


def compound_field(key: str, headers: dict[str, str]) -> tuple[str, str] | None:
    """(field, word) of a header that joins two known words, or None when it joins none.

    The task column may join a task word with a target or content word; two words
    of other roles raise :class:`Ambiguous`, since one column cannot be both.
    A qualifier standing alone shares the head word after it (牵头/责任单位).

    >>> compound_field("目标与任务", {}), compound_field("工作目标和任务", {"工作目标": "targets"})
    (('title', '任务'), ('title', '任务'))
    >>> compound_field("完成时限及要求", {"完成时限": "deadline"}), compound_field("问题和建议", {})
    (('deadline', '完成时限'), None)
    >>> try:
    ...     compound_field("牵头/责任单位", {})
    ... except Ambiguous as exc:
    ...     print(exc)
    the header '牵头/责任单位' names two columns in one: 牵头单位 (lead) and 责任单位 (implement)
    """
    parts = [p for p in _JOINERS.split(key) if p]
    if len(parts) < 2:
        return None
    head = re.search(rf"(?:{_UNIT_HEADS}|{_LEADER_HEADS})$", parts[-1])
    if head:
        parts = [p + head.group(0) if p in UNIT_QUALIFIERS or p in _LEADER_QUALIFIERS.split("|") else p for p in parts]
    read: list[tuple[str, str, str]] = []  # (part, field, word)
    for part in parts:
        found = _part_field(part, headers)
        if found is None:
            return None  # a word we do not know: not for this rule to decide
        read.append((part, *found))
    fields = {f for _, f, _ in read}
    if "title" in fields:
        fields -= set(_FOLDED)
    fields.discard("side")
    if not fields:
        return None
    if len(fields) > 1:
        seen: dict[str, str] = {}
        for part, field, _ in read:
            if field in fields:
                seen.setdefault(field, part)
        raise Ambiguous(key, [(p, f) for f, p in seen.items()])
    (field,) = fields
    return field, next(w for _, f, w in read if f == field)


def _part_field(part: str, headers: dict[str, str]) -> tuple[str, str] | None:
    if part in headers:
        return headers[part], part
    found = grammar_field(part)
    if found:
        return found
    m = _TASK_HEAD.search(part)
    if m and len(part) <= 8:
        return "title", m.group(1)
    m = _SIDE_HEAD.search(part)
    if m and len(part) <= 8:
        return "side", m.group(1)
    return None

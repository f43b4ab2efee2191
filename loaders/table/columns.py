"""Which column of a table means what: header text -> field.

Other cities print other headers for the same roles (牵头领导 for 分管领导,
责任单位 for 实施单位, 配合单位 for 协办单位 …); :func:`field_of` maps a header
by meaning: the user's own mapping first, then the exact header, then the header
without its bracketed note, then the header's own words (a level and a head word,
``区政府分管领导``; two words joined, ``目标与任务``: :mod:`header_words`), then a
known header inside a longer one (``责任分工 / 牵头单位``).
"""

from __future__ import annotations

import re

from respgraph.graph.vocabulary import ROLES
from respgraph.loaders.items.names import clean_name
from respgraph.loaders.table.header_words import Ambiguous, compound_field, grammar_field, header_key

#: The fields a row can have; ``number`` and ``title`` are required.
FIELDS = ("number", "title", "content", "targets", "deadline", "leader", *ROLES)
UNIT_FIELDS = ROLES

#: Header texts (cleaned: NFKC, no spaces, full-width brackets) and their field.
HEADERS = {
    "序号": "number",
    "编号": "number",
    "事项": "title",
    "项目名称": "title",
    "工作任务": "title",
    "重点工作": "title",
    "主要任务": "title",
    "民生实事": "title",
    "重点任务": "title",
    "工作事项": "title",
    "督办事项": "title",
    "重点工作任务": "title",
    "任务名称": "title",
    "项目": "title",
    "主要内容": "content",
    "建设内容": "content",
    "具体内容": "content",
    "季度工作目标": "targets",
    "工作目标": "targets",
    "年度目标": "targets",
    "目标任务": "targets",
    "进度安排": "targets",
    "阶段目标": "targets",
    "完成时限": "deadline",
    "完成时间": "deadline",
    "时间节点": "deadline",
    "时限": "deadline",
    "市政府分管领导": "leader",
    "分管领导": "leader",
    "牵头领导": "leader",
    "责任领导": "leader",
    "分管市领导": "leader",
    "牵头市领导": "leader",
    "责任市领导": "leader",
    "分管副市长": "leader",
    "分管市长": "leader",
    # Other offices' words for the same (issue 22): 区（县）分管领导 at county level.
    "牵头负责领导": "leader",
    "区（县）分管领导": "leader",
    "县（区）分管领导": "leader",
    "负责同志": "leader",
    "牵头负责同志": "leader",
    "主要责任单位": "lead",
    "协同责任单位": "assist",
    "牵头单位": "lead",
    "牵头部门": "lead",
    "主责单位": "lead",
    "牵头责任单位": "lead",
    "实施单位（承办单位）": "implement",
    "实施单位": "implement",
    "承办单位": "implement",
    "责任单位": "implement",
    "责任主体": "implement",
    "责任部门": "implement",
    "协办单位": "assist",
    "配合单位": "assist",
    "参与单位": "assist",
    "协同单位": "assist",
    "配合部门": "assist",
    "协办部门": "assist",
}

#: The header as printed in messages, one per field.
FIELD_ZH = {
    "number": "序号",
    "title": "事项",
    "content": "主要内容",
    "targets": "季度工作目标",
    "deadline": "完成时限",
    "leader": "分管领导",
    "lead": "牵头单位",
    "implement": "实施单位",
    "assist": "协办单位",
}

#: Role names a user may give in ``--map HEADER=ROLE``; ``ignore`` drops a column.
ROLE_NAMES = {
    **{f: f for f in FIELDS},
    "item": "title",
    "task": "title",
    "implementing": "implement",
    "assisting": "assist",
    "ignore": None,
    "none": None,
    "-": None,
}

_BRACKETED = re.compile(r"（[^（）]*）")
_LONGEST_FIRST = sorted(HEADERS, key=len, reverse=True)
# A header holds a known one when it is at most twice as long ("完成时限要求"),
# so a long title cell that happens to contain 重点工作 is not taken for a header.


def is_header(cells: list[str]) -> bool:
    return bool(cells) and clean_name(cells[0]) == "序号"


def map_header(cells: list[str]) -> tuple[list[str | None], list[str]]:
    """The field of each header cell (None when unknown) and the unknown headers."""
    fields: list[str | None] = []
    unknown = []
    for cell in cells:
        field = HEADERS.get(clean_name(cell))
        fields.append(field)
        if field is None:
            unknown.append(cell)
    return fields, unknown


def parse_mapping(items: list[str] | tuple[str, ...]) -> dict[str, str | None]:
    """``["配合单位=assist"]`` as {cleaned header: field}; ValueError names a bad entry.

    >>> parse_mapping(["配合 单位=assist", "备注=ignore"])
    {'配合单位': 'assist', '备注': None}
    """
    out: dict[str, str | None] = {}
    for item in items:
        header, sep, role = item.rpartition("=")
        role = role.strip().lower()
        if not sep or not header.strip() or role not in ROLE_NAMES:
            raise ValueError(f"{item!r}: use HEADER=ROLE with ROLE one of {', '.join(ROLE_NAMES)}")
        out[header_key(header)] = ROLE_NAMES[role]
    return out


def field_of(header: str, mapping: dict[str, str | None] | None = None) -> tuple[str | None, str]:
    """The field a header means and how that was decided: ``--map``, ``name`` (a known
    header), or the word of the header that gave the role.

    In order: the user's mapping, a known header (with or without its bracketed note),
    two words joined (目标与任务, :func:`compound_field`), a level and a head word
    (区政府分管领导, :func:`grammar_field`), a known header inside a longer one.  A
    header joining two roles is ``(None, "ambiguous: …")``: the caller refuses it.

    >>> field_of("市政府 分管领导"), field_of("责任单位（列第一位者为牵头单位）")
    (('leader', 'name'), ('implement', 'name'))
    >>> field_of("区分管领导"), field_of("镇领导"), field_of("目标与任务"), field_of("区牵头单位")
    (('leader', '领导'), ('leader', '领导'), ('title', '任务'), ('lead', '牵头'))
    >>> field_of("责任分工牵头单位"), field_of("备注"), field_of("完成时限")
    (('lead', '牵头单位'), (None, 'unmapped'), ('deadline', 'name'))
    >>> field_of("牵头单位及配合单位")
    (None, 'ambiguous: 牵头单位 (lead) and 配合单位 (assist)')
    >>> field_of("配合单位", {"配合单位": "lead"})
    ('lead', '--map')
    """
    text = header_key(header)
    if not text:
        return None, "unmapped"
    mapping = mapping or {}
    bare = _BRACKETED.sub("", text)
    for key in (text, bare):
        if key in mapping:
            return mapping[key], "--map"
    for key in (text, bare):
        if key in HEADERS:
            return HEADERS[key], "name"
    try:
        found = compound_field(bare, HEADERS) or grammar_field(bare)
    except Ambiguous as exc:
        return None, "ambiguous: " + " and ".join(f"{w} ({f})" for w, f in exc.parts)
    if found:
        return found
    for known in _LONGEST_FIRST:
        if known in bare and len(bare) <= 2 * len(known):
            return HEADERS[known], known
    return None, "unmapped"

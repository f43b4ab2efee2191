"""Lines that are not rows: section headings, leaders named in them, notes, 附件 marks.

``一、XX市长主抓重点工作`` is a section of the table and names the leader of the
rows under it; ``（列第一位者为牵头单位）`` is a rule about a unit column, not a unit.
"""

from __future__ import annotations

import re

_NUM = "一二三四五六七八九十百"
_LEVEL1 = re.compile(rf"^\s*(?:[{_NUM}]+\s*[、.．]|第[{_NUM}]+(?:部分|章|篇|节|类))")
_LEVEL2 = re.compile(rf"^\s*[（(]\s*[{_NUM}]+\s*[)）]")
ATTACHMENT = re.compile(r"^\s*附\s*件\s*(\d+)\s*[:：]?\s*(.*)$")

_TITLES = "常务副市长|副市长|市长|副区长|区长|副县长|县长"
_ACTS = "主抓|牵头|负责|分管|领衔|挂帅"
_HAN = "\u4e00-\u9fff"
_LEADER_LABEL = re.compile(r"(?:牵头|责任|分管)市?领导\s*[:：]\s*([^）)；;\n]+)")
_TITLE_THEN_NAME = re.compile(rf"(?:{_TITLES})([{_HAN}]{{2,3}})(?:同志)?(?:{_ACTS})")
_NAME_THEN_TITLE = re.compile(rf"([{_HAN}]{{2,4}}?)(?:同志)?(?:{_TITLES})(?:同志)?(?:{_ACTS})")
_NOT_NAME = re.compile(r"^(由|请|的|和|及)")

_RULE_IN_BRACKETS = re.compile(r"[（(][^（）()]*第一[^（）()]*牵头[^（）()]*[)）]")
_RULE = re.compile(r"第一[位个名]?.{0,10}牵头|牵头.{0,6}(?:列|排)(?:在)?第一")
_NOTE = re.compile(r"^\s*(?:注|说明|备注)\s*[:：\d]")


def heading_level(text: str) -> int:
    """1 for ``一、…`` or ``第一部分``, 2 for ``（一）…``, 0 for anything else.

    >>> heading_level("一、王中丙市长主抓重点工作"), heading_level("（二）民生"), heading_level("1. 推进")
    (1, 2, 0)
    """
    if _LEVEL1.match(text):
        return 1
    if _LEVEL2.match(text):
        return 2
    return 0


def heading_leader(text: str) -> str:
    """The leader a heading puts in charge of the rows under it, or "".

    >>> heading_leader("一、王中丙市长主抓重点工作"), heading_leader("二、常务副市长黄明忠牵头")
    ('王中丙', '黄明忠')
    >>> heading_leader("（三）产业发展（牵头领导：何嘉旻）"), heading_leader("四、民生实事")
    ('何嘉旻', '')
    """
    body = _LEVEL2.sub("", _LEVEL1.sub("", text)).strip()
    m = _LEADER_LABEL.search(body)
    if m:
        return m.group(1).strip()
    for pattern in (_TITLE_THEN_NAME, _NAME_THEN_TITLE):
        m = pattern.search(_NOT_NAME.sub("", body))
        if m:
            return m.group(1)
    return ""


def is_note(text: str) -> bool:
    """A note to the reader (``注：…``), or a line wholly in brackets."""
    t = text.strip()
    if not t or heading_level(t):
        return False
    return bool(_NOTE.match(t)) or (t[:1] in "（(" and t[-1:] in "）)" and "，" not in t[1:-1])


def states_lead_first(text: str) -> bool:
    """Whether a note says the first unit listed is the lead.

    >>> states_lead_first("（列第一位者为牵头单位）"), states_lead_first("注：排在第一位的为牵头单位")
    (True, True)
    """
    return bool(_RULE.search(text))


def strip_rules(text: str) -> tuple[str, bool]:
    """A cell without its bracketed lead-first rule, and whether it had one.

    >>> strip_rules("市发展改革局、市财政局（列第一位者为牵头单位）")
    ('市发展改革局、市财政局', True)
    """
    out, n = _RULE_IN_BRACKETS.subn("", text)
    return out.strip(), n > 0

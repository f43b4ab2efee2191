"""Quarterly targets, quantities and deadlines, read from the text of a cell."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from respgraph.graph.model import Quantity

_NUM = "一二三四"
QUARTER_LABEL = re.compile(rf"第\s*([{_NUM}])((?:\s*[、至到\-—~～]\s*第?\s*[{_NUM}])*)\s*季度\s*[:：]")
# "1. 站前路…" or "2、落实…" opens a numbered sub-list; "0.6 亿元" does not.
_SECTION = re.compile(r"(?:^|(?<=\s))(\d{1,2})\s*[.．、](?!\d)\s*")
_LEADING_NUMBER = re.compile(r"^\d{1,2}\s*[.．、]\s*")
_QUANTITY = re.compile(
    r"(\d+(?:\.\d+)?)\s*(亿元|万元|%|万平方米|平方米|万千瓦|万吨|万亩|万人|公里|个|家|亩|人|座|条|项|次|吨|所|辆)"
)
_CLAUSE_END = re.compile(r"[。；;]")
_DEADLINE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?")


def quarters_of(label: str) -> tuple[int, ...]:
    """The quarters a label covers.

    >>> quarters_of("第一季度："), quarters_of("第一、二季度："), quarters_of("第二至四季度:")
    ((1,), (1, 2), (2, 3, 4))
    >>> quarters_of("第三、第四季度：")
    (3, 4)
    """
    m = QUARTER_LABEL.search(label)
    if not m:
        return ()
    first = _NUM.index(m.group(1)) + 1
    quarters = [first]
    for sep, q in re.findall(rf"([、至到\-—~～])\s*第?\s*([{_NUM}])", m.group(2)):
        n = _NUM.index(q) + 1
        if sep in "至到-—~～":
            quarters.extend(range(quarters[-1] + 1, n + 1))
        else:
            quarters.append(n)
    return tuple(sorted(set(quarters)))


def quantities_of(text: str) -> tuple[Quantity, ...]:
    """Numbers with units in a target; 累计 earlier in the same clause makes one cumulative.

    >>> [(q.value, q.unit_text, q.cumulative) for q in quantities_of("完成投资 0.6 亿元。累计完成投资 20 亿元")]
    [(0.6, '亿元', False), (20.0, '亿元', True)]
    """
    out = []
    for m in _QUANTITY.finditer(text):
        clause_start = max((c.end() for c in _CLAUSE_END.finditer(text, 0, m.start())), default=0)
        cumulative = "累计" in text[clause_start : m.start()]
        out.append(Quantity(value=float(m.group(1)), unit_text=m.group(2), cumulative=cumulative))
    return tuple(out)


@dataclass(frozen=True)
class Target:
    quarters: tuple[int, ...]
    label: str
    section: str
    text: str


def split_targets(text: str) -> tuple[str, list[Target]]:
    """Split a targets cell into (heading, targets).

    The heading is what stands before the first label when the cell has a single
    section: the name of a sub-project (``1. 站前路改造工程``).  Numbered sections
    (``1. … 2. …``) become the ``section`` of the targets inside them; text with no
    quarter label is one target with no quarters.

    >>> heading, ts = split_targets("1. 建设路改造工程 第一季度：完成总工程量 60%。 第二至四季度：完成主体工程。")
    >>> heading, [(t.quarters, t.text) for t in ts]
    ('建设路改造工程', [((1,), '完成总工程量 60%。'), ((2, 3, 4), '完成主体工程。')])
    """
    sections = _sections(text)
    heading = ""
    targets: list[Target] = []
    for title, body in sections:
        labels = list(QUARTER_LABEL.finditer(body))
        prefix = (body[: labels[0].start()] if labels else "").strip(" ：:")
        if not labels:
            whole = f"{title} {body}".strip()
            if whole:
                targets.append(Target((), "", title, whole))
            continue
        section = title
        if len(sections) == 1:
            # A sub-project keeps its printed number ("2. 建设路…") in the row; drop it.
            heading = _LEADING_NUMBER.sub("", f"{title} {prefix}".strip())
            section = heading
        elif prefix:
            section = (title + " " + prefix).strip()
        for i, m in enumerate(labels):
            end = labels[i + 1].start() if i + 1 < len(labels) else len(body)
            targets.append(
                Target(quarters_of(m.group(0)), m.group(0).rstrip(":："), section, body[m.end() : end].strip())
            )
    return heading, targets


def _sections(text: str) -> list[tuple[str, str]]:
    """(title, body) per numbered section; one untitled section when there is no numbering.

    A number counts as a section only in order 1, 2, 3…, so ``第一季度：1 号核岛``
    is not mistaken for one.
    """
    marks, expected = [], 1
    for m in _SECTION.finditer(text):
        if int(m.group(1)) == expected:
            marks.append(m)
            expected += 1
    if not marks:
        return [("", text)]
    out = []
    if text[: marks[0].start()].strip():
        out.append(("", text[: marks[0].start()]))
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        body = text[m.end() : end]
        first_label = QUARTER_LABEL.search(body)
        title_end = first_label.start() if first_label else _first_sentence_end(body)
        out.append((body[:title_end].strip(" ：:"), body[title_end:]))
    return out


def _first_sentence_end(body: str) -> int:
    m = re.search(r"[。；;]", body)
    return m.end() if m else len(body)


def parse_deadline(text: str) -> dt.date | None:
    """The last day of the month a deadline names, or the day when it names one.

    >>> parse_deadline("2023 年 12 月"), parse_deadline("2023年6月")
    (datetime.date(2023, 12, 31), datetime.date(2023, 6, 30))
    """
    m = _DEADLINE.search(text)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    day = int(m.group(3)) if m.group(3) else calendar.monthrange(year, month)[1]
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None

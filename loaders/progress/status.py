"""A report row's status: the status column's word, else the figures against the quarter's target, else words in the text.

Figures are compared with the milestone due by the report date (the quarter
that ended by then, or the one whose last month the date is in: a report
``截至6月20日`` is read against the second quarter's target).  A reported figure is
paired with the target's figure of the same unit (亿元 and 万元 together); a
cumulative figure (``累计完成投资 2.6 亿元``) against a target stated per quarter is
compared with the sum of the quarters so far.  Every decision says why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from respgraph.graph.progress import Status, due_quarter
from respgraph.loaders.items.targets import quantities_of
from respgraph.loaders.progress.words import Vocabulary

_MONEY = {"亿元": 10000.0, "万元": 1.0}


@dataclass(frozen=True)
class Decision:
    status: Status
    why: str
    inferred: bool


def _kind(unit: str) -> str:
    return "money" if unit in _MONEY else unit


def _value(value: float, unit: str) -> float:
    return value * _MONEY.get(unit, 1.0)


def _show(value: float, unit: str) -> str:
    number = f"{value:g}"
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


def _milestone_quantities(m: dict) -> list[tuple[float, str, bool]]:
    return list(zip(m.get("q_values") or [], m.get("q_units") or [], m.get("q_cumulative") or []))


def _due(milestones: list[dict], quarter: int) -> list[dict]:
    return [m for m in milestones if m.get("quarters") and max(m["quarters"]) == quarter]


def _target_values(milestones: list[dict], quarter: int, reported_cumulative: bool) -> list[tuple[float, str, str]]:
    """(value in the first unit's scale, unit, how it reads) of the figures due at ``quarter``."""
    out = []
    for m in _due(milestones, quarter):
        for n, (value, unit, cumulative) in enumerate(_milestone_quantities(m)):
            if unit != "%" and not cumulative and reported_cumulative:
                # A per-quarter figure against a cumulative report: add the quarters so far.
                earlier = [
                    q
                    for e in milestones
                    if e.get("quarters") and max(e["quarters"]) <= quarter
                    for q in _milestone_quantities(e)[:1]
                    if _kind(q[1]) == _kind(unit) and not q[2]
                ]
                if n == 0 and len(earlier) > 1:
                    total = sum(_value(v, u) for v, u, _ in earlier) / _MONEY.get(unit, 1.0)
                    out.append((total, unit, f"累计 {_show(total, unit)} (sum of Q1–Q{quarter})"))
                    continue
            out.append((value, unit, _show(value, unit)))
    return out


def compare(text: str, milestones: list[dict], as_of: dt.date, year: int) -> Decision | None:
    """The status the figures in ``text`` give against the targets due by ``as_of``; None when none compare.

    >>> ms = [{"quarters": [2], "text": "完成年度投资计划的 50%。", "q_values": [50.0], "q_units": ["%"],
    ...        "q_cumulative": [False]}]
    >>> compare("完成年度投资计划的 47%", ms, dt.date(2023, 6, 30), 2023)
    Decision(status=<Status.BEHIND: 'behind'>, why='Q2 target 50% (完成年度投资计划的 50%。); reported 47%', inferred=True)
    """
    quarter = due_quarter(as_of, year)
    reported = quantities_of(text)
    if not quarter or not reported:
        return None
    cumulative = any(q.cumulative for q in reported)
    targets = _target_values(milestones, quarter, cumulative)
    pairs = _pairs(targets, [(q.value, q.unit_text) for q in reported])
    if not pairs:
        return None
    due_text = "；".join(m["text"].strip() for m in _due(milestones, quarter))
    shown_targets = ", ".join(t[2] for t, _ in pairs)
    shown_reported = ", ".join(_show(*r) for _, r in pairs)
    why = f"Q{quarter} target {shown_targets} ({due_text}); reported {shown_reported}"
    met = all(_value(r[0], r[1]) >= _value(t[0], t[1]) for t, r in pairs)
    if not met:
        return Decision(Status.BEHIND, why, True)
    last = max((max(m["quarters"]) for m in milestones if m.get("quarters") and _milestone_quantities(m)), default=0)
    for later, status in ((last, Status.DONE), (quarter + 1, Status.AHEAD)):
        if later <= quarter:
            continue
        ahead_pairs = _pairs(_target_values(milestones, later, cumulative), [(q.value, q.unit_text) for q in reported])
        if ahead_pairs and all(_value(r[0], r[1]) >= _value(t[0], t[1]) for t, r in ahead_pairs):
            return Decision(
                status, f"{why}; also meets the Q{later} target {', '.join(t[2] for t, _ in ahead_pairs)}", True
            )
    return Decision(Status.ON_TRACK, why, True)


def _pairs(targets, reported) -> list[tuple[tuple, tuple]]:
    """Each target figure with the next unused reported figure of its kind."""
    used: set[int] = set()
    out = []
    for t in targets:
        for n, r in enumerate(reported):
            if n not in used and _kind(r[1]) == _kind(t[1]):
                used.add(n)
                out.append((t, r))
                break
    return out


def decide(
    *,
    status_text: str,
    progress: str,
    milestones: list[dict],
    as_of: dt.date,
    year: int,
    vocabulary: Vocabulary,
    status_header: str = "状态",
) -> Decision:
    """The status of one report row, and why.

    >>> from respgraph.loaders.progress.words import default_vocabulary
    >>> v = default_vocabulary()
    >>> decide(status_text="欠进度", progress="", milestones=[], as_of=dt.date(2023, 6, 30), year=2023, vocabulary=v)
    Decision(status=<Status.BEHIND: 'behind'>, why="状态 '欠进度'", inferred=False)
    >>> decide(status_text="", progress="尚无进展", milestones=[], as_of=dt.date(2023, 6, 30), year=2023,
    ...        vocabulary=v).why
    'no status word, and no figure to compare with a target due by 2023-06-30'
    """
    if status_text.strip():
        found = vocabulary.classify(status_text)
        if found is not None:
            return Decision(found.status, f"{status_header} {found.word!r}", False)
    figures = compare(progress, milestones, as_of, year) or compare(status_text, milestones, as_of, year)
    if figures is not None:
        return figures
    for text, where in ((progress, "进展情况"), (status_text, status_header)):
        found = vocabulary.in_text(text)
        if found is not None:
            return Decision(found.status, f"{where} says {found.word!r}", True)
    unread = f"{status_header} {status_text.strip()!r} is no known status word; " if status_text.strip() else ""
    return Decision(
        Status.OTHER, f"{unread}no status word, and no figure to compare with a target due by {as_of.isoformat()}", True
    )

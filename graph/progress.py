"""The typed model of a progress report (进展情况表): what the supervision office collects.

A report is a source document of its own, on one table (``REPORTS_ON`` its
``Document``) at one date; each of its rows becomes a :class:`StatusRecord` on
the item or sub-item it reports on.  A report's key is built from the table's key
and the date, so loading the same report again (or a corrected one for the same
date) replaces it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from respgraph.graph.labels import STATUS_ZH  # noqa: F401 - read here by the notices, the report and the pictures
from respgraph.graph.model import Batch, Model, Node, Rel


class Status(StrEnum):
    """The fixed vocabulary every office's words are mapped to."""

    DONE = "done"  # 已完成 / 已办结 / 提前完成
    AHEAD = "ahead"  # 超进度
    ON_TRACK = "on_track"  # 序时推进 / 按序时 / 达进度 / 正在办理
    BEHIND = "behind"  # 滞后 / 慢序时 / 欠进度 / 进展缓慢
    NOT_STARTED = "not_started"  # 未启动
    OTHER = "other"  # 其它, or nothing to decide by
    NO_REPORT = "no_report"  # no row on the item up to the date asked


#: Statuses in the order answers list them; the first ones are the worst.
STATUS_ORDER = (
    Status.BEHIND,
    Status.NOT_STARTED,
    Status.OTHER,
    Status.ON_TRACK,
    Status.AHEAD,
    Status.DONE,
    Status.NO_REPORT,
)


def report_key(document: str, as_of: dt.date) -> str:
    """The key of the report on ``document`` at ``as_of``: one report per table and date."""
    return f"progress:{as_of.isoformat()}/{document}"


class ProgressReport(Model):
    key: str
    document: str = Field(description="key of the table the report is on")
    city: str
    as_of: dt.date
    title: str
    source: str = Field(description="file name the report was read from")
    rows: int = Field(description="rows of the report that were matched and loaded")


class StatusRecord(Model):
    """One report row: the status of an item or sub-item at the report's date, and why."""

    key: str
    report: str
    target: str = Field(description="key of the item or sub-item the row reports on")
    item: str = Field(description="key of the item (the parent of a sub-item)")
    as_of: dt.date
    status: Status
    why: str = Field(description="the words or figures that decided the status")
    inferred: bool = Field(description="no status word in the status column: decided from text and figures")
    status_text: str = ""
    progress: str = ""
    problems: str = ""
    next_steps: str = ""
    line: int


class Progress(Model):
    """Everything one report says about one table, typed; what ``progress load`` writes."""

    report: ProgressReport
    records: tuple[StatusRecord, ...]

    def to_batch(self) -> Batch:
        nodes = [Node(label="ProgressReport", key=self.report.key, props=self.report.model_dump(mode="json"))]
        nodes += [Node(label="StatusRecord", key=r.key, props=r.model_dump(mode="json")) for r in self.records]
        rels = [Rel(type="REPORTS_ON", start=self.report.key, end=self.report.document)]
        rels += [Rel(type="IN_REPORT", start=r.key, end=self.report.key) for r in self.records]
        rels += [Rel(type="HAS_STATUS", start=r.target, end=r.key) for r in self.records]
        return Batch(document=self.report.key, nodes=nodes, rels=rels)


def due_quarter(as_of: dt.date, year: int) -> int:
    """The last quarter whose target is due by ``as_of`` (0 before the first).

    >>> [due_quarter(dt.date(2023, m, d), 2023) for m, d in ((3, 1), (6, 20), (6, 30), (8, 15), (12, 31))]
    [1, 2, 2, 2, 4]
    >>> due_quarter(dt.date(2024, 1, 15), 2023), due_quarter(dt.date(2023, 2, 1), 2023)
    (4, 0)
    """
    if as_of.year != year:
        return 4 if as_of.year > year else 0
    return as_of.month // 3  # March, June, September and December count for their quarter

"""The report's 督办进展 section (issue #12): status per leader and lead unit, the trend, the red list.

Draws what :mod:`respgraph.queries.status` returned (a :class:`ProgressData`);
runs no query.  The chart uses the report's style and the status colours of
the pictures (:mod:`respgraph.viz.status_style`).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from respgraph.graph.progress import STATUS_ORDER, STATUS_ZH, Status
from respgraph.viz.status_style import STATUS_COLOR

__all__ = ["ProgressData", "status_section", "status_bars"]

TOP = 20
_COUNTED = [s for s in STATUS_ORDER]


@dataclass
class ProgressData:
    as_of: dt.date
    leaders: list  # RollupRow per leader
    units: list  # RollupRow per lead unit
    trend: list  # TrendRow per report date
    items: list  # ItemStatus, worst first


def status_bars(rows, *, title: str, top: int = TOP):
    """Stacked horizontal bars of items per status, one bar per leader or unit."""
    from matplotlib.figure import Figure

    from respgraph.viz.charts import _style

    rows = list(rows)[:top][::-1]
    with _style():
        fig = Figure(figsize=(9, 0.32 * len(rows) + 1.6))
        ax = fig.subplots()
        y = range(len(rows))
        left = [0] * len(rows)
        for status in _COUNTED:
            values = [getattr(r, status.value) for r in rows]
            ax.barh(y, values, left=left, color=STATUS_COLOR[status], label=STATUS_ZH[status], height=0.7)
            left = [a + b for a, b in zip(left, values)]
        ax.set_yticks(list(y), [r.name for r in rows])
        ax.set_xlabel("事项数（按最新进展）")
        ax.set_title(title, loc="left", pad=30)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=7, borderaxespad=0.2)
        ax.margins(y=0.01)
        return fig


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _table(head: list[str], rows: list[list]) -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in r) + "</tr>" for r in rows)
    return f"<div class='scroll'><table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>"


def _counts_row(r) -> list:
    return [getattr(r, s.value) for s in _COUNTED] + [r.overdue, r.red, r.yellow, r.blue]


_HEAD = [STATUS_ZH[s] for s in _COUNTED] + ["逾期", "红", "黄", "蓝"]


def status_section(data: ProgressData, figure) -> str:
    """The section's HTML; ``figure`` numbers and embeds a chart as the report does."""
    from respgraph.viz.notices import why_zh

    total = len(data.items)
    counts = {s: sum(r.status == s.value for r in data.items) for s in _COUNTED}
    red = [r for r in data.items if r.warning == "red"]
    lead = (
        f"<p>截至 {_e(data.as_of.isoformat())}，{total} 项事项中："
        + "、".join(f"{STATUS_ZH[s]} {counts[s]} 项" for s in _COUNTED if counts[s])
        + f"；逾期 {sum(r.overdue for r in data.items)} 项，红色预警 {len(red)} 项。"
        "状态取每项事项截至该日最新一期进展报告；无状态词时按季度目标中的数量推断，并注明依据。</p>"
    )
    parts = [lead]
    if data.leaders:
        parts.append(
            figure(
                status_bars(data.leaders, title="各市领导分管事项的最新进展"),
                key="progress-leaders",
                caption="各市领导分管事项的最新进展",
                method="每项事项取截至报告日最新一期进展报告的状态；无报告的为“未报送”。",
            )
        )
        parts.append(
            _table(
                ["市领导", "事项"] + _HEAD + ["滞后占比"],
                [[r.name, r.items, *_counts_row(r), f"{r.share_behind:.1%}"] for r in data.leaders],
            )
        )
    if data.units:
        parts.append("<h3>牵头单位（滞后与预警最多的前 20 个）</h3>")
        parts.append(
            _table(
                ["牵头单位", "事项"] + _HEAD + ["滞后占比"],
                [[r.name, r.items, *_counts_row(r), f"{r.share_behind:.1%}"] for r in data.units[:TOP]],
            )
        )
    if data.trend:
        parts.append("<h3>各期报告的变化</h3>")
        parts.append(
            _table(["报告日期", "事项"] + _HEAD, [[r.date.isoformat(), r.items, *_counts_row(r)] for r in data.trend])
        )
    parts.append("<h3>红色预警（逾期未完成）</h3>")
    if red:
        parts.append(
            _table(
                ["附件", "序号", "事项", "状态", "完成时限", "牵头单位", "分管领导", "依据"],
                [
                    [
                        r.attachment,
                        r.number,
                        r.title,
                        STATUS_ZH[Status(r.status)],
                        r.deadline.isoformat() if r.deadline else "",
                        "、".join(r.lead),
                        "、".join(r.leaders),
                        why_zh(r.why) or r.why,
                    ]
                    for r in red
                ],
            )
        )
    else:
        parts.append("<p>无。</p>")
    return "\n".join(parts)

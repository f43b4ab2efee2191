"""Notices as the register issued them: an issued batch over the items' statuses, and drafts' numbers.

The batch (:class:`respgraph.accounts.register.NoticeBatch`) is passed in: this module
imports nothing of accounts.  Its notices are written by :func:`respgraph.viz.notices.write_notices`
with the batch's numbers, dates, contact and office.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from respgraph.viz.notices import KINDS, write_notices

__all__ = ["batch_plan", "write_batch", "draft_number"]


def batch_plan(rows: list, notices) -> list[tuple[str, str, list]]:
    """The plan of an issued batch (its notices: kind, unit, item ids, in number order) over
    ``rows``, the items' statuses at the batch's date.  An item no longer loaded is an error,
    never a shorter notice."""
    from respgraph.graph.errors import RespgraphError

    other = sorted({n.kind for n in notices} - set(KINDS))
    if other:
        raise RespgraphError(
            f"the batch is a {', '.join(other)}, not notices: `respgraph bulletin --batch KEY` writes a bulletin again"
        )
    by_id = {r.id: r for r in rows}
    gone = sorted({i for n in notices for i in n.items if i not in by_id})
    if gone:
        raise RespgraphError(
            f"item {', '.join(gone)} of the batch is no longer loaded: load its table again to write the batch again"
        )
    return [(n.kind, n.unit, [by_id[i] for i in n.items]) for n in notices]


def write_batch(rows: list, rollup: list, batch, *, as_of: dt.date, out: Path) -> list[Path]:
    """Write an issued batch (:class:`respgraph.accounts.register.NoticeBatch`: its notices,
    numbers, dates, contact and office) over ``rows``; the paths, summary last."""
    return write_notices(
        rows,
        rollup,
        as_of=as_of,
        out=out,
        preset=batch.preset,
        date=batch.date,
        reply_by=batch.reply_by,
        contact=batch.contact or None,
        office=batch.office or None,
        plan=batch_plan(rows, batch.notices),
        numbers=batch.numbers(),
    )


def draft_number(prefix: str) -> str:
    """The 发文字号 of a draft: the number left blank, never one the register did not give.

    >>> draft_number("督办〔2023〕")
    '督办〔2023〕\u3000\u3000号'
    """
    return f"{prefix}\u3000\u3000号"

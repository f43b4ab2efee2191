"""``respgraph item DOC NUMBER``: one item whole, as the web application's 事项 page shows it."""

from __future__ import annotations

import click

from respgraph.options import format_option
from respgraph.output import emit

__all__ = ["item", "item_answer"]


def item_answer(store, document: str, number: str):
    """(JSON data, table rows, the :class:`~respgraph.queries.item_detail.ItemWhole`) of one item."""
    from respgraph.queries.item_detail import item_whole

    whole = item_whole(store, document, number)
    data = whole.model_dump(mode="json")
    flat = [{"part": m.part or "", "period": m.period, "quarters": m.quarters, "target": m.text}
            for m in whole.milestones]
    return data, flat, whole


@click.command()
@click.argument("document", metavar="DOC")
@click.argument("number")
@format_option
@click.pass_obj
def item(state, document, number, fmt):
    """One item whole: leaders, units by role, sub-items, quarterly targets, progress
    history and the source line.  DOC is a key as `respgraph documents` lists it, or a
    unique part of it (湛江市/2023/1)."""
    data, flat, whole = item_answer(state.query_store(), document, number)
    click.echo(f"{whole.document} {whole.number} {whole.title}\n"
               f"leaders: {'、'.join(whole.leaders) or '-'}; deadline: {whole.deadline_text or '-'}; "
               f"source: {whole.source}, line {whole.line}\n"
               + "".join(f"{role}: {'、'.join(getattr(whole.units, role)) or '-'}\n"
                         for role in ("lead", "implement", "assist"))
               if fmt == "table" else "", nl=False)
    emit(fmt, flat=flat, data=data, width=None)

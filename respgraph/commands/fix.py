"""``respgraph fix``: correct what a table misprints (a deadline), beside the document."""

from __future__ import annotations

import click

from respgraph.commands.options import format_option
from respgraph.commands.output import emit
from respgraph.graph.errors import RespgraphError


@click.command()
@click.argument("doc", required=False)
@click.argument("item", required=False)
@click.argument("setting", required=False, metavar="FIELD=VALUE")
@click.option("--why", default="", help="Why the table is overridden (required), e.g. 原表笔误.")
@click.option("--undo", is_flag=True, help="Take back the correction of FIELD (deadline when not given).")
@format_option
@click.pass_obj
def fix(state, doc, item, setting, why, undo, fmt):
    """Correct a misprinted deadline: `respgraph fix DOC ITEM deadline=2023-12-31 --why 原表笔误`.

    The correction is kept beside the document (loading the table again keeps it)
    and shown by check, items, status and the notices; until a deadline outside
    the table's year is corrected, the item is deadline_doubtful and never overdue.
    With no arguments, lists the corrections recorded.
    """
    from respgraph.graph.corrections import correction_note, record_correction, undo_correction
    from respgraph.queries.lookup import find_document

    if doc is None:
        rows = [
            {
                "document": r["document"],
                "number": r["number"],
                "field": r["field"],
                "value": r["value"],
                "was": r.get("was", ""),
                "why": r.get("why", ""),
                "made": r.get("made", ""),
            }
            for r in state.store().corrections()
        ]
        emit(fmt, flat=rows, data=rows, footer=f"{len(rows)} correction{'' if len(rows) == 1 else 's'}")
        return
    if item is None:
        raise click.UsageError("give the item's number after the document: respgraph fix DOC ITEM deadline=…")
    with state.writable() as store:
        key = find_document(store.documents(), doc)
        if undo:
            field = (setting or "deadline").split("=", 1)[0]
            if not undo_correction(store, document=key, number=item, field=field):
                raise RespgraphError(f"item {item} of {key} has no correction of {field} to undo")
            click.echo(f"undid the correction of {field} on item {item} of {key}")
            return
        if not setting or "=" not in setting:
            raise click.UsageError("say what to set, as FIELD=VALUE: deadline=2023-12-31")
        field, value = (s.strip() for s in setting.split("=", 1))
        row = record_correction(store, document=key, number=item, field=field, value=value, why=why)
        click.echo(f"item {item} of {key}: {correction_note(row)}")

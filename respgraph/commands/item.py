"""``respgraph item DOC NUMBER``: one item whole, as the web application's 事项 page shows it."""

from __future__ import annotations

import click

from respgraph.commands.options import format_option
from respgraph.commands.output import show

__all__ = ["item"]


@click.command()
@click.argument("document", metavar="DOC")
@click.argument("number")
@format_option
@click.pass_obj
def item(state, document, number, fmt):
    """One item whole: leaders, units by role, sub-items, quarterly targets, progress
    history and the source line.  DOC is a key as `respgraph documents` lists it, or a
    unique part of it (湛江市/2023/1)."""
    from respgraph.answers.entities import item as answer

    found = answer(state.query_store(), document, number)
    show(fmt, found if fmt == "table" else found.without_head())

"""``respgraph carryover DOC_A DOC_B``: the 连续督办 list (issue 22), one query of
:mod:`respgraph.queries.carryover` printed."""

from __future__ import annotations

import click

from respgraph.commands.options import format_option
from respgraph.commands.output import emit

__all__ = ["carryover"]


@click.command()
@click.argument("doc_a")
@click.argument("doc_b")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=0.6,
    show_default=True,
    help="How alike two titles must be to be one task (as in diff).",
)
@format_option
@click.pass_obj
def carryover(state, doc_a, doc_b, threshold, fmt):
    """Items of last year's table (DOC_A) that reappear in this year's (DOC_B): a
    similar title and the same lead unit, with their status at the end of last
    year — the 连续督办 list.

    Lead units are compared through the alias list, so a bureau printed two ways in
    two years is one.  Status is as `respgraph status --as-of YYYY-12-31` gives it.
    """
    from respgraph.queries.carryover import carryover as query
    from respgraph.queries.years import document_label

    c = query(state.query_store(), doc_a, doc_b, threshold=threshold, same_body=state.aliases().anywhere)
    flat = [
        {
            "last": r.last.number,
            "this": r.this.number,
            "similarity": r.similarity,
            "title": r.last.title,
            "lead": r.lead,
            "status": r.status,
            "warning": r.warning or "",
            "overdue": "yes" if r.overdue else "",
            "reported": r.reported,
        }
        for r in c.rows
    ]
    counts: dict[str, int] = {}
    for r in c.rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    footer = (
        f"{len(c.rows)} of the {c.compared} items of {document_label(c.a)} reappear in "
        f"{document_label(c.b)} (similar title, same lead unit); status as of {c.as_of.isoformat()}: "
        + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "-")
    )
    emit(fmt, flat=flat, data=c.model_dump(mode="json"), footer=footer)

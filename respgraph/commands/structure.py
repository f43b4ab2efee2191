"""Collaboration structure (issue 30), one command each: ``brokerage``, ``core`` and ``ties``.

Each prints one answer of :mod:`respgraph.answers.structure`, the very answer the 协作
page's tabs and their ``.json`` twins give.
"""

from __future__ import annotations

import click

from respgraph.commands.options import city_option, doc_option, format_option
from respgraph.commands.output import show
from respgraph.commands.years import year_options

__all__ = ["brokerage", "core", "ties"]

top_option = click.option(
    "--top",
    type=click.IntRange(min=1),
    metavar="N",
    help="Show only the first N rows (the figures below the table still cover all).",
)


def _docs(documents: tuple[str, ...]) -> list[str] | None:
    return list(documents) or None


@click.command()
@click.option(
    "--by",
    type=click.Choice(["kind"]),
    default="kind",
    show_default=True,
    help="What a unit's group is: its kind (city department, county government, …).",
)
@top_option
@year_options
@city_option
@doc_option
@format_option
@click.pass_obj
def brokerage(state, by, top, year, all_years, city, documents, fmt):
    """Who brokers between kinds of bodies (Gould & Fernandez 1989).

    On the directed ties lead unit → implementing or assisting unit of the same
    item, a unit b brokers (a, c) when a → b → c and a has no tie to c; by the
    groups of a, b, c: coordinator (all alike), itinerant (a and c alike, b not),
    gatekeeper (b and c alike), representative (a and b alike), liaison (all
    differ).  expected_* are the counts random groups would give; the table says
    which roles a unit plays above chance.  Most brokering first.
    """
    from respgraph.answers.structure import brokerage as answer

    show(
        fmt,
        answer(state.query_store(), city=city, documents=_docs(documents), year=year, all_years=all_years, by=by).top(
            top
        ),
    )


@click.command()
@click.option("--seed", type=int, default=42, show_default=True, help="Seed of the search's random starts.")
@click.option(
    "--restarts",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Random starting partitions tried beside the one from coreness.",
)
@top_option
@year_options
@city_option
@doc_option
@format_option
@click.pass_obj
def core(state, seed, restarts, top, year, all_years, city, documents, fmt):
    """Core and periphery of the co-responsibility network (Borgatti & Everett 2000).

    The split into core and periphery whose pattern (core units tied to each
    other, periphery units not) correlates best with the shared items, found by
    a seeded search; each unit's coreness from the continuous model.  Core
    first; the fit of each city below the table.
    """
    from respgraph.answers.structure import core as answer

    show(
        fmt,
        answer(
            state.query_store(),
            city=city,
            documents=_docs(documents),
            year=year,
            all_years=all_years,
            seed=seed,
            restarts=restarts,
        ).top(top),
    )


@click.command()
@click.option("--units", "view", flag_value="units", help="One row per unit: its ties kept, new and dropped.")
@click.option("--list", "view", flag_value="list", help="One row per tie, with the years it is present in.")
@top_option
@city_option
@doc_option
@format_option
@click.pass_obj
def ties(state, view, top, city, documents, fmt):
    """Which working relationships last from one year's table to the next.

    For each two consecutive years of one city (--city, when several are loaded):
    the directed ties (lead → implementing or assisting unit) kept, new and
    dropped, and their Jaccard overlap; names compared through the alias list,
    and those of one year not found in the next listed.  --format json gives
    everything: the transitions, every unit and every tie.
    """
    from respgraph.answers.structure import ties as answer

    show(
        fmt,
        answer(
            state.query_store(), city=city, documents=_docs(documents), view=view or "years", aliases=state.aliases()
        ).top(top),
    )

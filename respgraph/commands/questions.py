"""The everyday questions and their pictures: ``items``, ``portfolio``, ``workload``, ``co``,
``aliases``, ``diff`` and ``viz``."""

from __future__ import annotations

from pathlib import Path

import click

from respgraph.answers.session import Session
from respgraph.commands.options import city_option, doc_option, format_option, kind_option, weights_option
from respgraph.commands.output import emit, show
from respgraph.commands.page_files import picture_options, save_page, wants_pictures
from respgraph.commands.years import aggregate_scope, year_options
from respgraph.graph.vocabulary import ROLES

__all__ = ["items", "portfolio", "workload", "co", "aliases", "diff", "viz"]


@click.command()
@click.option("--unit", required=True, help="The unit (any spelling the alias list knows).")
@click.option(
    "--html", type=click.Path(dir_okay=False, path_type=Path), help="Also draw the unit's network to this HTML file."
)
@picture_options
@city_option
@year_options
@doc_option
@format_option
@click.pass_obj
def items(state: Session, unit, html, city, year, all_years, documents, fmt):
    """Every item a unit takes part in, and in what role; then the items it
    reaches only through a group (column via).  A city with several years loaded
    answers for its latest year, as the unit's page does."""
    from respgraph.answers.entities import items as answer

    store = state.query_store()
    unit = state.name(unit, city=city)
    docs = _entity_documents(store, fmt, unit, city, documents, year, all_years)
    found = answer(store, unit, city=city, documents=docs)
    show(fmt, found)
    if html or wants_pictures():
        from respgraph.answers.pictures import unit_picture

        save_page(unit_picture(store, unit, found.result, docs or ()), html)


def _entity_documents(store, fmt: str, name: str, city, documents, year, all_years) -> list[str] | None:
    """The documents a question about one unit or leader covers: the latest year of its city (the
    city given apart or in ``CITY:NAME``) unless a year, every year or documents are asked, the rule
    of the entity's page (:func:`respgraph.queries.years.year_scope`); the line says which."""
    from respgraph.queries.lookup import split_qualified

    scope = aggregate_scope(
        store, fmt, city=city or split_qualified(name)[0] or None, documents=documents, year=year, all_years=all_years
    )
    return None if scope.documents is None else list(scope.documents)


@click.command()
@click.argument("leader")
@click.option(
    "--html", type=click.Path(dir_okay=False, path_type=Path), help="Also draw the portfolio to this HTML file."
)
@picture_options
@click.option(
    "--group-by",
    type=click.Choice(["lead", "category"]),
    default="lead",
    show_default=True,
    help="How the picture groups the items: by lead unit or by category (督办事项, 民生实事).",
)
@click.option(
    "--brief",
    is_flag=True,
    help="Also write the leader's meeting brief to --out: .docx (A4, with the "
    "status of each item and the picture), .pdf (needs LibreOffice), or its table as .xlsx or .csv.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The file --brief writes.")
@city_option
@year_options
@doc_option
@format_option
@click.pass_obj
def portfolio(state: Session, leader, html, group_by, brief, out, city, year, all_years, documents, fmt):
    """A leader's portfolio: items, units by role, deadlines and milestones by quarter.  A city
    with several years loaded answers for its latest year, as the leader's page does."""
    from respgraph.answers.entities import portfolio as answer

    if brief or out:
        from respgraph.commands.brief_files import brief_format, write_brief

        brief_format(out if brief else None)
    store = state.query_store()
    docs = _entity_documents(store, fmt, leader, city, documents, year, all_years)
    found = answer(store, leader, city=city, documents=docs)
    show(fmt, found)
    if brief or out:
        write_brief(store, leader, out, city=city, documents=docs, group_by=group_by)
    if html or wants_pictures():
        from respgraph.answers.pictures import portfolio_picture

        save_page(portfolio_picture(store, found.result, docs or (), group_by=group_by), html)


@click.command()
@click.option("--by", type=click.Choice(["unit", "leader", "district"]), default="unit", show_default=True)
@weights_option
@click.option("--top", type=int, help="Show only the first N rows (balance figures still cover all).")
@click.option("--balance", "balance_only", is_flag=True, help="Print only the balance figures.")
@year_options
@city_option
@doc_option
@format_option
@click.pass_obj
def workload(state: Session, by, weights, top, balance_only, year, all_years, city, documents, fmt):
    """Distinct items per role for every unit, leader or district, a weighted score,
    and how evenly it is spread (median, share of the top 10 %, Gini).

    For leaders, lead/implement/assist count the distinct units in each role on
    the items they oversee.  via_group counts items a unit reaches only through
    a group; it is not scored.
    """
    from respgraph.answers.aggregates import workload as answer

    found = answer(
        state.query_store(),
        by=by,
        weights=weights,
        city=city,
        documents=list(documents) or None,
        year=year,
        all_years=all_years,
        balance_only=balance_only,
    )
    show(fmt, found.top(None if balance_only else top))


@click.command()
@click.argument("unit", required=False)
@click.option("--min-shared", type=int, default=1, show_default=True, help="Pairs sharing at least this many items.")
@click.option("--top", type=int, help="Show only the first N rows.")
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the co-responsibility network to this HTML file.",
)
@picture_options
@year_options
@city_option
@doc_option
@format_option
@click.pass_obj
def co(state: Session, unit, min_shared, top, html, year, all_years, city, documents, fmt):
    """Who co-owns work with UNIT, most shared items first; without UNIT, every pair."""
    from respgraph.answers.entities import co as answer

    store = state.query_store()
    found = answer(
        store,
        state.name(unit, city=city) if unit else None,
        min_shared=min_shared,
        city=city,
        documents=list(documents) or None,
        year=year,
        all_years=all_years,
    )
    show(fmt, found.top(top))
    if html or wants_pictures():
        from respgraph.answers.pictures import co_picture

        save_page(
            co_picture(store, min_shared=min_shared, city=city, documents=documents, shown=found.result.documents), html
        )


@click.command()
@click.option("--path", "show_path", is_flag=True, help="Print only the path of your own alias file.")
@format_option
@click.pass_obj
def aliases(state: Session, show_path, fmt):
    """The alias list: other spellings and the name each stands for.

    Add your own to the file `respgraph aliases --path` prints, in the same
    format as the shipped list, then load your tables again.
    """
    if show_path:
        click.echo(state.settings.aliases_file)
        return
    flat = [
        {"spelling": v, "canonical": c, "city": city, "from": Path(f).name if "shipped" not in f else f}
        for v, c, city, f in state.aliases().city_entries()
    ]
    emit(fmt, flat=flat, data=flat)


@click.command()
@click.argument("doc_a")
@click.argument("doc_b")
@click.option(
    "--threshold",
    type=click.FloatRange(0, 1),
    default=0.6,
    show_default=True,
    help="How alike two titles must be to be one task (difflib ratio, numbers and punctuation set aside).",
)
@click.option("--all", "show_all", is_flag=True, help="Also list the tasks that did not change.")
@format_option
@click.pass_obj
def diff(state: Session, doc_a, doc_b, threshold, show_all, fmt):
    """How responsibilities changed from DOC_A to DOC_B (say, two years of one city).

    Tasks are matched by title; for each, the units added (+) and dropped (-) per
    role and the leaders before and after.  Tasks found in only one document are
    listed as dropped or new.  Documents are keys as `respgraph info` lists them.
    """
    from respgraph.answers.changes import diff as answer

    show(
        fmt,
        answer(
            state.query_store(),
            doc_a,
            doc_b,
            threshold=threshold,
            show_all=show_all,
            same_body=state.aliases().anywhere,
        ),
    )  # issue 22: compare through every city's aliases


@click.command()
@click.option(
    "--html",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Draw the graph to this HTML file (or give --png / --svg).",
)
@picture_options
@click.option("--leader", help="Only the items this leader oversees, and who is on them.")
@click.option("--role", type=click.Choice(ROLES), help="Only edges of this role.")
@kind_option
@city_option
@doc_option
@click.pass_obj
def viz(state: Session, html, leader, role, kind, city, documents):
    """Draw the whole graph, or the part a leader, role or kind of unit touches, as one
    offline HTML page."""
    from respgraph.answers.pictures import overview_picture

    if not html and not wants_pictures():
        raise click.UsageError("give --html FILE, --png FILE or --svg FILE")
    page, o = overview_picture(state.query_store(), leader=leader, role=role, kind=kind, city=city, documents=documents)
    save_page(page, html)
    click.echo(f"({len(o.nodes)} nodes, {len(o.edges)} edges)", err=True)

"""Years in the commands (issue 22): the ``--year`` / ``--all-years`` options, the line
that says which years an answer covers, and the ``year`` (and ``document``) columns.

The choice itself is :mod:`respgraph.queries.years`; this module only prints it, so a
command stays: scope = :func:`aggregate_scope` (…); rows = query(…, documents=scope.documents).
"""

from __future__ import annotations

import click

__all__ = ["year_options", "aggregate_scope", "say"]


def year_options(command):
    """--year and --all-years, for every command that adds items up."""
    command = click.option(
        "--all-years",
        is_flag=True,
        help="Add up every year loaded [default: the latest year of each city].",
    )(command)
    return click.option(
        "--year",
        type=int,
        metavar="YYYY",
        help="Only the tables of this year [default: the latest year of each city].",
    )(command)


def say(fmt: str, line: str) -> None:
    """The scope line: first line of a table; on stderr beside JSON or CSV, which it would spoil."""
    if line:
        click.echo(line, err=fmt != "table")


def aggregate_scope(store, fmt: str, *, city=None, documents=(), year=None, all_years=False):
    """The documents an aggregate covers (see :func:`~respgraph.queries.years.year_scope`), its line printed."""
    from respgraph.queries.years import year_scope

    scope = year_scope(store, city=city, documents=list(documents) or None, year=year, all_years=all_years)
    say(fmt, scope.line)
    return scope

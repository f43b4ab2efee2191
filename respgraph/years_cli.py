"""Years in the commands (issue 22): the ``--year`` / ``--all-years`` options, the line
that says which years an answer covers, and the ``year`` (and ``document``) columns.

The choice itself is :mod:`respgraph.queries.years`; this module only prints it, so a
command stays: scope = :func:`aggregate_scope` (…); rows = query(…, documents=scope.documents).
"""

from __future__ import annotations

import click

__all__ = ["year_options", "aggregate_scope", "say", "item_columns", "aggregate_columns"]


def year_options(command):
    """--year and --all-years, for every command that adds items up."""
    command = click.option(
        "--all-years", is_flag=True,
        help="Add up every year loaded [default: the latest year of each city].",
    )(command)
    return click.option(
        "--year", type=int, metavar="YYYY",
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


def _insert(row: dict, extra: dict, after: str) -> dict:
    out, placed = {}, False
    for key, value in row.items():
        out[key] = value
        if key == after:
            out.update(extra)
            placed = True
    return out if placed else {**extra, **row}


def item_columns(flat: list[dict], rows, store, *, after: str = "city") -> list[dict]:
    """Item rows with ``year`` (and ``document`` when two tables share a city, year and
    attachment) once several years of one city are loaded; as they are otherwise."""
    from respgraph.queries.years import document_label, several_years, shared_year, year_of_document

    if not several_years(store):
        return flat
    documents = shared_year(store)
    out = []
    for row, source in zip(flat, rows):
        key = source["document"] if isinstance(source, dict) else source.document
        extra = {"year": year_of_document(key), **({"document": document_label(key)} if documents else {})}
        out.append(_insert(row, extra, after))
    return out


def aggregate_columns(flat: list[dict], scope, store, *, after: str = "city") -> list[dict]:
    """Rows of units, leaders or districts with the ``year`` of their city in ``scope``
    (``2023+2024`` when summed) once several years of one city are loaded."""
    from respgraph.queries.years import several_years

    if not several_years(store) or not scope.years:
        return flat
    every = "+".join(str(y) for y in sorted({y for ys in scope.years.values() for y in ys}))

    def city_of(row: dict) -> str | None:
        if row.get("city"):
            return row["city"]
        if len(scope.years) == 1:
            return next(iter(scope.years))
        # Rows without a city column name it in their names (湛江市:张仁建) when several are loaded.
        for value in row.values():
            if isinstance(value, str) and ":" in value and value.split(":", 1)[0] in scope.years:
                return value.split(":", 1)[0]
        return None

    return [_insert(row, {"year": scope.years_of(city) if (city := city_of(row)) else every}, after)
            for row in flat]


def dated_scope(store, fmt: str, when, *, city=None, documents=()):
    """The documents a date concerns (the tables of its year; see
    :func:`~respgraph.queries.years.documents_at`), or with no date the latest year
    of each city; the line printed."""
    from respgraph.queries.years import documents_at

    if when is None:
        return aggregate_scope(store, fmt, city=city, documents=documents)
    scope = documents_at(store, when, city=city, documents=list(documents) or None)
    say(fmt, scope.line)
    return scope

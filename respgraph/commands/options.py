"""Options several commands share, in one place so every command module can use them
without importing the CLI (which imports those modules)."""

from __future__ import annotations

import click

from respgraph.graph.vocabulary import KINDS_OF_NAMED, ROLES
from respgraph.viz.formats import FORMATS

__all__ = [
    "format_option",
    "doc_option",
    "city_option",
    "table_options",
    "layout_options",
    "parse_weights",
    "weights_option",
    "kind_option",
]

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for people; json or csv (UTF-8 with BOM, opens in Excel/WPS) for other tools.",
)
doc_option = click.option(
    "--doc",
    "documents",
    multiple=True,
    metavar="DOC",
    help="Only these documents: a key as `respgraph documents` lists it (doc: may be left out), "
    "a unique prefix such as 茂名市/2024/1, or a fragment of the title; repeatable.",
)
city_option = click.option(
    "--city",
    "city",
    metavar="CITY",
    help="Only this city, county or district (the jurisdiction of the documents), e.g. 湛江市.",
)

kind_option = click.option(
    "--kind",
    type=click.Choice(KINDS_OF_NAMED),
    help="Only units of this kind (group: only groups).",
)


def _mapping(ctx, param, values):
    from respgraph.loaders.table.columns import parse_mapping

    try:
        return parse_mapping(values) or None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def layout_options(command):
    """--map, --lead-first/--no-lead-first and --level, shared by load and check."""
    command = click.option(
        "--level",
        type=click.Choice(["city", "district", "county"]),
        help="The level of the government that issued the tables [default: from the city's name: 区, 县 or 市].",
    )(command)
    command = click.option(
        "--lead-first/--no-lead-first",
        default=True,
        show_default=True,
        help="In a table with one 责任单位 column and no 牵头单位, the first unit listed leads.",
    )(command)
    return click.option(
        "--map",
        "mapping",
        multiple=True,
        callback=_mapping,
        metavar="HEADER=ROLE",
        help="Read column HEADER as ROLE (number, title, content, targets, deadline, leader, lead, "
        "implement, assist, or ignore), e.g. --map 配合单位=assist; repeatable.",
    )(command)


def parse_weights(ctx, param, value):
    """``lead=3,implement=2,assist=1`` as a dict; roles left out keep their default weight."""
    if not value:
        return None
    out = {}
    for part in value.split(","):
        role, _, number = part.partition("=")
        if role.strip() not in ROLES:
            raise click.BadParameter(f"{part!r}: use lead=N,implement=N,assist=N")
        try:
            out[role.strip()] = float(number)
        except ValueError:
            raise click.BadParameter(f"{part!r}: {number!r} is not a number") from None
    return out


weights_option = click.option(
    "--weights",
    callback=parse_weights,
    metavar="lead=3,implement=2,assist=1",
    help="Weights of the workload score [default: lead=3,implement=2,assist=1].",
)


def table_options(command):
    """--city and --year of the tables read, for load and check (when the file does not say)."""
    command = click.option("--year", type=int, help="The year, when the title does not say.")(command)
    return click.option("--city", help="The city the tables are from, when their title does not say.")(command)

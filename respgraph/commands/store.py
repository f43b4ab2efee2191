"""The commands that load, check, list and remove what the store holds: ``load``, ``check``,
``remove``, ``doctor``, ``info``, ``documents``, ``units``, ``leaders`` and ``cypher``."""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from pathlib import Path

import click

from respgraph.answers.session import Session
from respgraph.commands.options import (
    city_option,
    doc_option,
    format_option,
    kind_option,
    layout_options,
    table_options,
)
from respgraph.commands.output import emit, show
from respgraph.commands.years import year_options
from respgraph.graph.errors import RespgraphError

__all__ = ["load", "check", "remove", "doctor", "info", "documents", "units", "leaders", "cypher"]


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@table_options
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@layout_options
@click.pass_obj
def load(state: Session, files, city, year, quiet, mapping, lead_first, level):
    """Add tables to the graph (the bundled sample when no FILE is given).

    Loading a file again replaces what it loaded before.  Every file is read in
    full before anything is written, so a bad file writes nothing.
    """
    from respgraph.ingest import read_files, write_tables

    tables = read_files(
        list(files), aliases=state.aliases(), city=city, year=year, mapping=mapping, lead_first=lead_first, level=level
    )  # a bad file: nothing opened, nothing written
    # The embedded store is locked from reading to saving (two loads at once lost documents).
    with state.writable() as store:
        loaded = write_tables(store, tables, progress=None if quiet else _progress())
    for done in [] if quiet else loaded:
        click.echo(done.line(f"respgraph check {done.path}" if files else "respgraph check"))


@click.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@table_options
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    help="Only notes of this kind (deadline_year, no_implementer, inherited, alias, similar_names, …).",
)
@layout_options
@format_option
@click.pass_obj
def check(state: Session, file, city, year, kinds, mapping, lead_first, level, fmt):
    """Report what the source gets wrong or leaves implicit, with line numbers.

    First (as a table) what was understood: the file's format and encoding, each
    table's header row, and the role every column was read as, unmapped ones
    included; --map corrects a column.  Exits 0 for a readable table, however
    odd; 1 only when FILE cannot be read as a table.  Nothing is loaded.
    """
    from respgraph.ingest import check_file

    checked = check_file(
        file,
        aliases=state.aliases(),
        city=city,
        year=year,
        mapping=mapping,
        lead_first=lead_first,
        level=level,
        kinds=tuple(kinds),
        corrections=lambda: state.store().corrections(),
    )
    if fmt != "table":
        emit(fmt, flat=checked.rows(), data=checked.notes)
        return
    click.echo(checked.reading)
    click.echo(checked.where_from())
    if checked.needs:
        click.echo("load will need: " + "; ".join(checked.needs))
    click.echo("")
    emit(fmt, flat=checked.rows(), data=checked.notes, footer=checked.footer(), width=None)


@click.command()
@click.pass_obj
def doctor(state: Session):
    """Check the embedded store's file whole (SQLite's integrity check), read-only.

    Exit code 0 when it is sound; 1, with what was found, when it is not."""
    from respgraph.graph.sqlite_health import diagnose, integrity

    path = state.settings.graph_file
    if state.settings.store == "neo4j":
        raise RespgraphError(
            "doctor checks the embedded store; Neo4j checks its own files (neo4j-admin database check)"
        )
    if not path.exists():
        click.echo(f"{path}: no store yet (nothing loaded): nothing to check")
        return
    try:
        found = integrity(path)
    except sqlite3.Error as exc:
        raise diagnose(exc, path) from None
    if found == ["ok"]:
        click.echo(f"{path}: sound (SQLite's integrity check found nothing wrong)")
        return
    raise RespgraphError(
        f"{path}: the saved graph is damaged (SQLite's integrity check: {'; '.join(found)[:500]}); "
        "move it away (or restore a backup) and load your tables again"
    )


@click.command()
@format_option
@click.pass_obj
def info(state: Session, fmt):
    """The documents in the graph and how many nodes and relationships it holds."""
    from respgraph.answers.listings import info as answer

    show(fmt, answer(state.query_store()))


@click.command()
@city_option
@format_option
@click.pass_obj
def documents(state: Session, city, fmt):
    """The loaded documents: key, jurisdiction, year, title, source file, items, when loaded.

    Any unique part of a key (茂名市/2024/1) or of a title names a document in --doc,
    diff and remove.
    """
    from respgraph.answers.listings import documents as answer

    show(fmt, answer(state.query_store(), city=city))


@click.command()
@click.argument("docs", nargs=-1, required=True, metavar="DOC...")
@click.option("--yes", is_flag=True, help="Remove without asking (needed when not run on a terminal).")
@click.pass_obj
def remove(state: Session, docs, yes):
    """Take documents out of the graph, with their items and the progress reports
    on them; units, leaders, groups and districts that no other document names go too.

    Says what goes and asks first (on a terminal); elsewhere --yes says it."""
    from respgraph.ingest import remove_documents
    from respgraph.ingest.removal import to_remove

    with state.writable() as store:  # the embedded store: locked from reading to saving, as in load
        going = to_remove(store, list(docs))
        if not yes:
            if not sys.stdin.isatty():
                raise RespgraphError(f"removing {going} is asked, not done: add --yes")
            click.confirm(f"Remove {going}?", abort=True, err=True)
        removed = remove_documents(store, list(docs))
    click.echo(removed.line())


@click.command()
@city_option
@kind_option
@year_options
@doc_option
@format_option
@click.pass_obj
def units(state: Session, city, kind, year, all_years, documents, fmt):
    """The units and groups the loaded tables name, with the items each is named on."""
    from respgraph.answers.listings import units as answer

    show(
        fmt,
        answer(
            state.query_store(), city=city, kind=kind, documents=list(documents) or None, year=year, all_years=all_years
        ),
    )


@click.command()
@year_options
@city_option
@doc_option
@format_option
@click.pass_obj
def leaders(state: Session, city, year, all_years, documents, fmt):
    """The leaders the loaded tables name, with the items each oversees."""
    from respgraph.answers.listings import leaders as answer

    show(fmt, answer(state.query_store(), city=city, documents=list(documents) or None, year=year, all_years=all_years))


def _progress():
    """A one-line progress report for long loads, only when a person is watching."""
    if not sys.stderr.isatty():
        return None

    def show(document: str, done: int, total: int) -> None:
        click.echo(f"\rwriting {document}: {done}/{total} rows", err=True, nl=done == total)

    return show


def _param(ctx, param, values):
    """``--param NAME=VALUE`` as a dict; VALUE is JSON when it parses, else a string."""
    import json

    out = {}
    for value in values:
        key, sep, raw = value.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{value!r}: use name=value")
        try:
            out[key] = json.loads(raw)  # numbers, lists, true/false, "quoted strings"
        except ValueError:
            out[key] = raw  # anything else is a plain string
    return out


@click.command()
@click.argument("query")
@click.option(
    "--param",
    "params",
    multiple=True,
    callback=_param,
    metavar="NAME=VALUE",
    help="A query parameter ($NAME); VALUE is JSON when it parses, else a string. Repeatable.",
)
@click.option("--write", is_flag=True, help="Allow the query to write (it runs read-only otherwise).")
@format_option
@click.pass_obj
def cypher(state: Session, query, params, write, fmt):
    """Run your own Cypher against the Neo4j store (`respgraph --store neo4j cypher …`).

    Values go in as parameters, never pasted into the text:
    respgraph --store neo4j cypher 'MATCH (u:Unit {name: $name})-[r]->(i) RETURN type(r), i.number' --param name=市自然资源局
    """
    if state.settings.store != "neo4j":
        raise RespgraphError("cypher needs the Neo4j store: respgraph --store neo4j cypher …")
    rows = state.store().run_user_query(query, params, write=write)
    emit(
        fmt,
        flat=[{k: _plain(v) for k, v in r.items()} for r in rows],
        data=[{k: _plain(v) for k, v in r.items()} for r in rows],
        footer=f"{len(rows)} rows",
    )


def _plain(value):
    """A query's values as JSON-ready Python: dates (the store returns ``datetime`` types) as ISO text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value

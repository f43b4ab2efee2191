"""The ``respgraph`` command: a thin layer over ``loaders``, ``queries`` and ``viz``.

Every command that answers a question prints a table by default and takes
``--format json`` or ``--format csv``.  Errors print one ``Error: …`` line and exit 1.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
from contextlib import contextmanager
from pathlib import Path

import click

from respgraph import __version__
from respgraph.graph import i18n
from respgraph.graph.errors import RespgraphError
from respgraph.graph.i18n import gettext
from respgraph.graph.vocabulary import ROLES
from respgraph.options import (city_option, doc_option, format_option, kind_option, layout_options, table_options,
                               weights_option)
from respgraph.output import emit, show
from respgraph.page_files import picture_options, save_page, wants_pictures
from respgraph.years_cli import year_options

#: Commands in modules of their own, imported only when run or listed (``--help``).
LAZY = {
    "report": "respgraph.report_command:report",
    "export": "respgraph.export_command:export",
    "progress": "respgraph.progress_command:progress",
    "status": "respgraph.progress_command:status",
    "notices": "respgraph.progress_command:notices",
    "bulletin": "respgraph.bulletin_command:bulletin",
    "users": "respgraph.accounts_command:users",
    "submissions": "respgraph.accounts_command:submissions",
    "audit": "respgraph.accounts_command:audit",
    "carryover": "respgraph.carryover_command:carryover",
    "fix": "respgraph.fix_command:fix",
    "item": "respgraph.item_command:item",
    "serve": "respgraph.web.command:serve",
    **{name: f"respgraph.structure_commands:{name}" for name in ("brokerage", "core", "ties")},
    **{name: f"respgraph.analysis_commands:{name}"
       for name in ("balance", "timeline", "deadlines", "collaboration", "overlap", "quality")},
}


class _Group(click.Group):
    """Turns respgraph's own errors into one line and exit code 1, no traceback; loads
    the commands of :data:`LAZY` when asked for (click's lazy group pattern)."""

    def list_commands(self, ctx):
        return sorted({*super().list_commands(ctx), *LAZY})

    def get_command(self, ctx, name):
        if name in LAZY and name not in self.commands:
            import importlib

            module, attr = LAZY[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except RespgraphError as exc:
            click.echo(gettext("Error: {message}").format(message=one_line(exc)), err=True)
            ctx.exit(1)
        except BrokenPipeError:
            raise  # the reader of a pipe went away: main() ends quietly
        except (sqlite3.Error, OSError) as exc:
            click.echo(f"Error: {one_line(_surroundings(ctx, exc))}", err=True)
            ctx.exit(1)


def _surroundings(ctx, exc: Exception) -> Exception:
    """An error of the machine rather than of respgraph (the store's file damaged later
    than its opening checks could see, a full disk, a file that cannot be written) as
    one line naming its cause."""
    from respgraph.graph.sqlite_health import diagnose

    state = ctx.obj
    if isinstance(exc, sqlite3.Error):
        path = state.settings.graph_file if isinstance(state, State) else None
        return diagnose(exc, path, writing=True)
    where = exc.filename or "the output"
    return RespgraphError(f"cannot write {where}: {exc.strerror or exc}")


def one_line(exc: Exception) -> str:
    """An error as one line, even when a file name or a parser's message holds line breaks."""
    return " ".join(str(exc).splitlines())


class State:
    def __init__(self, store: str | None, home: Path | None):
        from respgraph.graph.settings import load_settings

        self.settings = load_settings(store=store, home=home)
        self._store = None
        self._aliases = None

    def aliases(self):
        """The shipped alias list and the user's, read once per command."""
        if self._aliases is None:
            from respgraph.loaders.items.names import default_aliases

            self._aliases = default_aliases(self.settings.aliases_file)
        return self._aliases

    def store(self, *, write: bool = False):
        from respgraph.graph.open_store import open_store

        if self._store is None:
            self._store = open_store(self.settings, write=write, notice=lambda text: click.echo(text, err=True))
        return self._store

    @contextmanager
    def writable(self):
        """The store to write to (the embedded file is created when missing); each
        document is written in a transaction of its own, so two loads at once queue."""
        if self._store is not None and self.settings.store != "neo4j" and (
                not self.settings.graph_file.exists() or getattr(self._store, "read_only", False)):
            self._store.close()  # opened by a question (empty, or read-only): open the file to write this time
            self._store = None
        yield self.store(write=True)

    def query_store(self):
        """The store to answer from; the bundled sample when the embedded store is empty."""
        store = self.store()
        if store.documents():
            return store
        if self.settings.store == "neo4j":
            raise RespgraphError("the Neo4j database holds no documents yet: run `respgraph --store neo4j load`")
        from respgraph.ingest import sample_store

        click.echo(gettext("(nothing loaded yet: answering from the bundled sample; "
                           "`respgraph load FILE` loads your own)"), err=True)
        return sample_store(self.aliases())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    def name(self, raw: str) -> str:
        """A name as asked, through the user's current alias list; ``city:name`` keeps its city."""
        from respgraph.queries.lookup import asked_name

        return asked_name(self.aliases(), raw)


@click.group(cls=_Group)
@click.option("--store", type=click.Choice(["embedded", "neo4j"]), default=None,
              help="Where the graph lives: the embedded SQLite file in --home, or a Neo4j server "
                   "[default: $RESPGRAPH_STORE, the config file, or embedded].")
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the embedded graph (graph.db) and your aliases.toml "
                   "[default: $RESPGRAPH_HOME or the user data folder].")
@click.option("--lang", type=click.Choice(["zh_CN", "zh", "en"]), default=None,
              help="The language of what respgraph says (messages, errors, a table's headers; a CSV's headers "
                   "too when given) [default: the locale: LANG=zh_CN.UTF-8 is Chinese, anything else English]. "
                   "JSON stays as it is.")
@click.version_option(__version__, prog_name="respgraph")
@click.pass_context
def cli(ctx, store, home, lang):
    """Responsibility tables of a city government as a graph: who leads, implements
    and assists on every task, and who oversees it.

    With nothing loaded, questions are answered from the bundled sample
    (Zhanjiang, 2023).
    """
    token = i18n.current.set(i18n.normalize(lang) if lang else i18n.from_locale())
    ctx.call_on_close(lambda: i18n.current.reset(token))
    ctx.meta["respgraph.lang_given"] = lang is not None  # a CSV's headers follow --lang only
    try:
        ctx.obj = State(store, home)
        ctx.call_on_close(ctx.obj.close)  # the embedded store checkpoints its log into the file
    except RespgraphError as exc:
        click.echo(gettext("Error: {message}").format(message=one_line(exc)), err=True)
        ctx.exit(1)


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@table_options
@click.option("--quiet", is_flag=True, help="Print nothing but errors.")
@layout_options
@click.pass_obj
def load(state: State, files, city, year, quiet, mapping, lead_first, level):
    """Add tables to the graph (the bundled sample when no FILE is given).

    Loading a file again replaces what it loaded before.  Every file is read in
    full before anything is written, so a bad file writes nothing.
    """
    from respgraph.ingest import read_files, write_tables

    tables = read_files(list(files), aliases=state.aliases(), city=city, year=year, mapping=mapping,
                        lead_first=lead_first, level=level)  # a bad file: nothing opened, nothing written
    # The embedded store is locked from reading to saving (two loads at once lost documents).
    with state.writable() as store:
        loaded = write_tables(store, tables, progress=None if quiet else _progress())
    for done in [] if quiet else loaded:
        click.echo(done.line(f"respgraph check {done.path}" if files else "respgraph check"))


@cli.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@table_options
@click.option("--kind", "kinds", multiple=True,
              help="Only notes of this kind (deadline_year, no_implementer, inherited, alias, similar_names, …).")
@layout_options
@format_option
@click.pass_obj
def check(state: State, file, city, year, kinds, mapping, lead_first, level, fmt):
    """Report what the source gets wrong or leaves implicit, with line numbers.

    First (as a table) what was understood: the file's format and encoding, each
    table's header row, and the role every column was read as, unmapped ones
    included; --map corrects a column.  Exits 0 for a readable table, however
    odd; 1 only when FILE cannot be read as a table.  Nothing is loaded.
    """
    from respgraph.ingest import check_file

    checked = check_file(file, aliases=state.aliases(), city=city, year=year, mapping=mapping,
                         lead_first=lead_first, level=level, kinds=tuple(kinds),
                         corrections=lambda: state.store().corrections())
    if fmt != "table":
        emit(fmt, flat=checked.rows(), data=checked.notes)
        return
    click.echo(checked.reading)
    click.echo(checked.where_from())
    if checked.needs:
        click.echo("load will need: " + "; ".join(checked.needs))
    click.echo("")
    emit(fmt, flat=checked.rows(), data=checked.notes, footer=checked.footer(), width=None)


@cli.command()
@click.option("--unit", required=True, help="The unit (any spelling the alias list knows).")
@click.option("--html", type=click.Path(dir_okay=False, path_type=Path), help="Also draw the unit's network to this HTML file.")
@picture_options
@city_option
@doc_option
@format_option
@click.pass_obj
def items(state: State, unit, html, city, documents, fmt):
    """Every item a unit takes part in, and in what role; then the items it
    reaches only through a group (column via)."""
    from respgraph.answers.entities import items as answer

    store = state.query_store()
    unit = state.name(unit)
    found = answer(store, unit, city=city, documents=list(documents) or None)
    show(fmt, found)
    if html or wants_pictures():
        _draw_unit(store, unit, found.result, html, documents)


@cli.command()
@click.argument("leader")
@click.option("--html", type=click.Path(dir_okay=False, path_type=Path), help="Also draw the portfolio to this HTML file.")
@picture_options
@click.option("--group-by", type=click.Choice(["lead", "category"]), default="lead", show_default=True,
              help="How the picture groups the items: by lead unit or by category (督办事项, 民生实事).")
@click.option("--brief", is_flag=True, help="Also write the leader's meeting brief to --out: .docx (A4, with the "
              "status of each item and the picture), .pdf (needs LibreOffice), or its table as .xlsx or .csv.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="The file --brief writes.")
@city_option
@doc_option
@format_option
@click.pass_obj
def portfolio(state: State, leader, html, group_by, brief, out, city, documents, fmt):
    """A leader's portfolio: items, units by role, deadlines and milestones by quarter."""
    from respgraph.answers.entities import portfolio as answer

    if brief or out:
        from respgraph.brief_files import brief_format, write_brief

        brief_format(out if brief else None)
    store = state.query_store()
    found = answer(store, leader, city=city, documents=list(documents) or None)
    show(fmt, found)
    if brief or out:
        write_brief(store, leader, out, city=city, documents=list(documents) or None, group_by=group_by)
    if html or wants_pictures():
        from respgraph.queries.overview import unit_kinds
        from respgraph.queries.status import picture_statuses
        from respgraph.viz.network_pages import portfolio_page

        save_page(portfolio_page(found.result, sources=_sources(store, documents), kinds=unit_kinds(store),
                                 group_by=group_by, statuses=picture_statuses(store)), html)


@cli.command()
@click.option("--by", type=click.Choice(["unit", "leader", "district"]), default="unit", show_default=True)
@weights_option
@click.option("--top", type=int, help="Show only the first N rows (balance figures still cover all).")
@click.option("--balance", "balance_only", is_flag=True, help="Print only the balance figures.")
@year_options
@city_option
@doc_option
@format_option
@click.pass_obj
def workload(state: State, by, weights, top, balance_only, year, all_years, city, documents, fmt):
    """Distinct items per role for every unit, leader or district, a weighted score,
    and how evenly it is spread (median, share of the top 10 %, Gini).

    For leaders, lead/implement/assist count the distinct units in each role on
    the items they oversee.  via_group counts items a unit reaches only through
    a group; it is not scored.
    """
    from respgraph.answers.aggregates import workload as answer

    found = answer(state.query_store(), by=by, weights=weights, city=city, documents=list(documents) or None,
                   year=year, all_years=all_years, balance_only=balance_only)
    show(fmt, found.top(None if balance_only else top))


@cli.command()
@click.argument("unit", required=False)
@click.option("--min-shared", type=int, default=1, show_default=True, help="Pairs sharing at least this many items.")
@click.option("--top", type=int, help="Show only the first N rows.")
@click.option("--html", type=click.Path(dir_okay=False, path_type=Path), help="Also draw the co-responsibility network to this HTML file.")
@picture_options
@year_options
@city_option
@doc_option
@format_option
@click.pass_obj
def co(state: State, unit, min_shared, top, html, year, all_years, city, documents, fmt):
    """Who co-owns work with UNIT, most shared items first; without UNIT, every pair."""
    from respgraph.answers.entities import co as answer

    store = state.query_store()
    found = answer(store, state.name(unit) if unit else None, min_shared=min_shared, city=city,
                   documents=list(documents) or None, year=year, all_years=all_years)
    show(fmt, found.top(top))
    if html or wants_pictures():
        from respgraph.queries.co import co_pairs
        from respgraph.queries.overview import unit_kinds
        from respgraph.viz.network_pages import co_page

        docs = found.result.documents
        pairs = co_pairs(store, min_shared=min_shared, city=city, documents=docs)
        save_page(co_page(pairs, kinds=unit_kinds(store, documents=docs), sources=_sources(store, documents),
                          min_shared=min_shared), html)


@cli.command()
@click.option("--path", "show_path", is_flag=True, help="Print only the path of your own alias file.")
@format_option
@click.pass_obj
def aliases(state: State, show_path, fmt):
    """The alias list: other spellings and the name each stands for.

    Add your own to the file `respgraph aliases --path` prints, in the same
    format as the shipped list, then load your tables again.
    """
    if show_path:
        click.echo(state.settings.aliases_file)
        return
    flat = [{"spelling": v, "canonical": c, "city": city, "from": Path(f).name if "shipped" not in f else f}
            for v, c, city, f in state.aliases().city_entries()]
    emit(fmt, flat=flat, data=flat)


@cli.command()
@click.pass_obj
def doctor(state: State):
    """Check the embedded store's file whole (SQLite's integrity check), read-only.

    Exit code 0 when it is sound; 1, with what was found, when it is not."""
    from respgraph.graph.sqlite_health import diagnose, integrity

    path = state.settings.graph_file
    if state.settings.store == "neo4j":
        raise RespgraphError("doctor checks the embedded store; Neo4j checks its own files (neo4j-admin database check)")
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
    raise RespgraphError(f"{path}: the saved graph is damaged (SQLite's integrity check: {'; '.join(found)[:500]}); "
                         "move it away (or restore a backup) and load your tables again")


@cli.command()
@format_option
@click.pass_obj
def info(state: State, fmt):
    """The documents in the graph and how many nodes and relationships it holds."""
    from respgraph.answers.listings import info as answer

    show(fmt, answer(state.query_store()))


@cli.command()
@city_option
@format_option
@click.pass_obj
def documents(state: State, city, fmt):
    """The loaded documents: key, jurisdiction, year, title, source file, items, when loaded.

    Any unique part of a key (茂名市/2024/1) or of a title names a document in --doc,
    diff and remove.
    """
    from respgraph.answers.listings import documents as answer

    show(fmt, answer(state.query_store(), city=city))


@cli.command()
@click.argument("docs", nargs=-1, required=True, metavar="DOC...")
@click.option("--yes", is_flag=True, help="Remove without asking (needed when not run on a terminal).")
@click.pass_obj
def remove(state: State, docs, yes):
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


@cli.command()
@city_option
@kind_option
@year_options
@doc_option
@format_option
@click.pass_obj
def units(state: State, city, kind, year, all_years, documents, fmt):
    """The units and groups the loaded tables name, with the items each is named on."""
    from respgraph.answers.listings import units as answer

    show(fmt, answer(state.query_store(), city=city, kind=kind, documents=list(documents) or None, year=year,
                     all_years=all_years))


@cli.command()
@year_options
@city_option
@doc_option
@format_option
@click.pass_obj
def leaders(state: State, city, year, all_years, documents, fmt):
    """The leaders the loaded tables name, with the items each oversees."""
    from respgraph.answers.listings import leaders as answer

    show(fmt, answer(state.query_store(), city=city, documents=list(documents) or None, year=year,
                     all_years=all_years))


def _progress():
    """A one-line progress report for long loads, only when a person is watching."""
    if not sys.stderr.isatty():
        return None

    def show(document: str, done: int, total: int) -> None:
        click.echo(f"\rwriting {document}: {done}/{total} rows", err=True, nl=done == total)

    return show


def _param(ctx, param, values):
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


@cli.command()
@click.argument("query")
@click.option("--param", "params", multiple=True, callback=_param, metavar="NAME=VALUE",
              help="A query parameter ($NAME); VALUE is JSON when it parses, else a string. Repeatable.")
@click.option("--write", is_flag=True, help="Allow the query to write (it runs read-only otherwise).")
@format_option
@click.pass_obj
def cypher(state: State, query, params, write, fmt):
    """Run your own Cypher against the Neo4j store (`respgraph --store neo4j cypher …`).

    Values go in as parameters, never pasted into the text:
    respgraph --store neo4j cypher 'MATCH (u:Unit {name: $name})-[r]->(i) RETURN type(r), i.number' --param name=市自然资源局
    """
    if state.settings.store != "neo4j":
        raise RespgraphError("cypher needs the Neo4j store: respgraph --store neo4j cypher …")
    rows = state.store().run_user_query(query, params, write=write)
    emit(fmt, flat=[{k: _plain(v) for k, v in r.items()} for r in rows],
         data=[{k: _plain(v) for k, v in r.items()} for r in rows], footer=f"{len(rows)} rows")


def _plain(value):
    """A query's values as JSON-ready Python: dates (the store returns ``datetime`` types) as ISO text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return value


@cli.command()
@click.argument("doc_a")
@click.argument("doc_b")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.6, show_default=True,
              help="How alike two titles must be to be one task (difflib ratio, numbers and punctuation set aside).")
@click.option("--all", "show_all", is_flag=True, help="Also list the tasks that did not change.")
@format_option
@click.pass_obj
def diff(state: State, doc_a, doc_b, threshold, show_all, fmt):
    """How responsibilities changed from DOC_A to DOC_B (say, two years of one city).

    Tasks are matched by title; for each, the units added (+) and dropped (-) per
    role and the leaders before and after.  Tasks found in only one document are
    listed as dropped or new.  Documents are keys as `respgraph info` lists them.
    """
    from respgraph.answers.changes import diff as answer

    show(fmt, answer(state.query_store(), doc_a, doc_b, threshold=threshold, show_all=show_all,
                     same_body=state.aliases().anywhere))  # issue 22: compare through every city's aliases


@cli.command()
@click.option("--html", type=click.Path(dir_okay=False, path_type=Path),
              help="Draw the graph to this HTML file (or give --png / --svg).")
@picture_options
@click.option("--leader", help="Only the items this leader oversees, and who is on them.")
@click.option("--role", type=click.Choice(ROLES), help="Only edges of this role.")
@kind_option
@city_option
@doc_option
@click.pass_obj
def viz(state: State, html, leader, role, kind, city, documents):
    """Draw the whole graph, or the part a leader, role or kind of unit touches, as one
    offline HTML page."""
    from respgraph.queries.overview import overview
    from respgraph.queries.status import picture_statuses
    from respgraph.viz.network_pages import overview_page

    if not html and not wants_pictures():
        raise click.UsageError("give --html FILE, --png FILE or --svg FILE")
    store = state.query_store()
    o = overview(store, leader=leader, role=role, kind=kind, city=city, documents=list(documents) or None)
    save_page(overview_page(o, sources=_sources(store, documents), statuses=picture_statuses(store)), html)
    click.echo(f"({len(o.nodes)} nodes, {len(o.edges)} edges)", err=True)


def _sources(store, documents, city=None) -> list[dict]:
    """The documents a picture is drawn from: those asked for, else all."""
    from respgraph.queries.lookup import scope

    keys = scope(store, city=city, documents=list(documents) or None)
    return [d for d in store.documents() if keys is None or d["key"] in keys]


def _draw_unit(store, name, rows, html, documents=()):
    from respgraph.queries.overview import unit_kinds
    from respgraph.queries.portfolio import units_of_items
    from respgraph.queries.status import picture_statuses
    from respgraph.viz.network_pages import unit_page

    others = units_of_items(store, [r.id for r in rows])
    save_page(unit_page(name, rows, sources=_sources(store, documents), others=others, kinds=unit_kinds(store),
                        statuses=picture_statuses(store)), html)


def main() -> None:
    # respgraph uses no pydantic plugins, and looking for them reads the metadata of every
    # installed package: a tenth of a second of every command.  A user's setting wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        try:
            cli(prog_name="respgraph")
        finally:
            sys.stdout.flush()  # here, not at exit, so a full or closed output is one line too
    except OSError as exc:
        # `respgraph documents > /dev/full`: say so, and keep Python from trying again at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        if isinstance(exc, BrokenPipeError):  # `respgraph items … | head`: the reader has all it wanted
            sys.exit(1)
        click.echo(f"Error: cannot write the output: {exc.strerror or exc}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    sys.exit(main())

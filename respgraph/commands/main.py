"""The ``respgraph`` command: a thin layer over the library (``answers``, ``ingest``, ``viz``).

Every command that answers a question prints a table by default and takes
``--format json`` or ``--format csv``.  Errors print one ``Error: …`` line and exit 1.
Each command opens the library's one :class:`~respgraph.answers.session.Session` (the web
application opens the same), and the commands live one group to a module of this package.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import click

from respgraph import __version__
from respgraph.answers.session import Session
from respgraph.commands import questions
from respgraph.commands import store as store_commands
from respgraph.graph import i18n
from respgraph.graph.errors import RespgraphError
from respgraph.graph.i18n import gettext

#: Commands in modules of their own, imported only when run or listed (``--help``).
LAZY = {
    "report": "respgraph.commands.report:report",
    "export": "respgraph.commands.export:export",
    "progress": "respgraph.commands.progress:progress",
    "status": "respgraph.commands.progress:status",
    "notices": "respgraph.commands.progress:notices",
    "bulletin": "respgraph.commands.bulletin:bulletin",
    "users": "respgraph.commands.accounts:users",
    "submissions": "respgraph.commands.accounts:submissions",
    "audit": "respgraph.commands.accounts:audit",
    "carryover": "respgraph.commands.carryover:carryover",
    "fix": "respgraph.commands.fix:fix",
    "item": "respgraph.commands.item:item",
    "serve": "respgraph.web.command:serve",
    **{name: f"respgraph.commands.structure:{name}" for name in ("brokerage", "core", "ties")},
    **{
        name: f"respgraph.commands.analysis:{name}"
        for name in ("balance", "timeline", "deadlines", "collaboration", "overlap", "quality")
    },
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
            click.echo(gettext("Error: {message}").format(message=one_line(_surroundings(ctx, exc))), err=True)
            ctx.exit(1)


def _surroundings(ctx, exc: sqlite3.Error | OSError) -> Exception:
    """An error of the machine rather than of respgraph (the store's file damaged later
    than its opening checks could see, a full disk, a file that cannot be written) as
    one line naming its cause."""
    from respgraph.graph.sqlite_health import diagnose

    state = ctx.obj
    if isinstance(exc, sqlite3.Error):
        path = state.settings.graph_file if isinstance(state, Session) else None
        return diagnose(exc, path, writing=True)
    where = exc.filename or "the output"
    return RespgraphError(f"cannot write {where}: {exc.strerror or exc}")


def one_line(exc: Exception) -> str:
    """An error as one line, even when a file name or a parser's message holds line breaks."""
    return " ".join(str(exc).splitlines())


@click.group(cls=_Group)
@click.option(
    "--store",
    type=click.Choice(["embedded", "neo4j"]),
    default=None,
    help="Where the graph lives: the embedded SQLite file in --home, or a Neo4j server "
    "[default: $RESPGRAPH_STORE, the config file, or embedded].",
)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the embedded graph (graph.db) and your aliases.toml "
    "[default: $RESPGRAPH_HOME or the user data folder].",
)
@click.option(
    "--lang",
    type=click.Choice(["zh_CN", "zh", "en"]),
    default=None,
    help="The language of what respgraph says (messages, errors, a table's headers; a CSV's headers "
    "too when given) [default: the locale: LANG=zh_CN.UTF-8 is Chinese, anything else English]. "
    "JSON stays as it is.",
)
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
        from respgraph.graph.settings import load_settings

        ctx.obj = Session(
            load_settings(store=store, home=home), notice=lambda text: click.echo(text, err=True), one_shot=True
        )
        ctx.call_on_close(ctx.obj.close)  # the embedded store checkpoints its log into the file
    except RespgraphError as exc:
        click.echo(gettext("Error: {message}").format(message=one_line(exc)), err=True)
        ctx.exit(1)


for _module in (store_commands, questions):
    for _name in _module.__all__:
        cli.add_command(getattr(_module, _name), _name)


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
    main()

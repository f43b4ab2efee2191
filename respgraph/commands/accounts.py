"""Accounts on the command line: ``users``, ``submissions`` and ``audit``.

Whoever runs the command holds the store itself, so the command acts with the
office's rights; the audit log names it ``cli:<system user>``.
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from pathlib import Path

import click

from respgraph.commands.options import format_option
from respgraph.commands.output import emit

ROLE_CHOICE = click.Choice(["office", "leader", "unit", "viewer"])


def _actor() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name on this system (a container's numeric uid)
        return "cli"


def _operator():
    """The person at the command line, with the office's rights (they hold the store itself)."""
    from respgraph.accounts.model import Role, User

    now = dt.datetime.now(dt.UTC)
    return User(login=_actor(), display="command line", role=Role.OFFICE, created=now, updated=now)


def _password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        return line.rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def _user_row(u) -> dict:
    return {
        "login": u.login,
        "display": u.display,
        "role": u.role.value,
        "bound": u.bound_name or "",
        "city": u.city or "",
        "active": "yes" if u.active else "no",
        "updated": u.updated.isoformat(timespec="seconds"),
    }


# --- users ----------------------------------------------------------------------------------


@click.group()
def users():
    """Accounts for `respgraph serve`: add, list, disable, enable, change passwords.

    Roles: office (督查室: everything), leader (reads its city; a leader of the
    graph), unit (reads its own items and those of the units it shares them with;
    reports progress on the items it leads), viewer (reads).
    """


@users.command("add")
@click.argument("login")
@click.option("--role", type=ROLE_CHOICE, required=True, help="What the account may do.")
@click.option("--display", help="The name shown on pages [default: the unit's or leader's name, else LOGIN].")
@click.option("--unit", help="A unit account: the unit it speaks for (any spelling the alias list knows).")
@click.option("--leader", help="A leader account: the leader it speaks for.")
@click.option("--city", help="The city of the unit or leader, when the name is in more than one.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.pass_obj
def users_add(state, login, role, display, unit, leader, city, password_stdin):
    """Add an account.  The password is asked twice (or read with --password-stdin),
    at least 10 characters, and stored only as an Argon2 hash."""
    from respgraph.accounts.users import add_user

    if unit and leader:
        raise click.UsageError("give --unit or --leader, not both")
    bound = unit or leader
    if (role == "unit" and leader) or (role == "leader" and unit):
        raise click.UsageError(f"a {role} account takes --{role}")
    bound = state.name(bound) if bound else None
    with state.writable() as store:
        user = add_user(
            store,
            login=login,
            display=display or bound or login,
            role=role,
            password=_password(password_stdin),
            bound=bound,
            city=city,
            actor=_actor(),
            address="local",
        )
    click.echo(
        f"added {user.login} ({user.role.value}" + (f", {user.city}:{user.bound_name}" if user.bound else "") + ")"
    )


@users.command("list")
@format_option
@click.pass_obj
def users_list(state, fmt):
    """Every account: role, what it is bound to, whether it is active."""
    from respgraph.accounts.users import list_users

    found = list_users(state.store())
    rows = [_user_row(u) for u in found]
    emit(fmt, flat=rows, data=rows, footer=f"{len(rows)} account{'' if len(rows) == 1 else 's'}")


@users.command("disable")
@click.argument("login")
@click.option("--yes", is_flag=True, help="Disable the last active office account without asking.")
@click.pass_obj
def users_disable(state, login, yes):
    """Disable an account: it cannot log in, and every session it has ends now.  The last active
    office account is disabled only when confirmed (asked on a terminal, or --yes)."""
    import sys

    from respgraph.accounts.model import NeedsConfirmation
    from respgraph.accounts.users import disable_user

    with state.writable() as store:
        try:
            disable_user(store, login, actor=_actor(), address="local", confirm=yes)
        except NeedsConfirmation as exc:
            if not sys.stdin.isatty():
                raise NeedsConfirmation(f"{exc} (add --yes)") from None
            click.confirm(f"{exc}. Disable it?", abort=True, err=True)
            disable_user(store, login, actor=_actor(), address="local", confirm=True)
    click.echo(f"disabled {login}")


@users.command("enable")
@click.argument("login")
@click.pass_obj
def users_enable(state, login):
    """Enable a disabled account again."""
    from respgraph.accounts.users import enable_user

    with state.writable() as store:
        enable_user(store, login, actor=_actor(), address="local")
    click.echo(f"enabled {login}")


@users.command("passwd")
@click.argument("login")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.pass_obj
def users_passwd(state, login, password_stdin):
    """Set a new password; every session of the account ends."""
    from respgraph.accounts.users import change_password, get_user

    with state.writable() as store:
        get_user(store, login)  # an unknown login is said before a password is asked for
        change_password(store, login, _password(password_stdin), actor=_actor(), address="local")
    click.echo(f"changed the password of {login}")


@users.command("add-units")
@click.option("--doc", "document", required=True, metavar="DOC", help="The table whose lead units get accounts.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="CSV file for the new logins and their first passwords (made readable by you alone).",
)
@click.pass_obj
def users_add_units(state, document, out):
    """Give every lead unit of a loaded table that has no account one, with a random password.

    Logins are u001, u002 … in the order of the units' names; the CSV (login,
    unit, password) is for handing each unit its own line, then deleting.
    """
    import csv
    import os
    import secrets
    import string

    from respgraph.accounts.users import add_user, list_users
    from respgraph.queries.lookup import find_document

    if out.exists():
        raise click.UsageError(f"{out} exists: choose a new file (it will hold passwords)")
    with state.writable() as store:
        key = find_document(store.documents(), document)
        taken = {u.bound for u in list_users(store) if u.bound}
        logins = {u.login.lower() for u in list_users(store)}
        leads = sorted(
            {
                (r["name"], r["source"], r["city"])
                for r in store.roles(documents=[key])
                if r["type"] == "LEADS" and r["label"] == "Unit"
            }
        )
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        made = 0
        with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["login", "unit", "password"])
            n = 0
            for name, unit, city in leads:
                if unit in taken:
                    continue
                n += 1
                while f"u{n:03d}" in logins:
                    n += 1
                # Letters and digits only: a password starting with - or = is a formula to Excel.
                password = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(16))
                user = add_user(
                    store,
                    login=f"u{n:03d}",
                    display=name,
                    role="unit",
                    password=password,
                    bound=f"{city}:{name}",
                    actor=_actor(),
                    address="local",
                )
                writer.writerow([user.login, name, password])
                made += 1
    click.echo(f"added {made} unit accounts; their passwords are in {out}")


# --- submissions --------------------------------------------------------------------------------


def _quarter_options(command):
    command = click.option(
        "--quarter",
        type=click.IntRange(1, 4),
        default=None,
        help="The quarter (1-4); default: this quarter in this year, the last quarter in an earlier year.",
    )(command)
    return click.option(
        "--year",
        type=int,
        default=None,
        help="The year of the tables; default: this year when its tables are loaded, "
        "else the latest year loaded (as the web's pages).",
    )(command)


def _document(store, document):
    from respgraph.queries.lookup import find_document

    return find_document(store.documents(), document) if document else None


@click.group()
def submissions():
    """Progress reported online by units: list them, see who has not reported, return one, export the workbook."""


@submissions.command("list")
@_quarter_options
@click.option("--doc", "document", metavar="DOC", help="Only this table.")
@click.option("--history", is_flag=True, help="Every submission, returned and replaced ones too, oldest first.")
@format_option
@click.pass_obj
def submissions_list(state, year, quarter, document, history, fmt):
    """The submissions that count for a quarter (the latest not returned on each item), or all of them."""
    from respgraph.accounts.submissions import latest, quarter_asked
    from respgraph.accounts.submissions import submissions as every

    store = state.query_store()
    doc = _document(store, document)
    year, quarter = quarter_asked(store, year, quarter, documents=[doc] if doc else None)
    found = (
        every(store, year=year, quarter=quarter, document=doc)
        if history
        else latest(store, year=year, quarter=quarter, document=doc)
    )
    data = [s.model_dump(mode="json") for s in found]
    flat = [
        {
            "key": s.key,
            "target": s.target.split("/", 2)[-1],
            "author": s.author,
            "status": s.status_word,
            "done": s.done,
            "obstacles": s.obstacles,
            "submitted": s.submitted.isoformat(timespec="seconds"),
            **({"returned": s.return_comment or ""} if history else {}),
        }
        for s in found
    ]
    emit(fmt, flat=flat, data=data, footer=f"{len(found)} submissions, {year} Q{quarter}", width=None)


@submissions.command("who")
@_quarter_options
@click.option("--doc", "documents", multiple=True, metavar="DOC", help="Only these tables; repeatable.")
@click.option("--missing", "missing_only", is_flag=True, help="Only units with something not reported.")
@format_option
@click.pass_obj
def submissions_who(state, year, quarter, documents, missing_only, fmt):
    """Per lead unit: the items due from it this quarter (from the milestones), how many are reported, which not."""
    from respgraph.accounts.submissions import quarter_asked, who_reported, who_reported_rows

    store = state.query_store()
    docs = [_document(store, d) for d in documents] or None
    year, quarter = quarter_asked(store, year, quarter, documents=docs)
    rows = who_reported(store, year=year, quarter=quarter, documents=docs)
    if missing_only:
        rows = [r for r in rows if r["reported"] < r["due"]]
    flat = who_reported_rows(rows)
    done = sum(r["reported"] == r["due"] for r in rows)
    emit(
        fmt,
        flat=flat,
        data=rows,
        footer=f"{done} of {len(rows)} units have reported everything due in {year} Q{quarter}",
        width=60,
    )


@submissions.command("return")
@click.argument("key")
@click.option("--comment", required=True, help="Why it goes back: the unit sees it.")
@click.pass_obj
def submissions_return(state, key, comment):
    """Send a submission back: it stops counting, and the one before it (if any) counts again."""
    from respgraph.accounts.submissions import return_submission

    with state.writable() as store:
        sub = return_submission(store, _operator(), key, comment, address="local")
    click.echo(f"returned {sub.key} ({sub.author}, {sub.year} Q{sub.quarter})")


@submissions.command("export")
@_quarter_options
@click.option("--doc", "document", required=True, metavar="DOC", help="The table.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The .xlsx to write.")
@click.pass_obj
def submissions_export(state, year, quarter, document, out):
    """Write the quarter's submissions on a table as a progress workbook `respgraph progress load` reads."""
    from respgraph.accounts.submissions import export_workbook, quarter_asked

    store = state.query_store()
    key = _document(store, document)
    year, quarter = quarter_asked(store, year, quarter, documents=[key])
    rows = export_workbook(store, document=key, year=year, quarter=quarter, path=out)
    click.echo(f"wrote {rows} rows to {out}")


@submissions.command("implementers")
@click.option("--doc", "document", required=True, metavar="DOC", help="The table.")
@click.option("--allow/--deny", default=True, help="Whether implementing units may report too [allow].")
@click.pass_obj
def submissions_implementers(state, document, allow):
    """Let the implementing units of a table report on the items they implement (lead units always may)."""
    from respgraph.accounts.submissions import allow_implementers

    with state.writable() as store:
        key = _document(store, document)
        allow_implementers(store, _operator(), key, allow, address="local")
    click.echo(f"implementing units of {key} {'may' if allow else 'may not'} report")


@submissions.command("unit-scope")
@click.option("--doc", "document", required=True, metavar="DOC", help="The table.")
@click.option(
    "--partners/--named",
    default=False,
    help="Whether its units also see every item of the units named beside them [named: only the items "
    "they are named on].",
)
@click.pass_obj
def submissions_unit_scope(state, document, partners):
    """What the units of a table see: the items they are named on (the default), or also every
    item of the units named beside them there."""
    from respgraph.accounts.rights import widen_unit_scope

    with state.writable() as store:
        key = _document(store, document)
        widen_unit_scope(store, _operator(), key, partners, address="local")
    click.echo(f"units of {key} see {'their partners’ items too' if partners else 'the items they are named on'}")


# --- audit ----------------------------------------------------------------------------------------


@click.command()
@click.option("--action", help="Only this action, or this kind (user, submission, login).")
@click.option("--actor", help="Only what this login did.")
@format_option
@click.pass_obj
def audit(state, action, actor, fmt):
    """The audit log: every write through accounts and the web (who, when, what, from where).

    Append-only: nothing in respgraph edits or removes an entry.  --format csv
    exports it (cells that could start a spreadsheet formula are quoted).
    """
    from respgraph.accounts.audit import audit_log

    entries = audit_log(state.store(), None, action=action, actor=actor)
    rows = [e.model_dump(mode="json") for e in entries]
    emit(fmt, flat=rows, data=rows, footer=f"{len(rows)} entries", width=60)

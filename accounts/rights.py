"""Who may do what: one table, role → actions, and one question, :func:`may`; which items a user may see.

Both faces ask :func:`may`: the CLI for what it does on a user's behalf (through
:func:`require`), the web for every route (each route names its action, and one
dependency, :func:`respgraph.web.rights.requires`, asks this module).  Beyond the
action, what a leader or a unit reads is narrowed: a leader to its city (the
``resource`` :func:`may` is asked about), a unit to :func:`visible_items`.
"""

from __future__ import annotations

from dataclasses import dataclass

from respgraph.accounts.model import NotAllowed, Role, User
from respgraph.graph.protocol import GraphStore

__all__ = [
    "ACTIONS",
    "ROLE_ACTIONS",
    "GUEST_ROLES",
    "Visitor",
    "may",
    "require",
    "Visibility",
    "visible_items",
    "own_items",
    "unit_scope_is_wide",
    "widen_unit_scope",
]

#: Every action, and what it lets one do.
ACTIONS = {
    "enter": "open the login page, log in and out, and fetch the pages' static files",
    "read": "read the items and units the user may see (visible_items)",
    "overview": "read the graph as a whole: search, workload, co-responsibility, the board, leaders",
    "files": "read the tables loaded and their differences, and export the graph",
    "account": "change one's own password",
    "submit": "report progress on the items the user's unit leads",
    "review": "see who has reported, return a submission, download a quarter's workbook",
    "upload": "load and remove tables and progress workbooks",
    "notices": "write notices (督办通知单)",
    "users": "add, disable and change the password of accounts",
    "audit": "read and export the audit log",
}

#: Who asks without an account: anyone reading (a server with no account yet, reached from
#: another machine, or one started with ``--public-read``), anyone on a ``--read-only``
#: server with no account, and nobody (not logged in where accounts exist).
GUEST_ROLES = ("anonymous", "read-only", "nobody")

_READERS = frozenset({"enter", "read", "overview", "files"})
_OFFICE = frozenset(ACTIONS) - {"submit"}  # the office has no unit of its own to report for

#: role → what it may do: the one place rights are decided.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.OFFICE: _OFFICE,
    Role.LEADER: frozenset({"enter", "read", "overview", "account"}),  # no tables, no exports: its city's pages
    Role.UNIT: frozenset({"enter", "read", "account", "submit"}),  # its own items and the units beside it
    Role.VIEWER: _READERS | {"account"},
    "anonymous": _READERS,
    "read-only": _READERS,
    "nobody": frozenset({"enter"}),
}
assert all(a in ACTIONS for actions in ROLE_ACTIONS.values() for a in actions)


@dataclass(frozen=True)
class Visitor:
    """Someone the server knows without an account: a role of :data:`GUEST_ROLES`, or
    ``office`` for the browser on the server's own machine before any account exists
    (the server is then the office's own, as it was before accounts)."""

    role: str
    active: bool = True


def may(user: User | Visitor | None, action: str, resource: str | None = None) -> bool:
    """Whether ``user`` may do ``action`` (on a page of the city ``resource``, when one is named).

    None is nobody logged in; a disabled account may do nothing; a leader reads its own city only.

    >>> import datetime as dt
    >>> now = dt.datetime(2023, 7, 1, tzinfo=dt.timezone.utc)
    >>> unit = User(login="zrzy", display="市自然资源局", role="unit", created=now, updated=now)
    >>> may(unit, "submit"), may(unit, "review"), may(None, "read"), may(Visitor("anonymous"), "read")
    (True, False, False, True)
    >>> chen = User(login="chen", display="陈", role="leader", city="湛江市", created=now, updated=now)
    >>> may(chen, "read", "湛江市"), may(chen, "read", "茂名市"), may(chen, "files")
    (True, False, False)
    """
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}: one of {', '.join(ACTIONS)}")
    who = user if user is not None else Visitor("nobody")
    if not who.active or action not in ROLE_ACTIONS[who.role]:
        return False
    return resource is None or who.role != Role.LEADER or resource == getattr(who, "city", None)


def require(user: User | None, action: str) -> None:
    """Raise :class:`NotAllowed` unless ``user`` may do ``action``."""
    if not may(user, action):
        who = "nobody logged in" if user is None else f"{user.login} ({user.role.value}"
        who += "" if user is None else (", disabled)" if not user.active else ")")
        raise NotAllowed(f"{who} may not {ACTIONS[action]}")


@dataclass(frozen=True)
class Visibility:
    """The items a user may read: every item (``everything``), or the item keys in ``items``."""

    everything: bool
    items: frozenset[str] = frozenset()

    def __contains__(self, item: object) -> bool:
        return self.everything or item in self.items

    def keep(self, rows, key: str = "item") -> list:
        """The rows (dicts or objects with ``key``) whose item the user may see."""

        def of(row):
            return row[key] if isinstance(row, dict) else getattr(row, key)

        return list(rows) if self.everything else [r for r in rows if of(r) in self.items]


def visible_items(store: GraphStore, user: User | None) -> Visibility:
    """The items ``user`` may read.

    - office and viewer: every item;
    - leader: every item of its city's tables;
    - unit: the items it is named on (directly, or through a group it belongs to) — it
      opens the pages of the units named beside it there, not their other items — and, in
      the tables where the office widened it (:func:`widen_unit_scope`), every item of the
      units named directly beside it on one of those;
    - nobody, or a disabled account: none.
    """
    if not may(user, "read"):
        return Visibility(False)
    assert user is not None  # nobody reads nothing: may() said no above
    if user.role in (Role.OFFICE, Role.VIEWER):
        return Visibility(True)
    if user.role == Role.LEADER:
        docs = [d["key"] for d in store.documents(city=user.city)] if user.city else []
        return Visibility(False, frozenset(i["key"] for i in store.items(docs)) if docs else frozenset())
    if not user.bound:
        return Visibility(False)
    own = own_items(store, user.bound)
    wide = [d["key"] for d in store.documents() if unit_scope_is_wide(store, d["key"])]
    if not wide or not own:
        return Visibility(False, frozenset(own))
    partners = {r["source"] for r in store.roles(items=sorted(own), documents=wide) if r["label"] == "Unit"}
    partners -= {user.bound}
    shared = {r["item"] for r in store.roles(sources=sorted(partners), documents=wide)} if partners else set()
    return Visibility(False, frozenset(own | shared))


#: The setting of a table whose units see every item of the units named beside them.
_WIDE = "unit_scope:{}"


def unit_scope_is_wide(store: GraphStore, document: str) -> bool:
    """Whether the office widened what the units of ``document`` see (default: the items they are named on)."""
    from respgraph.accounts.storage import account_storage

    return account_storage(store).setting(_WIDE.format(document)) == "wide"


def widen_unit_scope(store: GraphStore, user: User, document: str, wide: bool, *, address: str = "") -> None:
    """The office's setting per table: whether its units also see every item of the units named beside them."""
    from respgraph.accounts.model import AccountError
    from respgraph.accounts.storage import account_storage
    from respgraph.accounts.users import record

    require(user, "review")
    if store.document(document) is None:
        raise AccountError(f"no table {document!r} is loaded")
    entry = record(
        store,
        user.login,
        "table.unit_scope",
        document,
        "units see their partners' items" if wide else "units see the items they are named on",
        address,
    )
    account_storage(store).set_setting(_WIDE.format(document), "wide" if wide else "named", entry)


def own_items(store: GraphStore, unit: str) -> set[str]:
    """The items ``unit`` (a key) is named on, directly or through a group it belongs to."""
    groups = [m["group"] for m in store.memberships(units=[unit])]
    return {r["item"] for r in store.roles(sources=[unit, *groups])}

"""Which role may do what, in one table, and which items a user may see.

The web application's route table names one of these permissions per route; the
CLI asks the same table for what it does on a user's behalf.
"""

from __future__ import annotations

from dataclasses import dataclass

from respgraph.accounts.model import NotAllowed, Role, User
from respgraph.graph.protocol import GraphStore

__all__ = ["PERMISSIONS", "RIGHTS", "allowed", "require", "Visibility", "visible_items", "own_items",
           "unit_scope_is_wide", "widen_unit_scope"]

#: Every permission, and what it lets a user do.
PERMISSIONS = {
    "read": "read the graph, within what the user may see (visible_items)",
    "submit": "report progress on the items the user's unit leads",
    "review": "see who has reported, return a submission, download a quarter's workbook",
    "upload": "load and remove tables and progress workbooks",
    "notices": "write notices (督办通知单)",
    "users": "add, disable and change the password of accounts",
    "audit": "read and export the audit log",
}

#: role -> what it may do.  The one place rights are decided.
RIGHTS: dict[Role, frozenset[str]] = {
    Role.OFFICE: frozenset(PERMISSIONS),
    Role.LEADER: frozenset({"read"}),
    Role.UNIT: frozenset({"read", "submit"}),
    Role.VIEWER: frozenset({"read"}),
}
assert all(p in PERMISSIONS for ps in RIGHTS.values() for p in ps)


def allowed(user: User | None, permission: str) -> bool:
    """Whether ``user`` (None: nobody logged in) may do ``permission``; a disabled user may do nothing.

    >>> import datetime as dt
    >>> now = dt.datetime(2023, 7, 1, tzinfo=dt.timezone.utc)
    >>> unit = User(login="zrzy", display="市自然资源局", role="unit", created=now, updated=now)
    >>> allowed(unit, "submit"), allowed(unit, "review"), allowed(None, "read")
    (True, False, False)
    """
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}: one of {', '.join(PERMISSIONS)}")
    return user is not None and user.active and permission in RIGHTS[user.role]


def require(user: User | None, permission: str) -> None:
    """Raise :class:`NotAllowed` unless ``user`` may do ``permission``."""
    if not allowed(user, permission):
        who = "nobody logged in" if user is None else f"{user.login} ({user.role.value}"
        who += "" if user is None else (", disabled)" if not user.active else ")")
        raise NotAllowed(f"{who} may not {PERMISSIONS[permission]}")


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
    if user is None or not user.active or not allowed(user, "read"):
        return Visibility(False)
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
    entry = record(store, user.login, "table.unit_scope", document,
                   "units see their partners' items" if wide else "units see the items they are named on", address)
    account_storage(store).set_setting(_WIDE.format(document), "wide" if wide else "named", entry)


def own_items(store: GraphStore, unit: str) -> set[str]:
    """The items ``unit`` (a key) is named on, directly or through a group it belongs to."""
    groups = [m["group"] for m in store.memberships(units=[unit])]
    return {r["item"] for r in store.roles(sources=[unit, *groups])}

"""The audit log: every write through accounts (users, submissions, returns, settings, logins), read and exported.

Entries are appended in the transaction of the write they describe; nothing here
edits or removes one (the SQLite table refuses it by trigger).
"""

from __future__ import annotations

import csv
import io
import json

from respgraph.accounts.model import AuditEntry, User
from respgraph.accounts.rights import require
from respgraph.accounts.storage import account_storage
from respgraph.graph.protocol import GraphStore
from respgraph.graph.safe_text import neutral_cell, printable

__all__ = ["audit_log", "export_audit", "record_write", "printable_entry"]

FIELDS = ("at", "actor", "address", "action", "subject", "detail")


def audit_log(
    store: GraphStore, user: User | None, *, action: str | None = None, actor: str | None = None
) -> list[AuditEntry]:
    """The entries, oldest first (of one action or actor when given).  ``user`` None: the
    operator of the command line, who holds the store itself."""
    if user is not None:
        require(user, "audit")
    return [
        printable_entry(e)
        for e in account_storage(store).audit_log()
        if (action is None or e.action == action or e.action.startswith(action + "."))
        and (actor is None or e.actor == actor)
    ]


def printable_entry(entry: AuditEntry) -> AuditEntry:
    """The entry with control and format characters escaped in every field (entries written
    before they were escaped on the way in are read so too): what a page, the command line or a
    CSV shows of it cannot move a cursor, start a line or turn text around."""
    return entry.model_copy(update={f: printable(getattr(entry, f)) for f in FIELDS[1:]})


def export_audit(entries: list[AuditEntry], fmt: str = "csv") -> str:
    """The entries as CSV (a header, UTC times) or JSON lines."""
    rows = [e.model_dump(mode="json") for e in entries]
    if fmt == "jsonl":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if fmt != "csv":
        raise ValueError("fmt is csv or jsonl")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        # A cell a spreadsheet reads as a formula stays text: the same rule as every CSV export.
        writer.writerow({k: neutral_cell(v) if isinstance(v, str) else v for k, v in r.items()})
    return out.getvalue()


def record_write(
    store: GraphStore, *, actor: str, action: str, subject: str = "", detail: str = "", address: str = ""
) -> None:
    """Append an entry for a write made outside accounts (a table uploaded or removed through the web)."""
    from respgraph.accounts.users import record

    account_storage(store).audit(record(store, actor, action, subject, detail, address))

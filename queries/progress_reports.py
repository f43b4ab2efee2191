"""What a status needs to know about every item, and which progress reports are loaded.

Writing a report is the store's (:meth:`~respgraph.graph.protocol.GraphStore.write_progress`,
one transaction that replaces an earlier load); these are the questions about them.
Records are found by their ``target`` key, so they survive the table being loaded again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from respgraph.graph.corrections import correction_note, corrections_by_target, deadline_doubtful
from respgraph.graph.errors import RespgraphError
from respgraph.graph.protocol import GraphStore

__all__ = ["targets", "reports"]


def targets(store: GraphStore, documents: list[str] | None = None) -> list[dict]:
    """Every item and sub-item of ``documents`` (all when None) with what a status needs.

    One dict per target: ``document``, ``city``, ``year``, ``attachment``, ``item``
    (key), ``key``, ``label`` (Item or SubItem), ``number``, ``part``, ``title``,
    ``item_title``, ``deadline`` (as corrected by ``respgraph fix``), ``deadline_doubtful``
    (outside the table's year and not corrected), ``corrected`` (what was corrected, in
    Chinese, or ""), ``milestones``, ``leaders``, ``units`` ({name, role})
    and ``records`` (its status records, any order).
    """
    docs = {d["key"]: d for d in store.documents()}
    items = store.items(documents)
    parts: dict[str, list[dict]] = defaultdict(list)
    for p in store.parts([i["key"] for i in items]):
        parts[p["item"]].append(p)
    milestones, leaders, units, records = (defaultdict(list) for _ in range(4))
    for m in store.milestones(documents=documents):
        if m.get("seq") is None:  # a node deleted while it was read (see graph.commit_gate)
            raise _changed()
        milestones[m["owner"]].append({k: m.get(k) for k in _MILESTONE})
    for o in store.oversight(documents=documents):
        leaders[o["target"]].append(o["name"])
    for r in store.roles(documents=documents):
        units[r["target"]].append({"name": r["name"], "role": r["type"]})
    for r in store.status_records():
        records[r["target"]].append({k: v for k, v in r.items() if k != "label"})
    fixed = corrections_by_target(store)
    out = []
    for item in sorted(items, key=lambda i: i["key"]):
        d = docs.get(item["document"]) or store.document(item["document"])
        if d is None:
            raise _changed()
        deadline, corrected = item.get("deadline"), ""
        if "deadline" in fixed.get(item["key"], {}):
            correction = fixed[item["key"]]["deadline"]
            deadline, corrected = dt.date.fromisoformat(correction["value"]), correction_note(correction)
        for node in [item, *sorted(parts[item["key"]], key=lambda p: p["part"])]:
            key = node["key"]
            out.append(
                {
                    "document": d["key"],
                    "city": d["city"],
                    "year": d["year"],
                    "attachment": item["attachment"],
                    "item": item["key"],
                    "key": key,
                    "label": node["label"],
                    "number": item["number"],
                    "part": node.get("part"),
                    "title": node["title"],
                    "item_title": item["title"],
                    "deadline": deadline,
                    "corrected": corrected,
                    "deadline_doubtful": not corrected and deadline_doubtful(deadline, d["year"]),
                    "milestones": sorted(milestones[key], key=lambda m: m["seq"]),
                    "leaders": sorted(leaders[key]),
                    "units": sorted(units[key], key=lambda u: (u["role"], u["name"])),
                    "records": records[key],
                }
            )
    return out


def _changed() -> RespgraphError:
    return RespgraphError("the tables changed while they were read (another program loaded or removed one): ask again")


_MILESTONE = ("seq", "quarters", "period", "text", "q_values", "q_units", "q_cumulative")


def reports(store: GraphStore) -> list[dict]:
    """The progress reports on tables still in the store, by date then key."""
    return sorted(store.reports(), key=lambda r: (r["as_of"], r["key"]))

"""One item whole: its leaders, units by role, sub-items, quarterly targets, progress history and source line."""

from __future__ import annotations

import datetime as dt

from respgraph.graph.errors import UnknownName
from respgraph.graph.protocol import GraphStore
from respgraph.queries.lookup import find_document, suggest
from respgraph.queries.portfolio import _assemble
from respgraph.queries.rows import PortfolioItem, Row

__all__ = ["item_whole", "ItemWhole", "StatusStep"]


class StatusStep(Row):
    """One progress report row on the item or one of its sub-items."""

    as_of: dt.date
    report: str
    part: int | None
    status: str
    why: str
    progress: str


class ItemWhole(PortfolioItem):
    leaders: list[str]
    content: str
    deadline_text: str
    section: str
    source: str
    line: int
    history: list[StatusStep]


def item_whole(store: GraphStore, document: str, number: str) -> ItemWhole:
    """The item ``number`` of ``document`` (any form :func:`~respgraph.queries.lookup.find_document`
    takes), read by its key: the item, its sub-items, their role, oversight and milestone rows.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> i = item_whole(sample_store(), "湛江市/2023/1", "53")
    >>> i.leaders, i.units.lead, i.line > 0
    (['黄益斌'], ['市公安局'], True)
    """
    key = find_document(store.documents(), document)
    doc = store.document(key) or {}
    wanted = number.strip()
    found = store.items(keys=[f"item:{key.removeprefix('doc:')}/{wanted}"])
    if not found:
        numbers = [i["number"] for i in store.items([key])]
        raise UnknownName("item", wanted, suggest(wanted, numbers), document=key)
    item = found[0]
    parts = {p["key"]: p for p in store.parts([item["key"]])}
    oversight = store.oversight(items=[item["key"]])
    roles = store.roles(items=[item["key"]])
    targets = [item["key"], *sorted(parts)]
    milestones = store.milestones(owners=targets)
    rows = []
    for target in targets:
        part = parts.get(target)
        rows.append({
            "item": item,
            "part": {k: part[k] for k in ("key", "part", "title")} if part else None,
            "units": sorted(({"name": r["name"], "role": r["type"]} for r in roles if r["target"] == target),
                            key=lambda u: u["name"]),
            "milestones": sorted((m for m in milestones if m["owner"] == target), key=lambda m: m["seq"]),
        })
    if parts:  # the item row itself carries nothing of its own when its rows are sub-items
        rows = [r for r in rows if r["part"] or r["units"] or r["milestones"]]
    whole = _assemble(rows)[0]
    leaders = sorted({o["name"] for o in oversight})
    loaded = {r["key"] for r in store.reports()}  # records of a report on a removed table answer nothing
    history = []
    # The store offers status records only all at once: read them only when a report is loaded.
    for r in store.status_records() if loaded else ():
        if r["target"] in targets and r.get("report") in loaded:
            history.append(StatusStep(as_of=r["as_of"], report=r["report"],
                                      part=parts[r["target"]]["part"] if r["target"] in parts else None,
                                      status=r.get("status", ""), why=r.get("why", "") or "",
                                      progress=r.get("progress", "") or ""))
    history.sort(key=lambda s: (s.as_of, s.part or 0))
    return ItemWhole(**whole.model_dump(), leaders=leaders, content=item.get("content", "") or "",
                     deadline_text=item.get("deadline_text", "") or "", section=item.get("section", "") or "",
                     source=doc.get("source", ""), line=int(item.get("line") or 0), history=history)

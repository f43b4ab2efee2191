"""One unit, one leader, one unit's partners: the questions a page of one entity answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from respgraph.answers.answer import Answer
from respgraph.answers.columns import aggregate_columns, item_columns, several_cities, with_city
from respgraph.graph.corrections import correction_note
from respgraph.graph.i18n import gettext
from respgraph.graph.protocol import GraphStore
from respgraph.queries.years import year_scope

__all__ = ["items", "portfolio", "co", "item"]


def items(store: GraphStore, unit: str, *, city: str | None = None, documents: list[str] | None = None) -> Answer:
    """Every item ``unit`` takes part in and its roles, then those it reaches only through a
    group; a deadline ``respgraph fix`` corrected is given corrected, and said so.

    >>> from respgraph.ingest import sample_store
    >>> a = items(sample_store(), "市自然资源局")
    >>> [r["number"] for r in a.rows if "lead" in r["roles"]], a.footer
    (['74', '75', '76'], '39 items named directly, 0 only through a group')
    """
    from respgraph.queries.items import items_of_unit

    rows = items_of_unit(store, unit, city=city, documents=documents)
    flat = with_city(
        [
            {
                "attachment": r.attachment,
                "number": r.number,
                "title": r.title,
                "roles": r.roles,
                "parts": [p.part for p in r.parts],
                "via": r.via,
                "deadline": r.deadline,
            }
            for r in rows
        ],
        rows,
        store,
        after="",
    )
    flat = item_columns(flat, rows, store, after="city" if several_cities(store) else "")
    direct = sum(1 for r in rows if not r.via)
    footer = gettext("{direct} items named directly, {via} only through a group").format(
        direct=direct, via=len(rows) - direct
    )
    fixed = deadline_fixes(store, [r.id for r in rows])
    data = [r.model_dump(mode="json") for r in rows]
    table = [dict(row) for row in flat]
    for row, shown, d, r in zip(flat, table, data, rows):
        if r.id in fixed:  # the table's misprint stays in the file; the answer gives the corrected date
            row["deadline"] = d["deadline"] = fixed[r.id]["value"]
            shown["deadline"] = fixed[r.id]["value"] + " *"  # a mark for people; csv keeps the date a date
            d["corrected"] = correction_note(fixed[r.id])
            footer += f"\n* item {r.number}: {d['corrected']}"
    return Answer(flat, data, footer, table=table, result=rows)


def deadline_fixes(store: GraphStore, ids: list[str]) -> dict[str, dict]:
    """Item id → the deadline ``respgraph fix`` recorded for it: every answer that shows an item's
    deadline gives the corrected date (and says so), never the table's misprint."""
    if not ids:
        return {}
    return {c["target"]: c for c in store.corrections(items=ids) if c["field"] == "deadline"}


def portfolio(store: GraphStore, leader: str, *, city: str | None = None, documents: list[str] | None = None) -> Answer:
    """A leader's items with units by role and quarterly targets; a person's table shows how
    many targets each quarter has instead of their texts.

    >>> from respgraph.ingest import sample_store
    >>> portfolio(sample_store(), "陈峻华").footer
    '陈峻华: 9 items'
    """
    from respgraph.queries.portfolio import portfolio as query

    p = query(store, leader, city=city, documents=documents)
    flat: list[dict[str, Any]] = []
    for i in p.items:
        quarters = {f"Q{q}": [m.text for m in i.milestones if q in m.quarters] for q in (1, 2, 3, 4)}
        flat.append(
            {
                "attachment": i.attachment,
                "number": i.number,
                "title": i.title,
                "deadline": i.deadline,
                "lead": i.units.lead,
                "implement": i.units.implement,
                "assist": i.units.assist,
                "parts": [pt.part for pt in i.parts],
                **quarters,
            }
        )
    flat = item_columns(flat, p.items, store, after="")
    table = [
        {
            **{k: v for k, v in r.items() if not k.startswith("Q")},
            "targets Q1-Q4": "/".join(str(len(r[f"Q{q}"])) for q in (1, 2, 3, 4)),
        }
        for r in flat
    ]
    footer = (
        f"{p.city}:{p.leader}: {len(p.items)} items" if several_cities(store) else f"{p.leader}: {len(p.items)} items"
    )
    data = p.model_dump(mode="json")
    fixed = deadline_fixes(store, [i.id for i in p.items])
    for i, row, shown, d in zip(p.items, flat, table, data["items"]):
        if i.id in fixed:  # as items() gives it: the corrected date, marked for people, said in the footer
            row["deadline"] = d["deadline"] = fixed[i.id]["value"]
            shown["deadline"] = fixed[i.id]["value"] + " *"
            d["corrected"] = correction_note(fixed[i.id])
            footer += f"\n* item {i.number}: {d['corrected']}"
    if fixed:  # the page draws from the result: the corrected date there too
        p = p.model_copy(
            update={
                "items": [
                    i.model_copy(update={"deadline": dt.date.fromisoformat(fixed[i.id]["value"])})
                    if i.id in fixed
                    else i
                    for i in p.items
                ]
            }
        )
    return Answer(flat, data, footer, table=table, result=p)


def co(
    store: GraphStore,
    unit: str | None = None,
    *,
    min_shared: int = 1,
    city: str | None = None,
    documents: list[str] | None = None,
    year: int | None = None,
    all_years: bool = False,
) -> Answer:
    """Who co-owns work with ``unit``, most shared items first; without ``unit``, every pair.
    Of one year per city unless ``year`` or ``all_years`` says otherwise (``head`` says which).

    >>> from respgraph.ingest import sample_store
    >>> co(sample_store(), "市自然资源局").rows[0]["name"]
    '市发展改革局'
    """
    from respgraph.queries.co import co_pairs, co_responsibility

    scope = year_scope(store, city=city, documents=documents, year=year, all_years=all_years)
    if unit:
        rows = [
            r for r in co_responsibility(store, unit, city=city, documents=scope.documents) if r.shared >= min_shared
        ]
        flat = with_city(
            [
                {"name": r.name, "kind": r.kind, "shared": r.shared, "roles": r.roles, "other_roles": r.other_roles}
                for r in rows
            ],
            rows,
            store,
        )
        flat = aggregate_columns([{**f, "city": r.city} for f, r in zip(flat, rows)], scope, store)
        flat = flat if several_cities(store) else [{k: v for k, v in r.items() if k != "city"} for r in flat]
        data = aggregate_columns([r.model_dump(mode="json") for r in rows], scope, store)
    else:
        pairs = co_pairs(store, min_shared=min_shared, city=city, documents=scope.documents)
        data = aggregate_columns([r.model_dump() for r in pairs], scope, store)
        flat = data if several_cities(store) else [{k: v for k, v in r.items() if k != "city"} for r in data]
    return Answer(flat, data, head=scope.line, result=scope)


def item(store: GraphStore, document: str, number: str) -> Answer:
    """One item whole: leaders, units by role, sub-items, quarterly targets (the rows),
    progress history and the source line; ``head`` says the item and who is on it.

    >>> from respgraph.ingest import sample_store
    >>> item(sample_store(), "湛江市/2023/1", "74").result.units.lead
    ['市自然资源局']
    """
    from respgraph.graph.vocabulary import ROLES
    from respgraph.queries.item_detail import item_whole

    whole = item_whole(store, document, number)
    flat = [
        {"part": m.part or "", "period": m.period, "quarters": m.quarters, "target": m.text} for m in whole.milestones
    ]
    data = whole.model_dump(mode="json")
    deadline = whole.deadline_text or "-"
    fixed = deadline_fixes(store, [whole.id]).get(whole.id)
    if fixed:  # the table's misprint stays in the file and in deadline_text; the answer gives the corrected date
        data["deadline"] = fixed["value"]
        whole = whole.model_copy(update={"deadline": dt.date.fromisoformat(fixed["value"])})
        data["corrected"] = correction_note(fixed)
        deadline = f"{fixed['value']} * ({data['corrected']})"
    head = (
        f"{whole.document} {whole.number} {whole.title}\n"
        f"leaders: {'、'.join(whole.leaders) or '-'}; deadline: {deadline}; "
        f"source: {whole.source}, line {whole.line}\n"
        + "".join(f"{role}: {'、'.join(getattr(whole.units, role)) or '-'}\n" for role in ROLES)
    ).rstrip("\n")
    return Answer(flat, data, head=head, width=None, result=whole)

"""A leader's portfolio: the items they oversee, with units by role, deadlines, milestones."""

from __future__ import annotations

from collections import defaultdict
from functools import partial

from respgraph.graph.vocabulary import ROLE_OF_EDGE, ROLES
from respgraph.queries.lookup import asked, in_scope, item_ref, item_sort_key, one_of, scope
from respgraph.queries.native import native
from respgraph.queries.rows import MilestoneRow, Portfolio, PortfolioItem, PortfolioPart, RoleUnits

__all__ = ["portfolio", "units_of_items", "default_portfolio_rows"]


def portfolio(store, leader: str, *, city: str | None = None, documents: list[str] | None = None) -> Portfolio:
    """Every item ``leader`` oversees, each once, with the sub-items they oversee inside it.

    An item split over rows with different leaders (livelihood item 9) shows only
    this leader's parts.  Milestones are in quarter order.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> store = sample_store()
    >>> p = portfolio(store, "黄益斌")
    >>> [(i.number, i.units.lead, i.deadline.isoformat()) for i in p.items]
    [('53', ['市公安局'], '2023-09-30')]
    """
    documents = scope(store, city=city, documents=documents)
    wanted, allowed = asked(leader, city=city, documents=documents)
    found = (native(store, "portfolio_rows") or partial(default_portfolio_rows, store))(
        name=wanted, cities=allowed, documents=documents
    )
    node = one_of(
        found["found"] or in_scope(store, store.find(wanted, ("Leader",)), wanted, ("Leader",), allowed),
        leader,
        ("Leader",),
    )  # an unknown or ambiguous name is an error, whatever rows came
    if not found["found"]:  # named between the two reads: read again
        found = default_portfolio_rows(store, name=wanted, cities=allowed, documents=documents)
    return Portfolio(leader=node["name"], city=node.get("city", ""), items=_assemble(found["rows"]))


def default_portfolio_rows(store, *, name: str, cities: set[str] | None, documents: list[str] | None) -> dict:
    """What :func:`portfolio` reads, through the protocol's reads (a fixed few, whatever the
    size of the portfolio): ``found``, the leaders called ``name`` in the ``cities`` allowed
    (None: all), and when those lie in one city, the ``rows`` of the first: one per item or
    sub-item they oversee within ``documents``, with ``item`` (its item's node row), ``part``
    (``key``, ``part``, ``title``, or None), ``units`` (``name`` and edge ``role`` of every
    unit or group on it, by name) and ``milestones`` (its Milestones' properties, by ``seq``).

    A store answers it natively in one statement (Neo4j); the parity tests hold the two equal.
    """
    found = store.find(name, ("Leader",))
    mine = [n for n in found if cities is None or n.get("city") in cities]
    if len({n.get("city", "") for n in mine}) != 1:
        return {"found": mine, "rows": []}
    return {"found": mine, "rows": _rows(store, mine[0]["key"], documents)}


def _rows(store, leader: str, documents) -> list[dict]:
    overseen = store.oversight(leaders=[leader], documents=documents)
    item_keys = sorted({o["item"] for o in overseen})
    targets = sorted({o["target"] for o in overseen})
    items = {i["key"]: i for i in store.items(keys=item_keys)}
    split = sorted({o["item"] for o in overseen if o["target"] != o["item"]})
    parts = {p["key"]: p for p in store.parts(split)}  # read even when empty: the number of reads is fixed
    units: dict[str, list[dict]] = defaultdict(list)
    for r in store.roles(items=item_keys):
        units[r["target"]].append({"name": r["name"], "role": r["type"]})
    milestones: dict[str, list[dict]] = defaultdict(list)
    for m in store.milestones(owners=targets):
        milestones[m["owner"]].append(m)
    return [
        {
            "item": items[o["item"]],
            "part": {k: parts[o["target"]][k] for k in ("key", "part", "title")} if o["target"] in parts else None,
            "units": sorted(units[o["target"]], key=lambda u: (u["name"], u["role"])),
            "milestones": sorted(milestones[o["target"]], key=lambda m: m["seq"]),
        }
        for o in overseen
        if o["item"] in items
    ]


def _role_units(units: list[dict]) -> RoleUnits:
    by_role: dict[str, list[str]] = defaultdict(list)
    for u in units:
        role = ROLE_OF_EDGE[u["role"]]
        if u["name"] not in by_role[role]:
            by_role[role].append(u["name"])
    return RoleUnits(**{r: sorted(by_role[r]) for r in ROLES})


def _milestones(ms: list[dict], part: int | None) -> list[MilestoneRow]:
    return [
        MilestoneRow(quarters=list(m["quarters"]), period=m["period"], section=m["section"], text=m["text"], part=part)
        for m in ms
    ]


def _by_quarter(ms: list[MilestoneRow]) -> list[MilestoneRow]:
    # Stable: within a quarter, parts and printed order are kept.
    return sorted(ms, key=lambda m: m.quarters[0] if m.quarters else 5)


def _assemble(rows: list[dict]) -> list[PortfolioItem]:
    items: dict[str, dict] = {}
    for row in rows:
        entry = items.setdefault(row["item"]["key"], {"item": row["item"], "units": [], "milestones": [], "parts": []})
        entry["units"] += row["units"]
        if row["part"]:
            part = row["part"]
            ms = _milestones(row["milestones"], part["part"])
            entry["milestones"] += ms
            entry["parts"].append(
                PortfolioPart(
                    id=part["key"],
                    part=part["part"],
                    title=part["title"],
                    units=_role_units(row["units"]),
                    milestones=ms,
                )
            )
        else:
            entry["milestones"] += _milestones(row["milestones"], None)
    out = [
        PortfolioItem(
            **item_ref(e["item"]),
            units=_role_units(e["units"]),
            milestones=_by_quarter(sorted(e["milestones"], key=lambda m: m.part or 0)),
            parts=sorted(e["parts"], key=lambda p: p.part),
        )
        for e in items.values()
    ]
    return sorted(out, key=item_sort_key)


def units_of_items(store, items: list[str]) -> dict[str, RoleUnits]:
    """The units by role on each of ``items`` (ids), their sub-items included.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> store = sample_store()
    >>> key = next(i.id for i in portfolio(store, "黄益斌").items)
    >>> units_of_items(store, [key])[key].implement
    ['市公安局']
    """
    rows = [{"item": r["item"], "name": r["name"], "role": r["type"]} for r in store.roles(items=items)]
    grouped: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        grouped[r["item"]].append(r)
    return {item: _role_units(grouped[item]) for item in items}

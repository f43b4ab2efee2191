"""Directed ties between units: who passes work to whom, read once from the role edges.

A **directed tie** u → v holds in a scope when u is a lead unit (牵头单位) and v an
implementing (实施) or assisting (协办) unit of the same item or sub-item; a role on an
item holds for its sub-items too.  Only named units count: a group named on an item
(各县（市、区）政府（管委会）) names no one and gives no tie.  A unit that leads and
implements the same item gives no tie to itself.  The weight of a tie is the number of
items it holds on (the ten sub-projects of an item count once).

Everything about brokerage (:mod:`~respgraph.queries.brokerage`) and tie stability
(:mod:`~respgraph.queries.tie_stability`) is computed from :func:`directed_ties`: one
read of the role rows of the documents in scope, whatever the store.
"""

from __future__ import annotations

from collections import defaultdict

from respgraph.graph.protocol import GraphStore
from respgraph.queries.lookup import scope
from respgraph.queries.native import native
from respgraph.queries.rows import Row
from respgraph.queries.years import year_of_document

__all__ = ["directed_ties", "read_ties", "Ties", "TieRow"]


class TieRow(Row):
    """u → v in one city and year: ``items`` is the number of items the tie holds on."""

    source: str
    target: str
    city: str
    year: int
    items: int


class Ties(Row):
    rows: list[TieRow]
    #: ``(city, name)`` → the unit's kind, for every unit named on an item in scope (tie or not).
    kinds: dict[tuple[str, str], str]

    def years(self) -> dict[str, list[int]]:
        """The years of each city that have ties, in order."""
        out: dict[str, set[int]] = defaultdict(set)
        for r in self.rows:
            out[r.city].add(r.year)
        return {c: sorted(ys) for c, ys in sorted(out.items())}


def directed_ties(store: GraphStore, *, city: str | None = None, documents: list[str] | None = None) -> Ties:
    """Every directed tie lead → implementing or assisting unit, by city and year.

    Examples
    --------
    On the sample, 市城市管理和综合执法局 leads item 79 and three of its ten
    sub-projects (79.6–79.8) are implemented by 湛江经开区管委会, which also implements
    items 81 and 82 that it leads: three items, weight 3.

    >>> from respgraph.ingest import sample_store
    >>> ties = directed_ties(sample_store())
    >>> [r.items for r in ties.rows if (r.source, r.target) == ("市城市管理和综合执法局", "湛江经开区管委会")]
    [3]
    >>> len(ties.rows), ties.years()
    (332, {'湛江市': [2023]})
    """
    weight, kinds, _ = read_ties(store, documents=scope(store, city=city, documents=documents))
    rows = [TieRow(city=c, year=y, source=a, target=b, items=n) for (c, y, a, b), n in weight.items()]
    rows.sort(key=lambda r: (r.city, r.year, r.source, r.target))
    return Ties(rows=rows, kinds=kinds)


def read_ties(store: GraphStore, *, documents: list[str] | None = None):
    """:func:`directed_ties` as plain data, for the analyses that count over a province's
    ties: ``{(city, year, source, target): items}``, ``{(city, name): kind}`` and the units
    named on items of each ``(city, year)``, tied or not.  A store may count them itself
    (Neo4j does, on the server)."""
    found = native(store, "read_ties")
    if found:
        return found(documents=documents)
    kinds: dict[tuple[str, str], str] = {}
    named: dict[tuple[str, int], set[str]] = defaultdict(set)
    year: dict[str, int] = {}
    # item → (city, year, leads [(name, target)], others [(name, target)]): a province has
    # 300,000 role rows, so each is looked at once and only what the rule needs is kept.
    by_item: dict[str, tuple] = {}
    for r in store.roles(documents=documents):
        if r["label"] != "Unit":  # a group names no one: no tie
            continue
        city, name, document = r["city"] or "", r["name"], r["document"]
        if document not in year:
            year[document] = year_of_document(document)
        kinds[(city, name)] = r["kind"] or "other"
        named[(city, year[document])].add(name)
        entry = by_item.get(r["item"])
        if entry is None:
            entry = by_item[r["item"]] = (city, year[document], [], [])
        entry[2 if r["type"] == "LEADS" else 3].append((name, r["target"]))
    weight: dict[tuple[str, int, str, str], int] = defaultdict(int)
    for item, (city, y, leads, others) in by_item.items():
        if not leads or not others:
            continue
        pairs = {(a, b) for a, at in leads for b, bt in others if a != b and (at == bt or item in (at, bt))}
        for a, b in pairs:
            weight[(city, y, a, b)] += 1
    return dict(weight), kinds, dict(named)

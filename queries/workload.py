"""Workload by unit, leader or district, and how evenly it is spread."""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from functools import partial

from respgraph.graph.protocol import GraphStore
from respgraph.graph.vocabulary import ROLE_OF_EDGE, ROLES
from respgraph.queries.lookup import city_of_document, scope
from respgraph.queries.native import native
from respgraph.queries.rows import Balance, Workload, WorkloadRow

__all__ = ["workload", "balance", "gini", "DEFAULT_WEIGHTS"]

#: Lead units answer for the whole item, implementing units do the work,
#: assisting units help: 3 : 2 : 1.
DEFAULT_WEIGHTS = {"lead": 3.0, "implement": 2.0, "assist": 1.0}


def workload(
    store: GraphStore,
    *,
    by: str = "unit",
    weights: dict[str, float] | None = None,
    city: str | None = None,
    documents: list[str] | None = None,
) -> Workload:
    """Distinct items per role for every unit, leader or district, with a weighted score.

    - ``by="unit"``: items each unit is *named* on, per role; ``via_group`` counts the
      items it reaches only through a group (各县（市、区）政府（管委会）…), kept apart and
      not scored.
    - ``by="district"``: the same for the government or zone committee of each district.
    - ``by="leader"``: ``items`` overseen; lead/implement/assist count the distinct
      units in each role on those items (whom the leader must coordinate).

    ``score`` is ``Σ weight[role] × count[role]`` (default weights
    :data:`DEFAULT_WEIGHTS`, lead 3, implement 2, assist 1).  Rows are by score,
    highest first; ``balance`` describes the spread of the scores.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> store = sample_store()
    >>> w = workload(store, by="leader")
    >>> [(r.name, r.items) for r in w.rows if r.name == "黄益斌"]
    [('黄益斌', 1)]
    """
    if by not in ("unit", "leader", "district"):
        raise ValueError(f"by must be unit, leader or district, not {by!r}")
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    documents = scope(store, city=city, documents=documents)
    found = native(store, "workload_counts")
    counts = (found or partial(default_workload_counts, store))(by=by, documents=documents)
    rows = [
        WorkloadRow(**c, score=sum(weights[r] * c[r] for r in ROLES))
        for c in counts
        # Units, leaders and districts of other jurisdictions are not part of the answer,
        # nor those the documents asked for never name (last year's units, issue 22):
        # a row of zeros would weigh in the median and the Gini.
        if documents is None
        or (c["city"] in {city_of_document(d) for d in documents} and (c["items"] or c["via_group"]))
    ]
    rows.sort(key=lambda r: (-r.score, -r.items, r.name, r.city))
    return Workload(by=by, weights=weights, rows=rows, balance=balance([r.score for r in rows]))


def gini(values: list[float]) -> float:
    """The Gini coefficient: 0 when all are equal, towards 1 when one holds everything.

    >>> gini([1, 1, 1, 1]), gini([0, 0, 0, 4])
    (0.0, 0.75)
    """
    xs = sorted(values)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    return 2 * sum((i + 1) * x for i, x in enumerate(xs)) / (n * total) - (n + 1) / n


def balance(values: list[float]) -> Balance:
    """Median, the share held by the top 10 % (at least one), and the Gini of ``values``.

    >>> balance([1, 1, 1, 1, 1, 1, 1, 1, 1, 11]).top10_share
    0.55
    """
    xs = sorted(values, reverse=True)
    total = float(sum(xs))
    top = math.ceil(len(xs) / 10) if xs else 0
    return Balance(
        count=len(xs),
        total=total,
        median=float(statistics.median(xs)) if xs else 0.0,
        top10_share=round(sum(xs[:top]) / total, 4) if total else 0.0,
        gini=round(gini(xs), 4),
    )


def default_workload_counts(store: GraphStore, *, by: str, documents: list[str] | None = None) -> list[dict]:
    """Per unit, district or leader: ``name``, ``city``, ``kind``, ``items``, the count per
    role and ``via_group``, from the store's role rows (see :func:`workload`)."""
    roles = store.roles(documents=documents)
    if by == "leader":
        return _leader_counts(store, roles, documents)
    direct: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    reached: dict[str, set[str]] = defaultdict(set)
    for r in roles:
        direct[r["source"]][ROLE_OF_EDGE[r["type"]]].add(r["item"])
        reached[r["source"]].add(r["item"])
    groups_of: dict[str, set[str]] = defaultdict(set)
    for m in store.memberships():
        groups_of[m["unit"]].add(m["group"])

    def count(node: dict, sources: list[str]) -> dict:
        named: dict[str, set[str]] = defaultdict(set)
        via: set[str] = set()
        for source in sources:
            for role, items in direct[source].items():
                named[role] |= items
            for group in groups_of[source]:
                via |= reached[group]
        every = set().union(*named.values())
        return {
            "name": node["name"],
            "city": node.get("city") or "",
            "kind": node["kind"],
            "items": len(every),
            "via_group": len(via - every),
            **{r: len(named[r]) for r in ROLES},
        }

    if by == "unit":
        return [count(n, [n["key"]]) for n in store.nodes(["Unit"])]
    governments: dict[str, list[str]] = defaultdict(list)
    for g in store.governs():
        governments[g["district"]].append(g["unit"])
    return [count(n, governments[n["key"]]) for n in store.nodes(["District"])]


def _leader_counts(store: GraphStore, roles: list[dict], documents) -> list[dict]:
    on_target: dict[str, list[dict]] = defaultdict(list)
    for r in roles:
        on_target[r["target"]].append(r)
    items: dict[str, set[str]] = defaultdict(set)
    units: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for o in store.oversight(documents=documents):
        items[o["leader"]].add(o["item"])
        for r in on_target[o["target"]]:
            units[o["leader"]][ROLE_OF_EDGE[r["type"]]].add(r["source"])
    return [
        {
            "name": n["name"],
            "city": n.get("city") or "",
            "kind": "leader",
            "items": len(items[n["key"]]),
            "via_group": 0,
            **{r: len(units[n["key"]][r]) for r in ROLES},
        }
        for n in store.nodes(["Leader"])
    ]

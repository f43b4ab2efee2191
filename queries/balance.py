"""Workload balance: who carries how much, how evenly, and who stands far from the rest.

Builds on :func:`~respgraph.queries.workload.workload` (distinct items per role,
the weighted score, items reached only through a group) and adds the sub-items
(sub-projects such as the ten parts of item 79) beside the items, the Lorenz
curve, and the rows whose score is far above or below the others.

"Far" is decided by one of two rules, both written as a pair of bounds:

- ``"tukey"`` (default): Tukey's fences, outside ``[Q1 − k·IQR, Q3 + k·IQR]``
  with ``k = 1.5``; quartiles by linear interpolation (numpy's default).  Counts
  of this kind are skewed: most units carry one or two items, so the lower fence
  is usually below zero and nobody is flagged "low".
- ``"mad"``: the robust z-score ``0.6745·(x − median) / MAD`` beyond ``±k`` with
  ``k = 3.5`` (Iglewicz and Hoaglin).  When more than half the values are equal
  the MAD is 0; the mean absolute deviation × 1.2533 stands in for it, and when
  that is 0 too nobody is flagged.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from functools import partial

from respgraph.graph.protocol import GraphStore
from respgraph.queries.lookup import scope
from respgraph.queries.native import native
from respgraph.queries.result import Result
from respgraph.queries.rows import Balance, Row
from respgraph.queries.workload import balance, workload

__all__ = ["load_balance", "fences", "lorenz", "LoadBalance", "LoadRow", "Fences"]


class LoadRow(Row):
    """A unit, leader or district: ``items`` and the role counts as in ``workload``,
    ``parts`` the sub-items among them, ``position`` ``"high"``, ``"low"`` or ``""``."""

    name: str
    #: Two cities' 市财政局 are two rows: the city tells them apart.
    city: str = ""
    kind: str
    items: int
    parts: int
    lead: int
    implement: int
    assist: int
    via_group: int
    score: float
    position: str


class Fences(Row):
    """Scores below ``low`` or above ``high`` are far from the rest (None: no bound)."""

    method: str
    k: float
    low: float | None
    high: float | None


class LoadBalance(Result):
    by: str
    weights: dict[str, float]
    rows: list[LoadRow]
    #: Spread of the score (direct naming only).
    balance: Balance
    #: Spread of ``items + via_group``: the load once group-derived items count too.
    with_groups: Balance
    #: Points (share of rows, share of score) from (0, 0) to (1, 1), lightest first.
    lorenz: list[tuple[float, float]]
    fences: Fences

    @property
    def high(self) -> list[LoadRow]:
        return [r for r in self.rows if r.position == "high"]

    @property
    def low(self) -> list[LoadRow]:
        return [r for r in self.rows if r.position == "low"]


def load_balance(
    store: GraphStore,
    *,
    by: str = "unit",
    weights: dict[str, float] | None = None,
    city: str | None = None,
    documents: list[str] | None = None,
    method: str = "tukey",
    k: float | None = None,
) -> LoadBalance:
    """Workload of every unit, leader or district with sub-item counts, the spread
    (median, top-10 % share, Gini, Lorenz curve) and the rows far from the rest.

    Parameters
    ----------
    store : GraphStore (the embedded SqliteStore, or Neo4jStore)
    by : {"unit", "leader", "district"}
    weights : dict, optional
        Weights of the score per role; missing roles keep
        :data:`~respgraph.queries.workload.DEFAULT_WEIGHTS`.
    documents : list of str, optional
        Only items of these documents.
    method : {"tukey", "mad"}
        How "far" is decided (see the module text); ``k`` overrides its constant.

    Returns
    -------
    LoadBalance
        Rows by score, highest first.  ``via_group`` (items reached only through
        a group) is never part of the score; ``with_groups`` shows the spread
        when it is counted.

    Examples
    --------
    >>> from respgraph.ingest import sample_store
    >>> store = sample_store()
    >>> b = load_balance(store, by="unit")
    >>> [(r.name, r.items, r.parts) for r in b.rows if r.name == "市城市管理和综合执法局"]
    [('市城市管理和综合执法局', 6, 10)]
    >>> b.fences.high, b.high[0].name
    (19.5, '市交通运输局')
    """
    documents = scope(store, city=city, documents=documents)
    w = workload(store, by=by, weights=weights, documents=documents)
    found = native(store, "part_counts")
    parts = (found or partial(default_part_counts, store))(by=by, documents=documents)
    scores = [r.score for r in w.rows]
    bounds = fences(scores, method=method, k=k)
    rows = [
        LoadRow(**r.model_dump(), parts=parts.get((r.city, r.name), 0), position=_position(r.score, bounds))
        for r in w.rows
    ]
    return LoadBalance(
        by=by,
        weights=w.weights,
        rows=rows,
        balance=w.balance,
        with_groups=balance([r.items + r.via_group for r in rows]),
        lorenz=lorenz(scores),
        fences=bounds,
    )


def _position(score: float, bounds: Fences) -> str:
    if bounds.high is not None and score > bounds.high:
        return "high"
    if bounds.low is not None and score < bounds.low:
        return "low"
    return ""


def fences(values: list[float], *, method: str = "tukey", k: float | None = None) -> Fences:
    """The bounds outside which a value is far from the rest (see the module text).

    >>> fences([1, 2, 3, 4, 5, 6, 7, 8, 100])
    Fences(method='tukey', k=1.5, low=-3.0, high=13.0)
    >>> fences([1, 2, 3, 4, 5, 6, 7, 8, 100], method="mad").high
    15.378058
    """
    if method not in ("tukey", "mad"):
        raise ValueError(f"method must be tukey or mad, not {method!r}")
    k = float(k if k is not None else (1.5 if method == "tukey" else 3.5))
    if len(values) < 2:
        return Fences(method=method, k=k, low=None, high=None)
    if method == "tukey":
        q1, _, q3 = statistics.quantiles(values, n=4, method="inclusive")
        spread = q3 - q1
        return Fences(method=method, k=k, low=round(q1 - k * spread, 6), high=round(q3 + k * spread, 6))
    median = statistics.median(values)
    mad = statistics.median(abs(x - median) for x in values)
    if mad == 0:
        # More than half the values are equal.  IBM's SPSS then divides by
        # 1.2533 × the mean absolute deviation instead; rescaled to keep one formula.
        mad = 1.2533 * statistics.fmean(abs(x - median) for x in values) * 0.6745
    if mad == 0:
        return Fences(method=method, k=k, low=None, high=None)
    reach = k * mad / 0.6745
    return Fences(method=method, k=k, low=round(median - reach, 6), high=round(median + reach, 6))


def lorenz(values: list[float]) -> list[tuple[float, float]]:
    """The Lorenz curve: after the lightest i of n rows, (i/n, their share of the total).

    >>> lorenz([0, 0, 0, 4])
    [(0.0, 0.0), (0.25, 0.0), (0.5, 0.0), (0.75, 0.0), (1.0, 1.0)]
    """
    xs = sorted(values)
    total = float(sum(xs))
    points, running = [(0.0, 0.0)], 0.0
    for i, x in enumerate(xs, 1):
        running += x
        points.append((i / len(xs), running / total if total else i / len(xs)))
    return points


def default_part_counts(
    store: GraphStore, *, by: str, documents: list[str] | None = None
) -> dict[tuple[str, str], int]:
    """(city, name) → how many sub-items each unit, leader or district is on."""
    if by == "leader":
        edges = store.oversight(documents=documents)
        nodes, source = store.nodes(["Leader"]), "leader"
    else:
        edges = store.roles(documents=documents)
        nodes, source = store.nodes(["Unit" if by == "unit" else "District"]), "source"
    parts: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        if e["target"] != e["item"]:
            parts[e[source]].add(e["target"])
    if by == "district":
        governments: dict[str, set[str]] = defaultdict(set)
        for g in store.governs():
            governments[g["district"]] |= parts[g["unit"]]
        parts = governments
    return {(n.get("city") or "", n["name"]): len(parts[n["key"]]) for n in nodes}

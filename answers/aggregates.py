"""Questions over the whole graph: who carries how much."""

from __future__ import annotations

from respgraph.answers.answer import Answer
from respgraph.answers.columns import aggregate_columns, several_cities
from respgraph.graph.protocol import GraphStore
from respgraph.queries.years import year_scope

__all__ = ["workload"]


def workload(
    store: GraphStore,
    *,
    by: str = "unit",
    weights: dict[str, float] | None = None,
    city: str | None = None,
    documents: list[str] | None = None,
    year: int | None = None,
    all_years: bool = False,
    balance_only: bool = False,
) -> Answer:
    """Distinct items per role of every unit, leader or district, the weighted score and how
    evenly it is spread; of one year per city unless ``year`` or ``all_years`` says otherwise.
    ``balance_only``: the balance figures alone.

    >>> from respgraph.ingest import sample_store
    >>> a = workload(sample_store(), by="leader")
    >>> a.rows[0]["name"], a.footer.split(",")[0]
    ('张仁建', '8 leaders')
    """
    from respgraph.queries.workload import workload as query

    scope = year_scope(store, city=city, documents=documents, year=year, all_years=all_years)
    w = query(store, by=by, weights=weights, city=city, documents=scope.documents)
    b = w.balance
    if balance_only:
        return Answer([b.model_dump()], b.model_dump(), head=scope.line, result=w)
    footer = (
        f"{b.count} {by}s, total score {b.total:g}, median {b.median:g}, "
        f"top 10 % hold {b.top10_share:.1%}, Gini {b.gini:.3f} "
        f"(weights lead={w.weights['lead']:g} implement={w.weights['implement']:g} assist={w.weights['assist']:g})"
    )
    data = aggregate_columns([r.model_dump() for r in w.rows], scope, store)
    flat = data if several_cities(store) else [{k: v for k, v in r.items() if k != "city"} for r in data]
    return Answer(flat, data, footer, head=scope.line, result=w)

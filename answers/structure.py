"""Collaboration structure (issue 30): brokerage roles, core and periphery, tie stability —
as the CLI (``brokerage``, ``core``, ``ties``) and the 协作 page's tabs show them."""

from __future__ import annotations

from respgraph.answers.answer import Answer
from respgraph.answers.columns import aggregate_columns, several_cities
from respgraph.graph.protocol import GraphStore
from respgraph.queries.years import year_scope

__all__ = ["brokerage", "core", "ties", "ties_by_year", "TIE_VIEWS"]

#: What ``ties`` lists: the transitions between years, every unit, or every tie.
TIE_VIEWS = ("years", "units", "list")


def _without_city(rows: list[dict], store: GraphStore) -> list[dict]:
    return rows if several_cities(store) else [{k: v for k, v in r.items() if k != "city"} for r in rows]


def brokerage(
    store: GraphStore,
    *,
    city: str | None = None,
    documents: list[str] | None = None,
    year: int | None = None,
    all_years: bool = False,
    by: str = "kind",
) -> Answer:
    """Every unit's brokerage roles on the directed ties, the most brokering first; of one
    year per city unless ``year`` or ``all_years`` says otherwise.  The JSON is a list of
    rows; a person's table adds which roles a unit plays above chance.

    >>> from respgraph.ingest import sample_store
    >>> a = brokerage(sample_store())
    >>> a.data[0]["unit"], a.data[0]["total"], a.table[0]["above chance"]
    ('市发展改革局', 467, 'coordinator、representative')
    """
    from respgraph.queries.brokerage import BROKER_ROLES
    from respgraph.queries.brokerage import brokerage as query

    scope = year_scope(store, city=city, documents=documents, year=year, all_years=all_years)
    b = query(store, by=by, city=city, documents=scope.documents)
    data = aggregate_columns([r.model_dump() for r in b.rows], scope, store)
    flat = _without_city(data, store)
    table = [
        {
            **{k: v for k, v in f.items() if not k.startswith("expected_")},
            "above chance": "、".join(r.above_chance()) or "-",
        }
        for f, r in zip(flat, b.rows)
    ]
    groups = "; ".join(f"{c}: " + ", ".join(f"{g} {n}" for g, n in sizes.items()) for c, sizes in b.groups.items())
    footer = (
        f"{b.units} units, {b.ties} directed ties (lead → implementing or assisting unit); "
        f"{len(b.brokers())} broker at least one pair\n"
        f"groups by {b.by}: {groups or '-'}\n"
        f"above chance: a count above the one expected if groups were dealt out at random "
        f"(Gould & Fernandez 1989); roles: {', '.join(BROKER_ROLES)}"
    )
    return Answer(flat, data, footer, head=scope.line, table=table, result=b)


def core(
    store: GraphStore,
    *,
    city: str | None = None,
    documents: list[str] | None = None,
    year: int | None = None,
    all_years: bool = False,
    seed: int = 42,
    restarts: int = 20,
) -> Answer:
    """Core and periphery of each city's co-responsibility network, core first; of one year
    per city unless ``year`` or ``all_years`` says otherwise.

    >>> from respgraph.ingest import sample_store
    >>> a = core(sample_store())
    >>> a.rows[0]["unit"], a.footer.splitlines()[0]
    ('市自然资源局', '湛江市: core 17 of 127 units, correlation with the ideal pattern 0.691; continuous fit 0.835')
    """
    from respgraph.queries.core_periphery import core_periphery

    scope = year_scope(store, city=city, documents=documents, year=year, all_years=all_years)
    cp = core_periphery(store, city=city, documents=scope.documents, seed=seed, restarts=restarts)
    data = cp.model_dump(mode="json")
    data["rows"] = aggregate_columns(data["rows"], scope, store)
    flat = _without_city(data["rows"], store)
    footer = "\n".join(
        f"{f.city}: core {f.core} of {f.units} units, correlation with the ideal pattern "
        f"{f.correlation:.3f}; continuous fit {f.continuous_fit:.3f}"
        for f in cp.fits
    )
    footer += (
        f"\nBorgatti & Everett (2000), discrete model (core–periphery pairs left out), "
        f"seeded search (seed {cp.seed}, {cp.restarts} random starts)"
    )
    return Answer(flat, data, footer, head=scope.line, result=cp)


def ties(
    store: GraphStore, *, city: str | None = None, documents: list[str] | None = None, view: str = "years", aliases=None
) -> Answer:
    """Ties kept, new and dropped between consecutive years of one city; ``view`` lists the
    transitions (``years``), every unit (``units``) or every tie with its years (``list``).
    The JSON is the whole result, whatever the view.  Names are compared through
    ``aliases`` (:class:`~respgraph.loaders.items.names.Aliases`) as ``carryover``
    compares lead units: by any city's entries (``anywhere``), to compare, never to rename.

    >>> from respgraph.graph.sqlite_store import SqliteStore
    >>> from respgraph.loaders.load import read_tables, sample_path
    >>> store = SqliteStore()
    >>> for year in (2023, 2024):
    ...     for table in read_tables(sample_path(), year=year):
    ...         store.write(table.to_batch())
    >>> a = ties(store)
    >>> a.rows[0]["jaccard"], a.footer.splitlines()[0]
    (1.0, '湛江市 2023–2024: 332 ties in all, 332 in every year')
    """
    from respgraph.queries.tie_stability import city_tables, tie_stability

    if view not in TIE_VIEWS:
        raise ValueError(f"a view of ties is one of {', '.join(TIE_VIEWS)}, not {view!r}")
    docs = [d["key"] for d in city_tables(store, city=city, documents=documents)]
    t = tie_stability(store, documents=docs, same_body=aliases.anywhere if aliases is not None else None)
    if view == "units":
        flat = [u.model_dump() for u in t.units]
    elif view == "list":
        flat = [s.model_dump() for s in t.ties]
    else:
        flat = [
            {**r.model_dump(), "only_before": "、".join(r.only_before), "only_after": "、".join(r.only_after)}
            for r in t.rows
        ]
    flat = _without_city(flat, store)
    always = sum(1 for s in t.ties if s.present == len(t.years))
    footer = f"{t.city} {t.years[0]}–{t.years[-1]}: {len(t.ties)} ties in all, {always} in every year"
    if t.renamed:
        footer += "\nread as one through the alias list: " + "、".join(f"{a} → {b}" for a, b in t.renamed.items())
    unmatched = sorted({n for r in t.rows for n in (*r.only_before, *r.only_after)})
    if unmatched:
        footer += (
            f"\nnamed in one year and not the next (left, new, or renamed without an alias): "
            f"{len(unmatched)} units, see only_before and only_after"
        )
    return Answer(flat, t.model_dump(mode="json"), footer, result=t, width=60 if view == "years" else 40)


def ties_by_year(
    store: GraphStore, *, city: str | None = None, documents: list[str] | None = None, seed: int = 42
) -> list[dict]:
    """What the small multiples of the 关系延续 tab draw, one panel a year of one city: its
    directed ties (``ties``, and ``kept``: those of the year before too), the kinds of the
    units they tie (``kinds``) and the core of that year's co-responsibility network (``core``).

    >>> from respgraph.graph.sqlite_store import SqliteStore
    >>> from respgraph.loaders.load import read_tables, sample_path
    >>> store = SqliteStore()
    >>> for year in (2023, 2024):
    ...     for table in read_tables(sample_path(), year=year):
    ...         store.write(table.to_batch())
    >>> [(p["year"], len(p["ties"]), len(p["kept"]), len(p["core"])) for p in ties_by_year(store)]
    [(2023, 332, 0, 17), (2024, 332, 332, 17)]
    """
    from respgraph.queries.core_periphery import core_periphery
    from respgraph.queries.directed_ties import read_ties
    from respgraph.queries.tie_stability import city_tables

    docs = city_tables(store, city=city, documents=documents)
    weight, kinds, _ = read_ties(store, documents=[d["key"] for d in docs])
    panels: list[dict] = []
    before: set[tuple[str, str]] = set()
    for year in sorted({int(d["year"]) for d in docs}):
        of_year = [d["key"] for d in docs if int(d["year"]) == year]
        ties = sorted((a, b) for (_, y, a, b) in weight if y == year)
        core = [r.unit for r in core_periphery(store, documents=of_year, seed=seed).core()]
        panels.append(
            {
                "year": year,
                "ties": ties,
                "kept": sorted(set(ties) & before),
                "core": core,
                "kinds": {u: kinds[(docs[0]["city"], u)] for t in ties for u in t},
            }
        )
        before = set(ties)
    return panels

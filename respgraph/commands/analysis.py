"""The report's analyses, one command each: ``balance``, ``timeline``, ``deadlines``,
``collaboration``, ``overlap`` and ``quality``.

Each command is one query of :mod:`respgraph.queries` printed by
:func:`~respgraph.commands.output.emit`: the table and the CSV hold the rows of the
result's ``table()``, the very rows ``respgraph report`` writes to its CSV file
of that analysis; JSON is the whole result as the library returns it.  Every
command imports only the query it runs.
"""

from __future__ import annotations

from pathlib import Path

import click

from respgraph.answers.columns import aggregate_columns
from respgraph.commands.options import city_option, doc_option, format_option, weights_option
from respgraph.commands.output import emit
from respgraph.commands.years import aggregate_scope, year_options
from respgraph.graph.errors import RespgraphError, UnknownDocument
from respgraph.graph.vocabulary import ROLES

__all__ = ["ANALYSES", "balance", "timeline", "deadlines", "collaboration", "overlap", "quality"]

top_option = click.option(
    "--top",
    type=click.IntRange(min=1),
    metavar="N",
    help="Show only the first N rows (the figures below the table still cover all).",
)


def _docs(documents: tuple[str, ...]) -> list[str] | None:
    return list(documents) or None


def _show(
    fmt: str,
    result,
    *,
    flat: list[dict] | None = None,
    data: dict | None = None,
    footer: str = "",
    top: int | None = None,
    width: int | None = 40,
    years=None,
) -> None:
    """``result``'s flat rows as a table or CSV, the result itself as JSON; ``top`` cuts both alike.

    ``years`` (``(scope, store)``): rows get the year of their city when several years are loaded."""
    flat = result.table() if flat is None else flat
    data = result.model_dump(mode="json") if data is None else data
    if years is not None:
        flat = aggregate_columns(flat, *years)
        if isinstance(data.get("rows"), list) and data["rows"] and isinstance(data["rows"][0], dict):
            data["rows"] = aggregate_columns(data["rows"], *years)
    if top:
        flat = flat[:top]
        if isinstance(data.get("rows"), list):
            data["rows"] = data["rows"][:top]
    emit(fmt, flat=flat, data=data, footer=footer, width=width)


def _names(rows, n: int = 5, *, cities: bool = False) -> str:
    shown = "、".join(f"{r.city + ':' if cities else ''}{r.name} {r.score:g}" for r in rows[:n])
    return shown + (f" and {len(rows) - n} more" if len(rows) > n else "")


@click.command()
@click.option("--by", type=click.Choice(["unit", "leader", "district"]), default="unit", show_default=True)
@weights_option
@click.option(
    "--outliers",
    "method",
    type=click.Choice(["tukey", "mad"]),
    default="tukey",
    show_default=True,
    help="How a load far from the rest is found: Tukey's fences or the robust z-score.",
)
@click.option(
    "--k",
    type=click.FloatRange(min=0, min_open=True),
    help="The rule's constant [default: 1.5 IQR for tukey, 3.5 for mad].",
)
@top_option
@year_options
@city_option
@doc_option
@format_option
@click.pass_obj
def balance(state, by, weights, method, k, top, year, all_years, city, documents, fmt):
    """Workload of every unit, leader or district with its sub-items, how evenly it
    is spread, and who stands far from the rest (position high or low).

    The rows of the report's workload-units.csv (--by unit), workload-leaders.csv
    and workload-districts.csv.  via_group (items reached only through a group)
    is never scored.
    """
    from respgraph.queries.balance import load_balance

    store = state.query_store()
    scope = aggregate_scope(store, fmt, city=city, documents=documents, year=year, all_years=all_years)
    b = load_balance(store, by=by, weights=weights, method=method, k=k, city=city, documents=scope.documents)
    s, f = b.balance, b.fences
    cities = len({r.city for r in b.rows}) > 1
    bounds = f"[{'-' if f.low is None else f'{f.low:g}'}, {'-' if f.high is None else f'{f.high:g}'}]"
    footer = (
        f"{s.count} {by}s, total score {s.total:g}, median {s.median:g}, top 10 % hold {s.top10_share:.1%}, "
        f"Gini {s.gini:.3f} (with items reached through groups: Gini {b.with_groups.gini:.3f})\n"
        f"{f.method} fences (k={f.k:g}) {bounds}: {len(b.high)} high"
        + (f" ({_names(b.high, cities=cities)})" if b.high else "")
        + f", {len(b.low)} low"
        + (f" ({_names(b.low, cities=cities)})" if b.low else "")
    )
    _show(fmt, b, footer=footer, top=top, years=(scope, store))


@click.command()
@click.option("--by", type=click.Choice(["unit", "leader"]), default="unit", show_default=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(ROLES),
    help="The roles in which a unit carries an item's targets; repeatable [default: implement]. "
    "Units only: a leader carries the targets of the items they oversee.",
)
@top_option
@year_options
@city_option
@doc_option
@format_option
@click.pass_obj
def timeline(state, by, roles, top, year, all_years, city, documents, fmt):
    """Quarterly targets (季度工作目标) every unit or leader carries, per quarter.

    A target labelled with several quarters counts in each; one with no quarter
    label counts as undated.  via_group_*: targets a unit reaches only through a
    group.  The rows of the report's quarters-units.csv and quarters-leaders.csv.
    """
    from respgraph.queries.timeline import quarterly_load

    if roles and by != "unit":
        raise RespgraphError("--role is for --by unit: a leader carries the targets of every item they oversee")
    store = state.query_store()
    scope = aggregate_scope(store, fmt, city=city, documents=documents, year=year, all_years=all_years)
    load = quarterly_load(store, by=by, roles=tuple(roles) or ("implement",), city=city, documents=scope.documents)
    carriers = f"no {'/'.join(load.roles)} unit" if by == "unit" else "no leader"
    footer = (
        f"{len(load.rows)} {by}s; targets in all: "
        + ", ".join(f"Q{q} {n}" for q, n in enumerate(load.totals, 1))
        + f", undated {load.undated}; {load.unassigned} carried by {carriers} directly"
    )
    _show(fmt, load, footer=footer, top=top, years=(scope, store))


@click.command()
@city_option
@doc_option
@format_option
@click.pass_obj
def deadlines(state, city, documents, fmt):
    """Items per deadline month, in month order; numbers read 附件-序号 (1-53).

    The rows of the report's deadlines.csv; --format json also gives every item's id.
    """
    from respgraph.queries.timeline import deadlines as query

    d = query(state.query_store(), city=city, documents=_docs(documents))
    total = sum(r.count for r in d.rows)
    undated = sum(r.count for r in d.rows if not r.month)
    footer = f"{total} items in {len(d.rows) - bool(undated)} months" + (
        f", {undated} without a deadline" if undated else ""
    )
    _show(fmt, d, footer=footer, width=60)


@click.command()
@click.option(
    "--seed",
    type=int,
    default=42,
    show_default=True,
    help="Seed of the community detection (and of the betweenness estimate on large networks).",
)
@click.option(
    "--resolution",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="Louvain's resolution: above 1 gives more, smaller communities.",
)
@click.option(
    "--core-min-shared",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Shared items that make a tie repeated, for core and periphery.",
)
@click.option(
    "--communities",
    "show_communities",
    is_flag=True,
    help="List the communities and their members instead of the units.",
)
@click.option(
    "--position",
    type=click.Choice(["core", "middle", "periphery"]),
    help="Only the units in this position, most connected first.",
)
@top_option
@year_options
@city_option
@doc_option
@format_option
@click.pass_obj
def collaboration(
    state, seed, resolution, core_min_shared, show_communities, position, top, year, all_years, city, documents, fmt
):
    """The co-responsibility network of units: degree, brokers (betweenness),
    communities (Louvain, seeded) and core/periphery (k-cores of repeated ties).

    Units come strongest broker first: the rows of the report's
    network-units.csv; --communities gives those of communities.csv.
    """
    from respgraph.queries.collaboration import collaboration as query

    if show_communities and position:
        raise RespgraphError("--position picks units: it does not go with --communities")
    store = state.query_store()
    scope = aggregate_scope(store, fmt, city=city, documents=documents, year=year, all_years=all_years)
    c = query(
        store, seed=seed, resolution=resolution, core_min_shared=core_min_shared, city=city, documents=scope.documents
    )
    estimate = f"estimated from {c.betweenness_sample} units" if c.betweenness_sample else "exact"
    footer = (
        f"{c.units} units, {c.ties} ties (density {c.density:g}), betweenness {estimate}; "
        f"{len(c.communities)} communities (modularity {c.modularity:g}, seed {c.seed})\n"
        f"core: {len(c.of('core'))} units (the {c.core_k}-core of ties of >= {c.core_min_shared} shared items), "
        f"middle {len(c.of('middle'))}, periphery {len(c.of('periphery'))}"
    )
    if show_communities:
        data = c.model_dump(mode="json", exclude={"rows"})
        data["communities"] = data["communities"][:top]  # --top cuts what the table shows
        _show(
            fmt,
            c,
            flat=[m.model_dump() for m in c.communities],
            data=data,
            footer=footer,
            top=top,
            years=(scope, store),
        )
        return
    if position:
        rows = c.of(position)
        data = c.model_dump(mode="json")
        data["rows"] = [r.model_dump(mode="json") for r in rows]
        _show(fmt, c, flat=[r.model_dump() for r in rows], data=data, footer=footer, top=top, years=(scope, store))
        return
    _show(fmt, c, footer=footer, top=top, years=(scope, store))


@click.command()
@click.option(
    "--units",
    "unit_rows",
    is_flag=True,
    help="Rows leader × unit instead: the items of each leader every unit is named on, and in what roles.",
)
@top_option
@year_options
@city_option
@doc_option
@format_option
@click.pass_obj
def overlap(state, unit_rows, top, year, all_years, city, documents, fmt):
    """Pairs of leaders whose portfolios rest on the same units, most shared units
    first (jaccard = shared / either's units).

    The rows of the report's leader-overlap.csv; --units gives those of
    leader-units.csv.  Groups (各县（市、区）政府（管委会）) are not units and are left out.
    """
    from respgraph.queries.overlap import leader_units

    store = state.query_store()
    scope = aggregate_scope(store, fmt, city=city, documents=documents, year=year, all_years=all_years)
    lu = leader_units(store, city=city, documents=scope.documents)
    if unit_rows:
        footer = f"{len(lu.leaders())} leaders, {len(lu.units())} units, {len(lu.rows)} leader-unit pairs"
        _show(fmt, lu, footer=footer, top=top, years=(scope, store))
        return
    pairs = lu.overlap()  # what leader_overlap() returns, from the rows already read
    footer = f"{len(pairs.rows)} pairs of the {len(lu.leaders())} leaders share at least one unit"
    _show(fmt, pairs, footer=footer, top=top, years=(scope, store))


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@city_option
@doc_option
@format_option
@click.pass_obj
def quality(state, files, city, documents, fmt):
    """What the source tables get wrong or leave implicit, serious notes first
    (wrong deadline year, no implementing unit, similar names …), with line numbers.

    The notes are about FILE (several may be given), not about the graph, which
    keeps only what they led to; without FILE, the bundled sample when the graph
    holds it.  The rows of the report's quality.csv.  --city and --doc keep the
    tables of that city or those documents.
    """
    from respgraph.graph.text import clean_name
    from respgraph.loaders.load import build_tables, read_raw, read_tables, sample_path
    from respgraph.queries.lookup import find_document, scope
    from respgraph.queries.quality import quality as query

    docs = _docs(documents)
    if files:
        # Leniently, as `check` reads: a file that names no city or year still has notes.
        tables = [t for p in files for t in build_tables(read_raw(p), aliases=state.aliases(), lenient=True)]
        if city is not None:
            city = clean_name(city)
            of_city = [t for t in tables if t.document.city == city]
            if not of_city:
                cities = "、".join(dict.fromkeys(t.document.city for t in tables))
                raise RespgraphError(f"none of the tables read is of {city}: they are of {cities}")
            tables = of_city
        if docs:
            listed = [{"key": t.document.key, "title": t.document.title} for t in tables]
            try:
                keys = {find_document(listed, d) for d in docs}
            except UnknownDocument as exc:
                read = ", ".join(f"{t.document.key} ({t.document.title})" for t in tables)
                raise RespgraphError(
                    f"{exc.selector!r} names no one table of the files read; they are: {read}"
                ) from None
            tables = [t for t in tables if t.document.key in keys]
    else:
        store = state.query_store()
        keys = scope(store, city=city, documents=docs)
        sample = sample_path()
        held = [
            d["key"] for d in store.documents() if d.get("source") == sample.name and (keys is None or d["key"] in keys)
        ]
        if not held:
            loaded = "、".join(
                dict.fromkeys(
                    d.get("source") or d["key"] for d in store.documents() if keys is None or d["key"] in keys
                )
            )
            raise RespgraphError(
                f"quality reads source files, not the graph: give them (the graph was loaded "
                f"from {loaded}), e.g. respgraph quality {loaded.split('、')[0]}"
            )
        tables = [t for t in read_tables(sample, aliases=state.aliases()) if t.document.key in held]
    q = query(tables)
    attachments: dict[str, list[str]] = {}
    for t in tables:
        attachments.setdefault(t.document.source, []).append(str(t.document.attachment))
    read = "; ".join(f"{source} (附件 {', '.join(a)})" for source, a in attachments.items())
    serious = {n.kind for n in q.serious()}
    named = [
        ", ".join(f"{kind} {n}" for kind, n in q.counts.items() if (kind in serious) == first)
        for first in (True, False)
    ]
    footer = f"{len(q.rows)} notes on {read}: " + (
        "; ".join(filter(None, [named[0] and named[0] + " (serious)", named[1]])) or "none"
    )
    _show(fmt, q, footer=footer, width=100)


#: Registered on the ``respgraph`` group by :mod:`respgraph.commands.main`.
ANALYSES = (balance, timeline, deadlines, collaboration, overlap, quality)

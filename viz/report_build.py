"""The report's assembly: run every analysis once, then write the report, its pages and CSV files.

:func:`build_report` is the whole job of ``respgraph report``; :func:`gather_report`
its data, nothing written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from respgraph.graph.protocol import GraphStore
from respgraph.queries.result import fewer_collections

__all__ = ["build_report", "gather_report", "CSV_FILES", "PROGRESS_CSV_FILES", "YEARS_CSV_FILES"]

#: File name → what it holds, in the order the report lists them.
CSV_FILES = {
    "workload-units.csv": "单位工作量（各角色事项数、子项目、经集合名称、指数、是否显著偏高）",
    "workload-leaders.csv": "市领导工作量",
    "workload-districts.csv": "县（市、区）工作量",
    "quarters-units.csv": "实施单位各季度目标数",
    "quarters-leaders.csv": "市领导各季度目标数",
    "deadlines.csv": "各月份到期事项",
    "network-units.csv": "协作网络中各单位的度、中介中心性、群体与核心/外围",
    "communities.csv": "协作群体及成员",
    "co-pairs.csv": "共同承担事项的单位对",
    "brokerage.csv": "各单位的中介角色（协调人、顾问、守门人、代理人、联络人）及随机期望",
    "core-periphery.csv": "核心与外围：各单位的位置与核心度",
    "leader-units.csv": "市领导 × 单位",
    "leader-overlap.csv": "市领导之间共同依赖的单位",
    "quality.csv": "源表数据质量问题",
}
#: Written only when progress reports are loaded (issue #12).
PROGRESS_CSV_FILES = {
    "status-items.csv": "各事项最新进展、逾期与预警（督办进展）",
    "status-leaders.csv": "各市领导分管事项的进展统计",
}
#: Written only when a city reported on has tables of two years or more (issue 30).
YEARS_CSV_FILES = {"tie-stability.csv": "逐年比较：保留、新增、消失的协作关系"}
#: The interactive network page shows at most this many pairs, the strongest.
MAX_PAIRS = 2000
#: Portfolio pages written, for the leaders with the highest workload score: each
#: page carries vis-network (0.7 MB), and a province has hundreds of leaders.
MAX_PORTFOLIO_PAGES = 30


def build_report(
    store: GraphStore,
    out: Path,
    *,
    weights: dict[str, float] | None = None,
    documents: list[str] | None = None,
    method: str = "tukey",
    seed: int = 42,
    tables=None,
    generated: dt.date | None = None,
    pictures: tuple[str, ...] = (),
    stages: dict[str, float] | None = None,
) -> list[Path]:
    """Run every analysis on ``store`` and write the report, its pages and CSV files into ``out``.

    ``tables`` (the loader's tables of the source files) feed the data-quality
    section; without them it says how to get it.  ``pictures`` (``png``,
    ``svg``) also writes each chart into ``out/charts``.  The report is drawn
    before anything is written, so a chart that cannot be drawn leaves no CSV
    files behind.  ``stages``, when given, receives the seconds each stage took
    (``scripts/bench_report`` prints them).  Returns the files written,
    ``report.html`` first.
    """
    from respgraph.viz.files import write_file
    from respgraph.viz.formats import csv_bytes
    from respgraph.viz.report import write_report
    from respgraph.viz.timing import Stages

    stage = Stages(stages)
    with fewer_collections():  # millions of small objects beside a large graph (queries.result)
        data, frames = gather_report(
            store,
            weights=weights,
            documents=documents,
            method=method,
            seed=seed,
            tables=tables,
            generated=generated,
            stages=stages,
        )
        data.csv_files += [
            (CSV_FILES.get(name) or PROGRESS_CSV_FILES.get(name) or YEARS_CSV_FILES[name], name) for name in frames
        ]
        written = write_report(data, out, pictures=pictures, stages=stages)
        with stage("write the CSV files"):
            written += [write_file(out / name, csv_bytes(rows)) for name, rows in frames.items()]
    return written


def gather_report(
    store: GraphStore,
    *,
    weights: dict[str, float] | None = None,
    documents: list[str] | None = None,
    method: str = "tukey",
    seed: int = 42,
    tables=None,
    generated: dt.date | None = None,
    stages: dict[str, float] | None = None,
):
    """The report's data and its CSV tables (file name → rows), nothing written.

    Each query runs once; ``stages`` as in :func:`build_report`.
    """
    from respgraph.queries.balance import load_balance
    from respgraph.queries.collaboration import co_network, collaboration_of
    from respgraph.queries.overlap import leader_units
    from respgraph.queries.portfolio import portfolio
    from respgraph.queries.quality import quality
    from respgraph.queries.rows import PairRow
    from respgraph.queries.timeline import deadlines, quarterly_load
    from respgraph.viz.report import ReportData
    from respgraph.viz.timing import Stages

    stage = Stages(stages)
    with stage("query: documents, counts"):
        sources, counts = store.documents(), store.counts()[0]
        if documents is not None:  # issue 22: the title and sources name the years reported on, not all loaded
            from respgraph.queries.lookup import scope

            keys = set(scope(store, documents=documents) or ())  # a list, as documents are named
            sources = [d for d in sources if d["key"] in keys]
    with stage("query: load_balance ×3"):
        loads = {
            by: load_balance(store, by=by, weights=weights, documents=documents, method=method)
            for by in ("unit", "leader", "district")
        }
    with stage("query: co_network"):
        network = co_network(store, documents=documents)
    with stage("query: collaboration_of"):
        collab = collaboration_of(network, seed=seed)
    with stage("pairs"):
        # Plain tuples: a row object for each of 200,000 pairs took 2 s; only the
        # pairs the network page draws become rows.
        pairs = sorted(
            (-d["weight"], min(a, b), max(a, b), network.nodes[a]["city"]) for a, b, d in network.edges(data=True)
        )
        shown, pairs_note = _strongest(pairs)
        pair_rows = [PairRow(a=a, b=b, city=city, shared=-weight) for weight, a, b, city in shown]
    with stage("query: brokerage, core and periphery, tie stability"):
        structure = _structure(store, documents, sources, seed=seed)  # issue 30
    with stage("query: leader_units, overlap"):
        lu = leader_units(store, documents=documents)
        overlap = lu.overlap()
    with stage("query: quarterly_load ×2"):
        unit_quarters = quarterly_load(store, by="unit", documents=documents)
        leader_quarters = quarterly_load(store, by="leader", documents=documents)
    with stage("query: deadlines"):
        due = deadlines(store, documents=documents)
    with stage("query: unit_kinds"):
        kinds = _kinds(store, network, documents)
    with stage("query: portfolio per leader"):
        # By city too: every city of a corpus may have its own 领导 of the same name.
        drawn = [r for r in loads["leader"].rows if r.items][:MAX_PORTFOLIO_PAGES]
        portfolios = [portfolio(store, r.name, city=r.city or None, documents=documents) for r in drawn]
    with stage("quality"):
        checked = quality(tables) if tables is not None else None
    data = ReportData(
        title=_title(sources),
        sources=sources,
        counts=counts,
        units=loads["unit"],
        leaders=loads["leader"],
        districts=loads["district"],
        unit_quarters=unit_quarters,
        leader_quarters=leader_quarters,
        deadlines=due,
        network=collab,
        leader_units=lu,
        overlap=overlap,
        quality=checked,
        pairs=pair_rows,
        pairs_note=pairs_note,
        kinds=kinds,
        portfolios=portfolios,
        generated=generated or dt.date.today(),
        structure=structure,
    )
    with stage("CSV tables"):
        frames = {
            "workload-units.csv": data.units.table(),
            "workload-leaders.csv": data.leaders.table(),
            "workload-districts.csv": data.districts.table(),
            "quarters-units.csv": data.unit_quarters.table(),
            "quarters-leaders.csv": data.leader_quarters.table(),
            "deadlines.csv": data.deadlines.table(),
            "network-units.csv": collab.table(),
            "communities.csv": [c.model_dump() for c in collab.communities],
            "co-pairs.csv": [{"a": a, "b": b, "city": city, "shared": -weight} for weight, a, b, city in pairs],
            "leader-units.csv": lu.table(),
            "leader-overlap.csv": data.overlap.table(),
            "brokerage.csv": structure.brokerage.table(),
            "core-periphery.csv": structure.core.table(),
        }
        if structure.stability:
            frames["tie-stability.csv"] = [
                r.model_dump() | {"only_before": "、".join(r.only_before), "only_after": "、".join(r.only_after)}
                for t in structure.stability
                for r in t.rows
            ]
        if data.quality is not None:
            frames["quality.csv"] = data.quality.table()
    with stage("query: progress"):
        data.progress = _progress(store, documents)  # issue #12
    if data.progress is not None:
        frames["status-items.csv"] = [r.public() for r in data.progress.items]
        frames["status-leaders.csv"] = [r.model_dump(mode="json") for r in data.progress.leaders]
    return data, frames


def _structure(store: GraphStore, documents, sources, *, seed: int):
    """Issue 30's data: brokerage and core of the documents reported on, and the ties of
    every city reported on across all its years loaded (which is what lasting means)."""
    from respgraph.queries.brokerage import brokerage
    from respgraph.queries.core_periphery import core_periphery
    from respgraph.queries.tie_stability import tie_stability_by_city
    from respgraph.viz.structure_section import StructureData

    cities = {d["city"] for d in sources}
    stability, one_year = tie_stability_by_city(
        store, documents=None if documents is None else [d["key"] for d in store.documents() if d["city"] in cities]
    )
    return StructureData(
        brokerage=brokerage(store, documents=documents),
        core=core_periphery(store, documents=documents, seed=seed),
        stability=stability,
        one_year=one_year,
    )


def _progress(store: GraphStore, documents):
    """The 督办进展 section's data, or None when no progress report is loaded."""
    from respgraph.queries.status import item_status, latest_report_date, status_rollup, status_trend
    from respgraph.viz.status_section import ProgressData

    as_of = latest_report_date(store)
    if as_of is None:
        return None
    return ProgressData(
        as_of=as_of,
        leaders=status_rollup(store, by="leader", as_of=as_of, documents=documents),
        units=status_rollup(store, by="unit", as_of=as_of, documents=documents),
        trend=status_trend(store, as_of=as_of, documents=documents),
        items=item_status(store, as_of=as_of, documents=documents),
    )


def _strongest(pairs: list[tuple]) -> tuple[list[tuple], str]:
    """At most :data:`MAX_PAIRS` pairs, by raising the shared-items floor: a page
    with tens of thousands of lines would neither load nor read.  ``pairs`` are
    ``(-shared, a, b, city)``, the strongest first."""
    floor = 1
    shown = pairs
    while len(shown) > MAX_PAIRS:
        floor += 1
        shown = [p for p in pairs if -p[0] >= floor]
    note = (
        (
            f"交互式网络图只画共同承担至少 {floor} 项的 {len(shown)} 对单位（共 {len(pairs)} 对），"
            "以免图面过密；分析基于全部关系。"
        )
        if floor > 1
        else ""
    )
    return shown, note


def _kinds(store: GraphStore, network, documents) -> dict[str, str]:
    try:  # the graph pages colour groups too when the overview query is there
        from respgraph.queries.overview import unit_kinds

        return unit_kinds(store, documents=documents)
    except ImportError:
        return {n: d.get("kind", "") for n, d in network.nodes(data=True)}


def _title(documents: list[dict]) -> str:
    places = sorted({f"{d['city']} {d['year']} 年" for d in documents})
    return f"{'、'.join(places) or '责任分工'} 责任分工分析报告"

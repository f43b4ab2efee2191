"""The analyst's report: one self-contained HTML page in Chinese, for the mayor's office.

:func:`write_report` takes what the queries returned (a :class:`ReportData`),
draws the charts (:mod:`respgraph.viz.charts`), saves the interactive pages of
:mod:`respgraph.viz.network_pages` beside it and writes ``report.html``.  It reads no
store.  Every chart is an embedded SVG and the styles are inline, so the page
makes no request of its own; the interactive pages and CSV files are links.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from respgraph.viz import charts
from respgraph.viz.style import KIND_TEXT

__all__ = ["ReportData", "write_report", "report_html", "summary", "REPORT_FILE"]

REPORT_FILE = "report.html"
DISTRICT_KIND = {"county": "县", "county_city": "县级市", "district": "区", "zone": "功能区"}
POSITION_ZH = {"core": "核心", "middle": "中间", "periphery": "外围"}
TOP = 20  # rows per table in the page; the CSV files hold them all
# Charts whose rows or columns grow with the corpus (a province has hundreds of
# leaders and districts) draw the largest few and say so; the CSV files hold all.
#: Bars in the districts' chart.
DISTRICT_BARS = 40
#: Leaders with a colour of their own in the quarterly chart; more are drawn as one "other" band.
QUARTER_LEADERS = 8
#: Leaders (columns) in the leader × unit heat map: 12 keep it within 10.6 in, which --png shrinks to A4 still legible.
HEATMAP_LEADERS = 12


@dataclass
class ReportData:
    """Everything the report shows, as the queries returned it."""

    title: str
    sources: list[dict]
    #: Nodes per label, as ``store.counts()[0]``.
    counts: dict[str, int]
    units: Any  # LoadBalance by unit
    leaders: Any  # LoadBalance by leader
    districts: Any  # LoadBalance by district
    unit_quarters: Any  # QuarterLoad by unit
    leader_quarters: Any  # QuarterLoad by leader
    deadlines: Any
    network: Any  # Collaboration
    leader_units: Any
    overlap: Any  # LeaderOverlap
    quality: Any | None  # Quality, or None when no source file was read
    pairs: list = field(default_factory=list)  # PairRow, for the network page
    kinds: dict[str, str] = field(default_factory=dict)
    portfolios: list = field(default_factory=list)
    #: (what it holds, file name) of the CSV files written beside the report.
    csv_files: list[tuple[str, str]] = field(default_factory=list)
    #: A note on how the network page was thinned, when it was.
    pairs_note: str = ""
    generated: dt.date | None = None
    #: issue #12: a ProgressData (viz/status_section.py) when progress reports are loaded.
    progress: Any | None = None
    #: issue 30: a StructureData (viz/structure_section.py): brokerage, core and periphery, tie stability.
    structure: Any | None = None


def write_report(
    data: ReportData, out: Path, *, pictures: tuple[str, ...] = (), stages: dict[str, float] | None = None
) -> list[Path]:
    """Write ``report.html`` and the interactive pages into ``out``, and each chart
    as ``charts/fig-NN-….png`` or ``.svg`` for every format in ``pictures``; the
    files written.  Everything is drawn before the first file is written.
    ``stages``, when given, receives the seconds each stage took."""
    from respgraph.viz.files import ensure_folder, write_file
    from respgraph.viz.timing import Stages

    stage = Stages(stages)
    pages = _pages(data, stage)
    figures = _Figures()
    with stage("report.html (charts as SVG)"):
        text = report_html(data, [(t, name) for t, name, _ in pages], figures=figures)
    with stage("charts as files"):
        pictures_made = [
            (f"{key}.{fmt}", charts.chart_bytes(figure, fmt)) for fmt in pictures for key, _, figure in figures.drawn
        ]
    with stage("write report and pages"):
        ensure_folder(out)
        written = [write_file(out / REPORT_FILE, text)]
        written += [page.save(out / name) for _, name, page in pages]
        if pictures_made:
            folder = ensure_folder(out / "charts")
            written += [write_file(folder / name, data_) for name, data_ in pictures_made]
    return written


def _pages(data: ReportData, stage) -> list[tuple[str, str, Any]]:
    """(link text, file name, page) of the interactive pages beside the report."""
    from respgraph.viz.network_pages import co_page, portfolio_page

    pages = []
    if data.pairs:
        # Coloured by kind: the page's own Louvain, on the drawn pairs, need not
        # number the communities as the report does.
        with stage("page: network"):
            pages.append(
                (
                    "单位协同网络（按单位类型着色）",
                    "network.html",
                    co_page(data.pairs, kinds=data.kinds, sources=data.sources, drawn=data.generated),
                )
            )
    statuses = (
        {r.id: "overdue" if r.overdue else r.status for r in data.progress.items} if data.progress is not None else None
    )  # overdue drawn apart from no report
    cities = len({s.get("city") for s in data.sources}) > 1
    for i, p in enumerate(data.portfolios, 1):
        with stage("pages: portfolio per leader"):
            pages.append(
                (
                    f"{p.city + ' ' if cities and p.city else ''}{p.leader} 分管事项",
                    f"portfolio-{i:02d}.html",
                    portfolio_page(p, sources=data.sources, kinds=data.kinds, drawn=data.generated, statuses=statuses),
                )
            )
    return pages


# -- the page ------------------------------------------------------------------------


def report_html(data: ReportData, links: list[tuple[str, str]], *, figures: _Figures | None = None) -> str:
    """The report page; ``links`` are (text, file) of the interactive pages beside it."""
    figures = figures if figures is not None else _Figures()
    sections = [
        ("balance", "一、工作量是否均衡", _balance(data, figures)),
        ("year", "二、全年节奏：各季度目标与完成时限", _year(data, figures)),
        ("network", "三、协作结构：谁和谁共同承担", _network(data, links)),
        ("leaders", "四、市领导分管与共同依赖的单位", _leaders(data, figures)),
        ("quality", "五、数据质量", _quality(data)),
        *([("progress", "六、督办进展", _progress_body(data, figures))] if data.progress is not None else []),
        ("files", "附：交互图与数据文件", _files(data, links)),
    ]
    body = [
        f"<header><h1>{_e(data.title)}</h1><p class='meta'>{_e(_sources_line(data))}</p></header>",
        _section(
            "summary", "摘要", "<ul class='summary'>" + "".join(f"<li>{_e(s)}</li>" for s in summary(data)) + "</ul>"
        ),
        _toc([(key, title) for key, title, _ in sections]),
        *(_section(key, title, content) for key, title, content in sections),
    ]
    return _PAGE.format(title=_e(data.title), style=_STYLE, body="\n".join(body))


class _Figures:
    """Numbers the figures in the order they appear, and keeps them for ``--png``/``--svg``.

    ``draw`` is called only when there is something to draw; otherwise the
    figure says which data it lacks (a city's table may have no quarterly
    targets, or one leader only).
    """

    def __init__(self):
        self.count = 0
        self.drawn: list[tuple[str, str, Any]] = []  # (key, caption, matplotlib figure)

    def __call__(self, draw, *, key: str, caption: str, method: str, empty: str = "") -> str:
        """``draw``: a function that draws the figure, or the figure itself."""
        self.count += 1
        if empty:
            return (
                f"<figure id='fig-{key}'><p class='empty'>{_e(empty)}</p>"
                f"<figcaption><b>图 {self.count}　{_e(caption)}</b></figcaption></figure>"
            )
        figure = draw() if callable(draw) else draw
        self.drawn.append((f"fig-{self.count:02d}-{key}", caption, figure))
        alt = f"图 {self.count} {caption}"
        return (
            f"<figure id='fig-{key}'><img class='chart' alt='{_e(alt)}' src='{charts.svg_data_uri(figure)}'>"
            f"<figcaption><b>图 {self.count}　{_e(caption)}</b><br>方法：{_e(method)}</figcaption></figure>"
        )


def _balance(data: ReportData, fig: _Figures) -> str:
    u, lead, dist = data.units, data.leaders, data.districts
    w = u.weights
    weights = f"牵头×{w['lead']:g} + 实施×{w['implement']:g} + 协办×{w['assist']:g}"
    parts = [
        fig(
            lambda: charts.role_bars(u.rows, title=f"工作量指数最高的 {min(25, len(u.rows))} 个单位", weights=w),
            key="units",
            empty="" if u.rows else "本节无数据：没有被直接点名的单位。",
            caption="单位工作量指数（按角色堆叠）",
            method=f"条长为工作量指数 = {weights}，按牵头、实施、协办三部分堆叠，并按指数排序；"
            f"条末为指数，括号内为仅经由集合名称（如“各县（市、区）政府（管委会）”）涉及、不计入指数的事项数。"
            f"同一事项兼任两个角色各计一次；红色名称为显著偏高的单位。",
        ),
        _balance_table(u, "单位"),
        fig(
            lambda: charts.lorenz_chart(
                {
                    k: v
                    for k, v in {
                        "单位": (u.lorenz, u.balance.gini),
                        "市领导": (lead.lorenz, lead.balance.gini),
                        "县（市、区）": (dist.lorenz, dist.balance.gini),
                    }.items()
                    if v[0]
                },
                title="工作量分布的洛伦兹曲线",
            ),
            key="lorenz",
            empty="" if u.lorenz or lead.lorenz or dist.lorenz else "本节无数据：没有可比较的工作量。",
            caption="洛伦兹曲线",
            method="各对象按工作量指数由低到高排列，横轴为对象累计占比，纵轴为其指数累计占比；"
            "曲线离对角线越远越不均衡，基尼系数为对角线与曲线之间面积的两倍。",
        ),
        _spread_table(data),
        fig(
            lambda: charts.role_bars(
                dist.rows,
                title="各县（市、区）工作量指数" + _of_all(len(dist.rows), DISTRICT_BARS, "个"),
                top=DISTRICT_BARS,
                weights=w,
            ),
            key="districts",
            empty=""
            if dist.rows
            else "本节无数据：表中没有县（市、区）政府或功能区管委会，也没有“各县（市、区）”等集合名称。",
            caption="县（市、区）工作量指数：直接点名的部分" + _of_all(len(dist.rows), DISTRICT_BARS, "个"),
            method=f"区县政府或管委会被直接点名的事项按角色折算为指数（{weights}）后堆叠；括号内为只经由"
            "“各县（市、区）政府（管委会）”等集合名称下达的事项数，单独列出，不计入指数。",
        ),
        "<h3>市领导</h3>",
        _balance_table(lead, "市领导", leader=True),
        f"<p class='note'>{_e(_fence_text(u.fences))}</p>",
    ]
    return "\n".join(parts)


def _balance_table(b, what: str, *, leader: bool = False) -> str:
    head = (
        [what, "分管事项", "子项目", "牵头单位数", "实施单位数", "协办单位数", "指数", ""]
        if leader
        else [what, "类型", "事项", "子项目", "牵头", "实施", "协办", "经集合名称", "指数", ""]
    )
    rows = []
    for r in b.rows[:TOP]:
        flag = {"high": "显著偏高", "low": "显著偏低"}.get(r.position, "")
        if leader:
            rows.append([r.name, r.items, r.parts, r.lead, r.implement, r.assist, f"{r.score:g}", flag])
        else:
            rows.append(
                [
                    r.name,
                    _kind(r.kind),
                    r.items,
                    r.parts,
                    r.lead,
                    r.implement,
                    r.assist,
                    r.via_group,
                    f"{r.score:g}",
                    flag,
                ]
            )
    more = f"（共 {len(b.rows)} 个，表中列出前 {TOP} 个；完整数据见 CSV 文件）" if len(b.rows) > TOP else ""
    note = "市领导一行的牵头/实施/协办为其分管事项上各角色的不同单位数（需协调的单位）。" if leader else ""
    return _table(head, rows, numeric=range(2 if not leader else 1, len(head) - 1)) + (
        f"<p class='note'>{_e(note + more)}</p>" if note or more else ""
    )


def _spread_table(data: ReportData) -> str:
    rows = []
    for label, b in (("单位", data.units), ("市领导", data.leaders), ("县（市、区）", data.districts)):
        s, g = b.balance, b.with_groups
        high = "、".join(r.name for r in b.high[:8]) + ("等" if len(b.high) > 8 else "")
        rows.append(
            [label, s.count, f"{s.median:g}", _pct(s.top10_share), f"{s.gini:.3f}", f"{g.gini:.3f}", high or "无"]
        )
    return _table(
        ["对象", "个数", "指数中位数", "前 10% 所占份额", "基尼系数", "含集合名称的基尼系数", "显著偏高"],
        rows,
        numeric=range(1, 6),
    )


def _fence_text(f) -> str:
    if f.method == "tukey":
        rule = (
            f"Tukey 围栏：高于上四分位数 + {f.k:g}×四分位距（单位为 {_num(f.high)}）为显著偏高，"
            f"低于下四分位数 − {f.k:g}×四分位距（单位为 {_num(f.low)}）为显著偏低"
        )
    else:
        rule = (
            f"稳健 z 分数：|0.6745×(指数 − 中位数)/MAD| > {f.k:g}（单位指数高于 {_num(f.high)} 或低于 {_num(f.low)}）"
        )
    return f"“显著偏高/偏低”的判定：{rule}。多数单位只承担一两项任务，下界通常小于零，因此一般没有单位被判为显著偏低。"


def _year(data: ReportData, fig: _Figures) -> str:
    lq, uq, d = data.leader_quarters, data.unit_quarters, data.deadlines
    series, others = _quarter_series(lq.rows)
    top_units = uq.rows[:20]
    parts = [
        fig(
            lambda: charts.quarter_bars(series, title="各季度工作目标数（按分管市领导）"),
            key="quarters",
            empty="" if any(any(v) for v in series.values()) else "本节无数据：源表没有分季度的工作目标。",
            caption="全年各季度的目标数",
            method="按季度统计“季度工作目标”条数，按事项或子项目的分管市领导堆叠；"
            "跨季度的目标（如“第一、二季度”）在所跨的每个季度各计一次。"
            + (
                f"目标最多的 {QUARTER_LEADERS} 位市领导各占一段，其余 {others} 位合为“其他”一段"
                f"（共 {len(lq.rows)} 位；各位的数字见 quarters-leaders.csv）。"
                if others
                else ""
            ),
        ),
        fig(
            lambda: charts.heatmap(
                [r.quarters for r in top_units],
                rows=[r.name for r in top_units],
                columns=["一季度", "二季度", "三季度", "四季度"],
                title="实施单位各季度承担的目标数",
                colour_label="目标数",
                cmap="Oranges",
            ),
            empty="" if any(any(r.quarters) for r in top_units) else "本节无数据：没有实施单位被点名承担分季度的目标。",
            key="unit-quarters",
            caption=f"实施单位 × 季度（前 {len(top_units)} 个单位）",
            method="单位作为实施单位被直接点名的事项（或子项目）的季度目标数；"
            "经由集合名称承担的目标另列于下表，不计入此图。",
        ),
        _quarter_table(uq),
        _deadline_table(d, data),
    ]
    return "\n".join(parts)


def _quarter_series(rows) -> tuple[dict[str, list[int]], int]:
    """The quarterly chart's bands: each leader's targets per quarter, the heaviest
    :data:`QUARTER_LEADERS` on their own and the rest summed into one band (so the
    totals stay whole); and how many leaders that band holds."""
    if len(rows) <= QUARTER_LEADERS + 1:  # one more leader than colours: no band needed
        return {r.name: r.quarters for r in rows}, 0
    rest = rows[QUARTER_LEADERS:]
    series = {r.name: r.quarters for r in rows[:QUARTER_LEADERS]}
    series[f"其他 {len(rest)} 位市领导"] = [sum(r.quarters[q] for r in rest) for q in range(4)]
    return series, len(rest)


def _quarter_table(uq) -> str:
    rows = []
    for q in range(1, 5):
        top = uq.top(q, 5)
        rows.append(
            [f"第{'一二三四'[q - 1]}季度", uq.totals[q - 1], "、".join(f"{r.name}（{r.quarters[q - 1]}）" for r in top)]
        )
    note = (
        f"{uq.unassigned} 个目标没有直接点名的实施单位（只经由集合名称，或源表未写实施单位）；"
        f"{uq.undated} 个目标未标明季度。"
    )
    return _table(["季度", "目标总数", "承担目标最多的实施单位"], rows, numeric=[1]) + f"<p class='note'>{_e(note)}</p>"


def _deadline_table(d, data: ReportData) -> str:
    years = {s.get("year") for s in data.sources}
    rows = []
    for r in d.rows:
        odd = r.month and int(r.month[:4]) not in years
        label = f"{r.month[:4]} 年 {int(r.month[5:])} 月" if r.month else "未写时限"
        rows.append(
            [
                label + ("（年份可疑）" if odd else ""),
                r.count,
                "、".join(r.numbers[:30]) + ("…" if len(r.numbers) > 30 else ""),
            ]
        )
    return "<h3>完成时限</h3>" + _table(["完成时限", "事项数", "事项（附件-序号）"], rows, numeric=[1])


def _network(data: ReportData, links) -> str:
    n = data.network
    brokers = [
        [
            r.name,
            _kind(r.kind),
            r.degree,
            r.weighted_degree,
            f"{r.betweenness:.3f}",
            r.community,
            POSITION_ZH[r.position],
        ]
        for r in n.brokers(10)
    ]
    communities = [
        [c.id, c.size, "、".join(c.members[:8]) + ("等" if c.size > 8 else "")] for c in n.communities if c.size > 1
    ][:12]
    alone = sum(1 for c in n.communities if c.size == 1)
    core = n.of("core")
    page = next((f for t, f in links if f == "network.html"), None)
    sample = f"（中介中心性由 {n.betweenness_sample} 个随机起点估计）" if n.betweenness_sample else ""
    parts = [
        f"<p>{n.units} 个单位之间有 {n.ties} 对协作关系（密度 {n.density:.3f}）。"
        + (f"<a href='{page}'>打开交互式协同网络图</a>。" if page else "")
        + "</p>",
        "<h3>“桥梁”单位（中介中心性最高）</h3>",
        _table(
            ["单位", "类型", "协作单位数", "共同事项（项次）", "中介中心性", "群体", "位置"],
            brokers,
            numeric=range(2, 6),
        ),
        f"<h3>协作群体（Louvain，模块度 {n.modularity:.3f}）</h3>",
        _table(["群体", "单位数", "主要成员（按协作强度）"], communities, numeric=[1])
        + (f"<p class='note'>另有 {alone} 个单位不与其他单位共同承担任何事项。</p>" if alone else ""),
        f"<h3>核心与外围</h3><p>核心圈（在“至少共同承担 {n.core_min_shared} 项”的关系中构成最大 {n.core_k}-核）"
        f"共 {len(core)} 个单位：{_e('、'.join(r.name for r in core))}。中间层 {len(n.of('middle'))} 个单位；"
        f"外围 {len(n.of('periphery'))} 个单位只与其他单位一次性共同出现。</p>",
        f"<p class='method'>方法：两个单位在同一事项中被点名（任一角色）即连线，权重为共同事项数；"
        f"中介中心性以“1/共同事项数”为距离{sample}；协作群体用 Louvain 算法（随机种子 {n.seed}，结果可复现）；"
        f"核心圈用 k-核分解，只看重复协作（共同事项 ≥ {n.core_min_shared}），避免一项点名 20 多个单位的任务"
        f"把所有单位都拉进核心。{_e(data.pairs_note)}</p>",
    ]
    if data.structure is not None:  # issue 30
        from respgraph.viz.structure_section import structure_section

        parts.append(structure_section(data.structure))
    return "\n".join(parts)


def _leaders(data: ReportData, fig: _Figures) -> str:
    lu = data.leader_units
    known = set(lu.leaders())
    # Heaviest portfolio first; across cities lu names a leader city:name.
    every = [name for r in data.leaders.rows for name in (r.name, f"{r.city}:{r.name}") if name in known]
    leaders = every[:HEATMAP_LEADERS]
    units = lu.units(top=30)
    matrix = [list(col) for col in zip(*lu.matrix(leaders, units))] if units else []
    pairs = [
        [p.a, p.b, p.shared_units, f"{p.jaccard:.2f}", "、".join(p.units[:6]) + ("等" if len(p.units) > 6 else "")]
        for p in data.overlap.rows[:10]
    ]
    parts = [
        fig(
            lambda: charts.heatmap(
                matrix, rows=units, columns=leaders, title="市领导分管事项中各单位的参与", colour_label="事项数"
            ),
            empty=""
            if units and leaders and any(any(r) for r in matrix)
            else "本节无数据：没有市领导分管的事项点名单位。",
            key="leader-units",
            caption=f"市领导 × 单位（参与事项最多的 {len(units)} 个单位"
            + (f"；工作量指数最高的 {len(leaders)} 位市领导，共 {len(every)} 位" if len(every) > len(leaders) else "")
            + "）",
            method="格中数字为该市领导分管的事项（含子项目）中，该单位被直接点名（任一角色）的事项数。",
        ),
        "<h3>哪些市领导的分管工作依赖同一批单位</h3>",
        _table(["市领导", "市领导", "共同依赖的单位数", "Jaccard 相似度", "主要共同单位"], pairs, numeric=[2, 3]),
        "<p class='method'>方法：两位市领导分管的事项中都出现的单位数；Jaccard 相似度 = 共同单位数 ÷ 两人涉及单位的并集。"
        "共同单位多，意味着这些单位需同时向多位市领导汇报，协调成本较高。</p>",
    ]
    return "\n".join(parts)


def _quality(data: ReportData) -> str:
    from respgraph.queries.quality import KIND_ZH

    q = data.quality
    if q is None:
        return (
            "<p>未读取源文件，本节从略。运行 <code>respgraph report --source 文件</code> "
            "或 <code>respgraph check 文件</code> 查看源表的问题。</p>"
        )
    from respgraph.queries.quality import message_zh

    counts = [[KIND_ZH.get(k, k), v] for k, v in q.counts.items()]
    serious = [[n.attachment, n.line, KIND_ZH.get(n.kind, n.kind), n.cell, message_zh(n)] for n in q.serious()]
    rest = [
        [n.attachment, n.line, KIND_ZH.get(n.kind, n.kind), n.cell, message_zh(n)]
        for n in q.rows
        if n not in q.serious()
    ]
    head = ["附件", "行号", "问题", "列", "说明"]
    return "\n".join(
        [
            _table(["类别", "处数"], counts, numeric=[1]),
            "<h3>需要核实的问题</h3>" + (_table(head, serious, numeric=[0, 1]) if serious else "<p>无。</p>"),
            f"<details><summary>读入时的其他处理（{len(rest)} 处）</summary>{_table(head, rest, numeric=[0, 1])}</details>",
            "<p class='method'>来源：载入源表时的检查，与 <code>respgraph check</code> 的输出相同（该命令以英文说明）；"
            "行号为源文件中的行。</p>",
        ]
    )


def _files(data: ReportData, links) -> str:
    pages = "".join(f"<li><a href='{_e(f)}'>{_e(t)}</a></li>" for t, f in links)
    csvs = "".join(f"<li><a href='{_e(f)}'>{_e(f)}</a>：{_e(t)}</li>" for t, f in data.csv_files)
    return (
        f"<h3>交互图</h3><ul>{pages or '<li>未生成</li>'}</ul>{_portfolio_note(data)}"
        f"<h3>数据文件（CSV，UTF-8 带 BOM，Excel/WPS 可直接打开）</h3><ul>{csvs or '<li>无</li>'}</ul>"
    )


def _portfolio_note(data: ReportData) -> str:
    """Says so when some leaders have no page of their own, and how to draw one."""
    leaders = sum(1 for r in data.leaders.rows if r.items)
    if len(data.portfolios) >= leaders:
        return ""
    return (
        f"<p class='note'>分管事项图只为工作量指数最高的 {len(data.portfolios)} 位市领导生成（共 {leaders} 位有分管事项），"
        f"以免文件过多过大；其他市领导的图可用 <code>respgraph portfolio 姓名 --html 文件名.html</code> 生成"
        f"{'（姓名写作“城市:姓名”）' if len({s.get('city') for s in data.sources}) > 1 else ''}。</p>"
    )


# -- the summary ---------------------------------------------------------------------


def summary(data: ReportData) -> list[str]:
    """The sentences at the top of the report, each with the numbers that matter."""
    u, lead, dist, n = data.units, data.leaders, data.districts, data.network
    c = data.counts
    out = [
        f"本报告覆盖 {len(data.sources)} 份责任分工表，共 {c.get('Item', 0)} 项任务（其中拆分出 "
        f"{c.get('SubItem', 0)} 个子项目），涉及 {c.get('Unit', 0)} 个单位、{c.get('Leader', 0)} 位分管市领导。"
    ]
    top_n = max(1, -(-len(u.rows) // 10))
    out.append(
        f"单位工作量高度集中：工作量指数最高的 {top_n} 个单位（前 10%）承担了 {_pct(u.balance.top10_share)} 的工作量，"
        f"基尼系数 {u.balance.gini:.2f}；单位指数的中位数仅为 {u.balance.median:g}。"
    )
    if u.high:
        names = "、".join(f"{r.name}（{r.score:g}）" for r in u.high[:6])
        out.append(f"工作量显著偏高的单位有 {len(u.high)} 个，依次为{names}" + ("等。" if len(u.high) > 6 else "。"))
    for role, text in (("lead", "牵头"), ("assist", "协办")):
        best = max(u.rows, key=lambda r: getattr(r, role), default=None)  # the first of equals: by score
        if best and getattr(best, role):
            out.append(f"{text}事项最多的单位是{best.name}（{getattr(best, role)} 项）。")
    if lead.rows:
        most, least = lead.rows[0], min(lead.rows, key=lambda r: r.items)
        out.append(
            f"市领导之间：{most.name}分管 {most.items} 项，涉及牵头单位 {most.lead} 个、实施单位 {most.implement} 个、"
            f"协办单位 {most.assist} 个；{least.name}仅分管 {least.items} 项；按指数计的基尼系数 {lead.balance.gini:.2f}。"
        )
    if dist.rows:
        direct = [r.items for r in dist.rows]
        via = max(r.via_group for r in dist.rows)
        out.append(
            f"各县（市、区）被直接点名的事项在 {min(direct)}–{max(direct)} 项之间，另有最多 {via} 项"
            f"只经由“各县（市、区）政府（管委会）”等集合名称下达，单独列出，未计入指数。"
        )
    lq = data.leader_quarters
    out.append(
        f"全年季度目标：一至四季度分别为 {'、'.join(str(t) for t in lq.totals)} 个；"
        f"{data.unit_quarters.unassigned} 个目标没有直接点名的实施单位。"
    )
    out.append(_deadline_sentence(data))
    if n.units:
        brokers = "、".join(r.name for r in n.brokers(3))
        out.append(
            f"协作网络：{n.units} 个单位、{n.ties} 对协作关系，分为 "
            f"{sum(1 for x in n.communities if x.size > 1)} 个协作群体；{brokers}是连接各群体最主要的“桥梁”单位；"
            f"核心圈 {len(n.of('core'))} 个单位。"
        )
    if data.overlap.rows:
        p = data.overlap.rows[0]
        out.append(f"{p.a}与{p.b}分管的工作共同依赖 {p.shared_units} 个单位（{'、'.join(p.units[:3])}等），重叠最多。")
    if data.progress is not None:
        out.append(_progress_sentence(data.progress))
    if data.quality is not None:
        q = data.quality
        serious = q.serious()
        out.append(
            f"数据质量：源表有 {len(serious)} 处需要核实（"
            + "、".join(f"{_quality_kind(k)} {v}" for k, v in q.counts.items() if any(s.kind == k for s in serious))
            + f"），另有 {len(q.rows) - len(serious)} 处别名归并或合并单元格沿用，已按规则读入。"
            if serious
            else f"数据质量：源表没有需要核实的问题；{len(q.rows)} 处按规则读入。"
        )
    return out


def _progress_sentence(progress) -> str:
    """The summary's line on 督办进展: the statuses at the latest report, overdue and red."""
    from respgraph.graph.progress import STATUS_ZH, Status

    items = progress.items
    counts = {s: sum(r.status == s.value for r in items) for s in Status}
    said = "、".join(f"{STATUS_ZH[s]} {n} 项" for s, n in counts.items() if n and s != Status.NO_REPORT)
    silent = counts[Status.NO_REPORT]
    red = sum(r.warning == "red" for r in items)
    doubtful = sum(r.deadline_doubtful for r in items)
    return (
        f"督办进展：截至 {progress.as_of.isoformat()}，{len(items)} 项事项中"
        + (f"{said}" if said else "")
        + (f"{'，' if said else ''}{silent} 项未报送进展" if silent else "")
        + f"；逾期 {sum(r.overdue for r in items)} 项，红色预警 {red} 项"
        + (f"；{doubtful} 项完成时限与表的年度不符，待核实更正，未计逾期" if doubtful else "")
        + "（见六、督办进展）。"
    )


def _deadline_sentence(data: ReportData) -> str:
    years = {s.get("year") for s in data.sources}
    by_month = {r.month: r.count for r in data.deadlines.rows}
    in_year = {m: v for m, v in by_month.items() if m and int(m[:4]) in years}
    june = sum(v for m, v in in_year.items() if m.endswith("-06"))
    december = sum(v for m, v in in_year.items() if m.endswith("-12"))
    other = sum(in_year.values()) - june - december
    text = f"完成时限：{june} 项须在 6 月底前完成，{december} 项在 12 月底，其他月份 {other} 项"
    odd = [r for r in data.deadlines.rows if r.month and int(r.month[:4]) not in years]
    if odd:
        items = "、".join(_item_name(n) for r in odd for n in r.numbers)
        text += (
            f"；{items}的时限写作 " + "、".join(f"{r.month[:4]} 年 {int(r.month[5:])} 月" for r in odd) + "，年份疑有误"
        )
    missing = by_month.get("", 0)
    return text + (f"；{missing} 项未写时限。" if missing else "。")


# -- small helpers -------------------------------------------------------------------


def _item_name(number: str) -> str:
    """``1-92`` as a reader says it: 附件 1 第 92 项."""
    attachment, _, n = number.partition("-")
    return f"附件 {attachment} 第 {n} 项"


def _quality_kind(kind: str) -> str:
    from respgraph.queries.quality import KIND_ZH

    return KIND_ZH.get(kind, kind)


def _sources_line(data: ReportData) -> str:
    docs = "；".join(f"附件 {s['attachment']}《{s['title']}》" for s in data.sources)
    when = (data.generated or dt.date.today()).isoformat()
    return f"数据来源：{docs}。生成于 {when}，respgraph。"


def _kind(kind: str) -> str:
    return KIND_TEXT.get(kind) or DISTRICT_KIND.get(kind, kind)


def _of_all(count: int, shown: int, measure: str) -> str:
    """``（指数最高的 40 个，共 210 个）`` when a chart draws ``shown`` of ``count``; else nothing."""
    return f"（指数最高的 {shown} {measure}，共 {count} {measure}）" if count > shown else ""


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _num(x: float | None) -> str:
    return "—" if x is None else f"{x:g}"


def _progress_body(data: ReportData, figures) -> str:
    from respgraph.viz.status_section import status_section

    assert data.progress is not None  # asked only when the report has progress (above)
    return status_section(data.progress, figures)


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _table(head: list[str], rows: list[list], *, numeric=()) -> str:
    numeric = set(numeric)
    th = "".join(f"<th{' class=n' if i in numeric else ''}>{_e(h)}</th>" for i, h in enumerate(head))
    body = "".join(
        "<tr>" + "".join(f"<td{' class=n' if i in numeric else ''}>{_e(v)}</td>" for i, v in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f"<div class='scroll'><table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>"


def _section(key: str, title: str, content: str) -> str:
    return f"<section id='{key}'><h2>{_e(title)}</h2>\n{content}\n</section>"


def _toc(sections: list[tuple[str, str]]) -> str:
    """The contents: every section the page has, by the title it carries (without its number)."""
    entries = [(key, re.sub(r"^[一二三四五六七八九十]+、|^附：", "", title).split("：")[0]) for key, title in sections]
    return "<nav><ol>" + "".join(f"<li><a href='#{k}'>{_e(t)}</a></li>" for k, t in entries) + "</ol></nav>"


_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""

# Local fonts only: the page must load nothing from outside.
_STYLE = """
body { margin: 0; background: #f6f6f4; color: #222;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
  font-size: 15px; line-height: 1.65; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 32px 64px; background: #fff; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 20px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 2px solid #0072B2; }
h3 { font-size: 16px; margin: 24px 0 8px; }
.meta, .note, .method, figcaption { color: #555; font-size: 13px; }
.summary li { margin: 4px 0; }
#summary { background: #eef5fb; padding: 4px 20px 12px; border-radius: 6px; }
#summary h2 { border: 0; }
nav ol { columns: 3; font-size: 14px; }
figure { margin: 20px 0; }
img.chart { max-width: 100%; height: auto; display: block; }
figcaption { margin-top: 6px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; margin: 8px 0; font-size: 13px; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f0f0ee; white-space: nowrap; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
details summary { cursor: pointer; color: #0072B2; }
code { background: #f0f0ee; padding: 0 4px; }
"""

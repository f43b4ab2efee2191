"""The report's pages on collaboration structure (issue 30): brokerage roles, core and
periphery, and which ties last from one year to the next, each with a reading in plain Chinese.

Draws what :mod:`respgraph.queries.brokerage`, :mod:`~respgraph.queries.core_periphery`
and :mod:`~respgraph.queries.tie_stability` returned (a :class:`StructureData`); runs
no query.  The three parts go under the report's 协作结构 section, after its own.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from respgraph.queries.brokerage import BROKER_ROLE_ZH, BROKER_ROLES
from respgraph.viz.style import KIND_TEXT

__all__ = ["StructureData", "structure_section", "core_reading", "TOP"]

#: Brokers and core units listed in the report.
TOP = 10


@dataclass
class StructureData:
    brokerage: Any  # Brokerage
    core: Any  # CorePeriphery
    #: One TieStability per city with tables of two years or more.
    stability: list = field(default_factory=list)
    #: Cities with the tables of one year only.
    one_year: list[str] = field(default_factory=list)


def structure_section(data: StructureData) -> str:
    """The three parts, as HTML to put inside the 协作结构 section."""
    return "\n".join([_brokerage(data.brokerage), _core(data.core), _stability(data)])


def _brokerage(b) -> str:
    brokers = b.brokers()
    head = ["单位", "类型", *(BROKER_ROLE_ZH[r] for r in BROKER_ROLES), "合计", "高于随机期望的角色"]
    rows = [
        [
            r.unit,
            _kind(r.group),
            *(f"{getattr(r, role)}（{getattr(r, 'expected_' + role):.1f}）" for role in BROKER_ROLES),
            r.total,
            "、".join(BROKER_ROLE_ZH[x] for x in r.above_chance()) or "—",
        ]
        for r in brokers[:TOP]
    ]
    if brokers:
        top = brokers[0]
        main = max(BROKER_ROLES, key=lambda role: getattr(top, role))
        above = "、".join(BROKER_ROLE_ZH[x] for x in top.above_chance())
        reading = (
            f"{len(brokers)} 个单位在“牵头单位 → 实施、协办单位”之间起过中介作用（共 {b.ties} 条有向关系）。"
            f"中介最多的是{top.unit}（{top.total} 次），最常充当{BROKER_ROLE_ZH[main]}"
            f"（{_role_meaning(main)}）。括号内是随机分配单位类型时的期望次数："
            + (
                f"它作为{above}的次数高于期望，说明它不只是关系多，而是偏向以这种方式传递工作。"
                if above
                else "它的各种角色都不高于期望，中介次数多主要是因为它的关系多。"
            )
        )
    else:
        reading = "没有单位在牵头与实施、协办单位之间起中介作用：每项工作都由牵头单位直接交给实施单位。"
    return "\n".join(
        [
            "<h3>中介角色：谁在不同类型单位之间传递工作</h3>",
            f"<p>{_e(reading)}</p>",
            _table(head, rows, numeric=range(2, 8)) if rows else "",
            "<p class='method'>方法：牵头单位甲与实施或协办单位乙同在一个事项（或子项）中，记为关系 甲 → 乙（单位集合不计）。"
            "若甲 → 乙、乙 → 丙而甲、丙之间没有直接关系，乙中介一次；按三方的单位类型分为协调人（三方同类）、"
            "顾问（甲丙同类、乙不同）、守门人（乙丙同类）、代理人（甲乙同类）、联络人（三方各异）"
            "（Gould 与 Fernandez，1989）。</p>",
        ]
    )


def core_reading(correlation: float) -> str:
    """How clear a core–periphery structure a correlation shows, in words.

    >>> core_reading(0.69), core_reading(0.4), core_reading(0.1)
    ('明显', '有一定的', '不明显')
    """
    return "明显" if correlation >= 0.6 else "有一定的" if correlation >= 0.3 else "不明显"


def _core(cp) -> str:
    parts = ["<h3>核心与外围：是否有一批单位承担了大部分协作</h3>"]
    for f in cp.fits:
        core = [r for r in cp.rows if r.city == f.city and r.position == "core"]
        shown = "、".join(r.unit for r in core[:TOP]) + ("等" if len(core) > TOP else "")
        parts.append(
            f"<p>{_e(f.city)}：{f.units} 个单位中，{f.core} 个构成核心（{_e(shown) or '无'}），其余为外围。"
            f"实际协作与“核心彼此合作、外围彼此很少合作”的理想模式的相关系数为 {f.correlation:.3f}，"
            f"核心—外围结构{core_reading(f.correlation)}：核心单位之间共同承担的事项远多于外围单位之间。</p>"
        )
    rows = [[r.unit, _kind(r.kind), f"{r.coreness:.3f}", r.partners, r.shared] for r in cp.core()[:TOP]]
    if rows:
        parts.append(
            _table(["核心单位", "类型", "核心度", "协作单位数", "共同事项（项次）"], rows, numeric=range(2, 5))
        )
    parts.append(
        "<p class='method'>方法：Borgatti 与 Everett（2000）的离散核心—外围模型，在共同承担事项网络上寻找与理想模式相关最高的划分"
        f"（核心—外围之间的关系不参与比较；按连续核心度排序试每一种核心规模，再从 {cp.restarts} 个随机起点逐个调整单位，"
        f"随机种子 {cp.seed}，结果可复现）；核心度来自连续模型，最高为 1。相关系数 ≥ 0.6 称“明显”，0.3–0.6 称“有一定的”。</p>"
    )
    return "\n".join(parts)


def _stability(data: StructureData) -> str:
    parts = ["<h3>关系延续：哪些协作关系年年都在</h3>"]
    if not data.stability:
        parts.append(
            "<p>只载入了一个年度的表格，无法比较关系的延续；载入上一年度的表格后，这里将列出逐年保留、新增和消失的关系。</p>"
        )
        return "\n".join(parts)
    for t in data.stability:
        rows = [
            [
                f"{r.before} → {r.after}",
                r.ties_before,
                r.ties_after,
                r.kept,
                r.new,
                r.dropped,
                f"{r.jaccard * 100:.1f}%",
            ]
            for r in t.rows
        ]
        last = t.rows[-1]
        always = sum(1 for s in t.ties if s.present == len(t.years))
        parts.append(
            f"<p>{_e(t.city)}：{last.before} 年的 {last.ties_before} 条“牵头 → 实施、协办”关系中，{last.kept} 条在 "
            f"{last.after} 年仍然存在，新增 {last.new} 条、消失 {last.dropped} 条，重合度 {last.jaccard * 100:.1f}%"
            f"；{t.years[0]}—{t.years[-1]} 年间共 {len(t.ties)} 条关系，其中 {always} 条每年都有。"
            + (
                "重合度高说明分工格局稳定，新的一年基本沿用原有的牵头与配合关系。"
                if last.jaccard >= 0.6
                else "重合度不高说明分工变化较大，值得核对是否因机构调整、事项变化或单位改名。"
            )
            + "</p>"
        )
        parts.append(
            _table(["年度", "上年关系", "本年关系", "保留", "新增", "消失", "重合度"], rows, numeric=range(1, 7))
        )
        missing = sorted({n for r in t.rows for n in (*r.only_before, *r.only_after)})
        if missing:
            parts.append(
                f"<p class='note'>以下 {len(missing)} 个单位只在部分年度出现（撤并、新设，或别名表未收录的改名）："
                f"{_e('、'.join(missing[:30]))}{'等' if len(missing) > 30 else ''}。</p>"
            )
    if data.one_year:
        parts.append(f"<p class='note'>{_e('、'.join(data.one_year))} 只载入了一个年度，未作比较。</p>")
    return "\n".join(parts)


def _role_meaning(role: str) -> str:
    return {
        "coordinator": "在同类单位之间传递",
        "itinerant": "在另一类单位之间传递",
        "gatekeeper": "把其他类型单位的工作引入本类单位",
        "representative": "把本类单位的工作交给其他类型单位",
        "liaison": "连接另外两种不同类型的单位",
    }[role]


def _kind(kind: str) -> str:
    return KIND_TEXT.get(kind, kind or "—")


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

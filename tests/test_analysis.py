"""The analyses of issue #5 against facts worked out by hand: on tiny graphs built
here, on graphs built so the answer is known, and on the sample table."""

from __future__ import annotations

import math

import networkx as nx
import pytest
from networkx.algorithms import bipartite

from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.synthetic import synthetic_table
from respgraph.queries.balance import fences, load_balance, lorenz
from respgraph.queries.co import co_pairs, unit_item_graph
from respgraph.queries.collaboration import co_network, collaboration, collaboration_of
from respgraph.queries.overlap import leader_overlap, leader_units
from respgraph.queries.quality import quality
from respgraph.queries.result import to_dataframe
from respgraph.queries.timeline import deadlines, quarterly_load
from respgraph.queries.workload import gini, workload

DOC = "doc:测试市/2023/1"
ROLE_EDGE = {"lead": "LEADS", "implement": "IMPLEMENTS", "assist": "ASSISTS"}


class Tiny:
    """A store built by hand: items with leaders, units by role, quarterly milestones."""

    def __init__(self):
        self.nodes = [
            {
                "key": DOC,
                "label": "Document",
                "city": "测试市",
                "year": 2023,
                "attachment": 1,
                "title": "测试表",
                "category": "key_item",
                "source": "tiny.txt",
            }
        ]
        self.rels = []
        self.seen = set()

    def _node(self, key, label, **props):
        if key not in self.seen:
            self.seen.add(key)
            self.nodes.append({"key": key, "label": label, **props})
        return key

    def unit(self, name, kind="city_department"):
        return self._node(f"unit:{name}", "Unit", name=name, city="测试市", kind=kind)

    def leader(self, name):
        return self._node(f"leader:{name}", "Leader", name=name, city="测试市")

    def group(self, name, members):
        key = self._node(f"group:{name}", "UnitGroup", name=name, city="测试市", members_known=True)
        self.rels += [{"type": "MEMBER_OF", "start": self.unit(m, "county_government"), "end": key} for m in members]
        return key

    def district(self, name, government):
        key = self._node(f"district:{name}", "District", name=name, city="测试市", kind="district")
        self.rels.append({"type": "GOVERNS", "start": self.unit(government, "county_government"), "end": key})

    def item(self, number, *, deadline="2023-12-31", leader=None, parts=None, **owner):
        key = self._node(
            f"item:{number}",
            "Item",
            document=DOC,
            attachment=1,
            number=str(number),
            title=f"事项 {number}",
            category="key_item",
            deadline=deadline,
        )
        self.rels.append({"type": "FROM", "start": key, "end": DOC})
        if parts is None:
            self._owner(key, leader, **owner)
        for i, part in enumerate(parts or [], 1):
            sub = self._node(f"{key}.{i}", "SubItem", item=key, part=i, title=f"子项 {i}")
            self.rels.append({"type": "PART_OF", "start": sub, "end": key})
            self._owner(sub, **part)

    def _owner(self, key, leader, milestones=(), groups=(), **roles):
        self.rels.append({"type": "OVERSEES", "start": self.leader(leader), "end": key})
        for role, names in roles.items():
            self.rels += [{"type": ROLE_EDGE[role], "start": self.unit(n), "end": key} for n in names]
        for role, group in groups:
            self.rels.append({"type": ROLE_EDGE[role], "start": f"group:{group}", "end": key})
        for seq, quarters in enumerate(milestones, 1):
            m = self._node(
                f"milestone:{key}/{seq}",
                "Milestone",
                owner=key,
                seq=seq,
                quarters=list(quarters),
                period="",
                section="",
                text="目标",
            )
            self.rels.append({"type": "HAS_MILESTONE", "start": key, "end": m})

    def store(self) -> SqliteStore:
        store = SqliteStore()
        store.add_plain(self.nodes, self.rels)
        return store


@pytest.fixture(scope="module")
def tiny():
    """Four items; every count in the tests below is worked out from this text.

    1  甲  lead A, implement B, assist C   milestones Q1, Q2, Q3+4   due June
    2  甲  lead A, implement A and group G (member E), assist B   milestones Q4, undated
    3  two parts: 3.1 乙 lead C, implement D, milestone Q1; 3.2 丙 lead C, implement E, milestones Q2, Q3
    4  乙  lead D only (no implementing unit)   milestone Q2
    """
    t = Tiny()
    t.group("G", ["E"])
    t.district("东区", "E")
    t.item(
        1,
        deadline="2023-06-30",
        leader="甲",
        lead=["A"],
        implement=["B"],
        assist=["C"],
        milestones=[(1,), (2,), (3, 4)],
    )
    t.item(
        2, leader="甲", lead=["A"], implement=["A"], assist=["B"], groups=[("implement", "G")], milestones=[(4,), ()]
    )
    t.item(
        3,
        parts=[
            dict(leader="乙", lead=["C"], implement=["D"], milestones=[(1,)]),
            dict(leader="丙", lead=["C"], implement=["E"], milestones=[(2,), (3,)]),
        ],
    )
    t.item(4, leader="乙", lead=["D"], milestones=[(2,)])
    return t.store()


# -- workload balance ------------------------------------------------------------------


def test_unit_load_by_hand(tiny):
    b = load_balance(tiny, by="unit")
    got = {r.name: (r.items, r.parts, r.lead, r.implement, r.assist, r.via_group, r.score) for r in b.rows}
    assert got == {
        "A": (2, 0, 2, 1, 0, 0, 8.0),  # 3×2 + 2×1
        "C": (2, 2, 1, 0, 1, 0, 4.0),  # lead on both parts of 3 counts item 3 once
        "B": (2, 0, 0, 1, 1, 0, 3.0),
        "D": (2, 1, 1, 1, 0, 0, 5.0),
        "E": (1, 1, 0, 1, 0, 1, 2.0),  # item 2 only through group G: apart, not scored
    }
    assert [r.name for r in b.rows] == ["A", "D", "C", "B", "E"]


def test_spread_lorenz_and_far_rows_by_hand(tiny):
    b = load_balance(tiny, by="unit")
    # Scores 2, 3, 4, 5, 8 (total 22): Gini = 2·Σ i·x / (n·total) − (n+1)/n.
    assert b.balance.gini == pytest.approx(2 * (2 + 6 + 12 + 20 + 40) / (5 * 22) - 6 / 5, abs=1e-4)
    expected = [(0, 0), (0.2, 2 / 22), (0.4, 5 / 22), (0.6, 9 / 22), (0.8, 14 / 22), (1, 1)]
    assert [x for point in b.lorenz for x in point] == pytest.approx([x for point in expected for x in point])
    # Quartiles 3 and 5, IQR 2: fences at 0 and 8; 8 is not above 8.
    assert (b.fences.low, b.fences.high) == (0.0, 8.0)
    assert b.high == [] and b.low == []
    # Group-derived items counted in: 2,2,2,2,1+1 items.
    assert b.with_groups.gini == 0.0


def test_weights_are_the_users(tiny):
    b = load_balance(tiny, by="unit", weights={"lead": 1, "implement": 1, "assist": 1})
    assert {r.name: r.score for r in b.rows}["A"] == 3.0
    assert b.weights == {"lead": 1.0, "implement": 1.0, "assist": 1.0}


def test_leader_and_district_load_by_hand(tiny):
    leaders = {r.name: (r.items, r.parts, r.lead, r.implement, r.assist) for r in load_balance(tiny, by="leader").rows}
    # For a leader the role columns count distinct units; group G implements on item 2.
    assert leaders == {"甲": (2, 0, 1, 3, 2), "乙": (2, 1, 2, 1, 0), "丙": (1, 1, 1, 1, 0)}
    (east,) = load_balance(tiny, by="district").rows
    assert (east.name, east.items, east.parts, east.implement, east.via_group) == ("东区", 1, 1, 1, 1)


def test_gini_of_hand_made_distributions():
    # Mean absolute difference / (2 × mean): pairs of 1,2,3,4 differ by 10 in all, twice over.
    assert gini([1, 2, 3, 4]) == pytest.approx(20 / (2 * 16 * 2.5))
    assert gini([5, 5, 5]) == 0.0
    assert gini([0, 0, 0, 0, 10]) == pytest.approx(0.8)


def test_far_from_the_rest_rules():
    values = [10, 11, 12, 12, 13, 14, 15, 40]
    tukey = fences(values)
    assert tukey.high == pytest.approx(14.25 + 1.5 * (14.25 - 11.75))
    mad = fences(values, method="mad")
    # median 12.5, |deviations| median 1.5: reach 3.5 × 1.5 / 0.6745.
    assert mad.high == pytest.approx(12.5 + 3.5 * 1.5 / 0.6745, abs=1e-5)
    assert fences([3, 3, 3, 3, 9], method="mad").high < 9  # MAD 0: the mean deviation stands in
    assert fences([4, 4, 4], method="mad").high is None  # nothing varies: nobody is far
    assert fences([7]).high is None
    with pytest.raises(ValueError, match="tukey or mad"):
        fences(values, method="sigma")


def test_lorenz_of_all_zero_is_the_diagonal():
    assert lorenz([0, 0]) == [(0.0, 0.0), (0.5, 0.5), (1.0, 1.0)]


def test_sample_unit_balance(memory_store):
    b = load_balance(memory_store, by="unit")
    w = workload(memory_store, by="unit")
    assert [r.score for r in b.rows] == [r.score for r in w.rows] and b.balance == w.balance
    # The 协办单位 column names 市自然资源局 on 33 rows, all different items:
    #   awk -F'\t' '$1 != "序号" && $NF ~ /市自然资源局/' loaders/samples/zhanjiang-2023.txt | wc -l
    most = max(b.rows, key=lambda r: r.assist)
    assert (most.name, most.assist) == ("市自然资源局", 33)
    # Item 79's ten sub-projects: 市城市管理和综合执法局 leads all ten.
    assert {r.name: r.parts for r in b.rows}["市城市管理和综合执法局"] == 10
    assert [r.name for r in b.high][:3] == ["市交通运输局", "市发展改革局", "市工业和信息化局"]
    assert b.low == []  # most units carry one or two items: the lower fence is below zero
    assert b.lorenz[0] == (0.0, 0.0) and b.lorenz[-1] == (1.0, 1.0) and len(b.lorenz) == len(b.rows) + 1


def test_every_analysis_answers_alike_on_every_store(store, memory_store):
    analyses = [
        *(lambda s, by=by: load_balance(s, by=by) for by in ("unit", "leader", "district")),
        lambda s: quarterly_load(s, by="unit"),
        lambda s: quarterly_load(s, by="leader"),
        lambda s: quarterly_load(s, roles=("lead", "assist")),
        deadlines,
        collaboration,
        leader_units,
        lambda s: load_balance(s, documents=["湛江市/2023/2"]),
        lambda s: quarterly_load(s, documents=[]),
    ]
    for analysis in analyses:
        assert analysis(store) == analysis(memory_store)


# -- load over the year ----------------------------------------------------------------


def test_quarterly_load_of_units_by_hand(tiny):
    q = quarterly_load(tiny, by="unit")
    got = {r.name: (r.quarters, r.undated, r.total, r.via_group, r.via_undated) for r in q.rows}
    assert got == {
        "B": ([1, 1, 1, 1], 0, 3, [0, 0, 0, 0], 0),  # Q3+4 counts in both quarters, once in total
        "A": ([0, 0, 0, 1], 1, 2, [0, 0, 0, 0], 0),
        "E": ([0, 1, 1, 0], 0, 2, [0, 0, 0, 1], 1),  # item 2's targets reach E through G
        "D": ([1, 0, 0, 0], 0, 1, [0, 0, 0, 0], 0),
    }
    assert (q.totals, q.undated, q.unassigned) == ([2, 3, 2, 2], 1, 1)  # item 4 has no implementing unit
    assert [r.name for r in q.top(2)] == ["B", "E"]


def test_quarterly_load_of_leaders_and_other_roles_by_hand(tiny):
    leaders = {r.name: r.quarters for r in quarterly_load(tiny, by="leader").rows}
    assert leaders == {"甲": [1, 1, 1, 2], "乙": [1, 1, 0, 0], "丙": [0, 1, 1, 0]}
    leads = {r.name: r.total for r in quarterly_load(tiny, roles=("lead",)).rows}
    assert leads == {"A": 5, "C": 3, "D": 1}
    with pytest.raises(ValueError, match="unknown roles"):
        quarterly_load(tiny, roles=("oversee",))


def test_deadlines_by_hand(tiny):
    d = deadlines(tiny)
    assert [(r.month, r.numbers) for r in d.rows] == [("2023-06", ["1-1"]), ("2023-12", ["1-2", "1-3", "1-4"])]
    assert (d.count(6), d.count(12)) == (1, 3)


def test_sample_year(store):
    leaders = quarterly_load(store, by="leader")
    # Every item or part has one leader, so the leaders' targets add up to the table's.
    assert [sum(r.quarters[i] for r in leaders.rows) for i in range(4)] == leaders.totals == [123, 124, 113, 112]
    units = quarterly_load(store, by="unit")
    assert units.top(1, 1)[0].name == "湛江经开区管委会"
    d = deadlines(store)
    months = {r.month: r.count for r in d.rows}
    assert (months["2023-06"], months["2023-12"], months["2013-12"]) == (9, 97, 1)  # item 92: 2013年12月


# -- collaboration ---------------------------------------------------------------------


def two_cliques() -> SqliteStore:
    """Units a1–a4 share two items, b1–b4 two others; a4 and b1 share one more: the bridge."""
    t = Tiny()
    for n, names in enumerate([["a1", "a2", "a3", "a4"]] * 2 + [["b1", "b2", "b3", "b4"]] * 2, 1):
        t.item(n, leader="甲" if n <= 2 else "乙", lead=names[:1], implement=names[1:])
    t.item(5, leader="丙", lead=["a4"], assist=["b1"])
    return t.store()


def test_two_cliques_split_along_the_bridge():
    c = collaboration(two_cliques())
    assert [set(m.members) for m in c.communities] == [{"a1", "a2", "a3", "a4"}, {"b1", "b2", "b3", "b4"}]
    assert c.modularity > 0.4
    assert [r.name for r in c.brokers()] == ["a4", "b1"]
    # The paths from a1, a2, a3 to the four b's all run through a4: 12 of the
    # 21 pairs of the other seven units.
    by_name = {r.name: r for r in c.rows}
    assert by_name["a4"].betweenness == pytest.approx(12 / math.comb(7, 2), abs=1e-6)
    assert (c.core_k, {r.name for r in c.of("core")}) == (3, set(by_name))  # the bridge is not repeated
    assert (by_name["a4"].degree, by_name["a4"].weighted_degree) == (4, 7)


def test_collaboration_by_hand(tiny):
    c = collaboration(tiny)
    by_name = {r.name: r for r in c.rows}
    assert {n: (r.degree, r.weighted_degree) for n, r in by_name.items()} == {
        "A": (2, 3),
        "B": (2, 3),
        "C": (4, 4),
        "D": (2, 2),
        "E": (2, 2),
    }
    assert c.brokers(1)[0].name == "C"
    assert {r.name for r in c.of("core")} == {"A", "B"}  # the only repeated tie is A–B (items 1 and 2)
    assert {r.name for r in c.of("periphery")} == {"C", "D", "E"}
    assert (c.units, c.ties) == (5, 6)


def test_network_equals_networkx_projection(memory_store):
    b = unit_item_graph(memory_store)
    ours = co_network(memory_store)
    theirs = bipartite.weighted_projected_graph(b, [n for n, d in b.nodes(data=True) if d["bipartite"] == 0])
    assert set(ours) == set(theirs)
    assert {frozenset(e): d["weight"] for *e, d in ours.edges(data=True)} == {
        frozenset(e): d["weight"] for *e, d in theirs.edges(data=True)
    }


def test_co_pairs_equal_networkx_projection(memory_store):
    b = unit_item_graph(memory_store)
    theirs = bipartite.weighted_projected_graph(b, [n for n, d in b.nodes(data=True) if d["bipartite"] == 0])
    ours = {frozenset((r.a, r.b)): r.shared for r in co_pairs(memory_store)}
    assert ours == {frozenset(e): d["weight"] for *e, d in theirs.edges(data=True)}
    assert len(ours) > 300


def test_collaboration_does_not_depend_on_node_order(memory_store):
    network = co_network(memory_store)
    shuffled = nx.Graph()
    shuffled.add_nodes_from(sorted(network.nodes(data=True), reverse=True))
    shuffled.add_edges_from(sorted(network.edges(data=True), reverse=True))
    assert collaboration_of(shuffled) == collaboration_of(network)


def test_sample_collaboration(store):
    c = collaboration(store)
    assert [r.name for r in c.brokers(2)] == ["市发展改革局", "市自然资源局"]
    assert (c.units, c.ties, c.betweenness_sample) == (127, 1053, None)
    assert len(c.communities) == 5 and sum(x.size for x in c.communities) == 127
    assert c.core_k == 10 and len(c.of("core")) == 23


def test_leader_overlap_by_hand(tiny):
    lu = {(r.leader, r.unit): (r.items, r.roles) for r in leader_units(tiny).rows}
    assert lu == {
        ("丙", "C"): (1, ["lead"]),
        ("丙", "E"): (1, ["implement"]),
        ("乙", "C"): (1, ["lead"]),
        ("乙", "D"): (2, ["lead", "implement"]),
        ("甲", "A"): (2, ["lead", "implement"]),
        ("甲", "B"): (2, ["implement", "assist"]),
        ("甲", "C"): (1, ["assist"]),
    }
    pairs = [(p.a, p.b, p.shared_units, p.jaccard, p.units) for p in leader_overlap(tiny).rows]
    assert pairs == [("丙", "乙", 1, 0.3333, ["C"]), ("丙", "甲", 1, 0.25, ["C"]), ("乙", "甲", 1, 0.25, ["C"])]


def test_leader_matrix(tiny):
    lu = leader_units(tiny)
    assert lu.units(top=2) == ["C", "A"]  # C: one item under each of three leaders; A, B, D: two
    assert lu.matrix(["甲", "乙"], ["C", "D"]) == [[1, 0], [1, 2]]


# -- data quality and frames -----------------------------------------------------------


def test_quality_of_the_sample(sample_tables):
    q = quality(sample_tables)
    serious = [(n.kind, n.line) for n in q.serious()]
    assert ("deadline_year", 211) in serious
    assert sorted(line for kind, line in serious if kind == "no_implementer") == [108, 123]  # items 51 and 60
    assert sum(q.counts.values()) == len(q.rows) == sum(len(t.quirks) for t in sample_tables)
    assert {n.file for n in q.rows} == {"zhanjiang-2023.txt"}


def test_every_result_is_one_call_from_a_dataframe(tiny, sample_tables):
    pd = pytest.importorskip("pandas")
    results = [
        load_balance(tiny),
        quarterly_load(tiny),
        deadlines(tiny),
        collaboration(tiny),
        leader_units(tiny),
        leader_overlap(tiny),
        quality(sample_tables),
    ]
    for result in results:
        frame = result.to_frame()
        assert isinstance(frame, pd.DataFrame) and len(frame) == len(result.rows)
        assert to_dataframe(result).equals(frame)
    assert list(quarterly_load(tiny).to_frame().columns[:6]) == ["name", "kind", "q1", "q2", "q3", "q4"]
    assert len(to_dataframe(workload(tiny))) == 5
    with pytest.raises(TypeError, match="cannot make a DataFrame"):
        to_dataframe(42)


def test_large_networks_run_in_igraph_as_networkx_would():
    """Beyond the betweenness budget the estimate and Louvain run in igraph: from the same
    seeded sources, the brokers are networkx's, and the modularity is networkx's of the
    same split."""
    from respgraph.queries import collaboration as col

    store = SqliteStore()
    store.write(synthetic_table(1500, seed=3).to_batch())
    network = col._in_name_order(col.co_network(store))
    assert (network.number_of_nodes(), network.number_of_edges()) == (217, 17486)  # big enough to matter
    between, found, modularity = col._large_network(network, 40, seed=42, resolution=1.0)
    lengths = nx.Graph()
    lengths.add_nodes_from(network)
    lengths.add_edges_from((u, v, {"distance": 1 / d["weight"]}) for u, v, d in network.edges(data=True))
    reference = nx.betweenness_centrality(lengths, k=40, weight="distance", seed=42)

    def top(scores):
        return sorted(scores, key=lambda u: (-scores[u], u))[:10]

    assert top(between) == top(reference)
    off = sorted(abs(between[u] - reference[u]) / reference[u] for u in network if reference[u] > 1e-4)
    assert off[len(off) // 2] < 0.01 and off[-1] < 0.1  # ties between equal paths, compared with a tolerance
    assert sorted(u for c in found for u in c) == sorted(network)
    assert abs(modularity - nx.community.modularity(network, found, weight="weight")) < 1e-9
    c = col.collaboration_of(network)  # within the budget: networkx, exact
    assert c.betweenness_sample is None


def test_collaboration_past_the_budget_says_it_estimates(monkeypatch):
    from respgraph.queries import collaboration as col

    store = SqliteStore()
    store.write(synthetic_table(600, seed=5).to_batch())
    monkeypatch.setattr(col, "BETWEENNESS_BUDGET", 10_000)
    c = col.collaboration(store)
    assert c.betweenness_sample == 32 and c.units == len(c.rows)
    assert sum(m.size for m in c.communities) == c.units and c.modularity > 0

"""The four everyday questions, answered on every store, against facts read off the table."""

from __future__ import annotations

import pytest

from respgraph.graph.errors import UnknownName
from respgraph.queries.co import co_pairs, co_responsibility
from respgraph.queries.items import items_of_unit
from respgraph.queries.portfolio import portfolio
from respgraph.queries.workload import balance, gini, workload

# Counted by hand in the table: rows per 分管领导, an item split over two leaders
# (livelihood 9) counting once for each.
ITEMS_PER_LEADER = {
    "黄明忠": 15,
    "张仁建": 38,
    "黄益斌": 1,
    "李汉东": 7,
    "何嘉旻": 21,
    "陈峻华": 9,
    "吴国雄": 18,
    "黄廉东": 2,
}


def numbers(rows):
    return [(r.attachment, r.number) for r in rows]


def test_items_of_chikan_government_directly_and_through_groups(store):
    rows = items_of_unit(store, "赤坎区政府")
    direct = [(r.number, r.roles) for r in rows if not r.via]
    assert direct == [
        ("49", ["assist"]),
        ("58", ["implement"]),
        ("77", ["assist"]),
        ("79", ["implement"]),
        ("82", ["implement"]),
    ]
    (i79,) = [r for r in rows if r.number == "79"]
    assert [p.part for p in i79.parts] == [3, 4]
    through = [r for r in rows if r.via]
    assert {tuple(r.via) for r in through} == {("各县（市、区）政府（管委会）",)}
    assert numbers(through) == [
        (1, n) for n in ["9", "16", "17", "20", "23", "24", "27", "28", "74", "87", "92", "93"]
    ] + [(2, n) for n in ["2", "3", "4", "6", "8", "9", "10"]]
    assert {r.number: r.roles for r in through if r.attachment == 1}["24"] == ["assist"]


def test_roles_of_natural_resources_bureau(store):
    rows = items_of_unit(store, "市自然资源局")
    assert all(not r.via for r in rows)
    by_role = {
        role: [r.number for r in rows if role in r.roles and r.attachment == 1]
        for role in ("lead", "implement", "assist")
    }
    assert by_role["lead"] == ["74", "75", "76"]
    assert by_role["implement"] == ["8", "15", "16"]
    assert len(by_role["assist"]) == 32
    assert [(r.attachment, r.number, r.roles) for r in rows if r.attachment == 2] == [(2, "1", ["assist"])]


def test_alias_is_answered_as_canonical(store):
    asked = items_of_unit(store, "市发展改革委")
    assert asked == items_of_unit(store, "市发展改革局")
    assert ("1", ["lead", "implement"]) == (asked[0].number, asked[0].roles)


def test_unknown_unit_suggests_close_names(store):
    with pytest.raises(UnknownName) as err:
        items_of_unit(store, "自然资源局")
    assert err.value.suggestions[0] == "市自然资源局"
    with pytest.raises(UnknownName):
        items_of_unit(store, "麻章区")


def test_items_per_leader(store):
    counts = {name: len(portfolio(store, name).items) for name in ITEMS_PER_LEADER}
    assert counts == ITEMS_PER_LEADER


def test_portfolio_shows_each_item_once_with_parts_inside(store):
    p = portfolio(store, "何嘉旻")
    i66 = next(i for i in p.items if i.number == "66")
    assert [pt.part for pt in i66.parts] == [1, 2]
    assert i66.units.lead == ["市人力资源社会保障局", "市科技局"]
    assert [i.number for i in p.items].count("66") == 1
    # Livelihood 9: 何嘉旻 oversees part 1 only; part 2 is 吴国雄's.
    l9 = next(i for i in p.items if i.attachment == 2 and i.number == "9")
    assert [pt.part for pt in l9.parts] == [1]
    l9_wu = next(i for i in portfolio(store, "吴国雄").items if i.attachment == 2 and i.number == "9")
    assert [pt.part for pt in l9_wu.parts] == [2] and l9_wu.units.lead == ["市教育局"]


def test_portfolio_milestones_by_quarter(store):
    p = portfolio(store, "黄益斌")
    (i53,) = p.items
    assert i53.deadline.isoformat() == "2023-09-30"
    assert [m.quarters for m in i53.milestones] == [[1], [2], [3]]


def test_workload_by_unit_counts_distinct_items(store):
    rows = {r.name: r for r in workload(store, by="unit").rows}
    nr = rows["市自然资源局"]
    assert (nr.lead, nr.implement, nr.assist, nr.items, nr.via_group) == (3, 3, 33, 39, 0)
    assert nr.score == 3 * 3 + 3 * 2 + 33 * 1
    # On two sub-projects of item 79 and on item 82: two items, not three.
    chikan = rows["赤坎区政府"]
    assert (chikan.implement, chikan.assist, chikan.via_group) == (3, 2, 19)


def test_workload_weights_and_leaders(store):
    w = workload(store, by="unit", weights={"assist": 0})
    nr = next(r for r in w.rows if r.name == "市自然资源局")
    assert nr.score == 15
    leaders = {r.name: r.items for r in workload(store, by="leader").rows}
    assert leaders == ITEMS_PER_LEADER


def test_workload_by_district(store):
    rows = {r.name: r for r in workload(store, by="district").rows}
    assert len(rows) == 11
    assert rows["赤坎区"].items == 5


def test_balance_figures_by_hand():
    assert gini([1, 1, 1, 1]) == 0
    assert gini([0, 0, 0, 4]) == pytest.approx(0.75)
    b = balance([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    assert (b.median, b.count) == (6, 11)
    assert b.top10_share == round((11 + 10) / 66, 4)  # ceil(11/10) = 2 rows


def test_co_responsibility(store):
    rows = co_responsibility(store, "市自然资源局")
    assert (rows[0].name, rows[0].shared) == ("市发展改革局", 27)
    assert rows == sorted(rows, key=lambda r: (-r.shared, r.name))
    jx = co_responsibility(store, "湛江京信发电有限公司")  # item 36 only
    assert [(r.name, r.roles, r.other_roles) for r in jx] == [
        ("市交通运输局", ["implement"], ["lead"]),
        ("湛江海事局", ["implement"], ["assist"]),
        ("湛江经开区管委会", ["implement"], ["assist"]),
    ]


def test_co_counts_item_79_once():
    # 霞山区政府 and 赤坎区政府 both implement parts of item 79: one shared item there.
    from respgraph.graph.sqlite_store import SqliteStore
    from respgraph.loaders.load import read_tables, sample_path

    store = SqliteStore()
    for t in read_tables(sample_path()):
        store.write(t.to_batch())
    shared = {r.name: r for r in co_responsibility(store, "赤坎区政府")}
    numbers = [i.split("/")[-1] for i in shared["霞山区政府"].items]
    assert numbers.count("79") == 1 and shared["霞山区政府"].shared == len(numbers)


def test_pairs_are_ranked(store):
    pairs = co_pairs(store, min_shared=13)
    assert [(p.a, p.b, p.shared) for p in pairs][:1] == [("市发展改革局", "市自然资源局", 27)]
    assert all(p.shared >= 13 for p in pairs)


def test_unit_kinds_are_those_of_the_units_the_overview_draws(store):
    from respgraph.queries.overview import overview, unit_kinds

    for docs in (None, [d["key"] for d in store.documents()][1:]):
        drawn = {
            n.name: "group" if n.label == "UnitGroup" else n.kind
            for n in overview(store, documents=docs).nodes
            if n.label in ("Unit", "UnitGroup")
        }
        assert unit_kinds(store, documents=docs) == drawn
    assert unit_kinds(store)["市自然资源局"] == "city_department"

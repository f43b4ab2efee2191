"""Every trap DOMAIN.md lists, checked against what the sample table says."""

from __future__ import annotations

import datetime as dt

from respgraph.graph.model import Role, UnitKind
from respgraph.loaders.formats.text_format import read_text
from respgraph.loaders.items.names import Aliases, split_cell
from respgraph.loaders.load import read_tables, sample_path


def item(tables, attachment, number):
    (table,) = [t for t in tables if t.document.attachment == attachment]
    (found,) = [i for i in table.items if i.number == number]
    return table, found


def names_on(table, owner, role):
    return sorted(a.name for a in table.assignments if a.owner == owner and a.role == role)


def test_both_attachments_with_their_own_columns(sample_tables):
    a1, a2 = sample_tables
    assert (a1.document.attachment, len(a1.items)) == (1, 100)
    assert (a2.document.attachment, len(a2.items)) == (2, 10)
    assert a1.document.category == "key_item" and a2.document.category == "livelihood"
    assert a1.document.year == a2.document.year == 2023
    # 主要内容 exists only in attachment 2.
    _, livelihood_1 = item(sample_tables, 2, "1")
    assert livelihood_1.content.startswith("2023 年对五类危桥全面 100%实施改造")
    assert all(i.content == "" for i in a1.items)


def test_repeated_header_rows_are_not_items():
    tables = read_text(sample_path())
    numbers = [r.cells["number"] for t in tables for r in t.rows]
    assert "序号" not in numbers
    assert len(numbers) == 110 + 11  # 100 + 1 + 9 continuation rows; 10 + 1


def test_bracket_aware_split_keeps_collective_name_whole():
    assert split_cell("各县（市、区）政府（管委会）、市社会信用体系建设领导小组成员单位、市档案局") == [
        "各县（市、区）政府（管委会）",
        "市社会信用体系建设领导小组成员单位",
        "市档案局",
    ]
    assert split_cell("各县(市、区)政府(管委会), 市投资促进局") == ["各县（市、区）政府（管委会）", "市投资促进局"]


def test_shared_suffix(sample_tables):
    table, item4 = item(sample_tables, 1, "4")
    assisting = names_on(table, item4.key, Role.ASSIST)
    assert "霞山区政府" in assisting and "麻章区政府" in assisting
    table, item58 = item(sample_tables, 1, "58")
    assert [n for n in names_on(table, item58.key, Role.IMPLEMENT) if n.endswith("政府")] == sorted(
        f"{p}政府" for p in ["赤坎区", "霞山区", "麻章区", "雷州市", "廉江市", "吴川市", "遂溪县", "徐闻县"]
    )


def test_no_unit_is_a_bare_place(sample_tables):
    units = {u.name for t in sample_tables for u in t.units}
    for place in ["麻章区", "霞山区", "坡头区", "吴川市", "徐闻县"]:
        assert place not in units
    assert "湛江军分区" in units  # ends in 区 but is a body, not a place


def test_line_wrap_spaces_and_brackets(sample_tables):
    units = {u.name for t in sample_tables for u in t.units}
    assert "市人力资源社会保障局" in units
    assert not any(" " in u for u in units)
    assert "巴斯夫一体化基地（广东）有限公司" in units and "巴斯夫一体化基地(广东)有限公司" not in units
    # Spaces around numbers in titles are kept as printed.
    _, first = item(sample_tables, 1, "1")
    assert first.title.startswith("推进 542 个重点项目建设")


def test_aliases_merge_the_spellings_domain_lists(sample_tables):
    units = {u.name for t in sample_tables for u in t.units}
    for variant, canonical in [
        ("市发展改革委", "市发展改革局"),
        ("市住房城乡建设局", "市住房和城乡建设局"),
        ("市旅游控股集团公司", "市旅游控股集团有限公司"),
        ("市中级法院", "市中级人民法院"),
    ]:
        assert variant not in units and canonical in units


def test_without_aliases_check_suggests_the_missing_ones():
    tables = read_tables(sample_path(), aliases=Aliases())
    hints = " ".join(q.message for t in tables for q in t.quirks if q.kind == "similar_names")
    for a, b in [
        ("市发展改革委", "市发展改革局"),
        ("市中级人民法院", "市中级法院"),
        ("市旅游控股集团公司", "市旅游控股集团有限公司"),
    ]:
        assert a in hints and b in hints


def test_user_alias_file_extends_the_list(tmp_path):
    extra = tmp_path / "aliases.toml"
    extra.write_text('"湛江农垦集团公司" = ["湛江农垦局"]\n', encoding="utf-8")
    from respgraph.loaders.items.names import default_aliases

    tables = read_tables(sample_path(), aliases=default_aliases(extra))
    units = {u.name for t in tables for u in t.units}
    assert "湛江农垦局" not in units and "湛江农垦集团公司" in units
    assert "市发展改革委" not in units  # the shipped list still applies


def test_group_membership(sample_tables):
    table = sample_tables[0]
    groups = {g.name: g for g in table.groups}
    everyone = groups["各县（市、区）政府（管委会）"]
    assert everyone.members_known
    members = sorted(m.unit.split("/")[-1] for m in table.memberships if m.group == everyone.key)
    assert len(members) == 11 and "湛江经开区管委会" in members and "徐闻县政府" in members
    assert not groups["相关县（市、区）政府（管委会）"].members_known
    for unnamed in [
        "市各有关单位",
        "市有关部门",
        "市直有关行业主管部门",
        "各医疗机构",
        "市社会信用体系建设领导小组成员单位",
    ]:
        assert unnamed in groups and not groups[unnamed].members_known


def test_unit_kinds_and_districts(sample_tables):
    kinds = {u.name: u.kind for t in sample_tables for u in t.units}
    assert kinds["市自然资源局"] == UnitKind.CITY_DEPARTMENT
    assert kinds["廉江市政府"] == UnitKind.COUNTY_GOVERNMENT
    assert kinds["湛江经开区管委会"] == UnitKind.ZONE_COMMITTEE
    assert kinds["国核湛江核电有限公司"] == UnitKind.ENTERPRISE
    assert kinds["湛江海关"] == UnitKind.STATIONED_AGENCY
    districts = {d.name for d in sample_tables[0].districts}
    assert {"赤坎区", "徐闻县", "湛江经开区", "湛江奋勇高新区"} <= districts and len(districts) == 11


def test_continuation_rows_item_66(sample_tables):
    table, item66 = item(sample_tables, 1, "66")
    parts = [p for p in table.parts if p.item == item66.key]
    assert [p.part for p in parts] == [1, 2]
    assert parts[1].title == "新增博士工作站 4 家"
    # The empty leader cell of part 2 was merged with part 1's: still 何嘉旻.
    assert parts[1].leaders == ("何嘉旻",)
    assert names_on(table, parts[0].key, Role.LEAD) == ["市科技局"]
    assert names_on(table, parts[1].key, Role.LEAD) == ["市人力资源社会保障局"]
    inherited = [q for q in table.quirks if q.kind == "inherited" and q.line == 138]
    assert {q.cell for q in inherited} == {"事项", "分管领导"}


def test_item_79_has_ten_sub_projects(sample_tables):
    table, item79 = item(sample_tables, 1, "79")
    parts = sorted((p for p in table.parts if p.item == item79.key), key=lambda p: p.part)
    implementers = [names_on(table, p.key, Role.IMPLEMENT) for p in parts]
    assert implementers == [
        ["市城市管理和综合执法局"],
        ["霞山区政府"],
        ["赤坎区政府"],
        ["赤坎区政府"],
        ["麻章区政府"],
        ["湛江经开区管委会"],
        ["湛江经开区管委会"],
        ["湛江经开区管委会"],
        ["坡头区政府"],
        ["市城市管理和综合执法局"],
    ]
    assert parts[1].title == "建设路改造工程"
    assert parts[9].title.startswith("人民大道、海滨大道")


def test_livelihood_9_two_parts_two_leaders(sample_tables):
    table, item9 = item(sample_tables, 2, "9")
    parts = [p for p in table.parts if p.item == item9.key]
    assert [p.leaders for p in parts] == [("何嘉旻",), ("吴国雄",)]
    assert names_on(table, parts[1].key, Role.LEAD) == ["市教育局"]
    # Numbered sub-lists inside one targets cell become sections of milestones.
    sections = {m.section for m in table.milestones if m.owner == parts[1].key}
    assert any(s.startswith("新增幼儿园学位") for s in sections)


def test_deadlines(sample_tables):
    _, i53 = item(sample_tables, 1, "53")
    assert i53.deadline == dt.date(2023, 9, 30)
    _, l7 = item(sample_tables, 2, "7")
    assert l7.deadline == dt.date(2023, 6, 30)  # printed "2023 年 6 月", with spaces


def test_quarter_labels_and_ranges(sample_tables):
    table = sample_tables[0]
    periods = {m.period: m.quarters for m in table.milestones}
    assert periods["第一、二季度"] == (1, 2)
    assert periods["第一至二季度"] == (1, 2)
    assert periods["第二至四季度"] == (2, 3, 4)
    assert periods["第三、四季度"] == (3, 4)


def test_quantities(sample_tables):
    table, item3 = item(sample_tables, 1, "3")
    ms = [m for m in table.milestones if m.owner == item3.key]
    q1 = ms[0].quantities[0]
    assert (q1.value, q1.unit_text, q1.cumulative, q1.wan_yuan) == (0.6, "亿元", False, 6000.0)
    q4 = [q for q in ms[3].quantities]
    assert [(q.value, q.cumulative) for q in q4] == [(5.4, False), (12.0, True)]
    _, item2 = item(sample_tables, 1, "2")
    q2 = [m for m in table.milestones if m.owner == item2.key][1].quantities[0]
    assert (q2.value, q2.cumulative) == (20.0, True)
    wan = [q for m in table.milestones for q in m.quantities if q.unit_text == "万元"]
    assert wan and all(q.wan_yuan == q.value for q in wan)


def test_source_errors_are_reported(sample_tables):
    quirks = [(q.line, q.kind) for t in sample_tables for q in t.quirks]
    assert (211, "deadline_year") in quirks  # item 92: 2013年12月
    assert (108, "no_implementer") in quirks  # item 51
    assert (123, "no_implementer") in quirks  # item 60
    _, i92 = item(sample_tables, 1, "92")
    assert i92.deadline == dt.date(2013, 12, 31)  # reported, not silently "fixed"


def test_loading_twice_changes_nothing(sample_tables):
    from respgraph.graph.sqlite_store import SqliteStore

    store = SqliteStore()
    for t in sample_tables:
        store.write(t.to_batch())
    before = store.counts()
    for t in read_tables(sample_path()):
        store.write(t.to_batch())
    assert store.counts() == before

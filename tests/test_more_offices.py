"""Tables laid out by other offices (issue 22 §4), each class on a table of our own
making, written both as an Excel workbook and as a Word table (tests/office_tables.py)."""

from __future__ import annotations

import pytest

from respgraph.loaders.load import read_tables, sample_path
from tests.office_tables import FORMATS, OfficeTable

TITLE = "2024年茂名市重点工作任务分工表"


def read(tmp_path, table: OfficeTable, suffix: str):
    (only,) = read_tables(table.write(tmp_path / f"t{suffix}"))
    return only


def roles(table) -> dict[tuple[str, str], list[str]]:
    """(item number, role) -> unit names in the order read."""
    out: dict[tuple[str, str], list[str]] = {}
    for a in table.assignments:
        out.setdefault((a.owner.rsplit("/", 1)[-1], a.role.value), []).append(a.name)
    return out


def leaders(table) -> dict[str, tuple[str, ...]]:
    return {i.number: i.leaders for i in table.items}


def kinds(table) -> list[str]:
    return [q.kind for q in table.quirks]


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("header", ["牵头负责领导", "责任领导", "牵头市领导", "区（县）分管领导", "负责同志"])
def test_leader_header_words(tmp_path, suffix, header):
    t = OfficeTable(
        TITLE,
        ["序号", "工作任务", header, "牵头单位"],
        [["1", "推进某项工作", "张三", "市财政局"], ["2", "推进另一项工作", "李四", "市商务局"]],
    )
    table = read(tmp_path, t, suffix)
    assert leaders(table) == {"1": ("张三",), "2": ("李四",)}
    assert {u.name for u in table.units} == {"市财政局", "市商务局"}


@pytest.mark.parametrize("suffix", FORMATS)
@pytest.mark.parametrize("assisting", ["协同责任单位", "协同单位", "配合单位"])
def test_role_header_words_and_co_leads(tmp_path, suffix, assisting):
    t = OfficeTable(
        TITLE,
        ["序号", "工作任务", "主要责任单位", assisting],
        [
            ["1", "推进某项工作", "市发展改革局\n市工业和信息化局", "市财政局"],
            ["2", "推进另一项工作", "市商务局", "市统计局\n市税务局"],
        ],
    )
    table = read(tmp_path, t, suffix)
    assert roles(table) == {
        ("1", "lead"): ["市发展改革局", "市工业和信息化局"],
        ("1", "assist"): ["市财政局"],
        ("2", "lead"): ["市商务局"],
        ("2", "assist"): ["市统计局", "市税务局"],
    }


@pytest.mark.parametrize("suffix", FORMATS)
def test_stray_text_after_names_goes_and_is_noted(tmp_path, suffix):
    t = OfficeTable(
        TITLE,
        ["序号", "工作任务", "牵头单位", "配合单位"],
        [
            ["1", "推进某项工作", "市财政局。", "市商务局等单位"],
            ["2", "推进另一项工作", "市统计局；", "市交通运输局、市公安局等部门"],
            ["3", "推进第三项工作", "市教育局", "市民政局等"],
        ],
    )
    table = read(tmp_path, t, suffix)
    assert roles(table) == {
        ("1", "lead"): ["市财政局"],
        ("1", "assist"): ["市商务局"],
        ("2", "lead"): ["市统计局"],
        ("2", "assist"): ["市交通运输局", "市公安局"],
        ("3", "lead"): ["市教育局"],
        ("3", "assist"): ["市民政局"],
    }
    assert kinds(table).count("stray_text") == 5  # 。 等单位 ； 等部门 等


@pytest.mark.parametrize("suffix", FORMATS)
def test_inline_role_phrases_set_the_role(tmp_path, suffix):
    t = OfficeTable(
        TITLE,
        ["序号", "工作任务", "责任单位"],
        [
            ["1", "推进全民健身", "市教育局牵头，市体育局配合"],
            ["2", "推进妇女儿童工作", "市民政局、市妇联协助落实"],
            ["3", "推进校园足球", "市体育局配合、市教育局牵头"],
        ],
    )
    table = read(tmp_path, t, suffix)
    r = roles(table)
    assert r[("1", "lead")] == ["市教育局"] and r[("1", "assist")] == ["市体育局"]
    assert r[("2", "lead")] == ["市民政局"] and r[("2", "assist")] == ["市妇联"]
    # The unit the cell says leads leads, not the first one listed.
    assert r[("3", "lead")] == ["市教育局"] and r[("3", "assist")] == ["市体育局"]
    assert {u.name for u in table.units} == {"市教育局", "市体育局", "市民政局", "市妇联"}
    assert kinds(table).count("inline_role") >= 4


@pytest.mark.parametrize("suffix", FORMATS)
def test_group_names_with_a_list_inside_stay_one(tmp_path, suffix):
    t = OfficeTable(
        TITLE,
        ["序号", "工作任务", "牵头单位", "责任单位"],
        [
            ["1", "推进某项工作", "市财政局", "各市、县（区）人民政府、市商务局"],
            ["2", "推进另一项工作", "市统计局", "各县（市、区）"],
            ["3", "推进第三项工作", "市民政局", "各镇、街道，市公安局"],
        ],
    )
    table = read(tmp_path, t, suffix)
    r = roles(table)
    assert r[("1", "implement")] == ["各市、县（区）人民政府", "市商务局"]
    assert r[("2", "implement")] == ["各县（市、区）"]
    assert r[("3", "implement")] == ["各镇、街道", "市公安局"]
    assert {g.name for g in table.groups} == {"各市、县（区）人民政府", "各县（市、区）", "各镇、街道"}


@pytest.mark.parametrize("suffix", FORMATS)
def test_aliases_of_one_city_never_rename_another_citys_bodies(tmp_path, suffix):
    t = OfficeTable(
        TITLE, ["序号", "工作任务", "牵头单位", "配合单位"], [["1", "推进城市更新", "市住房城乡建设局", "市发展改革委"]]
    )
    table = read(tmp_path, t, suffix)
    # Zhanjiang's tables join these spellings; Maoming's own names stay as Maoming prints them.
    assert {u.name for u in table.units} == {"市住房城乡建设局", "市发展改革委"}
    assert "alias" not in kinds(table)
    sample_units = {u.name for t in read_tables(sample_path()) for u in t.units}
    assert "市住房和城乡建设局" in sample_units and "市住房城乡建设局" not in sample_units


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_leader_merged_over_several_items_oversees_each(tmp_path, suffix):
    t = OfficeTable(
        TITLE,
        ["序号", "工作任务", "牵头市领导", "牵头单位"],
        [
            ["1", "推进某项工作", "张三", "市财政局"],
            ["2", "推进另一项工作", "", "市商务局"],
            ["3", "推进第三项工作", "", "市统计局"],
            ["4", "推进第四项工作", "李四", "市民政局"],
        ],
        merges=[(2, 0, 2)],
    )
    table = read(tmp_path, t, suffix)
    assert leaders(table) == {"1": ("张三",), "2": ("张三",), "3": ("张三",), "4": ("李四",)}

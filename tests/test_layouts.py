"""Other cities' layouts, each rule on a small hand-made table whose facts are checked by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from respgraph.graph.errors import LoadError
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.load import read_source, read_tables, sample_path
from respgraph.loaders.table.columns import HEADERS, parse_mapping

TITLE = "2024年茂名市政府工作报告重点工作任务分工表"


def short(key: str) -> str:
    """A document key without the digest of its title (``doc:茂名市/2024/1``)."""
    return key.rsplit("-", 1)[0]


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def roles(table) -> dict[tuple[str, str], list[str]]:
    """(item or part number, role) -> names, as a reader would list them."""
    out: dict[tuple[str, str], list[str]] = {}
    for a in table.assignments:
        owner = a.owner.rsplit("/", 1)[-1]
        out.setdefault((owner, a.role.value), []).append(a.name)
    return out


def only(tables):
    (table,) = tables
    return table


# --- the header, wherever it is -------------------------------------------------------


def test_header_below_title_and_notes_in_two_lines(tmp_path):
    path = write(
        tmp_path,
        "t.csv",
        f"{TITLE}\n注：本表由市政府督查室编制\n\n"
        "序号,重点工作,市政府,牵头单位,配合单位,完成时间\n"
        ",,分管领导,,,\n"
        "1,推进某项工作,张三,市发展改革局,市财政局、市自然资源局,2024年6月\n",
    )
    reading = read_source(path)
    (detail,) = reading.details
    assert detail.header_lines == (4, 5)
    assert [(c.header, c.field) for c in detail.columns] == [
        ("序号", "number"),
        ("重点工作", "title"),
        ("市政府 分管领导", "leader"),
        ("牵头单位", "lead"),
        ("配合单位", "assist"),
        ("完成时间", "deadline"),
    ]
    table = only(read_tables(path))
    assert (short(table.document.key), table.document.title, table.document.level) == (
        "doc:茂名市/2024/1",
        TITLE,
        "city",
    )
    (item,) = table.items
    assert (item.number, item.title, item.leaders, item.deadline) == (
        "1",
        "推进某项工作",
        ("张三",),
        dt.date(2024, 6, 30),
    )
    assert roles(table) == {("1", "lead"): ["市发展改革局"], ("1", "assist"): ["市财政局", "市自然资源局"]}


SYNONYMS = {
    "leader": ["市政府分管领导", "分管领导", "牵头领导", "责任领导", "分管市领导"],
    "lead": ["牵头单位", "牵头部门", "主责单位"],
    "implement": ["实施单位", "承办单位", "责任单位", "责任主体"],
    "assist": ["协办单位", "配合单位", "参与单位", "协同单位"],
    "title": ["事项", "工作任务", "重点工作", "主要任务", "项目名称", "民生实事"],
    "deadline": ["完成时限", "完成时间", "时间节点"],
}


@pytest.mark.parametrize("field, header", [(f, h) for f, hs in SYNONYMS.items() for h in hs])
def test_every_synonym_the_issue_names(tmp_path, field, header):
    assert HEADERS[header] == field
    columns = {
        "number": "序号",
        "title": "事项",
        "leader": "分管领导",
        "lead": "牵头单位",
        "implement": "实施单位",
        "assist": "协办单位",
        "deadline": "完成时限",
    }
    values = {
        "number": "1",
        "title": "推进某项工作",
        "leader": "张三",
        "lead": "市发展改革局",
        "implement": "市财政局",
        "assist": "市税务局",
        "deadline": "2024年12月",
    }
    columns[field] = header
    path = write(tmp_path, "t.csv", f"{TITLE}\n{','.join(columns.values())}\n{','.join(values.values())}\n")
    (raw,) = read_source(path).tables
    assert raw.columns == columns
    assert raw.rows[0].cells[field] == values[field]


def test_no_recognisable_header_is_one_load_error(tmp_path):
    path = write(tmp_path, "t.csv", f"{TITLE}\n甲,乙,丙\n1,推进,市发展改革局\n")
    with pytest.raises(LoadError) as err:
        read_tables(path)
    assert err.value.file == str(path) and err.value.line == 2
    assert "no header row found" in str(err.value) and "--map" in str(err.value)


def test_map_overrides_and_names_unknown_columns(tmp_path):
    text = f"{TITLE}\n序号,工作任务,牵头单位,协助单位,备注\n1,推进某项工作,市发展改革局,市财政局,已列入计划\n"
    path = write(tmp_path, "t.csv", text)
    assert read_source(path).details[0].unmapped == ["协助单位", "备注"]
    assert ("1", "assist") not in roles(only(read_tables(path)))
    mapping = parse_mapping(["协助单位=assist", "备注=ignore", "牵头单位=implement"])
    reading = read_source(path, mapping=mapping)
    assert reading.details[0].unmapped == []
    assert [c.how for c in reading.details[0].columns][2:5] == ["--map", "--map", "--map"]
    table = only(read_tables(path, mapping=mapping, lead_first=False))
    assert roles(table) == {("1", "implement"): ["市发展改革局"], ("1", "assist"): ["市财政局"]}
    with pytest.raises(ValueError, match="HEADER=ROLE"):
        parse_mapping(["协助单位=helper"])


def test_no_number_column_makes_an_item_of_every_row(tmp_path):
    path = write(tmp_path, "t.csv", f"{TITLE}\n工作任务,牵头单位\n推进甲,市发展改革局\n推进乙,市财政局\n")
    table = only(read_tables(path))
    assert [(i.number, i.title) for i in table.items] == [("1", "推进甲"), ("2", "推进乙")]


# --- one 责任单位 column: the first unit leads ----------------------------------------------


LONE = (
    f"{TITLE}\n序号,工作任务,责任单位,责任领导\n"
    "1,推进某项工作,市发展改革局、市财政局（列第一位者为牵头单位）,张三\n"
    "2,推进另一项工作,霞山区、麻章区政府,李四\n"
)


def test_first_unit_of_a_lone_responsible_column_leads(tmp_path):
    table = only(read_tables(write(tmp_path, "t.csv", LONE)))
    assert roles(table) == {
        ("1", "lead"): ["市发展改革局"],
        ("1", "implement"): ["市发展改革局", "市财政局"],
        ("2", "lead"): ["霞山区政府"],
        ("2", "implement"): ["霞山区政府", "麻章区政府"],
    }
    # The note is a rule, not a unit.
    assert not any("第一位" in u.name for u in table.units)
    notes = read_source(write(tmp_path, "t.csv", LONE)).details[0].notes
    assert notes == ["no 牵头单位 column: the first unit of 责任单位 leads (as the table says)"]


def test_lead_first_can_be_turned_off(tmp_path):
    table = only(read_tables(write(tmp_path, "t.csv", LONE), lead_first=False))
    assert ("1", "lead") not in roles(table)
    assert roles(table)[("1", "implement")] == ["市发展改革局", "市财政局"]
    assert not any("第一位" in u.name for u in table.units)


def test_lead_first_rule_in_the_header(tmp_path):
    text = f"{TITLE}\n序号,工作任务,责任单位（排在第一位的为牵头单位）\n1,推进,市交通运输局、市公安局\n"
    reading = read_source(write(tmp_path, "t.csv", text))
    assert "as the table says" in reading.details[0].notes[0]
    assert roles(only(read_tables(write(tmp_path, "t.csv", text))))[("1", "lead")] == ["市交通运输局"]


def test_a_table_with_a_lead_column_is_left_alone(tmp_path):
    text = f"{TITLE}\n序号,工作任务,牵头单位,责任单位\n1,推进,市财政局,市交通运输局、市公安局\n"
    assert roles(only(read_tables(write(tmp_path, "t.csv", text))))[("1", "lead")] == ["市财政局"]


# --- sections and leaders from headings ------------------------------------------------------


SECTIONS = (
    f"{TITLE}\n序号,工作任务,牵头单位,牵头领导\n"
    "一、王中丙市长主抓重点工作,,,\n"
    "1,推进甲,市发展改革局,\n"
    "2,推进乙,市财政局,李四\n"
    "二、经济发展,,,\n"
    "（一）产业（牵头领导：何嘉旻）,,,\n"
    "1,推进丙,市工业和信息化局,\n"
    "（二）招商,,,\n"
    "2,推进丁,市投资促进局,\n"
)


def test_sections_are_categories_and_heading_leaders_apply(tmp_path):
    reading = read_source(write(tmp_path, "t.csv", SECTIONS))
    table = only(read_tables(write(tmp_path, "t.csv", SECTIONS)))
    got = [(i.number, i.title, i.section, i.leaders) for i in table.items]
    assert got == [
        ("1.1", "推进甲", "一、王中丙市长主抓重点工作", ("王中丙",)),
        ("1.2", "推进乙", "一、王中丙市长主抓重点工作", ("李四",)),  # its own cell wins
        ("2.1", "推进丙", "二、经济发展 / （一）产业（牵头领导：何嘉旻）", ("何嘉旻",)),
        ("2.2", "推进丁", "二、经济发展 / （二）招商", ()),
    ]
    assert any("section.number" in n for n in reading.details[0].notes)
    assert not any("一、" in i.title or "（一）" in i.title for i in table.items)


def test_heading_leader_without_leader_column(tmp_path):
    text = f"{TITLE}\n序号,工作任务,牵头单位\n一、常务副市长黄明忠牵头,,\n1,推进甲,市发展改革局\n"
    table = only(read_tables(write(tmp_path, "t.csv", text)))
    assert table.items[0].leaders == ("黄明忠",)
    assert [x.name for x in table.leaders] == ["黄明忠"]


# --- prose task lists ---------------------------------------------------------------------


PROSE = f"""{TITLE}
为确保各项工作落到实处，现将任务分工如下：
一、王中丙市长主抓重点工作
1. 推进甲项目建设。（牵头单位：市发展改革局；责任单位：市自然资源局、市财政局）
2．推进乙项目(牵头单位:市交通运输局;配合单位:霞山区、麻章区政府)
（二）民生
3、推进丙工作
牵头单位：市教育局
责任单位：各县（市、区）政府（管委会）
完成时限：2024年9月
4) 推进丁工作，分两期实施
牵头单位：市住房城乡建设局；责任单位：赤坎区政府
牵头单位：市城市管理和综合执法局；责任单位：霞山区政府
"""


@pytest.mark.parametrize("where", ["txt", "docx"])
def test_prose_task_list(tmp_path, where):
    if where == "txt":
        path = write(tmp_path, "t.txt", PROSE)
    else:
        import docx

        document = docx.Document()
        for line in PROSE.splitlines():
            document.add_paragraph(line)
        path = tmp_path / "t.docx"
        document.save(path)
    table = only(read_tables(path))
    assert short(table.document.key) == "doc:茂名市/2024/1"
    assert [(i.number, i.title, i.leaders) for i in table.items] == [
        ("1", "推进甲项目建设", ("王中丙",)),
        ("2", "推进乙项目", ("王中丙",)),
        ("3", "推进丙工作", ("王中丙",)),
        ("4", "推进丁工作，分两期实施", ("王中丙",)),
    ]
    assert table.items[2].section == "一、王中丙市长主抓重点工作 / （二）民生"
    assert table.items[2].deadline == dt.date(2024, 9, 30)
    got = roles(table)
    assert got[("1", "lead")] == ["市发展改革局"] and got[("1", "implement")] == ["市自然资源局", "市财政局"]
    assert got[("2", "assist")] == ["霞山区政府", "麻章区政府"]  # ASCII punctuation, shared suffix
    assert got[("3", "implement")] == ["各县（市、区）政府（管委会）"]
    # A label given twice starts the task's next part.
    assert [p.key.rsplit("/", 1)[-1] for p in table.parts] == ["4.1", "4.2"]
    # Zhanjiang's aliases do not rename Maoming's bureau (issue 22).
    assert got[("4.1", "lead")] == ["市住房城乡建设局"] and got[("4.2", "implement")] == ["霞山区政府"]


# --- merged cells in docx, xlsx and html -------------------------------------------------------


def test_docx_merged_cells(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    t = document.add_table(rows=5, cols=5)
    for r, cells in enumerate(
        [
            ["序号", "工作任务", "分管领导", "牵头单位", "责任单位"],
            ["1", "推进甲", "张三", "市发展改革局", "赤坎区政府"],
            ["", "", "", "", "霞山区政府"],
            ["2", "推进乙", "", "市财政局", "市税务局"],
            ["3", "推进丙", "李四", "市教育局", "市财政局"],
        ]
    ):
        for c, text in enumerate(cells):
            t.cell(r, c).text = text
    t.cell(1, 0).merge(t.cell(2, 0))  # 序号 over two rows: item 1 has two parts
    t.cell(1, 1).merge(t.cell(2, 1))
    t.cell(1, 3).merge(t.cell(2, 3))  # one lead unit for both parts
    t.cell(1, 2).merge(t.cell(3, 2))  # one leader for item 1 and item 2
    path = tmp_path / "t.docx"
    document.save(path)
    table = only(read_tables(path))
    assert [(i.number, i.leaders) for i in table.items] == [("1", ("张三",)), ("2", ("张三",)), ("3", ("李四",))]
    assert [(p.part, p.leaders) for p in table.parts] == [(1, ("张三",)), (2, ("张三",))]
    got = roles(table)
    assert got[("1.1", "lead")] == got[("1.2", "lead")] == ["市发展改革局"]
    assert got[("1.1", "implement")] == ["赤坎区政府"] and got[("1.2", "implement")] == ["霞山区政府"]
    assert read_source(path).details[0].header_lines == (2,)  # paragraph 1, then the table's first row


def test_xlsx_sheets_dates_and_merged_title(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    cover = book.active
    cover.title = "说明"
    cover["A1"] = "本工作簿共两张表"
    for n, name in ((1, "附件1"), (2, "附件2")):
        ws = book.create_sheet(name)
        ws["A1"] = f"2024年茂名市重点工作表{n}"
        ws.merge_cells("A1:D1")
        ws.append([])
        ws.append(["序号", "工作任务", "完成时限", "责任单位"])
        ws.append([1, f"推进{n}", dt.datetime(2024, 6, 1), "市发展改革局"])
        ws["C4"].number_format = "yyyy年m月"
    path = tmp_path / "t.xlsx"
    book.save(path)
    reading = read_source(path)
    assert [(d.attachment, d.where, d.header_lines) for d in reading.details] == [
        (1, "sheet '附件1'", (3,)),
        (2, "sheet '附件2'", (3,)),
    ]
    assert any("说明" in n for n in reading.details[0].notes)  # the cover sheet: skipped, and said so
    tables = read_tables(path)
    assert [short(t.document.key) for t in tables] == ["doc:茂名市/2024/1", "doc:茂名市/2024/2"]
    assert tables[0].items[0].deadline_text == "2024年6月"


def test_html_rowspan_colspan_and_gbk(tmp_path):
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{TITLE}</title></head><body>
<h2>{TITLE}</h2>
<table>
<tr><th rowspan=2>序号</th><th rowspan=2>工作任务</th><th colspan=2>责任分工</th></tr>
<tr><th>牵头单位</th><th>配合单位</th></tr>
<tr><td rowspan=2>1</td><td rowspan=2>推进甲</td><td>市发展改革局</td><td>市财政局</td></tr>
<tr><td>市自然资源局</td><td>市林业局
<tr><td>2</td><td>推进乙<br>（续）</td><td colspan=2>市教育局</td></tr>
</table></body></html>"""
    path = write(tmp_path, "t.html", page, encoding="gbk")
    reading = read_source(path)
    assert reading.encoding == "gb18030 (declared in <meta charset=gb2312>)"
    assert [(c.header, c.field) for c in reading.details[0].columns] == [
        ("序号", "number"),
        ("工作任务", "title"),
        ("责任分工 牵头单位", "lead"),
        ("责任分工 配合单位", "assist"),
    ]
    table = only(read_tables(path))
    got = roles(table)
    assert got[("1.1", "lead")] == ["市发展改革局"] and got[("1.2", "lead")] == ["市自然资源局"]
    assert got[("1.2", "assist")] == ["市林业局"]  # an unclosed <td> and <tr>, as real pages have
    assert got[("2", "lead")] == got[("2", "assist")] == ["市教育局"]  # colspan repeats the text


# --- several cities, levels and years side by side --------------------------------------------


def test_cities_and_levels_do_not_merge(tmp_path):
    maoming = write(tmp_path, "m.csv", f"{TITLE}\n序号,工作任务,牵头单位\n1,推进甲,市发展改革局\n")
    xiashan = write(
        tmp_path, "x.csv", "霞山区2024年重点工作任务分工表\n序号,工作任务,牵头单位\n1,推进乙,区发展改革局\n"
    )
    store = SqliteStore()
    loaded = [*read_tables(sample_path()), *read_tables(maoming), *read_tables(xiashan)]
    for t in loaded:
        store.write(t.to_batch())
    docs = {short(d["key"]): (d["city"], d["level"], d["year"]) for d in store.documents()}
    assert docs["doc:茂名市/2024/1"] == ("茂名市", "city", 2024)
    assert docs["doc:霞山区/2024/1"] == ("霞山区", "district", 2024)
    assert docs["doc:湛江市/2023/1"] == ("湛江市", "city", 2023)
    units = {n["key"] for n in store.nodes(["Unit"]) if "发展改革局" in n["name"]}
    assert {"unit:湛江市/市发展改革局", "unit:茂名市/市发展改革局", "unit:霞山区/区发展改革局"} <= units


def test_level_and_city_options(tmp_path):
    path = write(tmp_path, "t.csv", "2024年重点工作\n序号,工作任务,牵头单位\n1,推进甲,县发展改革局\n")
    with pytest.raises(LoadError, match="--city"):
        read_tables(path)
    (table,) = read_tables(path, city="遂溪县")
    assert (short(table.document.key), table.document.level) == ("doc:遂溪县/2024/1", "county")
    (table,) = read_tables(path, city="遂溪县", level="city")
    assert table.document.level == "city"


# --- the command line ----------------------------------------------------------------------


def test_check_shows_what_it_understood(tmp_path, run):
    path = write(tmp_path, "t.csv", LONE.replace("责任领导", "备注"), encoding="gbk")
    proc = run("check", str(path))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("format: csv (comma-separated), encoding: GBK/GB18030")
    assert f"附件 1, header on line 2: {TITLE}" in out
    assert "责任单位=implement" in out and "责任单位（第一位）=lead (lead-first)" in out
    assert "备注=? (unmapped)" in out and "unmapped: 备注" in out
    proc = run("check", str(path), "--map", "备注=leader", "--no-lead-first")
    assert "备注=leader (--map)" in proc.stdout and "(lead-first)" not in proc.stdout


def test_load_with_map_and_bad_map(tmp_path, run, home):
    path = write(tmp_path, "t.csv", f"{TITLE}\n序号,工作任务,协助单位\n1,推进甲,市财政局\n")
    proc = run("load", str(path))
    assert proc.returncode == 1 and "no header row found" in proc.stderr and "Traceback" not in proc.stderr
    assert not (home / "graph.db").exists()
    assert run("load", str(path), "--map", "协助单位=implement", check=True).stdout.startswith(
        "loaded doc:茂名市/2024/1"
    )
    proc = run("load", str(path), "--map", "协助单位")
    assert proc.returncode == 2 and "HEADER=ROLE" in proc.stderr


def test_csv_cells_with_line_breaks_keep_the_lines_right(tmp_path):
    text = (
        f"{TITLE}\n序号,工作任务,季度工作目标,牵头单位\n"
        '1,推进甲,"第一季度：启动。\n第二季度：完成。",市发展改革局\n'
        "2,推进乙,,市财政局\n"
    )
    table = only(read_tables(write(tmp_path, "t.csv", text, encoding="utf-8-sig")))
    assert [(i.number, i.line) for i in table.items] == [("1", 3), ("2", 5)]
    assert [(m.quarters, m.text) for m in table.milestones] == [((1,), "启动。"), ((2,), "完成。")]


def test_xlsx_two_line_header_with_merged_cells(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.append([TITLE])
    ws.append(["序号", "重点工作", "市政府", "责任单位", None])
    ws.append([None, None, "分管领导", "牵头单位", "配合单位"])
    ws.append([1, "推进甲", "张三", "市发展改革局", "市财政局"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("D2:E2")
    path = tmp_path / "t.xlsx"
    book.save(path)
    (detail,) = read_source(path).details
    assert detail.header_lines == (2, 3)
    assert [(c.header, c.field) for c in detail.columns] == [
        ("序号", "number"),
        ("重点工作", "title"),
        ("市政府 分管领导", "leader"),
        ("责任单位 牵头单位", "lead"),
        ("责任单位 配合单位", "assist"),
    ]
    table = only(read_tables(path))
    assert roles(table) == {("1", "lead"): ["市发展改革局"], ("1", "assist"): ["市财政局"]}
    assert table.items[0].leaders == ("张三",)


def test_page_breaks_and_second_tables(tmp_path):
    header = "序号,工作任务,市政府,牵头单位,实施单位\n"
    text = (
        f"{TITLE}\n{header},,分管领导,,\n"
        "1,推进甲,张三,市财政局,市财政局\n"
        f"{header}"  # a page break repeats only the header's first line
        "2,推进乙,张三,市发展改革局,市发展改革局\n"
        ",,,市财政局,市财政局\n"  # a continuation row naming one unit twice is no heading
        "2024年茂名市十件民生实事分工表\n"  # a second table with the same columns
        f"{header},,分管领导,,\n"
        "1,建设学校,李四,市教育局,市教育局\n"
    )
    tables = read_tables(write(tmp_path, "t.csv", text))
    assert [(t.document.attachment, t.document.title, len(t.items)) for t in tables] == [
        (1, TITLE, 2),
        (2, "2024年茂名市十件民生实事分工表", 1),
    ]
    assert [p.key.rsplit("/", 1)[-1] for p in tables[0].parts] == ["2.1", "2.2"]
    assert roles(tables[0])[("2.2", "lead")] == ["市财政局"]
    assert tables[0].parts[1].leaders == ("张三",)  # the empty cell of a continuation row: inherited

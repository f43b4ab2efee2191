"""Many tables in one graph: two cities, two years, tables that share unit names.

The graph here holds the bundled sample (湛江市 2023, 附件 1 and 2) and three small
tables written at test time, each in another format:

- ``m2023.csv``: 茂名市 2023 (the title says so);
- ``茂名市2024年重点工作任务分工.xlsx``: 茂名市 2024, known only from the file name, with a
  heading row that has no number, a ``（一）`` heading, and a unit cell whose names
  sit on separate lines (Alt+Enter);
- ``湛江市2023年重点工作责任分工.docx``: a second 湛江市 2023 table, also 附件 1, known
  only from its file name, with a heading row whose 序号 is empty.

Facts counted by hand from these tables and the sample:
- 湛江市's 市财政局: sample item 1-74 (assist) and docx item 1 (assist): 2 items.
- 茂名市's 市财政局: 2023 items 1 and 3 (assist), 2024 item 1 (implement): 3 items.
- 茂名市's 市发展改革局: 2023 item 1 (lead, implement), 2024 item 1 (assist) and
  item 2 (lead, implement): 3 items, lead 2, implement 2, assist 1, score 11.
- 茂名市's leaders: 张三 (2023 items 1, 2; 2024 item 2), 李四 (2023 item 3), 王五
  (2024 item 1).
"""

from __future__ import annotations

import json

import pytest

from respgraph.graph.errors import AmbiguousName, UnknownDocument, UnknownName
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.load import read_source, read_tables, sample_path
from respgraph.queries.co import co_pairs, co_responsibility
from respgraph.queries.items import items_of_unit
from respgraph.queries.listing import documents, leaders, units
from respgraph.queries.portfolio import portfolio
from respgraph.queries.workload import workload

M2023 = """2023年茂名市重点工作任务分工表
序号,工作任务,分管领导,牵头单位,责任单位,配合单位
1,推进重点项目建设,张三,市发展改革局,市发展改革局,市财政局
2,建设铁路专用线,张三,市交通运输局,市铁路建设局,市自然资源局
3,开展城市更新行动,李四,市住房城乡建设局,各县（市、区）政府,市财政局
"""

HEADER = ["序号", "工作任务", "分管领导", "牵头单位", "责任单位", "配合单位"]
M2024_ROWS = [
    ["", "强化科技创新支撑能力。", "", "", "", ""],
    ["（一）", "建设创新平台", "", "", "", ""],
    ["1", "建设科技创新平台", "王五", "市科技局", "市科技局\n市财政局", "市发展改革局"],
    ["2", "推进重点项目建设", "张三", "市发展改革局", "市发展改革局", ""],
]
Z_ROWS = [
    ["", "优化营商环境。", "", "", "", ""],
    ["1", "清理拖欠企业账款", "陈峻华", "市工业和信息化局", "市工业和信息化局", "市财政局\n市发展改革局"],
]


def write_xlsx(path, title, rows, header=HEADER):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def write_docx(path, title, rows, header=HEADER):
    import docx

    document = docx.Document()
    document.add_paragraph(title)
    table = document.add_table(rows=0, cols=len(header))
    for values in [header, *rows]:
        cells = table.add_row().cells
        for cell, value in zip(cells, values):
            lines = value.split("\n")
            cell.text = lines[0]
            for line in lines[1:]:  # a name per paragraph, as Word keeps Enter inside a cell
                cell.add_paragraph(line)
    document.save(path)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cities")
    m2023 = folder / "m2023.csv"
    m2023.write_text(M2023, encoding="utf-8")
    m2024 = write_xlsx(folder / "茂名市2024年重点工作任务分工.xlsx", "重点工作任务分工表", M2024_ROWS)
    z2023 = write_docx(folder / "湛江市2023年重点工作责任分工.docx", "重点工作责任分工表", Z_ROWS)
    return {"m2023": m2023, "m2024": m2024, "z2023": z2023}


def fill(store, files):
    for path in (sample_path(), *files.values()):
        for table in read_tables(path):
            store.write(table.to_batch())
    return store


@pytest.fixture(params=["sqlite", "neo4j"])
def graph(request, files):
    if request.param == "sqlite":
        return fill(SqliteStore(), files)
    return fill(request.getfixturevalue("scratch_neo4j"), files)


def numbers(rows):
    return sorted((r.city, r.number) for r in rows)


def test_files_say_their_city_and_year(files):
    (m2024,) = read_tables(files["m2024"])
    assert (m2024.document.city, m2024.document.year) == ("茂名市", 2024)
    assert m2024.found == {"city": "the file name", "year": "the file name"}
    (z2023,) = read_tables(files["z2023"])
    assert (z2023.document.city, z2023.document.year, z2023.document.attachment) == ("湛江市", 2023, 1)


def test_heading_rows_name_the_section_and_are_no_items(files):
    (m2024,) = read_tables(files["m2024"])
    assert [(i.number, i.section) for i in m2024.items] == [
        ("1", "强化科技创新支撑能力。 / （一）建设创新平台"),
        ("2", "强化科技创新支撑能力。 / （一）建设创新平台"),
    ]
    (z2023,) = read_tables(files["z2023"])
    assert [(i.number, i.title, i.section) for i in z2023.items] == [("1", "清理拖欠企业账款", "优化营商环境。")]


def test_heading_row_in_csv_and_text(tmp_path):
    csv = tmp_path / "x.csv"
    csv.write_text(
        "2024年茂名市重点工作任务分工表\n序号,工作任务,分管领导,牵头单位\n,强化科技创新支撑能力。,,\n"
        "1,建设平台,王五,市科技局\n",
        encoding="utf-8",
    )
    tsv = tmp_path / "x.txt"
    tsv.write_text(
        "2024年茂名市重点工作任务分工表\n序号\t事项\t分管领导\t牵头单位\n\t强化科技创新支撑能力。\t\t\n"
        "1\t建设平台\t王五\t市科技局\n",
        encoding="utf-8",
    )
    for path in (csv, tsv):
        (table,) = read_tables(path)
        assert [(i.number, i.section) for i in table.items] == [("1", "强化科技创新支撑能力。")], path


def test_line_breaks_split_units_in_every_format(files, tmp_path):
    (m2024,) = read_tables(files["m2024"])
    item1 = {(a.name, a.role.value) for a in m2024.assignments if a.owner.endswith("/1")}
    assert {("市科技局", "implement"), ("市财政局", "implement")} <= item1
    (z2023,) = read_tables(files["z2023"])
    assert sorted(a.name for a in z2023.assignments if a.role.value == "assist") == ["市发展改革局", "市财政局"]
    csv = tmp_path / "y.csv"
    csv.write_text(
        "2024年茂名市重点工作任务分工表\n序号,工作任务,牵头单位,配合单位\n"
        '1,建设平台,市科技局,"县水务局\r\n县住建局\n县护城河指挥部"\n',
        encoding="utf-8",
    )
    (table,) = read_tables(csv)
    assert [a.name for a in table.assignments if a.role.value == "assist"] == ["县水务局", "县住建局", "县护城河指挥部"]
    html = tmp_path / "y.html"
    html.write_text(
        "<html><body><p>2024年茂名市重点工作任务分工表</p><table>"
        "<tr><td>序号</td><td>工作任务</td><td>牵头单位</td><td>配合单位</td></tr>"
        "<tr><td></td><td>强化科技创新支撑能力。</td><td></td><td></td></tr>"
        "<tr><td>1</td><td>建设平台</td><td>市科技局</td><td>县水务局<br>县住建局<br/>县护城河指挥部</td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    (table,) = read_tables(html)
    assert [a.name for a in table.assignments if a.role.value == "assist"] == ["县水务局", "县住建局", "县护城河指挥部"]
    assert [(i.number, i.section) for i in table.items] == [("1", "强化科技创新支撑能力。")]


def test_names_run_together_are_flagged(tmp_path):
    csv = tmp_path / "z.csv"
    csv.write_text(
        "2024年茂名市重点工作任务分工表\n序号,工作任务,牵头单位,配合单位\n"
        "1,甲,县水务局,县住建局\n2,乙,县护城河指挥部,县水务局县住建局县护城河指挥部\n",
        encoding="utf-8",
    )
    (table,) = read_tables(csv)
    (note,) = [q for q in table.quirks if q.kind == "run_together"]
    assert note.line == 4 and "县水务局县住建局县护城河指挥部" in note.message and "县护城河指挥部" in note.message


def test_a_second_table_of_one_city_and_year_stands_beside_the_first(graph):
    docs = [(d.city, d.year, d.attachment, d.items) for d in documents(graph)]
    assert sorted(docs) == [
        ("湛江市", 2023, 1, 1),
        ("湛江市", 2023, 1, 100),
        ("湛江市", 2023, 2, 10),
        ("茂名市", 2023, 1, 3),
        ("茂名市", 2024, 1, 2),
    ]


def test_a_name_in_two_cities_is_refused_until_narrowed(graph):
    with pytest.raises(AmbiguousName) as caught:
        items_of_unit(graph, "市财政局")
    assert caught.value.candidates == ["湛江市:市财政局", "茂名市:市财政局"]
    assert numbers(items_of_unit(graph, "市财政局", city="茂名市")) == [
        ("茂名市", "1"),
        ("茂名市", "1"),
        ("茂名市", "3"),
    ]
    assert numbers(items_of_unit(graph, "湛江市:市财政局")) == [("湛江市", "1"), ("湛江市", "74")]
    only_2024 = items_of_unit(graph, "市财政局", documents=["茂名市/2024"])
    assert [(r.city, r.number, r.roles) for r in only_2024] == [("茂名市", "1", ["implement"])]
    with pytest.raises(UnknownName, match="in 湛江市; did you mean: 茂名市:市铁路建设局"):
        items_of_unit(graph, "湛江市:市铁路建设局")


def test_document_selectors_fail_loudly(graph):
    with pytest.raises(UnknownDocument, match="no document 'nosuch/2024/1'"):
        items_of_unit(graph, "市科技局", documents=["nosuch/2024/1"])
    with pytest.raises(UnknownDocument, match="matches 2 documents"):
        workload(graph, documents=["湛江市/2023/1"])
    assert [r.number for r in items_of_unit(graph, "市科技局", documents=["doc:茂名市/2024/1"])] == ["1"]
    with pytest.raises(UnknownName, match="no city named '广州市'"):
        workload(graph, city="广州市")


def test_leaders_and_portfolios_per_city(graph):
    with pytest.raises(UnknownName) as caught:
        portfolio(graph, "王小明")
    assert caught.value.suggestions and "respgraph leaders" in str(caught.value)
    p = portfolio(graph, "张三")
    assert (p.city, sorted((i.document.split("/")[1], i.number) for i in p.items)) == (
        "茂名市",
        [("2023", "1"), ("2023", "2"), ("2024", "2")],
    )
    assert [(r.name, r.items) for r in leaders(graph, city="茂名市")] == [("张三", 3), ("李四", 1), ("王五", 1)]


def test_workload_counts_each_citys_bureau_apart(graph):
    rows = [r for r in workload(graph, by="unit").rows if r.name == "市发展改革局"]
    assert sorted(r.city for r in rows) == ["湛江市", "茂名市"]
    maoming = next(r for r in rows if r.city == "茂名市")
    assert (maoming.items, maoming.lead, maoming.implement, maoming.assist, maoming.score) == (3, 2, 2, 1, 11)
    only = workload(graph, by="unit", city="茂名市").rows
    assert {r.city for r in only} == {"茂名市"}
    assert [r.items for r in only if r.name == "市财政局"] == [3]


def test_co_responsibility_stays_in_its_city(graph):
    pairs = {(p.city, p.a, p.b): p.shared for p in co_pairs(graph, city="茂名市")}
    # 2023 item 1 (lead and implement / assist) and 2024 item 1 (assist / implement).
    assert pairs[("茂名市", "市发展改革局", "市财政局")] == 2
    assert {c for c, _, _ in pairs} == {"茂名市"}
    rows = co_responsibility(graph, "市科技局", city="茂名市")
    assert [(r.name, r.city, r.shared) for r in rows] == [("市发展改革局", "茂名市", 1), ("市财政局", "茂名市", 1)]


def test_units_list_per_city_and_document(graph):
    names = {(r.city, r.name) for r in units(graph, documents=["茂名市/2024"])}
    assert names == {("茂名市", "市科技局"), ("茂名市", "市财政局"), ("茂名市", "市发展改革局")}


def test_stores_answer_alike(files, scratch_neo4j):
    memory = fill(SqliteStore(), files)
    fill(scratch_neo4j, files)
    for store_a, store_b in [(memory, scratch_neo4j)]:
        assert documents(store_a) == documents(store_b)
        for city in ("湛江市", "茂名市"):
            assert items_of_unit(store_a, f"{city}:市财政局") == items_of_unit(store_b, f"{city}:市财政局")
            assert workload(store_a, city=city) == workload(store_b, city=city)
            assert co_pairs(store_a, city=city) == co_pairs(store_b, city=city)
            assert units(store_a, city=city) == units(store_b, city=city)
            assert leaders(store_a, city=city) == leaders(store_b, city=city)
        assert portfolio(store_a, "张三") == portfolio(store_b, "张三")
        assert workload(store_a, by="leader") == workload(store_b, by="leader")


def test_remove_drops_what_nothing_else_names(graph):
    key = next(d.key for d in documents(graph) if d.city == "茂名市" and d.year == 2024)
    assert graph.remove_document(key)
    assert not graph.remove_document(key)
    left = {r.name for r in units(graph, city="茂名市")}
    assert "市科技局" not in left and {"市财政局", "市发展改革局"} <= left
    assert [r.name for r in leaders(graph, city="茂名市")] == ["张三", "李四"]


def test_cli_several_cities(files, run):
    for path in (sample_path(), *files.values()):
        run("load", str(path), check=True)
    proc = run("items", "--unit", "市财政局")
    assert proc.returncode == 1
    assert proc.stderr.strip() == (
        "Error: unit '市财政局' is in more than one jurisdiction: 湛江市:市财政局, 茂名市:市财政局; "
        "say which with --city, --doc or a qualified name such as 湛江市:市财政局"
    )
    asked = ("items", "--unit", "市财政局", "--city", "茂名市", "--format", "json")
    data = json.loads(run(*asked, "--all-years", check=True).stdout)
    assert [(r["city"], r["number"]) for r in data] == [("茂名市", "1"), ("茂名市", "3"), ("茂名市", "1")]
    # Without a year: the latest of 茂名市's, as the unit's page answers.
    latest = max(r["year"] for r in data)
    assert json.loads(run(*asked, check=True).stdout) == [r for r in data if r["year"] == latest]
    proc = run("items", "--unit", "市财政局", "--doc", "nosuch/2024/1")
    assert proc.returncode == 1 and "no document 'nosuch/2024/1'" in proc.stderr
    table = run("workload", "--by", "unit", check=True).stdout
    assert [line.split()[:2] for line in table.splitlines() if line.startswith("市发展改革局")] in (
        [["市发展改革局", "湛江市"], ["市发展改革局", "茂名市"]],
        [["市发展改革局", "茂名市"], ["市发展改革局", "湛江市"]],
    )
    docs = json.loads(run("documents", "--format", "json", check=True).stdout)
    assert {(d["city"], d["year"], d["items"]) for d in docs} >= {("茂名市", 2024, 2), ("湛江市", 2023, 1)}
    assert set(docs[0]) >= {"key", "city", "year", "title", "source", "items"}
    listed = json.loads(run("units", "--city", "茂名市", "--format", "json", check=True).stdout)
    # Two years of 茂名市 are loaded: listings count the latest (issue 22) and say which.
    assert {"name": "市科技局", "city": "茂名市", "year": "2024", "kind": "city_department", "items": 1} in listed
    listed = json.loads(run("leaders", "--format", "json", check=True).stdout)
    assert {"name": "张三", "city": "茂名市", "year": "2024", "items": 1} in listed
    listed = json.loads(run("leaders", "--all-years", "--format", "json", check=True).stdout)
    assert {"name": "张三", "city": "茂名市", "year": "2023+2024", "items": 3} in listed
    again = run("load", str(files["m2023"]), check=True).stdout
    assert again.startswith("reloaded doc:茂名市/2023/1-") and "it was loaded from m2023.csv" in again
    removed = run("remove", "茂名市/2024", "--yes", check=True).stdout
    assert removed.startswith("removed doc:茂名市/2024/1-") and "1 Unit" in removed


def test_check_says_where_city_and_year_came_from(files, run, tmp_path):
    out = run("check", str(files["m2024"]), check=True).stdout
    assert "city: 茂名市 (from the file name); year: 2024 (附件 1, from the file name)" in out
    nameless = write_xlsx(
        tmp_path / "tasks.xlsx",
        "重点工作任务分工表",
        M2024_ROWS[2:],
        header=["序号", "工作任务", "市政府\n分管领导", "牵头单位", "责任单位", "配合单位"],
    )
    proc = run("check", str(nameless))
    assert proc.returncode == 0, proc.stderr
    assert "load will need: --city" in proc.stdout and "--year" in proc.stdout
    assert "市政府分管领导=leader" in proc.stdout
    proc = run("load", str(nameless))
    assert proc.returncode == 1 and "--city" in proc.stderr
    proc = run("load", str(nameless), "--city", "茂名市")
    assert proc.returncode == 1 and "give it with --year" in proc.stderr


def test_reading_joins_header_line_breaks(tmp_path):
    path = write_xlsx(
        tmp_path / "茂名市2024年分工.xlsx",
        "重点工作任务分工表",
        M2024_ROWS[2:],
        header=["序号", "工作任务", "市政府\n分管领导", "牵头单位", "责任单位", "配合单位"],
    )
    assert "市政府分管领导=leader" in read_source(path).describe()

"""More offices' headers (issue 29 §5): spaces and line breaks inside a header word, a
level before the leader's title (县/区政府/镇 + 领导), two task words joined (目标与任务),
a header joining two roles refused, and leader cells as offices print them (padded
two-character names, several leaders to a cell).  Tables of our own making, written
as Excel, Word and (through LibreOffice) a ruled PDF; every fact asserted was read
off the rows below by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from respgraph.graph.errors import LoadError
from respgraph.loaders.load import read_source, read_tables
from respgraph.loaders.table.columns import HEADERS, field_of
from tests import office_tables

OfficeTable = office_tables.OfficeTable

TITLE = "2024年茂名市重点工作任务分工表"
#: Every generalised case in one header: spaces and breaks inside words, levels, a joined task word.
HEADER = ["序  号", "目标与任务", "区政府\n分管领导", "区牵头单位", "区 责任单位", "配合\n部门", "完成\n时限", "备注"]
ROWS = [
    ["1", "推进城区更新改造", "王　伟", "市住房城乡建设局", "市自然资源局、市财政局", "市发展改革局", "2024年12月", ""],
    ["2", "推进产业园区建设", "王　伟\n张三丰", "市工业和信息化局", "市商务局", "", "2024年6月", "重点"],
    ["3", "推进学校扩容", "张三丰", "市教育局", "市财政局\n市自然资源局", "市人力资源社会保障局", "2024年9月", ""],
    ["4", "推进全民健身", "王　伟　张三丰", "市体育局", "市教育局", "", "2024年12月", ""],
]
#: Read off ROWS by hand: (item, role) -> units in the order printed; item -> leaders.
ROLES = {
    ("1", "lead"): ["市住房城乡建设局"],
    ("1", "implement"): ["市自然资源局", "市财政局"],
    ("1", "assist"): ["市发展改革局"],
    ("2", "lead"): ["市工业和信息化局"],
    ("2", "implement"): ["市商务局"],
    ("3", "lead"): ["市教育局"],
    ("3", "implement"): ["市财政局", "市自然资源局"],
    ("3", "assist"): ["市人力资源社会保障局"],
    ("4", "lead"): ["市体育局"],
    ("4", "implement"): ["市教育局"],
}
LEADERS = {"1": ("王伟",), "2": ("王伟", "张三丰"), "3": ("张三丰",), "4": ("王伟", "张三丰")}
COLUMNS = (
    "columns: 序号=number | 目标与任务=title (任务) | 区政府分管领导=leader (领导) | 区牵头单位=lead (牵头) | "
    "区 责任单位=implement (责任) | 配合部门=assist | 完成时限=deadline | 备注=? (unmapped)"
)
COLUMNS_ZH = (
    "列：序号=序号 | 目标与任务=事项标题 (任务) | 区政府分管领导=分管领导 (领导) | 区牵头单位=牵头单位 (牵头) | "
    "区 责任单位=实施单位 (责任) | 配合部门=协办单位 | 完成时限=完成时限 | 备注=? (未对应)"
)


def roles(table) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for a in table.assignments:
        out.setdefault((a.owner.rsplit("/", 1)[-1], a.role.value), []).append(a.name)
    return out


def assert_read_as_by_hand(path: Path) -> None:
    (table,) = read_tables(path)
    assert roles(table) == ROLES
    assert {i.number: i.leaders for i in table.items} == LEADERS
    assert {i.number: i.deadline for i in table.items}["2"] == dt.date(2024, 6, 30)
    assert sorted(leader.name for leader in table.leaders) == ["张三丰", "王伟"]
    assert table.quirks == ()  # padding and several leaders to a cell are print, not faults: no notes


@pytest.mark.parametrize("suffix", [".xlsx", ".docx"])
def test_generalised_header_and_leader_cells(tmp_path, suffix):
    path = OfficeTable(TITLE, HEADER, ROWS).write(tmp_path / f"t{suffix}")
    assert COLUMNS in read_source(path).describe()
    assert_read_as_by_hand(path)


def ruled_pdf(office, table: OfficeTable, folder: Path, widths_mm: list[float]) -> Path:
    """``table`` as a bordered Word table with fixed column widths, printed to PDF by LibreOffice."""
    import docx
    from docx.shared import Mm

    path = table.write(folder / "ruled.docx")
    document = docx.Document(str(path))
    grid = document.tables[0]
    grid.style, grid.autofit = "Table Grid", False
    for column, width in zip(grid.columns, widths_mm):
        for cell in column.cells:
            cell.width = Mm(width)
    document.save(str(path))
    (pdf,) = office.convert([path], folder / "pdf", suffix="pdf", filter_name="writer_pdf_Export")
    return pdf


def test_generalised_header_and_leader_cells_in_a_pdf(tmp_path, office):
    # The leader column is as narrow as offices make it: 王　伟 fills its line as 张三丰 does, so
    # only the column's meaning can tell the next leader from a wrapped line.
    pdf = ruled_pdf(office, OfficeTable(TITLE, HEADER, ROWS), tmp_path, [12, 30, 15, 28, 28, 28, 18, 12])
    reading = read_source(pdf)
    assert reading.format.startswith("pdf (pdfplumber, ruled tables)")
    assert COLUMNS in reading.describe()
    assert_read_as_by_hand(pdf)


def test_check_names_the_word_that_gave_each_role(tmp_path, run):
    path = OfficeTable(TITLE, HEADER, ROWS).write(tmp_path / "t.xlsx")
    proc = run("check", str(path))
    assert proc.returncode == 0, proc.stderr
    assert COLUMNS in proc.stdout and "unmapped: 备注" in proc.stdout


# --- one header word at a time ---------------------------------------------------------------


@pytest.mark.parametrize(
    "header, field, word",
    [
        ("县分管领导", "leader", "领导"),
        ("区政府分管领导", "leader", "领导"),
        ("镇领导", "leader", "领导"),
        ("镇（街道）领导", "leader", "领导"),
        ("县委县政府分管领导", "leader", "领导"),
        ("分管区长", "leader", "区长"),
        ("区牵头单位", "lead", "牵头"),
        ("市级牵头部门", "lead", "牵头"),
        ("县责任单位", "implement", "责任"),
        ("区配合单位", "assist", "配合"),
        ("目标与任务", "title", "任务"),
        ("工作任务及目标", "title", "工作任务"),
        ("工作目标和任务", "title", "任务"),
        ("重点任务与工作内容", "title", "重点任务"),
    ],
)
def test_a_header_word_and_the_word_that_gave_its_role(tmp_path, header, field, word):
    assert field_of(header) == (field, word)
    columns = ["序号", "工作任务", "分管领导", "牵头单位"]
    values = {
        "title": "推进某项工作",
        "leader": "王伟",
        "lead": "市财政局",
        "implement": "市商务局",
        "assist": "市统计局",
    }
    slot = {"title": 1, "leader": 2, "lead": 3}.get(field)
    if slot is None:
        columns.append(header)
    else:
        columns[slot] = header
    row = ["1", "推进某项工作", "王伟", "市财政局"] + ([values[field]] if slot is None else [])
    path = OfficeTable(TITLE, columns, [row]).write(tmp_path / "t.xlsx")
    assert f"{header}={field} ({word})" in read_source(path).describe()
    (table,) = read_tables(path)
    (item,) = table.items
    assert (item.title, item.leaders) == ("推进某项工作", ("王伟",))
    if field in ("lead", "implement", "assist"):
        assert roles(table)[("1", field)] == [values[field]]


@pytest.mark.parametrize("header", ["完成时限", "备注", "领导批示", "联系人", "责任人", "领导小组", "单位", "进度安排"])
def test_other_columns_never_take_a_role(header):
    # 完成时限 and 进度安排 keep the field they always had; the rest hold none.
    assert field_of(header)[0] == {"完成时限": "deadline", "进度安排": "targets"}.get(header)


def test_every_header_known_today_reads_as_before():
    for header, field in HEADERS.items():
        assert field_of(header) == (field, "name")
        assert field_of(header.replace("", " ").strip()) == (field, "name")  # letter-spaced: 分 管 领 导
    # Known words inside longer headers, as before; now the word is said.
    assert field_of("责任分工牵头单位") == ("lead", "牵头单位")
    assert field_of("完成时限要求") == ("deadline", "完成时限")


@pytest.mark.parametrize("suffix", [".xlsx", ".docx", ".csv"])
@pytest.mark.parametrize(
    "header, said",
    [
        ("牵头单位及配合单位", "牵头单位 (lead) and 配合单位 (assist)"),
        ("分管领导和牵头单位", "分管领导 (leader) and 牵头单位 (lead)"),
        ("牵头/责任单位", "牵头单位 (lead) and 责任单位 (implement)"),
    ],
)
def test_a_header_naming_two_roles_is_refused(tmp_path, suffix, header, said):
    columns = ["序号", "工作任务", header, "完成时限"]
    rows = [["1", "推进某项工作", "市财政局", "2024年12月"]]
    if suffix == ".csv":
        path = tmp_path / "t.csv"
        path.write_text("\n".join([TITLE, ",".join(columns), *(",".join(r) for r in rows)]) + "\n", "utf-8")
    else:
        path = OfficeTable(TITLE, columns, rows).write(tmp_path / f"t{suffix}")
    with pytest.raises(LoadError) as err:
        read_tables(path)
    assert (err.value.file, err.value.line, err.value.cell) == (str(path), 2, header)
    assert said in str(err.value) and f"--map {header}=ROLE" in str(err.value)
    assert "\n" not in str(err.value)


def test_map_settles_a_header_naming_two_roles(tmp_path):
    path = OfficeTable(TITLE, ["序号", "工作任务", "牵头单位及配合单位"], [["1", "推进某项工作", "市财政局"]]).write(
        tmp_path / "t.xlsx"
    )
    (table,) = read_tables(path, mapping={"牵头单位及配合单位": "lead"})
    assert roles(table) == {("1", "lead"): ["市财政局"]}


def test_two_roles_over_a_line_that_parts_them_is_a_two_line_header(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text(
        f"{TITLE}\n序号,工作任务,牵头单位及配合单位,,完成时限\n,,牵头单位,配合单位,\n"
        "1,推进某项工作,市财政局,市商务局,2024年12月\n",
        "utf-8",
    )
    (detail,) = read_source(path).details
    assert detail.header_lines == (2, 3)
    (table,) = read_tables(path)
    assert roles(table) == {("1", "lead"): ["市财政局"], ("1", "assist"): ["市商务局"]}


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def test_padded_and_shared_leaders_answer_alike_in_both_stores(tmp_path, request, kind):
    from respgraph.graph.sqlite_store import SqliteStore
    from respgraph.queries.portfolio import portfolio

    (table,) = read_tables(OfficeTable(TITLE, HEADER, ROWS).write(tmp_path / "t.xlsx"))
    store = SqliteStore() if kind == "sqlite" else request.getfixturevalue("scratch_neo4j")
    store.write(table.to_batch())
    # By hand from ROWS: 王伟 oversees 1, 2 and 4 (padded in all three); 张三丰 2, 3 and 4.
    assert sorted(i.number for i in portfolio(store, "王伟").items) == ["1", "2", "4"]
    assert sorted(i.number for i in portfolio(store, "张三丰").items) == ["2", "3", "4"]
    (second,) = [i for i in portfolio(store, "王伟").items if i.number == "2"]
    assert (second.units.lead, second.units.implement) == (["市工业和信息化局"], ["市商务局"])


def test_check_refuses_a_header_naming_two_roles_in_one_line(tmp_path, run):
    path = OfficeTable(TITLE, ["序号", "工作任务", "牵头单位及配合单位"], [["1", "推进某项工作", "市财政局"]]).write(
        tmp_path / "t.xlsx"
    )
    proc = run("check", str(path))
    assert proc.returncode == 1
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"Error: {path}, line 2, cell 牵头单位及配合单位: ")
    assert "牵头单位 (lead) and 配合单位 (assist)" in line


def test_a_tab_export_with_paragraphs_inside_header_and_leader_cells(tmp_path):
    # The sample's export wraps a cell's paragraphs in <p>…</p>; a header word may be split by them too.
    path = tmp_path / "t.txt"
    path.write_text(
        f"{TITLE}\n序号\t<p>目标</p><p>与任务</p>\t<p>县分管</p><p>领导</p>\t牵头单位\n"
        "1\t推进某项工作\t<p>王　伟</p><p>张三丰</p>\t市财政局\n",
        "utf-8",
    )
    assert (
        "columns: 序号=number | 目标与任务=title (任务) | 县分管领导=leader (领导) | 牵头单位=lead"
        in read_source(path).describe()
    )
    (table,) = read_tables(path)
    assert [(i.title, i.leaders) for i in table.items] == [("推进某项工作", ("王伟", "张三丰"))]
    assert roles(table) == {("1", "lead"): ["市财政局"]}


def test_a_header_naming_two_roles_is_refused_in_a_pdf(tmp_path, office):
    table = OfficeTable(
        TITLE, ["序号", "工作任务", "牵头单位及配合单位", "完成时限"], [["1", "推进某项工作", "市财政局", "2024年12月"]]
    )
    pdf = ruled_pdf(office, table, tmp_path, [12, 40, 24, 24])
    with pytest.raises(LoadError) as err:
        read_tables(pdf)
    assert (err.value.file, err.value.line, err.value.cell) == (str(pdf), 2, "牵头单位及配合单位")
    assert "牵头单位 (lead) and 配合单位 (assist)" in str(err.value)


def test_the_web_check_shows_the_same_columns_and_refusal(home, tmp_path):
    """The upload page's check is the CLI's (ingest.check_file): one reading, two faces."""
    import warnings

    warnings.filterwarnings("ignore", message=".*httpx.*")
    from respgraph.graph.settings import load_settings
    from respgraph.web.app import create_app
    from respgraph.web.library import Backend
    from tests.web_client import BrowserClient

    client = BrowserClient(
        create_app(Backend(load_settings(home=home, store="embedded"))),
        client=("127.0.0.1", 50000),
        raise_server_exceptions=False,
    )
    good = OfficeTable(TITLE, HEADER, ROWS).write(tmp_path / "好表.xlsx")
    checked = client.post("/files/check", files={"file": (good.name, good.read_bytes())})
    # The same reading, in the page's Chinese (the CLI's English under LANG=C is COLUMNS).
    assert checked.status_code == 200 and COLUMNS_ZH in checked.text
    assert read_source(good).describe("zh_CN").splitlines()[2].strip() == COLUMNS_ZH
    bad = OfficeTable(TITLE, ["序号", "工作任务", "牵头单位及配合单位"], [["1", "推进某项工作", "市财政局"]]).write(
        tmp_path / "坏表.xlsx"
    )
    refused = client.post("/files/check", files={"file": (bad.name, bad.read_bytes())})
    assert refused.status_code == 400
    assert "line 2, cell 牵头单位及配合单位" in refused.text and "牵头单位 (lead) and 配合单位 (assist)" in refused.text

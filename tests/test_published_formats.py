"""Tables as governments publish them: PDF, .doc, .xls and Word's automatic numbering.

Every case is built from the sample at test time.  ``write_published_docx`` writes
the document an office would have typed: a landscape A4 page, ``附件 N`` and the
title above each table, a bordered table whose header row Word repeats on every
page, the continuation rows of an item as merged cells (序号 merged over all of
them; any other cell a continuation leaves empty merged with the cell above), and
cells long enough that rows break across pages.  LibreOffice then prints it as a
PDF and saves it as a .doc; ``write_workbook`` (one sheet per attachment, merged
cells) is saved as .xls; ``numbered=True`` leaves every 序号 cell empty and lets
Word's automatic numbering draw the numbers.  Each must load into the graph the
text loader builds from the sample (all but line numbers and the source name;
whitespace inside texts aside, since a PDF has line wraps and no spaces), and into
both stores with the same answers.
"""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from respgraph.graph.errors import LoadError
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.formats.text_format import read_text
from respgraph.loaders.load import build_tables, read_source, read_tables, sample_path

WIDTHS_MM = {
    "number": 12,
    "title": 40,
    "content": 45,
    "targets": 70,
    "deadline": 20,
    "leader": 18,
    "lead": 26,
    "implement": 28,
    "assist": 30,
}
NEVER_MERGED = ("targets",)  # milestones belong to the row they are printed on


def paragraphs(text: str) -> list[str]:
    """A cell's <p>…</p> paragraphs as separate lines, as an editor shows them."""
    return [p.strip() for p in re.split(r"</?p>", text) if p.strip()] or [""]


def item_groups(table) -> list[list]:
    """The rows of each item: its first row and its continuation rows."""
    groups: list[list] = []
    for row in table.rows:
        if row.cells["number"].strip() or not groups:
            groups.append([row])
        else:
            groups[-1].append(row)
    return groups


def _add_lists(document, lists: int) -> list[int]:
    """One decimal list per table in the document's numbering part, the later ones restarting at 1."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn

    ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {ns} w:abstractNumId="90"><w:multiLevelType w:val="singleLevel"/>'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1"/>'
        '<w:lvlJc w:val="center"/></w:lvl></w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    ids = []
    for n in range(lists):
        override = '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride>' if n else ""
        numbering.append(parse_xml(f'<w:num {ns} w:numId="{90 + n}"><w:abstractNumId w:val="90"/>{override}</w:num>'))
        ids.append(90 + n)
    return ids


def _number_paragraph(paragraph, num_id: int) -> None:
    from docx.oxml import parse_xml

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(
            '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f'<w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'
        )
    )


def _repeat_header(row) -> None:
    from docx.oxml import parse_xml

    row._tr.get_or_add_trPr().append(
        parse_xml('<w:tblHeader xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    )


def write_published_docx(raw, path, *, numbered: bool = False, portrait: bool = False, narrow: bool = False) -> None:
    """The sample as a Word document (see the module's docstring); ``portrait`` prints it on portrait
    A4 in 四号 (14 pt), as many offices do; ``narrow`` leaves the columns at python-docx's equal
    default widths (a 15 cm table): many more pages (``scripts/bench_pdf``)."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    document = docx.Document()
    if portrait:
        document.styles["Normal"].font.size = Pt(14)
    section = document.sections[0]
    if not portrait:
        section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = (Mm(210), Mm(297)) if portrait else (Mm(297), Mm(210))
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    lists = _add_lists(document, len(raw)) if numbered else []
    for n, t in enumerate(raw, start=1):
        fields = list(t.columns)
        document.add_paragraph(f"附件 {t.attachment}:")
        document.add_paragraph(t.title)
        table = document.add_table(rows=1, cols=len(fields))
        table.style = document.styles["Table Grid"]
        table.autofit = False
        for cell, f in zip(table.rows[0].cells, fields):
            cell.text = t.columns[f]
        _repeat_header(table.rows[0])
        for group in item_groups(t):
            first = len(table.rows)
            for row in group:
                cells = table.add_row().cells
                for cell, f in zip(cells, fields):
                    head, *rest = paragraphs(row.cells[f])
                    if f == "number" and numbered:
                        head = ""
                        if row is group[0]:
                            _number_paragraph(cell.paragraphs[0], lists[n - 1])
                    cell.paragraphs[0].text = head
                    for p in rest:
                        cell.add_paragraph(p)
            for c, f in enumerate(fields):
                if f in NEVER_MERGED:
                    continue
                run = 1
                while run < len(group) and not group[run].cells[f].strip():
                    run += 1
                if run > 1:
                    table.cell(first, c).merge(table.cell(first + run - 1, c))
        room = 178 if portrait else 265  # 180 or 267 mm between the margins
        scale = min(1.0, room / sum(WIDTHS_MM[f] for f in fields))
        for column, f in zip(table.columns, [] if narrow else fields):
            column.width = Mm(WIDTHS_MM[f] * scale)
            for cell in column.cells:
                cell.width = Mm(WIDTHS_MM[f] * scale)
        document.add_paragraph("")  # Word ends a document with a paragraph, never with a table
    document.save(path)


UNRULED = [
    ["序号", "工作任务", "分管领导", "牵头单位", "责任单位"],
    ["1", "建成宝满港区铁路专用线", "张三", "市发展改革局", "市交通运输局、市自然资源局"],
    [
        "2",
        "深入开展城市更新行动，完成老旧小区改造120个并同步推进配套设施建设和管网更新改造工作",
        "李四",
        "市住房城乡建设局",
        "各县（市、区）政府",
    ],
    ["3", "建设智慧城市平台", "赵六", "市政务服务数据管理局", "市财政局"],
]


def write_unruled_docx(path) -> None:
    """A small table without rules (python-docx's plain table style), long cells wrapping."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    document.add_paragraph("2024年茂名市重点工作任务分工表")
    table = document.add_table(rows=0, cols=len(UNRULED[0]))
    for texts in UNRULED:
        for cell, text in zip(table.add_row().cells, texts):
            cell.text = text
    for column, mm in zip(table.columns, (15, 80, 25, 50, 70)):
        for cell in column.cells:
            cell.width = Mm(mm)
    document.save(path)


# A table with a header over two rows (市政府 over 分管领导; the other cells of the second row left
# blank, not merged), both repeated on every page, and long rows that break across pages.
TWO_ROW_ITEMS = [
    (
        str(n),
        f"第{n}项工作：" + "推进重点项目建设并按季度报送进展情况，" * (4 + n % 5),
        ("张三", "李四", "王五")[n % 3],
        ("市发展改革局", "市财政局", "市自然资源局")[n % 3],
    )
    for n in range(1, 31)
]


def write_two_row_header_docx(path) -> None:
    import docx
    from docx.shared import Mm

    document = docx.Document()
    document.add_paragraph("2024年茂名市重点工作任务分工表")
    table = document.add_table(rows=2, cols=4)
    table.style = document.styles["Table Grid"]
    for cell, text in zip(table.rows[0].cells, ["序号", "工作任务", "市政府", "牵头单位"]):
        cell.text = text
    table.rows[1].cells[2].text = "分管领导"
    for row in table.rows:
        _repeat_header(row)
    for texts in TWO_ROW_ITEMS:
        for cell, text in zip(table.add_row().cells, texts):
            cell.text = text
    for column, mm in zip(table.columns, (15, 100, 25, 40)):
        for cell in column.cells:
            cell.width = Mm(mm)
    document.add_paragraph("")
    document.save(path)


def write_workbook(raw, path) -> int:
    """One sheet per attachment (``附件1`` …), title above the header, continuation rows merged;
    deadlines as date cells formatted ``2023年12月``.  Returns how many date cells it wrote."""
    import datetime as dt

    from openpyxl import Workbook

    dates: list[str] = []
    book = Workbook()
    book.remove(book.worksheets[0])
    for t in raw:
        ws = book.create_sheet(f"附件{t.attachment}")
        fields = list(t.columns)
        ws.cell(1, 1, f"附件 {t.attachment}")
        ws.cell(2, 1, t.title)
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(fields))
        for c, f in enumerate(fields, start=1):
            ws.cell(3, c, t.columns[f])
        line = 4
        for group in item_groups(t):
            for row in group:
                for c, f in enumerate(fields, start=1):
                    text = row.cells[f]
                    value = int(text) if f == "number" and text.strip().isdigit() else "\n".join(paragraphs(text))
                    cell = ws.cell(line + group.index(row), c, value if value != "" else None)
                    date = re.fullmatch(r"(\d{4})\s*年\s*(\d{1,2})\s*月", text.strip())
                    if f == "deadline" and date:  # a real date cell, shown as the text was
                        cell.value = dt.datetime(int(date.group(1)), int(date.group(2)), 1)
                        cell.number_format = 'yyyy"年"m"月"'
                        dates.append(cell.coordinate)
            for c, f in enumerate(fields, start=1):
                run = 1
                while f not in NEVER_MERGED and run < len(group) and not group[run].cells[f].strip():
                    run += 1
                if run > 1:
                    ws.merge_cells(start_row=line, start_column=c, end_row=line + run - 1, end_column=c)
            line += len(group)
    book.save(path)
    return len(dates)


# --- what the same graph means -------------------------------------------------------------


def graph_of(tables) -> tuple[set, set]:
    """Nodes and relationships with every property, but lines, the source name and whitespace."""

    def plain(value):
        return re.sub(r"\s+", "", json.dumps(value, sort_keys=True, ensure_ascii=False))

    nodes, rels = set(), set()
    for table in tables:
        batch = table.to_batch()
        for n in batch.nodes:
            props = {k: v for k, v in n.props.items() if k not in ("line", "source")}
            nodes.add((n.label, n.key, plain(props)))
        rels |= {(r.type, r.start, r.end, plain(r.props)) for r in batch.rels}
    return nodes, rels


def assert_same_graph(tables, expected):
    nodes, rels = graph_of(tables)
    want_nodes, want_rels = expected
    assert sorted(nodes - want_nodes)[:3] == sorted(want_nodes - nodes)[:3] == []
    assert sorted(rels - want_rels)[:3] == sorted(want_rels - rels)[:3] == []


@pytest.fixture(scope="session")
def raw():
    return read_text(sample_path())


@pytest.fixture(scope="session")
def expected():
    return graph_of(read_tables(sample_path()))


def _soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        pytest.fail(
            "LibreOffice is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui "
            "(scripts/test does it)"
        )
    return found


@pytest.fixture(scope="session")
def published(tmp_path_factory, raw, office):
    """The sample as .docx (bordered, landscape), auto-numbered .docx, .xlsx, and what LibreOffice
    makes of them: .pdf, .doc, .xls.  Converted once for the whole session."""
    _soffice()
    folder = tmp_path_factory.mktemp("published")
    made = {
        "docx": folder / "zhanjiang-2023.docx",
        "numbered": folder / "zhanjiang-2023-numbered.docx",
        "xlsx": folder / "zhanjiang-2023.xlsx",
        "portrait-docx": folder / "zhanjiang-2023-portrait.docx",
    }
    write_published_docx(raw, made["docx"])
    write_published_docx(raw, made["portrait-docx"], portrait=True)
    made["narrow-docx"] = folder / "zhanjiang-2023-narrow.docx"
    write_published_docx(raw, made["narrow-docx"], portrait=True, narrow=True)
    made["unruled-docx"] = folder / "maoming-unruled.docx"
    write_unruled_docx(made["unruled-docx"])
    made["two-row-docx"] = folder / "maoming-two-row-header.docx"
    write_two_row_header_docx(made["two-row-docx"])
    write_published_docx(raw, made["numbered"], numbered=True)
    assert write_workbook(raw, made["xlsx"]) == 121  # each of the sample's 121 rows names a year and month
    pdfs = (made["docx"], made["portrait-docx"], made["narrow-docx"], made["unruled-docx"], made["two-row-docx"])
    for sources, target, export in (
        (pdfs, "pdf", "writer_pdf_Export"),
        ((made["docx"],), "doc", "MS Word 97"),
        ((made["docx"],), "rtf", "Rich Text Format"),
        ((made["xlsx"],), "xls", "MS Excel 97"),
    ):
        out = office.convert(sources, folder / target, suffix=target, filter_name=export)
        for source, converted in zip(sources, out):
            made[source.stem.replace("zhanjiang-2023", target).replace("maoming", target)] = converted
    (made["pdf-locked"],) = office.convert(
        [made["unruled-docx"]],
        folder / "locked",
        suffix="pdf",
        filter_name="writer_pdf_Export",
        data={"EncryptFile": True, "DocumentOpenPassword": "secret"},
    )
    assert all(path.exists() for path in made.values()), "LibreOffice did not make every file"
    return made


@pytest.fixture(scope="session")
def read(published):
    """kind -> (how it was read, its typed tables), each file read once in the session."""
    cache = {}

    def _read(kind):
        if kind not in cache:
            reading = read_source(published[kind])
            cache[kind] = reading, build_tables(reading.tables)
        return cache[kind]

    return _read


def read_once(path):
    reading = read_source(path)
    return reading, build_tables(reading.tables)


# --- each format gives the text loader's graph ------------------------------------------------


@pytest.mark.parametrize("kind", ["pdf", "pdf-portrait", "pdf-narrow"])
def test_pdf_reads_as_the_text_does(read, expected, kind):
    """Landscape (rows cut at most page ends), portrait in 14 pt (rows over three pages, a 序号
    cut in two, a sub-item row that moved whole to the next page: not to be joined), and so with
    narrow columns (130-odd pages)."""
    started = time.perf_counter()
    reading, tables = read(kind)
    seconds = time.perf_counter() - started
    print(f"PDF read in {seconds:.1f} s: {reading.format}")
    pages = int(re.search(r"(\d+) pages", reading.format).group(1))
    assert reading.format.startswith("pdf (pdfplumber, ruled tables)") and pages > 20
    notes = [n for d in reading.details for n in d.notes]
    joins = [n for n in notes if "cut by a page break: joined" in n]
    # The long cells of the sample break rows at most page ends: both tables have joins.
    assert all(any("cut by a page break" in n for n in d.notes) for d in reading.details)
    assert len(joins) > pages // 2
    assert any(re.match(r"header printed again \d+ times", n) for n in notes)
    assert [d.where.split()[0] for d in reading.details] == ["pages", "pages"]
    assert_same_graph(tables, expected)


def test_pdf_without_rules_is_read_by_text_alignment(read):
    """Checked by hand against UNRULED: three items, the wrapped title and unit read whole."""
    reading, (table,) = read("pdf-unruled")
    assert reading.format == "pdf (pdfplumber, tables by text alignment (no ruled lines)): 1 page, 1 table"
    assert all("read as its wrapped text" in n for n in reading.details[0].notes) and reading.details[0].notes
    assert table.document.city == "茂名市" and table.document.year == 2024
    got = [(i.number, re.sub(r"\s", "", i.title), i.leaders) for i in table.items]
    assert got == [(row[0], row[1], (row[2],)) for row in UNRULED[1:]]
    batch = table.to_batch()
    name = {n.key: n.props.get("name") or n.props.get("number") for n in batch.nodes}
    roles = {(r.type, name[r.start], name[r.end]) for r in batch.rels if r.type in ("LEADS", "IMPLEMENTS")}
    # Maoming keeps its own spelling: Zhanjiang's aliases do not rename it (issue 22).
    assert ("IMPLEMENTS", "市自然资源局", "1") in roles and ("LEADS", "市住房城乡建设局", "2") in roles


def test_pdf_with_a_header_over_two_rows(read):
    """The two header rows repeat on every page: both are read as the header, and the row cut
    below them is still joined (the input, TWO_ROW_ITEMS, is the answer)."""
    reading, (table,) = read("pdf-two-row-header")
    (detail,) = reading.details
    assert [(c.header, c.field) for c in detail.columns] == [
        ("序号", "number"),
        ("工作任务", "title"),
        ("市政府 分管领导", "leader"),
        ("牵头单位", "lead"),
    ]
    pages = int(re.search(r"(\d+) pages", reading.format).group(1))
    assert pages >= 3 and any("cut by a page break" in n for n in detail.notes)
    got = [(i.number, re.sub(r"\s", "", i.title), i.leaders) for i in table.items]
    # Read with the second header row taken for a data row, the cut rows stay apart and every
    # title that breaks across a page loses its end: this comparison fails.
    assert got == [(n, title, (leader,)) for n, title, leader, _ in TWO_ROW_ITEMS]


def test_pdf_without_joins_would_differ(published, expected, monkeypatch):
    """The joins matter: read every cut row as a row of its own and the graph is not the sample's."""
    from respgraph.loaders.formats import pdf_format

    monkeypatch.setattr(pdf_format, "_first_row_of_page", lambda row, rows, headers: False)
    nodes, _ = graph_of(read_tables(published["pdf"]))
    assert nodes != expected[0]
    sub_items = sum(1 for label, *_ in nodes if label == "SubItem")
    assert sub_items > 14  # the sample has 14; every cut row became one more


def test_doc_reads_as_the_text_does(read, expected):
    reading, tables = read("doc")
    assert reading.format == "doc (converted to .docx by LibreOffice), then docx (tables)"
    assert_same_graph(tables, expected)


def test_rtf_reads_as_the_text_does(read, expected):
    reading, tables = read("rtf")
    assert reading.format == "rtf (converted to .docx by LibreOffice), then docx (tables)"
    assert_same_graph(tables, expected)


def test_wps_and_et_are_told_by_content(published, expected, tmp_path):
    """WPS Office saves 文字 .wps and 表格 .et in Word's and Excel's binary formats: the name changes nothing."""
    wps, et = tmp_path / "zhanjiang-2023.wps", tmp_path / "zhanjiang-2023.et"
    wps.write_bytes(published["doc"].read_bytes())
    et.write_bytes(published["xls"].read_bytes())
    (et_reading, et_tables), (wps_reading, wps_tables) = read_once(et), read_once(wps)
    assert et_reading.format == "xls (xlrd)"
    assert wps_reading.format.startswith("doc (converted to .docx by LibreOffice)")
    assert_same_graph(et_tables, expected)
    assert_same_graph(wps_tables, expected)


def test_xls_reads_as_the_text_does(read, expected):
    reading, tables = read("xls")
    assert reading.format == "xls (xlrd)"
    assert [d.where for d in reading.details] == ["sheet '附件1'", "sheet '附件2'"]
    assert_same_graph(tables, expected)


def test_auto_numbered_docx_reads_as_the_text_does(published, read, expected):
    import docx

    document = docx.Document(published["numbered"])
    numbers = [row.cells[0].text for table in document.tables for row in table.rows[1:]]
    assert {n.strip() for n in numbers} == {""}, "the 序号 cells hold no digits: Word draws them"
    reading, tables = read("numbered")
    assert [n for d in reading.details for n in d.notes if "automatic numbering" in n] == [
        "100 paragraphs numbered by Word's automatic numbering: numbers computed from the document's list definitions",
        "10 paragraphs numbered by Word's automatic numbering: numbers computed from the document's list definitions",
    ]
    assert_same_graph(tables, expected)


# --- and the same answers from both stores --------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def empty_store(request):
    if request.param == "sqlite":
        return SqliteStore()
    return request.getfixturevalue("scratch_neo4j")


def answers(store) -> dict:
    """Every leader's item count, and every unit's items with its roles on them."""
    from respgraph.queries.items import items_of_unit
    from respgraph.queries.workload import workload

    leaders = {r.name: r.items for r in workload(store, by="leader").rows}
    units = {}
    for r in workload(store, by="unit").rows:
        units[r.name] = sorted(
            (i.attachment, i.number, tuple(i.roles), tuple(p.part for p in i.parts), i.via)
            for i in items_of_unit(store, r.name)
        )
    return {"leaders": leaders, "units": units}


@pytest.fixture(scope="session")
def sample_answers(memory_store):
    return answers(memory_store)


@pytest.mark.parametrize("kind", ["pdf", "pdf-portrait", "doc", "xls", "numbered"])
def test_published_format_in_each_store(read, empty_store, sample_answers, kind):
    for table in read(kind)[1]:
        empty_store.write(table.to_batch())
    got = answers(empty_store)
    assert got == sample_answers
    # Checked by hand in the sample: 黄廉东 oversees items 99 and 100; 市自然资源局 leads 74, 75 and 76.
    assert got["leaders"]["黄廉东"] == 2
    assert [n for a, n, roles, *_ in got["units"]["市自然资源局"] if "lead" in roles] == ["74", "75", "76"]


# --- Word's automatic numbering, by hand --------------------------------------------------------

_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _numbering(levels: str, nums: str):
    from docx.oxml import parse_xml

    from respgraph.loaders.formats.docx_numbering import Numbering

    return Numbering(parse_xml(f"<w:numbering {_NS}>{levels}{nums}</w:numbering>"))


def _p(num_id: int, ilvl: int = 0):
    from docx.oxml import parse_xml

    return parse_xml(
        f'<w:p {_NS}><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr></w:p>'
    )


def _lvl(ilvl, fmt, text, start=1, extra=""):
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/>{extra}</w:lvl>'
    )


def test_numbering_levels_restart_and_share_counters():
    levels = (
        f'<w:abstractNum w:abstractNumId="1">{_lvl(0, "chineseCounting", "%1、")}'
        f"{_lvl(1, 'chineseCounting', '（%2）')}{_lvl(2, 'decimal', '%3.', start=5)}</w:abstractNum>"
    )
    nums = (
        '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
        '<w:num w:numId="3"><w:abstractNumId w:val="1"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="9"/></w:lvlOverride></w:num>'
    )
    numbering = _numbering(levels, nums)
    got = [
        numbering.label(_p(n, lvl)).strip()
        for n, lvl in [
            (1, 0),
            (1, 1),
            (1, 2),
            (1, 2),
            (1, 1),
            (1, 2),
            (1, 0),
            (1, 1),
            (2, 0),
            (2, 1),
            (3, 0),
            (3, 0),
            (0, 0),
        ]
    ]
    # 一、（一）5. 6.（二）5.  二、（一）; numId 2 shares list 1's counters: 三、（一）;
    # numId 3 overrides the start: a list of its own from 九; numId 0 is no number.
    assert got == ["一、", "（一）", "5.", "6.", "（二）", "5.", "二、", "（一）", "三、", "（一）", "九、", "十、", ""]


def test_numbering_formats_and_legal_style():
    levels = (
        f'<w:abstractNum w:abstractNumId="1">{_lvl(0, "ideographTraditional", "%1")}'
        f"{_lvl(1, 'decimalEnclosedCircle', '%2')}"
        f"{_lvl(2, 'lowerRoman', '%1.%2.%3', extra='<w:isLgl/>')}</w:abstractNum>"
    )
    numbering = _numbering(levels, '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>')
    got = [numbering.label(_p(1, lvl)).strip() for lvl in (0, 0, 1, 1, 2)]
    assert got == ["甲", "乙", "①", "②", "2.2.1"]


def test_numbered_headings_become_sections(tmp_path):
    """A ``（一）`` heading row Word numbers is a section like a typed one; the 序号 list runs on under it."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    numbering = document.part.numbering_part.element
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    for xml in (
        f'<w:abstractNum {_NS} w:abstractNumId="80">{_lvl(0, "chineseCounting", "%1、")}'
        f"{_lvl(1, 'chineseCounting', '（%2）')}</w:abstractNum>",
        f'<w:abstractNum {_NS} w:abstractNumId="81">{_lvl(0, "decimal", "%1")}</w:abstractNum>',
    ):
        first_num.addprevious(parse_xml(xml)) if first_num is not None else numbering.append(parse_xml(xml))
    numbering.append(parse_xml(f'<w:num {_NS} w:numId="80"><w:abstractNumId w:val="80"/></w:num>'))
    numbering.append(parse_xml(f'<w:num {_NS} w:numId="81"><w:abstractNumId w:val="81"/></w:num>'))

    def numbered(paragraph, num_id, ilvl=0):
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {_NS}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
        )
        return paragraph

    document.add_paragraph("2024年茂名市重点工作任务分工表")
    rows = {
        "重大项目": [("建成宝满港区铁路专用线", "张三", "市发展改革局"), ("推进城市更新", "张三", "市住房城乡建设局")],
        "民生保障": [("新增学位2万个", "李四", "市教育局")],
    }
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ["序号", "工作任务", "分管领导", "牵头单位"]):
        cell.text = text
    for level, heading in [(0, "重点工作"), (1, "重大项目"), (1, "民生保障")]:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])  # a heading row spans the table
        merged.paragraphs[0].text = heading
        numbered(merged.paragraphs[0], 80, level)
        items = rows.get(heading, [])
        for title, leader, unit in items:
            cells = table.add_row().cells
            numbered(cells[0].paragraphs[0], 81)
            for cell, text in zip(cells[1:], (title, leader, unit)):
                cell.text = text
    path = tmp_path / "maoming-2024.docx"
    document.save(path)
    (table,) = read_source(path).tables
    assert [(r.cells["number"], r.cells["section"], r.cells["title"]) for r in table.rows] == [
        ("1", "一、重点工作 / （一）重大项目", "建成宝满港区铁路专用线"),
        ("2", "一、重点工作 / （一）重大项目", "推进城市更新"),
        ("3", "一、重点工作 / （二）民生保障", "新增学位2万个"),
    ]


# --- what cannot be read says so ------------------------------------------------------------


def test_scanned_pdf_is_one_clear_error(tmp_path, run):
    from PIL import Image

    path = tmp_path / "scan.pdf"
    Image.new("RGB", (595, 842), "white").save(path, "PDF")
    with pytest.raises(LoadError, match="a scanned PDF: its 1 page\\(s\\) are images with no text layer"):
        read_source(path)
    proc = run("load", str(path))
    assert proc.returncode == 1
    assert proc.stderr.startswith(f"Error: {path}: a scanned PDF") and "Traceback" not in proc.stderr


def test_password_protected_pdf_is_one_clear_error(published):
    with pytest.raises(LoadError, match="the PDF is password-protected: save a copy without the password"):
        read_source(published["pdf-locked"])


def test_damaged_pdf_is_one_clear_error(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
    with pytest.raises(LoadError, match="damaged PDF"):
        read_source(path)


def test_doc_without_libreoffice_names_what_to_install(published, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on it
    with pytest.raises(LoadError) as err:
        read_source(published["doc"])
    assert "libreoffice-writer-nogui libreoffice-calc-nogui" in str(err.value)
    assert err.value.file == str(published["doc"])


def test_libreoffice_that_hangs_is_stopped(published, tmp_path, monkeypatch):
    import tempfile

    from respgraph.loaders.formats.office_convert import convert

    # The conversion's folder inside this test's own: its LibreOffice processes name it on their
    # command line, so they are told from those of any other run on the machine.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    with pytest.raises(LoadError, match="did not convert zhanjiang-2023.doc within 0 s"):
        convert(str(published["doc"]), published["doc"].read_bytes(), "doc", timeout=0.2)
    ours = f"{tmp_path}/respgraph-convert-"
    assert [proc.name for proc in Path("/proc").iterdir() if proc.name.isdigit() and _names(proc, ours)] == []


def _names(proc: Path, text: str) -> bool:
    """Whether the live process ``proc`` (a /proc entry) has ``text`` in its command line."""
    try:
        return text.encode() in (proc / "cmdline").read_bytes()
    except OSError:  # it ended meanwhile
        return False


def test_cli_check_of_a_pdf(published, run):
    proc = run("check", str(published["pdf"]), "--kind", "deadline_year", check=True)
    lines = proc.stdout.splitlines()
    assert re.fullmatch(r"format: pdf \(pdfplumber, ruled tables\): \d+ pages, \d+ tables", lines[0])
    assert re.match(r"附件 1, pages 1-\d+, header on line \d+: 2023 年市《政府工作报告》重点督办事项分解表", lines[1])
    assert any(
        re.fullmatch(
            r"  note: page \d+: its first row continues line \d+ \(page \d+\), cut by a page break: "
            r"joined to it",
            line,
        )
        for line in lines
    )
    # Item 92's deadline reads 2013年12月 in the source (checked by hand): found in the PDF too.
    assert any("item 92: deadline" in line and "2013" in line for line in lines)


@pytest.mark.parametrize("kind", ["pdf", "xls"])
def test_row_limit_holds_for_pdf_and_xls(published, monkeypatch, kind):
    """The sample has 121 rows (113 in 附件1's sheet); a limit of 50 refuses it before it is read."""
    from respgraph.graph.errors import RespgraphError

    monkeypatch.setenv("RESPGRAPH_MAX_ROWS", "50")
    with pytest.raises(RespgraphError, match="past the limit of 50 rows") as err:
        read_source(published[kind])
    assert str(published[kind]) in str(err.value)

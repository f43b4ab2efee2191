"""Every format yields the graph the text loader builds from the sample.

The sample's raw tables are written, in the test, as .xlsx, .csv (UTF-8, UTF-8
with BOM, GBK), .docx with merged cells, a saved web page and a prose task list,
each row on the line (sheet row, paragraph count, source line) it has in the text
file; then each is loaded and its nodes and relationships compared with the text
loader's, all but the Document's ``source``.
"""

from __future__ import annotations

import csv
import html
import json
import re

import pytest

from respgraph.graph.errors import LoadError
from respgraph.loaders.formats.text_format import read_text
from respgraph.loaders.load import read_source, read_tables, sample_path
from respgraph.loaders.table.columns import FIELD_ZH

NEVER_MERGED = ("targets",)  # milestones belong to the row they are printed on


def graph_of(tables) -> tuple[set, set]:
    nodes, rels = set(), set()
    for table in tables:
        batch = table.to_batch()
        for n in batch.nodes:
            props = {k: v for k, v in n.props.items() if not (n.label == "Document" and k == "source")}
            nodes.add((n.label, n.key, json.dumps(props, sort_keys=True, ensure_ascii=False)))
        rels |= {(r.type, r.start, r.end, json.dumps(r.props, sort_keys=True)) for r in batch.rels}
    return nodes, rels


def assert_same_graph(tables, expected):
    nodes, rels = graph_of(tables)
    want_nodes, want_rels = expected
    assert sorted(nodes - want_nodes)[:3] == sorted(want_nodes - nodes)[:3] == []
    assert sorted(rels - want_rels)[:3] == sorted(want_rels - rels)[:3] == []


@pytest.fixture(scope="module")
def raw():
    return read_text(sample_path())


@pytest.fixture(scope="module")
def expected():
    return graph_of(read_tables(sample_path()))


def layout(raw) -> dict[int, tuple[object, list[str]]]:
    """line -> (table or None, cells): 附件 marks, titles, headers (repeated at page breaks) and rows."""
    lines: dict[int, tuple[object, list[str]]] = {}

    def put(line, table, cells):
        assert line not in lines, line
        lines[line] = (table, cells)

    for t in raw:
        fields = list(t.columns)
        headers = [t.columns[f] for f in fields]
        put(t.title_line - 2, None, [f"附件 {t.attachment}:"])
        put(t.title_line, None, [t.title])
        put(t.header_line, t, headers)
        previous = t.header_line
        for row in t.rows:
            if row.line - previous >= 2 and row.cells["number"].strip():
                put(row.line - 1, t, headers)  # a page break repeats the header
            put(row.line, t, [row.cells[f] for f in fields])
            previous = row.line
    return lines


def merges(raw) -> list[tuple[int, int, int]]:
    """(column, first line, last line) of the cells a continuation leaves empty: merged in the original."""
    out = []
    for t in raw:
        fields = list(t.columns)
        groups: list[list] = []
        broken: set[int] = set()  # items a page break splits: no merge can span the break
        for row in t.rows:
            if row.cells["number"].strip():
                groups.append([row])
                continue
            if row.line != groups[-1][-1].line + 1:
                broken.add(len(groups) - 1)
            groups[-1].append(row)
        for n, group in enumerate(groups):
            if len(group) < 2 or n in broken:
                continue
            for c, field in enumerate(fields):
                if field in NEVER_MERGED:
                    continue
                run = 1
                while run < len(group) and not group[run].cells[field].strip():
                    run += 1
                if run > 1:
                    out.append((c, group[0].line, group[run - 1].line))
    return out


def paragraphs(text: str) -> list[str]:
    """A cell's <p>…</p> paragraphs as separate lines, as an editor shows them."""
    return [p.strip() for p in re.split(r"</?p>", text) if p.strip()] or [""]


# --- writers ------------------------------------------------------------------------------


def write_xlsx(raw, path):
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = "分解表"
    width = max(len(t.columns) for t in raw)
    for line, (table, cells) in layout(raw).items():
        if table is None:
            ws.cell(line, 1, cells[0])
            ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=width)
            continue
        for c, text in enumerate(cells, start=1):
            value = int(text) if text.strip().isdigit() and c == 1 else "\n".join(paragraphs(text))
            ws.cell(line, c, value if value != "" else None)
    for c, first, last in merges(raw):
        ws.merge_cells(start_row=first, start_column=c + 1, end_row=last, end_column=c + 1)
    book.save(path)


def write_csv(raw, path, encoding):
    lines = layout(raw)
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        for line in range(1, max(lines) + 1):
            writer.writerow(lines[line][1] if line in lines else [])


def write_docx(raw, path):
    import docx

    document = docx.Document()
    lines = layout(raw)
    tables, table = {}, None  # line -> (docx table, row index)
    for line in range(1, max(lines) + 1):
        kind, cells = lines.get(line, (None, [""]))
        if kind is None:
            document.add_paragraph(cells[0])
            table = None
            continue
        if table is None or len(table.columns) != len(cells):
            table = document.add_table(rows=0, cols=len(cells))
        row = table.add_row()
        for cell, text in zip(row.cells, cells):
            first, *rest = paragraphs(text)
            cell.paragraphs[0].text = first
            for p in rest:
                cell.add_paragraph(p)
        tables[line] = (table, len(table.rows) - 1)
    for c, first, last in merges(raw):
        (t, r0), (_, r1) = tables[first], tables[last]
        t.cell(r0, c).merge(t.cell(r1, c))
    document.save(path)


def write_html(raw, path):
    lines = layout(raw)
    spans = {(first, c): last - first + 1 for c, first, last in merges(raw)}
    covered = {(line, c) for c, first, last in merges(raw) for line in range(first + 1, last + 1)}
    out = []
    for line in range(1, max(lines) + 2):
        kind, cells = lines.get(line, (None, None))
        text = "<html><head><meta charset='utf-8'><title>湛江</title></head><body>" if line == 1 else ""
        before = lines.get(line - 1, (None, None))[0]
        after = lines.get(line + 1, (None, None))[0]
        if kind is None and cells:
            text += f"<p>{html.escape(cells[0])}</p>"
        elif kind is not None:
            tag = "th" if cells == [kind.columns[f] for f in kind.columns] else "td"
            tds = []
            for c, cell in enumerate(cells):
                if (line, c) in covered:
                    continue
                span = f" rowspan='{spans[line, c]}'" if (line, c) in spans else ""
                body = html.escape(cell).replace("&lt;p&gt;", "<p>").replace("&lt;/p&gt;", "</p>")
                tds.append(f"<{tag}{span}>{body}</{tag}>")
            text += ("<table border='1'>" if before is None else "") + "<tr>" + "".join(tds) + "</tr>"
            text += "</table>" if after is None else ""
        out.append(text)
    out.append("</body></html>")
    path.write_text("\n".join(out), encoding="utf-8")


def write_prose(raw, path):
    lines = {}
    for t in raw:
        lines[t.title_line - 2] = f"附件 {t.attachment}:"
        lines[t.title_line] = t.title
        for row in t.rows:
            labels = "；".join(
                f"{FIELD_ZH[f]}：{v}" for f, v in row.cells.items() if f not in ("number", "title") and v.strip()
            )
            number = row.cells["number"].strip()
            lines[row.line] = f"{number}. {row.cells['title']}（{labels}）" if number else f"（{labels}）"
    path.write_text("\n".join(lines.get(n, "") for n in range(1, max(lines) + 1)), encoding="utf-8")


# --- the same graph from every format -----------------------------------------------------


def test_xlsx(raw, expected, tmp_path):
    path = tmp_path / "zhanjiang-2023.xlsx"
    write_xlsx(raw, path)
    assert read_source(path).format == "xlsx"
    assert_same_graph(read_tables(path), expected)


@pytest.mark.parametrize("encoding, reported", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030")])
def test_csv_in_each_encoding(raw, expected, tmp_path, encoding, reported):
    path = tmp_path / f"zhanjiang-2023-{encoding}.csv"
    write_csv(raw, path, encoding)
    reading = read_source(path)
    assert (reading.format, reading.encoding) == ("csv (comma-separated)", reported)
    assert_same_graph(read_tables(path), expected)


def test_docx_with_merged_cells(raw, expected, tmp_path):
    path = tmp_path / "zhanjiang-2023.docx"
    write_docx(raw, path)
    assert merges(raw), "the sample has continuation rows to merge"
    assert read_source(path).format == "docx (tables)"
    assert_same_graph(read_tables(path), expected)


def test_html(raw, expected, tmp_path):
    path = tmp_path / "zhanjiang-2023.html"
    write_html(raw, path)
    reading = read_source(path)
    assert (reading.format, reading.encoding) == ("html", "utf-8 (declared in <meta charset=utf-8>)")
    assert_same_graph(read_tables(path), expected)


def test_prose(raw, expected, tmp_path):
    path = tmp_path / "zhanjiang-2023-prose.txt"
    write_prose(raw, path)
    assert read_source(path).format == "text (prose task list)"
    assert_same_graph(read_tables(path), expected)


def test_prose_in_docx_paragraphs(raw, expected, tmp_path):
    import docx

    text = tmp_path / "prose.txt"
    write_prose(raw, text)
    document = docx.Document()
    for line in text.read_text("utf-8").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "prose.docx"
    document.save(path)
    assert read_source(path).format == "docx (prose task list)"
    assert_same_graph(read_tables(path), expected)


def test_format_is_told_by_content_not_name(raw, expected, tmp_path):
    xlsx, csv_file = tmp_path / "a.xlsx", tmp_path / "b.csv"
    write_xlsx(raw, xlsx)
    write_csv(raw, csv_file, "utf-8")
    misnamed = tmp_path / "really-a-workbook.txt"
    misnamed.write_bytes(xlsx.read_bytes())
    assert read_source(misnamed).format == "xlsx"
    misnamed = tmp_path / "really-csv.xlsx"
    misnamed.write_bytes(csv_file.read_bytes())
    assert read_source(misnamed).format.startswith("csv")
    assert_same_graph(read_tables(misnamed), expected)


# --- bad files: one LoadError naming the file -----------------------------------------------


def _encrypted_office_file() -> bytes:
    """The shape of a password-protected .xlsx: an OLE2 container holding an EncryptedPackage stream."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64


BAD = {
    "password.xlsx": (_encrypted_office_file, "password-protected"),
    "old.xls": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024, "old binary Office file"),
    "truncated.xlsx": (None, "damaged"),
    "notes.docx": (None, "no table"),
    "no-header.csv": (lambda: "甲,乙,丙\n1,2,3\n4,5,6\n".encode(), "no header row found"),
    "empty.html": (
        lambda: b"<html><body><table><tr><td>a</td><td>b</td></tr></table></body></html>",
        "no header row found",
    ),
}


def bad_file(tmp_path, raw, name) -> bytes:
    make, _ = BAD[name]
    if make is not None:
        return make()
    if name == "truncated.xlsx":
        good = tmp_path / "good.xlsx"
        write_xlsx(raw, good)
        return good.read_bytes()[:2000]
    import docx

    document = docx.Document()
    document.add_paragraph("会议纪要：今年的工作很多。")
    path = tmp_path / "made.docx"
    document.save(path)
    return path.read_bytes()


@pytest.mark.parametrize("name", BAD)
def test_bad_file_gives_one_load_error(tmp_path, raw, name):
    path = tmp_path / name
    path.write_bytes(bad_file(tmp_path, raw, name))
    with pytest.raises(LoadError) as err:
        read_tables(path, city="湛江市")
    assert err.value.file == str(path)
    assert BAD[name][1] in str(err.value)


@pytest.mark.parametrize("name", ["password.xlsx", "truncated.xlsx", "notes.docx"])
def test_cli_load_of_bad_file_writes_nothing(tmp_path, raw, run, home, name):
    path = tmp_path / name
    path.write_bytes(bad_file(tmp_path, raw, name))
    proc = run("load", str(sample_path()), str(path))
    assert proc.returncode == 1
    assert proc.stderr.startswith("Error: ") and name in proc.stderr and BAD[name][1] in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (home / "graph.db").exists()

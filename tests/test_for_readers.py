"""Issue 22 §3 and §5: pictures, report and files as their readers take them.

Facts from the sample (``loaders/samples/zhanjiang-2023.txt``): every item names a
leader, items 66 and 79 and livelihood item 9 on their sub-items; 110 items under
8 leaders; item 92's deadline reads 2013年12月 in the 2023 table.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from respgraph.graph.progress import Status
from respgraph.queries.co import co_pairs
from respgraph.queries.overview import overview, unit_kinds
from respgraph.viz.network_pages import co_page, overview_page
from tests import progress_reports as reports


def page_data(page) -> dict:
    m = re.search(r'<script id="rg-data" type="application/json">(.*?)</script>', page.html, re.S)
    assert m, "the page hands vis-network no data"
    return json.loads(m.group(1))


# --- §3 pictures and report ----------------------------------------------------------------


def test_whole_graph_page_counts_items_with_leaders_on_their_parts_as_led(memory_store):
    page = overview_page(overview(memory_store), sources=[])
    assert "未写分管领导" not in page.html  # the sample has no item without a leader
    boxes = [n for n in page_data(page)["nodes"] if n.get("isCluster") and "分管的事项" in n.get("label", "")]
    counts = {re.match(r"(\S+) 分管的事项", b["label"])[1]: int(re.search(r"(\d+) 项", b["label"])[1]) for b in boxes}
    assert len(counts) == 8 and sum(counts.values()) == 110


def test_louvain_groups_are_collaboration_groups_never_communities(memory_store):
    pairs, kinds = co_pairs(memory_store, min_shared=2), unit_kinds(memory_store)
    for colour in ("kind", "community"):
        page = co_page(pairs, kinds=kinds, sources=[], color_by=colour, drawn=dt.date(2024, 1, 1))
        assert "社区" not in page.html and "协作群体" in page.html


def test_report_contents_list_every_section_and_the_summary_says_progress(tmp_path):
    from respgraph.ingest import load_progress, sample_store
    from respgraph.viz.report_build import build_report

    store = sample_store()
    load_progress(
        store,
        [
            reports.write_xlsx(tmp_path / "a.xlsx", reports.report_a(), reports.DATE_A),
            reports.write_docx(tmp_path / "b.docx", reports.report_b()),
        ],
    )
    build_report(store, tmp_path / "r", generated=dt.date(2023, 10, 8))
    page = (tmp_path / "r" / "report.html").read_text("utf-8")
    nav = page[page.index("<nav>") : page.index("</nav>")]
    sections = re.findall(r"<section id='(\w+)'>", page)
    linked = re.findall(r"href='#(\w+)'", nav)
    assert linked == [s for s in sections if s != "summary"] and "progress" in linked
    assert "督办进展" in nav
    summary = page[page.index("<section id='summary'>") :]
    summary = summary[: summary.index("</section>")]
    # 30 September: red 24, 59, 62, 73, 80, 93 (overdue, not done); 92 not counted (2013, a misprint).
    assert "督办进展：截至 2023-09-30，110 项事项中" in summary
    assert "红色预警 6 项" in summary and "1 项完成时限与表的年度不符" in summary


def test_one_colour_per_role_never_a_status_colour_and_overdue_apart_from_no_report():
    from respgraph.viz.charts import ROLE_COLOURS
    from respgraph.viz.status_style import OVERDUE, STATUS_COLOR, WARNING_COLOR, status_look
    from respgraph.viz.style import EDGES, ROLE_COLOR

    assert {EDGES["LEADS"].color, EDGES["IMPLEMENTS"].color, EDGES["ASSISTS"].color} == set(ROLE_COLOR.values())
    assert all(ROLE_COLOURS[role] == ROLE_COLOR[role] for role in ROLE_COLOR)  # charts = pages
    assert len(set(ROLE_COLOR.values())) == 3
    status_colours = {c.lower() for c in (*STATUS_COLOR.values(), *WARNING_COLOR.values(), status_look(OVERDUE).color)}
    assert not {c.lower() for c in ROLE_COLOR.values()} & status_colours
    assert status_look(OVERDUE).color != status_look(Status.NO_REPORT.value).color


def test_an_overdue_item_is_drawn_apart_from_one_with_no_report(memory_store):
    from respgraph.viz.status_style import OVERDUE, status_look

    o = overview(memory_store, leader="黄廉东")  # items 99 and 100
    items = sorted(n.id for n in o.nodes if n.label == "Item")
    page = overview_page(o, sources=[], statuses={items[0]: OVERDUE, items[1]: "no_report"})
    colours = {n["id"]: n.get("color") for n in page_data(page)["nodes"]}
    assert colours[items[0]] == status_look(OVERDUE).color != colours[items[1]]
    assert "逾期未完成" in page.html


NOTICE_TEXT = (
    "关于加快推进重点工作的通知\n各县（市、区）人民政府，市政府各部门：\n现将有关事项通知如下。\n湛江市人民政府办公室\n"
)


@pytest.mark.parametrize("kind", ["letter.txt", "letter.docx", "notice-table.docx"])
def test_a_file_that_is_not_a_responsibility_table_is_refused_in_one_line(run, home, tmp_path, kind):
    import docx

    path = tmp_path / kind
    if kind == "letter.txt":
        path.write_text(NOTICE_TEXT, encoding="utf-8")
    else:
        document = docx.Document()
        for line in NOTICE_TEXT.splitlines():
            document.add_paragraph(line)
        if kind == "notice-table.docx":  # a notice's own item table: items and leaders, no units
            table = document.add_table(rows=2, cols=4)
            for cell, text in zip(table.rows[0].cells, ("序号", "事项", "完成时限", "分管领导")):
                cell.text = text
            for cell, text in zip(table.rows[1].cells, ("1", "组建现代农业集团", "2023年9月", "黄廉东")):
                cell.text = text
        document.save(path)
    proc = run("load", str(path), "--city", "湛江市", "--year", "2023")
    assert proc.returncode == 1 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {path}: not a responsibility table: looked for")
    assert "found n" in lines[0]  # "found none" / "found neither": what was not found
    if (home / "graph.db").exists():  # nothing of it was written
        import sqlite3

        with sqlite3.connect(home / "graph.db") as db:
            assert db.execute("SELECT count(*) FROM nodes").fetchone() == (0,)


# --- §5 files for other tools --------------------------------------------------------------


def test_graphml_key_ids_are_distinct_and_co_nodes_carry_their_name(memory_store, tmp_path):
    from lxml import etree

    from respgraph.queries.export_data import co_graph, full_graph
    from respgraph.viz.export_files import co_path, write_export

    out = tmp_path / "g.graphml"
    write_export("graphml", out, graph=full_graph(memory_store), co=co_graph(memory_store))
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    for path in (out, co_path(out)):
        root = etree.parse(str(path)).getroot()
        keys = root.findall("g:key", ns)
        ids = [k.get("id") for k in keys]
        assert len(ids) == len(set(ids)), f"{path.name}: a key id is shared"
        assert {(k.get("for"), k.get("attr.name")) for k in keys} >= {("node", "name")}
    root = etree.parse(str(co_path(out))).getroot()
    name_key = next(
        k.get("id") for k in root.findall("g:key", ns) if k.get("for") == "node" and k.get("attr.name") == "name"
    )
    nodes = root.findall(".//g:node", ns)
    assert len(nodes) == 127
    names = {n.get("id"): n.find(f"g:data[@key='{name_key}']", ns).text for n in nodes}
    assert names["市自然资源局"] == "市自然资源局" and all(k == v for k, v in names.items())
    full = etree.parse(str(out)).getroot()
    shared = {k.get("attr.name") for k in full.findall("g:key", ns) if k.get("for") == "edge"} & {
        k.get("attr.name") for k in full.findall("g:key", ns) if k.get("for") == "node"
    }
    assert "document" in shared  # the attribute both carry, under two ids


def test_answers_workbook_is_chinese_throughout(memory_store, sample_tables):
    from respgraph.queries.export_data import answer_tables

    sheets = answer_tables(memory_store, tables=sample_tables)
    assert {r["类型"] for r in sheets["市领导工作量"]} == {"分管领导"}
    notes = sheets["数据质量"]
    assert notes and not [r["说明"] for r in notes if re.search(r"[A-Za-z]{2,}", r["说明"])]
    deadline = next(r for r in notes if r["代码"] == "deadline_year")
    assert deadline["说明"] == "第92项：完成时限“2013年12月”不在文件的年度（2023年）内"
    for sheet, rows in sheets.items():
        for row in rows:
            assert not [k for k in row if re.search(r"[A-Za-z]", k) and k != "代码"], sheet

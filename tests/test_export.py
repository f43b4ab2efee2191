"""`respgraph export`: every file read back by a library that did not write it.

GraphML by python-igraph, GEXF and Pajek by networkx's readers, the workbook by
LibreOffice (``soffice --headless --convert-to csv``, every sheet).  Counts
are compared with the store's own and with facts of the sample checked by hand
(631 role relationships = 125 LEADS + 216 IMPLEMENTS + 290 ASSISTS, 121
OVERSEES, 127 units in the co-responsibility network, 41 notes).
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import zipfile
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from respgraph.cli import cli
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.queries.co import co_pairs
from respgraph.queries.export_data import answer_tables, co_graph, full_graph
from respgraph.viz.export_files import co_path, workbook_bytes, write_export

HOSTILE = ["=1+1", "+2+3", "-4+5", "@SUM(1,2)", '=HYPERLINK("http://x","y")']


def _soffice() -> str:
    found = shutil.which("soffice")
    if not found:
        if os.environ.get("CI"):
            pytest.fail(
                "soffice is missing: CI must read the workbook with LibreOffice "
                "(apt-get install libreoffice-calc-nogui)",
                pytrace=False,
            )
        pytest.skip("soffice is missing (apt-get install libreoffice-calc-nogui)")
    return found


def sheets_as_csv(office, xlsx: Path, tmp_path: Path) -> dict[str, list[list[str]]]:
    """Every sheet of ``xlsx`` as LibreOffice reads it: sheet name → rows of cells."""
    out = tmp_path / "csv"
    _soffice()
    # 44,34,76 = comma, double quote, UTF-8; the last -1 writes one CSV per sheet.
    office.convert(
        [xlsx],
        out,
        suffix="csv",
        filter_name="Text - txt - csv (StarCalc)",
        options="44,34,76,1,,0,false,true,false,false,false,-1",
    )
    found = {}
    for path in out.glob("*.csv"):
        sheet = path.stem.removeprefix(f"{xlsx.stem}-")
        found[sheet] = list(csv.reader(io.StringIO(path.read_text("utf-8"))))
    return found


@pytest.fixture
def cli_home(tmp_path):
    home = tmp_path / "home"
    return {"RESPGRAPH_HOME": str(home), "RESPGRAPH_CONFIG": str(home / "config.toml"), "RESPGRAPH_STORE": None}


def export(args: list[str], env: dict) -> str:
    result = CliRunner().invoke(cli, ["export", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


# -- GraphML, read by igraph, on both stores ------------------------------------------


def test_graphml_read_by_igraph_matches_the_store(store, tmp_path):
    import igraph  # the test extra installs it: a missing reader is a failure, not a skip

    out = tmp_path / "graph.graphml"
    write_export("graphml", out, graph=full_graph(store), co=co_graph(store))
    g = igraph.Graph.Read_GraphML(str(out))
    nodes, rels = store.counts()
    assert g.vcount() == sum(nodes.values()) and g.ecount() == sum(rels.values())
    assert Counter(g.vs["type"]) == Counter(nodes)
    assert Counter(g.es["type"]) == Counter(rels)
    assert Counter(r for r in g.es["role"] if r) == {"lead": 125, "implement": 216, "assist": 290}
    # Every role and oversight edge names the document, deadline and city of its item.
    concerned = [e for e in g.es if e["type"] in ("LEADS", "IMPLEMENTS", "ASSISTS", "OVERSEES")]
    assert all(e["document"] and e["city"] == "湛江市" for e in concerned)
    assert sum(1 for e in concerned if e["deadline"]) == len(concerned)
    # 市自然资源局: 3 items led, 3 implemented, 33 assisted (README, `items --unit`).
    unit = g.vs.find(name=next(v["name"] for v in g.vs if v["type"] == "Unit" and v["id"].endswith("/市自然资源局")))
    roles = Counter(e["role"] for e in g.es.select(_source=unit.index) if e["role"])
    assert roles == {"lead": 3, "implement": 3, "assist": 33}
    items = [v for v in g.vs if v["type"] == "Item"]
    assert len(items) == 110 and all(v["deadline"] and v["document"] and v["city"] == "湛江市" for v in items)

    co = igraph.Graph.Read_GraphML(str(co_path(out)))
    pairs = co_pairs(store)
    assert co.vcount() == 127 and co.ecount() == len(pairs) == 1053
    assert sum(co.es["weight"]) == sum(p.shared for p in pairs)
    assert set(co.vs["kind"]) <= {
        "city_department",
        "county_government",
        "zone_committee",
        "enterprise",
        "stationed_agency",
        "other",
    }


# -- GEXF and Pajek, read by networkx ------------------------------------------------


def test_gexf_read_by_networkx(memory_store, tmp_path, cli_home):
    out = tmp_path / "graph.gexf"
    text = export([str(out)], cli_home)  # the format from the suffix
    assert "graph-co.gexf" in text
    g = nx.read_gexf(out)
    nodes, rels = memory_store.counts()
    assert g.number_of_nodes() == sum(nodes.values()) and g.number_of_edges() == sum(rels.values())
    assert Counter(t for _, t in g.nodes(data="type")) == Counter(nodes)
    assert Counter(t for *_, t in g.edges(data="relationship")) == Counter(rels)  # GEXF keeps "type" for itself
    assert Counter(r for *_, r in g.edges(data="role") if r) == {"lead": 125, "implement": 216, "assist": 290}
    assert [a["label"] for _, a in g.nodes(data=True) if a["type"] == "Unit" and a["name"] == "市自然资源局"] == [
        "市自然资源局"
    ]
    co = nx.read_gexf(co_path(out))
    assert co.number_of_nodes() == 127 and co.number_of_edges() == 1053
    assert co["市发展改革局"]["市自然资源局"]["weight"] == 27  # the strongest pair (README, `co --top 5`)


def test_pajek_read_by_networkx(memory_store, tmp_path, cli_home):
    out = tmp_path / "graph.net"
    export(["--format", "pajek", str(out)], cli_home)
    g = nx.read_pajek(out)
    nodes, rels = memory_store.counts()
    assert g.number_of_nodes() == sum(nodes.values()) and g.number_of_edges() == sum(rels.values())
    co = nx.read_pajek(co_path(out))
    assert co.number_of_nodes() == 127 and co.number_of_edges() == 1053
    weights = [float(d["weight"]) for d in co.get_edge_data("市发展改革局", "市自然资源局").values()]
    assert weights == [27.0]


def test_export_of_one_document(memory_store, tmp_path):
    doc = next(d["key"] for d in memory_store.documents() if d["attachment"] == 2)
    g = full_graph(memory_store, documents=[doc])
    types = Counter(t for _, t in g.nodes(data="type"))
    assert types["Item"] == 10 and types["Document"] == 1 and types["SubItem"] == 2
    assert {d for *_, d in g.edges(data="document") if d} == {doc}


# -- the workbook, read by LibreOffice -----------------------------------------------


def test_workbook_read_by_libreoffice(memory_store, tmp_path, cli_home, office):
    out = tmp_path / "answers.xlsx"
    export(["--format", "xlsx", str(out)], cli_home)
    sheets = sheets_as_csv(office, out, tmp_path)
    assert list(sheets) and set(sheets) == {
        "单位承担事项",
        "分管事项",
        "单位工作量",
        "市领导工作量",
        "县区工作量",
        "协同单位对",
        "数据质量",
    }
    rels = memory_store.counts()[1]
    rows = {name: len(lines) - 1 for name, lines in sheets.items()}
    assert rows["单位承担事项"] == rels["LEADS"] + rels["IMPLEMENTS"] + rels["ASSISTS"] == 631
    assert rows["分管事项"] == rels["OVERSEES"] == 121
    assert (rows["单位工作量"], rows["市领导工作量"], rows["县区工作量"]) == (127, 8, 11)
    assert rows["协同单位对"] == 1053
    assert rows["数据质量"] == 41  # 38 notes on attachment 1, 3 on attachment 2 (`respgraph load`)
    head = sheets["单位承担事项"][0]
    mine = [r for r in sheets["单位承担事项"][1:] if r[head.index("单位")] == "市自然资源局"]
    assert Counter(r[head.index("角色")] for r in mine) == {"牵头": 3, "实施": 3, "协办": 33}
    quality = sheets["数据质量"]
    assert any(
        r[quality[0].index("代码")] == "deadline_year" and r[quality[0].index("行号")] == "211" for r in quality[1:]
    )

    # Frozen header, a filter on it and wide columns, read from the file's own XML.
    with zipfile.ZipFile(out) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(names) == 7
        for name in names:
            xml = z.read(name).decode("utf-8")
            assert re.search(r'<pane [^>]*ySplit="1"[^>]*state="frozen"', xml), name
            assert re.search(r'<autoFilter ref="A1:[A-Z]+\d+"', xml), name
        first = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
        widths = [float(w) for w in re.findall(r'<col [^>]*width="([\d.]+)"', first)]
        # The title column fits a long Chinese title (two widths a character), within the cap.
        assert max(widths) == 60 and min(widths) >= 6


def test_workbook_of_another_city_has_no_notes_of_the_sample(tmp_path, cli_home):
    from openpyxl import load_workbook

    maoming = Path(__file__).resolve().parent.parent / "docs" / "examples" / "maoming-2023.csv"
    for args in (["load"], ["load", str(maoming)]):
        assert CliRunner().invoke(cli, args, env=cli_home).exit_code == 0
    out = tmp_path / "m.xlsx"
    export(["--city", "茂名市", str(out)], cli_home)
    book = load_workbook(out)
    assert [c.value for c in book["数据质量"]["A"]] == [
        "说明",
        "未读取源文件：运行 respgraph export --source 文件 得到源表的数据质量问题",
    ]
    assert {c.value for c in book["单位承担事项"]["B"][1:]} == {"茂名市"}


def test_names_that_look_like_formulas_stay_text(tmp_path, office):
    s = SqliteStore()
    nodes = [
        {"key": "doc:x/2023/1", "label": "Document", "city": "x", "year": 2023, "attachment": 1, "title": "t"},
        {
            "key": "item:x/2023/1/1",
            "label": "Item",
            "document": "doc:x/2023/1",
            "attachment": 1,
            "number": "1",
            "title": "=1+1",
            "category": "key_item",
            "deadline": "2023-12-31",
        },
        {"key": "leader:x/王", "label": "Leader", "name": "@王", "city": "x"},
    ]
    rels = [
        {"type": "FROM", "start": "item:x/2023/1/1", "end": "doc:x/2023/1"},
        {"type": "OVERSEES", "start": "leader:x/王", "end": "item:x/2023/1/1"},
    ]
    for i, name in enumerate(HOSTILE):
        nodes.append({"key": f"unit:x/{i}", "label": "Unit", "name": name, "city": "x", "kind": "other"})
        rels.append({"type": "ASSISTS", "start": f"unit:x/{i}", "end": "item:x/2023/1/1"})
    s.add_plain(nodes, rels)
    out = tmp_path / "hostile.xlsx"
    write_export("xlsx", out, sheets=answer_tables(s))
    sheets = sheets_as_csv(office, out, tmp_path)
    units = sheets["单位承担事项"]
    assert sorted(r[units[0].index("单位")] for r in units[1:]) == sorted(HOSTILE)
    assert {r[units[0].index("事项")] for r in units[1:]} == {"=1+1"}
    assert sheets["分管事项"][1][0] == "@王"

    # The check can fail: the same cells written the naive way become formulas LibreOffice computes.
    from openpyxl import Workbook

    naive = Workbook()
    naive.active.append(["=1+1", "+2+3"])
    bad = tmp_path / "naive" / "naive.xlsx"
    bad.parent.mkdir()
    naive.save(bad)
    assert sheets_as_csv(office, bad, tmp_path / "naive")["Sheet"][0][0] == "2"
    assert sheets_as_csv(office, out, tmp_path / "again")["单位承担事项"] == units
    assert workbook_bytes({"a": [{"x": "=1"}]})  # a sheet of one risky cell writes


# -- errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args, code, message",
    [
        (
            ["missing-folder/graph.graphml"],
            1,
            "Error: cannot write missing-folder/graph.graphml: the folder missing-folder does not exist",
        ),
        (["--format", "xlsx", "/dev/full"], 1, "Error: cannot write /dev/full: no space left on the device"),
        (["a-file/graph.gexf"], 1, "Error: cannot write a-file/graph.gexf: a-file is a file, not a folder"),
        (["graph.txt"], 2, "Error: give --format, or name OUT with one of .graphml, .gexf, .net, .xlsx"),
    ],
)
def test_export_errors_are_one_line(args, code, message, tmp_path, cli_home, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a-file").write_text("x")
    result = CliRunner().invoke(cli, ["export", *args], env=cli_home)
    assert result.exit_code == code, result.output
    assert message in result.output.splitlines()
    assert "Traceback" not in result.output and not isinstance(result.exception, OSError)

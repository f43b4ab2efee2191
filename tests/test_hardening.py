"""Issue 11, case by case: strict readers, notes on the source, safe outputs, the Neo4j store's reach.

Every table here is written at test time; the facts asserted were counted by hand
from the four-row table below (茂名市, 2023) or from the bundled sample.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
from difflib import SequenceMatcher
from pathlib import Path

import pytest

from respgraph.graph.errors import LoadError
from respgraph.loaders.load import read_source, read_tables, sample_path

ROWS = [
    ["序号", "工作任务", "分管领导", "牵头单位", "责任单位", "配合单位"],
    ["1", "推进重点项目建设", "张三", "市发展改革局", "市发展改革局", "市财政局"],
    ["2", "加快建设铁路专用线", "张三", "市交通运输局", "市铁路建设局", "市自然资源局"],
    ["3", "开展城市更新行动", "李四", "市住房城乡建设局", "市住房城乡建设局", ""],
    ["4", "举办农业博览会", "王五", "市农业农村局", "市农业农村局", ""],
]
TITLE = "2023年茂名市重点工作任务分工表"


def as_csv(rows, title=TITLE) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([[title], *rows])
    return buf.getvalue()


def as_tab(rows, title=TITLE) -> str:
    return "\n".join([title, *("\t".join(r) for r in rows)]) + "\n"


def write(tmp_path, name, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def items(path, **kw) -> list:
    return [i for t in read_tables(path, **kw) for i in t.items]


def quirks(path, kind: str) -> list:
    return [q for t in read_tables(path) for q in t.quirks if q.kind == kind]


# --- strict readers ---------------------------------------------------------------


def test_stray_quote_in_csv_is_an_error_at_the_line_it_opened(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[2][1] = "加快建设铁路专用线"
    text = as_csv(rows).replace("2,加快建设", '2,"加快建设', 1)  # line 4: a quote opened, never closed
    with pytest.raises(LoadError) as err:
        read_tables(write(tmp_path, "stray.csv", text))
    assert err.value.line == 4 and "a quote opened on line 4 is never closed" in str(err.value)
    # A stray pair: the quote closes on a later line with text after it.
    text = as_csv(rows).replace("2,加快建设", '2,"加快建设', 1).replace("3,开展", '3,开"展', 1)
    with pytest.raises(LoadError) as err:
        read_tables(write(tmp_path, "pair.csv", text))
    assert err.value.line == 4 and "closes on line 5" in str(err.value)


def test_the_good_table_loads_four_items(tmp_path):
    for name, text in (("t.csv", as_csv(ROWS)), ("t.txt", as_tab(ROWS))):
        assert [i.title for i in items(write(tmp_path, name, text))] == [r[1] for r in ROWS[1:]]


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\u2028", "\u2029", "\x85"])
@pytest.mark.parametrize("fmt", ["csv", "txt"])
def test_odd_line_separators_inside_a_cell_do_not_split_the_row(tmp_path, char, fmt):
    rows = [list(r) for r in ROWS]
    rows[2][1] = f"加快建设{char}铁路专用线"
    path = write(tmp_path, f"t.{fmt}", (as_csv if fmt == "csv" else as_tab)(rows))
    got = items(path)
    # The separator is read as a space (U+2028, U+2029) or removed with a note (controls).
    assert len(got) == 4 and "".join(got[1].title.split()) == "加快建设铁路专用线"
    assert got[1].number == "2" and got[2].number == "3"


def test_a_one_megabyte_cell_in_a_valid_csv_loads(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[1][1] = "推进重点项目建设" + "很" * 1_000_000
    got = items(write(tmp_path, "big.csv", as_csv(rows)))
    assert len(got) == 4 and len(got[0].title) == 1_000_008


@pytest.mark.parametrize("fmt", ["csv", "txt"])
def test_nul_and_other_control_characters_are_removed_with_a_note(tmp_path, fmt):
    rows = [list(r) for r in ROWS]
    rows[3][2] = "李\x00四"
    rows[4][3] = "市农业\x07农村局"
    path = write(tmp_path, f"t.{fmt}", (as_csv if fmt == "csv" else as_tab)(rows))
    (table,) = read_tables(path)
    assert sorted(leader.name for leader in table.leaders) == ["张三", "李四", "王五"]
    assert "市农业农村局" in {u.name for u in table.units}
    notes = [(q.line, q.cell, q.message) for q in table.quirks if q.kind == "control_chars"]
    assert notes == [
        (5, "分管领导", "control characters U+0000 removed from '李四'"),
        (6, "牵头单位", "control characters U+0007 removed from '市农业农村局'"),
    ]


def test_a_deleted_numbered_row_of_the_sample_is_a_gap_note(tmp_path):
    lines = sample_path().read_text("utf-8").split("\n")
    (gone,) = [n for n, line in enumerate(lines) if line.startswith("50\t")]
    del lines[gone]
    path = write(tmp_path, "gap.txt", "\n".join(lines))
    tables = read_tables(path, city="湛江市")
    assert [len(t.items) for t in tables] == [99, 10]
    gaps = [(q.kind, q.message) for t in tables for q in t.quirks if q.kind.startswith("numbering")]
    assert gaps == [("numbering_gap", "item numbers jump from 49 to 51: 50 is missing")]
    assert not [q for t in read_tables(sample_path()) for q in t.quirks if q.kind.startswith("numbering")]


def test_repeated_and_backward_numbers_are_notes_and_both_items_load(tmp_path):
    rows = [list(r) for r in ROWS]
    rows[3][0] = "2"  # 1, 2, 2, 4
    (table,) = read_tables(write(tmp_path, "repeat.csv", as_csv(rows)))
    assert [i.number for i in table.items] == ["1", "2", "2", "4"]
    assert len({i.key for i in table.items}) == 4
    notes = [(q.line, q.kind) for q in table.quirks if q.kind.startswith("numbering")]
    assert notes == [(5, "numbering_repeat"), (6, "numbering_gap")]
    rows = [list(r) for r in ROWS]
    rows[2][0], rows[3][0] = "3", "2"  # 1, 3, 2, 4
    (table,) = read_tables(write(tmp_path, "order.csv", as_csv(rows)))
    notes = [(q.line, q.kind, q.message) for q in table.quirks if q.kind.startswith("numbering")]
    assert notes == [
        (4, "numbering_gap", "item numbers jump from 1 to 3: 2 is missing"),
        (5, "numbering_order", "item 2 comes after item 3"),
    ]


def test_numbered_sub_parts_break_no_sequence(tmp_path):
    from respgraph.loaders.table.raw import RawRow, RawTable
    from respgraph.loaders.table.source_notes import numbering_notes

    numbers = ["1", "2", "2.1", "2-2", "2（3）", "3", "", "4"]
    raw = RawTable("t", 1, "", 1, {}, 1, [RawRow(n, {"number": s}) for n, s in enumerate(numbers, start=2)])
    assert numbering_notes(raw) == []


def test_similar_names_blocked_search_finds_what_all_pairs_finds():
    from respgraph.loaders.items.build import SIMILAR
    from respgraph.loaders.items.names import name_core
    from respgraph.loaders.items.similar import similar_pairs

    rng = random.Random(5)
    words = "发展 改革 自然 资源 住房 建设 交通 运输 水务 农业 农村 商务 文化 旅游 卫生 健康 国资 公司 集团".split()
    names = sorted({"市" + "".join(rng.sample(words, rng.randint(1, 3))) + rng.choice("局委办") for _ in range(700)})
    cores = [name_core(n) for n in names]
    brute = [
        (i, j)
        for i in range(len(cores))
        for j in range(i + 1, len(cores))
        if cores[i] == cores[j] or SequenceMatcher(None, cores[i], cores[j]).ratio() >= SIMILAR
    ]
    assert len(brute) > 50  # the set has near-spellings to find
    assert similar_pairs(cores, SIMILAR) == brute


def test_units_per_cell_limit(tmp_path, monkeypatch):
    rows = [list(r) for r in ROWS]
    rows[1][5] = "、".join(f"市第{n}局" for n in range(12))
    path = write(tmp_path, "many.csv", as_csv(rows))
    assert len(items(path)) == 4
    monkeypatch.setenv("RESPGRAPH_MAX_UNITS_PER_CELL", "10")
    with pytest.raises(LoadError) as err:
        read_tables(path)
    assert err.value.line == 3 and "12 units in one cell" in str(err.value)
    assert "RESPGRAPH_MAX_UNITS_PER_CELL" in str(err.value)


def test_rows_limit_names_its_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("RESPGRAPH_MAX_ROWS", "100")
    with pytest.raises(LoadError) as err:
        read_source(sample_path())
    assert "101 rows, past the limit of 100 rows (set RESPGRAPH_MAX_ROWS to raise it)" in str(err.value)
    monkeypatch.setenv("RESPGRAPH_MAX_ROWS", "many")
    with pytest.raises(Exception) as err:
        read_source(sample_path())
    assert "RESPGRAPH_MAX_ROWS='many': give a whole number" in str(err.value)


# --- outputs ----------------------------------------------------------------------


HOSTILE_UNITS = ["=1+2局", "+市财政局", "-市档案局", "@SUM局"]


def test_hostile_unit_names_come_out_neutralised_in_csv(tmp_path, run):
    rows = [list(r) for r in ROWS]
    rows[1][5] = "、".join(HOSTILE_UNITS)
    path = write(tmp_path, "hostile.csv", as_csv(rows))
    run("load", str(path), check=True)
    out = run("workload", "--by", "unit", "--format", "csv", check=True).stdout_bytes
    cells = [r[0] for r in csv.reader(io.StringIO(out.decode("utf-8-sig")))]
    for name in HOSTILE_UNITS:
        assert "'" + name in cells and name not in cells
    assert "市自然资源局" in cells  # ordinary names are left alone
    co = run("co", "市发展改革局", "--format", "csv", check=True).stdout_bytes.decode("utf-8-sig")
    assert {r[0] for r in csv.reader(io.StringIO(co))} >= {"'" + n for n in HOSTILE_UNITS}
    # JSON and the table are for programs and people: the names stay as they are.
    data = json.loads(run("workload", "--by", "unit", "--format", "json", check=True).stdout)
    assert {r["name"] for r in data} >= set(HOSTILE_UNITS)


# --- the Neo4j store --------------------------------------------------------------


def test_password_in_uri_is_never_printed(run, monkeypatch):
    for uri in (
        "bolt://neo4j:s3cr3t-pw@127.0.0.1:1",
        "neo4j://neo4j:s3cr3t-pw@127.0.0.1:1",
        "http://neo4j:s3cr3t-pw@127.0.0.1:1",
        "bolt://neo4j:s3cr3t-pw@[::1",
    ):
        monkeypatch.setenv("NEO4J_URI", uri)
        proc = run("--store", "neo4j", "info")
        assert proc.returncode == 1 and "s3cr3t-pw" not in proc.stderr + proc.stdout, proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("Error: ")


@pytest.fixture
def neo4j_env(neo4j_server, home):
    return {
        **os.environ,
        "NEO4J_URI": neo4j_server.uri,
        "NEO4J_USERNAME": neo4j_server.username,
        "NEO4J_PASSWORD": neo4j_server.password.get_secret_value(),
        "RESPGRAPH_STORE": "neo4j",
    }


def test_credentials_inside_the_uri_work_and_stay_hidden(neo4j_env, neo4j_sample_store, run, monkeypatch):
    password = neo4j_env.pop("NEO4J_PASSWORD")
    monkeypatch.delenv("NEO4J_PASSWORD", raising=False)
    uri = neo4j_env["NEO4J_URI"].replace("bolt://", f"bolt://neo4j:{password}@")
    for name, value in {**neo4j_env, "NEO4J_URI": uri}.items():
        monkeypatch.setenv(name, value)
    proc = run("info", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)["documents"]) == 2
    monkeypatch.setenv("NEO4J_URI", uri.replace(password, "wrong-" + password))
    proc = run("info")
    assert proc.returncode == 1 and "refused user 'neo4j'" in proc.stderr and password not in proc.stderr


def test_read_only_cypher_cannot_read_server_files(neo4j_env, neo4j_sample_store, run, monkeypatch):
    for name, value in neo4j_env.items():
        monkeypatch.setenv(name, value)
    proc = run("cypher", "LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r")
    assert proc.returncode == 1 and proc.stdout == "" and "root:" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: Cypher error"), proc.stderr
    assert "allow_csv_import_from_file_urls" in lines[0]


def test_an_error_is_one_line_even_for_a_file_name_with_a_line_break(tmp_path, run):
    path = write(tmp_path, "two\nlines.csv", as_csv(ROWS).replace("2,加快", '2,"加快'))
    proc = run("load", str(path))
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "a quote opened on line 4" in proc.stderr

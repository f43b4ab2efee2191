"""The standing fuzz suite: hostile files, damaged stores, concurrent loads, mutated samples.

Every refusal must be one ``Error:`` line with exit code 1 and leave the store
byte-identical (memory) or with the same documents and counts (Neo4j); every
load must be whole.  Files are made small at test time.  Sizes of the runs:
``RESPGRAPH_FUZZ_CASES`` (mutations, default 300; ``RESPGRAPH_FUZZ_SEED`` picks them) and ``RESPGRAPH_FUZZ_TRIALS``
(concurrent-load trials, default 10 on the embedded store, 3 on Neo4j); the fast tier runs a
tenth of each (30 mutations, 2 trials) and of the properties' examples.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import resource
import subprocess
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from respgraph.graph.errors import RespgraphError
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.load import read_tables, sample_path
from tests import hostile_files as hf
from tests.conftest import examples

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
CASES = int(os.environ.get("RESPGRAPH_FUZZ_CASES") or examples(300))
TRIALS = int(os.environ.get("RESPGRAPH_FUZZ_TRIALS") or examples(10, least=2))
HEADER = ["序号", "工作任务", "分管领导", "牵头单位", "责任单位", "配合单位"]
ROW = ["1", "推进重点项目建设", "张三", "市发展改革局", "市发展改革局", "市财政局"]
TITLE = "2023年茂名市重点工作任务分工表"
MB = 1024 * 1024
#: Peak RSS a refused hostile file may cost the `respgraph load` that refuses it.
RSS_BOUND_MB = 600
#: Address space of the child that reads a hostile file: a regression fails the test (an
#: out-of-memory error) instead of taking the machine's memory.
CHILD_AS_MB = 2500


# --- hostile files, made small at test time ------------------------------------------


def _xlsx(cells: dict[str, str] | None = None, merge: str | None = None) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    ws: Worksheet = book.active  # type: ignore[assignment]  # a new workbook's one sheet is a Worksheet
    ws.append([TITLE])
    ws.append(HEADER)
    ws.append(ROW)
    for ref, value in (cells or {}).items():
        ws[ref] = value
    if merge:
        ws.merge_cells("A1:B1")
    buf = io.BytesIO()
    book.save(buf)
    data = buf.getvalue()
    if merge:  # openpyxl itself would expand a huge merge while writing it: edit the XML instead
        data = _edit_part(
            data, "xl/worksheets/sheet1.xml", lambda x: x.replace(b'ref="A1:B1"', f'ref="{merge}"'.encode())
        )
    return data


def _docx(span: int | None = None) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(TITLE)
    table = document.add_table(rows=2, cols=len(HEADER))
    for row, texts in zip(table.rows, (HEADER, ROW)):
        for cell, text in zip(row.cells, texts):
            cell.text = text
    buf = io.BytesIO()
    document.save(buf)
    data = buf.getvalue()
    if span:
        data = _edit_part(
            data,
            "word/document.xml",
            lambda x: x.replace(b"<w:tcPr>", f'<w:tcPr><w:gridSpan w:val="{span}"/>'.encode(), 1),
        )
    return data


_edit_part = hf.edit_part  # one part of an Office zip rewritten (tests/hostile_files.py)


def _bomb(data: bytes, name: str) -> bytes:
    """The part ``name`` padded to 70 MB of XML whitespace: about 70 KB zipped."""
    return _edit_part(data, name, lambda x: x + b" " * (70 * MB))  # whitespace after the root is well-formed


def _html(td: str) -> bytes:
    return (
        f"<html><body><p>{TITLE}</p><table><tr>{''.join(f'<th>{h}' for h in HEADER)}"
        f"<tr>{''.join(f'<td>{c}' for c in ROW[:-1])}{td}</table></body></html>"
    ).encode()


def _csv(*rows: str) -> bytes:
    return "\n".join([TITLE, ",".join(HEADER), *rows]).encode()


def _special(kind: str):
    def make(path: Path) -> None:
        if kind == "dev_zero":
            path.symlink_to("/dev/zero")
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "sparse":
            with open(path, "wb") as f:
                f.truncate(21 * MB)  # 21 MB on paper, nothing on disk

    return make


#: name -> (file name, bytes or a maker, what the one error line must say)
HOSTILE = {
    "html_colspan": ("t.html", _html('<td colspan="50000000">x'), "RESPGRAPH_MAX_COLUMNS"),
    "html_rowspan": ("t.html", _html('<td rowspan="50000000">x'), "RESPGRAPH_MAX_ROWS"),
    "xlsx_cell_at_XFD1048576": ("t.xlsx", lambda: _xlsx({"XFD1048576": "x"}), "RESPGRAPH_MAX_ROWS"),
    "xlsx_cell_at_XFD1": ("t.xlsx", lambda: _xlsx({"XFD1": "x"}), "RESPGRAPH_MAX_COLUMNS"),
    "xlsx_merge_A1_XFD1048576": ("t.xlsx", lambda: _xlsx(merge="A1:XFD1048576"), "RESPGRAPH_MAX_ROWS"),
    "xlsx_xml_bomb": ("t.xlsx", lambda: _bomb(_xlsx(), "xl/worksheets/sheet1.xml"), "RESPGRAPH_MAX_XML_MB"),
    "docx_gridspan": ("t.docx", lambda: _docx(span=50_000_000), "RESPGRAPH_MAX_COLUMNS"),
    "docx_xml_bomb": ("t.docx", lambda: _bomb(_docx(), "word/document.xml"), "RESPGRAPH_MAX_XML_MB"),
    "txt_wide_row": (
        "t.txt",
        ("\n".join([TITLE, "\t".join(HEADER), "\t".join(ROW + [""] * 1000)])).encode(),
        "RESPGRAPH_MAX_COLUMNS",
    ),
    "csv_wide_row": ("t.csv", _csv(",".join(ROW) + "," * 200_000), "RESPGRAPH_MAX_COLUMNS"),
    "csv_many_rows": ("t.csv", _csv(*[",".join([str(n), *ROW[1:]]) for n in range(1, 50_002)]), "RESPGRAPH_MAX_ROWS"),
    "units_in_one_cell": (
        "t.csv",
        _csv(",".join(ROW[:-1] + ["、".join(f"市第{n}局" for n in range(600))])),
        "RESPGRAPH_MAX_UNITS_PER_CELL",
    ),
    "csv_stray_quote": (
        "t.csv",
        _csv(",".join(ROW), '2,"加快建设,张三,市交通运输局,市铁路建设局,', "3,开展,李四,市局,市局,"),
        "a quote opened on line 4 is never closed",
    ),
    "larger_than_20_mb": ("t.txt", _special("sparse"), "RESPGRAPH_MAX_FILE_MB"),
    "symlink_to_dev_zero": ("t.txt", _special("dev_zero"), "a character device, not a regular file"),
    "fifo": ("t.txt", _special("fifo"), "a named pipe (FIFO), not a regular file"),
    # Issue 21: every spelling of a merged range, merges within the limits but many, PDF
    # shapes, names past the cap, a gridSpan that is no number.
    **{
        f"xlsx_merge_{k}": ("t.xlsx", lambda v=v: hf.xlsx_merges(v), "RESPGRAPH_MAX_ROWS")
        for k, v in hf.WHOLE_SHEET_SPELLINGS.items()
    },
    "xlsx_many_merges": ("t.xlsx", lambda: hf.xlsx_merges(hf.many_merges(3000)), "RESPGRAPH_MAX_MERGED_CELLS"),
    "xlsx_merge_count": (
        "t.xlsx",
        lambda: hf.xlsx_merges(hf.many_merges(25_000, rows=1, cols=1)),
        "RESPGRAPH_MAX_MERGES",
    ),
    "pdf_100000_pages": ("t.pdf", hf.pdf_many_pages, "RESPGRAPH_MAX_PDF_PAGES"),
    "pdf_stream_bomb": ("t.pdf", hf.pdf_stream_bomb, "RESPGRAPH_MAX_PDF_STREAM_MB"),
    "pdf_glyph_bomb": ("t.pdf", hf.pdf_glyph_bomb, "RESPGRAPH_MAX_PDF_PAGE_CHARS"),
    "csv_unit_name_1_mb": ("t.csv", _csv(",".join(ROW[:3] + ["市" + "局" * MB] + ROW[4:])), "RESPGRAPH_MAX_NAME_CHARS"),
    "csv_leader_name_201": ("t.csv", _csv(",".join(ROW[:2] + ["张" * 201] + ROW[3:])), "RESPGRAPH_MAX_NAME_CHARS"),
    "csv_spaced_name": ("t.csv", _csv(",".join(ROW[:3] + ["财政 " * 100_000] + ROW[4:])), "RESPGRAPH_MAX_NAME_CHARS"),
    "docx_gridspan_not_a_number": (
        "t.docx",
        lambda: _edit_part(
            _docx(), "word/document.xml", lambda x: x.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="1e9"/>', 1)
        ),
        "not a whole number",
    ),
}


def make_hostile(tmp_path: Path, case: str) -> tuple[Path, str]:
    name, content, expected = HOSTILE[case]
    path = tmp_path / f"{case}-{name}"
    if callable(content) and content.__name__ == "make":
        content(path)
    else:
        path.write_bytes(content() if callable(content) else content)
    return path, expected


# `respgraph` run by this Python, writing its peak RSS (VmHWM: per process image, so the
# test process it was forked from does not count, unlike wait4's ru_maxrss) to $RSS_OUT.
_MEASURED = """
import atexit, os, sys
def report():
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    with open(os.environ["RSS_OUT"], "w") as out:
        out.write(peak)
atexit.register(report)
from respgraph.cli import main
sys.argv[0] = "respgraph"
main()
"""


def run_measured(args: list[str], env: dict, tmp_path: Path, timeout: float = 120) -> tuple[int, str, float]:
    """(exit code, stderr, peak RSS in MB) of ``respgraph ARGS``."""
    import sys

    rss = tmp_path / "rss"

    def limited():
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_AS_MB * MB,) * 2)

    proc = subprocess.run(
        [sys.executable, "-c", _MEASURED, *args],
        capture_output=True,
        text=True,
        env={**env, "RSS_OUT": str(rss)},
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        preexec_fn=limited,
    )
    return proc.returncode, proc.stderr, int(rss.read_text()) / 1024


def fingerprint(home) -> tuple:
    """Every row of the embedded store, to compare after a refusal."""
    store = SqliteStore.open(home / "graph.db")
    try:
        return tuple(
            tuple(sorted(store.db.execute(f"SELECT * FROM {table}").fetchall(), key=repr))
            for table in ("nodes", "rels", "aliases")
        )
    finally:
        store.close()


@pytest.fixture
def loaded_home(home, run):
    """A home holding the sample, and its rows to compare after a refusal."""
    run("load", check=True)
    return home, fingerprint(home)


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_file_is_refused_in_one_line_and_changes_nothing(tmp_path, loaded_home, case):
    home, before = loaded_home
    path, expected = make_hostile(tmp_path, case)
    code, err, peak = run_measured(["load", str(path)], os.environ.copy(), tmp_path)
    print(f"peak RSS of `respgraph load` refusing {case}: {peak:.0f} MB")
    lines = err.strip().splitlines()
    assert code == 1 and len(lines) == 1 and lines[0].startswith("Error: "), err[-3000:]
    assert expected in lines[0] and path.name in lines[0]
    assert fingerprint(home) == before
    assert peak < RSS_BOUND_MB, f"{case}: peak RSS {peak:.0f} MB"


def test_hostile_files_leave_neo4j_unchanged(tmp_path, scratch_neo4j, neo4j_server, home, sample_tables):
    for t in sample_tables:
        scratch_neo4j.write(t.to_batch())
    before = (scratch_neo4j.documents(), scratch_neo4j.counts())
    env = neo4j_env(neo4j_server)
    for case in HOSTILE:
        path, expected = make_hostile(tmp_path, case)
        code, err, _ = run_measured(["load", str(path)], env, tmp_path)
        assert code == 1 and len(err.strip().splitlines()) == 1 and expected in err, (case, err[-2000:])
    for path in _refused_mutants(tmp_path, 6):
        code, err, _ = run_measured(["load", str(path)], env, tmp_path)
        assert code == 1 and len(err.strip().splitlines()) == 1 and err.startswith("Error: "), err[-2000:]
    assert (scratch_neo4j.documents(), scratch_neo4j.counts()) == before


# --- damaged stores -----------------------------------------------------------------


def _graph(nodes, rels) -> str:
    return json.dumps({"format": "respgraph", "version": 1, "nodes": nodes, "rels": rels}, ensure_ascii=False)


DOC = {"key": "doc:x/2023/1", "label": "Document", "title": "t", "city": "x", "year": 2023, "attachment": 1}
ITEM = {"key": "item:x/2023/1/1", "label": "Item", "title": "t", "document": "doc:x/2023/1"}
DAMAGED = {
    "empty_list": ("[]", "a JSON list where an object is expected"),
    "null": ("null", "a JSON NoneType where an object is expected"),
    "no_nodes": ('{"format": "respgraph", "version": 1, "rels": []}', "no list of nodes"),
    "node_without_key": (_graph([{"label": "Unit", "name": "u"}], []), "node 0 has no key or no label"),
    "node_without_label": (_graph([{"key": "unit:x/u"}], []), "node 0 has no key or no label"),
    "rel_to_missing_node": (
        _graph([DOC, ITEM], [{"type": "FROM", "start": ITEM["key"], "end": "doc:gone"}]),
        "points to a missing node 'doc:gone'",
    ),
    "document_without_title": (
        _graph([{k: v for k, v in DOC.items() if k != "title"}], []),
        "document 'doc:x/2023/1' has no title",
    ),
    "item_without_document": (
        _graph([DOC, {k: v for k, v in ITEM.items() if k != "document"}], []),
        "item 'item:x/2023/1/1' has no document",
    ),
    "unknown_label": (_graph([{"key": "x", "label": "Person"}], []), "node 0 has an unknown label 'Person'"),
    "deeply_nested": ("[" * 200_000 + "]" * 200_000, "nested too deeply"),
    "truncated": (_graph([DOC], [])[:-10], "not readable as JSON"),
    "other_format": ('{"format": "other", "version": 9}', "not a respgraph graph file"),
}


@pytest.mark.parametrize("case", DAMAGED)
def test_damaged_graph_json_is_refused_and_never_migrated(home, run, case):
    """A graph.json of an earlier version is moved into SQLite on first use, unless it is damaged."""
    text, why = DAMAGED[case]
    home.mkdir(parents=True, exist_ok=True)
    (home / "graph.json").write_text(text, encoding="utf-8")
    before = (home / "graph.json").read_bytes()
    for args in (["load", str(EXAMPLES / "maoming-2023.csv")], ["info"], ["items", "--unit", "市发展改革局"]):
        proc = run(*args)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 1 and len(lines) == 1 and lines[0].startswith("Error: "), proc.stderr[-2000:]
        assert why in lines[0] and "move it away" in lines[0] and "Traceback" not in proc.stderr
        assert (home / "graph.json").read_bytes() == before
        assert not (home / "graph.db").exists()


def _other_sqlite(path):
    import sqlite3

    db = sqlite3.connect(path)
    db.execute("CREATE TABLE notes (body TEXT)")
    db.commit()
    db.close()


def _old_respgraph_sqlite(path):
    store = SqliteStore.open(path, create=True)
    store.db.execute("UPDATE meta SET value = '1' WHERE name = 'version'")
    store.close()


DAMAGED_DB = {
    "garbage": (lambda p: p.write_bytes(b"\x00not a database\xff" * 500), "not readable by SQLite"),
    "text": (lambda p: p.write_text("{}"), "not readable by SQLite"),
    "another_program": (_other_sqlite, "not a respgraph store"),
    "other_version": (_old_respgraph_sqlite, "not a respgraph store of version 2"),
}


@pytest.mark.parametrize("case", DAMAGED_DB)
def test_damaged_store_is_refused_and_never_written(home, run, case):
    make, why = DAMAGED_DB[case]
    home.mkdir(parents=True, exist_ok=True)
    make(home / "graph.db")
    before = (home / "graph.db").read_bytes()
    for args in (["load", str(EXAMPLES / "maoming-2023.csv")], ["info"], ["items", "--unit", "市发展改革局"]):
        proc = run(*args)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 1 and len(lines) == 1 and lines[0].startswith("Error: "), proc.stderr[-2000:]
        assert why in lines[0] and "move it away" in lines[0] and "Traceback" not in proc.stderr
        assert (home / "graph.db").read_bytes() == before


def test_graph_json_of_an_earlier_version_is_migrated_once(home, run, sample_tables):
    """Every node and relationship of the old file arrives, and the answers are the sample's."""
    batches = [t.to_batch() for t in sample_tables]
    nodes = [{"key": n.key, "label": n.label, **n.props} for b in batches for n in b.nodes]
    nodes = list({n["key"]: n for n in nodes}.values())
    rels = [{"type": r.type, "start": r.start, "end": r.end, **r.props} for b in batches for r in b.rels]
    home.mkdir(parents=True, exist_ok=True)
    (home / "graph.json").write_text(_graph(nodes, rels), encoding="utf-8")
    first = run("items", "--unit", "市自然资源局", "--format", "json", check=True)
    assert "moved the graph of" in first.stderr and (home / "graph.db").exists()
    second = run("items", "--unit", "市自然资源局", "--format", "json", check=True)
    assert "moved" not in second.stderr and second.stdout == first.stdout
    store = SqliteStore.open(home / "graph.db")
    counts = store.counts()
    assert sum(counts[0].values()) == len(nodes) and sum(counts[1].values()) == len(
        {(r["type"], r["start"], r["end"]) for r in rels}
    )
    rows = json.loads(first.stdout)  # by hand from the sample: 39 items, leading 1-74, 1-75 and 1-76
    assert len(rows) == 39 and [r["number"] for r in rows if "lead" in r["roles"]] == ["74", "75", "76"]


def test_a_write_that_fails_half_way_leaves_the_document_as_it_was(tmp_path, sample_tables, monkeypatch):
    store = SqliteStore.open(tmp_path / "graph.db", create=True)
    for t in sample_tables:
        store.write(t.to_batch())
    before = (store.documents(), store.counts())

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(store, "_add", crash)  # after the old version of the document was removed
    with pytest.raises(OSError):
        store.write(sample_tables[0].to_batch())
    assert (store.documents(), store.counts()) == before
    store.close()
    reopened = SqliteStore.open(tmp_path / "graph.db")
    assert (reopened.documents(), reopened.counts()) == before


# --- concurrent loads -----------------------------------------------------------------


def _load_both_at_once(respgraph_bin: str, env: dict) -> list[tuple[int, str]]:
    procs = [
        subprocess.Popen(
            [respgraph_bin, "load", str(EXAMPLES / name)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("maoming-2023.csv", "maoming-2024.csv")
    ]
    done = []
    for p in procs:
        _, err = p.communicate(timeout=300)  # reads both pipes: a full one cannot stall the child
        done.append((p.returncode, err))
    return done


def test_concurrent_loads_on_the_embedded_store_lose_nothing(tmp_path, respgraph_bin, home):
    lost = 0
    for trial in range(TRIALS):
        trial_home = tmp_path / f"home{trial}"
        env = {**os.environ, "RESPGRAPH_HOME": str(trial_home)}
        for code, err in _load_both_at_once(respgraph_bin, env):
            assert code == 0, err
        docs = [d["key"] for d in SqliteStore.open(trial_home / "graph.db").documents()]
        lost += 2 - len(docs)
    print(f"{TRIALS} trials of two loads at once on the embedded store: {lost} documents lost")
    assert lost == 0, f"{lost} documents lost in {TRIALS} trials"


def neo4j_env(server) -> dict:
    return {
        **os.environ,
        "NEO4J_URI": server.uri,
        "NEO4J_USERNAME": server.username,
        "NEO4J_PASSWORD": server.password.get_secret_value(),
        "RESPGRAPH_STORE": "neo4j",
    }


def test_concurrent_loads_on_neo4j_lose_nothing(scratch_neo4j, neo4j_server, home, respgraph_bin):
    lost, trials = 0, max(1, min(TRIALS, 3))
    for _ in range(trials):
        scratch_neo4j._run("MATCH (n) DETACH DELETE n")
        for code, err in _load_both_at_once(respgraph_bin, neo4j_env(neo4j_server)):
            assert code == 0, err
        lost += 2 - len(scratch_neo4j.documents())
    assert lost == 0, f"{lost} documents lost in {trials} trials"


# --- the seeded mutation fuzzer ----------------------------------------------------------

_HOSTILE_CHARS = [
    "\x00",
    "\x0b",
    "\x0c",
    "\u2028",
    "\u2029",
    "\x85",
    '"',
    "\t",
    ",",
    "\r",
    "\n",
    "<",
    "&",
    "、",
    "（",
    "）",
    "序号",
    "附件 2:",
    "=",
    "\ufeff",
    "\ud7ff",
    "𠀀",
    "\x01",
    "\x1f",
    "\uffff",
    "\ufffe",
    "\ufdd0",
    "\U0010ffff",
    "/",
    ":",
    ">",
    "@",
    "+",
]


def _mutate(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        lines = text.split("\n")
        op = rng.randrange(8)
        n = rng.randrange(len(lines))
        if op == 0 and len(lines) > 1:
            del lines[n]
        elif op == 1:
            lines.insert(n, lines[rng.randrange(len(lines))])
        elif op == 2:
            m = rng.randrange(len(lines))
            lines[n], lines[m] = lines[m], lines[n]
        elif op == 3:
            text = "\n".join(lines)
            at = rng.randrange(len(text) + 1)
            text = text[:at] + rng.choice(_HOSTILE_CHARS) * rng.choice((1, 1, 2, 50)) + text[at:]
            continue
        elif op == 4 and lines[n]:
            at = rng.randrange(len(lines[n]))
            lines[n] = lines[n][:at] + lines[n][at + rng.randint(1, 10) :]
        elif op == 5:
            text = "\n".join(lines)
            text = text[: rng.randrange(len(text) + 1)]
            continue
        elif op == 6:
            cells = re.split(r"(\t|,)", lines[n])
            cells[rng.randrange(len(cells))] = ""
            lines[n] = "".join(cells)
        else:
            lines[n] = lines[n].replace(rng.choice(["市", "局", "年", "1", "2"]), rng.choice(_HOSTILE_CHARS))
        text = "\n".join(lines)
    return text


def _bases() -> dict[str, tuple[str, str]]:
    sample = sample_path().read_text("utf-8").split("\n")
    cut = "\n".join(sample[:70])  # attachment 1 with its header and a few dozen items: quick to read
    csv_text = (EXAMPLES / "maoming-2023.csv").read_text("utf-8")
    html = (
        "<html><body><p>"
        + csv_text.split("\n")[0]
        + "</p><table>"
        + "".join(
            "<tr>" + "".join(f"<td>{c}</td>" for c in line.split(",")) + "</tr>"
            for line in csv_text.split("\n")[1:]
            if line
        )
        + "</table></body></html>"
    )
    return {"txt": ("cut.txt", cut), "csv": ("t.csv", csv_text), "html": ("t.html", html)}


def _check_load(path: Path) -> str:
    """``ok`` for a whole load, ``refused`` for one clean error; anything else fails the test."""
    try:
        tables = read_tables(path)
    except RespgraphError as exc:
        message = str(exc)
        assert "\n" not in message.strip() and message.strip(), repr(message)
        return "refused"
    store = SqliteStore()
    for table in tables:
        keys = [i.key for i in table.items]
        assert len(keys) == len(set(keys)) and all(i.title for i in table.items)
        store.write(table.to_batch())
    dangling = store.db.execute(
        'SELECT count(*) FROM rels WHERE start NOT IN (SELECT key FROM nodes) OR "end" NOT IN (SELECT key FROM nodes)'
    ).fetchone()[0]
    assert dangling == 0
    assert len(store.documents()) == len(tables)
    return "ok"


def test_mutated_tables_load_whole_or_are_refused_in_one_line(tmp_path):
    rng = random.Random(int(os.environ.get("RESPGRAPH_FUZZ_SEED", "20261129")))
    bases = _bases()
    office = {"xlsx": _xlsx(), "docx": _docx()}
    outcomes: dict[str, int] = {"ok": 0, "refused": 0}
    for case in range(CASES):
        kind = rng.choice([*bases, "xlsx", "docx"])
        if kind in bases:
            name, text = bases[kind]
            data = _mutate(text, rng).encode("utf-8", "surrogatepass")
        elif rng.random() < 0.7:  # the XML inside the zip mutated: what openpyxl and python-docx parse
            part = "xl/worksheets/sheet1.xml" if kind == "xlsx" else "word/document.xml"
            base = office[kind]
            data = _edit_part(base, part, lambda x: _mutate(x.decode(), rng).encode("utf-8", "surrogatepass"))
            name = f"t.{kind}"
        else:  # the zip's own bytes
            data = bytearray(office[kind])
            for _ in range(rng.randint(1, 3)):
                at = rng.randrange(len(data))
                data[at] = rng.randrange(256) if rng.random() < 0.8 else 0
            data, name = bytes(data[: rng.randrange(len(data) // 2, len(data) + 1)]), f"t.{kind}"
        path = tmp_path / f"{case}-{name}"
        path.write_bytes(data)
        try:
            outcomes[_check_load(path)] += 1
        except AssertionError:
            raise
        except Exception as exc:  # noqa: BLE001  (any other exception is the bug this finds)
            pytest.fail(f"case {case} ({kind}, {path.name}): {type(exc).__name__}: {exc}")
    print(f"{CASES} mutated tables: {outcomes}")
    assert outcomes["ok"] > CASES // 10 and outcomes["refused"] > CASES // 10, outcomes  # both paths exercised


def _refused_mutants(tmp_path: Path, count: int) -> list[Path]:
    """The first ``count`` seeded mutants the reader refuses (those that load are checked above)."""
    rng, bases, out = random.Random(7), _bases(), []
    for case in range(200):
        name, text = bases[rng.choice(list(bases))]
        path = tmp_path / f"mutant{case}-{name}"
        path.write_bytes(_mutate(text, rng).encode("utf-8", "surrogatepass"))
        try:
            read_tables(path)
        except RespgraphError:
            out.append(path)
            if len(out) == count:
                return out
    pytest.fail(f"fewer than {count} refused mutants in 200")


def test_mutated_tables_through_the_cli_leave_the_store_unchanged(tmp_path, loaded_home, run):
    home, before = loaded_home
    for path in _refused_mutants(tmp_path, 12):
        proc = run("load", str(path))
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 1 and len(lines) == 1 and lines[0].startswith("Error: "), proc.stderr[-2000:]
        assert fingerprint(home) == before


# --- properties (hypothesis) ------------------------------------------------------------

_SETTINGS = settings(max_examples=examples(200), deadline=None, derandomize=True)


@_SETTINGS
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=20), min_size=1, max_size=8))
def test_split_lines_splits_only_at_line_breaks(lines):
    from respgraph.loaders.formats.lines import split_lines

    assert split_lines("\r\n".join(lines) + "\n") == lines or lines[-1] == ""


@_SETTINGS
@given(st.one_of(st.text(max_size=30), st.integers(), st.floats(allow_nan=False)))
def test_csv_cells_never_start_a_formula(value):
    from respgraph.commands.output import csv_cell

    cell = csv_cell(value)
    if isinstance(value, str):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert cell.removeprefix("'") == value or cell == value


@_SETTINGS
@given(
    st.text(alphabet="abc:@/%", max_size=12),
    st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="@/:?#[]"),
        min_size=6,
        max_size=16,
    ),
)
def test_a_password_never_survives_redaction(host, password):
    from respgraph.graph.settings import redact_uri

    assert password not in redact_uri(f"bolt://neo4j:{password}@{host}:7687")


@_SETTINGS
@given(st.lists(st.text(alphabet="国资委局市发改自然源交通", min_size=0, max_size=7), max_size=40))
def test_similar_pairs_equal_all_pairs(texts):
    from respgraph.loaders.items.similar import similar_pairs

    brute = [
        (i, j)
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if texts[i] == texts[j] or SequenceMatcher(None, texts[i], texts[j]).ratio() >= 0.85
    ]
    assert similar_pairs(texts, 0.85) == brute


@_SETTINGS
@given(st.text(max_size=40))
def test_cleaned_text_always_fits_in_xml(text):
    """What loading leaves of any text (control and non-characters removed) is legal in the
    XML of docx, xlsx, GraphML and GEXF."""
    from lxml import etree

    from respgraph.loaders.formats.lines import strip_controls

    cleaned, _ = strip_controls(text.replace("\r", "").replace("\n", "").replace("\t", ""))
    element = etree.Element("x")
    element.text = cleaned  # lxml refuses what XML cannot hold
    element.set("a", cleaned)


@_SETTINGS
@given(st.lists(st.text(min_size=1, max_size=300), max_size=12))
def test_output_file_names_are_unique_bounded_and_safe(names):
    from respgraph.viz.files import file_names

    names = list(dict.fromkeys(names))
    files = file_names(names, "督办通知单_", ".docx")
    assert len({f.casefold() for f in files.values()}) == len(names)
    for f in files.values():
        assert len(f.encode("utf-8")) <= 255 and not set(f) & set('/\\:*?"<>|\x00')

"""`respgraph balance|timeline|deadlines|collaboration|overlap|quality`: the report's analyses, one command each.

Run in-process with click's CliRunner, in a private RESPGRAPH_HOME holding the
sample.  The facts were checked by hand against ``loaders/samples/zhanjiang-2023.txt``:

- 市交通运输局 is lead on 20 items, implementing on 1 (item 39, where it also
  leads) and assisting on 10: 30 items, score 3·20 + 2·1 + 10 = 72;
- 黄益斌 oversees item 53 only (targets in quarters 1–3; 市公安局 leads and
  implements); 黄廉东 oversees 99 (quarters 1–3; 市国资委 leads and implements,
  four assist) and 100 (quarters 1–4; five other units): 10 units, 市公安局 among them;
- 湛江交投城市停车服务经营有限公司 is on item 100 alone, implementing, beside four
  other units; 市国资委 implements 17 (1–4) and 99 (1–3) and assists on 4, 18
  (第一季度, 第二季度, 第三、四季度), 26 and 77 (1–4 each);
- deadlines: 2013年12月 once (item 92), June nine times (1-20, 24, 29, 32, 59, 62,
  73, 93 and 2-7), August once (1-80), September twice (1-53, 1-99), the other 97 December;
- the source's errors: item 92's year (line 211), no implementing unit on items 51
  (line 108) and 60 (line 123); attachment 2 spells 市住房 城乡建设局 on line 245 and
  leaves 事项 and 主要内容 empty on the continuation row of line 261.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess

import pytest
from click.testing import CliRunner

from respgraph.cli import cli
from respgraph.viz.report_build import CSV_FILES

#: Each analysis command and the CSV file of the report that holds the same rows.
SAME_AS_REPORT = [
    (("balance",), "workload-units.csv"),
    (("balance", "--by", "leader"), "workload-leaders.csv"),
    (("balance", "--by", "district"), "workload-districts.csv"),
    (("timeline",), "quarters-units.csv"),
    (("timeline", "--by", "leader"), "quarters-leaders.csv"),
    (("deadlines",), "deadlines.csv"),
    (("collaboration",), "network-units.csv"),
    (("collaboration", "--communities"), "communities.csv"),
    (("overlap",), "leader-overlap.csv"),
    (("overlap", "--units"), "leader-units.csv"),
    (("quality",), "quality.csv"),
]
COMMANDS = ["balance", "timeline", "deadlines", "collaboration", "overlap", "quality"]


def env_of(home) -> dict:
    return {
        "RESPGRAPH_HOME": str(home),
        "RESPGRAPH_CONFIG": str(home / "config.toml"),
        "RESPGRAPH_STORE": None,
        "NEO4J_URI": None,
    }


def invoke(env: dict, *args: str):
    return CliRunner().invoke(cli, list(args), env=env)


def ok(env: dict, *args: str):
    result = invoke(env, *args)
    assert result.exit_code == 0, result.output
    return result


def as_json(env: dict, *args: str):
    return json.loads(ok(env, *args, "--format", "json").stdout)


def as_csv(env: dict, *args: str) -> list[dict]:
    data = ok(env, *args, "--format", "csv").stdout_bytes
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def one_error(result) -> str:
    """The one ``Error:`` line a failed command prints, after checking it is alone and exit is 1."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and result.stdout == "", result.output
    return errors[0]


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    """A home with the sample loaded, as after `respgraph load`."""
    env = env_of(tmp_path_factory.mktemp("home"))
    ok(env, "load", "--quiet")
    return env


@pytest.fixture(scope="module")
def report_dir(env, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    ok(env, "report", "--out", str(out))
    return out


# --- balance -----------------------------------------------------------------------------------------------------


def test_balance_json_is_the_load_balance(env):
    b = as_json(env, "balance")
    assert set(b) == {"by", "weights", "rows", "balance", "with_groups", "lorenz", "fences"}
    assert b["fences"] == {"method": "tukey", "k": 1.5, "low": -8.5, "high": 19.5}
    first = b["rows"][0]
    assert {k: first[k] for k in ("name", "items", "lead", "implement", "assist", "score", "position")} == {
        "name": "市交通运输局",
        "items": 30,
        "lead": 20,
        "implement": 1,
        "assist": 10,
        "score": 72,
        "position": "high",
    }
    assert len(b["rows"]) == b["balance"]["count"] == 127
    assert b["lorenz"][0] == [0.0, 0.0] and b["lorenz"][-1] == [1.0, 1.0]


def test_balance_options_reach_the_query(env):
    rows = as_json(env, "balance", "--weights", "lead=1,implement=1,assist=1")["rows"]
    assert next(r for r in rows if r["name"] == "市交通运输局")["score"] == 31
    assert as_json(env, "balance", "--outliers", "mad")["fences"]["method"] == "mad"
    assert as_json(env, "balance", "--k", "100")["fences"]["high"] > 72
    leaders = {r["name"]: r for r in as_json(env, "balance", "--by", "leader")["rows"]}
    assert {k: leaders["黄益斌"][k] for k in ("items", "lead", "implement", "assist", "score")} == {
        "items": 1,
        "lead": 1,
        "implement": 1,
        "assist": 0,
        "score": 5,
    }
    assert {k: leaders["黄廉东"][k] for k in ("items", "lead", "implement", "assist", "score")} == {
        "items": 2,
        "lead": 2,
        "implement": 2,
        "assist": 7,
        "score": 17,
    }
    top = as_csv(env, "balance", "--top", "2")
    assert [r["name"] for r in top] == ["市交通运输局", "市发展改革局"]


def test_balance_table_says_who_is_far_from_the_rest(env):
    out = ok(env, "balance").stdout
    assert out.splitlines()[0].split() == [
        "name",
        "city",
        "kind",
        "items",
        "parts",
        "lead",
        "implement",
        "assist",
        "via_group",
        "score",
        "position",
    ]
    assert "127 units" in out and "tukey fences (k=1.5) [-8.5, 19.5]" in out and "市交通运输局 72" in out


# --- timeline and deadlines --------------------------------------------------------------------------------------


def test_timeline_counts_targets_per_quarter(env):
    leaders = {r["name"]: r for r in as_json(env, "timeline", "--by", "leader")["rows"]}
    assert (leaders["黄益斌"]["quarters"], leaders["黄益斌"]["total"]) == ([1, 1, 1, 0], 3)
    assert (leaders["黄廉东"]["quarters"], leaders["黄廉东"]["total"]) == ([2, 2, 2, 1], 7)
    units = {r["name"]: r for r in as_csv(env, "timeline")}
    assert [units["湛江交投城市停车服务经营有限公司"][f"q{q}"] for q in (1, 2, 3, 4)] == ["1", "1", "1", "1"]
    assert [units["市国资委"][k] for k in ("q1", "q2", "q3", "q4", "total")] == ["2", "2", "2", "1", "7"]


def test_timeline_role(env):
    data = as_json(env, "timeline", "--role", "assist")
    assert set(data) == {"by", "roles", "rows", "totals", "undated", "unassigned"} and data["roles"] == ["assist"]
    sasac = next(r for r in data["rows"] if r["name"] == "市国资委")
    assert (sasac["quarters"], sasac["total"]) == ([4, 4, 4, 4], 15)  # item 18's 第三、四季度 counts in both
    both = next(
        r
        for r in as_json(env, "timeline", "--role", "implement", "--role", "assist")["rows"]
        if r["name"] == "市国资委"
    )
    assert (both["quarters"], both["total"]) == ([6, 6, 6, 5], 22)
    error = one_error(invoke(env, "timeline", "--by", "leader", "--role", "lead"))
    assert error.startswith("Error: --role is for --by unit")


def test_deadlines(env):
    rows = as_json(env, "deadlines")["rows"]
    assert [(r["month"], r["count"]) for r in rows] == [
        ("2013-12", 1),
        ("2023-06", 9),
        ("2023-08", 1),
        ("2023-09", 2),
        ("2023-12", 97),
    ]
    assert rows[1]["numbers"] == ["1-20", "1-24", "1-29", "1-32", "1-59", "1-62", "1-73", "1-93", "2-7"]
    assert all(len(r["items"]) == r["count"] for r in rows)
    flat = as_csv(env, "deadlines")
    assert list(flat[0]) == ["month", "count", "numbers"]
    assert flat[0]["numbers"] == "1-92" and flat[3]["numbers"] == "1-53、1-99"
    assert "110 items in 5 months" in ok(env, "deadlines").stdout


# --- collaboration and overlap -----------------------------------------------------------------------------------


def test_collaboration_rows_and_communities(env):
    c = as_json(env, "collaboration")
    assert {"rows", "communities", "modularity", "units", "ties", "core_k", "seed"} <= set(c)
    assert c["units"] == len(c["rows"]) == 127 and c["seed"] == 42
    # Item 100 is the only one of the parking company: four partners, one item each, all tied to each other.
    parking = next(r for r in c["rows"] if r["name"] == "湛江交投城市停车服务经营有限公司")
    assert {
        k: parking[k] for k in ("items", "degree", "weighted_degree", "betweenness", "core_number", "position")
    } == {"items": 1, "degree": 4, "weighted_degree": 4, "betweenness": 0, "core_number": 0, "position": "periphery"}
    assert next(r for r in c["rows"] if r["name"] == "市交通运输局")["items"] == 30
    members = [m for community in c["communities"] for m in community["members"]]
    assert sorted(members) == sorted(r["name"] for r in c["rows"])  # every unit in exactly one community
    assert [m["id"] for m in c["communities"]] == list(range(1, len(c["communities"]) + 1))
    betweenness = [r["betweenness"] for r in c["rows"]]
    assert betweenness == sorted(betweenness, reverse=True)  # brokers first


def test_collaboration_options(env):
    core = as_json(env, "collaboration", "--position", "core")
    assert core["rows"] and {r["core_number"] for r in core["rows"]} == {core["core_k"]}
    only = as_json(env, "collaboration", "--communities")
    assert "rows" not in only and only["communities"] == as_json(env, "collaboration")["communities"]
    assert as_json(env, "collaboration", "--communities", "--top", "2")["communities"] == only["communities"][:2]
    assert as_csv(env, "collaboration", "--seed", "7") == as_csv(env, "collaboration", "--seed", "7")
    assert as_json(env, "collaboration", "--seed", "7")["seed"] == 7
    assert as_json(env, "collaboration", "--top", "3")["rows"] == as_json(env, "collaboration")["rows"][:3]
    assert one_error(invoke(env, "collaboration", "--communities", "--position", "core")).startswith(
        "Error: --position picks units"
    )


def test_overlap_pairs_and_units(env):
    pairs = as_json(env, "overlap")["rows"]
    assert (pairs[0]["a"], pairs[0]["b"], pairs[0]["shared_units"]) == ("张仁建", "黄明忠", 33)
    small = next(p for p in pairs if {p["a"], p["b"]} == {"黄廉东", "黄益斌"})
    assert (small["shared_units"], small["units"], small["jaccard"]) == (1, ["市公安局"], 0.1)
    rows = as_json(env, "overlap", "--units")["rows"]
    assert [(r["unit"], r["items"], r["roles"]) for r in rows if r["leader"] == "黄益斌"] == [
        ("市公安局", 1, ["lead", "implement"])
    ]
    assert len([r for r in rows if r["leader"] == "黄廉东"]) == 10
    assert list(as_csv(env, "overlap")[0]) == ["a", "b", "shared_units", "jaccard", "units"]


# --- quality -----------------------------------------------------------------------------------------------------


def test_quality_of_the_sample(env):
    q = as_json(env, "quality")
    assert set(q) == {"rows", "counts"}
    serious = [(n["kind"], n["line"]) for n in q["rows"][:3]]
    assert serious == [("deadline_year", 211), ("no_implementer", 108), ("no_implementer", 123)]
    assert {k: q["counts"][k] for k in ("deadline_year", "no_implementer")} == {"deadline_year": 1, "no_implementer": 2}
    second = as_json(env, "quality", "--doc", "民生实事")["rows"]
    assert sorted((n["line"], n["kind"], n["cell"]) for n in second) == [
        (245, "alias", "协办单位"),
        (261, "inherited", "主要内容"),
        (261, "inherited", "事项"),
    ]


HEADER = ["序号", "事项", "完成时限", "市政府分管领导", "牵头单位", "实施单位", "协办单位"]
ROWS = [
    ["1", "建设滨海公园", "2023年12月", "张三", "市住房和城乡建设局", "市自然资源局", "市财政局"],
    ["2", "完成旧城改造", "2023年6月", "李四", "市城市更新局", "", "市财政局"],
    ["3", "举办农业博览会", "2013年9月", "王五", "市农业农村局", "市农业农村局", ""],
]
TITLE = "2023年茂名市重点工作任务分工表"


def write_table(path):
    """The hand-made table (item 2 without implementing unit, item 3 dated 2013) in ``path``'s format."""
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([[TITLE], HEADER, *ROWS])
    elif path.suffix == ".txt":
        path.write_text("\n".join(["\t".join(r) for r in [[TITLE], HEADER, *ROWS]]) + "\n", encoding="utf-8")
    elif path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in [[TITLE], HEADER, *ROWS]:
            book.active.append(row)
        book.save(path)
    else:
        from docx import Document

        doc = Document()
        doc.add_paragraph(TITLE)
        table = doc.add_table(rows=0, cols=len(HEADER))
        for row in [HEADER, *ROWS]:
            for cell, text in zip(table.add_row().cells, row):
                cell.text = text
        doc.save(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".txt", ".xlsx", ".docx"])
def test_quality_of_a_file(env, tmp_path, suffix):
    path = write_table(tmp_path / f"maoming-2023{suffix}")
    q = as_json(env, "quality", str(path))
    serious = [(n["kind"], n["message"]) for n in q["rows"] if n["kind"] in ("deadline_year", "no_implementer")]
    assert [kind for kind, _ in serious] == ["deadline_year", "no_implementer"]
    assert "item 3" in serious[0][1] and "2013年9月" in serious[0][1] and "item 2" in serious[1][1]
    assert {n["file"] for n in q["rows"]} == {path.name}
    assert as_json(env, "quality", str(path), "--city", "茂名市") == q
    error = one_error(invoke(env, "quality", str(path), "--city", "湛江市"))
    assert error == "Error: none of the tables read is of 湛江市: they are of 茂名市"


def test_quality_needs_the_files_it_reports_on(tmp_path):
    env = env_of(tmp_path / "home")
    path = write_table(tmp_path / "maoming-2023.csv")
    ok(env, "load", "--quiet", str(path))
    error = one_error(invoke(env, "quality"))
    assert error.startswith("Error: quality reads source files, not the graph") and "maoming-2023.csv" in error
    assert one_error(invoke(env, "quality", str(tmp_path))).endswith(
        "a folder, not a regular file: respgraph reads only regular files"
    )
    assert "'2024' names no one table" in one_error(invoke(env, "quality", str(path), "--doc", "2024"))


# --- what every command shares -----------------------------------------------------------------------------------


@pytest.mark.parametrize("args, name", SAME_AS_REPORT, ids=[name for _, name in SAME_AS_REPORT])
def test_csv_is_the_report_csv(env, report_dir, args, name):
    assert ok(env, *args, "--format", "csv").stdout_bytes == (report_dir / name).read_bytes()


#: Report CSV files whose command shows the city column only when several cities are loaded.
WITHOUT_CITY = {"co-pairs.csv": ("co",), "brokerage.csv": ("brokerage",), "core-periphery.csv": ("core",)}


def test_every_report_csv_has_a_command():
    assert {name for _, name in SAME_AS_REPORT} == set(CSV_FILES) - set(WITHOUT_CITY)


@pytest.mark.parametrize("name", sorted(WITHOUT_CITY))
def test_csv_of_one_city_is_the_report_csv_without_the_city(env, report_dir, name):
    report = list(csv.DictReader(io.StringIO((report_dir / name).read_text("utf-8-sig"))))
    assert {r.pop("city") for r in report} == {"湛江市"}
    assert as_csv(env, *WITHOUT_CITY[name]) == report


def test_csv_with_doc_is_the_report_csv_with_doc(env, tmp_path):
    ok(env, "report", "--out", str(tmp_path), "--doc", "民生实事")
    for args, name in SAME_AS_REPORT:
        assert ok(env, *args, "--doc", "民生实事", "--format", "csv").stdout_bytes == (tmp_path / name).read_bytes(), (
            name
        )
    assert len(as_json(env, "deadlines", "--doc", "民生实事")["rows"][-1]["items"]) == 9  # 10 items: 2-7 in June


@pytest.mark.parametrize("command", COMMANDS)
def test_city_and_doc_errors(env, command):
    error = one_error(invoke(env, command, "--city", "茂名市"))
    assert error == "Error: no city named '茂名市'; did you mean: 湛江市? (`respgraph documents` lists them all)"
    error = one_error(invoke(env, command, "--doc", "nonesuch"))
    assert error.startswith("Error: no document 'nonesuch' is loaded")
    assert (
        ok(env, command, "--city", "湛江市", "--format", "csv").stdout_bytes
        == ok(env, command, "--format", "csv").stdout_bytes
    )


@pytest.mark.parametrize("command", COMMANDS)
def test_sample_answers_before_anything_is_loaded(tmp_path, command):
    result = ok(env_of(tmp_path / "home"), command, "--format", "json")
    assert json.loads(result.stdout)["rows"] and "nothing loaded yet" in result.stderr


def test_installed_command_answers_alike(env, respgraph_bin, home):
    # One end-to-end run of the console script (its own home: the bundled sample).
    proc = subprocess.run(
        [respgraph_bin, "balance", "--by", "leader", "--format", "csv"], capture_output=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ok(env, "balance", "--by", "leader", "--format", "csv").stdout_bytes


@pytest.mark.neo4j
def test_commands_on_neo4j_answer_like_memory(env, neo4j_server, neo4j_sample_store):
    on_neo4j = {
        **env,
        "RESPGRAPH_STORE": "neo4j",
        "NEO4J_URI": neo4j_server.uri,
        "NEO4J_USERNAME": neo4j_server.username,
        "NEO4J_PASSWORD": neo4j_server.password.get_secret_value(),
    }
    for args, name in SAME_AS_REPORT:
        assert ok(on_neo4j, *args, "--format", "csv").stdout_bytes == ok(env, *args, "--format", "csv").stdout_bytes, (
            name
        )


def test_two_cities(tmp_path):
    """The sample beside the hand-made 茂名市 table: rows say their city, --city keeps one.

    茂名市's items: 1 (张三; 市住房和城乡建设局 leads, 市自然资源局 implements, 市财政局
    assists), 2 (李四; 市城市更新局 leads, 市财政局 assists), 3 (王五; 市农业农村局 leads
    and implements).
    """
    env = env_of(tmp_path / "home")
    ok(env, "load", "--quiet")
    ok(env, "load", "--quiet", str(write_table(tmp_path / "maoming-2023.csv")))
    rows = as_csv(env, "balance")
    assert sorted(r["city"] for r in rows if r["name"] == "市财政局") == ["湛江市", "茂名市"]
    mine = {r["name"]: (r["city"], r["score"]) for r in as_csv(env, "balance", "--city", "茂名市")}
    assert mine == {
        "市农业农村局": ("茂名市", "5"),
        "市住房和城乡建设局": ("茂名市", "3"),
        "市城市更新局": ("茂名市", "3"),
        "市自然资源局": ("茂名市", "2"),
        "市财政局": ("茂名市", "2"),
    }
    c = as_json(env, "collaboration", "--city", "茂名市")
    assert (c["units"], c["ties"]) == (5, 4)
    broker = c["rows"][0]
    assert (broker["name"], broker["degree"]) == ("市财政局", 3) and broker["betweenness"] > 0
    assert "湛江市:市发展改革局" in {r["name"] for r in as_json(env, "collaboration")["rows"]}
    pairs = as_json(env, "overlap", "--city", "茂名市")["rows"]
    assert [(p["a"], p["b"], p["units"], p["jaccard"]) for p in pairs] == [("张三", "李四", ["市财政局"], 0.25)]
    assert [(r["month"], r["numbers"]) for r in as_json(env, "deadlines", "--city", "茂名市")["rows"]] == [
        ("2013-09", ["1-3"]),
        ("2023-06", ["1-2"]),
        ("2023-12", ["1-1"]),
    ]

"""The installed ``respgraph`` command: output shapes, formats, errors, help."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from respgraph.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def as_json(proc):
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_items_json_shape(run):
    rows = as_json(run("items", "--unit", "市自然资源局", "--format", "json"))
    assert len(rows) == 39
    first = rows[0]
    assert {"id", "attachment", "number", "title", "roles", "via"} <= set(first)
    assert (first["attachment"], first["number"], first["roles"], first["via"]) == (1, "2", ["assist"], [])
    assert [r["number"] for r in rows if "lead" in r["roles"]] == ["74", "75", "76"]


def test_items_through_group_name_the_group(run):
    rows = as_json(run("items", "--unit", "赤坎区政府", "--format", "json"))
    via = [r for r in rows if r["via"]]
    assert len(via) == 19 and via[0]["via"] == ["各县（市、区）政府（管委会）"]
    (i79,) = [r for r in rows if r["number"] == "79"]
    assert [p["part"] for p in i79["parts"]] == [3, 4] and i79["via"] == []


def test_portfolio_json_shape(run):
    data = as_json(run("portfolio", "陈峻华", "--format", "json"))
    assert data["leader"] == "陈峻华"
    assert [i["number"] for i in data["items"]] == [str(n) for n in range(74, 83)]
    i79 = next(i for i in data["items"] if i["number"] == "79")
    assert len(i79["parts"]) == 10
    assert i79["parts"][1]["units"]["implement"] == ["霞山区政府"]


def test_workload_json_shape(run):
    rows = as_json(run("workload", "--by", "unit", "--format", "json"))
    nr = next(r for r in rows if r["name"] == "市自然资源局")
    assert (nr["lead"], nr["implement"], nr["assist"], nr["score"]) == (3, 3, 33, 48)
    rows = as_json(run("workload", "--by", "unit", "--weights", "lead=1,implement=1,assist=1", "--format", "json"))
    assert next(r for r in rows if r["name"] == "市自然资源局")["score"] == 39
    bal = as_json(run("workload", "--by", "leader", "--balance", "--format", "json"))
    assert bal["count"] == 8 and 0 < bal["gini"] < 1


def test_co_json_shape(run):
    rows = as_json(run("co", "市自然资源局", "--format", "json"))
    assert rows[0]["name"] == "市发展改革局" and rows[0]["shared"] == 27
    assert {"name", "shared"} <= set(rows[0])


def test_csv_has_bom_and_opens_as_utf8(run):
    proc = run("items", "--unit", "市自然资源局", "--format", "csv")
    assert proc.returncode == 0
    assert proc.stdout_bytes.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(proc.stdout_bytes.decode("utf-8-sig"))))
    assert len(rows) == 39 and rows[0]["number"] == "2"


def test_table_is_the_default(run):
    proc = run("items", "--unit", "市自然资源局")
    assert proc.returncode == 0
    assert "39 items named directly, 0 only through a group" in proc.stdout
    assert "nothing loaded yet" in proc.stderr


def test_alias_and_spaces_in_the_asked_name(run):
    a = as_json(run("items", "--unit", "市发展改革委", "--format", "json"))
    b = as_json(run("items", "--unit", "市 发展改革局", "--format", "json"))
    assert a == b and len(a) == 39


def test_unknown_name_suggests_and_exits_1(run):
    proc = run("items", "--unit", "自然资源局")
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == (
        "Error: no unit named '自然资源局'; did you mean: 市自然资源局? (`respgraph units` lists them all)"
    )
    proc = run("portfolio", "陈峻")
    assert proc.returncode == 1 and "陈峻华" in proc.stderr


def test_load_saves_and_loading_twice_changes_nothing(run, home):
    assert run("load").returncode == 0
    assert (home / "graph.db").exists()
    first = as_json(run("info", "--format", "json"))
    assert run("load").returncode == 0
    assert as_json(run("info", "--format", "json")) == first
    assert first["nodes"]["Item"] == 110 and first["nodes"]["SubItem"] == 14
    assert run("items", "--unit", "市自然资源局").stderr == ""  # answered from the saved graph


def test_check_reports_source_errors(run):
    proc = run("check", "--format", "json")
    notes = as_json(proc)
    kinds = {(n["line"], n["kind"]) for n in notes}
    assert {(211, "deadline_year"), (108, "no_implementer"), (123, "no_implementer")} <= kinds
    assert any(n["kind"] == "inherited" and n["line"] == 138 and n["cell"] == "分管领导" for n in notes)


def test_user_alias_file(run, home):
    home.mkdir(parents=True)
    assert run("aliases", "--path").stdout.strip() == str(home / "aliases.toml")
    (home / "aliases.toml").write_text('"湛江农垦集团公司" = ["湛江农垦局"]\n', encoding="utf-8")
    assert run("load", "--quiet").returncode == 0
    rows = as_json(run("items", "--unit", "湛江农垦局", "--format", "json"))
    assert {r["number"] for r in rows} >= {"49", "58", "92", "93", "98"}
    listed = as_json(run("aliases", "--format", "json"))
    assert {"spelling": "湛江农垦局", "canonical": "湛江农垦集团公司", "city": "", "from": "aliases.toml"} in listed


COMMANDS = sorted(cli.commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_and_a_readme_entry(run, command):
    proc = run(command, "--help")
    assert proc.returncode == 0 and len(proc.stdout) > 100
    assert re.search(rf"respgraph (--store \w+ )?{command}\b", README.read_text("utf-8")), command


def test_remove_says_what_goes_and_removes_only_when_confirmed(run):
    run("load", check=True)
    # Not on a terminal and no --yes: nothing is removed, and the line says what would have gone.
    refused = run("remove", "湛江市/2023/2")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "Error: removing doc:湛江市/2023/2-a4a381 (2023 年市 10 件民生实事责任分工表, "
        "10 items) is asked, not done: add --yes"
    )
    assert len(json.loads(run("documents", "--format", "json", check=True).stdout)) == 2
    done = run("remove", "湛江市/2023/2", "--yes", check=True)
    assert done.stdout.startswith("removed doc:湛江市/2023/2-a4a381 (10 Item")
    assert len(json.loads(run("documents", "--format", "json", check=True).stdout)) == 1

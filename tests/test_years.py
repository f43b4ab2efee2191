"""Years are a dimension, never silently summed (issue 22 §1).

Two years of Zhanjiang are the sample loaded as 2023 and again as 2024 (the same
items, so a sum doubles every count: 市发展改革局 is on 39 items of the 2023 table,
README); two years of Maoming are docs/examples/maoming-2023.csv and -2024.csv,
checked by hand: item 4 (举办农业博览会) is not in 2024, items 1-3 are, with the
same lead unit (3: 市住房城乡建设局 in 2023, 市住房和城乡建设局 in 2024).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from respgraph.cli import cli
from respgraph.graph.errors import RespgraphError, UnknownDocument
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.items.names import default_aliases
from respgraph.loaders.load import read_tables, sample_path
from respgraph.queries.carryover import carryover
from respgraph.queries.co import co_pairs
from respgraph.queries.status import item_status
from respgraph.queries.workload import workload
from respgraph.queries.years import documents_at, year_scope

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"
MAOMING = [str(EXAMPLES / "maoming-2023.csv"), str(EXAMPLES / "maoming-2024.csv")]


def two_years(store):
    for year in (2023, 2024):
        for table in read_tables(sample_path(), year=year):
            store.write(table.to_batch())
    for path in MAOMING:
        for table in read_tables(path):
            store.write(table.to_batch())
    return store


@pytest.fixture(params=["sqlite", "neo4j"])
def years_store(request):
    if request.param == "sqlite":
        yield two_years(SqliteStore())
        return
    store = request.getfixturevalue("scratch_neo4j")
    yield two_years(store)


def dev(rows, name="市发展改革局", city="湛江市"):
    return next(r for r in rows if r.name == name and r.city == city)


def test_default_scope_is_the_latest_year_of_each_city(years_store):
    s = year_scope(years_store)
    assert s.line == "湛江市 2024, 茂名市 2024; --year or --all-years to change"
    assert sorted(k.split("/")[1] for k in s.documents) == ["2024", "2024", "2024"]
    assert dev(workload(years_store, documents=s.documents).rows).items == 39


def test_all_years_sum_and_say_so(years_store):
    s = year_scope(years_store, all_years=True)
    assert s.line == "湛江市 2023+2024, 茂名市 2023+2024 summed (--all-years)"
    assert dev(workload(years_store, documents=s.documents).rows).items == 78


def test_one_year_asked_for(years_store):
    s = year_scope(years_store, year=2023, city="茂名市")
    assert s.line == "茂名市 2023 (--year 2023)"
    rows = workload(years_store, by="leader", documents=s.documents).rows
    # 赵六 leads only in 2024: no row of zeros for him in 2023.
    assert sorted(r.name for r in rows) == ["张三", "李四", "王五"]
    with pytest.raises(UnknownDocument, match="no table of 2019"):
        year_scope(years_store, year=2019)


def test_co_pairs_are_not_doubled(years_store):
    pairs = co_pairs(years_store, documents=year_scope(years_store).documents)
    assert next(p.shared for p in pairs if {p.a, p.b} == {"市发展改革局", "市自然资源局"}) == 27


def test_a_date_concerns_the_tables_of_its_year(years_store):
    s = documents_at(years_store, dt.date(2024, 3, 31))
    assert s.line.startswith("as of 2024-03-31: the tables of 2024 (")
    rows = item_status(years_store, as_of=dt.date(2024, 3, 31), documents=s.documents)
    assert {r.year for r in rows} == {2024} and len(rows) == 110 + 4
    with pytest.raises(UnknownDocument, match="no table of 2025"):
        documents_at(years_store, dt.date(2025, 1, 1))


def test_carryover_lists_what_reappears_with_last_years_status(years_store):
    c = carryover(years_store, "茂名市/2023", "茂名市/2024", same_body=default_aliases().anywhere)
    assert [(r.last.number, r.this.number) for r in c.rows] == [("1", "1"), ("2", "2"), ("3", "3")]
    assert c.rows[2].lead == ["市住房城乡建设局"]
    assert c.as_of == dt.date(2023, 12, 31) and {r.status for r in c.rows} == {"no_report"}
    # Without the alias list the bureau printed two ways is two bodies: item 3 is not carried over.
    assert [r.last.number for r in carryover(years_store, "茂名市/2023", "茂名市/2024").rows] == ["1", "2"]
    with pytest.raises(RespgraphError, match="earlier one first"):
        carryover(years_store, "茂名市/2024", "茂名市/2023")


# --- the commands ------------------------------------------------------------------------


@pytest.fixture
def env(tmp_path):
    env = {
        "RESPGRAPH_HOME": str(tmp_path / "home"),
        "RESPGRAPH_CONFIG": str(tmp_path / "config.toml"),
        "RESPGRAPH_STORE": None,
        "NEO4J_URI": None,
    }
    assert invoke(env, "load", "--quiet").exit_code == 0
    assert invoke(env, "load", "--quiet", *MAOMING).exit_code == 0
    return env


def invoke(env, *args):
    return CliRunner().invoke(cli, list(args), env=env)


DEFAULT = "湛江市 2023, 茂名市 2024; --year or --all-years to change"


@pytest.mark.parametrize(
    "command",
    [
        ("workload",),
        ("workload", "--by", "leader"),
        ("balance",),
        ("co",),
        ("co", "市财政局", "--city", "茂名市"),
        ("collaboration",),
        ("overlap",),
        ("overlap", "--units"),
        ("timeline",),
        ("timeline", "--by", "leader"),
        ("leaders",),
        ("units",),
    ],
)
def test_every_aggregate_says_its_years_first_and_shows_them(env, command):
    out = invoke(env, *command)
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    if "--city" in command:
        assert lines[0] == "茂名市 2024; --year or --all-years to change"
    else:
        assert lines[0] == DEFAULT
    assert "year" in lines[1].split()
    summed = invoke(env, *command, "--all-years").stdout.splitlines()[0]
    assert summed.endswith("summed (--all-years)") and "茂名市 2023+2024" in summed


def test_json_keeps_its_shape_and_the_line_goes_to_stderr(env):
    out = invoke(env, "workload", "--format", "json")
    assert out.stderr.strip() == DEFAULT
    rows = json.loads(out.stdout)
    assert {(r["city"], r["year"]) for r in rows} == {("湛江市", "2023"), ("茂名市", "2024")}


def test_default_does_not_add_two_years_up(env):
    rows = json.loads(invoke(env, "workload", "--city", "茂名市", "--format", "json").stdout)
    # 2024 alone: 市发展改革局 leads and implements item 1 and assists item 2 (maoming-2024.csv).
    assert next(r for r in rows if r["name"] == "市发展改革局")["items"] == 1
    summed = json.loads(invoke(env, "workload", "--city", "茂名市", "--all-years", "--format", "json").stdout)
    assert next(r for r in summed if r["name"] == "市发展改革局")["items"] == 2


def test_listings_count_one_year(env):
    rows = json.loads(invoke(env, "leaders", "--city", "茂名市", "--format", "json").stdout)
    # 2024: 张三 item 1, 李四 items 2 and 3, 赵六 item 4 (王五 is 2023's only).
    assert {r["name"]: r["items"] for r in rows} == {"张三": 1, "李四": 2, "赵六": 1}


def test_item_rows_carry_year_and_document(env):
    out = invoke(env, "items", "--unit", "市发展改革局", "--city", "茂名市", "--all-years")
    header = out.stdout.splitlines()[1].split()  # under the line saying the years
    assert header[:2] == ["city", "year"]
    rows = json.loads(
        invoke(env, "items", "--unit", "市发展改革局", "--city", "茂名市", "--all-years", "--format", "json").stdout
    )
    assert [(r["year"], r["document"].rsplit("-", 1)[0]) for r in rows] == [
        (2023, "doc:茂名市/2023/1"),
        (2024, "doc:茂名市/2024/1"),
    ]


def test_a_unit_of_a_city_with_two_years_is_answered_for_its_latest_year_as_its_page(env):
    out = invoke(env, "items", "--unit", "市发展改革局", "--city", "茂名市")
    assert out.stdout.splitlines()[0] == "茂名市 2024; --year or --all-years to change"
    rows = json.loads(invoke(env, "items", "--unit", "市发展改革局", "--city", "茂名市", "--format", "json").stdout)
    assert {r["year"] for r in rows} == {2024}


def test_status_as_of_a_date_takes_that_years_tables(env):
    out = invoke(env, "status", "--as-of", "2024-06-30")
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0] == "as of 2024-06-30: the tables of 2024 (茂名市/2024/1)"
    assert lines[-1].startswith("4 items as of 2024-06-30")
    rows = json.loads(invoke(env, "status", "--as-of", "2024-06-30", "--format", "json").stdout)
    assert {(r["city"], r["year"]) for r in rows} == {("茂名市", 2024)}
    assert all(r["document"].startswith("doc:茂名市/2024/") for r in rows)


def test_carryover_command(env):
    out = invoke(env, "carryover", "茂名市/2023", "茂名市/2024")
    assert out.exit_code == 0, out.output
    assert [line.split()[:2] for line in out.stdout.splitlines()[2:5]] == [["1", "1"], ["2", "2"], ["3", "3"]]
    assert out.stdout.splitlines()[-1].startswith("3 of the 4 items of 茂名市/2023/1 reappear in 茂名市/2024/1")
    wrong = invoke(env, "carryover", "茂名市/2024", "茂名市/2023")
    assert wrong.exit_code == 1 and "give the earlier one first" in wrong.stderr


def test_one_year_per_city_changes_nothing(tmp_path):
    env = {
        "RESPGRAPH_HOME": str(tmp_path / "home"),
        "RESPGRAPH_CONFIG": str(tmp_path / "config.toml"),
        "RESPGRAPH_STORE": None,
        "NEO4J_URI": None,
    }
    invoke(env, "load", "--quiet")
    lines = invoke(env, "workload", "--top", "1").stdout.splitlines()
    assert lines[0].split()[:3] == ["name", "kind", "items"]


def test_report_takes_the_latest_year_and_says_so(tmp_path):
    env = {
        "RESPGRAPH_HOME": str(tmp_path / "home"),
        "RESPGRAPH_CONFIG": str(tmp_path / "config.toml"),
        "RESPGRAPH_STORE": None,
        "NEO4J_URI": None,
    }
    assert invoke(env, "load", "--quiet", *MAOMING).exit_code == 0
    out = invoke(env, "report", "--out", str(tmp_path / "r"))
    assert out.exit_code == 0, out.output
    assert out.stdout.splitlines()[0] == "茂名市 2024; --year or --all-years to change"
    html = (tmp_path / "r" / "report.html").read_text("utf-8")
    assert "茂名市 2024 年" in html and "茂名市 2023 年" not in html
    # maoming-2024.csv: 张三 oversees item 1 only; with 2023 he had items 1 and 2 too.
    rows = (tmp_path / "r" / "workload-leaders.csv").read_text("utf-8-sig").splitlines()
    assert "张三,茂名市,leader,1," in "\n".join(rows)
    summed = invoke(env, "report", "--out", str(tmp_path / "s"), "--all-years")
    assert summed.stdout.splitlines()[0] == "茂名市 2023+2024 summed (--all-years)"
    assert "张三,茂名市,leader,3," in (tmp_path / "s" / "workload-leaders.csv").read_text("utf-8-sig")

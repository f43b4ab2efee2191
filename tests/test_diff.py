"""``diff``: how responsibilities changed between two years of one city, checked by hand."""

from __future__ import annotations

import json

import pytest

from respgraph.graph.errors import UnknownDocument
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.items.names import default_aliases
from respgraph.loaders.load import read_tables
from respgraph.queries.diff import diff_documents

HEADER = "序号,工作任务,分管领导,牵头单位,责任单位,配合单位"
YEAR_2023 = f"""2023年茂名市重点工作任务分工表
{HEADER}
1,推进 120 个重点项目建设,张三,市发展改革局,市发展改革局,市财政局
2,加快建设宝满港区铁路专用线,张三,市交通运输局,市铁路建设局,市自然资源局
3,开展城市更新行动,李四,市住房城乡建设局,各县（市、区）政府,
4,举办农业博览会,王五,市农业农村局,市农业农村局,
"""
YEAR_2024 = f"""2024年茂名市重点工作任务分工表
{HEADER}
1,推进 150 个重点项目建设,张三,市发展改革局,市发展改革局,市财政局
2,建成宝满港区铁路专用线,李四,市交通运输局,市铁路建设局,市自然资源局、市生态环境局
3,深入开展城市更新行动,李四,市住房和城乡建设局,各县（市、区）政府,市城市管理局
4,建设智慧城市平台,赵六,市政务服务数据管理局,市政务服务数据管理局,
"""


@pytest.fixture
def files(tmp_path):
    out = []
    for year, text in ((2023, YEAR_2023), (2024, YEAR_2024)):
        path = tmp_path / f"maoming-{year}.csv"
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


@pytest.fixture(params=["sqlite", "neo4j"])
def store(request, files):
    """The two years in each store in turn: every test of the answer runs on a real Neo4j too."""
    store = SqliteStore() if request.param == "sqlite" else request.getfixturevalue("scratch_neo4j")
    for path in files:
        for table in read_tables(path):
            store.write(table.to_batch())
    return store


def summary(d):
    return [(i.status, i.a.number if i.a else None, i.b.number if i.b else None) for i in d.items]


def test_items_matched_by_title_and_changes_listed(store):
    # Maoming's own tables print the bureau two ways; the alias list (Zhanjiang's) says they are one body,
    # which diff uses to compare, while each table keeps its own name (issue 22).
    d = diff_documents(store, "doc:茂名市/2023/1", "茂名市/2024/1", same_body=default_aliases().anywhere)
    assert summary(d) == [
        ("same", "1", "1"),
        ("changed", "2", "2"),
        ("changed", "3", "3"),
        ("dropped", "4", None),
        ("new", None, "4"),
    ]
    same, rail, renewal, fair, smart = d.items
    assert same.similarity == 1.0  # only the numbers in the title changed
    assert (rail.leaders_before, rail.leaders_after) == (["张三"], ["李四"])
    assert rail.added.assist == ["市生态环境局"] and not rail.dropped.assist
    # 市住房城乡建设局 and 市住房和城乡建设局 are one body (the alias list): no change of lead.
    assert renewal.added.lead == [] and renewal.added.assist == ["市城市管理局"]
    assert renewal.leaders_before == renewal.leaders_after == ["李四"]
    assert fair.dropped.lead == ["市农业农村局"] and smart.added.lead == ["市政务服务数据管理局"]


def test_threshold_decides_what_counts_as_one_task(store):
    d = diff_documents(store, "茂名市/2023/1", "茂名市/2024/1", threshold=0.95)
    assert summary(d)[:2] == [("same", "1", "1"), ("dropped", "2", None)]
    assert d.count("new") == 3


def test_unknown_document_suggests(store):
    with pytest.raises(UnknownDocument, match="茂名市/2024/1"):
        diff_documents(store, "茂名市/2023/1", "茂名市/2025/1")


def test_cli_diff(files, run):
    for path in files:
        run("load", str(path), check=True)
    proc = run("diff", "茂名市/2023/1", "茂名市/2024/1", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert [i["status"] for i in data["items"]] == ["same", "changed", "changed", "dropped", "new"]
    table = run("diff", "茂名市/2023/1", "茂名市/2024/1").stdout
    assert "+assist:市生态环境局" in table and "张三 -> 李四" in table
    assert "2 changed, 1 unchanged, 1 dropped, 1 new" in table
    assert "推进 150 个" not in table  # unchanged tasks only with --all
    assert "推进 150 个" in run("diff", "茂名市/2023/1", "茂名市/2024/1", "--all").stdout
    proc = run("diff", "茂名市/2023/1", "茂名市/2099/1")
    assert (
        proc.returncode == 1
        and proc.stderr.startswith("Error: no document '茂名市/2099/1'")
        and "Traceback" not in proc.stderr
    )

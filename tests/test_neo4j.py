"""The Neo4j store against a real server: loading, parity with memory, errors, injection."""

from __future__ import annotations

import json
import os
import random
import subprocess

import pytest

from respgraph.graph.sqlite_store import SqliteStore
from respgraph.graph.text import clean_name
from respgraph.loaders.load import read_tables
from respgraph.loaders.synthetic import synthetic_table
from respgraph.queries.co import co_pairs, co_responsibility
from respgraph.queries.items import items_of_unit
from respgraph.queries.overview import overview
from respgraph.queries.portfolio import portfolio, units_of_items
from respgraph.queries.workload import workload

pytestmark = pytest.mark.neo4j


def all_answers(store, units, leaders):
    """Every query on every unit and leader: what parity compares."""
    return {
        "items": {u: items_of_unit(store, u) for u in units},
        "co": {u: co_responsibility(store, u) for u in units},
        "portfolio": {name: portfolio(store, name) for name in leaders},
        "workload": {by: workload(store, by=by) for by in ("unit", "leader", "district")},
        "pairs": co_pairs(store),
        "overview": [overview(store), overview(store, leader=leaders[0], role="lead")],
    }


def names(store, label):
    return sorted(n["name"] for n in store.nodes([label]))


def test_sample_answers_equal_in_both_stores(memory_store, neo4j_sample_store):
    units, leaders = names(memory_store, "Unit"), names(memory_store, "Leader")
    assert all_answers(neo4j_sample_store, units, leaders) == all_answers(memory_store, units, leaders)
    items = [r.id for r in items_of_unit(memory_store, "市自然资源局")]
    assert units_of_items(neo4j_sample_store, items) == units_of_items(memory_store, items)


def test_synthetic_answers_equal_in_both_stores(scratch_neo4j):
    tables = [synthetic_table(2000, seed=7), synthetic_table(300, seed=8, attachment=2)]
    memory = SqliteStore()
    for t in tables:
        memory.write(t.to_batch())
        scratch_neo4j.write(t.to_batch())
    # Every unit would take minutes of round trips; a seeded sample of them covers the shapes.
    rng = random.Random(11)
    units = rng.sample(names(memory, "Unit"), 12) + ["第1区政府", "各县（市、区）政府（管委会）"][:1]
    leaders = names(memory, "Leader")[:4]
    assert all_answers(scratch_neo4j, units, leaders) == all_answers(memory, units, leaders)
    docs = ["合成市/2023/2"]
    assert workload(scratch_neo4j, by="unit", documents=docs) == workload(memory, by="unit", documents=docs)


def test_loading_twice_changes_no_counts(scratch_neo4j, sample_tables, memory_store):
    for t in sample_tables:
        scratch_neo4j.write(t.to_batch())
    once = scratch_neo4j.counts()
    for t in sample_tables:
        scratch_neo4j.write(t.to_batch())
    assert scratch_neo4j.counts() == once == memory_store.counts()


def test_a_node_or_relationship_named_twice_is_written_once(scratch_neo4j, sample_tables):
    """A document's own nodes are CREATEd, not MERGEd: a batch that names one twice must
    still give one node (properties merged) and one relationship, as MERGE did."""
    from respgraph.graph.model import Batch

    batch = sample_tables[1].to_batch()  # 116 nodes, 149 relationships
    item = next(n for n in batch.nodes if n.label == "Item")
    twice = Batch(
        document=batch.document,
        nodes=[*batch.nodes, item.model_copy(update={"props": {**item.props, "note": "again"}})],
        rels=[*batch.rels, *batch.rels[:3]],
    )
    scratch_neo4j.write(twice)
    scratch_neo4j.write(twice)
    nodes, rels = scratch_neo4j.counts()
    assert (sum(nodes.values()), sum(rels.values())) == (116, 149)
    (row,) = scratch_neo4j.read("MATCH (i:Item {key: $key}) RETURN i.note AS note, i.title AS title", key=item.key)
    assert row == {"note": "again", "title": item.props["title"]}


def test_two_loads_of_one_document_at_once_leave_it_once(scratch_neo4j, sample_tables, memory_store):
    """The second load waits on the key constraint for the first one's CREATE, finds the
    key taken when the first commits, and tries once more, removing the first one's copy."""
    import threading
    import time

    from respgraph.graph.neo4j_store import Neo4jStore, write_statements

    first, other = (t.to_batch() for t in sample_tables)
    scratch_neo4j.write(other)
    errors = []

    def second():
        try:
            scratch_neo4j.write(first)
        except Exception as exc:  # noqa: BLE001 - reported by the assert below
            errors.append(exc)

    with scratch_neo4j.driver.session(database=scratch_neo4j.database) as session:
        tx = session.begin_transaction()
        Neo4jStore._write_document(tx, first.document, write_statements(first), None)
        thread = threading.Thread(target=second)
        thread.start()
        deadline = time.monotonic() + 60
        # Asked as another program would: this store's own reads wait while it writes.
        while not scratch_neo4j.driver.execute_query(
            "SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' RETURN status",
            database_=scratch_neo4j.database,
        ).records:
            assert time.monotonic() < deadline, "the second load never waited for the first"
            time.sleep(0.05)
        tx.commit()
    thread.join(120)
    assert errors == []
    assert scratch_neo4j.counts() == memory_store.counts()


def test_hostile_name_is_stored_and_found_as_text(scratch_neo4j, tmp_path):
    hostile = "x'}) DETACH DELETE n //"
    path = tmp_path / "hostile.txt"
    path.write_text(
        "2023 年测试表\n序号\t事项\t季度工作目标\t完成时限\t市政府 分管领导\t牵头单位\t实施单位 (承办单位)\t协办单位\n"
        f"1\t测试事项\t第一季度：完成。\t2023年12月\t某领导\t{hostile}\t市测试局\t\n",
        encoding="utf-8",
    )
    (table,) = read_tables(path, city="测试市")
    scratch_neo4j.write(table.to_batch())
    nodes, _ = scratch_neo4j.counts()
    assert nodes["Item"] == 1 and nodes["Unit"] == 2
    (row,) = items_of_unit(scratch_neo4j, hostile)
    assert (row.title, row.roles) == ("测试事项", ["lead"])
    # Stored as text, cleaned like every name (no spaces, full-width brackets), not run.
    assert [u["name"] for u in scratch_neo4j.read("MATCH (u:Unit) RETURN u.name AS name ORDER BY name")] == [
        clean_name(hostile),
        "市测试局",
    ]


@pytest.fixture
def cli(run, monkeypatch):
    """``respgraph ARGS`` in this process with exactly the environment ``env``."""

    def _cli(env, *args):
        with monkeypatch.context() as patch:
            for name in set(os.environ) - set(env):
                patch.delenv(name)
            for name, value in env.items():
                patch.setenv(name, value)
            return run(*args)

    return _cli


@pytest.fixture
def neo4j_env(neo4j_server, home):
    return {
        **os.environ,
        "NEO4J_URI": neo4j_server.uri,
        "NEO4J_USERNAME": neo4j_server.username,
        "NEO4J_PASSWORD": neo4j_server.password.get_secret_value(),
        "RESPGRAPH_STORE": "neo4j",
    }


def test_cli_on_neo4j_answers_like_memory(cli, neo4j_env, neo4j_sample_store, run):
    secret = neo4j_env["NEO4J_PASSWORD"]
    on_neo4j = cli(neo4j_env, "items", "--unit", "市自然资源局", "--format", "json")
    on_memory = run("items", "--unit", "市自然资源局", "--format", "json")
    assert on_neo4j.returncode == 0, on_neo4j.stderr
    assert on_neo4j.stdout == on_memory.stdout
    assert secret not in on_neo4j.stdout + on_neo4j.stderr


@pytest.mark.parametrize(
    "change, message",
    [
        ({"NEO4J_URI": "bolt://127.0.0.1:1"}, "no Neo4j server answers there"),
        ({"NEO4J_PASSWORD": "wrong-password"}, "the server refused user 'neo4j' with that password"),
        ({"NEO4J_DATABASE": "nosuchdb"}, "the server has no database 'nosuchdb'"),
    ],
    ids=["unreachable", "wrong-password", "missing-database"],
)
def test_connection_errors_are_one_line(cli, neo4j_env, change, message):
    proc = cli({**neo4j_env, **change}, "items", "--unit", "市自然资源局")
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], proc.stderr
    assert "wrong-password" not in proc.stderr and neo4j_env["NEO4J_PASSWORD"] not in proc.stderr


def test_cypher_command_is_read_only_unless_asked(cli, neo4j_env, neo4j_sample_store):
    query = "MATCH (u:Unit {name: $name})-[:LEADS]->(i:Item) RETURN i.number AS number ORDER BY toInteger(number)"
    proc = cli(neo4j_env, "cypher", query, "--param", "name=市自然资源局", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert [r["number"] for r in json.loads(proc.stdout)] == ["74", "75", "76"]
    proc = cli(neo4j_env, "cypher", "CREATE (:Scratch {x: $x})", "--param", "x=1")
    assert proc.returncode == 1 and "add --write" in proc.stderr
    assert neo4j_sample_store.read("MATCH (n:Scratch) RETURN count(n) AS n") == [{"n": 0}]
    proc = cli(neo4j_env, "cypher", "CREATE (s:Scratch) WITH s DELETE s RETURN 1 AS done", "--write")
    assert (
        proc.returncode == 0
        and '"done": 1'
        in cli(
            neo4j_env, "cypher", "CREATE (s:Scratch) WITH s DELETE s RETURN 1 AS done", "--write", "--format", "json"
        ).stdout
    )
    proc = cli(neo4j_env, "cypher", "MATCH (n RETURN n")
    assert proc.returncode == 1 and proc.stderr.startswith("Error: Cypher error") and "Traceback" not in proc.stderr


DEAD_SERVER = """
import os, signal, sys, time
from respgraph.graph.errors import StoreUnavailable
from respgraph.graph.neo4j_store import Neo4jStore
from respgraph.graph.settings import Neo4jSettings
from respgraph.loaders.synthetic import synthetic_table

store = Neo4jStore.connect(Neo4jSettings(uri=sys.argv[1], password=os.environ["NEO4J_PASSWORD"]))
killed = []
def kill(document, done, total):
    if done < total and not killed:
        os.kill(int(sys.argv[2]), signal.SIGKILL)
        killed.append(time.monotonic())
try:
    store.write(synthetic_table(1500, seed=3).to_batch(), progress=kill)
except StoreUnavailable as exc:
    print(f"{time.monotonic() - killed[0]:.2f}")
    print(exc)
"""


def test_a_server_killed_mid_load_is_reported_at_once_and_leaves_no_trace(tmp_path, free_port):
    """Kill the server (SIGKILL) while a document is being written: the load says so within
    10 s, in one message and without driver chatter on stderr (hence a process of its own),
    and after a restart the document is absent, not half there.  A server of its own, so the
    shared one is untouched; one test, so that server starts twice, not three times."""
    import sys
    from pathlib import Path

    from respgraph.graph.neo4j_store import Neo4jStore
    from respgraph.graph.settings import Neo4jSettings

    launcher = [sys.executable, str(Path(__file__).resolve().parents[1] / "scripts" / "neo4j")]
    data, password = tmp_path / "neo4j", "kill-test-password"
    env = {**os.environ, "NEO4J_PASSWORD": password}
    port = free_port()

    def start() -> str:
        proc = subprocess.run(
            [*launcher, "start", "--data", str(data), "--port", str(port)],
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        return proc.stdout.strip().splitlines()[-1].removeprefix("NEO4J_URI=")

    store = None
    try:
        uri = start()
        pid = (data / "neo4j.pid").read_text().strip()
        proc = subprocess.run(
            [sys.executable, "-c", DEAD_SERVER, uri, pid], capture_output=True, text=True, env=env, timeout=120
        )
        assert proc.stderr == "", proc.stderr  # no driver retry messages
        elapsed, message = proc.stdout.strip().splitlines()
        print(f"a server killed mid-load was reported {elapsed} s after the kill")
        assert float(elapsed) < 10, elapsed
        assert "stopped answering while loading" in message and password not in message
        store = Neo4jStore.connect(Neo4jSettings(uri=start(), password=password))
        assert store.documents() == []
        nodes, rels = store.counts()
        assert nodes.get("Item", 0) == 0 and nodes.get("Unit", 0) == 0 and rels == {}
    finally:
        if store is not None:
            store.close()
        subprocess.run([*launcher, "stop", "--data", str(data)], capture_output=True, env=env, timeout=120)

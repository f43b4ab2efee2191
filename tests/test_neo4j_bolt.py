"""A command's reads over Bolt without the driver (graph/neo4j_bolt.py, graph/neo4j_question.py):
the values travel as the driver sends and reads them, the answers equal the driver store's,
and a one-shot question imports no driver."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from respgraph.graph.neo4j_bolt import pack, unpack
from respgraph.graph.neo4j_question import Neo4jQuestions
from respgraph.graph.settings import Neo4jSettings


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        127,
        128,
        -16,
        -17,
        -128,
        -129,
        32767,
        32768,
        -(2**31),
        2**31,
        -(2**63),
        2**63 - 1,
        0.0,
        -2.5,
        1e300,
        "",
        "市",
        "x" * 15,
        "x" * 16,
        "中" * 100,
        "中" * 30000,
        [],
        list(range(20)),
        list(range(300)),
        {},
        {"a": {"b": [None, {"c": "d"}]}},
        {f"k{i}": i for i in range(20)},
        dt.date(2023, 12, 31),
        dt.date(1969, 7, 20),
    ],
)
def test_values_come_back_as_they_went(value):
    assert unpack(pack(value)) == value


def test_sizes_and_markers_are_packstreams():
    """Bytes checked against the PackStream specification by hand."""
    assert pack(1) == b"\x01" and pack(-1) == b"\xff" and pack(200) == b"\xca\x00\x00\x00\xc8"
    assert pack("a") == b"\x81a" and pack("x" * 16)[:2] == b"\xd0\x10" and pack("x" * 300)[:3] == b"\xd1\x01\x2c"
    assert pack([1, 2]) == b"\x92\x01\x02" and pack({"a": None}) == b"\xa1\x81a\xc0"
    assert pack(dt.date(1970, 1, 2)) == b"\xb1\x44\x01"
    with pytest.raises(TypeError, match="cannot send a bytearray"):
        pack(bytearray(b"x"))


@pytest.mark.parametrize(
    "uri, address",
    [
        ("bolt://127.0.0.1:7687", ("127.0.0.1", 7687)),
        ("bolt://db.example", ("db.example", 7687)),
        ("bolt://neo4j:s%40cret@[::1]:7000", ("::1", 7000)),
        ("neo4j://127.0.0.1:7687", None),
        ("bolt+s://db.example:7687", None),
        ("bolt://host:notaport", None),
    ],
)
def test_only_plain_bolt_addresses_skip_the_driver(uri, address):
    found = Neo4jQuestions.for_address(Neo4jSettings(uri=uri))
    assert (found._address if found else None) == address
    if "s%40cret" in uri:
        assert found._password == "s@cret" and found.uri == "bolt://[::1]:7000"


@pytest.mark.neo4j
def test_the_questions_store_answers_as_the_driver_store(neo4j_sample_store, neo4j_server):
    from respgraph.queries.co import co_pairs
    from respgraph.queries.listing import documents, units
    from respgraph.queries.workload import workload
    from tests.test_store_parity import one_entity_answers

    def whole(store):  # a few of the whole graph's answers: dates, counts and lists travel alike
        return (documents(store), units(store), co_pairs(store, min_shared=2), workload(store, by="leader"))

    light = Neo4jQuestions.for_address(neo4j_server)
    try:
        assert whole(light) == whole(neo4j_sample_store)
        units, leaders = ["市自然资源局", "赤坎区政府", "市发展改革委"], ["陈峻华", "何嘉旻"]
        assert one_entity_answers(light, units, leaders) == one_entity_answers(neo4j_sample_store, units, leaders)
        assert light.counts() == neo4j_sample_store.counts()
        key = light.documents()[0]["key"]
        assert light.document(key) == neo4j_sample_store.document(key)
        assert light._driver_store is None  # all of it read without the driver
        assert light.run_user_query("RETURN 1 AS x", {}, write=False) == [{"x": 1}]  # handed to the driver
        assert light._driver_store is not None
    finally:
        light.close()


@pytest.mark.neo4j
def test_a_one_shot_question_imports_no_driver(neo4j_sample_store, neo4j_server):
    """The command's whole answer over Bolt, and neither the driver nor numpy imported."""
    code = (
        "import sys\n"
        "from respgraph.graph.settings import Neo4jSettings\n"
        "from respgraph.graph.open_store import open_store\n"
        "from respgraph.graph.settings import load_settings\n"
        "from respgraph.answers.entities import items\n"
        f"settings = load_settings(store='neo4j').model_copy(update={{'neo4j': Neo4jSettings(**{_plain(neo4j_server)!r})}})\n"
        "store = open_store(settings, one_shot=True)\n"
        "print(len(items(store, '市自然资源局').rows), 'neo4j' in sys.modules, 'numpy' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["39", "False", "False"]


def _plain(settings: Neo4jSettings) -> dict:
    return {
        "uri": settings.uri,
        "username": settings.username,
        "password": settings.password.get_secret_value(),
        "database": settings.database,
    }


@pytest.mark.neo4j
def test_each_one_entity_question_is_one_statement_over_bolt(neo4j_sample_store, neo4j_server):
    from tests.test_one_read import QUESTIONS, Warm

    light = Neo4jQuestions.for_address(neo4j_server)
    try:
        warm, sent = Warm(light), []
        real = light._bolt.run
        light._bolt.run = lambda query, params, database: sent.append(query) or real(query, params, database)
        for ask in QUESTIONS.values():
            assert ask(warm)
        assert len(sent) == len(QUESTIONS)
    finally:
        light.close()

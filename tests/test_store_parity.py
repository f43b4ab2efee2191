"""The store-parity suite: every query answers alike on SQLite and on a real Neo4j, and
every query a store answers natively answers as the default it overrides.

The queries are written once against :class:`~respgraph.graph.protocol.GraphStore`;
what differs between the stores is how a read is answered (SQL or Cypher) and the
native aggregations of Neo4j (:mod:`respgraph.graph.neo4j_native`).  Both are
checked here on the sample and on a small province of two cities and two years,
where names repeat across cities.
"""

from __future__ import annotations

import pytest

from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.synthetic import synthetic_table
from respgraph.queries.balance import load_balance
from respgraph.queries.brokerage import brokerage
from respgraph.queries.co import co_pairs, co_responsibility
from respgraph.queries.collaboration import co_network
from respgraph.queries.diff import diff_documents
from respgraph.queries.directed_ties import directed_ties
from respgraph.queries.export_data import answer_tables, full_graph
from respgraph.queries.item_detail import item_whole
from respgraph.queries.items import items_of_unit
from respgraph.queries.listing import documents, leaders, units
from respgraph.queries.native import NATIVE, defaults_only
from respgraph.queries.overlap import leader_units
from respgraph.queries.overview import overview
from respgraph.queries.portfolio import portfolio
from respgraph.queries.progress_reports import targets
from respgraph.queries.timeline import deadlines, quarterly_load
from respgraph.queries.workload import workload

pytestmark = pytest.mark.neo4j


def whole_graph_answers(store, **scope) -> dict:
    """Every question about the whole graph (or one scope of it)."""
    out = {
        "documents": documents(store, city=scope.get("city")),
        "units": units(store, **scope),
        "leaders": leaders(store, **scope),
        "pairs": co_pairs(store, **scope),
        "pairs2": co_pairs(store, min_shared=2, **scope),
        "deadlines": deadlines(store, **scope),
        "leader_units": leader_units(store, **scope),
        "overview": overview(store, **scope),
    }
    for by in ("unit", "leader", "district"):
        out[f"workload {by}"] = workload(store, by=by, **scope)
        out[f"balance {by}"] = load_balance(store, by=by, **scope)
    for by in ("unit", "leader"):
        out[f"quarters {by}"] = quarterly_load(store, by=by, **scope)
    network = co_network(store, **scope)
    out["co_network"] = (
        sorted(network.nodes(data=True)),  # an undirected edge, whichever end came first
        sorted((*sorted((u, v)), d["weight"]) for u, v, d in network.edges(data=True)),
    )
    return out


def one_entity_answers(store, unit_names, leader_names, **scope) -> dict:
    return {
        "items": {u: items_of_unit(store, u, **scope) for u in unit_names},
        "co": {u: co_responsibility(store, u, **scope) for u in unit_names},
        "portfolio": {name: portfolio(store, name, **scope) for name in leader_names},
    }


def graph_dump(store) -> tuple:
    g = full_graph(store)
    return sorted((k, sorted(a.items())) for k, a in g.nodes(data=True)), sorted(
        (s, e, sorted(a.items())) for s, e, a in g.edges(data=True)
    )


def test_sample_whole_graph_answers_are_equal(memory_store, neo4j_sample_store):
    assert whole_graph_answers(neo4j_sample_store) == whole_graph_answers(memory_store)
    docs = [d["key"] for d in memory_store.documents()]
    assert diff_documents(neo4j_sample_store, docs[0], docs[1]) == diff_documents(memory_store, docs[0], docs[1])
    assert graph_dump(neo4j_sample_store) == graph_dump(memory_store)
    assert answer_tables(neo4j_sample_store) == answer_tables(memory_store)
    assert targets(neo4j_sample_store) == targets(memory_store)


#: The natives each store keeps: those at least twice as fast as the default on the
#: province corpus (scripts/bench --natives; the figures are in the README).
KEPT = {"sqlite": {"unit_counts", "leader_counts"}, "neo4j": set(NATIVE)}


def test_each_store_offers_just_the_natives_that_pay(store):
    assert {name for name in NATIVE if callable(getattr(store, name, None))} == KEPT[store.engine]


@pytest.mark.parametrize("name", sorted(NATIVE))
def test_native_queries_answer_as_their_defaults(store, name):
    """Each native query of each store, against the default it overrides, on the same data
    (a store without that native runs the default both times: the answer must still hold)."""
    calls = {
        "co_pairs": [
            lambda: co_pairs(store),
            lambda: co_pairs(store, min_shared=3),
            lambda: co_pairs(store, documents=["湛江市/2023/2"]),
        ],
        "workload_counts": [
            lambda by=by, docs=docs: workload(store, by=by, documents=docs)
            for by in ("unit", "leader", "district")
            for docs in (None, ["湛江市/2023/2"])
        ],
        "unit_counts": [
            lambda: units(store),
            lambda: units(store, documents=["湛江市/2023/2"]),
            lambda: units(store, kind="group"),
        ],
        "leader_counts": [lambda: leaders(store), lambda: leaders(store, documents=["湛江市/2023/2"])],
        "part_counts": [lambda by=by: load_balance(store, by=by) for by in ("unit", "leader", "district")],
        "read_ties": [
            lambda: directed_ties(store),
            lambda: directed_ties(store, documents=["湛江市/2023/2"]),
            lambda: brokerage(store),
        ],
        # A unit named directly, one through an alias, one only through its group, a group,
        # one of a city asked by name and by document; the errors of an unknown name alike.
        "unit_item_rows": [
            lambda name=name, scope=scope: items_of_unit(store, name, **scope)
            for name in (
                "市自然资源局",
                "市发展改革委",
                "赤坎区政府",
                "各县（市、区）政府（管委会）",
                "湛江市:市交通运输局",
            )
            for scope in ({}, {"city": "湛江市"}, {"documents": ["湛江市/2023/2"]})
        ]
        + [
            lambda: _error(items_of_unit, store, "自然资源局"),
            lambda: _error(items_of_unit, store, "市财政局", city="茂名市"),
        ],
        # A leader of one item, one of several, one whose item is split with another leader.
        "portfolio_rows": [
            lambda name=name, scope=scope: portfolio(store, name, **scope)
            for name in ("黄益斌", "陈峻华", "何嘉旻", "吴国雄")
            for scope in ({}, {"city": "湛江市"}, {"documents": ["湛江市/2023/2"]})
        ]
        + [lambda: _error(portfolio, store, "王小明")],
        # An item with sub-items, one without, a livelihood item split between leaders, none.
        "item_rows": [
            lambda doc=doc, number=number: item_whole(store, doc, number)
            for doc, number in (("湛江市/2023/1", "79"), ("湛江市/2023/1", "53"), ("湛江市/2023/2", "9"))
        ]
        + [lambda: _error(item_whole, store, "湛江市/2023/1", "999")],
    }[name]
    for call in calls:
        native = call()
        with defaults_only():
            default = call()
        assert native == default


def _error(query, *args, **options) -> str:
    """The message a question fails with (a test of an error message answers with it)."""
    with pytest.raises(Exception) as caught:
        query(*args, **options)
    return f"{type(caught.value).__name__}: {caught.value}"


@pytest.fixture(scope="module")
def province():
    """Two cities × two years of synthetic tables: the same department names in both cities."""
    return [
        synthetic_table(60, seed=10 * i + j, city=city, year=year)
        for i, city in enumerate(("甲市", "乙市"))
        for j, year in enumerate((2022, 2023))
    ]


def test_province_answers_are_equal_per_city(province, scratch_neo4j):
    sqlite = SqliteStore()
    for t in province:
        sqlite.write(t.to_batch())
        scratch_neo4j.write(t.to_batch())
    assert whole_graph_answers(scratch_neo4j) == whole_graph_answers(sqlite)
    unit_names = sorted({u.name for u in province[0].units})[:6]
    leader_names = sorted({x.name for x in province[0].leaders})[:3]
    for city in ("甲市", "乙市"):
        assert whole_graph_answers(scratch_neo4j, city=city) == whole_graph_answers(sqlite, city=city)
        assert one_entity_answers(scratch_neo4j, unit_names, leader_names, city=city) == one_entity_answers(
            sqlite, unit_names, leader_names, city=city
        )
    # A bare name both cities use is refused, with the same candidates, on both stores.
    refusals = [_error(items_of_unit, s, u) for s in (scratch_neo4j, sqlite) for u in unit_names[:2]] + [
        _error(portfolio, s, leader_names[0]) for s in (scratch_neo4j, sqlite)
    ]
    assert refusals[:2] == refusals[2:4] and refusals[4] == refusals[5] and "甲市:" in refusals[0]
    with defaults_only():
        assert whole_graph_answers(scratch_neo4j, city="乙市") == whole_graph_answers(sqlite, city="乙市")


def test_a_graph_json_of_an_earlier_version_answers_as_a_fresh_load(tmp_path, memory_store, sample_tables):
    """The networkx store's file, moved into SQLite, gives every answer the sample loaded afresh gives."""
    import json

    from respgraph.graph.legacy_json import migrate

    nodes: dict[str, dict] = {}
    rels = []
    for batch in (t.to_batch() for t in sample_tables):  # what MemoryStore.save() wrote
        for n in batch.nodes:
            nodes.setdefault(n.key, {"key": n.key, "label": n.label}).update(n.props)
        rels += [{"type": r.type, "start": r.start, "end": r.end, **r.props} for r in batch.rels]
    legacy = tmp_path / "graph.json"
    legacy.write_text(
        json.dumps(
            {"format": "respgraph", "version": 1, "nodes": list(nodes.values()), "rels": rels}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    migrated = migrate(legacy, tmp_path / "graph.db")
    assert migrated.counts() == memory_store.counts()
    assert whole_graph_answers(migrated) == whole_graph_answers(memory_store)
    units = [n["name"] for n in memory_store.nodes(["Unit"])][:20]
    assert one_entity_answers(migrated, units, ["陈峻华", "黄益斌"]) == one_entity_answers(
        memory_store, units, ["陈峻华", "黄益斌"]
    )

"""One-entity questions read the embedded store through its indexes, never all of it.

(The listings and analyses with ``--city`` count over every unit or leader of the store
in SQL, reading only the edges of that city's documents; they are not held to this.)

Every statement a question sends is recorded and asked for SQLite's ``EXPLAIN QUERY
PLAN``; a full scan of ``nodes`` or ``rels``, or a walk of every node of a label, fails
the test.  A one-unit question on a province then costs what it costs on one city.
"""

from __future__ import annotations

import pytest

from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.synthetic import synthetic_table
from respgraph.queries.co import co_responsibility
from respgraph.queries.items import items_of_unit
from respgraph.queries.portfolio import portfolio

DEPARTMENTS = ["市财政局", "市自然资源局", "市交通运输局", "市发展改革局", "市教育局", "市卫生健康局"]


class Recording:
    """The store's connection, recording every statement and its parameters."""

    def __init__(self, db):
        self.db, self.sent = db, []

    def execute(self, sql, params=()):
        self.sent.append((sql, params))
        return self.db.execute(sql, params)

    def __getattr__(self, name):
        return getattr(self.db, name)


def whole_reads(db, sql, params) -> list[str]:
    plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + sql, params)]
    return [
        step
        for step in plan
        if step.startswith(("SCAN nodes", "SCAN rels", "SCAN r ", "SCAN t ", "SCAN s "))
        or step.endswith("USING INDEX nodes_label (label=?)")
    ]


@pytest.fixture(scope="module")
def province():
    store = SqliteStore()
    for i, city in enumerate(("甲市", "乙市", "丙市")):
        for year in (2022, 2023):
            store.write(
                synthetic_table(
                    200, seed=10 * i + year, city=city, year=year, leaders=8, departments=DEPARTMENTS
                ).to_batch()
            )
    return store


def test_one_entity_questions_use_the_indexes(province, monkeypatch):
    recording = Recording(province.db)
    monkeypatch.setattr(province, "db", recording)
    assert len(items_of_unit(province, "市财政局", city="乙市")) > 0
    assert portfolio(province, "领导3", city="甲市").items
    assert co_responsibility(province, "市自然资源局", city="丙市")
    monkeypatch.undo()
    assert len(recording.sent) >= 10
    bad = {sql: found for sql, params in recording.sent if (found := whole_reads(province.db, sql, params))}
    assert bad == {}


def test_the_check_can_fail(province):
    assert whole_reads(province.db, "SELECT key FROM nodes WHERE label = 'Item'", ()) != []
    assert whole_reads(province.db, "SELECT * FROM rels", ()) != []

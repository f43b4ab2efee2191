"""``respgraph cypher`` without ``--write`` changes nothing on the server, its state included
(issue 31, item 9): procedures are an allow-list of reads; the README's queries still run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from respgraph.graph.errors import RespgraphError

pytestmark = pytest.mark.neo4j
README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize(
    "query",
    [
        "CALL db.stats.collect('QUERIES')",
        "CALL db.stats.stop('QUERIES')",
        "CALL db.stats.retrieve('GRAPH COUNTS')",
        "CALL db.stats.clear('QUERIES')",
        "CALL db.prepareForReplanning()",
        "CALL db.resampleOutdatedIndexes()",
        "CALL db.resampleIndex('account_login')",
        "CALL db.clearQueryCaches()",
        "CALL dbms.listConfig()",
        "MATCH (u:Unit) WITH u LIMIT 1 CALL db.clearQueryCaches() YIELD value RETURN value",
    ],
)
def test_a_procedure_that_is_not_a_read_is_refused(neo4j_sample_store, query):
    # The server itself types some as administration (db.clearQueryCaches, dbms.*); the rest are
    # planned as reads, and the allow-list refuses them.
    with pytest.raises(
        RespgraphError,
        match=r"(calls the procedure (db|dbms)\.[\w.]+, not one of the reads"
        r"|administers the server).*: add --write to allow it$",
    ):
        neo4j_sample_store.run_user_query(query, {}, write=False)


def test_the_schema_reads_and_the_readmes_queries_still_run(neo4j_sample_store):
    labels = neo4j_sample_store.run_user_query(
        "CALL db.labels() YIELD label RETURN label ORDER BY label", {}, write=False
    )
    assert {"Item", "Unit", "Leader"} <= {r["label"] for r in labels}
    text = README.read_text("utf-8")
    block = text[text.index("### Three queries to paste into Neo4j Browser") :]
    block = block[block.index("```cypher") + len("```cypher") : block.index("```", block.index("```cypher") + 9)]
    queries = [q.strip() for q in re.sub(r"//[^\n]*", "", block).split(";") if q.strip()]
    assert len(queries) == 3
    answers = [neo4j_sample_store.run_user_query(q, {}, write=False) for q in queries]
    # Checked by hand (seed lines 156, 159, 160): 市自然资源局 leads items 74, 75 and 76.
    assert {("74", "LEADS"), ("75", "LEADS"), ("76", "LEADS")} <= {(r["item"], r["role"]) for r in answers[0]}
    assert answers[1] and answers[2]
    shown = neo4j_sample_store.run_user_query(
        "MATCH (u:Unit {name: $name})-[:LEADS]->(i:Item) RETURN i.number AS number ORDER BY toInteger(number)",
        {"name": "市自然资源局"},
        write=False,
    )
    assert [r["number"] for r in shown] == ["74", "75", "76"]  # the README's `respgraph cypher` example

"""Progress reports in Neo4j: one transaction per report, replacing an earlier load of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from respgraph.graph.neo4j_errors import neo4j_errors

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    import neo4j

    from respgraph.graph.commit_gate import CommitGate
    from respgraph.graph.model import Batch

REMOVE_REPORT = """
MATCH (p:ProgressReport {key: $key})
OPTIONAL MATCH (r:StatusRecord)-[:IN_REPORT]->(p)
WITH p, collect(r) AS records
FOREACH (r IN records | DETACH DELETE r)
DETACH DELETE p
"""

#: Every report on one table, with its records: they go when the table is removed.
REMOVE_REPORTS_ON = """
MATCH (d:Document {key: $key})<-[:REPORTS_ON]-(p:ProgressReport)
OPTIONAL MATCH (r:StatusRecord)-[:IN_REPORT]->(p)
DETACH DELETE r, p
"""

WRITE_REPORT = """
MATCH (d:Document {key: $document})
CREATE (p:ProgressReport {key: $key})
SET p += $props
CREATE (p)-[:REPORTS_ON]->(d)
"""

# A record hangs on its item or sub-item; ``target`` finds it again after the table is reloaded.
WRITE_RECORDS = """
MATCH (p:ProgressReport {key: $report})
UNWIND $rows AS row
CALL (row) {
  MATCH (t:Item {key: row.target}) RETURN t
  UNION
  MATCH (t:SubItem {key: row.target}) RETURN t
}
CREATE (r:StatusRecord {key: row.key})
SET r += row.props
CREATE (r)-[:IN_REPORT]->(p)
CREATE (t)-[:HAS_STATUS]->(r)
"""


class Neo4jProgress:
    """``write_progress`` and ``remove_progress`` for :class:`~respgraph.graph.neo4j_store.Neo4jStore`."""

    # Set by the store.
    uri: str
    driver: neo4j.Driver
    database: str | None
    gate: CommitGate
    first_contact: Callable[[], AbstractContextManager[None]]

    def write_progress(self, batch: Batch) -> None:
        (report,) = [n for n in batch.nodes if n.label == "ProgressReport"]
        rows = [
            {"key": n.key, "target": n.props["target"], "props": n.props}
            for n in batch.nodes
            if n.label == "StatusRecord"
        ]

        def work(tx):
            tx.run(REMOVE_REPORT, key=report.key).consume()
            tx.run(WRITE_REPORT, key=report.key, document=report.props["document"], props=report.props).consume()
            if rows:
                tx.run(WRITE_RECORDS, report=report.key, rows=rows).consume()

        self._transaction(work, f"loading {report.key}", "nothing of it was written")

    def remove_progress(self, key: str) -> None:
        self._transaction(lambda tx: tx.run(REMOVE_REPORT, key=key).consume(), f"removing {key}", "nothing was removed")

    def _transaction(self, work, doing: str, outcome: str):
        with neo4j_errors(self.uri, doing, outcome):
            with self.first_contact(), self.driver.session(database=self.database) as session:
                return self.gate.commit(session.execute_write, work)

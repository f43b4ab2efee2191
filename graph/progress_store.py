"""Writing progress reports into either store: whole or not at all, replacing an earlier load.

A report owns its status records; loading it again removes them and writes the
new ones.  In Neo4j all of it is one transaction; in the embedded store it is
one change of the in-memory graph, saved atomically by the caller.
"""

from __future__ import annotations

from respgraph.graph.errors import StoreUnavailable
from respgraph.graph.progress import Progress

__all__ = ["write_progress", "remove_progress"]


def write_progress(store, progress: Progress, labels: dict[str, str]) -> None:
    """Write one report; ``labels`` gives the label (Item or SubItem) of every record's target."""
    batch = progress.to_batch()
    if store.engine != "neo4j":
        remove_progress(store, batch.document)
        store.add_plain(
            [{"key": n.key, "label": n.label, **n.props} for n in batch.nodes],
            [{"type": r.type, "start": r.start, "end": r.end, **r.props} for r in batch.rels],
        )
        return
    report = progress.report.model_dump(mode="json")
    rows = {"Item": [], "SubItem": []}
    for r in progress.records:
        rows[labels[r.target]].append({"key": r.key, "target": r.target, "props": r.model_dump(mode="json")})
    from neo4j.exceptions import ServiceUnavailable

    def work(tx):
        tx.run(REMOVE_REPORT, key=report["key"]).consume()
        tx.run(WRITE_REPORT, key=report["key"], document=report["document"], props=report).consume()
        for label, chunk in rows.items():
            if chunk:
                assert label in ("Item", "SubItem")
                tx.run(WRITE_RECORDS.replace("TARGET", label), report=report["key"], rows=chunk).consume()

    try:
        # Status queries find records by their target's key (see ``targets``).
        store._run("CREATE INDEX statusrecord_target IF NOT EXISTS FOR (n:StatusRecord) ON (n.target)")
        with store.driver.session(database=store.database) as session:
            session.execute_write(work)
    except ServiceUnavailable:
        raise StoreUnavailable(store.uri, f"the server stopped answering while loading {report['key']}; "
                               "nothing of it was written") from None


def remove_progress(store, key: str) -> None:
    """Remove a report and its status records (nothing when it is not there)."""
    if store.engine == "neo4j":
        store._run(REMOVE_REPORT, key=key)
        return
    g = store.graph
    if key not in g:
        return
    records = [r for r, _, t in g.in_edges(key, keys=True) if t == "IN_REPORT"]
    g.remove_nodes_from([*records, key])


REMOVE_REPORT = """
MATCH (p:ProgressReport {key: $key})
OPTIONAL MATCH (r:StatusRecord)-[:IN_REPORT]->(p)
WITH p, collect(r) AS records
FOREACH (r IN records | DETACH DELETE r)
DETACH DELETE p
"""

WRITE_REPORT = """
MATCH (d:Document {key: $document})
CREATE (p:ProgressReport {key: $key})
SET p += $props
CREATE (p)-[:REPORTS_ON]->(d)
"""

# TARGET is replaced by Item or SubItem (a fixed label, never user input).
WRITE_RECORDS = """
MATCH (p:ProgressReport {key: $report})
UNWIND $rows AS row
MATCH (t:TARGET {key: row.target})
CREATE (r:StatusRecord {key: row.key})
SET r += row.props
CREATE (r)-[:IN_REPORT]->(p)
CREATE (t)-[:HAS_STATUS]->(r)
"""


def targets(store, documents: list[str] | None = None) -> list[dict]:
    """Every item and sub-item of ``documents`` (all when None) with what a status needs.

    One dict per target: ``document``, ``city``, ``year``, ``attachment``, ``item``
    (key), ``key``, ``label`` (Item or SubItem), ``number``, ``part``, ``title``,
    ``item_title``, ``deadline``, ``milestones``, ``leaders``, ``units`` ({name, role})
    and ``records`` (its status records, any order).  Records are found by their
    ``target`` key, so they survive the table being loaded again.
    """
    if store.engine == "neo4j":
        return store.read(TARGETS_CYPHER, documents=documents)
    g = store.graph
    records: dict[str, list[dict]] = {}
    for key, a in g.nodes(data=True):
        if a["label"] == "StatusRecord":
            records.setdefault(a["target"], []).append({"key": key, **a})
    out = []
    for doc_key, d in g.nodes(data=True):
        if d["label"] != "Document" or (documents is not None and doc_key not in documents):
            continue
        for item_key, _, t in g.in_edges(doc_key, keys=True):
            if t != "FROM":
                continue
            item = g.nodes[item_key]
            parts = [p for p, _, k in g.in_edges(item_key, keys=True) if k == "PART_OF"]
            for key in [item_key, *parts]:
                node = g.nodes[key]
                out.append({
                    "document": doc_key, "city": d["city"], "year": d["year"], "attachment": item["attachment"],
                    "item": item_key, "key": key, "label": node["label"], "number": item["number"],
                    "part": node.get("part"), "title": node["title"], "item_title": item["title"],
                    "deadline": item.get("deadline"),
                    "milestones": sorted(
                        ({k: g.nodes[m].get(k) for k in _MILESTONE} for _, m, k in g.out_edges(key, keys=True)
                         if k == "HAS_MILESTONE"), key=lambda m: m["seq"]),
                    "leaders": sorted(g.nodes[x]["name"] for x, _, k in g.in_edges(key, keys=True) if k == "OVERSEES"),
                    "units": sorted(({"name": g.nodes[u]["name"], "role": k}
                                     for u, _, k in g.in_edges(key, keys=True) if k in _ROLES),
                                    key=lambda u: (u["role"], u["name"])),
                    "records": records.get(key, []),
                })
    return out


_MILESTONE = ("seq", "quarters", "period", "text", "q_values", "q_units", "q_cumulative")
_ROLES = ("LEADS", "IMPLEMENTS", "ASSISTS")

_TARGET_FIELDS = """
       COLLECT { MATCH (t)-[:HAS_MILESTONE]->(m)
                 RETURN m {.seq, .quarters, .period, .text, .q_values, .q_units, .q_cumulative} ORDER BY m.seq } AS milestones,
       COLLECT { MATCH (l:Leader)-[:OVERSEES]->(t) RETURN l.name ORDER BY l.name } AS leaders,
       COLLECT { MATCH (u)-[r:LEADS|IMPLEMENTS|ASSISTS]->(t)
                 RETURN {name: u.name, role: type(r)} ORDER BY type(r), u.name } AS units,
       COLLECT { MATCH (r:StatusRecord {target: t.key}) RETURN r {.*} } AS records
"""

TARGETS_CYPHER = """
MATCH (d:Document) USING INDEX d:Document(key)
WHERE d.key IS NOT NULL AND ($documents IS NULL OR d.key IN $documents)
MATCH (d)<-[:FROM]-(t:Item)
RETURN d.key AS document, d.city AS city, d.year AS year, t.attachment AS attachment, t.key AS item, t.key AS key,
       'Item' AS label, t.number AS number, null AS part, t.title AS title, t.title AS item_title,
       t.deadline AS deadline,""" + _TARGET_FIELDS + """
UNION ALL
MATCH (d:Document) USING INDEX d:Document(key)
WHERE d.key IS NOT NULL AND ($documents IS NULL OR d.key IN $documents)
MATCH (d)<-[:FROM]-(i:Item)<-[:PART_OF]-(t:SubItem)
RETURN d.key AS document, d.city AS city, d.year AS year, i.attachment AS attachment, i.key AS item, t.key AS key,
       'SubItem' AS label, i.number AS number, t.part AS part, t.title AS title, i.title AS item_title,
       i.deadline AS deadline,""" + _TARGET_FIELDS


def reports(store) -> list[dict]:
    """The progress reports on tables still in the store, by date then key."""
    if store.engine == "neo4j":
        rows = [r["p"] for r in store.read(
            "MATCH (p:ProgressReport) WHERE EXISTS { MATCH (d:Document {key: p.document}) } RETURN p {.*} AS p")]
    else:
        g = store.graph
        rows = [{"key": k, **a} for k, a in g.nodes(data=True)
                if a["label"] == "ProgressReport" and a["document"] in g]
    return sorted(rows, key=lambda r: (r["as_of"], r["key"]))

"""Every Cypher text of the package is planned from an index, never by scanning.

Two nets catch the texts: every module-level constant of the Neo4j modules of
``respgraph.graph`` that holds Cypher (the queries themselves hold none: they are
written once against the store protocol), and every text the query functions
actually send through the store's ``read`` seam while answering on the sample,
with the store's native queries and with the defaults they override.
Each is run with ``EXPLAIN`` on the real server; the plan must not contain an
``AllNodesScan``, nor a label scan of Item, SubItem, Unit or Milestone (the
labels that grow with the data): questions about one thing read one thing, and
questions about everything read it through an index.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import respgraph.graph
import respgraph.queries

pytestmark = pytest.mark.neo4j

GROWING = ("Item", "SubItem", "Unit", "Milestone")
LIST_PARAMS = {"keys", "items", "edges", "types", "labels", "rows", "sources", "owners", "leaders", "units", "groups"}


def constants() -> dict[str, str]:
    """name → Cypher of every module-level constant that holds some (str, tuple or dict of str)."""
    out = {}
    for package in (respgraph.graph, respgraph.queries):
        for info in pkgutil.iter_modules(package.__path__):
            if package is respgraph.graph and not info.name.startswith("neo4j"):
                continue  # the SQLite store's SQL is not Cypher
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            for name, value in vars(module).items():
                if not name.isupper() or name.startswith("_"):  # fragments of other texts
                    continue
                values = (
                    value.items()
                    if isinstance(value, dict)
                    else enumerate(value)
                    if isinstance(value, tuple)
                    else [("", value)]
                )
                for sub, text in values:
                    if isinstance(text, str) and re.search(r"^\s*(MATCH|MERGE|CREATE|RETURN|UNWIND|CALL)\b", text):
                        out[f"{info.name}.{name}{f'[{sub}]' if sub != '' else ''}"] = text
    return out


def dummy(text: str) -> dict:
    params: dict[str, object] = {}
    for name in set(re.findall(r"\$(\w+)", text)):
        params[name] = (
            []
            if name in LIST_PARAMS
            else None
            if name in ("documents", "cities")
            else 1
            if name == "min_shared"
            else {}
            if name == "props"
            else "x"
        )
    return params


def scans(store, text: str, params: dict) -> list[str]:
    with store.driver.session(database=store.database) as session:
        plan = session.run("EXPLAIN " + text, params).consume().plan
    found, todo = [], [plan]
    while todo:
        step = todo.pop()
        kind, details = step["operatorType"].split("@")[0], step.get("args", {}).get("Details", "")
        if kind == "AllNodesScan" or ("LabelScan" in kind and any(f":{label}" in details for label in GROWING)):
            found.append(f"{kind} {details}")
        todo += step.get("children", [])
    return found


def test_every_constant_is_planned_from_an_index(neo4j_sample_store):
    texts = constants()
    assert len(texts) >= 20  # the net holds the package's queries, not nothing
    bad = {name: found for name, text in texts.items() if (found := scans(neo4j_sample_store, text, dummy(text)))}
    assert bad == {}


@pytest.mark.parametrize("natives", [True, False], ids=["native", "defaults"])
def test_every_text_the_queries_send_is_planned_from_an_index(neo4j_sample_store, monkeypatch, natives):
    from contextlib import nullcontext

    from respgraph.queries.native import defaults_only

    store, sent = neo4j_sample_store, []
    real_read = store.read

    def recording(query, **params):
        sent.append((query, params))
        return real_read(query, **params)

    monkeypatch.setattr(store, "read", recording)  # the seam every read of the store passes through
    with nullcontext() if natives else defaults_only():
        ask_everything(store)
    assert len(sent) >= 20
    bad = {query: found for query, params in sent if (found := scans(neo4j_sample_store, query, params))}
    assert bad == {}


def ask_everything(store):
    from respgraph.graph.errors import UnknownName
    from respgraph.queries.balance import load_balance
    from respgraph.queries.co import co_pairs, co_responsibility
    from respgraph.queries.collaboration import collaboration
    from respgraph.queries.diff import diff_documents
    from respgraph.queries.export_data import answer_tables
    from respgraph.queries.item_detail import item_whole
    from respgraph.queries.items import items_of_unit
    from respgraph.queries.listing import documents, leaders, units
    from respgraph.queries.overlap import leader_overlap
    from respgraph.queries.overview import overview
    from respgraph.queries.portfolio import portfolio, units_of_items
    from respgraph.queries.progress_reports import targets
    from respgraph.queries.status import item_status, status_rollup, status_trend
    from respgraph.queries.timeline import deadlines, quarterly_load
    from respgraph.queries.workload import workload

    rows = items_of_unit(store, "市自然资源局", city="湛江市")
    units_of_items(store, [r.id for r in rows])
    portfolio(store, "陈峻华")
    portfolio(store, "陈峻华", city="湛江市")
    item_whole(store, "湛江市/2023/1", "79")
    for by in ("unit", "leader", "district"):
        workload(store, by=by)
        load_balance(store, by=by)
    co_responsibility(store, "市自然资源局")
    co_pairs(store, min_shared=2)
    collaboration(store)
    leader_overlap(store)
    overview(store, leader="陈峻华")
    quarterly_load(store, by="unit")
    quarterly_load(store, by="leader")
    deadlines(store)
    documents(store)
    units(store, city="湛江市")
    leaders(store)
    item_status(store, unit="市自然资源局")
    status_rollup(store, by="leader")
    status_trend(store)
    items_of_unit(store, "市发展改革委")  # an alias
    diff_documents(store, "湛江市/2023/1", "湛江市/2023/2")
    targets(store)
    answer_tables(store)
    with pytest.raises(UnknownName):
        items_of_unit(store, "自然资源局")  # the suggestions' look-up is a text too


def test_every_write_statement_is_planned_from_an_index(neo4j_sample_store, sample_tables):
    """The statements a load sends, with the sample's own rows: both ends of every
    relationship are found through the key constraint, never by a scan."""
    from respgraph.graph.neo4j_store import write_statements

    texts = {text: rows for table in sample_tables for text, rows in write_statements(table.to_batch())}
    assert len(texts) >= 15 and any(" MERGE (a)-[" in t for t in texts) and any(" CREATE (a)-[" in t for t in texts)
    bad = {text: found for text, rows in texts.items() if (found := scans(neo4j_sample_store, text, {"rows": rows}))}
    assert bad == {}

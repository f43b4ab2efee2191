"""The package's imports keep its layers: ``graph`` ← ``loaders``, ``queries`` ← ``ingest``, ``answers``, ``viz``,
``accounts`` ← the session ← the CLI ← ``web``.

The session (``answers/session.py``: this store, these settings, this alias list, this
user) and the answers that draw (``answers/pictures.py``) are the two modules of
``answers`` that reach past it: the session opens the store, falls back to the bundled
sample (``ingest``), reads the alias list (``loaders``) and knows the quarter a page is
about (``accounts``); the pictures hand a query's rows to ``viz``.  Both faces use them.

``loaders`` only read files and ``queries`` only read stores; ``ingest`` is the one
layer that reads files *and* writes stores.

Every ``from respgraph… import`` in every module counts, those inside functions
too: a lazy import is still a dependency, and a cycle through one is still a
cycle (the CLI and a command module importing each other was one).
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = {
    "graph": "graph",
    "loaders": "loaders",
    "queries": "queries",
    "ingest": "ingest",
    "answers": "answers",
    "viz": "viz",
    "accounts": "accounts",
    "web": "web",
    "respgraph": "respgraph",
}
#: What each layer may import from (itself included).
ALLOWED = {
    "graph": {"graph"},
    "loaders": {"graph", "loaders"},
    "queries": {"graph", "queries"},
    "ingest": {"graph", "loaders", "queries", "ingest"},
    "answers": {"graph", "queries", "answers"},
    "viz": {"graph", "queries", "viz"},
    # Accounts resolve bindings and read items through the queries, and decide a status word as loaders do.
    "accounts": {"graph", "loaders", "queries", "accounts"},
    "session": {"graph", "loaders", "queries", "ingest", "answers", "viz", "accounts", "session"},
    "respgraph": {"graph", "loaders", "queries", "ingest", "answers", "viz", "accounts", "session", "respgraph"},
    # The web application sits on top: it calls the library (and, through web/library.py
    # alone, the CLI's helpers until they move into the library); nothing imports it but
    # the `serve` command, which the CLI loads by name.
    "web": {"graph", "loaders", "queries", "ingest", "answers", "viz", "accounts", "session", "respgraph", "web"},
}
#: The modules of the session layer (they live in answers/ beside the answers they serve).
SESSION = {"respgraph.answers.session", "respgraph.answers.pictures"}


def layer_of(module: str) -> str:
    if module in SESSION:
        return "session"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED and parts[1] != "respgraph" else "respgraph"


def imports() -> list[tuple[str, str, str]]:
    """(module, imported module, where) for every import of respgraph in the package."""
    found = []
    for layer, folder in FOLDERS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            inner = path.relative_to(ROOT / folder).with_suffix("").parts
            module = ".".join(
                ["respgraph", *([] if layer == "respgraph" else [layer]), *(p for p in inner if p != "__init__")]
            )
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("respgraph"):
                    found.append((module, node.module, f"{folder}/{path.name}:{node.lineno}"))
                elif isinstance(node, ast.Import):
                    found += [
                        (module, a.name, f"{folder}/{path.name}:{node.lineno}")
                        for a in node.names
                        if a.name.startswith("respgraph")
                    ]
    return found


def test_the_walk_sees_the_package():
    found = imports()
    assert len({m for m, _, _ in found}) > 60
    assert ("respgraph.queries.items", "respgraph.queries.lookup") in {(m, t) for m, t, _ in found}


def test_no_import_against_the_layers():
    wrong = [
        f"{where}: {module} imports {target}"
        for module, target, where in imports()
        if layer_of(target) not in ALLOWED[layer_of(module)]
    ]
    assert wrong == []


def test_no_import_cycles():
    graph = nx.DiGraph()
    for module, target, _ in imports():
        if module != target and target != "respgraph":  # the package root holds only the version
            graph.add_edge(module, target)
    assert list(nx.simple_cycles(graph)) == []


def test_readers_never_write():
    """Nothing that reads files or answers questions imports a store that writes: a
    question in ``queries`` and a reader in ``loaders`` get the store they are given."""
    writers = {"respgraph.graph.sqlite_store", "respgraph.graph.neo4j_store"}
    wrong = [
        f"{where}: {module} imports {target}"
        for module, target, where in imports()
        if layer_of(module) in ("loaders", "queries", "viz") and target in writers
    ]
    assert wrong == []


def test_the_web_app_is_a_face_of_the_library_not_of_the_cli():
    """The web app and the CLI are two faces of one library: the web app imports nothing of
    the CLI's modules (the command that starts it is its own, web/command.py)."""
    through = sorted(
        {
            where
            for module, target, where in imports()
            if layer_of(module) == "web" and layer_of(target) == "respgraph" and target != "respgraph"
        }
    )
    assert through == []


def test_the_session_is_its_own_layer():
    """Only the named session modules may reach past ``answers``; the other answers may not."""
    assert layer_of("respgraph.answers.session") == "session"
    assert "ingest" not in ALLOWED[layer_of("respgraph.answers.entities")]
    found = {(m, t) for m, t, _ in imports()}
    assert ("respgraph.answers.session", "respgraph.ingest") in found
    # Both faces open it: the CLI's commands and the web's library.
    assert {m.split(".")[1] for m, t in found if t == "respgraph.answers.session"} >= {"commands", "web"}


def test_the_layer_rule_can_fail():
    assert layer_of("respgraph.loaders.load") not in ALLOWED[layer_of("respgraph.queries.items")]
    assert layer_of("respgraph.viz.network_pages") not in ALLOWED[layer_of("respgraph.graph.model")]


def test_queries_are_written_once_against_the_store_protocol():
    """No query module asks which store it runs on, reaches into a store's insides,
    or holds Cypher: engine-specific work lives in the stores (graph/neo4j_*.py)."""
    import re

    offending = []
    for path in sorted((ROOT / "queries").glob("*.py")):
        text = path.read_text("utf-8")
        for pattern in (
            r"\.engine\b",
            r"store\.graph\b",
            r"store\.read\(",
            r"store\.db\b",
            r"\bMATCH \(",
            r"\bUNWIND \$",
        ):
            if re.search(pattern, text):
                offending.append(f"{path.name}: {pattern}")
    assert offending == []


def test_every_store_implements_the_protocol():
    import inspect

    from respgraph.graph.neo4j_store import Neo4jStore
    from respgraph.graph.protocol import GraphStore
    from respgraph.graph.sqlite_store import SqliteStore

    wanted = {name for name, _ in inspect.getmembers(GraphStore, inspect.isfunction) if not name.startswith("_")}
    assert {"roles", "oversight", "find", "write", "remove_document", "close"} <= wanted
    for store in (SqliteStore, Neo4jStore):
        missing = {name for name in wanted if not callable(getattr(store, name, None))}
        assert missing == set(), store.__name__
        for name in wanted:  # the same keyword arguments, so a query can call either
            protocol = inspect.signature(getattr(GraphStore, name))
            own = inspect.signature(getattr(store, name))
            assert set(protocol.parameters) <= set(own.parameters), (store.__name__, name)

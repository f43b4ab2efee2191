"""Every setting a user can give through the environment is in the README (as Datasette's
tests hold its settings to its documentation): a knob read somewhere in the code and said
nowhere is one nobody can find."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ("graph", "loaders", "queries", "ingest", "answers", "viz", "accounts", "web", "respgraph")
#: How `respgraph serve` hands its own options to its worker processes: not a setting of anyone's.
HANDED_TO_WORKERS = re.compile(r"^RESPGRAPH_SERVE_")


def variables() -> set[str]:
    found = set()
    for folder in PACKAGE:
        for path in (ROOT / folder).rglob("*.py"):
            found |= set(re.findall(r"\bRESPGRAPH_[A-Z_]+[A-Z]\b", path.read_text("utf-8")))
    return {v for v in found if not HANDED_TO_WORKERS.match(v)}


def test_every_environment_setting_is_in_the_readme():
    said = set(re.findall(r"\bRESPGRAPH_[A-Z_]+[A-Z]\b", (ROOT / "README.md").read_text("utf-8")))
    found = variables()
    assert len(found) > 15  # the limits, the lock wait, the served pages' budgets, the home, the key …
    assert sorted(found - said) == []


def test_every_field_of_the_settings_is_in_the_readme():
    """The settings object is walked, field by field (the Neo4j connection, the loaders' limits and
    the served pages' budgets within it): each field's variable is said in the README."""
    from respgraph.graph.settings import variables as of_settings

    fields = set(of_settings())
    said = set(re.findall(r"\b(?:RESPGRAPH|NEO4J)_[A-Z_]+[A-Z]\b", (ROOT / "README.md").read_text("utf-8")))
    assert {
        "RESPGRAPH_STORE",
        "RESPGRAPH_LOCK_WAIT",
        "RESPGRAPH_MAX_ROWS",
        "RESPGRAPH_HEAVY_MB",
        "RESPGRAPH_SECRET_KEY",
        "RESPGRAPH_TIMEZONE",
        "NEO4J_PASSWORD",
    } <= fields
    assert sorted(fields - said) == []


def test_every_setting_the_code_names_is_a_field_of_the_settings():
    """A variable the code reads is a field of the one settings object, not a knob of its own."""
    from respgraph.graph.settings import variables as of_settings

    assert sorted(variables() - set(of_settings())) == []

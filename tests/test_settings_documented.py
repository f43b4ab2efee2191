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

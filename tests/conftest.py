"""Fixtures from the real sample table; the ``store`` fixture runs a test on every store."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from respgraph.graph.memory import MemoryStore
from respgraph.loaders.load import read_tables, sample_path

STORES = ["memory"]


@pytest.fixture(scope="session")
def sample_tables():
    return read_tables(sample_path())


def _fill(store, tables):
    for table in tables:
        store.write(table.to_batch())
    return store


@pytest.fixture(scope="session")
def memory_store(sample_tables):
    return _fill(MemoryStore(), sample_tables)


@pytest.fixture(scope="session", params=STORES)
def store(request, sample_tables):
    """The sample, loaded into each store in turn; queries must answer alike."""
    if request.param == "memory":
        return request.getfixturevalue("memory_store")
    return request.getfixturevalue(f"{request.param}_sample_store")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private RESPGRAPH_HOME so CLI tests never touch the user's graph."""
    monkeypatch.setenv("RESPGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("RESPGRAPH_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("RESPGRAPH_STORE", raising=False)
    return tmp_path / "home"


def respgraph_command() -> str:
    """The installed ``respgraph`` console script, next to this Python."""
    found = shutil.which("respgraph", path=str(Path(sys.executable).parent)) or shutil.which("respgraph")
    if not found:
        pytest.fail("the respgraph command is not installed: pip install -e .")
    return found


@pytest.fixture
def run(home):
    """Run the installed command; returns the CompletedProcess (text, UTF-8)."""

    def _run(*args: str, check: bool = False) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [respgraph_command(), *args], capture_output=True, env=os.environ.copy(), timeout=120,
        )
        proc.stdout_bytes = proc.stdout
        proc.stdout = proc.stdout.decode("utf-8")
        proc.stderr = proc.stderr.decode("utf-8")
        if check and proc.returncode != 0:
            raise AssertionError(f"respgraph {' '.join(args)} failed: {proc.stderr}")
        return proc

    return _run

"""The integrity check after an unclean stop runs once per log a stranger left, never for
the process's own: a server that has written keeps a log while it runs, and judging it
again read the whole file in every new worker thread."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from respgraph.graph import sqlite_store
from respgraph.graph.sqlite_store import SqliteStore


def _counted(monkeypatch) -> list[Path]:
    checked: list[Path] = []
    real = sqlite_store.quick_check

    def counting(db, path) -> None:
        checked.append(path)
        real(db, path)

    monkeypatch.setattr(sqlite_store, "quick_check", counting)
    return checked


def test_no_check_for_the_processes_own_log(tmp_path, sample_tables, monkeypatch):
    checked = _counted(monkeypatch)
    path = tmp_path / "graph.db"
    writer = SqliteStore.open(path, create=True)
    writer.write(sample_tables[0].to_batch())
    assert Path(f"{path}-wal").stat().st_size > 0  # the writer is open: its log stays
    readers = [SqliteStore.open(path) for _ in range(5)]  # as five new worker threads would
    assert checked == []
    assert all(len(r.documents()) == 1 for r in readers)
    writer.write(sample_tables[1].to_batch())  # written again by this process: still its own log
    SqliteStore.open(path).close()
    assert checked == []


def test_a_strangers_log_is_checked_once(tmp_path, sample_tables, monkeypatch):
    checked = _counted(monkeypatch)
    path = tmp_path / "graph.db"
    store = SqliteStore.open(path, create=True)
    store.write(sample_tables[0].to_batch())
    store.close()
    # Another program writes and dies before it folds its log into the file.
    code = (
        "import os, sqlite3, sys; d = sqlite3.connect(sys.argv[1]); "
        "d.execute(\"INSERT OR REPLACE INTO meta VALUES ('probe', '1')\"); d.commit(); os._exit(0)"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True)
    assert Path(f"{path}-wal").stat().st_size > 0
    first, second = SqliteStore.open(path), SqliteStore.open(path)
    assert checked == [path]  # the first opening judged it; the second knows that log
    assert len(second.documents()) == len(first.documents()) == 1


def test_the_accounts_read_through_one_connection_per_thread(tmp_path, sample_tables, monkeypatch):
    import sqlite3

    from respgraph.accounts import users
    from respgraph.accounts.storage import account_storage

    store = SqliteStore.open(tmp_path / "graph.db", create=True)
    store.write(sample_tables[1].to_batch())
    users.add_user(
        store, login="office", display="督查室", role="office", password="correct horse battery", actor="test"
    )
    accounts = account_storage(store)
    accounts.any_user()  # this thread's connection, opened once
    opened = []
    real = sqlite3.connect
    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: (opened.append(a), real(*a, **k))[1])
    for _ in range(20):  # as twenty requests of one worker thread ask
        assert accounts.any_user() and accounts.user("office") is not None
    assert opened == []
    users.add_user(store, login="view", display="只读", role="viewer", password="correct horse battery", actor="test")
    assert [u.login for u in accounts.users()] == ["office", "view"]  # a write shows on the kept connection

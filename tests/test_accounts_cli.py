"""``respgraph users``, ``submissions`` and ``audit``: output, exit codes, and the status they feed.

Facts from the sample (seed line 156): item 74 is led by 市自然资源局, deadline 2023年12月.
"""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from tests.conftest import respgraph_command

PW = "correct horse battery"


@pytest.fixture
def sh(home):
    def _run(*args, input=None):
        proc = subprocess.run(
            [respgraph_command(), *args],
            capture_output=True,
            env=os.environ.copy(),
            input=(input or "").encode("utf-8"),
            timeout=120,
        )
        proc.stdout, proc.stderr = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
        return proc

    return _run


def status_74(sh):
    rows = json.loads(sh("status", "--as-of", "2023-06-30", "--format", "json").stdout)
    return next((r["status"], r["warning"]) for r in rows if r["number"] == "74" and r["attachment"] == 1)


def test_users_on_the_command_line(sh):
    assert sh("load", "--quiet").returncode == 0
    added = sh("users", "add", "zrzy", "--role", "unit", "--unit", "市自然资源局", "--password-stdin", input=PW + "\n")
    assert (added.returncode, added.stdout) == (0, "added zrzy (unit, 湛江市:市自然资源局)\n")
    wrong = sh("users", "add", "x", "--role", "unit", "--unit", "市魔法局", "--password-stdin", input=PW + "\n")
    assert wrong.returncode == 1 and wrong.stderr.startswith("Error: no unit named '市魔法局'")
    short = sh("users", "add", "y", "--role", "viewer", "--password-stdin", input="short\n")
    assert (short.returncode, short.stderr) == (1, "Error: a password needs at least 10 characters\n")
    assert sh("users", "disable", "zrzy").stdout == "disabled zrzy\n"
    listed = json.loads(sh("users", "list", "--format", "json").stdout)
    assert [(u["login"], u["role"], u["bound"], u["active"]) for u in listed] == [
        ("zrzy", "unit", "市自然资源局", "no")
    ]
    assert sh("users", "passwd", "ghost", "--password-stdin", input=PW + "\n").stderr == "Error: no user 'ghost'\n"
    assert sh("users", "passwd", "zrzy", "--password-stdin", input="another password\n").returncode == 0
    log = sh("audit", "--format", "csv").stdout
    assert [line.split(",")[3] for line in log.splitlines()[1:]] == ["user.add", "user.disable", "user.passwd"]
    assert PW not in log and "another password" not in log


def test_submissions_feed_the_status_and_the_workbook_loads_back(sh, home, tmp_path):
    from respgraph.accounts import submissions, users
    from respgraph.graph.sqlite_store import SqliteStore
    from respgraph.loaders.progress.words import default_vocabulary

    assert sh("load", "--quiet").returncode == 0
    assert (
        sh(
            "users", "add", "zrzy", "--role", "unit", "--unit", "市自然资源局", "--password-stdin", input=PW + "\n"
        ).returncode
        == 0
    )
    store = SqliteStore.open(home / "graph.db")
    unit = users.get_user(store, "zrzy")
    sub = submissions.submit(
        store,
        unit,
        target="item:湛江市/2023/1-b6a81b/74",
        year=2023,
        quarter=2,
        status_word="滞后",
        done="累计完成 3000 亩",
        obstacles="征地",
        vocabulary=default_vocabulary(),
    )
    store.close()
    assert status_74(sh) == ("behind", "yellow")
    who = json.loads(sh("submissions", "who", "--year", "2023", "--quarter", "2", "--format", "json").stdout)
    mine = next(r for r in who if r["name"] == "市自然资源局")
    assert (mine["due"], mine["reported"], mine["accounts"]) == (3, 1, ["zrzy"])
    book = tmp_path / "q2.xlsx"
    out = sh("submissions", "export", "--doc", "湛江市/2023/1", "--year", "2023", "--quarter", "2", "--out", str(book))
    assert out.stdout == f"wrote 1 rows to {book}\n"
    assert sh("progress", "load", str(book)).returncode == 0
    assert status_74(sh) == ("behind", "yellow")
    back = sh("submissions", "return", sub.key, "--comment", "请核实")
    assert back.returncode == 0 and back.stdout.startswith(f"returned {sub.key} (zrzy, 2023 Q2)")
    assert status_74(sh) == ("no_report", None)
    history = json.loads(
        sh("submissions", "list", "--year", "2023", "--quarter", "2", "--history", "--format", "json").stdout
    )
    assert [(h["author"], h["return_comment"]) for h in history] == [("zrzy", "请核实")]
    actions = [e["action"] for e in json.loads(sh("audit", "--format", "json").stdout)]
    assert actions == ["user.add", "submission.add", "submission.return"]

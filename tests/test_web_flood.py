"""Floods of bodies against a real ``respgraph serve`` held to 1 GB of address space (``RLIMIT_AS``):
what issue 31 sent (a thousand 1 MB fields to /login, half a gigabyte to an office route without a
login, chunked or not) is refused early, the server's memory stays small and it keeps answering.

The floods are those of ``scripts/flood_body``, smaller: four requests at once of 300 MB each.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


def script(name: str):
    """A script of scripts/ as a module (they have no .py suffix)."""
    loader = importlib.machinery.SourceFileLoader(name, str(SCRIPTS / name))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader(name, loader))
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def flood_body():
    return script("flood_body")


@pytest.fixture(scope="module")
def served(flood_body, tmp_path_factory):
    home = flood_body.sample_home(tmp_path_factory.mktemp("flood"))
    server, port = flood_body.start_server(home, memory_limit_mb=1024)
    yield server, port
    flood_body.stop_server(server)


class Args:
    mb, seconds = 300, 30


@pytest.mark.parametrize(
    "name, status", [("login-fields", 413), ("stranger-upload", 401), ("chunked-upload", 401), ("many-fields", 413)]
)
def test_a_flood_is_refused_early_and_the_server_stays_small(flood_body, served, name, status):
    server, port = served
    found = flood_body.flood(port, server.pid, flood_body.floods(port, Args)[name], requests=4, at_once=4)
    assert found["statuses"] == {status: 4}
    # What a client could send before the server stopped reading: the sockets' buffers, a few MB, not 300.
    assert found["taken_mb"] < 50
    assert found["alive"] and found["cheap_failed"] == 0
    # Python, the web stack and the sample take about 120 MB; a flood read whole would be 1.2 GB.
    assert found["peak_rss_mb"] < 300


@pytest.fixture(scope="module")
def flood_heavy():
    return script("flood_heavy")


def test_sigterm_stops_the_server_and_its_heavy_answers_within_seconds(flood_body, flood_heavy, tmp_path):
    home = flood_body.sample_home(tmp_path, account=False)
    server, port = flood_body.start_server(home)
    try:
        heavy = flood_heavy.heavy_pids(server.pid)
        running, helpers, seconds = flood_heavy.sigterm_in_flight(server, port)
    finally:
        if server.poll() is None:
            server.kill()
    assert heavy == [] and len(running) >= 1  # none before; then each answer in a process of its own
    assert server.returncode is not None and seconds < 15  # cancelled after 3 s, not finished
    left = [pid for pid in running + helpers if not gone(pid)]
    assert left == [], [Path(f"/proc/{p}/cmdline").read_bytes() for p in left]


def gone(pid: int) -> bool:
    """Gone, or a zombie its parent has not reaped."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True
        except FileNotFoundError:
            return True
        time.sleep(0.1)
    return False


def test_heavy_answers_asked_by_many_stay_within_a_server_held_to_one_gigabyte(flood_body, flood_heavy, tmp_path):
    """Eight clients asking the exports and notices for 8 s, half of them leaving after 1 s, against a
    server (and so its answers' processes) held to 1 GB of address space: an answer's own budget
    (1 GB more than it starts with) is cut to what the server has."""
    home = flood_body.sample_home(tmp_path, account=False)
    server, port = flood_body.start_server(home, memory_limit_mb=1024)

    class Args:
        clients, seconds, leave_after, idle_limit = 8, 8, 1.0, 60

    try:
        found = flood_heavy.flood(port, server.pid, Args)
        assert server.poll() is None and found["cheap_failed"] == 0
        assert set(found["statuses"]) <= {0, 200, 503} and found["statuses"].get(200)
        assert found["quiet_s"] < 10  # no answer's process outlives its clients by more than a moment
        assert flood_heavy.heavy_pids(server.pid) == []
    finally:
        flood_body.stop_server(server)

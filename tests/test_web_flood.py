"""Floods of bodies against a real ``respgraph serve`` held to 1 GB of address space (``RLIMIT_AS``):
what issue 31 sent (a thousand 1 MB fields to /login, half a gigabyte to an office route without a
login, chunked or not) is refused early, the server's memory stays small and it keeps answering.

The floods are those of ``scripts/flood_body``, smaller: four requests at once of 300 MB each.
"""

from __future__ import annotations

import importlib.machinery
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

SCRIPTS = Path(__file__).resolve().parents[1] / "scripts"


@pytest.fixture(scope="module")
def flood_body():
    return importlib.machinery.SourceFileLoader("flood_body", str(SCRIPTS / "flood_body")).load_module()


@pytest.fixture(scope="module")
def served(flood_body, tmp_path_factory):
    home = flood_body.sample_home(tmp_path_factory.mktemp("flood"))
    server, port = flood_body.start_server(home, memory_limit_mb=1024)
    yield server, port
    flood_body.stop_server(server)


class Args:
    mb, seconds = 300, 30


@pytest.mark.parametrize("name, status", [("login-fields", 413), ("stranger-upload", 401),
                                          ("chunked-upload", 401), ("many-fields", 413)])
def test_a_flood_is_refused_early_and_the_server_stays_small(flood_body, served, name, status):
    server, port = served
    found = flood_body.flood(port, server.pid, flood_body.floods(port, Args)[name], requests=4, at_once=4)
    assert found["statuses"] == {status: 4}
    assert found["alive"] and found["cheap_failed"] == 0
    # Python, the web stack and the sample take about 120 MB; a flood read whole would be 1.2 GB.
    assert found["peak_rss_mb"] < 300

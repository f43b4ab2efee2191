"""``respgraph serve`` on a real Neo4j: the twins, the main pages, index-only reads, two servers
sharing one database, uploads at once.

The server is the one tests/conftest.py starts (or NEO4J_URI with RESPGRAPH_TEST_WIPE=yes).
"""

from __future__ import annotations

import base64
import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.neo4j


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


web = _module("test_web")


@pytest.fixture
def neo4j_env(neo4j_server, home, monkeypatch):
    """The environment every Neo4j tool reads, naming the test server; the embedded home stays empty."""
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USERNAME", neo4j_server.username)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password.get_secret_value())
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_server.database)
    return home


def neo4j_client(home, **options):
    from respgraph.graph.settings import load_settings
    from respgraph.web.app import create_app
    from respgraph.web.library import Backend
    from tests.web_client import BrowserClient

    app = create_app(Backend(load_settings(home=home, store="neo4j"), **options))
    # A browser on the server's pages: its POSTs carry the CSRF token those pages hold.
    return BrowserClient(app, client=("127.0.0.1", 50000), raise_server_exceptions=False)


def cli_json(home, *args):
    import json

    from click.testing import CliRunner

    from respgraph.cli import cli

    result = CliRunner().invoke(cli, ["--home", str(home), "--store", "neo4j", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("url, command", web.SAMPLE_TWINS, ids=[u for u, _ in web.SAMPLE_TWINS])
def test_every_twin_is_the_cli_answer_on_neo4j(scratch_neo4j, sample_tables, neo4j_env, url, command):
    for table in sample_tables:
        scratch_neo4j.write(table.to_batch(loaded_at="2026-01-01T00:00:00+00:00"))
    answer = neo4j_client(neo4j_env).get(url)
    assert answer.status_code == 200, answer.text
    assert answer.json() == cli_json(neo4j_env, *command)


def test_twins_on_two_cities_and_two_years_on_neo4j(scratch_neo4j, sample_tables, neo4j_env):
    from respgraph.loaders.synthetic import synthetic_table

    for table in sample_tables:
        scratch_neo4j.write(table.to_batch(loaded_at="2026-01-01T00:00:00+00:00"))
    for i, city in enumerate(("甲市", "乙市")):
        for year in (2022, 2023):
            scratch_neo4j.write(
                synthetic_table(
                    40, seed=10 * i + year, city=city, year=year, leaders=5, departments=web.DEPARTMENTS
                ).to_batch(loaded_at="2026-01-01T00:00:00+00:00")
            )
    client = neo4j_client(neo4j_env)
    for url, command in _two_city_twins(neo4j_env):
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.text)
        assert answer.json() == cli_json(neo4j_env, *command), url
    assert client.get("/units/市财政局").status_code == 300


def _two_city_twins(home):
    original = web.cli_json
    web.cli_json = lambda _home, *args: cli_json(home, *args)
    try:
        return web._two_city_twins(home)
    finally:
        web.cli_json = original


def test_main_pages_on_neo4j(neo4j_sample_store, neo4j_env):
    client = neo4j_client(neo4j_env)
    for url in (
        "/",
        "/units/湛江市/市自然资源局",
        "/units/湛江市/市自然资源局/picture",
        "/leaders/湛江市/何嘉旻",
        "/items/湛江市/2023/1/79",
        "/workload",
        "/co",
        "/board",
        "/files",
        "/export",
        "/suggest?q=自然",
    ):
        page = client.get(url)
        assert page.status_code == 200, (url, page.text[:500])
    rows = client.get("/units/湛江市/赤坎区政府.json").json()
    direct = {r["number"]: r["roles"] for r in rows if not r["via"] and r["attachment"] == 1}
    assert direct["49"] == ["assist"] and direct["58"] == ["implement"]


def test_one_entity_pages_are_planned_from_an_index(neo4j_sample_store, neo4j_env, monkeypatch):
    plans = _module("test_query_plans")
    from respgraph.web.library import Backend

    store, sent = neo4j_sample_store, []
    real_read = store.read

    def recording(query, **params):
        sent.append((query, params))
        return real_read(query, **params)

    monkeypatch.setattr(store, "read", recording)
    monkeypatch.setattr(Backend, "store", lambda self: store)
    client = neo4j_client(neo4j_env)
    for url in (
        "/units/湛江市/市自然资源局",
        "/units/湛江市/市自然资源局.json",
        "/leaders/湛江市/陈峻华",
        "/leaders/湛江市/陈峻华.json",
        "/items/湛江市/2023/1/79",
        "/items/湛江市/2023/1/79.json",
    ):
        assert client.get(url).status_code == 200, url
    assert len(sent) >= 10
    bad = {query: found for query, params in sent if (found := plans.scans(store, query, params))}
    assert bad == {}


def test_two_servers_share_one_neo4j(scratch_neo4j, sample_tables, neo4j_env, tmp_path):
    """A table uploaded through one server is answered by the other: neither keeps state of its own."""
    servers = _module("test_web_browser")
    for table in sample_tables:
        scratch_neo4j.write(table.to_batch())
    one = servers.Server(neo4j_env, store_args=("--store", "neo4j"))
    two = servers.Server(neo4j_env, store_args=("--store", "neo4j"))
    try:
        import httpx

        with httpx.Client(base_url=one.url) as a, httpx.Client(base_url=two.url) as b:
            assert b.get("/leaders/茂名市/张三.json").status_code == 404  # no such city yet
            xlsx = web._maoming_xlsx(tmp_path / "茂名.xlsx")
            import re

            # A browser on the server's pages holds its CSRF cookie and the token of its forms.
            token = re.search(r'name="csrf" value="([0-9a-f]+)"', a.get("/login").text).group(1)
            loaded = a.post(
                "/files/load",
                data={"filename": xlsx.name, "csrf": token, "content": base64.b64encode(xlsx.read_bytes()).decode()},
            )
            assert loaded.status_code in (200, 303)
            answer = b.get("/leaders/茂名市/张三.json")
            assert answer.status_code == 200
            assert answer.json()["items"][0]["units"]["implement"] == ["电白区政府"]
            assert any(h["name"] == "张三" for h in b.get("/suggest", params={"q": "张三"}).json())
    finally:
        one.stop()
        two.stop()


def test_uploads_at_once_on_neo4j(scratch_neo4j, sample_tables, neo4j_env, tmp_path):
    for table in sample_tables:
        scratch_neo4j.write(table.to_batch())
    clients = [neo4j_client(neo4j_env), neo4j_client(neo4j_env)]
    files = [web._maoming_xlsx(tmp_path / f"{city}.xlsx", city) for city in web.CITIES]
    assert web.upload_at_once(clients, files) == [303] * len(files)
    assert {d["city"] for d in clients[0].get("/files.json").json()} == {"湛江市", *web.CITIES}

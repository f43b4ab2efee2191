"""No page is served stale after a write (issue 27): through every write path — a table's load and
removal, a correction (``respgraph fix``), a progress report's load, a unit's submission, its return,
a change of users — the affected page, asked at once as HTML and as its JSON twin with the tag of
the answer held before the write, is the new answer, never a ``304``.  Before each write the same
revalidation *is* a ``304``, so a ``200`` after it is the write's doing.  On SQLite, and on Neo4j
for load and removal; two servers on one store, and a ``respgraph load`` from the command line
beside a running ``respgraph serve``, the same.

Facts of the sample (checked by hand in the source table): 赤坎区政府 implements livelihood item 10
(附件 2) through its group; item 92's deadline is printed 2013年12月 (赤坎区政府 assists on it through its group); item 74
(附件 1) is led by 市自然资源局, which report A says is behind at 3500 亩 on 2023-06-30.
"""

from __future__ import annotations

import base64
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi")

from respgraph.accounts import users  # noqa: E402
from tests.web_client import BrowserClient  # noqa: E402


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    assert spec is not None and spec.loader is not None, name
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


web_tests = _module("test_web")
reports = _module("progress_reports")
sample_home = web_tests.sample_home

UNIT = "/units/湛江市/赤坎区政府"
ITEM_74 = "/items/湛江市/2023/1-b6a81b/74"
PW = "correct horse battery"


def embedded_client(home, *, host: str = "127.0.0.1") -> BrowserClient:
    from respgraph.graph.settings import load_settings
    from respgraph.web.app import create_app
    from respgraph.web.library import Backend

    client = BrowserClient(
        create_app(Backend(load_settings(home=home, store="embedded"))),
        client=(host, 50000),
        raise_server_exceptions=False,
    )
    client.csrf()  # the CSRF cookie is held: the pages' answers are tagged from now on
    return client


def held(client, *urls: str) -> dict[str, str]:
    """The tags of the answers at ``urls`` as a browser holds them, each shown to revalidate now."""
    tags = {}
    for url in urls:
        first = client.get(url)
        assert first.status_code == 200 and first.headers.get("etag"), (url, first.status_code)
        assert client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304, url
        tags[url] = first.headers["etag"]
    return tags


def asked_again(client, tags: dict[str, str]) -> dict[str, Any]:
    """Every held answer asked again with its tag: each must be answered anew."""
    answers = {}
    for url, tag in tags.items():
        answer = client.get(url, headers={"If-None-Match": tag})
        assert answer.status_code != 304, f"{url} was served stale (304) after the write"
        assert answer.status_code == 200, (url, answer.status_code)
        answers[url] = answer.json() if url.endswith(".json") or ".json?" in url else answer.text
    return answers


def _upload_maoming(client, tmp_path) -> None:
    xlsx = web_tests._maoming_xlsx(tmp_path / "茂名.xlsx")
    loaded = client.post(
        "/files/load",
        data={"filename": xlsx.name, "content": base64.b64encode(xlsx.read_bytes()).decode()},
        follow_redirects=False,
    )
    assert loaded.status_code == 303, loaded.text[:300]


def _load_and_remove(client, tmp_path) -> None:
    tags = held(client, "/files", "/files.json", UNIT, UNIT + ".json")
    _upload_maoming(client, tmp_path)
    after = asked_again(client, {u: tags[u] for u in ("/files", "/files.json")})
    assert len(after["/files.json"]) == 3 and "茂名市" in after["/files"]
    tags = held(client, "/files", "/files.json", UNIT, UNIT + ".json")
    assert client.post("/files/remove", data={"doc": "湛江市/2023/2"}, follow_redirects=False).status_code == 303
    after = asked_again(client, tags)
    assert len(after["/files.json"]) == 2 and "2023/2-" not in after["/files"]
    assert [i["number"] for i in after[UNIT + ".json"] if i["attachment"] == 2] == []
    assert "新增城镇公办中小学学位" not in after[UNIT]  # livelihood item 10, gone with its table


def test_load_and_removal_on_sqlite(sample_home, tmp_path):
    client = embedded_client(sample_home)
    before = client.get(UNIT + ".json").json()
    assert "10" in [i["number"] for i in before if i["attachment"] == 2]
    _load_and_remove(client, tmp_path)


@pytest.fixture
def neo4j_env(neo4j_server, home, monkeypatch):
    """The environment every Neo4j tool reads, naming the test server (as tests/test_web_neo4j.py's)."""
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USERNAME", neo4j_server.username)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password.get_secret_value())
    monkeypatch.setenv("NEO4J_DATABASE", neo4j_server.database)
    return home


def test_load_and_removal_on_neo4j(scratch_neo4j, sample_tables, neo4j_env, tmp_path):
    for table in sample_tables:
        scratch_neo4j.write(table.to_batch())
    neo4j = _module("test_web_neo4j")
    client = neo4j.neo4j_client(neo4j_env)
    client.csrf()
    _load_and_remove(client, tmp_path)


def test_a_correction_and_a_progress_report(sample_home, tmp_path):
    from click.testing import CliRunner

    from respgraph.cli import cli

    client = embedded_client(sample_home)
    tags = held(client, UNIT, UNIT + ".json", "/board.json")
    assert {i["number"]: i["deadline"] for i in client.get(UNIT + ".json").json()}["92"] == "2013-12-31"
    fixed = CliRunner().invoke(
        cli,
        [
            "--home",
            str(sample_home),
            "--store",
            "embedded",
            "fix",
            "湛江市/2023/1",
            "92",
            "deadline=2023-12-31",
            "--why",
            "原表笔误",
        ],
    )
    assert fixed.exit_code == 0, fixed.output
    after = asked_again(client, tags)
    assert {i["number"]: i["deadline"] for i in after[UNIT + ".json"]}["92"] == "2023-12-31"
    assert "原表笔误" in {r["number"]: r["corrected"] for r in after["/board.json"] if r["attachment"] == 1}["92"]

    tags = held(client, ITEM_74, ITEM_74 + ".json", "/board.json")
    assert client.get(ITEM_74 + ".json").json()["history"] == []
    workbook = reports.write_xlsx(tmp_path / "q2.xlsx", reports.report_a(), reports.DATE_A)
    loaded = client.post(
        "/progress/load", files={"file": (workbook.name, workbook.read_bytes())}, follow_redirects=False
    )
    assert loaded.status_code == 303
    after = asked_again(client, tags)
    assert "3500" in str(after[ITEM_74 + ".json"]["history"]) and "3500" in after[ITEM_74]
    board = {(r["attachment"], r["number"]): r["status"] for r in after["/board.json"]}
    assert board[(1, "74")] == "behind"


@pytest.fixture
def accounts_home(sample_home):
    from respgraph.graph.open_store import open_store

    store = open_store(web_tests.load_settings(home=sample_home, store="embedded"), write=True)
    users.add_user(store, login="office", display="督查室", role="office", password=PW, actor="test")
    users.add_user(
        store, login="zrzy", display="自然资源", role="unit", password=PW, bound="市自然资源局", actor="test"
    )
    store.close()
    return sample_home


def logged_in(home, login: str) -> BrowserClient:
    client = embedded_client(home, host="10.0.0.9")
    assert (
        client.post("/login", data={"login": login, "password": PW, "next": "/"}, follow_redirects=False).status_code
        == 303
    )
    return client


def test_a_submission_its_return_and_a_change_of_users(accounts_home):
    office, unit = logged_in(accounts_home, "office"), logged_in(accounts_home, "zrzy")
    review, report = "/review.json?year=2023&quarter=2", "/report?year=2023&quarter=2"
    office_tags = held(office, review, "/review?year=2023&quarter=2", "/board.json")
    unit_tags = held(unit, report, ITEM_74 + ".json")
    sent = unit.post(
        "/report",
        data={
            "target": "item:湛江市/2023/1-b6a81b/74",
            "year": "2023",
            "quarter": "2",
            "status": "滞后",
            "done": "累计完成 3900 亩",
            "obstacles": "",
        },
        follow_redirects=False,
    )
    assert sent.status_code == 303
    after = asked_again(office, office_tags)
    who = {r["name"]: r for r in after[review]}
    assert who["市自然资源局"]["reported"] == 1
    assert {(r["attachment"], r["number"]): r["status"] for r in after["/board.json"]}[(1, "74")] == "behind"
    after = asked_again(unit, unit_tags)
    assert "3900" in after[report]

    office_tags = held(office, "/board.json", "/review?year=2023&quarter=2")
    unit_tags = held(unit, report)
    key = re.search(r'name="key" value="([^"]+)"', office.get("/review?year=2023&quarter=2").text).group(1)
    assert (
        office.post("/review/return", data={"key": key, "comment": "请附台账"}, follow_redirects=False).status_code
        == 303
    )
    after = asked_again(office, office_tags)
    assert {(r["attachment"], r["number"]): r["status"] for r in after["/board.json"]}[(1, "74")] == "no_report"
    assert "请附台账" in asked_again(unit, unit_tags)[report]

    office_tags = held(office, "/users", "/users.json")
    unit_tag = held(unit, ITEM_74 + ".json")[ITEM_74 + ".json"]
    added = office.post(
        "/users/add",
        data={"login": "yb", "display": "医保", "role": "unit", "bound": "市医疗保障局", "password": PW},
        follow_redirects=False,
    )
    assert added.status_code == 303
    after = asked_again(office, office_tags)
    assert "yb" in {u["login"] for u in after["/users.json"]} and "医保" in after["/users"]
    # The unit's rights end: its earlier answer is not confirmed to it, the login is asked for.
    assert (
        office.post("/users/disable", data={"login": "zrzy", "confirm": "1"}, follow_redirects=False).status_code == 303
    )
    refused = unit.get(ITEM_74 + ".json", headers={"If-None-Match": unit_tag})
    assert refused.status_code == 401


def test_two_servers_on_one_store_see_each_others_writes(sample_home, tmp_path):
    one, two = embedded_client(sample_home), embedded_client(sample_home)
    tags = held(two, "/files.json", "/index.json")
    _upload_maoming(one, tmp_path)
    after = asked_again(two, tags)
    assert "茂名市" in {d["city"] for d in after["/files.json"]}


def test_a_load_from_the_command_line_beside_a_running_server_shows_on_the_next_page(sample_home):
    import httpx

    servers = _module("test_web_browser")
    server = servers.Server(sample_home)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as browser:
            browser.get("/login")  # its CSRF cookie: the pages are tagged from now on
            first = browser.get("/files.json")
            tag = first.headers["etag"]
            assert browser.get("/files.json", headers={"If-None-Match": tag}).status_code == 304
            maoming = Path(__file__).resolve().parents[1] / "docs" / "examples" / "maoming-2024.csv"
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "respgraph",
                    "--store",
                    "embedded",
                    "--home",
                    str(sample_home),
                    "load",
                    str(maoming),
                ],
                check=True,
                capture_output=True,
            )
            after = browser.get("/files.json", headers={"If-None-Match": tag})
            assert after.status_code == 200, "served stale after a load from the command line"
            assert len(after.json()) == len(first.json()) + 1
            assert browser.get("/units/茂名市/市财政局.json").status_code == 200
    finally:
        server.stop()

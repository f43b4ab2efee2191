"""``respgraph serve`` with accounts: every route × every role × no login, CSRF, CSP, sessions,
brute force, a unit's reporting, the office's review, the audit log, and submissions during an upload.

Facts from the sample, checked by hand (seed line numbers):
- 156: item 74 is led by 市自然资源局 (deadline 2023年12月); 159, 160: so are 75 and 76.
- 254: livelihood item 7 names 市医疗保障局 alone; no line names 市自然资源局 beside it (so a
  市自然资源局 account may not open it), nor 市医疗保障局 beside 市自然资源局.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from respgraph.accounts import users  # noqa: E402
from respgraph.accounts.rights import ROLE_ACTIONS  # noqa: E402
from respgraph.graph.open_store import open_store  # noqa: E402
from respgraph.graph.settings import load_settings  # noqa: E402
from respgraph.web.app import create_app  # noqa: E402
from respgraph.web.library import Backend  # noqa: E402
from respgraph.web.rights import action_of  # noqa: E402
from tests.web_client import BrowserClient  # noqa: E402

PW = "correct horse battery"
ACCOUNTS = {  # login: (role, bound)
    "office": ("office", None),
    "zrzy": ("unit", "市自然资源局"),
    "yb": ("unit", "市医疗保障局"),
    "chen": ("leader", "陈峻华"),
    "view": ("viewer", None),
}
ITEM_74 = "/items/湛江市/2023/1-b6a81b/74"
OTHER_ITEM = "/items/湛江市/2023/2-a4a381/7"
REFUSALS = {"无权访问", "请先登录", "只有本机的督查室可以修改图谱（服务以只读或远程方式访问）"}


class Site:
    """A served store: the sample with one account of every role, in a SQLite file or on Neo4j."""

    def __init__(self, home: Path, settings):
        self.home, self.settings = home, settings

    def store(self):
        return open_store(self.settings)


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def site(request, tmp_path_factory, sample_tables):
    """Made once per store (Argon2 hashing is slow); the Neo4j server is emptied before and
    given the bare sample back after, so the other tests find no account on it."""
    home = tmp_path_factory.mktemp("accounts-web") / "home"
    if request.param == "sqlite":
        settings = load_settings(home=home, store="embedded")
    else:
        server = request.getfixturevalue("neo4j_server")
        settings = load_settings(home=home, store="neo4j").model_copy(update={"neo4j": server})
    store = open_store(settings, write=True)
    if request.param == "neo4j":
        from tests.conftest import wipe

        wipe(store)
    for table in sample_tables:
        store.write(table.to_batch(loaded_at="2026-01-01T00:00:00+00:00"))
    for login, (role, bound) in ACCOUNTS.items():
        users.add_user(store, login=login, display=login, role=role, password=PW, bound=bound, actor="test")
    yield Site(home, settings)
    if request.param == "neo4j":
        from tests.conftest import wipe

        wipe(store)
        for table in sample_tables:
            store.write(table.to_batch())
    store.close()


def client(site: Site, *, public_read: bool = False, host: str = "10.0.0.9") -> BrowserClient:
    app = create_app(Backend(site.settings), public_read=public_read)
    return BrowserClient(app, client=(host, 50000), raise_server_exceptions=False)


def logged_in(site: Site, login: str, password: str = PW, **kw) -> BrowserClient:
    c = client(site, **kw)
    answer = c.post("/login", data={"login": login, "password": password, "next": "/"}, follow_redirects=False)
    assert answer.status_code == 303, answer.text[:500]
    return c


@pytest.fixture(scope="module")
def clients(site):
    return {login: logged_in(site, login) for login in ACCOUNTS} | {"nobody": client(site)}


# --- every route × every role -----------------------------------------------------------------------
SAMPLE = {
    "{city}": "湛江市",
    "{document:path}": "湛江市/2023/1-b6a81b",
    "{number}": "74",
    "{fmt:fmt}": "json",
    "{fmt2}": "graphml",
    "{path}": "app.css",
}


def url_of(method: str, path: str) -> str:
    leader = path.startswith("/leaders")
    for pattern, value in {
        **SAMPLE,
        "{name:path}": "陈峻华" if leader else "市自然资源局",
        "{name}": "陈峻华" if leader else "市自然资源局",
    }.items():
        path = path.replace(pattern, value)
    if path.startswith("/diff"):
        path += "?a=湛江市/2023/1&b=湛江市/2023/2"
    if path == "/review/workbook.xlsx":
        path += "?doc=湛江市/2023/1&year=2023&quarter=2"
    return path


def refused(response) -> bool:
    """Refused by the rights table (not by a form's content, a CSRF check or a missing page)."""
    if response.status_code not in (401, 403):
        return False
    try:
        return response.json().get("error") in REFUSALS
    except ValueError:
        return False


def declared(app) -> dict[tuple[str, str], str | None]:
    """(method, path) → the action the route names."""
    return {(m, r.path): action_of(r) for r in app.routes for m in getattr(r, "methods", ()) or () if m != "HEAD"}


ROLE_OF = {login: role for login, (role, _) in ACCOUNTS.items()} | {"nobody": "nobody"}


def test_every_route_for_every_role_and_no_login(site, clients):
    app = clients["office"].app
    routes = declared(app)
    assert None not in routes.values()  # a route that names no action fails here
    wrong = []
    for login, c in clients.items():
        for (method, path), action in sorted(routes.items()):
            if path == "/logout":
                continue  # walked last, below: it ends the session
            url = url_of(method, path)
            if method == "GET":
                answer = c.get(url, headers={"Accept": "application/json"}, follow_redirects=False)
            else:
                answer = c.post(url, data={}, headers={"Accept": "application/json"}, follow_redirects=False)
            should = action in ROLE_ACTIONS[ROLE_OF[login]]
            if refused(answer) == should:
                wrong.append(f"{login} {method} {url}: {answer.status_code} {answer.text[:80]}")
    assert wrong == []
    # What the table says, in words: checked by hand, not read back from it.
    assert clients["unit" if False else "zrzy"].get("/workload.json").status_code == 403
    assert clients["chen"].get("/files.json").status_code == 403
    assert clients["view"].post("/users/add", data={}).status_code == 403
    assert clients["nobody"].get("/board.json").status_code == 401
    assert clients["nobody"].get("/board", follow_redirects=False).headers["location"] == "/login?next=%2Fboard"
    for login in ("zrzy", "view"):
        assert clients[login].post("/logout", follow_redirects=False).status_code == 303
        assert clients[login].get("/board.json").status_code == 401  # logged out
        clients[login].post("/login", data={"login": login, "password": PW})


def test_public_read_lets_anyone_read_and_nothing_more(site):
    c = client(site, public_read=True)
    assert c.get("/board.json").status_code == 200
    assert c.get("/users.json").status_code == 401
    assert c.post("/files/remove", data={"doc": "湛江市/2023/2"}).status_code == 401


# --- what a unit may see -------------------------------------------------------------------------------
def test_a_unit_gets_404_for_another_units_item_and_its_json(clients):
    unit = clients["zrzy"]
    assert unit.get(ITEM_74).status_code == 200
    assert unit.get(ITEM_74 + ".json").json()["number"] == "74"
    for url in (
        OTHER_ITEM,
        OTHER_ITEM + ".json",
        "/units/湛江市/市医疗保障局",
        "/units/湛江市/市医疗保障局.json",
        "/units/湛江市/市医疗保障局/picture",
        "/items/湛江市/2023/9-nothing/1",
    ):
        answer = unit.get(url)
        assert answer.status_code == 404, url
        assert "市医疗保障局" not in answer.text and "医保" not in answer.text
    assert unit.get("/units/湛江市/市自然资源局").status_code == 200
    assert clients["yb"].get(OTHER_ITEM).status_code == 200  # its own
    assert clients["chen"].get(OTHER_ITEM).status_code == 200  # a leader reads its whole city


def test_a_unit_starts_on_its_reporting_page_a_leader_on_its_portfolio(clients):
    assert clients["zrzy"].get("/", follow_redirects=False).headers["location"] == "/report"
    from urllib.parse import unquote

    assert unquote(clients["chen"].get("/", follow_redirects=False).headers["location"]) == "/leaders/湛江市/陈峻华"
    page = clients["zrzy"].get("/report?year=2023&quarter=2").text
    assert [int(n) for n in re.findall(r"第(\d+)项</a>", page)] == [74, 75, 76]
    assert "第二季度：累计完成批而未供土地4000亩。" in page


# --- CSRF, CSP, sessions, brute force -----------------------------------------------------------------
def _report(c, **extra):
    data = {
        "target": "item:湛江市/2023/1-b6a81b/74",
        "year": "2023",
        "quarter": "2",
        "status": "序时推进",
        "done": "累计完成 4100 亩",
        "obstacles": "",
    } | extra
    return c.post("/report", data=data, follow_redirects=False, csrf=extra.pop("csrf_", True))


def test_a_forged_request_is_refused(site):
    unit = logged_in(site, "zrzy")
    assert (
        unit.post(
            "/report", data={"target": "x", "year": "2023", "quarter": "2", "status": "滞后"}, csrf=False
        ).status_code
        == 403
    )  # no token: a form posted from another site
    other = client(site)
    stolen = other.csrf()  # a token of another browser (another CSRF cookie)
    answer = unit.post(
        "/report", data={"target": "x", "year": "2023", "quarter": "2", "status": "滞后", "csrf": stolen}, csrf=False
    )
    assert answer.status_code == 403 and "CSRF" in answer.text
    assert unit.post("/login", data={"login": "zrzy", "password": PW}, csrf=False).status_code == 403  # login CSRF


def test_csp_without_inline_script_but_by_nonce(clients):
    for url in (
        "/board",
        "/leaders/湛江市/陈峻华",
        "/leaders/湛江市/陈峻华/picture",
        "/co/picture",
        "/users",
        "/login",
    ):
        answer = clients["office"].get(url)
        policy = answer.headers["content-security-policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
        assert (
            "script-src 'self' 'nonce-" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        )
        framing = "frame-ancestors 'self'" if url.endswith("/picture") else "frame-ancestors 'none'"
        assert framing in policy, url
        for tag in re.findall(r"<script\b[^>]*>", answer.text):
            assert "src=" in tag or f'nonce="{nonce}"' in tag, (url, tag)
        assert re.search(r"\son[a-z]+\s*=", re.sub(r"<script\b.*?</script>", "", answer.text, flags=re.S)) is None, url
    assert clients["office"].get("/board").headers["x-frame-options"] == "DENY"


def test_session_cookie_flags_and_the_end_of_a_session(site):
    c = client(site)
    answer = c.post("/login", data={"login": "yb", "password": PW}, follow_redirects=False)
    cookie = answer.headers["set-cookie"]
    assert "rg_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "Secure" not in cookie  # plain http here; https sets it
    office = logged_in(site, "office")
    assert c.get("/report").status_code == 200
    assert (
        office.post(
            "/users/passwd", data={"login": "yb", "password": "a new password 1"}, follow_redirects=False
        ).status_code
        == 303
    )
    assert c.get("/report", follow_redirects=False).status_code == 303  # sent to the login page
    assert logged_in(site, "yb", "a new password 1").get("/report").status_code == 200
    office.post("/users/passwd", data={"login": "yb", "password": PW})


def test_brute_force_login_is_limited(site):
    c = client(site, host="10.0.0.77")
    answers = [c.post("/login", data={"login": "view", "password": f"guess {n} guess"}).status_code for n in range(5)]
    assert answers == [401] * 5
    blocked = c.post("/login", data={"login": "view", "password": PW})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 800


# --- reporting, review, the board, the audit log -------------------------------------------------------
def test_a_report_is_escaped_kept_returned_and_changes_the_board(site):
    unit, office = logged_in(site, "zrzy"), logged_in(site, "office")
    hostile = "<script>alert(1)</script>完成"
    assert _report(unit, status="滞后", done=hostile).status_code == 303
    page = unit.get("/report?year=2023&quarter=2").text
    assert hostile not in page and "&lt;script&gt;alert(1)&lt;/script&gt;完成" in page
    board = {(r["attachment"], r["number"]): r for r in office.get("/board.json").json()}
    assert (board[(1, "74")]["status"], board[(1, "74")]["warning"]) == ("behind", "yellow")
    review = office.get("/review?year=2023&quarter=2").text
    assert hostile not in review and "&lt;script&gt;" in review
    who = {r["name"]: r for r in office.get("/review.json?year=2023&quarter=2").json()}
    assert (who["市自然资源局"]["due"], who["市自然资源局"]["reported"]) == (3, 1)
    key = re.search(r'name="key" value="([^"]+)"', review).group(1)
    assert (
        office.post("/review/return", data={"key": key, "comment": "请附台账"}, follow_redirects=False).status_code
        == 303
    )
    board = {(r["attachment"], r["number"]): r for r in office.get("/board.json").json()}
    assert board[(1, "74")]["status"] == "no_report"
    assert "请附台账" in unit.get("/report?year=2023&quarter=2").text
    book = office.get("/review/workbook.xlsx?doc=湛江市/2023/1&year=2023&quarter=2")
    assert book.status_code == 200 and book.content[:2] == b"PK"
    log = office.get("/audit.csv").content.decode("utf-8-sig")
    assert ",zrzy,10.0.0.9,submission.add," in log and ",office,10.0.0.9,submission.return," in log


def test_fifty_submissions_during_a_table_upload_lose_nothing(site, tmp_path):
    from respgraph.accounts import submissions
    from respgraph.loaders.load import sample_path as sample

    office = logged_in(site, "office")
    units = [logged_in(site, "zrzy") for _ in range(5)]
    before = len(submissions.submissions(site.store()))
    statuses, errors = [], []

    def send(c, n):
        try:
            statuses.append(_report(c, done=f"第{n}次").status_code)
        except Exception as exc:  # noqa: BLE001 - every failure is reported below
            errors.append(repr(exc))

    def upload():
        data = Path(sample()).read_bytes()
        checked = office.post("/files/load", files={"file": ("zhanjiang-2023.txt", data)}, follow_redirects=False)
        statuses.append(("upload", checked.status_code))

    threads = [threading.Thread(target=upload)] + [
        threading.Thread(target=send, args=(units[n % 5], n)) for n in range(50)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(map(str, statuses)) == sorted(["303"] * 50 + [str(("upload", 303))])
    kept = submissions.submissions(site.store())
    assert len(kept) == before + 50
    assert {s.done for s in kept} >= {f"第{n}次" for n in range(50)}


def test_serve_without_accounts_says_how_to_add_the_first(home, monkeypatch):
    import uvicorn
    from click.testing import CliRunner

    from respgraph.cli import cli

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    result = CliRunner().invoke(cli, ["--home", str(home), "--store", "embedded", "serve"])
    assert result.exit_code == 0, result.output
    assert "respgraph users add office --role office" in result.output


def test_server_killed_during_submissions_keeps_every_acknowledged_one(tmp_path, sample_tables):
    """A real `respgraph serve` killed with SIGKILL while a unit reports; restarted, every report
    it acknowledged (a 303) is there, and each is whole: its status record and audit entry too."""
    import importlib.util
    import signal
    import time

    import httpx

    from respgraph.accounts import submissions
    from respgraph.accounts.audit import audit_log

    spec = importlib.util.spec_from_file_location("web_browser", Path(__file__).with_name("test_web_browser.py"))
    web_browser = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(web_browser)
    home = tmp_path / "home"
    settings = load_settings(home=home, store="embedded")
    store = open_store(settings, write=True)
    for table in sample_tables:
        store.write(table.to_batch())
    users.add_user(store, login="zrzy", display="zrzy", role="unit", password=PW, bound="市自然资源局", actor="test")
    store.close()
    server = web_browser.Server(home, env={"RESPGRAPH_CONFIG": str(tmp_path / "config.toml")})
    acked = []
    with httpx.Client(base_url=server.url, timeout=30) as http:
        token = re.search(r'name="csrf" value="([0-9a-f]+)"', http.get("/login").text).group(1)
        assert http.post("/login", data={"login": "zrzy", "password": PW, "csrf": token}).status_code == 303

        def report(n: int) -> None:
            try:
                answer = http.post(
                    "/report",
                    data={
                        "target": "item:湛江市/2023/1-b6a81b/74",
                        "year": "2023",
                        "quarter": "2",
                        "status": "序时推进",
                        "done": f"第{n}次",
                        "csrf": token,
                    },
                )
            except httpx.HTTPError:
                return  # cut off by the kill: not acknowledged
            if answer.status_code == 303:
                acked.append(f"第{n}次")

        threads = [threading.Thread(target=report, args=(n,)) for n in range(40)]
        for t in threads:
            t.start()
        while len(acked) < 10 and any(t.is_alive() for t in threads):
            time.sleep(0.01)
        server.process.send_signal(signal.SIGKILL)  # with reports in flight
        for t in threads:
            t.join()
    server.process.wait()
    restarted = web_browser.Server(home, env={"RESPGRAPH_CONFIG": str(tmp_path / "config.toml")})
    try:
        store = open_store(settings)
        kept = submissions.submissions(store)
        assert len(acked) >= 10 and set(acked) <= {s.done for s in kept}
        assert {e.subject for e in audit_log(store, None) if e.action == "submission.add"} == {s.key for s in kept}
        (record,) = [r for r in store.status_records() if r["target"] == "item:湛江市/2023/1-b6a81b/74"]
        assert record["progress"] == kept[-1].done
    finally:
        restarted.stop()


def test_the_office_lets_implementing_units_report(site):
    from respgraph.accounts import submissions

    office = logged_in(site, "office")
    doc = "doc:湛江市/2023/1-b6a81b"
    assert (
        office.post(
            "/review/implementers", data={"doc": "湛江市/2023/1", "allow": "1"}, follow_redirects=False
        ).status_code
        == 303
    )
    assert submissions.implementers_may_report(site.store(), doc)
    assert "改为不可以" in office.get("/review?year=2023&quarter=2").text
    office.post("/review/implementers", data={"doc": "湛江市/2023/1", "allow": "0"})
    assert not submissions.implementers_may_report(site.store(), doc)

"""The shield in front of ``respgraph serve``: rights, CSRF and size decided before a body is read; hosts.

Each request here is driven straight through the ASGI application with a ``receive`` that
counts the body messages the server asks for, so "refused before reading" is a count of 0,
not a guess from a status code.  On SQLite and on Neo4j (the accounts and the documents are
in the store).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import re

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from respgraph.graph.open_store import open_store  # noqa: E402
from respgraph.graph.settings import load_settings  # noqa: E402
from respgraph.loaders.load import sample_path  # noqa: E402
from respgraph.web.app import create_app  # noqa: E402
from respgraph.web.library import Backend  # noqa: E402
from respgraph.web.shield import default_hosts  # noqa: E402
from tests.test_web_accounts import PW, client, logged_in, site  # noqa: E402,F401 - the accounts' site fixture
from tests.web_client import BrowserClient  # noqa: E402

MB = 1024 * 1024


class Sent:
    """What one request got back, and how many body messages the server asked for."""

    def __init__(self, status: int, body: bytes, headers: dict, pulled: int):
        self.status, self.body, self.headers, self.pulled = status, body, headers, pulled

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def asgi(app, method: str, path: str, chunks, headers: dict, *, client_address: str = "10.0.0.9") -> Sent:
    """One request through the ASGI application; ``chunks`` are produced only when the server asks."""
    chunks = iter(chunks)
    pulled = 0
    finished = False
    out: dict = {"body": b""}

    async def receive():
        nonlocal pulled, finished
        if finished:
            await asyncio.sleep(3600)  # the client stays, as a real one would, until the answer
        chunk = next(chunks, None)
        if chunk is None:
            finished = True
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += 1
        return {"type": "http.request", "body": chunk, "more_body": True}

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["headers"] = {k.decode(): v.decode() for k, v in message["headers"]}
        else:
            out["body"] += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": (client_address, 50000),
        "server": ("127.0.0.1", 8000),
    }
    # A loop of its own, in a thread of its own: the session's browser (Playwright's sync API)
    # may be running one in this thread already.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, asyncio.wait_for(app(scope, receive, send), 60)).result()
    return Sent(out["status"], out["body"], out["headers"], pulled)


def cookies(c: BrowserClient) -> str:
    c.csrf()  # a browser that opened a page of the server holds its CSRF cookie
    return "; ".join(f"{k}={v}" for k, v in c.cookies.items())


def megabytes(count: int, chunk: int = MB):
    """``count`` MB of a file's bytes, made as they are asked for."""
    block = b"x" * chunk
    for _ in range(count * MB // chunk):
        yield block


def many_fields(count: int, size: int, chunk: int = 64 * 1024):
    """A url-encoded body of ``count`` fields of ``size`` bytes each, made as it is asked for."""
    block = b"x" * chunk
    for n in range(count):
        yield f"{'&' if n else ''}f{n}=".encode()
        for _ in range(size // chunk):
            yield block


MULTIPART = {"content-type": "multipart/form-data; boundary=XyZ", "transfer-encoding": "chunked"}
FORM = {"content-type": "application/x-www-form-urlencoded", "transfer-encoding": "chunked"}


# --- rights before reading ------------------------------------------------------------------------
def test_a_stranger_s_half_gigabyte_post_is_refused_before_one_byte_is_read(site):
    # Office routes with form fields: the framework parsed their forms before the rights check.
    app = client(site).app
    for path in ("/users/add", "/files/remove", "/review/return"):
        sent = asgi(app, "POST", path, megabytes(500), MULTIPART)
        assert (sent.status, sent.pulled) == (401, 0), path
        assert "请先登录" in sent.text
    declared = asgi(app, "POST", "/users/add", megabytes(500), {**MULTIPART, "content-length": str(500 * MB)})
    assert (declared.status, declared.pulled) == (401, 0)


def test_a_unit_posting_to_an_office_route_is_refused_before_its_body(site):
    unit = logged_in(site, "zrzy")
    sent = asgi(
        unit.app,
        "POST",
        "/users/add",
        megabytes(100),
        {**MULTIPART, "cookie": cookies(unit), "x-csrf-token": unit.csrf()},
    )
    assert (sent.status, sent.pulled) == (403, 0)
    assert "无权访问" in sent.text


def test_no_csrf_cookie_or_a_foreign_origin_is_refused_before_the_body(site):
    office = logged_in(site, "office")
    session = "; ".join(f"{k}={v}" for k, v in office.cookies.items() if k != "rg_csrf")
    no_cookie = asgi(office.app, "POST", "/users/add", many_fields(10, 1024), {**FORM, "cookie": session})
    assert (no_cookie.status, no_cookie.pulled) == (403, 0) and "CSRF" in no_cookie.text
    foreign = asgi(
        office.app,
        "POST",
        "/users/add",
        many_fields(10, 1024),
        {**FORM, "cookie": cookies(office), "origin": "http://evil.example"},
    )
    assert (foreign.status, foreign.pulled) == (403, 0) and "evil.example" in foreign.text
    cross = asgi(
        office.app,
        "POST",
        "/users/add",
        many_fields(10, 1024),
        {**FORM, "cookie": cookies(office), "sec-fetch-site": "cross-site"},
    )
    assert (cross.status, cross.pulled) == (403, 0)


# --- bounded while it streams -------------------------------------------------------------------------
def test_a_chunked_login_flood_is_stopped_at_the_form_limit(site):
    c = client(site)
    # 40 fields of 1 MB, chunked (no Content-Length): the form limit is 256 KB, 64 KB a chunk.
    sent = asgi(c.app, "POST", "/login", many_fields(40, MB), {**FORM, "cookie": cookies(c)})
    assert sent.status == 413 and "RESPGRAPH_MAX_FORM_KB" in sent.text
    assert sent.pulled <= 256 // 64 + 2  # the field's name, then the chunks up to the limit
    declared = asgi(
        c.app, "POST", "/login", many_fields(40, MB), {**FORM, "cookie": cookies(c), "content-length": str(40 * MB)}
    )
    assert (declared.status, declared.pulled) == (413, 0)


def test_too_many_fields_or_parts_are_refused(site, monkeypatch):
    c = client(site)
    fields = asgi(c.app, "POST", "/login", [b"&".join(b"a=1" for _ in range(200))], {**FORM, "cookie": cookies(c)})
    assert fields.status == 413 and "RESPGRAPH_MAX_FORM_FIELDS" in fields.text
    parts = (
        b"".join(b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n' for _ in range(60)) + b"--XyZ--\r\n"
    )
    # Split at every 7 bytes: a boundary cut between two chunks is still counted once.
    pieces = [parts[i : i + 7] for i in range(0, len(parts), 7)]
    refused = asgi(c.app, "POST", "/login", pieces, {**MULTIPART, "cookie": cookies(c)})
    assert refused.status == 413 and "RESPGRAPH_MAX_FORM_FIELDS" in refused.text
    monkeypatch.setenv("RESPGRAPH_MAX_FORM_FIELDS", "100")
    allowed = asgi(c.app, "POST", "/login", pieces, {**MULTIPART, "cookie": cookies(c)})
    assert allowed.status == 403 and "CSRF" in allowed.text  # read whole; its token (none) is checked next


def test_a_form_s_own_token_and_an_upload_still_pass_through(site):
    c = client(site)
    token = re.search(r'name="csrf" value="([0-9a-f]+)"', c.get("/login").text).group(1)
    answer = c.post(
        "/login",
        data={"login": "office", "password": PW, "next": "/", "csrf": token},
        csrf=False,
        follow_redirects=False,
    )
    assert answer.status_code == 303  # the token in the body, checked once the body is read
    wrong = client(site).post("/login", data={"login": "office", "password": PW, "csrf": token}, csrf=False)
    assert wrong.status_code == 403  # another browser's token
    checked = c.post("/files/check.json", files={"file": ("sample.txt", sample_path().read_bytes())})
    assert checked.status_code == 200, checked.text[:300]
    # The sample spells 市住房和城乡建设局 two ways; line 23 has the short one (DOMAIN.md).
    assert {
        "line": 23,
        "kind": "alias",
        "message": "'市住房城乡建设局' read as '市住房和城乡建设局' (alias)",
    }.items() <= next(n for n in checked.json() if n["line"] == 23 and "住房" in n["message"]).items()


# --- hosts --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def no_accounts(tmp_path_factory, sample_tables):
    """A store with the sample and no account: this machine's browser acts as the office.

    The SQLite file alone: a foreign Host is refused before any store is opened, and the test
    Neo4j server is shared with fixtures of this module that hold accounts (with an account, the
    server's own browser is no longer the office, and the removal would be refused for that)."""
    home = tmp_path_factory.mktemp("shield-hosts") / "home"
    settings = load_settings(home=home, store="embedded")
    store = open_store(settings, write=True)
    for table in sample_tables:
        store.write(table.to_batch(loaded_at="2026-01-01T00:00:00+00:00"))
    store.close()
    return settings


def served_on_loopback(settings) -> BrowserClient:
    app = create_app(Backend(settings), allowed_hosts=default_hosts("127.0.0.1"))
    return BrowserClient(
        app, base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000), raise_server_exceptions=False
    )


def test_a_foreign_host_is_refused_and_cannot_remove_a_table(no_accounts):
    c = served_on_loopback(no_accounts)
    documents = [d["key"] for d in c.get("/files.json").json()]
    assert len(documents) == 2  # the sample's two attachments
    assert c.get("/", headers={"host": "localhost:8000"}).status_code == 200
    page = c.get("/", headers={"host": "rebind.evil.example:8000"})
    assert page.status_code == 400 and "--allowed-host" in page.text and "rebind.evil.example" in page.text
    evil = {"host": "rebind.evil.example:8000", "origin": "http://rebind.evil.example:8000"}
    removed = c.post("/files/remove", data={"doc": documents[0]}, headers=evil, follow_redirects=False)
    assert removed.status_code == 400
    # The Host right, the Origin another site's: a write is refused too.
    origin = c.post(
        "/files/remove",
        data={"doc": documents[0]},
        headers={"origin": "http://evil.example:8000"},
        follow_redirects=False,
    )
    assert origin.status_code == 403 and "evil.example" in origin.text
    assert [d["key"] for d in c.get("/files.json").json()] == documents


def test_the_allowed_host_option(run):
    from respgraph.web.command import _hosts

    assert _hosts("127.0.0.1", ["Intranet.Example.:8000"]) == {"127.0.0.1", "::1", "localhost", "intranet.example"}
    assert "192.0.2.7" in _hosts("192.0.2.7", [])
    refused = run("serve", "--allowed-host", "http://x.example/")
    assert refused.returncode == 2 and "--allowed-host" in refused.stderr
    assert "--allowed-host" in run("serve", "--help").stdout

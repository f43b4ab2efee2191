"""Revalidation (web/etag.py): a browser asking again for an answer nothing has changed gets a
``304`` decided before the answer is computed; anything the answer depends on gives a new tag;
what must not be tagged is not.

Facts of the sample (checked by hand in the source table): 赤坎区政府 implements item 58 and
assists on item 49 of 附件 1; 市自然资源局 leads item 74.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from respgraph.accounts import users  # noqa: E402
from respgraph.web import library  # noqa: E402
from respgraph.web.app import create_app  # noqa: E402
from respgraph.web.library import Backend  # noqa: E402
from tests.web_client import BrowserClient  # noqa: E402

_spec = importlib.util.spec_from_file_location("test_web", Path(__file__).with_name("test_web.py"))
assert _spec is not None and _spec.loader is not None
web_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(web_tests)
sample_home = web_tests.sample_home

UNIT = "/units/湛江市/赤坎区政府"
PW = "correct horse battery"


def browser(home, *, host: str = "127.0.0.1") -> BrowserClient:
    """A browser that already holds its CSRF cookie (a page that gives one sets a cookie and is not tagged)."""
    from respgraph.graph.settings import load_settings

    client = BrowserClient(
        create_app(Backend(load_settings(home=home, store="embedded"))),
        client=(host, 50000),
        raise_server_exceptions=False,
    )
    client.csrf()
    return client


def test_the_same_answer_asked_again_is_a_304_without_a_body_or_the_pages_policy(sample_home):
    client = browser(sample_home)
    for url in (UNIT, UNIT + ".json", UNIT + ".csv"):
        first = client.get(url)
        assert first.status_code == 200 and first.headers["etag"].startswith('W/"rg-'), url
        assert first.headers["cache-control"] == "private, no-cache"
        assert {"Cookie", "Accept", "Accept-Language"} <= {v.strip() for v in first.headers["vary"].split(",")}
        again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b"", url
        assert again.headers["etag"] == first.headers["etag"]
        # The page the browser kept runs its scripts by the nonce of its own policy: a 304 brings none.
        assert "content-security-policy" not in again.headers
        head = client.head(url, headers={"If-None-Match": first.headers["etag"]})
        assert head.status_code == 304
    page, twin = client.get(UNIT), client.get(UNIT + ".json")
    assert "赤坎区政府" in page.text and {i["number"] for i in twin.json()} >= {"49", "58"}
    assert page.headers["etag"] != twin.headers["etag"]
    # A tag among others, and one of another answer: only a tag of this answer revalidates it.
    both = f'"x", {twin.headers["etag"]}'
    assert client.get(UNIT + ".json", headers={"If-None-Match": both}).status_code == 304
    assert client.get(UNIT + ".json", headers={"If-None-Match": page.headers["etag"]}).status_code == 200


def test_a_304_computes_no_answer(sample_home, monkeypatch):
    client = browser(sample_home)
    tag = client.get(UNIT + ".json").headers["etag"]
    asked = []
    real = library.unit
    monkeypatch.setattr(library, "unit", lambda *a, **k: (asked.append(a), real(*a, **k))[1])
    assert client.get(UNIT + ".json", headers={"If-None-Match": tag}).status_code == 304
    assert asked == []
    assert client.get(UNIT + ".json").status_code == 200 and len(asked) == 1


def test_the_tag_follows_what_the_answer_depends_on(sample_home):
    client = browser(sample_home)
    tag = client.get(UNIT + ".json").headers["etag"]

    def revalidated(url=UNIT + ".json", **headers) -> int:
        return client.get(url, headers={"If-None-Match": tag, **headers}).status_code

    assert revalidated() == 304
    assert revalidated(UNIT + ".json?year=2023") == 200  # another URL
    assert revalidated(**{"Accept-Language": "en"}) == 200
    assert revalidated(**{"Accept": "text/csv"}) == 200
    # Another browser (another CSRF cookie, which the page's forms carry) does not share it.
    assert browser(sample_home).get(UNIT + ".json", headers={"If-None-Match": tag}).status_code == 200
    # Off the server's machine, without accounts, the reader is not the office (the same cookie
    # notwithstanding): another answer.
    remote = browser(sample_home, host="10.0.0.9")
    remote.cookies = client.cookies
    assert remote.get(UNIT + ".json", headers={"If-None-Match": tag}).status_code == 200
    # The user's files beside the store change answers without a write to the store: an alias.
    (sample_home / "aliases.toml").write_text('[aliases]\n"赤坎区人民政府" = "赤坎区政府"\n', encoding="utf-8")
    assert revalidated() == 200


def test_what_is_never_tagged(sample_home):
    fresh = BrowserClient(
        create_app(Backend(web_tests.load_settings(home=sample_home, store="embedded"))),
        client=("127.0.0.1", 50000),
        raise_server_exceptions=False,
    )
    first = fresh.get(UNIT)  # sets this browser's CSRF cookie: a response that sets a cookie is not kept
    assert "set-cookie" in first.headers and "etag" not in first.headers
    client = browser(sample_home)
    missing = client.get("/units/湛江市/没有这个单位.json")
    assert missing.status_code == 404 and "etag" not in missing.headers
    book = client.get("/board/workbook.xlsx")
    assert book.status_code == 200 and "attachment" in book.headers["content-disposition"]
    assert "etag" not in book.headers
    static = client.get("/static/app.css")  # its own tag, for a day, as before
    assert not static.headers["etag"].startswith('W/"rg-') and "max-age" in static.headers["cache-control"]


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
    client = browser(home, host="10.0.0.9")
    assert (
        client.post("/login", data={"login": login, "password": PW, "next": "/"}, follow_redirects=False).status_code
        == 303
    )
    return client


def test_a_tag_is_one_users_and_ends_with_the_session(accounts_home):
    office, unit = logged_in(accounts_home, "office"), logged_in(accounts_home, "zrzy")
    url = "/units/湛江市/市自然资源局.json"
    mine = office.get(url)
    assert mine.status_code == 200 and mine.headers["cache-control"] == "private, no-cache"
    assert office.get(url, headers={"If-None-Match": mine.headers["etag"]}).status_code == 304
    # The unit reads the same address but sees its own items: the office's tag is not its.
    theirs = unit.get(url, headers={"If-None-Match": mine.headers["etag"]})
    assert theirs.status_code == 200 and theirs.headers["etag"] != mine.headers["etag"]
    # Logged out, the tag of the session's answer no longer holds: the login is asked for.
    assert office.post("/logout", follow_redirects=False).status_code == 303
    after = office.get(url, headers={"If-None-Match": mine.headers["etag"]})
    assert after.status_code == 401

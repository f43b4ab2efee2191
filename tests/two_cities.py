"""A served store holding the sample twice: as 湛江市 (its own) and as 茂名市 (the same text read
with ``city="茂名市"``), so every unit and leader has a namesake in another city; one account of
each role, bound in 湛江市.  Used by the tests of what a user may see and of sessions."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest

from respgraph.accounts import users
from respgraph.graph.open_store import open_store
from respgraph.graph.settings import load_settings
from respgraph.loaders.load import read_tables, sample_path
from respgraph.web.app import create_app
from respgraph.web.library import Backend
from tests.web_client import BrowserClient

PW = "correct horse battery"
JSON = {"Accept": "application/json"}
OTHER = "茂名市"
ACCOUNTS = {
    "office": ("office", None),
    "chen": ("leader", "陈峻华"),
    "zrzy": ("unit", "市自然资源局"),
    "yb": ("unit", "市医疗保障局"),
    "view": ("viewer", None),
}


def leaked(text: str) -> bool:
    """Whether an answer names something of 茂名市 (not merely echoes what was asked): one of its
    documents, a qualified name, a city field or a link."""
    text = unquote(text)
    return any(
        f in text
        for f in (
            f"doc:{OTHER}",
            f"{OTHER}:",
            f"unit:{OTHER}",
            f'"city": "{OTHER}"',
            f'"city":"{OTHER}"',
            f"/units/{OTHER}",
            f"/items/{OTHER}",
            f"/leaders/{OTHER}",
        )
    )


class Site:
    def __init__(self, home: Path, settings):
        self.home, self.settings = home, settings

    def client(self, *, host: str = "10.0.0.9", **options) -> BrowserClient:
        return BrowserClient(
            create_app(Backend(self.settings), **options), client=(host, 50000), raise_server_exceptions=False
        )

    def store(self):
        return open_store(self.settings)

    def logged_in(self, login: str, **options) -> BrowserClient:
        c = self.client(**options)
        answer = c.post("/login", data={"login": login, "password": PW, "next": "/"}, follow_redirects=False)
        assert answer.status_code == 303, answer.text[:300]
        return c


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def two_cities(request, tmp_path_factory, sample_tables):
    home = tmp_path_factory.mktemp("scope-web") / "home"
    if request.param == "sqlite":
        settings = load_settings(home=home, store="embedded")
    else:
        server = request.getfixturevalue("neo4j_server")
        settings = load_settings(home=home, store="neo4j").model_copy(update={"neo4j": server})
    store = open_store(settings, write=True)
    from tests.conftest import wipe

    if request.param == "neo4j":
        wipe(store)
    for table in [*sample_tables, *read_tables(sample_path(), city=OTHER)]:
        store.write(table.to_batch(loaded_at="2026-01-01T00:00:00+00:00"))
    for login, (role, bound) in ACCOUNTS.items():
        users.add_user(
            store,
            login=login,
            display=login,
            role=role,
            password=PW,
            bound=bound,
            city="湛江市" if bound else None,
            actor="test",
        )
    yield Site(home, settings)
    if request.param == "neo4j":
        wipe(store)
        for table in sample_tables:
            store.write(table.to_batch())
    store.close()

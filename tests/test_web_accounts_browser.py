"""Accounts in a real browser (Chromium through Playwright, a real ``respgraph serve``): a unit logs
in and reports on its item, sees it; another unit's item is not there for it; the office returns
the report and the board changes colour.  No page breaks its Content Security Policy.

Sample facts (seed line 156): item 74 is led by 市自然资源局; livelihood item 7 (line 254) names
市医疗保障局 alone.  A report 滞后 makes an item behind: yellow on the three-colour board.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from respgraph.accounts import users
from respgraph.graph.open_store import open_store
from respgraph.graph.settings import load_settings
from respgraph.loaders.load import read_tables, sample_path

pytestmark = pytest.mark.browser

_spec = importlib.util.spec_from_file_location("web_browser", Path(__file__).with_name("test_web_browser.py"))
web_browser = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(web_browser)

PW = "correct horse battery"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    home = tmp_path_factory.mktemp("serve-accounts") / "home"
    os.environ.setdefault("RESPGRAPH_CONFIG", str(home.parent / "config.toml"))
    store = open_store(load_settings(home=home, store="embedded"), write=True)
    for table in read_tables(sample_path()):
        store.write(table.to_batch(loaded_at="2026-01-01T00:00:00+00:00"))
    for login, role, bound in (("office", "office", None), ("zrzy", "unit", "市自然资源局")):
        users.add_user(store, login=login, display=bound or "督查室", role=role, password=PW, bound=bound, actor="test")
    store.close()
    server = web_browser.Server(home, env={"RESPGRAPH_CONFIG": str(home.parent / "config.toml")})
    yield server
    server.stop()


class Browsing(web_browser.Opened):
    """A page of its own browser context (its own cookies), recording CSP violations too."""

    def __init__(self, browser, server):
        super().__init__(browser, server)
        self.page.on(
            "console",
            lambda m: self.errors.append(m.text) if m.type == "error" and "Content Security Policy" in m.text else None,
        )

    def login(self, login: str):
        page = self.go("/login")
        page.fill("#login", login)
        page.fill("#password", PW)
        page.click("#do-login")
        page.wait_for_load_state()
        return page


@pytest.fixture
def open_as(browser, served):
    opened = []

    def make(login: str):
        o = Browsing(browser, served)
        opened.append(o)
        o.login(login)
        return o

    yield make
    for o in opened:
        assert o.elsewhere == [], "a page asked another host"
        assert o.errors == []
        o.page.close()


def _row_class(page, number: str) -> str:
    row = page.locator("tr", has=page.locator("td:first-child", has_text=number)).first
    return row.get_attribute("class") or ""


def test_a_unit_reports_the_office_returns_and_the_board_follows(open_as):
    unit = open_as("zrzy")
    page = unit.page
    assert page.url.endswith("/report")  # a unit starts on its reporting page
    page = unit.go("/report?year=2023&quarter=2")
    form = page.locator("section.due", has=page.locator("h2", has_text="第74项")).locator("form.report")
    form.locator("select[name=status]").select_option("滞后")
    form.locator("textarea[name=done]").fill("累计完成批而未供土地3000亩")
    form.locator("textarea[name=obstacles]").fill("征地补偿未到位")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "已报送：滞后" in page.locator("p.notice").inner_text()
    mine = page.locator("section.due", has=page.locator("h2", has_text="第74项")).locator("p.current")
    assert "滞后" in mine.inner_text() and "累计完成批而未供土地3000亩" in mine.inner_text()
    # Another unit's item is not there for it, page or twin.
    for path in ("/items/湛江市/2023/2-a4a381/7", "/items/湛江市/2023/2-a4a381/7.json"):
        answer = page.goto(unit.server.url + path)
        assert answer.status == 404
    office = open_as("office")
    board = office.go("/board?city=湛江市")
    assert "w-yellow" in _row_class(board, "1-74")
    review = office.go("/review?year=2023&quarter=2")
    row = review.locator("#latest tr", has=review.locator("td", has_text="累计完成批而未供土地3000亩"))
    row.locator("input[name=comment]").fill("请附台账")
    row.locator("button[type=submit]").click()
    review.wait_for_load_state()
    assert "已退回" in review.locator("p.notice").inner_text()
    board = office.go("/board?city=湛江市")
    assert "w-yellow" not in _row_class(board, "1-74")
    page = unit.go("/report?year=2023&quarter=2")
    assert "请附台账" in page.locator("section.due", has=page.locator("h2", has_text="第74项")).inner_text()

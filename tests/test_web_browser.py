"""``respgraph serve`` in a real browser: Debian's Chromium through Playwright, against a real
server (``respgraph serve`` in a process of its own) on loopback, every other host cut off.

Facts are the sample's, checked by hand (see tests/test_web.py); the board's colours are
those tests/test_progress.py works out by hand for the two sample progress reports.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from respgraph.graph.open_store import open_store
from respgraph.graph.settings import load_settings
from respgraph.loaders.load import read_tables, sample_path
from respgraph.loaders.synthetic import synthetic_table

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>局"

_spec = importlib.util.spec_from_file_location("progress_reports", Path(__file__).with_name("progress_reports.py"))
reports = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(reports)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``respgraph serve`` on a free loopback port, in a process of its own."""

    def __init__(self, home: Path, *extra: str, store_args: tuple[str, ...] = ("--store", "embedded"), env=None):
        self.port = _port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = home.parent / f"serve-{self.port}.log"
        command = [
            sys.executable,
            "-m",
            "respgraph",
            *store_args,
            "--home",
            str(home),
            "serve",
            "--port",
            str(self.port),
            *extra,
        ]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=self.log.open("w"), env={**os.environ, **(env or {})}
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urlopen(self.url + "/static/app.css", timeout=2).read()
                return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(self.log.read_text()) from None
                time.sleep(0.2)
        raise RuntimeError(f"respgraph serve did not answer: {self.log.read_text()}")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=20)


class Opened:
    """A browser page that may reach only our server; every other request is recorded and refused."""

    def __init__(self, browser, server: Server):
        self.server = server
        self.elsewhere, self.errors = [], []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.errors.append("dialog: " + d.message), d.dismiss()))
        self.page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith((self.server.url + "/", "data:", "about:")):
            route.continue_()
        else:
            self.elsewhere.append(url)
            route.abort()

    def go(self, path: str):
        self.page.goto(self.server.url + path)
        return self.page


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A server over the sample and a unit with a hostile name (甲市), writable from this machine."""
    home = tmp_path_factory.mktemp("serve") / "home"
    os.environ.setdefault("RESPGRAPH_CONFIG", str(home.parent / "config.toml"))
    store = open_store(load_settings(home=home, store="embedded"), write=True)
    for table in read_tables(sample_path()):
        store.write(table.to_batch(loaded_at="2026-01-01T00:00:00+00:00"))
    store.write(synthetic_table(12, seed=5, city="甲市", departments=[HOSTILE, "市财政局"]).to_batch())
    store.close()
    server = Server(home, env={"RESPGRAPH_CONFIG": str(home.parent / "config.toml")})
    yield server
    server.stop()


@pytest.fixture
def opened(browser, served):
    o = Opened(browser, served)
    yield o
    assert o.elsewhere == [], "a page asked another host"
    assert o.errors == []
    o.page.close()


def test_search_then_unit_page_with_its_picture(opened):
    page = opened.go("/")
    box = page.locator("#q")
    box.fill("赤坎区")
    page.dispatch_event("#q", "compositionend")
    page.wait_for_selector("#suggestions li")
    assert "赤坎区政府" in page.locator("#suggestions").inner_text()
    box.press("Enter")  # no suggestion chosen: the search page, or the one hit itself
    page.wait_for_load_state()
    if "/units/" not in page.url:
        page.get_by_role("link", name="单位 湛江市:赤坎区政府").click()
    page.wait_for_url("**/units/**")
    assert page.locator("h1").inner_text().startswith("赤坎区政府")
    # By hand from the sample: 赤坎区政府 assists on 1-49 and implements 1-58.
    assert "1-49" in page.locator("section.role-assist").inner_text()
    assert "1-58" in page.locator("section.role-implement").inner_text()
    frame = page.frame_locator("iframe.picture")
    frame.locator("#rg-network canvas").wait_for(timeout=30_000)
    drawn = page.frames[-1].evaluate("window.respgraph && window.respgraph.network.body.data.nodes.length")
    assert drawn > 2


def test_keyboard_only_search(opened):
    page = opened.go("/")
    page.keyboard.press("Tab")  # the header's links and box come first; walk until the big box has focus
    for _ in range(20):
        if page.evaluate("document.activeElement && document.activeElement.id") == "q":
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("何嘉旻")
    page.wait_for_selector("#suggestions li")
    page.keyboard.press("ArrowDown")
    assert page.locator("#suggestions li[aria-selected=true]").count() == 1
    page.keyboard.press("Enter")
    page.wait_for_url("**/leaders/**")
    assert page.locator("h1").inner_text().startswith("何嘉旻")


def test_a_composition_in_progress_asks_nothing(opened):
    page = opened.go("/")
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/suggest" in r.url else None)
    page.dispatch_event("#q", "compositionstart")
    page.locator("#q").fill("shi")  # pinyin being typed: not a query
    page.wait_for_timeout(400)
    assert asked == []
    page.locator("#q").fill("市财政局")
    page.dispatch_event("#q", "compositionend")
    page.wait_for_selector("#suggestions li")
    assert asked


def test_leader_page_and_its_picture(opened):
    page = opened.go("/leaders/湛江市/黄益斌")
    assert "市公安局" in page.locator("table.items").inner_text()
    assert "1-53" in page.locator("table.items").inner_text()
    page.frame_locator("iframe.picture").locator("#rg-network canvas").wait_for(timeout=30_000)


def test_hostile_names_stay_text(opened):
    page = opened.go("/workload?city=甲市")
    assert HOSTILE in page.locator("table.numbers").inner_text()
    assert page.locator("table.numbers img").count() == 0
    page = opened.go("/")
    page.locator("#q").fill("onerror")
    page.dispatch_event("#q", "compositionend")
    page.wait_for_selector("#suggestions li")
    assert page.locator("#suggestions img").count() == 0
    assert HOSTILE in page.locator("#suggestions").inner_text()


def test_upload_check_then_confirm_and_the_new_city_answers(opened, tmp_path):
    import openpyxl

    path = tmp_path / "茂名2024.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2024年茂名市《政府工作报告》重点督办事项分解表"])
    sheet.append(["序号", "事项", "季度工作目标", "完成时限", "市政府分管领导", "牵头单位", "实施单位", "协办单位"])
    sheet.append(
        [1, "推进博贺新港区建设", "第一季度：完成投资 5 亿元。", "2024年12月", "王五", "市交通运输局", "电白区政府", ""]
    )
    sheet.append([2, "建设城市污水管网 100 公里", "第二季度：完成 50 公里。", "2024年12月", "王五", "市水务局", "", ""])
    book.save(path)
    page = opened.go("/files")
    page.set_input_files("#file", str(path))
    page.locator("#upload button[type=submit]").click()
    page.wait_for_selector("#notes")
    # Nothing loaded before the confirmation: 茂名市 is not a city of the graph yet.
    assert page.request.get(opened.server.url + "/leaders/茂名市/王五.json").status == 404
    assert "第2项没有实施单位" in page.locator("#notes").inner_text()  # the note, said in Chinese from its fields
    assert "茂名市" in page.locator("#check-city").inner_text()
    page.locator("#confirm-load").click()
    page.wait_for_url("**/files?**")
    # The banner names the file and its title, never the document's key.
    assert (
        "已载入：茂名2024.xlsx 附件1（2024年茂名市《政府工作报告》重点督办事项分解表）：2 项"
        in page.locator(".done").inner_text()
    )
    page = opened.go("/leaders/茂名市/王五")
    assert "电白区政府" in page.locator("table.items").inner_text()


def test_a_broken_upload_shows_the_error_and_writes_nothing(opened, tmp_path):
    path = tmp_path / "坏表.docx"
    path.write_bytes(b"PK\x03\x04 this is no document")
    before = opened.go("/files.json").content()
    page = opened.go("/files")
    page.fill("input[name=city]", "茂名市")
    page.set_input_files("#file", str(path))
    page.locator("#upload button[type=submit]").click()
    page.wait_for_selector("#upload-error")
    assert "坏表.docx" in page.locator("#upload-error").inner_text()
    assert page.locator("input[name=city]").first.input_value() == "茂名市"  # the form still filled
    assert "Traceback" not in page.content()
    assert opened.go("/files.json").content() == before


def test_the_board_shows_the_sample_reports_colours(opened, tmp_path):
    a = reports.write_xlsx(tmp_path / "a.xlsx", reports.report_a(), reports.DATE_A)
    b = reports.write_docx(tmp_path / "b.docx", reports.report_b())
    for path in (a, b):
        page = opened.go("/files")
        page.set_input_files("#progress input[type=file]", str(path))
        page.locator("#progress button").click()
        page.wait_for_selector("#confirm-progress")
        page.locator("#confirm-progress").click()
        page.wait_for_url("**/files?**")
    page = opened.go("/board?city=湛江市")
    # tests/test_progress.py, by hand: red 24 59 62 73 80 93 (not 92: its 2013年12月 is a misprint,
    # deadline_doubtful); yellow 1-1 1-3 1-79 1-99 2-1 2-10; blue 53.
    assert page.locator("#count-red").inner_text() == "红 6"
    assert page.locator("#count-yellow").inner_text() == "黄 6"
    assert page.locator("#count-blue").inner_text() == "蓝 1"
    red = page.locator("tr.w-red td:first-child").all_inner_texts()
    assert sorted(red) == sorted(f"1-{n}" for n in ("24", "59", "62", "73", "80", "93"))

"""Pages that print on A4 and fit a phone, in a real browser (Chromium through Playwright, a real
``respgraph serve``): the leader page printed to PDF keeps every column and the picture (as an
image); at 390 px wide the unit's reporting page, the leader page and the board never scroll
sideways, a wide table scrolls inside its own box, and every form control fits.

Sample facts, by hand (tests/test_brief.py): 陈峻华 oversees items 74–82; with the example
progress reports 80 is red and 79 yellow; 市自然资源局 leads 74, due in the third quarter too.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from respgraph.accounts import users
from respgraph.graph.open_store import open_store
from respgraph.graph.settings import load_settings
from respgraph.ingest.progress import load_progress
from respgraph.loaders.load import read_tables, sample_path

pytestmark = pytest.mark.browser


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


web_browser = _module("test_web_browser")
reports = _module("progress_reports")

PW = "correct horse battery"
PHONE = {"width": 390, "height": 844}
MM = 72 / 25.4
LEADER = "/leaders/湛江市/陈峻华"
HEADERS = ["编号", "事项", "牵头单位", "实施单位", "协办单位", "完成时限", "状态"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The sample with the example progress reports; the office and 市自然资源局 have accounts."""
    folder = tmp_path_factory.mktemp("serve-print")
    home = folder / "home"
    os.environ.setdefault("RESPGRAPH_CONFIG", str(folder / "config.toml"))
    store = open_store(load_settings(home=home, store="embedded"), write=True)
    for table in read_tables(sample_path()):
        store.write(table.to_batch(loaded_at="2026-01-01T00:00:00+00:00"))
    load_progress(
        store,
        [
            reports.write_xlsx(folder / "a.xlsx", reports.report_a(), reports.DATE_A),
            reports.write_docx(folder / "b.docx", reports.report_b()),
        ],
    )
    for login, role, bound in (("office", "office", None), ("zrzy", "unit", "市自然资源局")):
        users.add_user(store, login=login, display=bound or "督查室", role=role, password=PW, bound=bound, actor="test")
    store.close()
    server = web_browser.Server(home, env={"RESPGRAPH_CONFIG": str(folder / "config.toml")})
    yield server
    server.stop()


@pytest.fixture
def open_as(browser, served):
    opened = []

    def make(login: str, viewport: dict | None = None):
        o = web_browser.Opened(browser, served)
        opened.append(o)
        if viewport:
            o.page.set_viewport_size(viewport)
        page = o.go("/login")
        page.fill("#login", login)
        page.fill("#password", PW)
        page.click("#do-login")
        page.wait_for_load_state()
        return o

    yield make
    for o in opened:
        assert o.elsewhere == [], "a page asked another host"
        assert o.errors == []
        o.page.close()


_OVERFLOW = """() => {
  const wide = [...document.querySelectorAll('input, select, textarea, button')]
    .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
    .map(e => [e.name || e.id || e.tagName, e.getBoundingClientRect()])
    .filter(([, r]) => r.left < 0 || r.right > window.innerWidth)
    .map(([n]) => n);
  return {page: document.documentElement.scrollWidth, controls: document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button').length, wide};
}"""


@pytest.mark.parametrize(
    "login, path", [("zrzy", "/report?year=2023&quarter=3"), ("office", LEADER), ("office", "/board?city=湛江市")]
)
def test_a_phone_never_scrolls_the_page_sideways(open_as, login, path):
    page = open_as(login, PHONE).go(path)
    found = page.evaluate(_OVERFLOW)
    assert found["page"] <= PHONE["width"], f"{path}: the page is {found['page']} px wide"
    assert found["controls"] > 0 and found["wide"] == [], f"{path}: controls past the edge: {found['wide']}"
    tables = page.evaluate("""() => [...document.querySelectorAll('table')].map(t =>
        ({scroll: t.scrollWidth, width: t.clientWidth, right: t.getBoundingClientRect().right}))""")
    assert all(t["right"] <= PHONE["width"] for t in tables)
    if path == LEADER:  # its table is wider than a phone: it scrolls inside its own box
        assert tables[0]["scroll"] > tables[0]["width"]


def test_the_leader_page_prints_on_a4_with_every_column_and_the_picture(open_as, tmp_path):
    import pdfplumber

    o = open_as("office")
    page = o.go(LEADER)
    page.wait_for_load_state("networkidle")
    # Not drawn for every visit: the picture is fetched when printing begins (app.js, beforeprint).
    assert page.evaluate("() => document.querySelector('img.print-picture').naturalWidth") == 0
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.wait_for_function(
        "() => { const i = document.querySelector('img.print-picture');"
        " return i && i.complete && i.naturalWidth > 0; }",
        timeout=60_000,
    )
    page.emulate_media(media="print")
    # On A4 (186 mm between the margins: 703 px): the table fits the page's width, its headers
    # on one line each, the items' titles at least 14 characters wide.
    page.set_viewport_size({"width": 703, "height": 1000})
    laid = page.evaluate("""() => { const t = document.querySelector('table.items');
        const ths = [...t.querySelectorAll('th')];
        const size = parseFloat(getComputedStyle(t).fontSize);
        return {right: t.getBoundingClientRect().right, width: window.innerWidth,
                oneLine: ths.map(h => h.getBoundingClientRect().height < 2.2 * size),
                title: ths[1].getBoundingClientRect().width / size}; }""")
    assert laid["right"] <= laid["width"] and all(laid["oneLine"]) and laid["title"] >= 14
    pdf_path = tmp_path / "leader.pdf"
    page.pdf(path=str(pdf_path), format="A4", print_background=True)
    with pdfplumber.open(pdf_path) as pdf:
        sizes = {(round(p.width / MM), round(p.height / MM)) for p in pdf.pages}
        text = "".join(p.extract_text() for p in pdf.pages).replace(" ", "")
        images = [im for p in pdf.pages for im in p.images]
        chars = [c for p in pdf.pages for c in p.chars]
    assert sizes == {(210, 297)}
    assert all(h in text for h in HEADERS)
    assert all(f"1-{n}" in text for n in range(74, 83))
    assert max(c["x1"] for c in chars) <= (210 - 12) * MM + 1  # nothing cut at the right margin
    picture = max(images, key=lambda im: im["width"])  # the picture, as an image most of the width
    assert picture["width"] >= 150 * MM


@pytest.mark.parametrize(
    "path", ["/board?city=湛江市", "/units/湛江市/市城市管理和综合执法局", "/items/湛江市/2023/1/79", LEADER]
)
def test_every_table_fits_an_a4_page_in_print(open_as, path):
    page = open_as("office", {"width": 703, "height": 1000}).go(path)  # A4's 186 mm between the margins
    page.emulate_media(media="print")
    laid = page.evaluate("""() => [...document.querySelectorAll('table')].filter(t => t.offsetParent !== null)
        .map(t => ({right: t.getBoundingClientRect().right,
                    headers: [...t.querySelectorAll('th')].every(h => h.getBoundingClientRect().height
                             < 2.2 * parseFloat(getComputedStyle(h).fontSize))}))""")
    assert laid and all(t["right"] <= 703 and t["headers"] for t in laid), laid
    hidden = page.evaluate(
        "() => [...document.querySelectorAll('header.top, footer.bottom, iframe, form')]"
        ".every(e => getComputedStyle(e).display === 'none')"
    )
    assert hidden

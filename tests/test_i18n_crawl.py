"""Every page an office, a leader, a unit and a viewer can reach says its words in Chinese.

A store with two cities (湛江市 from the sample, 甲市 made in code), two years of 甲市, a
progress workbook loaded, a unit's submissions (one returned by the office), a corrected
deadline and a unit with a hostile name; each role logs in and follows every link from the
home page and opens every GET page the app declares, the upload check and its result, a
refused upload, the progress check and its result and the error pages. The visible text of
each page (tags, scripts and styles out) must hold no Latin-letter word but the file formats'
and the product's names, and the loaded text's own words (units' and items' names as written).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

from respgraph.accounts import users  # noqa: E402
from respgraph.graph.open_store import open_store  # noqa: E402
from respgraph.graph.settings import load_settings  # noqa: E402
from respgraph.loaders.synthetic import synthetic_table  # noqa: E402
from respgraph.web.app import create_app  # noqa: E402
from respgraph.web.library import Backend  # noqa: E402
from tests.web_client import BrowserClient  # noqa: E402

PW = "correct horse battery"
ACCOUNTS = {"office": ("office", None), "zrzy": ("unit", "湛江市:市自然资源局"), "chen": ("leader", "湛江市:陈峻华"),
            "view": ("viewer", None)}
#: The words a page may say in Latin letters: file formats, the product, the stores' names.
ALLOWED = {"graphml", "gexf", "pajek", "json", "csv", "xlsx", "xls", "docx", "doc", "pdf", "txt", "html", "zip",
           "png", "svg", "respgraph", "sqlite", "neo4j", "mb"}
HOSTILE = '<b>市"数据"局</b>'
#: Not followed: files (their own check is elsewhere), pictures in frames, writes by GET-less forms.
NOT_PAGES = (".json", ".csv", ".xlsx", ".zip", ".docx", ".png", ".svg", ".graphml", ".gexf", ".net", "/picture",
             "/logout", "/static/", "/openapi")


def latin_words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z][A-Za-z]*", text)


def visible(page: str) -> str:
    """What a reader sees: no tags, scripts, styles or attribute values; entities decoded."""
    body = re.sub(r"(?is)<(script|style|title)[^>]*>.*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.fixture(scope="module", params=["sqlite", "neo4j"])
def crawl_site(request, tmp_path_factory, sample_tables):
    from respgraph.accounts.submissions import return_submission, submit
    from respgraph.graph.corrections import record_correction
    from respgraph.ingest import load_progress
    from respgraph.loaders.progress.words import default_vocabulary
    from tests.progress_reports import report_a, write_xlsx

    home = tmp_path_factory.mktemp("i18n-crawl") / "home"
    if request.param == "sqlite":
        settings = load_settings(home=home, store="embedded")
    else:
        server = request.getfixturevalue("neo4j_server")
        settings = load_settings(home=home, store="neo4j").model_copy(update={"neo4j": server})
    store = open_store(settings, write=True)
    if request.param == "neo4j":
        from tests.conftest import wipe

        wipe(store)
    tables = list(sample_tables) + [
        synthetic_table(30, seed=year, city="甲市", year=year, leaders=4,
                        departments=["市财政局", HOSTILE, "市自然资源局"]) for year in (2022, 2023)]
    for table in tables:
        store.write(table.to_batch(loaded_at="2026-01-01T00:00:00+00:00"))
    folder = tmp_path_factory.mktemp("i18n-crawl-files")
    load_progress(store, [write_xlsx(folder / "进展A.xlsx", report_a(), "（截至2023年6月30日）")],
                  vocabulary=default_vocabulary())
    made = {login: users.add_user(store, login=login, display=login, role=role, password=PW, bound=bound,
                                  actor="test") for login, (role, bound) in ACCOUNTS.items()}
    unit, office = made["zrzy"], made["office"]
    first = submit(store, unit, target="item:湛江市/2023/1-b6a81b/74", year=2023, quarter=3, status_word="序时推进",
                   done="完成征地 80%", vocabulary=default_vocabulary())
    submit(store, unit, target="item:湛江市/2023/1-b6a81b/75", year=2023, quarter=3, status_word="滞后",
           done="推进中", vocabulary=default_vocabulary())
    return_submission(store, office, first.key, "请补充数据来源")
    record_correction(store, document="doc:湛江市/2023/1-b6a81b", number="92", field="deadline", value="2023-12-31",
                      why="原表年份笔误")
    # The loaded text's own Latin words (an item's "RCEP", a synthetic unit's name) are the table's, not ours.
    loaded = {w.lower() for t in tables for node in t.to_batch().nodes for v in node.props.values()
              if isinstance(v, str) for w in latin_words(v)}
    store.close()
    yield settings, loaded, folder
    if request.param == "neo4j":
        from tests.conftest import wipe

        with open_store(settings, write=True) as again:
            wipe(again)
            for table in sample_tables:
                again.write(table.to_batch())


def _client(settings, login: str | None) -> BrowserClient:
    c = BrowserClient(create_app(Backend(settings)), client=("10.0.0.9", 50000), raise_server_exceptions=False)
    if login:
        answer = c.post("/login", data={"login": login, "password": PW, "next": "/"}, follow_redirects=False)
        assert answer.status_code == 303, answer.text[:300]
    return c


def _declared(app) -> list[str]:
    from tests.test_web_accounts import url_of

    paths = sorted({r.path for r in app.routes if "GET" in (getattr(r, "methods", None) or ())})
    return [url_of("GET", p) for p in paths]


def _crawl(client, start: list[str], limit: int = 400) -> dict[str, str]:
    """Every HTML page reachable from ``start`` by its links: url → page."""
    seen: dict[str, str] = {}
    todo = list(start)
    while todo and len(seen) < limit:
        url = todo.pop(0)
        if url in seen or any(x in url.split("?")[0] for x in NOT_PAGES):
            continue
        answer = client.get(url)
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        seen[url] = answer.text
        for href in re.findall(r'href="(/[^"#]*)"', answer.text):
            href = html.unescape(href)
            if href not in seen:
                todo.append(href)
    return seen


def _wrong(pages: dict[str, str], loaded: set[str]) -> dict[str, list[str]]:
    found = {}
    for url, page in pages.items():
        words = sorted({w for w in latin_words(visible(page)) if w.lower() not in ALLOWED | loaded})
        if words:
            found[url] = words
    return found


@pytest.mark.parametrize("login", [*ACCOUNTS, None])
def test_every_page_of_every_role_in_chinese(crawl_site, login):
    settings, loaded, _ = crawl_site
    client = _client(settings, login)
    pages = _crawl(client, ["/", *_declared(client.app), "/units/湛江市/没有这个单位", "/co?min_shared=0",
                            "/items/湛江市/2023/1/9999", "/no/such/page"])
    assert len(pages) > (3 if login in ("zrzy", None) else 20)
    assert _wrong(pages, loaded) == {}


def test_the_upload_pages_in_chinese(crawl_site, tmp_path):
    from tests.progress_reports import report_a, write_xlsx
    from tests.test_web import _maoming_xlsx

    settings, loaded, _ = crawl_site
    client = _client(settings, "office")
    pages = {}
    xlsx = _maoming_xlsx(tmp_path / "茂名.xlsx")
    checked = client.post("/files/check", files={"file": (xlsx.name, xlsx.read_bytes())})
    assert checked.status_code == 200
    pages["/files/check"] = checked.text
    content = re.search(r'name="content" value="([^"]+)"', checked.text).group(1)
    done = client.post("/files/load", data={"filename": xlsx.name, "content": content})
    assert done.status_code == 200
    pages["/files/load → /files"] = done.text
    refused = client.post("/files/check", files={"file": ("坏表.xlsx", b"PK\x03\x04 not really a workbook")})
    assert refused.status_code == 400
    pages["/files/check (refused)"] = refused.text
    report = write_xlsx(tmp_path / "进展.xlsx", report_a(), "（截至2023年6月30日）")
    preview = client.post("/progress/check", files={"file": (report.name, report.read_bytes())})
    assert preview.status_code == 200
    pages["/progress/check"] = preview.text
    content = re.search(r'name="content" value="([^"]+)"', preview.text).group(1)
    result = client.post("/progress/load", data={"filename": report.name, "content": content})
    assert result.status_code == 200
    pages["/progress/load → /files"] = result.text
    assert _wrong(pages, loaded | {w.lower() for w in latin_words("茂名.xlsx 进展.xlsx")}) == {}

"""Issue 29 in a real browser: the board's forms issue notices and a 督查通报 numbered by the
register, the register lists them, a batch downloads again with its numbers, and the
scorecard page shows the quarter.  Figures as tests/test_notice_register.py and
tests/test_bulletin.py work them out by hand (reports A and B, no online submission: 市自然资源局
reported item 74 on time and neither 75 nor 76 in the third quarter, 40 × 1/3 + 60 × 1/3 = 33.3).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import pytest

from respgraph.graph.open_store import open_store
from respgraph.graph.settings import load_settings
from respgraph.ingest import load_progress
from respgraph.loaders.load import read_tables, sample_path
from respgraph.loaders.progress.words import default_vocabulary
from tests import progress_reports as reports
from tests.test_web_browser import Opened, Server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    home = tmp_path_factory.mktemp("register") / "home"
    config = str(home.parent / "config.toml")
    os.environ.setdefault("RESPGRAPH_CONFIG", config)
    store = open_store(load_settings(home=home, store="embedded"), write=True)
    for table in read_tables(sample_path()):
        store.write(table.to_batch())
    load_progress(
        store,
        [
            reports.write_xlsx(home.parent / "a.xlsx", reports.report_a(), reports.DATE_A),
            reports.write_docx(home.parent / "b.docx", reports.report_b()),
        ],
        vocabulary=default_vocabulary(),
    )
    store.close()
    server = Server(home, env={"RESPGRAPH_CONFIG": config})
    yield server
    server.stop()


@pytest.fixture
def opened(browser, served):
    o = Opened(browser, served)
    yield o
    assert o.elsewhere == [], "a page asked another host"
    assert o.errors == []
    o.page.close()


def test_the_board_issues_lists_and_downloads_again(opened):
    page = opened.go("/board")
    page.fill("#issue input[name=number]", "湛督办〔2023〕")
    page.fill("#issue input[name=date]", "2023-10-08")
    page.fill("#issue input[name=contact]", "李明 0759-3183000")
    page.locator("#issue button").click()
    page.wait_for_selector("#issued")
    assert page.locator("#issued").inner_text().startswith("已签发 湛督办〔2023〕1号至11号，共 11 份")
    # Remembered: the next visit's form holds the prefix and the contact.
    page = opened.go("/board")
    assert page.input_value("#issue input[name=contact]") == "李明 0759-3183000"
    page.locator("#issue button").click()
    page.wait_for_selector("#issued")
    assert "湛督办〔2023〕12号至22号" in page.locator("#issued").inner_text()
    rows = page.locator("table.register tbody tr").all_inner_texts()
    assert len(rows) == 2 and "湛督办〔2023〕1号至11号" in rows[1]
    with page.expect_download() as download:
        page.locator("table.register tbody tr").nth(1).get_by_role("link", name="下载").click()
    with zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes())) as z:
        import docx

        numbers = sorted(
            int(
                re.search(
                    r"〔2023〕(\d+)号", "\n".join(p.text for p in docx.Document(io.BytesIO(z.read(name))).paragraphs)
                )[1]
            )
            for name in z.namelist()
        )
    assert numbers == list(range(1, 12))  # the first batch again: its own numbers

    page.select_option("#issue-bulletin select[name=quarter]", "3")
    page.fill("#issue-bulletin input[name=number]", "湛督查〔2023〕")
    page.locator("#issue-bulletin button").click()
    page.wait_for_selector("#issued")
    assert page.locator("#issued").inner_text().startswith("已签发督查通报 湛督查〔2023〕1号")

    page = opened.go("/board/scorecard?year=2023&quarter=3")
    row = page.locator("#scorecard tr", has_text="市自然资源局").all_inner_texts()[0].split("\t")
    assert row[1:] == ["市自然资源局", "3", "3", "1", "0", "2", "1", "0", "0", "0", "33.3"]

"""A leader's meeting brief: ``respgraph portfolio LEADER --brief --out FILE`` and the leader page's downloads.

Facts checked by hand in the sample (loaders/samples/zhanjiang-2023.txt) with the two example
progress reports (tests/progress_reports.py; the later, B, is of 2023-09-30): 陈峻华 oversees
items 74–82; 80 (完成金沙湾观海长廊…, led by 市城市管理和综合执法局) was due 2023年8月 and has
no report row, so at 2023-09-30 it is overdue and red; B reports part 3 of 79 滞后 (yellow) and
74 at 7200 亩 against the third quarter's 7000 (on track).  黄益斌 oversees 53 alone (市公安局,
due 2023年9月), reported 序时推进: due within 30 days of 2023-09-30, and blue.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings

import pytest

from respgraph.answers.brief import leader_brief
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.ingest.progress import load_progress
from respgraph.viz.brief import COLUMNS, brief_bytes, table_rows
from tests import progress_reports as reports

warnings.filterwarnings("ignore", message=".*httpx.*")  # Starlette's test client, as in tests/test_web.py
from tests.web_client import BrowserClient  # noqa: E402

REPORTED = dt.date(2023, 9, 30)
MM = 72 / 25.4


@pytest.fixture
def files(tmp_path):
    return [
        reports.write_xlsx(tmp_path / "a.xlsx", reports.report_a(), reports.DATE_A),
        reports.write_docx(tmp_path / "b.docx", reports.report_b()),
    ]


@pytest.fixture(params=["sqlite", "neo4j"])
def graph(request, sample_tables, files):
    """The sample with the two example progress reports, in each store."""
    store = SqliteStore() if request.param == "sqlite" else request.getfixturevalue("scratch_neo4j")
    for table in sample_tables:
        store.write(table.to_batch())
    load_progress(store, files)
    return store


def _by_number(brief) -> dict[str, dict]:
    return {r["number"]: r for r in brief.rows}


def test_the_brief_gives_each_item_its_status_and_what_falls_due(graph):
    brief = leader_brief(graph, "陈峻华")
    assert (brief.leader, brief.city, brief.as_of, brief.reported) == ("陈峻华", "湛江市", REPORTED, True)
    rows = _by_number(brief)
    assert sorted(rows, key=int) == [str(n) for n in range(74, 83)]
    late = rows["80"]
    assert (late["lead"], late["deadline"], late["status"], late["overdue"], late["warning"]) == (
        ["市城市管理和综合执法局"],
        dt.date(2023, 8, 31),
        "no_report",
        True,
        "red",
    )
    assert (rows["79"]["status"], rows["79"]["warning"]) == ("behind", "yellow")
    assert (rows["74"]["status"], rows["74"]["warning"], rows["74"]["reported"]) == ("on_track", None, REPORTED)
    assert brief.soon == {30: [], 90: []}  # 80 is past due, not due soon; the rest fall due in December
    assert brief.counts() == {"no_report": 7, "behind": 1, "on_track": 1, "overdue": 1, "red": 1, "yellow": 1}

    one = leader_brief(graph, "黄益斌")
    assert [r["number"] for r in one.soon[30]] == ["53"] and [r["number"] for r in one.soon[90]] == ["53"]
    assert (one.rows[0]["status"], one.rows[0]["warning"]) == ("on_track", "blue")


def test_the_table_has_chinese_headers_and_says_the_status_and_its_reason(graph):
    rows = {r["编号"]: r for r in table_rows(leader_brief(graph, "陈峻华"))}
    assert list(rows["1-80"]) == list(COLUMNS.values())
    assert {k: rows["1-80"][k] for k in ("牵头单位", "完成时限", "进展", "预警", "逾期", "依据")} == {
        "牵头单位": "市城市管理和综合执法局",
        "完成时限": "2023年8月",
        "进展": "未报送",
        "预警": "红",
        "逾期": "是",
        "依据": "未报送进展",
    }
    # B reports part 3 of 79's ten sub-projects alone.
    assert (rows["1-79"]["进展"], rows["1-79"]["依据"]) == (
        "滞后",
        "第3部分（调顺东二路新建工程（一期））：进度“滞后”（共10个部分，已报送1个）",
    )
    assert rows["1-74"]["依据"].startswith("第三季度目标7000 亩") and rows["1-74"]["报送日期"] == "2023年9月30日"


def test_the_brief_stands_on_today_without_a_report_and_says_so(sample_tables):
    store = SqliteStore()
    for table in sample_tables:
        store.write(table.to_batch())
    brief = leader_brief(store, "黄益斌", today=dt.date(2023, 9, 1))
    assert (brief.as_of, brief.reported, brief.rows[0]["status"]) == (dt.date(2023, 9, 1), False, "no_report")
    import docx

    text = "\n".join(p.text for p in docx.Document(io.BytesIO(brief_bytes(brief, "docx", picture=False))).paragraphs)
    assert "尚未载入本年度的进展报告" in text and "（截至2023年9月1日）" in text


# --- the command ------------------------------------------------------------------------------------
@pytest.fixture
def loaded(run, files):
    run("load", check=True)
    run("progress", "load", *map(str, files), check=True)
    return run


def test_portfolio_brief_writes_an_a4_document_with_the_table_and_the_picture(loaded, tmp_path):
    import docx
    from docx.enum.section import WD_ORIENT

    out = tmp_path / "简报.docx"
    done = loaded("portfolio", "陈峻华", "--brief", "--out", str(out), check=True)
    assert f"wrote {out} (9 items as of 2023-09-30)" in done.stderr
    document = docx.Document(out)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "陈峻华同志分管重点工作情况" in text and "（截至2023年9月30日）" in text
    assert (
        "分管重点工作9项，其中序时推进1项、滞后1项、未报送7项；已过完成时限仍未完成1项；预警红色1项、黄色1项。" in text
    )
    assert "30日内（至2023年10月30日）到期0项。" in text
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["编号", "事项", "牵头单位", "完成时限", "进展", "依据"]
    cells = {r.cells[0].text: [c.text for c in r.cells] for r in table.rows[1:]}
    assert len(cells) == 9
    assert cells["1-80"][2:5] == ["市城市管理和综合执法局", "2023年8月", "未报送（红色预警，逾期）"]
    first, picture = document.sections  # the table on A4 portrait, the picture on A4 landscape
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert picture.orientation == WD_ORIENT.LANDSCAPE and round(picture.page_width.mm) == 297
    assert len(document.inline_shapes) == 1
    image = document.inline_shapes[0]
    assert round(image.height.mm) == 125 and image.width > image.height  # the picture is A4 landscape


def test_portfolio_brief_as_a_workbook_and_a_csv(loaded, tmp_path):
    import openpyxl

    loaded("portfolio", "陈峻华", "--brief", "--out", str(tmp_path / "b.xlsx"), check=True)
    book = openpyxl.load_workbook(tmp_path / "b.xlsx")
    rows = list(book["分管事项"].values)
    assert list(rows[0]) == list(COLUMNS.values()) and len(rows) == 10
    assert ["截至", "2023年9月30日"] in [list(r) for r in book["说明"].values]
    loaded("portfolio", "陈峻华", "--brief", "--out", str(tmp_path / "b.csv"), check=True)
    text = (tmp_path / "b.csv").read_bytes().decode("utf-8")
    assert (
        text.startswith("\ufeff编号,事项,牵头单位,") and "1-80,完成金沙湾观海长廊至调顺岛沿线景观品质提升工程," in text
    )


def test_portfolio_brief_refuses_what_it_cannot_write(loaded, tmp_path):
    alone = loaded("portfolio", "陈峻华", "--brief")
    assert alone.returncode == 1 and "Error: --brief and --out go together" in alone.stderr
    assert alone.stdout == ""  # refused before any answer is printed
    assert loaded("portfolio", "陈峻华", "--out", str(tmp_path / "b.docx")).returncode == 1
    wrong = loaded("portfolio", "陈峻华", "--brief", "--out", str(tmp_path / "b.txt"))
    assert wrong.returncode == 1 and "a brief is written as .docx, .pdf, .xlsx, .csv" in wrong.stderr
    assert not (tmp_path / "b.txt").exists()


def test_a_pdf_without_libreoffice_is_one_clear_error(monkeypatch):
    from respgraph.graph.errors import LoadError
    from respgraph.loaders.formats import office_convert

    monkeypatch.setattr(office_convert, "soffice", lambda: None)
    with pytest.raises(LoadError, match="making a PDF needs LibreOffice's `soffice` command"):
        office_convert.to_pdf("陈峻华.docx", b"")


def test_the_brief_opened_by_libreoffice_has_the_portfolio_and_the_picture(loaded, tmp_path, office):
    import pdfplumber

    out = tmp_path / "brief.docx"
    loaded("portfolio", "陈峻华", "--brief", "--out", str(out), check=True)
    (pdf_path,) = office.convert([out], tmp_path / "pdf", suffix="pdf", filter_name="writer_pdf_Export")
    with pdfplumber.open(pdf_path) as pdf:
        sizes = [(round(p.width / MM), round(p.height / MM)) for p in pdf.pages]
        text = "".join(p.extract_text() for p in pdf.pages).replace(" ", "").replace("\n", "")
        images = [(n, im) for n, p in enumerate(pdf.pages) for im in p.images]
        table = [["".join((c or "").split()) for c in row] for p in pdf.pages for t in p.extract_tables() for row in t]
    assert sizes[0] == (210, 297) and sizes[-1] == (297, 210)
    assert "陈峻华同志分管重点工作情况" in text and "四、分管关系图" in text
    rows = {r[0]: r for r in table if r[0] != "编号"}
    assert sorted(rows) == [f"1-{n}" for n in range(74, 83)]  # every item, every column readable
    assert rows["1-80"][2:5] == ["市城市管理和综合执法局", "2023年8月", "未报送（红色预警，逾期）"]
    ((page, image),) = images  # the picture, on the last (landscape) page, at its 125 mm
    assert page == len(sizes) - 1 and round((image["bottom"] - image["top"]) / MM) == 125


# --- the leader page's downloads -------------------------------------------------------------------
@pytest.fixture
def client(loaded, home):
    from respgraph.graph.settings import load_settings
    from respgraph.web.app import create_app
    from respgraph.web.library import Backend

    app = create_app(Backend(load_settings(home=home, store="embedded")))
    return BrowserClient(app, client=("127.0.0.1", 50000), raise_server_exceptions=False)


def test_the_leader_page_offers_the_brief_and_its_table(client):
    from urllib.parse import unquote

    page = client.get("/leaders/湛江市/陈峻华")
    assert page.status_code == 200
    import shutil

    for ext in ("docx", "xlsx", "csv") + (("pdf",) if shutil.which("soffice") else ()):
        assert f'href="/leaders/湛江市/陈峻华/brief.{ext}"' in unquote(page.text)
    csv = client.get("/leaders/湛江市/陈峻华/brief.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert unquote(csv.headers["content-disposition"]).endswith("陈峻华分管事项（截至2023-09-30）.csv")
    lines = csv.content.decode("utf-8").splitlines()
    assert lines[0] == "\ufeff" + ",".join(COLUMNS.values()) and len(lines) == 10
    assert next(x for x in lines if x.startswith("1-80,")).endswith(",未报送,红,是,,未报送进展")
    import docx

    document = docx.Document(io.BytesIO(client.get("/leaders/湛江市/陈峻华/brief.docx").content))
    assert len(document.tables[0].rows) == 10 and len(document.inline_shapes) == 1
    assert client.get("/leaders/湛江市/陈峻华/brief.xlsx").content[:2] == b"PK"
    assert client.get("/leaders/湛江市/陈峻华/brief.odt").status_code == 404
    assert client.get("/leaders/湛江市/无此人/brief.docx").status_code == 404


def test_the_unit_and_leader_pages_print_their_picture_as_an_image(client):
    for path in ("/leaders/湛江市/陈峻华", "/units/湛江市/市自然资源局"):
        page = client.get(path)
        assert 'class="print-picture"' in page.text
        png = client.get(f"{path}/picture.png")
        assert png.status_code == 200 and png.headers["content-type"] == "image/png"
        assert png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_with_two_years_loaded_the_brief_covers_the_reports_year_alone(files):
    from respgraph.loaders.load import read_tables, sample_path

    store = SqliteStore()
    for year in (2023, 2024):
        for table in read_tables(sample_path(), year=year):
            store.write(table.to_batch())
    load_progress(store, files, year=2023)
    brief = leader_brief(store, "陈峻华")
    assert brief.as_of == REPORTED and len(brief.rows) == 9  # not 18: 2024's items are not judged in 2023
    assert {d["year"] for d in brief.sources} == {2023} and {r["document"].split("/")[1] for r in brief.rows} == {
        "2023"
    }
    assert _by_number(brief)["80"]["warning"] == "red"
    # 2024's tables asked for: no report on them yet, and the brief says so rather than judge them by 2023's.
    later = leader_brief(store, "陈峻华", documents=["湛江市/2024/1", "湛江市/2024/2"], today=dt.date(2024, 3, 1))
    assert (later.as_of, later.reported, len(later.rows)) == (dt.date(2024, 3, 1), False, 9)
    assert {r["status"] for r in later.rows} == {"no_report"} and {d["year"] for d in later.sources} == {2024}


def test_a_unit_prints_only_the_pictures_it_may_see(loaded, home):
    from respgraph.accounts import users
    from respgraph.graph.open_store import open_store
    from respgraph.graph.settings import load_settings
    from respgraph.web.app import create_app
    from respgraph.web.library import Backend

    settings = load_settings(home=home, store="embedded")
    store = open_store(settings, write=True)
    users.add_user(
        store,
        login="zrzy",
        display="zrzy",
        role="unit",
        password="correct horse battery",
        bound="市自然资源局",
        actor="test",
    )
    store.close()
    unit = BrowserClient(create_app(Backend(settings)), client=("10.0.0.9", 50000), raise_server_exceptions=False)
    assert (
        unit.post(
            "/login", data={"login": "zrzy", "password": "correct horse battery", "next": "/"}, follow_redirects=False
        ).status_code
        == 303
    )
    assert unit.get("/units/湛江市/市自然资源局/picture.png").status_code == 200
    # 市医疗保障局 is named on none of 市自然资源局's items (livelihood item 7 is its alone).
    assert unit.get("/units/湛江市/市医疗保障局/picture.png").status_code == 404
    assert unit.get("/leaders/湛江市/陈峻华/brief.docx").status_code == 403  # a unit reads no leader's page

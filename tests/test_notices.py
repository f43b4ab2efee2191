"""Issue 22 §2: notices a 督查室 would send (GB/T 9704-2012), and corrections of misprinted deadlines.

Facts checked by hand on the sample (``loaders/samples/zhanjiang-2023.txt``) and the
reports of ``progress_reports.py``: on 30 September 2023 item 24 (市工业和信息化局,
张仁建, due 2023年6月) is behind and overdue: red; items 1 and 3 (市发展改革局, 黄明忠)
are behind: yellow; item 53 (市公安局, due 2023年9月) is on track with its deadline
that day: blue.  Item 92 (市农业农村局, 吴国雄) reads ``2013年12月`` in the 2023 table.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from respgraph.graph.corrections import record_correction, undo_correction
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.queries.status import item_status
from respgraph.viz.notices import UNIT_ABBREVIATIONS, why_zh
from tests import progress_reports as reports

DOC1 = "doc:湛江市/2023/1-b6a81b"
MM = 72 / 25.4  # PDF points in a millimetre


@pytest.fixture
def files(tmp_path):
    return {
        "a.xlsx": reports.write_xlsx(tmp_path / "a.xlsx", reports.report_a(), reports.DATE_A),
        "b.docx": reports.write_docx(tmp_path / "b.docx", reports.report_b()),
    }


@pytest.fixture(params=["sqlite", "neo4j"])
def graph(request, sample_tables):
    """A store holding the sample and nothing else, that a test may write into."""
    store = SqliteStore() if request.param == "sqlite" else request.getfixturevalue("scratch_neo4j")
    for table in sample_tables:
        store.write(table.to_batch())
    return store


def _item(rows, number, attachment=1):
    return next(r for r in rows if r.number == number and r.attachment == attachment)


# --- corrections ---------------------------------------------------------------------------


def test_a_misprinted_deadline_is_doubtful_until_corrected_and_the_correction_outlives_a_reload(graph, sample_tables):
    at = dt.date(2023, 9, 30)
    item92 = _item(item_status(graph, as_of=at), "92")
    # 2013年12月 in a 2023 table: not red, not overdue, flagged.
    assert (item92.deadline_doubtful, item92.overdue, item92.warning) == (True, False, None)
    record_correction(
        graph,
        document=DOC1,
        number="92",
        field="deadline",
        value="2023-12-31",
        why="原表笔误",
        made=dt.date(2023, 10, 8),
    )
    for table in sample_tables:  # loading the table again replaces what the document owns, not the correction
        graph.write(table.to_batch())
    [kept] = graph.corrections()
    assert (kept["target"], kept["value"], kept["was"], kept["why"]) == (
        "item:湛江市/2023/1-b6a81b/92",
        "2023-12-31",
        "2013年12月",
        "原表笔误",
    )
    fixed = _item(item_status(graph, as_of=at), "92")
    assert (fixed.deadline, fixed.deadline_doubtful, fixed.overdue) == (dt.date(2023, 12, 31), False, False)
    assert fixed.corrected == "完成时限已更正：原表“2013年12月”，更正为2023年12月31日（原表笔误）"
    late = _item(item_status(graph, as_of=dt.date(2024, 1, 5)), "92")
    assert (late.overdue, late.warning) == (True, "red")  # corrected, then missed: red like any other
    assert undo_correction(graph, document=DOC1, number="92") is True
    assert graph.corrections() == [] and undo_correction(graph, document=DOC1, number="92") is False
    assert _item(item_status(graph, as_of=at), "92").deadline_doubtful


def test_fix_on_the_command_line_shows_in_check_items_status_and_notices(run, files, tmp_path):
    run("load", check=True)
    run("progress", "load", str(files["a.xlsx"]), str(files["b.docx"]), check=True)
    before = run("status", "--format", "json", check=True)
    item92 = next(d for d in json.loads(before.stdout) if d["attachment"] == 1 and d["number"] == "92")
    assert (item92["overdue"], item92["warning"], item92["deadline_doubtful"]) == (False, None, True)
    assert "deadline_doubtful" in run("status", "--unit", "市农业农村局", check=True).stdout

    bad = run("fix", "湛江市/2023/1", "92", "deadline=2023-13-01", "--why", "原表笔误")
    assert bad.returncode == 1 and "give the date as YYYY-MM-DD" in bad.stderr
    nowhy = run("fix", "湛江市/2023/1", "92", "deadline=2023-12-31")
    assert nowhy.returncode == 1 and "say why" in nowhy.stderr
    done = run("fix", "湛江市/2023/1", "92", "deadline=2023-12-31", "--why", "原表笔误", check=True)
    assert "更正为2023年12月31日（原表笔误）" in done.stdout
    run("load", check=True)  # reloading the table keeps the correction

    checked = run("check", "--kind", "deadline_year", check=True).stdout
    assert "item 92: deadline '2013年12月'" in checked and "corrected by `respgraph fix`" in checked
    items = run("items", "--unit", "市农业农村局", check=True).stdout
    assert "2023-12-31 *" in items and "* item 92: 完成时限已更正" in items
    after = next(
        d
        for d in json.loads(run("status", "--format", "json", check=True).stdout)
        if d["attachment"] == 1 and d["number"] == "92"
    )
    assert (after["deadline"], after["deadline_doubtful"]) == ("2023-12-31", False)
    assert after["corrected"].startswith("完成时限已更正")
    listed = json.loads(run("fix", "--format", "json", check=True).stdout)
    assert [(c["number"], c["value"], c["why"]) for c in listed] == [("92", "2023-12-31", "原表笔误")]

    # In the notices: item 92 is due 2023年12月 (corrected), so it is blue on 10 December.
    out = tmp_path / "n"
    run("notices", "--out", str(out), "--as-of", "2023-12-10", "--near-days", "30", check=True)
    import docx

    notice = docx.Document(out / "蓝色提醒单_市农业农村局.docx")
    text = "\n".join(p.text for p in notice.paragraphs)
    assert "完成时限已更正：原表“2013年12月”，更正为2023年12月31日（原表笔误）。" in text

    undone = run("fix", "湛江市/2023/1", "92", "--undo", check=True)
    assert "undid" in undone.stdout
    assert run("fix", "湛江市/2023/1", "92", "--undo").returncode == 1


# --- the notices ----------------------------------------------------------------------------


def test_no_english_reaches_a_notice():
    assert why_zh("no report row on this item") == "未报送进展"
    assert why_zh("Q3 target 累计 6.6 亿元 (sum of Q1–Q3) (完成投资 4 亿元。); reported 6 亿元") == (
        "第三季度目标累计 6.6 亿元（第一至三季度目标之和）（完成投资 4 亿元。）；报送 6 亿元"
    )
    assert why_zh("状态 '已完成'; also meets the Q4 target 100%") == "状态“已完成”；已达到第四季度目标100%"
    assert why_zh("something nobody translated") is None  # left out of the notice, never printed


def _pdf(soffice: str, docs: list[Path], tmp_path: Path) -> dict[str, Path]:
    out = tmp_path / "pdf"
    done = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, docs),
        ],
        capture_output=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return {d.stem: out / f"{d.stem}.pdf" for d in docs}


@pytest.mark.office
def test_every_notice_kind_renders_through_libreoffice_as_an_official_notice(run, files, tmp_path):
    import docx
    import pdfplumber

    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("LibreOffice is missing: scripts/test installs libreoffice-writer-nogui")
    run("load", check=True)
    run("progress", "load", str(files["a.xlsx"]), str(files["b.docx"]), check=True)
    out = tmp_path / "n"
    made = run(
        "notices",
        "--out",
        str(out),
        "--number",
        "湛督办〔2023〕",
        "--first",
        "3",
        "--date",
        "2023-10-08",
        "--reply-by",
        "2023-10-20",
        "--contact",
        "李明 0759-3183000",
        check=True,
    )
    assert "11 notices and 1 summary" in made.stdout
    names = sorted(p.stem for p in out.glob("*.docx"))
    # red: lead units of 24, 59, 62, 73, 80, 93; yellow: of 1, 3, 79, 99, 实事 1, 10; blue: of 53.
    assert [n for n in names if n.startswith("蓝色提醒单")] == ["蓝色提醒单_市公安局"]
    assert "红色督办单_市工业和信息化局" in names and "黄色催办单_市发展改革局" in names
    for name in names:  # 92 (市农业农村局): doubtful, in no notice
        assert "92. " not in "\n".join(p.text for p in docx.Document(out / f"{name}.docx").paragraphs)

    # 发文字号 in sequence from --first, in the order written: red, then yellow, then blue.
    numbers = {}
    for path in out.glob("*.docx"):
        text = "\n".join(p.text for p in docx.Document(path).paragraphs)
        numbers[path.stem] = int(re.search(r"湛督办〔2023〕(\d+)号", text)[1])
    assert sorted(numbers.values()) == list(range(3, 14))
    assert (
        max(v for k, v in numbers.items() if k.startswith("红"))
        < min(v for k, v in numbers.items() if k.startswith("黄"))
        < numbers["蓝色提醒单_市公安局"]
    )

    # The item table's columns are sized to their text: 事项 widest, 序号 narrowest.
    table = docx.Document(out / "黄色催办单_市发展改革局.docx").tables[0]
    widths = [c.width for c in table.columns]
    assert [c.text for c in table.rows[0].cells] == ["序号", "事项", "进展", "完成时限", "分管领导"]
    assert widths[1] == max(widths) and widths[0] == min(widths) and widths[3] > widths[4] > widths[0]

    kinds = {
        "红色督办单": ("市工业和信息化局", "张仁建"),
        "黄色催办单": ("市发展改革局", "黄明忠"),
        "蓝色提醒单": ("市公安局", None),
    }
    pdfs = _pdf(soffice, [out / f"{kind}_{unit}.docx" for kind, (unit, _) in kinds.items()], tmp_path)
    for kind, (unit, leader) in kinds.items():
        with pdfplumber.open(pdfs[f"{kind}_{unit}"]) as pdf:
            for page in pdf.pages:  # A4 portrait, text inside the GB/T 9704 margins
                assert (round(page.width / MM), round(page.height / MM)) == (210, 297)
                chars = [c for c in page.chars if c["text"].strip()]
                assert min(c["x0"] for c in chars) >= 28 * MM - 1
                assert min(c["top"] for c in chars) >= 37 * MM - 1
                assert max(c["bottom"] for c in chars) <= (297 - 35) * MM + 1
                # LibreOffice hangs a closing punctuation mark past the line's end although the
                # notice asks it not to (w:overflowPunct off, which Word follows); nothing else.
                beyond = {c["text"] for c in chars if c["x1"] > (210 - 26) * MM + 1}
                assert beyond <= set("，。；、：）”"), beyond
            first = pdf.pages[0]
            text = "".join(p.extract_text() for p in pdf.pages).replace(" ", "").replace("\n", "")
            # The kind in its colour in the heading: red, dark gold, blue.
            heading = [c for c in first.chars if c["text"] in kind and c["top"] < 80 * MM]
            colour = heading[0]["non_stroking_color"]
            rgb = tuple(round(x, 2) for x in colour) if isinstance(colour, (tuple, list)) else colour
            assert {"红色督办单": (0.75, 0.0, 0.0), "黄色催办单": (0.79, 0.63, 0.0), "蓝色提醒单": (0.12, 0.37, 0.68)}[
                kind
            ] == rgb
            body = [c for c in first.chars if c["top"] > 120 * MM and c["size"] > 15]
            assert body and round(body[0]["size"]) == 16  # 三号
        latin = set(re.findall(r"[A-Za-z]+", text)) - set(UNIT_ABBREVIATIONS)
        assert not latin, f"{kind}: English in the notice: {latin}"
        parts = [
            "湛江市人民政府督查室",
            kind,
            "湛督办〔2023〕",
            f"{unit}：",
            "办理要求",
            "请于2023年10月20日前",
            "联系人：李明，电话：0759-3183000。",
            "2023年10月8日",
            "2023年10月8日印发",
        ]
        missing = [p for p in parts if p not in text]
        assert not missing, f"{kind}: missing {missing}"
        if leader:
            assert f"抄送：市政府{leader}同志办公室。" in text
        assert "0项" not in text  # counts of zero are left out
    red = "".join(p.extract_text() for p in pdfplumber.open(pdfs["红色督办单_市工业和信息化局"]).pages).replace(" ", "")
    assert "1项已超过完成时限仍未完成，1项未达到序时进度。" in red.replace("\n", "")
    blue = "".join(p.extract_text() for p in pdfplumber.open(pdfs["蓝色提醒单_市公安局"]).pages).replace(" ", "")
    assert "1项临近完成时限" in blue.replace("\n", "") and "未达到序时进度" not in blue

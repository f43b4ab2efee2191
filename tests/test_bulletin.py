"""Issue 29 §2: the quarter's 督查通报 and the scorecard, on both stores.

Facts checked by hand on the sample (``loaders/samples/zhanjiang-2023.txt``) and the example
reports of ``progress_reports.py`` (A: 30 June, B: 30 September, both loaded workbooks):

- 市自然资源局 leads items 74, 75 and 76 (seed lines 156, 159, 160), each with a 第三季度
  target and a deadline of 2023年12月.  Report B has item 74 (7200 亩 against the Q3 target
  of 7000: on track) and neither 75 nor 76.  Here the unit reports 75 online on 10 October
  at 23:00 Beijing time (15:00 UTC: on time, the deadline being 30 September + 10 days) as
  序时推进, and 76 at 00:30 on 11 October Beijing time (16:30 UTC on the 10th: late) as 滞后.
  Its Q3 row: 3 items, 3 due, 2 on time (74 by workbook, 75), 1 late (76), none missing;
  on schedule 2 (74, 75), behind 1 (76), overdue 0, completed 0; score
  40 × (2 + 0.5 × 1) / 3 + 60 × 2 / 3 = 73.3.
- 市民政局 leads 民生实事 2 and 3 (seed lines 239, 242; no quarter labels: due every
  quarter); neither is in report B.  Its submission on 实事 2, on time, is returned by the
  office: it stops counting.  Its Q3 row: 2 due, 0 on time, 0 late, 2 missing; one item on
  track since report A (实事 3), so 60 × 1/2 = 30.0.
- At 30 September, before these submissions, the 110 items stood at 4 done, 1 ahead, 7 on
  track, 7 behind, 91 without report, 6 overdue (README's `status --trend`); the two online
  reports make it 8 on track, 8 behind, 89 without report.  At 30 June: 3 done, 6 behind,
  92 without report, 0 overdue.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from respgraph.accounts import submissions as subs
from respgraph.accounts import users
from respgraph.accounts.model import AccountError
from respgraph.accounts.scorecard import ScoreRules, bulletin_data, score_rules, scorecard
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.ingest import load_progress
from respgraph.loaders.progress.words import default_vocabulary
from respgraph.viz.bulletin import bulletin_content, write_bulletin
from respgraph.viz.notices import UNIT_ABBREVIATIONS
from tests import progress_reports as reports

PW = "correct horse battery"
VOCAB = default_vocabulary()
ITEM = "item:湛江市/2023/1-b6a81b/"
LIVELIHOOD = "item:湛江市/2023/2-a4a381/"
MM = 72 / 25.4
UTC = dt.UTC


def _fill(store, sample_tables, tmp_path):
    for table in sample_tables:
        store.write(table.to_batch())
    files = [
        reports.write_xlsx(tmp_path / "a.xlsx", reports.report_a(), reports.DATE_A),
        reports.write_docx(tmp_path / "b.docx", reports.report_b()),
    ]
    load_progress(store, files, vocabulary=VOCAB)
    office = users.add_user(store, login="office", display="督查室", role="office", password=PW, actor="test")
    zrzy = users.add_user(
        store, login="zrzy", display="市自然资源局", role="unit", password=PW, bound="市自然资源局", actor="test"
    )
    mz = users.add_user(store, login="mz", display="市民政局", role="unit", password=PW, bound="市民政局", actor="test")
    send = dict(year=2023, quarter=3, vocabulary=VOCAB)
    subs.submit(
        store,
        zrzy,
        target=ITEM + "75",
        status_word="序时推进",
        done="完成造林任务 90%",
        now=dt.datetime(2023, 10, 10, 15, 0, tzinfo=UTC),
        **send,
    )
    subs.submit(
        store,
        zrzy,
        target=ITEM + "76",
        status_word="滞后",
        done="竣工验收推迟",
        now=dt.datetime(2023, 10, 10, 16, 30, tzinfo=UTC),
        **send,
    )
    returned = subs.submit(
        store,
        mz,
        target=LIVELIHOOD + "2",
        status_word="序时推进",
        done="已提标",
        now=dt.datetime(2023, 10, 5, 2, 0, tzinfo=UTC),
        **send,
    )
    subs.return_submission(store, office, returned.key, "请补充资金到位情况")
    return store


@pytest.fixture(params=["sqlite", "neo4j"])
def quarter(request, sample_tables, tmp_path):
    if request.param == "sqlite":
        store = SqliteStore.open(tmp_path / "graph.db", create=True)
        yield _fill(store, sample_tables, tmp_path)
        store.close()
    else:
        yield _fill(request.getfixturevalue("scratch_neo4j"), sample_tables, tmp_path)


@pytest.fixture
def sqlite_quarter(sample_tables, tmp_path):
    """The same in SQLite alone: for what does not depend on the store (the layout)."""
    store = SqliteStore.open(tmp_path / "graph.db", create=True)
    yield _fill(store, sample_tables, tmp_path)
    store.close()


def _row(rows, name):
    return next(r for r in rows if r.name == name)


def test_the_scorecard_counts_workbooks_online_reports_late_and_returned(quarter):
    rows = scorecard(quarter, year=2023, quarter=3)
    zrzy = _row(rows, "市自然资源局")
    assert (zrzy.items, zrzy.due, zrzy.on_time, zrzy.late, zrzy.missing) == (3, 3, 2, 1, 0)
    assert (zrzy.on_schedule, zrzy.behind, zrzy.overdue, zrzy.completed, zrzy.score) == (2, 1, 0, 0, 73.3)
    assert zrzy.late_items == ["1-76"]
    mz = _row(rows, "市民政局")
    assert (mz.due, mz.on_time, mz.late, mz.missing, mz.score) == (2, 0, 0, 2, 30.0)
    assert mz.missing_items == ["2-2", "2-3"]
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    assert all(a.score >= b.score for a, b in zip(rows, rows[1:]))
    # Another deadline (a setting): 76, sent on 11 October Beijing time, is on time by 15 days.
    later = _row(scorecard(quarter, year=2023, quarter=3, rules=ScoreRules(report_days=15)), "市自然资源局")
    assert (later.on_time, later.late, later.score) == (3, 0, 80.0)
    # Q2: 74 in report A (3500 亩, behind), 75 and 76 not reported.
    q2 = _row(scorecard(quarter, year=2023, quarter=2), "市自然资源局")
    assert (q2.due, q2.on_time, q2.missing, q2.behind, q2.on_schedule) == (3, 1, 2, 1, 0)
    with pytest.raises(AccountError, match="no table of 2022 is loaded"):
        scorecard(quarter, year=2022, quarter=1)


def test_the_bulletin_says_the_quarter_by_status_reporting_lists_and_the_change(quarter):
    data = bulletin_data(quarter, year=2023, quarter=3)
    content = bulletin_content(data, number="湛督查〔2023〕5号", date=dt.date(2023, 10, 12))
    text = dict(content.sections)
    overall = "".join(text["总体情况"])
    assert (
        "截至2023年9月30日，2023年110项重点工作中，已完成4项（占3.6%），超进度1项（占0.9%），序时推进8项（占7.3%），"
        "滞后8项（占7.3%），未报送89项（占80.9%）；已超过完成时限仍未完成6项。"
    ) in overall
    assert "与上季度末（2023年6月30日）相比，已完成增加1项，滞后增加2项，未报送减少3项，逾期未完成增加6项。" in overall
    reporting = "".join(text["报送情况"])
    assert "报送截止日期为2023年10月10日" in reporting and "逾期报送的1个：市自然资源局（第76项）。" in reporting
    assert "市民政局（附件2第2项、附件2第3项）" in reporting
    warnings = "".join(text["红黄牌事项"])
    assert "红牌（逾期未完成）6项：" in warnings and "市商务局（第59项、第62项）" in warnings
    assert "黄牌（未达序时进度）7项：" in warnings and "市自然资源局（第76项）" in warnings
    assert "超序时推进1项：市交通运输局（第42项）。" in "".join(text["完成和超序时推进事项"])
    assert content.office == "湛江市人民政府督查室" and content.number == "湛督查〔2023〕5号"
    assert content.table[0] == ["排名", "牵头单位", "应报", "按时", "逾期", "未报", "得分"]


def test_weights_are_settings_and_a_bad_setting_is_one_clear_error(tmp_path):
    assert score_rules(tmp_path) == ScoreRules()
    (tmp_path / "bulletin.toml").write_text("[score]\nreporting = 50\nprogress = 50\nreport_days = 5\n", "utf-8")
    assert score_rules(tmp_path) == ScoreRules(reporting=50, progress=50, report_days=5)
    (tmp_path / "bulletin.toml").write_text("[score]\nreportng = 50\n", "utf-8")
    with pytest.raises(AccountError, match=r"bulletin.toml: \[score\] has no setting reportng"):
        score_rules(tmp_path)
    (tmp_path / "bulletin.toml").write_text('[score]\nprogress = "high"\n', "utf-8")
    with pytest.raises(AccountError, match="progress: give a number"):
        score_rules(tmp_path)


def test_the_bulletin_through_libreoffice_is_an_a4_official_document_with_no_latin_word(
    sqlite_quarter, tmp_path, office
):
    import openpyxl
    import pdfplumber

    quarter = sqlite_quarter
    data = bulletin_data(quarter, year=2023, quarter=3)
    quarters = {q: scorecard(quarter, year=2023, quarter=q) for q in (1, 2, 3)}
    document, book = write_bulletin(
        data, quarters, number="湛督查〔2023〕5号", date=dt.date(2023, 10, 12), out=tmp_path / "out"
    )
    assert (document.name, book.name) == ("督查通报_2023年第三季度.docx", "考评得分_2023年第三季度.xlsx")
    sheets = openpyxl.load_workbook(book)
    assert sheets.sheetnames == ["第一季度", "第二季度", "第三季度", "计分规则"]
    q3 = [[c.value for c in row] for row in sheets["第三季度"].iter_rows(min_row=2)]
    assert q3[0][:6] == ["排名", "牵头单位", "城市", "季度", "牵头事项", "本季应报"]
    assert next(r for r in q3 if r[1] == "市自然资源局")[4:] == [3, 3, 2, 1, 0, 2, 1, 0, 0, 73.3]
    [pdf_path] = office.convert([document], tmp_path / "pdf", suffix="pdf", filter_name="writer_pdf_Export")
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            assert (round(page.width / MM), round(page.height / MM)) == (210, 297)
            chars = [c for c in page.chars if c["text"].strip()]
            assert min(c["x0"] for c in chars) >= 28 * MM - 1
            assert min(c["top"] for c in chars) >= 37 * MM - 1
            assert max(c["bottom"] for c in chars) <= (297 - 35) * MM + 1
        heading = [c for c in pdf.pages[0].chars if c["text"] in "督查通报" and c["top"] < 80 * MM]
        colour = tuple(round(x, 2) for x in heading[0]["non_stroking_color"])
        assert colour == (0.75, 0.0, 0.0)
        text = "".join(p.extract_text() for p in pdf.pages).replace(" ", "").replace("\n", "")
    latin = set(re.findall(r"[A-Za-z]+", text)) - set(UNIT_ABBREVIATIONS)
    assert not latin, f"English in the bulletin: {latin}"
    for part in (
        "湛江市人民政府督查室",
        "督查通报",
        "湛督查〔2023〕5号",
        "关于2023年第三季度重点工作推进情况的通报",
        "各县（市、区）人民政府（管委会），市政府各部门、各直属机构：",
        "一、总体情况",
        "二、报送情况",
        "三、红黄牌事项",
        "六、下一步工作要求",
        "2023年10月12日",
        "抄送：",
        "2023年10月12日印发",
    ):
        assert part in text, part


def test_the_command_and_the_board_issue_bulletins_from_the_register(run, home, sample_tables, tmp_path):
    import json

    from respgraph.graph.open_store import open_store
    from respgraph.graph.settings import load_settings

    store = open_store(load_settings(home=home, store="embedded"), write=True)
    _fill(store, sample_tables, tmp_path)
    store.close()
    made = run(
        "bulletin", "--out", str(tmp_path / "one"), "--number", "湛督查〔2023〕", "--date", "2023-10-12", check=True
    )
    assert made.stdout.strip() == f"2023 Q3: 1 bulletin (湛督查〔2023〕1号) and 1 scorecard in {tmp_path / 'one'}"
    again = run(
        "bulletin",
        "--out",
        str(tmp_path / "two"),
        "--quarter",
        "2",
        "--year",
        "2023",
        "--number",
        "湛督查〔2023〕",
        check=True,
    )
    assert "2023 Q2: 1 bulletin (湛督查〔2023〕2号)" in again.stdout  # dated today: 2023's sequence still
    scores = json.loads(run("bulletin", "--scores", "--format", "json", check=True).stdout)
    assert next(r for r in scores if r["name"] == "市自然资源局")["score"] == 73.3
    issued = json.loads(run("notices", "--issued", "--format", "json", check=True).stdout)
    rewritten = run("bulletin", "--batch", issued[1]["key"], "--out", str(tmp_path / "three"), check=True)
    assert "(湛督查〔2023〕1号)" in rewritten.stdout
    refused = run("notices", "--batch", issued[1]["key"], "--out", str(tmp_path / "four"))
    assert refused.returncode == 1 and "respgraph bulletin --batch KEY" in refused.stderr

    from tests.test_notice_register import _client

    client = _client(home)
    assert client.post("/login", data={"login": "office", "password": PW}, follow_redirects=False).status_code == 303
    page = client.get("/board/scorecard?year=2023&quarter=3")
    assert page.status_code == 200 and "<td>73.3</td>" in page.text
    twin = client.get("/board/scorecard.json?year=2023&quarter=3").json()
    assert twin == scores  # one answer, two faces
    posted = client.post(
        "/board/bulletin?year=2023",
        data={"quarter": "3", "number": "湛督查〔2023〕", "date": "2023-10-20", "office": ""},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    board = client.get(posted.headers["location"]).text
    assert "已签发督查通报 湛督查〔2023〕3号" in board and "督查通报</td><td>湛督查〔2023〕1号</td>" in board
    assert 'name="number" value="湛督查〔2023〕"' in board  # remembered for the next bulletin
    key = re.search(r'/board/bulletin.docx\?key=([^"]+)"', board)[1]
    import io

    import docx

    document = docx.Document(io.BytesIO(client.get(f"/board/bulletin.docx?key={key}").content))
    assert "湛督查〔2023〕3号" in [p.text for p in document.paragraphs]
    draft = docx.Document(io.BytesIO(client.get("/board/bulletin.docx?year=2023&quarter=3").content))
    assert any(p.text.endswith("\u3000\u3000号") for p in draft.paragraphs)
    assert client.get("/board/scorecard.xlsx?year=2023&quarter=3").content[:2] == b"PK"
    # A leader reads its own city: a batch issued over every city is not its to read.
    store = open_store(load_settings(home=home, store="embedded"), write=True)
    users.add_user(store, login="chen", display="陈峻华", role="leader", password=PW, bound="陈峻华", actor="test")
    store.close()
    leader = _client(home)
    assert leader.post("/login", data={"login": "chen", "password": PW}, follow_redirects=False).status_code == 303
    assert leader.get(f"/board/bulletin.docx?key={key}").status_code == 404
    assert leader.get(f"/board/issued.zip?key={key}").status_code == 404
    assert "湛督查〔2023〕" not in leader.get("/board").text.split('id="register"')[-1]

"""Issue 29 §1: the register of notices, on both stores.

Facts checked by hand (see tests/test_notices.py): with the example reports A (30 June) and
B (30 September) loaded, the 2023 table calls on 30 September for 11 notices: red to the
lead units of items 24, 59, 62, 73, 80, 93, yellow to those of 1, 3, 79, 99 and 实事 1, 10,
blue to 市公安局 (item 53).  Numbered red first, then yellow, then blue, units in code-point
order within a kind: the red ones go to 市农业农村局 (93), 市卫生健康局 (73), 市商务局 (59, 62),
市城市管理和综合执法局 (80), 市工业和信息化局 (24), numbers 1 to 5; the blue one is the 11th.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from respgraph.accounts import register, users
from respgraph.accounts.audit import audit_log
from respgraph.accounts.model import AccountError, NotAllowed
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.ingest import load_progress
from respgraph.loaders.progress.words import default_vocabulary
from tests import progress_reports as reports

PW = "correct horse battery"
OCT8 = dt.date(2023, 10, 8)


@pytest.fixture(params=["sqlite", "neo4j"])
def fresh(request, sample_tables, tmp_path):
    """The sample and the example reports A and B in a store of its own."""
    if request.param == "sqlite":
        store = SqliteStore.open(tmp_path / "graph.db", create=True)
    else:
        store = request.getfixturevalue("scratch_neo4j")
    for table in sample_tables:
        store.write(table.to_batch())
    files = [
        reports.write_xlsx(tmp_path / "a.xlsx", reports.report_a(), reports.DATE_A),
        reports.write_docx(tmp_path / "b.docx", reports.report_b()),
    ]
    load_progress(store, files, vocabulary=default_vocabulary())
    yield store
    if request.param == "sqlite":
        store.close()


def _office(store):
    return users.add_user(store, login="office", display="督查室", role="office", password=PW, actor="test")


def issue_notices(store, user, out: Path, **options):
    """What `respgraph notices` and the board do: the items at the latest report, a batch issued, written."""
    from respgraph.answers.supervision import notice_items
    from respgraph.viz.issued import write_batch
    from respgraph.viz.notices import notice_plan

    rows, rollup, when, _ = notice_items(store)
    batch = register.issue(store, user, notice_plan(rows), as_of=when, **options)
    return batch, write_batch(rows, rollup, batch, as_of=when, out=out)


def write_issued(store, key: str, out: Path):
    from respgraph.answers.supervision import notice_items
    from respgraph.viz.issued import write_batch

    batch = register.batch(store, key)
    rows, rollup, when, _ = notice_items(
        store, as_of=batch.as_of, city=batch.city, documents=batch.documents, rules=batch.rules()
    )
    return batch, write_batch(rows, rollup, batch, as_of=when, out=out)


def _numbers_in(folder: Path) -> dict[str, str]:
    import docx

    found = {}
    for path in sorted(folder.glob("*.docx")):
        text = "\n".join(p.text for p in docx.Document(path).paragraphs)
        found[path.stem] = re.search(r"湛督办〔2023〕\d+号", text)[0]
    return found


def test_two_issues_in_a_row_get_distinct_numbers_and_a_batch_written_again_its_own(fresh, tmp_path):
    office = _office(fresh)
    one, _ = issue_notices(
        fresh, office, tmp_path / "one", prefix="湛督办〔2023〕", date=OCT8, contact="李明 0759-3183000"
    )
    two, _ = issue_notices(fresh, office, tmp_path / "two", prefix="湛督办〔2023〕", date=OCT8)
    assert (one.first, one.last, two.first, two.last) == (1, 11, 12, 22)
    first, second = _numbers_in(tmp_path / "one"), _numbers_in(tmp_path / "two")
    assert sorted(first) == sorted(second)  # the same notices …
    assert not set(first.values()) & set(second.values())  # … under numbers that never repeat
    assert first["红色督办单_市农业农村局"] == "湛督办〔2023〕1号"
    assert first["红色督办单_市工业和信息化局"] == "湛督办〔2023〕5号"
    assert first["蓝色提醒单_市公安局"] == "湛督办〔2023〕11号"
    # The register keeps which notice went to whom, when, on which items.
    kept = register.batch(fresh, one.key)
    blue = next(n for n in kept.notices if n.kind == "blue")
    assert (blue.unit, blue.number, blue.items) == ("市公安局", 11, ["item:湛江市/2023/1-b6a81b/53"])
    assert (kept.date, kept.as_of, kept.reply_by, kept.issued_by) == (
        OCT8,
        dt.date(2023, 9, 30),
        dt.date(2023, 10, 18),
        "office",
    )
    # Written again, the first batch has its own numbers, not the next ones.
    again, _ = write_issued(fresh, one.key, tmp_path / "again")
    assert _numbers_in(tmp_path / "again") == first and again == kept
    assert [b.key for b in register.batches(fresh)] == [two.key, one.key]
    issued = [e for e in audit_log(fresh, None) if e.action == "notices.issue"]
    assert [(e.actor, e.subject) for e in issued] == [("office", one.key), ("office", two.key)]
    assert issued[0].detail == "湛督办〔2023〕1号–11号, 11 notices as of 2023-09-30"
    # The form's defaults: what the office gave last time.
    assert register.remembered(fresh, "office") == {
        "prefix": "湛督办〔2023〕",
        "contact": "",
        "office": "",
        "bulletin_prefix": "",
    }


def test_sequences_are_per_year_and_prefix_and_go_on_from_a_number_given_by_hand(fresh, tmp_path):
    office = _office(fresh)
    plan = [("red", "市公安局", ["item:湛江市/2023/1-b6a81b/53"])]
    common = dict(as_of=dt.date(2023, 9, 30), reply_by=dt.date(2023, 10, 20))
    a = register.issue(fresh, office, plan, prefix="湛督办〔2023〕", date=OCT8, **common)
    b = register.issue(fresh, office, plan, prefix="湛督查〔2023〕", date=OCT8, **common)
    c = register.issue(fresh, office, plan * 2, prefix="湛督办〔2023〕", date=OCT8, minimum=40, **common)
    d = register.issue(fresh, office, plan, prefix="湛督办〔2023〕", date=OCT8, minimum=3, **common)
    e = register.issue(fresh, office, plan, prefix="湛督办〔2024〕", date=dt.date(2024, 1, 5), **common)
    # Dated 2024 under the prefix of 2023: 2023's sequence goes on (a printed 文号 never repeats).
    f = register.issue(fresh, office, plan, prefix="湛督办〔2023〕", date=dt.date(2024, 1, 6), **common)
    g = register.issue(fresh, office, plan, prefix="督办", date=dt.date(2024, 1, 6), **common)
    assert [(x.first, x.last) for x in (a, b, c, d, e, f, g)] == [
        (1, 1),
        (1, 1),
        (40, 41),
        (42, 42),
        (1, 1),
        (43, 43),
        (1, 1),
    ]
    assert [x.key for x in register.batches(fresh, year=2024)] == [g.key, e.key]
    with pytest.raises(AccountError, match="no notice to issue"):
        register.issue(fresh, office, [], prefix="湛督办〔2023〕", date=OCT8, **common)
    unit = users.add_user(
        fresh, login="zrzy", display="市自然资源局", role="unit", password=PW, bound="市自然资源局", actor="test"
    )
    with pytest.raises(NotAllowed):
        register.issue(fresh, unit, plan, prefix="湛督办〔2023〕", date=OCT8, **common)
    with pytest.raises(AccountError, match="no batch of notices 'notices:nothing'"):
        register.batch(fresh, "notices:nothing")
    assert len(register.batches(fresh)) == 7  # the refused ones left nothing


def test_fifty_concurrent_issues_give_distinct_numbers_nothing_lost(fresh):
    office = _office(fresh)
    plan = [
        ("yellow", "市发展改革局", ["item:湛江市/2023/1-b6a81b/1"]),
        ("yellow", "市国资委", ["item:湛江市/2023/1-b6a81b/99"]),
    ]
    done, errors = [], []

    def send(_):
        # A server's request has a connection of its own; a Neo4j driver is shared.
        store = SqliteStore.open(fresh.path) if fresh.engine == "sqlite" else fresh
        try:
            done.append(
                register.issue(
                    store,
                    office,
                    plan,
                    prefix="湛督办〔2023〕",
                    date=OCT8,
                    as_of=dt.date(2023, 9, 30),
                    reply_by=dt.date(2023, 10, 18),
                )
            )
        except Exception as exc:  # noqa: BLE001 - every failure is reported below
            errors.append(repr(exc))

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(send, range(50)))
    assert errors == []
    numbers = sorted(n.number for b in done for n in b.notices)
    assert numbers == list(range(1, 101))  # 50 batches of two: every number once, none skipped
    assert all(b.last == b.first + 1 for b in done)
    kept = register.batches(fresh)
    assert sorted(b.key for b in kept) == sorted(b.key for b in done)
    assert len([e for e in audit_log(fresh, None) if e.action == "notices.issue"]) == 50


def test_a_store_file_made_before_the_register_gets_it(sample_tables, tmp_path):
    """A store file of the version before: accounts tables, no register tables; it gets them on first use."""
    from respgraph.accounts import storage

    path = tmp_path / "graph.db"
    store = SqliteStore.open(path, create=True)
    store.write(sample_tables[0].to_batch())
    office = _office(store)
    store.close()
    db = sqlite3.connect(path)
    db.executescript(
        "DROP TRIGGER notice_batches_kept; DROP TRIGGER notice_batches_no_delete; "
        "DROP TABLE notice_batches; DROP TABLE notice_sequences;"
    )
    db.close()
    storage._OPEN.clear()
    again = SqliteStore.open(path, create=True)
    made = register.issue(
        again,
        office,
        [("blue", "市公安局", ["item:湛江市/2023/1-b6a81b/53"])],
        prefix="湛督办〔2023〕",
        date=OCT8,
        as_of=dt.date(2023, 9, 30),
        reply_by=dt.date(2023, 10, 18),
    )
    assert made.first == 1 and [b.key for b in register.batches(again)] == [made.key]
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        again.db.execute("DELETE FROM notice_batches")
    again.close()


# --- the board and the command line ---------------------------------------------------------


@pytest.fixture
def loaded_home(home, sample_tables, tmp_path):
    from respgraph.graph.open_store import open_store
    from respgraph.graph.settings import load_settings

    store = open_store(load_settings(home=home, store="embedded"), write=True)
    for table in sample_tables:
        store.write(table.to_batch())
    load_progress(
        store,
        [
            reports.write_xlsx(tmp_path / "a.xlsx", reports.report_a(), reports.DATE_A),
            reports.write_docx(tmp_path / "b.docx", reports.report_b()),
        ],
        vocabulary=default_vocabulary(),
    )
    store.close()
    return home


def _client(home):
    from respgraph.graph.settings import load_settings
    from respgraph.web.app import create_app
    from respgraph.web.library import Backend
    from tests.web_client import BrowserClient

    return BrowserClient(
        create_app(Backend(load_settings(home=home, store="embedded"))),
        client=("127.0.0.1", 50000),
        raise_server_exceptions=False,
    )


def _zip_numbers(content: bytes) -> dict[str, str]:
    import io
    import zipfile

    import docx

    found = {}
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        for name in z.namelist():
            text = "\n".join(p.text for p in docx.Document(io.BytesIO(z.read(name))).paragraphs)
            found[name] = re.search(r"〔\d{4}〕[\d\u3000]+号", text)[0]
    return found


def test_the_board_issues_numbered_batches_lists_them_and_writes_one_again(loaded_home):
    client = _client(loaded_home)
    form = {
        "number": "湛督办〔2023〕",
        "date": "2023-10-08",
        "reply_by": "2023-10-20",
        "contact": "李明 0759-3183000",
        "office": "",
    }
    first = client.post("/board/notices", data=form, follow_redirects=False)
    assert first.status_code == 303 and first.headers["location"].startswith("/board?issued=notices%3A")
    second = client.post("/board/notices", data={**form, "contact": "王芳 0759-3180000"}, follow_redirects=False)
    key1 = first.headers["location"].split("issued=")[1].split("#")[0]
    key2 = second.headers["location"].split("issued=")[1].split("#")[0]
    one = _zip_numbers(client.get(f"/board/issued.zip?key={key1}").content)
    two = _zip_numbers(client.get(f"/board/issued.zip?key={key2}").content)
    assert sorted(one.values()) == sorted(f"〔2023〕{n}号" for n in range(1, 12))
    assert sorted(two.values()) == sorted(f"〔2023〕{n}号" for n in range(12, 23))
    assert _zip_numbers(client.get(f"/board/issued.zip?key={key1}").content) == one  # again: its own
    board = client.get("/board?issued=" + key2).text
    assert "已签发 湛督办〔2023〕12号至22号，共 11 份" in board
    assert "湛督办〔2023〕1号至11号" in board and board.count("/board/issued.zip?key=") == 3
    # Remembered for the office: the prefix and the contact it gave last.
    assert 'name="number" value="湛督办〔2023〕"' in board and 'value="王芳 0759-3180000"' in board
    # A GET never issues: the drafts leave the number blank.
    drafts = _zip_numbers(client.get("/board/notices.zip").content)
    assert set(drafts.values()) == {f"〔{dt.date.today().year}〕\u3000\u3000号"}
    bad = client.post("/board/notices", data={**form, "date": "2023-13-01"})
    assert bad.status_code == 400 and "成文日期" in bad.text
    assert client.get("/board/issued.zip?key=notices:nothing").status_code == 404
    assert client.post("/board/notices", data=form, csrf=False).status_code == 403


def test_the_command_line_issues_lists_and_writes_a_batch_again(run, loaded_home, tmp_path):
    made = run(
        "notices", "--out", str(tmp_path / "a"), "--number", "湛督办〔2023〕", "--date", "2023-10-08", check=True
    )
    assert "11 notices and 1 summary" in made.stdout and "湛督办〔2023〕1号–11号" in made.stdout
    again = run(
        "notices", "--out", str(tmp_path / "b"), "--number", "湛督办〔2023〕", "--date", "2023-10-08", check=True
    )
    assert "湛督办〔2023〕12号–22号" in again.stdout
    listed = json.loads(run("notices", "--issued", "--format", "json", check=True).stdout)
    assert [b["numbers"] for b in listed] == ["湛督办〔2023〕12号–22号", "湛督办〔2023〕1号–11号"]
    run("notices", "--batch", listed[1]["key"], "--out", str(tmp_path / "c"), check=True)
    assert _numbers_in(tmp_path / "c") == _numbers_in(tmp_path / "a")
    missing = run("notices", "--batch", "notices:nothing", "--out", str(tmp_path / "d"))
    assert missing.returncode == 1 and "no batch of notices 'notices:nothing'" in missing.stderr
    assert run("notices").returncode == 2

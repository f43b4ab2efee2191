"""Every write path changes the store's generation, on both stores, in the write's own
transaction; reads and refused writes leave it as it is.  A cache of answers keyed by
the generation (one server's, or two servers' on one store) can then never serve what a
write has changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from respgraph.accounts import register, users
from respgraph.accounts import submissions as subs
from respgraph.accounts.model import AccountError
from respgraph.graph.corrections import record_correction, undo_correction
from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.progress.reports import match_report, read_progress
from respgraph.loaders.progress.words import default_vocabulary
from respgraph.queries.progress_reports import targets
from tests import progress_reports as reports

DOC1 = "doc:湛江市/2023/1-b6a81b"
PW = "correct horse battery"


@pytest.fixture(params=["sqlite", "neo4j"])
def fresh(request, sample_tables, tmp_path):
    if request.param == "sqlite":
        store = SqliteStore.open(tmp_path / "graph.db", create=True)
        yield store
        store.close()
    else:
        yield request.getfixturevalue("scratch_neo4j")


def test_every_write_path_changes_the_generation(fresh, sample_tables, tmp_path):
    seen = [fresh.generation()]

    def changed(what: str) -> None:
        now = fresh.generation()
        assert now not in seen, f"{what} left the generation at {now}"
        seen.append(now)

    for table in sample_tables:
        fresh.write(table.to_batch())
        changed("a table's load")
    fresh.write(sample_tables[0].to_batch())
    changed("a table's reload")

    path = reports.write_xlsx(tmp_path / "q2.xlsx", reports.report_a(), reports.DATE_A)
    report = read_progress(path)
    matched = [
        match_report(targets(fresh), t, as_of=report.as_of, file=str(path), vocabulary=default_vocabulary())
        for t in report.tables
    ]
    fresh.write_progress(matched[0].progress.to_batch())
    changed("a progress workbook's load")
    fresh.remove_progress(matched[0].progress.to_batch().document)
    changed("a progress report's removal")

    record_correction(fresh, document=DOC1, number="92", field="deadline", value="2023-12-31", why="原表笔误")
    changed("a correction")
    assert undo_correction(fresh, document=DOC1, number="92")
    changed("a correction taken back")

    office = users.add_user(fresh, login="office", display="督查室", role="office", password=PW, actor="test")
    changed("a user added")
    unit = users.add_user(
        fresh, login="zrzy", display="市自然资源局", role="unit", password=PW, bound="市自然资源局", actor="test"
    )
    changed("a second user added")
    users.disable_user(fresh, "zrzy", actor="office")
    changed("a user disabled")
    users.enable_user(fresh, "zrzy", actor="office")
    changed("a user enabled")
    sent = subs.submit(
        fresh,
        unit,
        target="item:湛江市/2023/1-b6a81b/74",
        year=2023,
        quarter=2,
        status_word="序时推进",
        done="累计完成批而未供土地4200亩",
        vocabulary=default_vocabulary(),
    )
    changed("a submission")
    subs.return_submission(fresh, office, sent.key, "数字与台账不符")
    changed("a submission returned")
    subs.allow_implementers(fresh, office, DOC1, True)
    changed("an office setting")
    register.issue(
        fresh,
        office,
        [("red", "市公安局", ["item:湛江市/2023/1-b6a81b/53"])],
        prefix="湛督办〔2023〕",
        date=dt.date(2023, 10, 8),
        as_of=dt.date(2023, 9, 30),
    )
    changed("a batch of notices issued")

    assert fresh.remove_document(DOC1)
    changed("a table's removal")

    before = fresh.generation()
    fresh.documents(), fresh.nodes(("Unit",))
    with pytest.raises(AccountError):
        users.add_user(fresh, login="office", display="x", role="office", password=PW, actor="test")
    assert fresh.generation() == before  # reads and a refused write change nothing


def test_a_store_made_anew_never_repeats_a_generation(tmp_path, sample_tables):
    path = tmp_path / "graph.db"
    first = SqliteStore.open(path, create=True)
    first.write(sample_tables[1].to_batch())
    old = first.generation()
    first.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    again = SqliteStore.open(path, create=True)
    again.write(sample_tables[1].to_batch())  # the same count of writes on a new file
    assert again.generation() != old

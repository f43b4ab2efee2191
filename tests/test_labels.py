"""One table of labels (graph/labels.py): each code has exactly one Chinese label, and
every face reads that table — the web's templates, the notices, the pictures' legend —
so the board never calls a status by another name than the notice it prints (the board
said 超序时/按序时 where the notices, the report and the unit's form said 超进度/序时推进)."""

from __future__ import annotations

from respgraph.graph import labels, progress, vocabulary
from respgraph.graph.progress import Status
from respgraph.viz import notices


def test_each_code_has_one_label_and_no_two_codes_share_one():
    for what, table in labels.TABLES.items():
        assert all(isinstance(v, str) and v.strip() for v in table.values()), what
        assert len(set(table.values())) == len(table), f"two {what} codes share a label"
    assert set(labels.STATUS_ZH) == {s.value for s in Status}
    assert set(labels.ROLE_ZH) == set(vocabulary.ROLES)
    assert set(labels.UNIT_KIND_ZH) == set(vocabulary.KINDS_OF_NAMED)
    assert set(labels.KIND_ZH) == {*vocabulary.KINDS_OF_NAMED, *vocabulary.DISTRICT_KINDS}


def test_the_faces_read_the_one_table():
    from respgraph.web.render import templates

    globals_ = templates().globals
    assert globals_["STATUS_ZH"] is labels.STATUS_ZH is progress.STATUS_ZH
    assert globals_["WARNING_ZH"] is labels.WARNING_ZH
    assert globals_["KIND_ZH"] is labels.KIND_ZH is vocabulary.KIND_ZH
    assert globals_["ROLE_ZH"] is labels.ROLE_ZH is vocabulary.ROLE_ZH
    assert globals_["ROLE_NAME"] is labels.ACCOUNT_ROLE_ZH
    assert {k: v for k, v in notices.WARNING_ZH.items() if k} == labels.WARNING_ZH


def test_the_board_words_a_status_as_the_notices_and_the_units_form_do():
    from respgraph.web.routers.accounts import OFFERED

    # The unit's form offers the words a workbook's 状态 column uses; the board shows the same.
    for status in ("done", "ahead", "on_track", "behind", "not_started"):
        assert labels.STATUS_ZH[status] in OFFERED

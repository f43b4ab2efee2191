"""Safer defaults for units and the office (issue 31, item 10): a unit sees the items it is named
on (the wider rule an office setting per table), others' words only on its own items; the
report form preselects no status; the last office account is not disabled or reset by itself
without confirmation, on the command line and the web.

Facts from the sample (seed line numbers): 156, 159, 160: 市自然资源局 leads items 74, 75 and 76;
66: item 29 (建成巴斯夫项目大件码头, second quarter: 项目完工) is led by 市交通运输局, which
assists on item 74 beside 市自然资源局 and is not named with it on 29.
"""

from __future__ import annotations

import re

import pytest

from respgraph.accounts import rights, submissions, users
from respgraph.accounts.model import NeedsConfirmation
from respgraph.loaders.progress.words import default_vocabulary
from tests.test_accounts import ITEM, PW, fresh, office, zrzy  # noqa: F401 - the fixture, on both stores
from tests.two_cities import two_cities  # noqa: F401

DOC1 = "doc:湛江市/2023/1-b6a81b"


def test_a_unit_sees_the_items_it_is_named_on_unless_the_office_widens_a_table(fresh):
    unit, chief = zrzy(fresh), office(fresh)
    seen = rights.visible_items(fresh, unit)
    assert seen.items == frozenset(rights.own_items(fresh, unit.bound))
    assert {ITEM + n for n in ("74", "75", "76")} <= seen.items and ITEM + "29" not in seen
    assert len(seen.items) == 39  # the sample's `items --unit 市自然资源局`: 39 named directly, none through a group
    rights.widen_unit_scope(fresh, chief, DOC1, True, address="10.0.0.1")
    wide = rights.visible_items(fresh, unit)
    assert ITEM + "29" in wide and "item:湛江市/2023/2-a4a381/7" not in wide
    rights.widen_unit_scope(fresh, chief, DOC1, False)
    assert ITEM + "29" not in rights.visible_items(fresh, unit)
    from respgraph.accounts.audit import audit_log

    assert [e.detail for e in audit_log(fresh, None, action="table.unit_scope")] == [
        "units see their partners' items",
        "units see the items they are named on",
    ]


def test_the_last_office_account_needs_confirmation(fresh):
    office(fresh)
    with pytest.raises(NeedsConfirmation, match="last active office account"):
        users.disable_user(fresh, "office", actor="office")
    with pytest.raises(NeedsConfirmation, match="resets its own password"):
        users.change_password(fresh, "office", "a new long password", actor="office")
    users.change_password(fresh, "office", "a new long password", actor="cli:root")  # someone else: as before
    assert users.get_user(fresh, "office").active
    users.add_user(fresh, login="office2", display="督查室2", role="office", password=PW, actor="test")
    users.disable_user(fresh, "office", actor="office2")  # another office remains: no question
    with pytest.raises(NeedsConfirmation):
        users.disable_user(fresh, "office2", actor="office2")
    assert users.disable_user(fresh, "office2", actor="office2", confirm=True).active is False


# --- through the web and the command line -----------------------------------------------------------
def test_a_unit_reads_a_partners_page_with_only_the_items_it_may_see(two_cities):
    unit = two_cities.logged_in("zrzy")
    partner = unit.get("/units/湛江市/市交通运输局.json")
    assert partner.status_code == 200
    numbers = {r["number"] for r in partner.json()}
    assert "74" in numbers and "29" not in numbers
    page = unit.get("/units/湛江市/市交通运输局")
    assert page.status_code == 200 and "建成巴斯夫项目大件码头" not in page.text
    assert unit.get("/items/湛江市/2023/1-b6a81b/29.json").status_code == 404
    office = two_cities.logged_in("office")
    assert "29" in {r["number"] for r in office.get("/units/湛江市/市交通运输局.json").json()}


def test_a_widened_table_shows_partners_items_without_their_words(two_cities):
    store = two_cities.store()
    chief = users.get_user(store, "office")
    jt = users.add_user(
        store, login="jt", display="交通", role="unit", password=PW, bound="市交通运输局", city="湛江市", actor="test"
    )
    words = "码头主体完工，待验收"
    submissions.submit(
        store,
        jt,
        target=ITEM + "29",
        year=2023,
        quarter=2,
        status_word="已完成",
        done=words,
        obstacles="验收排期",
        vocabulary=default_vocabulary(),
    )
    rights.widen_unit_scope(store, chief, DOC1, True)
    try:
        unit = two_cities.logged_in("zrzy")
        item = unit.get("/items/湛江市/2023/1-b6a81b/29.json")
        assert item.status_code == 200
        assert [h["status"] for h in item.json()["history"]] == ["done"] and item.json()["history"][0]["progress"] == ""
        assert words not in unit.get("/items/湛江市/2023/1-b6a81b/29").text
        assert words in two_cities.logged_in("office").get("/items/湛江市/2023/1-b6a81b/29.json").text
    finally:
        rights.widen_unit_scope(store, chief, DOC1, False)


def test_the_report_form_preselects_no_status(two_cities):
    page = two_cities.logged_in("zrzy").get("/report?year=2023&quarter=2").text
    selects = re.findall(r'<select name="status" required>(.*?)</select>', page)
    assert selects and all(
        s.startswith('<option value="" selected disabled>') and s.count("selected") == 1 for s in selects
    )
    refused = two_cities.logged_in("zrzy").post(
        "/report", data={"target": ITEM + "74", "year": "2023", "quarter": "2", "status": "", "done": "x"}
    )
    assert refused.status_code in (400, 422)


def test_disabling_on_the_web_asks_first_and_warns_for_the_last_office(two_cities):
    office = two_cities.logged_in("office")
    asked = office.post("/users/disable", data={"login": "view"}, follow_redirects=False)
    assert asked.status_code == 200 and "确认停用" in asked.text and "最后一个" not in asked.text
    assert users.get_user(two_cities.store(), "view").active
    last = office.post("/users/disable", data={"login": "office"}, follow_redirects=False)
    assert last.status_code == 200 and "最后一个启用的督查室账号" in last.text
    assert users.get_user(two_cities.store(), "office").active
    reset = office.post("/users/passwd", data={"login": "office", "password": "another long one"})
    assert reset.status_code == 400 and "请勾选“确认”" in reset.text
    done = office.post("/users/disable", data={"login": "view", "confirm": "1"}, follow_redirects=False)
    assert done.status_code == 303 and not users.get_user(two_cities.store(), "view").active
    users.enable_user(two_cities.store(), "view", actor="test")


@pytest.mark.parametrize("fresh", ["sqlite"], indirect=True)  # the rule is the library's, tested on both stores above
def test_the_command_line_disables_the_last_office_only_with_yes(fresh, tmp_path):
    from click.testing import CliRunner

    from respgraph.cli import cli

    office(fresh)
    args = ["--home", str(tmp_path), "--store", "embedded", "users", "disable", "office"]
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1 and "last active office account" in refused.output and "(add --yes)" in refused.output
    assert users.get_user(fresh, "office").active
    assert CliRunner().invoke(cli, [*args, "--yes"]).output == "disabled office\n"
    assert not users.get_user(fresh, "office").active

"""What a user may see decides every answer: search, suggestions, the home data, name-choice
pages, co-responsibility, lists and error messages (issue 31, items 4 and 10).

The served store holds the sample twice: as 湛江市 (its own) and as 茂名市 (the same text read
with ``city="茂名市"``), so every unit and leader has a namesake in another city.  Facts checked
by hand against the sample (seed line numbers):
- 156, 159, 160: items 74, 75, 76 are led by 市自然资源局.
- 254: livelihood item 7 names 市医疗保障局 alone.
"""

from __future__ import annotations

from urllib.parse import unquote

import pytest

pytest.importorskip("fastapi")

from tests.two_cities import ACCOUNTS, JSON, OTHER, leaked, two_cities  # noqa: E402,F401


@pytest.fixture(scope="module")
def clients(two_cities):
    return {login: two_cities.logged_in(login) for login in ACCOUNTS}


# --- a leader sees its own city, everywhere --------------------------------------------------------
def test_a_leaders_suggestions_and_search_are_of_its_city(clients):
    office, leader = clients["office"], clients["chen"]
    both = office.get("/suggest", params={"q": "市自然资源局"}).json()
    assert {h["city"] for h in both if h["kind"] == "unit"} == {"湛江市", OTHER}  # the office sees both
    mine = leader.get("/suggest", params={"q": "市自然资源局"}).json()
    assert mine and {h["city"] for h in mine} == {"湛江市"}
    # Item 74's title, 盘活批而未供土地 8000亩以上, is in both cities' tables.
    hits = leader.get("/suggest", params={"q": "盘活批而未供土地"}).json()
    assert [(h["city"], h["number"]) for h in hits] == [("湛江市", "74")]
    # One hit of its own city: /go opens it (the office is shown both).
    go = leader.get("/go", params={"q": "市自然资源局"}, follow_redirects=False)
    assert go.status_code == 303 and unquote(go.headers["location"]) == "/units/湛江市/市自然资源局"
    assert office.get("/go", params={"q": "市自然资源局"}, follow_redirects=False).status_code == 200
    nothing = leader.get("/go", params={"q": "茂名市"})
    assert nothing.status_code == 404 and not leaked(nothing.text)


def test_a_leaders_home_data_and_name_choices_are_of_its_city(clients):
    leader = clients["chen"]
    home = leader.get("/index.json").json()
    assert {d["city"] for d in home["documents"]} == {"湛江市"}
    assert home["nodes"] == {"Document": 2, "Item": 110}  # the sample: 100 key items and 10 livelihood projects
    assert {d["city"] for d in clients["office"].get("/index.json").json()["documents"]} == {"湛江市", OTHER}
    # The name-choice page: one city for the leader, so it opens it; the office chooses.
    one = leader.get("/units/市自然资源局", follow_redirects=False)
    assert one.status_code == 303 and unquote(one.headers["location"]) == "/units/湛江市/市自然资源局"
    assert clients["office"].get("/units/市自然资源局", headers=JSON, follow_redirects=False).status_code == 300
    lead = leader.get("/leaders/陈峻华", follow_redirects=False)
    assert lead.status_code == 303 and unquote(lead.headers["location"]) == "/leaders/湛江市/陈峻华"


def test_a_leader_gets_no_co_responsibility_of_another_city(clients):
    leader = clients["chen"]
    answer = leader.get("/co.json", params={"unit": f"{OTHER}:市自然资源局"})
    assert answer.status_code == 404 and not leaked(answer.text)
    own = leader.get("/co.json", params={"unit": "市自然资源局"}).json()
    assert own and own[0]["name"] == "市发展改革局"
    assert clients["office"].get("/co.json", params={"unit": f"{OTHER}:市自然资源局"}).status_code == 200


def test_error_pages_name_nothing_a_reader_may_not_see(clients):
    leader = clients["chen"]
    for url in (
        "/board.json?doc=" + OTHER + "/2023/1",
        "/board.json?doc=nothing",
        "/units/湛江市/市自然资.json",
        "/leaders/" + OTHER + "/陈峻华.json",
        "/items/" + OTHER + "/2023/1/74.json",
        "/co.json?unit=nothing",
    ):
        answer = leader.get(url)
        assert answer.status_code in (400, 404), url
        assert not leaked(answer.text), (url, answer.text[:300])


def test_every_search_and_error_page_for_every_role(clients):
    """The route × role walk of tests/test_web_accounts.py, for the search and error pages:
    no reader of 湛江市 alone meets a word of 茂名市."""
    urls = [
        "/suggest?q=市自然资源局",
        "/suggest?q=74",
        "/go?q=市财政局",
        "/go?q=陈峻华",
        "/units/市财政局",
        "/leaders/陈峻华",
        "/board.json?doc=nothing",
        "/board.json?doc=" + OTHER + "/2023/1",
        "/items/" + OTHER + "/2023/1/74.json",
        "/units/" + OTHER + "/市财政局.json",
        "/co.json?unit=nothing",
        "/index.json",
    ]
    leaks = []
    for login in ("chen", "zrzy"):
        for url in urls:
            answer = clients[login].get(url, headers=JSON, follow_redirects=False)
            if leaked(answer.text) or leaked(answer.headers.get("location", "")):
                leaks.append(f"{login} {url}: {answer.status_code} {answer.text[:120]}")
    assert leaks == []

"""Twins that had drifted: the web's JSON and the CLI's JSON of one question, asked with
no options, on data that is not freshly loaded in the current year.

- ``/review.json`` and ``respgraph submissions who``: the web asked about the latest year
  with tables, the CLI about this calendar year (27 rows against none on the sample).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("web_tests", Path(__file__).with_name("test_web.py"))
web_tests = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(web_tests)
sample_home = web_tests.sample_home


def test_review_json_is_submissions_who_by_default(sample_home):
    cli = web_tests.cli_json(sample_home, "submissions", "who")
    web = web_tests.client_of(sample_home).get("/review.json").json()
    assert cli == web
    # The sample's tables are of 2023: both ask about its last quarter, in which items are due.
    assert len(web) > 0 and {r["city"] for r in web} == {"湛江市"}
    assert web_tests.cli_json(sample_home, "submissions", "who", "--year", "2023", "--quarter", "4") == cli

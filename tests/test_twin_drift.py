"""Twins that had drifted: the web's JSON and the CLI's JSON of one question, asked with
no options, on data that is not freshly loaded in the current year.

- ``/review.json`` and ``respgraph submissions who``: the web asked about the latest year
  with tables, the CLI about this calendar year (27 rows against none on the sample).
- an unknown or ambiguous name: the page printed the CLI's English, its hint of a command
  to run included (`respgraph units` lists them all).
- a file's check after ``respgraph fix``: the CLI said the correction (by parsing its own
  English note), the web did not.
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


def test_a_files_check_after_fix_is_the_same_on_both_faces(sample_home):
    from click.testing import CliRunner

    from respgraph.cli import cli
    from respgraph.loaders.load import sample_path

    fixed = CliRunner().invoke(
        cli,
        [
            "--home",
            str(sample_home),
            "--store",
            "embedded",
            "fix",
            "湛江市/2023/1",
            "92",
            "deadline=2023-12-31",
            "--why",
            "原表笔误",
        ],
    )
    assert fixed.exit_code == 0, fixed.output
    cli_notes = web_tests.cli_json(sample_home, "check", str(sample_path()))
    client = web_tests.client_of(sample_home)
    sample = sample_path()
    web_notes = client.post("/files/check.json", files={"file": (sample.name, sample.read_bytes())}).json()
    assert web_notes == cli_notes
    line_211 = [n for n in web_notes if n["kind"] == "deadline_year"]
    assert [(n["line"], n["fields"]["item"], n["corrected"]) for n in line_211] == [
        (211, "92", "完成时限已更正：原表“2013年12月”，更正为2023年12月31日（原表笔误）")
    ]
    page = client.post("/files/check", files={"file": (sample.name, sample.read_bytes())}).text
    assert "第92项：完成时限“2013年12月”不在文件的年度（2023年）内；完成时限已更正" in page


def test_an_alias_of_one_city_answers_on_both_faces(sample_home):
    from respgraph.graph.settings import load_settings

    aliases = load_settings(home=sample_home, store="embedded").aliases_file
    aliases.parent.mkdir(parents=True, exist_ok=True)
    aliases.write_text('["湛江市"]\n"市自然资源局" = ["资规局"]\n', "utf-8")
    cli = web_tests.cli_json(sample_home, "items", "--unit", "湛江市:资规局")
    page = web_tests.client_of(sample_home).get("/units/湛江市/资规局.json")
    assert page.status_code == 200, page.text
    assert page.json() == cli
    # 市自然资源局 leads items 74, 75 and 76 (seed lines 156, 159, 160).
    assert {r["number"] for r in cli if "lead" in r["roles"]} >= {"74", "75", "76"}


def test_an_unknown_name_is_said_on_the_page_from_the_errors_fields(sample_home):
    client = web_tests.client_of(sample_home)
    page = client.get("/units/湛江市/自然资源局")
    assert page.status_code == 404
    assert "湛江市没有名为“自然资源局”的单位" in page.text
    assert 'href="/units/市自然资源局"' in page.text  # the suggestion, as a link
    assert "lists them all" not in page.text and "did you mean" not in page.text
    twin = client.get("/units/湛江市/自然资源局.json")
    assert twin.status_code == 404 and twin.json()["error"] == web_tests.cli_error(
        sample_home, "items", "--unit", "湛江市:自然资源局"
    )


def test_the_documents_are_read_once_per_generation_and_a_load_beside_the_server_shows_at_once(
    sample_home, monkeypatch
):
    from respgraph.graph.sqlite_store import SqliteStore

    reads = []
    real = SqliteStore.nodes
    monkeypatch.setattr(
        SqliteStore,
        "nodes",
        lambda self, labels: (
            reads.append(tuple(labels)) if tuple(labels) == ("Document",) else None,
            real(self, labels),
        )[1],
    )
    client = web_tests.client_of(sample_home)
    for _ in range(3):
        assert client.get("/units/湛江市/市自然资源局.json").status_code == 200
    assert reads.count(("Document",)) == 1  # one read of the documents for three answers
    assert len(client.get("/files.json").json()) == 2
    # A command beside the running server writes: the next page shows it, read once again.
    maoming = Path(__file__).resolve().parents[1] / "docs" / "examples" / "maoming-2024.csv"
    from click.testing import CliRunner

    from respgraph.cli import cli

    loaded = CliRunner().invoke(cli, ["--home", str(sample_home), "--store", "embedded", "load", str(maoming)])
    assert loaded.exit_code == 0, loaded.output
    assert len(client.get("/files.json").json()) == 3
    assert client.get("/units/茂名市/市财政局.json").status_code == 200


def test_a_question_about_one_table_is_about_its_year(sample_home):
    from click.testing import CliRunner

    from respgraph.cli import cli

    maoming = Path(__file__).resolve().parents[1] / "docs" / "examples" / "maoming-2024.csv"
    loaded = CliRunner().invoke(cli, ["--home", str(sample_home), "--store", "embedded", "load", str(maoming)])
    assert loaded.exit_code == 0, loaded.output
    # 湛江市's table is of 2023; 茂名市's of 2024: asked about 湛江市's table, the quarter is 2023's last.
    of_table = CliRunner().invoke(
        cli, ["--home", str(sample_home), "--store", "embedded", "submissions", "who", "--doc", "湛江市/2023/1"]
    )
    assert of_table.exit_code == 0, of_table.output
    assert of_table.stdout.rstrip().endswith("2023 Q4")
    assert (
        web_tests.cli_json(sample_home, "submissions", "who", "--doc", "湛江市/2023/1")
        == web_tests.cli_json(
            sample_home, "submissions", "who", "--doc", "湛江市/2023/1", "--year", "2023", "--quarter", "4"
        )
        != []
    )


def test_the_boards_reasons_are_worded_as_the_notices_word_them(sample_home):
    client = web_tests.client_of(sample_home)
    board = client.get("/board").text
    assert "no report row on this item" not in board and "未报送进展" in board
    assert client.get("/board.json").json()[0]["why"]  # the JSON keeps the library's own words

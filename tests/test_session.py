"""The one session both faces open (respgraph.answers.session), the settings it reads, and the
package's Python API."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from respgraph.answers import search as search_module
from respgraph.answers.session import Session
from respgraph.graph.errors import RespgraphError
from respgraph.graph.settings import load_settings


@pytest.fixture
def session(tmp_path) -> Session:
    return Session(load_settings(home=tmp_path, store="embedded"), per_request=True)


def test_both_faces_open_the_same_session_class(tmp_path):
    from respgraph.commands.main import cli
    from respgraph.web.library import Backend

    seen = []
    import click

    @cli.command("_probe")
    @click.pass_obj
    def probe(state):
        seen.append(state)

    try:
        result = CliRunner().invoke(cli, ["--home", str(tmp_path), "--store", "embedded", "_probe"])
    finally:
        cli.commands.pop("_probe")
    assert result.exit_code == 0, result.output
    assert type(seen[0]) is Session and issubclass(Backend, Session)


def test_the_alias_list_is_read_once_until_its_file_changes(session, monkeypatch):
    import respgraph.loaders.items.names as names

    reads = []
    real = names.default_aliases
    monkeypatch.setattr(names, "default_aliases", lambda path=None: reads.append(path) or real(path))
    assert session.name("湛江市:资规局") == "湛江市:资规局"
    session.aliases()
    assert len(reads) == 1
    session.settings.aliases_file.write_text('["湛江市"]\n"市自然资源局" = ["资规局"]\n', "utf-8")
    assert session.name("湛江市:资规局") == "湛江市:市自然资源局"  # the city's alias, the city kept
    session.name("湛江市:资规局")
    assert len(reads) == 2


def test_the_search_index_is_built_once_per_generation(session, monkeypatch):
    from respgraph.ingest import read_files, write_tables
    from respgraph.loaders.load import sample_path

    with session.writable() as store:
        write_tables(store, read_files([sample_path()], aliases=session.aliases()))
    built = []
    real = search_module._build_index
    monkeypatch.setattr(search_module, "_build_index", lambda store: built.append(1) or real(store))

    def ask(q):
        return search_module.search(session.query_store(), q, aliases=session.aliases(), cache=session.cache)

    assert [h["name"] for h in ask("市公安局")][:1] == ["市公安局"]
    assert ask("雪亮工程")[0]["number"] == "53"
    assert len(built) == 1
    with session.writable() as store:  # a write: a new generation, a new index
        from respgraph.ingest import remove_documents

        remove_documents(store, ["湛江市/2023/2"])
    ask("市公安局")
    assert len(built) == 2


def test_a_read_only_session_refuses_to_write(tmp_path):
    ro = Session(load_settings(home=tmp_path, store="embedded"), read_only=True)
    with pytest.raises(RespgraphError, match="read-only"), ro.writable():
        pass


def test_the_scorecard_quarter_needs_a_report_or_a_question(session):
    from respgraph.accounts.model import AccountError
    from respgraph.answers.scope import Scope

    store = session.query_store()
    assert session.quarter(store, Scope(year=2023), 2) == (2023, 2)
    with pytest.raises(AccountError, match="no progress report is loaded"):
        session.quarter(store, Scope(), None)


def test_a_city_reader_sees_its_city_alone(session):
    from respgraph.ingest import read_files, write_tables
    from respgraph.loaders.load import sample_path

    with session.writable() as store:
        write_tables(store, read_files([sample_path()], aliases=session.aliases()))
    assert len(session.query_store(city="湛江市").documents()) == 2
    assert session.query_store(city="茂名市").documents() == []  # the store holds 湛江市 alone


# --- settings ---------------------------------------------------------------------------------
def test_every_knob_is_a_field_of_the_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("RESPGRAPH_MAX_ROWS", "77")
    monkeypatch.setenv("RESPGRAPH_HEAVY_WAIT", "0.5")
    monkeypatch.setenv("RESPGRAPH_LOCK_WAIT", "7")
    monkeypatch.setenv("RESPGRAPH_SECRET_KEY", "k" * 40)
    monkeypatch.setenv("RESPGRAPH_TIMEZONE", "Europe/Paris")
    s = load_settings(home=tmp_path)
    assert (s.limits.rows, s.serve.heavy_wait, s.lock_wait, s.timezone, s.zone.key) == (
        77,
        0.5,
        7.0,
        "Europe/Paris",
        "Europe/Paris",
    )
    assert s.secret_key.get_secret_value() == "k" * 40 and "k" * 40 not in repr(s)
    from respgraph.graph.limits import limits
    from respgraph.graph.sqlite_health import wait_seconds

    assert (limits().rows, wait_seconds()) == (77, 7.0)  # the readers deep in the code read the same


def test_the_time_zone_defaults_to_shanghai_and_a_wrong_one_is_one_error_line(monkeypatch, tmp_path):
    from respgraph.cli import cli

    monkeypatch.delenv("RESPGRAPH_TIMEZONE", raising=False)
    assert load_settings(home=tmp_path).timezone == "Asia/Shanghai"
    monkeypatch.setenv("RESPGRAPH_TIMEZONE", "Mars/Olympus")
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "info"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "Error: RESPGRAPH_TIMEZONE='Mars/Olympus': not a time zone (give an IANA name such as Asia/Shanghai)"
    )


def test_a_bad_limit_is_one_error_line_when_a_command_starts(monkeypatch, tmp_path):
    from respgraph.cli import cli

    monkeypatch.setenv("RESPGRAPH_MAX_ROWS", "lots")
    result = CliRunner().invoke(cli, ["--home", str(tmp_path), "info"])
    assert (result.exit_code, result.stderr.strip()) == (
        1,
        "Error: RESPGRAPH_MAX_ROWS='lots': give a whole number of at least 1",
    )


# --- the package's face ---------------------------------------------------------------------------
def test_the_python_api_loads_on_first_use():
    code = (
        "import sys, respgraph; before = {m for m in sys.modules if m.startswith('respgraph.')}; "
        "respgraph.Session; print(sorted(before), 'respgraph.answers.session' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    ).stdout
    assert out.strip() == "[] True"


def test_the_python_api_names_what_it_gives():
    import respgraph

    assert respgraph.portfolio.__module__ == "respgraph.queries.portfolio"
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        respgraph.nothing  # noqa: B018 -- the attribute access is the test

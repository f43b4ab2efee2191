"""Audit and sessions that can be trusted (issue 31, item 5): names recorded, printed and
exported without control or format characters, one CSV rule, logins and logouts recorded,
logout ending the session on the server, the login limiter shared through the store, and
X-Forwarded-For believed only from a ``--trusted-proxy``."""

from __future__ import annotations

import pytest

from respgraph.accounts import users
from respgraph.accounts.audit import audit_log, export_audit
from respgraph.accounts.model import LoginRefused, TooManyAttempts
from respgraph.accounts.security import LoginLimiter
from tests.test_accounts import PW, fresh, office  # noqa: F401 - the fixture, on both stores
from tests.two_cities import two_cities  # noqa: F401

FORGED = "\x1b[2J\x1b[H2026-01-01T00:00:00Z office user.add evil\n\u202eevil"


def _invisible(text: str) -> bool:
    import unicodedata

    return any(unicodedata.category(c) in ("Cc", "Cf") for c in text)


def test_a_failed_login_cannot_forge_the_audit_log(fresh):
    office(fresh)
    with pytest.raises(LoginRefused):
        users.authenticate(fresh, FORGED, "wrong", address="10.0.0.1", limiter=LoginLimiter())
    entry = [e for e in audit_log(fresh, None) if e.action == "login.failed"][-1]
    assert not _invisible(entry.subject)
    assert entry.subject.startswith("\\x1b[2J\\x1b[H2026-01-01") and "\\n\\u202eevil" in entry.subject
    lines = export_audit(audit_log(fresh, None), "csv").splitlines()
    assert len(lines) == 1 + len(audit_log(fresh, None))  # one line per entry: no row of the attacker's


# The command line is tested on the SQLite file (its Neo4j settings come from the environment);
# what it prints is the library's, tested on both stores above.
@pytest.mark.parametrize("fresh", ["sqlite"], indirect=True)
def test_the_command_line_prints_no_escape_sequence(fresh, tmp_path):
    from click.testing import CliRunner

    from respgraph.cli import cli

    office(fresh)
    with pytest.raises(LoginRefused):
        users.authenticate(fresh, FORGED, "wrong", address="10.0.0.1", limiter=LoginLimiter())
    result = CliRunner().invoke(
        cli,
        ["--home", str(tmp_path), "--store", "embedded", "audit", "--action", "login"],
        env={"RESPGRAPH_HOME": str(tmp_path)},
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "\\x1b[2J" in result.output


def test_every_csv_export_neutralises_the_same_leading_characters(fresh):
    from respgraph.graph.safe_text import FORMULA_START
    from respgraph.viz.formats import csv_cell

    office(fresh)
    for n, start in enumerate(FORMULA_START):
        with pytest.raises(LoginRefused):
            users.authenticate(fresh, f"{start}cmd{n}", "wrong", address="10.0.0.1", limiter=LoginLimiter())
    text = export_audit(audit_log(fresh, None, action="login.failed"), "csv")
    # The tab and the carriage return are escaped on the way in (\t, \r): printable, then no formula.
    subjects = [line.split(",")[4] for line in text.splitlines()[1:]]
    assert subjects == ["'=cmd0", "'+cmd1", "'-cmd2", "'@cmd3", "\\tcmd4", "\\rcmd5"]
    assert [csv_cell(f"{s}x") for s in FORMULA_START] == [f"'{s}x" for s in FORMULA_START]
    from respgraph.accounts.audit import printable_entry
    from respgraph.accounts.model import AuditEntry

    raw = AuditEntry(at="2026-01-01T00:00:00Z", actor="-", action="login.failed", subject="\tcmd")
    assert export_audit([raw], "csv").splitlines()[1].split(",")[4] == "'\tcmd"  # an old raw entry: prefixed too
    assert printable_entry(raw).subject == "\\tcmd"


def test_logins_and_logouts_are_recorded_and_logout_ends_the_session_on_the_server(fresh):
    office(fresh)
    signer = users.session_signer(fresh)
    user = users.authenticate(fresh, "office", PW, address="10.0.0.1", limiter=LoginLimiter())
    here, there = users.session_token(signer, user), users.session_token(signer, user)
    assert users.user_of_token(fresh, signer, here).login == "office"
    users.end_session(fresh, signer, here, address="10.0.0.1")
    assert users.user_of_token(fresh, signer, here) is None  # a copy of the cookie is refused too
    assert users.user_of_token(fresh, signer, there).login == "office"  # another browser stays in
    users.end_session(fresh, signer, there, address="10.0.0.2", everywhere=True)
    assert users.user_of_token(fresh, signer, there) is None
    again = users.authenticate(fresh, "office", PW, address="10.0.0.3", limiter=LoginLimiter())
    assert users.user_of_token(fresh, signer, users.session_token(signer, again)).login == "office"
    actions = [
        (e.action, e.actor, e.address) for e in audit_log(fresh, None) if e.action.startswith(("login", "logout"))
    ]
    assert actions == [
        ("login", "office", "10.0.0.1"),
        ("logout", "office", "10.0.0.1"),
        ("logout.everywhere", "office", "10.0.0.2"),
        ("login", "office", "10.0.0.3"),
    ]


def test_the_login_limiter_is_shared_through_the_store(fresh):
    """Two servers (or two workers) on one store: five failures at one count at the other."""
    office(fresh)
    one, two = users.shared_limiter(lambda: fresh), users.shared_limiter(lambda: fresh)
    for n in range(3):
        with pytest.raises(LoginRefused):
            users.authenticate(fresh, "office", f"guess {n} guess", address="10.0.0.4", limiter=one)
    for n in range(2):
        with pytest.raises(LoginRefused):
            users.authenticate(fresh, "office", f"guess {n} again", address="10.0.0.5", limiter=two)
    with pytest.raises(TooManyAttempts):
        users.authenticate(fresh, "office", PW, address="10.0.0.6", limiter=one)  # even the right password
    with pytest.raises(TooManyAttempts):
        users.authenticate(fresh, "office", PW, address="10.0.0.6", limiter=two)


# --- through the web ------------------------------------------------------------------------------
def test_logout_on_the_web_ends_the_session_for_every_copy_of_the_cookie(two_cities):
    c = two_cities.logged_in("view")
    copy = two_cities.client()
    copy.cookies.set("rg_session", c.cookies.get("rg_session"))
    assert copy.get("/board.json").status_code == 200
    assert c.post("/logout", follow_redirects=False).status_code == 303
    assert copy.get("/board.json").status_code == 401  # the copied cookie is refused on the server
    # Log out everywhere: the other browsers too.
    first, second = two_cities.logged_in("view"), two_cities.logged_in("view")
    assert first.post("/logout", data={"everywhere": "1"}, follow_redirects=False).status_code == 303
    assert second.get("/board.json").status_code == 401
    assert two_cities.logged_in("view").get("/board.json").status_code == 200


def test_forwarded_addresses_are_believed_only_from_a_trusted_proxy(two_cities):
    def last_failure_address(**options):
        c = two_cities.client(host="127.0.0.1", **options)
        c.post(
            "/login", data={"login": "nobody-here", "password": "x" * 12}, headers={"X-Forwarded-For": "203.0.113.7"}
        )
        return [e.address for e in audit_log(two_cities.store(), None, action="login.failed")][-1]

    assert last_failure_address() == "127.0.0.1"  # no proxy trusted: the header is the client's word
    assert last_failure_address(trusted_proxies=("10.9.9.9",)) == "127.0.0.1"
    assert last_failure_address(trusted_proxies=("127.0.0.0/8",)) == "203.0.113.7"


def test_serve_leaves_forwarded_headers_to_the_application(home, monkeypatch):
    import uvicorn
    from click.testing import CliRunner

    from respgraph.cli import cli

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: seen.update(k))
    result = CliRunner().invoke(cli, ["--home", str(home), "--store", "embedded", "serve"])
    assert result.exit_code == 0, result.output
    assert seen["proxy_headers"] is False  # uvicorn would believe X-Forwarded-For from 127.0.0.1
    bad = CliRunner().invoke(cli, ["--home", str(home), "--store", "embedded", "serve", "--trusted-proxy", "proxy"])
    assert bad.exit_code == 1 and "--trusted-proxy 'proxy' is not an address" in bad.output


def test_the_audit_csv_of_the_web_is_the_same_export(two_cities):
    c = two_cities.client()
    c.post("/login", data={"login": "\tcmd\x1b[1m", "password": "x" * 12})
    office = two_cities.logged_in("office")
    text = office.get("/audit.csv").content.decode("utf-8-sig")
    assert "\x1b" not in text and "\\tcmd\\x1b[1m" in text

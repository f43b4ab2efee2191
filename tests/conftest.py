"""Fixtures from the real sample table; the ``store`` fixture runs a test on every store."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import traceback
import warnings
from contextlib import contextmanager
from pathlib import Path

import hypothesis
import pytest

from respgraph.graph.sqlite_store import SqliteStore
from respgraph.loaders.load import read_tables, sample_path

STORES = ["sqlite", "neo4j"]

# The fast tier (scripts/test --fast) runs each property on a tenth of its examples: the
# properties still run on every change, and the whole suite runs them in full.
hypothesis.settings.register_profile("fast", deadline=None, derandomize=True)


def fast_tier() -> bool:
    """Whether this run is the fast tier (``--hypothesis-profile=fast``, as scripts/test --fast runs)."""
    return hypothesis.settings.get_current_profile_name() == "fast"


def examples(full: int, *, least: int = 20) -> int:
    """How many examples a property (or cases a fuzz run) tries: ``full`` in the whole suite,
    a tenth (at least ``least``) in the fast tier."""
    return min(full, max(least, full // 10)) if fast_tier() else full


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def sample_tables():
    return read_tables(sample_path())


def _fill(store, tables):
    for table in tables:
        store.write(table.to_batch())
    return store


@pytest.fixture(scope="session")
def memory_store(sample_tables):
    return _fill(SqliteStore(), sample_tables)


@pytest.fixture(scope="session", params=STORES)
def store(request, sample_tables):
    """The sample, loaded into each store in turn; queries must answer alike."""
    if request.param == "sqlite":
        return request.getfixturevalue("memory_store")
    return request.getfixturevalue(f"{request.param}_sample_store")


#: When the tests' own loads say they were made: a copied home is then the home a load would have made.
LOADED_AT = "2026-01-01T00:00:00+00:00"


@pytest.fixture(scope="session")
def homes(tmp_path_factory):
    """Embedded homes built once per test process and copied into a test's home: loading the
    sample costs a second or more, copying its graph.db a few milliseconds.  ``homes(name,
    build)`` runs ``build(home)`` the first time a name is asked for (build loads what it
    likes into that home) and returns a function that copies the result into a test's home."""
    built: dict[str, Path] = {}

    def _homes(name: str, build):
        if name not in built:
            template = tmp_path_factory.mktemp(f"home-{name}") / "home"
            build(template)
            built[name] = template

        def copy_into(home: Path) -> Path:
            shutil.copytree(built[name], home, dirs_exist_ok=True)
            return home

        return copy_into

    return _homes


def load_tables(home: Path, tables) -> Path:
    """Write parsed tables into the embedded store of ``home``, as ``respgraph load`` would."""
    from respgraph.graph.open_store import open_store
    from respgraph.graph.settings import load_settings

    store = open_store(load_settings(home=home, store="embedded"), write=True)
    try:
        for table in tables:
            store.write(table.to_batch(loaded_at=LOADED_AT))
    finally:
        store.close()
    return home


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A private RESPGRAPH_HOME so CLI tests never touch the user's graph."""
    monkeypatch.setenv("RESPGRAPH_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("RESPGRAPH_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.delenv("RESPGRAPH_STORE", raising=False)
    return tmp_path / "home"


def respgraph_command() -> str:
    """The installed ``respgraph`` console script, next to this Python."""
    found = shutil.which("respgraph", path=str(Path(sys.executable).parent)) or shutil.which("respgraph")
    if not found:
        pytest.fail("the respgraph command is not installed: pip install -e .")
    return found


@pytest.fixture(scope="session")
def respgraph_bin() -> str:
    return respgraph_command()


@pytest.fixture
def run(home):
    """Run ``respgraph ARGS`` in this process through click's CliRunner, as the installed
    command would: the exit code, stdout (text, and its bytes) and stderr of a
    CompletedProcess.  A command started from nothing costs a second of imports; tests of
    what only a real process shows (signals, peak memory, two at once) run
    ``respgraph_bin`` themselves."""
    from click.testing import CliRunner

    from respgraph.cli import cli

    def _run(*args: str, check: bool = False) -> subprocess.CompletedProcess:
        with _warnings_as_in_a_process():
            result = CliRunner().invoke(cli, list(args), prog_name="respgraph")
        stderr = result.stderr
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            # What Python prints when a command dies of an exception, so "no traceback" is still checked.
            stderr += "".join(traceback.format_exception(result.exception))
        proc = subprocess.CompletedProcess(
            ["respgraph", *args], result.exit_code, result.stdout_bytes.decode("utf-8"), stderr
        )
        proc.stdout_bytes = result.stdout_bytes  # type: ignore[attr-defined]  # the raw output, for the encoding tests
        if check and proc.returncode != 0:
            raise AssertionError(f"respgraph {' '.join(args)} failed: {proc.stderr}")
        return proc

    return _run


@contextmanager
def _warnings_as_in_a_process():
    """Python's default warning filters, printed to the (captured) stderr, as a fresh process
    would: pytest would otherwise record them and a test of stderr would not see them."""
    with warnings.catch_warnings():
        warnings.resetwarnings()
        for category in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
            warnings.simplefilter("ignore", category)
        warnings.showwarning = lambda message, category, filename, lineno, file=None, line=None: sys.stderr.write(
            warnings.formatwarning(message, category, filename, lineno, line)
        )
        yield


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def free_port():
    return _free_port


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory):
    """Settings of a real Neo4j: the one NEO4J_URI names, else one started for this run.

    A server we start is ours to wipe.  A server named by NEO4J_URI is wiped only
    when RESPGRAPH_TEST_WIPE=yes says it is a scratch server: tests never delete
    a user's data by surprise.
    """
    from respgraph.graph.settings import Neo4jSettings

    if os.environ.get("NEO4J_URI"):
        if os.environ.get("RESPGRAPH_TEST_WIPE") != "yes":
            pytest.fail(
                "NEO4J_URI is set: the tests empty that database; set RESPGRAPH_TEST_WIPE=yes "
                "if it is a scratch server, or unset NEO4J_URI to let the tests start their own"
            )
        yield Neo4jSettings(
            uri=os.environ["NEO4J_URI"],
            username=os.environ.get("NEO4J_USERNAME", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD", ""),
            database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        )
        return
    import secrets

    data = tmp_path_factory.mktemp("neo4j")
    password = secrets.token_urlsafe(16)
    env = {**os.environ, "NEO4J_PASSWORD": password}
    launcher = [sys.executable, str(ROOT / "scripts" / "neo4j")]
    started = subprocess.run(
        [*launcher, "start", "--data", str(data), "--port", str(_free_port())],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    if started.returncode != 0:
        pytest.fail(f"could not start Neo4j (scripts/neo4j start):\n{started.stderr[-3000:]}")
    uri = started.stdout.strip().splitlines()[-1].removeprefix("NEO4J_URI=")
    try:
        yield Neo4jSettings(uri=uri, username="neo4j", password=password, database="neo4j")
    finally:
        subprocess.run([*launcher, "stop", "--data", str(data)], capture_output=True, env=env, timeout=120)


@pytest.fixture(scope="session")
def neo4j_store(neo4j_server):
    from respgraph.graph.neo4j_store import Neo4jStore

    store = Neo4jStore.connect(neo4j_server)
    yield store
    store.close()


def wipe(store) -> None:
    # CALL … IN TRANSACTIONS needs an auto-commit transaction, hence session.run.
    with store.driver.session(database=store.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@pytest.fixture
def scratch_neo4j(neo4j_sample_store, sample_tables):
    """The shared server emptied for one test, and given the sample back after it."""
    wipe(neo4j_sample_store)
    yield neo4j_sample_store
    wipe(neo4j_sample_store)
    _fill(neo4j_sample_store, sample_tables)


@pytest.fixture(scope="session")
def neo4j_sample_store(neo4j_store, sample_tables):
    wipe(neo4j_store)
    return _fill(neo4j_store, sample_tables)


@pytest.fixture(scope="session")
def office(tmp_path_factory):
    """One LibreOffice for the conversions the tests make themselves (tests/office.py),
    started at the first one."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("respgraph_tests_office", Path(__file__).with_name("office.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    started = module.Office(tmp_path_factory.mktemp("office"))
    yield started
    started.close()


CHROMIUM = Path("/usr/bin/chromium")
#: How this machine's Chromium must start: no sandbox as root, no background network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _browser_missing(why: str):
    if os.environ.get("CI"):
        pytest.fail(
            f"{why}: CI must run the browser tests (apt-get install -y chromium fonts-noto-cjk; "
            "pip install playwright; never `playwright install`)",
            pytrace=False,
        )
    pytest.skip(why)


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium through Playwright, one for the whole run; a test
    opens its own page.  Missing: a skip on a workstation, a failure in CI."""
    if not CHROMIUM.exists():
        _browser_missing(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _browser_missing("playwright is not installed")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield _OfficeBrowser(launched)
        launched.close()


class _OfficeBrowser:
    """The browser as an office's: its pages ask for Chinese first (``Accept-Language: zh-CN``),
    where Playwright's default asks for English, which the web app answers in English
    (tests/test_i18n.py asks for that on purpose)."""

    def __init__(self, browser):
        self._browser = browser

    def new_page(self, **options):
        options.setdefault("locale", "zh-CN")
        return self._browser.new_page(**options)

    def __getattr__(self, name):
        return getattr(self._browser, name)


#: Fixtures that bring up a real outside part, and the marker a test using one gets.
_OUTSIDE_PARTS = {"neo4j_server": "neo4j", "browser": "browser", "office": "office"}


def pytest_collection_modifyitems(config, items):
    """Mark each test by the real parts it needs (Neo4j, Chromium, LibreOffice), found from
    the fixtures it asks for and its ``neo4j`` parameters, so ``scripts/test --fast`` can
    leave those out without a list of names that would drift."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        for fixture, marker in _OUTSIDE_PARTS.items():
            if fixture in names:
                item.add_marker(marker)
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "neo4j" in params.values() or any("neo4j" in name for name in names):
            item.add_marker("neo4j")

"""Every knob of respgraph in one object: where the graph lives, the Neo4j connection, the wait
for a lock, the loaders' and the served pages' limits, the secret key, the time zone.

Each field names the environment variable that sets it (``env`` in its metadata, walked by
:func:`variables`); :mod:`respgraph.graph.environment` is the one reader of them.  Where the
graph lives is read in this order, later winning: defaults, the config file
(``$RESPGRAPH_CONFIG`` or ``<user config dir>/respgraph/config.toml``), the environment,
then CLI options.  The password and the key are :class:`pydantic.SecretStr`: they print as
``**********``.

>>> sorted(v for v in variables() if v.startswith("NEO4J_"))
['NEO4J_DATABASE', 'NEO4J_PASSWORD', 'NEO4J_URI', 'NEO4J_USERNAME']
>>> timezone({"RESPGRAPH_TIMEZONE": "Europe/Paris"}).key, timezone({}).key
('Europe/Paris', 'Asia/Shanghai')

Config file example::

    store = "neo4j"
    [neo4j]
    uri = "neo4j://db.example:7687"
    username = "neo4j"
    password = "…"
    database = "neo4j"
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field, SecretStr
from pydantic.fields import FieldInfo

from respgraph.graph.environment import from_environment, read
from respgraph.graph.errors import RespgraphError
from respgraph.graph.limits import Limits, ServeLimits

__all__ = [
    "Settings",
    "Neo4jSettings",
    "load_settings",
    "variables",
    "variable",
    "lock_wait",
    "secret_key",
    "timezone",
    "split_uri",
    "check_address",
    "redact_uri",
    "config_file",
]


def _set_by(variable: str, default=..., **options):
    """A field and the environment variable that sets it."""
    return Field(default, json_schema_extra={"env": variable}, **options)


def _env(field: FieldInfo) -> str | None:
    """The environment variable that sets ``field`` (named by :func:`_set_by`), or None."""
    extra = field.json_schema_extra
    env = extra.get("env") if isinstance(extra, dict) else None
    return env if isinstance(env, str) else None


class Neo4jSettings(BaseModel):
    uri: str = _set_by("NEO4J_URI", "bolt://127.0.0.1:7687")
    username: str = _set_by("NEO4J_USERNAME", "neo4j")
    password: SecretStr = _set_by("NEO4J_PASSWORD", SecretStr(""))
    database: str = _set_by("NEO4J_DATABASE", "neo4j")


class Settings(BaseModel):
    store: Literal["embedded", "neo4j"] = _set_by("RESPGRAPH_STORE", "embedded")
    home: Path = _set_by("RESPGRAPH_HOME")
    #: The config file read (it need not exist).
    config: Path | None = _set_by("RESPGRAPH_CONFIG", None)
    neo4j: Neo4jSettings = Neo4jSettings()
    #: Seconds a command waits for another one holding the embedded store (or a write of Neo4j).
    lock_wait: float = _set_by("RESPGRAPH_LOCK_WAIT", 300.0)
    #: Signs the web's session cookies; unset, a key kept in the store is used.
    secret_key: SecretStr | None = _set_by("RESPGRAPH_SECRET_KEY", None)
    #: The time zone times are shown in (they are kept in UTC).
    timezone: str = _set_by("RESPGRAPH_TIMEZONE", "Asia/Shanghai")
    limits: Limits = Field(default_factory=Limits)
    serve: ServeLimits = Field(default_factory=ServeLimits)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def graph_file(self) -> Path:
        return self.home / "graph.db"

    @property
    def legacy_file(self) -> Path:
        """The ``graph.json`` of earlier versions, moved into :attr:`graph_file` on first use."""
        return self.home / "graph.json"

    @property
    def aliases_file(self) -> Path:
        return self.home / "aliases.toml"


def split_uri(uri: str) -> tuple[str, str | None, str | None]:
    """(the URI without user and password, the user, the password) of a Neo4j URI.

    The address is what respgraph prints and logs; the credentials go to the
    driver only (it refuses a ``bolt://`` URI that carries them anyway).

    >>> split_uri("bolt://neo4j:s%40cret@db.example:7687")
    ('bolt://db.example:7687', 'neo4j', 's@cret')
    >>> split_uri("neo4j+s://xxxx.databases.neo4j.io")
    ('neo4j+s://xxxx.databases.neo4j.io', None, None)
    """
    from urllib.parse import unquote

    # Split at the last "@" of what follows the scheme, not by urlsplit: a password may
    # hold "/" or "?" (bolt://neo4j:pa/ss@host), which would end urlsplit's netloc early
    # and leave the password in the address that is printed.
    scheme, sep, rest = uri.partition("://")
    if "@" not in rest:
        return uri, None, None
    userinfo, _, host = rest.rpartition("@")
    user, colon, password = userinfo.partition(":")
    return (f"{scheme}{sep}{host}", unquote(user) or None, unquote(password) if colon else None)


def check_address(uri: str) -> str:
    """Why ``uri`` (already without credentials) is no Neo4j address, or "" when it is one.

    >>> check_address("bolt://host:notaport"), check_address("bolt://host:7687"), check_address("bolt://:1")
    ("the port 'notaport' is not a number from 1 to 65535", '', 'no host is named')
    """
    rest = uri.partition("://")[2]
    hostport = rest.split("/", 1)[0].split("?", 1)[0]
    if hostport.startswith("["):  # an IPv6 address: [::1]:7687
        host, _, port = hostport[1:].partition("]")
        port = port.removeprefix(":")
    else:
        host, _, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "")
    if not host:
        return "no host is named"
    if port and not (port.isascii() and port.isdigit() and 1 <= int(port) <= 65535):
        return f"the port {port[:20]!r} is not a number from 1 to 65535"
    return ""


def redact_uri(uri: str) -> str:
    """A URI as it may be printed: no user or password in it.

    >>> redact_uri("bolt://neo4j:secret@host:7687")
    'bolt://host:7687'
    """
    return split_uri(uri)[0]


def variables() -> Iterator[str]:
    """The environment variable of every knob, walking the settings object and the groups it holds."""

    def walk(model) -> Iterator[str]:
        if isinstance(model, type) and issubclass(model, BaseModel):
            for f in model.model_fields.values():
                env = _env(f)
                if env:
                    yield env
                yield from walk(f.annotation)
        elif dataclasses.is_dataclass(model):
            for field in dataclasses.fields(model):
                yield field.metadata["env"]

    yield from walk(Settings)


def variable(name: str) -> str:
    """The environment variable of the field ``name`` of :class:`Settings`.

    >>> variable("lock_wait")
    'RESPGRAPH_LOCK_WAIT'
    """
    env = _env(Settings.model_fields[name])
    if env is None:
        raise KeyError(f"no environment variable sets the setting {name!r}")
    return env


def lock_wait(env: Mapping[str, str] | None = None) -> float:
    """The wait for a lock, in seconds: ``$RESPGRAPH_LOCK_WAIT``, 300 when unset or not a number.

    Not an error when it is no number: it is read when a store is opened, deep in every command,
    and a wait too short or too long is said by the error of the wait itself."""
    raw = read(variable("lock_wait"), env)
    try:
        return max(0.0, float(raw)) if raw else Settings.model_fields["lock_wait"].default
    except ValueError:
        return Settings.model_fields["lock_wait"].default


def secret_key(env: Mapping[str, str] | None = None) -> str | None:
    """The key that signs the web's sessions, when one is set (``$RESPGRAPH_SECRET_KEY``)."""
    return read(variable("secret_key"), env) or None


def timezone(env: Mapping[str, str] | None = None) -> ZoneInfo:
    """The time zone times are shown in: ``$RESPGRAPH_TIMEZONE`` (an IANA name), else Asia/Shanghai."""
    name = read(variable("timezone"), env) or Settings.model_fields["timezone"].default
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        raise RespgraphError(
            f"{variable('timezone')}={name!r}: not a time zone (give an IANA name such as Asia/Shanghai)"
        ) from None


def config_file(env: Mapping[str, str] | None = None) -> Path:
    given = read(variable("config"), env)
    if given:
        return Path(given)
    import platformdirs  # imported only when needed: every command reads its settings

    return Path(platformdirs.user_config_dir("respgraph")) / "config.toml"


def load_settings(*, env: Mapping[str, str] | None = None, **overrides) -> Settings:
    """Settings from file and environment; ``overrides`` (CLI options) win when not None."""
    data: dict = {}
    path = config_file(env)
    if path.exists():
        import tomllib

        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise RespgraphError(f"{path}: cannot read the config file: {exc}") from None
    neo = dict(data.get("neo4j", {}))
    for key, f in Neo4jSettings.model_fields.items():
        name = _env(f)
        if name and read(name, env):
            neo[key] = read(name, env)
    store = read(variable("store"), env) or data.get("store") or "embedded"
    home = read(variable("home"), env) or data.get("home")
    if not home:
        import platformdirs

        home = platformdirs.user_data_dir("respgraph")
    for key in ("uri", "username", "password", "database"):
        if overrides.get(key) is not None:
            neo[key] = overrides[key]
    if overrides.get("store"):
        store = overrides["store"]
    if overrides.get("home"):
        home = overrides["home"]
    if store == "memory":  # the embedded store's name before it moved to SQLite; old configs keep working
        store = "embedded"
    timezone(env)  # a zone that does not exist is one error line now, not a page later
    return Settings(
        store=store,
        home=Path(home),
        config=path,
        neo4j=Neo4jSettings(**neo),
        lock_wait=lock_wait(env),
        secret_key=secret_key(env),
        timezone=read(variable("timezone"), env) or "Asia/Shanghai",
        limits=from_environment(Limits, env),
        serve=from_environment(ServeLimits, env),
    )

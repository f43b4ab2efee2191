"""Where the graph lives: settings from the environment or a config file.

Read in this order, later winning: defaults, the config file
(``$RESPGRAPH_CONFIG`` or ``<user config dir>/respgraph/config.toml``), the
environment (``RESPGRAPH_STORE``, ``RESPGRAPH_HOME``, ``NEO4J_URI``,
``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``), then CLI options.
The password is a :class:`pydantic.SecretStr`: it prints as ``**********``.

Config file example::

    store = "neo4j"
    [neo4j]
    uri = "neo4j://db.example:7687"
    username = "neo4j"
    password = "…"
    database = "neo4j"
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, SecretStr

from respgraph.graph.errors import RespgraphError


class Neo4jSettings(BaseModel):
    uri: str = "bolt://127.0.0.1:7687"
    username: str = "neo4j"
    password: SecretStr = SecretStr("")
    database: str = "neo4j"


class Settings(BaseModel):
    store: Literal["embedded", "neo4j"] = "embedded"
    home: Path
    neo4j: Neo4jSettings = Neo4jSettings()

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


def config_file() -> Path:
    env = os.environ.get("RESPGRAPH_CONFIG")
    if env:
        return Path(env)
    import platformdirs  # imported only when needed: every command reads its settings

    return Path(platformdirs.user_config_dir("respgraph")) / "config.toml"


def load_settings(**overrides) -> Settings:
    """Settings from file and environment; ``overrides`` (CLI options) win when not None."""
    data: dict = {}
    path = config_file()
    if path.exists():
        import tomllib

        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise RespgraphError(f"{path}: cannot read the config file: {exc}") from None
    neo = dict(data.get("neo4j", {}))
    env = os.environ
    for key, var in (("uri", "NEO4J_URI"), ("username", "NEO4J_USERNAME"),
                     ("password", "NEO4J_PASSWORD"), ("database", "NEO4J_DATABASE")):
        if env.get(var):
            neo[key] = env[var]
    store = env.get("RESPGRAPH_STORE") or data.get("store") or "embedded"
    home = env.get("RESPGRAPH_HOME") or data.get("home")
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
    return Settings(store=store, home=Path(home), neo4j=Neo4jSettings(**neo))

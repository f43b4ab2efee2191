"""``respgraph serve``: the web application on uvicorn."""

from __future__ import annotations

import click

__all__ = ["serve"]


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 serves the intranet (writes stay with this machine's browser).",
)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--read-only", is_flag=True, help="Serve no upload or removal at all.")
@click.option(
    "--public-read",
    is_flag=True,
    help="With accounts: let anyone read every page without logging in (writes still need a login).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the home page in this machine's browser.")
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Processes serving requests; they share nothing but the store (one per core).",
)
@click.option(
    "--trusted-proxy",
    "trusted_proxies",
    multiple=True,
    metavar="ADDRESS",
    help="A reverse proxy in front (an address or a network, repeatable): only from it is "
    "X-Forwarded-For believed, for the login limits and the audit log. Default: none.",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help="A name this server answers to in the Host header (repeat for several); any other Host gets 400. "
    "Default: the --host address and localhost (with 0.0.0.0, also this machine's names and addresses).",
)
@click.pass_obj
def serve(state, host, port, read_only, public_read, open_browser, workers, trusted_proxies, allowed_hosts):
    """Serve every answer as a page (Chinese, for the 督查室) with its .json and .csv twins.

    Everything is served from the package: no CDN, nothing from outside.  Pages:
    / (search), /units/CITY/NAME, /leaders/CITY/NAME, /items/DOC/NUMBER, /workload,
    /co, /board, /files (upload, remove, diff), /export; /api lists them all.
    """
    import os

    import uvicorn

    hosts = _hosts(host, allowed_hosts)

    from respgraph.web.auth import _networks
    from respgraph.web.library import Backend

    _networks(trusted_proxies)  # a bad address is one Error: line now
    backend = Backend(state.settings, read_only=read_only)
    backend.query_store()  # a store that cannot be opened is one Error: line now, not a page later
    from respgraph.web.auth import Auth

    if not Auth(backend).accounts_exist():
        click.echo(
            "No account yet: this machine's browser acts as the office and everyone else reads. Add the "
            "office's first account with\n  respgraph users add office --role office\nthen every page "
            "asks for a login (--public-read lets anyone read).",
            err=True,
        )
    backend.close()
    # The worker processes build their own application from these (uvicorn starts them afresh).
    os.environ.update(
        {
            _STORE: state.settings.store,
            _HOME: str(state.settings.home),
            _READ_ONLY: "1" if read_only else "",
            _PUBLIC_READ: "1" if public_read else "",
        }
    )
    os.environ[_TRUSTED_PROXIES] = ",".join(trusted_proxies)
    os.environ[_HOSTS] = ",".join(sorted(hosts))
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    click.echo(
        f"respgraph serving {url} ({'Neo4j' if backend.engine == 'neo4j' else state.settings.graph_file}"
        f"{', read-only' if read_only else ''}); Ctrl+C stops it",
        err=True,
    )
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    # uvicorn would believe X-Forwarded-For from 127.0.0.1: the application decides (--trusted-proxy).
    # SIGTERM: requests still running after a few seconds are cancelled (a heavy one's process killed).
    uvicorn.run(
        "respgraph.web.command:application",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        timeout_graceful_shutdown=_SHUTDOWN_SECONDS,
    )


_STORE, _HOME, _READ_ONLY = "RESPGRAPH_SERVE_STORE", "RESPGRAPH_SERVE_HOME", "RESPGRAPH_SERVE_READ_ONLY"
_PUBLIC_READ = "RESPGRAPH_SERVE_PUBLIC_READ"
_TRUSTED_PROXIES = "RESPGRAPH_SERVE_TRUSTED_PROXIES"
_HOSTS = "RESPGRAPH_SERVE_ALLOWED_HOSTS"
_SHUTDOWN_SECONDS = 3


def _hosts(bound: str, extra) -> frozenset[str]:
    """The Host names served: the defaults of the bound address and those of ``--allowed-host``."""
    from respgraph.web.shield import default_hosts, host_name

    for name in extra:
        if not name.strip() or any(c in name for c in "/ ,@?#"):
            raise click.BadParameter(
                f"{name!r}: give a host name or address, without scheme or path", param_hint="--allowed-host"
            )
    return default_hosts(bound) | {host_name(name) for name in extra}


def application():
    """The application of one server process, from what `respgraph serve` put in the environment."""
    import os
    from pathlib import Path

    from respgraph.graph.settings import load_settings
    from respgraph.web.app import create_app
    from respgraph.web.library import Backend

    settings = load_settings(
        store=os.environ.get(_STORE) or None, home=Path(os.environ[_HOME]) if os.environ.get(_HOME) else None
    )
    from respgraph.web.budget import warm

    warm()  # the heavy answers' forkserver starts now, not on the first export
    hosts = frozenset(filter(None, os.environ.get(_HOSTS, "").split(","))) or None
    return create_app(
        Backend(settings, read_only=bool(os.environ.get(_READ_ONLY))),
        public_read=bool(os.environ.get(_PUBLIC_READ)),
        allowed_hosts=hosts,
        trusted_proxies=tuple(a for a in os.environ.get(_TRUSTED_PROXIES, "").split(",") if a),
    )

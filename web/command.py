"""``respgraph serve``: the web application on uvicorn."""

from __future__ import annotations

import click

__all__ = ["serve"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 serves the intranet (writes stay with this machine's browser).")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--read-only", is_flag=True, help="Serve no upload or removal at all.")
@click.option("--public-read", is_flag=True,
              help="With accounts: let anyone read every page without logging in (writes still need a login).")
@click.option("--open", "open_browser", is_flag=True, help="Open the home page in this machine's browser.")
@click.option("--workers", type=click.IntRange(1), default=1, show_default=True,
              help="Processes serving requests; they share nothing but the store (one per core).")
@click.option("--trusted-proxy", "trusted_proxies", multiple=True, metavar="ADDRESS",
              help="A reverse proxy in front (an address or a network, repeatable): only from it is "
                   "X-Forwarded-For believed, for the login limits and the audit log. Default: none.")
@click.pass_obj
def serve(state, host, port, read_only, public_read, open_browser, workers, trusted_proxies):
    """Serve every answer as a page (Chinese, for the 督查室) with its .json and .csv twins.

    Everything is served from the package: no CDN, nothing from outside.  Pages:
    / (search), /units/CITY/NAME, /leaders/CITY/NAME, /items/DOC/NUMBER, /workload,
    /co, /board, /files (upload, remove, diff), /export; /api lists them all.
    """
    import os

    import uvicorn

    from respgraph.web.library import Backend

    from respgraph.web.auth import _networks

    _networks(trusted_proxies)  # a bad address is one Error: line now
    backend = Backend(state.settings, read_only=read_only)
    backend.query_store()  # a store that cannot be opened is one Error: line now, not a page later
    from respgraph.web.auth import Auth

    if not Auth(backend).accounts_exist():
        click.echo("No account yet: this machine's browser acts as the office and everyone else reads. Add the "
                   "office's first account with\n  respgraph users add office --role office\nthen every page "
                   "asks for a login (--public-read lets anyone read).", err=True)
    backend.close()
    # The worker processes build their own application from these (uvicorn starts them afresh).
    os.environ.update({_STORE: state.settings.store, _HOME: str(state.settings.home), _READ_ONLY: "1" if read_only else "",
                       _PUBLIC_READ: "1" if public_read else ""})
    os.environ[_TRUSTED_PROXIES] = ",".join(trusted_proxies)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    click.echo(f"respgraph serving {url} ({'Neo4j' if backend.engine == 'neo4j' else state.settings.graph_file}"
               f"{', read-only' if read_only else ''}); Ctrl+C stops it", err=True)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    # uvicorn would believe X-Forwarded-For from 127.0.0.1: the application decides (--trusted-proxy).
    uvicorn.run("respgraph.web.command:application", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False, proxy_headers=False)


_STORE, _HOME, _READ_ONLY = "RESPGRAPH_SERVE_STORE", "RESPGRAPH_SERVE_HOME", "RESPGRAPH_SERVE_READ_ONLY"
_PUBLIC_READ = "RESPGRAPH_SERVE_PUBLIC_READ"
_TRUSTED_PROXIES = "RESPGRAPH_SERVE_TRUSTED_PROXIES"


def application():
    """The application of one server process, from what `respgraph serve` put in the environment."""
    import os
    from pathlib import Path

    from respgraph.graph.settings import load_settings
    from respgraph.web.app import create_app
    from respgraph.web.library import Backend

    settings = load_settings(store=os.environ.get(_STORE) or None, home=Path(os.environ[_HOME]) if os.environ.get(_HOME) else None)
    return create_app(Backend(settings, read_only=bool(os.environ.get(_READ_ONLY))),
                      public_read=bool(os.environ.get(_PUBLIC_READ)),
                      trusted_proxies=tuple(a for a in os.environ.get(_TRUSTED_PROXIES, "").split(",") if a))

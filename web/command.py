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
              help="Processes serving requests (they share nothing but the store).")
@click.pass_obj
def serve(state, host, port, read_only, public_read, open_browser, workers):
    """Serve every answer as a page (Chinese, for the 督查室) with its .json and .csv twins.

    Everything is served from the package: no CDN, nothing from outside.  Pages:
    / (search), /units/CITY/NAME, /leaders/CITY/NAME, /items/DOC/NUMBER, /workload,
    /co, /board, /files (upload, remove, diff), /export; /api lists them all.
    """
    import uvicorn

    from respgraph.web.app import create_app
    from respgraph.web.library import Backend

    backend = Backend(state.settings, read_only=read_only)
    backend.query_store()  # a store that cannot be opened is one Error: line now, not a page later
    app = create_app(backend, public_read=public_read)
    if not app.state.auth.accounts_exist():
        click.echo("No account yet: this machine's browser acts as the office and everyone else reads. Add the "
                   "office's first account with\n  respgraph users add office --role office\nthen every page "
                   "asks for a login (--public-read lets anyone read).", err=True)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    click.echo(f"respgraph serving {url} ({'Neo4j' if backend.engine == 'neo4j' else state.settings.graph_file}"
               f"{', read-only' if read_only else ''}); Ctrl+C stops it", err=True)
    if open_browser:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    if workers > 1:
        raise click.UsageError("--workers > 1: run several `respgraph serve` on their own ports behind a proxy")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)

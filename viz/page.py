"""A finished page: its HTML, a file to save it to, and a view in notebooks."""

from __future__ import annotations

import html
from pathlib import Path

__all__ = ["Page"]


class Page:
    """One self-contained HTML page.

    In JupyterLab and VS Code the page shows in an iframe whose ``srcdoc`` is the
    same offline HTML, so a notebook needs no server and no network either.

    >>> page = Page('<p title="x">a &amp; b</p>', title="t")
    >>> srcdoc = page._repr_html_().split('srcdoc="')[1].split('"')[0]
    >>> srcdoc
    '&lt;p title=&quot;x&quot;&gt;a &amp;amp; b&lt;/p&gt;'
    >>> html.unescape(srcdoc) == page.html
    True
    """

    def __init__(
        self, html: str, *, title: str, height: int = 720, drawing=None, subtitle: str = "", sources: str = ""
    ):
        self.html = html
        self.title = title
        self.height = height
        #: What the page draws (:class:`~respgraph.viz.drawing.Drawing`), for the static pictures.
        self.drawing = drawing
        self.subtitle = subtitle
        self.sources = sources

    def save(self, path: str | Path) -> Path:
        """Write the page; :class:`~respgraph.viz.files.OutputError` when ``path`` cannot take it."""
        from respgraph.viz.files import write_file

        return write_file(Path(path), self.html)

    def save_picture(self, path: str | Path, *, format: str | None = None) -> Path:
        """The opening view as a PNG or SVG the size of an A4 page (see :mod:`respgraph.viz.picture`)."""
        from respgraph.viz.picture import save_picture

        return save_picture(self, Path(path), format=format)

    def _repr_html_(self) -> str:
        return (
            f'<iframe title="{html.escape(self.title)}" srcdoc="{html.escape(self.html, quote=True)}" '
            f'style="width: 100%; height: {self.height}px; border: 0" sandbox="allow-scripts"></iframe>'
        )

    def __repr__(self) -> str:
        return f"<Page {self.title!r}, {len(self.html.encode('utf-8')):,} bytes>"

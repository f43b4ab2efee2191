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

    def __init__(self, html: str, *, title: str, height: int = 720):
        self.html = html
        self.title = title
        self.height = height

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(self.html, encoding="utf-8")
        return path

    def _repr_html_(self) -> str:
        return (f'<iframe title="{html.escape(self.title)}" srcdoc="{html.escape(self.html, quote=True)}" '
                f'style="width: 100%; height: {self.height}px; border: 0" sandbox="allow-scripts"></iframe>')

    def __repr__(self) -> str:
        return f"<Page {self.title!r}, {len(self.html.encode('utf-8')):,} bytes>"

"""``--png`` and ``--svg`` for every command that draws a page, and writing what was asked for.

One decorator adds both options; the command hands its page to
:func:`save_page`, which writes the HTML, the PNG and the SVG that were asked
for and says so on stderr.  A path that cannot be written is one ``Error:``
line (:class:`~respgraph.viz.files.OutputError`).
"""

from __future__ import annotations

from pathlib import Path

import click

__all__ = ["picture_options", "wants_pictures", "save_page"]

_KEYS = ("png", "svg")


def _remember(ctx, param, value):
    ctx.meta[f"respgraph.{param.name}"] = value
    return value


def picture_options(command):
    """Add ``--png FILE`` and ``--svg FILE``: the page's opening view as an A4 picture."""
    for fmt in reversed(_KEYS):
        command = click.option(
            f"--{fmt}",
            type=click.Path(dir_okay=False, path_type=Path),
            expose_value=False,
            callback=_remember,
            help=f"Also draw the picture, as it opens, to this {fmt.upper()} file (A4 landscape, Chinese text "
            + ("as outlines)." if fmt == "svg" else "in Noto CJK, 200 dpi)."),
        )(command)
    return command


def _asked() -> dict[str, Path]:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return {}
    return {fmt: ctx.meta[f"respgraph.{fmt}"] for fmt in _KEYS if ctx.meta.get(f"respgraph.{fmt}")}


def wants_pictures() -> bool:
    """Whether ``--png`` or ``--svg`` was given to the running command."""
    return bool(_asked())


def save_page(page, html: Path | None) -> None:
    """Write ``page`` to ``html`` (when given) and to the pictures asked for."""
    written = []
    if html:
        written.append(page.save(html))
    for fmt, path in _asked().items():
        written.append(page.save_picture(path, format=fmt))
    for path in written:
        click.echo(f"wrote {path}", err=True)

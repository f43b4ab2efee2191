"""A page's opening view as a static picture for a Word report: PNG or SVG, A4 landscape.

Drawn with matplotlib from the same positions, shapes, colours and line styles
the page uses (:meth:`~respgraph.viz.drawing.Drawing.opening_view`), in Debian's
Noto CJK font.  Why matplotlib and not a screenshot of the page: it needs no
browser on the user's machine, it writes SVG (a browser only screenshots
PNG), and in the SVG every character is a glyph outline (``svg.fonttype =
"path"``), so the picture shows the same in Word or WPS without the font.
The PNG is 200 dpi on a 297 × 210 mm page.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

from respgraph.viz.files import OutputError, write_file

if TYPE_CHECKING:
    from matplotlib.typing import LineStyleType

__all__ = ["save_picture", "picture_bytes", "A4_INCHES", "DPI", "FORMATS"]

A4_INCHES = (11.69, 8.27)  # landscape: 297 × 210 mm
DPI = 200
FORMATS = ("png", "svg")
_MARKERS = {"dot": "o", "square": "s", "star": "*", "hexagon": "h", "diamond": "D", "triangle": "^"}


def save_picture(page, path: Path, *, format: str | None = None) -> Path:
    """Write ``page``'s opening view to ``path``; the format from ``format`` or the suffix."""
    fmt = (format or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise OutputError(path, f"a picture is .png or .svg, not {path.suffix or 'a file without suffix'}")
    return write_file(path, picture_bytes(page, fmt))


def picture_bytes(page, fmt: str = "png") -> bytes:
    """The picture as bytes; text as glyph outlines in SVG."""
    from respgraph.viz.charts import _style

    figure = _figure(page)
    buffer = io.BytesIO()
    with _style():
        figure.savefig(buffer, format=fmt, dpi=DPI, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def _figure(page):
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    from respgraph.viz.charts import _style

    d = page.drawing
    nodes, edges = d.opening_view()
    with _style():
        fig = Figure(figsize=A4_INCHES)
        fig.text(0.03, 0.965, page.title, fontsize=16, fontweight="bold", va="top")
        fig.text(0.03, 0.925, page.subtitle, fontsize=9, color="#555555", va="top")
        fig.text(0.03, 0.02, page.sources, fontsize=7, color="#777777", va="bottom", wrap=True)
        ax = fig.add_axes((0.02, 0.06, 0.74, 0.84))
        legend = fig.add_axes((0.77, 0.06, 0.22, 0.84))
        ax.set_axis_off()
        legend.set_axis_off()
        if not nodes:
            ax.text(0.5, 0.5, "（无可绘制的内容）", ha="center", va="center", fontsize=14, transform=ax.transAxes)
            _legend(legend, d)
            return fig
        xs = [n["x"] for n in nodes]
        ys = [-n["y"] for n in nodes]
        pad = 90
        left, right, bottom, top = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
        # Equal scale on both axes, centred: points per layout pixel.
        box_w, box_h = 0.74 * A4_INCHES[0] * 72, 0.84 * A4_INCHES[1] * 72
        k = min(box_w / (right - left), box_h / (top - bottom))
        cx, cy = (left + right) / 2, (bottom + top) / 2
        ax.set_xlim(cx - box_w / k / 2, cx + box_w / k / 2)
        ax.set_ylim(cy - box_h / k / 2, cy + box_h / k / 2)
        at = {n["id"]: (n["x"], -n["y"]) for n in nodes}
        for e in edges:
            (x1, y1), (x2, y2) = at[e["from"]], at[e["to"]]
            color = e["color"]["color"] if isinstance(e.get("color"), dict) else "#999999"
            width = max(0.4, float(e.get("width", 1)) * k)
            dashes = e.get("dashes")
            style = (0, tuple(max(v * k, 0.5) / width for v in dashes)) if isinstance(dashes, list) and dashes else "-"
            ax.add_line(Line2D([x1, x2], [y1, y2], color=color, linewidth=width, linestyle=style, zorder=1, alpha=0.9))
        for n in nodes:
            x, y = at[n["id"]]
            font = n.get("font", {}).get("size", 14) * k
            label = str(n.get("label", ""))
            if n.get("isCluster") or n.get("shape") in ("box", "text"):
                boxed = n.get("isCluster") or n.get("shape") == "box"
                ax.text(
                    x,
                    y,
                    label,
                    ha="center",
                    va="center",
                    fontsize=max(font, 3),
                    zorder=3,
                    fontweight="bold" if n.get("heading") else "normal",
                    bbox=dict(boxstyle="round,pad=0.4", facecolor="#EEF1F4", edgecolor="#6B7785", linewidth=0.6)
                    if boxed
                    else None,
                )
                continue
            size = float(n.get("size", 12)) * k
            marker = _MARKERS.get(n.get("shape"), "o")
            scale = 1.6 if marker == "*" else 1.0
            ax.scatter(
                [x],
                [y],
                s=(2 * size * scale) ** 2,
                marker=marker,
                c=n["color"] if isinstance(n["color"], str) else "#999999",
                edgecolors="#333333",
                linewidths=0.3,
                zorder=2,
            )
            if label:
                ax.text(
                    x,
                    y - size * scale - 3 * k,
                    label,
                    ha="center",
                    va="top",
                    fontsize=max(font, 3),
                    zorder=4,
                    linespacing=1.1,
                    path_effects=_halo(),
                )
        _legend(legend, d)
        return fig


def _halo():
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=2, foreground="white")]


def _legend(ax, d) -> None:
    """The page's legend: node looks, edge looks, then the notes on size and clicks."""
    from matplotlib.lines import Line2D

    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    y = 0.98
    step = 0.034

    def heading(text):
        nonlocal y
        ax.text(0, y, text, fontsize=9, fontweight="bold", va="top")
        y -= step

    heading("图例")
    for look in sorted((n for n in d._node_looks if n.text), key=lambda n: n.order):
        if look.shape == "box":
            ax.text(
                0.04,
                y - 0.012,
                "  ",
                fontsize=7,
                va="center",
                bbox=dict(boxstyle="round,pad=0.3", facecolor="#EEF1F4", edgecolor="#6B7785", linewidth=0.6),
            )
        else:
            ax.scatter(
                [0.04],
                [y - 0.012],
                s=110 if look.shape == "star" else 40,
                marker=_MARKERS.get(look.shape, "o"),
                c=look.color,
                edgecolors="#333333",
                linewidths=0.3,
            )
        y = _wrapped(ax, 0.11, y, look.text)
    for look in sorted(d._edge_looks, key=lambda e: e.order):
        style: LineStyleType = (0, tuple(v / max(look.width, 1) for v in look.dashes)) if look.dashes else "-"
        ax.add_line(
            Line2D([0.0, 0.09], [y - 0.012] * 2, color=look.color, linewidth=min(look.width, 3), linestyle=style)
        )
        y = _wrapped(ax, 0.11, y, look.text)
    for note in d.notes:
        y = _wrapped(ax, 0.0, y, note, width=24)


def _wrapped(ax, x: float, y: float, text: str, *, width: int = 20) -> float:
    lines = [text[i : i + width] for i in range(0, len(text), width)] or [""]
    ax.text(x, y, "\n".join(lines), fontsize=7.5, va="top", linespacing=1.25)
    return y - 0.027 * len(lines) - 0.008 * math.ceil(len(lines) / 3)

"""The report's charts, drawn with matplotlib in a CJK font and embedded as SVG.

Text is drawn as glyph outlines (``svg.fonttype = "path"``), so a chart shows the
same on a machine without the font.  The font is Debian's ``fonts-noto-cjk``,
found by family name; without it :class:`NoCJKFont` says what to install,
rather than charts full of empty boxes.
"""

from __future__ import annotations

import base64
import io
from contextlib import contextmanager
from pathlib import Path

from respgraph.graph.errors import RespgraphError
from respgraph.graph.vocabulary import ROLE_ZH, ROLES
from respgraph.viz.style import ROLE_COLOR

__all__ = [
    "NoCJKFont",
    "cjk_family",
    "missing_glyphs",
    "svg_data_uri",
    "chart_bytes",
    "A4_PRINTABLE",
    "role_bars",
    "lorenz_chart",
    "heatmap",
    "quarter_bars",
    "ROLE_ZH",
    "ROLE_COLOURS",
]

#: Tried in order; the SC face draws the simplified Chinese forms.
FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK JP", "Source Han Sans SC", "Noto Sans SC")
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")

# Colour-blind safe (Okabe–Ito); the group-derived load is grey and hatched.
ROLE_COLOURS = {**ROLE_COLOR, "via_group": "#BBBBBB"}  # the pages' role colours
LINE_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000", "#F0E442")


class NoCJKFont(RespgraphError):
    """No font with Chinese glyphs is installed."""

    def __init__(self):
        super().__init__(
            "no Chinese font for the charts: install Debian's fonts-noto-cjk "
            "(apt-get install fonts-noto-cjk), or any of " + ", ".join(FAMILIES)
        )


def cjk_family() -> str:
    """The first of :data:`FAMILIES` matplotlib can use; registers the system's
    Noto CJK files first when matplotlib's font cache predates their install."""
    from matplotlib import font_manager

    def known() -> set[str]:
        return {f.name for f in font_manager.fontManager.ttflist}

    names = known()
    if not any(f in names for f in FAMILIES):
        for folder in _FONT_DIRS:
            for path in Path(folder).rglob("*CJK*") if Path(folder).is_dir() else ():
                if path.suffix.lower() in (".ttc", ".otf", ".ttf"):
                    font_manager.fontManager.addfont(str(path))
        names = known()
    for family in FAMILIES:
        if family in names:
            return family
    raise NoCJKFont()


def missing_glyphs(texts, family: str | None = None) -> set[str]:
    """Characters of ``texts`` the chosen font has no glyph for (whitespace aside).

    >>> missing_glyphs(["市自然资源局（协办）", "Q1 42%"])
    set()
    """
    from matplotlib import font_manager

    prop = font_manager.FontProperties(family=family or cjk_family())
    font = font_manager.get_font(font_manager.findfont(prop, fallback_to_default=False))
    charmap = font.get_charmap()
    return {ch for text in texts for ch in text if not ch.isspace() and ord(ch) not in charmap}


@contextmanager
def _style():
    import matplotlib

    with matplotlib.rc_context(
        {
            "font.family": [cjk_family()],
            "axes.unicode_minus": False,
            "svg.fonttype": "path",
            "figure.dpi": 100,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 13,
            "axes.titleweight": "bold",
            "axes.labelsize": 11,
            "xtick.labelsize": 10,
            "ytick.labelsize": 10,
            "legend.fontsize": 10,
            "legend.frameon": False,
        }
    ):
        yield


#: Printable area of A4 portrait, inches: a chart saved with --png or --svg fits it.
A4_PRINTABLE = (7.5, 10.5)


def chart_bytes(figure, fmt: str, *, dpi: int = 200) -> bytes:
    """The figure as PNG or SVG (text as outlines), shrunk until it fits :data:`A4_PRINTABLE`."""
    for _ in range(8):
        buffer = io.BytesIO()
        with _style():
            figure.savefig(
                buffer, format=fmt, dpi=dpi, bbox_inches="tight", metadata={"Date": None} if fmt == "svg" else None
            )
        width, height = _inches(buffer.getvalue(), fmt, dpi)
        shrink = min(A4_PRINTABLE[0] / width, A4_PRINTABLE[1] / height)
        if shrink >= 1:
            break
        w, h = figure.get_size_inches()
        figure.set_size_inches(w * min(shrink, 0.97), h * min(shrink, 0.97))
    return buffer.getvalue()


def _inches(data: bytes, fmt: str, dpi: int) -> tuple[float, float]:
    import re
    import struct

    if fmt == "png":
        width, height = struct.unpack(">II", data[16:24])
        return width / dpi, height / dpi
    m = re.search(rb'<svg[^>]*width="([\d.]+)pt"[^>]*height="([\d.]+)pt"', data)
    if m is None:
        raise ValueError("matplotlib's SVG has no width and height in pt")
    return float(m.group(1)) / 72, float(m.group(2)) / 72


def svg_data_uri(figure) -> str:
    """The figure as ``data:image/svg+xml;base64,…``."""
    buffer = io.BytesIO()
    with _style():  # svg.fonttype is read when saving
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def role_bars(rows, *, title: str, weights: dict[str, float] | None = None, top: int = 25, show_via: bool = True):
    """Horizontal bars of the workload score, stacked by what each role adds
    (weight × items), highest score at the top: the bars draw what the rows are
    sorted by.  The score is printed at the end of each bar, and beside it, in
    brackets, the items reached only through a group (not scored).

    ``rows`` carry ``name``, ``lead``, ``implement``, ``assist``, ``via_group``,
    ``score`` and ``position`` (a :class:`~respgraph.queries.balance.LoadRow`).
    """
    from matplotlib.figure import Figure

    weights = weights or {"lead": 3, "implement": 2, "assist": 1}
    rows = list(rows)[:top][::-1]
    with _style():
        fig = Figure(figsize=(9, 0.32 * len(rows) + 1.4))
        ax = fig.subplots()
        y = range(len(rows))
        left = [0.0] * len(rows)
        for role in ROLES:
            values = [getattr(r, role) * weights[role] for r in rows]
            ax.barh(
                y,
                values,
                left=left,
                color=ROLE_COLOURS[role],
                height=0.7,
                label=f"{ROLE_ZH[role]}（×{weights[role]:g}）",
            )
            left = [a + b for a, b in zip(left, values)]
        peak = max(left, default=1) or 1
        for i, r in enumerate(rows):
            via = f"（+{r.via_group} 经集合）" if show_via and r.via_group else ""
            ax.text(left[i] + peak * 0.01, i, f"{r.score:g}{via}", va="center", fontsize=9, color="#444444")
        ax.set_yticks(list(y), [r.name for r in rows])
        for label, r in zip(ax.get_yticklabels(), rows):
            if r.position == "high":
                label.set_color("#B2182B")
                label.set_fontweight("bold")
        ax.set_xlabel("工作量指数（按角色堆叠；条末为指数，括号内为仅经由集合名称、不计入指数的事项数）")
        ax.set_xlim(0, peak * 1.18)
        ax.set_title(title, loc="left", pad=30)
        # Above the bars, under the title: inside the axes it would hide a bar.
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=4, borderaxespad=0.2)
        ax.margins(y=0.01)
        return fig


def lorenz_chart(curves: dict[str, tuple[list[tuple[float, float]], float]], *, title: str):
    """Lorenz curves, one per name, each with its Gini in the legend; the diagonal is equality."""
    from matplotlib.figure import Figure

    with _style():
        fig = Figure(figsize=(6, 5.2))
        ax = fig.subplots()
        ax.plot([0, 1], [0, 1], color="#999999", linestyle="--", linewidth=1, label="完全均衡")
        for colour, (name, (points, gini)) in zip(LINE_COLOURS, curves.items()):
            xs, ys = zip(*points)
            ax.plot(xs, ys, color=colour, linewidth=2, drawstyle="default", label=f"{name}（基尼系数 {gini:.2f}）")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_aspect("equal")
        ax.set_xlabel("累计占比（按工作量由低到高）")
        ax.set_ylabel("工作量指数累计占比")
        ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        ax.set_title(title, loc="left")
        ax.legend(loc="upper left")
        return fig


def heatmap(
    matrix: list[list[int]], *, rows: list[str], columns: list[str], title: str, colour_label: str, cmap: str = "Blues"
):
    """A grid of counts, ``matrix[row][column]``, each non-zero cell labelled."""
    from matplotlib.figure import Figure

    with _style():
        width = max(5.0, 0.62 * len(columns) + 3.2)
        fig = Figure(figsize=(width, 0.3 * len(rows) + 1.8))
        ax = fig.subplots()
        image = ax.imshow(matrix, cmap=cmap, aspect="auto", vmin=0)
        peak = max((v for line in matrix for v in line), default=0) or 1
        for i, line in enumerate(matrix):
            for j, value in enumerate(line):
                if value:
                    ax.text(
                        j,
                        i,
                        str(value),
                        ha="center",
                        va="center",
                        fontsize=8,
                        color="white" if value > peak * 0.6 else "#222222",
                    )
        # A column is 0.62 in wide, four characters at 10 pt: longer names (城市:姓名) stand upright.
        ax.set_xticks(range(len(columns)), columns, rotation=90 if max(map(len, columns), default=0) > 4 else 0)
        ax.set_yticks(range(len(rows)), rows)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        for side in ("left", "bottom", "top", "right"):
            ax.spines[side].set_visible(False)
        bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
        bar.set_label(colour_label)
        ax.set_title(title, loc="left", pad=28)
        return fig


def quarter_bars(series: dict[str, list[int]], *, title: str, ylabel: str = "季度工作目标数"):
    """Bars per quarter, stacked by series (e.g. leaders), totals on top."""
    from matplotlib.figure import Figure

    with _style():
        fig = Figure(figsize=(7.5, 4.6))
        ax = fig.subplots()
        labels = ["第一季度", "第二季度", "第三季度", "第四季度"]
        bottom = [0] * 4
        colours = [*LINE_COLOURS, "#999999", "#666666"]
        for i, (name, counts) in enumerate(series.items()):
            ax.bar(labels, counts, bottom=bottom, label=name, color=colours[i % len(colours)], width=0.6)
            bottom = [a + b for a, b in zip(bottom, counts)]
        for x, total in enumerate(bottom):
            ax.text(x, total, str(total), ha="center", va="bottom", fontsize=10)
        ax.set_ylabel(ylabel)
        ax.set_title(title, loc="left")
        ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
        return fig

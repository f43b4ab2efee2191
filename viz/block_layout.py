"""Layouts for the question asked: blocks of a grid, not a force simulation.

A unit's page and a leader's page put the items in blocks (one per role, or per
lead unit), each a grid whose cells are wider than a label, so no two labels
meet at the opening view.  Clusters (communities, unit kinds, a leader's items)
get a rectangle each, packed in rows; their members fill the rectangle's grid
when opened, and the closed cluster's box sits in its middle.

>>> blocks = arrange_blocks([3, 5], cell=(200, 80))
>>> [len(b) for b in blocks], blocks[0][0]
([3, 5], (0.0, 0.0))
"""

from __future__ import annotations

import math

__all__ = ["arrange_blocks", "grid", "pack", "ring", "CELL", "ASPECT"]

#: A cell for an item with a two-line label of up to 12 characters at 14 px.
CELL = (190.0, 84.0)
#: Width over height the pictures aim at: a landscape screen or A4 page beside the legend.
ASPECT = 1.6


def grid(count: int, columns: int, *, cell=CELL, origin=(0.0, 0.0)) -> list[tuple[float, float]]:
    """``count`` cells, row by row, ``columns`` wide."""
    ox, oy = origin
    return [(ox + (i % columns) * cell[0], oy + (i // columns) * cell[1]) for i in range(count)]


def arrange_blocks(
    sizes: list[int], *, cell=CELL, gap: float | None = None, aspect: float = ASPECT
) -> list[list[tuple[float, float]]]:
    """Blocks side by side, of ``sizes[i]`` cells each, all with the same number of
    rows, chosen so the whole is about ``aspect`` times as wide as high.  Positions
    are cell origins, the first block at (0, 0)."""
    gap = cell[0] * 0.5 if gap is None else gap
    sizes = [max(s, 0) for s in sizes]
    best = None
    for rows in range(1, max(sizes, default=1) + 1):
        columns = [max(1, math.ceil(s / rows)) for s in sizes]
        width = sum(columns) * cell[0] + gap * (len(sizes) - 1)
        height = rows * cell[1]
        score = abs(math.log(width / height / aspect))
        if best is None or score < best[0] - 1e-9:
            best = (score, rows, columns)
    assert best is not None  # the loop above runs at least once (rows = 1)
    _, rows, columns = best
    out, x = [], 0.0
    for size, cols in zip(sizes, columns):
        out.append(grid(size, cols, cell=cell, origin=(x, 0.0)))
        x += cols * cell[0] + gap
    return out


def pack(boxes: list[tuple[float, float]], *, gap: float = 60.0, aspect: float = ASPECT) -> list[tuple[float, float]]:
    """Top-left corners for rectangles ``(width, height)`` in rows (shelves), in the
    given order, the rows about ``aspect`` times as wide as the whole is high.

    >>> pack([(100, 50), (100, 50), (100, 50), (100, 50)], gap=0, aspect=2)
    [(0.0, 0.0), (100.0, 0.0), (0.0, 50.0), (100.0, 50.0)]
    """
    if not boxes:
        return []
    area = sum((w + gap) * (h + gap) for w, h in boxes)
    row_width = max(max(w for w, _ in boxes), math.sqrt(area * aspect))
    out, x, y, shelf = [], 0.0, 0.0, 0.0
    for w, h in boxes:
        if x > 0 and x + w > row_width + 1e-6:
            x, y, shelf = 0.0, y + shelf + gap, 0.0
        out.append((x, y))
        x += w + gap
        shelf = max(shelf, h)
    return out


def ring(count: int, *, radius: float, start: float = -math.pi / 2) -> list[tuple[float, float]]:
    """``count`` points evenly on a circle, the first at the top."""
    return [
        (
            radius * math.cos(start + 2 * math.pi * i / max(count, 1)),
            radius * math.sin(start + 2 * math.pi * i / max(count, 1)),
        )
        for i in range(count)
    ]

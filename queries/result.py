"""Analysis results as pandas DataFrames, for notebook users, in one call.

pandas is imported only when a frame is asked for: the CLI and the queries do
not need it.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any

from pydantic import BaseModel

from respgraph.queries.rows import Row

__all__ = ["Result", "to_dataframe", "fewer_collections"]


@contextmanager
def fewer_collections(young: int = 200_000):
    """Collect cyclic garbage less often while a province-sized answer is built.

    Some 100,000 rows and sets alive at once make Python's default thresholds run full
    collections, each walking every live object: tie stability of a province's 21 cities
    took four times as long with them, and the report (millions of small objects while a
    large graph is alive) spent 6 s of 30 in them at 10,000 items.  With the youngest
    generation at 200,000 objects (mypy's setting for the same reason) no full collection
    runs.  The thresholds are restored afterwards.

    >>> import gc
    >>> before = gc.get_threshold()
    >>> with fewer_collections():
    ...     gc.get_threshold()[0] >= 200_000
    True
    >>> gc.get_threshold() == before
    True
    """
    before = gc.get_threshold()
    if before[0]:  # 0: collection is off already
        gc.set_threshold(max(young, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


class Result(Row):
    """An analysis result: flat rows through :meth:`table`, a DataFrame through :meth:`to_frame`."""

    def table(self) -> list[dict]:
        """One flat dict per row: what the CSV and the DataFrame hold."""
        return [r.model_dump() for r in getattr(self, "rows", [])]

    def to_frame(self):
        """The rows as a :class:`pandas.DataFrame`, columns in field order."""
        return to_dataframe(self)


def to_dataframe(result: Any):
    """A :class:`pandas.DataFrame` of any query result.

    Takes an analysis :class:`Result`, a result with ``rows`` (such as
    :class:`~respgraph.queries.rows.Workload`), a list of rows (such as
    :func:`~respgraph.queries.co.co_pairs`) or a list of dicts.

    Examples
    --------
    >>> from respgraph.queries.rows import PairRow
    >>> frame = to_dataframe([PairRow(a="市商务局", b="市财政局", city="湛江市", shared=3)])
    >>> list(frame.columns), frame.shape
    (['a', 'b', 'city', 'shared'], (1, 4))
    """
    try:
        import pandas as pd
    except ImportError:
        from respgraph.graph.errors import RespgraphError

        raise RespgraphError(
            "tables as DataFrames need pandas: pip install pandas (or install respgraph with its frames extra)"
        ) from None

    if isinstance(result, Result):
        rows = result.table()
    elif isinstance(result, BaseModel) and hasattr(result, "rows"):
        rows = [r.model_dump() for r in result.rows]
    elif isinstance(result, (list, tuple)):
        rows = [r.model_dump() if isinstance(r, BaseModel) else dict(r) for r in result]
    else:
        raise TypeError(
            f"cannot make a DataFrame of {type(result).__name__}: "
            "give a query result, a list of rows or a list of dicts"
        )
    return pd.DataFrame(rows)

"""Seconds per stage of a long job, for ``scripts/bench_report``."""

from __future__ import annotations

import time
from contextlib import contextmanager

__all__ = ["Stages"]


class Stages:
    """``with stage("name"):`` adds the seconds the block took to ``seconds["name"]``;
    does nothing when ``seconds`` is None, so callers need not check.

    >>> seconds = {}
    >>> stage = Stages(seconds)
    >>> with stage("sleep"):
    ...     time.sleep(0.01)
    >>> seconds["sleep"] >= 0.01
    True
    """

    def __init__(self, seconds: dict[str, float] | None):
        self.seconds = seconds

    @contextmanager
    def __call__(self, name: str):
        if self.seconds is None:
            yield
            return
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start

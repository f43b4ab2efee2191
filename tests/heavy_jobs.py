"""Jobs for tests of the heavy answers' budget (tests/test_web_budget.py): each runs in the budget's
child process, which imports this module by name."""

from __future__ import annotations

import os
import time
from pathlib import Path


def sleep(backend, store, seconds: float, pid_file: str) -> str:
    """Say which process runs it, then take ``seconds``."""
    Path(pid_file).write_text(str(os.getpid()))
    time.sleep(seconds)
    return "slept"


def allocate(backend, store, megabytes: int) -> int:
    """Hold ``megabytes`` MB, touched page by page (a list of 1 MB blocks, as a growing answer would)."""
    blocks = [bytearray(1024 * 1024) for _ in range(megabytes)]
    return sum(len(b) for b in blocks) // (1024 * 1024)


def documents(backend, store) -> list[str]:
    """The documents the child's own store holds."""
    return sorted(d["key"] for d in store.documents())

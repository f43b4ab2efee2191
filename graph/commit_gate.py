"""Reads never overlap a write of the same process's Neo4j store.

Neo4j isolates transactions at *read committed*: a read that runs while another
transaction's commit is being applied can see part of it.  Loading a table again
deletes and re-creates its nodes in one transaction, so a page or a submission
read during that commit met an item whose document it could not find, or a
milestone whose properties had gone (seen as ``KeyError`` and ``None`` in the
accounts tests).  SQLite needs none of this: its readers see a snapshot.

:class:`CommitGate` is a readers–writer lock: many reads at once, one write at a
time and none while it runs.  Writers go first once they wait, so a stream of reads
cannot starve a load.  Holding it for the whole write (not only its commit) also keeps
this process's writers from meeting in the server's locks: a submission that waited
on a load's lock while holding one the load wanted ended in deadlocks and in the
driver's pool running dry.  Readers wait for a load as SQLite's writers wait for
each other; a submission is milliseconds.  A load from another process (a command
while the server answers) is not gated: ``queries.progress_reports.targets`` (the
status questions, submissions) notices a table met mid-commit and refuses with one
line; the README tells users to load through the server while it serves.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from respgraph.graph.errors import RespgraphError
from respgraph.graph.sqlite_health import WAIT_VARIABLE, wait_seconds

__all__ = ["CommitGate"]

T = TypeVar("T")


class CommitGate:
    """Shared for reads, exclusive for writes; the writing thread may read and write.

    >>> gate = CommitGate()
    >>> with gate.reading():
    ...     pass
    >>> gate.commit(lambda work: work(None), lambda tx: "written")
    'written'
    """

    def __init__(self, stamp: Callable[[object], None] | None = None) -> None:
        #: Run in every write transaction after its work (the store's generation, bumped).
        self._stamp = stamp
        self._lock = threading.Condition()
        self._readers = 0
        self._writer: int | None = None
        self._waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        if self._writer == threading.get_ident():  # a write's own reads
            yield
            return
        with self._lock:
            self._wait(lambda: self._writer is None and not self._waiting)
            self._readers += 1
        try:
            yield
        finally:
            with self._lock:
                self._readers -= 1
                if not self._readers:
                    self._lock.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        if self._writer == threading.get_ident():  # a write within a write
            yield
            return
        with self._lock:
            self._waiting += 1
            try:
                self._wait(lambda: self._writer is None and not self._readers)
            finally:
                self._waiting -= 1
                self._lock.notify_all()  # readers held back for this writer go on if it gave up
            self._writer = threading.get_ident()
        try:
            yield
        finally:
            with self._lock:
                self._writer = None
                self._lock.notify_all()

    def _wait(self, ready: Callable[[], bool]) -> None:
        # Bounded as SQLite's lock is: a write that never ends is reported, not waited out.
        wait = wait_seconds()
        end = time.monotonic() + wait
        while not ready():
            left = end - time.monotonic()
            if left <= 0 or not self._lock.wait(left) and not ready():
                raise RespgraphError(
                    f"waited {wait:.0f} s for another write of this program to the Neo4j store "
                    f"({WAIT_VARIABLE} sets the wait); nothing was done"
                )

    def commit(self, execute_write: Callable[[Callable], T], work: Callable, *args) -> T:
        """``execute_write(lambda tx: work(tx, *args))`` (a session's, retries and all) alone,
        with the gate's stamp in the same transaction."""

        def stamped(tx):
            result = work(tx, *args)
            if self._stamp is not None:
                self._stamp(tx)
            return result

        with self.writing():
            return execute_write(stamped)

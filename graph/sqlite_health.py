"""What is wrong with the embedded store's file, said as what to do about it.

SQLite reports a full disk, a read-only mount, a missing permission, a lock held by
another program and a damaged file each in its own words, and some only half-way
(``cannot rollback - no transaction is active`` after ``database or disk is full``).
:func:`diagnose` turns any of them into one :class:`StoreUnavailable` line that names
the cause; only a file SQLite cannot read is called damaged.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path
from typing import NamedTuple

from respgraph.graph.errors import StoreUnavailable
from respgraph.graph.settings import lock_wait, variable

#: How long a command waits for another one holding the file, in seconds.
WAIT_VARIABLE = variable("lock_wait")


def wait_seconds() -> float:
    """The wait for a lock (a setting: :func:`respgraph.graph.settings.lock_wait`)."""
    return lock_wait()


class WalStamp(NamedTuple):
    """What tells one state of a write-ahead log from another: a write changes its time."""

    inode: int
    size: int
    mtime_ns: int


def wal_stamp(path: Path | str) -> WalStamp | None:
    """The stamp of the log beside ``path``; None when there is none."""
    try:
        st = os.stat(f"{path}-wal")
    except OSError:
        return None
    return WalStamp(st.st_ino, st.st_size, st.st_mtime_ns)


#: The log of each file as this process last wrote or judged it.
_KNOWN_WAL: dict[str, WalStamp] = {}
_KNOWN_LOCK = threading.Lock()


def note_wal(path: Path | str) -> None:
    """Remember the log beside ``path`` as this process's own (after its write, or once judged)."""
    stamp = wal_stamp(path)
    with _KNOWN_LOCK:
        if stamp is None:
            _KNOWN_WAL.pop(_key(path), None)
        else:
            _KNOWN_WAL[_key(path)] = stamp


def known_wal(path: Path | str, stamp: WalStamp) -> bool:
    """Whether ``stamp`` is the log as this process last wrote or judged it: not a stranger's."""
    with _KNOWN_LOCK:
        return _KNOWN_WAL.get(_key(path)) == stamp


def _key(path: Path | str) -> str:
    return os.path.realpath(path)


def damaged(path: Path | str, why: str) -> StoreUnavailable:
    return StoreUnavailable(
        str(path),
        f"the saved graph is damaged ({why}); it was left as it is: "
        "move it away (or restore a backup) and load your tables again",
    )


def read_only_mount(path: Path | str) -> bool:
    """Whether the folder of ``path`` (or the nearest one that exists) is on a read-only file system."""
    folder = Path(path).parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def lock_holders(path: Path | str) -> str:
    """The processes holding a lock on the store's files, as ``process 1234 (python3)``;
    "" where the system does not say (Linux lists locks in /proc/locks)."""
    inodes = set()
    for suffix in ("", "-shm", "-wal"):
        try:
            st = os.stat(f"{path}{suffix}")
            inodes.add((os.major(st.st_dev), os.minor(st.st_dev), st.st_ino))
        except OSError:
            continue
    holders = {}
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as locks:
            for line in locks:
                fields = line.split()
                if "->" in fields:  # a lock waiting behind another: not a holder
                    continue
                try:
                    pid, dev = int(fields[4]), fields[5].split(":")
                    key = (int(dev[0], 16), int(dev[1], 16), int(dev[2]))
                except (IndexError, ValueError):
                    continue
                if key in inodes and pid != os.getpid():
                    holders[pid] = _command(pid)
    except OSError:
        return ""
    return ", ".join(f"process {pid} ({name})" if name else f"process {pid}" for pid, name in sorted(holders.items()))


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def locked(path: Path | str, waited: float) -> StoreUnavailable:
    holders = lock_holders(path)
    by = f" by {holders}" if holders else " by another program (another respgraph command, or an SQLite tool)"
    return StoreUnavailable(
        str(path), f"locked{by}: waited {waited:g} s for it ({WAIT_VARIABLE} sets the wait); try again when it is done"
    )


def diagnose(exc: BaseException, path: Path | str | None, *, writing: bool = False) -> StoreUnavailable:
    """One line naming the cause of ``exc`` (an :class:`sqlite3.Error` or :class:`OSError`)
    met while using the store at ``path``."""
    where = str(path) if path else "memory"
    text = str(exc)
    low = text.lower()
    if isinstance(exc, OSError) and exc.errno is not None:
        import errno

        if exc.errno == errno.ENOSPC:
            low = "database or disk is full"
        elif exc.errno == errno.EROFS:
            low = "readonly"
        elif exc.errno in (errno.EACCES, errno.EPERM):
            low = "permission"
    if "disk is full" in low or "disk full" in low:
        return StoreUnavailable(
            where, "the disk is full: nothing of this command was written; free some space and run it again"
        )
    if "locked" in low or "busy" in low:
        return locked(where, wait_seconds())
    if "readonly" in low or "read-only" in low or (path and read_only_mount(path) and writing):
        return StoreUnavailable(
            where,
            "on a read-only file system (or a read-only file): questions can be "
            "answered from it, but nothing can be loaded or removed; use --home "
            "(or RESPGRAPH_HOME) for a folder you can write to",
        )
    if "unable to open" in low or "permission" in low:
        reason = "no permission to read or write it (or its folder)"
        if path and not Path(path).exists() and not Path(path).parent.exists():
            reason = "its folder cannot be made"
        return StoreUnavailable(
            where,
            f"cannot open the store: {reason}; check the folder's owner and "
            "permissions, or use --home (or RESPGRAPH_HOME) for another folder",
        )
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        return damaged(where, f"not readable by SQLite: {text}; `respgraph doctor` checks the whole file")
    if "disk i/o" in low:
        return StoreUnavailable(
            where, f"the disk failed to read or write it ({text}); check the disk, then run `respgraph doctor`"
        )
    return StoreUnavailable(where, f"SQLite cannot use it: {text}")


def quick_check(db: sqlite3.Connection, path: Path | str) -> None:
    """``PRAGMA quick_check`` (every page's structure, not the indexes against the rows):
    a damaged page found now, not as a wrong answer later."""
    try:
        rows = [r[0] for r in db.execute("PRAGMA quick_check(5)")]
    except sqlite3.DatabaseError as exc:
        raise diagnose(exc, path) from None
    if rows != ["ok"]:
        raise damaged(path, f"SQLite's check found: {'; '.join(rows)[:300]}")


def integrity(path: Path | str) -> list[str]:
    """What ``PRAGMA integrity_check`` finds in the file (["ok"] for a sound one), read-only."""
    db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=wait_seconds())
    try:
        return [r[0] for r in db.execute("PRAGMA integrity_check(20)")]
    finally:
        db.close()

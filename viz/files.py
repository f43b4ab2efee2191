"""Writing output files, with one clear error when the path cannot take them.

Every file respgraph writes for the user (pages, pictures, reports, exports)
goes through :func:`write_file` or :func:`ensure_folder`, so a missing folder,
a path under a file or a full disk (``/dev/full``) is one :class:`OutputError`
naming the path, never a traceback or half a file presented as done.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from respgraph.graph.errors import RespgraphError

__all__ = ["OutputError", "write_file", "ensure_folder"]

_REASONS = {
    errno.ENOSPC: "no space left on the device",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.EISDIR: "it is a folder",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.ENOENT: "the folder does not exist",
    errno.EEXIST: "a file of that name is in the way",
}


class OutputError(RespgraphError):
    """An output file or folder cannot be written."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"cannot write {path}: {reason}")


def _reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno, exc.strerror or str(exc))


def ensure_folder(folder: Path) -> Path:
    """``folder`` and its parents, created when missing; :class:`OutputError` when a file is in the way."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(folder, _reason(exc)) from None
    if not folder.is_dir():
        raise OutputError(folder, "a file of that name is in the way")
    return folder


def write_file(path: Path, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8) to ``path``, whose folder must exist.

    >>> try:
    ...     write_file(Path("/nonexistent-folder/x.html"), "x")
    ... except OutputError as exc:
    ...     print(exc)
    cannot write /nonexistent-folder/x.html: the folder /nonexistent-folder does not exist
    """
    path = Path(path)
    folder = path.parent
    if not folder.exists():
        raise OutputError(path, f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise OutputError(path, f"{folder} is a file, not a folder")
    if path.is_dir():
        raise OutputError(path, "it is a folder")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with open(path, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if path.is_file():
                os.fsync(handle.fileno())
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    return path

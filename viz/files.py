"""Writing output files, with one clear error when the path cannot take them.

Every file respgraph writes for the user (pages, pictures, reports, exports)
goes through :func:`write_file` or :func:`ensure_folder`, so a missing folder,
a path under a file or a full disk (``/dev/full``) is one :class:`OutputError`
naming the path, never a traceback or half a file presented as done.  A file is
written to a temporary file in the same folder and renamed into place, so what
was there before stays whole until the new one is.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

from respgraph.graph.errors import RespgraphError

__all__ = ["OutputError", "write_file", "ensure_folder", "file_names", "unique_file_names"]

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
    return _REASONS.get(exc.errno or 0, exc.strerror or str(exc))


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
    if path.exists() and not path.is_file():  # /dev/null, /dev/full, a pipe: written in place
        try:
            with open(path, "wb") as handle:
                handle.write(payload)
        except OSError as exc:
            raise OutputError(path, _reason(exc)) from None
        return path
    # Whole or not at all: written beside the target and renamed over it only once it is
    # on the disk, so a full disk leaves neither a 0-byte file nor a cut previous one.
    import tempfile

    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise OutputError(path, _reason(exc)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise OutputError(path, _reason(exc)) from None
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Characters no file name may hold on Windows, macOS or Linux, and control characters.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
#: Bytes of a file name kept from the unit's name (file systems allow 255).
_NAME_BYTES = 150


def file_names(names: list[str], prefix: str = "", suffix: str = "") -> dict[str, str]:
    """A file name for each of ``names``: characters no file system takes replaced,
    cut to fit, and unique even where two names differ only in what was replaced or
    cut, or in letter case (a ``_2``, ``_3`` … is added).

    >>> file_names(["市A/B局", "市A:B局", "市a/b局"], "通知_", ".docx")
    {'市A/B局': '通知_市A_B局.docx', '市A:B局': '通知_市A_B局_2.docx', '市a/b局': '通知_市a_b局_3.docx'}
    """
    names = list(dict.fromkeys(names))
    return dict(zip(names, unique_file_names(names, prefix, suffix)))


def unique_file_names(names: list[str], prefix: str = "", suffix: str = "") -> list[str]:
    """:func:`file_names` in the order of ``names``, one for each, even for names given twice."""
    out: list[str] = []
    taken: set[str] = set()
    for name in names:
        safe = _UNSAFE.sub("_", name).strip(" .") or "_"
        safe = safe.encode("utf-8")[:_NAME_BYTES].decode("utf-8", "ignore")
        candidate, n = f"{prefix}{safe}{suffix}", 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{prefix}{safe}_{n}{suffix}"
        taken.add(candidate.casefold())
        out.append(candidate)
    return out

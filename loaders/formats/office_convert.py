"""Old binary Office files (.doc, .wps, .et, .rtf; .xls that xlrd cannot read) through LibreOffice,
and the documents respgraph writes printed to PDF (:func:`to_pdf`).

LibreOffice's headless converter (``soffice --convert-to``) turns them into .docx or
.xlsx, which the usual readers then read; row numbers are those of the converted
document.  Each conversion runs in a private temporary folder with its own
LibreOffice profile (``-env:UserInstallation``), so two respgraph processes never
share (and lock) one profile, and under a time limit, so a file that hangs
LibreOffice ends in an error rather than a hung command.  Without ``soffice`` on the
PATH the error names the Debian packages to install.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from respgraph.graph.errors import LoadError

#: Debian's packages that provide ``soffice`` without a desktop.
PACKAGES = "libreoffice-writer-nogui libreoffice-calc-nogui"
TIMEOUT_S = 180
# kind -> (suffix LibreOffice reads it by, target format and filter, suffix written)
_TARGETS = {
    "doc": (".doc", "docx:MS Word 2007 XML", ".docx"),
    "rtf": (".rtf", "docx:MS Word 2007 XML", ".docx"),
    "xls": (".xls", "xlsx:Calc MS Excel 2007 XML", ".xlsx"),
    "pdf": (".docx", "pdf:writer_pdf_Export", ".pdf"),  # a document respgraph wrote, printed
}


def soffice() -> str | None:
    """The LibreOffice command on the PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: str, data: bytes, kind: str, *, timeout: float = TIMEOUT_S) -> bytes:
    """The bytes of ``data`` (a ``doc``, ``rtf`` or ``xls`` file) converted to .docx or .xlsx;
    of a .docx (``pdf``) printed to PDF."""
    command = soffice()
    name = Path(path).name
    if command is None and kind == "pdf":
        raise LoadError(
            path,
            "making a PDF needs LibreOffice's `soffice` command: install it "
            "(Debian: apt-get install libreoffice-writer-nogui), or write the .docx",
        )
    if command is None:
        raise LoadError(
            path,
            f"reading {_what(kind)} needs LibreOffice's `soffice` command: install it "
            f"(Debian: apt-get install {PACKAGES}), or save the file as "
            f"{'.xlsx' if kind == 'xls' else '.docx'} and load that",
        )
    suffix, target, out_suffix = _TARGETS[kind]
    with tempfile.TemporaryDirectory(prefix="respgraph-convert-") as tmp:
        folder = Path(tmp)
        # Named as the user's file: LibreOffice names a sheet read from it after the file.
        source = folder / f"{Path(path).stem or 'source'}{suffix}"
        source.write_bytes(data)
        profile = (folder / "profile").as_uri()
        args = [
            command,
            "--headless",
            "--norestore",
            "--nolockcheck",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            target,
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        # LibreOffice's own temporary files go inside the folder removed below.
        (folder / "tmp").mkdir()
        env = {**os.environ, "TMPDIR": str(folder / "tmp"), "TMP": str(folder / "tmp"), "TEMP": str(folder / "tmp")}
        # A session of its own, so a timeout ends LibreOffice's helper processes too.
        process = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, env=env
        )
        try:
            _, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            _remove_pipe(profile)
            raise LoadError(path, f"LibreOffice did not convert {name} within {timeout:.0f} s") from None
        converted = folder / "out" / f"{source.stem}{out_suffix}"
        if process.returncode != 0 or not converted.exists():
            detail = err.decode("utf-8", "replace").strip().splitlines()
            detail = [d for d in detail if "javaldx" not in d]  # a harmless warning of every run
            why = f": {detail[-1]}" if detail else ""
            raise LoadError(path, f"LibreOffice could not read {_what(kind)}{why}")
        return converted.read_bytes()


def _remove_pipe(profile: str) -> None:
    """Remove the socket a killed LibreOffice leaves for its single-instance IPC.  It is
    always made in /tmp (or /var/tmp), whatever TMPDIR says, and named after the MD5 of
    the profile's URL in UTF-16 (each byte in hex without a leading zero): this profile is ours alone, so is the socket."""
    import hashlib

    md5 = hashlib.md5(profile.encode("utf-16-le"), usedforsecurity=False).digest()
    digest = "".join(f"{b:x}" for b in md5)  # LibreOffice writes each byte without its leading zero
    for folder in ("/tmp", "/var/tmp"):
        try:
            os.unlink(f"{folder}/OSL_PIPE_{os.getuid()}_SingleOfficeIPC_{digest}")
        except OSError:
            pass


def _what(kind: str) -> str:
    return {
        "doc": "an old Word/WPS document (.doc/.wps)",
        "rtf": "an RTF document",
        "xls": "an old Excel/WPS workbook (.xls/.et)",
        "pdf": "the document to print it as PDF",
    }[kind]


def to_pdf(path: str, data: bytes, *, timeout: float = TIMEOUT_S) -> bytes:
    """A .docx respgraph wrote (``data``, to be saved as ``path``) as LibreOffice prints it to PDF."""
    return convert(path, data, "pdf", timeout=timeout)


def read_converted(path: str, data: bytes, kind: str, *, mapping=None):
    """The :class:`~respgraph.loaders.table.reading.Reading` of a file LibreOffice converts first."""
    from respgraph.loaders.formats.guard import check_zip

    converted = convert(path, data, kind)
    check_zip(path, converted)  # LibreOffice's output meets the limits any .docx/.xlsx meets
    if kind == "xls":
        from respgraph.loaders.formats.xlsx_format import read_xlsx

        reading = read_xlsx(path, converted, mapping=mapping)
        reading.format = f"{kind} (converted to .xlsx by LibreOffice), then {reading.format}"
    else:
        from respgraph.loaders.formats.docx_format import read_docx

        reading = read_docx(path, converted, mapping=mapping)
        reading.format = f"{kind} (converted to .docx by LibreOffice), then {reading.format}"
    return reading
